#!/bin/sh
# Hardening tests: the sandbox is in force, and bad or plentiful input
# does not hurt the daemon. Needs root; builds nothing (make
# ndpresponder test/nsprobe test/nsflood first; NDPRESPONDER_BIN picks
# another daemon binary, but not a sanitizer build, which runs without
# the seccomp filter). FLOOD_COUNT sets the size of the flood.
#
# Topology: router namespace (r0, fe80::1) --veth-- vm namespace (v0,
# MTU 9000 on both ends so that a frame over the daemon's ring slot can
# be sent), the daemon on v0 for 2001:db8:1::1:0/112.

cd "$(dirname "$0")/.." || exit 1
SUITE=hardening
TESTS="sandbox_in_force no_pin_gateway_keeps_no_capability bounding_set_dropped
idle_despite_foreign_neighbours no_seccomp_flag heap_pressure_survived
flood_leaves_daemon_answering flood_rss_flat flood_log_bounded
every_length_and_max_size ring_slot_boundary ring_burst_past_one_wakeup
ring_full_counted sigkill_restart_answers_at_once"
. ./test/lib.sh
lib_init ip
NSFLOOD=$tmp/nsflood
if ! cp test/nsflood "$NSFLOOD" 2>/dev/null; then
	all_tests FAIL "test/nsflood not built (make test/nsflood)"
	exit 1
fi

R=ndph$$r
V=ndph$$v
PREFIX=2001:db8:1::1:0/112
TARGET=2001:db8:1::1:100
FLOOD_COUNT=${FLOOD_COUNT:-1000000}

inr() { ip netns exec "$R" "$@"; }

ns_add "$R" "$V" &&
ip link add r0 netns "$R" mtu 9000 type veth peer name v0 netns "$V" mtu 9000 &&
ip -n "$R" link set r0 up && ip -n "$V" link set v0 up || {
	all_tests FAIL "cannot set up the namespaces"
	exit 1
}
sleep 1				# link-local addresses usable

# answered: the daemon answers an NS for TARGET within 1 s.
answered() {
	inr "$NSPROBE" -i r0 -t $TARGET -w 1000 >/dev/null 2>&1
}

# status FIELD: the daemon's /proc/PID/status field.
status() {
	sed -n "s/^$1:[[:space:]]*//p" "/proc/$dpid/status"
}

# counter NAME: from the last counters line (SIGUSR1).
counter() {
	kill -USR1 "$dpid"
	sleep 0.3
	grep ' counters ' "$dlog" | tail -n 1 | sed -n "s/.* $1=\([0-9]*\).*/\1/p"
}

start() {
	start_daemon "$V" -i v0 -n $PREFIX "$@"
	wait_for 30 answered
}

# ---------------------------------------------------------------- sandbox

start
if daemon_up sandbox_in_force; then
	got="uid=$(status Uid | cut -f1) caps=$(status CapEff) nnp=$(status NoNewPrivs) seccomp=$(status Seccomp)"
	want="uid=65534 caps=0000000000001000 nnp=1 seccomp=2"
	if [ "$got" = "$want" ] && answered; then
		pass sandbox_in_force
	else
		fail sandbox_in_force "$got, want $want, and answering"
	fi
fi
# What exec could give back: no more than the loop keeps.
bnd_pin=$(status CapBnd)
stop_daemon TERM

start --no-pin-gateway
if daemon_up no_pin_gateway_keeps_no_capability; then
	caps=$(status CapEff)
	if [ "$caps" = 0000000000000000 ] && answered; then
		pass no_pin_gateway_keeps_no_capability
	else
		fail no_pin_gateway_keeps_no_capability "CapEff $caps"
	fi
fi
got="pin=$bnd_pin no_pin=$(status CapBnd)"
want="pin=0000000000001000 no_pin=0000000000000000"
if daemon_up bounding_set_dropped; then
	if [ "$got" = "$want" ]; then
		pass bounding_set_dropped
	else
		fail bounding_set_dropped "CapBnd $got, want $want"
	fi
