// SPDX-License-Identifier: GPL-2.0-only
/* One benchmark guest of a study (see run_guest.h). */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json.h>

#include "cvmio-config.h"
#include "cvmio.h"
#include "launch.h"
#include "run_guest.h"
#include "run_suite.h"
#include "proc.h"
#include "qmp.h"

#define READY_MARK "CVMIO-FIO-SERVER-READY"
#define CHECK_BEGIN "CVMIO-CHECK-BEGIN"
#define CHECK_END "CVMIO-CHECK-END"
#define AGENT_PING_MS 5000

static int port_taken(const struct port_set *taken, int port)
{
	for (size_t i = 0; i < taken->n; i++)
		if (taken->v[i] == port)
			return 1;
	return 0;
}

int free_port(struct port_set *taken)
{
	for (int attempt = 0; attempt < 50; attempt++) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		socklen_t len = sizeof(a);
		int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

		if (fd < 0)
			return -1;
		if (!bind(fd, (struct sockaddr *)&a, sizeof(a)) && !getsockname(fd, (struct sockaddr *)&a, &len))
			port = ntohs(a.sin_port);
		close(fd);
		if (port < 0)
			return -1;
		if (!port_taken(taken, port)) {
			int *grown = cvmio_grow(taken->v, taken->n, &taken->cap, sizeof(*taken->v));

			if (!grown)
				abort();
			taken->v = grown;
			taken->v[taken->n++] = port;
			return port;
		}
	}
	return -1;
}

void port_set_free(struct port_set *taken)
{
	free(taken->v);
	taken->v = NULL;
	taken->n = taken->cap = 0;
}

static int exists(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISREG(st.st_mode);
}

static int pick(const char *dir, const char *const *names, char *out, size_t len)
{
	for (; *names; names++) {
		snprintf(out, len, "%s/%s", dir, *names);
		if (exists(out))
			return 1;
	}
	return 0;
}

int guest_find_appliance(const struct study *s, const char *mode, char *kernel, char *initrd,
			 size_t len, char *err, size_t errlen)
{
	/* firmware (OVMF) boots want the bzImage; direct boots prefer the uncompressed image (the mode's guest_kernel=) */
	static const char *const direct[] = { "vmlinux", "vmlinuz", "bzImage", "kernel", NULL };
	static const char *const ovmf[] = { "vmlinuz", "bzImage", "kernel", NULL };
	static const char *const initrds[] = { "initramfs.cpio.zst", "initramfs.cpio.gz", "initramfs.img", "initrd.img",
					       "initramfs.cpio", "initrd", NULL };
	const struct study_mode *info = study_mode_info(s, mode);
	const int firmware_boot = info && info->guest_kernel && !strcmp(info->guest_kernel, "vmlinuz");
	char exe[4096], cand[4][4096];
	size_t n = 0;

	if (s->kernel) {
		snprintf(kernel, len, "%s", s->kernel);
		snprintf(initrd, len, "%s", s->initrd);
		return 0;
	}
	if (s->appliance)
		snprintf(cand[n++], sizeof(cand[0]), "%s", s->appliance);
	else {
		const char *env = getenv("CVMIO_GUEST");
		if (env && *env)
			snprintf(cand[n++], sizeof(cand[0]), "%s", env);
		ssize_t r = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (r > 0) {
			exe[r] = '\0';
			char *slash = strrchr(exe, '/');
			if (slash) {
				*slash = '\0';
				snprintf(cand[n++], sizeof(cand[0]), "%.4000s/../guest", exe);
			}
		}
		snprintf(cand[n++], sizeof(cand[0]), "build/guest");
		snprintf(cand[n++], sizeof(cand[0]), "%s/share/cvmio/guest", CVMIO_PREFIX);
	}
	for (size_t i = 0; i < n; i++)
		if (pick(cand[i], firmware_boot ? ovmf : direct, kernel, len) && pick(cand[i], initrds, initrd, len))
			return 0;
	snprintf(err, errlen, "no guest appliance (kernel + initramfs) in %s%s; run 'make guest' or set [guest] appliance= / kernel= initrd=",
		 cand[0], n > 1 ? " nor the default places" : "");
	return -1;
}

