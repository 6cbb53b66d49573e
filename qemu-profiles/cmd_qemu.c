// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmio qemu: compose the QEMU command line for a confidential mode and a
 * storage backend from the profiles, then print it, run it, write the
 * equivalent libvirt domain XML, or check it with QEMU itself.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose_int.h"
#include "cvmio.h"

enum action { ACT_PRINT, ACT_EXEC, ACT_LIBVIRT, ACT_CHECK, ACT_LIST };

static void usage(FILE *out)
{
	fprintf(out,
"usage: cvmio qemu --cvm MODE --backend BACKEND [--disk PATH] [options]\n"
"                  [--print | --exec | --libvirt | --check | --list]\n"
"\n"
"Compose the QEMU command line for a confidential MODE and a storage BACKEND\n"
"from the profiles (qemu-profiles/modes/MODE.ini, backends/BACKEND.ini).\n"
"\n"
"  --cvm MODE            plain, bounce, sev, sev-es, sev-snp, sev-snp-2023, tdx (or a profile of yours)\n"
"  --backend BACKEND     virtio-blk, virtio-blk-iothread, virtio-scsi, virtio-scsi-iothread, nvme\n"
"  --disk PATH           backing file or block device of the disk under test\n"
"  --backing KIND        file (default), device, null, or blkdebug:CONFIG (file wrapped in blkdebug)\n"
"  --null-size SIZE      size of the null backing (default 1G)\n"
"  --aio MODE            native, io_uring or threads (default: the backend profile's aio)\n"
"  --queues N            device queues (default: --smp)\n"
"  --smp N               vCPUs (default 2)\n"
"  --mem SIZE            guest memory (default 1G)\n"
"  --kernel K [--initrd I] [--append ARGS]   direct boot; the mode adds its own arguments\n"
"  --image IMG           boot a disk image instead (raw or qcow2)\n"
"  --firmware FILE       firmware for -bios (sev modes default to the profile's OVMF)\n"
"  --accel kvm|tcg       default: the mode's (kvm for sev*), else kvm when it really runs here\n"
"  --cbitpos N, --reduced-phys-bits N   sev*: default from CPUID 0x8000001F, else 51 and 1\n"
"  --kernel-hashes on|off|auto   sev, sev-es, sev-snp with --kernel: measured direct boot\n"
"                        (kernel-hashes=on); auto (default): on when the firmware has an SEV\n"
"                        hashes table (an AmdSev OVMF, preferred when installed), else a note\n"
"  --igvm FILE           sev*: boot an IGVM file (-object igvm-cfg) instead of -bios (QEMU >= 10)\n"
"  --id-block B64, --id-auth B64, --host-data B64, --author-key-enabled\n"
"                        sev-snp attestation inputs (base64 of 96, 4096 and 32 bytes)\n"
"  --qemu BIN            QEMU binary (default $CVMIO_QEMU, else qemu-system-x86_64 when new\n"
"                        enough for the mode, else a private one from build/deps/qemu-*)\n"
"  --qemu-version X.Y    compose for this QEMU version instead of asking BIN\n"
"  --profiles DIR        profiles folder (default $CVMIO_PROFILES, source tree, PREFIX/share)\n"
"  --fwd H:G             forward 127.0.0.1:H to guest port G (repeatable, at most %d)\n"
"  --console FILE        serial console to FILE (default: stdio)\n"
"  --qmp PATH            QMP unix socket\n"
"  --pidfile PATH        QEMU's pid file\n"
"\n"
"  --print     shell-quoted command line (default)\n"
"  --exec      run it\n"
"  --libvirt   the equivalent libvirt domain XML\n"
"  --check     start QEMU with --preconfig and verify objects, machine options and every\n"
"              -device property through QMP introspection; no guest runs\n"
"  --list      the modes and backends found in the profiles folder\n"
"\n"
"Exit: 0 ok; 1 --check found the line invalid; 2 usage (bad option, unknown mode/backend);\n"
"3 bad input (a profile file or a named file); 4 environment (QEMU missing or too old).\n",
		QEMU_MAX_FWDS);
}

static int parse_int(const char *opt, const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 0 || v > 1000000)
		return cvmio_error(CVMIO_EXIT_USAGE, "qemu", "%s %s: expected a number", opt, s);
	*out = (int)v;
	return 0;
}

static int parse_fwd(const char *s, struct qemu_request *req)
{
	int h, g;
	char tail;

	if (sscanf(s, "%d:%d%c", &h, &g, &tail) != 2 || h < 1 || h > 65535 || g < 1 || g > 65535)
		return cvmio_error(CVMIO_EXIT_USAGE, "qemu", "--fwd %s: expected HOSTPORT:GUESTPORT", s);
	if (req->n_fwds == QEMU_MAX_FWDS)
		return cvmio_error(CVMIO_EXIT_USAGE, "qemu", "--fwd %s: at most %d forwards", s,
				   QEMU_MAX_FWDS);
	req->fwds[req->n_fwds].host_port = h;
	req->fwds[req->n_fwds].guest_port = g;
	req->n_fwds++;
	return 0;
}

