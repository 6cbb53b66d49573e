/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmio check: pure decoding of what the host and the guest report (CPUID,
 * MSR, sysfs and procfs strings) and the verdicts drawn from it.  No I/O
 * here, so every rule is unit-tested on recorded values.
 *
 * Tri-state facts: 1 true, 0 false, TRI_UNKNOWN when the source is missing
 * (printed as null, never as false).
 */
#ifndef CVMIO_CHECK_DECODE_H
#define CVMIO_CHECK_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#define TRI_UNKNOWN (-1)

/* CPUID Fn8000_001F (AMD APM vol. 3, "Encrypted Memory Capabilities"). */
struct cpuid_sev {
	int leaf_present;          /* max extended leaf >= 0x8000001F */
	int sme, sev, page_flush_msr, sev_es, sev_snp, vmpl;  /* EAX bits 0..5 */
	int cbitpos;               /* EBX[5:0], -1 unknown */
	int reduced_phys_bits;     /* EBX[11:6], -1 unknown */
	int num_vmpls;             /* EBX[15:12], -1 unknown */
	int64_t max_encrypted_guests;   /* ECX, -1 unknown */
	int64_t min_sev_asid;      /* EDX: lowest ASID of an SEV (non-ES) guest, -1 unknown */
};
void decode_cpuid_8000001f(uint32_t max_ext_leaf, uint32_t eax, uint32_t ebx, uint32_t ecx,
			   uint32_t edx, struct cpuid_sev *out);

/* SEV_STATUS MSR 0xC0010131 (AMD APM vol. 2, "SEV_STATUS MSR"). */
#define SEV_STATUS_MSR 0xc0010131u
struct sev_status_bit {
	int bit;
	const char *name;
};
extern const struct sev_status_bit sev_status_bits[];
extern const int n_sev_status_bits;
/* sev, sev_es, sev_snp from bits 0, 1, 2. */
void decode_sev_status(uint64_t msr, int *sev, int *sev_es, int *sev_snp);

/* "0/1" feature string from /sys/bus/virtio/devices/X/features: bit i at position i. */
int virtio_feature_bit(const char *features, int bit);
#define VIRTIO_F_ACCESS_PLATFORM 33

/* swiotlb=force on a kernel command line (swiotlb=[N[,M],]force|noforce; the last one wins). */
int cmdline_swiotlb_force(const char *cmdline);

/*
 * A kernel log message "Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP"
 * (arch/x86/mm/mem_encrypt.c).  Returns 1 and sets the flags when msg is that line.
 */
int parse_mem_encrypt_line(const char *msg, int *sme, int *sev, int *sev_es, int *sev_snp);

/* Mode verdicts; confirms[] in the order of check_modes[]. */
#define N_CHECK_MODES 6
extern const char *const check_modes[N_CHECK_MODES];   /* plain bounce sev sev-es sev-snp tdx */
#define CHECK_MODE_TDX 5   /* decided by the TDX facts (check_tdx.c), false here */
int check_mode_index(const char *mode);

struct guest_verdict_in {
	int sev, sev_es, sev_snp;         /* tri */
	int swiotlb_force;                /* tri */
	int n_virtio;                     /* -1 unknown */
	int n_virtio_access_platform;     /* of those, with ACCESS_PLATFORM */
};
void guest_confirms(const struct guest_verdict_in *in, bool confirms[N_CHECK_MODES]);

struct host_verdict_in {
	int qemu_runs;                    /* QEMU found and its version known */
	int kvm_usable;
	struct cpuid_sev cpu;
	int kvm_amd_sev, kvm_amd_sev_es, kvm_amd_sev_snp;   /* tri */
	int dev_sev;
	int qemu_supports[N_CHECK_MODES]; /* QEMU new enough for the mode (profiles' min_qemu) */
};
void host_confirms(const struct host_verdict_in *in, bool confirms[N_CHECK_MODES]);

#endif
