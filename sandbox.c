/*
 * sandbox.c - privilege drop and seccomp, see sandbox.h.
 *
 * Once every socket is open the loop needs no privilege but one: with
 * gateway pinning on, RTM_NEWNEIGH needs CAP_NET_ADMIN. Re-binding the
 * packet socket after the uplink is re-created needs none (the
 * capability check is at socket creation), nor does sending on it.
 *
 * With -N the loop must connect(2) to the engine's socket, which is
 * root-equivalent whoever holds it: the user it runs as is then the
 * least of nobody, nobody in the socket's group, or the socket's owner
 * (root stays uid 0, without capabilities) that the mode bits let in.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/net.h>
#include <linux/seccomp.h>

#include "log.h"
#include "sandbox.h"

#define NOBODY 65534
#define PATH_MAX_UN sizeof(((struct sockaddr_un *)0)->sun_path)

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

#ifdef SYS_socketcall
/*
 * Where socketcall(2) exists (i386, s390x), a libc built for kernels
 * before 4.3 reaches socket calls through it (glibc 2.36 on i386:
 * bind, connect, sendto, recvmsg), and their arguments are then in
 * memory, out of a filter's sight. These two, whose arguments the
 * filter checks, go to their own system calls instead, which Linux has
 * had there since 4.3 (and these builds now need): every call of them
 * in the daemon resolves here; libc's internal ones do not.
 */
int socket(int family, int type, int protocol)
{
	return (int)syscall(SYS_socket, family, type, protocol);
}

int setsockopt(int fd, int level, int name, const void *value,
	       socklen_t len)
{
	return (int)syscall(SYS_setsockopt, fd, level, name, value, len);
}
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

/* Exec gives nothing back: the bounding set keeps only what the loop
 * keeps. The kernel may know capabilities past our headers' CAP_LAST_CAP,
 * so walk until EINVAL. Dropping needs CAP_SETPCAP: without it (a
 * container that gave us only NET_RAW and NET_ADMIN) EPERM leaves the
 * set, and no_new_privs and the filter, which has no execve, remain. */
