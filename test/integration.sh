#!/bin/sh
# Integration tests: ndpresponder against a real Linux kernel as the
# upstream router, in network namespaces of our own. Needs root, ip,
# nft, ndisc6, ping and timeout. It builds nothing: make ndpresponder
# test/nsprobe first (NDPRESPONDER_BIN picks another daemon binary).
# Prints one line per test: "PASS name", "FAIL name: why" or
# "SKIP name: why"; lines starting with "#" are diagnostics. Exits 1 if
# a test failed.
#
# Topology (namespaces named ndpr<pid>{r,v,c}, so runs do not clash):
#
#   router                   vm (the VPS)               ct (container)
#   r0 fe80::1  ---veth---  v0 fe80::2, 2001:db8:1::2/64
#   lo 2001:db8:ff::1       c0 fe80::1  ----veth----  c1 fe80::2
#   route 2001:db8:1::/64   forwarding=1                 2001:db8:1::1:100
#     dev r0                route 2001:db8:1::1:0/112    default via
#                             dev c0                       fe80::1 dev c1
#                           default via fe80::1 dev v0
#                           ndpresponder -i v0 -n 2001:db8:1::1:0/112
#
# The router has only a link-local address on r0 and its global address
# on lo, so every NS it sends for the on-link /64 comes from fe80::1, as
# the routers of the affected VPSes do. The hypervisor's anti-spoofing
# filter is modelled by an nftables netdev ingress chain on r0 that
# drops Neighbor Advertisements from link-local sources. (tc would be
# the obvious tool, but tc actions do not exist on the kernel we test
# on; nftables does the same job.) A packet socket bound to ETH_P_IPV6
# on r0 (nsprobe) sees frames after that hook, so it sees only what the
# router's kernel would. The router's global address is outside the
# /64 (an address of the /64 on lo would be on-link for vm, and the
# router does not answer NS for it on r0). vm has an address of the /64
# of its own, as a VPS does; its kernel answers for that one only, so
# the target 2001:db8:1::1:100 is answered for by ndpresponder (or by
# proxy_ndp) alone.

cd "$(dirname "$0")/.." || exit 1

TESTS="bad_cli journal_priority_prefix proxy_ndp_fails_under_filter proxy_ndp_works_without_filter
static_ping ndisc6_source_is_target na_fields na_fields_no_sllao
dad_answered_to_all_nodes out_of_prefix_unanswered unicast_ignored_without_u
vlan_tagged_ignored sigusr1_counters sigterm_exit_0
strict_filter_blocks_vm_gateway gateway_pinned unicast_answered_with_u
vlan_tagged_unicast_ignored_with_u sigint_exit_0 subnet_file_100000"

skip_all() {
	for t in $TESTS; do
		echo "SKIP $t: $1"
	done
	exit 0
}

if [ "$(id -u)" != 0 ]; then
	skip_all "needs root (network namespaces)"
fi
for tool in ip nft ndisc6 ping timeout; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		skip_all "$tool not installed (test/deps.sh installs it)"
	fi
done

# NDPRESPONDER_BIN: another build to test (e.g. ./ndpresponder-static).
DAEMON=${NDPRESPONDER_BIN:-./ndpresponder}
NSPROBE=./test/nsprobe
if [ ! -x "$DAEMON" ] || [ ! -x "$NSPROBE" ]; then
	for t in $TESTS; do
		echo "FAIL $t: $DAEMON or $NSPROBE not built (make ndpresponder test/nsprobe)"
	done
	exit 1
fi

R=ndpr$$r		# router namespace
V=ndpr$$v		# vm namespace, runs the daemon
C=ndpr$$c		# container namespace, holds the target
R_MAC=02:00:00:00:01:01	# r0
V_MAC=02:00:00:00:01:02	# v0, the VPS uplink
R_LL=fe80::1
V_LL=fe80::2
R_GLOBAL=2001:db8:ff::1
V_GLOBAL=2001:db8:1::2	# vm's own address on v0
ONLINK=2001:db8:1::/64
PREFIX=2001:db8:1::1:0/112	# what the daemon answers for, routed to ct
TARGET=2001:db8:1::1:100	# in PREFIX, lives in ct
OUTSIDE=2001:db8:1::2:100	# in ONLINK, not in PREFIX

