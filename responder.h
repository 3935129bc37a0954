/*
 * responder.h - the answer path: take a batch of frames from the packet
 * socket's receive ring, validate each (ndp.c), ask targets.c, build and
 * send the NAs,
 * count and summarise; and the paced announcements on the same socket.
 * Nothing on it allocates or waits.
 */
#ifndef RESPONDER_H
#define RESPONDER_H

#include <stdbool.h>
#include <stdint.h>

#include "ndp.h"
#include "targets.h"
#include "uplink.h"

#define ANNOUNCE_RING	1024		/* single addresses; more: a sweep */

struct responder_counters {
	uint64_t received;		/* frames past the BPF filter */
	uint64_t answered;		/* NAs sent */
	uint64_t not_ours;		/* valid NS, target in no source */
	uint64_t unicast;		/* valid NS, unicast without -u */
	uint64_t self;			/* target is the NS's source */
	uint64_t own;			/* target is the uplink's or a gateway */
	uint64_t excluded;		/* target in an -x prefix */
	uint64_t probing;		/* --live: to answer once found */
	uint64_t oversize;		/* longer than a ring slot holds */
	uint64_t ring_full;		/* frames the kernel dropped: no slot */
	uint64_t send_errors;		/* NAs the kernel refused */
	uint64_t announced;		/* addresses announced */
	uint64_t announce_errors;	/* addresses given up on */
	uint64_t invalid[NDP_VERDICT_MAX];
};

/*
 * What is still to be announced: single addresses in a ring, and a
 * sweep over every source's addresses by index, which copies nothing.
 */
struct announce_queue {
	struct in6_addr ring[ANNOUNCE_RING];
	size_t head, n;
	bool sweep;
	size_t src, i;			/* the sweep's next: source, cursor */
	size_t prev_i;			/* the cursor before the last next */
	uint64_t batch;			/* announced since the queue filled */
	int timerfd;			/* armed while anything is queued */
	bool armed;
};

struct responder {
	const char *ifname;
	struct uplink *up;		/* MAC and state; gateway claims */
	struct targets *targets;

	int fd;				/* packet socket */
	uint8_t *ring;			/* its receive ring, mapped */
	unsigned ring_next;		/* the slot to look at next */
	int bound;			/* ifindex it was bound to last */
	int timerfd;			/* armed only while summarising */
	struct announce_queue aq;

	struct responder_counters c;
	struct responder_counters window; /* at the window's start */
	uint64_t window_logged;		/* answers of it logged one by one */
	bool window_open;
};

/* Open, filter and bind the packet socket, and the timers; before the
 * loop (fatal on failure). */
void responder_open(struct responder *r, const char *ifname,
		    struct uplink *up, struct targets *targets);
/* Bind again (the uplink was re-created). 0 or -errno. */
int responder_bind(struct responder *r);
/* The packet socket is readable, or has an error: poll's revents. */
void responder_receive(struct responder *r, short revents);
/* r->timerfd expired. */
void responder_summary_tick(struct responder *r);
/* Answer one NS now (a target --live has just found). */
void responder_answer(struct responder *r, const struct ndp_ns *ns);

/* Queue one address, or every source's, for announcement. */
void responder_announce(struct responder *r, const struct in6_addr *addr);
void responder_announce_all(struct responder *r);
/* r->aq.timerfd expired: the next few. */
void responder_announce_tick(struct responder *r);

/* The counters since the start, one line at INFO. */
void responder_log_counters(struct responder *r, const char *event);

#endif
