/*
 * uplink.h - the uplink as rtnetlink tells it: index, MAC and state,
 * followed across down/up, MAC changes and delete-and-recreate; the
 * IPv6 default gateways through it, whose neighbour entries are pinned
 * as NUD_NOARP so that the hypervisor's link-local filter cannot make
 * them fail.
 */
#ifndef UPLINK_H
#define UPLINK_H

#include <stdbool.h>

#include "ndp.h"
#include "rtnl.h"

#define UPLINK_GW_MAX	8

/* What changed, for the owner of the packet socket. */
#define UPLINK_CHANGED_INDEX	0x1	/* ifindex is new, or 0: gone */
#define UPLINK_CHANGED_MAC	0x2
#define UPLINK_CHANGED_GATEWAY	0x4
#define UPLINK_CHANGED_UP	0x8	/* it came up */

struct uplink_gw {
	struct in6_addr addr;
	uint8_t lladdr[NDP_MAC_LEN];	/* as last seen in its entry */
	uint16_t state;			/* NUD_* of its entry, 0 if none */
	bool pinned;			/* NOARP or PERMANENT with lladdr */
	bool ours;			/* we pinned it in this run */
	/* An NS from the gateway's address showed another MAC: a claim,
	 * checked by having the kernel resolve the gateway again. */
	bool claimed;			/* to verify, off the answer path */
	uint8_t claim[NDP_MAC_LEN];
	bool verifying;			/* unpinned, waiting for REACHABLE */
	bool armed;			/* from now on FAILED is the answer */
	bool has_fallback;		/* re-pin lladdr if verification fails */
	uint8_t fallback[NDP_MAC_LEN];
	uint64_t verify_ms;		/* when the verification began */
	uint64_t held_ms;		/* no new one before (a claim failed) */
};

struct uplink {
	const char *ifname;
	bool pin;			/* pin gateway neighbour entries */

	int ifindex;			/* 0 while the interface is absent */
	uint8_t mac[NDP_MAC_LEN];
	unsigned flags;			/* IFF_* */

	struct uplink_gw gw[UPLINK_GW_MAX];
	size_t ngw;
	struct in6_addr src;		/* a global address on the uplink */
	bool has_src;
	struct in6_addr *addrs;		/* all its addresses, a sorted set */
	size_t naddrs, addrs_cap;

	struct rtnl ev;			/* notifications */
	struct rtnl req;		/* requests and dumps */
	int filtered;			/* ifindex the netlink filter passes */
	int timerfd;			/* retries gateway resolution */
	unsigned retry_secs;		/* 0 while the timer is off */
	unsigned changed;		/* UPLINK_CHANGED_*, for the caller */
	bool said_absent, said_eperm;
	bool work;			/* a claim to look at: uplink_work() */
	uint64_t claims_held;		/* claims within the hold-off */
};

/*
 * Look the interface up and learn gateways and addresses. -ENODEV if it
 * does not exist, -EPFNOSUPPORT if it has no Ethernet MAC, or -errno.
 */
int uplink_init(struct uplink *u, const char *ifname, bool pin);
/* Handle what u->ev.fd has queued. */
void uplink_events(struct uplink *u);
/* Handle u->timerfd expiring. */
void uplink_timer(struct uplink *u);
/*
 * A valid NS came from addr with link-layer address mac. If addr is a
 * gateway pinned to another MAC (or not pinned yet), note a claim for
 * uplink_work(). No system call: safe on the answer path.
 */
void uplink_gateway_seen(struct uplink *u, const struct in6_addr *addr,
			 const uint8_t mac[NDP_MAC_LEN]);
/* Verify the claims noted since the last call; after a claim that
 * proved false, none for UPLINK_VERIFY_HOLDOFF_MS. Call it from the
 * loop, after the batch's answers are sent. */
void uplink_work(struct uplink *u);
#define UPLINK_VERIFY_HOLDOFF_MS 10000
/* Have the kernel resolve gw: a datagram from a global address of the
 * uplink, so that the kernel solicits from there. Never waits. */
void uplink_resolve(struct uplink *u, const struct in6_addr *gw);
/* Dump the neighbours again (the gateways' states). */
void uplink_scan_neighbours(struct uplink *u);
/* On exit: entries pinned by this run go back to NUD_STALE. */
void uplink_release(struct uplink *u);
/* Whether t is an address of the uplink or a gateway's: never ours to
 * answer for (a target_own_fn, see targets.h). */
bool uplink_is_own(const void *u, const struct in6_addr *t);
/* The first gateway, or NULL. */
const struct in6_addr *uplink_gateway(const struct uplink *u);
/* Return and clear the UPLINK_CHANGED_* bits. */
unsigned uplink_take_changes(struct uplink *u);

#endif
