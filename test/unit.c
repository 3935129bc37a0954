/*
 * test/unit.c - unit tests for ndp.c and the BPF program in bpf_filter.h.
 *
 * Needs no root and no network: the BPF program runs in the kernel on an
 * AF_UNIX datagram socketpair. Prints one line per test on stdout,
 * "PASS name" or "FAIL name: file:line: what", and exits 1 if any failed.
 *
 * Expected packets are byte arrays with a comment per field. Their
 * checksums were computed independently (and each test re-verifies them
 * with the reference checksum below, which shares no code with ndp.c).
 * Addresses are from 2001:db8::/32 (RFC 3849) and fe80::/10.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bpf_filter.h"
#include "ndp.h"
#include "config.h"
#include "targets.h"

#include "unit.h"

#define CHECK_VERDICT(got, want)					\
	do {								\
		enum ndp_verdict got_ = (got), want_ = (want);		\
		if (got_ != want_)					\
			FAILF("%s: got %s, want %s", #got,		\
			      ndp_verdict_name(got_),			\
			      ndp_verdict_name(want_));			\
	} while (0)

static void check_bytes(const char *file, int line, const char *expr,
			const uint8_t *got, const uint8_t *want, size_t n,
			bool frame);

/* Compare n bytes; a frame mismatch names the field of the first one. */
#define CHECK_BYTES(got, want, n) \
	check_bytes(__FILE__, __LINE__, #got, got, want, n, false)
#define CHECK_FRAME(got, want, n) \
	check_bytes(__FILE__, __LINE__, #got, got, want, n, true)

static void check_addr(const char *file, int line, const char *expr,
		       const struct in6_addr *got, const char *want);

#define CHECK_ADDR(got, want) check_addr(__FILE__, __LINE__, #got, &(got), want)


/* ------------------------------------------------------------------ */
/* Helpers independent of ndp.c                                        */
/* ------------------------------------------------------------------ */

/* Offsets in an Ethernet frame carrying IPv6 and an ICMPv6 NS or NA. */
#define OFF_ETH_DST	0
#define OFF_ETH_SRC	6
#define OFF_ETH_TYPE	12
#define OFF_IP6_VFC	14
#define OFF_IP6_PLEN	18
#define OFF_IP6_NXT	20
#define OFF_IP6_HLIM	21
#define OFF_IP6_SRC	22
#define OFF_IP6_DST	38
#define OFF_ICMP	54
#define OFF_ICMP_TYPE	54
#define OFF_ICMP_CODE	55
#define OFF_ICMP_CSUM	56
#define OFF_ICMP_FLAGS	58
#define OFF_TARGET	62
#define OFF_OPTS	78

static const char *frame_field(size_t off)
{
	if (off < OFF_ETH_SRC)
		return "Ethernet destination";
	if (off < OFF_ETH_TYPE)
		return "Ethernet source";
	if (off < OFF_IP6_VFC)
		return "ethertype";
	if (off < OFF_IP6_PLEN)
		return "IPv6 version/class/flow";
	if (off < OFF_IP6_NXT)
		return "IPv6 payload length";
	if (off == OFF_IP6_NXT)
		return "IPv6 next header";
	if (off == OFF_IP6_HLIM)
		return "IPv6 hop limit";
	if (off < OFF_IP6_DST)
		return "IPv6 source";
	if (off < OFF_ICMP)
		return "IPv6 destination";
	if (off == OFF_ICMP_TYPE)
		return "ICMPv6 type";
	if (off == OFF_ICMP_CODE)
		return "ICMPv6 code";
	if (off < OFF_ICMP_FLAGS)
		return "ICMPv6 checksum";
	if (off < OFF_TARGET)
		return "flags/reserved";
	if (off < OFF_OPTS)
		return "target";
	return "options";
}

static void check_bytes(const char *file, int line, const char *expr,
			const uint8_t *got, const uint8_t *want, size_t n,
			bool frame)
{
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			fail_at(file, line, "%s: byte %zu%s%s%s: got 0x%02x, want 0x%02x",
				expr, i, frame ? " (" : "",
				frame ? frame_field(i) : "", frame ? ")" : "",
				got[i], want[i]);
			return;
		}
	}
}

static struct in6_addr ip6(const char *text)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, text, &a) != 1) {
		fprintf(stderr, "unit: bad address in a test: %s\n", text);
		abort();
	}
	return a;
}

static void check_addr(const char *file, int line, const char *expr,
		       const struct in6_addr *got, const char *want)
{
	struct in6_addr w = ip6(want);
	char buf[INET6_ADDRSTRLEN];

	if (memcmp(got->s6_addr, w.s6_addr, 16) != 0) {
		if (!inet_ntop(AF_INET6, got, buf, sizeof(buf)))
			strcpy(buf, "?");
		fail_at(file, line, "%s: got %s, want %s", expr, buf, want);
	}
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Reference Internet checksum, RFC 1071: a plain 64-bit sum of 16-bit
 * big-endian words, an odd last byte padded with zero, folded once. */
static uint16_t ref_csum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len; i += 2)
		sum += (uint64_t)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Reference ICMPv6 checksum: the RFC 8200 8.1 pseudo-header and the
 * message laid out in one buffer, summed with ref_csum. */
static uint16_t ref_icmp6_csum(const uint8_t src[16], const uint8_t dst[16],
			       const uint8_t *msg, size_t len)
{
	uint8_t *buf = malloc(40 + len);
	uint16_t sum;

	if (!buf)
		abort();
	memcpy(buf, src, 16);
	memcpy(buf + 16, dst, 16);
	buf[32] = (uint8_t)(len >> 24);		/* upper-layer length */
	buf[33] = (uint8_t)(len >> 16);
	buf[34] = (uint8_t)(len >> 8);
	buf[35] = (uint8_t)len;
	buf[36] = buf[37] = buf[38] = 0;	/* zero */
	buf[39] = 58;				/* next header: ICMPv6 */
	if (len)
		memcpy(buf + 40, msg, len);
	sum = ref_csum(buf, 40 + len);
	free(buf);
	return sum;
}

/* The reference checksum over a whole frame, checksum field included:
 * 0 if the frame's ICMPv6 checksum is right. */
static uint16_t ref_frame_csum(const uint8_t *f)
{
	return ref_icmp6_csum(f + OFF_IP6_SRC, f + OFF_IP6_DST, f + OFF_ICMP,
			      get16(f + OFF_IP6_PLEN));
}

/* xorshift64: a deterministic PRNG, the same on every run. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t rng_below(uint64_t *s, size_t n)
{
	return (size_t)(rng_next(s) % n);
}

static void rng_fill(uint64_t *s, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rng_next(s);
}

/* ------------------------------------------------------------------ */
/* Frames                                                              */
/* ------------------------------------------------------------------ */

/*
 * A Neighbor Solicitation sent by Linux 6.18, captured byte for byte
 * with a packet socket on the peer of a veth: 2001:db8::1 with MAC
 * 02:00:00:00:00:01 asks who has 2001:db8::2.
 */
static const uint8_t real_ns[86] = {
	/* Ethernet */
	0x33, 0x33, 0xff, 0x00, 0x00, 0x02,	/* destination: 33:33:ff:00:00:02 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source: 02:00:00:00:00:01 */
	0x86, 0xdd,				/* ethertype: IPv6 */
	/* IPv6 */
	0x60, 0x00, 0x00, 0x00,			/* version 6, class 0, flow 0 */
	0x00, 0x20,				/* payload length: 32 */
	0x3a,					/* next header: ICMPv6 */
	0xff,					/* hop limit: 255 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* source: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   2001:db8::1 */
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* destination: */
	0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x02,	/*   ff02::1:ff00:2 */
	/* ICMPv6 Neighbor Solicitation */
	0x87,					/* type: 135 */
	0x00,					/* code: 0 */
	0x1c, 0x27,				/* checksum */
	0x00, 0x00, 0x00, 0x00,			/* reserved */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* target: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,	/*   2001:db8::2 */
	/* Source link-layer address option */
	0x01,					/* type: 1 */
	0x01,					/* length: 1 (8 bytes) */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* 02:00:00:00:00:01 */
};

/*
 * A DAD probe sent by Linux 6.18 for its link-local address, captured
 * the same way: from :: to the solicited-node group, with a nonce.
 */
static const uint8_t real_dad_ns[86] = {
	/* Ethernet */
	0x33, 0x33, 0xff, 0x00, 0x00, 0x01,	/* destination: 33:33:ff:00:00:01 */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source: 02:00:00:00:00:01 */
	0x86, 0xdd,				/* ethertype: IPv6 */
	/* IPv6 */
	0x60, 0x00, 0x00, 0x00,			/* version 6, class 0, flow 0 */
	0x00, 0x20,				/* payload length: 32 */
	0x3a,					/* next header: ICMPv6 */
	0xff,					/* hop limit: 255 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* source: */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/*   :: */
	0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* destination: */
	0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x01,	/*   ff02::1:ff00:1 */
	/* ICMPv6 Neighbor Solicitation */
	0x87,					/* type: 135 */
	0x00,					/* code: 0 */
	0xe2, 0x17,				/* checksum */
	0x00, 0x00, 0x00, 0x00,			/* reserved */
	0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* target: */
	0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01,	/*   fe80::ff:fe00:1 */
	/* Nonce option, RFC 3971 5.3.2 */
	0x0e,					/* type: 14 */
	0x01,					/* length: 1 (8 bytes) */
	0xf8, 0xcc, 0xa3, 0xd4, 0xf0, 0x62,	/* nonce */
};

