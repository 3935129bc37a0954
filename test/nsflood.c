/*
 * nsflood - send many Neighbor Solicitations, valid and not, for the
 * hardening tests: can bad or plentiful input hurt the daemon?
 *
 *   nsflood -i IFACE -p PREFIX/112 -c COUNT [-s SEED]
 *	COUNT frames, a seeded mix: valid NS for targets in PREFIX and
 *	outside it, and NS broken in one way each (checksum, hop limit,
 *	option length, truncation, multicast or link-local target).
 *   nsflood -i IFACE -p PREFIX/112 -L
 *	one frame of every length from 14 to 200 bytes (an NS cut short or
 *	padded with garbage), then one of the interface's MTU and, if the
 *	MTU allows, one over 2 KiB, the daemon's receive buffer.
 *
 * Frames go out in sendmmsg batches on a packet socket. Prints
 * "sent=N errors=N" and exits 0 when it ran, 1 on errors, 2 on usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "ndp.h"

#define BATCH	64
#define BIG	9216			/* room for a jumbo frame */

static uint8_t frames[BATCH][BIG];
static struct iovec iov[BATCH];
static struct mmsghdr msgs[BATCH];
static uint8_t mac[NDP_MAC_LEN];
static struct in6_addr prefix;
static uint64_t rng = 88172645463325252ULL, sent, errors;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void die(const char *what)
{
	fprintf(stderr, "nsflood: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: nsflood -i IFACE -p PREFIX/112 "
		"{-c COUNT [-s SEED] | -L}\n");
	exit(2);
}

/* An NS from fe80::1 for target into f; its length. */
static size_t ns(uint8_t *f, const struct in6_addr *target)
{
	static const struct in6_addr src = {
		.s6_addr = { 0xfe, 0x80, [15] = 1 },
	};
	struct in6_addr group;
	uint8_t dmac[NDP_MAC_LEN];

	ndp_solicited_node(target, &group);
	ndp_multicast_mac(&group, dmac);
	return ndp_build_ns(f, mac, dmac, &src, &group, target, mac, NULL);
}

/* Recompute the ICMPv6 checksum after a change to the message. */
static void fix_csum(uint8_t *f, size_t len)
{
	struct in6_addr src, dst;
	uint8_t *icmp = f + NDP_ETH_HLEN + NDP_IP6_HLEN;
	size_t plen = len - NDP_ETH_HLEN - NDP_IP6_HLEN;

	memcpy(&src, f + NDP_ETH_HLEN + 8, 16);
	memcpy(&dst, f + NDP_ETH_HLEN + 24, 16);
	ndp_put16(icmp + 2, 0);
	ndp_put16(icmp + 2, ndp_icmp6_csum(&src, &dst, icmp, plen));
}

/* One frame of the mix into f; its length. */
static size_t mixed(uint8_t *f)
{
	uint64_t r = xorshift();
	struct in6_addr t = prefix;
	uint8_t *icmp = f + NDP_ETH_HLEN + NDP_IP6_HLEN;
	size_t len;

	t.s6_addr[14] = (uint8_t)(r >> 8);
	t.s6_addr[15] = (uint8_t)(r >> 16);
	switch ((r >> 24) % 10) {
	case 4:				/* valid, outside the prefix */
		t.s6_addr[13] ^= 0x5a;
		break;
	case 9:				/* multicast or link-local target */
		t.s6_addr[0] = r & 1 ? 0xff : 0xfe;
		t.s6_addr[1] = r & 1 ? 0x02 : 0x80;
		break;
	}
	len = ns(f, &t);
	switch ((r >> 24) % 10) {
	case 5:				/* bad checksum */
		icmp[2] ^= 0x10;
		break;
	case 6:				/* not from this link */
		f[NDP_ETH_HLEN + 7] = 64;
		break;
	case 7:				/* zero-length option */
		icmp[NDP_ICMP_NS_LEN + 1] = 0;
		fix_csum(f, len);
		break;
	case 8:				/* cut short */
		len = 14 + (size_t)(r >> 32) % (len - 14);
		break;
	case 9:
		fix_csum(f, len);
		break;
	}
	return len;
}

static void flush(int fd, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		int k = sendmmsg(fd, msgs + done, n - done, 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ENOBUFS && errno != EAGAIN &&
			    errno != EINVAL)
				die("sendmmsg");
			errors++;	/* this one is dropped; go on */
			done++;
			continue;
		}
		done += (unsigned)k;
		sent += (unsigned)k;
	}
}

/* Queue frame i of the batch with length len; send when it is full. */
static void queue(int fd, unsigned *n, size_t len)
{
	iov[*n].iov_len = len;
	if (++*n == BATCH) {
		flush(fd, *n);
		*n = 0;
	}
}

static int open_socket(const char *ifname, int *mtu)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	int fd;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("socket");
	if (strlen(ifname) >= sizeof(ifr.ifr_name))
		usage();
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die(ifname);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, NDP_MAC_LEN);
	if (ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		die("SIOCGIFMTU");
	*mtu = ifr.ifr_mtu;
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	sll.sll_protocol = htons(ETH_P_IPV6);
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind");
	return fd;
}

int main(int argc, char *argv[])
{
	const char *ifname = NULL;
	unsigned long count = 0;
	unsigned n = 0;
	bool lengths = false;
	int fd, mtu, ch;

	while ((ch = getopt(argc, argv, "i:p:c:s:L")) != -1) {
		switch (ch) {
		case 'i':
			ifname = optarg;
			break;
		case 'p':
			if (inet_pton(AF_INET6, strtok(optarg, "/"),
				      &prefix) != 1)
				usage();
			break;
		case 'c':
			count = strtoul(optarg, NULL, 10);
			break;
		case 's':
			rng ^= strtoull(optarg, NULL, 10);
			break;
		case 'L':
			lengths = true;
			break;
		default:
			usage();
		}
	}
	if (!ifname || (!count && !lengths))
		usage();
	fd = open_socket(ifname, &mtu);
	for (unsigned i = 0; i < BATCH; i++) {
		iov[i].iov_base = frames[i];
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	if (lengths) {
		/* The kernel refuses frames shorter than the Ethernet
		 * header: none of those can reach a receiver. */
		for (size_t len = 14; len <= 200; len++) {
			uint8_t *f = frames[n];

			for (size_t i = 0; i < BIG; i++)
				f[i] = (uint8_t)xorshift();
			ns(f, &prefix);
			/* Past the NS: garbage the payload length claims. */
			if (len >= NDP_ETH_HLEN + NDP_IP6_HLEN)
				ndp_put16(f + NDP_ETH_HLEN + 4, (uint16_t)(len -
					  NDP_ETH_HLEN - NDP_IP6_HLEN));
			queue(fd, &n, len);
		}
		ns(frames[n], &prefix);
		queue(fd, &n, (size_t)mtu + NDP_ETH_HLEN);
		flush(fd, n);
		n = 0;
	} else {
		for (unsigned long i = 0; i < count; i++)
			queue(fd, &n, mixed(frames[n]));
		flush(fd, n);
	}
	printf("sent=%llu errors=%llu mtu=%d\n", (unsigned long long)sent,
	       (unsigned long long)errors, mtu);
	return 0;
}
