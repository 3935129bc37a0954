/*
 * responder.c - the answer path and the announcements, see responder.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "bpf_filter.h"
#include "log.h"
#include "responder.h"

#define BATCH		32		/* frames per sendmmsg */
#define ROUNDS_MAX	64		/* batches before signals get a look */
#define SNDBUF		(1 << 20)
/*
 * Receive ring, PACKET_RX_RING with TPACKET_V2: the kernel copies each
 * frame into memory mapped here, so that receiving costs no system call
 * and no second copy; V3 hands over whole blocks, retired on a timer
 * when not full, which adds its timeout to the latency of a lone NS.
 * A frame slot holds tpacket2_hdr and sockaddr_ll, then the Ethernet
 * header at tp_mac 66 and the IPv6 header at tp_net 80 (the kernel
 * aligns tp_net to TPACKET_ALIGNMENT, 16), so 256 bytes take 190 of a
 * frame: an NS (78) with 112 bytes of options, where a SLLAO and a
 * nonce take 16; the kernel truncates longer frames, which are counted
 * as oversize. 10,240 slots hold a 10,000-NS burst (what the socket's
 * 4 MiB buffer held before) in 2.5 MiB, all of it mapped at once and in
 * RSS from the start; blocks of one page need no high-order pages.
 */
#define RING_FRAME	256
#define RING_FRAMES	10240
#define SUMMARY_SECS	60		/* at most one INFO summary a window */
/* Announcements leave at most ANNOUNCE_BURST addresses (two frames
 * each) a tick: a sweep over thousands must not overrun the NIC's
 * queue, the peer's backlog (netdev_max_backlog, 1000) or the router. */
#define ANNOUNCE_TICK_MS 10
#define ANNOUNCE_BURST	32

/* Send buffers: static, nothing is allocated per packet. */
static uint8_t tx_frames[BATCH][NDP_NA_FRAME_LEN];
static struct ndp_ns tx_ns[BATCH];	/* what each NA answers, for the log */
static struct iovec tx_iov[BATCH];
static struct mmsghdr tx_msgs[BATCH];

static void set_bufsize(int fd, int force_opt, int opt, int size)
{
	/* The FORCE variant passes rmem_max/wmem_max, but needs
	 * CAP_NET_ADMIN; without it take what the sysctl allows. */
	if (setsockopt(fd, SOL_SOCKET, force_opt, &size, sizeof(size)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size)) < 0)
		log_warn("socket_buffer size=%d", size);
}

/* Slot i: the slots tile the mapping, one page a block. */
static struct tpacket2_hdr *ring_slot(const struct responder *r, unsigned i)
{
	return (struct tpacket2_hdr *)(void *)(r->ring +
					       (size_t)i * RING_FRAME);
}

/* Map the receive ring: 0 or -errno. */
static int ring_open(struct responder *r)
{
	long page = sysconf(_SC_PAGESIZE);
	struct tpacket_req req;
	int version = TPACKET_V2;
	void *m;

	if (page < RING_FRAME || page % RING_FRAME != 0)
		return -EINVAL;
	req.tp_block_size = (unsigned)page;
	req.tp_frame_size = RING_FRAME;
	req.tp_frame_nr = RING_FRAMES;
	req.tp_block_nr = RING_FRAMES / (unsigned)(page / RING_FRAME);
	if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &version,
		       sizeof(version)) < 0 ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_RX_RING, &req,
		       sizeof(req)) < 0)
		return -errno;
	/* Data only: the filter never lets code in, nor do we. */
	m = mmap(NULL, (size_t)req.tp_block_size * req.tp_block_nr,
		 PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (m == MAP_FAILED)
		return -errno;
	r->ring = m;
	r->ring_next = 0;
	return 0;
}

/* The slot at ring_next if the kernel filled it, its status in *status;
 * else NULL. Acquire: the frame is read after its status. */
static struct tpacket2_hdr *ring_peek(const struct responder *r,
				      unsigned *status)
{
	struct tpacket2_hdr *h = ring_slot(r, r->ring_next);

	*status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
	return *status & TP_STATUS_USER ? h : NULL;
}

/* Hand the slot back and go on to the next. Release: done reading
 * before the kernel writes. */
static void ring_release(struct responder *r, struct tpacket2_hdr *h)
{
	__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	r->ring_next = (r->ring_next + 1) % RING_FRAMES;
}

/* Hand back, in the kernel's order, what it filled since ring_next:
 * its head is not readable, but it fills slot after slot from it. */
