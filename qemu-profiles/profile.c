// SPDX-License-Identifier: GPL-2.0-only
/* Loading mode/backend profiles (INI, via inih) and finding their folder. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>


#include "cvmio-config.h"
#include "cvmio.h"
#include "ini_file.h"
#include "profile.h"

/* Keys a profile may set; anything else is a typo worth reporting. */
static const char *const mode_keys[] = {
	"description", "min_qemu", "accel", "firmware", "virtio_props", "append",
	"machine_props", "cpu", "libvirt_launch_security", "libvirt_policy", "libvirt_memfd",
	"confirms", "guest_kernel", "measured_firmware", NULL
};
static const char *const backend_keys[] = {
	"description", "guest_disk", "nvme_char_disk", "aio", "libvirt_bus", "libvirt_target",
	"libvirt_controller", "libvirt_iothread", NULL
};

static int is_profiles_dir(const char *dir)
{
	char p[PATH_MAX];
	struct stat st;

	if (snprintf(p, sizeof(p), "%s/modes/plain.ini", dir) >= (int)sizeof(p))
		return 0;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

struct found {
	char *out;
	size_t outlen;
};

/* dir/qemu-profiles (a source tree) or dir/share/cvmio/qemu-profiles (an installed prefix). */
static int profiles_below(const char *dir, void *ctx)
{
	static const char *const rel[] = { "qemu-profiles", "share/cvmio/qemu-profiles" };
	struct found *f = ctx;
	char cand[PATH_MAX + 64];

	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(cand, sizeof(cand), "%s/%s", dir, rel[i]);
		if (is_profiles_dir(cand)) {
			snprintf(f->out, f->outlen, "%s", cand);
			return 1;
		}
	}
	return 0;
}

int profiles_dir_find(const char *explicit_dir, char *out, size_t outlen, char *err, size_t errlen)
{
	const char *env = getenv("CVMIO_PROFILES");
	char cand[PATH_MAX + 64];

	if (explicit_dir || (env && *env)) {
		const char *d = explicit_dir ? explicit_dir : env;

		if (!is_profiles_dir(d)) {
			snprintf(err, errlen, "%s %s: not a profiles folder (no modes/plain.ini)",
				 explicit_dir ? "--profiles" : "$CVMIO_PROFILES", d);
			return -1;
		}
		snprintf(out, outlen, "%s", d);
		return 0;
	}
	/* The source tree above the binary (build/bin/cvmio ...), or an installed prefix. */
	struct found f = { out, outlen };
	if (cvmio_find_above_exe(profiles_below, &f))
		return 0;
	snprintf(cand, sizeof(cand), "%s/share/cvmio/qemu-profiles", CVMIO_PREFIX);
	if (is_profiles_dir(cand)) {
		snprintf(out, outlen, "%s", cand);
		return 0;
	}
	snprintf(err, errlen, "no qemu-profiles folder found (tried the source tree and %s; "
		 "use --profiles DIR or $CVMIO_PROFILES)", cand);
	return -1;
}

struct load_ctx {
	struct profile *p;
	const char *const *keys;
	const char *head;   /* "mode" or "backend" */
	char *err;
	size_t errlen;
	int failed;
};

static int key_known(const char *const *keys, const char *key)
{
	for (; *keys; keys++)
		if (!strcmp(*keys, key))
			return 1;
	return 0;
}

static int on_entry(void *user, const char *section, const char *key, const char *value,
		    int line)
{
	struct load_ctx *c = user;
	struct profile *p = c->p;
	struct profile_entry *grown;

	if (c->failed)
		return 0;
	if (!strcmp(section, "args")) {
		if (strcmp(key, "arg")) {
			snprintf(c->err, c->errlen, "%s:%d: unknown key '%s' in [args] (only 'arg =')",
				 p->path, line, key);
			c->failed = 1;
			return 0;
		}
	} else if (!strcmp(section, c->head)) {
		if (!key_known(c->keys, key)) {
			snprintf(c->err, c->errlen, "%s:%d: unknown key '%s' in [%s]", p->path, line,
				 key, section);
			c->failed = 1;
			return 0;
		}
		/* one value per key: a second one would silently win or lose */
		for (size_t i = 0; i < p->n; i++)
			if (!strcmp(p->entries[i].section, section) && !strcmp(p->entries[i].key, key)) {
				snprintf(c->err, c->errlen, "%s:%d: '%s' given twice in [%s] (first at line %d)",
					 p->path, line, key, section, p->entries[i].line);
				c->failed = 1;
				return 0;
			}
	} else {
		snprintf(c->err, c->errlen, "%s:%d: unknown section [%s] (expected [%s] or [args])",
			 p->path, line, section, c->head);
		c->failed = 1;
		return 0;
	}
	grown = cvmio_grow(p->entries, p->n, &p->cap, sizeof(*grown));
	if (!grown) {
		snprintf(c->err, c->errlen, "%s: out of memory", p->path);
		c->failed = 1;
		return 0;
	}
	p->entries = grown;
	p->entries[p->n].section = strdup(section);
	p->entries[p->n].key = strdup(key);
	p->entries[p->n].value = strdup(value);
	p->entries[p->n].line = line;
	p->n++;
	return 1;
}

static int valid_name(const char *name)
{
	if (!*name || name[0] == '.')
		return 0;
	for (const char *s = name; *s; s++)
		if (*s == '/')
			return 0;
	return 1;
}

int profile_load(const char *dir, const char *kind, const char *name, struct profile *p,
		 char *err, size_t errlen)
{
	int is_mode = !strcmp(kind, "modes");
	struct load_ctx c = {
		.p = p, .keys = is_mode ? mode_keys : backend_keys,
		.head = is_mode ? "mode" : "backend", .err = err, .errlen = errlen,
	};
	char names[512];
	FILE *f;

	memset(p, 0, sizeof(*p));
	snprintf(p->path, sizeof(p->path), "%s/%s/%s.ini", dir, kind, name);
	f = valid_name(name) ? fopen(p->path, "r") : NULL;
	if (!f) {
		profile_names(dir, kind, names, sizeof(names));
		snprintf(err, errlen, "unknown %s '%s' (no %s; known: %s)", c.head, name, p->path,
			 names);
		return -1;
	}
	fclose(f);
	if (ini_file_parse(p->path, "profile", on_entry, &c, err, errlen)) {
		profile_free(p);
		return -1;
	}
	return 0;
}

const char *profile_get(const struct profile *p, const char *section, const char *key)
{
	const char *v = NULL;

	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->entries[i].section, section) && !strcmp(p->entries[i].key, key))
			v = p->entries[i].value;    /* [args] repeats; other keys are unique */
	return v;
}

int profile_get_bool(const struct profile *p, const char *section, const char *key)
{
	const char *v = profile_get(p, section, key);

	return v && (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on") ||
		     !strcmp(v, "1"));
}

void profile_free(struct profile *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->entries[i].section);
		free(p->entries[i].key);
		free(p->entries[i].value);
	}
	free(p->entries);
	p->entries = NULL;
	p->n = p->cap = 0;
}

void profile_names(const char *dir, const char *kind, char *out, size_t outlen)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, kind);
	ini_file_names(path, ", ", out, outlen);
}
