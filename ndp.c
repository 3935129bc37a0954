/*
 * ndp.c - Neighbor Discovery packet code (RFC 4861). Pure functions
 * only: see ndp.h.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ndp.h"

/* Offsets within an Ethernet frame carrying IPv6. */
#define ETH_DST		0
#define ETH_SRC		6
#define ETH_TYPE	12
#define IP6		NDP_ETH_HLEN
#define IP6_VFC		(IP6 + 0)
#define IP6_PLEN	(IP6 + 4)
#define IP6_NXT		(IP6 + 6)
#define IP6_HLIM	(IP6 + 7)
#define IP6_SRC		(IP6 + 8)
#define IP6_DST		(IP6 + 24)
#define ICMP		(IP6 + NDP_IP6_HLEN)
/* Offsets within the ICMPv6 message, RFC 4861 4.3 and 4.4. */
#define ICMP_TYPE	0
#define ICMP_CODE	1
#define ICMP_CSUM	2
#define ICMP_FLAGS	4
#define ICMP_TARGET	8
#define ICMP_OPTS	NDP_ICMP_NS_LEN

static const char *const verdict_names[NDP_VERDICT_MAX] = {
	[NDP_OK] = "ok",
	[NDP_DROP_SHORT] = "short",
	[NDP_DROP_ETHERTYPE] = "ethertype",
	[NDP_DROP_VERSION] = "version",
	[NDP_DROP_TRUNCATED] = "truncated",
	[NDP_DROP_NEXTHDR] = "next_header",
	[NDP_DROP_HOPLIMIT] = "hop_limit",
	[NDP_DROP_ICMPLEN] = "icmp_length",
	[NDP_DROP_TYPE] = "icmp_type",
	[NDP_DROP_CODE] = "icmp_code",
	[NDP_DROP_CHECKSUM] = "checksum",
	[NDP_DROP_SOURCE] = "source_multicast",
	[NDP_DROP_TARGET_MCAST] = "target_multicast",
	[NDP_DROP_TARGET_SCOPE] = "target_scope",
	[NDP_DROP_OPTION] = "option_length",
	[NDP_DROP_DAD_DEST] = "dad_destination",
	[NDP_DROP_DAD_SLLAO] = "dad_sllao",
	[NDP_DROP_LLADDR] = "link_address",
};

const char *ndp_verdict_name(enum ndp_verdict v)
{
	if ((unsigned)v >= NDP_VERDICT_MAX)
		return "unknown";
	return verdict_names[v];
}

bool ndp_addr_is_multicast(const struct in6_addr *a)
{
	return a->s6_addr[0] == 0xff;
}

bool ndp_addr_is_unspecified(const struct in6_addr *a)
{
	static const struct in6_addr any;

	return memcmp(a, &any, sizeof(any)) == 0;
}

static bool addr_is_loopback(const struct in6_addr *a)
{
	static const struct in6_addr lo = { .s6_addr = { [15] = 1 } };

	return memcmp(a, &lo, sizeof(lo)) == 0;
}

static bool addr_is_linklocal(const struct in6_addr *a)
{
	/* fe80::/10 */
	return a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80;
}

/* ff02::1:ff00:0/104, RFC 4291 2.7.1 */
static const uint8_t solicited_node_prefix[13] = {
	0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff,
};

bool ndp_addr_is_solicited_node(const struct in6_addr *a)
{
	return memcmp(a->s6_addr, solicited_node_prefix,
		      sizeof(solicited_node_prefix)) == 0;
}

void ndp_solicited_node(const struct in6_addr *addr, struct in6_addr *group)
{
	memcpy(group->s6_addr, solicited_node_prefix,
	       sizeof(solicited_node_prefix));
	memcpy(group->s6_addr + 13, addr->s6_addr + 13, 3);
}

/* RFC 2464 7: 33:33 followed by the low 32 bits of the group. */
void ndp_multicast_mac(const struct in6_addr *group, uint8_t mac[NDP_MAC_LEN])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, group->s6_addr + 12, 4);
}

