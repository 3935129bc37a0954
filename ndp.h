/*
 * ndp.h - Neighbor Discovery packet code: parse and validate Neighbor
 * Solicitations, build Neighbor Advertisements and Solicitations, the
 * Internet checksum, and prefix sets.
 *
 * Everything here is pure: no system calls, no globals, no allocation.
 * Frames are byte arrays read and written with explicit byte-order
 * helpers, so any alignment is fine.
 */
#ifndef NDP_H
#define NDP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NDP_MAC_LEN	6
#define NDP_ETH_HLEN	14		/* destination, source, ethertype */
#define NDP_IP6_HLEN	40
#define NDP_ICMP_NS_LEN	24		/* RFC 4861 4.3: type..target */
#define NDP_OPT_LL_LEN	8		/* link-layer address option, Ethernet */
#define NDP_OPT_NONCE_LEN 8		/* RFC 3971 5.3.2, 6-byte nonce */
#define NDP_ETHERTYPE_IPV6 0x86dd
#define NDP_IPPROTO_ICMPV6 58
#define NDP_TYPE_NS	135
#define NDP_TYPE_NA	136
#define NDP_OPT_SLLA	1
#define NDP_OPT_TLLA	2
#define NDP_OPT_NONCE	14

/* NA flags, RFC 4861 4.4 (first byte after the checksum). */
#define NDP_NA_ROUTER	0x80
#define NDP_NA_SOLICITED 0x40
#define NDP_NA_OVERRIDE	0x20

/* Our NA: Ethernet + IPv6 + NA + target link-layer address option. */
#define NDP_NA_FRAME_LEN (NDP_ETH_HLEN + NDP_IP6_HLEN + NDP_ICMP_NS_LEN + \
			  NDP_OPT_LL_LEN)
/* Largest NS we build: source link-layer address and nonce options. */
#define NDP_NS_FRAME_MAX (NDP_ETH_HLEN + NDP_IP6_HLEN + NDP_ICMP_NS_LEN + \
			  NDP_OPT_LL_LEN + NDP_OPT_NONCE_LEN)

/* Why a frame was dropped; NDP_OK means it is a valid NS. */
enum ndp_verdict {
	NDP_OK = 0,
	NDP_DROP_SHORT,		/* shorter than Ethernet + IPv6 headers */
	NDP_DROP_ETHERTYPE,	/* not IPv6 */
	NDP_DROP_VERSION,	/* IP version is not 6 */
	NDP_DROP_TRUNCATED,	/* payload length runs past the frame */
	NDP_DROP_NEXTHDR,	/* not ICMPv6 right after the IPv6 header */
	NDP_DROP_HOPLIMIT,	/* RFC 4861 7.1.1: hop limit must be 255 */
	NDP_DROP_ICMPLEN,	/* RFC 4861 7.1.1: ICMP length < 24 */
	NDP_DROP_TYPE,		/* not a Neighbor Solicitation */
	NDP_DROP_CODE,		/* RFC 4861 7.1.1: code must be 0 */
	NDP_DROP_CHECKSUM,	/* RFC 4861 7.1.1: bad ICMPv6 checksum */
	NDP_DROP_SOURCE,	/* RFC 4291 2.7: multicast source */
	NDP_DROP_TARGET_MCAST,	/* RFC 4861 7.1.1: multicast target */
	NDP_DROP_TARGET_SCOPE,	/* link-local, loopback or unspecified */
	NDP_DROP_OPTION,	/* RFC 4861 7.1.1: zero or overlong option */
	NDP_DROP_DAD_DEST,	/* RFC 4861 7.1.1: :: source, not solicited-node */
	NDP_DROP_DAD_SLLAO,	/* RFC 4861 7.1.1: :: source with SLLAO */
	NDP_DROP_LLADDR,	/* answer would go to a group MAC address */
	NDP_VERDICT_MAX
};

/* What a valid NS says; addresses in network byte order. */
struct ndp_ns {
	uint8_t eth_src[NDP_MAC_LEN];
	uint8_t sllao[NDP_MAC_LEN];	/* valid if has_sllao */
	bool has_sllao;
	struct in6_addr src;
	struct in6_addr dst;
	struct in6_addr target;
};

/* A prefix with its host bits cleared. */
struct ndp_prefix {
	struct in6_addr addr;
	uint8_t len;			/* 0..128 */
};

/*
 * A set of prefixes for lookup in O(L log N), L distinct lengths
 * (at most 129), N prefixes. The array belongs to the caller.
 */
struct ndp_prefix_set {
	const struct ndp_prefix *v;	/* sorted by (len, addr), unique */
	size_t n;
	uint8_t lens[129];		/* distinct lengths, ascending */
	size_t nlens;
	size_t first[129], count[129];	/* range of v for each length */
};

