#!/bin/sh
# make demo: install, build, run the default study, write its report.
# (Completed by the study runner; until then it builds and lists what exists.)
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
[ -f build/config.mak ] || ./configure
make -j2 all
echo "demo: built build/bin/cvmio and build/ioengines/"
