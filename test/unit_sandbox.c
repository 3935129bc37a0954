/*
 * test/unit_sandbox.c - the seccomp allow-list that sandbox.c builds,
 * in force: for each probe a child installs sandbox_filter()'s program
 * for the given modes, makes one system call, and either reaches the
 * kernel (whatever it answers: EBADF, EPERM) or is killed with SIGSYS.
 * The calls go through libc, as the daemon's do. Needs no root: with
 * no_new_privs anyone may install a filter. Prints "PASS name" or
 * "FAIL name: file:line: what"; exits 1 if any failed.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <netinet/in.h>

#include "sandbox.h"

#include "unit.h"

enum verdict { THROUGH, KILLED, BROKEN };

/* Fork; the child installs the program for sb and runs call(). */
static enum verdict probe(const struct sandbox *sb, void (*call)(void))
{
	struct sock_fprog fprog;
	int status;
	pid_t pid;

	if (sandbox_filter(sb, &fprog) < 0)
		return BROKEN;
	fflush(stdout);
	if ((pid = fork()) < 0)
		return BROKEN;
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0,
			  0) < 0)
			_exit(3);
		call();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return BROKEN;
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		return KILLED;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return THROUGH;
	return BROKEN;
}

static const char *verdict_name(enum verdict v)
{
	return v == THROUGH ? "through" : v == KILLED ? "killed by SIGSYS" :
	       "broken (no filter, or another death)";
}

#define EXPECT(sb, call, want)						\
	do {								\
		enum verdict v_ = probe(&(sb), call);			\
		CHECKF(v_ == (want), "%s: %s, want %s", #call,		\
		       verdict_name(v_), verdict_name(want));		\
	} while (0)

/* ------------------------------------------------------------ calls */

static void sock(int family, int type)
{
	int fd = socket(family, type | SOCK_CLOEXEC, 0);

	if (fd >= 0)
		close(fd);
}

static void unix_stream(void)
{
	sock(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK);
}

static void unix_dgram(void)
{
	sock(AF_UNIX, SOCK_DGRAM);
}

static void inet6_dgram(void)
{
	sock(AF_INET6, SOCK_DGRAM);
}

static void inet6_stream(void)
{
	sock(AF_INET6, SOCK_STREAM);
}

static void inet_dgram(void)
{
	sock(AF_INET, SOCK_DGRAM);
}

static void packet_raw(void)
{
	sock(AF_PACKET, SOCK_RAW);
}

static void netlink_raw(void)
{
	sock(AF_NETLINK, SOCK_RAW);
}

/* On no socket: the filter looks at level and name only, and the
 * kernel says EBADF. */
static void opt(int level, int name)
{
	int v = 0;

	(void)setsockopt(-1, level, name, &v, sizeof(v));
}

static void packet_add_membership(void)
{
	opt(SOL_PACKET, PACKET_ADD_MEMBERSHIP);
}

static void packet_rx_ring(void)
{
	opt(SOL_PACKET, PACKET_RX_RING);
}

static void packet_fanout(void)
{
	opt(SOL_PACKET, PACKET_FANOUT);
}

static void socket_attach_filter(void)
{
	opt(SOL_SOCKET, SO_ATTACH_FILTER);
}

static void socket_rcvbuf(void)
{
	opt(SOL_SOCKET, SO_RCVBUFFORCE);
}

static void socket_detach_filter(void)
{
	opt(SOL_SOCKET, SO_DETACH_FILTER);
}

static void ipv6_opt(void)
{
	opt(IPPROTO_IPV6, IPV6_MULTICAST_HOPS);
}

static void getsockopt_error(void)
{
	socklen_t len = sizeof(int);
	int v;

	(void)getsockopt(-1, SOL_SOCKET, SO_ERROR, &v, &len);
}

static void read_nothing(void)
{
	char c;

	(void)read(-1, &c, 1);
}

/* On no mapping of ours (ENOMEM): the filter looks at prot only. */
static void mprotect_rw(void)
{
	(void)mprotect(NULL, 4096, PROT_READ | PROT_WRITE);
}

static void mprotect_rx(void)
{
	(void)mprotect(NULL, 4096, PROT_READ | PROT_EXEC);
}

