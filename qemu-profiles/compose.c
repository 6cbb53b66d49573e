// SPDX-License-Identifier: GPL-2.0-only
/*
 * The QEMU command-line composer: a mode profile and a backend profile (data
 * files, see profile.c) plus the request give one argv.  The fixed skeleton
 * (machine, accel, memory, disk node, network, console, QMP) is composed here;
 * everything mode- or backend-specific comes from the profiles.
 */
#include <cpuid.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compose_int.h"
#include "launch.h"

#define DRIVE_NODE "disk0"

int qemu_argv_add(struct qemu_argv *av, const char *s)
{
	char **a = realloc(av->argv, (av->argc + 2) * sizeof(*a));

	if (!a)
		return -1;
	av->argv = a;
	a[av->argc] = strdup(s);
	if (!a[av->argc])
		return -1;
	a[++av->argc] = NULL;
	return 0;
}

int qemu_argv_addf(struct qemu_argv *av, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	rc = qemu_argv_add(av, s);
	free(s);
	return rc;
}

/* One shell word: as is when it is made of harmless characters, else single-quoted. */
static void print_shell_word(FILE *out, const char *w)
{
	if (*w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
			 "_./:=,@%+-") == strlen(w)) {
		fputs(w, out);
		return;
	}
	fputc('\'', out);
	for (; *w; w++) {
		if (*w == '\'')
			fputs("'\\''", out);
		else
			fputc(*w, out);
	}
	fputc('\'', out);
}

void qemu_argv_print(FILE *out, const struct qemu_argv *av)
{
	for (size_t i = 0; i < av->argc; i++) {
		if (i)
			fputc(' ', out);
		print_shell_word(out, av->argv[i]);
	}
	fputc('\n', out);
}

void qemu_argv_free(struct qemu_argv *av)
{
	for (size_t i = 0; av->argv && i < av->argc; i++)
		free(av->argv[i]);
	free(av->argv);
	av->argv = NULL;
	av->argc = 0;
}

void qemu_plan_free(struct qemu_plan *plan)
{
	profile_free(&plan->mode);
	profile_free(&plan->backend);
}

/* QEMU's option syntax: a ',' inside a value is written ',,'. */
static void escape_commas(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in && o + 2 < outlen; in++) {
		out[o++] = *in;
		if (*in == ',')
			out[o++] = ',';
	}
	out[o] = '\0';
}

/* "512M", "1G", "2048" (MiB for -m): digits with an optional K/M/G/T suffix. */
static int valid_size(const char *s)
{
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s && strchr("KMGTkmgt", *s))
		s++;
	return *s == '\0';
}

/* Bytes of a valid_size() string (binary suffixes, as QEMU reads them). */
static unsigned long long size_bytes(const char *s)
{
	char *end;
	unsigned long long n = strtoull(s, &end, 10);

	switch (*end) {
	case 'T': case 't': n <<= 10; /* fall through */
	case 'G': case 'g': n <<= 10; /* fall through */
	case 'M': case 'm': n <<= 10; /* fall through */
	case 'K': case 'k': n <<= 10; break;
	default: break;
	}
	return n;
}

/* C-bit position and physical-address reduction from CPUID 0x8000001F when SEV is there. */
static void host_sev_bits(int *cbitpos, int *reduced)
{
	unsigned int eax, ebx, ecx, edx;

	*cbitpos = 51;
	*reduced = 1;
	if (__get_cpuid_max(0x80000000, NULL) < 0x8000001f)
		return;
	__cpuid(0x8000001f, eax, ebx, ecx, edx);
	if (!(eax & (1u << 1)))
		return;
	*cbitpos = (int)(ebx & 0x3f);
	*reduced = (int)((ebx >> 6) & 0x3f);
}

static int resolve_accel(const struct qemu_request *req, struct qemu_plan *plan, char *err,
			 size_t errlen)
{
	const char *need = profile_get(&plan->mode, "mode", "accel");

	if (req->accel) {
		if (strcmp(req->accel, "kvm") && strcmp(req->accel, "tcg")) {
			snprintf(err, errlen, "--accel %s: expected kvm or tcg", req->accel);
			return -1;
		}
		if (need && strcmp(need, req->accel)) {
			snprintf(err, errlen, "mode %s needs --accel %s (accel = %s in %s)", req->mode,
				 need, need, plan->mode.path);
			return -1;
		}
		plan->accel = req->accel;
		snprintf(plan->accel_reason, sizeof(plan->accel_reason), "--accel %s", req->accel);
	} else if (need) {
		plan->accel = need;
		snprintf(plan->accel_reason, sizeof(plan->accel_reason), "mode %s needs %s",
			 req->mode, need);
	} else {
		char detail[200];

		plan->accel = kvm_usable(detail, sizeof(detail)) ? "kvm" : "tcg";
		snprintf(plan->accel_reason, sizeof(plan->accel_reason), "%s: %s", plan->accel,
			 detail);
	}
	return 0;
}

