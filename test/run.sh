#!/bin/sh
# Run every test suite and tally the results. Each suite prints one line
# per test: "PASS name", "FAIL name: why" or "SKIP name: why". A suite
# that dies without saying FAIL counts as one failure. Under CI
# (CI=true) a skip counts as a failure: CI has root and every tool.
cd "$(dirname "$0")/.." || exit 1
log=$(mktemp) || exit 1
out=$(mktemp) || exit 1
trap 'rm -f "$log" "$out"' EXIT

for suite in test/unit "test/unit-san asan:" "sh test/integration.sh" "sh test/package.sh"; do
	echo "== $suite"
	{ $suite 2>&1; echo "EXIT $?"; } | tee "$out"
	rc=$(sed -n 's/^EXIT //p' "$out")
	if [ "$rc" != 0 ] && ! grep -q '^FAIL ' "$out"; then
		echo "FAIL $suite: exited with status $rc" | tee -a "$out"
	fi
	cat "$out" >> "$log"
done

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
