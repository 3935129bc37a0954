#!/bin/sh
# Run each libFuzzer harness (built by "make fuzz" into fuzz/out) for
# FUZZ_SECONDS (default 10; CI uses 60) from its seed corpus (and
# fuzz/NAME.dict, the words of its protocol, if there is one), under ASan
# and UBSan. A crash, leak, timeout or sanitizer report is a FAIL, and
# the input that caused it is printed in hex.
cd "$(dirname "$0")/.." || exit 1
secs=${FUZZ_SECONDS:-10}

for src in fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	bin=fuzz/out/$name
	if [ ! -x "$bin" ]; then
		echo "SKIP $name: $bin not built (make fuzz needs clang)"
		continue
	fi
	work=$(mktemp -d) || exit 1
	mkdir "$work/corpus"
	# New inputs go to a scratch corpus; the seeds are only read.
	set -- "$work/corpus"
	[ -d "fuzz/corpus/${name#fuzz_}" ] && set -- "$@" "fuzz/corpus/${name#fuzz_}"
	[ -f "fuzz/${name#fuzz_}.dict" ] && set -- -dict="fuzz/${name#fuzz_}.dict" "$@"
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$work/" -print_final_stats=1 "$@" \
		>"$work/log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
		echo "PASS $name: $runs runs in ${secs}s"
	else
		echo "FAIL $name: a finding, see below"
		grep -E 'ERROR|runtime error|SUMMARY' "$work/log" | head -5 |
			sed 's/^/# /'
		for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* \
			"$work"/oom-*; do
			[ -f "$a" ] && od -An -tx1 "$a" | head -20 | sed 's/^/# /'
		done
	fi
	rm -rf "$work"
done
