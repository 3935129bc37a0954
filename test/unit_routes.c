/*
 * test/unit_routes.c - unit tests of routes.c's mirror: insert, replace,
 * delete, longest-prefix match with metrics, the local table first, the
 * on-link test of --auto, and a cross-check against a brute-force scan.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "routes.h"
#include "unit.h"

#define UPLINK	2
#define INSIDE	5

static struct in6_addr ip6(const char *text)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, text, &a) != 1) {
		fprintf(stderr, "unit_routes: bad address %s\n", text);
		abort();
	}
	return a;
}

/* A route: "dst", len, metric, device, RTN_* type, ROUTE_* flags. */
static struct route rt(const char *dst, unsigned len, uint32_t metric,
		       int oif, uint8_t type, uint8_t flags)
{
	struct route r = {
		.dst = ip6(dst), .len = (uint8_t)len, .metric = metric,
		.oif = oif, .type = type, .flags = flags,
	};

	return r;
}

static const struct route *best(const struct route_table *t, const char *a)
{
	struct route_verdict v;
	struct in6_addr x = ip6(a);

	route_table_lookup(t, &x, UPLINK, &v);
	return v.best;
}

static void test_lpm_and_metric(void)
{
	struct route_table t = { .n = 0 };
	struct route r64 = rt("2001:db8:1::", 64, 256, UPLINK, RTN_UNICAST, 0);
	struct route r112 = rt("2001:db8:1::1:0", 112, 1024, INSIDE,
			       RTN_UNICAST, 0);
	struct route r112b = rt("2001:db8:1::1:0", 112, 100, 7, RTN_UNICAST,
				0);
	struct route h = rt("2001:db8:1::1:10", 128, 1024, INSIDE,
			    RTN_UNICAST, 0);
	const struct route *b;

	CHECK_EQ(route_table_add(&t, &r64), 0);
	CHECK_EQ(route_table_add(&t, &r112), 0);
	CHECK_EQ(route_table_add(&t, &h), 0);
	CHECK_EQ(t.n, 3);
	b = best(&t, "2001:db8:1::1:10");
	CHECK(b && b->len == 128);
	b = best(&t, "2001:db8:1::1:11");
	CHECK(b && b->len == 112 && b->oif == INSIDE);
	b = best(&t, "2001:db8:1::2:11");
	CHECK(b && b->len == 64 && b->oif == UPLINK);
	CHECK(best(&t, "2001:db8:2::1") == NULL);
	/* The same prefix, a lower metric: that one wins. */
	CHECK_EQ(route_table_add(&t, &r112b), 0);
	b = best(&t, "2001:db8:1::1:11");
	CHECK(b && b->oif == 7);
	route_table_del(&t, &r112b);
	b = best(&t, "2001:db8:1::1:11");
	CHECK(b && b->oif == INSIDE);
	/* Replace in place: the same prefix and metric, another device. */
	r112.oif = 9;
	CHECK_EQ(route_table_add(&t, &r112), 0);
	CHECK_EQ(t.n, 3);
	b = best(&t, "2001:db8:1::1:11");
	CHECK(b && b->oif == 9);
	/* Deleting what is not there changes nothing. */
	route_table_del(&t, &r112b);
	CHECK_EQ(t.n, 3);
	route_table_del(&t, &h);
	b = best(&t, "2001:db8:1::1:10");
	CHECK(b && b->len == 112);
	CHECK_EQ(t.nlens, 2);
	route_table_free(&t);
}