static const uint8_t mac_host[NDP_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t mac_ours[NDP_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t mac_other[NDP_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x03 };
static const uint8_t mac_group[NDP_MAC_LEN] = { 0x33, 0x33, 0, 0, 0, 0x01 };

/* A frame under test, editable; len is what goes on the wire. */
struct frame {
	uint8_t b[256];
	size_t len;
};

/* The valid base frame: real_ns. */
static void frame_base(struct frame *f)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->b, real_ns, sizeof(real_ns));
	f->len = sizeof(real_ns);
}

/* Recompute the ICMPv6 checksum over the payload length in the header. */
static void frame_fix_csum(struct frame *f)
{
	size_t plen = get16(f->b + OFF_IP6_PLEN);

	if (OFF_ICMP + plen > sizeof(f->b)) {
		FAILF("frame_fix_csum: payload length %zu too long", plen);
		return;
	}
	put16(f->b + OFF_ICMP_CSUM, 0);
	put16(f->b + OFF_ICMP_CSUM, ref_frame_csum(f->b));
}

/* Set the IPv6 payload length and cut or extend the frame to match. */
static void frame_set_payload(struct frame *f, size_t plen)
{
	put16(f->b + OFF_IP6_PLEN, plen);
	f->len = OFF_ICMP + plen;
}

/* Remove all options: a bare 24-byte NS. */
static void frame_drop_options(struct frame *f)
{
	frame_set_payload(f, NDP_ICMP_NS_LEN);
}

/* Append bytes to the ICMPv6 payload (typically an option). */
static void frame_append(struct frame *f, const uint8_t *p, size_t n)
{
	memcpy(f->b + f->len, p, n);
	frame_set_payload(f, f->len - OFF_ICMP + n);
}

static void frame_put_addr(struct frame *f, size_t off, const char *text)
{
	struct in6_addr a = ip6(text);

	memcpy(f->b + off, a.s6_addr, 16);
}

/*
 * ndp_parse_ns on a copy of f in a heap buffer of exactly f->len bytes,
 * so that under ASan (test/unit-san) any read past the frame is caught.
 */
static enum ndp_verdict parse_exact(const uint8_t *frame, size_t len,
				    struct ndp_ns *ns)
{
	uint8_t *copy = malloc(len);
	enum ndp_verdict v;

	if (!copy && len)
		abort();
	if (len)
		memcpy(copy, frame, len);
	v = ndp_parse_ns(copy, len, ns);
	free(copy);
	return v;
}

static enum ndp_verdict parse(const struct frame *f, struct ndp_ns *ns)
{
	return parse_exact(f->b, f->len, ns);
}

/* ------------------------------------------------------------------ */
/* 1. Checksum                                                         */
/* ------------------------------------------------------------------ */

static void test_csum_rfc1071_example(void)
{
	/* RFC 1071 3: the one's complement sum of these is ddf2. */
	static const uint8_t data[] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7,
	};
	uint32_t sum = ndp_csum_add(0, data, sizeof(data));

	CHECK_EQ(ndp_csum_fold(sum), 0x220d);
	/* The sum itself, folded to 16 bits by hand. */
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	CHECK_EQ(sum, 0xddf2);
}

static void test_csum_odd_length(void)
{
	/* The last byte is padded with a zero: 0x0001 + 0xf200 = 0xf201. */
	static const uint8_t odd[] = { 0x00, 0x01, 0xf2 };
	static const uint8_t padded[] = { 0x00, 0x01, 0xf2, 0x00 };
	uint64_t rng = 0x0dd1e6;
	uint8_t buf[301];

	CHECK_EQ(ndp_csum_fold(ndp_csum_add(0, odd, sizeof(odd))), 0x0dfe);
	CHECK_EQ(ndp_csum_fold(ndp_csum_add(0, padded, sizeof(padded))),
		 0x0dfe);
	/* Every length, odd or even, against the reference. */
	rng_fill(&rng, buf, sizeof(buf));
	for (size_t n = 0; n <= sizeof(buf); n++) {
		uint16_t got = ndp_csum_fold(ndp_csum_add(0, buf, n));

		CHECKF(got == ref_csum(buf, n), "length %zu: got 0x%04x, want 0x%04x",
		       n, got, ref_csum(buf, n));
	}
}

static void test_csum_empty(void)
{
	static const uint8_t none[1] = { 0xff };

	CHECK_EQ(ndp_csum_add(0, none, 0), 0);
	CHECK_EQ(ndp_csum_add(0x1234, none, 0), 0x1234);
	CHECK_EQ(ndp_csum_fold(0), 0xffff);
}

static void test_csum_add_composes(void)
{
	uint64_t rng = 0xc0ffee;
	uint8_t buf[1001];

	rng_fill(&rng, buf, sizeof(buf));
	/* Total lengths 1000 and 1001, split at every even offset. */
	for (size_t n = 1000; n <= 1001; n++) {
		uint16_t whole = ndp_csum_fold(ndp_csum_add(0, buf, n));

		for (size_t k = 0; k <= n; k += 2) {
			uint32_t sum = ndp_csum_add(0, buf, k);
			uint16_t pieces;

			sum = ndp_csum_add(sum, buf + k, n - k);
			pieces = ndp_csum_fold(sum);
			CHECKF(pieces == whole,
			       "length %zu split at %zu: 0x%04x != 0x%04x",
			       n, k, pieces, whole);
		}
	}
}

static void test_csum_long_buffer_no_overflow(void)
{
	/* 1 MiB of 0xff: an unfolded 32-bit sum would wrap, and losing
	 * 2^32 shifts a one's complement sum by 1. */
	size_t n = 1 << 20;
	uint8_t *buf = malloc(n);

	if (!buf)
		abort();
	memset(buf, 0xff, n);
	CHECK_EQ(ndp_csum_fold(ndp_csum_add(0, buf, n)), ref_csum(buf, n));
	buf[n - 1] = 0xfe;
	CHECK_EQ(ndp_csum_fold(ndp_csum_add(0, buf, n)), ref_csum(buf, n));
	free(buf);
}

static void test_icmp6_csum_real_ns(void)
{
	struct in6_addr src = ip6("2001:db8::1"), dst = ip6("ff02::1:ff00:2");
	uint8_t icmp[32];

	/* Sanity of the test itself: the reference agrees with Linux. */
	CHECK_EQ(ref_frame_csum(real_ns), 0);
	CHECK_EQ(ref_frame_csum(real_dad_ns), 0);

	/* Over a valid message with its checksum in place: 0. */
	CHECK_EQ(ndp_icmp6_csum(&src, &dst, real_ns + OFF_ICMP, 32), 0);

	/* With the field zeroed: the value Linux stored, 0x1c27. */
	memcpy(icmp, real_ns + OFF_ICMP, sizeof(icmp));
	icmp[2] = icmp[3] = 0;
	CHECK_EQ(ndp_icmp6_csum(&src, &dst, icmp, sizeof(icmp)), 0x1c27);

	/* The DAD probe, from ::, with its nonce. */
	src = ip6("::");
	dst = ip6("ff02::1:ff00:1");
	CHECK_EQ(ndp_icmp6_csum(&src, &dst, real_dad_ns + OFF_ICMP, 32), 0);
	memcpy(icmp, real_dad_ns + OFF_ICMP, sizeof(icmp));
	icmp[2] = icmp[3] = 0;
	CHECK_EQ(ndp_icmp6_csum(&src, &dst, icmp, sizeof(icmp)), 0xe217);
}

static void test_icmp6_csum_matches_reference(void)
{
	uint64_t rng = 0x1c1c1c;
	uint8_t msg[101];

	/* Random addresses and messages of every length up to 101. */
	for (size_t n = 0; n <= sizeof(msg); n++) {
		struct in6_addr src, dst;
		uint16_t got, want;

		rng_fill(&rng, src.s6_addr, 16);
		rng_fill(&rng, dst.s6_addr, 16);
		rng_fill(&rng, msg, sizeof(msg));
		got = ndp_icmp6_csum(&src, &dst, msg, n);
		want = ref_icmp6_csum(src.s6_addr, dst.s6_addr, msg, n);
		CHECKF(got == want, "length %zu: got 0x%04x, want 0x%04x",
		       n, got, want);
	}
}

/* ------------------------------------------------------------------ */
/* 2. Neighbor Advertisement builder                                   */
/* ------------------------------------------------------------------ */

/*
 * Build the NA for ns with our MAC 02:00:00:00:00:02 into a buffer
 * pre-filled with a pattern, and compare it with want; bytes past the
 * frame must not be touched.
 */
static void check_na(const struct ndp_ns *ns,
		     const uint8_t want[NDP_NA_FRAME_LEN])
{
	uint8_t buf[NDP_NA_FRAME_LEN + 16];
	size_t len;

	/* The expected frame itself must carry a right checksum. */
	CHECK_EQ(ref_frame_csum(want), 0);

	memset(buf, 0xa5, sizeof(buf));
	len = ndp_build_na(buf, mac_ours, ns);
	CHECK_EQ(len, NDP_NA_FRAME_LEN);
	CHECK_FRAME(buf, want, NDP_NA_FRAME_LEN);
	for (size_t i = NDP_NA_FRAME_LEN; i < sizeof(buf); i++)
		CHECKF(buf[i] == 0xa5, "byte %zu past the frame written", i);
}