static int resolve_backing(const struct qemu_request *req, struct qemu_plan *plan, char *err,
			   size_t errlen)
{
	const char *b = req->backing ? req->backing : "file";

	if (!strcmp(b, "file") || !strcmp(b, "device") || !strcmp(b, "null")) {
		plan->backing = b;
	} else if (!strncmp(b, "blkdebug:", 9) && b[9]) {
		plan->backing = "blkdebug";
		plan->blkdebug_config = b + 9;
	} else {
		snprintf(err, errlen, "--backing %s: expected file, device, null or blkdebug:CONFIG", b);
		return -1;
	}
	if (strcmp(plan->backing, "null") && (!req->disk || !*req->disk)) {
		snprintf(err, errlen, "backing %s needs --disk PATH", plan->backing);
		return -1;
	}
	plan->null_size = req->null_size ? req->null_size : "1G";
	if (!valid_size(plan->null_size)) {
		snprintf(err, errlen, "--null-size %s: expected a size such as 1G or 512M",
			 plan->null_size);
		return -1;
	}
	plan->aio = req->aio ? req->aio : profile_get(&plan->backend, "backend", "aio");
	if (!plan->aio)
		plan->aio = "threads";
	if (strcmp(plan->aio, "native") && strcmp(plan->aio, "io_uring") &&
	    strcmp(plan->aio, "threads")) {
		snprintf(err, errlen, "%s %s: expected native, io_uring or threads",
			 req->aio ? "--aio" : plan->backend.path, plan->aio);
		return -1;
	}
	return 0;
}

static int check_qemu_version(const struct qemu_request *req, struct qemu_plan *plan, char *err,
			      size_t errlen)
{
	const char *min = profile_get(&plan->mode, "mode", "min_qemu");
	struct qemu_version need;
	const char *base = strrchr(plan->qemu, '/') ? strrchr(plan->qemu, '/') + 1 : plan->qemu;

	/* no QEMU named (--qemu, $CVMIO_QEMU) nor its version: the system's if new enough, else a private one */
	if (!req->qemu && !req->qemu_version && min && !(getenv("CVMIO_QEMU") && *getenv("CVMIO_QEMU")) &&
	    qemu_version_parse(min, &need) == 0 &&
	    qemu_select(plan->qemu, &need, plan->qemu_chosen, sizeof(plan->qemu_chosen)) == 1 &&
	    plan->qemu_chosen[0]) {
		plan->qemu = plan->qemu_chosen;
		base = plan->qemu;
	}
	if (req->qemu_version) {
		if (qemu_version_parse(req->qemu_version, &plan->qemu_version) < 0) {
			snprintf(err, errlen, "--qemu-version %s: expected X.Y or X.Y.Z",
				 req->qemu_version);
			return -1;
		}
	} else if (qemu_version_of(plan->qemu, &plan->qemu_version, err, errlen) < 0) {
		return -1;
	}
	if (!min)
		return 0;
	if (qemu_version_parse(min, &need) < 0) {
		snprintf(err, errlen, "%s: min_qemu = %s is not a version X.Y", plan->mode.path, min);
		return -1;
	}
	if (qemu_version_cmp(&plan->qemu_version, &need) < 0) {
		snprintf(err, errlen, "%s needs QEMU >= %s; %s here is %d.%d%s", req->mode, min, base,
			 plan->qemu_version.major, plan->qemu_version.minor,
			 req->qemu || req->qemu_version ? "" :
			 " and no private QEMU is new enough ('make deps' unpacks one in build/deps/; or --qemu BIN)");
		return -1;
	}
	return 0;
}

