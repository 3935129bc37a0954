#!/bin/bash
# bench/run.sh - benchmark ndpresponder side by side with ndppd and the
# kernel's proxy_ndp: throughput, latency, idle cost, footprint, startup,
# how ndpresponder scales with prefixes, rates and routes (--auto), and
# how soon --live answers once a guest has answered its kernel; against
# a ceiling (bench/ceiling: the same socket, a fixed NA) and a floor
# (bench/floor: a process of the same libc that does nothing).
#
# usage: bench/run.sh [--short]      (as root; BENCH_SHORT=1 = --short)
#
# Needs ./ndpresponder, bench/nsload, bench/ceiling and bench/floor built
# (make bench does it; bench/floor-static is made here with musl-gcc), and
# iproute2 and ndppd (test/deps.sh). Everything runs in network
# namespaces made here, "router" (nsload) and "vm" (the responder), over a
# veth pair, and "guest" behind a bridge in vm, and is removed on exit. --short runs a tiny version of each
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
CEILING=$PWD/bench/ceiling	# the daemon's socket, a fixed NA: the upper bound
FLOOR=$PWD/bench/floor		# a process that does nothing: the RSS floor
FLOOR_STATIC=$PWD/bench/floor-static
# The ceiling's receive path that matches the daemon's: ring (TPACKET_V2,
# ceiling -R, as responder.c receives) or recvmmsg (as it did before).
# Both modes run (CROUNDS rounds alternating with ndpresponder); the
# target compares with this one.
CEILING_MODE=${CEILING_MODE:-ring}
PFX=2001:db8:1::/104		# the responders' prefix; targets from ::1
NTGT=1000			# side by side: 1000 targets, reused

# STARTS: starts per daemon (median startup); REPS: runs per latency
# measurement (median of each percentile); N*: NS per run.
if [ "$short" = 1 ]; then
	STARTS=1 REPS=1 IDLE=2 N1K=500 N10K=2000 NMAX=20000 N100K=20000
	WAIT=300 JITTER=300
	ROUTE_COUNTS="1000" RROUNDS=1 LIVE_TRIALS=1 CROUNDS=1
else
	STARTS=5 REPS=3 IDLE=10 N1K=2000 N10K=30000 NMAX=300000 N100K=200000
	WAIT=1000 JITTER=3000
	ROUTE_COUNTS="1 1000 100000" RROUNDS=5 LIVE_TRIALS=10 CROUNDS=5
fi
SCALE_PREFIXES="1 1000 100000"

failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }
say() { printf '%s\n' "$*"; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }

[ "$(id -u)" = 0 ] || { echo "bench: needs root"; exit 1; }
case $CEILING_MODE in
recvmmsg|ring) ;;
*) echo "bench: CEILING_MODE is recvmmsg or ring" >&2; exit 2 ;;
esac
for f in "$NSLOAD" "$DAEMON" "$CEILING" "$FLOOR"; do
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
G=ndpbench$ID-guest
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
	ip netns del "$G" 2>/dev/null
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
		print s }' "$TMP/jitter" | tee "$TMP/jitter.line"
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
# LOAD_AT: its targets.
LOAD_AT=(-p "$PFX" -o 1)
load() {
	local name=$1 rc
	shift
	ip netns exec "$R" "$NSLOAD" -i r0 "${LOAD_AT[@]}" -w "$WAIT" "$@" \
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
# which probes every 100 us (targets: PROBE_AT) and reports exec ->
# first answer. Sets DPID (the daemon), NPID (nsload, which reaps it),
# STARTUP_US, DLOG (the daemon's output).
STARTNO=0
PROBE_AT=(-p "$PFX" -o 100000)
start() {
	local name=$1 i f
	shift
	DPID= NPID= STARTUP_US=
	STARTNO=$((STARTNO + 1))
	f=$TMP/$name.$STARTNO
	DLOG=$f.log
	ip -n "$V" neigh flush dev v0 2>/dev/null
	ip netns exec "$R" "$NSLOAD" -x -i r0 "${PROBE_AT[@]}" -r 10000 \
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
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 <= 0) print "n/a"; else printf "%.1f", 100 * a / b }'; }

# Results per row, for the tables: ROW_<field>[name].
declare -A R_START R_IDLE R_RSS R_SIZE R_MAXPPS R_MAXRATIO R_OFFERED \
	R_L1K R_L10K R_P99_10K R_R10K R_CPU10K R_CPUMAX R_KMAX R_SRC \
	R_P50_1K R_P99_1K R_W1K R_P50_10K R_W10K
