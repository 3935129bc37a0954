#!/bin/sh
# Docker network mode (-N) against a real Docker engine: Debian's
# docker.io, started here with its own data, exec and config, no bridge,
# no iptables and no forwarding changes, and stopped by PID; the image
# is imported from a busybox-static rootfs (no registry is reachable).
# Needs root, dockerd, docker, busybox (static), ip, nft, ping and
# timeout. It builds nothing: make ndpresponder test/nsprobe first
# (NDPRESPONDER_BIN picks another daemon binary). Prints one line per
# test: "PASS name", "FAIL name: why" or "SKIP name: why"; lines starting
# with "#" are diagnostics. Exits 1 if a test failed.
#
# Docker's bridges live in the root namespace, so the daemon under test
# runs there too, on a veth uplink to a router namespace:
#
#   router namespace                root namespace (the VPS)
#   r0 fe80::ff:1  -----veth-----   ndpdu<pid> fe80::ff:2
#   lo 2001:db8:d0c:ff::1           ndpresponder -i ndpdu<pid> -n STATIC
#   route 2001:db8:d0c:1::/64 dev r0    -N ndpd<pid>a -N ndpd<pid>b
#   nft: drop NA from fe80::/10     docker bridges br-..., gateways ::d:1
#   on r0 ingress                   and ::e:1, containers ::d:100 ...
#
# The router has only a link-local address on r0 and its global one on
# lo, so every NS it sends for the on-link /64 comes from fe80::ff:1, as
# the routers of the affected VPSes do; the hypervisor's filter is an
# nftables netdev ingress chain on r0 dropping NAs from link-local
# sources. (tc would be the obvious tool, but tc actions do not exist on
# the kernel we test on.) The root namespace forwards between the uplink
# and the bridges (force_forwarding on those interfaces only, where the
# kernel has it; else the global switch, saved and restored) and routes
# the router's global address back through the uplink. A default route
# through the uplink with the largest metric gives the daemon its
# gateway, whom the announcements are sent to, without taking the
# host's traffic.

# Helpers that run only through wait_for look unreachable to shellcheck.
# shellcheck disable=SC2317
cd "$(dirname "$0")/.." || exit 1
SUITE=docker
TESTS="docker_not_running_at_start container_ping later_container_announced
removed_container_unanswered missing_network_warns dockerd_restart_survived
clean_exit check_engine_network_ok check_engine_network_missing
check_engine_network_without_ipv6 check_engine_unreachable"
. ./test/lib.sh
lib_init ip nft ping timeout setsid ldd

DOCKERD=/usr/sbin/dockerd
DOCKER=/usr/bin/docker		# Debian's client; a newer one may come first
BUSYBOX=/bin/busybox
lib_need_files "docker.io, busybox-static" $DOCKERD $DOCKER $BUSYBOX
lib_need_static $BUSYBOX busybox-static

R=ndpd$$r			# router namespace
U=ndpdu$$			# the uplink, in the root namespace
NET=ndpd$$a			# the Docker network
NET2=ndpd$$b			# one that does not exist at first
R_MAC=02:00:00:00:03:01
U_MAC=02:00:00:00:03:02
R_LL=fe80::ff:1
U_LL=fe80::ff:2
R_GLOBAL=2001:db8:d0c:ff::1
ONLINK=2001:db8:d0c:1::/64
SUBNET=2001:db8:d0c:1::d:0/112	# $NET
SUBNET2=2001:db8:d0c:1::e:0/112	# $NET2
STATIC=2001:db8:d0c:1::5:0/112	# -n
STATIC_ADDR=2001:db8:d0c:1::5:7
C1_ADDR=2001:db8:d0c:1::d:100	# runs before the daemon connects
C2_ADDR=2001:db8:d0c:1::d:101	# started later, then removed
C3_ADDR=2001:db8:d0c:1::d:102	# after dockerd's restart
C4_ADDR=2001:db8:d0c:1::e:100	# on $NET2
IMG=localhost/ndpd-busybox:test

chmod 755 "$tmp"		# the daemon reaches the socket as nobody
SOCK=$tmp/docker.sock
DATA=$tmp/data
EXEC=$tmp/exec
mkdir -p "$tmp/cli" "$tmp/rootfs/bin"
echo '{}' >"$tmp/daemon.json"
dockerd_pid=
made_link=
forwarding_saved=	# "iface=value ..." when the global switch was used