fi
stop_daemon TERM

# Neighbour changes on another interface must not wake the daemon: its
# netlink socket filters them out in the kernel.
start --no-pin-gateway
ip -n "$V" link add x0 type veth peer name x1 && ip -n "$V" link set x0 up
sleep 0.5
if daemon_up idle_despite_foreign_neighbours; then
	w0=$(status voluntary_ctxt_switches)
	i=1
	while [ $i -le 20 ]; do
		ip -n "$V" -6 neigh add 2001:db8:9::$i lladdr 02:00:00:00:09:01 dev x0
		ip -n "$V" -6 neigh del 2001:db8:9::$i dev x0
		i=$((i + 1))
	done
	sleep 0.5
	w1=$(status voluntary_ctxt_switches)
	if [ "$w1" = "$w0" ]; then
		pass idle_despite_foreign_neighbours
	else
		fail idle_despite_foreign_neighbours "$((w1 - w0)) wake-ups for 40 neighbour changes on another interface"
	fi
fi
stop_daemon TERM

start --no-seccomp
if daemon_up no_seccomp_flag; then
	sc=$(status Seccomp)
	if [ "$sc" = 0 ] && grep -q 'sandbox .*seccomp=off' "$dlog"; then
		pass no_seccomp_flag
	else
		fail no_seccomp_flag "Seccomp: $sc"
	fi
fi
stop_daemon TERM

# ---------------------------------------------------------------- heap

# musl's allocator (the static build) sets its heap up at the first
# malloc and, when brk cannot grow, maps its metadata PROT_NONE and
# mprotects it read-write. With -N alone and no user to look up (-U '',
# or a scratch image without /etc/passwd) that first malloc is for the
# first answer from Docker, inside the sandbox. So: RLIMIT_DATA lowered
# to what the daemon uses, brk fails; a minimal Docker API (a shell
# behind systemd-socket-activate) answers with 1000 containers, chunked
# as dockerd sends what is over 2 KB, so that the buffer grows from
# 4 KiB (musl's first allocation is small and takes the metadata path;
# glibc's heap fails at the first one past its mmap threshold); the
# daemon must live through the failed allocation and, once the limit
# is lifted, answer for a container.
HEAP_NET=ndph$$n
HEAP_ADDR=2001:db8:1::d:1
HEAP_SOCK=$tmp/docker.sock
awk -v net=$HEAP_NET 'BEGIN {
	printf "{\"Name\":\"%s\",\"Id\":\"%064d\",\"Containers\":{", net, 7
	for (i = 1; i <= 1000; i++)
		printf "%s\"%064d\":{\"Name\":\"c%d\",\"IPv4Address\":" \
		    "\"172.26.%d.%d/16\",\"IPv6Address\":" \
		    "\"2001:db8:1::d:%x/112\"}", (i > 1 ? "," : ""), i, i,
		    int(i / 256), i % 256, i
	printf "}}"
}' >"$tmp/network.json"
# One connection: read the request's head, answer by its path.
cat >"$tmp/dockerapi.sh" <<EOF
cr=\$(printf '\r')
IFS= read -r req
while IFS= read -r h && [ "\$h" != "\$cr" ] && [ -n "\$h" ]; do :; done
case \$req in
"GET /_ping "*)
	printf 'HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK' ;;
"GET /v1.41/events"*)
	printf 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n'
	exec cat >/dev/null ;;
"GET /v1.41/networks/$HEAP_NET "*)
	printf 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n' \$(wc -c <"$tmp/network.json")
	cat "$tmp/network.json"
	printf '\r\n0\r\n\r\n' ;;
*)
	printf 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n' ;;
esac
EOF

heap_answered() {
	inr "$NSPROBE" -i r0 -t $HEAP_ADDR -w 1000 >/dev/null 2>&1
}

if ! command -v systemd-socket-activate >/dev/null 2>&1 ||
   ! command -v prlimit >/dev/null 2>&1; then
	skip heap_pressure_survived "systemd-socket-activate or prlimit not installed (test/deps.sh)"
