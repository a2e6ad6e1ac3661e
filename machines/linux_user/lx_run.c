/* Runs one guest program under Linux user mode: resolves the program (sysroot, PATH),
 * builds the process (address space, ABI CPU glue, ELF image and stack, signals) and
 * drives the core in slices until the guest exits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machines/linux_user/lx_abi.h"

extern char **environ;

/* Finds PROGRAM like execvp would when it has no slash; malloc'd guest path. */
static char *find_program(const vt_lx_proc *p, const char *prog) {
    if (strchr(prog, '/')) return strdup(prog);
    struct stat st;
    if (!stat(prog, &st)) return strdup(prog);
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        char buf[4096];
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, prog);
        char *h = vt_lx_host_path(p, buf);
        bool ok = h && !access(h, X_OK);
        free(h);
        if (ok) return strdup(buf);
        path += n + (path[n] == ':');
    }
    return strdup(prog);
}

static void proc_free(vt_lx_proc *p) {
    vt_lx_signals_fini();
    vt_cpu_destroy(p->cpu);
    vt_lx_mem_free(p);
    free(p->sysroot);
    free(p->exe_host);
    free(p->exe_guest);
    free(p->vitrine);
    free(p->abi_state);
    free(p);
}

int vt_lx_run(const vt_lx_options *o, vt_error *err) {
    const vt_lx_abi *abi = vt_lx_find_abi(o->arch);
    if (!abi)
        return vt_fail(err, "unknown architecture '%s' (known: %s)", o->arch, vt_lx_abi_names());
    vt_lx_proc *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->abi = abi;
    p->cpu_model = o->cpu;
    p->jit = o->jit;
    int rc = -1;
    char *guest = NULL;
    if (o->sysroot) {
        p->sysroot = realpath(o->sysroot, NULL);
        if (!p->sysroot) {
            vt_fail(err, "%s: sysroot not found", o->sysroot);
            goto out;
        }
    }
    p->vitrine = realpath("/proc/self/exe", NULL);
    guest = find_program(p, o->program);
    p->exe_host = guest ? vt_lx_host_path(p, guest) : NULL;
    if (!p->vitrine || !p->exe_host) {
        vt_fail(err, "out of memory");
        goto out;
    }
    if (access(p->exe_host, R_OK)) {
        vt_fail(err, "%s: %s", o->program, strerror(errno));
        goto out;
    }
    /* /proc/self/exe: the resolved program, seen from inside the sysroot */
    char *real = realpath(p->exe_host, NULL);
    if (!real) {
        vt_fail(err, "%s: %s", o->program, strerror(errno));
        goto out;
    }
    size_t sl = p->sysroot ? strlen(p->sysroot) : 0;
    if (sl && !strncmp(real, p->sysroot, sl) && real[sl] == '/')
        memmove(real, real + sl, strlen(real + sl) + 1);
    p->exe_guest = real;
    if (vt_lx_mem_init(p, err) || abi->setup(p, err)) goto out;
    char **argv = o->argv;
    char *argv0_saved = argv[0];
    if (o->argv0) argv[0] = (char *)o->argv0;
    uint32_t entry, sp;
    int lr = vt_lx_load_elf(p, p->exe_host, argv, environ, &entry, &sp, err);
    argv[0] = argv0_saved;
    if (lr) goto out;
    vt_lx_signals_init(p);
    vt_lx_fault_init(p);
    abi->start(p, entry, sp);
    while (!p->exited) {
        vt_lx_fault_cpu(true);
        if (abi->run)
            abi->run(p, 1u << 22);
        else
            p->cpu->ops->run(p->cpu, 1u << 22);
        vt_lx_fault_cpu(false);
        if (!p->exited) vt_lx_signals_deliver(p, false);
    }
    rc = p->exit_status;
out:
    free(guest);
    proc_free(p);
    return rc;
}