/* Byte order helpers. */
static inline uint16_t ndp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void ndp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Address classes, RFC 4291 2.4. */
bool ndp_addr_is_multicast(const struct in6_addr *);
bool ndp_addr_is_unspecified(const struct in6_addr *);
bool ndp_addr_is_solicited_node(const struct in6_addr *);
void ndp_solicited_node(const struct in6_addr *addr, struct in6_addr *group);
void ndp_multicast_mac(const struct in6_addr *group, uint8_t mac[NDP_MAC_LEN]);

/* "xx:xx:xx:xx:xx:xx" into buf. */
#define NDP_MAC_STRLEN 18
void ndp_format_mac(const uint8_t mac[NDP_MAC_LEN], char buf[NDP_MAC_STRLEN]);
/* An address in RFC 5952 text into buf; returns buf. */
#define NDP_ADDR_STRLEN 46		/* INET6_ADDRSTRLEN */
const char *ndp_format_addr(const struct in6_addr *a,
			    char buf[NDP_ADDR_STRLEN]);

/* Internet checksum, RFC 1071: add bytes to a running sum, then fold. */
uint32_t ndp_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t ndp_csum_fold(uint32_t sum);
/* ICMPv6 checksum with the RFC 8200 8.1 pseudo-header; 0 over a valid
 * message (checksum field included), else the value to store. */
uint16_t ndp_icmp6_csum(const struct in6_addr *src, const struct in6_addr *dst,
			const uint8_t *icmp, size_t len);

/* Parse and validate an Ethernet frame as a Neighbor Solicitation. */
enum ndp_verdict ndp_parse_ns(const uint8_t *frame, size_t len,
			      struct ndp_ns *ns);
const char *ndp_verdict_name(enum ndp_verdict);

/*
 * Build the Neighbor Advertisement that answers ns for its target from
 * interface address mac into buf (NDP_NA_FRAME_LEN bytes). The IPv6
 * source is the target itself. Returns the frame length.
 */
size_t ndp_build_na(uint8_t *buf, const uint8_t mac[NDP_MAC_LEN],
		    const struct ndp_ns *ns);

/*
 * Build a Neighbor Solicitation into buf (NDP_NS_FRAME_MAX bytes) from
 * eth_src to eth_dst, with a source link-layer address option if sllao
 * is not NULL and a nonce option if nonce (6 bytes) is not NULL.
 * Returns the frame length.
 */
size_t ndp_build_ns(uint8_t *buf, const uint8_t eth_src[NDP_MAC_LEN],
		    const uint8_t eth_dst[NDP_MAC_LEN],
		    const struct in6_addr *src, const struct in6_addr *dst,
		    const struct in6_addr *target, const uint8_t *sllao,
		    const uint8_t *nonce);

/*
 * Sorting and searching in place, without qsort() (glibc's may
 * allocate and make system calls): heapsort, then duplicates out, then
 * binary search.
 */
typedef int (*ndp_cmp_fn)(const void *, const void *);
void ndp_sort(void *base, size_t n, size_t size, ndp_cmp_fn cmp);
/* On a sorted array: keep the first of equal runs; the new count. */
size_t ndp_unique(void *base, size_t n, size_t size, ndp_cmp_fn cmp);
const void *ndp_search(const void *key, const void *base, size_t n,
		       size_t size, ndp_cmp_fn cmp);

/* A hash of an address, seed mixed in (not for adversaries: a table
 * keyed by it must stand long chains). */
uint32_t ndp_addr_hash(const struct in6_addr *a, uint32_t seed);

/* Address sets: sorted arrays of unique addresses. */
int ndp_addr_cmp(const void *a, const void *b);
/* Sort v and drop duplicates; the new count. */
size_t ndp_addr_set_make(struct in6_addr *v, size_t n);
bool ndp_addr_set_contains(const struct in6_addr *v, size_t n,
			   const struct in6_addr *a);

/*
 * Parse "ADDR/LEN" (or a bare address, as /128). Returns NULL and sets
 * *p, and *host_bits if bits beyond LEN were set and cleared; or an
 * error message.
 */
const char *ndp_prefix_parse(const char *s, struct ndp_prefix *p,
			     bool *host_bits);
/* Sort and deduplicate v in place (n becomes s->n) and index it. */
void ndp_prefix_set_init(struct ndp_prefix_set *s, struct ndp_prefix *v,
			 size_t n);
bool ndp_prefix_set_contains(const struct ndp_prefix_set *s,
			     const struct in6_addr *addr);

#endif