else
	DOCKER_HOST=unix://$HEAP_SOCK
	export DOCKER_HOST
	start_daemon "$V" -U '' -i v0 -N $HEAP_NET
	unset DOCKER_HOST
	wait_for 50 grep -qs docker_unreachable "$dlog"
	if daemon_up heap_pressure_survived; then
		data=$(status VmData)
		prlimit --pid "$dpid" --data="$(( ${data% kB} * 1024 )):"
		systemd-socket-activate -l "$HEAP_SOCK" -a --inetd \
			sh "$tmp/dockerapi.sh" >"$tmp/dockerapi.log" 2>&1 &
		lib_pids="$lib_pids $!"
		# The next retry comes within 2 s.
		wait_for 100 grep -q 'no memory' "$dlog"
		echo "# VmData $data; $(grep -c 'no memory' "$dlog") failed allocation(s) logged"
	fi
	if daemon_up heap_pressure_survived; then
		prlimit --pid "$dpid" --data=unlimited:
		if ! grep -q 'no memory' "$dlog"; then
			fail heap_pressure_survived "no allocation failed under RLIMIT_DATA $data"
		elif wait_for 20 heap_answered; then
			pass heap_pressure_survived
		else
			fail heap_pressure_survived "no answer for a container once the limit was lifted"
		fi
	fi
	stop_daemon TERM
fi

# ---------------------------------------------------------------- flood

DAEMON_LOG=INFO start
# A first, smaller flood touches every buffer the loop has, so that the
# one after measures growth, not first use.
inr "$NSFLOOD" -i r0 -p $PREFIX -c 20000 -s 1 >/dev/null
sleep 0.5
hwm0=$(status VmHWM)
lines0=$(wc -l <"$dlog")
t0=$(now_ms)
out=$(inr "$NSFLOOD" -i r0 -p $PREFIX -c "$FLOOD_COUNT" -s 2)
t1=$(now_ms)
sleep 1
hwm1=$(status VmHWM)
lines1=$(wc -l <"$dlog")
echo "# flood: $out in $((t1 - t0)) ms; VmHWM $hwm0 before, $hwm1 after"
if daemon_up flood_leaves_daemon_answering; then
	recv=$(counter received)
	ans=$(counter answered)
	echo "# daemon: received=$recv answered=$ans invalid_checksum=$(counter invalid_checksum)"
	if answered && [ "${recv:-0}" -gt 0 ]; then
		pass flood_leaves_daemon_answering
	else
		fail flood_leaves_daemon_answering "no answer after the flood (received=$recv)"
	fi
	# VmHWM is "N kB": flat means no growth beyond a page.
	if [ "${hwm1% kB}" -le $(( ${hwm0% kB} + 4 )) ]; then
		pass flood_rss_flat
	else
		fail flood_rss_flat "VmHWM $hwm0 before, $hwm1 after"
	fi
	# At INFO: the first answer, then a summary a minute at most.
	if [ $((lines1 - lines0)) -le 4 ]; then
		pass flood_log_bounded
	else
		fail flood_log_bounded "$((lines1 - lines0)) log lines during the flood"
	fi
fi

inv0=$(counter oversize)
out=$(inr "$NSFLOOD" -i r0 -p $PREFIX -L)
sleep 0.5
if daemon_up every_length_and_max_size; then
	inv1=$(counter oversize)
	echo "# lengths: $out; oversize frames counted: $inv0 -> $inv1"
	if answered && [ "$inv1" -gt "$inv0" ]; then
		pass every_length_and_max_size
	else
		fail every_length_and_max_size "not answering, or the 9014-byte frame not counted as oversize"
	fi
fi

