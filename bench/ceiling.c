/*
 * ceiling - the benchmark's upper bound: what the daemon's socket can
 * answer when answering costs nothing.
 *
 *   ceiling [-R] -i IFACE
 *
 * It opens the packet socket as responder.c does (protocol 0 until
 * bind to ETH_P_IPV6, the drop-all filter, then bpf_filter.h's program,
 * locked; PACKET_MR_ALLMULTI; the same SO_RCVBUF and SO_SNDBUF) and
 * answers every frame the filter passes, in batches of BATCH, with one
 * syscall(SYS_sendmmsg) a batch, as the daemon does; it parses and
 * checks nothing. It receives with recvmmsg, or with -R from a
 * TPACKET_V2 receive ring of the geometry below, so that the bench can
 * run the one that matches the daemon's receive path.
 *
 * The answer is one NA frame built at the start (ndp_build_na, as the
 * daemon's, for a multicast NS with an SLLAO equal to its Ethernet
 * source, which is what nsload sends). nsload pairs an NA with its NS
 * by the target and takes only NAs to its own MAC, and notes whether
 * the IPv6 source is the target; so each answer takes the NS's
 * Ethernet source, IPv6 source and target (46 bytes at fixed offsets).
 * The checksum is then updated from those bytes (RFC 1624: 48 bytes
 * summed), not skipped: the router's kernel checks it, and an NA it
 * dropped at the checksum would cost the shared CPUs less than the
 * daemon's. At start the frame is compared with ndp_build_na's for a
 * sample NS; a mismatch is fatal.
 *
 * No signal handler: SIGTERM ends it.
 */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "bpf_filter.h"
#include "ndp.h"

/* As responder.c did before its ring (recvmmsg, the default). */
#define BATCH		32
#define FRAME_MAX	2048
#define RCVBUF		(4 << 20)
#define SNDBUF		(1 << 20)

/* -R: TPACKET_V2 ring as responder.c's: 10,240 slots of 256 bytes in
 * blocks of one page (2.5 MiB). */
#define RING_FRAME	256u
#define RING_BLOCK	4096u
#define RING_BLOCKS	640u
#define RING_FRAMES	(RING_BLOCK / RING_FRAME * RING_BLOCKS)

/* Fixed offsets: Ethernet, IPv6, then ICMPv6 (no extension headers:
 * the filter passes none). */
#define OFF_ETH_DST	0
#define OFF_ETH_SRC	6
#define OFF_IP6_SRC	(NDP_ETH_HLEN + 8)
#define OFF_IP6_DST	(NDP_ETH_HLEN + 24)
#define OFF_ICMP	(NDP_ETH_HLEN + NDP_IP6_HLEN)
#define OFF_CSUM	(OFF_ICMP + 2)
#define OFF_TARGET	(OFF_ICMP + 8)
#define NA_PLEN		(NDP_NA_FRAME_LEN - OFF_ICMP)

static uint8_t rx_frames[BATCH][FRAME_MAX];
static uint8_t tx_frames[BATCH][NDP_NA_FRAME_LEN];
static struct iovec rx_iov[BATCH], tx_iov[BATCH];
static struct mmsghdr rx_msgs[BATCH], tx_msgs[BATCH];
static uint32_t csum_base;	/* the NA's sum without the copied bytes */

