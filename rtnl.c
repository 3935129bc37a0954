/*
 * rtnl.c - minimal rtnetlink, see rtnl.h. Every length is checked
 * against what remains before it is used; headers are copied out, never
 * overlaid on the buffer.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/neighbour.h>

#include "rtnl.h"

#define ATTR_MAX 64			/* above the highest type we read */
#define DUMP_TRIES 8
#define ALIGN4(x) (((size_t)(x) + 3) & ~(size_t)3)

/* A request: header, family-specific header, room for attributes. */
struct request {
	struct nlmsghdr h;
	union {
		struct ifinfomsg ifi;
		struct rtmsg rtm;
		struct ndmsg ndm;
		struct ifaddrmsg ifa;
	} u;
	uint8_t attrs[64];
};

int rtnl_open(struct rtnl *nl, unsigned groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	struct timeval tv = { .tv_sec = 2 };
	socklen_t salen = sizeof(sa);
	int flags = SOCK_RAW | SOCK_CLOEXEC | (groups ? SOCK_NONBLOCK : 0);
	int err;

	nl->fd = socket(AF_NETLINK, flags, NETLINK_ROUTE);
	if (nl->fd < 0)
		return -errno;
	/* A request never waits for ever on a kernel that does not answer. */
	if (!groups && setsockopt(nl->fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				  sizeof(tv)) < 0)
		goto fail;
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &salen) < 0)
		goto fail;
	nl->portid = sa.nl_pid;
	nl->seq = 1;
	return 0;
fail:
	err = -errno;
	close(nl->fd);
	nl->fd = -1;
	return err;
}

void rtnl_set_rcvbuf(struct rtnl *nl, int size)
{
	/* Past rmem_max with CAP_NET_ADMIN; else what the sysctl allows. */
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)) < 0)
		(void)setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &size,
				 sizeof(size));
}

