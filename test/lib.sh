# shellcheck shell=sh
# test/lib.sh - helpers for the network-namespace test suites; sourced
# (". test/lib.sh") from the top of the tree. The suite sets SUITE (a
# short name) and TESTS (all its test names), then calls lib_init.
# Results are lines "PASS name", "FAIL name: why", "SKIP name: why";
# diagnostics start with "#". Helper variables start with an underscore,
# as plain sh has no local variables.

# shellcheck disable=SC2034 # failed and stop_rc are for the suite
failed=0		# set by fail, the suite's exit status
tmp=			# private directory, removed on exit
dpid=			# the running daemon's PID
dlog=			# its log
dead=			# how it ended, if it did on its own
nstart=0		# daemons started so far
lib_ns=			# namespaces we created
lib_pids=		# other background processes we started

pass() {
	echo "PASS $1"
}

skip() {
	echo "SKIP $1: $2"
}

# fail NAME WHY: a FAIL line, how the daemon ended if it did, then the
# tail of its log.
fail() {
	echo "FAIL $1: $2"
	failed=1
	if [ -n "$dpid" ] && daemon_dead; then
		echo "# $dead"
	fi
	if [ -n "$dlog" ] && [ -s "$dlog" ]; then
		echo "# last lines of $(basename "$dlog"):"
		tail -n 20 "$dlog" | sed 's/^/# /'
	fi
}

# all_tests VERDICT WHY: one line for each test, when none can run.
all_tests() {
	for _t in $TESTS; do
		echo "$1 $_t: $2"
	done
}

# alive PID: it runs and is not a zombie.
alive() {
	_st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$_st" ] && [ "$_st" != Z ]
}

# reap PID: kill a child of ours if it still runs, and collect it.
reap() {
	if alive "$1"; then
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
}

# shellcheck disable=SC2317 # run by the trap
lib_cleanup() {
	[ -z "$dpid" ] || reap "$dpid"
	for _p in $lib_pids; do
		reap "$_p"
	done
	for _ns in $lib_ns; do
		ip netns del "$_ns" 2>/dev/null
	done
	[ -z "$tmp" ] || rm -rf "$tmp"
}

# lib_init TOOL...: SKIP everything unless root with every TOOL; copy
# the daemon and nsprobe to a private directory (a rebuild or "make
# clean" during the run changes nothing) as $DAEMON and $NSPROBE.
lib_init() {
	if [ "$(id -u)" != 0 ]; then
		all_tests SKIP "needs root (network namespaces)"
		exit 0
	fi
	for _tool in "$@"; do
		if ! command -v "$_tool" >/dev/null 2>&1; then
			all_tests SKIP "$_tool not installed (test/deps.sh installs it)"
			exit 0
		fi
	done
	# NDPRESPONDER_BIN: another build to test.
	DAEMON=${NDPRESPONDER_BIN:-./ndpresponder}
	NSPROBE=./test/nsprobe
	trap lib_cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	tmp=$(mktemp -d "/tmp/ndpr-$SUITE.XXXXXX") || exit 1
	if ! cp "$DAEMON" "$tmp/ndpresponder" 2>/dev/null ||
	   ! cp "$NSPROBE" "$tmp/nsprobe" 2>/dev/null; then
		all_tests FAIL "$DAEMON or $NSPROBE not built (make ndpresponder test/nsprobe)"
		exit 1
	fi
	DAEMON=$tmp/ndpresponder
	NSPROBE=$tmp/nsprobe
}

# lib_need_files PACKAGES FILE...: SKIP everything unless each FILE is
# executable; PACKAGES names what to install.
lib_need_files() {
	_pkgs=$1
	shift
	for _f in "$@"; do
		if [ ! -x "$_f" ]; then
			all_tests SKIP "$_f not installed ($_pkgs: test/deps.sh)"
			exit 0
		fi
	done
}

