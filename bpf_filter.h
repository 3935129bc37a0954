/*
 * bpf_filter.h - the classic BPF program on the packet socket.
 *
 * It passes only what might be a Neighbor Solicitation for us, so that
 * the rest of the traffic on the uplink never wakes the daemon:
 * received (not sent) frames to our MAC or a multicast group, untagged
 * Ethernet, IPv6, ICMPv6 directly after the IPv6 header, hop limit 255,
 * type 135, code 0. ndp_parse_ns() checks all of it again, and more
 * (RFC 4861 7.1.1); this program only saves wake-ups.
 *
 * A socket bound to ETH_P_IPV6 sees an 802.1Q frame for a VLAN that has
 * no device here untagged, as PACKET_OTHERHOST, with no tag left: the
 * packet type test is what keeps it out. The VLAN tag test matters
 * where the tag survives to this socket (bound to ETH_P_ALL, or other
 * kernels); here it is defence in depth.
 */
#ifndef BPF_FILTER_H
#define BPF_FILTER_H

#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/icmp6.h>
#include <netinet/ip6.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define NDP_BPF_OFF_NXT  (ETH_HLEN + offsetof(struct ip6_hdr, ip6_nxt))
#define NDP_BPF_OFF_HLIM (ETH_HLEN + offsetof(struct ip6_hdr, ip6_hlim))
#define NDP_BPF_OFF_TYPE (ETH_HLEN + sizeof(struct ip6_hdr) + \
			  offsetof(struct icmp6_hdr, icmp6_type))
#define NDP_BPF_OFF_CODE (ETH_HLEN + sizeof(struct ip6_hdr) + \
			  offsetof(struct icmp6_hdr, icmp6_code))

/* Ancillary data "offsets" are negative; the instruction holds a u32. */
#define NDP_BPF_AD(x)	((__u32)(SKF_AD_OFF + (x)))

/* Index of the drop instruction, and the jump from instruction i to it. */
#define NDP_BPF_DROP	16
#define NDP_BPF_TO_DROP(i) (NDP_BPF_DROP - (i) - 1)

static const struct sock_filter ndp_bpf_prog[] = {
	/* 0: A = packet type */
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NDP_BPF_AD(SKF_AD_PKTTYPE)),
	/* 1: to us: go on at 3 */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_HOST, 1, 0),
	/* 2: else only to a group; outgoing, other host and VLAN: drop */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_MULTICAST, 0,
		 NDP_BPF_TO_DROP(2)),
	/* 3: A = 1 if the frame carried a VLAN tag */
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 
		 NDP_BPF_AD(SKF_AD_VLAN_TAG_PRESENT)),
	/* 4: tagged: drop */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, NDP_BPF_TO_DROP(4)),
	/* 5: A = ethertype */
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, offsetof(struct ethhdr, h_proto)),
	/* 6: not IPv6: drop */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, NDP_BPF_TO_DROP(6)),
	/* 7: A = IPv6 next header */
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, NDP_BPF_OFF_NXT),
	/* 8: not ICMPv6 (extension headers included): drop */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMPV6, 0,
		 NDP_BPF_TO_DROP(8)),
	/* 9: A = hop limit */
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, NDP_BPF_OFF_HLIM),
	/* 10: not 255, so not from this link (RFC 4861 7.1.1): drop */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 255, 0, NDP_BPF_TO_DROP(10)),
	/* 11: A = ICMPv6 type */
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, NDP_BPF_OFF_TYPE),
	/* 12: not a Neighbor Solicitation: drop */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ND_NEIGHBOR_SOLICIT, 0,
		 NDP_BPF_TO_DROP(12)),
	/* 13: A = ICMPv6 code */
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, NDP_BPF_OFF_CODE),
	/* 14: not 0 (RFC 4861 7.1.1): drop */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, NDP_BPF_TO_DROP(14)),
	/* 15: accept the whole frame; the checksum covers all of it */
	BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
	/* 16: drop */
	BPF_STMT(BPF_RET | BPF_K, 0),
};

_Static_assert(sizeof(ndp_bpf_prog) / sizeof(ndp_bpf_prog[0]) ==
	       NDP_BPF_DROP + 1, "NDP_BPF_DROP must index the last instruction");

/* Attached first, so that nothing queues between bind and the filter. */
static const struct sock_filter ndp_bpf_drop_all[] = {
	/* 0: drop */
	BPF_STMT(BPF_RET | BPF_K, 0),
};

#define BPF_PROG_LEN(prog) (sizeof(prog) / sizeof((prog)[0]))

/* Attach a classic BPF program to a socket (SO_ATTACH_FILTER replaces
 * what was there): 0 or -errno. */
static inline int bpf_attach(int fd, const struct sock_filter *insns,
			     size_t n)
{
	struct sock_fprog prog = {
		.len = (unsigned short)n,
		.filter = (struct sock_filter *)(uintptr_t)insns,
	};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)) < 0)
		return -errno;
	return 0;
}

#endif