int rtnl_walk(const void *buf, size_t len, uint32_t seq, uint32_t portid,
	      rtnl_cb cb, void *arg, bool *intr)
{
	const uint8_t *p = buf;

	while (len >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		size_t step;
		int err, r;

		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
			return -EINVAL;
		/* Replies to an earlier, abandoned request are skipped. */
		if (seq && (h.nlmsg_seq != seq || h.nlmsg_pid != portid))
			goto next;
		if (h.nlmsg_flags & NLM_F_DUMP_INTR)
			*intr = true;
		switch (h.nlmsg_type) {
		case NLMSG_DONE:
			/* A dump that failed part way says so here
			 * (netlink_dump_done()): what came before it is
			 * not the whole table. Older kernels send no
			 * error code. */
			if (h.nlmsg_len < NLMSG_LENGTH(sizeof(err)))
				return 1;
			memcpy(&err, p + NLMSG_HDRLEN, sizeof(err));
			return err < 0 ? err : 1;
		case NLMSG_ERROR:
			if (h.nlmsg_len < NLMSG_LENGTH(sizeof(err)))
				return -EINVAL;
			memcpy(&err, p + NLMSG_HDRLEN, sizeof(err));
			if (err == 0)
				return 1;		/* ACK */
			return err < 0 ? err : -EPROTO;
		case NLMSG_NOOP:
		case NLMSG_OVERRUN:
			break;
		default:
			r = cb((const struct nlmsghdr *)(const void *)p, arg);
			if (r < 0)
				return r;
		}
next:
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return 0;
}

/* Receive one datagram from the kernel into nl->buf. Length or -errno. */
static ssize_t receive(struct rtnl *nl, int flags)
{
	struct sockaddr_nl sa;
	struct iovec iov = { nl->buf.b, sizeof(nl->buf.b) };
	struct msghdr msg = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		n = recvmsg(nl->fd, &msg, flags);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (msg.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		/* Only the kernel speaks to us; drop anyone else. */
		if (msg.msg_namelen != sizeof(sa) || sa.nl_pid != 0)
			continue;
		return n;
	}
}

/* Send req and walk the answer until DONE or ACK. */
static int request(struct rtnl *nl, struct nlmsghdr *req, rtnl_cb cb,
		   void *arg, bool *intr)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;
	int r;

	if (++nl->seq == 0)
		nl->seq = 1;
	req->nlmsg_seq = nl->seq;
	req->nlmsg_pid = nl->portid;
	if (sendto(nl->fd, req, req->nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	do {
		n = receive(nl, 0);
		if (n < 0)
			return (int)n;
		r = rtnl_walk(nl->buf.b, (size_t)n, nl->seq, nl->portid, cb,
			      arg, intr);
	} while (r == 0);
	return r < 0 ? r : 0;
}

static int ignore(const struct nlmsghdr *h, void *arg)
{
	(void)h;
	(void)arg;
	return 0;
}

/* Append an attribute to req; the caller sized req for it. */
static void put_attr(struct request *req, uint16_t type, const void *data,
		     size_t len)
{
	struct rtattr rta = {
		.rta_len = (unsigned short)RTA_LENGTH(len),
		.rta_type = type,
	};
	uint8_t *p = (uint8_t *)req + NLMSG_ALIGN(req->h.nlmsg_len);

	memcpy(p, &rta, sizeof(rta));
	memcpy(p + RTA_LENGTH(0), data, len);
	req->h.nlmsg_len = NLMSG_ALIGN(req->h.nlmsg_len) +
			   (uint32_t)RTA_ALIGN(rta.rta_len);
}

int rtnl_dump(struct rtnl *nl, uint16_t type, uint8_t family, rtnl_cb cb,
	      void *arg)
{
	struct request req;
	size_t hdr;
	int r;

	switch (type) {
	case RTM_GETLINK:
		hdr = sizeof(req.u.ifi);
		break;
	case RTM_GETROUTE:
		hdr = sizeof(req.u.rtm);
		break;
	case RTM_GETNEIGH:
		hdr = sizeof(req.u.ndm);
		break;
	case RTM_GETADDR:
		hdr = sizeof(req.u.ifa);
		break;
	default:
		return -EINVAL;
	}
	for (int i = 0; i < DUMP_TRIES; i++) {
		bool intr = false;

		memset(&req, 0, sizeof(req));
		req.h.nlmsg_len = (uint32_t)NLMSG_LENGTH(hdr);
		req.h.nlmsg_type = type;
		req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		/* The family is the first byte of every header. */
		memcpy(&req.u, &family, 1);
		cb(NULL, arg);
		r = request(nl, &req.h, cb, arg, &intr);
		/* Changed under us, or lost: start over. */
		if (r == -ENOBUFS || (r == 0 && intr))
			continue;
		return r;
	}
	return -EAGAIN;
}

struct get_link {
	struct rtnl_link *l;
	bool found;
};

static int get_link_cb(const struct nlmsghdr *h, void *arg)
{
	struct get_link *g = arg;

	if (h && rtnl_parse_link(h, g->l) == 0)
		g->found = true;
	return 0;
}

int rtnl_get_link(struct rtnl *nl, const char *name, struct rtnl_link *l)
{
	struct request req = {
		.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.u.ifi)),
		.h.nlmsg_type = RTM_GETLINK,
		.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.u.ifi.ifi_family = AF_UNSPEC,
	};
	struct get_link g = { .l = l };
	size_t len = strlen(name);
	bool intr = false;
	int r;

	if (len >= IFNAMSIZ)
		return -ENODEV;
	put_attr(&req, IFLA_IFNAME, name, len + 1);
	r = request(nl, &req.h, get_link_cb, &g, &intr);
	if (r < 0)
		return r;
	return g.found ? 0 : -ENODEV;
}

/* RTM_NEWNEIGH, created or replaced: lladdr (NULL: none), state, flags. */
static int neigh_new(struct rtnl *nl, int ifindex, const struct in6_addr *dst,
		     const uint8_t *lladdr, uint16_t state, uint8_t flags)
{
	struct request req = {
		.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.u.ndm)),
		.h.nlmsg_type = RTM_NEWNEIGH,
		.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
				 NLM_F_REPLACE,
		.u.ndm.ndm_family = AF_INET6,
		.u.ndm.ndm_ifindex = ifindex,
		.u.ndm.ndm_state = state,
		.u.ndm.ndm_flags = flags,
	};
	bool intr = false;

	put_attr(&req, NDA_DST, dst, sizeof(*dst));
	if (lladdr)
		put_attr(&req, NDA_LLADDR, lladdr, 6);
	return request(nl, &req.h, ignore, NULL, &intr);
}

int rtnl_neigh_set(struct rtnl *nl, int ifindex, const struct in6_addr *dst,
		   const uint8_t lladdr[6], uint16_t state)
{
	return neigh_new(nl, ifindex, dst, lladdr, state, 0);
}

/* As 'ip -6 neigh replace DST dev DEV use': the kernel creates the entry
 * if need be and resolves it (neigh_event_send); with NTF_USE the state
 * is not applied. */
int rtnl_neigh_use(struct rtnl *nl, int ifindex, const struct in6_addr *dst)
{
	return neigh_new(nl, ifindex, dst, NULL, NUD_PERMANENT, NTF_USE);
}

