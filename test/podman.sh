#!/bin/sh
# Docker network mode (-N) against a real Podman service (Debian's
# podman 4.3 with netavark), which the test starts itself without
# systemd (`podman system service --time=0 unix://PATH`), with its own
# storage, run, tmp, network-config directories, event log and lock
# files under the test's directory; runc, not crun (which fails here in
# cgroup hybrid mode), and rlimits within the hard limits. The image is
# imported from a busybox-static rootfs (no registry is reachable).
# Needs root, podman, netavark, busybox (static), ip, nft, ping,
# iptables-save and timeout. It builds nothing: make ndpresponder
# test/nsprobe first (NDPRESPONDER_BIN picks another daemon binary).
# Prints one line per test: "PASS name", "FAIL name: why" or "SKIP name:
# why"; lines starting with "#" are diagnostics. Exits 1 if a test
# failed.
#
# Podman's netavark bridge lives in the root namespace, as Docker's, so
# the daemon under test runs there too, on a veth uplink to a router
# namespace, as in test/docker.sh (other names and addresses, so that
# both may run at once):
#
#   router namespace                root namespace (the VPS)
#   r0 fe80::ff:1  -----veth-----   ndppu<pid> fe80::ff:2
#   lo 2001:db8:d0e:ff::1           ndpresponder -i ndppu<pid> -n STATIC
#   route 2001:db8:d0e:1::/64 dev r0    -N ndpp<pid>a
#   nft: drop NA from fe80::/10     netavark bridge podmanN, gateway
#   on r0 ingress                   ::d:1, containers ::d:100 ...
#
# What Podman changes outside its directories is put back: netavark
# turns on IPv4 and IPv6 forwarding for all interfaces (saved and
# restored), adds NETAVARK chains and rules to iptables (those the run
# added are removed, and tables it made are deleted once empty); the
# IPAM database /run/containers/networks/ipam.db, podman import's
# /var/lib/containers/cache/blob-info-cache-v1.boltdb and /run/runc go
# if they were not there before. The last test checks all that.

# Helpers that run only through wait_for look unreachable to shellcheck.
# shellcheck disable=SC2317
cd "$(dirname "$0")/.." || exit 1
SUITE=podman
TESTS="service_down_at_start container_present_at_start root_socket_uid_caps
later_container_within_3s removed_container_silent_within_3s
service_restart_within_10s clean_exit socket_group_0660 socket_owner_0600
socket_world_0666 socket_podman_dropin explicit_user_warns host_restored"
. ./test/lib.sh
lib_init ip nft ping timeout setsid setpriv ldd iptables-save ip6tables-save

PODMAN=/usr/bin/podman
BUSYBOX=/bin/busybox
lib_need_files "podman, netavark, runc, busybox-static" $PODMAN \
	/usr/lib/podman/netavark /usr/sbin/runc $BUSYBOX
lib_need_static $BUSYBOX busybox-static

R=ndpp$$r			# router namespace
U=ndppu$$			# the uplink, in the root namespace
NET=ndpp$$a			# the Podman network
R_MAC=02:00:00:00:04:01
U_MAC=02:00:00:00:04:02
R_LL=fe80::ff:1
U_LL=fe80::ff:2
R_GLOBAL=2001:db8:d0e:ff::1
ONLINK=2001:db8:d0e:1::/64
SUBNET=2001:db8:d0e:1::d:0/112	# $NET
SUBNET4=172.28.0.0/16
STATIC=2001:db8:d0e:1::5:0/112	# -n
STATIC_ADDR=2001:db8:d0e:1::5:7
C1_ADDR=2001:db8:d0e:1::d:100	# made while the service is down
C2_ADDR=2001:db8:d0e:1::d:101	# started later, then removed
C3_ADDR=2001:db8:d0e:1::d:102	# made while the service is stopped
IMG=localhost/ndpp-busybox:test
CAP_NET_ADMIN=0000000000001000
# Sanitizer builds run without the seccomp filter (sandbox.c).
case ${NDPRESPONDER_BIN:-} in
*-asan) WANT_SECCOMP=0 ;;
*) WANT_SECCOMP=2 ;;
esac

chmod 755 "$tmp"		# other users reach the socket through it
SOCKDIR=$tmp/sock
SOCK=$SOCKDIR/podman.sock
CONF=$tmp/containers.conf
mkdir -p "$SOCKDIR" "$tmp/root" "$tmp/runroot" "$tmp/tmpdir" "$tmp/net" \
	"$tmp/vol" "$tmp/rootfs/bin"
