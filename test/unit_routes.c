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
 * 'ip route add 2001:db8:1::3:X:Y/128' makes them: no hash chain is
 * long (a hash whose low bits ignored the last bytes made chains of
 * thousands, and a start of seconds). */
static void test_hash_chains_short(void)
{
	struct route_table t = { .n = 0 };
	size_t longest = 0;

	for (uint32_t i = 0; i < 100000; i++) {
		struct route r = rt("2001:db8:1::3:0:0", 128, 1024, INSIDE,
				    RTN_UNICAST, 0);

		r.dst.s6_addr[12] = (uint8_t)(i >> 24);
		r.dst.s6_addr[13] = (uint8_t)(i >> 16);
		r.dst.s6_addr[14] = (uint8_t)(i >> 8);
		r.dst.s6_addr[15] = (uint8_t)i;
		CHECK_EQ(route_table_add(&t, &r), 0);
	}
	for (size_t b = 0; b < t.nbuckets; b++) {
		size_t len = 0;

		for (uint32_t i = t.bucket[b]; i; i = t.pool[i - 1].next)
			len++;
		if (len > longest)
			longest = len;
	}
	CHECKF(longest <= 12, "the longest chain has %zu routes (%zu in %zu "
	       "buckets)", longest, t.n, t.nbuckets);
	route_table_free(&t);
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
	RUN(test_hash_chains_short);
	RUN(test_from_rtnl);
	return tests_failed ? 1 : 0;
}
