#!/bin/sh
# Counts one suite's TAP log: prints "PASSED FAILED SKIPPED PLANNED" on stdout.
#  ok ... # SKIP reason  -> skipped (never a pass)     ok ...  -> passed     not ok ... -> failed
#  1..N plan lines (one per sub-suite) are added up; a log with no plan, or whose results do not
#  add up to the plan (a suite or sub-suite that stopped early), counts one extra failure and
#  the reason goes to stderr.
log=$1
awk '
    /^1\.\.[0-9]+/          { sub(/^1\.\./, ""); plan += $0 + 0; plans++; next }
    /^ok / && / # [Ss][Kk][Ii][Pp]/ { s++; next }
    /^ok /                  { p++; next }
    /^not ok /              { f++; next }
    END {
        ran = p + f + s
        if (!plans) { print "no TAP plan (1..N): the suite cannot show that it ran to the end" > "/dev/stderr"; f++ }
        else if (ran != plan) { print "planned " plan " tests, ran " ran > "/dev/stderr"; f++ }
        print p + 0, f + 0, s + 0, plan + 0
    }' "$log"