dk() {
	DOCKER_HOST=unix://$SOCK DOCKER_CONFIG=$tmp/cli timeout 60 \
		$DOCKER "$@"
}

# What a crashed dockerd leaves: containerd and the containers' first
# processes (their shims then end), by the pid files they wrote.
stop_engine_leftovers() {
	for _f in "$EXEC"/containerd/containerd.pid \
		  "$EXEC"/containerd/daemon/*/*/*/init.pid; do
		[ -f "$_f" ] || continue
		_p=$(cat "$_f" 2>/dev/null)
		case $_p in ''|*[!0-9]*) continue ;; esac
		kill -KILL "$_p" 2>/dev/null
	done
}

# The bridges that a crashed engine left, found by their subnets: their
# routes would take the pings of this run or the next.
remove_stale_bridges() {
	for _s in $SUBNET $SUBNET2; do
		_dev=$(ip -6 route show "$_s" 2>/dev/null |
			sed -n 's/.*dev \([^ ]*\).*/\1/p')
		case $_dev in br-*) ip link del "$_dev" 2>/dev/null ;; esac
	done
}

cleanup() {
	[ -z "$dpid" ] || reap "$dpid"
	dpid=
	if [ -n "$dockerd_pid" ] && alive "$dockerd_pid"; then
		# shellcheck disable=SC2046 # IDs, split on purpose
		dk rm -f $(dk ps -aq 2>/dev/null) >/dev/null 2>&1
		dk network rm "$NET" "$NET2" >/dev/null 2>&1
		stop_pid "$dockerd_pid" 20
	fi
	stop_engine_leftovers
	remove_stale_bridges
	# What a crashed engine left mounted under our roots.
	awk -v t="$tmp" 'index($2, t) == 1 { print $2 }' /proc/mounts |
		sort -r | while read -r _m; do
			umount -l "$_m" 2>/dev/null
		done
	[ -z "$made_link" ] || ip link del "$U" 2>/dev/null
	restore_forwarding
	lib_cleanup
}
trap cleanup EXIT

# ---------------------------------------------------------------- sysctls

# Forwarding between the uplink and a bridge, for the pings' replies:
# per interface where the kernel has force_forwarding (6.17), else the
# global switch, whose values (all interfaces) are saved first.
forward_on() {
	if [ -e "/proc/sys/net/ipv6/conf/$1/force_forwarding" ]; then
		echo 1 >"/proc/sys/net/ipv6/conf/$1/force_forwarding"
		return
	fi
	if [ -z "$forwarding_saved" ]; then
		for _f in /proc/sys/net/ipv6/conf/*/forwarding; do
			_f=${_f%/forwarding}
			forwarding_saved="$forwarding_saved ${_f##*/}=$(cat "$_f/forwarding")"
		done
	fi
	echo 1 >/proc/sys/net/ipv6/conf/all/forwarding
}

restore_forwarding() {
	# "all" first: writing it sets every interface.
	for _kv in $forwarding_saved; do
		[ "${_kv%%=*}" = all ] &&
			echo "${_kv#*=}" >/proc/sys/net/ipv6/conf/all/forwarding
	done
	for _kv in $forwarding_saved; do
		[ -e "/proc/sys/net/ipv6/conf/${_kv%%=*}/forwarding" ] &&
			echo "${_kv#*=}" >"/proc/sys/net/ipv6/conf/${_kv%%=*}/forwarding"
	done 2>/dev/null
	forwarding_saved=
}

# ---------------------------------------------------------------- topology

setup_topology() {
	link_router_root 4294967295 &&
	forward_on "$U"
}

# ---------------------------------------------------------------- dockerd

dockerd_ready() {
	alive "$dockerd_pid" && dk version >/dev/null 2>&1
}

start_dockerd() {
	setsid $DOCKERD --data-root="$DATA" --exec-root="$EXEC" \
		--pidfile="$tmp/dockerd.pid" --config-file="$tmp/daemon.json" \
		-H "unix://$SOCK" --bridge=none --iptables=false \
		--ip6tables=false --ip-forward=false --log-level=warn \
		</dev/null >>"$tmp/dockerd.log" 2>&1 &
	dockerd_pid=$!
	wait_for 300 dockerd_ready && return 0
	echo "# dockerd did not come up; its log:"
	tail -n 20 "$tmp/dockerd.log" | sed 's/^/# /'
	return 1
}

