#!/bin/sh
# Integration tests for host integration over rtnetlink: gateway
# pinning, link tracking and announcements. The real kernel plays the
# VPS and its upstream router, in network namespaces of our own. Needs
# root, ip and nft; announce_bytes also tcpdump. It builds nothing: make
# ndpresponder test/nsprobe first (NDPRESPONDER_BIN picks another daemon
# binary). Output as test/integration.sh: one "PASS name", "FAIL name:
# why" or "SKIP name: why" line per test, "#" lines are diagnostics;
# exits 1 if a test failed. One daemon runs the announcement, pinning
# and link tests in order; the unpin, no-pin and unreachable-gateway
# tests start their own.
#
# Topology (namespaces ndpu<pid>{r,v}):
#
#   router                               vm (the VPS)
#   r0 fe80::1:abcd:ef12 ---veth--- v0 fe80::2, 2001:db8:1::2/64
#   lo 2001:db8:ff::1                    default via fe80::1:abcd:ef12
#   route 2001:db8:1::/64 dev r0         ndpresponder -i v0
#   nft ingress on r0: drop NS and NA      -n 2001:db8:1::1:0/112 ...
#     from link-local sources (the hypervisor)
#
# As in test/integration.sh, the router has only a link-local address on
# r0 and asks for the /64 from it. The hypervisor's filter is the strict
# kind: every link-local NS and NA from the VPS is dropped, so the VPS
# kernel cannot resolve its gateway by itself (it solicits from fe80::2);
# only the daemon's way (a datagram from 2001:db8:1::2, so that the
# kernel solicits from there) learns the gateway's MAC. The router's
# link-local address does not end in ::1, so that the announcement to
# the gateway's solicited-node group (ff02::1:ffcd:ef12) is checked
# against a group other than the usual ff02::1:ff00:1. The daemon
# answers for 2001:db8:1::1:0/112, which no one on the link owns.

cd "$(dirname "$0")/.." || exit 1
SUITE=uplink
TESTS="gateway_pinned_noarp_and_answering_at_once
announce_creates_router_entry announce_bytes gateway_repinned_after_delete
gateway_mac_change_followed gateway_not_moved_by_spoofed_ns
link_down_up_answers link_down_no_spin mac_change_answers_new_mac
reannounce_on_mac_change recreate_answers gateway_repinned_after_recreate
same_ifindex_netns_move_answers same_ifindex_recreate_answers
unpin_on_exit unpin_former_gateway unpin_leaves_operator_entries no_pin_gateway
unreachable_gateway_still_answers signal_during_setup_exits_cleanly
announce_5000_paced"
. ./test/lib.sh
lib_init ip nft

R=ndpu$$r		# router namespace
V=ndpu$$v		# vm namespace, runs the daemon
R_LL=fe80::1:abcd:ef12	# the gateway; solicited-node group ff02::1:ffcd:ef12
V_LL=fe80::2
R_GLOBAL=2001:db8:ff::1
V_GLOBAL=2001:db8:1::2	# vm's own address on v0
ONLINK=2001:db8:1::/64
PREFIX=2001:db8:1::1:0/112
TARGET=2001:db8:1::1:100	# in PREFIX: what nsprobe asks for
ANNOUNCED=2001:db8:1::77	# a static /128, announced
NOGW=fe80::dead:beef	# a gateway that does not exist
R_MAC=02:00:00:a1:b2:c3	# r0, then after its MAC change, then re-created
R_MAC2=02:00:00:a1:b2:04
R_MAC3=02:00:00:a1:b2:05
V_MAC=02:00:00:d4:e5:f6	# v0, then after its MAC change, then re-created
V_MAC2=02:00:00:d4:e5:07
V_MAC3=02:00:00:d4:e5:08
VRRP_MAC=00:00:5e:00:02:01	# an operator's PERMANENT entry (VRRP VRID 1)

r_mac=$R_MAC		# current MACs
v_mac=$V_MAC

inr() { ip netns exec "$R" "$@"; }

# ---------------------------------------------------------------- topology

hv_filter() {
	inr nft delete table netdev hv 2>/dev/null
	inr nft -f - <<EOF
table netdev hv {
	chain in {
		type filter hook ingress device "r0" priority 0;
		ip6 saddr fe80::/10 icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } counter drop
	}
}
EOF
}

router_config() {
	ip -n "$R" link set r0 addrgenmode none &&
	ip -n "$R" addr replace $R_LL/64 dev r0 nodad &&
	ip -n "$R" link set r0 up &&
	ip -n "$R" route replace $ONLINK dev r0 &&
	hv_filter
}