FIFO=""				# nsload -F PRIO for the next start
ROWS=()

# Kernel-side CPU of a run: nsload's own CPU (its sends run the
# receiving side's softirq in its context) plus ksoftirqd, per million
# NS, minus the same for the run without a responder.
kernel_per_m() {	# kernel_per_m GEN_S KSOFT_NS SENT BASE_PER_M
	calc "((${1:-0}) + (${2:-0}) / 1e9) / (${3:-1}) * 1e6 - (${4:-0})" 2
}

# paced NAME RATE COUNT: REPS runs; the median of each percentile.
# Sets LAT (p50/p99/max), P50, P99, LE100 (% of samples within 100
# us), RATIO (worst run).
paced() {
	local name=$1 rate=$2 count=$3 i p50="" p99="" pmax="" ratios="" w=""
	for i in $(seq 1 "$REPS"); do
		load "$name-$i" -c "$count" -m "$NTGT" -r "$rate" || continue
		show_load "$name-$i" "$rate NS/s, run $i"
		p50="$p50 $(kv lat_p50_us "$TMP/$name-$i.out")"
		p99="$p99 $(kv lat_p99_us "$TMP/$name-$i.out")"
		pmax="$pmax $(kv lat_max_us "$TMP/$name-$i.out")"
		w="$w $(kv lat_le100us_pct "$TMP/$name-$i.out")"
		ratios="$ratios $(kv ratio "$TMP/$name-$i.out")"
	done
	P99=$(echo "$p99" | median)
	P50=$(echo "$p50" | median)
	LE100=$(echo "$w" | median)
	LAT="$(echo "$p50" | median)/$P99/$(echo "$pmax" | median)"
	RATIO=$(echo "$ratios" | tr ' ' '\n' | grep . | sort -g | head -n 1)
}

# measure NAME: the side-by-side steps for one running responder (DPID
# set, or empty for proxy_ndp).
measure() {
	local name=$1 c0 c1
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
	R_P50_1K[$name]=$P50
	R_P99_1K[$name]=$P99
	R_W1K[$name]=$LE100
	[ -n "$DPID" ] && c0=$(cpu_ns "$DPID")
	paced "$name-10k" 10000 "$N10K"
	R_L10K[$name]=$LAT
	R_P50_10K[$name]=$P50
	R_P99_10K[$name]=$P99
	R_W10K[$name]=$LE100
	R_R10K[$name]=$(calc "${RATIO:-0} * 100" 3)
	if [ -n "$DPID" ]; then
		c1=$(cpu_ns "$DPID")
		R_CPU10K[$name]=$(calc "($c1 - $c0) / 1e9 / ($N10K * $REPS) * 1e6" 2)
	else
		R_CPU10K[$name]=n/a
	fi
	measure_max "$name"
	if [ "$(kv na_from_other "$TMP/$name-10k-1.out")" = 0 ]; then
		R_SRC[$name]=target
	else
		R_SRC[$name]=link-local
	fi
}

