#!/bin/sh
# Integration tests for the routed and auto modes (-r, --auto, -x): the
# daemon answers for what the vm's kernel routes inward, and only while
# the route is there. The real kernel plays the VPS, its router and its
# guests, in network namespaces of our own. Needs root, ip, nft, ping
# and ndisc6. It builds nothing: make ndpresponder test/nsprobe first
# (NDPRESPONDER_BIN picks another daemon binary). Output as the other
# suites: "PASS name", "FAIL name: why", "SKIP name: why"; exits 1 if a
# test failed.
#
# Topology (namespaces ndpq<pid>{r,v,g1,g2}):
#
#   router                 vm (the VPS)                    guests
#   r0 fe80::1 --veth-- v0 fe80::2, 2001:db8:1::2/64
#   lo 2001:db8:ff::1      forwarding=1
#   route 2001:db8:1::/64  vg1 fe80::1 --veth-- g1: 2001:db8:1::1:10/128
#     dev r0               vg2 fe80::1 --veth-- g2: 2001:db8:1::2:10/128
#   nft: drop NA from      route 2001:db8:1::1:10/128 dev vg1   (a guest)
#     link-local sources   route 2001:db8:1::2:0/112 dev vg2    (a net)
#                          2001:db8:1::2:1/128 on vg2 (the host's own)
#
# As in test/integration.sh, the router asks from its link-local address
# and the hypervisor's filter drops link-local NAs from the vm: only an
# NA from the target itself passes. A /128 to a guest's veth is what
# LXC and Incus routed NICs install; a /112 to vg2 is a routed network.

cd "$(dirname "$0")/.." || exit 1
SUITE=routed
TESTS="auto_guest_ping auto_guest_ndisc6_source_is_target auto_unicast_answered
auto_outside_onlink_silent routed_prefix_answered routed_host_own_silent
routed_outside_scope_silent exclude_silent route_added_answered_1s
route_deleted_silent_1s new_guest_announced reject_routes_silent
uplink_route_silent auto_needs_no_prefix_bad_cli table_option
routes_100000_answered"
. ./test/lib.sh
lib_init ip nft ping ndisc6

R=ndpq$$r
V=ndpq$$v
G1=ndpq$$g1
G2=ndpq$$g2
R_LL=fe80::1
V_LL=fe80::2
R_GLOBAL=2001:db8:ff::1
V_GLOBAL=2001:db8:1::2
ONLINK=2001:db8:1::/64
GUEST1=2001:db8:1::1:10		# a guest's /128 route
GUEST2=2001:db8:1::2:10		# in the /112 routed to vg2
HOST_OWN=2001:db8:1::2:1		# the vm's address on vg2
R_MAC=02:00:00:0a:00:01
V_MAC=02:00:00:0a:00:02

inr() { ip netns exec "$R" "$@"; }

# ---------------------------------------------------------------- topology

hv_filter() {
	inr nft -f - <<EOF
table netdev hv {
	chain in {
		type filter hook ingress device "r0" priority 0;
		ip6 saddr fe80::/10 icmpv6 type nd-neighbor-advert counter drop
	}
}
EOF
}

# guest NS IF ADDR: a guest namespace behind vm's IF, with ADDR/128.
guest() {
	ns_add "$1" &&
	ip -n "$V" link add "$2" type veth peer name g0 netns "$1" &&
	ip -n "$V" link set "$2" addrgenmode none &&
	ip -n "$V" addr add fe80::1/64 dev "$2" nodad &&
	ip -n "$V" link set "$2" up &&
	ip -n "$1" link set g0 addrgenmode none &&
	ip -n "$1" addr add fe80::2/64 dev g0 nodad &&
	ip -n "$1" addr add "$3/128" dev g0 nodad &&
	ip -n "$1" link set g0 up &&
	ip -n "$1" route add default via fe80::1 dev g0
}

setup() {
	ns_add "$R" "$V" &&
	ip -n "$R" link add r0 address $R_MAC type veth \
		peer name v0 address $V_MAC netns "$V" &&
	ip -n "$R" link set r0 addrgenmode none &&
	ip -n "$R" addr add $R_LL/64 dev r0 nodad &&
	ip -n "$R" link set r0 up &&
	ip -n "$R" addr add $R_GLOBAL/128 dev lo &&
	ip -n "$R" route add $ONLINK dev r0 &&
	ip -n "$V" link set v0 addrgenmode none &&
	ip -n "$V" addr add $V_LL/64 dev v0 nodad &&
	ip -n "$V" link set v0 up &&
	ip -n "$V" addr add $V_GLOBAL/64 dev v0 nodad &&
	ip -n "$V" route add default via $R_LL dev v0 &&
	ip netns exec "$V" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	guest "$G1" vg1 $GUEST1 &&
	guest "$G2" vg2 $GUEST2 &&
	ip -n "$V" route add $GUEST1/128 dev vg1 &&
	ip -n "$V" addr add $HOST_OWN/112 dev vg2 nodad &&
	hv_filter
}

