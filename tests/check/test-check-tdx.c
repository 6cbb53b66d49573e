// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio check's TDX decoders on recorded and documented values.
 * CPUID leaf 0x21: Intel's TDX Guest-Hypervisor Communication Interface
 * specification gives the vendor string "IntelTDX    " in EBX, EDX, ECX;
 * the register values below are that string's ASCII bytes, little-endian
 * ('I' 0x49 'n' 0x6e 't' 0x74 'e' 0x65 -> EBX 0x65746e49, "lTDX" -> EDX
 * 0x5844546c, four blanks -> ECX 0x20202020).  "This host": recorded on the
 * development machine (an Intel VM, max basic leaf 0xd: leaf 0x21 reads 0).
 * The kernel lines are the ones arch/x86/mm/mem_encrypt.c prints; the flags
 * line has /proc/cpuinfo's layout ("flags\t\t: a b c").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check_tdx_decode.h"

static void cpuid_21_trust_domain(void **state)
{
	char vendor[13];

	(void)state;
	assert_int_equal(decode_cpuid_21(0x65746e49, 0x20202020, 0x5844546c, vendor), 1);
	assert_string_equal(vendor, "IntelTDX    ");
}

static void cpuid_21_not_tdx(void **state)
{
	char vendor[13];

	(void)state;
	assert_int_equal(decode_cpuid_21(0, 0, 0, vendor), 0);   /* recorded on this host */
	assert_string_equal(vendor, "????????????");
	/* EDX and ECX swapped (leaf 0 order misread as EBX, ECX, EDX): not TDX */
	assert_int_equal(decode_cpuid_21(0x65746e49, 0x5844546c, 0x20202020, vendor), 0);
	assert_string_equal(vendor, "Inte    lTDX");
	/* a KVM guest's hypervisor-range-like string is not TDX either */
	assert_int_equal(decode_cpuid_21(0x4b4d564b, 0x564b4d56, 0x4d, vendor), 0);
}

static void kernel_lines(void **state)
{
	(void)state;
	assert_int_equal(mem_encrypt_line_is_tdx("Memory Encryption Features active: Intel TDX"), 1);
	assert_int_equal(mem_encrypt_line_is_tdx("[    0.000000] Memory Encryption Features active: "
						 "Intel TDX\n"), 1);
	assert_int_equal(mem_encrypt_line_is_tdx("Memory Encryption Features active: AMD SEV SEV-ES "
						 "SEV-SNP"), 0);
	assert_int_equal(mem_encrypt_line_is_tdx("Memory Encryption Features active: Intel TDXX"), 0);
	assert_int_equal(mem_encrypt_line_is_tdx("tdx: Guest detected"), -1);
	assert_int_equal(mem_encrypt_line_is_tdx(NULL), -1);
}

static void cpu_flags(void **state)
{
	static const char tdx[] = "processor\t: 0\nvendor_id\t: GenuineIntel\n"
		"flags\t\t: fpu vme tdx_guest x2apic\nbugs\t\t: spectre_v1\n";
	static const char plain[] = "processor\t: 0\nflags\t\t: fpu vme tdx_guest_x x2apic\n"
		"vmx flags\t: tdx_guest\n";
	static const char none[] = "processor\t: 0\nvendor_id\t: GenuineIntel\n";

	(void)state;
	assert_int_equal(cpuinfo_has_flag(tdx, "tdx_guest"), 1);
	assert_int_equal(cpuinfo_has_flag(tdx, "x2apic"), 1);
	/* a longer word and another "... flags" line do not count */
	assert_int_equal(cpuinfo_has_flag(plain, "tdx_guest"), 0);
	assert_int_equal(cpuinfo_has_flag(none, "tdx_guest"), -1);
}

static void module_params(void **state)
{
	(void)state;
	assert_int_equal(module_param_bool("Y\n"), 1);
	assert_int_equal(module_param_bool("1"), 1);
	assert_int_equal(module_param_bool("N\n"), 0);
	assert_int_equal(module_param_bool("0\n"), 0);
	assert_int_equal(module_param_bool("maybe"), -1);
	assert_int_equal(module_param_bool(NULL), -1);
}

static void guest_verdicts(void **state)
{
	struct tdx_guest_in live_td = { .cpuid_tdx = 1, .kernel_line = 1, .cpu_flag = 1 };
	struct tdx_guest_in recorded = { .cpuid_tdx = -1, .kernel_line = -1, .cpu_flag = 1 };
	struct tdx_guest_in contradicted = { .cpuid_tdx = 0, .kernel_line = 1, .cpu_flag = 1 };
	struct tdx_guest_in cpuid_only = { .cpuid_tdx = 1, .kernel_line = 0, .cpu_flag = 0 };
	struct tdx_guest_in unknown = { .cpuid_tdx = -1, .kernel_line = -1, .cpu_flag = -1 };
	struct tdx_guest_in amd_line = { .cpuid_tdx = -1, .kernel_line = 0, .cpu_flag = 1 };

	(void)state;
	assert_true(tdx_guest_confirmed(&live_td));
	assert_true(tdx_guest_confirmed(&recorded));
	assert_false(tdx_guest_confirmed(&contradicted));
	assert_false(tdx_guest_confirmed(&cpuid_only));   /* the kernel does not run as a TD */
	assert_false(tdx_guest_confirmed(&unknown));
	assert_false(tdx_guest_confirmed(&amd_line));   /* the log names AMD: contradicted */
}

static void host_verdicts(void **state)
{
	struct tdx_host_in ready = { .intel = true, .kvm_usable = 1, .kvm_intel_tdx = 1,
				     .qemu_supports_tdx = 1, .qemu_has_tdx_guest = 1 };
	struct tdx_host_in in;

	(void)state;
	assert_true(tdx_host_confirmed(&ready));
	in = ready;
	in.kvm_intel_tdx = 0;
	assert_false(tdx_host_confirmed(&in));
	in = ready;
	in.kvm_intel_tdx = -1;   /* kvm_intel not loaded: unknown confirms nothing */
	assert_false(tdx_host_confirmed(&in));
	in = ready;
	in.intel = false;
	assert_false(tdx_host_confirmed(&in));
	in = ready;
	in.qemu_has_tdx_guest = 0;   /* new enough, but built without TDX */
	assert_false(tdx_host_confirmed(&in));
	in = ready;
	in.qemu_supports_tdx = 0;
	assert_false(tdx_host_confirmed(&in));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpuid_21_trust_domain), cmocka_unit_test(cpuid_21_not_tdx),
		cmocka_unit_test(kernel_lines), cmocka_unit_test(cpu_flags),
		cmocka_unit_test(module_params), cmocka_unit_test(guest_verdicts),
		cmocka_unit_test(host_verdicts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