static void drop_bounding_set(uint64_t keep)
{
	for (unsigned long cap = 0; cap < 64; cap++)
		if (!(keep & (1ULL << cap)) &&
		    prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			break;
}

/* The metrics directory's group, if it is writable by the group. */
static bool metrics_gid(const struct sandbox *sb, gid_t *gid)
{
	struct stat st;

	if (sb->metrics_dir && stat(sb->metrics_dir, &st) == 0 &&
	    (st.st_mode & S_IWGRP)) {
		*gid = st.st_gid;
		return true;
	}
	return false;
}

/* Whom the loop runs as, and why (said at start). */
struct identity {
	uid_t uid;
	gid_t gid;
	gid_t groups[2];
	size_t ngroups;
	const char *why;
};

/* Whether the mode bits of st grant bit (S_IXOTH, S_IWOTH) to id: the
 * owner's bits for the owner, the group's for a member, else the
 * others' (the kernel's order; ACLs aside). */
static bool grants(const struct stat *st, const struct identity *id,
		   mode_t bit)
{
	if (st->st_uid == id->uid)
		return st->st_mode & (bit << 6);
	if (st->st_gid == id->gid)
		return st->st_mode & (bit << 3);
	for (size_t i = 0; i < id->ngroups; i++)
		if (st->st_gid == id->groups[i])
			return st->st_mode & (bit << 3);
	return st->st_mode & bit;
}

/*
 * Whether id may connect(2) to the socket at path: search on each
 * directory on the way, write on the socket. Root is only a uid here:
 * the loop keeps no CAP_DAC_OVERRIDE. 0, -EACCES, or -errno of stat.
 */
static int may_connect(const char *path, const struct identity *id)
{
	char dir[PATH_MAX_UN];
	size_t n = strlen(path);
	struct stat st;

	if (n >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, n + 1);
	for (size_t k = 1; k < n; k++) {
		if (dir[k] != '/')
			continue;
		dir[k] = '\0';
		if (stat(dir, &st) < 0)
			return -errno;
		if (!grants(&st, id, S_IXOTH))
			return -EACCES;
		dir[k] = '/';
	}
	if (stat(path, &st) < 0)
		return -errno;
	return grants(&st, id, S_IWOTH) ? 0 : -EACCES;
}

/* uid's primary group, or dflt without a passwd entry. */
static gid_t primary_gid(uid_t uid, gid_t dflt)
{
	const struct passwd *pw = getpwuid(uid);

	return pw ? pw->pw_gid : dflt;
}

/*
 * The least privileged of: nobody; nobody in the socket's group (0660,
 * whatever the group is called: docker, or root under podman.socket);
 * the socket's owner, when only it may connect (Podman's root socket
 * is 0600; a rootless engine's lies in its user's 0700 directory).
 * The owner root stays uid 0, with only the capability the loop keeps.
 * Started before the engine, there is no socket to ask: the nearest
 * directory above it stands for it (its owner makes the socket).
 */
static void choose_for_socket(const struct sandbox *sb,
			      const struct identity *nobody,
			      struct identity *id)
{
	char dir[PATH_MAX_UN];
	const char *path = sb->docker_socket;
	struct stat st;
	size_t n;

	if (stat(path, &st) == 0) {
		*id = *nobody;
		id->why = "the socket is writable to all";
		if (may_connect(path, id) == 0)
			return;
		id->groups[id->ngroups++] = st.st_gid;
		id->why = "the socket's group may connect";
		if (may_connect(path, id) == 0)
			return;
		id->why = "only the socket's owner may connect";
	} else {
		/* The caller checked the length (docker_set_host). */
		n = strnlen(path, sizeof(dir) - 1);
		memcpy(dir, path, n);
		dir[n] = '\0';
		for (;;) {		/* the last name off, and its slashes */
			while (n > 0 && dir[n - 1] != '/')
				n--;
			while (n > 1 && dir[n - 1] == '/')
				n--;
			if (n == 0)
				memcpy(dir, ".", 2);
			else
				dir[n] = '\0';
			if (stat(dir, &st) == 0)
				break;
			if (n == 0 || (n == 1 && dir[0] == '/')) {
				*id = *nobody;
				id->why = "no socket, no directory";
				return;
			}
		}
		id->why = "no socket yet: its directory's owner";
	}
	id->uid = st.st_uid;
	id->gid = primary_gid(st.st_uid, st.st_gid);
	id->ngroups = 0;
}

/* The identity from -U (a name; nobody may lack an entry: a scratch
 * image has no /etc/passwd, nobody is 65534 there). */
static void named(const struct sandbox *sb, struct identity *id)
{
	const struct passwd *pw = getpwnam(sb->user);
	struct stat st;

	memset(id, 0, sizeof(*id));
	id->uid = id->gid = NOBODY;
	if (pw) {
		id->uid = pw->pw_uid;
		id->gid = pw->pw_gid;
	} else if (strcmp(sb->user, "nobody") != 0) {
		fatalx("user %s not found (-U)", sb->user);
	}
	id->why = sb->user_is_default ? "the default" : "-U";
	/* The engine's group, whatever its name (root:docker 0660). */
	if (sb->docker && stat(sb->docker_socket, &st) == 0)
		id->groups[id->ngroups++] = st.st_gid;
}

/* false if it stayed root, lacking the capabilities to switch. */
static bool switch_user(const struct sandbox *sb, const struct identity *id)
{
	gid_t groups[3];
	size_t ngroups = id->ngroups;

	memcpy(groups, id->groups, sizeof(id->groups));
	if (metrics_gid(sb, &groups[ngroups]))
		ngroups++;
	/* Keep the permitted set across setuid; trimmed right after. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		fatal("PR_SET_KEEPCAPS");
	if (setgroups(ngroups, groups) < 0 || setgid(id->gid) < 0 ||
	    (id->uid != 0 && setuid(id->uid) < 0)) {
		/* A container started with only NET_RAW and NET_ADMIN is
		 * root without CAP_SETUID: stay, with the rest dropped. */
		if (errno == EPERM && sb->user_is_default) {
			log_info("sandbox_stay_root reason=\"no CAP_SETUID "
				 "or CAP_SETGID\"");
			prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
			return false;
		}
		fatal("switch to user %s", sb->user);
	}
	if (id->uid != 0 && setuid(0) == 0)
		fatalx("could regain root after dropping it");
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		fatal("PR_SET_KEEPCAPS");
	return true;
}

/* Say whom the loop runs as for the engine's socket, and warn once if
 * that one cannot connect (as -U asked, or as we were started). */
