#!/bin/sh
# Integration tests for --check: each misconfiguration made for real in
# a namespace of our own, and seen reported with its fix; a correct
# setup reports nothing and exits 0. Needs root and ip. It builds
# nothing (NDPRESPONDER_BIN picks another daemon binary). Output as the
# other suites; exits 1 if a test failed.
#
# Topology: router r0 fe80::1 -- v0 in vm, 2001:db8:1::2/64, default via
# fe80::1; vm routes 2001:db8:1::1:0/112 to c0 (a veth whose peer c1
# stays in vm), forwarding on. Each test breaks one thing, checks, and
# mends it.

cd "$(dirname "$0")/.." || exit 1
SUITE=check
TESTS="check_correct_setup_clean check_uplink_missing check_uplink_not_ethernet
check_uplink_down check_forwarding_off check_inner_forwarding_off
check_force_forwarding_both_clean check_accept_ra_below_2 check_prefix_not_routed
check_prefix_routed_out_of_uplink check_proxy_ndp_on check_gateway_unresolved
check_no_default_route check_answers_nothing"
. ./test/lib.sh
lib_init ip

R=ndpk$$r
V=ndpk$$v
PREFIX=2001:db8:1::1:0/112

inv() { ip netns exec "$V" "$@"; }

setup() {
	ns_add "$R" "$V" &&
	link_router_vm "$R" "$V" &&
	ip -n "$V" link add c0 type veth peer name c1 &&
	ip -n "$V" link set c0 up &&
	ip -n "$V" link set c1 up &&
	ip -n "$V" route add $PREFIX dev c0 &&
	inv sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	inv sysctl -qw net.ipv6.conf.v0.accept_ra=2
}

# check [ARGS...]: --check in vm; $out, $rc; no daemon is left.
check() {
	out=$(inv "$DAEMON" -i "${IFACE:-v0}" -n $PREFIX --check "$@" 2>&1)
	rc=$?
}

# expect NAME PATTERN: exit 1 and a line matching PATTERN; every line
# is a "check:" line.
expect() {
	if [ "$rc" != 1 ]; then
		fail "$1" "exit $rc, want 1; said: $out"
	elif ! echo "$out" | grep -q -- "$2"; then
		fail "$1" "no line matching '$2'; said: $out"
	elif echo "$out" | grep -qv '^ndpresponder: check: '; then
		fail "$1" "a line that is no finding: $out"
	else
		pass "$1"
	fi
}

clean() {
	if [ "$rc" = 0 ] && [ "$out" = "ndpresponder: check: ${IFACE:-v0}: no problem found" ]; then
		pass "$1"
	else
		fail "$1" "exit $rc; said: $out"
	fi
}

