#!/bin/sh
# Integration tests for the routed and auto modes (-r, --auto, -x): the
# daemon answers for what the vm's kernel routes inward, and only while
# the route is there. The real kernel plays the VPS, its router and its
# guests, in network namespaces of our own. Needs root, ip, nft, ping
# and ndisc6, and lxc for the LXC test. It builds nothing: make ndpresponder test/nsprobe first
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
live_present_answered_to_one_ns live_absent_silent live_probe_cleaned
live_unicast_answered live_gone_silent live_flood_bounded
lxc_routed_nic_auto_ping routes_100000_answered"
. ./test/lib.sh
lib_init ip nft ping ndisc6

R=ndpq$$r
V=ndpq$$v
G1=ndpq$$g1
G2=ndpq$$g2
G3=ndpq$$g3
G4=ndpq$$g4
R_LL=fe80::1
V_LL=fe80::2
R_GLOBAL=2001:db8:ff::1
V_GLOBAL=2001:db8:1::2
ONLINK=2001:db8:1::/64
GUEST1=2001:db8:1::1:10		# a guest's /128 route
GUEST2=2001:db8:1::2:10		# in the /112 routed to vg2
HOST_OWN=2001:db8:1::2:1		# the vm's address on vg2
BR_NET=2001:db8:1::4:0/112	# routed to br0, a bridge of guests
BR_HOST=2001:db8:1::4:1		# the vm's own address on br0
GUEST3=2001:db8:1::4:10		# behind br0, stays
GUEST4=2001:db8:1::4:20		# behind br0, goes
NOBODY=2001:db8:1::4:99		# behind br0, never there
R_MAC=02:00:00:0a:00:01
V_MAC=02:00:00:0a:00:02

inr() { ip netns exec "$R" "$@"; }

LXC_NAME=ndpq$$
LXC_ADDR=2001:db8:1::5:10	# the container's, on an LXC router-mode veth
lxc_started=

# shellcheck disable=SC2317 # run by the trap
lxc_cleanup() {
	[ -n "$lxc_started" ] || return 0
	ip netns exec "$V" lxc-stop -P "$tmp/lxc" -n $LXC_NAME -k \
		>/dev/null 2>&1
	lxc-destroy -P "$tmp/lxc" -n $LXC_NAME >/dev/null 2>&1
	lxc_started=
}
trap 'lxc_cleanup; lib_cleanup' EXIT

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

# bridged NS PORT ADDR: a guest namespace on vm's bridge br0.
bridged() {
	ns_add "$1" &&
	ip -n "$V" link add "$2" type veth peer name g0 netns "$1" &&
	ip -n "$V" link set "$2" master br0 up &&
	ip -n "$1" link set g0 addrgenmode none &&
	ip -n "$1" addr add "$3/112" dev g0 nodad &&
	ip -n "$1" link set g0 up &&
	ip -n "$1" route add default via $BR_HOST dev g0
}