static int list_profiles(const char *explicit_dir)
{
	char dir[PATH_MAX], err[512], names[2048];

	if (profiles_dir_find(explicit_dir, dir, sizeof(dir), err, sizeof(err)) < 0)
		return cvmio_error(CVMIO_EXIT_INPUT, "qemu", "%s", err);
	printf("profiles: %s\n", dir);
	profile_names(dir, "modes", names, sizeof(names));
	printf("modes:    %s\n", names);
	profile_names(dir, "backends", names, sizeof(names));
	printf("backends: %s\n", names);
	return CVMIO_EXIT_OK;
}

/*
 * Exit code for a composition error: a bad option value (unknown mode or
 * backend included) is a usage error, a broken profile file bad input, a QEMU
 * that is missing or too old an environment failure.
 */
static int compose_error_code(const char *err)
{
	if (strstr(err, "cannot run QEMU") || strstr(err, "did not report a QEMU version") ||
	    strstr(err, "needs QEMU >="))
		return CVMIO_EXIT_ENV;
	if (strstr(err, ".ini:") || strstr(err, "no qemu-profiles folder"))
		return CVMIO_EXIT_INPUT;
	return CVMIO_EXIT_USAGE;
}

static int run_action(enum action act, const struct qemu_request *req)
{
	struct qemu_argv av;
	struct qemu_plan plan;
	char err[1024];
	int rc;

	if ((act == ACT_EXEC || act == ACT_CHECK) &&
	    qemu_request_check_files(req, err, sizeof(err)) < 0)
		return cvmio_error(CVMIO_EXIT_INPUT, "qemu", "%s", err);
	if (act == ACT_LIBVIRT) {
		if (qemu_plan_make(req, &plan, err, sizeof(err)) < 0)
			return cvmio_error(compose_error_code(err), "qemu", "%s", err);
		if (plan.launch_note[0])
			fprintf(stderr, "cvmio qemu: note: %s\n", plan.launch_note);
		rc = qemu_libvirt_write(&plan, stdout, err, sizeof(err));
		qemu_plan_free(&plan);
		return rc < 0 ? cvmio_error(CVMIO_EXIT_INPUT, "qemu", "%s", err) : CVMIO_EXIT_OK;
	}
	if (qemu_compose(req, &av, err, sizeof(err)) < 0)
		return cvmio_error(compose_error_code(err), "qemu", "%s", err);
	if (av.note[0])
		fprintf(stderr, "cvmio qemu: note: %s\n", av.note);
	if (act == ACT_PRINT) {
		qemu_argv_print(stdout, &av);
		rc = CVMIO_EXIT_OK;
	} else if (act == ACT_EXEC) {
		if (!req->accel && qemu_plan_make(req, &plan, err, sizeof(err)) == 0) {
			fprintf(stderr, "cvmio qemu: accel %s\n", plan.accel_reason);
			qemu_plan_free(&plan);
		}
		fflush(stdout);
		execvp(av.argv[0], av.argv);
		rc = cvmio_error(CVMIO_EXIT_ENV, "qemu", "cannot run %s: %m", av.argv[0]);
	} else {
		if (qemu_plan_make(req, &plan, err, sizeof(err)) < 0) {
			qemu_argv_free(&av);
			return cvmio_error(compose_error_code(err), "qemu", "%s", err);
		}
		rc = qemu_check_argv(&plan, &av, stdout, err, sizeof(err));
		qemu_plan_free(&plan);
		if (rc != CVMIO_EXIT_OK)
			cvmio_error(rc, "qemu", "--check: %s", err);
	}
	qemu_argv_free(&av);
	return rc;
}