test_all() {
	check
	clean check_correct_setup_clean

	IFACE=nosuch check
	expect check_uplink_missing "interface nosuch does not exist"
	IFACE=lo check
	expect check_uplink_not_ethernet "interface lo has no Ethernet address"

	ip -n "$V" link set c1 down	# keep c0's carrier out of it
	ip -n "$V" link set v0 down
	check
	expect check_uplink_down "interface v0 is down: ip link set v0 up"
	ip -n "$V" link set v0 up
	ip -n "$V" link set c1 up
	# Down took v0's global address and routes with it.
	ip -n "$V" addr replace 2001:db8:1::2/64 dev v0 nodad
	ip -n "$V" route replace default via fe80::1 dev v0
	ip -n "$V" route replace $PREFIX dev c0

	inv sysctl -qw net.ipv6.conf.all.forwarding=0
	inv sysctl -qw net.ipv6.conf.v0.accept_ra=2
	check
	expect check_forwarding_off "forwarding is off for packets arriving on v0.*all.forwarding=1"
	# force_forwarding (Linux 6.17): on the uplink only, the replies
	# from behind c0 still stop.
	if [ -e /proc/sys/net/ipv6/conf/all/force_forwarding ]; then
		inv sysctl -qw net.ipv6.conf.v0.force_forwarding=1
		check
		if echo "$out" | grep -q 'arriving on v0'; then
			fail check_inner_forwarding_off "v0's force_forwarding=1 not counted: $out"
		else
			expect check_inner_forwarding_off "arriving on c0 (the replies"
		fi
		inv sysctl -qw net.ipv6.conf.v0.force_forwarding=0
	else
		skip check_inner_forwarding_off "this kernel has no force_forwarding"
	fi
	inv sysctl -qw net.ipv6.conf.all.forwarding=1
	inv sysctl -qw net.ipv6.conf.v0.accept_ra=2

	# force_forwarding on both interfaces does instead of all's.
	inv sysctl -qw net.ipv6.conf.all.forwarding=0
	inv sysctl -qw net.ipv6.conf.v0.accept_ra=2
	if [ -e /proc/sys/net/ipv6/conf/all/force_forwarding ]; then
		inv sysctl -qw net.ipv6.conf.v0.force_forwarding=1
		inv sysctl -qw net.ipv6.conf.c0.force_forwarding=1
		check
		if [ "$rc" = 0 ]; then
			pass check_force_forwarding_both_clean
		else
			fail check_force_forwarding_both_clean "force_forwarding on v0 and c0 should do: $out"
		fi
		inv sysctl -qw net.ipv6.conf.v0.force_forwarding=0
		inv sysctl -qw net.ipv6.conf.c0.force_forwarding=0
	else
		skip check_force_forwarding_both_clean "this kernel has no force_forwarding"
	fi
	inv sysctl -qw net.ipv6.conf.all.forwarding=1
	inv sysctl -qw net.ipv6.conf.v0.accept_ra=2

	# A default route from an RA, accept_ra 1, forwarding on.
	ip -n "$V" route replace default via fe80::1 dev v0 proto ra
	inv sysctl -qw net.ipv6.conf.v0.accept_ra=1
	check
	expect check_accept_ra_below_2 "came from a Router Advertisement.*accept_ra=2"
	inv sysctl -qw net.ipv6.conf.v0.accept_ra=2
	ip -n "$V" route replace default via fe80::1 dev v0 proto static

	# Without its route the prefix falls to the on-link /64 or the
	# default route: back out of the uplink.
	ip -n "$V" route del $PREFIX dev c0
	check
	expect check_prefix_not_routed "2001:db8:1::1:0/112 is answered, but the kernel routes it back out of the uplink"
	ip -n "$V" route add $PREFIX dev v0
	check
	expect check_prefix_routed_out_of_uplink "routes it back out of the uplink"
	ip -n "$V" route replace $PREFIX dev c0

	inv sysctl -qw net.ipv6.conf.v0.proxy_ndp=1
	check
	expect check_proxy_ndp_on "proxy_ndp is on for v0"
	inv sysctl -qw net.ipv6.conf.v0.proxy_ndp=0

	# A gateway that is not there: asked, for 3 s, no answer.
	ip -n "$V" route replace default via fe80::dead dev v0
	check
	expect check_gateway_unresolved "gateway fe80::dead does not answer on v0"
	ip -n "$V" -6 route del default
	check
	expect check_no_default_route "no IPv6 default route through v0"
	ip -n "$V" route add default via fe80::1 dev v0

	# --check answers nothing and leaves nothing running: an NS from
	# the router during a check gets no NA.
	inv "$DAEMON" -i v0 -n $PREFIX --check >/dev/null 2>&1 &
	cpid=$!
	out=$(ip netns exec "$R" "$NSPROBE" -i r0 -t 2001:db8:1::1:5 -w 500 2>&1)
	wait $cpid
	if [ "$out" = timeout ]; then
		pass check_answers_nothing
	else
		fail check_answers_nothing "an NS during --check got '$out'"
	fi
}

if ! setup >"$tmp/setup.log" 2>&1; then
	all_tests FAIL "topology setup failed"
	sed 's/^/# /' "$tmp/setup.log"
	exit 1
fi
test_all
exit $failed