static void test_na_multicast_ns_with_sllao(void)
{
	static const uint8_t want[NDP_NA_FRAME_LEN] = {
		/* Ethernet */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x03,	/* destination: the NS's SLLAO */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* source: our MAC */
		0x86, 0xdd,				/* ethertype: IPv6 */
		/* IPv6 */
		0x60, 0x00, 0x00, 0x00,			/* version 6, class 0, flow 0 */
		0x00, 0x20,				/* payload length: 32 */
		0x3a,					/* next header: ICMPv6 */
		0xff,					/* hop limit: 255 */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* source: the target, */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,	/*   2001:db8::5 */
		0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* destination: NS source, */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   fe80::1 */
		/* ICMPv6 Neighbor Advertisement */
		0x88,					/* type: 136 */
		0x00,					/* code: 0 */
		0x39, 0xa3,				/* checksum */
		0xe0, 0x00, 0x00, 0x00,			/* flags R|S|O, reserved */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* target: */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,	/*   2001:db8::5 */
		/* Target link-layer address option */
		0x02,					/* type: 2 */
		0x01,					/* length: 1 (8 bytes) */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* our MAC */
	};
	struct ndp_ns ns;

	/* A router's multicast NS; its SLLAO differs from the Ethernet
	 * source so that the test tells which one the NA goes to. */
	memset(&ns, 0, sizeof(ns));
	memcpy(ns.eth_src, mac_host, NDP_MAC_LEN);
	memcpy(ns.sllao, mac_other, NDP_MAC_LEN);
	ns.has_sllao = true;
	ns.src = ip6("fe80::1");
	ns.dst = ip6("ff02::1:ff00:5");
	ns.target = ip6("2001:db8::5");
	check_na(&ns, want);
}

static void test_na_unicast_ns_without_sllao(void)
{
	static const uint8_t want[NDP_NA_FRAME_LEN] = {
		/* Ethernet */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* destination: NS Ethernet source */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* source: our MAC */
		0x86, 0xdd,				/* ethertype: IPv6 */
		/* IPv6 */
		0x60, 0x00, 0x00, 0x00,			/* version 6, class 0, flow 0 */
		0x00, 0x20,				/* payload length: 32 */
		0x3a,					/* next header: ICMPv6 */
		0xff,					/* hop limit: 255 */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* source: the target, */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,	/*   2001:db8::5 */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* destination: NS source, */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   2001:db8::1 */
		/* ICMPv6 Neighbor Advertisement */
		0x88,					/* type: 136 */
		0x00,					/* code: 0 */
		0x2a, 0x6b,				/* checksum */
		0xc0, 0x00, 0x00, 0x00,			/* flags R|S, reserved */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* target: */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,	/*   2001:db8::5 */
		/* Target link-layer address option */
		0x02,					/* type: 2 */
		0x01,					/* length: 1 (8 bytes) */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* our MAC */
	};
	struct ndp_ns ns;

	/* A NUD probe sent to the target itself. ns.sllao holds another
	 * MAC, but has_sllao is false, so it must be ignored. */
	memset(&ns, 0, sizeof(ns));
	memcpy(ns.eth_src, mac_host, NDP_MAC_LEN);
	memcpy(ns.sllao, mac_other, NDP_MAC_LEN);
	ns.has_sllao = false;
	ns.src = ip6("2001:db8::1");
	ns.dst = ip6("2001:db8::5");
	ns.target = ip6("2001:db8::5");
	check_na(&ns, want);
}

static void test_na_dad_probe(void)
{
	static const uint8_t want[NDP_NA_FRAME_LEN] = {
		/* Ethernet */
		0x33, 0x33, 0x00, 0x00, 0x00, 0x01,	/* destination: all-nodes group */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* source: our MAC */
		0x86, 0xdd,				/* ethertype: IPv6 */
		/* IPv6 */
		0x60, 0x00, 0x00, 0x00,			/* version 6, class 0, flow 0 */
		0x00, 0x20,				/* payload length: 32 */
		0x3a,					/* next header: ICMPv6 */
		0xff,					/* hop limit: 255 */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* source: the target, */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,	/*   2001:db8::5 */
		0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* destination: all-nodes, */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   ff02::1 */
		/* ICMPv6 Neighbor Advertisement */
		0x88,					/* type: 136 */
		0x00,					/* code: 0 */
		0x79, 0x21,				/* checksum */
		0xa0, 0x00, 0x00, 0x00,			/* flags R|O (S=0), reserved */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* target: */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,	/*   2001:db8::5 */
		/* Target link-layer address option */
		0x02,					/* type: 2 */
		0x01,					/* length: 1 (8 bytes) */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* our MAC */
	};
	struct ndp_ns ns;

	memset(&ns, 0, sizeof(ns));
	memcpy(ns.eth_src, mac_host, NDP_MAC_LEN);
	ns.src = ip6("::");
	ns.dst = ip6("ff02::1:ff00:5");
	ns.target = ip6("2001:db8::5");
	check_na(&ns, want);
}

/* ------------------------------------------------------------------ */
/* 3. Neighbor Solicitation builder                                    */
/* ------------------------------------------------------------------ */

static void test_ns_build_with_sllao_and_nonce(void)
{
	static const uint8_t want[NDP_NS_FRAME_MAX] = {
		/* Ethernet */
		0x33, 0x33, 0xff, 0x00, 0x00, 0x05,	/* destination: 33:33:ff:00:00:05 */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source: 02:00:00:00:00:01 */
		0x86, 0xdd,				/* ethertype: IPv6 */
		/* IPv6 */
		0x60, 0x00, 0x00, 0x00,			/* version 6, class 0, flow 0 */
		0x00, 0x28,				/* payload length: 40 */
		0x3a,					/* next header: ICMPv6 */
		0xff,					/* hop limit: 255 */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* source: */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   2001:db8::1 */
		0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* destination: */
		0x00, 0x00, 0x00, 0x01, 0xff, 0x00, 0x00, 0x05,	/*   ff02::1:ff00:5 */
		/* ICMPv6 Neighbor Solicitation */
		0x87,					/* type: 135 */
		0x00,					/* code: 0 */
		0x05, 0x0c,				/* checksum */
		0x00, 0x00, 0x00, 0x00,			/* reserved */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* target: */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,	/*   2001:db8::5 */
		/* Source link-layer address option */
		0x01,					/* type: 1 */
		0x01,					/* length: 1 (8 bytes) */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* 02:00:00:00:00:01 */
		/* Nonce option */
		0x0e,					/* type: 14 */
		0x01,					/* length: 1 (8 bytes) */
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06,	/* nonce */
	};
	static const uint8_t eth_dst[NDP_MAC_LEN] = {
		0x33, 0x33, 0xff, 0x00, 0x00, 0x05,
	};
	static const uint8_t nonce[6] = { 1, 2, 3, 4, 5, 6 };
	struct in6_addr src = ip6("2001:db8::1"), dst = ip6("ff02::1:ff00:5");
	struct in6_addr target = ip6("2001:db8::5");
	uint8_t buf[NDP_NS_FRAME_MAX + 16];
	size_t len;

	CHECK_EQ(ref_frame_csum(want), 0);
	memset(buf, 0xa5, sizeof(buf));
	len = ndp_build_ns(buf, mac_host, eth_dst, &src, &dst, &target,
			   mac_host, nonce);
	CHECK_EQ(len, 94);
	CHECK_FRAME(buf, want, sizeof(want));
	for (size_t i = sizeof(want); i < sizeof(buf); i++)
		CHECKF(buf[i] == 0xa5, "byte %zu past the frame written", i);
}

static void test_ns_build_bare(void)
{
	static const uint8_t want[78] = {
		/* Ethernet */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* destination: 02:00:00:00:00:02 */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* source: 02:00:00:00:00:01 */
		0x86, 0xdd,				/* ethertype: IPv6 */
		/* IPv6 */
		0x60, 0x00, 0x00, 0x00,			/* version 6, class 0, flow 0 */
		0x00, 0x18,				/* payload length: 24 */
		0x3a,					/* next header: ICMPv6 */
		0xff,					/* hop limit: 255 */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* source: */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,	/*   2001:db8::1 */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* destination: */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,	/*   2001:db8::5 */
		/* ICMPv6 Neighbor Solicitation */
		0x87,					/* type: 135 */
		0x00,					/* code: 0 */
		0xef, 0x76,				/* checksum */
		0x00, 0x00, 0x00, 0x00,			/* reserved */
		0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,	/* target: */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,	/*   2001:db8::5 */
	};
	struct in6_addr src = ip6("2001:db8::1"), dst = ip6("2001:db8::5");
	uint8_t buf[NDP_NS_FRAME_MAX + 16];
	size_t len;

	CHECK_EQ(ref_frame_csum(want), 0);
	memset(buf, 0xa5, sizeof(buf));
	len = ndp_build_ns(buf, mac_host, mac_ours, &src, &dst, &dst,
			   NULL, NULL);
	CHECK_EQ(len, 78);
	CHECK_FRAME(buf, want, sizeof(want));
	for (size_t i = sizeof(want); i < sizeof(buf); i++)
		CHECKF(buf[i] == 0xa5, "byte %zu past the frame written", i);
}

/* Build an NS with ndp_build_ns, parse it back, compare the fields. */
static void check_ns_round_trip(const uint8_t eth_dst[NDP_MAC_LEN],
				const char *src, const char *dst,
				const char *target, const uint8_t *sllao,
				const uint8_t *nonce)
{
	struct in6_addr s = ip6(src), d = ip6(dst), t = ip6(target);
	uint8_t buf[NDP_NS_FRAME_MAX];
	struct ndp_ns ns;
	size_t len;

	len = ndp_build_ns(buf, mac_host, eth_dst, &s, &d, &t, sllao, nonce);
	CHECK(len <= sizeof(buf));
	CHECK_VERDICT(parse_exact(buf, len, &ns), NDP_OK);
	CHECK_BYTES(ns.eth_src, mac_host, NDP_MAC_LEN);
	CHECK_EQ(ns.has_sllao, sllao != NULL);
	if (sllao && ns.has_sllao)
		CHECK_BYTES(ns.sllao, sllao, NDP_MAC_LEN);
	CHECK_ADDR(ns.src, src);
	CHECK_ADDR(ns.dst, dst);
	CHECK_ADDR(ns.target, target);
}