service_pid=
WRAP=				# a command the daemon is started under
engine_used=			# the CLI or the service has run
made_link=
netns_files=			# the containers' network namespaces
saved=$tmp/saved		# the host's state before the run
mkdir -p "$saved"

cat >"$CONF" <<EOF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$tmp/events.log"
lock_type = "file"
conmon_env_vars = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "CONTAINERS_CONF=$CONF"]

[network]
network_backend = "netavark"
network_config_dir = "$tmp/net"
EOF

# The CLI, on our directories (conmon's cleanup process gets the same
# flags, and CONTAINERS_CONF through conmon_env_vars).
pm() {
	CONTAINERS_CONF=$CONF timeout 60 $PODMAN --root "$tmp/root" \
		--runroot "$tmp/runroot" --tmpdir "$tmp/tmpdir" \
		--network-config-dir "$tmp/net" --volumepath "$tmp/vol" \
		--storage-driver vfs --cgroup-manager cgroupfs \
		--events-backend file "$@"
}

# ---------------------------------------------------------------- host

# What this run may change outside $tmp, saved before it starts.
save_host() {
	for _f in /proc/sys/net/ipv6/conf/*/forwarding \
		  /proc/sys/net/ipv4/conf/*/forwarding \
		  /proc/sys/net/ipv4/ip_forward; do
		echo "$_f $(cat "$_f")"
	done >"$saved/sysctl"
	iptables-save >"$saved/iptables" 2>/dev/null
	ip6tables-save >"$saved/ip6tables" 2>/dev/null
	nft list tables >"$saved/tables" 2>/dev/null
	: >"$saved/absent"
	for _p in /run/containers /run/containers/networks \
		  /run/containers/networks/ipam.db /var/lib/containers \
		  /var/lib/containers/cache \
		  /var/lib/containers/cache/blob-info-cache-v1.boltdb \
		  /run/runc; do
		[ -e "$_p" ] || echo "$_p" >>"$saved/absent"
	done
}

# restore_sysctls: "all" and ip_forward first, as writing them sets
# every interface; then each interface that is still there.
restore_sysctls() {
	[ -s "$saved/sysctl" ] || return 0
	while read -r _f _v; do
		case $_f in
		*/ipv6/conf/all/forwarding|*/ipv4/ip_forward)
			echo "$_v" >"$_f" ;;
		esac
	done <"$saved/sysctl"
	while read -r _f _v; do
		[ -e "$_f" ] && [ "$(cat "$_f")" != "$_v" ] &&
			echo "$_v" >"$_f"
	done <"$saved/sysctl" 2>/dev/null
}

# fw_undo CMD BEFORE: commands that remove what CMD-save shows now and
# did not in BEFORE: rules (in chains that were there or are built in)
# deleted, last first; new chains flushed, then deleted.
fw_undo() {
	"$1-save" 2>/dev/null | awk -v cmd="$1" -v before="$2" '
		function take(l, f,    a, b) {
			if (l ~ /^\*/) {
				t = substr(l, 2)
			} else if (l ~ /^:/) {
				split(substr(l, 2), a, " ")
				if (f == 1 || a[2] != "-")
					keep[t SUBSEP a[1]] = 1
				else if (!((t SUBSEP a[1]) in keep))
					newc[++nn] = t " " a[1]
			} else if (l ~ /^-A /) {
				if (f == 1) {
					old[t SUBSEP l] = 1
				} else if (!((t SUBSEP l) in old)) {
					split(l, b, " ")
					if ((t SUBSEP b[2]) in keep)
						rules[++nr] = "-t " t " -D " substr(l, 4)
				}
			}
		}
		BEGIN {
			while ((getline l < before) > 0)
				take(l, 1)
		}
		{ take($0, 2) }
		END {
			for (i = nr; i >= 1; i--)
				print cmd " " rules[i]
			for (i = 1; i <= nn; i++) {
				split(newc[i], c, " ")
				print cmd " -t " c[1] " -F " c[2]
			}
			for (i = 1; i <= nn; i++) {
				split(newc[i], c, " ")
				print cmd " -t " c[1] " -X " c[2]
			}
		}'
}

