/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One benchmark guest of a study: composed with qemu_compose(), started with
 * its serial console in a file and host forwards on 127.0.0.1 for the fio
 * server (guest 8765) and the check service (guest 8766), watched until the
 * console says CVMIO-FIO-SERVER-READY, and stopped.
 */
#ifndef CVMIO_RUN_GUEST_H
#define CVMIO_RUN_GUEST_H

#include <sys/types.h>

#include "run_study.h"
#include "compose.h"

struct guest {
	pid_t pid;              /* 0 = not running */
	int fio_port, check_port;
	char console[4096];     /* serial console log (kept in the results tree) */
	char qemu_log[4096];    /* QEMU's stdout/stderr */
	char qmp[108];          /* QMP socket (in a private /tmp folder) */
	char agent[108];        /* the guest agent's socket (suite studies) */
	struct qemu_argv av;
	char *cmdline;          /* kernel command line given to the composer */
	char *boot_check;       /* JSON text the guest printed between the check markers */
	char *kernel_version;   /* from the console's "Linux version" line, or NULL */
	int ready;
	int agent_ready;        /* a user's image: ready when its guest agent answers, not at the console marker */
	int exited, exit_status;/* QEMU's end, once it ended */
	char why[512];          /* why it is not usable */
};

/* Where the appliance lives: [guest] appliance=, $CVMIO_GUEST, next to the binary, build/guest, PREFIX. */
int guest_find_appliance(const struct study *s, const char *mode, char *kernel, char *initrd,
			 size_t len, char *err, size_t errlen);

/*
 * Would the composer accept this guest?  0, or -1 with its reason (nothing
 * is started).  With print, the line goes there too (after a "# MODE/BACKEND"
 * line), its ports and socket paths placeholders: the runner picks them at boot.
 */
int guest_compose_check(const struct study *s, const char *mode, const char *backend, const char *rundir,
			FILE *print, char *err, size_t errlen);

/*
 * Ports one runner has handed out: a QEMU binds its forwards only once it
 * runs, so the kernel may offer the same free port to the next guest.
 * Owned by the runner (struct runner), not the process.
 */
struct port_set {
	int *v;
	size_t n, cap;
};
/* A free TCP port on 127.0.0.1 not in taken (then added to it); -1 (not reserved: a tiny race remains). */
int free_port(struct port_set *taken);
void port_set_free(struct port_set *taken);

/*
 * Compose and start one guest (its ports from ports).  logdir receives the console and QEMU log
 * (named with tag), rundir (short, private) the QMP socket.  Returns 0 or -1 with err.
 */
int guest_start(const struct study *s, const char *mode, const char *backend, const char *logdir,
		const char *rundir, const char *tag, struct port_set *ports, struct guest *g, char *err,
		size_t errlen);

/* 1 ready (fio server listening), 0 not yet, -1 dead (g->why says why). */
int guest_poll_ready(struct guest *g);

/* Is QEMU still running?  Fills g->why when not. */
int guest_alive(struct guest *g);

/*
 * After a failed boot: is another attempt worth it?  Yes when the guest
 * itself ended (QEMU exit status 0: panic=-1 and -no-reboot, e.g. an early
 * timer panic on an overloaded TCG host) or hung; no when QEMU refused its
 * command line or the appliance reported an error.
 */
int guest_boot_retryable(const struct guest *g);

/* The guest's current 'cvmio check --guest --json' from port 8766 (malloc'd) or NULL. */
char *guest_fetch_check(const struct guest *g, int timeout_ms);

/* Pin vCPU and iothread threads through QMP; returns a JSON text of the pin map (malloc'd) or NULL. */
char *guest_pin(struct guest *g, const char *vcpu_pin, const char *iothread_pin, char *err, size_t errlen);

void guest_stop(struct guest *g);
void guest_free(struct guest *g);


#endif