import_image() {
	cp $BUSYBOX "$tmp/rootfs/bin/busybox" || return 1
	for _a in $($BUSYBOX --list); do
		[ "$_a" = busybox ] || ln -sf busybox "$tmp/rootfs/bin/$_a"
	done
	tar -C "$tmp/rootfs" -c . |
		dk import -c 'CMD ["/bin/sh"]' - "$IMG" >/dev/null
}

# make_network NAME IPV4 IPV6: an IPv6 network, forwarding on its bridge.
make_network() {
	dk network create --ipv6 --subnet="$2" --subnet="$3" "$1" \
		>/dev/null || return 1
	_id=$(dk network inspect -f '{{.Id}}' "$1") || return 1
	forward_on "br-$(echo "$_id" | cut -c1-12)"
}

# run_container NAME NETWORK ADDR
run_container() {
	dk run -d --name "$1" --network "$2" --ip6 "$3" "$IMG" \
		sleep 3600 >/dev/null 2>>"$tmp/docker-cli.log"
}

# ---------------------------------------------------------------- daemon

# The daemon in the root namespace, where Docker's bridges are.
start_root_daemon() {
	dlog=$tmp/daemon.log
	NDPRESPONDER_LOG=DEBUG DOCKER_HOST=unix://$SOCK "$DAEMON" \
		-i "$U" -n $STATIC "$@" </dev/null >"$dlog" 2>&1 &
	dpid=$!
}

answered_once() {
	probe -t "$1" -w 250 && case $out in *"src=$1 "*) ;; *) false ;; esac
}

# answered ADDR [TRIES]: a multicast NS for ADDR gets an NA from it.
answered() {
	wait_for "${2:-4}" answered_once "$1"
}

# ---------------------------------------------------------------- tests

# Started with dockerd down: static prefixes answered, one WARN; then
# dockerd comes, with a container, and it is picked up.
test_not_running_part1() {
	nr_why=
	if ! answered $STATIC_ADDR 8; then
		nr_why="static prefix not answered while dockerd was down"
	elif ! wait_log ' WARN docker_unreachable ' 3; then
		nr_why="no WARN docker_unreachable"
	fi
	sleep 3.5		# retries after 1 and 2 s: none may WARN again
}

test_not_running_part2() {
	_warns=$(log_count ' WARN docker_unreachable ')
	if [ -n "$nr_why" ]; then
		fail docker_not_running_at_start "$nr_why"
	elif [ "$_warns" != 1 ]; then
		fail docker_not_running_at_start "$_warns WARN docker_unreachable lines, want 1"
	elif ! wait_log ' INFO docker_connected ' 40; then
		fail docker_not_running_at_start "no INFO docker_connected after dockerd started"
	elif ! wait_log "docker_address_added network=$NET address=$C1_ADDR " 20; then
		fail docker_not_running_at_start "$C1_ADDR was not picked up"
	elif ! answered $C1_ADDR || ! answered $STATIC_ADDR; then
		fail docker_not_running_at_start "$C1_ADDR or $STATIC_ADDR not answered"
	else
		pass docker_not_running_at_start
	fi
}

test_container_ping() {
	daemon_up container_ping || return
	wait_log "docker_address_added network=$NET address=$C1_ADDR " 20
	ip -n "$R" -6 neigh flush dev r0
	if ! ping_ok $C1_ADDR 5; then
		fail container_ping "ping $C1_ADDR from the router failed ($(router_neigh $C1_ADDR))"
		return
	fi
	_n=$(router_neigh $C1_ADDR)
	case $_n in
	*"lladdr $U_MAC "*) pass container_ping ;;
	*) fail container_ping "router's neighbour entry: $_n" ;;
	esac
}