tmp=
dpid=			# running daemon's PID
dlog=			# its log file
nstart=0
failed=0
created=

# shellcheck disable=SC2317 # run by the trap
cleanup() {
	if [ -n "$dpid" ] && alive "$dpid"; then
		kill -KILL "$dpid" 2>/dev/null
		wait "$dpid" 2>/dev/null
	fi
	for ns in $created; do
		ip netns del "$ns" 2>/dev/null
	done
	[ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

tmp=$(mktemp -d /tmp/ndpr-integration.XXXXXX) || exit 1
# Private copies: a rebuild or "make clean" during the run changes nothing.
if ! cp "$DAEMON" "$tmp/ndpresponder" || ! cp "$NSPROBE" "$tmp/nsprobe"
then
	for t in $TESTS; do
		echo "FAIL $t: cannot copy $DAEMON and $NSPROBE to $tmp"
	done
	exit 1
fi
DAEMON=$tmp/ndpresponder
NSPROBE=$tmp/nsprobe

pass() {
	echo "PASS $1"
}

# fail NAME WHY: a FAIL line, then the tail of the daemon's log.
fail() {
	echo "FAIL $1: $2"
	failed=1
	if [ -n "$dlog" ] && [ -s "$dlog" ]; then
		echo "# last lines of $(basename "$dlog"):"
		tail -n 20 "$dlog" | sed 's/^/# /'
	fi
}

# A process that runs and is not a zombie.
alive() {
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}

inr() { ip netns exec "$R" "$@"; }
inv() { ip netns exec "$V" "$@"; }

# ---------------------------------------------------------------- topology

# add_filter [strict]: the hypervisor's filter; strict also drops the
# guest's link-local NS, as some hypervisors drop every link-local
# Neighbor Discovery frame from the guest. Replaces the one in place.
add_filter() {
	types=nd-neighbor-advert
	[ "${1:-}" != strict ] || types="{ nd-neighbor-advert, nd-neighbor-solicit }"
	inr nft delete table netdev hv 2>/dev/null
	inr nft -f - <<EOF
table netdev hv {
	chain in {
		type filter hook ingress device "r0" priority 0;
		ip6 saddr fe80::/10 icmpv6 type $types counter drop
	}
}
EOF
}

# Packets the filter has dropped.
filter_drops() {
	inr nft list table netdev hv 2>/dev/null |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}

setup() {
	for ns in $R $V $C; do
		ip netns add "$ns" || return 1
		created="$created $ns"
		# No DAD anywhere (it only costs time here), no RS noise.
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.default.router_solicitations=0 ||
			return 1
		ip -n "$ns" link set lo up || return 1
	done
	ip -n "$R" link add r0 address $R_MAC type veth \
		peer name v0 address $V_MAC netns "$V" || return 1
	ip -n "$V" link add c0 address 02:00:00:00:02:01 type veth \
		peer name c1 address 02:00:00:00:02:02 netns "$C" || return 1
	# Fixed link-local addresses and nothing else automatic.
	for x in "$R r0 $R_LL" "$V v0 $V_LL" "$V c0 fe80::1" "$C c1 fe80::2"
	do
		# shellcheck disable=SC2086 # split on purpose
		set -- $x
		ip -n "$1" link set "$2" addrgenmode none &&
		ip -n "$1" addr add "$3/64" dev "$2" nodad &&
		ip -n "$1" link set "$2" up || return 1
	done
	ip -n "$R" addr add $R_GLOBAL/128 dev lo &&
	ip -n "$R" route add $ONLINK dev r0 &&
	inv sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	ip -n "$V" addr add $V_GLOBAL/64 dev v0 nodad &&
	ip -n "$V" route add $PREFIX dev c0 &&
	ip -n "$V" route add default via $R_LL dev v0 &&
	ip -n "$C" addr add $TARGET/128 dev c1 nodad &&
	ip -n "$C" route add default via fe80::1 dev c1 &&
	add_filter
}

flush_router_neigh() {
	ip -n "$R" -6 neigh flush dev r0 2>/dev/null
}

# The router's neighbour entry for $1, e.g. "lladdr 02:.. REACHABLE".
router_neigh() {
	ip -n "$R" -6 neigh show "$1" dev r0
}

# ping_ok ADDR TRIES: one echo per try, 1 s each.
ping_ok() {
	i=0
	while [ "$i" -lt "$2" ]; do
		inr ping -n -c 1 -W 1 "$1" >/dev/null 2>&1 && return 0
		i=$((i + 1))
	done
	return 1
}

# ---------------------------------------------------------------- daemon

# start_daemon ARGS...: run it in vm with a fresh log.
start_daemon() {
	nstart=$((nstart + 1))
	dlog=$tmp/daemon.$nstart.log
	NDPRESPONDER_LOG=DEBUG ip netns exec "$V" "$DAEMON" "$@" \
		</dev/null >"$dlog" 2>&1 &
	dpid=$!		# ip netns exec execs the daemon: same PID
}

# Wait until it answers a multicast NS for TARGET (at most ~4 s).
wait_ready() {
	i=0
	while [ "$i" -lt 16 ]; do
		alive "$dpid" || return 1
		inr "$NSPROBE" -i r0 -t $TARGET -w 250 >/dev/null 2>&1 &&
			return 0
		i=$((i + 1))
	done
	return 1
}

# stop_daemon SIGNAL: sets stop_rc, its exit status, or "timeout" if it
# was still running 2 s later (it is killed then).
stop_daemon() {
	stop_rc=none
	[ -n "$dpid" ] || return
	kill -s "$1" "$dpid" 2>/dev/null
	i=0
	while [ "$i" -lt 20 ] && alive "$dpid"; do
		sleep 0.1
		i=$((i + 1))
	done
	if alive "$dpid"; then
		kill -KILL "$dpid" 2>/dev/null
		wait "$dpid" 2>/dev/null
		stop_rc=timeout
	else
		wait "$dpid"
		stop_rc=$?
	fi
	dpid=
}

# daemon_up NAME: fails NAME unless the daemon runs.
daemon_up() {
	if [ -z "$dpid" ] || ! alive "$dpid"; then
		fail "$1" "daemon is not running"
		return 1
	fi
}

# probe ARGS...: nsprobe from the router; output in $out, status $?.
probe() {
	out=$(inr "$NSPROBE" -i r0 "$@" 2>&1)
}

# ---------------------------------------------------------------- tests

# bad_cli: usage errors exit 2, runtime errors 1, one line on stderr.
cli_case() {	# EXPECTED_RC LOGLEVEL ARGS...
	want=$1 level=$2
	shift 2
	if [ "$level" = - ]; then
		timeout 5 env -u NDPRESPONDER_LOG ip netns exec "$V" \
			"$DAEMON" "$@" >"$tmp/cli.out" 2>"$tmp/cli.err" </dev/null
	else
		timeout 5 env NDPRESPONDER_LOG="$level" ip netns exec "$V" \
			"$DAEMON" "$@" >"$tmp/cli.out" 2>"$tmp/cli.err" </dev/null
	fi
	rc=$?
	lines=$(wc -l <"$tmp/cli.err")
	outlines=$(wc -l <"$tmp/cli.out")
	if [ "$rc" != "$want" ] || [ "$lines" != 1 ] || [ "$outlines" != 0 ]
	then
		case $level in -) desc="$*" ;; *) desc="NDPRESPONDER_LOG=$level $*" ;; esac
		cli_errors="$cli_errors; '$desc': status $rc (want $want), $lines stderr lines (want 1), $outlines stdout lines"
		sed 's/^/# stderr: /' "$tmp/cli.err" | head -n 5 >>"$tmp/cli.diag"
	fi
}