# vm_config: v0's addresses and default route (again: a link that went
# down lost them).
vm_config() {
	ip -n "$V" link set v0 addrgenmode none &&
	ip -n "$V" addr replace $V_LL/64 dev v0 nodad &&
	ip -n "$V" link set v0 up &&
	ip -n "$V" addr replace $V_GLOBAL/64 dev v0 nodad &&
	ip -n "$V" route replace default via $R_LL dev v0
}

# make_link: a veth pair r0 - v0 with the current MACs, configured.
make_link() {
	ip -n "$R" link add r0 address "$r_mac" type veth \
		peer name v0 address "$v_mac" netns "$V" &&
	router_config && vm_config
}

setup() {
	ns_add "$R" "$V" &&
	ip -n "$R" addr add $R_GLOBAL/128 dev lo &&
	make_link
}

# The vm's entry for its gateway (or for $1), all states.
gw_entry() {
	ip -n "$V" -6 neigh show "${1:-$R_LL}" dev v0 nud all
}

# gw_is MAC STATE: the vm's entry for its gateway has MAC and STATE.
gw_is() {
	case $(gw_entry) in
	*"lladdr $1 "*"$2"*) return 0 ;;
	esac
	return 1
}

gw_del() {
	ip -n "$V" -6 neigh del "${1:-$R_LL}" dev v0 2>/dev/null
}

# router_has ADDR MAC: the router's kernel holds MAC for ADDR.
# shellcheck disable=SC2317 # run by wait_for
router_has() {
	case $(ip -n "$R" -6 neigh show "$1" dev r0 nud all) in
	*"lladdr $2 "*) return 0 ;;
	esac
	return 1
}

# ---------------------------------------------------------------- probes

# probe ARGS...: nsprobe from the router; output in $out, status $rc.
probe() {
	out=$(inr "$NSPROBE" -i r0 "$@" 2>&1)
	rc=$?
}

# The NA to nsprobe's NS for TARGET, with the current MACs.
na_want() {
	echo "na ethsrc=$v_mac ethdst=$r_mac src=$TARGET dst=$R_LL target=$TARGET flags=RSO hlim=255 tlla=$v_mac"
}

# answered TRIES: NS for TARGET until the answer is na_want, at most
# TRIES times, ~0.3 s each; the last answer is in $out.
answered() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		probe -t $TARGET -w 300
		[ "$rc" = 0 ] && [ "$out" = "$(na_want)" ] && return 0
		[ "$rc" = 0 ] && sleep 0.2	# an answer, but a stale one
		_i=$((_i + 1))
	done
	return 1
}

# answered_by_ms MS: answered within MS of $t0; $first is when, in ms.
answered_by_ms() {
	first=
	while [ $(($(now_ms) - t0)) -lt "$1" ]; do
		probe -t $TARGET -w 150
		if [ "$rc" = 0 ]; then
			first=$(($(now_ms) - t0))
			[ "$out" = "$(na_want)" ]
			return
		fi
	done
	return 1
}

# ---------------------------------------------------------------- frames

# The announcements of ANNOUNCED, as they must leave v0, one comment
# per field; x: any hex digit. Both frames carry V_MAC (02:00:00:d4:e5:f6).
WANT_DAD=$(sed 's/#.*//' <<'EOF' | tr -d ' \t\n'
3333 ff00 0077		# Ethernet destination: 33:33 + the group's low 32 bits
0200 00d4 e5f6		# Ethernet source: V_MAC
86dd			# EtherType: IPv6
6000 0000		# version 6, traffic class 0, flow label 0
0020			# payload length 32: NS 24 + nonce option 8
3a			# next header: ICMPv6
ff			# hop limit 255
0000 0000 0000 0000 0000 0000 0000 0000	# source: :: (DAD)
ff02 0000 0000 0000 0000 0001 ff00 0077	# destination: ff02::1:ff00:77, solicited-node group of ANNOUNCED
87			# ICMPv6 type 135: Neighbor Solicitation
00			# code 0
xxxx			# checksum: covers the nonce, checked apart (icmp6_csum_ok)
0000 0000		# reserved
2001 0db8 0001 0000 0000 0000 0000 0077	# target: ANNOUNCED
0e			# option type 14: nonce (RFC 3971, RFC 7527)
01			# option length 1 (8 bytes); no source link-layer address
xxxx xxxx xxxx		# nonce: 6 random bytes
EOF
)
WANT_GW=$(sed 's/#.*//' <<'EOF' | tr -d ' \t\n'
3333 ffcd ef12		# Ethernet destination: 33:33 + the group's low 32 bits
0200 00d4 e5f6		# Ethernet source: V_MAC
86dd			# EtherType: IPv6
6000 0000		# version 6, traffic class 0, flow label 0
0020			# payload length 32: NS 24 + source link-layer option 8
3a			# next header: ICMPv6
ff			# hop limit 255
2001 0db8 0001 0000 0000 0000 0000 0077	# source: ANNOUNCED
ff02 0000 0000 0000 0000 0001 ffcd ef12	# destination: ff02::1:ffcd:ef12, solicited-node group of R_LL
87			# ICMPv6 type 135: Neighbor Solicitation
00			# code 0
d960			# checksum (computed apart, with Python; icmp6_csum_ok too)
0000 0000		# reserved
fe80 0000 0000 0000 0000 0001 abcd ef12	# target: the gateway, R_LL
01			# option type 1: source link-layer address
01			# option length 1 (8 bytes)
0200 00d4 e5f6		# V_MAC
EOF
)