static void test_ns_round_trip_multicast(void)
{
	static const uint8_t eth_dst[NDP_MAC_LEN] = {
		0x33, 0x33, 0xff, 0x00, 0x00, 0x05,
	};

	check_ns_round_trip(eth_dst, "2001:db8::1", "ff02::1:ff00:5",
			    "2001:db8::5", mac_host, NULL);
}

static void test_ns_round_trip_unicast(void)
{
	check_ns_round_trip(mac_ours, "2001:db8::1", "2001:db8::5",
			    "2001:db8::5", NULL, NULL);
}

static void test_ns_round_trip_dad(void)
{
	static const uint8_t eth_dst[NDP_MAC_LEN] = {
		0x33, 0x33, 0xff, 0x00, 0x00, 0x05,
	};
	static const uint8_t nonce[6] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01 };

	check_ns_round_trip(eth_dst, "::", "ff02::1:ff00:5", "2001:db8::5",
			    NULL, nonce);
}

/* ------------------------------------------------------------------ */
/* 4. Parser validation                                                */
/* ------------------------------------------------------------------ */

static void test_parse_valid_ns(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	memset(&ns, 0xee, sizeof(ns));
	CHECK_VERDICT(parse(&f, &ns), NDP_OK);
	CHECK_BYTES(ns.eth_src, mac_host, NDP_MAC_LEN);
	CHECK(ns.has_sllao);
	CHECK_BYTES(ns.sllao, mac_host, NDP_MAC_LEN);
	CHECK_ADDR(ns.src, "2001:db8::1");
	CHECK_ADDR(ns.dst, "ff02::1:ff00:2");
	CHECK_ADDR(ns.target, "2001:db8::2");

	/* The fields come from the frame, not from constants. */
	memcpy(f.b + OFF_ETH_SRC, mac_ours, NDP_MAC_LEN);
	memcpy(f.b + OFF_OPTS + 2, mac_other, NDP_MAC_LEN);
	frame_put_addr(&f, OFF_IP6_SRC, "fe80::1234");
	frame_put_addr(&f, OFF_IP6_DST, "2001:db8::77");
	frame_put_addr(&f, OFF_TARGET, "2001:db8::77");
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_OK);
	CHECK_BYTES(ns.eth_src, mac_ours, NDP_MAC_LEN);
	CHECK_BYTES(ns.sllao, mac_other, NDP_MAC_LEN);
	CHECK_ADDR(ns.src, "fe80::1234");
	CHECK_ADDR(ns.dst, "2001:db8::77");
	CHECK_ADDR(ns.target, "2001:db8::77");
}

static void test_parse_every_truncation_rejected(void)
{
	struct ndp_ns ns;

	/* Each prefix sits in a buffer of exactly its length. */
	for (size_t len = 0; len < sizeof(real_ns); len++) {
		enum ndp_verdict v = parse_exact(real_ns, len, &ns);

		CHECKF(v != NDP_OK, "truncated to %zu bytes: accepted", len);
		CHECKF(v == (len < OFF_ICMP ? NDP_DROP_SHORT : NDP_DROP_TRUNCATED),
		       "truncated to %zu bytes: %s", len, ndp_verdict_name(v));
	}
}

static void test_parse_every_consistent_truncation(void)
{
	struct ndp_ns ns;

	/* Cut the frame and the payload length together, checksum fixed:
	 * the options walk must stop at the end of the buffer. */
	for (size_t len = OFF_ICMP; len < sizeof(real_ns); len++) {
		struct frame f;
		enum ndp_verdict v, want;

		frame_base(&f);
		frame_set_payload(&f, len - OFF_ICMP);
		frame_fix_csum(&f);
		v = parse(&f, &ns);
		if (len < OFF_OPTS)
			want = NDP_DROP_ICMPLEN;
		else if (len == OFF_OPTS)
			want = NDP_OK;		/* an NS without options */
		else
			want = NDP_DROP_OPTION;
		CHECKF(v == want, "cut to %zu bytes: got %s, want %s", len,
		       ndp_verdict_name(v), ndp_verdict_name(want));
	}
}

static void test_parse_trailing_padding_ok(void)
{
	static const uint8_t pad[4] = { 0, 0, 0, 0 };
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	memcpy(f.b + f.len, pad, sizeof(pad));	/* not in the payload length */
	f.len += sizeof(pad);
	CHECK_VERDICT(parse(&f, &ns), NDP_OK);
	CHECK(ns.has_sllao);
	CHECK_ADDR(ns.target, "2001:db8::2");
}

static void test_parse_drop_short(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	f.len = OFF_ICMP - 1;		/* one byte short of the IPv6 header */
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_SHORT);
	f.len = 0;
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_SHORT);
}

static void test_parse_drop_ethertype(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	put16(f.b + OFF_ETH_TYPE, 0x0800);	/* IPv4 */
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_ETHERTYPE);
	put16(f.b + OFF_ETH_TYPE, 0x8100);	/* 802.1Q tag */
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_ETHERTYPE);
}

static void test_parse_drop_version(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	f.b[OFF_IP6_VFC] = 0x40;		/* version 4 */
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_VERSION);
	f.b[OFF_IP6_VFC] = 0x70;		/* version 7 */
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_VERSION);
}

static void test_parse_drop_truncated(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	put16(f.b + OFF_IP6_PLEN, f.len - OFF_ICMP + 1);	/* one past */
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_TRUNCATED);
	put16(f.b + OFF_IP6_PLEN, 0xffff);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_TRUNCATED);
}

static void test_parse_drop_nexthdr(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	f.b[OFF_IP6_NXT] = 0;			/* hop-by-hop options */
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_NEXTHDR);
	f.b[OFF_IP6_NXT] = 17;			/* UDP */
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_NEXTHDR);
}

static void test_parse_drop_hoplimit(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	f.b[OFF_IP6_HLIM] = 254;		/* forwarded once */
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_HOPLIMIT);
	f.b[OFF_IP6_HLIM] = 0;
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_HOPLIMIT);
}

static void test_parse_drop_icmplen(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	frame_set_payload(&f, NDP_ICMP_NS_LEN - 1);	/* 23 bytes */
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_ICMPLEN);
	frame_set_payload(&f, 0);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_ICMPLEN);
}

static void test_parse_drop_type(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	f.b[OFF_ICMP_TYPE] = 136;		/* a Neighbor Advertisement */
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_TYPE);
}

static void test_parse_drop_code(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	f.b[OFF_ICMP_CODE] = 1;
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_CODE);
}

static void test_parse_drop_checksum(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	f.b[OFF_ICMP_CSUM + 1] ^= 0x01;
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_CHECKSUM);

	/* The pseudo-header is covered: change the source only. */
	frame_base(&f);
	f.b[OFF_IP6_SRC + 15] = 0x03;
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_CHECKSUM);

	/* So is the option area. */
	frame_base(&f);
	f.b[OFF_OPTS + 7] ^= 0x10;
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_CHECKSUM);
}

static void test_parse_drop_source(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	frame_put_addr(&f, OFF_IP6_SRC, "ff02::1");
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_SOURCE);
}

static void test_parse_drop_target_mcast(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	frame_put_addr(&f, OFF_TARGET, "ff02::1");
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_TARGET_MCAST);
	frame_put_addr(&f, OFF_TARGET, "ff0e::2001:db8:1");
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_TARGET_MCAST);
}

static void check_target_scope(const char *target)
{
	struct frame f;
	struct ndp_ns ns;
	enum ndp_verdict v;

	frame_base(&f);
	frame_put_addr(&f, OFF_TARGET, target);
	frame_fix_csum(&f);
	v = parse(&f, &ns);
	CHECKF(v == NDP_DROP_TARGET_SCOPE, "target %s: got %s", target,
	       ndp_verdict_name(v));
}

static void test_parse_drop_target_linklocal(void)
{
	struct ndp_ns ns;

	check_target_scope("fe80::1");
	check_target_scope("febf:ffff::1");	/* still in fe80::/10 */
	/* Linux's own DAD probe for its link-local address. */
	CHECK_VERDICT(parse_exact(real_dad_ns, sizeof(real_dad_ns), &ns),
		      NDP_DROP_TARGET_SCOPE);
}

static void test_parse_drop_target_loopback(void)
{
	check_target_scope("::1");
}

static void test_parse_drop_target_unspecified(void)
{
	check_target_scope("::");
}

static void test_parse_drop_option_zero_length(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	f.b[OFF_OPTS + 1] = 0;			/* SLLAO of length 0 */
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_OPTION);
}

static void test_parse_drop_option_past_end(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	f.b[OFF_OPTS + 1] = 2;			/* 16 bytes; 8 are left */
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_OPTION);
}

static void test_parse_drop_option_stray_byte(void)
{
	static const uint8_t stray[1] = { NDP_OPT_SLLA };
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	frame_append(&f, stray, sizeof(stray));	/* payload 33 bytes */
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_OPTION);
}

static void test_parse_drop_dad_dest(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	frame_drop_options(&f);
	frame_put_addr(&f, OFF_IP6_SRC, "::");
	frame_put_addr(&f, OFF_IP6_DST, "2001:db8::2");	/* the target */
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_DAD_DEST);
	frame_put_addr(&f, OFF_IP6_DST, "ff02::1");	/* all-nodes */
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_DAD_DEST);
	/* Control: to the solicited-node group it is a valid probe. */
	frame_put_addr(&f, OFF_IP6_DST, "ff02::1:ff00:2");
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_OK);
}

static void test_parse_drop_dad_sllao(void)
{
	/* An SLLAO of length 2: not an Ethernet address, still an SLLAO. */
	static const uint8_t sllao16[16] = { NDP_OPT_SLLA, 2, 0x02, 0, 0, 0, 0, 0x01 };
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);				/* to ff02::1:ff00:2 */
	frame_put_addr(&f, OFF_IP6_SRC, "::");
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_DAD_SLLAO);

	frame_drop_options(&f);
	frame_append(&f, sllao16, sizeof(sllao16));
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_DAD_SLLAO);
}

