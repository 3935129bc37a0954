/*
 * neigh.c - the neighbour mirror and the bounded probe tables for
 * --live, see neigh.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/neighbour.h>

#include "clock.h"
#include "log.h"
#include "neigh.h"

#define EV_RCVBUF	(4 << 20)
/* Usable: the kernel has the MAC and believes it. */
#define NUD_USABLE	(NUD_REACHABLE | NUD_PERMANENT | NUD_NOARP)
/* The kernel is asking already: wait for its word. */
#define NUD_CHECKING	(NUD_INCOMPLETE | NUD_PROBE)
/* A MAC it has not confirmed lately: STALE, or DELAY, which waits
 * delay_first_probe_time (5 s) before it asks. Asking afresh takes
 * milliseconds, while the router retries every second. */
#define NUD_UNSURE	(NUD_STALE | NUD_DELAY)

static uint32_t slot(const struct neigh *n, const struct in6_addr *a,
		     int ifindex)
{
	return ndp_addr_hash(a, (uint32_t)ifindex) &
	       (uint32_t)(n->nbuckets - 1);
}

/* The link to the entry for (a, ifindex), or NULL. */
static uint32_t *find(const struct neigh *n, const struct in6_addr *a,
		      int ifindex)
{
	uint32_t *link;

	if (!n->nbuckets)
		return NULL;
	for (link = &n->bucket[slot(n, a, ifindex)]; *link;
	     link = &n->pool[*link - 1].next) {
		const struct neigh_entry *e = &n->pool[*link - 1];

		if (e->ifindex == ifindex &&
		    memcmp(&e->addr, a, sizeof(*a)) == 0)
			return link;
	}
	return NULL;
}

uint16_t neigh_state(const struct neigh *n, const struct in6_addr *a,
		     int ifindex)
{
	uint32_t *link = find(n, a, ifindex);

	return link ? n->pool[*link - 1].state : 0;
}

static int grow(struct neigh *n)
{
	size_t cap = n->cap ? n->cap * 2 : 256, nb = cap;
	struct neigh_entry *p;
	uint32_t *b;

	if (cap > NEIGH_MIRROR_MAX)
		return -ENOSPC;
	p = reallocarray(n->pool, cap, sizeof(*p));
	if (!p)
		return -ENOMEM;
	n->pool = p;
	b = calloc(nb, sizeof(*b));
	if (!b)
		return -ENOMEM;
	free(n->bucket);
	n->bucket = b;
	n->nbuckets = nb;
	/* Rechain what is in use, then the new room as free. */
	n->free = 0;
	for (size_t i = cap; i-- > 0;) {
		if (i < n->cap && p[i].ifindex != 0) {
			uint32_t *head = &b[slot(n, &p[i].addr, p[i].ifindex)];

			p[i].next = *head;
			*head = (uint32_t)i + 1;
		} else {
			p[i].ifindex = 0;
			p[i].next = n->free;
			n->free = (uint32_t)i + 1;
		}
	}
	n->cap = cap;
	return 0;
}

static void mirror_set(struct neigh *n, const struct rtnl_neigh *e)
{
	uint32_t *link = find(n, &e->dst, e->ifindex), *head, i;
	int err;

	if (link) {
		n->pool[*link - 1].state = e->state;
		return;
	}
	if (!n->free && (err = grow(n)) < 0) {
		if (!n->said_full)
			log_warnc(-err, "neighbour_mirror entries=%zu", n->n);
		n->said_full = true;
		return;
	}
	i = n->free - 1;
	n->free = n->pool[i].next;
	n->pool[i] = (struct neigh_entry){
		.addr = e->dst, .ifindex = e->ifindex, .state = e->state,
	};
	head = &n->bucket[slot(n, &e->dst, e->ifindex)];
	n->pool[i].next = *head;
	*head = i + 1;
	n->n++;
}

static void mirror_del(struct neigh *n, const struct in6_addr *a, int ifindex)
{
	uint32_t *link = find(n, a, ifindex), i;

	if (!link)
		return;
	i = *link - 1;
	*link = n->pool[i].next;
	n->pool[i].ifindex = 0;
	n->pool[i].next = n->free;
	n->free = i + 1;
	n->n--;
}

static struct neigh_absent *absent_slot(struct neigh *n,
					const struct in6_addr *a)
{
	return &n->absent[ndp_addr_hash(a, 0) % NEIGH_ABSENT_SLOTS];
}