void ndp_format_mac(const uint8_t mac[NDP_MAC_LEN], char buf[NDP_MAC_STRLEN])
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < NDP_MAC_LEN; i++) {
		buf[3 * i] = hex[mac[i] >> 4];
		buf[3 * i + 1] = hex[mac[i] & 0xf];
		buf[3 * i + 2] = i < NDP_MAC_LEN - 1 ? ':' : '\0';
	}
}

const char *ndp_format_addr(const struct in6_addr *a,
			    char buf[NDP_ADDR_STRLEN])
{
	/* inet_ntop() writes RFC 5952 text and makes no system call. */
	if (!inet_ntop(AF_INET6, a, buf, NDP_ADDR_STRLEN))
		buf[0] = '\0';
	return buf;
}

uint32_t ndp_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	/* Fold as we go so that no length can overflow the sum. */
	while (len >= 2) {
		sum += ndp_get16(p);
		sum = (sum & 0xffff) + (sum >> 16);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

uint16_t ndp_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t ndp_icmp6_csum(const struct in6_addr *src, const struct in6_addr *dst,
			const uint8_t *icmp, size_t len)
{
	uint32_t sum = 0;

	/* Pseudo-header: addresses, 32-bit length, zeros, next header.
	 * len is at most 65535 here, so the length's upper half is 0. */
	sum = ndp_csum_add(sum, src->s6_addr, 16);
	sum = ndp_csum_add(sum, dst->s6_addr, 16);
	sum += (uint32_t)(len & 0xffff);
	sum += NDP_IPPROTO_ICMPV6;
	sum = ndp_csum_add(sum, icmp, len);
	return ndp_csum_fold(sum);
}

/* Walk the options of an NS, RFC 4861 4.6, with remaining-length checks. */
static enum ndp_verdict parse_options(const uint8_t *opt, size_t len,
				      struct ndp_ns *ns, bool *any_sllao)
{
	while (len > 0) {
		size_t olen;

		if (len < 2)
			return NDP_DROP_OPTION;
		olen = (size_t)opt[1] * 8;
		if (olen == 0 || olen > len)
			return NDP_DROP_OPTION;
		if (opt[0] == NDP_OPT_SLLA) {
			*any_sllao = true;
			/* Ethernet addresses only, RFC 2464 6; first wins. */
			if (olen == NDP_OPT_LL_LEN && !ns->has_sllao) {
				memcpy(ns->sllao, opt + 2, NDP_MAC_LEN);
				ns->has_sllao = true;
			}
		}
		opt += olen;
		len -= olen;
	}
	return NDP_OK;
}

enum ndp_verdict ndp_parse_ns(const uint8_t *f, size_t len, struct ndp_ns *ns)
{
	const uint8_t *icmp = f + ICMP;
	const uint8_t *reply_mac;
	enum ndp_verdict v;
	bool any_sllao = false;
	size_t plen;

	if (len < NDP_ETH_HLEN + NDP_IP6_HLEN)
		return NDP_DROP_SHORT;
	if (ndp_get16(f + ETH_TYPE) != NDP_ETHERTYPE_IPV6)
		return NDP_DROP_ETHERTYPE;
	if (f[IP6_VFC] >> 4 != 6)
		return NDP_DROP_VERSION;
	/* The frame may carry trailing padding; the payload length rules. */
	plen = ndp_get16(f + IP6_PLEN);
	if (plen > len - ICMP)
		return NDP_DROP_TRUNCATED;
	if (f[IP6_NXT] != NDP_IPPROTO_ICMPV6)
		return NDP_DROP_NEXTHDR;
	if (f[IP6_HLIM] != 255)
		return NDP_DROP_HOPLIMIT;
	if (plen < NDP_ICMP_NS_LEN)
		return NDP_DROP_ICMPLEN;
	if (icmp[ICMP_TYPE] != NDP_TYPE_NS)
		return NDP_DROP_TYPE;
	if (icmp[ICMP_CODE] != 0)
		return NDP_DROP_CODE;

	memset(ns, 0, sizeof(*ns));
	memcpy(ns->eth_src, f + ETH_SRC, NDP_MAC_LEN);
	memcpy(ns->src.s6_addr, f + IP6_SRC, 16);
	memcpy(ns->dst.s6_addr, f + IP6_DST, 16);
	memcpy(ns->target.s6_addr, icmp + ICMP_TARGET, 16);

	if (ndp_icmp6_csum(&ns->src, &ns->dst, icmp, plen) != 0)
		return NDP_DROP_CHECKSUM;
	if (ndp_addr_is_multicast(&ns->src))
		return NDP_DROP_SOURCE;
	if (ndp_addr_is_multicast(&ns->target))
		return NDP_DROP_TARGET_MCAST;
	/* Never ours to answer: these are the link's own business. */
	if (addr_is_linklocal(&ns->target) || addr_is_loopback(&ns->target) ||
	    ndp_addr_is_unspecified(&ns->target))
		return NDP_DROP_TARGET_SCOPE;

	v = parse_options(icmp + ICMP_OPTS, plen - ICMP_OPTS, ns, &any_sllao);
	if (v != NDP_OK)
		return v;

	if (ndp_addr_is_unspecified(&ns->src)) {
		/* DAD probe, RFC 4861 7.1.1; answered to all-nodes. */
		if (!ndp_addr_is_solicited_node(&ns->dst))
			return NDP_DROP_DAD_DEST;
		if (any_sllao)
			return NDP_DROP_DAD_SLLAO;
		return NDP_OK;
	}

	/* The NA goes to this address, RFC 4861 7.2.4; never to a group. */
	reply_mac = ns->has_sllao ? ns->sllao : ns->eth_src;
	if (reply_mac[0] & 0x01)
		return NDP_DROP_LLADDR;
	return NDP_OK;
}

/* Ethernet and IPv6 headers; the payload length is set by the caller. */
static void put_headers(uint8_t *f, const uint8_t eth_dst[NDP_MAC_LEN],
			const uint8_t eth_src[NDP_MAC_LEN],
			const struct in6_addr *src, const struct in6_addr *dst,
			size_t plen)
{
	memcpy(f + ETH_DST, eth_dst, NDP_MAC_LEN);
	memcpy(f + ETH_SRC, eth_src, NDP_MAC_LEN);
	ndp_put16(f + ETH_TYPE, NDP_ETHERTYPE_IPV6);
	f[IP6_VFC] = 0x60;		/* version 6, traffic class 0 */
	f[IP6_VFC + 1] = 0;		/* flow label 0 */
	f[IP6_VFC + 2] = 0;
	f[IP6_VFC + 3] = 0;
	ndp_put16(f + IP6_PLEN, (uint16_t)plen);
	f[IP6_NXT] = NDP_IPPROTO_ICMPV6;
	f[IP6_HLIM] = 255;		/* RFC 4861 7.1: receivers check it */
	memcpy(f + IP6_SRC, src->s6_addr, 16);
	memcpy(f + IP6_DST, dst->s6_addr, 16);
}

static void put_option(uint8_t *opt, uint8_t type, const uint8_t *data)
{
	opt[0] = type;
	opt[1] = 1;			/* 8 octets */
	memcpy(opt + 2, data, 6);
}

static void put_checksum(uint8_t *f, size_t plen)
{
	struct in6_addr src, dst;

	memcpy(src.s6_addr, f + IP6_SRC, 16);
	memcpy(dst.s6_addr, f + IP6_DST, 16);
	ndp_put16(f + ICMP + ICMP_CSUM, 0);
	ndp_put16(f + ICMP + ICMP_CSUM,
		  ndp_icmp6_csum(&src, &dst, f + ICMP, plen));
}

size_t ndp_build_na(uint8_t *f, const uint8_t mac[NDP_MAC_LEN],
		    const struct ndp_ns *ns)
{
	static const struct in6_addr all_nodes = {
		.s6_addr = { 0xff, 0x02, [15] = 0x01 },
	};
	const size_t plen = NDP_ICMP_NS_LEN + NDP_OPT_LL_LEN;
	uint8_t *icmp = f + ICMP;
	uint8_t group_mac[NDP_MAC_LEN];

	if (ndp_addr_is_unspecified(&ns->src)) {
		/* RFC 4861 7.2.4: answer a DAD probe to all-nodes, S=0. */
		ndp_multicast_mac(&all_nodes, group_mac);
		put_headers(f, group_mac, mac, &ns->target, &all_nodes, plen);
		icmp[ICMP_FLAGS] = NDP_NA_ROUTER | NDP_NA_OVERRIDE;
	} else {
		put_headers(f, ns->has_sllao ? ns->sllao : ns->eth_src, mac,
			    &ns->target, &ns->src, plen);
		icmp[ICMP_FLAGS] = NDP_NA_ROUTER | NDP_NA_SOLICITED;
		/* As the Go ndpresponder: leave a unicast (NUD) probe's
		 * cached address alone, take over on a multicast one. */
		if (ndp_addr_is_multicast(&ns->dst))
			icmp[ICMP_FLAGS] |= NDP_NA_OVERRIDE;
	}
	icmp[ICMP_TYPE] = NDP_TYPE_NA;
	icmp[ICMP_CODE] = 0;
	memset(icmp + ICMP_FLAGS + 1, 0, 3);	/* reserved */
	memcpy(icmp + ICMP_TARGET, ns->target.s6_addr, 16);
	put_option(icmp + ICMP_OPTS, NDP_OPT_TLLA, mac);
	put_checksum(f, plen);
	return NDP_ETH_HLEN + NDP_IP6_HLEN + plen;
}

size_t ndp_build_ns(uint8_t *f, const uint8_t eth_src[NDP_MAC_LEN],
		    const uint8_t eth_dst[NDP_MAC_LEN],
		    const struct in6_addr *src, const struct in6_addr *dst,
		    const struct in6_addr *target, const uint8_t *sllao,
		    const uint8_t *nonce)
{
	uint8_t *icmp = f + ICMP;
	size_t plen = NDP_ICMP_NS_LEN;

	if (sllao) {
		put_option(icmp + plen, NDP_OPT_SLLA, sllao);
		plen += NDP_OPT_LL_LEN;
	}
	if (nonce) {
		put_option(icmp + plen, NDP_OPT_NONCE, nonce);
		plen += NDP_OPT_NONCE_LEN;
	}
	put_headers(f, eth_dst, eth_src, src, dst, plen);
	icmp[ICMP_TYPE] = NDP_TYPE_NS;
	icmp[ICMP_CODE] = 0;
	memset(icmp + ICMP_FLAGS, 0, 4);	/* reserved */
	memcpy(icmp + ICMP_TARGET, target->s6_addr, 16);
	put_checksum(f, plen);
	return NDP_ETH_HLEN + NDP_IP6_HLEN + plen;
}

static void prefix_mask(struct in6_addr *a, unsigned len)
{
	for (unsigned i = 0; i < 16; i++) {
		if (len >= 8) {
			len -= 8;
		} else {
			a->s6_addr[i] &= (uint8_t)(0xff00 >> len);
			len = 0;
		}
	}
}

const char *ndp_prefix_parse(const char *s, struct ndp_prefix *p,
			     bool *host_bits)
{
	char buf[INET6_ADDRSTRLEN];
	struct in_addr a4;
	struct in6_addr orig;
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned len = 128;

	if (alen >= sizeof(buf))
		return "not an IPv6 prefix";
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, &a4) == 1)
		return "IPv4 prefixes are not supported";
	if (inet_pton(AF_INET6, buf, &p->addr) != 1)
		return "not an IPv6 prefix";
	if (slash) {
		const char *d = slash + 1;

		if (*d == '\0')
			return "missing prefix length";
		for (len = 0; *d; d++) {
			if (*d < '0' || *d > '9')
				return "prefix length is not a number";
			len = len * 10 + (unsigned)(*d - '0');
			if (len > 128)
				return "prefix length is greater than 128";
		}
	}
	p->len = (uint8_t)len;
	orig = p->addr;
	prefix_mask(&p->addr, len);
	*host_bits = memcmp(&orig, &p->addr, sizeof(orig)) != 0;
	return NULL;
}

