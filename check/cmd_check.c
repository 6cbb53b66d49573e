// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio check: which protections are really active.  --host: can this host
 * run each mode; --guest: which mode this guest really is (encryption from
 * SEV_STATUS or the kernel log, bouncing from ACCESS_PLATFORM + swiotlb).
 * Unknown facts print as unknown/null, never as false.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "check_facts.h"
#include "cvmio.h"

json_object *json_tri(int v)
{
	return v == TRI_UNKNOWN ? NULL : json_object_new_boolean(v);
}

json_object *json_count(int64_t v)
{
	return v < 0 ? NULL : json_object_new_int64(v);
}

const char *tri_word(int v)
{
	return v == TRI_UNKNOWN ? "unknown" : v ? "yes" : "no";
}

json_object *json_confirms(const bool confirms[N_CHECK_MODES])
{
	json_object *o = json_object_new_object();

	for (int i = 0; i < N_CHECK_MODES; i++)
		json_object_object_add(o, check_modes[i], json_object_new_boolean(confirms[i]));
	return o;
}

static void usage(FILE *out)
{
	fprintf(out,
"usage: cvmio check (--host | --guest) [--json] [--expect MODE]\n"
"                   [--qemu BIN] [--profiles DIR] [--root DIR]\n"
"\n"
"  --host          CPUID 0x8000001F, kvm_amd sev parameters, /dev/sev, KVM usable,\n"
"                  QEMU version and the modes it supports; confirms = this host can run MODE\n"
"  --guest         SEV_STATUS MSR, the kernel's memory-encryption line, virtio\n"
"                  ACCESS_PLATFORM, swiotlb use and swiotlb=force; confirms = this guest is MODE\n"
"  --json          one JSON object (for manifests); unknown facts are null\n"
"  --expect MODE   exit 0 when MODE (plain, bounce, sev, sev-es, sev-snp, tdx) is confirmed, 1 if not\n"
"  --qemu BIN      QEMU to report on (--host; default $CVMIO_QEMU or qemu-system-x86_64)\n"
"  --profiles DIR  mode profiles for the QEMU version rules (--host)\n"
"  --root DIR      read proc/, sys/, dev/ below DIR instead of / (--guest; for tests)\n"
"\n"
"Exit: 0 ok (or MODE confirmed), 1 MODE not confirmed, 2 usage.\n");
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", no_argument, NULL, 'H' }, { "guest", no_argument, NULL, 'G' },
		{ "json", no_argument, NULL, 'j' }, { "expect", required_argument, NULL, 'e' },
		{ "qemu", required_argument, NULL, 'q' }, { "profiles", required_argument, NULL, 'p' },
		{ "root", required_argument, NULL, 'r' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *expect = NULL, *qemu = NULL, *profiles = NULL, *root = "";
	bool host = false, guest = false, json = false, confirms[N_CHECK_MODES];
	int c, want = -1;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'H': host = true; break;
		case 'G': guest = true; break;
		case 'j': json = true; break;
		case 'e': expect = optarg; break;
		case 'q': qemu = optarg; break;
		case 'p': profiles = optarg; break;
		case 'r': root = optarg; break;
		case 'h': usage(stdout); return CVMIO_EXIT_OK;
		case ':':
			return cvmio_error(CVMIO_EXIT_USAGE, "check", "%s needs a value", argv[optind - 1]);
		default:
			return cvmio_error(CVMIO_EXIT_USAGE, "check", "unknown option %s (see --help)",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cvmio_error(CVMIO_EXIT_USAGE, "check", "unexpected argument '%s'", argv[optind]);
	if (host == guest)
		return cvmio_error(CVMIO_EXIT_USAGE, "check", "choose one of --host and --guest");
	if (expect && (want = check_mode_index(expect)) < 0)
		return cvmio_error(CVMIO_EXIT_USAGE, "check",
				   "--expect %s: expected plain, bounce, sev, sev-es, sev-snp or tdx", expect);
	if (host) {
		struct host_facts h;

		host_facts_gather(qemu, profiles, &h);
		host_facts_confirms(&h, confirms);
		if (json) {
			json_object *o = host_facts_json(&h, confirms);

			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
			json_object_put(o);
		} else {
			host_facts_text(&h, confirms);
		}
	} else {
		static struct guest_facts g;   /* large: keep it off the stack */

		guest_facts_gather(root, &g);
		guest_facts_confirms(&g, confirms);
		if (json) {
			json_object *o = guest_facts_json(&g, confirms);

			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
			json_object_put(o);
		} else {
			guest_facts_text(&g, confirms);
		}
	}
	fflush(stdout);
	if (want >= 0 && !confirms[want]) {
		if (!json)
			fprintf(stderr, "cvmio check: %s not confirmed\n", expect);
		return CVMIO_EXIT_NEGATIVE;
	}
	return CVMIO_EXIT_OK;
}
