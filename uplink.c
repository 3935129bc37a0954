/*
 * uplink.c - follow the uplink and its gateways over rtnetlink, see
 * uplink.h.
 *
 * Why pin: on the VPSes we serve, the guest's own NUD probes to the
 * gateway leave from its link-local address and the hypervisor drops
 * them, so the gateway entry fails and every address goes offline. A
 * NUD_NOARP entry is never probed. To learn the gateway's MAC in the
 * first place we send it a datagram from a global address of the
 * uplink: the kernel then solicits from that address (RFC 4861 7.2.2),
 * which the hypervisor lets through. We never wait for it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/neighbour.h>

#include "bpf_filter.h"
#include "clock.h"
#include "log.h"
#include "uplink.h"

#define RETRY_MIN_SECS	1
#define RETRY_MAX_SECS	60
#define DISCARD_PORT	9		/* RFC 863 */
/* MAX_MULTICAST_SOLICIT x RETRANS_TIMER (RFC 4861 10), and a second. */
#define VERIFY_TIMEOUT_MS 4000

/* Neighbour states in which the kernel holds a usable MAC. */
#define NUD_HAS_MAC (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE)

static void set_timer(struct uplink *u, unsigned secs)
{
	struct itimerspec its = { .it_value = { .tv_sec = (time_t)secs } };

	u->retry_secs = secs;
	if (timerfd_settime(u->timerfd, 0, &its, NULL) < 0)
		log_warn("timerfd_settime");
}

static void verify_end(struct uplink *u, struct uplink_gw *gw,
		       const uint8_t *mac);

/* Make the kernel solicit the gateway, from a global source if we have
 * one; the reply lands in the neighbour table and comes back to us as
 * a notification. */
void uplink_resolve(struct uplink *u, const struct in6_addr *gw)
{
	struct sockaddr_in6 src = { .sin6_family = AF_INET6 };
	struct sockaddr_in6 dst = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(DISCARD_PORT),
		.sin6_addr = *gw,
		.sin6_scope_id = (uint32_t)u->ifindex,
	};
	char a[NDP_ADDR_STRLEN], s[NDP_ADDR_STRLEN] = "auto";
	int fd;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_warn("resolve_gateway socket");
		return;
	}
	if (u->has_src) {
		src.sin6_addr = u->src;
		if (bind(fd, (struct sockaddr *)&src, sizeof(src)) == 0)
			ndp_format_addr(&u->src, s);
	}
	if (sendto(fd, "", 0, 0, (struct sockaddr *)&dst, sizeof(dst)) < 0)
		log_debug("resolve_gateway gateway=%s error=\"%s\"",
			  ndp_format_addr(gw, a), strerror(errno));
	else
		log_debug("resolve_gateway gateway=%s source=%s",
			  ndp_format_addr(gw, a), s);
	close(fd);
}

/* Resolve the unpinned gateways now, unless a retry is pending. */
static void kick(struct uplink *u)
{
	bool want = false;

	for (size_t i = 0; i < u->ngw; i++)
		want |= !u->gw[i].pinned;
	if (!u->pin || !want || u->ifindex == 0) {
		if (u->retry_secs)
			set_timer(u, 0);
		return;
	}
	if (u->retry_secs)
		return;
	for (size_t i = 0; i < u->ngw; i++)
		if (!u->gw[i].pinned)
			uplink_resolve(u, &u->gw[i].addr);
	set_timer(u, RETRY_MIN_SECS);
}

void uplink_timer(struct uplink *u)
{
	uint64_t expirations;
	unsigned next;

	if (read(u->timerfd, &expirations, sizeof(expirations)) < 0)
		return;
	/* A verification the kernel never finished (no FAILED state seen). */
	for (size_t i = 0; i < u->ngw; i++)
		if (u->gw[i].verifying &&
		    clock_ms() - u->gw[i].verify_ms >= VERIFY_TIMEOUT_MS)
			verify_end(u, &u->gw[i], NULL);
	next = u->retry_secs * 2 > RETRY_MAX_SECS ? RETRY_MAX_SECS :
						    u->retry_secs * 2;
	u->retry_secs = 0;
	kick(u);
	if (u->retry_secs)
		set_timer(u, next);
}