# cap_start: capture NS from :: or ANNOUNCED arriving on r0, as tcpdump
# -xx text (a packet socket sees them before the nft ingress hook).
cap_start() {
	cap=
	command -v tcpdump >/dev/null 2>&1 || return
	cap=$tmp/announce.txt
	inr tcpdump -i r0 -Q in -p -n -l -xx --immediate-mode -c 2 \
		"icmp6 and ip6[40] == 135 and (src host :: or src host $ANNOUNCED)" \
		>"$cap" 2>"$tmp/tcpdump.err" </dev/null &
	cpid=$!
	lib_pids="$lib_pids $cpid"
	wait_for 50 grep -qs 'listening on' "$tmp/tcpdump.err"
}

# frames FILE: one line of hex digits per frame of tcpdump -xx output.
frames() {
	awk '/^[^ \t]/ { if (h != "") print h; h = ""; next }
	     /^[ \t]+0x/ { for (i = 2; i <= NF; i++) h = h $i }
	     END { if (h != "") print h }' "$1"
}

# hex_diff GOT WANT: nothing if they match (x in WANT: any digit), else
# where they first differ.
hex_diff() {
	awk -v g="$1" -v w="$2" 'BEGIN {
		n = length(g) > length(w) ? length(g) : length(w)
		for (i = 1; i <= n; i++) {
			c = substr(w, i, 1)
			if (c != "x" && c != substr(g, i, 1)) {
				b = int((i - 1) / 2)
				printf "%d bytes, want %d; first difference at byte %d: %s, want %s\n", length(g) / 2, length(w) / 2, b, substr(g, 2 * b + 1, 2), substr(w, 2 * b + 1, 2)
				exit
			}
		}
	}'
}

# icmp6_csum_ok HEX: the ICMPv6 checksum of an Ethernet + IPv6 frame
# without extension headers is right: the one's complement sum of the
# pseudo-header and the message comes to 0xffff.
icmp6_csum_ok() {
	awk -v h="$1" '
	function b(i) {
		return (index(X, substr(h, 2 * i + 1, 1)) - 1) * 16 + \
		       index(X, substr(h, 2 * i + 2, 1)) - 1
	}
	BEGIN {
		X = "0123456789abcdef"
		plen = b(18) * 256 + b(19)
		if (length(h) < 2 * (54 + plen) || b(20) != 58)
			exit 1
		s = plen + 58	# upper-layer length, next header
		for (i = 22; i < 54; i += 2)	# source, destination
			s += b(i) * 256 + b(i + 1)
		for (i = 54; i < 54 + plen; i += 2)
			s += b(i) * 256 + (i + 1 < 54 + plen ? b(i + 1) : 0)
		while (s > 65535)
			s = s % 65536 + int(s / 65536)
		exit (s != 65535)
	}'
}

# ---------------------------------------------------------------- tests

# Right after start (t0): answers at once, pins within 3 s.
test_pinned_at_once() {
	name=gateway_pinned_noarp_and_answering_at_once
	daemon_up $name || return
	if ! answered_by_ms 1000; then
		fail $name "no right NA within 1 s of start; nsprobe said: $out"
		return
	fi
	if ! wait_for 30 gw_is "$r_mac" NOARP; then
		fail $name "answered after $first ms, but 3 s later vm's entry for its gateway is '$(gw_entry)', want lladdr $r_mac NOARP"
		return
	fi
	echo "# answered $first ms after start, pinned $(($(now_ms) - t0)) ms after"
	pass $name
}