/* ip -6 rule: the local table first, at any length. */
static void test_local_first(void)
{
	struct route_table t = { .n = 0 };
	struct route in = rt("2001:db8:1::1:0", 112, 1024, INSIDE,
			     RTN_UNICAST, 0);
	struct route own = rt("2001:db8:1::1:1", 128, 0, INSIDE, RTN_LOCAL,
			      ROUTE_LOCAL);
	struct route anyip = rt("2001:db8:7::", 48, 0, 1, RTN_LOCAL,
				ROUTE_LOCAL);
	struct route more = rt("2001:db8:7::5", 128, 1024, INSIDE,
			       RTN_UNICAST, 0);
	struct route_verdict v;
	struct in6_addr a;

	route_table_add(&t, &in);
	route_table_add(&t, &own);
	route_table_add(&t, &anyip);
	route_table_add(&t, &more);
	a = ip6("2001:db8:1::1:1");
	route_table_lookup(&t, &a, UPLINK, &v);
	CHECK(v.own && !v.best);
	a = ip6("2001:db8:1::1:2");
	route_table_lookup(&t, &a, UPLINK, &v);
	CHECK(!v.own && v.best && v.best->len == 112);
	/* A shorter local route beats a longer main one. */
	a = ip6("2001:db8:7::5");
	route_table_lookup(&t, &a, UPLINK, &v);
	CHECK(v.own && !v.best);
	route_table_free(&t);
}

static void test_inward_and_onlink(void)
{
	struct route_table t = { .n = 0 };
	struct route onlink = rt("2001:db8:1::", 64, 256, UPLINK, RTN_UNICAST,
				 0);
	struct route dflt = rt("::", 0, 1024, UPLINK, RTN_UNICAST,
			       ROUTE_GATEWAY);
	struct route guest = rt("2001:db8:1::1:10", 128, 1024, INSIDE,
				RTN_UNICAST, 0);
	struct route far = rt("2001:db8:9::10", 128, 1024, INSIDE,
			      RTN_UNICAST, 0);
	struct route_verdict v;
	struct in6_addr a;

	route_table_add(&t, &onlink);
	route_table_add(&t, &dflt);
	route_table_add(&t, &guest);
	route_table_add(&t, &far);
	a = ip6("2001:db8:1::1:10");
	route_table_lookup(&t, &a, UPLINK, &v);
	CHECK(v.best && route_inward(v.best, UPLINK) && v.onlink_uplink);
	/* Inward, but covered only by the default route: not on-link. */
	a = ip6("2001:db8:9::10");
	route_table_lookup(&t, &a, UPLINK, &v);
	CHECK(v.best && route_inward(v.best, UPLINK) && !v.onlink_uplink);
	/* The on-link route itself is no inward route. */
	a = ip6("2001:db8:1::99");
	route_table_lookup(&t, &a, UPLINK, &v);
	CHECK(v.best && !route_inward(v.best, UPLINK));
	/* Reject types, lo, no device, several devices: never inward. */
	CHECK(!route_inward(&(struct route){ .type = RTN_UNREACHABLE,
					     .oif = 1 }, UPLINK));
	CHECK(!route_inward(&(struct route){ .type = RTN_BLACKHOLE,
					     .oif = INSIDE }, UPLINK));
	CHECK(!route_inward(&(struct route){ .type = RTN_UNICAST, .oif = 1 },
			    UPLINK));
	CHECK(!route_inward(&(struct route){ .type = RTN_UNICAST, .oif = 0 },
			    UPLINK));
	CHECK(!route_inward(&(struct route){ .type = RTN_UNICAST,
					     .oif = INSIDE,
					     .flags = ROUTE_MIXED }, UPLINK));
	CHECK(route_inward(&(struct route){ .type = RTN_UNICAST,
					    .oif = INSIDE }, UPLINK));
	route_table_free(&t);
}

/* 5,000 random routes of a few lengths, half deleted again, then
 * 5,000 lookups against a scan of a plain array; and the bytes a
 * route stay under 64. */