static void test_parse_drop_lladdr_group_sllao(void)
{
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	memcpy(f.b + OFF_OPTS + 2, mac_group, NDP_MAC_LEN);
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_LLADDR);
}

static void test_parse_drop_lladdr_group_eth_src(void)
{
	static const uint8_t ipv4_group[NDP_MAC_LEN] = {
		0x01, 0x00, 0x5e, 0x00, 0x00, 0x01,
	};
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	frame_drop_options(&f);
	memcpy(f.b + OFF_ETH_SRC, ipv4_group, NDP_MAC_LEN);
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_DROP_LLADDR);
}

static void test_parse_sllao_overrides_group_eth_src(void)
{
	struct frame f;
	struct ndp_ns ns;

	/* The NA goes to the SLLAO, which is unicast: fine. */
	frame_base(&f);
	memcpy(f.b + OFF_ETH_SRC, mac_group, NDP_MAC_LEN);
	CHECK_VERDICT(parse(&f, &ns), NDP_OK);
	CHECK_BYTES(ns.eth_src, mac_group, NDP_MAC_LEN);
	CHECK_BYTES(ns.sllao, mac_host, NDP_MAC_LEN);
}

static void test_parse_long_sllao_skipped(void)
{
	static const uint8_t sllao16[16] = {
		NDP_OPT_SLLA, 2,			/* type 1, 16 bytes */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x03,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00,
	};
	struct frame f;
	struct ndp_ns ns;

	frame_base(&f);
	frame_drop_options(&f);
	frame_append(&f, sllao16, sizeof(sllao16));
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_OK);
	CHECK(!ns.has_sllao);
	CHECK_BYTES(ns.eth_src, mac_host, NDP_MAC_LEN);
}

static void test_parse_unknown_options_skipped(void)
{
	static const uint8_t unknown[8] = { 200, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t unknown16[16] = { 0, 2, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01 };
	static const uint8_t sllao[8] = { NDP_OPT_SLLA, 1, 0x02, 0, 0, 0, 0, 0x03 };
	struct frame f;
	struct ndp_ns ns;

	/* Unknown type 200, then type 0 of 16 bytes, then the SLLAO. */
	frame_base(&f);
	frame_drop_options(&f);
	frame_append(&f, unknown, sizeof(unknown));
	frame_append(&f, unknown16, sizeof(unknown16));
	frame_append(&f, sllao, sizeof(sllao));
	frame_fix_csum(&f);
	CHECK_VERDICT(parse(&f, &ns), NDP_OK);
	CHECK(ns.has_sllao);
	CHECK_BYTES(ns.sllao, mac_other, NDP_MAC_LEN);
}

static void test_verdict_names_distinct(void)
{
	for (unsigned i = 0; i < NDP_VERDICT_MAX; i++) {
		const char *name = ndp_verdict_name((enum ndp_verdict)i);

		CHECKF(name && *name, "verdict %u: no name", i);
		if (!name)
			continue;
		CHECKF(strcmp(name, "unknown") != 0, "verdict %u: unknown", i);
		for (unsigned j = 0; j < i; j++)
			CHECKF(strcmp(name, ndp_verdict_name((enum ndp_verdict)j)) != 0,
			       "verdicts %u and %u both named %s", j, i, name);
	}
	CHECK(strcmp(ndp_verdict_name(NDP_VERDICT_MAX), "unknown") == 0);
}

/*
 * Random frames, mostly valid up to the options, in exact-size buffers:
 * under ASan (test/unit-san) an out-of-bounds read fails the run. An accepted
 * frame must satisfy what ndp_parse_ns promises.
 */
static void test_parse_random_frames(void)
{
	uint64_t rng = 0x5eed5eed;
	unsigned accepted = 0, seen[NDP_VERDICT_MAX] = { 0 };
	unsigned kinds = 0;

	for (int i = 0; i < 20000; i++) {
		struct frame f;
		struct ndp_ns ns;
		enum ndp_verdict v;
		size_t n;

		frame_base(&f);
		f.len = rng_below(&rng, sizeof(real_ns) + 25);
		if (f.len > sizeof(real_ns))
			rng_fill(&rng, f.b + sizeof(real_ns),
				 f.len - sizeof(real_ns));
		/* A few random bytes, mostly in the options. */
		for (n = rng_below(&rng, 4); n > 0 && f.len > 0; n--) {
			size_t off = f.len > OFF_OPTS && rng_below(&rng, 4) ?
				OFF_OPTS + rng_below(&rng, f.len - OFF_OPTS) :
				rng_below(&rng, f.len);

			f.b[off] = (uint8_t)rng_next(&rng);
		}
		if (rng_below(&rng, 4) && f.len >= OFF_ICMP) {
			frame_set_payload(&f, f.len - OFF_ICMP);
			frame_fix_csum(&f);
		}
		v = parse(&f, &ns);
		CHECKF((unsigned)v < NDP_VERDICT_MAX, "frame %d: verdict %d", i, (int)v);
		if ((unsigned)v >= NDP_VERDICT_MAX)
			continue;
		seen[v]++;
		if (v != NDP_OK)
			continue;
		accepted++;
		CHECKF(f.len >= OFF_OPTS && ref_frame_csum(f.b) == 0,
		       "frame %d: accepted a bad frame", i);
		CHECKF(memcmp(ns.src.s6_addr, f.b + OFF_IP6_SRC, 16) == 0 &&
		       memcmp(ns.dst.s6_addr, f.b + OFF_IP6_DST, 16) == 0 &&
		       memcmp(ns.target.s6_addr, f.b + OFF_TARGET, 16) == 0,
		       "frame %d: addresses differ from the frame", i);
		CHECKF(ns.src.s6_addr[0] != 0xff && ns.target.s6_addr[0] != 0xff,
		       "frame %d: multicast source or target accepted", i);
		if (ndp_addr_is_unspecified(&ns.src))
			CHECKF(ndp_addr_is_solicited_node(&ns.dst) && !ns.has_sllao,
			       "frame %d: bad DAD probe accepted", i);
		else
			CHECKF(!((ns.has_sllao ? ns.sllao : ns.eth_src)[0] & 1),
			       "frame %d: NA would go to a group MAC", i);
	}
	for (unsigned k = 0; k < NDP_VERDICT_MAX; k++)
		if (seen[k])
			kinds++;
	/* The test must exercise both outcomes and many of the rules. */
	CHECKF(accepted > 400, "only %u frames accepted", accepted);
	CHECKF(kinds >= 12, "only %u distinct verdicts", kinds);
}

static void test_solicited_node_and_multicast_mac(void)
{
	static const uint8_t want_mac[NDP_MAC_LEN] = {
		0x33, 0x33, 0xff, 0x45, 0x67, 0x89,
	};
	struct in6_addr a = ip6("2001:db8::1:2345:6789"), g;
	uint8_t mac[NDP_MAC_LEN];

	ndp_solicited_node(&a, &g);
	CHECK_ADDR(g, "ff02::1:ff45:6789");
	CHECK(ndp_addr_is_solicited_node(&g));
	CHECK(!ndp_addr_is_solicited_node(&a));
	ndp_multicast_mac(&g, mac);
	CHECK_BYTES(mac, want_mac, NDP_MAC_LEN);
}

/* ------------------------------------------------------------------ */
/* 5. Prefix parsing                                                   */
/* ------------------------------------------------------------------ */

static void test_prefix_parse_table(void)
{
	static const struct {
		const char *in;
		bool ok;
		const char *addr;	/* normalized, if ok */
		unsigned len;
		bool host_bits;
	} cases[] = {
		{ "2001:db8::/32", true, "2001:db8::", 32, false },
		{ "2001:db8::1/64", true, "2001:db8::", 64, true },
		{ "2001:db8::5", true, "2001:db8::5", 128, false },
		{ "::/0", true, "::", 0, false },
		{ "2001:db8::1/0", true, "::", 0, true },
		{ "2001:db8::1/128", true, "2001:db8::1", 128, false },
		{ "2001:db8:ffff:ffff::/33", true, "2001:db8:8000::", 33, true },
		/* Decided: leading zeros are accepted. */
		{ "2001:db8::/064", true, "2001:db8::", 64, false },
		/* The longest address text there is: 45 characters. */
		{ "0000:0000:0000:0000:0000:ffff:255.255.255.255/128", true,
		  "::ffff:255.255.255.255", 128, false },
		{ "2001:db8::/129", false, NULL, 0, false },
		{ "192.0.2.0/24", false, NULL, 0, false },
		{ "192.0.2.1", false, NULL, 0, false },
		{ "2001:db8::/", false, NULL, 0, false },
		{ "2001:db8::/x", false, NULL, 0, false },
		{ "2001:db8::/64x", false, NULL, 0, false },
		{ "/64", false, NULL, 0, false },
		{ "", false, NULL, 0, false },
		{ "2001:db8::/-1", false, NULL, 0, false },
		{ "2001:db8::/+64", false, NULL, 0, false },
		{ "2001:db8::/ 64", false, NULL, 0, false },
		{ "2001:db8::/64 ", false, NULL, 0, false },
		{ " 2001:db8::/64", false, NULL, 0, false },
		{ "2001:db8::/64/64", false, NULL, 0, false },
		{ "2001:db8::g/64", false, NULL, 0, false },
		{ "fe80::1%eth0/64", false, NULL, 0, false },
		{ "2001:db8::/1000000000000", false, NULL, 0, false },
		/* 2^32 + 64: would read as 64 if the length wrapped. */
		{ "2001:db8::/4294967360", false, NULL, 0, false },
		{ "0000:0000:0000:0000:0000:ffff:255.255.255.2555/128", false,
		  NULL, 0, false },
	};
	char overlong[4096];
	struct ndp_prefix p;
	bool host_bits;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *err;

		/* The opposite of the answer, to see that it is set. */
		host_bits = !cases[i].host_bits;
		err = ndp_prefix_parse(cases[i].in, &p, &host_bits);

		if (!cases[i].ok) {
			CHECKF(err != NULL, "\"%s\" accepted", cases[i].in);
			CHECKF(!err || *err, "\"%s\": empty message", cases[i].in);
			continue;
		}
		CHECKF(err == NULL, "\"%s\" rejected: %s", cases[i].in, err);
		if (err)
			continue;
		CHECKF(p.len == cases[i].len, "\"%s\": length %u, want %u",
		       cases[i].in, (unsigned)p.len, cases[i].len);
		CHECKF(memcmp(p.addr.s6_addr, ip6(cases[i].addr).s6_addr, 16) == 0,
		       "\"%s\": address not %s", cases[i].in, cases[i].addr);
		CHECKF(host_bits == cases[i].host_bits, "\"%s\": host_bits %d",
		       cases[i].in, host_bits);
	}

	/* Far longer than any address, with and without a length. */
	memset(overlong, '1', sizeof(overlong));
	memcpy(overlong + sizeof(overlong) - 4, "/64", 4);
	CHECK(ndp_prefix_parse(overlong, &p, &host_bits) != NULL);
	overlong[sizeof(overlong) - 4] = '\0';
	CHECK(ndp_prefix_parse(overlong, &p, &host_bits) != NULL);
}

