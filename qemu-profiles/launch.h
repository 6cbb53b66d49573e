/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SEV/SNP launch options of the composer: measured direct boot
 * (kernel-hashes=on), IGVM instead of -bios, and the SNP attestation inputs
 * (id-block, id-auth, host-data, author-key-enabled) passed through to
 * QEMU's sev-snp-guest object.
 */
#ifndef CVMIO_LAUNCH_H
#define CVMIO_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct qemu_plan;

/*
 * The SNP identity inputs' sizes in the SNP firmware ABI (SNP_LAUNCH_FINISH),
 * which QEMU's sev-snp-guest takes base64-encoded.
 */
#define SNP_ID_BLOCK_BYTES 96
#define SNP_ID_AUTH_BYTES 4096
#define SNP_HOST_DATA_BYTES 32

/*
 * Which guests take which launch options, by the protection they must show
 * (a mode profile's confirms=): kernel-hashes and IGVM are for SEV, SEV-ES
 * and SEV-SNP guests, the identity inputs for SEV-SNP ones.
 */
static inline bool launch_takes_sev_boot(const char *protection)
{
	return !strcmp(protection, "sev") || !strcmp(protection, "sev-es") || !strcmp(protection, "sev-snp");
}

static inline bool launch_takes_snp_identity(const char *protection)
{
	return !strcmp(protection, "sev-snp");
}

/*
 * Does the firmware image at path publish an SEV hashes table, the area QEMU
 * fills with the kernel, initrd and command-line hashes for kernel-hashes=on?
 * OVMF's footer table (the last 4 KiB, entries as [data][u16 length][GUID],
 * QEMU's pc_system_ovmf_table_find()) then holds SEV_HASH_TABLE_RV_GUID
 * 7255371f-3a3b-4b04-927b-1da6efa8d454 with a non-zero base and size: only
 * AmdSev builds (OVMF.amdsev.fd) do; OvmfPkgX64 has the entry with zeros.
 * 1 yes, 0 no (detail says why), -1 unreadable.
 */
int firmware_has_sev_hashes(const char *path, char *detail, size_t len);

/* Resolve the launch options of plan (after the boot and version checks). 0, or -1 with err. */
int launch_resolve(struct qemu_plan *plan, char *err, size_t errlen);

#endif