# restore_firewall: undo the run's rules and chains; delete the tables
# iptables made for netavark if they are empty and were not there.
restore_firewall() {
	[ -e "$saved/tables" ] || return 0
	for _c in iptables ip6tables; do
		fw_undo $_c "$saved/$_c" >"$tmp/fw-undo.sh"
		sh "$tmp/fw-undo.sh" 2>/dev/null
	done
	for _fam in ip ip6; do
		for _t in filter nat; do
			grep -qx "table $_fam $_t" "$saved/tables" && continue
			nft list table $_fam $_t >/dev/null 2>&1 || continue
			# Empty: no rule, and only base chains.
			_c=iptables
			[ $_fam = ip6 ] && _c=ip6tables
			$_c-save -t $_t 2>/dev/null |
				grep -q -e '^-A ' -e '^:[^ ]* - ' ||
				nft delete table $_fam $_t
		done
	done
}

restore_files() {
	[ -e "$saved/absent" ] || return 0
	# The deepest first: files, then the directories above them.
	sort -r "$saved/absent" | while read -r _p; do
		if [ -d "$_p" ]; then
			rmdir "$_p" 2>/dev/null
		else
			rm -f "$_p"
		fi
	done
}

# ---------------------------------------------------------------- cleanup

stop_service() {
	stop_pid "$service_pid" 20
	service_pid=
}

# Our containers and network, by name, through the CLI (no service
# needed); then the service.
remove_engine_state() {
	[ -n "$engine_used" ] || return 0
	for _c in ndpp$$c1 ndpp$$c2 ndpp$$c3; do
		pm rm -f -t 0 "$_c" >/dev/null 2>&1
	done
	pm network rm -f "$NET" >/dev/null 2>&1
	stop_service
	# What a crash left: the containers' network namespaces, mounts.
	for _n in $netns_files; do
		[ -e "$_n" ] && ip netns del "${_n##*/}" 2>/dev/null
	done
	awk -v t="$tmp" 'index($2, t) == 1 { print $2 }' /proc/mounts |
		sort -r | while read -r _m; do
			umount -l "$_m" 2>/dev/null
		done
}

teardown() {
	[ -z "$dpid" ] || reap "$dpid"
	dpid=
	remove_engine_state
	[ -z "$made_link" ] || ip link del "$U" 2>/dev/null
	made_link=
	restore_firewall
	restore_sysctls
	restore_files
}

cleanup() {
	teardown
	lib_cleanup
}
trap cleanup EXIT

# ---------------------------------------------------------------- topology

# Forwarding between the uplink and the bridge, for the pings' replies
# (netavark also turns on the global switches; restored at the end).
forward_on() {
	if [ -e "/proc/sys/net/ipv6/conf/$1/force_forwarding" ]; then
		echo 1 >"/proc/sys/net/ipv6/conf/$1/force_forwarding"
	else
		echo 1 >/proc/sys/net/ipv6/conf/all/forwarding
	fi
}

setup_topology() {
	# Metric one below test/docker.sh's, so that both may run.
	link_router_root 4294967294 &&
	forward_on "$U"
}

# ---------------------------------------------------------------- podman

service_ready() {
	alive "$service_pid" && [ -S "$SOCK" ]
}

# start_service: $t_up is when its socket appeared (ms).
start_service() {
	CONTAINERS_CONF=$CONF setsid $PODMAN --root "$tmp/root" \
		--runroot "$tmp/runroot" \
		--tmpdir "$tmp/tmpdir" --network-config-dir "$tmp/net" \
		--volumepath "$tmp/vol" --storage-driver vfs \
		--cgroup-manager cgroupfs --events-backend file \
		system service --time=0 "unix://$SOCK" \
		</dev/null >>"$tmp/service.log" 2>&1 &
	service_pid=$!
	if wait_for 300 service_ready; then
		t_up=$(now_ms)
		return 0
	fi
	echo "# the Podman service did not come up"
	service_log
	return 1
}

service_log() {
	echo "# the Podman service's log:"
	tail -n 20 "$tmp/service.log" | sed 's/^/# /'
}

import_image() {
	cp $BUSYBOX "$tmp/rootfs/bin/busybox" || return 1
	for _a in $($BUSYBOX --list); do
		[ "$_a" = busybox ] || ln -sf busybox "$tmp/rootfs/bin/$_a"
	done
	tar -C "$tmp/rootfs" -c . |
		pm import -c 'CMD ["/bin/sh"]' - "$IMG" >/dev/null \
		2>>"$tmp/podman-cli.log"
}

