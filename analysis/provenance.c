// SPDX-License-Identifier: GPL-2.0-only
/*
 * How each condition was measured, from its manifests: the accelerator
 * (from the QEMU command line the runner recorded), whether the guest was
 * verified in its mode, the fio version, guest kernel, host CPU and guest
 * clocksource.  A ratio means something different under TCG (the CPU is
 * emulated, so every exit, copy and interrupt costs what the emulator
 * makes it cost) than under KVM; a reader must never have to guess which.
 */
#include <string.h>

#include "rows.h"
#include "store.h"

const char tcg_banner[] =
	"TCG: the guest CPU was emulated (QEMU TCG, no KVM), so these ratios show the I/O pipeline, "
	"not the costs of hardware; do not read them as hardware results.";

/* The word after -accel, or a -machine accel= option: "kvm", "tcg", ... up to ',' or ':'. */
static unsigned accel_word_bits(const char *s)
{
	size_t n = strcspn(s, ",:");
	if (n == 3 && !strncmp(s, "kvm", 3))
		return ACCEL_KVM;
	if (n == 3 && !strncmp(s, "tcg", 3))
		return ACCEL_TCG;
	return ACCEL_UNKNOWN;
}

static const char *argv_at(struct json_object *argv, size_t i)
{
	struct json_object *v = json_object_array_get_idx(argv, i);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

unsigned accel_from_argv(struct json_object *argv)
{
	if (!argv || !json_object_is_type(argv, json_type_array) || !json_object_array_length(argv))
		return ACCEL_UNKNOWN;	/* no guest booted by cvmio (hosts=), or no record */
	size_t n = json_object_array_length(argv);
	unsigned found = 0;
	for (size_t i = 0; i < n; i++) {
		const char *a = argv_at(argv, i), *next = i + 1 < n ? argv_at(argv, i + 1) : NULL;
		if (!a)
			return ACCEL_UNKNOWN;
		if (!strcmp(a, "-enable-kvm")) {
			found = ACCEL_KVM;
		} else if ((!strcmp(a, "-accel") || !strcmp(a, "--accel")) && next) {
			/* the first -accel is the one QEMU tries first */
			if (!found)
				found = accel_word_bits(next);
		} else if ((!strcmp(a, "-machine") || !strcmp(a, "-M")) && next) {
			const char *acc = strstr(next, "accel=");
			if (acc && !found)
				found = accel_word_bits(acc + 6);
		}
	}
	/* no accelerator named: QEMU's default for x86 system emulation is TCG */
	return found ? found : ACCEL_TCG;
}

const char *accel_word(unsigned accel)
{
	if (accel & ACCEL_UNKNOWN)
		return "unknown";
	if (accel == ACCEL_TCG)
		return "tcg";
	if (accel == ACCEL_KVM)
		return "kvm";
	return accel ? "mixed" : "unknown";
}

static void note_field(struct prov_field *f, const char *value)
{
	if (!value[0])
		f->missing = true;
	else if (!f->value[0])
		snprintf(f->value, sizeof(f->value), "%s", value);
	else if (strcmp(f->value, value))
		f->varies = true;
}

void provenance_note(struct provenance *p, const struct manifest_info *mi)
{
	p->accel |= mi->accel;
	if (mi->state == VERIFY_YES)
		p->verified++;
	else
		p->unverified++;
	note_field(&p->mode, mi->mode);
	note_field(&p->fio, mi->fio);
	note_field(&p->guest_kernel, mi->guest_kernel);
	note_field(&p->host_cpu, mi->host_cpu);
	note_field(&p->clocksource, mi->clocksource);
}

bool rows_under_tcg(const struct rowset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].accel & ACCEL_TCG)
			return true;
	return false;
}

static void field_text(const struct prov_field *f, char *out, size_t len)
{
	if (!f->value[0])
		snprintf(out, len, "unknown");
	else
		snprintf(out, len, "%s%s%s", f->value, f->varies ? " (and others: varies)" : "",
			 f->missing && !f->varies ? " (not recorded for all)" : "");
}

void provenance_line(const struct provenance *p, char *out, size_t len)
{
	char mode[200], fio[200], kernel[200], cpu[200], clock[200];
	field_text(&p->mode, mode, sizeof(mode));
	field_text(&p->fio, fio, sizeof(fio));
	field_text(&p->guest_kernel, kernel, sizeof(kernel));
	field_text(&p->host_cpu, cpu, sizeof(cpu));
	field_text(&p->clocksource, clock, sizeof(clock));
	snprintf(out, len, "accel %s; mode %s, verified for %u of %u result(s); fio %s; guest kernel %s; "
		 "host CPU %s; guest clocksource %s",
		 accel_word(p->accel), mode, p->verified, p->verified + p->unverified, fio, kernel, cpu, clock);
}