/* ------------------------------------------------------------------ */
/* 6. Prefix sets                                                      */
/* ------------------------------------------------------------------ */

static struct ndp_prefix prefix(const char *addr, unsigned len)
{
	struct ndp_prefix p;

	memset(&p, 0, sizeof(p));
	p.addr = ip6(addr);
	p.len = (uint8_t)len;
	return p;
}

struct lookup {
	const char *addr;
	bool in;
};

static void check_lookups(const struct ndp_prefix_set *s,
			  const struct lookup *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct in6_addr a = ip6(t[i].addr);
		bool got = ndp_prefix_set_contains(s, &a);

		CHECKF(got == t[i].in, "%s: %s, want %s", t[i].addr,
		       got ? "in" : "out", t[i].in ? "in" : "out");
	}
}

static void test_prefix_set_mixed_lengths(void)
{
	struct ndp_prefix v[] = {
		prefix("2001:db8:2::", 64),
		prefix("8000::", 1),
		prefix("2001:db8::1", 128),
		prefix("2001:db8:1::", 112),
	};
	static const struct lookup t[] = {
		{ "2001:db8::1", true },		/* /128 */
		{ "2001:db8::2", false },
		{ "2001:db8::", false },
		{ "2001:db8:1::1234", true },		/* /112 */
		{ "2001:db8:1::1:1234", false },
		{ "2001:db8:2::1", true },		/* /64 */
		{ "2001:db8:2:0:ffff:ffff:ffff:ffff", true },
		{ "2001:db8:2:1::", false },
		{ "2001:db8:3::", false },
		{ "8000::", true },			/* /1 */
		{ "fe80::1", true },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true },
		{ "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false },
		{ "::", false },
		{ "::1", false },
	};
	struct ndp_prefix_set s;

	ndp_prefix_set_init(&s, v, sizeof(v) / sizeof(v[0]));
	CHECK_EQ(s.n, 4);
	CHECK_EQ(s.nlens, 4);
	check_lookups(&s, t, sizeof(t) / sizeof(t[0]));
}

static void test_prefix_set_default_route(void)
{
	struct ndp_prefix v[] = { prefix("::", 0) };
	static const struct lookup t[] = {
		{ "::", true },
		{ "::1", true },
		{ "2001:db8::1", true },
		{ "fe80::1", true },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true },
	};
	struct ndp_prefix_set s;

	ndp_prefix_set_init(&s, v, 1);
	CHECK_EQ(s.n, 1);
	check_lookups(&s, t, sizeof(t) / sizeof(t[0]));
}

static void test_prefix_set_duplicates_collapse(void)
{
	struct ndp_prefix v[] = {
		prefix("2001:db8::", 32),
		prefix("2001:db8::", 64),
		prefix("2001:db8::", 32),
		prefix("2001:db8::5", 128),
		prefix("2001:db8::", 64),
		prefix("2001:db8::", 32),
		prefix("2001:db8::5", 128),
	};
	static const struct lookup t[] = {
		{ "2001:db8::5", true },
		{ "2001:db8:ffff::", true },
		{ "2001:db9::", false },
	};
	struct ndp_prefix_set s;

	ndp_prefix_set_init(&s, v, sizeof(v) / sizeof(v[0]));
	CHECK_EQ(s.n, 3);			/* same address, other length: kept */
	CHECK_EQ(s.nlens, 3);
	check_lookups(&s, t, sizeof(t) / sizeof(t[0]));
}

static void test_prefix_set_empty(void)
{
	static const struct lookup t[] = {
		{ "::", false },
		{ "2001:db8::1", false },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false },
	};
	struct ndp_prefix none[1];
	struct ndp_prefix_set s;

	ndp_prefix_set_init(&s, none, 0);
	CHECK_EQ(s.n, 0);
	check_lookups(&s, t, sizeof(t) / sizeof(t[0]));
	ndp_prefix_set_init(&s, NULL, 0);
	CHECK_EQ(s.n, 0);
	check_lookups(&s, t, sizeof(t) / sizeof(t[0]));
}

static void test_prefix_set_boundaries(void)
{
	struct ndp_prefix v[] = {
		prefix("2001:db8:1::", 112),
		prefix("2001:db8:0:8::", 61),		/* :8:: to :f:ffff:... */
	};
	static const struct lookup t[] = {
		{ "2001:db8:1::", true },		/* first of the /112 */
		{ "2001:db8:1::ffff", true },		/* last */
		{ "2001:db8:0:ffff:ffff:ffff:ffff:ffff", false },	/* before */
		{ "2001:db8:1::1:0", false },		/* after */
		{ "2001:db8:0:8::", true },		/* first of the /61 */
		{ "2001:db8:0:f:ffff:ffff:ffff:ffff", true },	/* last */
		{ "2001:db8:0:7:ffff:ffff:ffff:ffff", false },
		{ "2001:db8:0:10::", false },
	};
	struct ndp_prefix_set s;

	ndp_prefix_set_init(&s, v, sizeof(v) / sizeof(v[0]));
	check_lookups(&s, t, sizeof(t) / sizeof(t[0]));
}

/* Clear the bits of a past len. */
static void mask_addr(uint8_t a[16], unsigned len)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = len >= 8 * (i + 1) ? 8 :
				len > 8 * i ? len - 8 * i : 0;

		a[i] = (uint8_t)(a[i] & (0xff << (8 - keep)));
	}
}

static bool ref_contains(const struct ndp_prefix *v, size_t n,
			 const struct in6_addr *addr)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t a[16];

		memcpy(a, addr->s6_addr, 16);
		mask_addr(a, v[i].len);
		if (memcmp(a, v[i].addr.s6_addr, 16) == 0)
			return true;
	}
	return false;
}

static void test_prefix_set_random_cross_check(void)
{
	enum { NPREFIX = 5000, NADDR = 20000 };
	static struct ndp_prefix v[NPREFIX], orig[NPREFIX];
	static const uint8_t base[4] = { 0x20, 0x01, 0x0d, 0xb8 };
	uint64_t rng = 0x2001db8;
	struct ndp_prefix_set s;
	size_t unique = 0;
	unsigned hits = 0;

	/*
	 * Prefixes of lengths 40..128 within 2001:db8::/32; shorter ones,
	 * dozens of them among 5000, would cover the whole /32 and leave
	 * no misses to check. Many /40s collide, which tests deduplication.
	 */
	for (size_t i = 0; i < NPREFIX; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		memcpy(v[i].addr.s6_addr, base, 4);
		rng_fill(&rng, v[i].addr.s6_addr + 4, 12);
		v[i].len = (uint8_t)(40 + rng_below(&rng, 89));
		mask_addr(v[i].addr.s6_addr, v[i].len);
	}
	memcpy(orig, v, sizeof(v));
	for (size_t i = 0; i < NPREFIX; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (orig[j].len == orig[i].len &&
			    memcmp(&orig[j].addr, &orig[i].addr, 16) == 0)
				break;
		if (j == i)
			unique++;
	}

	ndp_prefix_set_init(&s, v, NPREFIX);
	CHECK_EQ(s.n, unique);
	CHECK(unique < NPREFIX);

	for (size_t i = 0; i < NADDR; i++) {
		const struct ndp_prefix *p = &orig[rng_below(&rng, NPREFIX)];
		struct in6_addr a;
		uint8_t m[16];
		bool got, want;

		rng_fill(&rng, a.s6_addr, 16);
		memcpy(a.s6_addr, base, 4);
		switch (i % 3) {
		case 0:		/* under a prefix of the set */
		case 1:		/* the same, the last prefix bit flipped */
			memset(m, 0xff, 16);
			mask_addr(m, p->len);
			for (unsigned b = 0; b < 16; b++)
				a.s6_addr[b] = (uint8_t)((p->addr.s6_addr[b] & m[b]) |
							 (a.s6_addr[b] & ~m[b]));
			if (i % 3 == 1)
				a.s6_addr[(p->len - 1) / 8] ^=
					(uint8_t)(0x80 >> ((p->len - 1) % 8));
			break;
		default:	/* anywhere in 2001:db8::/32 */
			break;
		}
		got = ndp_prefix_set_contains(&s, &a);
		want = ref_contains(orig, NPREFIX, &a);
		if (want)
			hits++;
		if (got != want) {
			char buf[INET6_ADDRSTRLEN];

			inet_ntop(AF_INET6, &a, buf, sizeof(buf));
			FAILF("%s: %s, want %s", buf, got ? "in" : "out",
			      want ? "in" : "out");
			break;
		}
	}
	/* Neither outcome may be rare, or the test would prove little. */
	CHECKF(hits > NADDR / 5 && hits < NADDR * 4 / 5, "%u hits of %d",
	       hits, NADDR);
}