# No DNS: aardvark-dns would be one more process to stop.
make_network() {
	pm network create --disable-dns --ipv6 --subnet=$SUBNET4 \
		--subnet=$SUBNET "$NET" >/dev/null
}

# run_container NAME ADDR: $t_ran is when podman run returned; also
# forwarding on the bridge, once it is there.
run_container() {
	pm run -d --name "$1" --network "$NET" --ip6 "$2" "$IMG" \
		sleep 3600 >/dev/null 2>>"$tmp/podman-cli.log" || return 1
	t_ran=$(now_ms)
	_ns=$(pm inspect -f '{{.NetworkSettings.SandboxKey}}' "$1" 2>/dev/null)
	netns_files="$netns_files $_ns"
	_br=$(pm network inspect -f '{{.NetworkInterface}}' "$NET" 2>/dev/null)
	[ -z "$_br" ] || forward_on "$_br"
}

# ---------------------------------------------------------------- daemon

start_root_daemon() {
	nstart=$((nstart + 1))
	dlog=$tmp/daemon.$nstart.log
	dead=
	# shellcheck disable=SC2086 # WRAP: a command and its arguments
	NDPRESPONDER_LOG=DEBUG DOCKER_HOST=unix://$SOCK $WRAP "$DAEMON" \
		-i "$U" -n $STATIC "$@" </dev/null >"$dlog" 2>&1 &
	dpid=$!
	t_daemon=$(now_ms)
}

answered_once() {
	probe -t "$1" -w 250 && case $out in *"src=$1 "*) ;; *) false ;; esac
}

answered() {
	wait_for "${2:-4}" answered_once "$1"
}

# status_of FIELD: the daemon's /proc status line, its first value.
status_of() {
	awk -v k="$1:" '$1 == k { print $2 }' "/proc/$dpid/status"
}

groups_of() {
	awk '$1 == "Groups:" { $1 = ""; sub(/^ /, ""); print }' \
		"/proc/$dpid/status"
}

# ---------------------------------------------------------------- tests

# Started with no service (no socket yet: its directory is root's, so
# it stays root): static prefixes answered, one WARN. The service comes
# 17 s later, once a doubling backoff would wait 16 s: it must be
# followed within 10 s, and the container made meanwhile answered.
test_down_part1() {
	down_why=
	if ! answered $STATIC_ADDR 8; then
		down_why="static prefix not answered while the service was down"
	elif ! wait_log ' WARN docker_unreachable ' 3; then
		down_why="no WARN docker_unreachable"
	fi
}

test_down_part2() {
	_warns=$(log_count ' WARN docker_unreachable ')
	if [ -n "$down_why" ]; then
		fail service_down_at_start "$down_why"
	elif [ "$_warns" != 1 ]; then
		fail service_down_at_start "$_warns WARN docker_unreachable lines, want 1"
	elif ! grep -q 'sandbox_user user=root uid=0 .*socket_mode=none reason="no socket yet' "$dlog"; then
		fail service_down_at_start "no sandbox_user line for a missing socket: $(grep sandbox_user "$dlog")"
	elif ! wait_log "docker_address_added network=$NET address=$C1_ADDR " 10; then
		fail service_down_at_start "$C1_ADDR not picked up within 10 s of the service's socket"
	else
		_ms=$(($(now_ms) - t_up))
		echo "# service down at start: $C1_ADDR followed $_ms ms after the socket appeared, $((t_up - t_daemon)) ms after the daemon started"
		if [ "$_ms" -gt 10000 ]; then
			fail service_down_at_start "picked up after $_ms ms, want <= 10000"
		elif ! answered $C1_ADDR || ! answered $STATIC_ADDR; then
			fail service_down_at_start "$C1_ADDR or $STATIC_ADDR not answered"
		else
			pass service_down_at_start
		fi
	fi
}

# Started with the service up and C1 there: answered, pinged.
test_present_at_start() {
	daemon_up container_present_at_start || return
	if ! wait_log ' INFO docker_connected .*engine=podman libpod=' 10; then
		fail container_present_at_start "no INFO docker_connected engine=podman"
		return
	fi
	ip -n "$R" -6 neigh flush dev r0
	if ! answered $C1_ADDR; then
		fail container_present_at_start "NS for $C1_ADDR not answered ($out)"
	elif ! ping_ok $C1_ADDR 5; then
		fail container_present_at_start "ping $C1_ADDR from the router failed ($(router_neigh $C1_ADDR))"
	else
		pass container_present_at_start
	fi
}

