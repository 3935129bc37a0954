/*
 * check.h - --check: look at the host as the daemon would use it, answer
 * and pin nothing, and say in plain words what would keep the targets
 * unreachable, each with its fix: the uplink, forwarding, accept_ra,
 * routes to the prefixes, proxy_ndp, the gateway, the container engine.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ndp.h"

struct docker;

struct check {
	const char *ifname;
	const struct ndp_prefix_set *statics;	/* -n: must be routed inward */
	const struct ndp_prefix_set *routed;	/* -r */
	bool autoscope;			/* --auto */
	unsigned table;			/* -r/--auto's table */
	const struct docker *docker;	/* -N, or NULL */
	const char *sysctl_root;	/* "/proc/sys", for the tests */
};

/* Print one line per finding on stdout; the number of findings, or -1
 * when the check itself could not run. */
int check_run(const struct check *c);

#endif