static bool is_absent(struct neigh *n, const struct in6_addr *a,
		      uint64_t now)
{
	const struct neigh_absent *s = absent_slot(n, a);

	return s->until_ms > now && memcmp(&s->addr, a, sizeof(*a)) == 0;
}

static struct neigh_pending *pending_for(struct neigh *n,
					 const struct in6_addr *a,
					 int ifindex)
{
	for (size_t i = 0; i < NEIGH_PENDING_MAX; i++) {
		struct neigh_pending *p = &n->pending[i];

		if (p->used && p->ifindex == ifindex &&
		    memcmp(&p->ns.target, a, sizeof(*a)) == 0)
			return p;
	}
	return NULL;
}

/* A free pending slot; those past NEIGH_PENDING_MS are free again. */
static struct neigh_pending *pending_new(struct neigh *n, uint64_t now)
{
	for (size_t i = 0; i < NEIGH_PENDING_MAX; i++) {
		struct neigh_pending *p = &n->pending[i];

		if (!p->used || now - p->since_ms > NEIGH_PENDING_MS) {
			memset(p, 0, sizeof(*p));
			return p;
		}
	}
	return NULL;
}

/* NEIGH_PROBE_RATE tokens a second, as many at most. */
static bool take_token(struct neigh *n, uint64_t now)
{
	if (now - n->refill_ms >= 1000 / NEIGH_PROBE_RATE) {
		uint64_t add = (now - n->refill_ms) * NEIGH_PROBE_RATE / 1000;

		n->tokens = add + n->tokens > NEIGH_PROBE_RATE ?
			    NEIGH_PROBE_RATE : (unsigned)(n->tokens + add);
		n->refill_ms = now;
	}
	if (!n->tokens)
		return false;
	n->tokens--;
	return true;
}

enum neigh_liveness neigh_check(struct neigh *n, const struct ndp_ns *ns,
				int ifindex)
{
	uint16_t state = neigh_state(n, &ns->target, ifindex);
	struct neigh_pending *p;
	uint64_t now;

	if (state & NUD_USABLE)
		return NEIGH_LIVE;
	now = clock_ms();
	if ((p = pending_for(n, &ns->target, ifindex)) &&
	    now - p->since_ms <= NEIGH_PENDING_MS) {
		p->ns = *ns;			/* answer the latest asker */
		return NEIGH_PROBING;
	}
	if (is_absent(n, &ns->target, now)) {
		n->c.absent++;
		return NEIGH_ABSENT;
	}
	/* The kernel checks already, or a probe is due: both wait for
	 * the kernel's word, in a slot of a bounded table. */
	if (!p && !(p = pending_new(n, now))) {
		n->c.limited++;
		return NEIGH_ABSENT;
	}
	if (!(state & NUD_CHECKING) && !take_token(n, now)) {
		p->used = false;
		n->c.limited++;
		return NEIGH_ABSENT;
	}
	p->ns = *ns;
	p->ifindex = ifindex;
	p->since_ms = now;
	p->used = true;
	p->probe = !(state & NUD_CHECKING);
	p->drop_first = (state & NUD_UNSURE) != 0;
	p->armed = !p->drop_first;
	n->work |= p->probe;
	return NEIGH_PROBING;
}

void neigh_work(struct neigh *n)
{
	int err;

	if (!n->work)
		return;
	n->work = false;
	for (size_t i = 0; i < NEIGH_PENDING_MAX; i++) {
		struct neigh_pending *p = &n->pending[i];

		if (!p->used || !p->probe)
			continue;
		p->probe = false;
		if (p->drop_first)
			(void)rtnl_neigh_del(&n->req, p->ifindex,
					     &p->ns.target);
		if ((err = rtnl_neigh_use(&n->req, p->ifindex,
					  &p->ns.target)) < 0) {
			log_warnc(-err, "neighbour_probe");
			p->used = false;
			continue;
		}
		n->c.probes++;
		if (log_enabled(LOG_DEBUG)) {
			char a[NDP_ADDR_STRLEN];

			log_debug("live_probe target=%s ifindex=%d afresh=%s",
				  ndp_format_addr(&p->ns.target, a),
				  p->ifindex, p->drop_first ? "yes" : "no");
		}
	}
	for (size_t i = 0; i < n->nclean; i++) {
		err = rtnl_neigh_del(&n->req, n->clean[i].ifindex,
				     &n->clean[i].addr);
		if (err == 0)
			n->c.cleaned++;
	}
	n->nclean = 0;
}