test_later_container() {
	daemon_up later_container_announced || return
	ip -n "$R" -6 neigh flush dev r0
	_t0=$(now_ms)
	if ! run_container ndpd$$c2 "$NET" $C2_ADDR; then
		fail later_container_announced "docker run failed"
		return
	fi
	_t1=$(now_ms)
	# The announcement alone must teach the router, before any ping.
	if ! wait_for 100 router_learnt $C2_ADDR; then
		fail later_container_announced "no router neighbour entry for $C2_ADDR 10 s after docker run ($(router_neigh $C2_ADDR))"
		return
	fi
	echo "# announce: the router's entry $(($(now_ms) - _t1)) ms after docker run returned ($((_t1 - _t0)) ms in docker run): $(router_neigh $C2_ADDR)"
	if ping_ok $C2_ADDR 4; then
		pass later_container_announced
	else
		fail later_container_announced "ping $C2_ADDR failed ($(router_neigh $C2_ADDR))"
	fi
}

test_removed_container() {
	daemon_up removed_container_unanswered || return
	if ! dk rm -f ndpd$$c2 >/dev/null; then
		fail removed_container_unanswered "docker rm -f failed"
		return
	fi
	if ! wait_log "docker_address_removed network=$NET address=$C2_ADDR\$" 10; then
		fail removed_container_unanswered "the daemon did not drop $C2_ADDR"
		return
	fi
	if probe -t $C2_ADDR -w 500; then
		fail removed_container_unanswered "multicast NS for $C2_ADDR answered: $out"
	elif probe -t $C2_ADDR -d $C2_ADDR -D $U_MAC -w 500; then
		fail removed_container_unanswered "unicast NS for $C2_ADDR answered: $out"
	elif ! answered $C1_ADDR; then
		fail removed_container_unanswered "$C1_ADDR is not answered any more"
	else
		pass removed_container_unanswered
	fi
}

# -N $NET2, missing from the start: one WARN naming it, the rest goes
# on; once created it is picked up, from dockerd's create event.
test_missing_network() {
	daemon_up missing_network_warns || return
	_warns=$(log_count " WARN docker_network_missing network=$NET2 ")
	if [ "$_warns" != 1 ]; then
		fail missing_network_warns "$_warns WARN docker_network_missing lines naming $NET2, want 1"
		return
	fi
	if ! answered $STATIC_ADDR || ! answered $C1_ADDR; then
		fail missing_network_warns "$STATIC_ADDR or $C1_ADDR not answered"
		return
	fi
	if ! make_network "$NET2" 172.27.0.0/16 $SUBNET2 ||
	   ! run_container ndpd$$c4 "$NET2" $C4_ADDR; then
		fail missing_network_warns "creating $NET2 or its container failed"
		return
	fi
	if ! wait_log " INFO docker_network_found network=$NET2 " 10; then
		fail missing_network_warns "$NET2 was not picked up once created"
	elif ! wait_log "docker_address_added network=$NET2 address=$C4_ADDR " 10; then
		fail missing_network_warns "$C4_ADDR on $NET2 was not picked up"
	elif ! ping_ok $C4_ADDR 4; then
		fail missing_network_warns "ping $C4_ADDR failed ($(router_neigh $C4_ADDR))"
	else
		pass missing_network_warns
	fi
}

# dockerd killed: the last known set stays answered, one more WARN;
# restarted: resynchronised, and a new container is answered.
test_dockerd_restart() {
	daemon_up dockerd_restart_survived || return
	kill -KILL "$dockerd_pid"
	wait "$dockerd_pid" 2>/dev/null
	dockerd_pid=
	if ! wait_for 50 log_at_least ' WARN docker_unreachable ' 2; then
		fail dockerd_restart_survived "no second WARN docker_unreachable"
		return
	fi
	sleep 3.5		# failed retries after 1 and 2 s: no more WARN
	if [ "$(log_count ' WARN docker_unreachable ')" != 2 ]; then
		fail dockerd_restart_survived "more than one WARN docker_unreachable for one outage"
	elif ! alive "$dpid"; then
		fail dockerd_restart_survived "daemon died with dockerd"
	elif ! answered $C1_ADDR || ! answered $STATIC_ADDR; then
		fail dockerd_restart_survived "last known $C1_ADDR or static $STATIC_ADDR not answered while dockerd was down"
	elif ! start_dockerd; then
		fail dockerd_restart_survived "dockerd did not restart"
	elif ! run_container ndpd$$c3 "$NET" $C3_ADDR; then
		fail dockerd_restart_survived "docker run after the restart failed"
	elif ! wait_log "docker_address_added network=$NET address=$C3_ADDR " 30; then
		fail dockerd_restart_survived "$C3_ADDR was not picked up after the restart"
	elif [ "$(log_count ' INFO docker_connected ')" != 2 ]; then
		fail dockerd_restart_survived "want a second INFO docker_connected"
	elif ! ping_ok $C3_ADDR 4; then
		fail dockerd_restart_survived "ping $C3_ADDR failed ($(router_neigh $C3_ADDR))"
	else
		pass dockerd_restart_survived
	fi
}

