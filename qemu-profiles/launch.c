// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV/SNP launch options (see launch.h): which firmware a measured direct
 * boot uses, whether the guest object gets kernel-hashes=on, IGVM, and the
 * SNP identity inputs, all validated before QEMU sees them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "compose_int.h"
#include "launch.h"

/* SEV_HASH_TABLE_RV_GUID 7255371f-3a3b-4b04-927b-1da6efa8d454 as stored (mixed-endian GUID). */
static const unsigned char sev_hash_table_guid[16] = {
	0x1f, 0x37, 0x55, 0x72, 0x3b, 0x3a, 0x04, 0x4b,
	0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54,
};

static unsigned int le32(const unsigned char *p)
{
	return (unsigned int)p[0] | (unsigned int)p[1] << 8 | (unsigned int)p[2] << 16 |
		(unsigned int)p[3] << 24;
}

int firmware_has_sev_hashes(const char *path, char *detail, size_t len)
{
	unsigned char tail[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f || fseek(f, 0, SEEK_END) < 0) {
		snprintf(detail, len, "%s: not readable", path);
		if (f)
			fclose(f);
		return -1;
	}
	n = ftell(f) < (long)sizeof(tail) ? (size_t)ftell(f) : sizeof(tail);
	if (fseek(f, -(long)n, SEEK_END) < 0 || fread(tail, 1, n, f) != n) {
		fclose(f);
		snprintf(detail, len, "%s: not readable", path);
		return -1;
	}
	fclose(f);
	for (size_t i = 2 + 8; i + 16 <= n; i++) {
		unsigned int base, size;

		if (memcmp(tail + i, sev_hash_table_guid, 16))
			continue;
		/* entry: [base u32][size u32][length u16][GUID] */
		base = le32(tail + i - 2 - 8);
		size = le32(tail + i - 2 - 4);
		if (base && size) {
			snprintf(detail, len, "%s: SEV hashes table at 0x%x (%u bytes)", path, base, size);
			return 1;
		}
		snprintf(detail, len, "%s has an empty SEV hashes table entry (not an AmdSev build)",
			 path);
		return 0;
	}
	snprintf(detail, len, "%s has no SEV hashes table (not an AmdSev build)", path);
	return 0;
}

static bool mode_creates(const struct qemu_plan *plan, const char *object)
{
	for (size_t i = 0; i < plan->mode.n; i++)
		if (!strcmp(plan->mode.entries[i].section, "args") &&
		    strstr(plan->mode.entries[i].value, object))
			return true;
	return false;
}

static int resolve_snp_identity(struct qemu_plan *plan, char *err, size_t errlen)
{
	const struct qemu_request *req = plan->req;
	size_t used = strlen(plan->launch_opts);

	if (!req->id_block && !req->id_auth && !req->host_data && !req->author_key_enabled)
		return 0;
	if (!mode_creates(plan, "sev-snp-guest,")) {
		snprintf(err, errlen, "--id-block, --id-auth, --host-data and --author-key-enabled "
			 "are SEV-SNP inputs; mode %s has no sev-snp-guest", req->mode);
		return -1;
	}
	if ((req->id_block && base64_check_size("--id-block", req->id_block, SNP_ID_BLOCK_BYTES, err, errlen)) ||
	    (req->id_auth && base64_check_size("--id-auth", req->id_auth, SNP_ID_AUTH_BYTES, err, errlen)) ||
	    (req->host_data && base64_check_size("--host-data", req->host_data, SNP_HOST_DATA_BYTES, err, errlen)))
		return -1;
	if (!req->id_block != !req->id_auth) {
		snprintf(err, errlen, "--%s needs --%s (the ID block is signed by the ID key in the "
			 "authentication structure)", req->id_block ? "id-block" : "id-auth",
			 req->id_block ? "id-auth" : "id-block");
		return -1;
	}
	if (req->author_key_enabled && !req->id_auth) {
		snprintf(err, errlen, "--author-key-enabled needs --id-auth (which carries the author key)");
		return -1;
	}
	if (req->id_block)
		used += (size_t)snprintf(plan->launch_opts + used, sizeof(plan->launch_opts) - used,
					 ",id-block=%s,id-auth=%s", req->id_block, req->id_auth);
	if (req->host_data)
		used += (size_t)snprintf(plan->launch_opts + used, sizeof(plan->launch_opts) - used,
					 ",host-data=%s", req->host_data);
	if (req->author_key_enabled)
		snprintf(plan->launch_opts + used, sizeof(plan->launch_opts) - used,
			 ",author-key-enabled=on");
	return 0;
}