/* The appliance's recommended command line (its 'cmdline' file) and kernel release, next to the kernel. */
static void appliance_facts(const char *kernel, char **cmdline, char **release)
{
	char path[4200];
	const char *slash = strrchr(kernel, '/');
	int dirlen = slash ? (int)(slash - kernel) : 1;
	const char *dir = slash ? kernel : ".";
	FILE *f;
	char line[2048];

	snprintf(path, sizeof(path), "%.*s/cmdline", dirlen, dir);
	f = fopen(path, "r");
	if (f) {
		if (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			*cmdline = cvmio_strdup(line);
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "%.*s/kernel-release", dirlen, dir);
	f = fopen(path, "r");
	if (f) {
		if (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			free(*release);
			*release = cvmio_strdup(line);
		}
		fclose(f);
	}
}

/* The study's launch options, for a mode whose guests take them (see study_launch_check()). */
static void set_launch_options(const struct study *s, const char *mode, struct qemu_request *req)
{
	const struct study_mode *info = study_mode_info(s, mode);
	const char *protection = info && info->confirms ? info->confirms : "";

	if (launch_takes_sev_boot(protection)) {
		req->kernel_hashes = s->kernel_hashes;
		req->igvm = s->igvm;
	}
	if (launch_takes_snp_identity(protection)) {
		req->id_block = s->id_block;
		req->id_auth = s->id_auth;
		req->host_data = s->host_data;
		req->author_key_enabled = s->author_key_enabled;
	}
}

/* Compose g's QEMU argv (g's ports and paths already set). */
static int compose(const struct study *s, const char *mode, const char *backend, struct guest *g,
		   char *err, size_t errlen)
{
	struct qemu_request req = { 0 };
	char kernel[4096], initrd[4096], *base = NULL;

	req.mode = mode;
	req.backend = backend;
	req.backing = s->backing;
	req.disk = s->backing_path;
	req.aio = s->aio;
	req.queues = s->queues;
	req.smp = s->smp;
	req.mem = s->mem;
	req.firmware = s->firmware;
	req.accel = s->accel && strcmp(s->accel, "auto") ? s->accel : NULL;
	req.qemu = s->qemu;
	req.console = g->console;
	req.qmp = g->qmp;
	req.fwds[0] = (struct qemu_fwd){ g->fio_port, 8765 };
	req.fwds[1] = (struct qemu_fwd){ g->check_port, 8766 };
	req.n_fwds = 2;
	set_launch_options(s, mode, &req);
	if (s->image) {
		/* the user's image: its own boot loader, or its own kernel (kernel= initrd= append=) */
		req.image = s->image;
		req.kernel = s->kernel;
		req.initrd = s->initrd;
		req.append = s->append;
		g->agent_ready = 1;
	} else {
		if (guest_find_appliance(s, mode, kernel, initrd, sizeof(kernel), err, errlen))
			return -1;
		req.kernel = kernel;
		req.initrd = initrd;
		appliance_facts(kernel, &base, &g->kernel_version);
		/* The appliance's own line (build/guest/cmdline) has no_timer_check:
		 * on a loaded host a TCG guest can miss the kernel's early IO-APIC
		 * timer check and panic at boot. */
		if (asprintf(&g->cmdline, "%s cvmio.quiet=1%s%s",
			     base ? base : "console=ttyS0 panic=-1 no_timer_check cvmio.port=8765 cvmio.checkport=8766",
			     s->append ? " " : "", s->append ? s->append : "") < 0)
			abort();
		free(base);
		req.append = g->cmdline;
	}
	if (qemu_compose(&req, &g->av, err, errlen))
		return -1;
	if (s->suite.n) {
		char *slash = s->image ? NULL : strrchr(kernel, '/');

		if (slash)
			*slash = '\0';
		return suite_guest_args(s, mode, s->image ? "" : kernel, g->agent, &g->av, err, errlen);
	}
	return 0;
}

int guest_compose_check(const struct study *s, const char *mode, const char *backend, const char *rundir,
			FILE *print, char *err, size_t errlen)
{
	struct guest g;
	int rc;

	memset(&g, 0, sizeof(g));
	g.fio_port = 1;
	g.check_port = 2;
	snprintf(g.console, sizeof(g.console), "/dev/null");
	/* the runner's private folder: concurrent runs never share a socket path */
	snprintf(g.qmp, sizeof(g.qmp), "%.80s/compose-check.qmp", rundir);
	snprintf(g.agent, sizeof(g.agent), "%.80s/compose-check.qga", rundir);
	rc = compose(s, mode, backend, &g, err, errlen);
	/* said here, before anything boots, and not again at every boot */
	if (!rc && g.av.note[0])
		fprintf(stderr, "cvmio run: %s/%s: note: %s\n", mode, backend, g.av.note);
	if (!rc && print) {
		fprintf(print, "# %s/%s\n", mode, backend);
		qemu_argv_print(print, &g.av);
	}
	qemu_argv_free(&g.av);
	free(g.cmdline);
	free(g.kernel_version);
	return rc;
}

int guest_start(const struct study *s, const char *mode, const char *backend, const char *logdir,
		const char *rundir, const char *tag, struct port_set *ports, struct guest *g, char *err,
		size_t errlen)
{
	memset(g, 0, sizeof(*g));
	g->fio_port = free_port(ports);
	g->check_port = free_port(ports);
	if (g->fio_port < 0 || g->check_port < 0) {
		snprintf(err, errlen, "no free TCP port on 127.0.0.1: %s", strerror(errno));
		return -1;
	}
	snprintf(g->console, sizeof(g->console), "%s/%s.console", logdir, tag);
	snprintf(g->qemu_log, sizeof(g->qemu_log), "%s/%s.qemu.log", logdir, tag);
	/* unique per guest of this runner: its forward port */
	snprintf(g->qmp, sizeof(g->qmp), "%.90s/%d.qmp", rundir, g->fio_port);
	unlink(g->qmp);
	snprintf(g->agent, sizeof(g->agent), "%.90s/%d.qga", rundir, g->fio_port);
	unlink(g->agent);
	if (compose(s, mode, backend, g, err, errlen))
		return -1;
	/* a fresh console file per boot: its markers must be this boot's */
	int fd = open(g->console, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
	g->pid = proc_spawn(g->av.argv, NULL, g->qemu_log, g->qemu_log);
	if (g->pid < 0) {
		g->pid = 0;
		snprintf(err, errlen, "cannot start %s: %s", g->av.argv[0], strerror(errno));
		return -1;
	}
	return 0;
}

static void tail_reason(const char *path, const char *what, char *buf, size_t len)
{
	char *text = cvmio_read_file(path);
	char *last = NULL;

	if (text) {
		/* the last non-empty line says most */
		for (char *line = strtok(text, "\r\n"); line; line = strtok(NULL, "\r\n"))
			if (*line)
				last = line;
	}
	snprintf(buf + strlen(buf), len - strlen(buf), "%s%s%.300s", last ? "; " : "", last ? what : "",
		 last ? last : "");
	free(text);
}

int guest_alive(struct guest *g)
{
	int status;

	if (!g->pid)
		return 0;
	if (!proc_exited(g->pid, &status))
		return 1;
	g->pid = 0;
	g->ready = 0;
	g->exited = 1;
	g->exit_status = status;
	snprintf(g->why, sizeof(g->why), "QEMU ended (");
	proc_describe(status, g->why + strlen(g->why), sizeof(g->why) - strlen(g->why));
	strncat(g->why, ")", sizeof(g->why) - strlen(g->why) - 1);
	tail_reason(g->qemu_log, "QEMU: ", g->why, sizeof(g->why));
	tail_reason(g->console, "console: ", g->why, sizeof(g->why));
	return 0;
}

static char *between(const char *text, const char *begin, const char *end)
{
	const char *b = strstr(text, begin), *e;

	if (!b)
		return NULL;
	b += strlen(begin);
	e = strstr(b, end);
	if (!e)
		return NULL;
	const char *brace = memchr(b, '{', e - b);
	if (!brace)
		return NULL;
	char *raw = cvmio_strndup(brace, e - brace);
	/* the serial console turns \n into \r\n */
	char *w = raw;
	for (char *r = raw; *r; r++)
		if (*r != '\r')
			*w++ = *r;
	*w = '\0';
	return raw;
}

static char *kernel_version(const char *text)
{
	const char *p = strstr(text, "Linux version ");

	if (!p)
		return NULL;
	p += strlen("Linux version ");
	return cvmio_strndup(p, strcspn(p, " \r\n"));
}

static int alive_cb(void *g)
{
	return guest_alive(g);
}

/*
 * A user's image has no fio server and prints no marker: it is ready once
 * its guest agent answers (guest-sync-delimited, within AGENT_PING_MS; the
 * caller polls again until its boot deadline).
 */
static int agent_answers(struct guest *g)
{
	struct qmp q;
	char err[300];
	json_object *r, *release;

	if (qmp_open_agent(&q, g->agent, AGENT_PING_MS, alive_cb, g, err, sizeof(err)))
		return 0;
	r = qmp_exec(&q, "guest-ping", NULL, err, sizeof(err));
	if (!r) {
		qmp_close(&q);
		return 0;
	}
	json_object_put(r);
	/* the image's kernel, whatever its console prints (quiet) */
	r = qmp_exec(&q, "guest-get-osinfo", NULL, err, sizeof(err));
	if (r && !g->kernel_version && json_object_object_get_ex(r, "kernel-release", &release))
		g->kernel_version = cvmio_strdup(json_object_get_string(release));
	json_object_put(r);
	qmp_close(&q);
	return 1;
}

int guest_poll_ready(struct guest *g)
{
	char *text;

	if (g->ready)
		return 1;
	if (!guest_alive(g))
		return -1;
	if (g->agent_ready) {
		g->ready = agent_answers(g);
		return guest_alive(g) ? g->ready : -1;
	}
	text = cvmio_read_file(g->console);
	const char *gerr = text ? strstr(text, "CVMIO-GUEST-ERROR") : NULL;
	if (gerr) {
		snprintf(g->why, sizeof(g->why), "the guest says: %.*s", (int)strcspn(gerr, "\r\n"), gerr);
		free(text);
		proc_stop(g->pid, 2000);
		g->pid = 0;
		return -1;
	}
	if (text && strstr(text, READY_MARK)) {
		g->ready = 1;
		g->boot_check = between(text, CHECK_BEGIN, CHECK_END);
		if (!g->kernel_version)
			g->kernel_version = kernel_version(text);
	}
	free(text);
	return g->ready;
}

char *guest_fetch_check(const struct guest *g, int timeout_ms)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
				 .sin_port = htons(g->check_port) };
	long long deadline = now_ms() + timeout_ms;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char *buf = NULL;
	size_t len = 0;

	if (fd < 0)
		return NULL;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return NULL;
	}
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long long left = deadline - now_ms();
		char chunk[4096];
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n <= 0)
			break;
		buf = realloc(buf, len + n + 1);
		if (!buf)
			abort();
		memcpy(buf + len, chunk, n);
		len += n;
		buf[len] = '\0';
	}
	close(fd);
	if (buf && !strchr(buf, '{')) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/*
 * Pin each thread of list (objects with thread-id) to one CPU of the list
 * cpus (in the list's order, round robin) or, without spread, to all of them.
 */