# The router had no entry for ANNOUNCED and nothing was sent to it: only
# the announcement can teach the router's kernel.
test_announce_router_entry() {
	expect_announced announce_creates_router_entry
}

# expect_announced NAME: within 2 s the router holds ANNOUNCED at v0's
# current MAC.
expect_announced() {
	daemon_up "$1" || return
	if wait_for 20 router_has $ANNOUNCED "$v_mac"; then
		pass "$1"
	else
		fail "$1" "router's entry for $ANNOUNCED after 2 s: '$(ip -n "$R" -6 neigh show $ANNOUNCED dev r0 nud all)', want lladdr $v_mac"
	fi
}

test_announce_bytes() {
	name=announce_bytes
	if [ -z "$cap" ]; then
		skip $name "tcpdump not installed (test/deps.sh installs it)"
		return
	fi
	wait_for 30 not alive "$cpid"
	reap "$cpid"
	frames "$cap" >"$tmp/frames"
	zero=00000000000000000000000000000000
	dad=$(awk -v z=$zero 'substr($0, 45, 32) == z' "$tmp/frames" | head -n 1)
	gwns=$(awk -v z=$zero 'substr($0, 45, 32) != z' "$tmp/frames" | head -n 1)
	why=
	if [ -z "$dad" ]; then
		why="no NS from :: for $ANNOUNCED seen on r0"
	elif [ -n "$(hex_diff "$dad" "$WANT_DAD")" ]; then
		why="DAD NS: $(hex_diff "$dad" "$WANT_DAD")"
	elif ! icmp6_csum_ok "$dad"; then
		why="DAD NS: bad ICMPv6 checksum"
	elif [ "$(echo "$dad" | cut -c161-172)" = 000000000000 ]; then
		why="DAD NS: the nonce is zero (no random bytes?)"
	elif [ -z "$gwns" ]; then
		why="no NS from $ANNOUNCED to the gateway seen on r0"
	elif [ -n "$(hex_diff "$gwns" "$WANT_GW")" ]; then
		why="NS to the gateway: $(hex_diff "$gwns" "$WANT_GW")"
	elif ! icmp6_csum_ok "$gwns"; then
		why="NS to the gateway: bad ICMPv6 checksum"
	fi
	if [ -z "$why" ]; then
		pass $name
		return
	fi
	fail $name "$why"
	echo "# want DAD NS     $WANT_DAD"
	echo "# want gateway NS $WANT_GW"
	sed 's/^/# captured       /' "$tmp/frames"
	sed 's/^/# tcpdump: /' "$tmp/tcpdump.err"
}

test_repinned_after_delete() {
	name=gateway_repinned_after_delete
	daemon_up $name || return
	gw_del
	if wait_for 30 gw_is "$r_mac" NOARP; then
		pass $name
	else
		fail $name "3 s after 'ip -6 neigh del' vm's entry is '$(gw_entry)', want lladdr $r_mac NOARP"
	fi
}

# The router's MAC changes. Its next NS carries the new one, which the
# vm's kernel does not take into a NOARP entry (RFC 4861 7.2.3): the
# daemon has to.
test_gateway_mac_followed() {
	name=gateway_mac_change_followed
	daemon_up $name || return
	if ! gw_is "$r_mac" NOARP; then
		fail $name "precondition: vm's entry is '$(gw_entry)', want lladdr $r_mac NOARP"
		return
	fi
	r_mac=$R_MAC2
	ip -n "$R" link set r0 address $r_mac
	answered 3
	if wait_for 20 gw_is "$r_mac" NOARP; then
		pass $name
	else
		fail $name "after the router's NS from its new MAC $r_mac, vm's entry is '$(gw_entry)', want lladdr $r_mac NOARP"
	fi
}

