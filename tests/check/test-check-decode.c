// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio check's decoders on recorded values.  Bit layouts from AMD's APM:
 * CPUID Fn8000_001F (vol. 3, appendix E.4.17) and SEV_STATUS MSR C001_0131
 * (vol. 2, 15.34.10).  "This host" values were recorded on the development
 * machine (Intel Xeon VM: maximum extended leaf 0x80000008, no Fn8000_001F).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check_decode.h"

static void cpuid_leaf_absent(void **state)
{
	struct cpuid_sev c;

	(void)state;
	decode_cpuid_8000001f(0x80000008, 0, 0, 0, 0, &c);   /* recorded on this host */
	assert_int_equal(c.leaf_present, 0);
	assert_int_equal(c.sev, 0);
	assert_int_equal(c.sev_snp, 0);
	assert_int_equal(c.cbitpos, -1);
	assert_int_equal(c.max_encrypted_guests, -1);
}

static void cpuid_snp_host(void **state)
{
	struct cpuid_sev c;

	(void)state;
	/*
	 * An SNP-capable EPYC as the APM lays it out: EAX bits 0-5 (SME, SEV,
	 * PageFlushMsr, SEV-ES, SEV-SNP, VMPL) set; EBX = C-bit 51 | reduction 1 << 6 |
	 * 4 VMPLs << 12; ECX 509 guests; EDX min SEV ASID 100.
	 */
	decode_cpuid_8000001f(0x80000028, 0x0001003f, 51 | (1 << 6) | (4 << 12), 509, 100, &c);
	assert_int_equal(c.leaf_present, 1);
	assert_int_equal(c.sme, 1);
	assert_int_equal(c.sev, 1);
	assert_int_equal(c.page_flush_msr, 1);
	assert_int_equal(c.sev_es, 1);
	assert_int_equal(c.sev_snp, 1);
	assert_int_equal(c.vmpl, 1);
	assert_int_equal(c.cbitpos, 51);
	assert_int_equal(c.reduced_phys_bits, 1);
	assert_int_equal(c.num_vmpls, 4);
	assert_int_equal(c.max_encrypted_guests, 509);
	assert_int_equal(c.min_sev_asid, 100);
}

static void cpuid_sev_only(void **state)
{
	struct cpuid_sev c;

	(void)state;
	/* A first-generation EPYC: SME and SEV only, C-bit 47, reduction 5. */
	decode_cpuid_8000001f(0x8000001f, 0x00000003, 47 | (5 << 6), 15, 1, &c);
	assert_int_equal(c.sev, 1);
	assert_int_equal(c.sev_es, 0);
	assert_int_equal(c.sev_snp, 0);
	assert_int_equal(c.cbitpos, 47);
	assert_int_equal(c.reduced_phys_bits, 5);
	assert_int_equal(c.num_vmpls, -1);
	assert_int_equal(c.max_encrypted_guests, 15);
}

static void sev_status_values(void **state)
{
	int sev, es, snp;

	(void)state;
	decode_sev_status(0x0, &sev, &es, &snp);
	assert_true(sev == 0 && es == 0 && snp == 0);
	decode_sev_status(0x1, &sev, &es, &snp);
	assert_true(sev == 1 && es == 0 && snp == 0);
	decode_sev_status(0x3, &sev, &es, &snp);
	assert_true(sev == 1 && es == 1 && snp == 0);
	/* SNP guest with ReflectVC off, DebugSwap (7) and SMT protection (17) */
	decode_sev_status(0x20087, &sev, &es, &snp);
	assert_true(sev == 1 && es == 1 && snp == 1);
	assert_int_equal(sev_status_bits[2].bit, 2);
	assert_string_equal(sev_status_bits[2].name, "SEV-SNP");
}

static void virtio_features(void **state)
{
	/* recorded: a virtio-blk with ACCESS_PLATFORM (bit 33) and VERSION_1 (bit 32) */
	const char *bounce = "0010111001101110000000000000000011100000000000000000000000000000\n";
	const char *plain = "0010111001101110000000000000000010100000000000000000000000000000\n";

	(void)state;
	assert_int_equal(virtio_feature_bit(bounce, VIRTIO_F_ACCESS_PLATFORM), 1);
	assert_int_equal(virtio_feature_bit(plain, VIRTIO_F_ACCESS_PLATFORM), 0);
	assert_int_equal(virtio_feature_bit(plain, 32), 1);
	assert_int_equal(virtio_feature_bit("0101", VIRTIO_F_ACCESS_PLATFORM), 0);
	assert_int_equal(virtio_feature_bit("", 33), TRI_UNKNOWN);
	assert_int_equal(virtio_feature_bit("01x1", 1), TRI_UNKNOWN);
}

