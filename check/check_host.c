// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio check --host: can this host run confidential guests?  CPUID
 * 0x8000001F, kvm_amd's sev parameters, /dev/sev, whether KVM really runs a
 * vCPU, and which modes the QEMU here is new enough for.
 */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check_facts.h"
#include "host_probe.h"
#include "profile.h"

/* kvm_amd parameter: "Y"/"1" true, "N"/"0" false, missing unknown. */
static int kvm_amd_param(const char *name)
{
	char path[128], buf[16] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/kvm_amd/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return TRI_UNKNOWN;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	if (buf[0] == 'Y' || buf[0] == '1')
		return 1;
	if (buf[0] == 'N' || buf[0] == '0')
		return 0;
	return TRI_UNKNOWN;
}

static void gather_cpuid(struct host_facts *h)
{
	unsigned int a, b, c, d;

	__cpuid(0, a, b, c, d);
	memcpy(h->vendor, &b, 4);
	memcpy(h->vendor + 4, &d, 4);
	memcpy(h->vendor + 8, &c, 4);
	h->vendor[12] = '\0';
	h->max_ext_leaf = __get_cpuid_max(0x80000000, NULL);
	if (h->max_ext_leaf >= 0x8000001f)
		__cpuid(0x8000001f, h->eax, h->ebx, h->ecx, h->edx);
	decode_cpuid_8000001f(h->max_ext_leaf, h->eax, h->ebx, h->ecx, h->edx, &h->cpu);
}

static void gather_qemu(const char *qemu, const char *profiles_dir, struct host_facts *h)
{
	struct qemu_version v, need;
	char dir[4096], err[512];

	snprintf(h->qemu, sizeof(h->qemu), "%s", qemu ? qemu : qemu_default_binary());
	for (int i = 0; i < N_CHECK_MODES; i++)
		h->qemu_supports[i] = TRI_UNKNOWN;
	if (qemu_version_of(h->qemu, &v, h->qemu_detail, sizeof(h->qemu_detail)) < 0)
		return;
	h->qemu_known = 1;
	h->qemu_major = v.major;
	h->qemu_minor = v.minor;
	h->qemu_micro = v.micro;
	if (profiles_dir_find(profiles_dir, dir, sizeof(dir), err, sizeof(err)) < 0) {
		snprintf(h->qemu_detail, sizeof(h->qemu_detail), "%s", err);
		return;
	}
	for (int i = 0; i < N_CHECK_MODES; i++) {
		struct profile p;
		const char *min;

		if (profile_load(dir, "modes", check_modes[i], &p, err, sizeof(err)) < 0)
			continue;
		min = profile_get(&p, "mode", "min_qemu");
		h->qemu_supports[i] = !min || (qemu_version_parse(min, &need) == 0 &&
					       qemu_version_cmp(&v, &need) >= 0);
		profile_free(&p);
	}
}

void host_facts_gather(const char *qemu, const char *profiles_dir, struct host_facts *h)
{
	memset(h, 0, sizeof(*h));
	gather_cpuid(h);
	h->kvm_amd_loaded = access("/sys/module/kvm_amd", F_OK) == 0;
	h->kvm_amd_sev = kvm_amd_param("sev");
	h->kvm_amd_sev_es = kvm_amd_param("sev_es");
	h->kvm_amd_sev_snp = kvm_amd_param("sev_snp");
	h->dev_sev = access("/dev/sev", F_OK) == 0;
	h->dev_kvm = access("/dev/kvm", F_OK) == 0;
	h->kvm_usable = kvm_usable(h->kvm_detail, sizeof(h->kvm_detail));
	gather_qemu(qemu, profiles_dir, h);
	tdx_host_gather(h->vendor, h->qemu, &h->tdx);
}

void host_facts_confirms(const struct host_facts *h, bool confirms[N_CHECK_MODES])
{
	struct host_verdict_in in = {
		.qemu_runs = h->qemu_known, .kvm_usable = h->kvm_usable, .cpu = h->cpu,
		.kvm_amd_sev = h->kvm_amd_sev, .kvm_amd_sev_es = h->kvm_amd_sev_es,
		.kvm_amd_sev_snp = h->kvm_amd_sev_snp, .dev_sev = h->dev_sev,
	};

	memcpy(in.qemu_supports, h->qemu_supports, sizeof(in.qemu_supports));
	host_confirms(&in, confirms);
	confirms[CHECK_MODE_TDX] = tdx_host_facts_confirmed(&h->tdx, h->kvm_usable,
							     h->qemu_supports[CHECK_MODE_TDX]);
}

static json_object *json_int_or_null(int64_t v)
{
	return v < 0 ? NULL : json_object_new_int64(v);
}

