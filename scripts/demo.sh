#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# make demo: install, build, build the guest appliance, run the demo study
# (plain vs bounce on four backends, null-co backing, smoke-length jobs,
# 3 repetitions) and write its report to results/demo/report/.
# Re-running completes or reuses results/demo (cvmio run --resume) and
# rewrites the report; remove results/demo to measure anew.
set -eu
cd "$(dirname "$0")/.."
start=$(date +%s)
study=jobfiles/studies/demo.ini
out=results/demo
report=$out/report

sh scripts/deps.sh
[ -f build/config.mak ] || ./configure
make -j2 all
make guest

run_rc=0
build/bin/cvmio run --resume --output "$out" "$study" || run_rc=$?
case $run_rc in
0) ;;
1) echo "demo: some runs failed (see $out/*/*/*/*/rep-*.failed); reporting the rest" >&2 ;;
*) echo "demo: cvmio run failed (exit $run_rc)" >&2; exit "$run_rc" ;;
esac

mkdir -p "$report"
analyze() {
	build/bin/cvmio analyze "$out" --baseline plain --compare bounce "$@"
}
analyze --format md >"$report/ratios.md.tmp"
mv "$report/ratios.md.tmp" "$report/ratios.md"
analyze --format csv --quiet >"$report/ratios.csv.tmp"
mv "$report/ratios.csv.tmp" "$report/ratios.csv"
analyze --format text --quiet --plot "$report" >"$report/ratios.txt.tmp"
mv "$report/ratios.txt.tmp" "$report/ratios.txt"

echo
echo "demo: done in $(( $(date +%s) - start )) s"
echo "demo: report in $report/ (ratios.md, ratios.csv, ratios.txt, PNG/SVG/PDF plots)"
echo "demo: e.g. $report/ratios-bounce.png; the table: $report/ratios.txt"
exit "$run_rc"
