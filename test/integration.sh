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

# Helpers that run only through wait_for look unreachable to shellcheck.
# shellcheck disable=SC2317
cd "$(dirname "$0")/.." || exit 1
SUITE=integration
TESTS="bad_cli journal_priority_prefix proxy_ndp_fails_under_filter proxy_ndp_works_without_filter
static_ping ndisc6_source_is_target na_fields na_fields_no_sllao
dad_answered_to_all_nodes out_of_prefix_unanswered unicast_ignored_without_u
vlan_tagged_ignored sigusr1_counters sigterm_exit_0
strict_filter_blocks_vm_gateway gateway_pinned unicast_answered_with_u
vlan_tagged_unicast_ignored_with_u sigint_exit_0 subnet_file_100000"
. ./test/lib.sh
lib_init ip nft ndisc6 ping timeout

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

inv() { ip netns exec "$V" "$@"; }

# ---------------------------------------------------------------- topology

# add_filter [strict]: the hypervisor's filter; strict also drops the
# guest's link-local NS, as some hypervisors drop every link-local
# Neighbor Discovery frame from the guest. Replaces the one in place.
add_filter() {
	_types=nd-neighbor-advert
	[ "${1:-}" != strict ] || _types="{ nd-neighbor-advert, nd-neighbor-solicit }"
	inr nft delete table netdev hv 2>/dev/null
	inr nft -f - <<EOF
table netdev hv {
	chain in {
		type filter hook ingress device "r0" priority 0;
		ip6 saddr fe80::/10 icmpv6 type $_types counter drop
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
	ns_add "$R" "$V" "$C" || return 1
	ip -n "$R" link add r0 address $R_MAC type veth \
		peer name v0 address $V_MAC netns "$V" || return 1
	ip -n "$V" link add c0 address 02:00:00:00:02:01 type veth \
		peer name c1 address 02:00:00:00:02:02 netns "$C" || return 1
	# Fixed link-local addresses and nothing else automatic.
	for _x in "$R r0 $R_LL" "$V v0 $V_LL" "$V c0 fe80::1" "$C c1 fe80::2"
	do
		# shellcheck disable=SC2086 # split on purpose
		set -- $_x
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

# ---------------------------------------------------------------- daemon

# ready: the daemon answers a multicast NS for TARGET, or is gone.
ready() {
	not alive "$dpid" || probe -t "$TARGET" -w 250
}

# wait_ready: until the daemon answers (at most ~4 s); fails if it
# does not, or died.
wait_ready() {
	wait_for 16 ready && alive "$dpid"
}

# ---------------------------------------------------------------- tests

# bad_cli: usage errors exit 2, runtime errors 1, one line on stderr.
cli_case() {	# EXPECTED_RC LOGLEVEL ARGS...
	_want=$1 _level=$2
	shift 2
	if [ "$_level" = - ]; then
		timeout 5 env -u NDPRESPONDER_LOG ip netns exec "$V" \
			"$DAEMON" "$@" >"$tmp/cli.out" 2>"$tmp/cli.err" </dev/null
	else
		timeout 5 env NDPRESPONDER_LOG="$_level" ip netns exec "$V" \
			"$DAEMON" "$@" >"$tmp/cli.out" 2>"$tmp/cli.err" </dev/null
	fi
	_rc=$?
	_lines=$(wc -l <"$tmp/cli.err")
	_outlines=$(wc -l <"$tmp/cli.out")
	if [ "$_rc" != "$_want" ] || [ "$_lines" != 1 ] || [ "$_outlines" != 0 ]
	then
		case $_level in -) _desc="$*" ;; *) _desc="NDPRESPONDER_LOG=$_level $*" ;; esac
		cli_errors="$cli_errors; '$_desc': status $_rc (want $_want), $_lines stderr lines (want 1), $_outlines stdout lines"
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
	_err=$tmp/journal.err
	: >"$_err"
	_js=$(stat -c '%d:%i' "$_err")
	JOURNAL_STREAM=$_js ip netns exec "$V" "$DAEMON" -i lo -n $PREFIX \
		2>"$_err" </dev/null
	_rc=$?
	JOURNAL_STREAM=1:1 ip netns exec "$V" "$DAEMON" -i lo -n $PREFIX \
		2>"$tmp/nojournal.err" </dev/null
	_line=$(head -n 1 "$_err")
	_other=$(head -n 1 "$tmp/nojournal.err")
	case $_rc:$_line:$_other in
	"1:<2>interface lo has no Ethernet address:"[0-9][0-9][0-9][0-9]-*" FATAL interface lo has no Ethernet address")
		pass journal_priority_prefix ;;
	*)	fail journal_priority_prefix \
			"status $_rc, journal line '$_line', other line '$_other'" ;;
	esac
}

