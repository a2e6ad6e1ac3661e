# Compares a Vitrine console transcript with QEMU's, split at Open Firmware prompts ("N > ").
# Usage: awk -v name=PREFIX -f compare_transcript.awk EXPECTED ACTUAL   (CRs already removed)
# Prints one TAP line per section: the banner, then each typed line with its answer.
# With -v count=1 and only EXPECTED, prints how many TAP lines a comparison will print (the plan).
function flush_file(   ) { }
BEGIN { RS = "\n[0-9]+ > "; file = 0 }
FNR == 1 { file++ }
{
    if (file == 1) exp_rec[++ne] = $0
    else act_rec[++na] = $0
}
END {
    if (count) {
        print (ne > 0 && exp_rec[ne] ~ /^[ \n]*$/) ? ne - 1 : ne
        exit
    }
    for (i = 1; i <= ne; i++) {
        e = exp_rec[i]
        if (i == ne && e ~ /^[ \n]*$/) continue
        label = (i == 1) ? "banner up to the first prompt" : substr(e, 1, index(e "\n", "\n") - 1)
        gsub(/[ ]+$/, "", label)
        if (i <= na && act_rec[i] == e) {
            print "ok - " name ": " label
        } else {
            print "not ok - " name ": " label
            n = split(e, el, "\n"); m = (i <= na) ? split(act_rec[i], al, "\n") : 0
            for (j = 1; j <= n || j <= m; j++)
                if (el[j] != al[j]) print "# line " j ": expected [" el[j] "] got [" al[j] "]"
        }
    }
}