int rtnl_neigh_del(struct rtnl *nl, int ifindex, const struct in6_addr *dst)
{
	struct request req = {
		.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.u.ndm)),
		.h.nlmsg_type = RTM_DELNEIGH,
		.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.u.ndm.ndm_family = AF_INET6,
		.u.ndm.ndm_ifindex = ifindex,
	};
	bool intr = false;

	put_attr(&req, NDA_DST, dst, sizeof(*dst));
	return request(nl, &req.h, ignore, NULL, &intr);
}

int rtnl_read_events(struct rtnl *nl, rtnl_cb cb, void *arg)
{
	for (;;) {
		ssize_t n = receive(nl, MSG_DONTWAIT);
		bool intr = false;
		int r;

		if (n == -EAGAIN || n == -EWOULDBLOCK)
			return 0;
		if (n < 0)
			return (int)n;
		r = rtnl_walk(nl->buf.b, (size_t)n, 0, 0, cb, arg, &intr);
		if (r < 0)
			return r;
	}
}

/*
 * Index the attributes in [p, p + len) by type; the last of a type
 * wins. Each entry points at the attribute header.
 */
static int parse_attrs(const uint8_t *p, size_t len,
		       const uint8_t *tb[ATTR_MAX + 1])
{
	memset(tb, 0, sizeof(*tb) * (ATTR_MAX + 1));
	while (len >= sizeof(struct rtattr)) {
		struct rtattr rta;
		size_t step;

		memcpy(&rta, p, sizeof(rta));
		if (rta.rta_len < sizeof(rta) || rta.rta_len > len)
			return -EINVAL;
		if ((rta.rta_type & NLA_TYPE_MASK) <= ATTR_MAX)
			tb[rta.rta_type & NLA_TYPE_MASK] = p;
		step = RTA_ALIGN(rta.rta_len);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	return 0;
}

static size_t attr_len(const uint8_t *a)
{
	struct rtattr rta;

	memcpy(&rta, a, sizeof(rta));
	return rta.rta_len - RTA_LENGTH(0);
}

static const uint8_t *attr_data(const uint8_t *a)
{
	return a + RTA_LENGTH(0);
}

/* Copy a fixed-size attribute payload; false if absent or of other size. */
static bool attr_get(const uint8_t *a, void *out, size_t size)
{
	if (!a || attr_len(a) != size)
		return false;
	memcpy(out, attr_data(a), size);
	return true;
}

/* Copy the family header of h and index the attributes after it. */
static int parse_msg(const struct nlmsghdr *h, void *hdr, size_t hdrlen,
		     const uint8_t *tb[ATTR_MAX + 1])
{
	const uint8_t *p = (const uint8_t *)h;
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);

	if (h->nlmsg_len < NLMSG_HDRLEN + hdrlen)
		return -EINVAL;
	memcpy(hdr, p + NLMSG_HDRLEN, hdrlen);
	if (h->nlmsg_len <= off)
		return parse_attrs(p, 0, tb);
	return parse_attrs(p + off, h->nlmsg_len - off, tb);
}

int rtnl_parse_link(const struct nlmsghdr *h, struct rtnl_link *l)
{
	const uint8_t *tb[ATTR_MAX + 1];
	struct ifinfomsg ifi;
	size_t n;

	if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK)
		return -EINVAL;
	if (parse_msg(h, &ifi, sizeof(ifi), tb) < 0)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi.ifi_index;
	l->flags = ifi.ifi_flags;
	l->type = ifi.ifi_type;
	l->has_addr = attr_get(tb[IFLA_ADDRESS], l->addr, sizeof(l->addr));
	if (!tb[IFLA_IFNAME])
		return -EINVAL;
	n = strnlen((const char *)attr_data(tb[IFLA_IFNAME]),
		    attr_len(tb[IFLA_IFNAME]));
	if (n == 0 || n >= sizeof(l->name))
		return -EINVAL;
	memcpy(l->name, attr_data(tb[IFLA_IFNAME]), n);
	l->name[n] = '\0';
	return 0;
}

/* RTA_MULTIPATH: struct rtnexthop, each followed by its attributes. */
static int parse_multipath(const uint8_t *p, size_t len, struct rtnl_route *r)
{
	size_t live = 0;

	/* The nexthops replace RTA_OIF's. */
	r->noif = 0;
	while (len >= sizeof(struct rtnexthop)) {
		const uint8_t *tb[ATTR_MAX + 1];
		struct rtnexthop nh;
		size_t step;

		memcpy(&nh, p, sizeof(nh));
		if (nh.rtnh_len < sizeof(nh) || nh.rtnh_len > len)
			return -EINVAL;
		if (parse_attrs(p + ALIGN4(sizeof(nh)),
				nh.rtnh_len - ALIGN4(sizeof(nh)), tb) < 0)
			return -EINVAL;
		if (r->nnh < RTNL_NH_MAX &&
		    attr_get(tb[RTA_GATEWAY], &r->nh[r->nnh].gw,
			     sizeof(struct in6_addr)))
			r->nh[r->nnh++].ifindex = nh.rtnh_ifindex;
		if (r->noif < RTNL_NH_MAX)
			r->oif[r->noif++] = nh.rtnh_ifindex;
		else
			r->more_oifs = true;
		if (!(nh.rtnh_flags & RTNH_F_DEAD))
			live++;
		step = ALIGN4(nh.rtnh_len);
		if (step > len)
			step = len;
		p += step;
		len -= step;
	}
	if (r->noif > 0 && live == 0)
		r->dead = true;
	return 0;
}

