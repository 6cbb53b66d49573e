/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host facts the composer and 'cvmio check --host' both need: whether KVM
 * really runs a guest here, and which QEMU version a binary is.
 */
#ifndef CVMIO_HOST_PROBE_H
#define CVMIO_HOST_PROBE_H

#include <stddef.h>

/*
 * 1 when KVM runs a vCPU here (KVM_CREATE_VM, a vCPU executing a real-mode
 * 'hlt' that exits with KVM_EXIT_HLT), 0 when not; detail says why.
 * A /dev/kvm that opens is not enough: nested set-ups without VMX/SVM expose
 * one whose guests fail with internal errors.
 */
int kvm_usable(char *detail, size_t detaillen);

struct qemu_version {
	int major, minor, micro;
};

/* Run 'BIN --version' (bounded by a timeout); 0 or -1 with a reason. */
int qemu_version_of(const char *bin, struct qemu_version *v, char *err, size_t errlen);
/* Parse "X.Y[.Z]"; 0 or -1. */
int qemu_version_parse(const char *s, struct qemu_version *v);
int qemu_version_cmp(const struct qemu_version *a, const struct qemu_version *b);

/* The QEMU binary used when none is given: $CVMIO_QEMU, else qemu-system-x86_64 on PATH. */
const char *qemu_default_binary(void);

/*
 * For a mode that needs QEMU >= need (qemu_select.c): 0 when system_qemu
 * is new enough; else 1 with out the lowest-versioned private QEMU that is
 * (build/deps/qemu-N/ of the source tree, PREFIX/lib/cvmio/qemu-N/), out
 * empty when there is none.
 */
int qemu_select(const char *system_qemu, const struct qemu_version *need, char *out, size_t outlen);
/* bin as an absolute path (looked up in PATH when it has no '/'); 0 or -1. */
int qemu_absolute_path(const char *bin, char *out, size_t outlen);

#endif