# measure_max NAME [LABEL]: one run at max rate: answers, CPU, kernel
# CPU, RSS.
measure_max() {
	local name=$1 c0 c1 k0 k1 o
	[ -n "$DPID" ] && c0=$(cpu_ns "$DPID")
	k0=$(ksoftirqd_ns)
	load "$name-max" -c "$NMAX" -m "$NTGT" -r 0 &&
		show_load "$name-max" "${2:-max rate}"
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
cp "$TMP/jitter.line" "$TMP/jitter.start" 2>/dev/null
cp "$TMP/jitter" "$TMP/jitter.start.raw" 2>/dev/null
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

# The ceiling: the daemon's socket, filter and buffers answering every
# frame with a fixed NA (bench/ceiling.c), in both receive modes,
# started as the daemon is and run at max rate with the same stream.
# On a shared 2-CPU machine one max-rate run swings with what else
# runs (the generator's own rate too), so CROUNDS rounds alternate
# ndpresponder and the ceilings, seconds apart, and the share is the
# median of the rounds' shares; CEILING_MODE picks the target's one.
CEIL=ceiling-$CEILING_MODE
declare -A CE_PPS CE_SHARE
CE_DPPS=""
ceiling_round() {	# ceiling_round ROUND
	local i=$1 d m c
	say ""
	say "== ceiling, round $i of $CROUNDS: ndpresponder, then bench/ceiling, then bench/ceiling -R"
	start ceilref "$DAEMON" -i v0 -n "$PFX" || return 1
	measure_max ceilref "ndpresponder, max rate"
	stop
	d=${R_MAXPPS[ceilref]}
	CE_DPPS="$CE_DPPS $d"
	for m in recvmmsg ring; do
		c=ceiling-$m
		start "$c" "$CEILING" $([ "$m" = ring ] && echo -R) -i v0 ||
			continue
		[ "$i" = 1 ] && ROWS+=("$c")
		R_START[$c]=$STARTUP_US
		measure_max "$c" "$c, max rate"
		stop
		CE_PPS[$c]="${CE_PPS[$c]:-} ${R_MAXPPS[$c]}"
		CE_SHARE[$c]="${CE_SHARE[$c]:-} $(pct "$d" "${R_MAXPPS[$c]}")"
	done
}
for i in $(seq 1 "$CROUNDS"); do
	ceiling_round "$i"
done
for c in ceiling-recvmmsg ceiling-ring; do
	[ -n "${CE_PPS[$c]:-}" ] || continue
	R_MAXPPS[$c]=$(echo "${CE_PPS[$c]}" | median)
	R_SIZE[$c]=$(stripped_size "$CEILING")
	R_SRC[$c]=target
	[ "$(kv na_from_other "$TMP/$c-max.out")" = 0 ] || R_SRC[$c]=link-local
	say "  $c: NA/s at max rate:${CE_PPS[$c]} (median ${R_MAXPPS[$c]}); ndpresponder:$CE_DPPS; share:${CE_SHARE[$c]} (median $(echo "${CE_SHARE[$c]}" | median)%)"
done
CEIL_SHARE=$(echo "${CE_SHARE[$CEIL]:-}" | median)
CEIL_SHARE=${CEIL_SHARE:-n/a}

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

# The RSS floor: bench/floor (pause() only) of each libc, its VmHWM
# once it sleeps, as the daemon's is read.
floor_rss() {	# floor_rss PROG: sets FLOOR_KB
	local p i exe
	FLOOR_KB=
	"$1" & p=$!
	PIDS+=("$p")
	exe=$(readlink -f "$1")
	for i in $(seq 1 500); do
		[ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$exe" ] &&
			[ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" = S ] &&
			break
		sleep 0.01
	done
	FLOOR_KB=$(vmhwm "$p")
	stop_pid "$p"
	wait "$p" 2>/dev/null
	[ -n "$FLOOR_KB" ]
}
say ""
say "== floor: bench/floor, a process in pause(), for the RSS floor of each libc"
if floor_rss "$FLOOR"; then
	FLOOR_GLIBC=$FLOOR_KB
	say "  glibc, dynamic (as ./ndpresponder): peak RSS $FLOOR_GLIBC kB"
else
	fail "bench/floor did not run"
fi
if command -v musl-gcc >/dev/null &&
   make -s bench/floor-static >/dev/null 2>&1 && [ -x "$FLOOR_STATIC" ]; then
	if floor_rss "$FLOOR_STATIC"; then
		FLOOR_MUSL=$FLOOR_KB
		say "  musl, static (as make static): peak RSS $FLOOR_MUSL kB"
	else
		fail "bench/floor-static did not run"
	fi
else
	say "  musl, static: skipped (needs musl-gcc)"
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

# --- routed mode: --auto over N /128 routes ----------------------------
# The routes go in with ip -batch before the daemon starts: added while
# it runs, each new inward /128 would be announced to the router, whose
# kernel would then fill the machine's one neighbour table.
RPFX=2001:db8:1::/96		# nsload's view of 2001:db8:1::1 .. ::N
RNET=2001:db8:1::/64		# on-link on v0: --auto's scope
RSTREAM=()			# nsload: targets among the routed /128s
declare -A RT_START RT_STARTS RT_PPS RT_SPPS RT_SHARE RT_IDLE RT_RSS \
	RT_MROUTES RT_MBYTES RT_BPR
say ""
say "== routed: ndpresponder -i v0 --auto with N routes 2001:db8:1::X/128 dev vr0"
say "   (X = 1..N, loaded before it starts; v0 has the on-link $RNET), against"
say "   static -n $RPFX in alternate rounds; NS for the routed addresses only"
routed_setup() {
	ip -n "$V" link add vr0 type veth peer name vr1 &&
	ip -n "$V" link set vr0 addrgenmode none &&
	ip -n "$V" link set vr1 addrgenmode none &&
	ip -n "$V" link set vr0 up && ip -n "$V" link set vr1 up &&
	ip -n "$V" route add "$RNET" dev v0
}
# routes_upto FROM N: routes for ::FROM .. ::N (no daemon running).
routes_upto() {
	local t0 t1
	awk -v a="$1" -v n="$2" 'BEGIN { for (i = a; i <= n; i++)
		printf "route add 2001:db8:1::%x:%x/128 dev vr0\n",
			int(i / 65536), i % 65536 }' > "$TMP/routes.batch"
	t0=$(date +%s%N)
	ip -n "$V" -6 -batch "$TMP/routes.batch" || return 1
	t1=$(date +%s%N)
	say "  routes $1..$2 added with ip -batch in $(calc "($t1 - $t0) / 1e6" 0) ms; vr0 has $(ip -n "$V" -6 route show dev vr0 | wc -l)"
}
# routed_row N: RROUNDS rounds of (static: start, max rate; routed:
# start, idle in the first round, max rate, peak RSS), the medians;
# then a start at DEBUG for the mirror's size.
routed_row() {
	local n=$1 i ups="" spps="" rpps="" c0 c1 m
	RSTREAM=(-p "$RPFX" -o 1 -m "$n")
	PROBE_AT=("${RSTREAM[@]}")
	LOAD_AT=("${RSTREAM[@]}")
	for i in $(seq 1 "$RROUNDS"); do
		start "rstatic-$n" "$DAEMON" -i v0 -n "$RPFX" || return 1
		load "rstatic-$n-$i" -c "$NMAX" -r 0 &&
			show_load "rstatic-$n-$i" "static, round $i" &&
			spps="$spps $(kv answered_pps "$TMP/rstatic-$n-$i.out")"
		stop
		start "routed-$n" "$DAEMON" -i v0 --auto || return 1
		ups="$ups $STARTUP_US"
		if [ "$i" = 1 ]; then
			c0=$(vol_ctxt "$DPID")
			sleep "$IDLE"
			c1=$(vol_ctxt "$DPID")
			RT_IDLE[$n]=$((c1 - c0))
		fi
		load "routed-$n-$i" -c "$NMAX" -r 0 &&
			show_load "routed-$n-$i" "--auto, round $i" &&
			rpps="$rpps $(kv answered_pps "$TMP/routed-$n-$i.out")"
		RT_RSS[$n]=$(vmhwm "$DPID")
		stop
	done
	RT_START[$n]=$(echo "$ups" | median)
	RT_STARTS[$n]=$ups
	RT_PPS[$n]=$(echo "$rpps" | median)
	RT_SPPS[$n]=$(echo "$spps" | median)
	RT_SHARE[$n]=$(awk -v a="${RT_PPS[$n]}" -v b="${RT_SPPS[$n]}" \
		'BEGIN { if (a == "" || b + 0 == 0) print "n/a"; else printf "%.1f", 100 * a / b }')
	say "  $n routes: startup (us):$ups; median ${RT_START[$n]}; idle ${RT_IDLE[$n]} wake-ups in $IDLE s; peak RSS ${RT_RSS[$n]} kB"
	say "  $n routes: max rate, median of $RROUNDS: --auto ${RT_PPS[$n]} NA/s, static ${RT_SPPS[$n]} NA/s: ${RT_SHARE[$n]}%"
	# The mirror's size: its DEBUG line after the dump. DEBUG logs
	# every answer too, so this start is for that line only.
	start "routed-$n-debug" "$ENV" NDPRESPONDER_LOG=DEBUG "$DAEMON" \
		-i v0 --auto || return 1
	stop
	m=$(sed -n 's/.* route_mirror routes=\([0-9]*\) bytes=\([0-9]*\).*/\1 \2/p' \
		"$DLOG" | head -n 1)
	if [ -z "$m" ]; then
		fail "no route_mirror line at DEBUG: $(tail -n 1 "$DLOG")"
		return 1
	fi
	RT_MROUTES[$n]=${m% *}
	RT_MBYTES[$n]=${m#* }
	RT_BPR[$n]=$(calc "${RT_MBYTES[$n]} / ${RT_MROUTES[$n]}" 1)
	say "  $n routes: mirror (DEBUG route_mirror) ${RT_MROUTES[$n]} routes (the kernel's own too) in ${RT_MBYTES[$n]} bytes: ${RT_BPR[$n]} bytes a route"
}
ENV=$(command -v env)
if routed_setup; then
	have=0
	for n in $ROUTE_COUNTS; do
		routes_upto $((have + 1)) "$n" || { fail "ip -batch routes"; break; }
		have=$n
		routed_row "$n"
	done
	ip -n "$V" link del vr0		# and its routes
	ip -n "$V" route del "$RNET" dev v0
else
	fail "routed setup"
fi
PROBE_AT=(-p "$PFX" -o 100000)
LOAD_AT=(-p "$PFX" -o 1)
RMAX=${have:-0}

# --- --live: the first answer after the guest's own NA -----------------
# vm: br0 (fixed MAC, a port that stays, as NOTES says), the guest's
# port vb1; the guest namespace has LGUEST. One NS from the router for
# it, its entry in vm flushed first: the daemon asks vm's kernel, which
# solicits on br0; the guest answers; the daemon answers the router.
# nsload -g stamps the guest's NA on vb1 (in vm) and the daemon's NA on
# r0, both kernel stamps of the one machine clock.
LNET=2001:db8:1::4:0/112
LGUEST=2001:db8:1::4:10
LIVE=()
say ""
say "== live: ndpresponder -i v0 -r $LNET --live, guest $LGUEST behind br0 in vm;"
say "   per trial: vm's neighbour entries on br0 flushed, then one NS from the router"
live_setup() {
	ip netns add "$G" &&
	ip netns exec "$G" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 &&
	ip -n "$G" link set lo up &&
	ip -n "$V" link add br0 address 02:00:00:00:00:b0 type bridge &&
	ip -n "$V" link set br0 addrgenmode none &&
	ip -n "$V" link add vstay type veth peer name vstay1 &&
	ip -n "$V" link set vstay master br0 up &&
	ip -n "$V" link set vstay1 up &&
	ip -n "$V" link set br0 up &&
	ip -n "$V" addr add fe80::1/64 dev br0 nodad &&
	ip -n "$V" addr add 2001:db8:1::4:1/112 dev br0 nodad &&
	ip -n "$V" link add vb1 type veth peer name g0 netns "$G" &&
	ip -n "$V" link set vb1 master br0 up &&
	ip -n "$G" link set g0 address 02:00:00:00:00:10 addrgenmode none &&
	ip -n "$G" addr add "$LGUEST/112" dev g0 nodad &&
	ip -n "$G" link set g0 up
}
if live_setup; then
	PROBE_AT=(-p "$LGUEST/128" -o 0)
	if start live "$DAEMON" -i v0 -r "$LNET" --live; then
		LOAD_AT=(-p "$LGUEST/128" -o 0)
		for i in $(seq 1 "$LIVE_TRIALS"); do
			ip -n "$V" -6 neigh flush dev br0
			e=$(ip -n "$V" -6 neigh show "$LGUEST" dev br0)
			[ -z "$e" ] || { fail "live trial $i: $LGUEST still '$e' after the flush"; continue; }
			sleep 0.1	# the daemon's mirror hears of it
			load "live-$i" -c 1 -g vb1 -N "/run/netns/$V" || continue
			f=$TMP/live-$i.out
			if [ "$(kv live_n "$f")" != 1 ] || [ "$(kv answered "$f")" != 1 ]; then
				fail "live trial $i: answered $(kv answered "$f"), guest NA seen $(kv in_na "$f")"
				continue
			fi
			LIVE+=("$(kv live_p50_us "$f")")
			LIVE_NSNA="${LIVE_NSNA:-} $(kv lat_p50_us "$f")"
			LIVE_GUEST="${LIVE_GUEST:-} $(kv guest_p50_us "$f")"
			say "  trial $i: guest NA -> answer on r0 $(kv live_p50_us "$f") us (router NS -> vm's NS on vb1 $(kv probe_p50_us "$f") us, -> guest NA $(kv guest_p50_us "$f") us, -> answer $(kv lat_p50_us "$f") us)"
		done
		stop
	fi
else
	fail "live setup"
fi
PROBE_AT=(-p "$PFX" -o 100000)
LOAD_AT=(-p "$PFX" -o 1)
if [ "${#LIVE[@]}" -gt 0 ]; then
	LIVE_MED=$(echo "${LIVE[*]}" | median)
	LIVE_MAX=$(printf '%s\n' "${LIVE[@]}" | sort -g | tail -n 1)
	say "  guest NA -> answer: median $LIVE_MED us, max $LIVE_MAX us over ${#LIVE[@]} trial(s); router NS -> answer median $(echo "$LIVE_NSNA" | median) us"
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

# Latency that holds on a shared VM: the share within 100 us moves
# little when the hypervisor stalls a CPU for milliseconds, which the
# p99 follows; and each responder against the kernel's own path,
# proxy_ndp, measured minutes apart in the same run.
pratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 <= 0) print "n/a"; else printf "%.2f", a / b }'; }
LAT_ROWS=()
for r in "${ROWS[@]}"; do
	[ -n "${R_P50_1K[$r]:-}" ] && LAT_ROWS+=("$r")
done
say ""
say "== Summary: latency on a shared VM (us; median of $REPS runs; <=100us: share of samples)"
say "   x proxy_ndp: p50 and p99 as a multiple of proxy_ndp's (the kernel's own path) at the same rate"
say "   CPU stalls at the start: $(sed 's/^CPU stalls while spinning //' "$TMP/jitter.start" 2>/dev/null)"
printf '%-20s %8s %8s %8s %9s %8s %8s %8s %9s\n' responder "p50@1k" "p99@1k" \
	"<=100us" "x proxy" "p50@10k" "p99@10k" "<=100us" "x proxy"
p=proxy_ndp
for r in "${LAT_ROWS[@]}"; do
	printf '%-20s %8s %8s %7s%% %9s %8s %8s %7s%% %9s\n' "$r" \
		"$(v "${R_P50_1K[$r]:-}")" "$(v "${R_P99_1K[$r]:-}")" "$(v "${R_W1K[$r]:-}")" \
		"$(pratio "${R_P50_1K[$r]:-}" "${R_P50_1K[$p]:-}")/$(pratio "${R_P99_1K[$r]:-}" "${R_P99_1K[$p]:-}")" \
		"$(v "${R_P50_10K[$r]:-}")" "$(v "${R_P99_10K[$r]:-}")" "$(v "${R_W10K[$r]:-}")" \
		"$(pratio "${R_P50_10K[$r]:-}" "${R_P50_10K[$p]:-}")/$(pratio "${R_P99_10K[$r]:-}" "${R_P99_10K[$p]:-}")"
done

# The bounds: the ceiling (the same socket, no work) from this run, and
# the floor (a process that does nothing) of each libc.
say ""
say "== Ceiling and floor"
b=ndpresponder
say "  max rate, $CROUNDS round(s), each ndpresponder then the ceilings; ndpresponder:$CE_DPPS NA/s"
for c in ceiling-recvmmsg ceiling-ring; do
	[ -n "${CE_PPS[$c]:-}" ] || continue
	say "  $c: median ${R_MAXPPS[$c]} NA/s (each:${CE_PPS[$c]}; last $(v "${R_MAXRATIO[$c]:-}")% answered, $(v "${R_CPUMAX[$c]:-}") s CPU per million); ndpresponder's share, median $(echo "${CE_SHARE[$c]}" | median)% (each:${CE_SHARE[$c]})$([ "$c" = "$CEIL" ] && echo "; the daemon's receive path")"
done
RSS_X=$(pratio "${R_RSS[$b]:-}" "${FLOOR_GLIBC:-}")
s=ndpresponder-static
RSS_XS=$(pratio "${R_RSS[$s]:-}" "${FLOOR_MUSL:-}")
say "  floor, glibc: $(v "${FLOOR_GLIBC:-}") kB peak RSS; ndpresponder $(v "${R_RSS[$b]:-}") kB: ${RSS_X}x"
say "  floor, musl static: $(v "${FLOOR_MUSL:-}") kB peak RSS; ndpresponder-static $(v "${R_RSS[$s]:-}") kB: ${RSS_XS}x"

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
say "== Scaling: ndpresponder --auto, /128 routes (max rate, median of $RROUNDS; static: -n $RPFX, same NS)"
printf '%-8s %12s %10s %10s %9s %11s %13s %12s %9s\n' routes "startup us" "NA/s" \
	"static" share "mirror B" "B a route" "idle wakeups" "peak RSS"
for n in $ROUTE_COUNTS; do
	[ -n "${RT_START[$n]:-}" ] || continue
	printf '%-8s %12s %10s %10s %8s%% %11s %13s %12s %6s kB\n' "$n" "${RT_START[$n]}" \
		"$(v "${RT_PPS[$n]:-}")" "$(v "${RT_SPPS[$n]:-}")" "$(v "${RT_SHARE[$n]:-}")" \
		"$(v "${RT_MBYTES[$n]:-}")" "$(v "${RT_BPR[$n]:-}")" \
		"$(v "${RT_IDLE[$n]:-}")/${IDLE}s" "$(v "${RT_RSS[$n]:-}")"
done
if [ -n "${LIVE_MED:-}" ]; then
	say "== --live: guest's NA on its bridge port -> daemon's NA on the router's wire"
	say "  ${#LIVE[@]} trial(s), one NS each, entry flushed: median $LIVE_MED us, max $LIVE_MAX us (each:${LIVE[*]/#/ })"
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2fx", a / b }'; }
say ""
say "== Against ndpresponder"
b=ndpresponder
for r in "${ROWS[@]}"; do
	case $r in "$b"|ceiling-*) continue ;; esac
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
	target "max rate >= 90% of the ceiling ($CEILING_MODE)" \
		"median of $CROUNDS: $CEIL_SHARE%" \
		"$(ok "$CEIL_SHARE >= 90")"
	target "peak RSS <= 1.15x the glibc floor" \
		"${R_RSS[$r]} vs $(v "${FLOOR_GLIBC:-}") kB: ${RSS_X}x" \
		"$(ok "$RSS_X <= 1.15")"
	if [ -n "${R_RSS[$s]:-}" ]; then
		target "static: peak RSS <= 300 kB" \
			"${R_RSS[$s]} kB (${RSS_XS}x the musl floor)" \
			"$(ok "${R_RSS[$s]} <= 300")"
	fi
	say "  (the generator alone reached $GEN_MAX NS/s)"