/* ------------------------------------------------------------------ */
/* 7. The BPF program, run by the kernel                               */
/* ------------------------------------------------------------------ */

#define BPF_NOT_DELIVERED (-1L)
#define BPF_ERROR (-2L)

/*
 * Send frame over an AF_UNIX datagram socketpair whose receiving end
 * has prog attached: the kernel runs the filter on delivery, a datagram
 * it drops is discarded silently. There the packet type reads as
 * PACKET_HOST and no VLAN tag is present. Returns the length received
 * (content checked), or BPF_NOT_DELIVERED.
 *
 * As a control, the filter is then detached and the same frame must
 * arrive whole, so that a drop is the filter's doing.
 */
static long bpf_deliver(const struct sock_filter *prog, size_t ninsns,
			const uint8_t *frame, size_t len)
{
	struct sock_filter insns[64];
	struct sock_fprog fprog = { .len = (unsigned short)ninsns,
				    .filter = insns };
	uint8_t buf[2048];
	long result = BPF_ERROR;
	int sv[2], zero = 0;
	ssize_t n;

	if (ninsns > sizeof(insns) / sizeof(insns[0])) {
		FAILF("BPF program too long");
		return BPF_ERROR;
	}
	memcpy(insns, prog, ninsns * sizeof(*prog));
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) != 0) {
		FAILF("socketpair: %s", strerror(errno));
		return BPF_ERROR;
	}
	if (setsockopt(sv[1], SOL_SOCKET, SO_ATTACH_FILTER, &fprog,
		       sizeof(fprog)) != 0) {
		FAILF("SO_ATTACH_FILTER: %s", strerror(errno));
		goto out;
	}
	if (send(sv[0], frame, len, 0) != (ssize_t)len) {
		FAILF("send: %s", strerror(errno));
		goto out;
	}
	n = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		result = BPF_NOT_DELIVERED;
	} else if (n < 0) {
		FAILF("recv: %s", strerror(errno));
		goto out;
	} else {
		result = (long)n;
		if ((size_t)n == len)
			CHECK_BYTES(buf, frame, len);
	}

	/* Control: without the filter, the frame arrives. */
	if (setsockopt(sv[1], SOL_SOCKET, SO_DETACH_FILTER, &zero,
		       sizeof(zero)) != 0) {
		FAILF("SO_DETACH_FILTER: %s", strerror(errno));
		goto out;
	}
	if (send(sv[0], frame, len, 0) != (ssize_t)len) {
		FAILF("send: %s", strerror(errno));
		goto out;
	}
	n = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	CHECKF(n == (ssize_t)len, "control without filter: recv %zd of %zu",
	       n, len);
out:
	close(sv[0]);
	close(sv[1]);
	return result;
}

/* Deliver through ndp_bpf_prog, the daemon's filter. */
static long bpf_ns_deliver(const uint8_t *frame, size_t len)
{
	return bpf_deliver(ndp_bpf_prog,
			   sizeof(ndp_bpf_prog) / sizeof(ndp_bpf_prog[0]),
			   frame, len);
}

static void test_bpf_accepts_ns(void)
{
	CHECK_EQ(bpf_ns_deliver(real_ns, sizeof(real_ns)),
		 sizeof(real_ns));
	CHECK_EQ(bpf_ns_deliver(real_dad_ns, sizeof(real_dad_ns)),
		 sizeof(real_dad_ns));
}

/* Deliver the base frame with one byte changed; expect a drop. */
static void check_bpf_drops_byte(size_t off, uint8_t value)
{
	struct frame f;

	frame_base(&f);
	f.b[off] = value;
	CHECK_EQ(bpf_ns_deliver(f.b, f.len), BPF_NOT_DELIVERED);
}

static void test_bpf_drops_ethertype(void)
{
	check_bpf_drops_byte(OFF_ETH_TYPE, 0x08);	/* 0x08dd */
	check_bpf_drops_byte(OFF_ETH_TYPE + 1, 0x00);	/* 0x8600 */
}

static void test_bpf_drops_nexthdr_hop_by_hop(void)
{
	check_bpf_drops_byte(OFF_IP6_NXT, 0);
}

static void test_bpf_drops_nexthdr_udp(void)
{
	check_bpf_drops_byte(OFF_IP6_NXT, 17);
}

static void test_bpf_drops_hoplimit_64(void)
{
	check_bpf_drops_byte(OFF_IP6_HLIM, 64);
}

static void test_bpf_drops_na(void)
{
	check_bpf_drops_byte(OFF_ICMP_TYPE, 136);
}

static void test_bpf_drops_code_1(void)
{
	check_bpf_drops_byte(OFF_ICMP_CODE, 1);
}

static void test_bpf_drops_short_frames(void)
{
	/* Every prefix that ends before the ICMPv6 code byte. */
	for (size_t len = 0; len <= OFF_ICMP_CODE; len++) {
		long got = bpf_ns_deliver(real_ns, len);

		CHECKF(got == BPF_NOT_DELIVERED, "%zu bytes: delivered %ld",
		       len, got);
	}
}

static void test_bpf_accepts_frame_through_code(void)
{
	/* The shortest frame the filter can judge passes: the length
	 * bound above is the code byte and nothing else. */
	CHECK_EQ(bpf_ns_deliver(real_ns, OFF_ICMP_CODE + 1),
		 OFF_ICMP_CODE + 1);
}

static void test_bpf_drop_all(void)
{
	CHECK_EQ(bpf_deliver(ndp_bpf_drop_all,
			     sizeof(ndp_bpf_drop_all) / sizeof(ndp_bpf_drop_all[0]),
			     real_ns, sizeof(real_ns)),
		 BPF_NOT_DELIVERED);
}

/* ------------------------------------------------------------------ */

/* 7b. Sorting and address sets */

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x, y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return x < y ? -1 : x > y;
}

/* Every length up to 300 and one of 5,000, with few and with many
 * repeats: sorted, and the same values as before (a count per value). */
static void test_sort_random_cross_check(void)
{
	static uint32_t v[5000];
	static unsigned before[64], after[64];
	uint32_t seed = 12345;

	for (size_t n = 0; n <= 5000; n = n < 300 ? n + 1 : 5000 + 1) {
		for (unsigned mod = 4; mod <= 64; mod *= 16) {
			memset(before, 0, sizeof(before));
			memset(after, 0, sizeof(after));
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245 + 12345;
				v[i] = (seed >> 16) % mod;
				before[v[i]]++;
			}
			ndp_sort(v, n, sizeof(v[0]), u32_cmp);
			for (size_t i = 0; i < n; i++) {
				after[v[i]]++;
				CHECKF(i == 0 || v[i - 1] <= v[i],
				       "n=%zu: v[%zu]=%u after %u", n, i, v[i],
				       v[i - 1]);
			}
			CHECK(memcmp(before, after, sizeof(before)) == 0);
		}
		if (n == 5000)
			break;
	}
}

static void test_addr_set_make_and_search(void)
{
	struct in6_addr v[] = {
		ip6("2001:db8::9"), ip6("2001:db8::1"), ip6("2001:db8::9"),
		ip6("::"), ip6("2001:db8::1"), ip6("ffff::1"),
	};
	struct in6_addr out = ip6("2001:db8::5"), zero = ip6("::");
	size_t n = ndp_addr_set_make(v, 6);

	CHECK_EQ(n, 4);
	CHECK_ADDR(v[0], "::");
	CHECK_ADDR(v[1], "2001:db8::1");
	CHECK_ADDR(v[2], "2001:db8::9");
	CHECK_ADDR(v[3], "ffff::1");
	for (size_t i = 0; i < n; i++)
		CHECK(ndp_addr_set_contains(v, n, &v[i]));
	CHECK(!ndp_addr_set_contains(v, n, &out));
	CHECK(!ndp_addr_set_contains(v, 0, &zero));
	CHECK_EQ(ndp_addr_set_make(v, 0), 0);
}

/* 8. Targets: the decision rules */

/* A source whose targets are in use: those equal to *ctx. */
static enum target_match in_use_match(void *ctx, const struct ndp_ns *ns)
{
	return memcmp(ctx, &ns->target, sizeof(ns->target)) == 0 ?
	       TARGET_IN_USE : TARGET_NONE;
}

/* An NS for target from src to dst. */
static struct ndp_ns ns_for(const char *target, const char *src,
			    const char *dst)
{
	struct ndp_ns ns = { .has_sllao = true };

	ns.target = ip6(target);
	ns.src = ip6(src);
	ns.dst = ip6(dst);
	return ns;
}

struct targets_fixture {
	struct ndp_prefix v[1];
	struct ndp_prefix_set set;
	struct in6_addr container;
	struct targets t;
};

/* Static 2001:db8:1::/112, and the container 2001:db8:1::5 (in it) as
 * a second source, registered after the static one. */
static void targets_fixture(struct targets_fixture *f, bool unicast)
{
	memset(f, 0, sizeof(*f));
	f->v[0] = prefix("2001:db8:1::", 112);
	ndp_prefix_set_init(&f->set, f->v, 1);
	f->container = ip6("2001:db8:1::5");
	f->t.unicast = unicast;
	targets_add_source(&f->t, "static", targets_static_match,
			   targets_static_next, &f->set);
	targets_add_source(&f->t, "test", in_use_match, NULL, &f->container);
}

