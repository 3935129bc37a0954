/*
 * routes.c - the mirror of the kernel's IPv6 routes, see routes.h.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "log.h"
#include "routes.h"

#define LOOPBACK_IFINDEX 1		/* lo, in every namespace */
#define EV_RCVBUF	(8 << 20)	/* a burst of route changes */

/* Clear the host bits: two 64-bit words in network order, no loop. */
static void mask(struct in6_addr *a, unsigned len)
{
	uint64_t w[2], m0, m1;

	m0 = len >= 64 ? ~0ull : len ? ~0ull << (64 - len) : 0;
	m1 = len >= 128 ? ~0ull : len > 64 ? ~0ull << (128 - len) : 0;
	memcpy(w, a->s6_addr, sizeof(w));
	w[0] &= htobe64(m0);
	w[1] &= htobe64(m1);
	memcpy(a->s6_addr, w, sizeof(w));
}

static uint32_t hash(const struct in6_addr *dst, uint8_t len)
{
	return ndp_addr_hash(dst, len);
}

/*
 * Where a probe for hash h starts: the first slot of a cache line (two
 * routes), so that the first two tries cost one miss. The high bits of
 * h pick the line, as a multiply (cap need not be a power of two).
 */
static size_t home(const struct route_slots *s, uint32_t h)
{
	return (size_t)(((uint64_t)h * (s->cap / 2)) >> 32) * 2;
}

static size_t step(const struct route_slots *s, size_t i)
{
	return i + 1 == s->cap ? 0 : i + 1;
}

static bool live(const struct route *e)
{
	return e->slot >= ROUTE_SLOT_BEST;
}

static bool same_dst(const struct route *e, uint32_t h,
		     const struct in6_addr *dst)
{
	return e->hash == h && memcmp(&e->dst, dst, sizeof(*dst)) == 0;
}

/* The key of a route: prefix, metric, table. */
static bool same_route(const struct route *e, uint32_t h,
		       const struct route *r)
{
	return same_dst(e, h, &r->dst) && e->metric == r->metric &&
	       (e->flags & ROUTE_LOCAL) == (r->flags & ROUTE_LOCAL);
}

/* Of two routes for one prefix, the kernel's: the local table first
 * (ip -6 rule 0), then the lowest metric. */
static bool beats(const struct route *a, const struct route *b)
{
	if ((a->flags ^ b->flags) & ROUTE_LOCAL)
		return a->flags & ROUTE_LOCAL;
	return a->metric < b->metric;
}

/*
 * A sweep's cursor (routes_next) holds a slot of the /128s' table in
 * its low CURSOR_SHIFT bits and the table's generation above them, so
 * that a cursor from before a rehash or a new dump is known for one
 * until the generation wraps: after 2^32 of them on 64 bits, 2^12 on
 * 32, where a table keeps at most 2^20 slots (600,000 routes).
 */
#define CURSOR_SHIFT	(sizeof(size_t) == 8 ? 32 : 20)
#define SLOTS_MAX	((size_t)1 << CURSOR_SHIFT)
#define GEN_MASK	(SIZE_MAX >> CURSOR_SHIFT)
#define HUGE_PAGE	((size_t)2 << 20)

/*
 * Room for the live routes and one more at a load of 0.6 (the limit is
 * 0.75): 32 to 53 bytes a route. Tombstones go; slots move, so the
 * generation changes.
 */