static void say_socket_access(const struct sandbox *sb, const char *why)
{
	struct identity id = { .uid = getuid(), .gid = getgid() };
	const struct passwd *pw = getpwuid(id.uid);
	char list[64] = "none";
	gid_t groups[8];
	int n = getgroups(8, groups), err;
	size_t k = 0;
	struct stat st;

	for (int i = 0; i < n && id.ngroups < 2; i++) {
		if (groups[i] == id.gid)
			continue;
		id.groups[id.ngroups++] = groups[i];
		k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%u",
				      k ? "," : "", (unsigned)groups[i]);
	}
	if (stat(sb->docker_socket, &st) < 0) {	/* the engine makes it */
		log_info("sandbox_user user=%s uid=%u gid=%u groups=%s "
			 "socket=%s socket_mode=none reason=\"%s\"",
			 pw ? pw->pw_name : "?", (unsigned)id.uid,
			 (unsigned)id.gid, list, sb->docker_socket, why);
		return;
	}
	log_info("sandbox_user user=%s uid=%u gid=%u groups=%s socket=%s "
		 "socket_mode=%04o socket_owner=%u:%u reason=\"%s\"",
		 pw ? pw->pw_name : "?", (unsigned)id.uid, (unsigned)id.gid,
		 list, sb->docker_socket, (unsigned)(st.st_mode & 07777),
		 (unsigned)st.st_uid, (unsigned)st.st_gid, why);
	if ((err = may_connect(sb->docker_socket, &id)) < 0)
		log_warnx("sandbox_socket_denied socket=%s uid=%u error=\"%s\" "
			  "(this user cannot connect to the engine: give -U "
			  "a user who can, or none, see ndpresponder(8))",
			  sb->docker_socket, (unsigned)id.uid, strerror(-err));
}

/* The low 32 bits of system call argument n. */
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ARG_LO(n) (offsetof(struct seccomp_data, args[n]) + 4)
#else
#define ARG_LO(n) offsetof(struct seccomp_data, args[n])
#endif

#define ALLOW SECCOMP_RET_ALLOW
#define KILL SECCOMP_RET_KILL_PROCESS
/* socket()'s type argument: the type, then SOCK_NONBLOCK, SOCK_CLOEXEC. */
#define SOCK_TYPE_MASK 0xf
#define PROG_MAX 256	/* BPF_MAXINSNS is 4096 */

struct prog {
	struct sock_filter *f;
	size_t n;
};

static size_t emit(struct prog *p, uint16_t code, uint32_t k, uint8_t jt,
		   uint8_t jf)
{
	if (p->n < PROG_MAX)
		p->f[p->n] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
	return p->n++;
}

static void ld(struct prog *p, uint32_t off)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, off, 0, 0);
}

static void ret(struct prog *p, uint32_t action)
{
	emit(p, BPF_RET | BPF_K, action, 0, 0);
}

static void allow_nr(struct prog *p, uint32_t nr)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1);
	ret(p, ALLOW);
}

/* A block for system call nr, entered with nr in A and skipped
 * otherwise; every path inside it returns. */
static size_t call_begin(struct prog *p, uint32_t nr)
{
	return emit(p, BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 0);
}

static void call_end(struct prog *p, size_t at)
{
	if (p->n <= PROG_MAX && p->n - at - 1 <= UINT8_MAX)
		p->f[at].jf = (uint8_t)(p->n - at - 1);
	else
		p->n = PROG_MAX + 1;	/* cannot happen: reported as E2BIG */
}

/* With A holding one argument: if it is v, allow when (argument n &
 * mask) is w, else kill; if not, fall through with A unchanged. */
static void when(struct prog *p, uint32_t v, unsigned n, uint32_t mask,
		 uint32_t w)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, v, 0, mask == UINT32_MAX ? 4 : 5);
	ld(p, (uint32_t)ARG_LO(n));
	if (mask != UINT32_MAX)
		emit(p, BPF_ALU | BPF_AND | BPF_K, mask, 0, 0);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, w, 0, 1);
	ret(p, ALLOW);
	ret(p, KILL);
}

/* A block for call nr: allowed unless argument n has one of bits. */
static void without_bits(struct prog *p, uint32_t nr, unsigned n,
			 uint32_t bits)
{
	size_t at = call_begin(p, nr);

	ld(p, (uint32_t)ARG_LO(n));
	emit(p, BPF_JMP | BPF_JSET | BPF_K, bits, 0, 1);
	ret(p, KILL);
	ret(p, ALLOW);
	call_end(p, at);
}