static void test_targets_prefix_multicast_dad_unicast(void)
{
	struct targets_fixture f;
	struct ndp_ns mc = ns_for("2001:db8:1::7", "fe80::1", "ff02::1:ff00:7");
	struct ndp_ns dad = ns_for("2001:db8:1::7", "::", "ff02::1:ff00:7");
	struct ndp_ns uc = ns_for("2001:db8:1::7", "fe80::1", "2001:db8:1::7");

	targets_fixture(&f, false);
	CHECK_EQ(targets_decide(&f.t, &mc), TARGET_ANSWER);
	CHECK_EQ(targets_decide(&f.t, &dad), TARGET_ANSWER);
	CHECK_EQ(targets_decide(&f.t, &uc), TARGET_UNICAST);
	CHECK_EQ(f.t.src[0].answered, 2);
	targets_fixture(&f, true);		/* -u */
	CHECK_EQ(targets_decide(&f.t, &uc), TARGET_ANSWER);
}

static void test_targets_not_ours(void)
{
	struct targets_fixture f;
	struct ndp_ns out = ns_for("2001:db8:2::7", "fe80::1",
				   "ff02::1:ff00:7");

	targets_fixture(&f, true);
	CHECK_EQ(targets_decide(&f.t, &out), TARGET_NOT_OURS);
	CHECK_EQ(f.t.src[0].answered + f.t.src[1].answered, 0);
}

/* In use beats a prefix, whichever was registered first: a unicast NS
 * for a container is answered without -u, and counted to it. */
static void test_targets_in_use_wins(void)
{
	struct targets_fixture f;
	struct ndp_ns uc = ns_for("2001:db8:1::5", "fe80::1", "2001:db8:1::5");

	targets_fixture(&f, false);
	CHECK_EQ(targets_decide(&f.t, &uc), TARGET_ANSWER);
	CHECK_EQ(f.t.src[0].answered, 0);
	CHECK_EQ(f.t.src[1].answered, 1);
}

/* The sweep walks the static /128s, and only those. */
static void test_targets_static_next(void)
{
	struct ndp_prefix v[] = {
		prefix("2001:db8:1::", 112), prefix("2001:db8:1::9", 128),
		prefix("2001:db8:1::3", 128),
	};
	struct ndp_prefix_set s;
	const struct in6_addr *a0, *a1;
	size_t cursor = 0;

	ndp_prefix_set_init(&s, v, 3);
	a0 = targets_static_next(&s, &cursor);
	a1 = targets_static_next(&s, &cursor);
	CHECK(a0 && a1);
	if (a0 && a1) {
		CHECK_ADDR(*a0, "2001:db8:1::3");
		CHECK_ADDR(*a1, "2001:db8:1::9");
	}
	CHECK(targets_static_next(&s, &cursor) == NULL);
}

/* 9. Configuration files */

static void test_config_parse_kinds(void)
{
	static const char text[] =
		"# the containers\n"
		"2001:db8:1::/112\n"
		"   routed 2001:db8:2::/64   # the guests\n"
		"\n"
		"exclude 2001:db8:1::1\r\n"
		"2001:db8:3::5";			/* no newline at the end */
	struct config c = { 0 };
	char err[CONFIG_ERR_MAX] = "";

	CHECK_EQ(config_parse(&c, "F", text, sizeof(text) - 1, err), 0);
	CHECK_STR(err, "");
	CHECK_EQ(c.l[CONFIG_STATIC].n, 2);
	CHECK_EQ(c.l[CONFIG_ROUTED].n, 1);
	CHECK_EQ(c.l[CONFIG_EXCLUDE].n, 1);
	if (c.l[CONFIG_EXCLUDE].n == 1) {
		CHECK_ADDR(c.l[CONFIG_EXCLUDE].v[0].addr, "2001:db8:1::1");
		CHECK_EQ(c.l[CONFIG_EXCLUDE].v[0].len, 128);
	}
	if (c.l[CONFIG_ROUTED].n == 1)
		CHECK_EQ(c.l[CONFIG_ROUTED].v[0].len, 64);
	config_free(&c);
}

/* Each error names FILE:LINE, and says what is wrong. */
static void test_config_parse_errors(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "2001:db8::/64\n\n2001:db8::/129\n", "F:3: 2001:db8::/129: " },
		{ "2001:db8::/64 2001:db8:1::/64\n", "F:1: one prefix a line" },
		{ "routed\n", "F:1: routed: " },
		{ "exclude a b\n", "F:1: one prefix a line" },
		{ "nonsense 2001:db8::/64\n", "F:1: one prefix a line" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config c = { 0 };
		char err[CONFIG_ERR_MAX] = "";
		int r = config_parse(&c, "F", cases[i].text,
				     strlen(cases[i].text), err);

		CHECKF(r == -EINVAL, "case %zu: %d", i, r);
		CHECKF(strncmp(err, cases[i].want, strlen(cases[i].want)) == 0,
		       "case %zu: \"%s\", want \"%s...\"", i, err,
		       cases[i].want);
		config_free(&c);
	}
}

static void test_config_count_new(void)
{
	struct ndp_prefix a[] = {
		prefix("2001:db8:1::", 112), prefix("2001:db8:2::", 112),
		prefix("2001:db8::5", 128),
	};
	struct ndp_prefix b[] = {
		prefix("2001:db8:2::", 112), prefix("2001:db8:3::", 64),
	};
	struct ndp_prefix_set sa, sb, empty;

	ndp_prefix_set_init(&sa, a, 3);
	ndp_prefix_set_init(&sb, b, 2);
	ndp_prefix_set_init(&empty, NULL, 0);
	CHECK_EQ(config_count_new(&sa, &sb), 2);
	CHECK_EQ(config_count_new(&sb, &sa), 1);
	CHECK_EQ(config_count_new(&sa, &sa), 0);
	CHECK_EQ(config_count_new(&sa, &empty), 3);
	CHECK_EQ(config_count_new(&empty, &sa), 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* 1. Checksum */
	RUN(test_csum_rfc1071_example);
	RUN(test_csum_odd_length);
	RUN(test_csum_empty);
	RUN(test_csum_add_composes);
	RUN(test_csum_long_buffer_no_overflow);
	RUN(test_icmp6_csum_real_ns);
	RUN(test_icmp6_csum_matches_reference);

	/* 2. NA builder */
	RUN(test_na_multicast_ns_with_sllao);
	RUN(test_na_unicast_ns_without_sllao);
	RUN(test_na_dad_probe);

	/* 3. NS builder */
	RUN(test_ns_build_with_sllao_and_nonce);
	RUN(test_ns_build_bare);
	RUN(test_ns_round_trip_multicast);
	RUN(test_ns_round_trip_unicast);
	RUN(test_ns_round_trip_dad);

	/* 4. Parser */
	RUN(test_parse_valid_ns);
	RUN(test_parse_every_truncation_rejected);
	RUN(test_parse_every_consistent_truncation);
	RUN(test_parse_trailing_padding_ok);
	RUN(test_parse_drop_short);
	RUN(test_parse_drop_ethertype);
	RUN(test_parse_drop_version);
	RUN(test_parse_drop_truncated);
	RUN(test_parse_drop_nexthdr);
	RUN(test_parse_drop_hoplimit);
	RUN(test_parse_drop_icmplen);
	RUN(test_parse_drop_type);
	RUN(test_parse_drop_code);
	RUN(test_parse_drop_checksum);
	RUN(test_parse_drop_source);
	RUN(test_parse_drop_target_mcast);
	RUN(test_parse_drop_target_linklocal);
	RUN(test_parse_drop_target_loopback);
	RUN(test_parse_drop_target_unspecified);
	RUN(test_parse_drop_option_zero_length);
	RUN(test_parse_drop_option_past_end);
	RUN(test_parse_drop_option_stray_byte);
	RUN(test_parse_drop_dad_dest);
	RUN(test_parse_drop_dad_sllao);
	RUN(test_parse_drop_lladdr_group_sllao);
	RUN(test_parse_drop_lladdr_group_eth_src);
	RUN(test_parse_sllao_overrides_group_eth_src);
	RUN(test_parse_long_sllao_skipped);
	RUN(test_parse_unknown_options_skipped);
	RUN(test_verdict_names_distinct);
	RUN(test_parse_random_frames);
	RUN(test_solicited_node_and_multicast_mac);

	/* 5. Prefix parsing */
	RUN(test_prefix_parse_table);

	/* 6. Prefix sets */
	RUN(test_prefix_set_mixed_lengths);
	RUN(test_prefix_set_default_route);
	RUN(test_prefix_set_duplicates_collapse);
	RUN(test_prefix_set_empty);
	RUN(test_prefix_set_boundaries);
	RUN(test_prefix_set_random_cross_check);

	/* 7. BPF */
	RUN(test_bpf_accepts_ns);
	RUN(test_bpf_drops_ethertype);
	RUN(test_bpf_drops_nexthdr_hop_by_hop);
	RUN(test_bpf_drops_nexthdr_udp);
	RUN(test_bpf_drops_hoplimit_64);
	RUN(test_bpf_drops_na);
	RUN(test_bpf_drops_code_1);
	RUN(test_bpf_drops_short_frames);
	RUN(test_bpf_accepts_frame_through_code);
	RUN(test_bpf_drop_all);

	/* 7b. Sorting */
	RUN(test_sort_random_cross_check);
	RUN(test_addr_set_make_and_search);

	/* 8. Targets */
	RUN(test_targets_prefix_multicast_dad_unicast);
	RUN(test_targets_not_ours);
	RUN(test_targets_in_use_wins);
	RUN(test_targets_static_next);

	/* 9. Configuration files */
	RUN(test_config_parse_kinds);
	RUN(test_config_parse_errors);
	RUN(test_config_count_new);

	return tests_failed ? 1 : 0;
}
