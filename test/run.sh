#!/bin/sh
# Run every test suite and tally the results. Each suite prints one line
# per test: "PASS name", "FAIL name: why" or "SKIP name: why". A suite
# that dies without saying FAIL counts as one failure. Under CI
# (CI=true) a skip counts as a failure: CI has root and every tool.
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
out=$tmp/out
: >"$log"

# suite LABEL COMMAND...: run it; LABEL, if any, prefixes its test names.
suite() {
	label=$1
	shift
	echo "== ${label:+$label }$*"
	{ "$@" 2>&1; echo "EXIT $?"; } |
		sed "s/^\(PASS\|FAIL\|SKIP\) /\1 $label/" | tee "$out"
	rc=$(sed -n 's/^EXIT //p' "$out")
	if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$out"; then
		echo "FAIL $label$*: exited with status $rc" | tee -a "$out"
	fi
	cat "$out" >>"$log"
}

# A build that is missing (no musl-gcc, no 32-bit libc, no clang) is a
# skip, said once.
missing() {
	echo "SKIP $1: $2" | tee -a "$log"
}

# The ASan daemon runs as the tests start it, plus nothing: it must
# leave no leak or error report, or it exits non-zero.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

suite "" test/unit
suite "" test/unit_docker
suite "" test/unit_rtnl
suite "" test/unit_routes
suite "" test/unit_sandbox
if [ -x test/unit_sandbox-i386 ]; then
	suite "i386:" test/unit_sandbox-i386
else
	missing i386:unit_sandbox "test/unit_sandbox-i386 not built (gcc-multilib)"
fi
suite "asan:" test/unit-san
suite "asan:" test/unit_docker-san
suite "asan:" test/unit_rtnl-san
suite "asan:" test/unit_routes-san

# The namespace suites against each build of the daemon: the static
# musl and the i386 ones too (other system calls, other filter), and the
# ASan one except for hardening (sanitizer builds run without the
# seccomp filter that it checks).
for s in integration uplink routed reload metrics check hardening docker podman; do
	suite "" sh test/$s.sh
	if [ -x ndpresponder-static ]; then
		suite "static:" env NDPRESPONDER_BIN=./ndpresponder-static \
			sh test/$s.sh
	else
		missing static:$s "ndpresponder-static not built (musl-tools)"
	fi
	if [ -x ndpresponder-i386 ]; then
		suite "i386:" env NDPRESPONDER_BIN=./ndpresponder-i386 \
			sh test/$s.sh
	else
		missing i386:$s "ndpresponder-i386 not built (gcc-multilib)"
	fi
	[ $s = hardening ] ||
		suite "asan:" env NDPRESPONDER_BIN=./ndpresponder-asan \
			sh test/$s.sh
done
suite "" sh test/fuzz.sh
suite "" sh test/lint.sh
suite "" sh test/package.sh

pass=$(grep -c '^PASS ' "$log")
fail=$(grep -c '^FAIL ' "$log")
skip=$(grep -c '^SKIP ' "$log")
if [ "${CI:-}" = true ] && [ "$skip" -gt 0 ]; then
	echo "CI: $skip skipped tests count as failed"
	fail=$((fail + skip))
	skip=0
fi
if [ $((pass + fail)) -eq 0 ]; then
	echo "no test ran"
	fail=1
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