void neigh_update(struct neigh *n, const struct rtnl_neigh *e, bool deleted,
		  uint64_t now)
{
	struct neigh_pending *p;

	p = pending_for(n, &e->dst, e->ifindex);
	if (deleted) {
		mirror_del(n, &e->dst, e->ifindex);
		if (p)
			p->armed = true;
		return;
	}
	mirror_set(n, e);
	if (!p)
		return;
	if (log_enabled(LOG_DEBUG)) {
		char a[NDP_ADDR_STRLEN];

		log_debug("live_state target=%s state=0x%x",
			  ndp_format_addr(&e->dst, a), e->state);
	}
	if (e->state & NUD_USABLE) {
		/* Found: answer the router now, not at its next try. */
		p->used = false;
		absent_slot(n, &e->dst)->until_ms = 0;
		if (now - p->since_ms <= NEIGH_PENDING_MS && n->answer) {
			n->c.late++;
			n->answer(n->arg, &p->ns);
		}
	} else if ((e->state & NUD_FAILED) && p->armed) {
		struct neigh_absent *s = absent_slot(n, &e->dst);

		p->used = false;
		n->c.failed++;
		s->addr = e->dst;
		s->until_ms = now + NEIGH_RETRY_MS;
		/* Ours, out of the machine's one neighbour table: the
		 * FAILED entry, and the NOARP one of the solicited-node
		 * group the kernel asked (the kernel makes it again when
		 * it needs it). */
		if (n->nclean + 2 <= NEIGH_CLEAN_MAX) {
			n->clean[n->nclean].addr = e->dst;
			n->clean[n->nclean++].ifindex = e->ifindex;
			ndp_solicited_node(&e->dst, &n->clean[n->nclean].addr);
			n->clean[n->nclean++].ifindex = e->ifindex;
			n->work = true;
		}
	}
}

static int dump_cb(const struct nlmsghdr *h, void *arg)
{
	struct neigh *n = arg;
	struct rtnl_neigh e;

	if (!h) {			/* (re)started: forget the mirror */
		for (size_t i = 0; i < n->cap; i++)
			if (n->pool[i].ifindex)
				mirror_del(n, &n->pool[i].addr,
					   n->pool[i].ifindex);
		return 0;
	}
	if (rtnl_parse_neigh(h, &e) == 0)
		mirror_set(n, &e);
	return 0;
}

static int event_cb(const struct nlmsghdr *h, void *arg)
{
	struct rtnl_neigh e;

	if (h && rtnl_parse_neigh(h, &e) == 0)
		neigh_update(arg, &e, h->nlmsg_type == RTM_DELNEIGH,
			     clock_ms());
	return 0;
}

static int dump(struct neigh *n)
{
	int err = rtnl_dump(&n->req, RTM_GETNEIGH, AF_INET6, dump_cb, n);

	if (err < 0)
		log_warnc(-err, "neighbour_dump");
	return err;
}

int neigh_open(struct neigh *n)
{
	int err;

	n->ev.fd = n->req.fd = -1;
	n->tokens = NEIGH_PROBE_RATE;
	n->refill_ms = clock_ms();
	if ((err = rtnl_open(&n->ev, RTMGRP_NEIGH)) < 0 ||
	    (err = rtnl_open(&n->req, 0)) < 0)
		return err;
	rtnl_set_rcvbuf(&n->ev, EV_RCVBUF);
	return dump(n);
}

void neigh_events(struct neigh *n)
{
	int err = rtnl_read_events(&n->ev, event_cb, n);

	if (err == -ENOBUFS) {
		if (!n->said_overrun)
			log_warnx("neighbour_overrun: notifications lost, "
				  "rebuilding the mirror from a dump");
		n->said_overrun = true;
		(void)dump(n);
	} else if (err < 0) {
		log_warnc(-err, "neighbour_events");
	}
}

void neigh_log_counters(const struct neigh *n)
{
	size_t pending = 0;

	for (size_t i = 0; i < NEIGH_PENDING_MAX; i++)
		pending += n->pending[i].used;
	log_info("live_counters probes=%llu limited=%llu absent=%llu "
		 "late_answers=%llu failed=%llu cleaned=%llu pending=%zu "
		 "mirror=%zu", (unsigned long long)n->c.probes,
		 (unsigned long long)n->c.limited,
		 (unsigned long long)n->c.absent,
		 (unsigned long long)n->c.late,
		 (unsigned long long)n->c.failed,
		 (unsigned long long)n->c.cleaned, pending, n->n);
}
