#!/bin/sh
# Test runner behind 'make check'.  Arguments are BUILD_DIR:PROGRAM entries;
# each program runs with CVMIO_BUILD=BUILD_DIR (and CVMIO_SAN=1 for the
# sanitizer build), its output going to build/test-logs/.  Exit status 0 is a
# pass, 77 a skip (the program prints why), anything else a failure.
# CVMIO_TEST_FILTER (a shell pattern) restricts which programs run.
set -u

logdir=build/test-logs
mkdir -p "$logdir"
passed=0 failed=0 skipped=0 failures=

for entry in "$@"; do
	build=${entry%%:*}
	prog=${entry#*:}
	# shellcheck disable=SC2254 # the filter is a pattern on purpose
	case "$prog" in ${CVMIO_TEST_FILTER:-*}) ;; *) continue ;; esac
	san=0
	case "$build" in */asan) san=1 ;; esac
	name="$prog"
	[ "$san" = 1 ] && name="$prog [asan]"
	log="$logdir/$(printf '%s' "$name" | tr '/ []' '_-__').log"
	start=$(date +%s)
	CVMIO_BUILD=$build CVMIO_SAN=$san "$prog" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	case $rc in
	0) passed=$((passed + 1)); echo "PASS  $name (${secs}s)" ;;
	77) skipped=$((skipped + 1))
	    echo "SKIP  $name: $(grep -m1 -i 'skip' "$log" || tail -n1 "$log")" ;;
	*) failed=$((failed + 1)); failures="$failures $log"
	   echo "FAIL  $name (exit $rc, ${secs}s; log $log)"
	   tail -n 25 "$log" | sed 's/^/      | /' ;;
	esac
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
