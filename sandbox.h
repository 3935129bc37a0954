/*
 * sandbox.h - after setup: drop to an unprivileged user (or the one the
 * container engine's socket needs), keep only the capabilities still
 * needed, set no_new_privs, install a seccomp allow-list. No libcap, no
 * libseccomp.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdbool.h>

struct sandbox {
	const char *user;	/* switch to it when root; NULL or "" stays */
	bool user_is_default;	/* not from -U: no CAP_SETUID is no error,
				 * and with docker the socket decides */
	bool keep_net_admin;	/* gateway pinning needs CAP_NET_ADMIN */
	/* The loop connects to the container engine's socket: run as one
	 * who may (its group; its owner if only the owner may), and say
	 * whom, or warn that -U's user cannot. */
	bool docker;
	const char *docker_socket;
	bool seccomp;
	/* What the loop opens, for the allow-list: */
	bool needs_unix_socket;	/* Docker's API socket (-N) */
	bool needs_inet6_dgram;	/* a datagram to solicit the gateway */
	/* --metrics-file: the file is written anew (PATH.tmp, renamed)
	 * in this directory; join its group if it is group-writable. */
	const char *metrics_dir;
	bool needs_read_files;	/* --subnet-file, read again on SIGHUP */
};

struct sock_fprog;

/* Before the loop starts; fatal() on failure. */
void sandbox_enter(const struct sandbox *sb);
/* The seccomp program for sb, in static storage, made without a system
 * call (the tests install it too): 0, -ENOSYS where this architecture
 * has no allow-list, or -E2BIG. */
int sandbox_filter(const struct sandbox *sb, struct sock_fprog *fprog);

#endif