test_bad_cli() {
	cli_errors=
	: >"$tmp/cli.diag"
	cli_case 2 - -n $PREFIX
	cli_case 2 - -i v0
	cli_case 2 - -i v0 -n 2001:db8::/129
	cli_case 2 - -i v0 -n 192.0.2.0/24
	cli_case 2 bogus -i v0 -n $PREFIX
	cli_case 1 - -i nonexistent0 -n $PREFIX
	if [ -z "$cli_errors" ]; then
		pass bad_cli
	else
		fail bad_cli "${cli_errors#; }"
		cat "$tmp/cli.diag"
	fi
}

# journal_priority_prefix: when stderr is the stream JOURNAL_STREAM names,
# each line starts with its syslog priority instead of a timestamp.
test_journal() {
	err=$tmp/journal.err
	: >"$err"
	js=$(stat -c '%d:%i' "$err")
	JOURNAL_STREAM=$js ip netns exec "$V" "$DAEMON" -i lo -n $PREFIX \
		2>"$err" </dev/null
	rc=$?
	JOURNAL_STREAM=1:1 ip netns exec "$V" "$DAEMON" -i lo -n $PREFIX \
		2>"$tmp/nojournal.err" </dev/null
	line=$(head -n 1 "$err")
	other=$(head -n 1 "$tmp/nojournal.err")
	case $rc:$line:$other in
	"1:<2>interface lo has no Ethernet address:"[0-9][0-9][0-9][0-9]-*" FATAL interface lo has no Ethernet address")
		pass journal_priority_prefix ;;
	*)	fail journal_priority_prefix \
			"status $rc, journal line '$line', other line '$other'" ;;
	esac
}