/* Swap two elements of size bytes. */
static void swap_bytes(uint8_t *a, uint8_t *b, size_t size)
{
	while (size--) {
		uint8_t t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* Heapsort: in place, O(n log n) at worst, no allocation. */
void ndp_sort(void *base, size_t n, size_t size, ndp_cmp_fn cmp)
{
	uint8_t *v = base;

	for (size_t end = n, start = n / 2; end > 1;) {
		size_t root, child;

		if (start > 0) {
			start--;		/* building the heap */
		} else {
			end--;			/* the top goes last */
			swap_bytes(v, v + end * size, size);
		}
		for (root = start; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end &&
			    cmp(v + child * size, v + (child + 1) * size) < 0)
				child++;
			if (cmp(v + root * size, v + child * size) >= 0)
				break;
			swap_bytes(v + root * size, v + child * size, size);
		}
	}
}

size_t ndp_unique(void *base, size_t n, size_t size, ndp_cmp_fn cmp)
{
	uint8_t *v = base;
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		if (out > 0 && cmp(v + (out - 1) * size, v + i * size) == 0)
			continue;
		if (out != i)
			memcpy(v + out * size, v + i * size, size);
		out++;
	}
	return out;
}

const void *ndp_search(const void *key, const void *base, size_t n,
		       size_t size, ndp_cmp_fn cmp)
{
	const uint8_t *v = base;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp(key, v + mid * size);

		if (c == 0)
			return v + mid * size;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

uint32_t ndp_addr_hash(const struct in6_addr *a, uint32_t seed)
{
	uint64_t w0, w1, h;

	/* A few multiplies, not a loop over bytes: it runs for every NS in
	 * routed mode, once per prefix length in use. The finaliser is
	 * MurmurHash3's fmix64: every input bit reaches every output bit,
	 * so the low bits (a bucket index) vary with a prefix's last
	 * bytes, which land in w1's high bits. */
	memcpy(&w0, a->s6_addr, 8);
	memcpy(&w1, a->s6_addr + 8, 8);
	h = w0 * 0x9e3779b97f4a7c15u ^ w1 ^ seed;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return (uint32_t)h;
}

int ndp_addr_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct in6_addr));
}

