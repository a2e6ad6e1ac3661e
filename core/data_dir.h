/* Where Vitrine's data (profiles, ROM-set manifests) is installed. */
#ifndef VT_DATA_DIR_H
#define VT_DATA_DIR_H

/* The directory holding the config and romsets directories: $VITRINE_DATADIR, else the first of the
 * executable's parent directories (up to three levels, e.g. the repository above build/) that
 * has them, else ".". Computed once per process (host install location, not machine state). */
const char *vt_data_dir(void);

#endif
