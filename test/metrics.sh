#!/bin/sh
# Integration tests for --metrics-file, read by a real node_exporter
# (Debian's prometheus-node-exporter, started by the test on 127.0.0.1
# with only its textfile collector). Needs root, ip, curl and
# prometheus-node-exporter. It builds nothing: make ndpresponder
# test/nsprobe first (NDPRESPONDER_BIN picks another daemon binary).
# Output as the other suites; exits 1 if a test failed.
#
# Topology: a router namespace and a vm namespace joined by a veth, the
# daemon in vm answering 2001:db8:1::1:0/112 (as in test/uplink.sh, but
# no filter: what is counted matters here, not what passes).

cd "$(dirname "$0")/.." || exit 1
SUITE=metrics
TESTS="metrics_written_at_start metrics_count_answers metrics_node_exporter
metrics_idle_no_wakeups metrics_rewritten_at_most_every_10s
metrics_unwritable_dir_fails"
. ./test/lib.sh
lib_init ip curl prometheus-node-exporter

R=ndpm$$r
V=ndpm$$v
TARGET=2001:db8:1::1:100
PORT=$((20000 + $$ % 20000))

setup() {
	ns_add "$R" "$V" &&
	link_router_vm "$R" "$V"
}

# metric NAME: its value in the file ("" if absent).
metric() {
	sed -n "s/^$1 \([0-9]*\)\$/\1/p" "$prom" 2>/dev/null
}

# has NAME VALUE: the file says so.
has() {
	[ "$(metric "$1")" = "$2" ]
}

ctxt() {
	sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "/proc/$dpid/status"
}

# ---------------------------------------------------------------- tests

# The directory belongs to the user the daemon switches to (nobody);
# node_exporter reads another directory with a symlink to the file, as
# the README suggests.
test_written_at_start() {
	name=metrics_written_at_start
	mdir=$tmp/mdir
	xdir=$tmp/textfile
	# nobody must get through $tmp (mktemp makes it 0700) to its own.
	chmod 0711 "$tmp"
	mkdir -p "$mdir" "$xdir" && chown nobody "$mdir"
	prom=$mdir/ndpresponder.prom
	ln -s "$prom" "$xdir/ndpresponder.prom"
	start_daemon "$V" -i v0 -n 2001:db8:1::1:0/112 --metrics-file "$prom"
	if ! wait_for 30 test -s "$prom"; then
		daemon_up $name && fail $name "no $prom 3 s after start"
		return 1
	fi
	if ! grep -q '^ndpresponder_build_info{version="[0-9.]*",interface="v0"} 1$' "$prom"; then
		fail $name "no build_info for v0 in the file: $(head -n 3 "$prom" | tr '\n' ' ')"
	elif ! has ndpresponder_na_sent_total 0; then
		fail $name "na_sent_total is '$(metric ndpresponder_na_sent_total)', want 0"
	elif [ -e "$prom.tmp" ]; then
		fail $name "$prom.tmp left behind"
	else
		pass $name
	fi
}

# Three NS answered: within 10 s (the first change is written at once,
# later ones at most every 10 s) the file counts them.
test_count_answers() {
	name=metrics_count_answers
	daemon_up $name || return
	for _i in 1 2 3; do
		ip netns exec "$R" "$NSPROBE" -i r0 -t $TARGET -w 300 >/dev/null
	done
	if wait_for 120 has ndpresponder_na_sent_total 3 &&
	   grep -q '^ndpresponder_answered_total{source="static"} 3$' "$prom" &&
	   grep -q '^ndpresponder_targets{source="static"} 1$' "$prom"; then
		pass $name
	else
		fail $name "after 3 answers: na_sent_total '$(metric ndpresponder_na_sent_total)', $(grep 'answered_total\|targets{' "$prom" | tr '\n' ' ')"
	fi
}

