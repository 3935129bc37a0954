/*
 * neigh.h - liveness for --live: a target is answered only while the
 * kernel holds a usable neighbour entry for it on the interface its
 * route leads to. Otherwise the kernel is asked to resolve it (NTF_USE;
 * no packet of ours goes inside), and the NS that asked is answered the
 * moment the entry turns REACHABLE.
 *
 * The kernel's IPv6 neighbour table is mirrored (one dump, then
 * notifications, a fresh dump after ENOBUFS). Everything a flood of NS
 * for absent targets could grow is bounded: NEIGH_PENDING_MAX targets
 * being resolved at once, NEIGH_PROBE_RATE new probes a second, a fixed
 * cache of targets found absent (not probed again for NEIGH_RETRY_MS),
 * and the FAILED entries our probes leave are deleted, since the
 * kernel's neighbour table is one for the whole machine.
 */
#ifndef NEIGH_H
#define NEIGH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ndp.h"
#include "rtnl.h"

#define NEIGH_PENDING_MAX 32		/* targets being resolved at once */
#define NEIGH_PROBE_RATE 50		/* new probes a second (a burst too) */
#define NEIGH_ABSENT_SLOTS 1024		/* targets found absent, cached */
#define NEIGH_RETRY_MS	30000		/* before one is probed again */
#define NEIGH_PENDING_MS 4000		/* 3 solicitations 1 s apart, and 1 s */
#define NEIGH_MIRROR_MAX 262144		/* entries mirrored at most */
#define NEIGH_CLEAN_MAX	64		/* entries to delete: 2 a probe */

enum neigh_liveness {
	NEIGH_LIVE,			/* usable entry: answer */
	NEIGH_PROBING,			/* being resolved: answered later */
	NEIGH_ABSENT,			/* failed, or no room to probe */
};

struct neigh_entry {
	struct in6_addr addr;
	int32_t ifindex;
	uint32_t next;			/* hash chain or free list, index + 1 */
	uint16_t state;			/* NUD_* */
	uint16_t unused;
};

struct neigh_pending {
	struct ndp_ns ns;		/* the latest NS for the target */
	int ifindex;			/* where its route leads */
	uint64_t since_ms;
	bool probe;			/* a probe to send (neigh_work) */
	bool drop_first;		/* delete a STALE entry first */
	bool armed;			/* FAILED now means absent (a delete
					   notifies FAILED, then deleted) */
	bool used;
};

struct neigh_absent {
	struct in6_addr addr;
	uint64_t until_ms;		/* 0: empty slot */
};

struct neigh_counters {
	uint64_t probes;		/* NTF_USE requests sent */
	uint64_t limited;		/* NS not probed: no room or no rate */
	uint64_t absent;		/* NS for a target found absent */
	uint64_t late;			/* NS answered once resolved */
	uint64_t failed;		/* probes that found nobody */
	uint64_t cleaned;		/* FAILED entries of ours deleted */
};

struct neigh {
	struct neigh_entry *pool;
	size_t cap, n;
	uint32_t free;
	uint32_t *bucket;
	size_t nbuckets;
	bool said_full;

	struct neigh_pending pending[NEIGH_PENDING_MAX];
	struct neigh_absent absent[NEIGH_ABSENT_SLOTS];
	struct {				/* entries our probes left */
		struct in6_addr addr;
		int ifindex;
	} clean[NEIGH_CLEAN_MAX];
	size_t nclean;
	unsigned tokens;
	uint64_t refill_ms;
	bool work;			/* probes or deletions to send */

	struct rtnl ev, req;
	bool said_overrun;
	/* A pending NS can be answered now. */
	void (*answer)(void *arg, const struct ndp_ns *ns);
	void *arg;
	struct neigh_counters c;
};

/* Open the sockets (subscribed before the dump), dump. 0 or -errno. */
int neigh_open(struct neigh *n);
/* On the answer path, memory only: may t (asked by ns) be answered,
 * its route leading to ifindex? */
enum neigh_liveness neigh_check(struct neigh *n, const struct ndp_ns *ns,
				int ifindex);
/* After a batch: send the probes and deletions it asked for. */
void neigh_work(struct neigh *n);
/* Handle what n->ev.fd has queued. */
void neigh_events(struct neigh *n);

/* One INFO line with the counters. */
void neigh_log_counters(const struct neigh *n);

/* The mirror, for the tests too: apply one entry's news. */
void neigh_update(struct neigh *n, const struct rtnl_neigh *e, bool deleted,
		  uint64_t now_ms);
/* The entry's state, or 0 if there is none. */
uint16_t neigh_state(const struct neigh *n, const struct in6_addr *a,
		     int ifindex);

#endif