# Diagnostics: the daemon's timers (none of Docker's may be armed while
# all is quiet; it is the last timerfd the daemon opens), its memory.
report_daemon() {
	alive "$dpid" || return
	for _fd in "/proc/$dpid"/fd/*; do
		[ "$(readlink "$_fd")" = "anon_inode:[timerfd]" ] || continue
		echo "# timerfd ${_fd##*/}: $(grep it_value "/proc/$dpid/fdinfo/${_fd##*/}")"
	done
	echo "# daemon $(grep -E '^(VmRSS|VmHWM)' "/proc/$dpid/status" | tr -s '\t ' ' ' | tr '\n' ' ')"
}

# --check, about the engine: what it says of each -N network, with the
# real dockerd (its other findings, for the root namespace, are not
# what these tests look at).
check_engine() {
	out=$(DOCKER_HOST=unix://${CHECK_SOCK:-$SOCK} "$DAEMON" -i "$U" \
		-n $STATIC "$@" --check 2>&1)
}

test_check_engine() {
	check_engine -N "$NET"
	if echo "$out" | grep -q "container"; then
		fail check_engine_network_ok "a finding about $NET, which has IPv6: $out"
	else
		pass check_engine_network_ok
	fi
	check_engine -N ndpd$$nosuch
	if echo "$out" | grep -q "network ndpd$$nosuch does not exist"; then
		pass check_engine_network_missing
	else
		fail check_engine_network_missing "said: $out"
	fi
	if dk network create --subnet=172.29.0.0/16 ndpd$$v4 >/dev/null \
		2>>"$tmp/docker-cli.log"; then
		check_engine -N ndpd$$v4
		dk network rm ndpd$$v4 >/dev/null
		if echo "$out" | grep -q "network ndpd$$v4 has no IPv6"; then
			pass check_engine_network_without_ipv6
		else
			fail check_engine_network_without_ipv6 "said: $out"
		fi
	else
		fail check_engine_network_without_ipv6 "docker network create failed: $(tail -n 1 "$tmp/docker-cli.log")"
	fi
	CHECK_SOCK=$tmp/nosuch.sock check_engine -N "$NET"
	if echo "$out" | grep -q "engine does not answer on $tmp/nosuch.sock (No such file or directory)"; then
		pass check_engine_unreachable
	else
		fail check_engine_unreachable "said: $out"
	fi
}

# ---------------------------------------------------------------- main

start=$(date +%s)
remove_stale_bridges
if ! setup_topology >"$tmp/setup.log" 2>&1; then
	sed 's/^/# /' "$tmp/setup.log"
	all_tests FAIL "topology setup failed"
	exit 1
fi

start_root_daemon -N "$NET" -N "$NET2"
test_not_running_part1

if ! start_dockerd || ! import_image ||
   ! make_network "$NET" 172.26.0.0/16 $SUBNET ||
   ! run_container ndpd$$c1 "$NET" $C1_ADDR; then
	echo "# engine setup failed; dockerd's log:"
	tail -n 20 "$tmp/dockerd.log" | sed 's/^/# /'
	all_tests FAIL "could not start dockerd, import the image or run a container"
	exit 1
fi
echo "# engine ready $(($(date +%s) - start)) s after the start"

test_not_running_part2
test_container_ping
test_later_container
test_removed_container
test_missing_network
test_check_engine
sleep 0.5
report_daemon
test_dockerd_restart
report_daemon
if alive "$dpid"; then
	kill -USR1 "$dpid"
	sleep 0.2
	grep 'docker_counters' "$dlog" | tail -n 1 | sed 's/^/# /'
fi
test_exit clean_exit TERM
echo "# docker: $(($(date +%s) - start)) s"
exit $failed