static int resolve_sizes(const struct qemu_request *req, struct qemu_plan *plan, char *err,
			 size_t errlen)
{
	plan->smp = req->smp ? req->smp : 2;
	plan->queues = req->queues ? req->queues : plan->smp;
	if (plan->smp < 1 || plan->smp > QEMU_MAX_SMP) {
		snprintf(err, errlen, "--smp %d: expected 1..%d", req->smp, QEMU_MAX_SMP);
		return -1;
	}
	if (plan->queues < 1 || plan->queues > QEMU_MAX_QUEUES) {
		snprintf(err, errlen, "--queues %d: expected 1..%d", req->queues, QEMU_MAX_QUEUES);
		return -1;
	}
	snprintf(plan->mem, sizeof(plan->mem), "%s", req->mem ? req->mem : "1G");
	if (!valid_size(plan->mem)) {
		snprintf(err, errlen, "--mem %s: expected a size such as 1G or 2048M", req->mem);
		return -1;
	}
	return 0;
}

static int resolve_boot(const struct qemu_request *req, struct qemu_plan *plan, char *err,
			size_t errlen)
{
	const char *extra = profile_get(&plan->mode, "mode", "append");
	const char *props = profile_get(&plan->mode, "mode", "virtio_props");
	const char *cpu = profile_get(&plan->mode, "mode", "cpu");

	/* --kernel with --image: the image's own kernel booted directly (no boot loader in the image) */
	if (!req->kernel && (req->initrd || req->append)) {
		snprintf(err, errlen, "--%s needs --kernel", req->initrd ? "initrd" : "append");
		return -1;
	}
	/* without --kernel the guest image's own boot line is used: say what it must add */
	if (!req->kernel && extra && *extra)
		fprintf(stderr, "cvmio qemu: note: mode %s needs '%s' on the guest kernel's command line; "
			"without --kernel the guest image must add it itself\n", req->mode, extra);
	snprintf(plan->append, sizeof(plan->append), "%s%s%s", req->append ? req->append : "",
		 req->append && *req->append && extra && *extra ? " " : "", extra ? extra : "");
	snprintf(plan->virtio_props, sizeof(plan->virtio_props), "%s%s",
		 props && *props ? "," : "", props ? props : "");
	plan->firmware = req->firmware ? req->firmware :
		profile_get(&plan->mode, "mode", "firmware");
	if (plan->firmware && !*plan->firmware)
		plan->firmware = NULL;
	if (cpu && *cpu && !strcmp(plan->accel, "kvm"))
		snprintf(plan->cpu, sizeof(plan->cpu), "%s", cpu);
	else
		snprintf(plan->cpu, sizeof(plan->cpu), "%s", strcmp(plan->accel, "kvm") ? "max" : "host");
	host_sev_bits(&plan->cbitpos, &plan->reduced_phys_bits);
	if (req->cbitpos)
		plan->cbitpos = req->cbitpos;
	if (req->reduced_phys_bits)
		plan->reduced_phys_bits = req->reduced_phys_bits;
	if (plan->cbitpos < 32 || plan->cbitpos > 63) {
		snprintf(err, errlen, "--cbitpos %d: expected 32..63", plan->cbitpos);
		return -1;
	}
	if (plan->reduced_phys_bits < 1 || plan->reduced_phys_bits > 63) {
		snprintf(err, errlen, "--reduced-phys-bits %d: expected 1..63", plan->reduced_phys_bits);
		return -1;
	}
	return 0;
}

int qemu_plan_make(const struct qemu_request *req, struct qemu_plan *plan, char *err, size_t errlen)
{
	memset(plan, 0, sizeof(*plan));
	plan->req = req;
	if (!req->mode || !req->backend) {
		snprintf(err, errlen, "%s", !req->mode ? "no mode (--cvm MODE)" : "no backend (--backend BACKEND)");
		return -1;
	}
	if (profiles_dir_find(req->profiles_dir, plan->profiles_dir, sizeof(plan->profiles_dir),
			      err, errlen) < 0)
		return -1;
	if (profile_load(plan->profiles_dir, "modes", req->mode, &plan->mode, err, errlen) < 0)
		return -1;
	if (profile_load(plan->profiles_dir, "backends", req->backend, &plan->backend, err, errlen) < 0)
		goto fail;
	plan->qemu = req->qemu ? req->qemu : qemu_default_binary();
	plan->uses_sev = profile_get(&plan->mode, "mode", "machine_props") &&
		strstr(profile_get(&plan->mode, "mode", "machine_props"), "confidential-guest-support");
	if (resolve_accel(req, plan, err, errlen) < 0 || resolve_backing(req, plan, err, errlen) < 0 ||
	    resolve_sizes(req, plan, err, errlen) < 0 || resolve_boot(req, plan, err, errlen) < 0 ||
	    check_qemu_version(req, plan, err, errlen) < 0 || launch_resolve(plan, err, errlen) < 0)
		goto fail;
	if (req->n_fwds < 0 || req->n_fwds > QEMU_MAX_FWDS) {
		snprintf(err, errlen, "%d host forwards: at most %d", req->n_fwds, QEMU_MAX_FWDS);
		goto fail;
	}
	for (int i = 0; i < req->n_fwds; i++) {
		if (req->fwds[i].host_port < 1 || req->fwds[i].host_port > 65535 ||
		    req->fwds[i].guest_port < 1 || req->fwds[i].guest_port > 65535) {
			snprintf(err, errlen, "--fwd %d:%d: ports must be 1..65535",
				 req->fwds[i].host_port, req->fwds[i].guest_port);
			goto fail;
		}
	}
	return 0;
fail:
	qemu_plan_free(plan);
	return -1;
}

