// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio qemu --libvirt: the libvirt domain XML equivalent to the composed
 * line.  virtio-blk and virtio-scsi disks on file/device backing map to
 * native <disk> elements (cache='none' is cache.direct=on); what libvirt
 * cannot express natively (the emulated NVMe controller, null-co and
 * blkdebug backings) is passed through <qemu:commandline> with exactly the
 * composer's arguments, so both paths run the same devices.
 */
#include <stdlib.h>
#include <string.h>

#include "compose_int.h"
#include "cvmio.h"

static void xml_text(FILE *out, const char *s)
{
	cvmio_markup_escaped(out, s);
}

static unsigned long long mem_mib(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 10);

	switch (*end) {
	case 'T': case 't': return n << 20;
	case 'G': case 'g': return n << 10;
	case 'K': case 'k': return n >> 10;
	default: return n;   /* M, or QEMU's default unit MiB */
	}
}

/* Native libvirt disk: virtio-blk/virtio-scsi on file or device backing. */
static bool native_disk(const struct qemu_plan *plan)
{
	const char *bus = profile_get(&plan->backend, "backend", "libvirt_bus");

	return bus && (!strcmp(bus, "virtio") || !strcmp(bus, "scsi")) &&
		(!strcmp(plan->backing, "file") || !strcmp(plan->backing, "device"));
}

static void write_driver(const struct qemu_plan *plan, FILE *out, bool iothread, bool disk)
{
	fprintf(out, "      <driver");
	if (disk)
		fprintf(out, " name='qemu' type='raw' cache='none' io='%s'", plan->aio);
	if (iothread)
		fprintf(out, " iothread='1'");
	fprintf(out, " queues='%d'", plan->queues);
	if (plan->virtio_props[0])
		fprintf(out, " iommu='on'");
	fprintf(out, "/>\n");
}

static void write_disk(const struct qemu_plan *plan, FILE *out)
{
	const char *bus = profile_get(&plan->backend, "backend", "libvirt_bus");
	const char *target = profile_get(&plan->backend, "backend", "libvirt_target");
	bool iothread = profile_get_bool(&plan->backend, "backend", "libvirt_iothread");
	bool scsi = !strcmp(bus, "scsi"), dev = !strcmp(plan->backing, "device");

	if (scsi) {
		fprintf(out, "    <controller type='scsi' index='0' model='virtio-scsi'>\n");
		write_driver(plan, out, iothread, false);
		fprintf(out, "    </controller>\n");
	}
	fprintf(out, "    <disk type='%s' device='disk'>\n", dev ? "block" : "file");
	if (scsi) {
		fprintf(out, "      <driver name='qemu' type='raw' cache='none' io='%s'/>\n", plan->aio);
	} else {
		write_driver(plan, out, iothread, true);
	}
	fprintf(out, "      <source %s='", dev ? "dev" : "file");
	xml_text(out, plan->req->disk);
	fprintf(out, "'/>\n      <target dev='%s' bus='%s'/>\n", target ? target : "vda", bus);
	if (scsi)
		fprintf(out, "      <address type='drive' controller='0' bus='0' target='0' unit='0'/>\n");
	fprintf(out, "    </disk>\n");
}

/* The composer's -blockdev disk0 ... up to -netdev: disk node and backend devices. */
static int write_passthrough(const struct qemu_plan *plan, FILE *out, char *err, size_t errlen)
{
	struct qemu_argv av;
	size_t i, start = 0;

	if (qemu_compose(plan->req, &av, err, errlen) < 0)
		return -1;
	for (i = 0; i + 1 < av.argc; i++)
		if (!strcmp(av.argv[i], "-blockdev") && strstr(av.argv[i + 1], "node-name=disk0,")) {
			start = i;
			break;
		}
	fprintf(out, "  <qemu:commandline>\n");
	for (i = start; start && i < av.argc && strcmp(av.argv[i], "-netdev"); i++) {
		if (plan->req->image && strstr(av.argv[i], "boot0"))
			break;
		fprintf(out, "    <qemu:arg value='");
		xml_text(out, av.argv[i]);
		fprintf(out, "'/>\n");
	}
	fprintf(out, "  </qemu:commandline>\n");
	qemu_argv_free(&av);
	return 0;
}