static void test_random_cross_check(void)
{
	static struct route all[5000];
	static bool live[5000];
	static const uint8_t lens[] = { 48, 64, 96, 112, 120, 128 };
	struct route_table t = { .n = 0 };
	uint32_t seed = 7;
	size_t nlive = 0;

	for (size_t i = 0; i < 5000; i++) {
		struct route *r = &all[i];
		unsigned len;

		memset(r, 0, sizeof(*r));
		r->dst = ip6("2001:db8::");
		seed = seed * 1103515245 + 12345;
		len = lens[(seed >> 16) % 6];
		for (unsigned b = 6; b < 16; b++) {
			seed = seed * 1103515245 + 12345;
			r->dst.s6_addr[b] = (uint8_t)((seed >> 16) & 3);
		}
		for (unsigned b = 0; b < 16; b++) {
			unsigned bits = len > b * 8 ? len - b * 8 : 0;

			if (bits < 8)
				r->dst.s6_addr[b] &=
					(uint8_t)(0xff00 >> bits);
		}
		r->len = (uint8_t)len;
		r->metric = (seed >> 8) % 3;
		r->oif = (int)(seed % 7) + 2;
		r->type = RTN_UNICAST;
		CHECK_EQ(route_table_add(&t, r), 0);
		live[i] = true;
		/* An identical key replaces: only the newest is live. */
		for (size_t j = 0; j < i; j++)
			if (live[j] && all[j].len == r->len &&
			    all[j].metric == r->metric &&
			    memcmp(&all[j].dst, &r->dst, 16) == 0)
				live[j] = false;
	}
	for (size_t i = 0; i < 5000; i += 2) {
		if (live[i])
			route_table_del(&t, &all[i]);
		live[i] = false;
	}
	for (size_t i = 0; i < 5000; i++)
		nlive += live[i];
	CHECK_EQ(t.n, nlive);
	for (size_t k = 0; k < 5000; k++) {
		const struct route *want = NULL, *got;
		struct in6_addr a = ip6("2001:db8::");
		struct route_verdict v;

		for (unsigned b = 6; b < 16; b++) {
			seed = seed * 1103515245 + 12345;
			a.s6_addr[b] = (uint8_t)((seed >> 16) & 3);
		}
		for (size_t i = 0; i < 5000; i++) {
			const struct route *r = &all[i];
			struct in6_addr m = a;

			if (!live[i])
				continue;
			for (unsigned b = 0; b < 16; b++) {
				unsigned bits = r->len > b * 8 ?
						r->len - b * 8 : 0;

				if (bits < 8)
					m.s6_addr[b] &=
						(uint8_t)(0xff00 >> bits);
			}
			if (memcmp(&m, &r->dst, 16) != 0)
				continue;
			if (!want || r->len > want->len ||
			    (r->len == want->len && r->metric < want->metric))
				want = r;
		}
		route_table_lookup(&t, &a, UPLINK, &v);
		got = v.best;
		CHECKF((!want && !got) ||
		       (want && got && got->len == want->len &&
			got->metric == want->metric && got->oif == want->oif &&
			memcmp(&got->dst, &want->dst, 16) == 0),
		       "lookup %zu: got len %d, want len %d", k,
		       got ? got->len : -1, want ? want->len : -1);
		if (test_failed)
			break;
	}
	CHECKF(route_table_bytes(&t) <= 64 * 5000,
	       "%zu bytes for 5000 routes added", route_table_bytes(&t));
	route_table_clear(&t);
	CHECK_EQ(t.n, 0);
	CHECK(best(&t, "2001:db8::") == NULL);
	route_table_free(&t);
}

/* 100,000 guests' /128s that differ in their last 32 bits only, as
 * 'ip route add 2001:db8:1::3:X:Y/128' makes them: no probe is long (a
 * hash whose low bits ignored the last bytes made chains of thousands,
 * and a start of seconds), most routes are in the cache line a lookup
 * lands on, and the mirror stays under 64 bytes a route. */