static void ring_drain(struct responder *r)
{
	struct tpacket2_hdr *h;
	unsigned status;

	for (unsigned n = 0; n < RING_FRAMES && (h = ring_peek(r, &status));
	     n++)
		ring_release(r, h);
}

int responder_bind(struct responder *r)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IPV6),
		.sll_ifindex = r->up->ifindex,
	};
	/* NICs that filter multicast must pass solicited-node groups;
	 * the kernel undoes this when the socket or the device goes. */
	struct packet_mreq mr = {
		.mr_ifindex = r->up->ifindex,
		.mr_type = PACKET_MR_ALLMULTI,
	};

	if (bind(r->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	if (setsockopt(r->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		       sizeof(mr)) < 0)
		return -errno;
	r->bound = r->up->ifindex;
	return 0;
}

void responder_open(struct responder *r, const char *ifname,
		    struct uplink *up, struct targets *targets)
{
	int one = 1, err;

	r->ifname = ifname;
	r->up = up;
	r->targets = targets;
	/* Protocol 0: nothing is queued before bind. */
	r->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (r->fd < 0)
		fatal("packet_socket (needs CAP_NET_RAW)");

	/* Drop everything until the real filter is in place, so that no
	 * frame it would reject is ever read; then lock it. The ring
	 * before bind: no frame lands outside it. */
	if ((err = bpf_attach(r->fd, ndp_bpf_drop_all,
			      BPF_PROG_LEN(ndp_bpf_drop_all))) < 0)
		fatalc(-err, "attach_filter");
	if ((err = ring_open(r)) < 0)
		fatalc(-err, "rx_ring frames=%d size=%d", RING_FRAMES,
		       RING_FRAME);
	if ((err = responder_bind(r)) < 0)
		fatalc(-err, "bind interface=%s", ifname);
	ring_drain(r);
	if ((err = bpf_attach(r->fd, ndp_bpf_prog, BPF_PROG_LEN(ndp_bpf_prog))) < 0)
		fatalc(-err, "attach_filter");
	if (setsockopt(r->fd, SOL_SOCKET, SO_LOCK_FILTER, &one,
		       sizeof(one)) < 0)
		fatal("SO_LOCK_FILTER");

	/* The ring, not the receive buffer, holds what comes in. */
	set_bufsize(r->fd, SO_SNDBUFFORCE, SO_SNDBUF, SNDBUF);

	for (int i = 0; i < BATCH; i++) {
		tx_iov[i] = (struct iovec){ tx_frames[i], NDP_NA_FRAME_LEN };
		tx_msgs[i].msg_hdr.msg_iov = &tx_iov[i];
		tx_msgs[i].msg_hdr.msg_iovlen = 1;
	}

	r->timerfd = timerfd_create(CLOCK_MONOTONIC,
				    TFD_NONBLOCK | TFD_CLOEXEC);
	r->aq.timerfd = timerfd_create(CLOCK_MONOTONIC,
				       TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->timerfd < 0 || r->aq.timerfd < 0)
		fatal("timerfd_create");
}

/* Counters since the start, or since *base; one line. */
static void log_counters(const char *event,
			 const struct responder_counters *now,
			 const struct responder_counters *base)
{
	static const struct responder_counters zero;
	char line[1024];
	size_t n;
	int w;

	if (!base)
		base = &zero;
	w = snprintf(line, sizeof(line),
		     "%s received=%" PRIu64 " answered=%" PRIu64
		     " not_ours=%" PRIu64 " unicast_ignored=%" PRIu64
		     " self=%" PRIu64 " own=%" PRIu64 " excluded=%" PRIu64
		     " probing=%" PRIu64
		     " oversize=%" PRIu64 " ring_full=%" PRIu64
		     " send_errors=%" PRIu64
		     " announced=%" PRIu64 " announce_errors=%" PRIu64, event,
		     now->received - base->received,
		     now->answered - base->answered,
		     now->not_ours - base->not_ours,
		     now->unicast - base->unicast,
		     now->self - base->self, now->own - base->own,
		     now->excluded - base->excluded,
		     now->probing - base->probing,
		     now->oversize - base->oversize,
		     now->ring_full - base->ring_full,
		     now->send_errors - base->send_errors,
		     now->announced - base->announced,
		     now->announce_errors - base->announce_errors);
	n = w > 0 ? (size_t)w : 0;
	for (int v = NDP_OK + 1; v < NDP_VERDICT_MAX && n < sizeof(line); v++) {
		w = snprintf(line + n, sizeof(line) - n, " invalid_%s=%" PRIu64,
			     ndp_verdict_name((enum ndp_verdict)v),
			     now->invalid[v] - base->invalid[v]);
		n += w > 0 ? (size_t)w : 0;
	}
	log_info("%s", line);
}

static void count_overruns(struct responder *r);

void responder_log_counters(struct responder *r, const char *event)
{
	count_overruns(r);
	log_counters(event, &r->c, NULL);
}

static void arm_summary(struct responder *r)
{
	struct itimerspec its = { .it_value = { .tv_sec = SUMMARY_SECS } };

	if (timerfd_settime(r->timerfd, 0, &its, NULL) < 0)
		log_warn("timerfd_settime");
}

/*
 * At INFO, the first answer after a quiet spell is logged in full and
 * the rest are summed up once a window, so a flood cannot flood the
 * log; a window without answers closes it, and nothing wakes us then.
 */
static void note_answer(struct responder *r, const struct ndp_ns *ns)
{
	char target[NDP_ADDR_STRLEN], src[NDP_ADDR_STRLEN];
	bool first = !r->window_open;

	if (first) {
		r->window = r->c;
		r->window_logged = 1;
		r->window_open = true;
		arm_summary(r);
	} else if (!log_enabled(LOG_DEBUG)) {
		return;
	}
	ndp_format_addr(&ns->target, target);
	ndp_format_addr(&ns->src, src);
	if (log_enabled(LOG_DEBUG))
		log_debug("answer target=%s to=%s ns=%s", target, src,
			  ndp_addr_is_unspecified(&ns->src) ? "dad" :
			  ndp_addr_is_multicast(&ns->dst) ? "multicast" :
			  "unicast");
	else
		log_info("answer target=%s to=%s (more are summarised every "
			 "%ds)", target, src, SUMMARY_SECS);
}

void responder_summary_tick(struct responder *r)
{
	uint64_t expirations;

	if (read(r->timerfd, &expirations, sizeof(expirations)) < 0)
		return;
	count_overruns(r);
	if (r->c.answered - r->window.answered <= r->window_logged) {
		r->window_open = false;
		return;
	}
	log_counters("summary", &r->c, &r->window);
	r->window = r->c;
	r->window_logged = 0;
	arm_summary(r);
}

/* Validate one frame into ns; if it is an NS to answer, build the NA in
 * out. */
static bool handle_frame(struct responder *r, const uint8_t *f, size_t len,
			 uint8_t *out, struct ndp_ns *nsp)
{
	struct ndp_ns ns;
	enum ndp_verdict v;

	v = ndp_parse_ns(f, len, &ns);
	if (v != NDP_OK) {
		r->c.invalid[v]++;
		log_debug("drop reason=%s length=%zu", ndp_verdict_name(v),
			  len);
		return false;
	}
	/* Only a claim, where the SLLAO (if any) agrees with the frame. */
	if (!ns.has_sllao || memcmp(ns.sllao, ns.eth_src, NDP_MAC_LEN) == 0)
		uplink_gateway_seen(r->up, &ns.src, ns.eth_src);
	switch (targets_decide(r->targets, &ns)) {
	case TARGET_ANSWER:
		break;
	case TARGET_NOT_OURS:
		r->c.not_ours++;
		return false;
	case TARGET_UNICAST:
		r->c.unicast++;
		return false;
	case TARGET_SELF:
		r->c.self++;
		return false;
	case TARGET_OWN:
		r->c.own++;
		return false;
	case TARGET_EXCLUDED:
		r->c.excluded++;
		return false;
	case TARGET_PROBING:
		r->c.probing++;
		return false;
	}
	ndp_build_na(out, r->up->mac, &ns);
	*nsp = ns;
	return true;
}

static void send_answers(struct responder *r, unsigned n)
{
	unsigned done = 0;

	while (done < n) {
		/* Not musl's sendmmsg(), which on 64-bit makes one sendmsg
		 * call per message to zero msghdr padding; ours is zero. */
		long k = syscall(SYS_sendmmsg, r->fd, tx_msgs + done,
				 n - done, 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			/* Counted; the summary and SIGUSR1 report it. */
			if (r->c.send_errors == 0)
				log_warn("send_failed interface=%s",
					 r->ifname);
			r->c.send_errors += n - done;
			return;
		}
		done += (unsigned)k;
		r->c.answered += (unsigned)k;
	}
}

/*
 * One slot the kernel filled: check what its header claims against the
 * slot before reading the frame, which must be whole (the kernel cut
 * what did not fit: counted as oversize). ndp_parse_ns reads bytes, so
 * the Ethernet header's 2-byte alignment at tp_mac does not matter.
 */
static bool handle_slot(struct responder *r, const struct tpacket2_hdr *h,
			unsigned status, uint8_t *out, struct ndp_ns *nsp)
{
	uint32_t snap = h->tp_snaplen, len = h->tp_len;
	unsigned mac = h->tp_mac;

	r->c.received++;
	if ((status & TP_STATUS_COPY) || mac < sizeof(*h) ||
	    mac > RING_FRAME || snap > RING_FRAME - mac || snap != len) {
		r->c.oversize++;
		return false;
	}
	return handle_frame(r, (const uint8_t *)h + mac, snap, out, nsp);
}

/*
 * The kernel marks the frames it stores TP_STATUS_LOSING while frames
 * that found the ring full are uncounted; PACKET_STATISTICS hands over
 * that count and resets it. So overruns are counted when the next frame
 * arrives, or at the next summary or counters line; the first is also
 * said at WARN.
 */
static void count_overruns(struct responder *r)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(r->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0)
		return;
	if (r->c.ring_full == 0 && st.tp_drops)
		log_warnx("ring_full interface=%s dropped=%u (the answers fell "
			  "behind; counted as ring_full from now on)",
			  r->ifname, st.tp_drops);
	r->c.ring_full += st.tp_drops;
}