int rtnl_parse_route(const struct nlmsghdr *h, struct rtnl_route *r)
{
	const uint8_t *tb[ATTR_MAX + 1];
	struct rtmsg rtm;
	uint32_t table;
	int oif = 0;

	if (h->nlmsg_type != RTM_NEWROUTE && h->nlmsg_type != RTM_DELROUTE)
		return -EINVAL;
	if (parse_msg(h, &rtm, sizeof(rtm), tb) < 0)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->family = rtm.rtm_family;
	r->dst_len = rtm.rtm_dst_len;
	r->src_len = rtm.rtm_src_len;
	r->table = rtm.rtm_table;
	r->type = rtm.rtm_type;
	r->protocol = rtm.rtm_protocol;
	r->dead = (rtm.rtm_flags & RTNH_F_DEAD) != 0;
	if (attr_get(tb[RTA_TABLE], &table, sizeof(table)))
		r->table = table;
	if (r->family != AF_INET6)
		return 0;
	if (r->dst_len > 128 || r->src_len > 128)
		return -EINVAL;
	if (r->dst_len > 0 &&
	    !attr_get(tb[RTA_DST], &r->dst, sizeof(r->dst)))
		return -EINVAL;
	attr_get(tb[RTA_PRIORITY], &r->metric, sizeof(r->metric));
	if (attr_get(tb[RTA_OIF], &oif, sizeof(oif)))
		r->oif[r->noif++] = oif;
	if (attr_get(tb[RTA_GATEWAY], &r->nh[0].gw, sizeof(struct in6_addr))) {
		r->nh[0].ifindex = oif;
		r->nnh = 1;
	}
	if (tb[RTA_MULTIPATH])
		return parse_multipath(attr_data(tb[RTA_MULTIPATH]),
				       attr_len(tb[RTA_MULTIPATH]), r);
	return 0;
}

int rtnl_parse_neigh(const struct nlmsghdr *h, struct rtnl_neigh *n)
{
	const uint8_t *tb[ATTR_MAX + 1];
	struct ndmsg ndm;

	if (h->nlmsg_type != RTM_NEWNEIGH && h->nlmsg_type != RTM_DELNEIGH)
		return -EINVAL;
	if (parse_msg(h, &ndm, sizeof(ndm), tb) < 0)
		return -EINVAL;
	memset(n, 0, sizeof(*n));
	if (ndm.ndm_family != AF_INET6 ||
	    !attr_get(tb[NDA_DST], &n->dst, sizeof(n->dst)))
		return -EINVAL;
	n->ifindex = ndm.ndm_ifindex;
	n->state = ndm.ndm_state;
	n->has_lladdr = attr_get(tb[NDA_LLADDR], n->lladdr, sizeof(n->lladdr));
	return 0;
}

int rtnl_parse_addr(const struct nlmsghdr *h, struct rtnl_addr *a)
{
	const uint8_t *tb[ATTR_MAX + 1];
	struct ifaddrmsg ifa;

	if (h->nlmsg_type != RTM_NEWADDR && h->nlmsg_type != RTM_DELADDR)
		return -EINVAL;
	if (parse_msg(h, &ifa, sizeof(ifa), tb) < 0)
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	/* if_addr.h: on a point-to-point link IFA_ADDRESS is the peer's
	 * and IFA_LOCAL ours; elsewhere only IFA_ADDRESS, ours. */
	if (ifa.ifa_family != AF_INET6 ||
	    (!attr_get(tb[IFA_LOCAL], &a->addr, sizeof(a->addr)) &&
	     !attr_get(tb[IFA_ADDRESS], &a->addr, sizeof(a->addr))))
		return -EINVAL;
	a->ifindex = (int)ifa.ifa_index;
	a->prefixlen = ifa.ifa_prefixlen;
	a->scope = ifa.ifa_scope;
	a->flags = ifa.ifa_flags;
	attr_get(tb[IFA_FLAGS], &a->flags, sizeof(a->flags));
	return 0;
}