static int rehash(struct route_slots *s)
{
	size_t cap = (s->live + 1) * 5 / 3, bytes;
	struct route *p;
	void *m;
	int err;

	cap = cap < 4 ? 4 : (cap + 1) & ~(size_t)1;
	if (cap >= SLOTS_MAX)		/* 2^20 on 32 bits */
		return -ENOMEM;
	bytes = cap * sizeof(*p);
	if ((err = posix_memalign(&m, bytes >= HUGE_PAGE ? HUGE_PAGE : 64,
				  bytes)) != 0)
		return -err;
	/* A table of 100,000 routes spans 1,200 pages: a TLB miss (and on
	 * a VM a nested page walk) on top of the cache miss, unless the
	 * kernel backs it with huge pages. */
	if (bytes >= HUGE_PAGE)
		(void)madvise(m, bytes & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
	p = m;
	memset(p, 0, cap * sizeof(*p));
	for (size_t i = 0; i < s->cap; i++) {
		const struct route *e = &s->slot[i];
		struct route_slots ns = { .slot = p, .cap = cap };
		size_t j;

		if (!live(e))
			continue;
		for (j = home(&ns, e->hash); p[j].slot != ROUTE_SLOT_EMPTY;
		     j = step(&ns, j))
			;
		p[j] = *e;
	}
	free(s->slot);
	s->slot = p;
	s->cap = cap;
	s->dead = 0;
	s->gen++;
	return 0;
}

/* The winner for dst in s, or NULL. The packet path: no writes. */
static const struct route *find_best(const struct route_slots *s,
				     const struct in6_addr *dst, uint32_t h)
{
	for (size_t i = home(s, h);; i = step(s, i)) {
		const struct route *e = &s->slot[i];

		if (e->slot == ROUTE_SLOT_EMPTY)
			return NULL;
		if (e->slot == ROUTE_SLOT_BEST && same_dst(e, h, dst))
			return e;
	}
}

/* After the winner for dst went: the best of the rest wins. */
static void crown(struct route_slots *s, const struct in6_addr *dst,
		  uint32_t h)
{
	struct route *best = NULL;

	for (size_t i = home(s, h); s->slot[i].slot != ROUTE_SLOT_EMPTY;
	     i = step(s, i)) {
		struct route *e = &s->slot[i];

		if (live(e) && same_dst(e, h, dst) && (!best || beats(e, best)))
			best = e;
	}
	if (best)
		best->slot = ROUTE_SLOT_BEST;
}

/* Keep lens[] the lengths in use, longest first. */
static void len_used(struct route_table *t, uint8_t len)
{
	size_t i;

	for (i = t->nlens; i > 0 && t->lens[i - 1] < len; i--)
		t->lens[i] = t->lens[i - 1];
	t->lens[i] = len;
	t->nlens++;
}

static void len_unused(struct route_table *t, uint8_t len)
{
	size_t i;

	for (i = 0; t->lens[i] != len; i++)
		;
	memmove(t->lens + i, t->lens + i + 1, t->nlens - i - 1);
	t->nlens--;
}

int route_table_add(struct route_table *t, const struct route *r)
{
	struct route_slots *s;
	struct route *e, *hole, *best;
	uint32_t h;
	size_t i;
	int err;

	if (r->len > 128)
		return -EINVAL;
	s = &t->by_len[r->len];
	h = hash(&r->dst, r->len);
	if (!s->cap && (err = rehash(s)) < 0)
		return err;
again:
	hole = best = NULL;
	for (i = home(s, h); (e = &s->slot[i])->slot != ROUTE_SLOT_EMPTY;
	     i = step(s, i)) {
		if (e->slot == ROUTE_SLOT_DEAD) {
			if (!hole)
				hole = e;
		} else if (same_route(e, h, r)) {	/* replaced */
			e->oif = r->oif;
			e->type = r->type;
			e->flags = r->flags;
			return 0;
		} else if (e->slot == ROUTE_SLOT_BEST && same_dst(e, h,
								   &r->dst)) {
			best = e;
		}
	}
	/* A tombstone is reused; an empty slot is one more in use. */
	if (!hole) {
		if (s->live + s->dead + 1 > s->cap * 3 / 4) {
			if ((err = rehash(s)) < 0)
				return err;
			goto again;
		}
		hole = e;
	} else {
		s->dead--;
	}
	*hole = *r;
	hole->hash = h;
	if (best && !beats(hole, best)) {
		hole->slot = ROUTE_SLOT_SHADOWED;
	} else {
		if (best)
			best->slot = ROUTE_SLOT_SHADOWED;
		hole->slot = ROUTE_SLOT_BEST;
	}
	if (s->live++ == 0)
		len_used(t, r->len);
	t->n++;
	return 0;
}

/*
 * A deleted route leaves a tombstone, not a backward shift: no live
 * route ever moves but in a rehash, so the announcement sweep's cursor
 * (routes_next) stays good through deletes, and a lookup's probe is as
 * short as before. A tombstone that ends a run becomes empty again,
 * with those before it; the rest go in the next rehash.
 */
void route_table_del(struct route_table *t, const struct route *r)
{
	struct route_slots *s;
	struct route *e;
	uint32_t h;
	size_t i;
	bool was_best;

	if (r->len > 128 || !(s = &t->by_len[r->len])->live)
		return;
	h = hash(&r->dst, r->len);
	for (i = home(s, h);; i = step(s, i)) {
		e = &s->slot[i];
		if (e->slot == ROUTE_SLOT_EMPTY)
			return;
		if (live(e) && same_route(e, h, r))
			break;
	}
	was_best = e->slot == ROUTE_SLOT_BEST;
	e->slot = ROUTE_SLOT_DEAD;
	s->dead++;
	s->live--;
	t->n--;
	if (was_best)
		crown(s, &e->dst, h);
	if (s->slot[step(s, i)].slot == ROUTE_SLOT_EMPTY)
		for (; s->slot[i].slot == ROUTE_SLOT_DEAD;
		     i = i ? i - 1 : s->cap - 1) {
			s->slot[i].slot = ROUTE_SLOT_EMPTY;
			s->dead--;
		}
	if (s->live == 0)
		len_unused(t, r->len);
}

void route_table_clear(struct route_table *t)
{
	for (size_t len = 0; len <= 128; len++) {
		struct route_slots *s = &t->by_len[len];

		if (s->cap)
			memset(s->slot, 0, s->cap * sizeof(*s->slot));
		s->live = s->dead = 0;
		s->gen++;
	}
	t->n = t->nlens = 0;
}

void route_table_free(struct route_table *t)
{
	for (size_t len = 0; len <= 128; len++)
		free(t->by_len[len].slot);
	memset(t, 0, sizeof(*t));
}

size_t route_table_bytes(const struct route_table *t)
{
	size_t b = 0;

	for (size_t len = 0; len <= 128; len++)
		b += t->by_len[len].cap * sizeof(struct route);
	return b;
}

bool route_inward(const struct route *r, int uplink)
{
	return r->type == RTN_UNICAST && !(r->flags & (ROUTE_LOCAL |
						      ROUTE_MIXED)) &&
	       r->oif != 0 && r->oif != uplink && r->oif != LOOPBACK_IFINDEX;
}

static bool onlink_uplink(const struct route *r, int uplink)
{
	return r->type == RTN_UNICAST && r->oif == uplink && r->len > 0 &&
	       !(r->flags & (ROUTE_LOCAL | ROUTE_GATEWAY | ROUTE_MIXED));
}

void route_table_lookup(const struct route_table *t, const struct in6_addr *a,
			int uplink, struct route_verdict *v)
{
	memset(v, 0, sizeof(*v));
	for (size_t k = 0; k < t->nlens; k++) {
		uint8_t len = t->lens[k];
		const struct route *best;
		struct in6_addr key = *a;

		mask(&key, len);
		best = find_best(&t->by_len[len], &key, hash(&key, len));
		if (!best)
			continue;
		/* ip -6 rule 0: the local table comes first. */
		if (best->flags & ROUTE_LOCAL) {
			v->own = true;
			v->best = NULL;
			return;
		}
		/* On: a shorter local route still makes it our own. */
		if (!v->best)
			v->best = best;
		else if (onlink_uplink(best, uplink))
			v->onlink_uplink = true;
	}
}

bool route_from_rtnl(const struct rtnl_route *m, uint32_t table,
		     struct route *r)
{
	bool local = m->table == RT_TABLE_LOCAL;

	if (m->family != AF_INET6 || m->src_len > 0 || m->dead ||
	    (!local && m->table != table))
		return false;
	if (local && m->type != RTN_LOCAL && m->type != RTN_ANYCAST)
		return false;
	memset(r, 0, sizeof(*r));
	r->dst = m->dst;
	mask(&r->dst, m->dst_len);
	r->len = m->dst_len;
	r->metric = m->metric;
	r->type = m->type;
	r->oif = m->noif ? m->oif[0] : 0;
	if (local)
		r->flags |= ROUTE_LOCAL;
	if (m->nnh > 0)
		r->flags |= ROUTE_GATEWAY;
	for (size_t i = 1; i < m->noif; i++)
		if (m->oif[i] != m->oif[0])
			r->flags |= ROUTE_MIXED;
	if (m->more_oifs)
		r->flags |= ROUTE_MIXED;
	return true;
}

/* ---------------------------------------------------------------- source */

/* Whether the kernel routes a inward, and within our scope; the route. */
static const struct route *scoped(const struct routes *rt,
				  const struct in6_addr *a)
{
	struct route_verdict v;

	route_table_lookup(&rt->t, a, *rt->uplink, &v);
	if (!v.best || !route_inward(v.best, *rt->uplink))
		return NULL;
	if (rt->scope && ndp_prefix_set_contains(rt->scope, a))
		return v.best;
	if (rt->autoscope && v.onlink_uplink)
		return v.best;
	return NULL;
}

/*
 * A guest's own /128 (LXC, Incus routed NICs) says the address is in
 * use; a wider inward route only that it may be. With --live either is
 * in use only while the kernel holds a usable neighbour entry for it on
 * the route's device, which then answers unicast (NUD) probes too.
 */
enum target_match routes_match(void *ctx, const struct ndp_ns *ns)
{
	struct routes *rt = ctx;
	const struct route *r = scoped(rt, &ns->target);

	if (!r)
		return TARGET_NONE;
	if (rt->live) {
		switch (neigh_check(rt->live, ns, r->oif)) {
		case NEIGH_LIVE:
			return TARGET_IN_USE;
		case NEIGH_PROBING:
			return TARGET_PROBE;
		case NEIGH_ABSENT:
			return TARGET_NONE;
		}
	}
	return r->len == 128 ? TARGET_IN_USE : TARGET_PREFIX;
}

/*
 * The cursor is a slot of the /128s' table and, above it, the table's
 * generation: after a rehash (growth, or a new dump) the sweep starts
 * over, as a repeat costs an NA and a miss a router's NS.
 */
const struct in6_addr *routes_next(const void *ctx, size_t *cursor)
{
	const struct routes *rt = ctx;
	const struct route_slots *s = &rt->t.by_len[128];
	size_t gen = s->gen & GEN_MASK, i = *cursor & (SLOTS_MAX - 1);

	if (*cursor >> CURSOR_SHIFT != gen)
		i = 0;
	while (i < s->cap) {
		const struct route *e = &s->slot[i++];

		if (e->slot == ROUTE_SLOT_BEST && !(e->flags & ROUTE_LOCAL) &&
		    scoped(rt, &e->dst) == e) {
			*cursor = gen << CURSOR_SHIFT | i;
			return &e->dst;
		}
	}
	*cursor = gen << CURSOR_SHIFT | i;
	return NULL;
}

static void apply(struct routes *rt, const struct nlmsghdr *h, bool events)
{
	struct rtnl_route m;
	struct route r;
	int err;

	if (rtnl_parse_route(h, &m) < 0 || !route_from_rtnl(&m, rt->table, &r))
		return;
	if (h->nlmsg_type == RTM_DELROUTE) {
		route_table_del(&rt->t, &r);
		return;
	}
	if ((err = route_table_add(&rt->t, &r)) < 0) {
		log_warnc(-err, "route_mirror routes=%zu", rt->t.n);
		return;
	}
	/* A new guest: tell the router, as for a new container. */
	if (events && r.len == 128 && rt->announce && scoped(rt, &r.dst))
		rt->announce(rt->arg, &r.dst);
}

static int dump_cb(const struct nlmsghdr *h, void *arg)
{
	struct routes *rt = arg;

	if (!h)
		route_table_clear(&rt->t);	/* (re)started */
	else
		apply(rt, h, false);
	return 0;
}

static int event_cb(const struct nlmsghdr *h, void *arg)
{
	if (h && (h->nlmsg_type == RTM_NEWROUTE ||
		  h->nlmsg_type == RTM_DELROUTE))
		apply(arg, h, true);
	return 0;
}

static int dump(struct routes *rt)
{
	int err = rtnl_dump(&rt->req, RTM_GETROUTE, AF_INET6, dump_cb, rt);

	if (err < 0)
		log_warnc(-err, "route_dump");
	else
		log_debug("route_mirror routes=%zu bytes=%zu", rt->t.n,
			  route_table_bytes(&rt->t));
	return err;
}

int routes_open(struct routes *rt)
{
	int err;

	rt->ev.fd = rt->req.fd = -1;
	if ((err = rtnl_open(&rt->ev, RTMGRP_IPV6_ROUTE)) < 0 ||
	    (err = rtnl_open(&rt->req, 0)) < 0)
		return err;
	/* Fewer overruns in a burst (ip -batch of thousands). */
	rtnl_set_rcvbuf(&rt->ev, EV_RCVBUF);
	return dump(rt);
}

void routes_events(struct routes *rt)
{
	int err = rtnl_read_events(&rt->ev, event_cb, rt);

	if (err == -ENOBUFS) {
		/* Lost some: the mirror is rebuilt whole, said once. */
		rt->overruns++;
		if (!rt->said_overrun)
			log_warnx("route_overrun: notifications lost, "
				  "rebuilding the mirror from a dump");
		rt->said_overrun = true;
		(void)dump(rt);
	} else if (err < 0) {
		log_warnc(-err, "route_events");
	}
}

void routes_reload(struct routes *rt)
{
	(void)dump(rt);
}

