/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The QEMU command-line composer behind 'cvmio qemu', also called directly by
 * the study runner (study/) and the guest tests.  Profiles are data files in
 * qemu-profiles/ (installed under PREFIX/share/cvmio/qemu-profiles); the
 * composer reads them, so users can copy and extend them.
 */
#ifndef CVMIO_COMPOSE_H
#define CVMIO_COMPOSE_H

#include <stddef.h>
#include <stdio.h>

#define QEMU_MAX_FWDS 8
/* The limits of --smp and --queues, shared with the study parser (cvmio run's smp=, queues=). */
#define QEMU_MAX_SMP 288      /* q35 with x2APIC in QEMU 7.2 */
#define QEMU_MAX_QUEUES 1024  /* VIRTIO_QUEUE_MAX */

struct qemu_fwd {
	int host_port;  /* on 127.0.0.1 only */
	int guest_port;
};

struct qemu_request {
	const char *mode;        /* plain, bounce, sev, sev-es, sev-snp, sev-snp-2023 */
	const char *backend;     /* virtio-blk, virtio-blk-iothread, virtio-scsi, virtio-scsi-iothread, nvme */
	const char *disk;        /* path of the backing file/device (unused for null) */
	const char *backing;     /* file, device, null, or blkdebug:CONFIG (file backing wrapped in blkdebug) */
	const char *aio;         /* native, io_uring, threads; NULL = backend profile's aio (native) */
	int queues;              /* 0 = smp */
	int smp;                 /* 0 = 2 */
	const char *mem;         /* NULL = "1G" */
	const char *kernel, *initrd, *append; /* direct boot (append gets mode's extras, e.g. swiotlb=force) */
	const char *image;       /* or a bootable disk image with its own kernel */
	const char *firmware;    /* -bios; NULL = the mode profile's (OVMF for sev*), else QEMU's BIOS */
	const char *accel;       /* kvm or tcg; NULL = the mode's (kvm for sev*), else kvm when KVM
				    really runs a vCPU and the CPU has vmx/svm, else tcg */
	const char *qemu;        /* QEMU binary; NULL = $CVMIO_QEMU, else qemu-system-x86_64 on PATH */
	const char *profiles_dir;/* NULL = $CVMIO_PROFILES, source tree, PREFIX/share/cvmio/qemu-profiles */
	struct qemu_fwd fwds[QEMU_MAX_FWDS]; /* user-net host forwards (hostfwd=tcp:127.0.0.1:H-:G) */
	int n_fwds;
	const char *console;     /* serial console to this file; NULL = stdio */
	const char *qmp;         /* QMP unix socket path, or NULL */
	const char *pidfile;     /* or NULL */
	const char *cpu_pin;     /* vCPU pinning spec, or NULL (applied by the runner via taskset/QMP) */
	/* Added with the composer (issue 4); zero/NULL keeps the defaults. */
	const char *null_size;   /* size of the null backing (null-co size=); NULL = 1G */
	int cbitpos;             /* sev*: C-bit position; 0 = host CPUID 0x8000001F, else 51 */
	int reduced_phys_bits;   /* sev*: 0 = host CPUID 0x8000001F, else 1 */
	const char *qemu_version;/* "X.Y[.Z]" of the target QEMU, instead of running 'qemu --version' */
	/* SEV/SNP launch options (issue 13; launch.c); NULL/0 keeps the defaults. */
	const char *kernel_hashes; /* "on", "off", or NULL/"auto": on when the firmware can */
	const char *igvm;        /* IGVM file instead of -bios (QEMU >= 10.0) */
	const char *id_block, *id_auth, *host_data;  /* sev-snp-guest inputs, base64 */
	int author_key_enabled;  /* sev-snp-guest author-key-enabled=on */
};

struct qemu_argv {
	char **argv;  /* NULL-terminated, malloc'd strings */
	size_t argc;
	/*
	 * What the line leaves out that its user may have wanted ("measured
	 * direct boot off: ..."), or "": the caller decides where to say it,
	 * once (a runner composes the same guest for every boot).
	 */
	char note[1024];
};

/*
 * Compose the argv for req.  Returns 0, or -1 with a one-line reason in err
 * (naming the mode, backend, option or file at fault).
 */
int qemu_compose(const struct qemu_request *req, struct qemu_argv *out, char *err, size_t errlen);
void qemu_argv_free(struct qemu_argv *av);

/* av as one shell command line: each word as is when harmless, else single-quoted. */
void qemu_argv_print(FILE *out, const struct qemu_argv *av);

/*
 * Check that the files req names exist (disk for file/device/blkdebug backing,
 * blkdebug config, kernel, initrd, image, firmware).  qemu_compose() does not,
 * so lines can be composed for another host.  0, or -1 with a reason.
 */
int qemu_request_check_files(const struct qemu_request *req, char *err, size_t errlen);

#endif