/* The gateway with address a among v[0..n), or NULL. */
static struct uplink_gw *find_gw(struct uplink_gw *v, size_t n,
				 const struct in6_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(&v[i].addr, a, sizeof(*a)) == 0)
			return &v[i];
	return NULL;
}

/* Pin gw to mac as NUD_NOARP. */
static void pin(struct uplink *u, struct uplink_gw *gw, const uint8_t *mac)
{
	char a[NDP_ADDR_STRLEN], m[NDP_MAC_STRLEN];
	int err;

	if (!u->pin || u->said_eperm)
		return;
	ndp_format_addr(&gw->addr, a);
	ndp_format_mac(mac, m);
	err = rtnl_neigh_set(&u->req, u->ifindex, &gw->addr, mac, NUD_NOARP);
	if (err == 0) {
		memcpy(gw->lladdr, mac, sizeof(gw->lladdr));
		gw->state = NUD_NOARP;
		gw->pinned = gw->ours = true;
		log_info("gateway_pinned gateway=%s lladdr=%s", a, m);
	} else if (err == -EPERM) {
		log_warnx("gateway_pin_failed gateway=%s error=\"no "
			  "CAP_NET_ADMIN\"", a);
		u->said_eperm = true;
	} else {
		log_warnc(-err, "gateway_pin_failed gateway=%s", a);
	}
}

/*
 * Verifying a claim: the kernel resolves the gateway afresh and only a
 * REACHABLE entry counts, which takes a solicited NA (RFC 4861 7.2.5)
 * to our own NS; anyone's unsolicited NS or NA makes STALE at most.
 */
static void verify_end(struct uplink *u, struct uplink_gw *gw,
		       const uint8_t *mac)
{
	char a[NDP_ADDR_STRLEN], m[NDP_MAC_STRLEN], f[NDP_MAC_STRLEN];

	gw->verifying = false;
	/* A claim that proved false may come again: hold the next. */
	if (!mac || memcmp(mac, gw->claim, NDP_MAC_LEN) != 0)
		gw->held_ms = clock_ms() + UPLINK_VERIFY_HOLDOFF_MS;
	ndp_format_addr(&gw->addr, a);
	if (gw->has_fallback)
		ndp_format_mac(gw->fallback, f);
	if (!mac) {
		if (!gw->has_fallback) {
			log_warnx("gateway_unverified gateway=%s: no answer",
				  a);
			return;
		}
		log_warnx("gateway_unverified gateway=%s: no answer, keeping "
			  "lladdr=%s", a, f);
		mac = gw->fallback;
	} else if (gw->has_fallback &&
		   memcmp(mac, gw->fallback, NDP_MAC_LEN) != 0) {
		ndp_format_mac(mac, m);
		log_warnx("gateway_mac_changed gateway=%s old=%s new=%s", a, f,
			  m);
	} else {
		ndp_format_mac(gw->claim, m);
		ndp_format_mac(mac, f);
		log_info("gateway_verified gateway=%s lladdr=%s%s%s", a, f,
			 gw->has_fallback ? " rejected_claim=" : "",
			 gw->has_fallback ? m : "");
	}
	pin(u, gw, mac);
}

static void verify_update(struct uplink *u, struct uplink_gw *gw,
			  const struct rtnl_neigh *n)
{
	if (n->state & (NUD_PERMANENT | NUD_NOARP)) {
		/* Pinned by someone else meanwhile: theirs. */
		gw->verifying = false;
		if (n->has_lladdr) {
			memcpy(gw->lladdr, n->lladdr, sizeof(gw->lladdr));
			gw->pinned = true;
		}
	} else if ((n->state & NUD_REACHABLE) && n->has_lladdr) {
		verify_end(u, gw, n->lladdr);
	} else if ((n->state & NUD_FAILED) && gw->armed) {
		verify_end(u, gw, NULL);
	}
}

