/* SPDX-License-Identifier: GPL-2.0-only */
/* cvmio check: gathering host and guest facts (the I/O side of check_decode). */
#ifndef CVMIO_CHECK_FACTS_H
#define CVMIO_CHECK_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include <json.h>

#include "check_decode.h"
#include "check_counters.h"
#include "check_tdx.h"

#define MAX_VIRTIO_DEVS 64

struct virtio_dev {
	char name[32];         /* virtio0 */
	int device_id;         /* 1 net, 2 block, 8 scsi, ...; -1 unknown */
	int access_platform;   /* tri */
};

struct guest_facts {
	int msr_known;
	uint64_t sev_status;
	char msr_detail[4352];
	int sev, sev_es, sev_snp;          /* tri, from the MSR, else the kernel log */
	int kmsg_known;                    /* kernel log readable */
	int kmsg_complete;                 /* it still holds the boot messages */
	char mem_encrypt_line[256];        /* "" when not found */
	int n_virtio;                      /* -1 unknown (no /sys/bus/virtio) */
	struct virtio_dev virtio[MAX_VIRTIO_DEVS];
	int swiotlb_force;                 /* tri */
	int64_t io_tlb_used, io_tlb_used_hiwater, io_tlb_nslabs;  /* -1 unknown */
	char cmdline[4096];
	int cmdline_known;
	char clocksource[64];   /* the guest's current clocksource, "" when unknown */
	struct guest_counters counters;    /* check_counters.c */
	struct tdx_guest_facts tdx;
};

/* check_clocksource.c: the current clocksource below root (/sys/devices/system/clocksource). */
void gather_clocksource(const char *root, char *out, size_t len);

/* root: "" for the live system, or a folder holding proc/, sys/, dev/ (tests). */
void guest_facts_gather(const char *root, struct guest_facts *g);
json_object *guest_facts_json(const struct guest_facts *g, const bool confirms[N_CHECK_MODES]);
void guest_facts_text(const struct guest_facts *g, const bool confirms[N_CHECK_MODES]);
void guest_facts_confirms(const struct guest_facts *g, bool confirms[N_CHECK_MODES]);

struct host_facts {
	char vendor[16];
	uint32_t max_ext_leaf, eax, ebx, ecx, edx;
	struct cpuid_sev cpu;
	int kvm_amd_loaded;
	int kvm_amd_sev, kvm_amd_sev_es, kvm_amd_sev_snp;   /* tri */
	int dev_sev, dev_kvm;
	int kvm_usable;
	char kvm_detail[256];
	char qemu[512];
	int qemu_known;
	int qemu_major, qemu_minor, qemu_micro;
	char qemu_detail[512];
	int qemu_supports[N_CHECK_MODES];   /* tri */
	struct tdx_host_facts tdx;
};

void host_facts_gather(const char *qemu, const char *profiles_dir, struct host_facts *h);
void host_facts_confirms(const struct host_facts *h, bool confirms[N_CHECK_MODES]);
json_object *host_facts_json(const struct host_facts *h, const bool confirms[N_CHECK_MODES]);
void host_facts_text(const struct host_facts *h, const bool confirms[N_CHECK_MODES]);

/* Shared output helpers. */
json_object *json_tri(int v);
json_object *json_count(int64_t v);     /* null for a negative (unknown) count */
json_object *json_confirms(const bool confirms[N_CHECK_MODES]);
const char *tri_word(int v);

#endif