fi
n=$RMAX
if [ -n "${RT_START[$n]:-}" ]; then
	target "--auto, $n routes: max rate within 10% of static" \
		"${RT_PPS[$n]} vs ${RT_SPPS[$n]} NA/s: ${RT_SHARE[$n]}%" \
		"$(ok "${RT_SHARE[$n]} >= 90")"
	target "--auto, $n routes: startup <= 1 s" "${RT_START[$n]} us" \
		"$(ok "${RT_START[$n]} <= 1000000")"
	target "--auto, $n routes: mirror <= 64 bytes a route" \
		"$(v "${RT_BPR[$n]:-}") (${RT_MBYTES[$n]:-?} B / ${RT_MROUTES[$n]:-?})" \
		"$(ok "${RT_BPR[$n]:-1e9} <= 64")"
	target "--auto, $n routes: 0 wake-ups while idle" \
		"${RT_IDLE[$n]} in ${IDLE} s" "$(ok "${RT_IDLE[$n]} == 0")"
fi
if [ -n "${LIVE_MED:-}" ]; then
	target "--live: answer <= 5 ms after the guest's NA" \
		"median $LIVE_MED, max $LIVE_MAX us (${#LIVE[@]})" \
		"$(ok "$LIVE_MAX <= 5000")"
fi