/* Value of placeholder NAME, or NULL when unknown. */
static const char *placeholder(const struct qemu_plan *plan, const char *name, char *buf, size_t len)
{
	if (!strcmp(name, "mem"))
		return plan->mem;
	if (!strcmp(name, "drive"))
		return DRIVE_NODE;
	if (!strcmp(name, "virtio_props"))
		return plan->virtio_props;
	if (!strcmp(name, "firmware"))
		return plan->firmware;
	if (!strcmp(name, "launch_options"))
		return plan->launch_opts;
	if (!strcmp(name, "queues") || !strcmp(name, "smp") || !strcmp(name, "cbitpos") ||
	    !strcmp(name, "reduced_phys_bits")) {
		int v = !strcmp(name, "queues") ? plan->queues : !strcmp(name, "smp") ? plan->smp :
			!strcmp(name, "cbitpos") ? plan->cbitpos : plan->reduced_phys_bits;

		snprintf(buf, len, "%d", v);
		return buf;
	}
	return NULL;
}

/* Expand ${name} placeholders in word into out. */
static int expand_word(const struct qemu_plan *plan, const struct profile *p, int line,
		       const char *word, char *out, size_t outlen, char *err, size_t errlen)
{
	size_t o = 0;

	while (*word) {
		const char *end, *val;
		char name[64], buf[32];

		if (word[0] != '$' || word[1] != '{') {
			if (o + 1 >= outlen)
				goto too_long;
			out[o++] = *word++;
			continue;
		}
		end = strchr(word, '}');
		if (!end || (size_t)(end - word - 2) >= sizeof(name)) {
			snprintf(err, errlen, "%s:%d: unterminated placeholder in '%s'", p->path, line, word);
			return -1;
		}
		memcpy(name, word + 2, (size_t)(end - word - 2));
		name[end - word - 2] = '\0';
		val = placeholder(plan, name, buf, sizeof(buf));
		if (!val && !strcmp(name, "firmware")) {
			snprintf(err, errlen, "mode %s needs firmware (--firmware OVMF)", plan->req->mode);
			return -1;
		}
		if (!val) {
			snprintf(err, errlen, "%s:%d: unknown placeholder ${%s} (known: mem, smp, queues, "
				 "drive, virtio_props, firmware, cbitpos, reduced_phys_bits, launch_options)", p->path,
				 line, name);
			return -1;
		}
		if (o + strlen(val) >= outlen)
			goto too_long;
		memcpy(out + o, val, strlen(val));
		o += strlen(val);
		word = end + 1;
	}
	out[o] = '\0';
	return 0;
too_long:
	snprintf(err, errlen, "%s:%d: argument too long after expansion", p->path, line);
	return -1;
}

/* Append the [args] of profile p, each 'arg =' split on blanks into words. */
static int add_profile_args(const struct qemu_plan *plan, const struct profile *p,
			    struct qemu_argv *av, char *err, size_t errlen)
{
	for (size_t i = 0; i < p->n; i++) {
		char *copy, *save = NULL, *w;

		if (strcmp(p->entries[i].section, "args"))
			continue;
		copy = strdup(p->entries[i].value);
		if (!copy)
			return -1;
		for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
			char out[16384];   /* an SNP id-auth alone is 5464 base64 characters */

			/* with IGVM the firmware is in the IGVM file: no -bios */
			if (plan->req->igvm && !strcmp(w, "-bios")) {
				w = strtok_r(NULL, " \t", &save);
				if (!w)
					break;
				continue;
			}
			if (expand_word(plan, p, p->entries[i].line, w, out, sizeof(out), err, errlen) < 0 ||
			    qemu_argv_add(av, out) < 0) {
				free(copy);
				return -1;
			}
		}
		free(copy);
	}
	return 0;
}

