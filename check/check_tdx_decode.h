/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmio check: pure decoding of the Intel TDX facts (no I/O, unit-tested on
 * recorded values).  Tri-state results as in check_decode.h.
 */
#ifndef CVMIO_CHECK_TDX_DECODE_H
#define CVMIO_CHECK_TDX_DECODE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * CPUID leaf 0x21, sub-leaf 0, inside a trust domain: the TDX module answers
 * with the vendor string "IntelTDX    " in EBX, EDX, ECX (in that order, as
 * leaf 0's vendor string; Intel TDX Guest-Hypervisor Communication Interface
 * spec, and Linux's tdx_early_init(), which compares the same 12 bytes).
 * Writes the 12 bytes as a string to vendor[13] (non-printable bytes as '?').
 * Returns 1 when they are "IntelTDX    ", else 0.
 */
#define TDX_CPUID_LEAF 0x21u
#define TDX_CPUID_VENDOR "IntelTDX    "
int decode_cpuid_21(uint32_t ebx, uint32_t ecx, uint32_t edx, char vendor[13]);

/*
 * The kernel's "Memory Encryption Features active: Intel TDX" message
 * (arch/x86/mm/mem_encrypt.c, print_mem_encrypt_feature_info()).  1 when msg
 * holds that line, 0 when it holds the line with something else (AMD ...),
 * -1 when it holds no such line.
 */
int mem_encrypt_line_is_tdx(const char *msg);

/*
 * Whether the first "flags" line of /proc/cpuinfo lists flag as a whole word
 * (e.g. tdx_guest, set by the kernel once CPUID 0x21 said TDX).  1 yes,
 * 0 no, -1 when the text has no flags line.
 */
int cpuinfo_has_flag(const char *cpuinfo, const char *flag);

/* A kernel module's bool parameter text: "Y"/"1" 1, "N"/"0" 0, anything else -1. */
int module_param_bool(const char *text);

struct tdx_guest_in {
	int cpuid_tdx;      /* tri: CPUID 0x21 says IntelTDX (unknown off the live system) */
	int kernel_line;    /* tri: the kernel log says "Intel TDX" */
	int cpu_flag;       /* tri: /proc/cpuinfo has tdx_guest */
};
/*
 * A TDX guest is confirmed when the kernel says it runs as one (its log line
 * or its tdx_guest flag, both set only after it checked CPUID 0x21) and no
 * source that could be read says otherwise (CPUID 0x21, the other of the two).
 */
bool tdx_guest_confirmed(const struct tdx_guest_in *in);

struct tdx_host_in {
	bool intel;             /* CPU vendor GenuineIntel */
	int kvm_usable;
	int kvm_intel_tdx;      /* tri: /sys/module/kvm_intel/parameters/tdx */
	int qemu_supports_tdx;  /* tri: QEMU new enough (tdx.ini's min_qemu) */
	int qemu_has_tdx_guest; /* tri: 'QEMU -object help' lists tdx-guest */
};
/* This host can run a TDX guest now: Intel, KVM usable, kvm_intel tdx=Y, a QEMU with tdx-guest. */
bool tdx_host_confirmed(const struct tdx_host_in *in);

#endif