/* Unpin gw and have the kernel resolve it from a global address. */
static void verify_start(struct uplink *u, struct uplink_gw *gw,
			 uint64_t now)
{
	char a[NDP_ADDR_STRLEN], c[NDP_MAC_STRLEN], p[NDP_MAC_STRLEN];
	int err;

	gw->verify_ms = now;
	gw->has_fallback = gw->pinned;
	memcpy(gw->fallback, gw->lladdr, sizeof(gw->fallback));
	ndp_format_addr(&gw->addr, a);
	ndp_format_mac(gw->claim, c);
	ndp_format_mac(gw->lladdr, p);
	log_warnx("gateway_mac_claim gateway=%s claimed=%s pinned=%s "
		  "held=%llu: verifying", a, c, gw->pinned ? p : "none",
		  (unsigned long long)u->claims_held);
	u->claims_held = 0;
	/* Deleting an entry notifies FAILED, then the deletion: the
	 * verdict FAILED counts only after that. */
	gw->armed = true;
	if (gw->pinned) {
		err = rtnl_neigh_del(&u->req, u->ifindex, &gw->addr);
		if (err < 0 && err != -ENOENT) {
			log_warnc(-err, "gateway_verify gateway=%s", a);
			return;
		}
		gw->armed = err == -ENOENT;
	}
	gw->pinned = gw->ours = false;
	gw->verifying = true;
	uplink_resolve(u, &gw->addr);
	if (!u->retry_secs)
		set_timer(u, RETRY_MIN_SECS);
}

static void neigh_update(struct uplink *u, const struct rtnl_neigh *n,
			 bool deleted)
{
	struct uplink_gw *gw;

	if (n->ifindex != u->ifindex || !(gw = find_gw(u->gw, u->ngw, &n->dst)))
		return;
	gw->pinned = false;
	gw->state = deleted ? 0 : n->state;
	if (gw->verifying) {
		if (deleted)		/* by us, to verify */
			gw->armed = true;
		else
			verify_update(u, gw, n);
		return;
	}
	if (deleted || !n->has_lladdr)
		return;
	memcpy(gw->lladdr, n->lladdr, sizeof(gw->lladdr));
	/* PERMANENT is the operator's; NOARP is ours, or as good. */
	if (n->state & (NUD_PERMANENT | NUD_NOARP))
		gw->pinned = true;
	else if (n->state & NUD_HAS_MAC)
		pin(u, gw, n->lladdr);
}

/*
 * RFC 4861 7.2.3: the gateway's NS tells its link-layer address, which
 * the kernel will not take into a NOARP entry; but anyone on the link
 * can send an NS from the gateway's address. So the MAC is a claim,
 * verified by the kernel's own resolution, never pinned on its word.
 */
void uplink_gateway_seen(struct uplink *u, const struct in6_addr *addr,
			 const uint8_t mac[NDP_MAC_LEN])
{
	struct uplink_gw *gw;

	if (!u->pin || !(gw = find_gw(u->gw, u->ngw, addr)) ||
	    (gw->state & NUD_PERMANENT) || gw->verifying ||
	    (gw->pinned && memcmp(gw->lladdr, mac, sizeof(gw->lladdr)) == 0))
		return;
	memcpy(gw->claim, mac, sizeof(gw->claim));
	gw->claimed = u->work = true;
}

void uplink_work(struct uplink *u)
{
	uint64_t now;

	if (!u->work)
		return;
	u->work = false;
	now = clock_ms();
	for (size_t i = 0; i < u->ngw; i++) {
		struct uplink_gw *gw = &u->gw[i];

		if (!gw->claimed)
			continue;
		gw->claimed = false;
		if (now < gw->held_ms)
			u->claims_held++;
		else if (u->ifindex && (u->flags & IFF_UP))
			verify_start(u, gw, now);
	}
}

/* Hand an entry we pinned back to neighbour discovery; STALE keeps the
 * address, so a restarted daemon pins it again at once. */
static void release(struct uplink *u, struct uplink_gw *gw)
{
	char a[NDP_ADDR_STRLEN];
	int err;

	if (!gw->ours || !gw->pinned || !(gw->state & NUD_NOARP) ||
	    u->ifindex == 0)
		return;
	err = rtnl_neigh_set(&u->req, u->ifindex, &gw->addr, gw->lladdr,
			     NUD_STALE);
	ndp_format_addr(&gw->addr, a);
	if (err < 0)
		log_warnc(-err, "gateway_release gateway=%s", a);
	else
		log_info("gateway_released gateway=%s", a);
	gw->ours = gw->pinned = false;
}

void uplink_release(struct uplink *u)
{
	for (size_t i = 0; i < u->ngw; i++)
		release(u, &u->gw[i]);
}

static int neigh_cb(const struct nlmsghdr *h, void *arg)
{
	struct rtnl_neigh n;

	if (h && rtnl_parse_neigh(h, &n) == 0)
		neigh_update(arg, &n, h->nlmsg_type == RTM_DELNEIGH);
	return 0;
}

