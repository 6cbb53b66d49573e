/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Study files for 'cvmio run': an INI file (parsed with inih) naming the
 * matrix (modes x backends x engines x job files x repetitions) and how the
 * guests are booted.  See cvmio-run(1) for every key.
 */
#ifndef CVMIO_RUN_STUDY_H
#define CVMIO_RUN_STUDY_H

#include <stddef.h>

struct strlist {
	char **v;
	size_t n;
};

struct study_jobfile {
	char *path;  /* resolved path of the fio job file */
	char *name;  /* its name in the results tree (stem, or set-stem for directories) */
};

struct study {
	char *path;            /* the study file as given */
	char *name;            /* results/<name>/ */
	struct strlist modes, backends, engines, hosts;
	struct study_jobfile *jobfiles;
	size_t n_jobfiles;
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
};

/* Known names, for early file:line errors (the composer has the last word). */
int study_known_mode(const char *mode);
int study_known_backend(const char *backend);

/*
 * Load and validate a study file.  Returns 0, or CVMIO_EXIT_INPUT with a
 * one-line "FILE:LINE: reason" (or "FILE: reason") in err.
 */
int study_load(const char *path, struct study *s, char *err, size_t errlen);
void study_free(struct study *s);

/* The device path the guest sees for a backend ("/dev/vda", ...), honouring engine quirks. */
const char *study_guest_target(const struct study *s, const char *backend, const char *engine);
/* The value of fio's ioengine= for an engine name (external:/usr/lib/cvmio/NAME.so for cvmio-*). */
void study_engine_value(const char *engine, char *buf, size_t len);
/* Whether the engine can drive that backend (cvmio-nvme needs nvme). */
int study_engine_fits(const char *engine, const char *backend);

/* Parse a CPU list "0,2-3" into a bitmask of up to 64 CPUs; -1 when invalid. */
int study_parse_cpulist(const char *s, unsigned long long *mask);
/* The same list in its own order ("1,0" -> 1 0), at most max entries; count or -1. */
int study_cpulist_order(const char *s, int *cpus, int max);

#endif