# Another host sends NS from the gateway's address with its own MAC
# (here from r0, with -E), for a target not ours and for one that is:
# the daemon must not move its pin there on their word. It verifies the
# claim once (the real router answers with its MAC), says so at WARN,
# holds further claims for 10 s, and answers all along. (After the
# router's real MAC change, whose verification holds nothing back.)
SPOOF_MAC=02:00:00:66:66:66
test_gateway_spoofed() {
	name=gateway_not_moved_by_spoofed_ns
	daemon_up $name || return
	if ! gw_is "$r_mac" NOARP; then
		fail $name "precondition: vm's entry is '$(gw_entry)', want lladdr $r_mac NOARP"
		return
	fi
	claims=$(log_count gateway_mac_claim)
	probe -t 2001:db8:1::dead -E $SPOOF_MAC -w 1
	probe -t $TARGET -E $SPOOF_MAC -w 300
	spoof_answered=$rc
	_i=0
	while [ $_i -lt 50 ]; do
		probe -t 2001:db8:1::dead -E $SPOOF_MAC -w 1
		_i=$((_i + 1))
	done
	wait_for 30 gw_is "$r_mac" NOARP
	sleep 0.5
	e=$(gw_entry)
	n=$(($(log_count gateway_mac_claim) - claims))
	if [ "$spoof_answered" != 0 ]; then
		fail $name "the NS for $TARGET from $SPOOF_MAC was not answered"
	elif ! gw_is "$r_mac" NOARP; then
		fail $name "after 52 NS from $R_LL with MAC $SPOOF_MAC, vm's entry is '$e', want lladdr $r_mac NOARP"
	elif [ "$n" != 1 ]; then
		fail $name "$n gateway_mac_claim lines for 52 claims within 10 s, want 1"
	elif ! grep -q "WARN gateway_mac_claim gateway=$R_LL claimed=$SPOOF_MAC pinned=$r_mac" "$dlog"; then
		fail $name "no 'WARN gateway_mac_claim gateway=$R_LL claimed=$SPOOF_MAC pinned=$r_mac' in the log"
	elif ! grep -q "gateway_verified gateway=$R_LL lladdr=$r_mac rejected_claim=$SPOOF_MAC" "$dlog"; then
		fail $name "no 'gateway_verified ... rejected_claim=$SPOOF_MAC' in the log"
	elif ! answered 3; then
		fail $name "no answer after the claims: $out"
	else
		pass $name
	fi
}

# Down and up lose v0's addresses and routes; the daemon answers anyway.
test_link_down_up() {
	name=link_down_up_answers
	daemon_up $name || return
	ip -n "$V" link set v0 down
	sleep 0.2
	ip -n "$V" link set v0 up
	if answered 7; then
		pass $name
	else
		fail $name "after down and up: got '$out', want '$(na_want)'"
	fi
	vm_config
}

# cpu_ticks: the daemon's user and system time, in clock ticks.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$dpid/stat"
}

# While the link is down the packet socket holds ENETDOWN, and poll()
# says POLLERR until it is read: 2 s down and 1 s up again must cost no
# CPU to speak of (spinning, both are some 300 ticks), then answer.
test_link_down_no_spin() {
	name=link_down_no_spin
	daemon_up $name || return
	_t0=$(cpu_ticks)
	ip -n "$V" link set v0 down
	sleep 2
	_t1=$(cpu_ticks)
	ip -n "$V" link set v0 up
	sleep 1
	_t2=$(cpu_ticks)
	echo "# cpu ticks: $_t0, after 2 s down $_t1, after 1 s up $_t2"
	if [ $((_t2 - _t0)) -gt 10 ]; then
		fail $name "$((_t1 - _t0)) ticks in 2 s down, $((_t2 - _t1)) in 1 s up (want <= 10 in all)"
	elif ! answered 7; then
		fail $name "after down and up: got '$out', want '$(na_want)'"
	else
		pass $name
	fi
	vm_config
}

test_mac_change() {
	name=mac_change_answers_new_mac
	daemon_up $name || return
	v_mac=$V_MAC2
	ip -n "$V" link set v0 address $v_mac
	if answered 7; then
		pass $name
	else
		fail $name "after the MAC change: got '$out', want '$(na_want)'"
	fi
}

# Only a new announcement tells the router the new MAC for ANNOUNCED.
test_reannounce() {
	expect_announced reannounce_on_mac_change
}

# v0 is deleted (its peer with it) and a new pair made: new ifindex.
test_recreate() {
	name=recreate_answers
	daemon_up $name || return
	ip -n "$V" link del v0
	if ! wait_for 20 grep -q 'link_absent interface=v0' "$dlog"; then
		fail $name "no link_absent in the log 2 s after v0 was deleted"
		return
	fi
	sleep 0.3
	r_mac=$R_MAC3
	v_mac=$V_MAC3
	if ! make_link; then
		fail $name "cannot re-create the link"
		return
	fi
	ifindex=$(ip -n "$V" -o link show v0 | cut -d: -f1)
	if ! answered 10 && daemon_dead; then
		fail $name "after re-creation $dead"
	elif [ "$out" != "$(na_want)" ]; then
		fail $name "after re-creation: got '$out', want '$(na_want)'"
	elif [ "$(log_count link_absent)" != 1 ]; then
		fail $name "link_absent logged $(log_count link_absent) times, want once"
	elif ! grep -q "rebind interface=v0 ifindex=$ifindex\$" "$dlog"; then
		fail $name "no 'rebind interface=v0 ifindex=$ifindex' in the log"
	else
		pass $name
	fi
}