static int add_blockdev(const struct qemu_plan *plan, struct qemu_argv *av)
{
	char disk[PATH_MAX * 2], conf[PATH_MAX * 2];
	const struct qemu_request *req = plan->req;

	if (!strcmp(plan->backing, "null"))
		return qemu_argv_add(av, "-blockdev") ||
			qemu_argv_addf(av, "driver=null-co,node-name=%s,cache.direct=on,"
				       "read-zeroes=on,size=%llu", DRIVE_NODE, size_bytes(plan->null_size));
	escape_commas(req->disk, disk, sizeof(disk));
	if (!strcmp(plan->backing, "blkdebug")) {
		escape_commas(plan->blkdebug_config, conf, sizeof(conf));
		return qemu_argv_add(av, "-blockdev") ||
			qemu_argv_addf(av, "driver=raw,node-name=%s,cache.direct=on,"
				       "file.driver=blkdebug,file.config=%s,file.image.driver=file,"
				       "file.image.filename=%s,file.image.aio=%s",
				       DRIVE_NODE, conf, disk, plan->aio);
	}
	return qemu_argv_add(av, "-blockdev") ||
		qemu_argv_addf(av, "driver=raw,node-name=%s,cache.direct=on,file.driver=%s,"
			       "file.filename=%s,file.aio=%s", DRIVE_NODE,
			       strcmp(plan->backing, "device") ? "file" : "host_device", disk, plan->aio);
}

/*
 * A bootable image (qcow2 by its magic, else raw) on virtio-blk after the
 * disk under test, with serial=cvmio-image: the guest tells it from the disk
 * under test by that serial, whatever the names.
 */
static int add_image(const struct qemu_plan *plan, struct qemu_argv *av)
{
	char img[PATH_MAX * 2], magic[4] = { 0 };
	FILE *f = fopen(plan->req->image, "rb");
	const char *fmt = "raw";

	if (f) {
		if (fread(magic, 1, 4, f) == 4 && !memcmp(magic, "QFI\xfb", 4))
			fmt = "qcow2";
		fclose(f);
	}
	escape_commas(plan->req->image, img, sizeof(img));
	return qemu_argv_add(av, "-blockdev") ||
		qemu_argv_addf(av, "driver=%s,node-name=boot0,cache.direct=on,file.driver=file,"
			       "file.filename=%s", fmt, img) ||
		qemu_argv_add(av, "-device") ||
		/* a direct kernel boot (--kernel) holds bootindex 0 itself: the disk is then only the root */
		qemu_argv_addf(av, "virtio-blk-pci,id=boot0,drive=boot0,%sserial=cvmio-image%s",
			       plan->req->kernel ? "" : "bootindex=0,", plan->virtio_props);
}

static int add_network(const struct qemu_plan *plan, struct qemu_argv *av)
{
	char netdev[64 + QEMU_MAX_FWDS * 48] = "user,id=net0";
	size_t used = strlen(netdev);

	for (int i = 0; i < plan->req->n_fwds; i++)
		used += (size_t)snprintf(netdev + used, sizeof(netdev) - used,
					 ",hostfwd=tcp:127.0.0.1:%d-:%d",
					 plan->req->fwds[i].host_port, plan->req->fwds[i].guest_port);
	/* romfile= : no PXE option ROM, the guest boots from kernel or disk. */
	return qemu_argv_add(av, "-netdev") || qemu_argv_add(av, netdev) ||
		qemu_argv_add(av, "-device") ||
		qemu_argv_addf(av, "virtio-net-pci,id=nic0,netdev=net0,romfile=%s", plan->virtio_props);
}

static int add_igvm(const struct qemu_plan *plan, struct qemu_argv *av)
{
	char file[PATH_MAX * 2];

	escape_commas(plan->req->igvm, file, sizeof(file));
	return qemu_argv_add(av, "-object") || qemu_argv_addf(av, "igvm-cfg,id=igvm0,file=%s", file);
}