# Podman's socket is root:root 0600: the daemon stays uid 0 and says
# so, with only CAP_NET_ADMIN, no_new_privs and the filter.
test_root_socket_uid_caps() {
	daemon_up root_socket_uid_caps || return
	_got="Uid=$(status_of Uid) CapEff=$(status_of CapEff) CapPrm=$(status_of CapPrm) NoNewPrivs=$(status_of NoNewPrivs) Seccomp=$(status_of Seccomp)"
	_want="Uid=0 CapEff=$CAP_NET_ADMIN CapPrm=$CAP_NET_ADMIN NoNewPrivs=1 Seccomp=$WANT_SECCOMP"
	echo "# root socket: $_got; $(grep -o 'sandbox_user.*' "$dlog")"
	if [ "$_got" != "$_want" ]; then
		fail root_socket_uid_caps "$_got, want $_want"
	elif ! grep -q 'INFO sandbox_user user=root uid=0 gid=0 groups=none .*socket_mode=0600 socket_owner=0:0 reason="only the socket.s owner may connect"' "$dlog"; then
		fail root_socket_uid_caps "no INFO sandbox_user line saying why: $(grep sandbox_user "$dlog")"
	else
		pass root_socket_uid_caps
	fi
}

test_later_container() {
	daemon_up later_container_within_3s || return
	ip -n "$R" -6 neigh flush dev r0
	_t0=$(now_ms)
	if ! run_container ndpp$$c2 $C2_ADDR; then
		fail later_container_within_3s "podman run failed: $(tail -n 3 "$tmp/podman-cli.log")"
		return
	fi
	_t1=$t_ran
	# The announcement alone must teach the router, before any NS.
	if ! wait_for 30 router_learnt $C2_ADDR; then
		fail later_container_within_3s "no router neighbour entry for $C2_ADDR 3 s after podman run returned ($(router_neigh $C2_ADDR))"
		return
	fi
	_t2=$(now_ms)
	if ! answered $C2_ADDR; then
		fail later_container_within_3s "NS for $C2_ADDR not answered"
		return
	fi
	_t3=$(now_ms)
	echo "# later container: announced $((_t2 - _t1)) ms, answered $((_t3 - _t1)) ms after podman run returned ($((_t1 - _t0)) ms in podman run)"
	if [ $((_t3 - _t1)) -gt 3000 ]; then
		fail later_container_within_3s "answered $((_t3 - _t1)) ms after podman run, want <= 3000"
	elif ! ping_ok $C2_ADDR 4; then
		fail later_container_within_3s "ping $C2_ADDR failed ($(router_neigh $C2_ADDR))"
	else
		pass later_container_within_3s
	fi
}

test_removed_container() {
	daemon_up removed_container_silent_within_3s || return
	if ! pm rm -f -t 0 ndpp$$c2 >/dev/null; then
		fail removed_container_silent_within_3s "podman rm -f failed"
		return
	fi
	_t1=$(now_ms)
	if ! wait_for 30 in_log "docker_address_removed network=$NET address=$C2_ADDR\$"; then
		fail removed_container_silent_within_3s "$C2_ADDR not dropped within 3 s of podman rm -f"
		return
	fi
	_t2=$(now_ms)
	if probe -t $C2_ADDR -w 500; then
		fail removed_container_silent_within_3s "multicast NS for $C2_ADDR answered: $out"
	elif probe -t $C2_ADDR -d $C2_ADDR -D $U_MAC -w 500; then
		fail removed_container_silent_within_3s "unicast NS for $C2_ADDR answered: $out"
	elif ! answered $C1_ADDR; then
		fail removed_container_silent_within_3s "$C1_ADDR is not answered any more"
	else
		echo "# removed container: dropped $((_t2 - _t1)) ms after podman rm -f returned"
		pass removed_container_silent_within_3s
	fi
}