static void die(const char *what)
{
	fprintf(stderr, "ceiling: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void set_bufsize(int fd, int force_opt, int opt, int size)
{
	if (setsockopt(fd, SOL_SOCKET, force_opt, &size, sizeof(size)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size)) < 0)
		fprintf(stderr, "ceiling: buffer size %d refused\n", size);
}

/* The NA for the NS in ns, into na (a copy of the template). */
static void answer(uint8_t *na, const uint8_t *ns)
{
	uint32_t sum = csum_base;

	memcpy(na + OFF_ETH_DST, ns + OFF_ETH_SRC, NDP_MAC_LEN);
	memcpy(na + OFF_IP6_SRC, ns + OFF_TARGET, 16);
	memcpy(na + OFF_IP6_DST, ns + OFF_IP6_SRC, 16);
	memcpy(na + OFF_TARGET, ns + OFF_TARGET, 16);
	/* Pseudo-header source and destination, and the target. */
	sum = ndp_csum_add(sum, ns + OFF_TARGET, 16);
	sum = ndp_csum_add(sum, ns + OFF_IP6_SRC, 16);
	sum = ndp_csum_add(sum, ns + OFF_TARGET, 16);
	ndp_put16(na + OFF_CSUM, ndp_csum_fold(sum));
}

/* The template in every tx slot, its constant sum, and a self-check. */
static void template(const uint8_t mac[NDP_MAC_LEN])
{
	static const uint8_t peer[NDP_MAC_LEN] = { 0x02, 0, 0, 0, 0, 0x01 };
	struct ndp_ns ns = { .has_sllao = true };
	uint8_t t[NDP_NA_FRAME_LEN], want[NDP_NA_FRAME_LEN];
	uint8_t nsf[NDP_NS_FRAME_MAX], dmac[NDP_MAC_LEN];

	memcpy(ns.eth_src, peer, NDP_MAC_LEN);
	memcpy(ns.sllao, peer, NDP_MAC_LEN);
	ns.src.s6_addr[0] = 0xfe;
	ns.src.s6_addr[1] = 0x80;
	ns.src.s6_addr[15] = 0x01;
	ns.target.s6_addr[0] = 0x20;
	ns.target.s6_addr[1] = 0x01;
	ns.target.s6_addr[2] = 0x0d;
	ns.target.s6_addr[3] = 0xb8;
	ns.target.s6_addr[15] = 0x2a;
	ndp_solicited_node(&ns.target, &ns.dst);
	if (ndp_build_na(want, mac, &ns) != NDP_NA_FRAME_LEN)
		abort();

	memcpy(t, want, sizeof(t));
	memset(t + OFF_ETH_DST, 0, NDP_MAC_LEN);
	memset(t + OFF_IP6_SRC, 0, 32);
	memset(t + OFF_TARGET, 0, 16);
	memset(t + OFF_CSUM, 0, 2);
	csum_base = ndp_csum_add(NA_PLEN + NDP_IPPROTO_ICMPV6, t + OFF_ICMP,
				 NA_PLEN);
	for (int i = 0; i < BATCH; i++)
		memcpy(tx_frames[i], t, sizeof(t));

	ndp_multicast_mac(&ns.dst, dmac);
	ndp_build_ns(nsf, peer, dmac, &ns.src, &ns.dst, &ns.target, peer,
		     NULL);
	answer(tx_frames[0], nsf);
	if (memcmp(tx_frames[0], want, sizeof(want)) != 0) {
		fprintf(stderr, "ceiling: the NA differs from ndp_build_na's\n");
		exit(1);
	}
}

static void send_batch(int fd, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		/* As responder.c: not musl's sendmmsg(), a loop of sendmsg. */
		long k = syscall(SYS_sendmmsg, fd, tx_msgs + done, n - done,
				 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return;		/* dropped, as the daemon does */
		}
		done += (unsigned)k;
	}
}

static void wait_in(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
		die("poll");
}

static void run_mmsg(int fd)
{
	for (;;) {
		int n;

		wait_in(fd);
		do {
			n = recvmmsg(fd, rx_msgs, BATCH,
				     MSG_DONTWAIT | MSG_TRUNC, NULL);
			if (n <= 0)
				break;
			for (int i = 0; i < n; i++)
				answer(tx_frames[i], rx_frames[i]);
			send_batch(fd, (unsigned)n);
		} while (n == BATCH);
	}
}

