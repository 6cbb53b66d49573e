/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The values of a results tree: per condition, backend, workload and
 * direction, with what the manifests say of how they were measured
 * (store.c, manifest.c, provenance.c, walk.c, conditions.c).
 */
#ifndef CVMIO_ANALYSIS_STORE_H
#define CVMIO_ANALYSIS_STORE_H

#include "measure.h"

/* ---- store.c ---- */

struct manifest_info;

/*
 * One value per repetition.  rep[i] names where v[i] came from: an index
 * into the store's interned repetition identities (the result's path
 * relative to <condition>/<backend>/, e.g. "cvmio-uring/latency.fio/rep-3.json"),
 * so that rep-N of two conditions can be paired by comparing integers.
 */
struct values {
	double *v;
	size_t *rep;
	size_t n, cap;
};

/* Append x of repetition rep (an index from store_rep(), or the suite's N); 0 or -1 (memory). */
int values_push(struct values *v, double x, size_t rep);

struct series {
	size_t cond;		/* index into the store's conditions */
	char *backend;
	struct signature sig;
	enum direction dir;
	struct values metric[M_COUNT];
	struct hist cdf;	/* all repetitions' clat bins merged, for CDF plots */
	unsigned files;
	unsigned accel;		/* ACCEL_* of its files, ORed */
	unsigned eras;		/* ERA_* of its files, ORed: both is a mixed series */
	bool all_verified;
};

/* What one condition's manifests say about how it was measured (provenance.c). */
#define PROV_TEXT 128
struct prov_field {
	char value[PROV_TEXT];	/* the first value seen, "" when none said */
	bool varies;		/* another manifest of the condition said something else */
	bool missing;		/* some results had no value */
};
struct provenance {
	unsigned accel;		/* ACCEL_* ORed over its results */
	unsigned verified, unverified;	/* result files */
	struct prov_field mode, fio, guest_kernel, host_cpu, clocksource;
};

struct store {
	char **conds;
	struct provenance *prov;	/* one per condition */
	size_t nconds;
	char **reps;		/* interned repetition identities, shared by all conditions */
	size_t nreps, repcap;
	struct series *s;
	size_t n, cap;
};

void store_init(struct store *st);
void store_free(struct store *st);
size_t store_cond(struct store *st, const char *cond);
struct series *store_get(struct store *st, size_t cond, const char *backend,
			 const struct signature *sig, enum direction d);
/* rep_id: the file's path relative to its backend folder (its repetition identity). */
int store_add_file(struct store *st, size_t cond, const char *backend, const char *rep_id,
		   const struct file_result *fr, const struct manifest_info *mi);
/* The index of an interned repetition identity (adding it); (size_t)-1 when out of memory. */
size_t store_rep(struct store *st, const char *rep_id);
struct series *store_find(const struct store *st, size_t cond, const char *backend,
			  const struct signature *sig, enum direction d);

/* ---- manifest.c ---- */

enum verification { VERIFY_NONE, VERIFY_YES, VERIFY_NO };

/* How the guest's CPU ran: bits, so a series or row can hold several. */
#define ACCEL_TCG 1u		/* emulated: ratios show the pipeline, not hardware costs */
#define ACCEL_KVM 2u
#define ACCEL_UNKNOWN 4u	/* no manifest, or no QEMU command line in it */

struct manifest_info {
	enum verification state;
	char reason[256];
	char mode[64];		/* the manifest's "mode" ("" when absent) */
	/* provenance, "" when the manifest does not say */
	unsigned accel;		/* one ACCEL_* from its qemu_argv */
	char fio[64];		/* versions.fio */
	char guest_kernel[128];	/* versions.guest_kernel */
	char host_cpu[128];	/* host_check.cpu_model, else host_check.cpu_vendor */
	char clocksource[64];	/* guest_check.clocksource */
};

/*
 * A manifest's contents (m parsed from path) into info; -1 with err naming
 * the field when it is not a cvmio manifest or a field has the wrong type.
 */
int manifest_from_json(struct json_object *m, const char *path, const char *backend,
		       struct manifest_info *info, char *err, size_t errlen);

/*
 * The nearest manifest.json at or above dir, up to and including stop_dir.
 * Returns 0 with *info filled (VERIFY_NONE when none), -1 with err when a
 * manifest exists but is unreadable or contradicts the folder it sits in.
 */
int manifest_for(const char *dir, const char *stop_dir, const char *condition, const char *backend,
		 char *found_path, size_t found_len, struct manifest_info *info, char *err,
		 size_t errlen);

/* ---- provenance.c ---- */

struct rowset;
/* The accelerator a QEMU command line (a JSON array of strings) asks for: ACCEL_*. */
unsigned accel_from_argv(struct json_object *argv);
/* "tcg", "kvm", "mixed" (both) or "unknown" (any result without a record). */
const char *accel_word(unsigned accel);
void provenance_note(struct provenance *p, const struct manifest_info *mi);
/* True when any row's results ran under TCG: tables then carry the banner. */
bool rows_under_tcg(const struct rowset *rs);
extern const char tcg_banner[];
/* "accel kvm; mode sev-snp (verified 6 of 6); fio fio-3.33; ..." for one condition. */
void provenance_line(const struct provenance *p, char *out, size_t len);

/* ---- walk.c ---- */

struct walk_opts {
	bool allow_unverified;
};

struct walk_counts {
	unsigned files, failed_runs, unverified_files, backends;
};

/*
 * Reads DIR/cond/<backend>/ ** / *.json into the store.  Returns a cvmio exit
 * code (0 or CVMIO_EXIT_INPUT after naming the file(s) on stderr).
 */
int walk_condition(const char *dir, const char *cond, struct store *st, const struct walk_opts *wo,
		   struct diag *d, struct walk_counts *wc);
/* Whether s ends with suffix (file names: ".json", ".failed"); the walkers of walk.c and suite.c. */
bool ends_with(const char *s, const char *suffix);

/* ---- conditions.c ---- */

/* DIR's condition folders (sorted; each holds a backend folder).  A cvmio exit code. */
int list_conditions(const char *dir, char ***names, size_t *n);
void free_conditions(char **names, size_t n);

#endif