# The service stopped (containers keep running; one is made then): the
# last known set answered; started again, followed within 10 s.
test_service_restart() {
	daemon_up service_restart_within_10s || return
	_warns=$(log_count ' WARN docker_unreachable ')
	stop_service
	if ! wait_for 50 log_at_least ' WARN docker_unreachable ' $((_warns + 1)); then
		fail service_restart_within_10s "no WARN docker_unreachable once the service stopped"
		return
	fi
	if ! run_container ndpp$$c3 $C3_ADDR; then
		fail service_restart_within_10s "podman run while the service was stopped failed"
		return
	fi
	if ! alive "$dpid"; then
		fail service_restart_within_10s "the daemon died with the service"
		return
	fi
	if ! answered $C1_ADDR || ! answered $STATIC_ADDR; then
		fail service_restart_within_10s "last known $C1_ADDR or $STATIC_ADDR not answered while the service was down"
		return
	fi
	sleep 2			# a backoff of a few seconds by now
	if ! start_service; then
		fail service_restart_within_10s "the service did not start again"
		return
	fi
	if ! wait_log "docker_address_added network=$NET address=$C3_ADDR " 10; then
		fail service_restart_within_10s "$C3_ADDR not picked up within 10 s of the service's socket"
		return
	fi
	_ms=$(($(now_ms) - t_up))
	echo "# service restart: $C3_ADDR followed $_ms ms after the socket appeared"
	if [ "$_ms" -gt 10000 ]; then
		fail service_restart_within_10s "picked up after $_ms ms, want <= 10000"
	elif [ "$(log_count ' WARN docker_unreachable ')" != $((_warns + 1)) ]; then
		fail service_restart_within_10s "more than one WARN docker_unreachable for one outage"
	elif ! ping_ok $C3_ADDR 4; then
		fail service_restart_within_10s "ping $C3_ADDR failed ($(router_neigh $C3_ADDR))"
	else
		pass service_restart_within_10s
	fi
}

# socket_case NAME OWNER MODE WANT_UID WANT_GROUPS [ARGS]: the socket
# chowned and chmodded so; a daemon started on it must run as WANT_UID
# with the supplementary groups WANT_GROUPS ("" for none), with only
# CAP_NET_ADMIN, and follow the service. Podman's own mode put back.
socket_case() {
	_name=$1 _own=$2 _mode=$3 _uid=$4 _groups=$5
	shift 5
	if ! chown "$_own" "$SOCK" || ! chmod "$_mode" "$SOCK"; then
		fail "$_name" "chown/chmod of the socket failed"
		return 1
	fi
	start_root_daemon -N "$NET" "$@"
	if ! wait_log ' INFO docker_connected ' 5; then
		fail "$_name" "not connected within 5 s as $(status_of Uid) ($(grep -e sandbox_user -e docker_unreachable "$dlog" | head -n 2))"
	else
		_got="Uid=$(status_of Uid) Groups=$(groups_of) CapEff=$(status_of CapEff) Seccomp=$(status_of Seccomp)"
		_want="Uid=$_uid Groups=$_groups CapEff=$CAP_NET_ADMIN Seccomp=$WANT_SECCOMP"
		echo "# $_name: $_got; $(grep -o 'sandbox_user.*' "$dlog")"
		if [ "$_got" != "$_want" ]; then
			fail "$_name" "$_got, want $_want"
		elif ! answered $C1_ADDR; then
			fail "$_name" "$C1_ADDR not answered"
		else
			pass "$_name"
		fi
	fi
	stop_daemon TERM
	chown 0:0 "$SOCK"
	chmod 0600 "$SOCK"
}

# Docker's root:docker 0660, with a group of any name (here a gid that
# has none): nobody in that group.
test_socket_group() {
	socket_case socket_group_0660 0:4242 0660 65534 4242
}

# A rootless user's socket, only the owner may connect: that uid.
test_socket_owner() {
	socket_case socket_owner_0600 4243:4243 0600 4243 ""
}

test_socket_world() {
	socket_case socket_world_0666 0:0 0666 65534 ""
}

# podman.socket's root:root 0660, under contrib/systemd/podman.conf's
# capabilities (root with only these in its bounding set): nobody in
# group 0.
test_socket_dropin() {
	WRAP="setpriv --bounding-set=-all,+net_raw,+net_admin,+setuid,+setgid --inh-caps=-all"
	socket_case socket_podman_dropin 0:0 0660 65534 0
	WRAP=
}