struct route_scan {
	struct uplink *u;
	struct uplink_gw gw[UPLINK_GW_MAX];
	size_t ngw;
};

/* Default routes through the uplink in the main table: the gateways. */
static int route_cb(const struct nlmsghdr *h, void *arg)
{
	struct route_scan *s = arg;
	struct rtnl_route r;

	if (!h) {
		s->ngw = 0;
		return 0;
	}
	if (rtnl_parse_route(h, &r) < 0 || r.family != AF_INET6 ||
	    r.dst_len != 0 || r.table != RT_TABLE_MAIN ||
	    r.type != RTN_UNICAST)
		return 0;
	for (size_t i = 0; i < r.nnh && s->ngw < UPLINK_GW_MAX; i++)
		if (r.nh[i].ifindex == s->u->ifindex &&
		    !find_gw(s->gw, s->ngw, &r.nh[i].gw))
			s->gw[s->ngw++].addr = r.nh[i].gw;
	return 0;
}

static void scan_routes(struct uplink *u)
{
	struct route_scan s = { .u = u };
	char a[NDP_ADDR_STRLEN];
	int err;

	if (u->ifindex == 0) {
		s.ngw = 0;
	} else if ((err = rtnl_dump(&u->req, RTM_GETROUTE, AF_INET6, route_cb,
				    &s)) < 0) {
		log_warnc(-err, "route_dump");
		return;
	}
	for (size_t i = 0; i < s.ngw; i++) {
		const struct uplink_gw *old = find_gw(u->gw, u->ngw,
						      &s.gw[i].addr);

		if (old)
			s.gw[i] = *old;
	}
	if (s.ngw == u->ngw &&
	    memcmp(s.gw, u->gw, s.ngw * sizeof(s.gw[0])) == 0)
		return;
	/* A former gateway's pin is ours to undo; on a link that went
	 * down the kernel flushes the entries itself. */
	for (size_t i = 0; i < u->ngw; i++)
		if (!find_gw(s.gw, s.ngw, &u->gw[i].addr) &&
		    (u->flags & IFF_UP))
			release(u, &u->gw[i]);
	memcpy(u->gw, s.gw, sizeof(s.gw));
	u->ngw = s.ngw;
	u->changed |= UPLINK_CHANGED_GATEWAY;
	if (u->ngw == 0)
		log_info("gateway_none interface=%s", u->ifname);
	for (size_t i = 0; i < u->ngw; i++)
		log_info("gateway gateway=%s interface=%s",
			 ndp_format_addr(&u->gw[i].addr, a), u->ifname);
}

/* The uplink's addresses, and a global, usable one among them for
 * soliciting the gateway. */