test_proxy_ndp() {
	# The kernel's own proxy_ndp answers from vm's link-local address.
	inv sysctl -qw net.ipv6.conf.v0.proxy_ndp=1 \
		net.ipv6.neigh.v0.proxy_delay=0
	ip -n "$V" -6 neigh add proxy $TARGET dev v0
	flush_router_neigh
	_before=$(filter_drops)
	if inr ping -n -c 1 -W 2 $TARGET >/dev/null 2>&1; then
		fail proxy_ndp_fails_under_filter \
			"ping succeeded through the filter: the test topology does not model the problem"
	else
		_after=$(filter_drops)
		_n=$(router_neigh $TARGET)
		case $_n in
		*lladdr*)
			fail proxy_ndp_fails_under_filter \
				"router resolved the target anyway: $_n" ;;
		*)
			if [ "${_after:-0}" -gt "${_before:-0}" ]; then
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
		_n=$(router_neigh $TARGET)
		case $_n in
		*"lladdr $V_MAC "*) pass proxy_ndp_works_without_filter ;;
		*) fail proxy_ndp_works_without_filter \
			"ping ok but router neighbour entry is: $_n" ;;
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
	_n=$(router_neigh $TARGET)
	case $_n in
	*"lladdr $V_MAC "*) pass static_ping ;;
	*) fail static_ping "router neighbour entry is: $_n" ;;
	esac
}

# ndisc6_once ADDR: one NS from ndisc6 on the router; its output in
# $out, status in $rc and returned.
ndisc6_once() {
	out=$(inr ndisc6 -n -1 -r 1 -w 500 "$1" r0 2>&1)
	rc=$?
	return $rc
}

test_ndisc6() {
	daemon_up ndisc6_source_is_target || return
	# ndisc6 1.0.5 ignores an NA whose source is not the target.
	wait_for 3 ndisc6_once $TARGET
	case $rc:$out in
	0:*"Target link-layer address: $V_MAC"*"from $TARGET"*)
		pass ndisc6_source_is_target ;;
	*)
		fail ndisc6_source_is_target "ndisc6 status $rc: $(echo "$out" | tr '\n' ' ')" ;;
	esac
}

# expect_na NAME WANT ARGS...: the NA nsprobe prints must be WANT.
expect_na() {
	_name=$1 _want=$2
	shift 2
	daemon_up "$_name" || return
	if probe "$@" && [ "$out" = "$_want" ]; then
		pass "$_name"
	else
		fail "$_name" "nsprobe $* (status $rc): got '$out', want '$_want'"
	fi
}

# expect_silence NAME ARGS...: no NA within 1 s.
expect_silence() {
	_name=$1
	shift
	daemon_up "$_name" || return
	probe -w 1000 "$@"
	if [ "$rc" = 1 ] && [ "$out" = timeout ]; then
		pass "$_name"
	else
		fail "$_name" "nsprobe $* (status $rc): got '$out', want timeout"
	fi
}

NA_MCAST="na ethsrc=$V_MAC ethdst=$R_MAC src=$TARGET dst=$R_LL target=$TARGET flags=RSO hlim=255 tlla=$V_MAC"
NA_UCAST="na ethsrc=$V_MAC ethdst=$R_MAC src=$TARGET dst=$R_LL target=$TARGET flags=RS hlim=255 tlla=$V_MAC"
NA_DAD="na ethsrc=$V_MAC ethdst=33:33:00:00:00:01 src=$TARGET dst=ff02::1 target=$TARGET flags=RO hlim=255 tlla=$V_MAC"

test_out_of_prefix() {
	daemon_up out_of_prefix_unanswered || return
	probe -w 1000 -t $OUTSIDE
	if [ "$rc" != 1 ] || [ "$out" != timeout ]; then
		fail out_of_prefix_unanswered "nsprobe -t $OUTSIDE (status $rc): got '$out', want timeout"
		return
	fi
	if ndisc6_once $OUTSIDE; then
		fail out_of_prefix_unanswered "ndisc6 resolved $OUTSIDE: $(echo "$out" | tr '\n' ' ')"
		return
	fi
	pass out_of_prefix_unanswered
}