# br0 with a fixed MAC and a port that stays (vstay), so that a guest
# leaving flushes nothing (NOTES); short neighbour timers, so that a
# guest that went is found unreachable in seconds, not a minute.
bridge() {
	ip -n "$V" link add br0 address 02:00:00:0a:00:b0 type bridge &&
	ip -n "$V" link set br0 addrgenmode none &&
	ip -n "$V" link add vstay type veth peer name vstay1 &&
	ip -n "$V" link set vstay master br0 up &&
	ip -n "$V" link set vstay1 up &&
	ip -n "$V" link set br0 up &&
	ip -n "$V" addr add fe80::1/64 dev br0 nodad &&
	ip -n "$V" addr add $BR_HOST/112 dev br0 nodad &&
	ip netns exec "$V" sysctl -qw \
		net.ipv6.neigh.br0.base_reachable_time_ms=1000 \
		net.ipv6.neigh.br0.retrans_time_ms=200 \
		net.ipv6.neigh.br0.delay_first_probe_time=1 &&
	bridged "$G3" vb3 $GUEST3 &&
	bridged "$G4" vb4 $GUEST4
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
	bridge &&
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

# vm's entry for a guest behind br0, all states.
br_entry() {
	ip -n "$V" -6 neigh show "$1" dev br0 nud all
}

# --live on the routed bridge: one NS for a guest the vm's kernel does
# not know yet is answered once the kernel has found it (no second NS
# from the router needed); an address nobody holds is never answered,
# and the FAILED entry the probe left is removed.
test_live() {
	daemon_with live_present_answered_to_one_ns -r $BR_NET --live || return
	ip -n "$V" -6 neigh flush dev br0
	t0=$(now_ms)
	out=$(inr "$NSPROBE" -i r0 -t $GUEST3 -w 2000 2>&1)
	t=$(($(now_ms) - t0))
	case $out in
	*"src=$GUEST3 "*)
		echo "# one NS for $GUEST3, its entry flushed: answered in $t ms"
		pass live_present_answered_to_one_ns ;;
	*)
		fail live_present_answered_to_one_ns "one NS for $GUEST3 after a flush: '$out' ($(br_entry $GUEST3))" ;;
	esac
	out=$(inr "$NSPROBE" -i r0 -t $NOBODY -w 2000 2>&1)
	if [ "$out" = timeout ]; then
		pass live_absent_silent
	else
		fail live_absent_silent "NS for $NOBODY, whom nobody holds: '$out'"
	fi
	if wait_for 30 test -z "$(br_entry $NOBODY)"; then
		pass live_probe_cleaned
	else
		fail live_probe_cleaned "3 s on, vm still holds '$(br_entry $NOBODY)'"
	fi
	probe $GUEST3 -d $GUEST3 -D $V_MAC
	case $out in
	*"src=$GUEST3 "*) pass live_unicast_answered ;;
	*) fail live_unicast_answered "unicast NS for $GUEST3, live: '$out'" ;;
	esac
}

# A guest that goes (its port and namespace deleted) stops being
# answered once the kernel finds it unreachable: here within 10 s.
test_live_gone() {
	name=live_gone_silent
	daemon_up $name || return
	if ! answered $GUEST4 && ! answered $GUEST4; then
		fail $name "precondition: $GUEST4 not answered: '$out'"
		return
	fi
	ip -n "$V" link del vb4
	t0=$(now_ms)
	gone=
	while [ $(($(now_ms) - t0)) -lt 10000 ]; do
		out=$(inr "$NSPROBE" -i r0 -t $GUEST4 -w 1000 2>&1)
		if [ "$out" = timeout ]; then
			gone=$(($(now_ms) - t0))
			break
		fi
		sleep 0.3
	done
	if [ -z "$gone" ]; then
		fail $name "still answered 10 s after the guest went ($(br_entry $GUEST4))"
	elif answered $GUEST4; then
		fail $name "silent after $gone ms, then answered again: '$out'"
	else
		echo "# $GUEST4 silent $gone ms after its port went"
		pass $name
	fi
}

