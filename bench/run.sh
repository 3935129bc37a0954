#!/bin/bash
# bench/run.sh - benchmark ndpresponder side by side with ndppd and the
# kernel's proxy_ndp: throughput, latency, idle cost, footprint, startup,
# and how ndpresponder scales with prefixes and rates.
#
# usage: bench/run.sh [--short]      (as root; BENCH_SHORT=1 = --short)
#
# Needs ./ndpresponder and bench/nsload built (make bench does it), and
# iproute2 and ndppd (test/deps.sh). Everything runs in two network
# namespaces made here, "router" (nsload) and "vm" (the responder), over a
# veth pair, and is removed on exit. --short runs a tiny version of each
# step to show that it works. The exit status is 1 if anything failed to
# run, not if a target was missed.
set -u
cd "$(dirname "$0")/.." || exit 1

short=${BENCH_SHORT:-0}
case "${1:-}" in
--short) short=1 ;;
"") ;;
*) echo "usage: $0 [--short]" >&2; exit 2 ;;
esac

NSLOAD=$PWD/bench/nsload
DAEMON=$PWD/ndpresponder
STATIC=$PWD/ndpresponder-static
PFX=2001:db8:1::/104		# the responders' prefix; targets from ::1
NTGT=1000			# side by side: 1000 targets, reused

# STARTS: starts per daemon (median startup); REPS: runs per latency
# measurement (median of each percentile); N*: NS per run.
if [ "$short" = 1 ]; then
	STARTS=1 REPS=1 IDLE=2 N1K=500 N10K=2000 NMAX=20000 N100K=20000
	WAIT=300 JITTER=300
else
	STARTS=5 REPS=3 IDLE=10 N1K=2000 N10K=30000 NMAX=300000 N100K=200000
	WAIT=1000 JITTER=3000
fi
SCALE_PREFIXES="1 1000 100000"

failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
say() { printf '%s\n' "$*"; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

[ "$(id -u)" = 0 ] || { echo "bench: needs root"; exit 1; }
for f in "$NSLOAD" "$DAEMON"; do
	[ -x "$f" ] || { echo "bench: $f missing (make bench)"; exit 1; }
done
if grep -q __asan_init "$DAEMON" 2>/dev/null; then
	echo "bench: $DAEMON is a SANITIZE=1 build; make clean first"
	exit 1
fi
command -v ip >/dev/null || { echo "bench: ip (iproute2) missing"; exit 1; }
NDPPD=$(command -v ndppd || true)
[ -n "$NDPPD" ] || fail "ndppd missing (test/deps.sh installs it)"

ID=$$
R=ndpbench$ID-router
V=ndpbench$ID-vm
TMP=$(mktemp -d /tmp/ndpbench.XXXXXX) || exit 1
PIDS=()				# processes we started, killed on exit

alive() { [ -d "/proc/$1" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }

# End one of our processes by PID: TERM, then KILL after 2 s.
stop_pid() {
	local p=$1 i
	alive "$p" || return 0
	kill -TERM "$p" 2>/dev/null
	for i in $(seq 1 200); do
		alive "$p" || return 0
		sleep 0.01
	done
	kill -KILL "$p" 2>/dev/null
}

cleanup() {
	local i
	# Newest first: a daemon before the nsload that waits for it.
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		stop_pid "${PIDS[i]}"
	done
	ip netns del "$R" 2>/dev/null
	ip netns del "$V" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Topology: router r0 (fe80::1) <-> vm v0 (fe80::2), no DAD, fixed MACs.
setup() {
	ip netns add "$R" && ip netns add "$V" &&
	ip link add r0 netns "$R" type veth peer name v0 netns "$V" || return 1
	for ns in "$R" "$V"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 || return 1
		ip -n "$ns" link set lo up || return 1
	done
	ip -n "$R" link set r0 address 02:00:00:00:00:01 addrgenmode none &&
	ip -n "$V" link set v0 address 02:00:00:00:00:02 addrgenmode none &&
	ip -n "$R" addr add fe80::1/64 dev r0 nodad &&
	ip -n "$V" addr add fe80::2/64 dev v0 nodad &&
	ip -n "$R" link set r0 up && ip -n "$V" link set v0 up
}

# How often each CPU is taken away: nsload -j spins on every CPU and
# counts the gaps (on a VM, mostly the hypervisor running something else).
jitter() {
	"$NSLOAD" -j "$JITTER" > "$TMP/jitter" 2>&1 ||
		{ fail "nsload -j: $(cat "$TMP/jitter")"; return; }
	awk -v ms="$JITTER" '/^result/ { s = "CPU stalls while spinning " ms " ms:";
		for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		for (c = 0; ("cpu" c "_gaps_100us") in v; c++)
			s = s sprintf(" cpu%d %d >100us, %d >1ms, max %d us;", c,
				v["cpu" c "_gaps_100us"], v["cpu" c "_gaps_1ms"],
				v["cpu" c "_max_gap_us"])
		print s }' "$TMP/jitter"
}

# Value of KEY in the last "result" line of FILE.
kv() { sed -n "s/^result .* $1=\([^ ]*\).*/\1/p" "$2" | tail -n 1; }

# CPU time of a process, all threads, in ns (schedstat: exact, unlike
# the clock ticks of /proc/PID/stat).
cpu_ns() {
	local s=0 a t
	for t in /proc/"$1"/task/*/schedstat; do
		read -r a _ < "$t" 2>/dev/null && s=$((s + a))
	done
	echo "$s"
}
KSOFTIRQD=()
for c in /proc/[0-9]*/comm; do
	read -r n < "$c" 2>/dev/null || continue
	case $n in ksoftirqd/*) p=${c#/proc/}; KSOFTIRQD+=("${p%/comm}") ;; esac
done
ksoftirqd_ns() {
	local s=0 p
	for p in "${KSOFTIRQD[@]}"; do s=$((s + $(cpu_ns "$p"))); done
	echo "$s"
}
vol_ctxt() {
	local s=0 v t
	for t in /proc/"$1"/task/*/status; do
		v=$(sed -n 's/^voluntary_ctxt_switches:[[:space:]]*//p' "$t")
		s=$((s + ${v:-0}))
	done
	echo "$s"
}
vmhwm() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status"; }

# CPU busy outside idle and iowait, all CPUs, in % of one CPU, over 1 s.
background_load() {
	local a b
	a=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
	sleep 1
	b=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { split(a, x); split(b, y);
		printf "%.0f", 100 * (y[1] - x[1]) / ((y[1] + y[2] - x[1] - x[2]) / '"$(nproc)"') }'
}

# load NAME NSLOAD-ARGS...: one nsload run; output in $TMP/NAME.out.
load() {
	local name=$1 rc
	shift
	ip netns exec "$R" "$NSLOAD" -i r0 -p "$PFX" -o 1 -w "$WAIT" "$@" \
		> "$TMP/$name.out" 2> "$TMP/$name.err"
	rc=$?
	if [ $rc != 0 ] || ! grep -q '^result ' "$TMP/$name.out"; then
		fail "nsload $name: status $rc: $(tail -n 1 "$TMP/$name.err")"
		return 1
	fi
}

# One line about a load run.
show_load() {
	local f=$TMP/$1.out
	printf '  %-28s offered %7s NS/s  answered %7s NA/s  %8s%%  p50 %7s  p99 %8s  max %8s us\n' \
		"$2" "$(kv offered_pps "$f")" "$(kv answered_pps "$f")" \
		"$(calc "$(kv ratio "$f") * 100" 2)" "$(kv lat_p50_us "$f")" \
		"$(kv lat_p99_us "$f")" "$(kv lat_max_us "$f")"
	grep '^note:' "$f" | sed 's/^/    /'
}

# start NAME CMD...: exec CMD in the vm namespace through nsload -x,
# which probes every 100 us and reports exec -> first answer. Sets
# DPID (the daemon), NPID (nsload, which reaps it), STARTUP_US.
STARTNO=0
start() {
	local name=$1 i f
	shift
	DPID= NPID= STARTUP_US=
	STARTNO=$((STARTNO + 1))
	f=$TMP/$name.$STARTNO
	ip -n "$V" neigh flush dev v0 2>/dev/null
	ip netns exec "$R" "$NSLOAD" -x -i r0 -p "$PFX" -o 100000 -r 10000 \
		-T 5000 -N "/run/netns/$V" -L "$f.log" $FIFO -- "$@" \
		> "$f.start" 2> "$f.err" &
	NPID=$!
	PIDS+=("$NPID")
	for i in $(seq 1 1000); do
		grep -qs '^result ' "$f.start" && break
		alive "$NPID" || break
		sleep 0.01
	done
	DPID=$(kv pid "$f.start")
	STARTUP_US=$(kv startup_us "$f.start")
	# The daemon is nsload's child; anything else is not ours.
	if [ -n "$DPID" ] && [ "$(awk '{ print $4 }' "/proc/$DPID/stat" \
	     2>/dev/null)" = "$NPID" ]; then
		PIDS+=("$DPID")
	else
		DPID=
	fi
	if [ -z "$DPID" ] || [ -z "$STARTUP_US" ] || [ "$STARTUP_US" = -1 ]; then
		fail "$name did not start: $(tail -n 2 "$f.err" "$f.log" \
			2>/dev/null | tr '\n' ' ')"
		stop
		return 1
	fi
}

stop() {
	if [ -n "$DPID" ]; then
		stop_pid "$DPID"
	elif [ -n "$NPID" ]; then
		stop_pid "$NPID"	# it waits for its child; nothing to wait for
	fi
	[ -n "$NPID" ] && wait "$NPID" 2>/dev/null
	DPID= NPID=
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Results per row, for the tables: ROW_<field>[name].
declare -A R_START R_IDLE R_RSS R_SIZE R_MAXPPS R_MAXRATIO R_OFFERED \
	R_L1K R_L10K R_P99_10K R_R10K R_CPU10K R_CPUMAX R_KMAX R_SRC
FIFO=""				# nsload -F PRIO for the next start
ROWS=()

# Kernel-side CPU of a run: nsload's own CPU (its sends run the
# receiving side's softirq in its context) plus ksoftirqd, per million
# NS, minus the same for the run without a responder.
kernel_per_m() {	# kernel_per_m GEN_S KSOFT_NS SENT BASE_PER_M
	calc "((${1:-0}) + (${2:-0}) / 1e9) / (${3:-1}) * 1e6 - (${4:-0})" 2
}

# paced NAME RATE COUNT: REPS runs; the median of each percentile.
# Sets LAT (p50/p99/max), P99, RATIO (worst run).
paced() {
	local name=$1 rate=$2 count=$3 i p50="" p99="" pmax="" ratios=""
	for i in $(seq 1 "$REPS"); do
		load "$name-$i" -c "$count" -m "$NTGT" -r "$rate" || continue
		show_load "$name-$i" "$rate NS/s, run $i"
		p50="$p50 $(kv lat_p50_us "$TMP/$name-$i.out")"
		p99="$p99 $(kv lat_p99_us "$TMP/$name-$i.out")"
		pmax="$pmax $(kv lat_max_us "$TMP/$name-$i.out")"
		ratios="$ratios $(kv ratio "$TMP/$name-$i.out")"
	done
	P99=$(echo "$p99" | median)
	LAT="$(echo "$p50" | median)/$P99/$(echo "$pmax" | median)"
	RATIO=$(echo "$ratios" | tr ' ' '\n' | grep . | sort -g | head -n 1)
}

# measure NAME: the side-by-side steps for one running responder (DPID
# set, or empty for proxy_ndp).
measure() {
	local name=$1 c0 c1 k0 k1 o
	ROWS+=("$name")
	if [ -n "$DPID" ]; then
		c0=$(vol_ctxt "$DPID")
		sleep "$IDLE"
		c1=$(vol_ctxt "$DPID")
		R_IDLE[$name]=$((c1 - c0))
	else
		R_IDLE[$name]=n/a
	fi
	paced "$name-1k" 1000 "$N1K"
	R_L1K[$name]=$LAT
	[ -n "$DPID" ] && c0=$(cpu_ns "$DPID")
	paced "$name-10k" 10000 "$N10K"
	R_L10K[$name]=$LAT
	R_P99_10K[$name]=$P99
	R_R10K[$name]=$(calc "${RATIO:-0} * 100" 3)
	if [ -n "$DPID" ]; then
		c1=$(cpu_ns "$DPID")
		R_CPU10K[$name]=$(calc "($c1 - $c0) / 1e9 / ($N10K * $REPS) * 1e6" 2)
	else
		R_CPU10K[$name]=n/a
	fi
	[ -n "$DPID" ] && c0=$(cpu_ns "$DPID")
	k0=$(ksoftirqd_ns)
	load "$name-max" -c "$NMAX" -m "$NTGT" -r 0 &&
		show_load "$name-max" "max rate"
	k1=$(ksoftirqd_ns)
	o=$TMP/$name-max.out
	if [ -n "$DPID" ]; then
		c1=$(cpu_ns "$DPID")
		R_CPUMAX[$name]=$(calc "($c1 - $c0) / 1e9 / ($(kv answered "$o") + 1e-9) * 1e6" 2)
		R_RSS[$name]=$(vmhwm "$DPID")
	else
		R_CPUMAX[$name]=n/a
		R_RSS[$name]=n/a
	fi
	R_KMAX[$name]=$(kernel_per_m "$(kv gen_cpu_s "$o")" "$((k1 - k0))" \
		"$NMAX" "${BASE_KMAX:-0}")
	R_MAXPPS[$name]=$(kv answered_pps "$o")
	R_OFFERED[$name]=$(kv offered_pps "$o")
	R_MAXRATIO[$name]=$(calc "$(kv ratio "$o") * 100" 3)
	if [ "$(kv na_from_other "$TMP/$name-10k-1.out")" = 0 ]; then
		R_SRC[$name]=target
	else
		R_SRC[$name]=link-local
	fi
}

# Daemon rows: STARTS starts (median), measurements on the last one.
daemon_row() {
	local name=$1 i ups=""
	shift
	say ""
	say "== $name: $*"
	for i in $(seq 1 "$STARTS"); do
		start "$name" "$@" || return 1
		ups="$ups $STARTUP_US"
		[ "$i" -lt "$STARTS" ] && stop
	done
	R_START[$name]=$(echo "$ups" | median)
	say "  startup, exec to first answer (us):$ups; median ${R_START[$name]}"
	measure "$name"
	stop
}

stripped_size() {
	strip -o "$TMP/stripped" "$1" 2>/dev/null &&
		stat -c %s "$TMP/stripped" && rm -f "$TMP/stripped"
}

t_begin=$(date +%s)
say "ndpresponder benchmark ($([ "$short" = 1 ] && echo short || echo full) mode)"
say "kernel $(uname -r), $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
say "load average: $(cut -d' ' -f1-3 /proc/loadavg); CPU busy before start (other processes): $(background_load)% of one CPU"
jitter
setup || { fail "network namespaces"; exit 1; }

# --- baseline: the generator alone, nobody answering -------------------
say ""
say "== none: no responder (what the generator and the link cost alone)"
k0=$(ksoftirqd_ns)
load none-max -c "$NMAX" -m "$NTGT" -r 0 && show_load none-max "max rate"
k1=$(ksoftirqd_ns)
BASE_KMAX=$(kernel_per_m "$(kv gen_cpu_s "$TMP/none-max.out")" "$((k1 - k0))" "$NMAX" 0)
GEN_MAX=$(kv offered_pps "$TMP/none-max.out")
say "  generator + link CPU: ${BASE_KMAX} s per million NS at max rate"

# --- side by side -------------------------------------------------------
daemon_row ndpresponder "$DAEMON" -i v0 -n "$PFX" &&
	R_SIZE[ndpresponder]=$(stripped_size "$DAEMON")

# The fix proposed for the latency tail: the same binary at SCHED_FIFO
# priority 10 (what CPUSchedulingPolicy=fifo does in a unit).
if [ "$short" = 0 ]; then
	FIFO="-F 10"
	daemon_row ndpresponder+fifo "$DAEMON" -i v0 -n "$PFX"
	FIFO=""
fi

# The static build, if the toolchain is here (footprint).
if command -v musl-gcc >/dev/null && make -s static >/dev/null 2>&1 &&
   [ -x "$STATIC" ]; then
	daemon_row ndpresponder-static "$STATIC" -i v0 -n "$PFX" &&
		R_SIZE[ndpresponder-static]=$(stripped_size "$STATIC")
else
	say ""
	say "== ndpresponder-static: skipped (make static needs musl-gcc)"
fi

if [ -n "$NDPPD" ]; then
	printf 'proxy v0 {\n    rule %s {\n        static\n    }\n}\n' "$PFX" \
		> "$TMP/ndppd.conf"
	daemon_row ndppd "$NDPPD" -c "$TMP/ndppd.conf" &&
		R_SIZE[ndppd]="$(stat -c %s "$NDPPD")+libstdc++"
fi

# proxy_ndp: one entry per address; the kernel answers in softirq.
say ""
say "== proxy_ndp: kernel, proxy_ndp=1, proxy_delay=0, forwarding=1, $NTGT proxy entries"
for i in $(seq 1 "$NTGT"); do
	printf 'neigh add proxy 2001:db8:1::%x dev v0\n' "$i"
done > "$TMP/proxy.batch"
t0=$(date +%s%N)
if ip netns exec "$V" sysctl -qw net.ipv6.conf.all.forwarding=1 \
	net.ipv6.conf.v0.proxy_ndp=1 net.ipv6.neigh.v0.proxy_delay=0 &&
   ip -n "$V" -6 -batch "$TMP/proxy.batch"; then
	t1=$(date +%s%N)
	say "  $NTGT entries installed with ip -batch in $(calc "($t1 - $t0) / 1e6" 1) ms"
	DPID= NPID=
	R_START[proxy_ndp]=n/a
	R_SIZE[proxy_ndp]=n/a
	measure proxy_ndp
	if [ "$short" = 0 ]; then
		# How the kernel copes with many entries: each joins a
		# solicited-node group, kept in a list.
		ip -n "$V" -6 neigh flush proxy
		n=10000
		for i in $(seq 1 "$n"); do
			printf 'neigh add proxy 2001:db8:1::%x dev v0\n' "$i"
		done > "$TMP/proxy.batch"
		t0=$(date +%s%N)
		ip -n "$V" -6 -batch "$TMP/proxy.batch"
		t1=$(date +%s%N)
		say "  with $n entries: installed in $(calc "($t1 - $t0) / 1e9" 1) s"
		load proxy-10000 -c 20000 -m "$n" -r 0 &&
			show_load proxy-10000 "max rate, $n targets"
		PROXY10K_PPS=$(kv answered_pps "$TMP/proxy-10000.out")
	fi
else
	fail "proxy_ndp setup"
fi
ip -n "$V" -6 neigh flush proxy 2>/dev/null
ip netns exec "$V" sysctl -qw net.ipv6.conf.v0.proxy_ndp=0 \
	net.ipv6.conf.all.forwarding=0

# --- scaling: ndpresponder with many prefixes, and rates ---------------
say ""
say "== scaling: ndpresponder with N prefixes (-n $PFX plus N-1 others of the same length), distinct targets"
# A prefix list: ours first, then decoys 2001:db8:2:HI:LO::/104.
prefix_args() {
	awk -v n="$1" -v p="$PFX" 'BEGIN { print "-n"; print p;
		for (i = 1; i < n; i++) { print "-n";
			printf "2001:db8:2:%x:%x::/104\n", int(i / 65536), i % 65536 } }'
}
# Does exec take ip netns exec ... nsload ... -- ndpresponder ARGS?
argv_fits() {
	/bin/true ip netns exec "$R" "$NSLOAD" -x -i r0 -p "$PFX" -o 100000 \
		-r 10000 -T 5000 -N "/run/netns/$V" -L "$TMP/x.log" -- \
		"$DAEMON" -i v0 "${ARGS[@]:0:$((2 * $1))}" 2>/dev/null
}
scale_run() {	# scale_run LABEL N
	local label=$1 n=$2 i ups="" reps=3
	[ "$short" = 1 ] && reps=1
	for i in $(seq 1 "$reps"); do
		start "scale-$n" "$DAEMON" -i v0 "${ARGS[@]:0:$((2 * n))}" ||
			return 1
		ups="$ups $STARTUP_US"
		[ "$i" -lt "$reps" ] && stop
	done
	load "scale-$n" -c "$NMAX" -r 0 || { stop; return 1; }
	printf '  %-24s startup %8s us (median of%s)  peak RSS %6s kB\n' \
		"$label" "$(echo "$ups" | median)" "$ups" "$(vmhwm "$DPID")"
	show_load "scale-$n" "max rate"
	S_START[$n]=$(echo "$ups" | median)
	S_PPS[$n]=$(kv answered_pps "$TMP/scale-$n.out")
	S_RATIO[$n]=$(calc "$(kv ratio "$TMP/scale-$n.out") * 100" 3)
	stop
}
ARG_NOTE=""
declare -A S_START S_PPS S_RATIO
for n in $SCALE_PREFIXES; do
	mapfile -t ARGS < <(prefix_args "$n")
	if argv_fits "$n"; then
		scale_run "$n prefixes" "$n"
		continue
	fi
	bytes=$(printf '%s\n' "${ARGS[@]}" | awk '{ s += length($0) + 1 + 8 } END { print s }')
	ARG_NOTE="$n prefixes: exec fails with E2BIG (\"Argument list too long\"): argv needs ~$((bytes / 1024)) KiB, the limit is stack rlimit/4 = $(($(ulimit -s) / 4)) KiB (ARG_MAX $(getconf ARG_MAX))"
	say "  $ARG_NOTE"
	lo=1 hi=$n
	while [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		if argv_fits "$mid"; then lo=$mid; else hi=$mid; fi
	done
	ARG_MAXN=$lo
	say "  largest count that fits: $lo prefixes"
	scale_run "$lo prefixes" "$lo"
	# The kernel takes at most 3/4 of 8 MiB for argv, whatever the
	# stack limit: with ulimit -s 64 MiB that is 6 MiB.
	old=$(ulimit -s)
	if ulimit -s 65536 2>/dev/null && argv_fits "$n"; then
		scale_run "$n (ulimit -s 65536)" "$n"
	else
		say "  $n prefixes do not fit even with ulimit -s 65536"
	fi
	ulimit -s "$old"
done

say ""
say "== scaling: ndpresponder at 1k, 10k, 100k NS/s and max rate (1 prefix, distinct targets)"
if start scale-rates "$DAEMON" -i v0 -n "$PFX"; then
	load rate-1k -c "$N1K" -r 1000 && show_load rate-1k "1,000 NS/s"
	load rate-10k -c "$N10K" -r 10000 && show_load rate-10k "10,000 NS/s"
	load rate-100k -c "$N100K" -r 100000 && show_load rate-100k "100,000 NS/s"
	load rate-max -c "$NMAX" -r 0 && show_load rate-max "max rate"
	stop
fi

# --- tables ---------------------------------------------------------------
v() { local x=$1; echo "${x:-n/a}"; }
say ""
say "== Summary: throughput and latency ($NTGT targets reused, the same NS stream for every responder)"
say "   latency NS -> NA on the router's wire in us, p50/p99/max (median of $REPS runs)"
printf '%-20s %10s %9s %12s %22s %22s %9s %11s\n' responder "max NA/s" answered \
	"offered NS/s" "latency @1k NS/s" "latency @10k NS/s" "@10k ans" "NA source"
for r in "${ROWS[@]}"; do
	printf '%-20s %10s %8s%% %12s %22s %22s %8s%% %11s\n' "$r" "$(v "${R_MAXPPS[$r]:-}")" \
		"$(v "${R_MAXRATIO[$r]:-}")" "$(v "${R_OFFERED[$r]:-}")" "$(v "${R_L1K[$r]:-}")" \
		"$(v "${R_L10K[$r]:-}")" "$(v "${R_R10K[$r]:-}")" "$(v "${R_SRC[$r]:-}")"
done
say ""
say "== Summary: cost and footprint"
say "   CPU s per million NS: the process (schedstat, all threads), at 10k NS/s per NS"
say "   sent, at max rate per NS answered; kernel = extra softirq CPU (nsload + ksoftirqd)"
say "   per NS sent at max rate beyond the run without a responder"
printf '%-20s %10s %10s %12s %11s %12s %10s %17s\n' responder "proc @10k" "proc @max" \
	"kernel @max" "startup us" "idle wakeups" "peak RSS" "stripped binary"
for r in "${ROWS[@]}"; do
	rss=$(v "${R_RSS[$r]:-}")
	[ "$rss" = n/a ] || rss="$rss kB"
	printf '%-20s %10s %10s %12s %11s %12s %10s %17s\n' "$r" "$(v "${R_CPU10K[$r]:-}")" \
		"$(v "${R_CPUMAX[$r]:-}")" "$(v "${R_KMAX[$r]:-}")" "$(v "${R_START[$r]:-}")" \
		"$(v "${R_IDLE[$r]:-}")/${IDLE}s" "$rss" "$(v "${R_SIZE[$r]:-}")"
done

say ""
say "== Scaling: ndpresponder, prefixes (max rate, distinct targets)"
printf '%-10s %12s %10s %10s\n' prefixes "startup us" "max NA/s" answered
SCALED=$(printf '%s\n' "${!S_START[@]}" | sort -n)
for n in $SCALED; do
	printf '%-10s %12s %10s %9s%%\n' "$n" "${S_START[$n]}" "${S_PPS[$n]}" "${S_RATIO[$n]}"
done
[ -n "$ARG_NOTE" ] && say "  $ARG_NOTE; largest that fits: $ARG_MAXN (the 100000 row ran with ulimit -s 65536)"
say "== Scaling: ndpresponder, rates (1 prefix, distinct targets)"
printf '%-8s %12s %10s %10s %22s\n' rate "offered" "NA/s" answered "p50/p99/max us"
for x in 1k 10k 100k max; do
	f=$TMP/rate-$x.out
	[ -f "$f" ] || continue
	printf '%-8s %12s %10s %9s%% %22s\n' "$x" "$(kv offered_pps "$f")" \
		"$(kv answered_pps "$f")" "$(calc "$(kv ratio "$f") * 100" 3)" \
		"$(kv lat_p50_us "$f")/$(kv lat_p99_us "$f")/$(kv lat_max_us "$f")"
done
[ -n "${PROXY10K_PPS:-}" ] && say "  (proxy_ndp with 10,000 entries: $PROXY10K_PPS NA/s at max rate)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2fx", a / b }'; }
say ""
say "== Against ndpresponder"
b=ndpresponder
for r in "${ROWS[@]}"; do
	[ "$r" = "$b" ] && continue
	say "  $r: $(ratio "${R_MAXPPS[$r]:-}" "${R_MAXPPS[$b]:-}") throughput, $(ratio "${R_P99_10K[$r]:-}" "${R_P99_10K[$b]:-}") p99 latency @10k, $(ratio "${R_CPU10K[$r]:-}" "${R_CPU10K[$b]:-}") CPU @10k, $(ratio "${R_CPUMAX[$r]:-}" "${R_CPUMAX[$b]:-}") CPU @max, $(ratio "${R_RSS[$r]:-}" "${R_RSS[$b]:-}") RSS, $(ratio "${R_START[$r]:-}" "${R_START[$b]:-}") startup, idle wake-ups $(v "${R_IDLE[$r]:-}") vs $(v "${R_IDLE[$b]:-}")"
done

# --- targets ---------------------------------------------------------------
target() {	# target NAME VALUE OK(1/0)
	printf '  %-50s %-32s %s\n' "$1" "$2" "$([ "$3" = 1 ] && echo met || echo MISSED)"
}
ok() { awk "BEGIN { print ($1) ? 1 : 0 }" 2>/dev/null || echo 0; }
say ""
say "== Targets (ndpresponder, default settings)"
r=ndpresponder
if [ -n "${R_MAXRATIO[$r]:-}" ]; then
	# The worst of the scaling runs at 1k, 10k, 100k NS/s and max.
	mr=$(for x in 1k 10k 100k max; do kv ratio "$TMP/rate-$x.out" 2>/dev/null
		done | sort -g | head -n 1)
	mr=$(calc "${mr:-0} * 100" 3)
	target ">= 99.9% answered up to the generator's max rate" \
		"${R_MAXRATIO[$r]}% at max; worst of 1k..max $mr%" \
		"$(ok "${R_MAXRATIO[$r]} >= 99.9 && $mr >= 99.9")"
	target "p99 latency at 10,000 NS/s <= 100 us" "${R_P99_10K[$r]} us" \
		"$(ok "${R_P99_10K[$r]:-1e9} <= 100")"
	target "0 wake-ups while idle" "${R_IDLE[$r]} in ${IDLE} s" \
		"$(ok "${R_IDLE[$r]} == 0")"
	s=ndpresponder-static
	target "peak RSS <= 1 MiB" "${R_RSS[$r]} kB (static: $(v "${R_RSS[$s]:-}") kB)" \
		"$(ok "${R_RSS[$r]} <= 1024")"
	target "startup to first answer <= 10 ms" "${R_START[$r]} us" \
		"$(ok "${R_START[$r]} <= 10000")"
	say "  (the generator alone reached $GEN_MAX NS/s)"
fi

# Machine-readable: one line per row.
say ""
for r in "${ROWS[@]}"; do
	say "bench responder=$r max_answered_pps=$(v "${R_MAXPPS[$r]:-}") max_ratio_pct=$(v "${R_MAXRATIO[$r]:-}") max_offered_pps=$(v "${R_OFFERED[$r]:-}") lat1k_p50_p99_max_us=$(v "${R_L1K[$r]:-}") lat10k_p50_p99_max_us=$(v "${R_L10K[$r]:-}") ratio10k_pct=$(v "${R_R10K[$r]:-}") cpu10k_s_per_m=$(v "${R_CPU10K[$r]:-}") cpumax_s_per_m=$(v "${R_CPUMAX[$r]:-}") kernelmax_s_per_m=$(v "${R_KMAX[$r]:-}") startup_us=$(v "${R_START[$r]:-}") idle_wakeups=$(v "${R_IDLE[$r]:-}") idle_s=$IDLE rss_kb=$(v "${R_RSS[$r]:-}") stripped_bytes=$(v "${R_SIZE[$r]:-}") na_source=$(v "${R_SRC[$r]:-}")"
done
for n in $SCALED; do
	say "bench scale_prefixes=$n startup_us=${S_START[$n]} max_answered_pps=${S_PPS[$n]} max_ratio_pct=${S_RATIO[$n]}"
done
for x in 1k 10k 100k max; do
	f=$TMP/rate-$x.out
	[ -f "$f" ] && say "bench scale_rate=$x $(sed -n 's/^result mode=load //p' "$f")"
done
say ""
jitter
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); took $(($(date +%s) - t_begin)) s; $failures failure(s)"
[ "$failures" = 0 ]