# more_lines PATTERN N: more than N lines of the daemon's log match.
more_lines() {
	[ "$(log_count "$1")" -gt "$2" ]
}

test_sigusr1() {
	daemon_up sigusr1_counters || return
	_before=$(log_count 'answered=')
	kill -USR1 "$dpid"
	if ! wait_for 20 more_lines 'answered=' "$_before"; then
		fail sigusr1_counters "no new line with answered= in the log 2 s after SIGUSR1"
		return
	fi
	_line=$(grep 'answered=' "$dlog" | tail -n 1)
	_n=$(echo "$_line" | sed -n 's/.*[^a-z_]answered=\([0-9][0-9]*\).*/\1/p')
	if [ -n "$_n" ] && [ "$_n" -ge 1 ]; then
		pass sigusr1_counters
	else
		fail sigusr1_counters "want answered >= 1 in: $_line"
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

# gw_pinned: vm's entry for its gateway (in $gw) is pinned to R_MAC.
gw_pinned() {
	gw=$(ip -n "$V" -6 neigh show "$R_LL" dev v0 nud all)
	case $gw in
	*"lladdr $R_MAC "*NOARP*|*"lladdr $R_MAC "*PERMANENT*) ;;
	*) false ;;
	esac
}

# The daemon learns the gateway's MAC by making the kernel solicit from
# vm's global address, and pins the entry, so forwarded traffic flows.
test_gateway_pinned() {
	daemon_up gateway_pinned || return
	if ! wait_for 30 gw_pinned; then
		fail gateway_pinned "vm's entry for its gateway $R_LL after 3 s: '$gw', want lladdr $R_MAC NOARP or PERMANENT"
		return
	fi
	if ping_ok $TARGET 4; then
		pass gateway_pinned
	else
		fail gateway_pinned "gateway pinned ($gw), but ping $TARGET from the router failed under the strict filter ($(router_neigh $TARGET))"
	fi
}

# subnet_file_100000: more prefixes than a command line holds, from a
# file with comments; the target's /128 is the last of 100,001.
test_subnet_file() {
	awk 'BEGIN { print "# 100,000 /128s, then the target"
		for (i = 0; i < 100000; i++)
			printf "2001:db8:1::2:%x:%x/128\n", int(i / 65536), i % 65536 }' \
		>"$tmp/prefixes"
	echo "$TARGET/128   # the target" >>"$tmp/prefixes"
	_t0=$(now_ms)
	start_daemon "$V" -i v0 --subnet-file "$tmp/prefixes"
	if ! wait_ready; then
		fail subnet_file_100000 "no answer for $TARGET"
		return
	fi
	echo "# 100,001 prefixes from a file: answering $(($(now_ms) - _t0)) ms after start"
	probe -w 1000 -t 2001:db8:1::2:1:869f
	_first=$rc
	probe -w 1000 -t $OUTSIDE
	if [ "$_first" = 0 ] && [ "$out" = timeout ] &&
	   grep -q ' prefixes=100001 ' "$dlog"; then
		pass subnet_file_100000
	else
		fail subnet_file_100000 "file entry answered: status $_first; outside: '$out'"
	fi
}

# ---------------------------------------------------------------- main

start=$(date +%s)
if ! setup >"$tmp/setup.log" 2>&1; then
	all_tests FAIL "topology setup failed"
	sed 's/^/# /' "$tmp/setup.log"
	exit 1
fi

test_bad_cli
test_journal
test_proxy_ndp

start_daemon "$V" -i v0 -n $PREFIX
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

start_daemon "$V" -i v0 -n $PREFIX -u
wait_ready
test_gateway_pinned
expect_na unicast_answered_with_u "$NA_UCAST" -t $TARGET -s $R_LL \
	-d $TARGET -D $V_MAC
expect_silence vlan_tagged_unicast_ignored_with_u -t $TARGET -s $R_LL \
	-d $TARGET -D $V_MAC -q 5
test_exit sigint_exit_0 INT

test_subnet_file
stop_daemon TERM

echo "# integration: $(($(date +%s) - start)) s"
exit $failed