json_object *host_facts_json(const struct host_facts *h, const bool confirms[N_CHECK_MODES])
{
	json_object *o = json_object_new_object(), *leaf = NULL, *amd = json_object_new_object();
	json_object *q = json_object_new_object(), *modes = json_object_new_object();
	char buf[32];

	json_object_object_add(o, "cvmio_check", json_object_new_int(1));
	json_object_object_add(o, "scope", json_object_new_string("host"));
	json_object_object_add(o, "cpu_vendor", json_object_new_string(h->vendor));
	if (h->cpu.leaf_present) {
		leaf = json_object_new_object();
		snprintf(buf, sizeof(buf), "0x%08x", h->eax);
		json_object_object_add(leaf, "eax", json_object_new_string(buf));
		snprintf(buf, sizeof(buf), "0x%08x", h->ebx);
		json_object_object_add(leaf, "ebx", json_object_new_string(buf));
		snprintf(buf, sizeof(buf), "0x%08x", h->ecx);
		json_object_object_add(leaf, "ecx", json_object_new_string(buf));
		snprintf(buf, sizeof(buf), "0x%08x", h->edx);
		json_object_object_add(leaf, "edx", json_object_new_string(buf));
	}
	json_object_object_add(o, "cpuid_8000001f", leaf);
	json_object_object_add(o, "sme", json_object_new_boolean(h->cpu.sme));
	json_object_object_add(o, "sev", json_object_new_boolean(h->cpu.sev));
	json_object_object_add(o, "sev_es", json_object_new_boolean(h->cpu.sev_es));
	json_object_object_add(o, "sev_snp", json_object_new_boolean(h->cpu.sev_snp));
	json_object_object_add(o, "cbitpos", json_int_or_null(h->cpu.cbitpos));
	json_object_object_add(o, "reduced_phys_bits", json_int_or_null(h->cpu.reduced_phys_bits));
	json_object_object_add(o, "max_encrypted_guests", json_int_or_null(h->cpu.max_encrypted_guests));
	json_object_object_add(o, "min_sev_asid", json_int_or_null(h->cpu.min_sev_asid));
	json_object_object_add(amd, "loaded", json_object_new_boolean(h->kvm_amd_loaded));
	json_object_object_add(amd, "sev", json_tri(h->kvm_amd_sev));
	json_object_object_add(amd, "sev_es", json_tri(h->kvm_amd_sev_es));
	json_object_object_add(amd, "sev_snp", json_tri(h->kvm_amd_sev_snp));
	json_object_object_add(o, "kvm_amd", amd);
	json_object_object_add(o, "dev_sev", json_object_new_boolean(h->dev_sev));
	json_object_object_add(o, "dev_kvm", json_object_new_boolean(h->dev_kvm));
	json_object_object_add(o, "kvm_usable", json_object_new_boolean(h->kvm_usable));
	json_object_object_add(o, "kvm_detail", json_object_new_string(h->kvm_detail));
	json_object_object_add(q, "path", json_object_new_string(h->qemu));
	if (h->qemu_known) {
		snprintf(buf, sizeof(buf), "%d.%d.%d", h->qemu_major, h->qemu_minor, h->qemu_micro);
		json_object_object_add(q, "version", json_object_new_string(buf));
	} else {
		json_object_object_add(q, "version", NULL);
	}
	for (int i = 0; i < N_CHECK_MODES; i++)
		json_object_object_add(modes, check_modes[i], json_tri(h->qemu_supports[i]));
	json_object_object_add(q, "supports", modes);
	json_object_object_add(o, "qemu", q);
	json_object_object_add(o, "tdx", tdx_host_json(&h->tdx));
	json_object_object_add(o, "confirms", json_confirms(confirms));
	return o;
}

static void print_int(const char *label, int64_t v)
{
	if (v < 0)
		printf("  %-24s n/a\n", label);
	else
		printf("  %-24s %lld\n", label, (long long)v);
}

void host_facts_text(const struct host_facts *h, const bool confirms[N_CHECK_MODES])
{
	printf("host\n  %-24s %s\n", "CPU vendor", h->vendor);
	if (h->cpu.leaf_present)
		printf("  %-24s eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", "CPUID 0x8000001F",
		       h->eax, h->ebx, h->ecx, h->edx);
	else
		printf("  %-24s not present (max extended leaf 0x%08x)\n", "CPUID 0x8000001F",
		       h->max_ext_leaf);
	printf("  %-24s SME %s, SEV %s, SEV-ES %s, SEV-SNP %s\n", "CPU supports",
	       tri_word(h->cpu.sme), tri_word(h->cpu.sev), tri_word(h->cpu.sev_es),
	       tri_word(h->cpu.sev_snp));
	print_int("C-bit position", h->cpu.cbitpos);
	print_int("phys. address reduction", h->cpu.reduced_phys_bits);
	print_int("max encrypted guests", h->cpu.max_encrypted_guests);
	print_int("min SEV ASID", h->cpu.min_sev_asid);
	if (h->kvm_amd_loaded)
		printf("  %-24s sev %s, sev_es %s, sev_snp %s\n", "kvm_amd", tri_word(h->kvm_amd_sev),
		       tri_word(h->kvm_amd_sev_es), tri_word(h->kvm_amd_sev_snp));
	else
		printf("  %-24s not loaded\n", "kvm_amd");
	printf("  %-24s %s\n", "/dev/sev", h->dev_sev ? "present" : "absent");
	tdx_host_text(&h->tdx);
	printf("  %-24s %s (%s)\n", "KVM usable", h->kvm_usable ? "yes" : "no", h->kvm_detail);
	if (h->qemu_known)
		printf("  %-24s %d.%d.%d (%s)\n", "QEMU", h->qemu_major, h->qemu_minor, h->qemu_micro,
		       h->qemu);
	else
		printf("  %-24s unknown (%s)\n", "QEMU", h->qemu_detail);
	printf("  %-24s", "QEMU new enough for");
	for (int i = 0; i < N_CHECK_MODES; i++)
		printf(" %s=%s", check_modes[i], tri_word(h->qemu_supports[i]));
	printf("\nconfirms (this host can run):");
	for (int i = 0; i < N_CHECK_MODES; i++)
		printf(" %s=%s", check_modes[i], confirms[i] ? "yes" : "no");
	printf("\n");
}