test_repinned_after_recreate() {
	name=gateway_repinned_after_recreate
	daemon_up $name || return
	if wait_for 30 gw_is "$r_mac" NOARP; then
		pass $name
	else
		fail $name "3 s after re-creation vm's entry is '$(gw_entry)', want lladdr $r_mac NOARP"
	fi
}

# ifindex_of NS DEV
ifindex_of() {
	ip -n "$1" -o link show "$2" 2>/dev/null | cut -d: -f1
}

# same_index_back NAME HOW: v0 went and came back under its old index
# (HOW did it); the daemon must bind to it again and answer.
same_index_back() {
	if [ "$(ifindex_of "$V" v0)" != "$ifindex" ]; then
		fail "$1" "precondition: v0's index is '$(ifindex_of "$V" v0)' after $2, want $ifindex"
		return
	fi
	vm_config
	if ! answered 10 && daemon_dead; then
		fail "$1" "after $2 $dead"
	elif [ "$out" != "$(na_want)" ]; then
		fail "$1" "after $2 (same ifindex $ifindex): got '$out', want '$(na_want)'"
	else
		pass "$1"
	fi
}

# v0 moves to another namespace and back in one command: the daemon
# hears RTM_DELLINK and RTM_NEWLINK for the same index together.
test_netns_move() {
	name=same_ifindex_netns_move_answers
	daemon_up $name || return
	ifindex=$(ifindex_of "$V" v0)
	ns_add "${V}x" || { fail $name "cannot add namespace ${V}x"; return; }
	ip -n "$V" link set v0 netns "${V}x" &&
		ip -n "${V}x" link set v0 netns "$V"
	same_index_back $name "a move to ${V}x and back"
}

# v0 is deleted and a new one made with "index N", the old N.
test_recreate_same_index() {
	name=same_ifindex_recreate_answers
	daemon_up $name || return
	ifindex=$(ifindex_of "$V" v0)
	ip -n "$V" link del v0
	wait_for 20 grep -q "link_absent interface=v0" "$dlog"
	ip -n "$V" link add v0 index "$ifindex" address "$v_mac" type veth \
		peer name r0 address "$r_mac" netns "$R" &&
	router_config
	same_index_back $name "'ip link del' and 'ip link add ... index $ifindex'"
}

# start_pinned NAME: a new daemon, with vm's gateway entry pinned within
# 3 s; else FAIL NAME and stop it.
start_pinned() {
	gw_del
	start_daemon "$V" -i v0 -n $PREFIX
	if ! wait_for 30 gw_is "$r_mac" NOARP; then
		fail "$1" "precondition: 3 s after start vm's entry is '$(gw_entry)', want lladdr $r_mac NOARP"
		stop_daemon KILL
		return 1
	fi
}

# SIGTERM hands the entry it pinned back to neighbour discovery.
test_unpin_on_exit() {
	name=unpin_on_exit
	start_pinned $name || return
	stop_daemon TERM
	e=$(gw_entry)
	case $stop_rc:$e in
	0:*NOARP*|0:*PERMANENT*)
		fail $name "after exit vm's entry is still pinned: '$e'" ;;
	0:*"lladdr $r_mac "*)
		pass $name ;;
	0:*)
		fail $name "after exit vm's entry is '$e', want lladdr $r_mac, not NOARP" ;;
	*)
		fail $name "exit status $stop_rc after SIGTERM, want 0" ;;
	esac
}

# A gateway it pinned that stops being one (the default route moved)
# is its own pin too: handed back, at the latest on exit.
test_unpin_former_gateway() {
	name=unpin_former_gateway
	start_pinned $name || return
	ip -n "$V" route replace default via $NOGW dev v0
	wait_for 20 grep -q "gateway gateway=$NOGW" "$dlog"
	stop_daemon TERM
	ip -n "$V" route replace default via $R_LL dev v0
	e=$(gw_entry)
	case $e in
	*NOARP*|*PERMANENT*)
		fail $name "the default route moved to $NOGW and the daemon exited, but the entry it pinned for $R_LL is still '$e'" ;;
	*)
		pass $name ;;
	esac
}