/*
 * The kernel sets the socket's error when the link goes down, goes away
 * or is bound while down (ENETDOWN): poll() then says POLLERR until it
 * is read, which recvmmsg did and the ring does not; SO_ERROR reads and
 * clears it, or the loop would spin, and the next send would fail.
 */
static void clear_error(struct responder *r)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(r->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	/* ENETDOWN, ENXIO: the uplink code reports the link's changes. */
	if (err && err != ENETDOWN && err != ENXIO)
		log_warnc(err, "receive interface=%s", r->ifname);
}

void responder_receive(struct responder *r, short revents)
{
	bool losing = false;

	if (revents & POLLERR)
		clear_error(r);

	for (int round = 0; round < ROUNDS_MAX; round++) {
		unsigned answers = 0, n;

		for (n = 0; n < BATCH; n++) {
			struct tpacket2_hdr *h;
			unsigned status;

			if (!(h = ring_peek(r, &status)))
				break;
			losing |= (status & TP_STATUS_LOSING) != 0;
			if (handle_slot(r, h, status, tx_frames[answers],
					&tx_ns[answers]))
				answers++;
			/* Whatever the NA needs was copied out. */
			ring_release(r, h);
		}
		/* Answer first, then log: stderr can be slow. */
		send_answers(r, answers);
		for (unsigned i = 0; i < answers; i++)
			note_answer(r, &tx_ns[i]);
		if (n < BATCH)
			break;
	}
	if (losing)
		count_overruns(r);
}