test_node_exporter() {
	name=metrics_node_exporter
	prometheus-node-exporter --web.listen-address=127.0.0.1:$PORT \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$xdir" \
		>"$tmp/node_exporter.log" 2>&1 &
	lib_pids="$lib_pids $!"
	out=
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		out=$(curl -s --max-time 2 http://127.0.0.1:$PORT/metrics) &&
			[ -n "$out" ] && break
		sleep 0.2
	done
	if [ -z "$out" ]; then
		fail $name "node_exporter on 127.0.0.1:$PORT did not answer: $(tail -n 3 "$tmp/node_exporter.log")"
	elif ! echo "$out" | grep -q '^node_textfile_scrape_error 0$'; then
		fail $name "node_textfile_scrape_error is not 0: $(echo "$out" | grep textfile | tr '\n' ' ')"
	elif ! echo "$out" | grep -q '^ndpresponder_na_sent_total 3$' ||
	     ! echo "$out" | grep -q '^ndpresponder_ns_dropped_total{reason="checksum"} 0$'; then
		fail $name "node_exporter's /metrics lacks ndpresponder_na_sent_total 3: $(echo "$out" | grep ndpresponder | head -n 5 | tr '\n' ' ')"
	else
		echo "# node_exporter serves $(echo "$out" | grep -c '^ndpresponder_') ndpresponder samples"
		pass $name
	fi
}

# Written, then nothing changes: nothing wakes the daemon.
test_idle() {
	name=metrics_idle_no_wakeups
	daemon_up $name || return
	sleep 0.5
	c0=$(ctxt)
	sleep 5
	c1=$(ctxt)
	if [ "$c0" = "$c1" ]; then
		pass $name
	else
		fail $name "voluntary context switches went from $c0 to $c1 in 5 s of quiet"
	fi
}

# Steady traffic for 12 s: the file is rewritten at most twice (once
# at once, once 10 s later), each time whole.
test_rate() {
	name=metrics_rewritten_at_most_every_10s
	daemon_up $name || return
	t0=$(now_ms)
	seen=
	writes=0
	while [ $(($(now_ms) - t0)) -lt 12000 ]; do
		ip netns exec "$R" "$NSPROBE" -i r0 -t $TARGET -w 100 >/dev/null
		m=$(stat -c %Y.%i "$prom" 2>/dev/null)
		if [ "$m" != "$seen" ]; then
			seen=$m
			writes=$((writes + 1))
		fi
		sleep 0.2
	done
	# The first "change" seen is the file as it was before.
	writes=$((writes - 1))
	if [ "$writes" -lt 1 ] || [ "$writes" -gt 2 ]; then
		fail $name "$writes rewrites in 12 s of traffic, want 1 or 2"
	elif ! tail -n 1 "$prom" | grep -q '^ndpresponder_'; then
		fail $name "the file ends in '$(tail -n 1 "$prom")'"
	else
		echo "# $writes rewrites in 12 s of traffic"
		pass $name
	fi
}

# A directory the daemon's user cannot write: one line, exit 1.
test_unwritable() {
	name=metrics_unwritable_dir_fails
	stop_daemon TERM
	mkdir -p "$tmp/rootonly" && chmod 0755 "$tmp/rootonly"
	start_daemon "$V" -i v0 -n 2001:db8:1::1:0/112 \
		--metrics-file "$tmp/rootonly/x.prom"
	wait_for 30 not alive "$dpid"
	if alive "$dpid"; then
		fail $name "still running with an unwritable metrics directory"
		stop_daemon KILL
		return
	fi
	wait "$dpid"
	rc=$?
	dpid=
	n=$(grep -c 'FATAL' "$dlog")
	if [ "$rc" = 1 ] && [ "$n" = 1 ] &&
	   grep -q 'FATAL metrics_file .*cannot write .*rootonly' "$dlog"; then
		pass $name
	else
		fail $name "exit $rc, $n FATAL lines: $(grep FATAL "$dlog")"
	fi
}

# ---------------------------------------------------------------- main

if ! setup >"$tmp/setup.log" 2>&1; then
	all_tests FAIL "topology setup failed"
	sed 's/^/# /' "$tmp/setup.log"
	exit 1
fi
if test_written_at_start; then
	test_count_answers
	test_node_exporter
	test_idle
	test_rate
fi
test_unwritable
[ -z "$dpid" ] || stop_daemon TERM
exit $failed