# Machine-readable: one line per row.
say ""
for r in "${ROWS[@]}"; do
	say "bench responder=$r max_answered_pps=$(v "${R_MAXPPS[$r]:-}") max_ratio_pct=$(v "${R_MAXRATIO[$r]:-}") max_offered_pps=$(v "${R_OFFERED[$r]:-}") lat1k_p50_p99_max_us=$(v "${R_L1K[$r]:-}") lat10k_p50_p99_max_us=$(v "${R_L10K[$r]:-}") lat1k_le100us_pct=$(v "${R_W1K[$r]:-}") lat10k_le100us_pct=$(v "${R_W10K[$r]:-}") ratio10k_pct=$(v "${R_R10K[$r]:-}") cpu10k_s_per_m=$(v "${R_CPU10K[$r]:-}") cpumax_s_per_m=$(v "${R_CPUMAX[$r]:-}") kernelmax_s_per_m=$(v "${R_KMAX[$r]:-}") startup_us=$(v "${R_START[$r]:-}") idle_wakeups=$(v "${R_IDLE[$r]:-}") idle_s=$IDLE rss_kb=$(v "${R_RSS[$r]:-}") stripped_bytes=$(v "${R_SIZE[$r]:-}") na_source=$(v "${R_SRC[$r]:-}")"