void responder_answer(struct responder *r, const struct ndp_ns *ns)
{
	uint8_t f[NDP_NA_FRAME_LEN];

	if (send(r->fd, f, ndp_build_na(f, r->up->mac, ns), 0) < 0) {
		if (r->c.send_errors++ == 0)
			log_warn("send_failed interface=%s", r->ifname);
		return;
	}
	r->c.answered++;
	note_answer(r, ns);
}

/* Send one frame we built: 0 or -errno. */
static int send_frame(struct responder *r, const uint8_t *f, size_t len)
{
	return send(r->fd, f, len, 0) < 0 ? -errno : 0;
}

/*
 * Tell the link about addr: a DAD-style NS (RFC 4861 7.2.2 form, from
 * ::, with a nonce), then an NS from addr for the gateway, to the
 * gateway's solicited-node group and with our MAC, so that the router
 * learns addr at once (RFC 4861 7.2.3) instead of on first use.
 * 0, or -errno of the first frame that did not leave.
 */
static int announce(struct responder *r, const struct in6_addr *addr)
{
	static const struct in6_addr any;
	const struct in6_addr *gw = uplink_gateway(r->up);
	uint8_t f[NDP_NS_FRAME_MAX], nonce[6] = { 0 }, dmac[NDP_MAC_LEN];
	char a[NDP_ADDR_STRLEN], g[NDP_ADDR_STRLEN] = "none";
	struct in6_addr group;
	int err;

	if (getrandom(nonce, sizeof(nonce), GRND_NONBLOCK) < 0)
		log_debug("getrandom error=\"%s\"", strerror(errno));
	ndp_solicited_node(addr, &group);
	ndp_multicast_mac(&group, dmac);
	err = send_frame(r, f, ndp_build_ns(f, r->up->mac, dmac, &any, &group,
					    addr, NULL, nonce));
	if (err == 0 && gw) {
		ndp_solicited_node(gw, &group);
		ndp_multicast_mac(&group, dmac);
		err = send_frame(r, f, ndp_build_ns(f, r->up->mac, dmac, addr,
						    &group, gw, r->up->mac,
						    NULL));
		ndp_format_addr(gw, g);
	}
	if (err == 0 && log_enabled(LOG_DEBUG))
		log_debug("announce address=%s gateway=%s",
			  ndp_format_addr(addr, a), g);
	return err;
}

