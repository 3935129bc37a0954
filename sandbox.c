/*
 * sandbox.c - privilege drop and seccomp, see sandbox.h.
 *
 * Once every socket is open the loop needs no privilege but one: with
 * gateway pinning on, RTM_NEWNEIGH needs CAP_NET_ADMIN. Re-binding the
 * packet socket after the uplink is re-created needs none (the
 * capability check is at socket creation), nor does sending on it.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "log.h"
#include "sandbox.h"

#define NOBODY 65534

/* A sanitizer's runtime makes calls the loop does not (LeakSanitizer
 * clones and ptraces at exit): such test builds run without the filter. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZER_BUILD 1
#endif
#endif
#ifndef SANITIZER_BUILD
#define SANITIZER_BUILD 0
#endif

#if defined(__x86_64__)
#define SECCOMP_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#elif defined(__i386__)
#define SECCOMP_ARCH AUDIT_ARCH_I386
#elif defined(__arm__) && defined(__ARMEL__)
#define SECCOMP_ARCH AUDIT_ARCH_ARM
#elif defined(__riscv) && __riscv_xlen == 64
#define SECCOMP_ARCH AUDIT_ARCH_RISCV64
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
#define SECCOMP_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define SECCOMP_ARCH AUDIT_ARCH_S390X
#endif

static int capset_raw(uint64_t caps)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {
		{ .effective = (uint32_t)caps, .permitted = (uint32_t)caps },
		{ .effective = (uint32_t)(caps >> 32),
		  .permitted = (uint32_t)(caps >> 32) },
	};

	return (int)syscall(SYS_capset, &hdr, data);
}

/* Supplementary group for the container engine's socket: the socket's
 * own group (root:docker 0660 for dockerd), whatever its name. */
static bool docker_gid(const struct sandbox *sb, gid_t *gid)
{
	struct stat st;

	if (sb->docker_socket && stat(sb->docker_socket, &st) == 0) {
		*gid = st.st_gid;
		return true;
	}
	return false;
}

static void switch_user(const struct sandbox *sb)
{
	const struct passwd *pw = getpwnam(sb->user);
	uid_t uid = NOBODY;
	gid_t gid = NOBODY, groups[1];
	size_t ngroups = 0;

	/* A scratch image has no /etc/passwd: nobody is 65534 there. */
	if (pw) {
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	} else if (strcmp(sb->user, "nobody") != 0) {
		fatalx("user %s not found (-U)", sb->user);
	}
	if (sb->docker && docker_gid(sb, &groups[0]))
		ngroups = 1;
	/* Keep the permitted set across setuid; trimmed right after. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		fatal("PR_SET_KEEPCAPS");
	if (setgroups(ngroups, groups) < 0 || setgid(gid) < 0 ||
	    setuid(uid) < 0) {
		/* A container started with only NET_RAW and NET_ADMIN is
		 * root without CAP_SETUID: stay, with the rest dropped. */
		if (errno == EPERM && sb->user_is_default) {
			log_info("sandbox_stay_root reason=\"no CAP_SETUID "
				 "or CAP_SETGID\"");
			prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
			return;
		}
		fatal("switch to user %s", sb->user);
	}
	if (setuid(0) == 0)
		fatalx("could regain root after dropping it");
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		fatal("PR_SET_KEEPCAPS");
}

/* The low 32 bits of system call argument n. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ARG_LO(n) (offsetof(struct seccomp_data, args[n]) + 4)
#else
#define ARG_LO(n) offsetof(struct seccomp_data, args[n])
#endif

#define ALLOW(nr) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static void install_seccomp(void)
{
#ifdef SECCOMP_ARCH
	static struct sock_filter prog[] = {
		/* Another architecture's numbers mean other calls: kill. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
#ifdef __X32_SYSCALL_BIT
		/* x32 calls on x86_64: kill. */
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
#endif
		/* socket(): only what the loop opens, AF_INET6 datagrams
		 * to solicit the gateway and AF_UNIX for Docker; never
		 * another packet socket. */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* setsockopt(): SOL_PACKET, to rejoin the all-multicast
		 * group when the uplink is re-created, and SO_ATTACH_FILTER
		 * to point the netlink filter at its new index (the packet
		 * socket's filter is locked). */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setsockopt, 0, 7),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(1)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOL_PACKET, 4, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SOL_SOCKET, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SO_ATTACH_FILTER, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* The loop: poll, packets, netlink, timers, signals. */
		ALLOW(SYS_read),
		ALLOW(SYS_write),
		ALLOW(SYS_writev),
		ALLOW(SYS_close),
#ifdef SYS_poll
		ALLOW(SYS_poll),
#endif
		ALLOW(SYS_ppoll),
		ALLOW(SYS_recvmmsg),
		ALLOW(SYS_sendmmsg),
		ALLOW(SYS_recvfrom),
		ALLOW(SYS_recvmsg),
		ALLOW(SYS_sendto),
		ALLOW(SYS_sendmsg),
		ALLOW(SYS_bind),
		ALLOW(SYS_connect),
		ALLOW(SYS_getsockopt),
		ALLOW(SYS_timerfd_settime),
		ALLOW(SYS_clock_gettime),
		ALLOW(SYS_getrandom),
		/* malloc, for Docker's replies. */
		ALLOW(SYS_brk),
		ALLOW(SYS_mmap),
		ALLOW(SYS_munmap),
		ALLOW(SYS_mremap),
		ALLOW(SYS_madvise),
		/* Leaving. */
		ALLOW(SYS_exit_group),
		ALLOW(SYS_exit),
		ALLOW(SYS_rt_sigreturn),
		ALLOW(SYS_restart_syscall),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	};
	struct sock_fprog fprog = {
		.len = (unsigned short)(sizeof(prog) / sizeof(prog[0])),
		.filter = prog,
	};

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0)
		fatal("seccomp");
#else
	log_warnx("seccomp_unsupported: no allow-list for this architecture");
#endif
}

void sandbox_enter(const struct sandbox *sb)
{
	uint64_t keep = sb->keep_net_admin ? 1ULL << CAP_NET_ADMIN : 0;
	bool root = getuid() == 0 || geteuid() == 0;
	bool seccomp = sb->seccomp && !SANITIZER_BUILD;

	if (root && sb->user && *sb->user)
		switch_user(sb);
	/* Nothing new comes back: not through ambient or bounding sets,
	 * not through exec. EPERM/EINVAL: not ours to drop, or too old. */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (capset_raw(keep) < 0)
		fatal("capset");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fatal("PR_SET_NO_NEW_PRIVS");
	/* Said before the filter, which has no getuid() in it. */
	log_info("sandbox uid=%u gid=%u capabilities=%s seccomp=%s%s",
		 (unsigned)getuid(), (unsigned)getgid(),
		 keep ? "net_admin" : "none", seccomp ? "on" : "off",
		 sb->seccomp && !seccomp ? " reason=sanitizer" : "");
	if (seccomp)
		install_seccomp();
}