int cmd_qemu(int argc, char **argv)
{
	enum { O_QEMU_VERSION = 256, O_NULL_SIZE, O_CBITPOS, O_RPB, O_PROFILES, O_PIDFILE,
	       O_KERNEL_HASHES, O_IGVM, O_ID_BLOCK, O_ID_AUTH, O_HOST_DATA, O_AUTHOR_KEY };
	static const struct option opts[] = {
		{ "cvm", required_argument, NULL, 'c' }, { "mode", required_argument, NULL, 'c' },
		{ "backend", required_argument, NULL, 'b' }, { "disk", required_argument, NULL, 'd' },
		{ "backing", required_argument, NULL, 'B' }, { "aio", required_argument, NULL, 'a' },
		{ "queues", required_argument, NULL, 'q' }, { "smp", required_argument, NULL, 's' },
		{ "mem", required_argument, NULL, 'm' }, { "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' }, { "append", required_argument, NULL, 'A' },
		{ "image", required_argument, NULL, 'I' }, { "firmware", required_argument, NULL, 'f' },
		{ "accel", required_argument, NULL, 'x' }, { "qemu", required_argument, NULL, 'Q' },
		{ "qemu-version", required_argument, NULL, O_QEMU_VERSION },
		{ "profiles", required_argument, NULL, O_PROFILES },
		{ "fwd", required_argument, NULL, 'F' }, { "console", required_argument, NULL, 'C' },
		{ "qmp", required_argument, NULL, 'M' }, { "pidfile", required_argument, NULL, O_PIDFILE },
		{ "null-size", required_argument, NULL, O_NULL_SIZE },
		{ "cbitpos", required_argument, NULL, O_CBITPOS },
		{ "reduced-phys-bits", required_argument, NULL, O_RPB },
		{ "kernel-hashes", required_argument, NULL, O_KERNEL_HASHES },
		{ "igvm", required_argument, NULL, O_IGVM },
		{ "id-block", required_argument, NULL, O_ID_BLOCK },
		{ "id-auth", required_argument, NULL, O_ID_AUTH },
		{ "host-data", required_argument, NULL, O_HOST_DATA },
		{ "author-key-enabled", no_argument, NULL, O_AUTHOR_KEY },
		{ "print", no_argument, NULL, 'p' }, { "exec", no_argument, NULL, 'e' },
		{ "libvirt", no_argument, NULL, 'l' }, { "check", no_argument, NULL, 'K' },
		{ "list", no_argument, NULL, 'L' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct qemu_request req = { 0 };
	enum action act = ACT_PRINT;
	int n_actions = 0, c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': req.mode = optarg; break;
		case 'b': req.backend = optarg; break;
		case 'd': req.disk = optarg; break;
		case 'B': req.backing = optarg; break;
		case 'a': req.aio = optarg; break;
		case 'q': if (parse_int("--queues", optarg, &req.queues)) return CVMIO_EXIT_USAGE; break;
		case 's': if (parse_int("--smp", optarg, &req.smp)) return CVMIO_EXIT_USAGE; break;
		case O_CBITPOS:
			if (parse_int("--cbitpos", optarg, &req.cbitpos)) return CVMIO_EXIT_USAGE;
			break;
		case O_RPB:
			if (parse_int("--reduced-phys-bits", optarg, &req.reduced_phys_bits))
				return CVMIO_EXIT_USAGE;
			break;
		case 'm': req.mem = optarg; break;
		case 'k': req.kernel = optarg; break;
		case 'i': req.initrd = optarg; break;
		case 'A': req.append = optarg; break;
		case 'I': req.image = optarg; break;
		case 'f': req.firmware = optarg; break;
		case 'x': req.accel = optarg; break;
		case 'Q': req.qemu = optarg; break;
		case O_QEMU_VERSION: req.qemu_version = optarg; break;
		case O_PROFILES: req.profiles_dir = optarg; break;
		case 'F': if (parse_fwd(optarg, &req)) return CVMIO_EXIT_USAGE; break;
		case 'C': req.console = optarg; break;
		case 'M': req.qmp = optarg; break;
		case O_PIDFILE: req.pidfile = optarg; break;
		case O_NULL_SIZE: req.null_size = optarg; break;
		case O_KERNEL_HASHES: req.kernel_hashes = optarg; break;
		case O_IGVM: req.igvm = optarg; break;
		case O_ID_BLOCK: req.id_block = optarg; break;
		case O_ID_AUTH: req.id_auth = optarg; break;
		case O_HOST_DATA: req.host_data = optarg; break;
		case O_AUTHOR_KEY: req.author_key_enabled = 1; break;
		case 'p': act = ACT_PRINT; n_actions++; break;
		case 'e': act = ACT_EXEC; n_actions++; break;
		case 'l': act = ACT_LIBVIRT; n_actions++; break;
		case 'K': act = ACT_CHECK; n_actions++; break;
		case 'L': act = ACT_LIST; n_actions++; break;
		case 'h': usage(stdout); return CVMIO_EXIT_OK;
		case ':':
			return cvmio_error(CVMIO_EXIT_USAGE, "qemu", "%s needs a value", argv[optind - 1]);
		default:
			return cvmio_error(CVMIO_EXIT_USAGE, "qemu", "unknown option %s (see --help)",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cvmio_error(CVMIO_EXIT_USAGE, "qemu", "unexpected argument '%s'", argv[optind]);
	if (n_actions > 1)
		return cvmio_error(CVMIO_EXIT_USAGE, "qemu",
				   "choose one of --print, --exec, --libvirt, --check, --list");
	if (act == ACT_LIST)
		return list_profiles(req.profiles_dir);
	if (!req.mode || !req.backend)
		return cvmio_error(CVMIO_EXIT_USAGE, "qemu", "%s is required (see --help)",
				   !req.mode ? "--cvm MODE" : "--backend BACKEND");
	return run_action(act, &req);
}
