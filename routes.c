/*
 * routes.c - the mirror of the kernel's IPv6 routes, see routes.h.
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "routes.h"

#define FREE_LEN	0xff		/* route.len of a free entry */
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

static bool same_key(const struct route *e, const struct in6_addr *dst,
		     uint8_t len)
{
	return e->len == len && memcmp(&e->dst, dst, sizeof(*dst)) == 0;
}

static void link_bucket(struct route_table *t, uint32_t i)
{
	uint32_t *head = &t->bucket[hash(&t->pool[i].dst, t->pool[i].len) &
				    (t->nbuckets - 1)];

	t->pool[i].next = *head;
	*head = i + 1;
}

/* Load factor at most 1: chains stay short. */
static int grow_buckets(struct route_table *t)
{
	size_t nb = t->nbuckets ? t->nbuckets * 2 : 64;
	uint32_t *b = calloc(nb, sizeof(*b));

	if (!b)
		return -ENOMEM;
	free(t->bucket);
	t->bucket = b;
	t->nbuckets = nb;
	for (size_t i = 0; i < t->cap; i++)
		if (t->pool[i].len != FREE_LEN)
			link_bucket(t, (uint32_t)i);
	return 0;
}

/* A free entry, from the free list or a larger pool (x1.5). */
static int alloc_entry(struct route_table *t, uint32_t *out)
{
	if (!t->free) {
		size_t cap = t->cap < 64 ? 64 : t->cap + t->cap / 2;
		struct route *p;

		if (cap > UINT32_MAX - 1)
			return -ENOMEM;
		p = reallocarray(t->pool, cap, sizeof(*p));
		if (!p)
			return -ENOMEM;
		t->pool = p;
		for (size_t i = cap; i-- > t->cap;) {
			p[i].len = FREE_LEN;
			p[i].next = t->free;
			t->free = (uint32_t)i + 1;
		}
		t->cap = cap;
	}
	*out = t->free - 1;
	t->free = t->pool[*out].next;
	return 0;
}

/* Keep lens[] the lengths in use, longest first. */
static void count_len(struct route_table *t, uint8_t len, int delta)
{
	size_t i;

	if (delta > 0 && t->count[len]++ == 0) {
		for (i = t->nlens; i > 0 && t->lens[i - 1] < len; i--)
			t->lens[i] = t->lens[i - 1];
		t->lens[i] = len;
		t->nlens++;
	} else if (delta < 0 && --t->count[len] == 0) {
		for (i = 0; t->lens[i] != len; i++)
			;
		memmove(t->lens + i, t->lens + i + 1, t->nlens - i - 1);
		t->nlens--;
	}
}

/* The entry for r's prefix, metric and table, and where it hangs. */
static uint32_t *find(const struct route_table *t, const struct route *r)
{
	uint32_t *link;

	if (!t->nbuckets)
		return NULL;
	link = &t->bucket[hash(&r->dst, r->len) & (t->nbuckets - 1)];
	for (; *link; link = &t->pool[*link - 1].next) {
		const struct route *e = &t->pool[*link - 1];

		if (same_key(e, &r->dst, r->len) && e->metric == r->metric &&
		    (e->flags & ROUTE_LOCAL) == (r->flags & ROUTE_LOCAL))
			return link;
	}
	return NULL;
}

int route_table_add(struct route_table *t, const struct route *r)
{
	uint32_t *link = find(t, r), i;
	int err;

	if (link) {			/* replaced */
		i = *link - 1;
		t->pool[i].oif = r->oif;
		t->pool[i].type = r->type;
		t->pool[i].flags = r->flags;
		return 0;
	}
	if (t->n + 1 > t->nbuckets && (err = grow_buckets(t)) < 0)
		return err;
	if ((err = alloc_entry(t, &i)) < 0)
		return err;
	t->pool[i] = *r;
	t->pool[i].unused = 0;
	link_bucket(t, i);
	t->n++;
	count_len(t, r->len, 1);
	return 0;
}

void route_table_del(struct route_table *t, const struct route *r)
{
	uint32_t *link = find(t, r), i;

	if (!link)
		return;
	i = *link - 1;
	*link = t->pool[i].next;
	count_len(t, t->pool[i].len, -1);
	t->pool[i].len = FREE_LEN;
	t->pool[i].next = t->free;
	t->free = i + 1;
	t->n--;
}

void route_table_clear(struct route_table *t)
{
	t->free = 0;
	for (size_t i = t->cap; i-- > 0;) {
		t->pool[i].len = FREE_LEN;
		t->pool[i].next = t->free;
		t->free = (uint32_t)i + 1;
	}
	if (t->bucket)
		memset(t->bucket, 0, t->nbuckets * sizeof(*t->bucket));
	memset(t->count, 0, sizeof(t->count));
	t->n = t->nlens = 0;
}

void route_table_free(struct route_table *t)
{
	free(t->pool);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

size_t route_table_bytes(const struct route_table *t)
{
	return t->cap * sizeof(*t->pool) + t->nbuckets * sizeof(*t->bucket);
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
		const struct route *best = NULL;
		struct in6_addr key = *a;
		uint32_t i;

		mask(&key, len);
		i = t->bucket[hash(&key, len) & (t->nbuckets - 1)];
		for (; i; i = t->pool[i - 1].next) {
			const struct route *e = &t->pool[i - 1];

			if (!same_key(e, &key, len))
				continue;
			/* ip -6 rule 0: the local table comes first. */
			if (e->flags & ROUTE_LOCAL) {
				v->own = true;
				v->best = NULL;
				return;
			}
			if (!best || e->metric < best->metric)
				best = e;
		}
		if (!best)
			continue;
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

const struct in6_addr *routes_next(const void *ctx, size_t *cursor)
{
	const struct routes *rt = ctx;

	while (*cursor < rt->t.cap) {
		const struct route *e = &rt->t.pool[(*cursor)++];

		if (e->len == 128 && !(e->flags & ROUTE_LOCAL) &&
		    scoped(rt, &e->dst) == e)
			return &e->dst;
	}
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