static int pin_threads(json_object *list, const int *cpus, int n_cpus, int spread, json_object *map,
		       const char *idkey, char *err, size_t errlen)
{
	size_t setsize = CPU_ALLOC_SIZE(STUDY_MAX_CPU + 1);
	cpu_set_t *set = CPU_ALLOC(STUDY_MAX_CPU + 1);
	int rc = 0;

	if (!set)
		abort();
	for (size_t i = 0; i < json_object_array_length(list) && !rc; i++) {
		json_object *t = json_object_array_get_idx(list, i), *tid, *id;
		char *host_cpus = NULL;
		size_t len = 0;
		FILE *f;

		if (!json_object_object_get_ex(t, "thread-id", &tid))
			continue;
		CPU_ZERO_S(setsize, set);
		f = open_memstream(&host_cpus, &len);
		if (!f)
			abort();
		for (int c = spread ? (int)(i % n_cpus) : 0; c < n_cpus; c++) {
			CPU_SET_S(cpus[c], setsize, set);
			fprintf(f, "%s%d", ftell(f) ? "," : "", cpus[c]);
			if (spread)
				break;
		}
		fclose(f);
		if (sched_setaffinity(json_object_get_int(tid), setsize, set)) {
			snprintf(err, errlen, "cannot pin thread %d: %s", json_object_get_int(tid), strerror(errno));
			rc = -1;
		} else {
			json_object *entry = json_object_new_object();
			char key[64];

			json_object_object_add(entry, "thread_id", json_object_new_int(json_object_get_int(tid)));
			json_object_object_add(entry, "host_cpus", json_object_new_string(host_cpus));
			if (json_object_object_get_ex(t, idkey, &id))
				snprintf(key, sizeof(key), "%s", json_object_get_string(id));
			else
				snprintf(key, sizeof(key), "%zu", i);
			json_object_object_add(map, key, entry);
		}
		free(host_cpus);
	}
	CPU_FREE(set);
	return rc;
}

