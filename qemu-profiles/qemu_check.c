// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio qemu --check: let QEMU itself validate a composed line without
 * booting anything.  QEMU starts with --preconfig and a QMP socket: by then it
 * has parsed every option, created the -object backends (memory, iothread,
 * sev-guest/sev-snp-guest), opened the -blockdev nodes and the -netdev
 * backends, and applied the -machine options -- but it has not created any
 * -device (that happens at machine init, which never comes).  So devices are
 * checked here by introspection: every property given on a -device line must
 * exist on that device type (qom-list-properties) and its value must parse
 * for the property's type; references (drive, netdev, iothread, bus) must name
 * something on the line.  Objects and machine options are read back with
 * qom-get and compared with the line.
 *
 * SEV lines on a host without SEV: QEMU refuses the confidential-guest-support
 * link before preconfig (with KVM: "vm-type SEV-SNP not supported by KVM";
 * with TCG: "cannot set up private guest memory ... KVM required"), so the line
 * is checked under TCG without that one machine option: the sev objects, the
 * memfd backend, devices and the rest are checked as above, and the link is
 * checked structurally (the machine has the property, its target exists and
 * is a confidential-guest object).  The report says so.  TDX lines on a host
 * without TDX (kvm_intel's tdx parameter not Y) are checked the same way; and
 * -machine kernel-irqchip=split is an accelerator option QEMU moves to the KVM
 * accelerator, not a machine property, so it is not read back.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compose_int.h"
#include "cvmio.h"
#include "proc.h"
#include "qemu_opts.h"
#include "qemu_values.h"
#include "qmp.h"

#define MAX_OPTS 128

struct check {
	const struct qemu_plan *plan;
	FILE *report;
	struct qmp q;
	struct qemu_opt opts[MAX_OPTS];
	int n_opts;
	int problems;
	char first_problem[512];
	bool structural;          /* sev/tdx line checked without its cgs link, under TCG */
	const char *tech;         /* "SEV" or "TDX": the confidential technology of the line */
	char cgs_id[64];
	char machine[1024];       /* the -machine value QEMU got (structural: without the link) */
	pid_t pid;
};

static void problem(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct check *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(c->report, "FAIL  %s\n", msg);
	if (!c->problems++)
		snprintf(c->first_problem, sizeof(c->first_problem), "%s", msg);
}

static json_object *qom_get(struct check *c, const char *path, const char *prop, char *err, size_t errlen)
{
	json_object *args = json_object_new_object();

	json_object_object_add(args, "path", json_object_new_string(path));
	json_object_object_add(args, "property", json_object_new_string(prop));
	return qmp_exec(&c->q, "qom-get", args, err, errlen);
}

/* Read back every key=value of a list from QOM path and compare. */
static void check_props(struct check *c, const char *what, const char *path, const char *list,
			const char *const *skip)
{
	char key[128], val[8192], err[256];   /* an SNP id-auth is 5464 characters */
	const char *s = list;
	int ok = 0;

	while ((s = qemu_opts_next(s, key, sizeof(key), val, sizeof(val)))) {
		json_object *got;
		bool skipped = !key[0];

		for (const char *const *k = skip; *k && !skipped; k++)
			skipped = !strcmp(*k, key);
		if (skipped)
			continue;
		got = qom_get(c, path, key, err, sizeof(err));
		if (!got) {
			problem(c, "%s: property %s=%s: %s", what, key, val, err);
			continue;
		}
		if (!qemu_value_same(got, val))
			problem(c, "%s: %s is %s in QEMU, the line says %s", what, key,
				json_object_to_json_string(got), val);
		else
			ok++;
		json_object_put(got);
	}
	if (ok || !strncmp(what, "-object", 7))
		fprintf(c->report, "ok    %s: %d propert%s read back as written\n", what, ok,
			ok == 1 ? "y" : "ies");
}

static void check_machine(struct check *c, const char *list)
{
	static const char *const skip[] = { "type", "kernel-irqchip", NULL };
	char type[64] = "", key[64], err[256], irqchip[32];
	json_object *got;

	if (qemu_opts_get(list, "kernel-irqchip", irqchip, sizeof(irqchip)))
		fprintf(c->report, "note  -machine kernel-irqchip=%s: an accelerator option (QEMU "
			"hands it to -accel kvm), not read back\n", irqchip);

	qemu_opts_next(list, key, sizeof(key), type, sizeof(type));
	got = qom_get(c, "/machine", "type", err, sizeof(err));
	if (!got) {
		problem(c, "-machine: cannot read the machine type: %s", err);
		return;
	}
	if (!strstr(json_object_get_string(got), type))
		problem(c, "-machine %s: QEMU made a %s", type, json_object_get_string(got));
	else
		fprintf(c->report, "ok    -machine %s: %s\n", type, json_object_get_string(got));
	json_object_put(got);
	check_props(c, "-machine", "/machine", list, skip);
}

/*
 * What QEMU's TDX code (tdx_kvm_init) refuses once the link is set, checked
 * here because a structural check leaves the link out: SMM or the PIC forced
 * on, a kernel irqchip that is not split (docs/system/i386/tdx.rst).
 */
static void check_tdx_machine_rules(struct check *c)
{
	char val[32];

	if (qemu_opts_get(c->machine, "smm", val, sizeof(val)) && !strcmp(val, "on"))
		problem(c, "-machine smm=on: a TDX guest has no SMM (QEMU refuses it with tdx-guest)");
	if (qemu_opts_get(c->machine, "pic", val, sizeof(val)) && !strcmp(val, "on"))
		problem(c, "-machine pic=on: a TDX guest has no legacy PIC (QEMU refuses it)");
	if (qemu_opts_get(c->machine, "kernel-irqchip", val, sizeof(val)) && strcmp(val, "split"))
		problem(c, "-machine kernel-irqchip=%s: TDX needs kernel-irqchip=split", val);
}

/* The confidential-guest-support link left out of a structural check, checked by shape. */
static void check_cgs_link(struct check *c)
{
	char path[128], err[256];
	json_object *props, *type, *args = json_object_new_object();
	bool has = false;

	json_object_object_add(args, "path", json_object_new_string("/machine"));
	props = qmp_exec(&c->q, "qom-list", args, err, sizeof(err));
	for (size_t i = 0; props && i < json_object_array_length(props); i++) {
		json_object *p = json_object_array_get_idx(props, i), *n, *t;

		if (json_object_object_get_ex(p, "name", &n) && json_object_object_get_ex(p, "type", &t) &&
		    !strcmp(json_object_get_string(n), "confidential-guest-support") &&
		    !strncmp(json_object_get_string(t), "link<confidential-guest-support>", 32))
			has = true;
	}
	json_object_put(props);
	if (!has) {
		problem(c, "-machine: this QEMU has no confidential-guest-support link property");
		return;
	}
	snprintf(path, sizeof(path), "/objects/%s", c->cgs_id);
	type = qom_get(c, path, "type", err, sizeof(err));
	if (!type) {
		problem(c, "-machine confidential-guest-support=%s: no such object (%s)", c->cgs_id, err);
		return;
	}
	if (strcmp(json_object_get_string(type), "sev-guest") &&
	    strcmp(json_object_get_string(type), "sev-snp-guest") &&
	    strcmp(json_object_get_string(type), "tdx-guest"))
		problem(c, "-machine confidential-guest-support=%s: object type %s is not sev-guest, "
			"sev-snp-guest or tdx-guest", c->cgs_id, json_object_get_string(type));
	else
		fprintf(c->report, "ok    -machine confidential-guest-support=%s: a %s object; the "
			"machine has the link property (not set: no %s here)\n", c->cgs_id,
			json_object_get_string(type), c->tech);
	json_object_put(type);
}

static void check_object(struct check *c, const char *list)
{
	static const char *const skip[] = { "id", "qom-type", NULL };
	char type[64] = "", id[64], key[64], what[160], path[128], err[256];
	json_object *got;

	qemu_opts_next(list, key, sizeof(key), type, sizeof(type));
	if (!qemu_opts_get(list, "id", id, sizeof(id))) {
		problem(c, "-object %s: no id", type);
		return;
	}
	snprintf(what, sizeof(what), "-object %s id=%s", type, id);
	snprintf(path, sizeof(path), "/objects/%s", id);
	got = qom_get(c, path, "type", err, sizeof(err));
	if (!got) {
		problem(c, "%s: not created: %s", what, err);
		return;
	}
	if (strcmp(json_object_get_string(got), type))
		problem(c, "%s: QEMU created a %s", what, json_object_get_string(got));
	json_object_put(got);
	check_props(c, what, path, list, skip);
}

/* Is there an option NAME whose key=value list has key=want (e.g. -blockdev node-name=disk0)? */
static bool line_defines(const struct check *c, const char *name, const char *key, const char *want)
{
	char val[256];

	for (int i = 0; i < c->n_opts; i++)
		if (!strcmp(c->opts[i].name, name) && c->opts[i].value &&
		    qemu_opts_get(c->opts[i].value, key, val, sizeof(val)) && !strcmp(val, want))
			return true;
	return false;
}

/* A bus name is a controller's id, optionally followed by .N (scsi0.0). */
static bool bus_defined(const struct check *c, const char *bus)
{
	char id[128], *dot;

	snprintf(id, sizeof(id), "%s", bus);
	dot = strrchr(id, '.');
	if (dot)
		*dot = '\0';
	return line_defines(c, "-device", "id", id) || line_defines(c, "-device", "id", bus);
}

/* Property references to other parts of the line; false with a problem when dangling. */
static bool reference_ok(struct check *c, const char *what, const char *key, const char *val)
{
	if (!strcmp(key, "drive") && !line_defines(c, "-blockdev", "node-name", val)) {
		problem(c, "%s: drive=%s names no -blockdev node-name on the line", what, val);
		return false;
	}
	if (!strcmp(key, "netdev") && !line_defines(c, "-netdev", "id", val)) {
		problem(c, "%s: netdev=%s names no -netdev on the line", what, val);
		return false;
	}
	if (!strcmp(key, "iothread") && !line_defines(c, "-object", "id", val)) {
		problem(c, "%s: iothread=%s names no -object iothread on the line", what, val);
		return false;
	}
	if (!strcmp(key, "bus") && !bus_defined(c, val)) {
		problem(c, "%s: bus=%s names no controller -device on the line", what, val);
		return false;
	}
	return true;
}

static json_object *find_prop(json_object *props, const char *name)
{
	for (size_t i = 0; i < json_object_array_length(props); i++) {
		json_object *p = json_object_array_get_idx(props, i), *n;

		if (json_object_object_get_ex(p, "name", &n) && !strcmp(json_object_get_string(n), name))
			return p;
	}
	return NULL;
}

static void check_device(struct check *c, const char *list)
{
	char driver[64] = "", key[128], val[1024], what[200], err[256];
	json_object *props, *args = json_object_new_object(), *p, *t;
	const char *s = list;
	int ok = 0, unchecked = 0;

	qemu_opts_next(list, key, sizeof(key), driver, sizeof(driver));
	snprintf(what, sizeof(what), "-device %s", driver);
	if (qemu_opts_get(list, "id", val, sizeof(val)))
		snprintf(what + strlen(what), sizeof(what) - strlen(what), " id=%.64s", val);
	json_object_object_add(args, "typename", json_object_new_string(driver));
	props = qmp_exec(&c->q, "qom-list-properties", args, err, sizeof(err));
	if (!props) {
		problem(c, "%s: unknown device type (%s)", what, err);
		return;
	}
	if (!find_prop(props, "realized")) {
		problem(c, "%s: %s is not a device type", what, driver);
		json_object_put(props);
		return;
	}
	s = qemu_opts_next(s, key, sizeof(key), val, sizeof(val));   /* the driver itself */
	while ((s = qemu_opts_next(s, key, sizeof(key), val, sizeof(val)))) {
		bool checked;

		if (!key[0]) {
			problem(c, "%s: '%s' is not key=value", what, val);
			continue;
		}
		if (!strcmp(key, "id") || !strcmp(key, "bus")) {
			ok += reference_ok(c, what, key, val);
			continue;
		}
		p = find_prop(props, key);
		if (!p) {
			problem(c, "%s: no property '%s' on %s", what, key, driver);
			continue;
		}
		json_object_object_get_ex(p, "type", &t);
		if (!qemu_value_fits(t ? json_object_get_string(t) : "", val, &checked)) {
			problem(c, "%s: %s=%s does not parse as %s", what, key, val,
				json_object_get_string(t));
			continue;
		}
		unchecked += !checked;
		ok += reference_ok(c, what, key, val);
	}
	json_object_put(props);
	fprintf(c->report, "ok    %s: %d propert%s exist with values of their type%s\n", what, ok,
		ok == 1 ? "y" : "ies", unchecked ? " (enum values not type-checked)" : "");
}

static void check_blockdevs(struct check *c)
{
	char err[256], node[128];
	json_object *nodes = qmp_exec(&c->q, "query-named-block-nodes", NULL, err, sizeof(err));

	for (int i = 0; i < c->n_opts; i++) {
		bool found = false;

		if (strcmp(c->opts[i].name, "-blockdev"))
			continue;
		if (!qemu_opts_get(c->opts[i].value, "node-name", node, sizeof(node))) {
			problem(c, "-blockdev %s: no node-name", c->opts[i].value);
			continue;
		}
		for (size_t j = 0; nodes && j < json_object_array_length(nodes); j++) {
			json_object *n, *name;

			n = json_object_array_get_idx(nodes, j);
			if (json_object_object_get_ex(n, "node-name", &name) &&
			    !strcmp(json_object_get_string(name), node))
				found = true;
		}
		if (!nodes)
			fprintf(c->report, "ok    -blockdev %s: opened at start-up (%s)\n", node, err);
		else if (!found)
			problem(c, "-blockdev node-name=%s: not among QEMU's block nodes", node);
		else
			fprintf(c->report, "ok    -blockdev %s: opened\n", node);
	}
	json_object_put(nodes);
}

/* Does the line create a tdx-guest object (else its confidential object is SEV's)? */
static bool line_is_tdx(const struct check *c)
{
	for (int i = 0; i < c->n_opts; i++)
		if (!strcmp(c->opts[i].name, "-object") && c->opts[i].value &&
		    !strncmp(c->opts[i].value, "tdx-guest,", 10))
			return true;
	return false;
}

/* Can this host start the line's confidential guest (SEV: /dev/sev; TDX: kvm_intel tdx=Y)? */
static bool host_runs_cc(const struct check *c)
{
	char detail[200], tdx[8] = "";
	FILE *f;

	if (!kvm_usable(detail, sizeof(detail)))
		return false;
	if (strcmp(c->tech, "TDX"))
		return access("/dev/sev", R_OK | W_OK) == 0;
	f = fopen("/sys/module/kvm_intel/parameters/tdx", "r");
	if (!f)
		return false;
	if (!fgets(tdx, sizeof(tdx), f))
		tdx[0] = '\0';
	fclose(f);
	return tdx[0] == 'Y';
}

/*
 * hostfwd=tcp:ADDR:HPORT-:GPORT with host port 0: the syntax is still checked
 * by QEMU, but the check neither needs the ports free nor takes them from a
 * guest that runs with this line.
 */
static void netdev_any_host_port(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	while (*in && o + 1 < outlen) {
		const char *fwd = strstr(in, "hostfwd=");
		const char *dash, *colon;

		if (!fwd || fwd != in) {
			size_t n = fwd ? (size_t)(fwd - in) : strlen(in);

			if (n > outlen - 1 - o)
				n = outlen - 1 - o;
			memcpy(out + o, in, n);
			o += n;
			in += n;
			continue;
		}
		dash = strstr(fwd, "-:");
		colon = dash ? dash : NULL;
		while (colon && colon > fwd && colon[-1] != ':')
			colon--;
		if (!dash || colon == fwd || (size_t)(colon - in) + 2 >= outlen - o) {
			out[o++] = *in++;
			continue;
		}
		memcpy(out + o, in, (size_t)(colon - in));
		o += (size_t)(colon - in);
		out[o++] = '0';
		in = dash;
	}
	out[o] = '\0';
}

/* The argv QEMU runs for the check. */
static int check_argv(struct check *c, const char *sock, struct qemu_argv *out)
{
	char detail[200];
	bool kvm_ok = kvm_usable(detail, sizeof(detail));

	c->tech = line_is_tdx(c) ? "TDX" : "SEV";
	c->structural = c->plan->uses_sev && !host_runs_cc(c);
	if (qemu_argv_add(out, c->plan->qemu))
		return -1;
	for (int i = 0; i < c->n_opts; i++) {
		const char *n = c->opts[i].name, *v = c->opts[i].value;

		if (!strcmp(n, "-serial") || !strcmp(n, "-qmp") || !strcmp(n, "-pidfile") ||
		    !strcmp(n, "-monitor") || !strcmp(n, "-daemonize"))
			continue;
		if (!strcmp(n, "-accel") && !strcmp(v, "kvm") && (c->structural || !kvm_ok)) {
			fprintf(c->report, "note  -accel kvm checked as -accel tcg (%s)\n",
				c->structural ? (strcmp(c->tech, "TDX") ? "no SEV on this host" :
						 "no TDX on this host") : detail);
			v = "tcg";
		}
		if (!strcmp(n, "-machine") && c->structural) {
			char rebuilt[1024] = "", key[128], val[512];
			const char *s = v;

			while ((s = qemu_opts_next(s, key, sizeof(key), val, sizeof(val)))) {
				if (!strcmp(key, "confidential-guest-support")) {
					snprintf(c->cgs_id, sizeof(c->cgs_id), "%.63s", val);
					continue;
				}
				snprintf(rebuilt + strlen(rebuilt), sizeof(rebuilt) - strlen(rebuilt),
					 "%s%s%s%s", rebuilt[0] ? "," : "", key, key[0] ? "=" : "", val);
			}
			fprintf(c->report, "note  no %s on this host: QEMU refuses confidential-guest-"
				"support before preconfig, so it is left out and checked by shape\n",
				c->tech);
			snprintf(c->machine, sizeof(c->machine), "%s", rebuilt);
			if (qemu_argv_add(out, n) || qemu_argv_add(out, rebuilt))
				return -1;
			continue;
		}
		if (!strcmp(n, "-netdev") && strstr(v, "hostfwd=")) {
			char any[2048];

			netdev_any_host_port(v, any, sizeof(any));
			if (qemu_argv_add(out, n) || qemu_argv_add(out, any))
				return -1;
			continue;
		}
		if (qemu_argv_add(out, n) || (v && qemu_argv_add(out, v)))
			return -1;
	}
	return qemu_argv_add(out, "--preconfig") || qemu_argv_add(out, "-qmp") ||
		qemu_argv_addf(out, "unix:%s,server=on,wait=off", sock);
}

static int qemu_alive(void *arg)
{
	struct check *c = arg;

	return !proc_exited(c->pid, NULL);
}

/* QEMU's own complaint: the first stderr line that is not module-loading noise. */
static void qemu_complaint(const char *errfile, char *out, size_t outlen)
{
	char line[1024];
	FILE *f = fopen(errfile, "r");

	snprintf(out, outlen, "no message");
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || !strncmp(line, "failed to ", 10) || strstr(line, "modules from the same"))
			continue;
		snprintf(out, outlen, "%.700s", line);
		break;
	}
	if (f)
		fclose(f);
}