static void arm_announce(struct responder *r)
{
	struct announce_queue *q = &r->aq;
	struct itimerspec its = {
		.it_interval = { .tv_nsec = ANNOUNCE_TICK_MS * 1000000L },
		.it_value = { .tv_nsec = 1 },	/* at once */
	};

	if (q->armed)
		return;
	if (timerfd_settime(q->timerfd, 0, &its, NULL) < 0) {
		log_warn("timerfd_settime");
		return;
	}
	q->armed = true;
}

void responder_announce(struct responder *r, const struct in6_addr *addr)
{
	struct announce_queue *q = &r->aq;

	if (q->n < ANNOUNCE_RING)
		q->ring[(q->head + q->n++) % ANNOUNCE_RING] = *addr;
	else
		q->sweep = true;	/* covers addr too */
	arm_announce(r);
}

void responder_announce_all(struct responder *r)
{
	struct announce_queue *q = &r->aq;

	q->n = 0;			/* in the sweep */
	q->sweep = true;
	q->src = q->i = 0;
	arm_announce(r);
}

/* Next address to announce, or NULL; *sweep says where it came from. */
static const struct in6_addr *announce_next(struct responder *r, bool *sweep)
{
	struct announce_queue *q = &r->aq;
	const struct targets *t = r->targets;

	if (q->n) {
		*sweep = false;
		return &q->ring[q->head];
	}
	*sweep = true;
	for (; q->sweep && q->src < t->nsrc; q->src++, q->i = 0) {
		const struct target_source *s = &t->src[q->src];
		const struct in6_addr *a;

		q->prev_i = q->i;	/* to try it again after EAGAIN */
		if (s->next && (a = s->next(s->ctx, &q->i)))
			return a;
	}
	q->sweep = false;
	return NULL;
}

/* A tick: up to ANNOUNCE_BURST addresses; a full queue (EAGAIN, or
 * ENOBUFS from a full qdisc) waits for the next tick. */
void responder_announce_tick(struct responder *r)
{
	static const struct itimerspec off;
	struct announce_queue *q = &r->aq;
	const struct in6_addr *a;
	uint64_t expirations;
	bool sweep;
	int sent = 0, err;

	if (read(q->timerfd, &expirations, sizeof(expirations)) < 0)
		return;
	/* Down or absent: the next link change announces again. */
	if (!r->up->ifindex || !(r->up->flags & IFF_UP)) {
		q->n = 0;
		q->sweep = false;
	}
	while (sent < ANNOUNCE_BURST && (a = announce_next(r, &sweep))) {
		err = announce(r, a);
		if (err == -EAGAIN || err == -ENOBUFS) {
			if (sweep)
				q->i = q->prev_i;
			return;
		}
		if (err < 0 && r->c.announce_errors++ == 0)
			log_warnc(-err, "announce_failed interface=%s",
				  r->ifname);
		if (err == 0) {
			r->c.announced++;
			q->batch++;
		}
		if (!sweep) {		/* the sweep's cursor moved on */
			q->head = (q->head + 1) % ANNOUNCE_RING;
			q->n--;
		}
		sent++;
	}
	if (a)
		return;
	/* All out: stop the timer, say how many once. */
	(void)timerfd_settime(q->timerfd, 0, &off, NULL);
	q->armed = false;
	if (q->batch)
		log_info("announced addresses=%" PRIu64 " interface=%s",
			 q->batch, r->ifname);
	q->batch = 0;
}