# lib_need_static FILE PACKAGE: SKIP everything unless FILE is linked
# statically (a container image made of it needs nothing else).
lib_need_static() {
	if ! LC_ALL=C ldd "$1" 2>&1 | grep -q "not a dynamic"; then
		all_tests SKIP "$1 is not static (install $2)"
		exit 0
	fi
}

# ns_add NAME...: new namespaces, lo up, no DAD, no router solicitations.
ns_add() {
	for _ns in "$@"; do
		ip netns add "$_ns" || return 1
		lib_ns="$lib_ns $_ns"
		ip netns exec "$_ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.default.router_solicitations=0 &&
		ip -n "$_ns" link set lo up || return 1
	done
}

# start_daemon NS ARGS...: the daemon in NS, logging at DEBUG (or
# $DAEMON_LOG) to a new
# $dlog; its PID in $dpid ("ip netns exec" execs it: the same PID).
start_daemon() {
	_ns=$1
	shift
	nstart=$((nstart + 1))
	dlog=$tmp/daemon.$nstart.log
	dead=
	NDPRESPONDER_LOG=${DAEMON_LOG:-DEBUG} ip netns exec "$_ns" "$DAEMON" "$@" \
		</dev/null >"$dlog" 2>&1 &
	dpid=$!
}

# stop_daemon SIGNAL: $stop_rc is its exit status, or "timeout" if it
# still ran 2 s later (then it is killed).
stop_daemon() {
	stop_rc=none
	[ -n "$dpid" ] || return
	kill -s "$1" "$dpid" 2>/dev/null
	wait_for 20 not alive "$dpid"
	if alive "$dpid"; then
		reap "$dpid"
		stop_rc=timeout
	else
		wait "$dpid"
		stop_rc=$?
	fi
	dpid=
}

# daemon_dead: the daemon started last is gone; $dead says how.
daemon_dead() {
	[ -n "$dpid" ] && alive "$dpid" && return 1
	if [ -n "$dpid" ]; then
		wait "$dpid"
		_st=$?
		dpid=
		dead="the daemon exited with status $_st"
		[ "$_st" -le 128 ] || dead="$dead (signal $((_st - 128)))"
		[ "$_st" != 159 ] || dead="$dead: SIGSYS, the seccomp filter killed it"
	fi
	: "${dead:=the daemon is not running}"
}

# daemon_up NAME: FAIL NAME unless the daemon runs.
daemon_up() {
	if daemon_dead; then
		fail "$1" "$dead"
		return 1
	fi
}

# wait_for TENTHS CMD...: run CMD every 0.1 s until it succeeds, at
# most TENTHS times.
wait_for() {
	_left=$1
	shift
	until "$@"; do
		_left=$((_left - 1))
		[ "$_left" -gt 0 ] || return 1
		sleep 0.1
	done
}

not() {
	! "$@"
}

now_ms() {
	date +%s%3N
}

# log_count PATTERN: lines of the daemon's log that match.
log_count() {
	grep -c -e "$1" "$dlog"
}

# The router: every suite's upstream router is namespace $R, its end
# of the uplink r0.
inr() {
	ip netns exec "$R" "$@"
}

# probe ARGS...: nsprobe from the router; output in $out, status in $rc
# and returned.
probe() {
	out=$(inr "$NSPROBE" -i r0 "$@" 2>&1)
	rc=$?
	return $rc
}

# router_neigh ADDR: the router's entry, e.g. "ADDR lladdr 02:.. REACHABLE".
router_neigh() {
	ip -n "$R" -6 neigh show "$1" dev r0
}

ping_once() {
	inr ping -n -c 1 -W 1 "$1" >/dev/null 2>&1
}

# ping_ok ADDR TRIES: one echo from the router per try, 1 s each.
ping_ok() {
	wait_for "$2" ping_once "$1"
}