static void run_checks(struct check *c)
{
	for (int i = 0; i < c->n_opts; i++) {
		const char *n = c->opts[i].name, *v = c->opts[i].value;

		if (!strcmp(n, "-machine"))
			check_machine(c, c->structural && c->machine[0] ? c->machine : v);
		else if (!strcmp(n, "-object"))
			check_object(c, v);
		else if (!strcmp(n, "-device"))
			check_device(c, v);
	}
	if (c->structural && c->cgs_id[0])
		check_cgs_link(c);
	if (c->structural && !strcmp(c->tech, "TDX"))
		check_tdx_machine_rules(c);
	check_blockdevs(c);
}

int qemu_check_argv(const struct qemu_plan *plan, const struct qemu_argv *av, FILE *report,
		    char *err, size_t errlen)
{
	struct check c = { .plan = plan, .report = report, .pid = -1 };
	struct qemu_argv run = { 0 };
	char dir[] = "/tmp/cvmio-check.XXXXXX", sock[64], errfile[64], why[1024];
	int rc = CVMIO_EXIT_ENV;

	c.n_opts = qemu_opts_split(av->argv, av->argc, c.opts, MAX_OPTS, err, errlen);
	if (c.n_opts < 0)
		return CVMIO_EXIT_INPUT;
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, "mkdtemp: %s", strerror(errno));
		return CVMIO_EXIT_ENV;
	}
	snprintf(sock, sizeof(sock), "%s/qmp.sock", dir);
	snprintf(errfile, sizeof(errfile), "%s/stderr", dir);
	if (check_argv(&c, sock, &run) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (!plan->req->accel)
		fprintf(report, "note  accel %s\n", plan->accel_reason);
	fprintf(report, "note  QEMU %d.%d.%d (%s) under --preconfig: no guest runs\n",
		plan->qemu_version.major, plan->qemu_version.minor, plan->qemu_version.micro, plan->qemu);
	c.pid = proc_spawn(run.argv, NULL, NULL, errfile);
	if (c.pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	if (qmp_open(&c.q, sock, 15000, qemu_alive, &c, why, sizeof(why)) < 0) {
		char complaint[800];
		bool exited;

		/* a QEMU that refuses the line exits right away; one that hangs is killed */
		exited = proc_wait(c.pid, 2000, NULL);
		qemu_complaint(errfile, complaint, sizeof(complaint));
		if (exited) {
			const char *hint = strstr(complaint, "does not accept value") ?
				" (this QEMU lacks that type; see the mode profile's QEMU)" : "";

			snprintf(err, errlen, "QEMU refused the line: %s%s", complaint, hint);
			fprintf(report, "FAIL  QEMU refused the line: %s%s\n", complaint, hint);
			rc = CVMIO_EXIT_NEGATIVE;
		} else {
			snprintf(err, errlen, "%s (%s)", why, complaint);
		}
		goto out;
	}
	run_checks(&c);
	json_object_put(qmp_exec(&c.q, "quit", NULL, why, sizeof(why)));
	qmp_close(&c.q);
	proc_wait(c.pid, 5000, NULL);
	if (c.problems) {
		snprintf(err, errlen, "%d problem%s; first: %s", c.problems, c.problems == 1 ? "" : "s",
			 c.first_problem);
		rc = CVMIO_EXIT_NEGATIVE;
	} else {
		char how[64] = "";

		if (c.structural)
			snprintf(how, sizeof(how), " (structural %s check: no %s host)", c.tech, c.tech);
		fprintf(report, "check passed: %s/%s line accepted by QEMU%s\n", plan->req->mode,
			plan->req->backend, how);
		rc = CVMIO_EXIT_OK;
	}
out:
	qemu_argv_free(&run);
	unlink(sock);
	unlink(errfile);
	rmdir(dir);
	return rc;
}