# A flood of NS for random absent targets behind br0: the daemon's
# memory stays, the kernel is asked at most NEIGH_PROBE_RATE (50) times
# a second (and a burst of 50), and vm's neighbour table on br0 does
# not fill with what the probes leave.
test_live_flood() {
	name=live_flood_bounded
	daemon_up $name || return
	hwm0=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$dpid/status")
	t0=$(now_ms)
	if ! inr ./test/nsflood -i r0 -p $BR_NET -c 200000 >"$tmp/flood.out" 2>&1; then
		fail $name "nsflood failed: $(cat "$tmp/flood.out")"
		return
	fi
	secs=$((($(now_ms) - t0 + 999) / 1000))
	max=0
	_i=0
	while [ $_i -lt 30 ]; do
		n=$(ip -n "$V" -6 neigh show dev br0 nud all | wc -l)
		[ "$n" -le "$max" ] || max=$n
		sleep 0.1
		_i=$((_i + 1))
	done
	left=$n
	kill -USR1 "$dpid"
	sleep 0.3
	hwm1=$(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$dpid/status")
	probes=$(sed -n 's/.*live_counters probes=\([0-9]*\).*/\1/p' "$dlog" | tail -n 1)
	echo "# flood: $(cat "$tmp/flood.out") in ~$secs s; probes=$probes; vm's br0 entries at most $max; VmHWM $hwm0 -> $hwm1"
	if [ -z "$probes" ]; then
		fail $name "no live_counters line after SIGUSR1"
	elif [ "$probes" -gt $((50 * (secs + 4) + 50)) ]; then
		fail $name "$probes probes in ~$secs s, want at most 50 a second and a burst of 50"
	elif [ "$max" -gt 72 ]; then
		# 32 probes in flight, each with its solicited-node group's
		# entry, and the guests'.
		fail $name "vm's neighbour table on br0 held $max entries, want at most 72"
	elif [ "$left" -gt 8 ]; then
		fail $name "3 s after the flood, vm's br0 still holds $left entries: $(ip -n "$V" -6 neigh show dev br0 nud all | head -n 3 | tr '\n' ';')"
	elif [ "${hwm1% kB}" -gt $((${hwm0% kB} + 256)) ]; then
		fail $name "VmHWM grew from $hwm0 to $hwm1"
	elif ! answered $GUEST3; then
		fail $name "after the flood, $GUEST3 is not answered: '$out'"
	else
		pass $name
	fi
}

# An LXC container with a routed NIC (lxc.net.0.veth.mode = router, as
# Incus/LXD "routed" NICs): LXC adds the /128 route to its veth, and
# --auto alone makes it reachable from the router through the filter.
test_lxc() {
	name=lxc_routed_nic_auto_ping
	if ! command -v lxc-create >/dev/null 2>&1; then
		skip $name "lxc not installed (test/deps.sh installs it)"
		return
	fi
	daemon_with $name --auto || return
	cat >"$tmp/lxc.conf" <<EOF
lxc.net.0.type = veth
lxc.net.0.veth.mode = router
lxc.net.0.link = v0
lxc.net.0.veth.pair = lx$$
lxc.net.0.flags = up
lxc.net.0.ipv6.address = $LXC_ADDR/128
lxc.net.0.ipv6.gateway = fe80::1
EOF
	if ! lxc-create -P "$tmp/lxc" -n $LXC_NAME -t busybox \
		-f "$tmp/lxc.conf" >"$tmp/lxc-create.log" 2>&1; then
		fail $name "lxc-create failed: $(tail -n 2 "$tmp/lxc-create.log")"
		return
	fi
	lxc_started=1
	# The template's rcS runs udhcpc, whose deconfig flushes eth0
	# and the address LXC set (NOTES).
	sed -i '/udhcpc/d' "$tmp/lxc/$LXC_NAME/rootfs/etc/init.d/rcS"
	if ! ip netns exec "$V" lxc-start -P "$tmp/lxc" -n $LXC_NAME -d \
		-l INFO -o "$tmp/lxc-start.log"; then
		fail $name "lxc-start failed: $(grep ERROR "$tmp/lxc-start.log" | head -n 2)"
		return
	fi
	wait_for 30 lxc_route_up
	# The daemon announced it; forget that, so that the router asks.
	sleep 0.3
	ip -n "$R" -6 neigh flush dev r0
	ok=
	for _i in 1 2 3 4 5 6; do
		if inr ping -n -c 1 -W 1 $LXC_ADDR >/dev/null 2>&1; then
			ok=1
			break
		fi
	done
	if [ -z "$ok" ]; then
		fail $name "ping $LXC_ADDR (LXC, routed NIC) from the router failed; vm's route: '$(ip -n "$V" -6 route show $LXC_ADDR)'; router: '$(router_entry $LXC_ADDR)'"
	elif ! grep -q "answer target=$LXC_ADDR " "$dlog"; then
		fail $name "the ping worked, but the daemon's log has no answer for $LXC_ADDR"
	else
		pass $name
	fi
	lxc_cleanup
}

# shellcheck disable=SC2317 # run by wait_for
lxc_route_up() {
	ip -n "$V" -6 route show $LXC_ADDR | grep -q "dev lx$$"
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
test_live
test_live_gone
test_live_flood
test_lxc
test_100000
[ -z "$dpid" ] || stop_daemon TERM

echo "# routed: $((($(now_ms) - start) / 1000)) s"
exit $failed