static void swiotlb_cmdline(void **state)
{
	(void)state;
	assert_int_equal(cmdline_swiotlb_force("console=ttyS0 swiotlb=force"), 1);
	assert_int_equal(cmdline_swiotlb_force("swiotlb=65536,force quiet"), 1);
	assert_int_equal(cmdline_swiotlb_force("swiotlb=noforce"), 0);
	assert_int_equal(cmdline_swiotlb_force("swiotlb=force swiotlb=noforce"), 0);
	assert_int_equal(cmdline_swiotlb_force("xswiotlb=force"), 0);
	assert_int_equal(cmdline_swiotlb_force("swiotlb=forced"), 0);
	assert_int_equal(cmdline_swiotlb_force("quiet"), 0);
}

static void mem_encrypt_line(void **state)
{
	int sme, sev, es, snp;

	(void)state;
	assert_int_equal(parse_mem_encrypt_line("Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP",
						&sme, &sev, &es, &snp), 1);
	assert_true(sme == 0 && sev == 1 && es == 1 && snp == 1);
	assert_int_equal(parse_mem_encrypt_line("Memory Encryption Features active: AMD SEV",
						&sme, &sev, &es, &snp), 1);
	assert_true(sev == 1 && es == 0 && snp == 0);
	assert_int_equal(parse_mem_encrypt_line("Memory Encryption Features active: AMD SME",
						&sme, &sev, &es, &snp), 1);
	assert_true(sme == 1 && sev == 0);
	assert_int_equal(parse_mem_encrypt_line("Linux version 6.1.0", &sme, &sev, &es, &snp), 0);
}

static void guest_verdicts(void **state)
{
	bool c[N_CHECK_MODES];
	struct guest_verdict_in plain = { 0, 0, 0, 0, 2, 0 };
	struct guest_verdict_in bounce = { 0, 0, 0, 1, 2, 2 };
	struct guest_verdict_in half = { 0, 0, 0, 1, 2, 1 };
	struct guest_verdict_in snp = { 1, 1, 1, 0, 2, 2 };
	struct guest_verdict_in es = { 1, 1, 0, 0, 2, 2 };
	struct guest_verdict_in unknown = { TRI_UNKNOWN, TRI_UNKNOWN, TRI_UNKNOWN, 0, 2, 0 };

	(void)state;
	guest_confirms(&plain, c);
	assert_true(c[0] && !c[1] && !c[2] && !c[3] && !c[4]);
	guest_confirms(&bounce, c);
	assert_true(!c[0] && c[1]);
	guest_confirms(&half, c);   /* one device without ACCESS_PLATFORM: not bouncing everything */
	assert_true(!c[0] && !c[1]);
	guest_confirms(&snp, c);
	assert_true(!c[0] && !c[1] && !c[2] && !c[3] && c[4]);
	guest_confirms(&es, c);
	assert_true(!c[2] && c[3] && !c[4]);
	guest_confirms(&unknown, c);   /* encryption unknown confirms nothing */
	for (int i = 0; i < N_CHECK_MODES; i++)
		assert_false(c[i]);
	assert_int_equal(check_mode_index("sev-es"), 3);
	assert_int_equal(check_mode_index("tdx"), CHECK_MODE_TDX);   /* decided by check_tdx.c */
	assert_false(c[CHECK_MODE_TDX]);
	assert_int_equal(check_mode_index("sev-snp-2023"), -1);
}

static void host_verdicts(void **state)
{
	bool c[N_CHECK_MODES];
	struct host_verdict_in in = { .qemu_runs = 1, .kvm_usable = 0,
		.qemu_supports = { 1, 1, 1, 1, 0 } };

	(void)state;
	/* this host: no usable KVM, no SEV, QEMU 7.2 */
	decode_cpuid_8000001f(0x80000008, 0, 0, 0, 0, &in.cpu);
	in.kvm_amd_sev = in.kvm_amd_sev_es = in.kvm_amd_sev_snp = TRI_UNKNOWN;
	host_confirms(&in, c);
	assert_true(c[0] && c[1] && !c[2] && !c[3] && !c[4]);
	/* an SNP host with QEMU 10 */
	decode_cpuid_8000001f(0x80000028, 0x3f, 51 | (1 << 6), 509, 100, &in.cpu);
	in.kvm_usable = in.dev_sev = 1;
	in.kvm_amd_sev = in.kvm_amd_sev_es = in.kvm_amd_sev_snp = 1;
	in.qemu_supports[4] = 1;
	host_confirms(&in, c);
	assert_true(c[2] && c[3] && c[4]);
	in.kvm_amd_sev_snp = 0;   /* kvm_amd loaded with sev_snp=N */
	host_confirms(&in, c);
	assert_true(c[2] && c[3] && !c[4]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpuid_leaf_absent), cmocka_unit_test(cpuid_snp_host),
		cmocka_unit_test(cpuid_sev_only), cmocka_unit_test(sev_status_values),
		cmocka_unit_test(virtio_features), cmocka_unit_test(swiotlb_cmdline),
		cmocka_unit_test(mem_encrypt_line), cmocka_unit_test(guest_verdicts),
		cmocka_unit_test(host_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