size_t ndp_addr_set_make(struct in6_addr *v, size_t n)
{
	ndp_sort(v, n, sizeof(*v), ndp_addr_cmp);
	return ndp_unique(v, n, sizeof(*v), ndp_addr_cmp);
}

bool ndp_addr_set_contains(const struct in6_addr *v, size_t n,
			   const struct in6_addr *a)
{
	return ndp_search(a, v, n, sizeof(*v), ndp_addr_cmp) != NULL;
}

static int prefix_cmp(const void *x, const void *y)
{
	const struct ndp_prefix *a = x, *b = y;

	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

void ndp_prefix_set_init(struct ndp_prefix_set *s, struct ndp_prefix *v,
			 size_t n)
{
	memset(s, 0, sizeof(*s));
	ndp_sort(v, n, sizeof(*v), prefix_cmp);
	s->v = v;
	s->n = ndp_unique(v, n, sizeof(*v), prefix_cmp);
	for (size_t i = 0; i < s->n; i++) {
		if (s->count[v[i].len]++ == 0) {
			s->first[v[i].len] = i;
			s->lens[s->nlens++] = v[i].len;
		}
	}
}

bool ndp_prefix_set_contains(const struct ndp_prefix_set *s,
			     const struct in6_addr *addr)
{
	for (size_t i = 0; i < s->nlens; i++) {
		struct ndp_prefix key = { .addr = *addr, .len = s->lens[i] };

		prefix_mask(&key.addr, key.len);
		if (ndp_search(&key, s->v + s->first[key.len],
			       s->count[key.len], sizeof(key), prefix_cmp))
			return true;
	}
	return false;
}