# The receive ring's slots hold 190 bytes of a frame (responder.c): an
# NS padded to that is answered, 8 bytes more are cut by the kernel and
# counted as oversize, not parsed short.
name=ring_slot_boundary
inv0=$(counter oversize)
probe -t $TARGET -P 104 -w 1000; rc_fit=$rc
inv1=$(counter oversize)
probe -t $TARGET -P 112 -w 500; rc_cut=$rc
inv2=$(counter oversize)
echo "# 190-byte NS: nsprobe status $rc_fit; 198-byte NS: status $rc_cut; oversize $inv0 -> $inv1 -> $inv2"
if daemon_up $name; then
	if [ $rc_fit = 0 ] && [ "$inv1" = "$inv0" ] && [ $rc_cut = 1 ] &&
	   [ "$inv2" = $((inv1 + 1)) ]; then
		pass $name
	else
		fail $name "190 bytes: status $rc_fit, 198: status $rc_cut, oversize $inv0 -> $inv1 -> $inv2"
	fi
fi

# A burst queued while the daemon cannot run, more than one wake-up
# takes (ROUNDS_MAX x BATCH, 2,048): the ring must stay readable until
# every frame in it is answered.
# burst_while_stopped COUNT WAIT_MS: COUNT NS for consecutive targets
# sent while the daemon is stopped, then it runs again; nsprobe's status
# in $rc, its "answered=N count=COUNT" in $tmp/burst.out.
burst_while_stopped() {
	kill -STOP "$dpid"
	inr "$NSPROBE" -i r0 -t $TARGET -c "$1" -w "$2" >"$tmp/burst.out" 2>&1 &
	_bpid=$!
	sleep 1
	kill -CONT "$dpid"
	wait $_bpid
	rc=$?
	echo "# burst of $1 NS while stopped: $(cat "$tmp/burst.out")"
}

name=ring_burst_past_one_wakeup
BURST=5000
burst_while_stopped $BURST 10000
if daemon_up $name; then
	if [ $rc = 0 ] && grep -q "^answered=$BURST count=$BURST\$" "$tmp/burst.out"; then
		pass $name
	else
		fail $name "$(cat "$tmp/burst.out")"
	fi
fi

# A burst the ring cannot hold (10,240 slots) while the daemon is
# stopped: what the kernel dropped is counted as ring_full, and every
# NS sent is either received or counted there.
name=ring_full_counted
BURST=12000
rf0=$(counter ring_full)
rx0=$(counter received)
burst_while_stopped $BURST 3000
answered >/dev/null		# a frame after the drops brings the count
rf1=$(counter ring_full)
rx1=$(counter received)
echo "# received $rx0 -> $rx1, ring_full $rf0 -> $rf1"
if daemon_up $name; then
	if [ -n "$rf1" ] && [ "$((rf1 - rf0))" -gt 0 ] &&
	   [ "$((rx1 - rx0 + rf1 - rf0))" -ge "$BURST" ] &&
	   in_log "ring_full interface=v0 dropped="; then
		pass $name
	else
		fail $name "ring_full $rf0 -> $rf1, received $rx0 -> $rx1 for $BURST NS (and one more)"
	fi
fi

# ---------------------------------------------------------------- restart

# answered_soon: as answered, within 100 ms.
answered_soon() {
	inr "$NSPROBE" -i r0 -t $TARGET -w 100 >/dev/null 2>&1
}

kill -KILL "$dpid"
wait "$dpid" 2>/dev/null
dpid=
t0=$(now_ms)
start_daemon "$V" -i v0 -n $PREFIX
# Probes 100 ms apart: one sent before the daemon is bound (setting up
# its receive ring waits for an RCU grace period, ~15 ms here) must not
# cost the whole second of answered's timeout.
wait_for 30 answered_soon
t1=$(now_ms)
if daemon_up sigkill_restart_answers_at_once; then
	if answered && [ $((t1 - t0)) -lt 1000 ]; then
		echo "# restarted and answered in $((t1 - t0)) ms"
		pass sigkill_restart_answers_at_once
	else
		fail sigkill_restart_answers_at_once "no answer within 1 s of the restart ($((t1 - t0)) ms)"
	fi
fi
stop_daemon TERM
exit $failed