static int addr_cb(const struct nlmsghdr *h, void *arg)
{
	struct uplink *u = arg;
	struct rtnl_addr a;

	if (!h) {
		u->has_src = false;
		u->naddrs = 0;
		return 0;
	}
	if (rtnl_parse_addr(h, &a) < 0 || a.ifindex != u->ifindex)
		return 0;
	if (u->naddrs == u->addrs_cap) {
		size_t cap = u->addrs_cap ? u->addrs_cap * 2 : 8;
		struct in6_addr *v = reallocarray(u->addrs, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		u->addrs = v;
		u->addrs_cap = cap;
	}
	u->addrs[u->naddrs++] = a.addr;
	if (a.scope != RT_SCOPE_UNIVERSE ||
	    (a.flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
		return 0;
	/* Prefer an address that is not deprecated. */
	if (!u->has_src || !(a.flags & IFA_F_DEPRECATED)) {
		u->src = a.addr;
		u->has_src = true;
	}
	return 0;
}

void uplink_scan_neighbours(struct uplink *u)
{
	int err;

	if (u->ifindex == 0 || u->ngw == 0)
		return;
	err = rtnl_dump(&u->req, RTM_GETNEIGH, AF_INET6, neigh_cb, u);
	if (err < 0)
		log_warnc(-err, "neighbour_dump");
}

static void scan_addresses(struct uplink *u)
{
	int err;

	if (u->ifindex == 0) {
		u->has_src = false;
		u->naddrs = 0;
		return;
	}
	err = rtnl_dump(&u->req, RTM_GETADDR, AF_INET6, addr_cb, u);
	if (err < 0)
		log_warnc(-err, "address_dump");
	u->naddrs = ndp_addr_set_make(u->addrs, u->naddrs);
}

bool uplink_is_own(const void *arg, const struct in6_addr *t)
{
	const struct uplink *u = arg;

	if (ndp_addr_set_contains(u->addrs, u->naddrs, t))
		return true;
	for (size_t i = 0; i < u->ngw; i++)
		if (memcmp(&u->gw[i].addr, t, sizeof(*t)) == 0)
			return true;
	return false;
}

/*
 * Neighbour notifications come for every interface, route notifications
 * for every route; a host with busy neighbours elsewhere (a Docker
 * bridge) or thousands of guest routes would wake us for each. This
 * classic BPF program on the notification socket passes neighbour
 * messages for the uplink only, route messages for default routes only
 * (the rest is routes.c's, on its own socket), and everything else.
 * Netlink headers are in host order and BPF loads in network order:
 * hence htons/htonl on the constants. One notification is one message.
 */
static void filter_events(struct uplink *u)
{
	struct sock_filter prog[] = {
		/* 0: A = message type */
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS,
			 offsetof(struct nlmsghdr, nlmsg_type)),
		/* 1: a new neighbour: check its interface at 5 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWNEIGH), 3, 0),
		/* 2: a deleted one too */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_DELNEIGH), 2, 0),
		/* 3: a new route: check its length at 7 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWROUTE), 3, 0),
		/* 4: a deleted one too; anything else: pass at 9 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_DELROUTE), 2, 4),
		/* 5: A = ndm_ifindex */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 NLMSG_HDRLEN + offsetof(struct ndmsg, ndm_ifindex)),
		/* 6: the uplink's: pass at 9; else drop at 10 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			 htonl((uint32_t)u->ifindex), 2, 3),
		/* 7: A = rtm_dst_len, one byte */
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS,
			 NLMSG_HDRLEN + offsetof(struct rtmsg, rtm_dst_len)),
		/* 8: a default route: pass; else drop at 10 */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		/* 9: pass */
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		/* 10: drop */
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	int err = bpf_attach(u->ev.fd, prog, BPF_PROG_LEN(prog));

	if (err < 0)
		log_warnc(-err, "netlink_filter");
	u->filtered = u->ifindex;
}

/* Take the link l as our uplink, or note that there is none. */
static void set_link(struct uplink *u, const struct rtnl_link *l)
{
	char m[NDP_MAC_STRLEN];

	if (!l || l->type != ARPHRD_ETHER || !l->has_addr) {
		if (!u->said_absent && l)
			log_warnx("link_unusable interface=%s error=\"no "
				  "Ethernet address\": waiting", u->ifname);
		else if (!u->said_absent)
			log_warnx("link_absent interface=%s: waiting for it",
				  u->ifname);
		if (u->ifindex != 0)
			u->changed |= UPLINK_CHANGED_INDEX;
		u->said_absent = true;
		u->ifindex = 0;
		if (u->filtered != 0 && u->ev.fd >= 0)
			filter_events(u);
		u->flags = 0;
		u->ngw = 0;
		u->has_src = false;
		return;
	}
	ndp_format_mac(l->addr, m);
	if (l->ifindex != u->ifindex) {
		if (u->said_absent)
			log_info("link_back interface=%s ifindex=%d mac=%s",
				 u->ifname, l->ifindex, m);
		u->said_absent = false;
		u->ifindex = l->ifindex;
		u->changed |= UPLINK_CHANGED_INDEX | UPLINK_CHANGED_MAC;
	} else if (memcmp(l->addr, u->mac, sizeof(u->mac)) != 0) {
		log_info("link_mac interface=%s mac=%s", u->ifname, m);
		u->changed |= UPLINK_CHANGED_MAC;
	}
	if (u->ifindex != u->filtered && u->ev.fd >= 0)
		filter_events(u);
	if ((l->flags ^ u->flags) & IFF_UP) {
		log_info("link_%s interface=%s", l->flags & IFF_UP ? "up" :
			 "down", u->ifname);
		if (l->flags & IFF_UP)
			u->changed |= UPLINK_CHANGED_UP;
	}
	memcpy(u->mac, l->addr, sizeof(u->mac));
	u->flags = l->flags;
}