/* Does the mode's -machine list carry key=value (e.g. kernel-irqchip=split)? */
static bool machine_has(const struct qemu_plan *plan, const char *item)
{
	const char *m = profile_get(&plan->mode, "mode", "machine_props");
	size_t n = strlen(item);

	for (const char *s = m; s && (s = strstr(s, item)); s += n)
		if ((s == m || s[-1] == ',') && (s[n] == ',' || s[n] == '\0'))
			return true;
	return false;
}

/* libvirt's names for the machine options a mode needs (TDX: split irqchip, no SMM, no PIC). */
static void write_features(const struct qemu_plan *plan, FILE *out)
{
	fprintf(out, "  <features>\n    <acpi/>\n");
	if (machine_has(plan, "kernel-irqchip=split"))
		fprintf(out, "    <ioapic driver='qemu'/>\n");
	if (machine_has(plan, "smm=off"))
		fprintf(out, "    <smm state='off'/>\n");
	fprintf(out, "  </features>\n");
}

static void write_os(const struct qemu_plan *plan, FILE *out)
{
	const struct qemu_request *req = plan->req;

	fprintf(out, "  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n");
	if (plan->firmware) {
		fprintf(out, "    <loader type='rom' readonly='yes'>");
		xml_text(out, plan->firmware);
		fprintf(out, "</loader>\n");
	}
	if (req->kernel) {
		fprintf(out, "    <kernel>");
		xml_text(out, req->kernel);
		fprintf(out, "</kernel>\n");
		if (req->initrd) {
			fprintf(out, "    <initrd>");
			xml_text(out, req->initrd);
			fprintf(out, "</initrd>\n");
		}
		if (plan->append[0]) {
			fprintf(out, "    <cmdline>");
			xml_text(out, plan->append);
			fprintf(out, "</cmdline>\n");
		}
	}
	fprintf(out, "  </os>\n");
	write_features(plan, out);
	if (!strcmp(plan->cpu, "host"))
		fprintf(out, "  <cpu mode='host-passthrough'/>\n");
	else if (!strcmp(plan->cpu, "max"))
		fprintf(out, "  <cpu mode='maximum'/>\n");
	else
		fprintf(out, "  <cpu mode='custom' match='exact'>\n    <model fallback='forbid'>%s</model>\n"
			"  </cpu>\n", plan->cpu);
}

static void write_devices(const struct qemu_plan *plan, FILE *out, bool native)
{
	const struct qemu_request *req = plan->req;

	char emulator[PATH_MAX];

	/* libvirt wants an absolute path; one not found here (another host's) stays as given */
	if (qemu_absolute_path(plan->qemu, emulator, sizeof(emulator)))
		snprintf(emulator, sizeof(emulator), "%s", plan->qemu);
	fprintf(out, "  <devices>\n    <emulator>");
	xml_text(out, emulator);
	fprintf(out, "</emulator>\n");
	if (native)
		write_disk(plan, out);
	if (req->image) {
		fprintf(out, "    <disk type='file' device='disk'>\n      <driver name='qemu' "
			"cache='none'%s/>\n      <source file='", plan->virtio_props[0] ? " iommu='on'" : "");
		xml_text(out, req->image);
		fprintf(out, "'/>\n      <target dev='vdz' bus='virtio'/>\n      <boot order='1'/>\n"
			"    </disk>\n");
	}
	fprintf(out, "    <interface type='user'>\n      <backend type='passt'/>\n"
		"      <model type='virtio'/>\n");
	if (plan->virtio_props[0])
		fprintf(out, "      <driver iommu='on'/>\n");
	for (int i = 0; i < req->n_fwds; i++)
		fprintf(out, "      <portForward proto='tcp' address='127.0.0.1'>\n"
			"        <range start='%d' to='%d'/>\n      </portForward>\n",
			req->fwds[i].host_port, req->fwds[i].guest_port);
	fprintf(out, "      <rom enabled='no'/>\n    </interface>\n");
	if (req->console) {
		fprintf(out, "    <serial type='file'>\n      <source path='");
		xml_text(out, req->console);
		fprintf(out, "'/>\n    </serial>\n");
	} else {
		fprintf(out, "    <serial type='pty'/>\n");
	}
	fprintf(out, "    <memballoon model='none'/>\n  </devices>\n");
}

