// SPDX-License-Identifier: GPL-2.0-only
/* cvmio check: pure decoders and verdicts (see check_decode.h). */
#include <string.h>

#include "check_decode.h"

void decode_cpuid_8000001f(uint32_t max_ext_leaf, uint32_t eax, uint32_t ebx, uint32_t ecx,
			   uint32_t edx, struct cpuid_sev *out)
{
	memset(out, 0, sizeof(*out));
	out->leaf_present = max_ext_leaf >= 0x8000001f;
	if (!out->leaf_present) {
		/* The CPU reports no encrypted-memory leaf: none of it is supported. */
		out->cbitpos = out->reduced_phys_bits = out->num_vmpls = -1;
		out->max_encrypted_guests = out->min_sev_asid = -1;
		return;
	}
	out->sme = eax & 1;
	out->sev = (eax >> 1) & 1;
	out->page_flush_msr = (eax >> 2) & 1;
	out->sev_es = (eax >> 3) & 1;
	out->sev_snp = (eax >> 4) & 1;
	out->vmpl = (eax >> 5) & 1;
	if (out->sme || out->sev) {
		out->cbitpos = (int)(ebx & 0x3f);
		out->reduced_phys_bits = (int)((ebx >> 6) & 0x3f);
	} else {
		out->cbitpos = out->reduced_phys_bits = -1;
	}
	out->num_vmpls = out->sev_snp ? (int)((ebx >> 12) & 0xf) : -1;
	out->max_encrypted_guests = out->sev ? (int64_t)ecx : -1;
	out->min_sev_asid = out->sev ? (int64_t)edx : -1;
}

const struct sev_status_bit sev_status_bits[] = {
	{ 0, "SEV" }, { 1, "SEV-ES" }, { 2, "SEV-SNP" }, { 3, "vTOM" },
	{ 4, "ReflectVC" }, { 5, "RestrictedInjection" }, { 6, "AlternateInjection" },
	{ 7, "DebugSwap" }, { 8, "PreventHostIBS" }, { 9, "BTBIsolation" },
	{ 10, "VmplSSS" }, { 11, "SecureTSC" }, { 12, "VmgexitParameter" },
	{ 14, "IbsVirtualization" }, { 16, "VmsaRegProt" }, { 17, "SmtProtection" },
};
const int n_sev_status_bits = sizeof(sev_status_bits) / sizeof(sev_status_bits[0]);

void decode_sev_status(uint64_t msr, int *sev, int *sev_es, int *sev_snp)
{
	*sev = (int)(msr & 1);
	*sev_es = (int)((msr >> 1) & 1);
	*sev_snp = (int)((msr >> 2) & 1);
}

int virtio_feature_bit(const char *features, int bit)
{
	size_t len = strcspn(features, "\n");

	if (bit < 0 || len == 0 || strspn(features, "01") != len)
		return TRI_UNKNOWN;
	/* The kernel prints every bit it knows; a shorter string has the bit clear. */
	return (size_t)bit < len && features[bit] == '1';
}

int cmdline_swiotlb_force(const char *cmdline)
{
	int force = 0;
	const char *p = cmdline;

	while ((p = strstr(p, "swiotlb="))) {
		const char *v = p + 8;
		size_t len = strcspn(v, " \t\n");

		/* only a whole parameter, not e.g. "xswiotlb=" */
		if (p == cmdline || p[-1] == ' ' || p[-1] == '\t') {
			force = 0;
			for (const char *t = v; t < v + len;) {
				size_t tl = strcspn(t, ",");

				if (tl > (size_t)(v + len - t))
					tl = (size_t)(v + len - t);
				if (tl == 5 && !strncmp(t, "force", 5))
					force = 1;
				else if (tl == 7 && !strncmp(t, "noforce", 7))
					force = 0;
				t += tl + 1;
			}
		}
		p = v + len;
	}
	return force;
}

int parse_mem_encrypt_line(const char *msg, int *sme, int *sev, int *sev_es, int *sev_snp)
{
	static const char head[] = "Memory Encryption Features active:";
	const char *p = strstr(msg, head);

	if (!p)
		return 0;
	*sme = *sev = *sev_es = *sev_snp = 0;
	p += sizeof(head) - 1;
	while (*p && *p != '\n') {
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t\n");
		if (len == 3 && !strncmp(p, "SME", 3))
			*sme = 1;
		else if (len == 3 && !strncmp(p, "SEV", 3))
			*sev = 1;
		else if (len == 6 && !strncmp(p, "SEV-ES", 6))
			*sev_es = 1;
		else if (len == 7 && !strncmp(p, "SEV-SNP", 7))
			*sev_snp = 1;
		p += len;
	}
	return 1;
}

const char *const check_modes[N_CHECK_MODES] = { "plain", "bounce", "sev", "sev-es", "sev-snp",
							     "tdx" };

int check_mode_index(const char *mode)
{
	for (int i = 0; i < N_CHECK_MODES; i++)
		if (!strcmp(check_modes[i], mode))
			return i;
	return -1;
}

/*
 * A mode is confirmed only when the facts prove it; unknown facts confirm nothing.
 * Modes are exclusive: an SEV-SNP guest confirms sev-snp, not sev or sev-es.
 */
void guest_confirms(const struct guest_verdict_in *in, bool c[N_CHECK_MODES])
{
	bool unencrypted = in->sev == 0;
	bool devs_known = in->n_virtio >= 0;

	c[0] = unencrypted && in->swiotlb_force == 0 && devs_known &&
		in->n_virtio_access_platform == 0;
	c[1] = unencrypted && in->swiotlb_force == 1 && devs_known && in->n_virtio > 0 &&
		in->n_virtio_access_platform == in->n_virtio;
	c[2] = in->sev == 1 && in->sev_es == 0 && in->sev_snp == 0;
	c[3] = in->sev == 1 && in->sev_es == 1 && in->sev_snp == 0;
	c[4] = in->sev == 1 && in->sev_es == 1 && in->sev_snp == 1;
	c[CHECK_MODE_TDX] = false;
}

/* On the host, "confirmed" means: this host can run the mode now. */
void host_confirms(const struct host_verdict_in *in, bool c[N_CHECK_MODES])
{
	bool sev_base = in->kvm_usable == 1 && in->dev_sev == 1 && in->cpu.sev == 1 &&
		in->kvm_amd_sev == 1;

	c[0] = in->qemu_runs == 1 && in->qemu_supports[0] == 1;
	c[1] = in->qemu_runs == 1 && in->qemu_supports[1] == 1;
	c[2] = sev_base && in->qemu_supports[2] == 1;
	c[3] = sev_base && in->cpu.sev_es == 1 && in->kvm_amd_sev_es == 1 && in->qemu_supports[3] == 1;
	c[4] = sev_base && in->cpu.sev_es == 1 && in->cpu.sev_snp == 1 && in->kvm_amd_sev_snp == 1 &&
		in->qemu_supports[4] == 1;
	c[CHECK_MODE_TDX] = false;
}
