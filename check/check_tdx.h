/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmio check: the Intel TDX facts, in the guest (CPUID 0x21, the kernel's
 * "Intel TDX" line, /dev/tdx_guest, the tdx_guest CPU flag) and on the host
 * (an Intel CPU, kvm_intel's tdx parameter, a QEMU with tdx-guest).  The
 * "tdx" key of cvmio check --json (doc/interfaces.md).
 */
#ifndef CVMIO_CHECK_TDX_H
#define CVMIO_CHECK_TDX_H

#include <stdbool.h>

#include <json.h>

#include "check_tdx_decode.h"

struct tdx_guest_facts {
	int cpuid_known;          /* CPUID read (live system only) */
	char cpuid_21_vendor[13];
	int cpuid_tdx;            /* tri */
	int kernel_line;          /* tri */
	int dev_tdx_guest;        /* /dev/tdx_guest exists */
	int cpu_flag;             /* tri: tdx_guest in /proc/cpuinfo */
};

/*
 * root "" is the live system, else a folder with recorded proc/ and dev/
 * (CPUID is then unknown).  mem_encrypt_line, kmsg_known and kmsg_complete
 * come from the kernel log already read by check_guest.c.
 */
void tdx_guest_gather(const char *root, const char *mem_encrypt_line, int kmsg_known,
		      int kmsg_complete, struct tdx_guest_facts *t);
bool tdx_guest_facts_confirmed(const struct tdx_guest_facts *t);
json_object *tdx_guest_json(const struct tdx_guest_facts *t);
void tdx_guest_text(const struct tdx_guest_facts *t);

struct tdx_host_facts {
	bool intel;
	int kvm_intel_loaded;
	int kvm_intel_tdx;        /* tri */
	int qemu_has_tdx_guest;   /* tri */
	char qemu_detail[256];
};

void tdx_host_gather(const char *vendor, const char *qemu, struct tdx_host_facts *t);
bool tdx_host_facts_confirmed(const struct tdx_host_facts *t, int kvm_usable, int qemu_supports_tdx);
json_object *tdx_host_json(const struct tdx_host_facts *t);
void tdx_host_text(const struct tdx_host_facts *t);

#endif