# operator_case STATE MAC: an entry the operator made before the start
# stays as it is while the daemon runs, hears the router's NS (from
# r_mac) and exits. Sets $why on failure.
operator_case() {
	gw_del
	ip -n "$V" -6 neigh replace $R_LL lladdr "$2" nud "$1" dev v0
	state=$(echo "$1" | tr '[:lower:]' '[:upper:]')
	start_daemon "$V" -i v0 -n $PREFIX
	if ! answered 10; then
		why="$1 $2: no answer after start: $out"
	elif ! gw_is "$2" "$state"; then
		why="$1 $2: while running the entry is '$(gw_entry)', want lladdr $2 $state"
	fi
	stop_daemon TERM
	if [ -z "$why" ] && ! gw_is "$2" "$state"; then
		why="$1 $2: after exit the entry is '$(gw_entry)', want lladdr $2 $state"
	fi
}

test_unpin_leaves_operator_entries() {
	name=unpin_leaves_operator_entries
	why=
	# A MAC other than the router's, as for a VRRP router: not ours to
	# follow. Then a NOARP entry that was there before the daemon.
	operator_case permanent $VRRP_MAC
	[ -n "$why" ] || operator_case noarp "$r_mac"
	if [ -z "$why" ]; then
		pass $name
	else
		fail $name "$why"
	fi
	gw_del
}

# The vm's kernel holds the gateway's MAC; the daemon must not pin it.
test_no_pin() {
	name=no_pin_gateway
	gw_del
	ip -n "$V" -6 neigh replace $R_LL lladdr "$r_mac" nud stale dev v0
	start_daemon "$V" -i v0 -n $PREFIX --no-pin-gateway
	if ! answered 10; then
		fail $name "no answer after start: $out"
	else
		sleep 1
		e=$(gw_entry)
		case $e in
		*NOARP*|*PERMANENT*)
			fail $name "vm's entry is '$e', want it left alone" ;;
		*"lladdr $r_mac "*)
			if [ "$(log_count gateway_pinned)" != 0 ]; then
				fail $name "the log says gateway_pinned"
			else
				pass $name
			fi ;;
		*)
			fail $name "vm's entry is '$e', want lladdr $r_mac" ;;
		esac
	fi
	stop_daemon TERM
}

# A gateway that never answers: answers go on, resolution backs off.
test_unreachable() {
	name=unreachable_gateway_still_answers
	ip -n "$V" route replace default via $NOGW dev v0
	gw_del $NOGW
	t0=$(now_ms)
	start_daemon "$V" -i v0 -n $PREFIX
	if ! answered_by_ms 1000; then
		fail $name "no right NA within 1 s of start; nsprobe said: $out"
		stop_daemon TERM
		return
	fi
	while [ $(($(now_ms) - t0)) -lt 5000 ]; do
		sleep 0.2
	done
	if ! answered 3; then
		fail $name "no answer 5 s after start: $out"
		stop_daemon TERM
		return
	fi
	secs=$((($(now_ms) - t0) / 1000))
	n=$(log_count "resolve_gateway gateway=$NOGW")
	max=2
	while [ "$secs" -ge 2 ]; do	# floor(log2(secs)) + 2
		secs=$((secs / 2))
		max=$((max + 1))
	done
	e=$(gw_entry $NOGW)
	if [ "$n" -lt 2 ] || [ "$n" -gt "$max" ]; then
		fail $name "$n resolution attempts in the log after $(($(now_ms) - t0)) ms, want 2 to $max"
	elif [ "$(log_count gateway_pinned)" != 0 ]; then
		fail $name "the log says gateway_pinned"
	else
		case $e in
		*NOARP*|*PERMANENT*)
			fail $name "vm's entry for $NOGW is '$e'" ;;
		*)
			pass $name ;;
		esac
	fi
	stop_daemon TERM
}

# SIGTERM while the daemon is still setting up (here: while it reads
# 1,000,000 prefixes, ~150 ms) waits for the loop: a clean exit that
# releases the gateway it pinned during setup, not death by the default
# action.
test_early_signal() {
	name=signal_during_setup_exits_cleanly
	awk 'BEGIN { for (i = 0; i < 1000000; i++)
		printf "2001:db8:1::2:%x:%x/128\n", int(i / 65536), i % 65536 }' \
		>"$tmp/many.txt"
	ip -n "$V" route replace default via $R_LL dev v0
	gw_del
	ip -n "$V" -6 neigh replace $R_LL lladdr "$r_mac" nud stale dev v0
	start_daemon "$V" -i v0 --subnet-file "$tmp/many.txt"
	# While it has the file open: setup has begun, the loop not.
	_i=0
	until ls -l "/proc/$dpid/fd" 2>/dev/null | grep -q many.txt; do
		_i=$((_i + 1))
		[ $_i -lt 5000 ] || break
	done
	kill -TERM "$dpid"
	wait_for 50 not alive "$dpid"
	if alive "$dpid"; then
		stop_daemon KILL
		fail $name "still running 5 s after SIGTERM"
		return
	fi
	wait "$dpid"
	rc=$?
	dpid=
	e=$(gw_entry)
	if [ "$rc" != 0 ]; then
		fail $name "exit status $rc after SIGTERM during setup, want 0 (143: killed by the signal's default action)"
	elif ! grep -q 'exit signal=TERM' "$dlog"; then
		fail $name "no 'exit signal=TERM' in the log"
	elif ! grep -q 'gateway_released' "$dlog"; then
		fail $name "no 'gateway_released' in the log: it pinned nothing during setup?"
	else
		case $e in
		*NOARP*) fail $name "after exit the entry is still pinned: '$e'" ;;
		*) pass $name ;;
		esac
	fi
}

