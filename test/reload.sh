#!/bin/sh
# Integration tests for SIGHUP: --subnet-file read again inside the
# sandbox, its routed and exclude entries, a file that does not parse,
# and no NS lost or wrongly answered while it happens. Needs root and
# ip. It builds nothing: make ndpresponder test/nsprobe first
# (NDPRESPONDER_BIN picks another daemon binary). Output as the other
# suites; exits 1 if a test failed.
#
# Topology: router and vm namespaces joined by a veth; in vm a guest
# behind vg1 with a /128 route, for the "routed" entries.

cd "$(dirname "$0")/.." || exit 1
SUITE=reload
TESTS="reload_swaps_prefixes reload_logs_changes reload_bad_file_keeps_old
reload_routed_and_exclude_entries reload_no_ns_lost sigusr1_still_counts
reload_unreadable_file_keeps_old"
. ./test/lib.sh
lib_init ip

R=ndph$$r
V=ndph$$v
A=2001:db8:1::1:10		# in P1
B=2001:db8:1::2:10		# in P2
G=2001:db8:1::3:10		# a guest behind vg1
P1=2001:db8:1::1:0/112
P2=2001:db8:1::2:0/112

setup() {
	ns_add "$R" "$V" &&
	link_router_vm "$R" "$V" &&
	ip -n "$V" link add vg1 type veth peer name vg1p &&
	ip -n "$V" link set vg1 up &&
	ip -n "$V" link set vg1p up &&
	ip -n "$V" route add $G/128 dev vg1
}

# answers TARGET: the daemon answers an NS for it.
answers() {
	_o=$(ip netns exec "$R" "$NSPROBE" -i r0 -t "$1" -w 300 2>&1)
	case $_o in
	*"src=$1 "*) return 0 ;;
	esac
	return 1
}

# hup: SIGHUP, and wait for the line that says it was handled.
hup() {
	_n=$(log_count 'reload')
	kill -HUP "$dpid"
	wait_for 30 test "$(log_count 'reload')" -gt "$_n"
}

test_swap() {
	name=reload_swaps_prefixes
	conf=$tmp/prefixes
	printf '# the containers\n%s\n' "$P1" >"$conf"
	# The daemon runs as nobody: the file must be readable to it.
	chmod 0711 "$tmp"
	chmod 0644 "$conf"
	start_daemon "$V" -i v0 -r 2001:db8:1::3:0/112 --subnet-file "$conf"
	wait_for 30 grep -qs ' start ' "$dlog"
	daemon_up $name || return 1
	if ! answers $A || answers $B; then
		fail $name "precondition: $A answered and $B not, with $P1"
		return 1
	fi
	printf '%s\n' "$P2" >"$conf"
	hup
	if answers $B && ! answers $A; then
		pass $name
	else
		fail $name "after SIGHUP with $P2 in the file: $B answered? $(answers $B && echo yes || echo no); $A answered? $(answers $A && echo yes || echo no)"
	fi
	if grep -q 'INFO reload added=1 removed=1 prefixes=1 ' "$dlog"; then
		pass reload_logs_changes
	else
		fail reload_logs_changes "no 'reload added=1 removed=1 prefixes=1' line: $(grep reload "$dlog")"
	fi
}

test_bad_file() {
	name=reload_bad_file_keeps_old
	printf '%s\n# fine\n2001:db8:zz::/64\n' "$P1" >"$conf"
	hup
	n=$(log_count 'ERROR reload_failed')
	if [ "$n" != 1 ]; then
		fail $name "$n ERROR reload_failed lines, want 1"
	elif ! grep -q "ERROR reload_failed $conf:3:" "$dlog"; then
		fail $name "the error does not name $conf:3: $(grep reload_failed "$dlog")"
	elif ! answers $B || answers $A; then
		fail $name "after a bad file: the old prefixes ($P2) are not in force"
	else
		pass $name
	fi
}

# "routed PREFIX" and "exclude PREFIX" lines: the guest G, routed
# inward, is answered through the file's routed entry, then excluded.
test_routed_exclude() {
	name=reload_routed_and_exclude_entries
	printf '%s\nrouted 2001:db8:1::3:0/112\n' "$P2" >"$conf"
	hup
	if ! answers $G; then
		fail $name "'routed 2001:db8:1::3:0/112': $G not answered"
		return
	fi
	printf '%s\nrouted 2001:db8:1::3:0/112\nexclude %s/128\n' "$P2" "$G" \
		>"$conf"
	hup
	if answers $G; then
		fail $name "'exclude $G/128': still answered"
	elif ! answers $B; then
		fail $name "$B no longer answered"
	else
		pass $name
	fi
}

# 60 NS for B while 20 SIGHUPs swap in the same prefixes: every one
# answered.
test_no_loss() {
	name=reload_no_ns_lost
	printf '%s\n' "$P2" >"$conf"
	(
		for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
			kill -HUP "$dpid" 2>/dev/null
			sleep 0.05
		done
	) &
	hpid=$!
	lost=0
	for _i in $(seq 60); do
		answers $B || lost=$((lost + 1))
	done
	wait $hpid
	if [ "$lost" = 0 ] && daemon_up $name; then
		echo "# $(log_count 'INFO reload added') reloads during 60 NS, none lost"
		pass $name
	else
		fail $name "$lost of 60 NS unanswered during reloads"
	fi
}

test_usr1() {
	name=sigusr1_still_counts
	_n=$(log_count 'INFO counters ')
	kill -USR1 "$dpid"
	if wait_for 50 test "$(log_count 'INFO counters ')" -gt "$_n"; then
		pass $name
	else
		fail $name "no counters line 5 s after SIGUSR1; the log ends: $(grep -v DEBUG "$dlog" | tail -n 4 | tr "\n" " ")"
	fi
}

test_unreadable() {
	name=reload_unreadable_file_keeps_old
	chmod 0600 "$conf"
	hup
	chmod 0644 "$conf"
	if ! grep -q "ERROR reload_failed $conf: Permission denied" "$dlog"; then
		fail $name "no 'reload_failed $conf: Permission denied': $(grep reload_failed "$dlog" | tail -n 1)"
	elif ! answers $B; then
		fail $name "$B no longer answered"
	else
		pass $name
	fi
}

if ! setup >"$tmp/setup.log" 2>&1; then
	all_tests FAIL "topology setup failed"
	sed 's/^/# /' "$tmp/setup.log"
	exit 1
fi
if test_swap; then
	test_bad_file
	test_routed_exclude
	test_no_loss
	test_usr1
	test_unreadable
fi
[ -z "$dpid" ] || stop_daemon TERM
exit $failed