static void test_probes_short(void)
{
	struct route_table t = { .n = 0 };
	const struct route_slots *s = &t.by_len[128];
	size_t longest = 0, at_home = 0, n = 0;

	for (uint32_t i = 0; i < 100000; i++) {
		struct route r = rt("2001:db8:1::3:0:0", 128, 1024, INSIDE,
				    RTN_UNICAST, 0);

		r.dst.s6_addr[12] = (uint8_t)(i >> 24);
		r.dst.s6_addr[13] = (uint8_t)(i >> 16);
		r.dst.s6_addr[14] = (uint8_t)(i >> 8);
		r.dst.s6_addr[15] = (uint8_t)i;
		CHECK_EQ(route_table_add(&t, &r), 0);
	}
	for (size_t i = 0; i < s->cap; i++) {
		const struct route *e = &s->slot[i];
		size_t home, d;

		if (e->slot < ROUTE_SLOT_BEST)
			continue;
		home = (size_t)(((uint64_t)e->hash * (s->cap / 2)) >> 32) * 2;
		d = (i + s->cap - home) % s->cap;
		if (d > longest)
			longest = d;
		at_home += d < 2;
		n++;
	}
	CHECK_EQ(n, 100000);
	CHECKF(longest <= 100, "the longest probe is %zu slots (%zu routes in "
	       "%zu slots)", longest, t.n, s->cap);
	printf("  probes: %zu of %zu routes in their first cache line, "
	       "longest %zu, %zu slots, %.1f bytes a route\n", at_home, n,
	       longest, s->cap, (double)route_table_bytes(&t) / (double)n);
	CHECKF(at_home * 10 >= n * 6, "%zu of %zu routes in the line a "
	       "lookup lands on", at_home, n);
	CHECKF(route_table_bytes(&t) <= 64 * t.n, "%zu bytes for %zu routes",
	       route_table_bytes(&t), t.n);
	route_table_free(&t);
}

/* ---- random operations against a brute-force model ---------------- */

#define MODEL_MAX 8192

struct model {
	struct route r[MODEL_MAX];
	size_t n;
};

static uint32_t rnd_state = 12345;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245 + 12345;
	return (rnd_state >> 8) % n;
}

static void mask_bits(struct in6_addr *a, unsigned len)
{
	for (unsigned b = 0; b < 16; b++) {
		unsigned bits = len > b * 8 ? len - b * 8 : 0;

		if (bits < 8)
			a->s6_addr[b] &= (uint8_t)(0xff00 >> bits);
	}
}

/* Few distinct prefixes of each length: the same prefix comes again
 * with other metrics, in the local table, or as a replacement. */
static struct in6_addr rnd_addr(void)
{
	struct in6_addr a = ip6("2001:db8::");

	a.s6_addr[7] = (uint8_t)rnd(2);
	for (unsigned b = 12; b < 16; b++)
		a.s6_addr[b] = (uint8_t)rnd(6);
	return a;
}

static struct route rnd_route(void)
{
	static const uint8_t lens[] = { 0, 48, 64, 64, 112, 120, 127, 128,
					128, 128, 128 };
	static const int oifs[] = { UPLINK, INSIDE, 7 };
	struct route r = { .dst = rnd_addr() };

	r.len = lens[rnd(sizeof(lens))];
	mask_bits(&r.dst, r.len);
	r.metric = rnd(4) * 256;
	r.oif = oifs[rnd(3)];
	r.type = rnd(8) ? RTN_UNICAST : RTN_BLACKHOLE;
	r.flags = rnd(8) == 0 ? ROUTE_LOCAL : rnd(4) == 0 ? ROUTE_GATEWAY : 0;
	if (r.flags & ROUTE_LOCAL)
		r.type = RTN_LOCAL;
	return r;
}

static bool model_same(const struct route *a, const struct route *b)
{
	return a->len == b->len && a->metric == b->metric &&
	       (a->flags & ROUTE_LOCAL) == (b->flags & ROUTE_LOCAL) &&
	       memcmp(&a->dst, &b->dst, 16) == 0;
}

static void model_add(struct model *m, const struct route *r)
{
	for (size_t i = 0; i < m->n; i++)
		if (model_same(&m->r[i], r)) {
			m->r[i] = *r;
			return;
		}
	m->r[m->n++] = *r;
}