done
for r in "${LAT_ROWS[@]}"; do
	[ "$r" = proxy_ndp ] && continue
	say "bench latency_vs_proxy_ndp responder=$r p50_1k_x=$(pratio "${R_P50_1K[$r]:-}" "${R_P50_1K[$p]:-}") p99_1k_x=$(pratio "${R_P99_1K[$r]:-}" "${R_P99_1K[$p]:-}") p50_10k_x=$(pratio "${R_P50_10K[$r]:-}" "${R_P50_10K[$p]:-}") p99_10k_x=$(pratio "${R_P99_10K[$r]:-}" "${R_P99_10K[$p]:-}")"
done
for c in ceiling-recvmmsg ceiling-ring; do
	[ -n "${R_MAXPPS[$c]:-}" ] || continue
	say "bench ceiling mode=${c#ceiling-} daemon_mode=$([ "$c" = "$CEIL" ] && echo 1 || echo 0) rounds=$CROUNDS max_answered_pps=${R_MAXPPS[$c]} each_pps=$(echo ${CE_PPS[$c]} | tr ' ' ,) ndpresponder_each_pps=$(echo $CE_DPPS | tr ' ' ,) share_pct=$(echo "${CE_SHARE[$c]}" | median) each_share_pct=$(echo ${CE_SHARE[$c]} | tr ' ' ,) cpumax_s_per_m=$(v "${R_CPUMAX[$c]:-}") rss_kb=$(v "${R_RSS[$c]:-}")"