# -U wins, and a user who cannot connect is one clear WARN.
test_explicit_user() {
	start_root_daemon -N "$NET" -U nobody
	if ! wait_log ' WARN sandbox_socket_denied ' 5; then
		fail explicit_user_warns "no WARN sandbox_socket_denied ($(grep sandbox_user "$dlog"))"
	elif [ "$(status_of Uid)" != 65534 ]; then
		fail explicit_user_warns "Uid $(status_of Uid), want 65534 (-U nobody)"
	elif ! wait_log 'docker_unreachable .*Permission denied' 5; then
		fail explicit_user_warns "no docker_unreachable Permission denied"
	elif [ "$(log_count ' WARN sandbox_socket_denied ')" != 1 ]; then
		fail explicit_user_warns "$(log_count ' WARN sandbox_socket_denied ') WARN sandbox_socket_denied lines, want 1"
	else
		grep -o 'WARN sandbox_socket_denied.*' "$dlog" | sed 's/^/# /'
		pass explicit_user_warns
	fi
	stop_daemon TERM
}

# Everything the run changed outside $tmp is as it was.
test_host_restored() {
	_why=
	_now=$tmp/now
	mkdir -p "$_now"
	for _f in /proc/sys/net/ipv6/conf/*/forwarding \
		  /proc/sys/net/ipv4/conf/*/forwarding \
		  /proc/sys/net/ipv4/ip_forward; do
		echo "$_f $(cat "$_f")"
	done >"$_now/sysctl"
	# Interfaces that came or went (ours, others') are not compared.
	_diff=$(awk 'NR == FNR { v[$1] = $2; next }
		($1 in v) && v[$1] != $2 { print $1 "=" $2 " (was " v[$1] ")" }' \
		"$saved/sysctl" "$_now/sysctl")
	[ -z "$_diff" ] || _why="sysctls: $_diff"
	for _c in iptables ip6tables; do
		fw_undo $_c "$saved/$_c" >"$_now/$_c"
		[ ! -s "$_now/$_c" ] ||
			_why="$_why; $_c left: $(head -n 3 "$_now/$_c" | tr '\n' ' ')"
	done
	nft list tables >"$_now/tables" 2>/dev/null
	cmp -s "$saved/tables" "$_now/tables" ||
		_why="$_why; nft tables: $(tr '\n' ' ' <"$_now/tables"), were: $(tr '\n' ' ' <"$saved/tables")"
	while read -r _p; do
		[ ! -e "$_p" ] || _why="$_why; $_p left"
	done <"$saved/absent"
	if [ -n "$_why" ]; then
		fail host_restored "${_why#; }"
	else
		pass host_restored
	fi
}

# ---------------------------------------------------------------- main

start=$(date +%s)
save_host
if ! setup_topology >"$tmp/setup.log" 2>&1; then
	sed 's/^/# /' "$tmp/setup.log"
	all_tests FAIL "topology setup failed"
	exit 1
fi

start_root_daemon -N "$NET"
test_down_part1
engine_used=1
# While the service is down: the CLI alone imports, creates and runs.
if ! import_image || ! make_network || ! run_container ndpp$$c1 $C1_ADDR
then
	echo "# engine setup failed:"
	tail -n 20 "$tmp/podman-cli.log" | sed 's/^/# /'
	all_tests FAIL "could not import the image, create the network or run a container"
	exit 1
fi
_left=$((17000 - ($(now_ms) - t_daemon)))
[ "$_left" -le 0 ] || sleep "$((_left / 1000)).$(printf %03d $((_left % 1000)))"
if ! start_service; then
	all_tests FAIL "could not start the Podman service"
	exit 1
fi
echo "# engine ready $(($(date +%s) - start)) s after the start"
test_down_part2

# Again, the service up at start.
stop_daemon TERM
start_root_daemon -N "$NET"
test_present_at_start
test_root_socket_uid_caps
test_later_container
test_removed_container
test_service_restart
if alive "$dpid"; then
	kill -USR1 "$dpid"
	sleep 0.2
	grep 'docker_counters' "$dlog" | tail -n 1 | sed 's/^/# /'
fi
test_exit clean_exit TERM
# Each socket case starts a daemon of its own on the running service.
service_ready || start_service
test_socket_group
test_socket_owner
test_socket_world
test_socket_dropin
test_explicit_user
teardown
test_host_restored
echo "# podman: $(($(date +%s) - start)) s"
exit $failed