# ---------------------------------------------------------------- probes

# probe TARGET [ARGS...]: one NS from the router; $out, $rc (0: answered).
probe() {
	_t=$1
	shift
	out=$(inr "$NSPROBE" -i r0 -t "$_t" -w 300 "$@" 2>&1)
	rc=$?
}

# answered TARGET: an NA from the target itself, with vm's MAC.
answered() {
	probe "$1"
	case $out in
	*"ethsrc=$V_MAC "*"src=$1 "*"target=$1 "*) return 0 ;;
	esac
	return 1
}

# expect_answer NAME TARGET: PASS if answered (within 3 tries).
expect_answer() {
	if answered "$2" || answered "$2" || answered "$2"; then
		pass "$1"
	else
		fail "$1" "NS for $2: got '$out', want an NA from $2 with $V_MAC"
	fi
}

# expect_silence NAME TARGET: PASS if nothing answers it.
expect_silence() {
	probe "$2"
	if [ "$rc" = 1 ] && [ "$out" = timeout ]; then
		pass "$1"
	else
		fail "$1" "NS for $2: got '$out', want no answer"
	fi
}

router_entry() {
	ip -n "$R" -6 neigh show "$1" dev r0 nud all
}

# The router's kernel holds vm's MAC for $1.
router_knows() {
	case $(router_entry "$1") in
	*"lladdr $V_MAC "*) return 0 ;;
	esac
	return 1
}

# daemon_with NAME ARGS...: a new daemon in vm, up and answering the
# probe for GUEST1 if ARGS make it ours; FAIL NAME if it died.
daemon_with() {
	_name=$1
	shift
	[ -z "$dpid" ] || stop_daemon TERM
	start_daemon "$V" -i v0 "$@"
	wait_for 30 grep -qs ' start ' "$dlog"
	daemon_up "$_name"
}

# ---------------------------------------------------------------- tests

test_auto_guest() {
	daemon_with auto_guest_ping --auto || return
	if inr ping -n -c 1 -W 2 $GUEST1 >/dev/null 2>&1 ||
	   inr ping -n -c 1 -W 2 $GUEST1 >/dev/null 2>&1; then
		pass auto_guest_ping
	else
		fail auto_guest_ping "ping $GUEST1 from the router failed ($(router_entry $GUEST1))"
	fi
	# ndisc6 takes only an NA whose source is the target.
	if inr ndisc6 -1 -r 2 -w 500 $GUEST1 r0 2>&1 | grep -qi "$V_MAC"; then
		pass auto_guest_ndisc6_source_is_target
	else
		fail auto_guest_ndisc6_source_is_target "ndisc6 $GUEST1 got no answer with $V_MAC"
	fi
	# A guest's /128 says it is in use: NUD probes are answered too.
	probe $GUEST1 -d $GUEST1 -D $V_MAC
	case $out in
	*"src=$GUEST1 "*) pass auto_unicast_answered ;;
	*) fail auto_unicast_answered "unicast NS for $GUEST1: '$out'" ;;
	esac
	# On-link, but routed nowhere inward: the vm's uplink, not ours.
	expect_silence auto_outside_onlink_silent 2001:db8:1::99
}

test_routed_prefix() {
	daemon_with routed_prefix_answered -r 2001:db8:1::2:0/112 || return
	expect_answer routed_prefix_answered $GUEST2
	# The host's own address on vg2: the local table has it.
	expect_silence routed_host_own_silent $HOST_OWN
	# GUEST1 is routed inward, but outside the -r prefix.
	expect_silence routed_outside_scope_silent $GUEST1
}

test_exclude() {
	daemon_with exclude_silent --auto -x $GUEST1/128 || return
	if ! answered $GUEST2; then
		fail exclude_silent "precondition: $GUEST2 not answered: '$out'"
		return
	fi
	expect_silence exclude_silent $GUEST1
}