static void run_ring(int fd, uint8_t *ring)
{
	unsigned cur = 0;

	for (;;) {
		unsigned n = 0;

		wait_in(fd);
		for (;;) {
			struct tpacket2_hdr *h = (struct tpacket2_hdr *)(void *)
				(ring + (size_t)cur * RING_FRAME);

			if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) &
			      TP_STATUS_USER))
				break;
			answer(tx_frames[n], (uint8_t *)h + h->tp_mac);
			__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL,
					 __ATOMIC_RELEASE);
			cur = (cur + 1) % RING_FRAMES;
			if (++n == BATCH) {
				send_batch(fd, n);
				n = 0;
			}
		}
		if (n)
			send_batch(fd, n);
	}
}

int main(int argc, char **argv)
{
	const char *ifname = NULL;
	struct tpacket_req req = {
		.tp_block_size = RING_BLOCK,
		.tp_block_nr = RING_BLOCKS,
		.tp_frame_size = RING_FRAME,
		.tp_frame_nr = RING_FRAMES,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IPV6),
	};
	struct packet_mreq mr = { .mr_type = PACKET_MR_ALLMULTI };
	struct ifreq ifr;
	uint8_t drain[1], *ring = NULL;
	int c, fd, one = 1, ver = TPACKET_V2, use_ring = 0;

	while ((c = getopt(argc, argv, "Ri:")) != -1) {
		switch (c) {
		case 'R':
			use_ring = 1;
			break;
		case 'i':
			ifname = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (!ifname || optind != argc || strlen(ifname) >= IFNAMSIZ)
		goto usage;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die(ifname);
	template((const uint8_t *)ifr.ifr_hwaddr.sa_data);
	if ((sll.sll_ifindex = (int)if_nametoindex(ifname)) == 0)
		die(ifname);
	mr.mr_ifindex = sll.sll_ifindex;

	if ((errno = -bpf_attach(fd, ndp_bpf_drop_all,
				 BPF_PROG_LEN(ndp_bpf_drop_all))) != 0)
		die("SO_ATTACH_FILTER");
	if (use_ring) {
		if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver,
			       sizeof(ver)) < 0)
			die("PACKET_VERSION");
		if (setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req,
			       sizeof(req)) < 0)
			die("PACKET_RX_RING");
		ring = mmap(NULL, (size_t)RING_BLOCK * RING_BLOCKS,
			    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
			    fd, 0);
		if (ring == MAP_FAILED)
			die("mmap");
	}
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind");
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		       sizeof(mr)) < 0)
		die("PACKET_ADD_MEMBERSHIP");
	while (recv(fd, drain, sizeof(drain), MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
	if ((errno = -bpf_attach(fd, ndp_bpf_prog,
				 BPF_PROG_LEN(ndp_bpf_prog))) != 0)
		die("SO_ATTACH_FILTER");
	if (setsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &one, sizeof(one)) < 0)
		die("SO_LOCK_FILTER");
	set_bufsize(fd, SO_RCVBUFFORCE, SO_RCVBUF, RCVBUF);
	set_bufsize(fd, SO_SNDBUFFORCE, SO_SNDBUF, SNDBUF);

	for (int i = 0; i < BATCH; i++) {
		rx_iov[i] = (struct iovec){ rx_frames[i], FRAME_MAX };
		rx_msgs[i].msg_hdr.msg_iov = &rx_iov[i];
		rx_msgs[i].msg_hdr.msg_iovlen = 1;
		tx_iov[i] = (struct iovec){ tx_frames[i], NDP_NA_FRAME_LEN };
		tx_msgs[i].msg_hdr.msg_iov = &tx_iov[i];
		tx_msgs[i].msg_hdr.msg_iovlen = 1;
	}
	if (use_ring)
		fprintf(stderr, "ceiling: %s, TPACKET_V2 ring of %u frames of "
			"%u bytes\n", ifname, RING_FRAMES, RING_FRAME);
	else
		fprintf(stderr, "ceiling: %s, recvmmsg\n", ifname);
	if (use_ring)
		run_ring(fd, ring);
	run_mmsg(fd);
	return 0;

usage:
	fprintf(stderr, "usage: ceiling [-R] -i IFACE\n");
	return 2;
}
