/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Child processes of cvmio (QEMU, fio, tools): each in its own process group
 * so a terminal's Ctrl-C reaches only the runner (which then stops them in
 * order), and with PR_SET_PDEATHSIG so that even a SIGKILLed runner leaves
 * no QEMU or fio behind.
 */
#ifndef CVMIO_PROC_H
#define CVMIO_PROC_H

#include <signal.h>
#include <sys/types.h>

/*
 * Start argv[0] (looked up in PATH) with extra NAME=VALUE environment
 * entries (NULL-terminated, or NULL), stdin from /dev/null, stdout and stderr
 * appended to the given files (NULL = /dev/null).  Returns the pid or -1.
 */
pid_t proc_spawn(char *const argv[], char *const env[], const char *out_path, const char *err_path);

/* Non-blocking: 1 and the wait status when pid has exited (and is reaped), else 0. */
int proc_exited(pid_t pid, int *status);

/* SIGTERM, up to grace_ms for it to exit, then SIGKILL; always reaps. */
void proc_stop(pid_t pid, int grace_ms);

/*
 * Wait up to timeout_ms for pid to exit: 1 with its wait status; else
 * SIGKILL it, reap it and return 0.
 */
int proc_wait(pid_t pid, int timeout_ms, int *status);

/*
 * Run argv to completion (bounded by timeout_s): its stdout (malloc'd) and
 * *status its wait status (127: could not be started); NULL and *status -1
 * when it could not run or was killed at the timeout.
 */
char *proc_run(char *const argv[], int timeout_s, int *status);

/* proc_run()'s stdout when argv exited 0, else NULL. */
char *proc_output(char *const argv[], int timeout_s);

/* The first line of proc_output() (without its newline), or NULL. */
char *proc_output_line(char *const argv[], int timeout_s);

/* Milliseconds on the monotonic clock. */
long long now_ms(void);
void sleep_ms(int ms);

/* "exit status 3" / "killed by signal 9" */
void proc_describe(int status, char *buf, size_t len);

#endif