test_proxy_ndp() {
	# The kernel's own proxy_ndp answers from vm's link-local address.
	inv sysctl -qw net.ipv6.conf.v0.proxy_ndp=1 \
		net.ipv6.neigh.v0.proxy_delay=0
	ip -n "$V" -6 neigh add proxy $TARGET dev v0
	flush_router_neigh
	before=$(filter_drops)
	if inr ping -n -c 1 -W 2 $TARGET >/dev/null 2>&1; then
		fail proxy_ndp_fails_under_filter \
			"ping succeeded through the filter: the test topology does not model the problem"
	else
		after=$(filter_drops)
		n=$(router_neigh $TARGET)
		case $n in
		*lladdr*)
			fail proxy_ndp_fails_under_filter \
				"router resolved the target anyway: $n" ;;
		*)
			if [ "${after:-0}" -gt "${before:-0}" ]; then
				pass proxy_ndp_fails_under_filter
			else
				fail proxy_ndp_fails_under_filter \
					"ping failed but the filter dropped nothing (proxy_ndp did not answer?)"
			fi ;;
		esac
	fi

	# Control: without the filter the same set-up works.
	inr nft delete table netdev hv
	flush_router_neigh
	if ping_ok $TARGET 3; then
		n=$(router_neigh $TARGET)
		case $n in
		*"lladdr $V_MAC "*) pass proxy_ndp_works_without_filter ;;
		*) fail proxy_ndp_works_without_filter \
			"ping ok but router neighbour entry is: $n" ;;
		esac
	else
		fail proxy_ndp_works_without_filter \
			"ping failed without the filter: topology is broken ($(router_neigh $TARGET))"
	fi

	ip -n "$V" -6 neigh del proxy $TARGET dev v0
	inv sysctl -qw net.ipv6.conf.v0.proxy_ndp=0
	add_filter
	flush_router_neigh
}

test_static_ping() {
	daemon_up static_ping || return
	flush_router_neigh
	if ! ping_ok $TARGET 4; then
		fail static_ping "ping $TARGET from the router failed ($(router_neigh $TARGET))"
		return
	fi
	n=$(router_neigh $TARGET)
	case $n in
	*"lladdr $V_MAC "*) pass static_ping ;;
	*) fail static_ping "router neighbour entry is: $n" ;;
	esac
}

test_ndisc6() {
	daemon_up ndisc6_source_is_target || return
	# ndisc6 1.0.5 ignores an NA whose source is not the target.
	i=0
	while [ "$i" -lt 3 ]; do
		out=$(inr ndisc6 -n -1 -r 1 -w 500 $TARGET r0 2>&1)
		rc=$?
		[ "$rc" = 0 ] && break
		i=$((i + 1))
	done
	case $rc:$out in
	0:*"Target link-layer address: $V_MAC"*"from $TARGET"*)
		pass ndisc6_source_is_target ;;
	*)
		fail ndisc6_source_is_target "ndisc6 status $rc: $(echo "$out" | tr '\n' ' ')" ;;
	esac
}