/* Everything again: at start, and when notifications were lost. */
static void resync(struct uplink *u)
{
	struct rtnl_link l;
	int err = rtnl_get_link(&u->req, u->ifname, &l);

	if (err < 0 && err != -ENODEV) {
		log_warnc(-err, "link_get interface=%s", u->ifname);
		return;
	}
	set_link(u, err == 0 ? &l : NULL);
	scan_addresses(u);
	scan_routes(u);
	for (size_t i = 0; i < u->ngw; i++)
		u->gw[i].pinned = false;
	uplink_scan_neighbours(u);
	kick(u);
}

struct event_scan {
	struct uplink *u;
	bool link, routes, addrs;
	bool gone;			/* our index was deleted */
};

static int event_cb(const struct nlmsghdr *h, void *arg)
{
	struct event_scan *e = arg;
	struct uplink *u = e->u;
	struct rtnl_link l;

	if (!h)
		return 0;
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		/* Ours by name or by index: a rename counts either way. */
		if (rtnl_parse_link(h, &l) == 0 &&
		    (strcmp(l.name, u->ifname) == 0 ||
		     l.ifindex == u->ifindex)) {
			e->link = true;
			/* Deleted, or moved to another namespace: the
			 * packet socket is unbound even if a link comes
			 * back under the same index. */
			if (h->nlmsg_type == RTM_DELLINK &&
			    l.ifindex == u->ifindex)
				e->gone = true;
		}
		break;
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		e->routes = true;
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		e->addrs = true;
		break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		neigh_cb(h, u);
		break;
	}
	return 0;
}

void uplink_events(struct uplink *u)
{
	struct event_scan e = { .u = u };
	int old = u->ifindex;
	int err = rtnl_read_events(&u->ev, event_cb, &e);

	if (err == -ENOBUFS) {
		log_info("netlink_overrun: resynchronising");
		resync(u);
		return;
	}
	if (err < 0)
		log_warnc(-err, "netlink_events");
	if (e.link) {
		/* Ask by name, so delete-and-recreate and renames agree. */
		struct rtnl_link l;

		err = rtnl_get_link(&u->req, u->ifname, &l);
		if (err == 0 || err == -ENODEV)
			set_link(u, err == 0 ? &l : NULL);
	}
	/* Gone and back within one read, with the same index. */
	if (e.gone && u->ifindex != 0 && u->ifindex == old) {
		log_info("link_recreated interface=%s ifindex=%d", u->ifname,
			 u->ifindex);
		u->changed |= UPLINK_CHANGED_INDEX;
	}
	if (u->ifindex != old || e.gone) {
		resync(u);
		return;
	}
	if (e.addrs)
		scan_addresses(u);
	if (e.routes) {
		scan_routes(u);
		uplink_scan_neighbours(u);
	}
	kick(u);
}

int uplink_init(struct uplink *u, const char *ifname, bool pin)
{
	struct rtnl_link l;
	int err;

	memset(u, 0, sizeof(*u));
	u->ifname = ifname;
	u->pin = pin;
	u->ev.fd = u->req.fd = u->timerfd = -1;
	if ((err = rtnl_open(&u->req, 0)) < 0)
		return err;
	if ((err = rtnl_get_link(&u->req, ifname, &l)) < 0)
		return err;
	if (l.type != ARPHRD_ETHER || !l.has_addr)
		return -EPFNOSUPPORT;
	u->ifindex = l.ifindex;
	u->flags = l.flags;
	memcpy(u->mac, l.addr, sizeof(u->mac));
	/* Subscribe before the dumps, so that no change falls between. */
	if ((err = rtnl_open(&u->ev, RTMGRP_LINK | RTMGRP_NEIGH |
			     RTMGRP_IPV6_ROUTE | RTMGRP_IPV6_IFADDR)) < 0)
		return err;
	filter_events(u);
	u->timerfd = timerfd_create(CLOCK_MONOTONIC,
				    TFD_NONBLOCK | TFD_CLOEXEC);
	if (u->timerfd < 0)
		return -errno;
	resync(u);
	u->changed = 0;
	return 0;
}

const struct in6_addr *uplink_gateway(const struct uplink *u)
{
	return u->ngw ? &u->gw[0].addr : NULL;
}

unsigned uplink_take_changes(struct uplink *u)
{
	unsigned c = u->changed;

	u->changed = 0;
	return c;
}
