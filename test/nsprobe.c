/*
 * nsprobe - send one IPv6 Neighbor Solicitation through a packet socket
 * and print the Neighbor Advertisement that answers it. A test tool.
 *
 * nsprobe -i IFACE -t TARGET [-s SRC] [-d DST] [-D ETHDST] [-E ETHSRC] [-n]
 *         [-q VID] [-P BYTES] [-c COUNT] [-w TIMEOUT_MS]
 *
 *   -s SRC     IPv6 source; default: IFACE's link-local address. "::"
 *              sends a DAD probe (no source link-layer option, a nonce).
 *   -d DST     IPv6 destination; default: TARGET's solicited-node group.
 *   -D ETHDST  Ethernet destination; needed when DST is not multicast,
 *              else the group's 33:33:... address.
 *   -E ETHSRC  Ethernet source and source link-layer address: another
 *              host's MAC, as a spoofer sends (default: IFACE's).
 *   -n         no source link-layer address option.
 *   -q VID     add an 802.1Q tag with this VLAN ID.
 *   -P BYTES   pad the NS with an option of an experimental type (253,
 *              RFC 4727), which a receiver ignores: BYTES, a multiple
 *              of 8 up to 1024, more on the wire.
 *   -c COUNT   send COUNT NS, for TARGET, TARGET+1, ..., all before
 *              reading any answer, and count the targets answered.
 *   -w MS      how long to wait for the answer (default 1000).
 *
 * The socket is bound to ETH_P_IPV6 on IFACE before the NS leaves, so it
 * cannot miss the answer. The first NA for TARGET with a valid ICMPv6
 * checksum is printed as one line and nsprobe exits 0:
 *
 *   na ethsrc=MAC ethdst=MAC src=ADDR dst=ADDR target=ADDR flags=RSO
 *      hlim=255 tlla=MAC
 *
 * (one line; flags lists R, S and O as set, "-" for none; tlla is "none"
 * without a target link-layer address option). No answer in time:
 * prints "timeout", exits 1. An NA for TARGET with a bad checksum:
 * prints "badcsum ...", exits 3. Usage and system errors: exit 2.
 * With -c, no NA is printed but "answered=N count=COUNT", once all have
 * answered (exit 0) or at the timeout (exit 1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ndp.h"

#define VLAN_HLEN 4
#define PAD_MAX 1024
#define OPT_EXPERIMENT 253		/* RFC 4727 7 */
#define COUNT_MAX 65536
#define ETHERTYPE_8021Q 0x8100

/* Offsets within an untagged Ethernet frame carrying IPv6. */
#define OFF_ETH_DST	0
#define OFF_ETH_SRC	6
#define OFF_ETH_TYPE	12
#define OFF_IP6		NDP_ETH_HLEN
#define OFF_PLEN	(OFF_IP6 + 4)
#define OFF_NXT		(OFF_IP6 + 6)
#define OFF_HLIM	(OFF_IP6 + 7)
#define OFF_SRC		(OFF_IP6 + 8)
#define OFF_DST		(OFF_IP6 + 24)
#define OFF_ICMP	(OFF_IP6 + NDP_IP6_HLEN)

static void usage(void)
{
	fputs("usage: nsprobe -i IFACE -t TARGET [-s SRC] [-d DST] "
	      "[-D ETHDST] [-E ETHSRC] [-n] [-q VID] [-P BYTES] [-c COUNT] "
	      "[-w TIMEOUT_MS]\n", stderr);
	exit(2);
}

__attribute__((format(printf, 1, 2), noreturn))
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("nsprobe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void parse_addr(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		die("not an IPv6 address: %s", s);
}

static void parse_mac(const char *s, uint8_t mac[NDP_MAC_LEN])
{
	unsigned v[NDP_MAC_LEN];
	char end;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &end) != NDP_MAC_LEN)
		die("not a MAC address: %s", s);
	for (int i = 0; i < NDP_MAC_LEN; i++) {
		if (v[i] > 0xff)
			die("not a MAC address: %s", s);
		mac[i] = (uint8_t)v[i];
	}
}

static long parse_num(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die("bad %s: %s", what, s);
	return v;
}