# expect_na NAME WANT ARGS...: the NA nsprobe prints must be WANT.
expect_na() {
	name=$1 want=$2
	shift 2
	daemon_up "$name" || return
	probe "$@"
	rc=$?
	if [ "$rc" = 0 ] && [ "$out" = "$want" ]; then
		pass "$name"
	else
		fail "$name" "nsprobe $* (status $rc): got '$out', want '$want'"
	fi
}

# expect_silence NAME ARGS...: no NA within 1 s.
expect_silence() {
	name=$1
	shift
	daemon_up "$name" || return
	probe -w 1000 "$@"
	rc=$?
	if [ "$rc" = 1 ] && [ "$out" = timeout ]; then
		pass "$name"
	else
		fail "$name" "nsprobe $* (status $rc): got '$out', want timeout"
	fi
}

NA_MCAST="na ethsrc=$V_MAC ethdst=$R_MAC src=$TARGET dst=$R_LL target=$TARGET flags=RSO hlim=255 tlla=$V_MAC"
NA_UCAST="na ethsrc=$V_MAC ethdst=$R_MAC src=$TARGET dst=$R_LL target=$TARGET flags=RS hlim=255 tlla=$V_MAC"
NA_DAD="na ethsrc=$V_MAC ethdst=33:33:00:00:00:01 src=$TARGET dst=ff02::1 target=$TARGET flags=RO hlim=255 tlla=$V_MAC"

test_out_of_prefix() {
	daemon_up out_of_prefix_unanswered || return
	probe -w 1000 -t $OUTSIDE
	rc=$?
	if [ "$rc" != 1 ] || [ "$out" != timeout ]; then
		fail out_of_prefix_unanswered "nsprobe -t $OUTSIDE (status $rc): got '$out', want timeout"
		return
	fi
	out=$(inr ndisc6 -n -1 -r 1 -w 500 $OUTSIDE r0 2>&1)
	rc=$?
	if [ "$rc" = 0 ]; then
		fail out_of_prefix_unanswered "ndisc6 resolved $OUTSIDE: $(echo "$out" | tr '\n' ' ')"
		return
	fi
	pass out_of_prefix_unanswered
}

test_sigusr1() {
	daemon_up sigusr1_counters || return
	before=$(grep -c 'answered=' "$dlog")
	kill -USR1 "$dpid"
	i=0
	while [ "$(grep -c 'answered=' "$dlog")" -le "$before" ]; do
		if [ "$i" -ge 20 ]; then
			fail sigusr1_counters "no new line with answered= in the log 2 s after SIGUSR1"
			return
		fi
		sleep 0.1
		i=$((i + 1))
	done
	line=$(grep 'answered=' "$dlog" | tail -n 1)
	n=$(echo "$line" | sed -n 's/.*[^a-z_]answered=\([0-9][0-9]*\).*/\1/p')
	if [ -n "$n" ] && [ "$n" -ge 1 ]; then
		pass sigusr1_counters
	else
		fail sigusr1_counters "want answered >= 1 in: $line"
	fi
}

# test_exit NAME SIGNAL: the daemon exits 0 within 2 s.
test_exit() {
	daemon_up "$1" || return
	stop_daemon "$2"
	if [ "$stop_rc" = 0 ]; then
		pass "$1"
	elif [ "$stop_rc" = timeout ]; then
		fail "$1" "still running 2 s after SIG$2 (killed)"
	else
		fail "$1" "exit status $stop_rc after SIG$2 (want 0)"
	fi
}

# Control: under the strict filter vm cannot resolve its gateway by
# itself (its kernel solicits from fe80::2).
test_strict_filter() {
	if inv ping -n -c 1 -W 2 "$R_LL%v0" >/dev/null 2>&1; then
		fail strict_filter_blocks_vm_gateway \
			"vm reached $R_LL through the strict filter: $(ip -n "$V" -6 neigh show $R_LL dev v0)"
	else
		pass strict_filter_blocks_vm_gateway
	fi
}