static void map(int prot)
{
	void *p = mmap(NULL, 4096, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		(void)munmap(p, 4096);
}

static void mmap_rw(void)
{
	map(PROT_READ | PROT_WRITE);
}

static void mmap_none(void)
{
	map(PROT_NONE);
}

static void mmap_rwx(void)
{
	map(PROT_READ | PROT_WRITE | PROT_EXEC);
}

static void mmap_x(void)
{
	map(PROT_EXEC);
}

static void getpid_call(void)
{
	(void)getpid();
}

#ifdef SYS_socketcall
/* socketcall(2): the arguments are in memory, where the filter cannot
 * look, so socket and setsockopt must not pass this way. */
static void socketcall(int call, unsigned long a0, unsigned long a1,
		       unsigned long a2)
{
	int v = 0;
	socklen_t len = sizeof(v);
	unsigned long a[5] = { a0, a1, a2, (unsigned long)&v,
			       (unsigned long)&len };

	(void)syscall(SYS_socketcall, call, a);
}

static void socketcall_socket(void)
{
	socketcall(SYS_SOCKET, AF_UNIX, SOCK_STREAM, 0);
}

static void socketcall_setsockopt(void)
{
	socketcall(SYS_SETSOCKOPT, (unsigned long)-1, SOL_SOCKET,
		   SO_ATTACH_FILTER);
}

static void socketcall_getsockopt(void)
{
	socketcall(SYS_GETSOCKOPT, (unsigned long)-1, SOL_SOCKET, SO_ERROR);
}

static void socketcall_listen(void)
{
	socketcall(SYS_LISTEN, (unsigned long)-1, 1, 0);
}
#endif

/* ------------------------------------------------------------ tests */

static const struct sandbox none, docker = { .needs_unix_socket = true },
	pin = { .needs_inet6_dgram = true },
	both = { .needs_unix_socket = true, .needs_inet6_dgram = true };

/* -n alone with --no-pin-gateway: the loop opens no socket at all. */
static void test_static_mode_opens_no_socket(void)
{
	EXPECT(none, unix_stream, KILLED);
	EXPECT(none, inet6_dgram, KILLED);
	EXPECT(none, packet_raw, KILLED);
	EXPECT(none, netlink_raw, KILLED);
}

static void test_docker_mode_opens_unix_stream_only(void)
{
	EXPECT(docker, unix_stream, THROUGH);
	EXPECT(docker, unix_dgram, KILLED);
	EXPECT(docker, inet6_dgram, KILLED);
	EXPECT(docker, packet_raw, KILLED);
}

static void test_pinning_opens_inet6_dgram_only(void)
{
	EXPECT(pin, inet6_dgram, THROUGH);
	EXPECT(pin, inet6_stream, KILLED);
	EXPECT(pin, inet_dgram, KILLED);
	EXPECT(pin, unix_stream, KILLED);
	EXPECT(pin, packet_raw, KILLED);
}

static void test_both_modes(void)
{
	EXPECT(both, unix_stream, THROUGH);
	EXPECT(both, inet6_dgram, THROUGH);
	EXPECT(both, netlink_raw, KILLED);
	EXPECT(both, packet_raw, KILLED);
}

static void test_setsockopt_two_options_only(void)
{
	EXPECT(both, packet_add_membership, THROUGH);
	EXPECT(both, socket_attach_filter, THROUGH);
	EXPECT(both, packet_rx_ring, KILLED);
	EXPECT(both, packet_fanout, KILLED);
	EXPECT(both, socket_rcvbuf, KILLED);
	EXPECT(both, socket_detach_filter, KILLED);
	EXPECT(both, ipv6_opt, KILLED);
	EXPECT(none, packet_add_membership, THROUGH);
}

static void test_loop_calls_and_others(void)
{
	EXPECT(none, read_nothing, THROUGH);
	EXPECT(none, getsockopt_error, THROUGH);
	EXPECT(none, getpid_call, KILLED);
}

/* musl's malloc once brk fails: PROT_NONE, then mprotect read-write. */
static void test_memory_never_executable(void)
{
	EXPECT(none, mmap_rw, THROUGH);
	EXPECT(none, mmap_none, THROUGH);
	EXPECT(none, mprotect_rw, THROUGH);
	EXPECT(none, mprotect_rx, KILLED);
	EXPECT(none, mmap_rwx, KILLED);
	EXPECT(none, mmap_x, KILLED);
}

#ifdef SYS_socketcall
static void test_socketcall_only_for_unchecked_calls(void)
{
	EXPECT(both, socketcall_socket, KILLED);
	EXPECT(both, socketcall_setsockopt, KILLED);
	EXPECT(both, socketcall_listen, KILLED);
	EXPECT(both, socketcall_getsockopt, THROUGH);
}
#endif

int main(void)
{
	struct sock_fprog fprog;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sandbox_filter(&none, &fprog) == -ENOSYS) {
		printf("SKIP seccomp: no allow-list for this architecture\n");
		return 0;
	}
	RUN(test_static_mode_opens_no_socket);
	RUN(test_docker_mode_opens_unix_stream_only);
	RUN(test_pinning_opens_inet6_dgram_only);
	RUN(test_both_modes);
	RUN(test_setsockopt_two_options_only);
	RUN(test_loop_calls_and_others);
	RUN(test_memory_never_executable);
#ifdef SYS_socketcall
	RUN(test_socketcall_only_for_unchecked_calls);
#endif
	return tests_failed ? 1 : 0;
}
