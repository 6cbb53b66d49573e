/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Study files for 'cvmio run': an INI file (parsed with inih) naming the
 * matrix (modes x backends x engines x job files x repetitions) and how the
 * guests are booted.  See cvmio-run(1) for every key.
 */
#ifndef CVMIO_RUN_STUDY_H
#define CVMIO_RUN_STUDY_H

#include <stddef.h>

#include "cvmio.h"

struct strlist {
	char **v;
	size_t n;
};

struct study_jobfile {
	char *path;  /* resolved path of the fio job file */
	char *name;  /* its name in the results tree (stem, or set-stem for directories) */
};

/* What a mode's profile tells the runner (qemu-profiles/modes/NAME.ini, [mode]). */
struct study_mode {
	char *confirms;        /* the key of the guest check's "confirms" its guests must show */
	char *guest_kernel;    /* vmlinux (direct boot) or vmlinuz (firmware boot) */
};

/* What a backend's profile tells the runner (qemu-profiles/backends/NAME.ini, [backend]). */
struct study_backend {
	char *disk;            /* guest_disk: the block device the guest sees */
	char *char_disk;       /* nvme_char_disk: the NVMe generic char device, or NULL */
};

struct study {
	char *path;            /* the study file as given */
	char *name;            /* results/<name>/ */
	struct strlist modes, backends, engines, hosts;
	char *profiles;        /* the profiles folder (as 'cvmio qemu' finds it; [guest] profiles=) */
	struct study_mode *mode_info;        /* per modes.v[i], from its profile */
	struct study_backend *backend_info;  /* per backends.v[i], from its profile */
	struct study_jobfile *jobfiles;
	size_t n_jobfiles;
	int jobfiles_line;     /* the study file's line of jobfiles= (for errors found later) */
	char *backing;         /* null, file or device */
	char *backing_path;    /* for file/device */
	int repetitions;
	double target_ci;      /* > 0: extra rounds until every headline ratio's relative half-width <= this */
	int max_repetitions;   /* the cap on those rounds (repetitions in all) */
	int runtime, ramp;     /* seconds; exported to job files as RUNTIME / RAMP */
	int run_timeout;       /* seconds per fio run; 0 = derived from runtime */
	int boot_timeout;      /* seconds until the fio server is ready */
	int concurrency;       /* identical guests per (mode, backend) */
	char *target;          /* override of the guest's device path (TARGET) */
	char *size;            /* region of TARGET the jobs use (SIZE), default 100% */
	/* [guest] */
	char *appliance, *kernel, *initrd, *image, *append, *firmware, *accel, *qemu, *aio, *mem;
	int smp, queues;
	char *vcpu_pin, *iothread_pin; /* host CPU lists, e.g. "0,1" or "0-1" */
	/*
	 * SEV/SNP launch options (qemu-profiles/launch.c), for the study's modes
	 * whose guests take them: kernel_hashes (on/off/auto) and igvm for sev*,
	 * the identity inputs (base64, read from id_block_file=/id_auth_file=)
	 * for sev-snp.
	 */
	char *kernel_hashes, *igvm, *id_block, *id_auth, *host_data;
	int author_key_enabled;
	/* the benchmark suite (study/run_suite.c): suite=, suite_scale=, [guest] suite_image= */
	struct strlist suite;
	char *suite_scale;     /* smoke or full */
	char *suite_image;     /* the suite's userland disk; NULL = build/guest/suite.img */
};

/*
 * Load and validate a study file.  Returns 0, or CVMIO_EXIT_INPUT with a
 * one-line "FILE:LINE: reason" (or "FILE: reason") in err.
 */
int study_load(const char *path, struct study *s, char *err, size_t errlen);
void study_free(struct study *s);

/*
 * The [guest] launch keys (run_launch.c).  study_launch_key(): 1 when name
 * is one and value is good (stored in s), 0 when name is not one, -1 with a
 * line in why.  study_launch_check(), once the profiles are read: 0, or -1
 * with why when no mode of the study takes an option given, or an SNP
 * identity is half given.
 */
int study_launch_key(struct study *s, const char *name, const char *value, char *why, size_t len);
int study_launch_check(const struct study *s, char *why, size_t len);

/*
 * Read the profiles of the study's modes and backends (run_profiles.c);
 * an unknown name is an error at FILE:LINE of its modes=/backends= line.
 */
int study_read_profiles(struct study *s, int modes_line, int backends_line, char *err, size_t errlen);
void study_free_profiles(struct study *s);
/* The profile facts of a mode of the study (NULL when it is not one). */
const struct study_mode *study_mode_info(const struct study *s, const char *mode);

/* The device path the guest sees for backends.v[backend] (its profile's guest_disk, or target=). */
const char *study_guest_target(const struct study *s, size_t backend, const char *engine);
/*
 * The value of fio's ioengine= for an engine name: for cvmio-* external:/usr/lib/cvmio/NAME.so
 * (the guest appliance's), with hosts= PREFIX/lib/cvmio/NAME.so (installed on this host).
 */
void study_engine_value(const struct study *s, const char *engine, char *buf, size_t len);
/* Whether the engine can drive backends.v[backend] (cvmio-nvme needs an nvme_char_disk). */
int study_engine_fits(const struct study *s, const char *engine, size_t backend);

/* Highest host CPU a list may name (Linux's NR_CPUS maximum is 8192). */
#define STUDY_MAX_CPU 8191
/*
 * A host CPU list "0,2-3" (run_cpulist.c) in its own order ("1,0" -> 1 0):
 * the count and *cpus (malloc'd), or -1 when invalid.
 */
int study_cpulist_order(const char *s, int **cpus);
/* Whether s is a valid host CPU list. */
int study_cpulist_valid(const char *s);

#endif