int sandbox_filter(const struct sandbox *sb, struct sock_fprog *fprog)
{
#ifdef SECCOMP_ARCH
	static struct sock_filter f[PROG_MAX];
	struct prog p = { .f = f };
	size_t at;

	/* Another architecture's numbers mean other calls: kill. */
	ld(&p, offsetof(struct seccomp_data, arch));
	emit(&p, BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_ARCH, 1, 0);
	ret(&p, KILL);
	ld(&p, offsetof(struct seccomp_data, nr));
#ifdef __X32_SYSCALL_BIT
	/* x32 calls on x86_64: kill. */
	emit(&p, BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, 0, 1);
	ret(&p, KILL);
#endif
	/* socket(): only what the configured modes open in the loop, never
	 * another packet or netlink socket. */
	at = call_begin(&p, SYS_socket);
	ld(&p, (uint32_t)ARG_LO(0));
	if (sb->needs_inet6_dgram)	/* to solicit the gateway */
		when(&p, AF_INET6, 1, SOCK_TYPE_MASK, SOCK_DGRAM);
	if (sb->needs_unix_socket)	/* Docker's API */
		when(&p, AF_UNIX, 1, SOCK_TYPE_MASK, SOCK_STREAM);
	ret(&p, KILL);
	call_end(&p, at);
	/* setsockopt(): PACKET_ADD_MEMBERSHIP to rejoin the all-multicast
	 * group when the uplink is re-created, and SO_ATTACH_FILTER to
	 * point the netlink filter at its new index (the packet socket's
	 * filter is locked). */
	at = call_begin(&p, SYS_setsockopt);
	ld(&p, (uint32_t)ARG_LO(1));
	when(&p, SOL_PACKET, 2, UINT32_MAX, PACKET_ADD_MEMBERSHIP);
	when(&p, SOL_SOCKET, 2, UINT32_MAX, SO_ATTACH_FILTER);
	ret(&p, KILL);
	call_end(&p, at);
#ifdef SYS_socketcall
	/* Through socketcall only what needs no look at the arguments:
	 * socket and setsockopt come the direct way, see above. */
	at = call_begin(&p, SYS_socketcall);
	ld(&p, (uint32_t)ARG_LO(0));
	allow_nr(&p, SYS_BIND);
	allow_nr(&p, SYS_CONNECT);
	allow_nr(&p, SYS_SEND);
	allow_nr(&p, SYS_SENDTO);
	allow_nr(&p, SYS_RECV);
	allow_nr(&p, SYS_RECVFROM);
	allow_nr(&p, SYS_GETSOCKOPT);
	allow_nr(&p, SYS_SENDMSG);
	allow_nr(&p, SYS_RECVMSG);
	allow_nr(&p, SYS_RECVMMSG);
	allow_nr(&p, SYS_SENDMMSG);
	ret(&p, KILL);
	call_end(&p, at);
#endif
	/* The loop: poll, packets, netlink, timers, signals. On 32-bit
	 * machines libc may take the 64-bit time calls (glibc 2.36 on
	 * i386: recvmmsg_time64), and the old ones on a kernel without. */
	allow_nr(&p, SYS_read);
	allow_nr(&p, SYS_write);
	allow_nr(&p, SYS_writev);
	allow_nr(&p, SYS_close);
#ifdef SYS_poll
	allow_nr(&p, SYS_poll);
#endif
	allow_nr(&p, SYS_ppoll);
#ifdef SYS_ppoll_time64
	allow_nr(&p, SYS_ppoll_time64);
#endif
	allow_nr(&p, SYS_recvmmsg);
#ifdef SYS_recvmmsg_time64
	allow_nr(&p, SYS_recvmmsg_time64);
#endif
	allow_nr(&p, SYS_sendmmsg);
	allow_nr(&p, SYS_recvfrom);
	allow_nr(&p, SYS_recvmsg);
	allow_nr(&p, SYS_sendto);
	allow_nr(&p, SYS_sendmsg);
	allow_nr(&p, SYS_bind);
	allow_nr(&p, SYS_connect);
	allow_nr(&p, SYS_getsockopt);
	allow_nr(&p, SYS_timerfd_settime);
#ifdef SYS_timerfd_settime64
	allow_nr(&p, SYS_timerfd_settime64);
#endif
	/* Without a vDSO. */
	allow_nr(&p, SYS_clock_gettime);
#ifdef SYS_clock_gettime64
	allow_nr(&p, SYS_clock_gettime64);
#endif
	allow_nr(&p, SYS_getrandom);
	/* malloc, for Docker's replies. When brk cannot grow, musl's
	 * allocator maps its metadata PROT_NONE and mprotects it read-write
	 * page by page. Nothing is ever made executable: the daemon runs
	 * only what exec loaded, so new code could only be an intruder's. */
	allow_nr(&p, SYS_brk);
#ifdef SYS_mmap2
	without_bits(&p, SYS_mmap2, 2, PROT_EXEC); /* ARM EABI: no mmap */
#elif defined(__s390x__)
	allow_nr(&p, SYS_mmap);	/* one argument, pointing to the rest */
#else
	without_bits(&p, SYS_mmap, 2, PROT_EXEC);
#endif
	without_bits(&p, SYS_mprotect, 2, PROT_EXEC);
	allow_nr(&p, SYS_munmap);
	allow_nr(&p, SYS_mremap);
	allow_nr(&p, SYS_madvise);
	/* Files: --subnet-file opened to read on SIGHUP; --metrics-file's
	 * PATH.tmp opened to write, written, renamed over PATH (unlinked
	 * if that failed). Whatever libc adds to the flags (O_LARGEFILE,
	 * O_CLOEXEC), these bits say read only, or write, create and
	 * truncate without following a symlink. */
	if (sb->metrics_dir || sb->needs_read_files) {
		uint32_t mask = O_ACCMODE | O_CREAT | O_TRUNC | O_NOFOLLOW;
		uint32_t wflags = O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW;
#ifdef SYS_open
		uint32_t calls[] = { SYS_open, SYS_openat }, args[] = { 1, 2 };
#else
		uint32_t calls[] = { SYS_openat }, args[] = { 2 };
#endif

		for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
			at = call_begin(&p, calls[i]);
			ld(&p, (uint32_t)ARG_LO(args[i]));
			emit(&p, BPF_ALU | BPF_AND | BPF_K, mask, 0, 0);
			if (sb->needs_read_files)
				allow_nr(&p, O_RDONLY);
			if (sb->metrics_dir)
				allow_nr(&p, wflags);
			ret(&p, KILL);
			call_end(&p, at);
		}
	}
	if (sb->metrics_dir) {
#ifdef SYS_rename
		allow_nr(&p, SYS_rename);
#endif
#ifdef SYS_renameat
		allow_nr(&p, SYS_renameat);
#endif
#ifdef SYS_renameat2
		allow_nr(&p, SYS_renameat2);
#endif
#ifdef SYS_unlink
		allow_nr(&p, SYS_unlink);
#endif
		allow_nr(&p, SYS_unlinkat);
	}
	/* Leaving. */
	allow_nr(&p, SYS_exit_group);
	allow_nr(&p, SYS_exit);
	allow_nr(&p, SYS_rt_sigreturn);
	allow_nr(&p, SYS_restart_syscall);
	ret(&p, KILL);
	if (p.n > PROG_MAX)
		return -E2BIG;
	fprog->len = (unsigned short)p.n;
	fprog->filter = f;
	return 0;
