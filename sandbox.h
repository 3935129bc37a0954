/*
 * sandbox.h - after setup: drop to an unprivileged user, keep only the
 * capabilities still needed, set no_new_privs, install a seccomp
 * allow-list. No libcap, no libseccomp.
 */
#ifndef SANDBOX_H
#define SANDBOX_H

#include <stdbool.h>

struct sandbox {
	const char *user;	/* switch to it when root; NULL or "" stays */
	bool user_is_default;	/* not from -U: no CAP_SETUID is no error */
	bool keep_net_admin;	/* gateway pinning needs CAP_NET_ADMIN */
	bool docker;		/* join the Docker socket's group */
	const char *docker_socket;
	bool seccomp;
};

/* Before the loop starts; fatal() on failure. */
void sandbox_enter(const struct sandbox *sb);

#endif