/*
 * kernel-hashes: explicit on/off, else (auto) on exactly when the firmware or
 * IGVM image at hand has an SEV hashes table; auto prefers the mode's
 * measured_firmware (an AmdSev OVMF) when this host has it and no firmware
 * was asked for.
 */
static int resolve_kernel_hashes(struct qemu_plan *plan, char *err, size_t errlen)
{
	const struct qemu_request *req = plan->req;
	const char *measured = profile_get(&plan->mode, "mode", "measured_firmware");
	const char *kh = req->kernel_hashes, *image;
	char detail[512];
	int has;

	if (kh && strcmp(kh, "on") && strcmp(kh, "off") && strcmp(kh, "auto")) {
		snprintf(err, errlen, "--kernel-hashes %s: expected on, off or auto", kh);
		return -1;
	}
	if (kh && !strcmp(kh, "on") && (!measured || !req->kernel)) {
		snprintf(err, errlen, "--kernel-hashes on needs --kernel and a mode with measured "
			 "direct boot (measured_firmware in its profile; %s has %s)", req->mode,
			 measured ? "it" : "none");
		return -1;
	}
	if (!measured || !req->kernel || (kh && !strcmp(kh, "off")))
		return 0;
	if (!req->firmware && !req->igvm && measured[0] && access(measured, R_OK) == 0)
		plan->firmware = measured;
	if (kh && !strcmp(kh, "on")) {
		plan->kernel_hashes = true;
		return 0;
	}
	image = req->igvm ? req->igvm : plan->firmware;
	has = image ? firmware_has_sev_hashes(image, detail, sizeof(detail)) : -1;
	if (!image)
		snprintf(detail, sizeof(detail), "no firmware");
	plan->kernel_hashes = has == 1;
	if (has != 1)
		snprintf(plan->launch_note, sizeof(plan->launch_note), "measured direct boot off: %s; "
			 "the kernel, initrd and command line are not in the launch measurement "
			 "(an AmdSev OVMF such as %s can; --kernel-hashes on|off, in a study "
			 "kernel_hashes=, decides)", detail, measured);
	return 0;
}

static int resolve_igvm(struct qemu_plan *plan, char *err, size_t errlen)
{
	struct qemu_version ten = { 10, 0, 0 };

	if (!plan->req->igvm)
		return 0;
	/* QEMU's IGVM loader handles SEV, SEV-ES and SEV-SNP guests (docs/system/igvm.rst) */
	if (!mode_creates(plan, "sev-guest,") && !mode_creates(plan, "sev-snp-guest,")) {
		snprintf(err, errlen, "--igvm: mode %s has no sev-guest or sev-snp-guest",
			 plan->req->mode);
		return -1;
	}
	if (qemu_version_cmp(&plan->qemu_version, &ten) < 0) {
		snprintf(err, errlen, "--igvm needs QEMU >= 10.0 (igvm-cfg); %s here is %d.%d",
			 plan->qemu, plan->qemu_version.major, plan->qemu_version.minor);
		return -1;
	}
	if (plan->req->firmware) {
		snprintf(err, errlen, "--igvm and --firmware exclude each other (the IGVM file "
			 "carries the firmware)");
		return -1;
	}
	return 0;
}

int launch_resolve(struct qemu_plan *plan, char *err, size_t errlen)
{
	plan->launch_opts[0] = '\0';
	if (resolve_igvm(plan, err, errlen) < 0 || resolve_kernel_hashes(plan, err, errlen) < 0)
		return -1;
	if (plan->kernel_hashes)
		snprintf(plan->launch_opts, sizeof(plan->launch_opts), ",kernel-hashes=on");
	return resolve_snp_identity(plan, err, errlen);
}