static int add_machine(const struct qemu_plan *plan, struct qemu_argv *av)
{
	const char *mprops = profile_get(&plan->mode, "mode", "machine_props");

	return qemu_argv_add(av, plan->qemu) ||
		qemu_argv_add(av, "-nodefaults") || qemu_argv_add(av, "-no-reboot") ||
		qemu_argv_add(av, "-display") || qemu_argv_add(av, "none") ||
		qemu_argv_add(av, "-machine") ||
		qemu_argv_addf(av, "q35%s%s%s", mprops && *mprops ? "," : "", mprops ? mprops : "",
			       plan->req->igvm ? ",igvm-cfg=igvm0" : "") ||
		qemu_argv_add(av, "-accel") || qemu_argv_add(av, plan->accel) ||
		qemu_argv_add(av, "-cpu") || qemu_argv_add(av, plan->cpu) ||
		qemu_argv_add(av, "-smp") || qemu_argv_addf(av, "%d", plan->smp) ||
		qemu_argv_add(av, "-m") || qemu_argv_add(av, plan->mem) ||
		(plan->req->igvm && add_igvm(plan, av));
}

static int add_boot(const struct qemu_plan *plan, struct qemu_argv *av)
{
	const struct qemu_request *req = plan->req;

	/* Modes with their own firmware load it through their [args] (${firmware}). */
	if (plan->firmware && !profile_get(&plan->mode, "mode", "firmware") &&
	    (qemu_argv_add(av, "-bios") || qemu_argv_add(av, plan->firmware)))
		return -1;
	if (!req->kernel)
		return 0;
	if (qemu_argv_add(av, "-kernel") || qemu_argv_add(av, req->kernel))
		return -1;
	if (req->initrd && (qemu_argv_add(av, "-initrd") || qemu_argv_add(av, req->initrd)))
		return -1;
	if (plan->append[0] && (qemu_argv_add(av, "-append") || qemu_argv_add(av, plan->append)))
		return -1;
	return 0;
}

static int add_control(const struct qemu_plan *plan, struct qemu_argv *av)
{
	const struct qemu_request *req = plan->req;

	if (qemu_argv_add(av, "-serial") ||
	    (req->console ? qemu_argv_addf(av, "file:%s", req->console) : qemu_argv_add(av, "stdio")))
		return -1;
	if (req->qmp && (qemu_argv_add(av, "-qmp") ||
			 qemu_argv_addf(av, "unix:%s,server=on,wait=off", req->qmp)))
		return -1;
	if (req->pidfile && (qemu_argv_add(av, "-pidfile") || qemu_argv_add(av, req->pidfile)))
		return -1;
	return 0;
}

int qemu_compose(const struct qemu_request *req, struct qemu_argv *out, char *err, size_t errlen)
{
	struct qemu_plan plan;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (qemu_plan_make(req, &plan, err, errlen) < 0)
		return -1;
	err[0] = '\0';
	snprintf(out->note, sizeof(out->note), "%s", plan.launch_note);
	if (add_machine(&plan, out) || add_profile_args(&plan, &plan.mode, out, err, errlen) ||
	    add_boot(&plan, out) || add_blockdev(&plan, out) ||
	    add_profile_args(&plan, &plan.backend, out, err, errlen) ||
	    (req->image && add_image(&plan, out)) || add_network(&plan, out) ||
	    add_control(&plan, out)) {
		if (!err[0])
			snprintf(err, errlen, "out of memory composing the QEMU command line");
		qemu_argv_free(out);
		goto done;
	}
	rc = 0;
done:
	qemu_plan_free(&plan);
	return rc;
}

static int need_file(const char *what, const char *path, char *err, size_t errlen)
{
	if (path && access(path, R_OK) != 0) {
		snprintf(err, errlen, "%s %s: not readable", what, path);
		return -1;
	}
	return 0;
}

int qemu_request_check_files(const struct qemu_request *req, char *err, size_t errlen)
{
	const char *b = req->backing ? req->backing : "file";
	struct stat st;

	if (strcmp(b, "null") && req->disk) {
		if (stat(req->disk, &st) < 0) {
			snprintf(err, errlen, "--disk %s: no such file or device", req->disk);
			return -1;
		}
		if (!strcmp(b, "device") && !S_ISBLK(st.st_mode)) {
			snprintf(err, errlen, "--disk %s: not a block device (backing device)", req->disk);
			return -1;
		}
		if (strcmp(b, "device") && !S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "--disk %s: not a regular file (use --backing device)",
				 req->disk);
			return -1;
		}
	}
	if (!strncmp(b, "blkdebug:", 9) && need_file("blkdebug config", b + 9, err, errlen) < 0)
		return -1;
	return need_file("--kernel", req->kernel, err, errlen) ||
		need_file("--initrd", req->initrd, err, errlen) ||
		need_file("--image", req->image, err, errlen) ||
		need_file("--firmware", req->firmware, err, errlen) ||
		need_file("--igvm", req->igvm, err, errlen) ? -1 : 0;
}
