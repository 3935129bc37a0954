/*
 * rtnl.h - minimal rtnetlink: bounds-checked message and attribute
 * walks, requests with sequence and port checks, dumps that restart
 * when interrupted, and parsers for the few messages we use.
 */
#ifndef RTNL_H
#define RTNL_H

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RTNL_BUFSIZE	32768
#define RTNL_NH_MAX	8		/* gateways kept per route */

struct rtnl {
	int fd;
	uint32_t portid;
	uint32_t seq;
	union {				/* aligned for struct nlmsghdr */
		struct nlmsghdr h;
		uint8_t b[RTNL_BUFSIZE];
	} buf;
};

struct rtnl_link {
	int ifindex;
	unsigned flags;			/* IFF_* */
	uint16_t type;			/* ARPHRD_* */
	char name[IFNAMSIZ];
	uint8_t addr[6];
	bool has_addr;			/* IFLA_ADDRESS of 6 bytes */
};

struct rtnl_nexthop {
	struct in6_addr gw;
	int ifindex;
};

struct rtnl_route {
	uint8_t family, dst_len, src_len, type;
	uint8_t protocol;		/* RTPROT_*: who made it (ra, kernel) */
	uint32_t table;			/* RT_TABLE_*, or RTA_TABLE's */
	struct in6_addr dst;		/* RTA_DST, or :: */
	uint32_t metric;		/* RTA_PRIORITY, or 0 */
	struct rtnl_nexthop nh[RTNL_NH_MAX];	/* only those with a gateway */
	size_t nnh;
	int oif[RTNL_NH_MAX];		/* every nexthop's device */
	size_t noif;
	bool more_oifs;			/* more nexthops than oif[] holds */
	bool dead;			/* RTNH_F_DEAD on the route or on all */
};

struct rtnl_neigh {
	int ifindex;
	uint16_t state;			/* NUD_* */
	struct in6_addr dst;
	uint8_t lladdr[6];
	bool has_lladdr;
};

struct rtnl_addr {
	int ifindex;
	uint8_t prefixlen, scope;
	uint32_t flags;			/* IFA_F_* */
	struct in6_addr addr;
};

/*
 * Called for each message of a reply or notification, or with h NULL
 * when a dump starts (again): forget what earlier attempts gave.
 * Return 0 to go on, or -errno to stop.
 */
typedef int (*rtnl_cb)(const struct nlmsghdr *h, void *arg);

/* Open; groups is a RTMGRP_* mask for notifications, or 0. 0 or -errno. */
int rtnl_open(struct rtnl *nl, unsigned groups);

/* A larger receive buffer for a notification socket: fewer overruns in
 * a burst. */
void rtnl_set_rcvbuf(struct rtnl *nl, int size);
/* Dump all objects of type (RTM_GETLINK...) and family. 0 or -errno. */
int rtnl_dump(struct rtnl *nl, uint16_t type, uint8_t family, rtnl_cb cb,
	      void *arg);
/* Get one link by name; -ENODEV if there is none. */
int rtnl_get_link(struct rtnl *nl, const char *name, struct rtnl_link *l);
/* Create or replace a neighbour entry: lladdr, NUD_* state. 0 or -errno. */
int rtnl_neigh_set(struct rtnl *nl, int ifindex, const struct in6_addr *dst,
		   const uint8_t lladdr[6], uint16_t state);
/* Have the kernel resolve dst on ifindex (NTF_USE). 0 or -errno. */
int rtnl_neigh_use(struct rtnl *nl, int ifindex, const struct in6_addr *dst);
/* Delete a neighbour entry. 0 or -errno (-ENOENT: there was none). */
int rtnl_neigh_del(struct rtnl *nl, int ifindex, const struct in6_addr *dst);
/*
 * Read the notifications queued on a socket opened with groups, calling
 * cb for each. 0 when drained, -ENOBUFS when some were lost (dump
 * everything again), or another -errno.
 */
int rtnl_read_events(struct rtnl *nl, rtnl_cb cb, void *arg);

/*
 * Walk the messages of one datagram from the kernel: cb for each data
 * message; returns 1 after NLMSG_DONE or the ACK of seq, -errno for a
 * NLMSG_ERROR or a malformed datagram, else 0. *intr is set when a
 * message says the dump was interrupted. seq 0 accepts any.
 */
int rtnl_walk(const void *buf, size_t len, uint32_t seq, uint32_t portid,
	      rtnl_cb cb, void *arg, bool *intr);

/* Parsers: 0, or -EINVAL for a malformed or foreign message. */
int rtnl_parse_link(const struct nlmsghdr *h, struct rtnl_link *l);
int rtnl_parse_route(const struct nlmsghdr *h, struct rtnl_route *r);
int rtnl_parse_neigh(const struct nlmsghdr *h, struct rtnl_neigh *n);
int rtnl_parse_addr(const struct nlmsghdr *h, struct rtnl_addr *a);

#endif