char *guest_pin(struct guest *g, const char *vcpu_pin, const char *iothread_pin, char *err, size_t errlen)
{
	struct qmp q = { .fd = -1 };
	char qerr[300];
	int *vcpus = NULL, *icpus = NULL, nv = 0, ni = 0;
	json_object *pins = json_object_new_object(), *vmap = json_object_new_object(),
		    *imap = json_object_new_object(), *list;
	char *out = NULL;
	int rc = -1;

	if ((vcpu_pin && (nv = study_cpulist_order(vcpu_pin, &vcpus)) <= 0) ||
	    (iothread_pin && (ni = study_cpulist_order(iothread_pin, &icpus)) <= 0))
		snprintf(err, errlen, "bad CPU list");
	else if (qmp_open(&q, g->qmp, 0, NULL, NULL, qerr, sizeof(qerr)))
		snprintf(err, errlen, "cannot talk QMP on %s: %s", g->qmp, qerr);
	else {
		rc = 0;
		if (vcpu_pin) {
			list = qmp_exec(&q, "query-cpus-fast", NULL, qerr, sizeof(qerr));
			rc = list ? pin_threads(list, vcpus, nv, 1, vmap, "cpu-index", err, errlen) : -1;
			if (!list)
				snprintf(err, errlen, "QMP query-cpus-fast failed: %s", qerr);
			json_object_put(list);
		}
		if (!rc && iothread_pin) {
			list = qmp_exec(&q, "query-iothreads", NULL, qerr, sizeof(qerr));
			rc = list ? pin_threads(list, icpus, ni, 0, imap, "id", err, errlen) : -1;
			if (!list)
				snprintf(err, errlen, "QMP query-iothreads failed: %s", qerr);
			json_object_put(list);
		}
	}
	qmp_close(&q);
	free(vcpus);
	free(icpus);
	json_object_object_add(pins, "vcpus", vmap);
	json_object_object_add(pins, "iothreads", imap);
	if (!rc)
		out = cvmio_strdup(json_object_to_json_string_ext(pins, JSON_C_TO_STRING_PLAIN));
	json_object_put(pins);
	return out;
}

int guest_boot_retryable(const struct guest *g)
{
	if (strstr(g->why, "the guest says"))
		return 0;
	if (!g->exited)
		return 1; /* hung: stopped by us */
	return WIFEXITED(g->exit_status) && WEXITSTATUS(g->exit_status) == 0;
}

void guest_stop(struct guest *g)
{
	if (g->pid)
		proc_stop(g->pid, 3000);
	g->pid = 0;
	g->ready = 0;
	unlink(g->qmp);
}

void guest_free(struct guest *g)
{
	guest_stop(g);
	qemu_argv_free(&g->av);
	free(g->cmdline);
	free(g->boot_check);
	free(g->kernel_version);
	g->cmdline = g->boot_check = g->kernel_version = NULL;
}
