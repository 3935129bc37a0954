#!/bin/sh
# Static analysis of the daemon's sources: cppcheck, and clang-tidy with
# the bugprone, cert and clang-analyzer checks. Any finding is a FAIL.
# Left out: bugprone-easily-swappable-parameters (style), and the
# analyzer's insecureAPI.DeprecatedOrUnsafeBufferHandling, which wants
# C11 Annex K (memcpy_s), which neither glibc nor musl has.
cd "$(dirname "$0")/.." || exit 1
SRCS=$(ls *.c)
DEFS="-D_GNU_SOURCE -DVERSION=\"lint\""
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT

if ! command -v cppcheck >/dev/null 2>&1; then
	echo "SKIP cppcheck: not installed (test/deps.sh installs it)"
elif cppcheck --enable=warning,portability,performance --std=c11 \
	--error-exitcode=1 --inline-suppr --quiet $DEFS -I. $SRCS >"$out" 2>&1
then
	echo "PASS cppcheck"
else
	echo "FAIL cppcheck: findings below"
	sed 's/^/# /' "$out" | head -40
fi

CHECKS='-*,bugprone-*,cert-*,clang-analyzer-*'
CHECKS="$CHECKS,-bugprone-easily-swappable-parameters"
CHECKS="$CHECKS,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling"
if ! command -v clang-tidy >/dev/null 2>&1; then
	echo "SKIP clang-tidy: not installed (test/deps.sh installs it)"
else
	# shellcheck disable=SC2086
	clang-tidy --quiet -checks="$CHECKS" $SRCS -- -std=c11 $DEFS -I. \
		>"$out" 2>&1
	if grep -q 'warning:\|error:' "$out"; then
		echo "FAIL clang-tidy: findings below"
		grep -A3 'warning:\|error:' "$out" | sed 's/^/# /' | head -60
	else
		echo "PASS clang-tidy"
	fi
fi