#else
	(void)sb;
	(void)fprog;
	return -ENOSYS;
#endif
}

static void install_seccomp(const struct sandbox *sb)
{
	struct sock_fprog fprog;
	int err = sandbox_filter(sb, &fprog);

	if (err == -ENOSYS) {
		log_warnx("seccomp_unsupported: no allow-list for this "
			  "architecture");
		return;
	}
	if (err < 0) {
		errno = -err;
		fatal("seccomp program");
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0)
		fatal("seccomp");
}

void sandbox_enter(const struct sandbox *sb)
{
	uint64_t keep = sb->keep_net_admin ? 1ULL << CAP_NET_ADMIN : 0;
	bool root = getuid() == 0 || geteuid() == 0;
	bool seccomp = sb->seccomp && !SANITIZER_BUILD;

	const char *why = root ? "-U ''" : "as started";
	struct identity nobody, id;

	/* While CAP_SETPCAP is still in the effective set. */
	drop_bounding_set(keep);
	if (root && sb->user && *sb->user) {
		named(sb, &id);
		if (sb->docker && sb->user_is_default) {
			nobody = id;
			nobody.ngroups = 0;
			choose_for_socket(sb, &nobody, &id);
		}
		why = switch_user(sb, &id) ? id.why :
		      "no CAP_SETUID or CAP_SETGID";
	}
	/* Nor through the ambient set. EINVAL: a kernel before 4.3. */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (capset_raw(keep) < 0)
		fatal("capset");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fatal("PR_SET_NO_NEW_PRIVS");
	/* With what is left: a stat needs what a connect needs. */
	if (sb->docker)
		say_socket_access(sb, why);
	/* Said before the filter, which has no getuid() in it. */
	log_info("sandbox uid=%u gid=%u capabilities=%s seccomp=%s%s",
		 (unsigned)getuid(), (unsigned)getgid(),
		 keep ? "net_admin" : "none", seccomp ? "on" : "off",
		 sb->seccomp && !seccomp ? " reason=sanitizer" : "");
	if (seccomp)
		install_seccomp(sb);
}