done
say "bench floor libc=glibc rss_kb=$(v "${FLOOR_GLIBC:-}") ndpresponder_rss_kb=$(v "${R_RSS[$b]:-}") multiple=$RSS_X"
say "bench floor libc=musl-static rss_kb=$(v "${FLOOR_MUSL:-}") ndpresponder_rss_kb=$(v "${R_RSS[$s]:-}") multiple=$RSS_XS"
[ -s "$TMP/jitter.start" ] &&
	say "bench cpu_stalls when=start $(sed -n 's/^result mode=jitter //p' "$TMP/jitter.start.raw")"
for n in $SCALED; do
	say "bench scale_prefixes=$n startup_us=${S_START[$n]} max_answered_pps=${S_PPS[$n]} max_ratio_pct=${S_RATIO[$n]}"
done
for x in 1k 10k 100k max; do
	f=$TMP/rate-$x.out
	[ -f "$f" ] && say "bench scale_rate=$x $(sed -n 's/^result mode=load //p' "$f")"
done
for n in $ROUTE_COUNTS; do
	[ -n "${RT_START[$n]:-}" ] || continue
	say "bench routed_routes=$n startup_us=${RT_START[$n]} startups_us=$(printf "%s" "${RT_STARTS[$n]# }" | tr ' ' ,) max_answered_pps=$(v "${RT_PPS[$n]:-}") static_max_answered_pps=$(v "${RT_SPPS[$n]:-}") share_pct=$(v "${RT_SHARE[$n]:-}") rounds=$RROUNDS mirror_routes=$(v "${RT_MROUTES[$n]:-}") mirror_bytes=$(v "${RT_MBYTES[$n]:-}") bytes_per_route=$(v "${RT_BPR[$n]:-}") idle_wakeups=$(v "${RT_IDLE[$n]:-}") idle_s=$IDLE rss_kb=$(v "${RT_RSS[$n]:-}")"
done
[ -n "${LIVE_MED:-}" ] &&
	say "bench live trials=${#LIVE[@]} live_p50_us=$LIVE_MED live_max_us=$LIVE_MAX live_us=$(echo "${LIVE[*]}" | tr ' ' ,) ns_to_answer_p50_us=$(echo "$LIVE_NSNA" | median) ns_to_guest_na_p50_us=$(echo "$LIVE_GUEST" | median)"
say ""
jitter
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); took $(($(date +%s) - t_begin)) s; $failures failure(s)"
[ "$failures" = 0 ]
