// SPDX-License-Identifier: GPL-2.0-only
/*
 * The study's SEV/SNP launch keys ([guest] kernel_hashes=, igvm=,
 * id_block_file=, id_auth_file=, host_data=, author_key_enabled=): read and
 * checked when the study is read, so that a bad one is a FILE:LINE error
 * rather than a refused boot.  Which modes get them is decided by launch.h's
 * rules on the protection each mode's profile confirms, here and in the
 * runner (run_guest.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "cvmio.h"
#include "launch.h"
#include "run_study.h"

/*
 * An SNP identity input given as a file of base64 text (as the tools that
 * make ID blocks write it): an ID authentication structure is 5464 base64
 * characters, far beyond the INI parser's line.
 */
static int set_identity_file(const char *name, const char *path, long want, char **dst, char *why,
			     size_t len)
{
	char *text = cvmio_read_file(path);
	size_t n = 0;
	int rc;

	if (!text) {
		snprintf(why, len, "%s=%s: cannot read: %s", name, path, strerror(errno));
		return -1;
	}
	/* base64 as such tools write it may be wrapped (base64(1) breaks lines at 76) */
	for (char *p = text; *p; p++)
		if (!isspace((unsigned char)*p))
			text[n++] = *p;
	text[n] = '\0';
	rc = base64_check_size(name, text, want, why, len);
	if (rc) {
		size_t used = strlen(why);

		snprintf(why + used, len - used, " (in %s)", path);
		free(text);
		return -1;
	}
	free(*dst);
	*dst = text;
	return 1;
}

int study_launch_key(struct study *s, const char *name, const char *value, char *why, size_t len)
{
	if (!strcmp(name, "kernel_hashes")) {
		if (strcmp(value, "on") && strcmp(value, "off") && strcmp(value, "auto")) {
			snprintf(why, len, "kernel_hashes=%s: expected on, off or auto", value);
			return -1;
		}
		cvmio_replace_str(&s->kernel_hashes, value);
		return 1;
	}
	if (!strcmp(name, "igvm")) {
		if (access(value, R_OK)) {
			snprintf(why, len, "igvm=%s: cannot read: %s", value, strerror(errno));
			return -1;
		}
		cvmio_replace_str(&s->igvm, value);
		return 1;
	}
	if (!strcmp(name, "id_block_file"))
		return set_identity_file(name, value, SNP_ID_BLOCK_BYTES, &s->id_block, why, len);
	if (!strcmp(name, "id_auth_file"))
		return set_identity_file(name, value, SNP_ID_AUTH_BYTES, &s->id_auth, why, len);
	if (!strcmp(name, "host_data")) {
		if (base64_check_size(name, value, SNP_HOST_DATA_BYTES, why, len))
			return -1;
		cvmio_replace_str(&s->host_data, value);
		return 1;
	}
	if (!strcmp(name, "author_key_enabled")) {
		if (strcmp(value, "yes") && strcmp(value, "no")) {
			snprintf(why, len, "author_key_enabled=%s: expected yes or no", value);
			return -1;
		}
		s->author_key_enabled = !strcmp(value, "yes");
		return 1;
	}
	return 0;
}

/* Does some mode of the study show a protection that 'wanted' accepts (its profile's confirms=)? */
static bool study_has_protection(const struct study *s, bool (*wanted)(const char *))
{
	for (size_t m = 0; m < s->modes.n; m++)
		if (s->mode_info && s->mode_info[m].confirms && wanted(s->mode_info[m].confirms))
			return true;
	return false;
}

/*
 * Launch options apply to the modes whose guests take them (the runner
 * passes them to those only): a study without such a mode would ignore them
 * silently, and half an SNP identity would only fail at the first boot.
 */
int study_launch_check(const struct study *s, char *why, size_t len)
{
	if ((s->id_block || s->id_auth || s->host_data || s->author_key_enabled) &&
	    !study_has_protection(s, launch_takes_snp_identity))
		snprintf(why, len, "[guest] id_block_file=, id_auth_file=, host_data= and author_key_enabled= "
			 "are SEV-SNP inputs, and no mode in modes= is an SEV-SNP mode");
	else if ((s->igvm || s->kernel_hashes) && !study_has_protection(s, launch_takes_sev_boot))
		snprintf(why, len, "[guest] igvm= and kernel_hashes= are for SEV, SEV-ES and SEV-SNP guests, "
			 "and no mode in modes= is one");
	else if (!s->id_block != !s->id_auth)
		snprintf(why, len, "[guest] %s needs %s (the ID block is signed by the ID key in the "
			 "authentication structure)", s->id_block ? "id_block_file=" : "id_auth_file=",
			 s->id_block ? "id_auth_file=" : "id_block_file=");
	else if (s->author_key_enabled && !s->id_auth)
		snprintf(why, len, "[guest] author_key_enabled=yes needs id_auth_file= (which carries the "
			 "author key)");
	else if (s->igvm && s->firmware)
		snprintf(why, len, "[guest] igvm= and firmware= exclude each other (the IGVM file carries "
			 "the firmware)");
	else
		return 0;
	return -1;
}
