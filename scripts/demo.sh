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

# every format, the figures and one self-contained page (the warnings are on it too);
# the backends against virtio-blk and whose bounce penalty is smallest beside the ratios
build/bin/cvmio analyze "$out" --baseline plain --compare bounce --reference-backend virtio-blk \
	--report "$report" >/dev/null

echo
echo "demo: done in $(( $(date +%s) - start )) s"
echo "demo: report in $report/index.html (one page, opens offline); ratios.*, backends.*, penalty.* (txt, md, csv, tex, json) and PNG/SVG/PDF plots beside it"
echo "demo: the table: $report/ratios.txt"
exit "$run_rc"