# link_router_vm R V: a veth r0 (in R, fe80::1) -- v0 (in V, fe80::2 and
# 2001:db8:1::2/64, default via fe80::1), both up, no filter.
link_router_vm() {
	ip -n "$1" link add r0 type veth peer name v0 netns "$2" &&
	ip -n "$1" addr add fe80::1/64 dev r0 nodad &&
	ip -n "$1" link set r0 up &&
	ip -n "$2" addr add fe80::2/64 dev v0 nodad &&
	ip -n "$2" link set v0 up &&
	ip -n "$2" addr add 2001:db8:1::2/64 dev v0 nodad &&
	ip -n "$2" route add default via fe80::1 dev v0
}

# stop_pid PID SECONDS: TERM, then KILL after SECONDS.
stop_pid() {
	[ -n "$1" ] && alive "$1" || return 0
	kill -TERM "$1" 2>/dev/null
	wait_for $(($2 * 10)) not alive "$1"
	reap "$1"
}

# link_router_root METRIC: for the container engines, whose bridges
# live in the root namespace: the uplink $U ($U_MAC, $U_LL) there, a
# veth to r0 ($R_MAC, $R_LL) in a new router namespace $R, which has
# $R_GLOBAL on lo and routes $ONLINK to r0. Link-local NAs are dropped
# on r0's ingress, as the hypervisor does (nftables: tc actions do not
# exist on the kernel we test on). The root namespace routes $R_GLOBAL
# back and has a default route through $U at METRIC (the largest: it
# gives the daemon its gateway without taking the host's traffic).
# Sets made_link once $U exists, for the suite's cleanup.
link_router_root() {
	ns_add "$R" || return 1
	ip link add "$U" address "$U_MAC" type veth \
		peer name r0 address "$R_MAC" netns "$R" || return 1
	made_link=1
	# Our own interface: its sysctls go with it.
	sysctl -qw "net.ipv6.conf.$U.accept_dad=0" \
		"net.ipv6.conf.$U.accept_ra=0" \
		"net.ipv6.conf.$U.router_solicitations=0" || return 1
	ip link set "$U" addrgenmode none &&
	ip addr add "$U_LL/64" dev "$U" nodad &&
	ip link set "$U" up &&
	ip -n "$R" link set r0 addrgenmode none &&
	ip -n "$R" addr add "$R_LL/64" dev r0 nodad &&
	ip -n "$R" link set r0 up &&
	ip -n "$R" addr add "$R_GLOBAL/128" dev lo &&
	ip -n "$R" route add "$ONLINK" dev r0 || return 1
	inr nft -f - <<EOF || return 1
table netdev hv {
	chain in {
		type filter hook ingress device "r0" priority 0;
		ip6 saddr fe80::/10 icmpv6 type nd-neighbor-advert counter drop
	}
}
EOF
	ip -6 route add "$R_GLOBAL/128" via "$R_LL" dev "$U" &&
	ip -6 route add default via "$R_LL" dev "$U" metric "$1"
}

# in_log PATTERN: a line of the daemon's log $dlog matches.
in_log() {
	grep -q -e "$1" "$dlog"
}

# wait_log PATTERN SECONDS: until a line of the daemon's log matches.
wait_log() {
	wait_for $(($2 * 10)) in_log "$1"
}

# log_at_least PATTERN N: at least N lines of the log match.
log_at_least() {
	[ "$(log_count "$1")" -ge "$2" ]
}

# router_learnt ADDR: the router's entry for ADDR has our $U_MAC.
router_learnt() {
	case $(router_neigh "$1") in *"lladdr $U_MAC "*) ;; *) false ;; esac
}

# test_exit NAME SIGNAL: the daemon exits 0 within 2 s, and no
# sanitizer said anything (under ASan and UBSan).
test_exit() {
	daemon_up "$1" || return
	stop_daemon "$2"
	if [ "$stop_rc" = timeout ]; then
		fail "$1" "still running 2 s after SIG$2 (killed)"
	elif [ "$stop_rc" != 0 ]; then
		fail "$1" "exit status $stop_rc after SIG$2 (want 0)"
	elif grep -q -e AddressSanitizer -e LeakSanitizer -e 'runtime error' \
			"$dlog"; then
		fail "$1" "a sanitizer report in the log"
	else
		pass "$1"
	fi
}