# A route added at run time is answered within 1 s, and announced; once
# deleted, it is silent within 1 s.
test_runtime_routes() {
	daemon_with route_added_answered_1s --auto || return
	new=2001:db8:1::1:20
	ip -n "$G1" addr add $new/128 dev g0 nodad
	ip -n "$R" -6 neigh flush dev r0
	t0=$(now_ms)
	ip -n "$V" route add $new/128 dev vg1
	ok=
	while [ $(($(now_ms) - t0)) -lt 1000 ]; do
		if answered $new; then
			ok=$(($(now_ms) - t0))
			break
		fi
	done
	if [ -n "$ok" ]; then
		echo "# $new answered $ok ms after 'ip route add'"
		pass route_added_answered_1s
	else
		fail route_added_answered_1s "no answer for $new within 1 s of 'ip route add': '$out'"
	fi
	# The announcement, not the probe, taught the router: it holds
	# the entry from the daemon's NS to its solicited-node group.
	if wait_for 20 router_knows $new &&
	   grep -q "announce address=$new " "$dlog"; then
		pass new_guest_announced
	else
		fail new_guest_announced "no announcement of $new (router: '$(router_entry $new)')"
	fi
	ip -n "$V" route del $new/128 dev vg1
	t0=$(now_ms)
	sleep 0.05
	ok=
	while [ $(($(now_ms) - t0)) -lt 1000 ]; do
		probe $new
		if [ "$out" = timeout ]; then
			ok=$(($(now_ms) - t0))
			break
		fi
	done
	if [ -n "$ok" ]; then
		pass route_deleted_silent_1s
	else
		fail route_deleted_silent_1s "still answered 1 s after 'ip route del': '$out'"
	fi
}

# Unreachable, blackhole, prohibit and throw routes are more specific
# than the on-link /64 and say "not here": never answered; nor is a
# route out of the uplink itself.
test_reject_routes() {
	daemon_with reject_routes_silent --auto || return
	why=
	i=30
	for type in unreachable blackhole prohibit throw; do
		ip -n "$V" route add $type 2001:db8:1::1:$i/128
		probe 2001:db8:1::1:$i
		[ "$out" = timeout ] || why="$why $type: '$out';"
		i=$((i + 1))
	done
	if [ -z "$why" ]; then
		pass reject_routes_silent
	else
		fail reject_routes_silent "$why"
	fi
	ip -n "$V" route add 2001:db8:1::1:40/128 dev v0
	expect_silence uplink_route_silent 2001:db8:1::1:40
}

test_bad_cli() {
	name=auto_needs_no_prefix_bad_cli
	why=
	# --auto alone is a full command line; --table without a mode,
	# or a bad table, is one error line and exit 2.
	err=$("$DAEMON" -i lo --table 7 2>&1)
	rc=$?
	[ "$rc" = 2 ] && [ "$(echo "$err" | wc -l)" = 1 ] ||
		why="--table alone: rc $rc, '$err';"
	err=$("$DAEMON" -i lo --auto --table 255 2>&1)
	rc=$?
	[ "$rc" = 2 ] || why="$why --table 255: rc $rc, '$err';"
	err=$("$DAEMON" -i lo -r 2001:db8::/zz 2>&1)
	rc=$?
	[ "$rc" = 2 ] || why="$why bad -r: rc $rc, '$err';"
	if [ -z "$why" ]; then
		pass $name
	else
		fail $name "$why"
	fi
}

# --table: the routes of another table count, the main table's not.
test_table() {
	name=table_option
	ip -n "$V" route add $GUEST2/128 dev vg2 table 100
	ip -n "$V" route add 2001:db8:1::/64 dev v0 table 100
	daemon_with $name --auto --table 100 || return
	if ! answered $GUEST2; then
		fail $name "$GUEST2, routed inward in table 100: '$out'"
		return
	fi
	expect_silence $name $GUEST1
}

# 100,000 /128 routes (ip -batch) before the start: answered, any of
# them; startup and the mirror's bytes a route are reported.
test_100000() {
	name=routes_100000_answered
	stop_daemon TERM
	awk 'BEGIN { for (i = 0; i < 100000; i++)
		printf "route add 2001:db8:1::3:%x:%x/128 dev vg1\n",
			int(i / 65536), i % 65536 }' >"$tmp/routes.batch"
	if ! ip -n "$V" -batch "$tmp/routes.batch"; then
		fail $name "ip -batch failed"
		return
	fi
	t0=$(now_ms)
	daemon_with $name --auto || return
	wait_for 50 grep -qs ' start ' "$dlog"
	up=$(($(now_ms) - t0))
	why=
	for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do
		n=$(( (i * 4999 + 17) % 100000 ))
		a=$(printf '2001:db8:1::3:%x:%x' $((n / 65536)) $((n % 65536)))
		answered "$a" || answered "$a" || why="$why $a: '$out';"
	done
	bytes=$(sed -n 's/.*route_mirror routes=\([0-9]*\) bytes=\([0-9]*\).*/\1 \2/p' "$dlog" | head -n 1)
	echo "# 100,000 routes: start line after $up ms; mirror (routes bytes): $bytes"
	if [ -n "$why" ]; then
		fail $name "$why"
	else
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
ip -n "$V" route add 2001:db8:1::2:0/112 dev vg2 2>/dev/null

test_auto_guest
test_routed_prefix
test_exclude
test_runtime_routes
test_reject_routes
test_bad_cli
test_table
test_100000
[ -z "$dpid" ] || stop_daemon TERM

echo "# routed: $((($(now_ms) - start) / 1000)) s"
exit $failed