static void model_del(struct model *m, const struct route *r)
{
	for (size_t i = 0; i < m->n; i++)
		if (model_same(&m->r[i], r)) {
			m->r[i] = m->r[--m->n];
			return;
		}
}

/* The rules, spelt out: lengths longest first; at each, a local route
 * makes it the host's own; else the lowest metric is that length's. */
static void model_lookup(const struct model *m, const struct in6_addr *a,
			 struct route_verdict *v)
{
	memset(v, 0, sizeof(*v));
	for (int len = 128; len >= 0; len--) {
		const struct route *best = NULL;
		struct in6_addr k = *a;

		mask_bits(&k, (unsigned)len);
		for (size_t i = 0; i < m->n; i++) {
			const struct route *e = &m->r[i];

			if (e->len != len || memcmp(&e->dst, &k, 16) != 0)
				continue;
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
		if (!v->best)
			v->best = best;
		else if (best->type == RTN_UNICAST && best->oif == UPLINK &&
			 best->len > 0 && !(best->flags & (ROUTE_LOCAL |
							   ROUTE_GATEWAY |
							   ROUTE_MIXED)))
			v->onlink_uplink = true;
	}
}

static bool same_answer(const struct route *got, const struct route *want)
{
	if (!got || !want)
		return got == want;
	return model_same(got, want) && got->oif == want->oif &&
	       got->type == want->type && got->flags == want->flags;
}

static bool model_beats(const struct route *a, const struct route *b)
{
	if ((a->flags ^ b->flags) & ROUTE_LOCAL)
		return a->flags & ROUTE_LOCAL;
	return a->metric < b->metric;
}

/* Slot i's route: reached from where its probe starts, and the one
 * winner of its prefix (which no other route of the prefix beats). */
static bool group_sane(const struct route_slots *s, size_t i)
{
	const struct route *e = &s->slot[i];
	size_t j = (size_t)(((uint64_t)e->hash * (s->cap / 2)) >> 32) * 2;
	const struct route *win = NULL;
	bool reached = false;
	size_t wins = 0;

	for (; s->slot[j].slot != ROUTE_SLOT_EMPTY; j = (j + 1) % s->cap) {
		const struct route *f = &s->slot[j];

		reached |= j == i;
		if (f->slot < ROUTE_SLOT_BEST ||
		    memcmp(&f->dst, &e->dst, 16) != 0)
			continue;
		if (f->slot == ROUTE_SLOT_BEST) {
			wins++;
			win = f;
		}
	}
	if (!reached || wins != 1) {
		fprintf(stderr, "len %d slot %zu: reached %d, %zu winners\n",
			e->len, i, reached, wins);
		return false;
	}
	for (j = 0; j < s->cap; j++) {
		const struct route *f = &s->slot[j];

		if (f->slot >= ROUTE_SLOT_BEST && f != win &&
		    memcmp(&f->dst, &e->dst, 16) == 0 && model_beats(f, win)) {
			fprintf(stderr, "len %d slot %zu: a loser beats its "
				"winner\n", e->len, j);
			return false;
		}
	}
	return true;
}

/* The mirror's own rules: counts, lens[], the load, every route. */
static bool table_sane(const struct route_table *t, const struct model *m)
{
	size_t total = 0, nlens = 0;

	if (t->n != m->n)
		return fprintf(stderr, "n %zu, model %zu\n", t->n, m->n), false;
	for (int len = 128; len >= 0; len--) {
		const struct route_slots *s = &t->by_len[len];
		size_t nlive = 0, ndead = 0;

		for (size_t i = 0; i < s->cap; i++) {
			ndead += s->slot[i].slot == ROUTE_SLOT_DEAD;
			if (s->slot[i].slot < ROUTE_SLOT_BEST)
				continue;
			nlive++;
			if (s->slot[i].len != len || !group_sane(s, i))
				return false;
		}
		if (nlive != s->live || ndead != s->dead) {
			fprintf(stderr, "len %d: %zu live (says %zu), %zu dead "
				"(says %zu)\n", len, nlive, s->live, ndead,
				s->dead);
			return false;
		}
		if (s->cap && (s->live + s->dead) * 4 > s->cap * 3) {
			fprintf(stderr, "len %d: load over 3/4\n", len);
			return false;
		}
		total += nlive;
		if (nlive) {
			if (nlens >= t->nlens || t->lens[nlens] != len) {
				fprintf(stderr, "lens[%zu] is not %d\n", nlens,
					len);
				return false;
			}
			nlens++;
		}
	}
	return total == t->n && nlens == t->nlens;
}

/*
 * Thousands of random adds, replaces and deletes (growth from nothing
 * to a few thousand routes, churn, then down to nothing again), each
 * followed by lookups that are checked against the model, and the
 * table's own rules checked as it goes.
 */
static void test_random_ops(void)
{
	static struct model m;
	struct route_table t = { .n = 0 };
	size_t ops = 0, lookups = 0, dels = 0;

	m.n = 0;
	for (int phase = 0; phase < 3 && !test_failed; phase++) {
		/* add share: grow, churn, shrink */
		static const uint32_t add_pct[] = { 85, 50, 10 };
		size_t nops = phase == 2 ? 12000 : 6000;

		for (size_t k = 0; k < nops && !test_failed; k++, ops++) {
			struct route r;

			if (rnd(100) < add_pct[phase] && m.n < MODEL_MAX) {
				r = rnd_route();
				CHECK_EQ(route_table_add(&t, &r), 0);
				model_add(&m, &r);
			} else if (m.n && rnd(8)) {
				r = m.r[rnd((uint32_t)m.n)];
				route_table_del(&t, &r);
				model_del(&m, &r);
				dels++;
			} else {
				r = rnd_route();	/* most often none */
				route_table_del(&t, &r);
				model_del(&m, &r);
			}
			for (int q = 0; q < 3; q++, lookups++) {
				struct in6_addr a = rnd_addr();
				struct route_verdict v, w;

				route_table_lookup(&t, &a, UPLINK, &v);
				model_lookup(&m, &a, &w);
				CHECKF(v.own == w.own &&
				       v.onlink_uplink == w.onlink_uplink &&
				       same_answer(v.best, w.best),
				       "op %zu lookup: own %d/%d onlink %d/%d "
				       "best len %d/%d metric %d/%d", ops,
				       v.own, w.own, v.onlink_uplink,
				       w.onlink_uplink,
				       v.best ? v.best->len : -1,
				       w.best ? w.best->len : -1,
				       v.best ? (int)v.best->metric : -1,
				       w.best ? (int)w.best->metric : -1);
				if (test_failed)
					break;
			}
			if (k % 64 == 0 || m.n < 40)
				CHECKF(table_sane(&t, &m), "op %zu: the table "
				       "broke its rules", ops);
		}
		if (phase == 0)
			CHECKF(route_table_bytes(&t) <= 64 * t.n + 4096,
			       "%zu bytes for %zu routes",
			       route_table_bytes(&t), t.n);
	}
	while (m.n && !test_failed) {
		struct route r = m.r[0];

		route_table_del(&t, &r);
		model_del(&m, &r);
	}
	CHECK(table_sane(&t, &m));
	CHECK_EQ(t.n, 0);
	CHECK_EQ(t.nlens, 0);
	printf("  %zu operations (%zu deletes), %zu lookups\n", ops, dels,
	       lookups);
	route_table_free(&t);
}

/* A cursor from 256 dumps ago (each clears the table; 256 wrapped an
 * 8-bit generation) must start the sweep over, not go on mid-table. */
static void test_sweep_generation_wrap(void)
{
	struct routes src = { .autoscope = true };
	struct route onlink = rt("2001:db8:1::", 64, 256, UPLINK, RTN_UNICAST,
				 0);
	int uplink = UPLINK;
	size_t cursor = 0, got = 0;

	src.uplink = &uplink;
	for (int dump = 0; dump <= 256; dump++) {
		route_table_clear(&src.t);
		CHECK_EQ(route_table_add(&src.t, &onlink), 0);
		for (uint32_t i = 0; i < 1000; i++) {
			struct route r = rt("2001:db8:1::", 128, 1024, INSIDE,
					    RTN_UNICAST, 0);

			r.dst.s6_addr[14] = (uint8_t)(i >> 8);
			r.dst.s6_addr[15] = (uint8_t)i;
			CHECK_EQ(route_table_add(&src.t, &r), 0);
		}
		if (dump == 0)		/* half a sweep, then 256 dumps */
			for (int k = 0; k < 500; k++)
				CHECK(routes_next(&src, &cursor) != NULL);
	}
	while (routes_next(&src, &cursor))
		got++;
	CHECKF(got == 1000, "the sweep went on with %zu of 1000", got);
	route_table_free(&src.t);
}

/* The announcement sweep: each inward /128 once; through deletes every
 * route that stayed; after growth (a rehash moves every route) all
 * again. */
static void test_sweep(void)
{
	static bool seen[20000];
	struct routes src = { .autoscope = true };
	struct route onlink = rt("2001:db8:1::", 64, 256, UPLINK, RTN_UNICAST,
				 0);
	struct route own = rt("2001:db8:1::100", 128, 0, INSIDE, RTN_LOCAL,
			      ROUTE_LOCAL);
	const struct in6_addr *a;
	int uplink = UPLINK;
	size_t cursor = 0, got = 0, missing = 0, twice = 0;

	src.uplink = &uplink;
	memset(seen, 0, sizeof(seen));
	CHECK_EQ(route_table_add(&src.t, &onlink), 0);
	for (uint32_t i = 0; i < 20000; i++) {
		struct route r = rt("2001:db8:1::", 128, 1024, INSIDE,
				    RTN_UNICAST, 0);

		r.dst.s6_addr[13] = (uint8_t)(i >> 16);
		r.dst.s6_addr[14] = (uint8_t)(i >> 8);
		r.dst.s6_addr[15] = (uint8_t)i;
		CHECK_EQ(route_table_add(&src.t, &r), 0);
		if (i < 3000) {		/* a loser: announced once still */
			r.metric = 2048;
			r.oif = 7;
			CHECK_EQ(route_table_add(&src.t, &r), 0);
		}
	}
	CHECK_EQ(route_table_add(&src.t, &own), 0);	/* the host's own */
	while ((a = routes_next(&src, &cursor))) {
		uint32_t i = (uint32_t)a->s6_addr[13] << 16 |
			     (uint32_t)a->s6_addr[14] << 8 | a->s6_addr[15];

		CHECK(i < 20000 && i != 0x100);
		if (i < 20000) {
			twice += seen[i];
			seen[i] = true;
		}
		got++;
	}
	CHECK_EQ(got, 19999);		/* ::100 is the host's own */
	CHECK_EQ(twice, 0);
	/* Half way through, delete some ahead, grow the table. */
	memset(seen, 0, sizeof(seen));
	cursor = 0;
	for (int k = 0; k < 5000 && (a = routes_next(&src, &cursor)); k++)
		seen[(uint32_t)a->s6_addr[13] << 16 |
		     (uint32_t)a->s6_addr[14] << 8 | a->s6_addr[15]] = true;
	for (uint32_t i = 10000; i < 12000; i++) {
		struct route r = rt("2001:db8:1::", 128, 1024, INSIDE,
				    RTN_UNICAST, 0);

		r.dst.s6_addr[14] = (uint8_t)(i >> 8);
		r.dst.s6_addr[15] = (uint8_t)i;
		route_table_del(&src.t, &r);
	}
	while ((a = routes_next(&src, &cursor)))
		seen[(uint32_t)a->s6_addr[13] << 16 |
		     (uint32_t)a->s6_addr[14] << 8 | a->s6_addr[15]] = true;
	for (uint32_t i = 0; i < 20000; i++)
		missing += !seen[i] && (i < 10000 || i >= 12000) &&
			   i != 0x100;
	CHECKF(missing == 0, "after deletes, %zu routes not swept", missing);
	memset(seen, 0, sizeof(seen));
	cursor = 0;
	for (int k = 0; k < 5000 && (a = routes_next(&src, &cursor)); k++)
		seen[(uint32_t)a->s6_addr[13] << 16 |
		     (uint32_t)a->s6_addr[14] << 8 | a->s6_addr[15]] = true;
	for (uint32_t i = 0; i < 40000; i++) {		/* growth */
		struct route r = rt("2001:db8:1::7:0:0", 128, 1024, INSIDE,
				    RTN_UNICAST, 0);

		r.dst.s6_addr[14] = (uint8_t)(i >> 8);
		r.dst.s6_addr[15] = (uint8_t)i;
		CHECK_EQ(route_table_add(&src.t, &r), 0);
	}
	/* Moved: the sweep starts over (else a table that shrank in a
	 * rehash would leave routes behind its cursor), so the rest of it
	 * has them all. */
	memset(seen, 0, sizeof(seen));
	while ((a = routes_next(&src, &cursor)))
		if (a->s6_addr[11] != 7)
			seen[(uint32_t)a->s6_addr[13] << 16 |
			     (uint32_t)a->s6_addr[14] << 8 |
			     a->s6_addr[15]] = true;
	missing = 0;
	for (uint32_t i = 0; i < 20000; i++)
		missing += !seen[i] && (i < 10000 || i >= 12000) &&
			   i != 0x100;
	CHECKF(missing == 0, "after growth, %zu routes not swept", missing);
	route_table_free(&src.t);
}

/* From the parsed message: table, local, source-specific, multipath. */
static void test_from_rtnl(void)
{
	struct rtnl_route m = {
		.family = AF_INET6, .dst_len = 112, .table = RT_TABLE_MAIN,
		.type = RTN_UNICAST, .metric = 1024, .noif = 1,
		.oif = { INSIDE },
	};
	struct in6_addr net = ip6("2001:db8:1::1:0");
	struct route r;

	m.dst = ip6("2001:db8:1::1:ff");
	CHECK(route_from_rtnl(&m, RT_TABLE_MAIN, &r));
	CHECK(memcmp(&r.dst, &net, 16) == 0);
	CHECK_EQ(r.len, 112);
	CHECK_EQ(r.oif, INSIDE);
	CHECK_EQ(r.flags, 0);
	CHECK(!route_from_rtnl(&m, 100, &r));		/* another table */
	m.src_len = 64;
	CHECK(!route_from_rtnl(&m, RT_TABLE_MAIN, &r));	/* "from" */
	m.src_len = 0;
	m.dead = true;
	CHECK(!route_from_rtnl(&m, RT_TABLE_MAIN, &r));
	m.dead = false;
	m.noif = 2;
	m.oif[1] = 9;
	CHECK(route_from_rtnl(&m, RT_TABLE_MAIN, &r));
	CHECK(r.flags & ROUTE_MIXED);
	m.table = RT_TABLE_LOCAL;
	CHECK(!route_from_rtnl(&m, RT_TABLE_MAIN, &r));	/* unicast */
	m.type = RTN_LOCAL;
	CHECK(route_from_rtnl(&m, RT_TABLE_MAIN, &r));
	CHECK(r.flags & ROUTE_LOCAL);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	RUN(test_lpm_and_metric);
	RUN(test_local_first);
	RUN(test_inward_and_onlink);
	RUN(test_random_cross_check);
	RUN(test_probes_short);
	RUN(test_random_ops);
	RUN(test_sweep);
	RUN(test_sweep_generation_wrap);
	RUN(test_from_rtnl);
	return tests_failed ? 1 : 0;
}