# The daemon learns the gateway's MAC by making the kernel solicit from
# vm's global address, and pins the entry, so forwarded traffic flows.
test_gateway_pinned() {
	daemon_up gateway_pinned || return
	i=0
	while [ "$i" -lt 30 ]; do
		n=$(ip -n "$V" -6 neigh show $R_LL dev v0 nud all)
		case $n in
		*"lladdr $R_MAC "*NOARP*|*"lladdr $R_MAC "*PERMANENT*) break ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	case $n in
	*"lladdr $R_MAC "*NOARP*|*"lladdr $R_MAC "*PERMANENT*) ;;
	*)
		fail gateway_pinned "vm's entry for its gateway $R_LL after 3 s: '$n', want lladdr $R_MAC NOARP or PERMANENT"
		return ;;
	esac
	if ping_ok $TARGET 4; then
		pass gateway_pinned
	else
		fail gateway_pinned "gateway pinned ($n), but ping $TARGET from the router failed under the strict filter ($(router_neigh $TARGET))"
	fi
}

# ---------------------------------------------------------------- main

start=$(date +%s)
if ! setup >"$tmp/setup.log" 2>&1; then
	for t in $TESTS; do
		echo "FAIL $t: topology setup failed"
	done
	sed 's/^/# /' "$tmp/setup.log"
	exit 1
fi

test_bad_cli
test_journal
test_proxy_ndp

start_daemon -i v0 -n $PREFIX
wait_ready
test_static_ping
test_ndisc6
expect_na na_fields "$NA_MCAST" -t $TARGET -s $R_LL
expect_na na_fields_no_sllao "$NA_MCAST" -t $TARGET -s $R_LL -n
expect_na dad_answered_to_all_nodes "$NA_DAD" -t $TARGET -s ::
test_out_of_prefix
expect_silence unicast_ignored_without_u -t $TARGET -s $R_LL \
	-d $TARGET -D $V_MAC
expect_silence vlan_tagged_ignored -t $TARGET -s $R_LL -q 5
test_sigusr1
test_exit sigterm_exit_0 TERM

# The guest's own gateway: vm's link-local NS are dropped too now.
add_filter strict
ip -n "$V" -6 neigh del $R_LL dev v0 2>/dev/null
test_strict_filter
ip -n "$V" -6 neigh del $R_LL dev v0 2>/dev/null
flush_router_neigh

start_daemon -i v0 -n $PREFIX -u
wait_ready
test_gateway_pinned
expect_na unicast_answered_with_u "$NA_UCAST" -t $TARGET -s $R_LL \
	-d $TARGET -D $V_MAC
expect_silence vlan_tagged_unicast_ignored_with_u -t $TARGET -s $R_LL \
	-d $TARGET -D $V_MAC -q 5
test_exit sigint_exit_0 INT

# subnet_file_100000: more prefixes than a command line holds, from a
# file with comments; the target's /128 is the last of 100,001.
awk 'BEGIN { print "# 100,000 /128s, then the target"
	for (i = 0; i < 100000; i++)
		printf "2001:db8:1::2:%x:%x/128\n", int(i / 65536), i % 65536 }' \
	>"$tmp/prefixes"
echo "$TARGET/128   # the target" >>"$tmp/prefixes"
t0=$(date +%s%3N)
start_daemon -i v0 --subnet-file "$tmp/prefixes"
if wait_ready; then
	echo "# 100,001 prefixes from a file: answering $(($(date +%s%3N) - t0)) ms after start"
	probe -w 1000 -t 2001:db8:1::2:1:869f
	first=$?
	probe -w 1000 -t $OUTSIDE
	if [ "$first" = 0 ] && [ "$out" = timeout ] &&
	   grep -q ' prefixes=100001 ' "$dlog"; then
		pass subnet_file_100000
	else
		fail subnet_file_100000 "file entry answered: status $first; outside: '$out'"
	fi
else
	fail subnet_file_100000 "no answer for $TARGET"
fi
stop_daemon TERM

echo "# integration: $(($(date +%s) - start)) s"
exit $failed