static void write_launch_security(const struct qemu_plan *plan, FILE *out)
{
	const char *type = profile_get(&plan->mode, "mode", "libvirt_launch_security");
	const char *policy = profile_get(&plan->mode, "mode", "libvirt_policy");

	if (!type)
		return;
	fprintf(out, "  <launchSecurity type='%s'%s%s>\n", type,
		plan->kernel_hashes ? " kernelHashes='yes'" : "",
		plan->req->author_key_enabled ? " authorKey='yes'" : "");
	/* TDX has no C-bit: the shared bit is the top GPA bit, chosen by the TDX module. */
	if (strcmp(type, "tdx"))
		fprintf(out, "    <cbitpos>%d</cbitpos>\n    <reducedPhysBits>%d</reducedPhysBits>\n",
			plan->cbitpos, plan->reduced_phys_bits);
	if (policy)
		fprintf(out, "    <policy>%s</policy>\n", policy);
	/* base64 has no XML-special characters: validated in launch.c */
	if (plan->req->id_block)
		fprintf(out, "    <idBlock>%s</idBlock>\n    <idAuth>%s</idAuth>\n",
			plan->req->id_block, plan->req->id_auth);
	if (plan->req->host_data)
		fprintf(out, "    <hostData>%s</hostData>\n", plan->req->host_data);
	fprintf(out, "  </launchSecurity>\n");
}

int qemu_libvirt_write(const struct qemu_plan *plan, FILE *out, char *err, size_t errlen)
{
	if (plan->req->igvm) {
		snprintf(err, errlen, "--igvm: libvirt's domain XML has no IGVM element here; use the "
			 "QEMU line (--print)");
		return -1;
	}
	bool native = native_disk(plan);
	bool iothread = profile_get_bool(&plan->backend, "backend", "libvirt_iothread");

	fprintf(out, "<!-- composed by cvmio qemu: mode %s, backend %s -->\n", plan->req->mode,
		plan->req->backend);
	fprintf(out, "<domain type='%s'%s>\n", strcmp(plan->accel, "kvm") ? "qemu" : "kvm",
		native ? "" : " xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'");
	fprintf(out, "  <name>cvmio-%s-%s</name>\n", plan->req->mode, plan->req->backend);
	fprintf(out, "  <memory unit='MiB'>%llu</memory>\n  <vcpu>%d</vcpu>\n", mem_mib(plan->mem),
		plan->smp);
	if (iothread && native)
		fprintf(out, "  <iothreads>1</iothreads>\n");
	if (profile_get_bool(&plan->mode, "mode", "libvirt_memfd"))
		fprintf(out, "  <memoryBacking>\n    <source type='memfd'/>\n    <access mode='shared'/>\n"
			"  </memoryBacking>\n");
	write_os(plan, out);
	fprintf(out, "  <on_reboot>destroy</on_reboot>\n");
	write_devices(plan, out, native);
	write_launch_security(plan, out);
	if (!native && write_passthrough(plan, out, err, errlen) < 0)
		return -1;
	fprintf(out, "</domain>\n");
	return 0;
}
