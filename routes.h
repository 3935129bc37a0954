/*
 * routes.h - the kernel's IPv6 routes, mirrored in memory, as a source
 * of targets: -r PREFIX and --auto answer a target when the kernel
 * routes it inward, out of an interface other than the uplink and lo.
 *
 * One dump at start, then RTM_NEWROUTE/RTM_DELROUTE notifications on a
 * socket of its own; after ENOBUFS, a fresh dump. A lookup is a
 * longest-prefix match in memory, a hash probe per prefix length in
 * use, each in that length's own table (the short ones small and in
 * cache): nothing is polled, and nothing on the answer path waits.
 *
 * As the kernel decides for a packet from outside (ip -6 rule: local
 * table first, then main or --table), with these simplifications:
 * - the local table only says "the host's own" (RTN_LOCAL, ANYCAST);
 * - source-specific routes ("from", rtm_src_len > 0) are left out: a
 *   route for some sources is not the route for the router's traffic;
 * - of routes for the same prefix the lowest metric wins; a route the
 *   kernel flags dead is left out, link state is not looked at;
 * - a multipath route is inward only if every nexthop is.
 */
#ifndef ROUTES_H
#define ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ndp.h"
#include "neigh.h"
#include "rtnl.h"
#include "targets.h"

/* One route: 32 bytes, two to a cache line. */
struct route {
	struct in6_addr dst;		/* host bits clear */
	uint32_t metric;
	int32_t oif;			/* first nexthop's device */
	uint32_t hash;			/* the mirror's: of dst and len */
	uint8_t len;
	uint8_t type;			/* RTN_* */
	uint8_t flags;			/* ROUTE_* */
	uint8_t slot;			/* the mirror's: ROUTE_SLOT_* */
};

#define ROUTE_LOCAL	0x1		/* from the local table */
#define ROUTE_GATEWAY	0x2		/* via a gateway */
#define ROUTE_MIXED	0x4		/* nexthops on several devices */
#define ROUTE_OUTWARD	0x8		/* some nexthop is out of the uplink
					   or lo (multipath) */

/* A slot of the mirror: empty (ends a probe), a deleted route's (a
 * tombstone: the probe goes on), the route that wins for its prefix,
 * or one that loses to another for the same prefix (local table or a
 * lower metric). */
#define ROUTE_SLOT_EMPTY	0
#define ROUTE_SLOT_DEAD		1
#define ROUTE_SLOT_BEST		2
#define ROUTE_SLOT_SHADOWED	3

/*
 * The routes of one prefix length, inline in an open-addressed array
 * (linear probing from the start of a cache line): a lookup that hits
 * reads the line it lands on, mostly no other. The winner for a prefix
 * is marked where it lies, so a lookup never looks at the losers.
 */
struct route_slots {
	struct route *slot;		/* cap of them, 64-byte aligned */
	size_t cap;			/* even, or 0 */
	size_t live, dead;		/* routes; tombstones */
	unsigned gen;			/* rehashes: a sweep's cursor is stale */
};

/*
 * The mirror. Pure: no system calls but memory management (a table of
 * 2 MB or more is advised into huge pages: one TLB entry, not 512);
 * it allocates only as routes come and go, never on lookup.
 */
struct route_table {
	struct route_slots by_len[129];
	size_t n;			/* routes */
	uint8_t lens[129];		/* lengths in use, longest first */
	size_t nlens;
};

/* What the kernel's route for an address says. */
struct route_verdict {
	const struct route *best;	/* NULL: no route (or the host's own) */
	bool own;			/* the host's own address */
	bool onlink_uplink;		/* a shorter on-link route out of the
					   uplink covers it (--auto) */
};

/* Insert or replace the route (dst/len, metric, local or not); remove
 * it. 0, -EINVAL (len > 128) or -ENOMEM; remove of a route not there
 * is a no-op. */
int route_table_add(struct route_table *t, const struct route *r);
void route_table_del(struct route_table *t, const struct route *r);
void route_table_clear(struct route_table *t);
void route_table_free(struct route_table *t);
/* The kernel's choice for a (from outside), see above; uplink is the
 * uplink's ifindex, for --auto's on-link test. */
void route_table_lookup(const struct route_table *t, const struct in6_addr *a,
			int uplink, struct route_verdict *v);
/* Bytes held, for the benchmark's bytes per route. */
size_t route_table_bytes(const struct route_table *t);
/* Fill r from a parsed RTM_NEWROUTE/DELROUTE in table (or the local
 * table); false if it is none of ours (another table, source-specific,
 * not IPv6). */
bool route_from_rtnl(const struct rtnl_route *m, uint32_t table,
		     struct route *r);

/* Why a route is not an answer; for the counters and tests. */
bool route_inward(const struct route *r, int uplink);

/* The source: the mirror, its scope, its sockets. */
struct routes {
	struct route_table t;
	const struct ndp_prefix_set *scope;	/* -r, or NULL */
	bool autoscope;			/* --auto: on-link on the uplink */
	uint32_t table;			/* --table, default main (254) */
	const int *uplink;		/* the uplink's ifindex, as it changes */
	struct neigh *live;		/* --live, or NULL */

	struct rtnl ev, req;
	bool said_overrun;
	uint64_t overruns;
	/* A new inward /128 in scope: announce it. */
	void (*announce)(void *arg, const struct in6_addr *a);
	void *arg;
};

/* Open the sockets (subscribed before the dump) and dump. 0 or -errno. */
int routes_open(struct routes *rt);
/* Handle what rt->ev.fd has queued. */
void routes_events(struct routes *rt);
/* SIGHUP: the mirror rebuilt from a fresh dump. */
void routes_reload(struct routes *rt);

/* As a source of targets (targets.h). */
enum target_match routes_match(void *rt, const struct ndp_ns *ns);
const struct in6_addr *routes_next(const void *rt, size_t *cursor);

#endif