static const char *mac_str(const uint8_t *m, char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static const char *addr_str(const struct in6_addr *a,
			    char buf[INET6_ADDRSTRLEN])
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/* The first link-local address of ifname. */
static int linklocal_of(const char *ifname, struct in6_addr *out)
{
	struct ifaddrs *list, *ifa;
	int found = 0;

	if (getifaddrs(&list) < 0)
		die("getifaddrs: %s", strerror(errno));
	for (ifa = list; ifa && !found; ifa = ifa->ifa_next) {
		struct sockaddr_in6 sin6;

		if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != AF_INET6 ||
		    strcmp(ifa->ifa_name, ifname) != 0)
			continue;
		memcpy(&sin6, ifa->ifa_addr, sizeof(sin6));
		if (sin6.sin6_addr.s6_addr[0] == 0xfe &&
		    (sin6.sin6_addr.s6_addr[1] & 0xc0) == 0x80) {
			*out = sin6.sin6_addr;
			found = 1;
		}
	}
	freeifaddrs(list);
	return found;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Print an NA; returns 0 if it is for target, 1 if not, 3 if its
 * checksum is bad. */
static int check_na(const uint8_t *f, size_t len,
		    const struct in6_addr *target)
{
	char m1[18], m2[18], m3[18];
	char a1[INET6_ADDRSTRLEN], a2[INET6_ADDRSTRLEN], a3[INET6_ADDRSTRLEN];
	struct in6_addr src, dst, tgt;
	const uint8_t *icmp = f + OFF_ICMP;
	const uint8_t *opt, *tlla = NULL;
	char flags[4];
	size_t plen, olen, n = 0;

	if (len < OFF_ICMP + NDP_ICMP_NS_LEN ||
	    ndp_get16(f + OFF_ETH_TYPE) != NDP_ETHERTYPE_IPV6 ||
	    f[OFF_IP6] >> 4 != 6 || f[OFF_NXT] != NDP_IPPROTO_ICMPV6)
		return 1;
	plen = ndp_get16(f + OFF_PLEN);
	if (plen > len - OFF_ICMP || plen < NDP_ICMP_NS_LEN ||
	    icmp[0] != NDP_TYPE_NA || icmp[1] != 0)
		return 1;
	memcpy(tgt.s6_addr, icmp + 8, 16);
	if (memcmp(&tgt, target, sizeof(tgt)) != 0)
		return 1;
	memcpy(src.s6_addr, f + OFF_SRC, 16);
	memcpy(dst.s6_addr, f + OFF_DST, 16);
	if (ndp_icmp6_csum(&src, &dst, icmp, plen) != 0) {
		printf("badcsum src=%s dst=%s target=%s\n",
		       addr_str(&src, a1), addr_str(&dst, a2),
		       addr_str(&tgt, a3));
		return 3;
	}
	for (opt = icmp + NDP_ICMP_NS_LEN, olen = plen - NDP_ICMP_NS_LEN;
	     olen >= 2 && opt[1] != 0 && (size_t)opt[1] * 8 <= olen;
	     olen -= (size_t)opt[1] * 8, opt += (size_t)opt[1] * 8) {
		if (opt[0] == NDP_OPT_TLLA && opt[1] == 1 && !tlla)
			tlla = opt + 2;
	}
	if (icmp[4] & NDP_NA_ROUTER)
		flags[n++] = 'R';
	if (icmp[4] & NDP_NA_SOLICITED)
		flags[n++] = 'S';
	if (icmp[4] & NDP_NA_OVERRIDE)
		flags[n++] = 'O';
	if (n == 0)
		flags[n++] = '-';
	flags[n] = '\0';
	printf("na ethsrc=%s ethdst=%s src=%s dst=%s target=%s flags=%s "
	       "hlim=%u tlla=%s\n",
	       mac_str(f + OFF_ETH_SRC, m1), mac_str(f + OFF_ETH_DST, m2),
	       addr_str(&src, a1), addr_str(&dst, a2), addr_str(&tgt, a3),
	       flags, (unsigned)f[OFF_HLIM], tlla ? mac_str(tlla, m3) : "none");
	return 0;
}

/* base + i, as a 128-bit number. */
static void addr_add(const struct in6_addr *base, unsigned i,
		     struct in6_addr *out)
{
	unsigned carry = i;

	*out = *base;
	for (int k = 15; k >= 0 && carry; k--) {
		carry += out->s6_addr[k];
		out->s6_addr[k] = (uint8_t)carry;
		carry >>= 8;
	}
}

/* Index of the target of a valid NA in [base, base + count), or -1. */
static long na_index(const uint8_t *f, size_t len,
		     const struct in6_addr *base, unsigned count)
{
	const uint8_t *icmp = f + OFF_ICMP;
	struct in6_addr src, dst, tgt;
	uint32_t d;
	size_t plen;

	if (len < OFF_ICMP + NDP_ICMP_NS_LEN ||
	    ndp_get16(f + OFF_ETH_TYPE) != NDP_ETHERTYPE_IPV6 ||
	    f[OFF_IP6] >> 4 != 6 || f[OFF_NXT] != NDP_IPPROTO_ICMPV6)
		return -1;
	plen = ndp_get16(f + OFF_PLEN);
	if (plen > len - OFF_ICMP || plen < NDP_ICMP_NS_LEN ||
	    icmp[0] != NDP_TYPE_NA || icmp[1] != 0)
		return -1;
	memcpy(src.s6_addr, f + OFF_SRC, 16);
	memcpy(dst.s6_addr, f + OFF_DST, 16);
	memcpy(tgt.s6_addr, icmp + 8, 16);
	if (ndp_icmp6_csum(&src, &dst, icmp, plen) != 0 ||
	    memcmp(tgt.s6_addr, base->s6_addr, 12) != 0)
		return -1;
	/* The low 32 bits, as numbers: the caller's range is smaller. */
	d = (uint32_t)((uint32_t)ndp_get16(tgt.s6_addr + 12) << 16 |
		       ndp_get16(tgt.s6_addr + 14)) -
	    (uint32_t)((uint32_t)ndp_get16(base->s6_addr + 12) << 16 |
		       ndp_get16(base->s6_addr + 14));
	return d < count ? (long)d : -1;
}

/* Append pad bytes of one experimental option to the NS in f, with its
 * payload length and checksum made good again. */
static size_t pad_ns(uint8_t *f, size_t len, size_t pad,
		     const struct in6_addr *src, const struct in6_addr *dst)
{
	size_t plen;

	if (pad == 0)
		return len;
	memset(f + len, 0, pad);
	f[len] = OPT_EXPERIMENT;
	f[len + 1] = (uint8_t)(pad / 8);
	plen = ndp_get16(f + OFF_PLEN) + pad;
	ndp_put16(f + OFF_PLEN, (uint16_t)plen);
	ndp_put16(f + OFF_ICMP + 2, 0);
	ndp_put16(f + OFF_ICMP + 2, ndp_icmp6_csum(src, dst, f + OFF_ICMP,
						   plen));
	return len + pad;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *target_s = NULL, *src_s = NULL;
	const char *dst_s = NULL, *ethdst_s = NULL, *ethsrc_s = NULL;
	struct in6_addr target, src, dst;
	uint8_t mac[NDP_MAC_LEN], ethdst[NDP_MAC_LEN], nonce[6];
	uint8_t ns[NDP_NS_FRAME_MAX + PAD_MAX];
	uint8_t frame[NDP_NS_FRAME_MAX + PAD_MAX + VLAN_HLEN];
	static uint8_t buf[65536], seen[COUNT_MAX / 8];
	struct in6_addr base;
	unsigned count = 1, got = 0;
	size_t pad = 0;
	int big = 16 << 20;
	struct sockaddr_ll sll;
	struct ifreq ifr;
	long timeout = 1000, vid = -1;
	long long deadline;
	bool sllao = true, dad;
	size_t len;
	unsigned ifindex;
	int opt, fd;

	while ((opt = getopt(argc, argv, "i:t:s:d:D:E:nq:P:c:w:")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 't': target_s = optarg; break;
		case 's': src_s = optarg; break;
		case 'd': dst_s = optarg; break;
		case 'D': ethdst_s = optarg; break;
		case 'E': ethsrc_s = optarg; break;
		case 'n': sllao = false; break;
		case 'q': vid = parse_num(optarg, 0, 4095, "VLAN ID"); break;
		case 'P':
			pad = (size_t)parse_num(optarg, 0, PAD_MAX, "padding");
			if (pad % 8)
				die("padding not a multiple of 8: %zu", pad);
			break;
		case 'c':
			count = (unsigned)parse_num(optarg, 1, COUNT_MAX,
						    "count");
			break;
		case 'w':
			timeout = parse_num(optarg, 0, 600000, "timeout");
			break;
		default: usage();
		}
	}
	if (optind != argc || !ifname || !target_s)
		usage();
	if (strlen(ifname) >= IFNAMSIZ)
		die("interface name too long: %s", ifname);
	ifindex = if_nametoindex(ifname);
	if (ifindex == 0)
		die("%s: %s", ifname, strerror(errno));

	parse_addr(target_s, &target);
	if (src_s)
		parse_addr(src_s, &src);
	else if (!linklocal_of(ifname, &src))
		die("%s has no link-local address; use -s", ifname);
	dad = ndp_addr_is_unspecified(&src);
	if (dst_s)
		parse_addr(dst_s, &dst);
	else
		ndp_solicited_node(&target, &dst);
	if (ethdst_s)
		parse_mac(ethdst_s, ethdst);
	else if (ndp_addr_is_multicast(&dst))
		ndp_multicast_mac(&dst, ethdst);
	else
		die("-D ETHDST is needed for a unicast destination");

	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IPV6));
	if (fd < 0)
		die("socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die("SIOCGIFHWADDR %s: %s", ifname, strerror(errno));
	memcpy(mac, ifr.ifr_hwaddr.sa_data, NDP_MAC_LEN);
	if (ethsrc_s)
		parse_mac(ethsrc_s, mac);

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IPV6);
	sll.sll_ifindex = (int)ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind %s: %s", ifname, strerror(errno));

	/* Room for the answers to a burst, read only after it. */
	if (count > 1 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
		die("SO_RCVBUFFORCE: %s", strerror(errno));

	base = target;
	for (unsigned i = 0; i < count; i++) {
		addr_add(&base, i, &target);
		if (!dst_s) {
			ndp_solicited_node(&target, &dst);
			if (!ethdst_s)
				ndp_multicast_mac(&dst, ethdst);
		}
		if (dad && getrandom(nonce, sizeof(nonce), 0) !=
		    (ssize_t)sizeof(nonce))
			die("getrandom: %s", strerror(errno));
		len = ndp_build_ns(ns, mac, ethdst, &src, &dst, &target,
				   sllao && !dad ? mac : NULL,
				   dad ? nonce : NULL);
		len = pad_ns(ns, len, pad, &src, &dst);
		if (vid >= 0) {
			memcpy(frame, ns, OFF_ETH_TYPE);
			ndp_put16(frame + OFF_ETH_TYPE, ETHERTYPE_8021Q);
			ndp_put16(frame + OFF_ETH_TYPE + 2, (uint16_t)vid);
			memcpy(frame + OFF_ETH_TYPE + VLAN_HLEN,
			       ns + OFF_ETH_TYPE, len - OFF_ETH_TYPE);
			len += VLAN_HLEN;
		} else {
			memcpy(frame, ns, len);
		}

		sll.sll_halen = NDP_MAC_LEN;
		memcpy(sll.sll_addr, ethdst, NDP_MAC_LEN);
		if (sendto(fd, frame, len, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) != (ssize_t)len)
			die("send on %s: %s", ifname, strerror(errno));
	}
	target = base;

	deadline = now_ms() + timeout;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;
		int r;

		if (left <= 0)
			break;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("poll: %s", strerror(errno));
		if (r == 0)
			break;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("recv: %s", strerror(errno));
		}
		if (count > 1) {
			long i = na_index(buf, (size_t)n, &base, count);

			if (i >= 0 && !(seen[i / 8] & (1u << (i % 8)))) {
				seen[i / 8] |= (uint8_t)(1u << (i % 8));
				if (++got == count)
					break;
			}
			continue;
		}
		r = check_na(buf, (size_t)n, &target);
		if (r != 1)
			return r;
	}
	if (count > 1) {
		printf("answered=%u count=%u\n", got, count);
		return got == count ? 0 : 1;
	}
	puts("timeout");
	return 1;
}