# --announce with 5,000 /128s: 10,000 NS at once would overrun the
# router's backlog (netdev_max_backlog, 1000) and most would be lost;
# paced, every one arrives. The router's kernel is spared them (nft
# drops them at ingress, after the capture), so that 5,000 neighbour
# entries do not overflow the machine's one neighbour table.
test_announce_paced() {
	name=announce_5000_paced
	if ! command -v tcpdump >/dev/null 2>&1; then
		skip $name "tcpdump not installed (test/deps.sh installs it)"
		return
	fi
	awk 'BEGIN { for (i = 0; i < 5000; i++)
		printf "2001:db8:1::3:%x/128\n", i }' >"$tmp/5000.txt"
	inr nft add rule netdev hv in ip6 saddr 2001:db8:1::3:0/112 drop &&
	inr nft add rule netdev hv in ip6 saddr :: drop || {
		fail $name "cannot add the nft rules"
		return
	}
	inr tcpdump -i r0 -Q in -p -n -l --immediate-mode -B 16384 \
		"icmp6 and ip6[40] == 135 and (src host :: or src net 2001:db8:1::3:0/112)" \
		>"$tmp/paced.txt" 2>"$tmp/tcpdump2.err" </dev/null &
	tpid=$!
	lib_pids="$lib_pids $tpid"
	wait_for 50 grep -qs 'listening on' "$tmp/tcpdump2.err"
	ip -n "$V" route replace default via $R_LL dev v0
	ip -n "$V" -6 neigh replace $R_LL lladdr "$r_mac" nud stale dev v0
	start_daemon "$V" -i v0 --subnet-file "$tmp/5000.txt" --announce
	wait_for 100 grep -q 'announced addresses=' "$dlog"
	sleep 0.3
	kill "$tpid" 2>/dev/null
	wait "$tpid" 2>/dev/null
	got=$(grep -c 'neighbor solicitation' "$tmp/paced.txt")
	dad=$(grep -c '^[^ ]* IP6 :: >' "$tmp/paced.txt")
	stop_daemon TERM
	hv_filter
	if [ "$got" -lt 10000 ] || [ "$dad" -lt 5000 ]; then
		fail $name "the router saw $got announcement NS ($dad DAD), want 10000 (5000)"
	elif ! grep -q 'announced addresses=5000 ' "$dlog"; then
		fail $name "no 'announced addresses=5000' in the log"
	else
		echo "# $got NS, $(grep 'announced addresses' "$dlog" | head -n 1)"
		pass $name
	fi
}

# ---------------------------------------------------------------- main

start=$(now_ms)
if ! setup >"$tmp/setup.log" 2>&1; then
	all_tests FAIL "topology setup failed"
	sed 's/^/# /' "$tmp/setup.log"
	exit 1
fi

# One daemon for the announcement, pinning and link tests, in order.
gw_del
ip -n "$R" -6 neigh flush dev r0
cap_start
t0=$(now_ms)
start_daemon "$V" -i v0 -n $PREFIX -n $ANNOUNCED/128 --announce
test_pinned_at_once
test_announce_router_entry
test_announce_bytes
test_repinned_after_delete
test_gateway_mac_followed
test_gateway_spoofed
test_link_down_up
test_link_down_no_spin
test_mac_change
test_reannounce
test_recreate
test_repinned_after_recreate
test_netns_move
test_recreate_same_index
stop_daemon TERM

# Each of these starts its own daemon.
test_unpin_on_exit
test_unpin_former_gateway
test_unpin_leaves_operator_entries
test_no_pin
test_unreachable
test_early_signal
test_announce_paced

echo "# uplink: $((($(now_ms) - start) / 1000)) s"
exit $failed
