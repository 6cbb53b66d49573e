// SPDX-License-Identifier: GPL-2.0-only
/* cvmio check: gathering and printing the Intel TDX facts (decoding: check_tdx_decode.c). */
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_facts.h"
#include "check_tdx.h"
#include "cvmio.h"
#include "proc.h"

static char *read_rooted(const char *root, const char *path)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s", root, path);
	return cvmio_read_file(full);
}

void tdx_guest_gather(const char *root, const char *mem_encrypt_line, int kmsg_known,
		      int kmsg_complete, struct tdx_guest_facts *t)
{
	char path[4096], *cpuinfo;

	memset(t, 0, sizeof(*t));
	t->cpuid_tdx = t->kernel_line = t->cpu_flag = TRI_UNKNOWN;
	if (!root[0]) {
		unsigned int eax, ebx, ecx, edx;

		/* CPUID with an out-of-range leaf returns another leaf's data, never this string */
		__cpuid_count(TDX_CPUID_LEAF, 0, eax, ebx, ecx, edx);
		(void)eax;
		t->cpuid_known = 1;
		t->cpuid_tdx = decode_cpuid_21(ebx, ecx, edx, t->cpuid_21_vendor);
	}
	if (mem_encrypt_line && mem_encrypt_line[0])
		t->kernel_line = mem_encrypt_line_is_tdx(mem_encrypt_line) == 1;
	else if (kmsg_known && kmsg_complete)
		t->kernel_line = 0;   /* the whole boot log, and no such line */
	snprintf(path, sizeof(path), "%s/dev/tdx_guest", root);
	t->dev_tdx_guest = access(path, F_OK) == 0;
	cpuinfo = read_rooted(root, "/proc/cpuinfo");
	if (cpuinfo)
		t->cpu_flag = cpuinfo_has_flag(cpuinfo, "tdx_guest");
	free(cpuinfo);
}

bool tdx_guest_facts_confirmed(const struct tdx_guest_facts *t)
{
	struct tdx_guest_in in = {
		.cpuid_tdx = t->cpuid_tdx, .kernel_line = t->kernel_line, .cpu_flag = t->cpu_flag,
	};

	return tdx_guest_confirmed(&in);
}

json_object *tdx_guest_json(const struct tdx_guest_facts *t)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "cpuid_21_vendor", t->cpuid_known ?
			       json_object_new_string(t->cpuid_21_vendor) : NULL);
	json_object_object_add(o, "cpuid_tdx", json_tri(t->cpuid_tdx));
	json_object_object_add(o, "kernel_line", json_tri(t->kernel_line));
	json_object_object_add(o, "dev_tdx_guest", json_object_new_boolean(t->dev_tdx_guest));
	json_object_object_add(o, "cpu_flag_tdx_guest", json_tri(t->cpu_flag));
	return o;
}

void tdx_guest_text(const struct tdx_guest_facts *t)
{
	if (t->cpuid_known)
		printf("  %-22s \"%s\" (%s)\n", "TDX CPUID 0x21", t->cpuid_21_vendor,
		       t->cpuid_tdx ? "a trust domain" : "not TDX");
	else
		printf("  %-22s unknown (not the live system)\n", "TDX CPUID 0x21");
	printf("  %-22s kernel line %s, tdx_guest flag %s, /dev/tdx_guest %s\n", "TDX",
	       tri_word(t->kernel_line), tri_word(t->cpu_flag), t->dev_tdx_guest ? "yes" : "no");
}

static int kvm_intel_param(const char *name)
{
	char path[256], *text;
	int v;

	snprintf(path, sizeof(path), "/sys/module/kvm_intel/parameters/%s", name);
	text = cvmio_read_file(path);
	v = module_param_bool(text);
	free(text);
	return v;
}

/* Does 'QEMU -object help' list tdx-guest?  (A build may lack it whatever its version.) */
static int qemu_lists_tdx_guest(const char *qemu, char *detail, size_t len)
{
	char *argv[] = { (char *)qemu, "-object", "help", NULL };
	char *out = proc_output(argv, 20);
	int has;

	if (!out) {
		snprintf(detail, len, "'%s -object help' failed", qemu);
		return TRI_UNKNOWN;
	}
	has = strstr(out, "\n  tdx-guest\n") != NULL;
	snprintf(detail, len, "'%s -object help' %s tdx-guest", qemu, has ? "lists" : "does not list");
	free(out);
	return has;
}

void tdx_host_gather(const char *vendor, const char *qemu, struct tdx_host_facts *t)
{
	memset(t, 0, sizeof(*t));
	t->intel = !strcmp(vendor, "GenuineIntel");
	t->kvm_intel_loaded = access("/sys/module/kvm_intel", F_OK) == 0;
	t->kvm_intel_tdx = kvm_intel_param("tdx");
	t->qemu_has_tdx_guest = qemu_lists_tdx_guest(qemu, t->qemu_detail, sizeof(t->qemu_detail));
}

bool tdx_host_facts_confirmed(const struct tdx_host_facts *t, int kvm_usable, int qemu_supports_tdx)
{
	struct tdx_host_in in = {
		.intel = t->intel, .kvm_usable = kvm_usable, .kvm_intel_tdx = t->kvm_intel_tdx,
		.qemu_supports_tdx = qemu_supports_tdx, .qemu_has_tdx_guest = t->qemu_has_tdx_guest,
	};

	return tdx_host_confirmed(&in);
}

json_object *tdx_host_json(const struct tdx_host_facts *t)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "intel_cpu", json_object_new_boolean(t->intel));
	json_object_object_add(o, "kvm_intel_loaded", json_object_new_boolean(t->kvm_intel_loaded));
	json_object_object_add(o, "kvm_intel_tdx", json_tri(t->kvm_intel_tdx));
	json_object_object_add(o, "qemu_tdx_guest", json_tri(t->qemu_has_tdx_guest));
	return o;
}

void tdx_host_text(const struct tdx_host_facts *t)
{
	printf("  %-24s Intel CPU %s, kvm_intel %s, kvm_intel tdx %s\n", "TDX",
	       t->intel ? "yes" : "no", t->kvm_intel_loaded ? "loaded" : "not loaded",
	       tri_word(t->kvm_intel_tdx));
	printf("  %-24s %s\n", "QEMU tdx-guest", t->qemu_detail);
}
