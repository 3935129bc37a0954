/*
 * nsload - Neighbor Solicitation load generator for the benchmark.
 *
 *   nsload -i IFACE -p PREFIX [-o OFFSET] [-c COUNT] [-m TARGETS]
 *          [-r RATE] [-b BATCH] [-w WAIT_MS] [-s SRC] [-g PORT [-N NETNS]]
 *   nsload -x -i IFACE -p PREFIX [-o OFFSET] [-r RATE] [-N NETNS]
 *          [-L LOGFILE] [-F FIFO_PRIO] [-T TIMEOUT_MS] -- COMMAND...
 *
 * Runs on the "router" side of a link. It sends COUNT valid multicast
 * NS (IPv6 source: IFACE's link-local address or SRC; SLLAO: IFACE's
 * MAC; destination: the target's solicited-node group, to its 33:33
 * MAC) for targets PREFIX+OFFSET, PREFIX+OFFSET+1, ..., at RATE NS/s,
 * BATCH per wake-up (clock_nanosleep to absolute deadlines), or with
 * RATE 0 as fast as it can (sendmmsg of BATCH frames, default 64) on a
 * packet socket. It then waits up to WAIT_MS for the last answers.
 *
 * Time stamps: a second packet socket, bound to ETH_P_ALL with a
 * TPACKET_V3 receive ring and a BPF filter, taps the interface in both
 * directions, as tcpdump would. The kernel stamps each outgoing NS as
 * it is handed to the driver and each incoming NA as the stack takes it
 * off the link (CLOCK_REALTIME, ns), so a latency is "NS on the wire ->
 * NA on the wire" as the router sees it, without this program's own
 * scheduling delays in it (a user-space stamp before sendmmsg would add
 * the time to send the rest of the batch, and a stamp after recvmsg the
 * time to wake up the reader). If the tap misses an NS (ring overflow,
 * reported), the user-space send time stands in, counted as ts_user.
 * Arrays per NS and per target are allocated and touched before the
 * first send.
 *
 * With -m TARGETS below COUNT, targets are reused round robin. Answers
 * are counted per target (at most one per NS sent for it); a latency
 * sample pairs an NA with the latest NS for its target, which is exact
 * while latencies stay below the reuse period (TARGETS / RATE). Besides
 * percentiles it reports the share of samples within 100 us, which a
 * few milliseconds' stall of a virtual CPU moves little.
 *
 * Inside tap (-g PORT, for --live): a plain packet socket on PORT (in
 * the network namespace NETNS if -N is given), a bridge port on the
 * responder's side towards the guests, with kernel time stamps
 * (SO_TIMESTAMPNS, the same CLOCK_REALTIME: namespaces share the
 * clock). It notes, for the first NS of each target, the first NS that
 * leaves PORT for the target (the responder's kernel resolving it) and
 * the first NA that comes in on PORT from the target itself (the
 * guest's own answer), and reports the time from that NA to the
 * responder's NA on IFACE's wire. Read once the run is over: the
 * kernel stamped each frame as it came, so reading late costs nothing.
 *
 * Startup mode (-x): probe at RATE (default 10,000/s) with a new target
 * each time; 20 probes in, fork, enter the network namespace NETNS (a
 * path such as /run/netns/NAME), optionally take SCHED_FIFO priority,
 * note CLOCK_REALTIME, and exec COMMAND; stop at the first NA and report
 * the time from that exec to the NA's arrival on the wire, which is
 * late by at most one probe interval plus one answer. The child's
 * stdout and stderr go to LOGFILE (or our stderr). The result line
 * gives its PID; nsload then waits until someone ends the child, so
 * that it is reaped (and ends it itself if it never answered).
 *
 * Jitter mode (nsload -j MS): no packets; one thread per CPU, pinned,
 * reads CLOCK_MONOTONIC in a loop for MS ms and counts the gaps, which
 * are times the CPU was taken away (interrupts, other tasks, or the
 * hypervisor descheduling the virtual CPU). A responder woken on such a
 * CPU answers late by as much, so this gives the latency figures their
 * context.
 *
 * Output: human-readable lines, then one "result key=value ..." line.
 * Exit status 0 if it ran (whatever was answered), 1 on errors, 2 on
 * usage errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "ndp.h"

#define BATCH_MAX	256
#define SNAPLEN		(NDP_ETH_HLEN + NDP_IP6_HLEN + NDP_ICMP_NS_LEN)
#define RING_BLOCK	(1u << 20)
#define RING_BLOCKS	64u
#define RING_TOV_MS	1u
/* TPACKET_ALIGN(sizeof(struct tpacket3_hdr)), without its int mask */
#define HDR3_LEN	((sizeof(struct tpacket3_hdr) + TPACKET_ALIGNMENT - 1) \
			 & ~(size_t)(TPACKET_ALIGNMENT - 1))
/* Frame offsets used by the tap. */
#define OFF_ETHTYPE	12
#define OFF_NXT		(NDP_ETH_HLEN + 6)
#define OFF_SRC		(NDP_ETH_HLEN + 8)
#define OFF_ICMP	(NDP_ETH_HLEN + NDP_IP6_HLEN)
#define OFF_TARGET	(OFF_ICMP + 8)

extern char **environ;

struct config {
	const char *ifname;
	struct ndp_prefix prefix;
	uint32_t offset;		/* first target: prefix + offset */
	uint32_t count;			/* NS to send */
	uint32_t targets;		/* distinct targets, reused */
	double rate;			/* NS/s; 0 = as fast as possible */
	unsigned batch;
	unsigned wait_ms;
	bool have_src;
	struct in6_addr src;
	/* startup mode */
	bool startup;
	unsigned jitter_ms;		/* -j: jitter mode */
	const char *netns;		/* -x: the child's; -g: PORT's */
	const char *port;		/* -g: the inside tap's interface */
	const char *logfile;
	int fifo;			/* child's SCHED_FIFO priority, 0: none */
	unsigned timeout_ms;
	char **cmd;
};

/* Shared between the sender (main) and the tap thread. */
static struct state {
	struct config cfg;
	int ifindex;
	uint8_t mac[NDP_MAC_LEN];
	uint64_t base_hi;		/* prefix, upper 64 bits */
	uint64_t base_lo;		/* prefix + offset, lower 64 bits */
	uint64_t host_mask;		/* host bits of the lower 64 */

	int64_t *ns_ts;			/* per NS: tap time stamp, ns */
	int64_t *na_ts;			/* per NS: answer time stamp, ns */
	int64_t *user_ts;		/* per NS: user space send time */
	uint32_t *ns_k, *na_k;		/* per target: NS and NA seen */
	int64_t *in_ns_ts, *in_na_ts;	/* -g, per target: first NS out of
					   PORT, first NA from the target */
	uint64_t in_ns, in_na;		/* -g: frames seen */
	int in_fd;

	_Atomic uint32_t answered;	/* NA seen, for early stops */
	_Atomic bool stop;
	/* tap thread only, read after join */
	uint64_t unexpected, na_from_target, na_from_other;
	uint64_t ns_foreign;
	int64_t first_na, last_na;

	int tap_fd;
	uint8_t *ring;
	size_t ring_len;
} st;

static _Noreturn void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static _Noreturn void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fputs("nsload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
	exit(1);
}

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("nsload: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nusage: nsload -i IFACE -p PREFIX [-o OFFSET] [-c COUNT] "
	      "[-m TARGETS] [-r RATE] [-b BATCH]\n"
	      "              [-w WAIT_MS] [-s SRC] [-g PORT [-N NETNS]]\n"
	      "       nsload -x -i IFACE -p PREFIX [-r RATE] [-N NETNS] "
	      "[-L LOG] [-F FIFO_PRIO]\n"
	      "              [-T TIMEOUT_MS] -- COMMAND...\n"
	      "       nsload -j MS\n", stderr);
	exit(2);
}

static int64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static unsigned long parse_ulong(const char *opt, const char *s,
				 unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max || s[0] == '-')
		usage_error("%s %s: not a number up to %lu", opt, s, max);
	return v;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("calloc %zu x %zu", n, size);
	return p;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

static void parse_args(struct config *c, int argc, char *argv[])
{
	const char *err;
	bool host_bits, have_count = false;
	int ch;

	c->count = 1000;
	c->wait_ms = 1000;
	c->timeout_ms = 5000;
	while ((ch = getopt(argc, argv, "+i:p:o:c:m:r:b:w:s:g:xN:L:F:T:j:")) != -1) {
		switch (ch) {
		case 'i':
			c->ifname = optarg;
			break;
		case 'p':
			err = ndp_prefix_parse(optarg, &c->prefix, &host_bits);
			if (err)
				usage_error("-p %s: %s", optarg, err);
			if (c->prefix.len < 96)
				usage_error("-p %s: use a /96 or longer", optarg);
			break;
		case 'o':
			c->offset = (uint32_t)parse_ulong("-o", optarg,
							  UINT32_MAX);
			break;
		case 'c':
			c->count = (uint32_t)parse_ulong("-c", optarg,
							 100000000);
			have_count = true;
			break;
		case 'm':
			c->targets = (uint32_t)parse_ulong("-m", optarg,
							   UINT32_MAX);
			break;
		case 'r':
			c->rate = (double)parse_ulong("-r", optarg, 100000000);
			break;
		case 'b':
			c->batch = (unsigned)parse_ulong("-b", optarg,
							 BATCH_MAX);
			break;
		case 'w':
			c->wait_ms = (unsigned)parse_ulong("-w", optarg,
							   3600000);
			break;
		case 's':
			if (inet_pton(AF_INET6, optarg, &c->src) != 1)
				usage_error("-s %s: not an IPv6 address",
					    optarg);
			c->have_src = true;
			break;
		case 'g':
			c->port = optarg;
			break;
		case 'x':
			c->startup = true;
			break;
		case 'N':
			c->netns = optarg;
			break;
		case 'L':
			c->logfile = optarg;
			break;
		case 'F':
			c->fifo = (int)parse_ulong("-F", optarg, 99);
			break;
		case 'j':
			c->jitter_ms = (unsigned)parse_ulong("-j", optarg,
							     600000);
			break;
		case 'T':
			c->timeout_ms = (unsigned)parse_ulong("-T", optarg,
							      3600000);
			break;
		default:
			usage_error("unknown option");
		}
	}
	if (c->jitter_ms)
		return;
	if (!c->ifname || c->prefix.len == 0)
		usage_error("-i and -p are required");
	if (c->startup && c->port)
		usage_error("-g is for load runs, not -x");
	if (c->startup) {
		if (optind >= argc)
			usage_error("-x needs -- COMMAND");
		c->cmd = argv + optind;
		if (c->rate == 0)
			c->rate = 10000;
		/* One probe per interval until the timeout, each with a
		 * target of its own. */
		c->count = (uint32_t)(c->rate * c->timeout_ms / 1000) + 1;
		(void)have_count;
	} else if (optind < argc) {
		usage_error("unexpected argument %s", argv[optind]);
	}
	if (c->count == 0)
		usage_error("-c must be at least 1");
	{
		uint64_t space = 1ull << (128 - c->prefix.len);

		if (c->offset >= space)
			usage_error("-o %u is outside the prefix", c->offset);
		space -= c->offset;
		if (c->targets == 0 || c->targets > c->count)
			c->targets = c->count;
		if (c->targets > space)
			c->targets = (uint32_t)space;
	}
	if (c->batch == 0) {
		/* Paced: one NS per wake-up up to 20,000/s, then enough
		 * per batch that wake-ups stay 50 us apart. */
		if (c->rate == 0)
			c->batch = 64;
		else
			c->batch = (unsigned)((c->rate + 19999) / 20000);
		if (c->batch > BATCH_MAX)
			c->batch = BATCH_MAX;
	}
}

static void iface_setup(void)
{
	struct ifreq ifr = { 0 };
	int fd;

	if (strlen(st.cfg.ifname) >= IFNAMSIZ)
		usage_error("-i %s: name too long", st.cfg.ifname);
	st.ifindex = (int)if_nametoindex(st.cfg.ifname);
	if (st.ifindex == 0)
		die("interface %s", st.cfg.ifname);
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	memcpy(ifr.ifr_name, st.cfg.ifname, strlen(st.cfg.ifname) + 1);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		die("SIOCGIFHWADDR %s", st.cfg.ifname);
	memcpy(st.mac, ifr.ifr_hwaddr.sa_data, NDP_MAC_LEN);
	close(fd);

	if (!st.cfg.have_src) {
		/* /proc/net/if_inet6: addr ifindex plen scope flags name */
		FILE *f = fopen("/proc/net/if_inet6", "r");
		char hex[33], name[IFNAMSIZ + 1];
		unsigned idx, plen, scope, flags;

		if (!f)
			die("/proc/net/if_inet6");
		while (fscanf(f, "%32s %x %x %x %x %16s", hex, &idx, &plen,
			      &scope, &flags, name) == 6) {
			if (scope != 0x20 || strcmp(name, st.cfg.ifname))
				continue;
			for (int i = 0; i < 16; i++) {
				unsigned b;

				sscanf(hex + 2 * i, "%2x", &b);
				st.cfg.src.s6_addr[i] = (uint8_t)b;
			}
			st.cfg.have_src = true;
			break;
		}
		fclose(f);
		if (!st.cfg.have_src) {
			errno = EADDRNOTAVAIL;
			die("no link-local address on %s (or use -s)",
			    st.cfg.ifname);
		}
	}
	st.base_hi = get64(st.cfg.prefix.addr.s6_addr);
	st.base_lo = get64(st.cfg.prefix.addr.s6_addr + 8) + st.cfg.offset;
	st.host_mask = st.cfg.prefix.len >= 128 ? 0 :
		(~0ull >> (st.cfg.prefix.len - 64));
}

/* Target address of target number t. */
static void target_addr(uint32_t t, struct in6_addr *a)
{
	put64(a->s6_addr, st.base_hi);
	put64(a->s6_addr + 8, st.base_lo + t);
}

/* Target number of an address, or -1 if it is not one of ours. */
static int64_t target_index(const uint8_t *a)
{
	uint64_t lo = get64(a + 8), d;

	if (get64(a) != st.base_hi)
		return -1;
	if ((lo & ~st.host_mask) != (st.base_lo & ~st.host_mask))
		return -1;
	d = lo - st.base_lo;
	if (lo < st.base_lo || d >= st.cfg.targets)
		return -1;
	return (int64_t)d;
}

/*
 * The tap's filter: IPv6, next header ICMPv6, then outgoing NS or
 * incoming NA; the first SNAPLEN bytes (up to the target) are enough.
 */
#define TAP_DROP	14		/* index of the last instruction */
#define TO_DROP(i)	(TAP_DROP - (i) - 1)
static const struct sock_filter tap_filter[] = {
	/* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, OFF_ETHTYPE),
	/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, TO_DROP(1)),
	/* 2 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, OFF_NXT),
	/* 3 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NDP_IPPROTO_ICMPV6, 0,
			 TO_DROP(3)),
	/* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 (__u32)(SKF_AD_OFF + SKF_AD_PKTTYPE)),
	/* 5 */ BPF_STMT(BPF_MISC | BPF_TAX, 0),
	/* 6 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, OFF_ICMP),
	/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NDP_TYPE_NS, 0, 2),
	/* 8: NS, only outgoing */
	BPF_STMT(BPF_MISC | BPF_TXA, 0),
	/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 3,
			 TO_DROP(9)),
	/* 10 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NDP_TYPE_NA, 0,
			  TO_DROP(10)),
	/* 11: NA, only incoming */
	BPF_STMT(BPF_MISC | BPF_TXA, 0),
	/* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING,
			  TO_DROP(12), 0),
	/* 13 */ BPF_STMT(BPF_RET | BPF_K, SNAPLEN),
	/* 14 */ BPF_STMT(BPF_RET | BPF_K, 0),
};

_Static_assert(sizeof(tap_filter) / sizeof(tap_filter[0]) == TAP_DROP + 1,
	       "TAP_DROP must index the last instruction");

static void tap_open(void)
{
	struct sock_fprog prog = {
		.len = sizeof(tap_filter) / sizeof(tap_filter[0]),
		.filter = (struct sock_filter *)tap_filter,
	};
	struct tpacket_req3 req = {
		.tp_block_size = RING_BLOCK,
		.tp_block_nr = RING_BLOCKS,
		.tp_frame_size = 2048,
		.tp_frame_nr = RING_BLOCK / 2048 * RING_BLOCKS,
		.tp_retire_blk_tov = RING_TOV_MS,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = st.ifindex,
	};
	int v = TPACKET_V3;

	/* Protocol 0 until bind, so nothing unfiltered is queued. */
	st.tap_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (st.tap_fd < 0)
		die("tap socket (needs CAP_NET_RAW)");
	if (setsockopt(st.tap_fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)) < 0)
		die("tap SO_ATTACH_FILTER");
	if (setsockopt(st.tap_fd, SOL_PACKET, PACKET_VERSION, &v,
		       sizeof(v)) < 0)
		die("PACKET_VERSION");
	if (setsockopt(st.tap_fd, SOL_PACKET, PACKET_RX_RING, &req,
		       sizeof(req)) < 0)
		die("PACKET_RX_RING");
	st.ring_len = (size_t)RING_BLOCK * RING_BLOCKS;
	st.ring = mmap(NULL, st.ring_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, st.tap_fd, 0);
	if (st.ring == MAP_FAILED)
		die("mmap ring");
	if (bind(st.tap_fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("tap bind %s", st.cfg.ifname);
}

static void tap_frame(const uint8_t *f, uint32_t len, uint8_t pkttype,
		      int64_t ts)
{
	int64_t t;
	uint64_t seq;

	/* The filter checked all this; so do we. */
	if (len < SNAPLEN || ndp_get16(f + OFF_ETHTYPE) != NDP_ETHERTYPE_IPV6 ||
	    f[OFF_NXT] != NDP_IPPROTO_ICMPV6)
		return;
	t = target_index(f + OFF_TARGET);
	if (f[OFF_ICMP] == NDP_TYPE_NS) {
		if (pkttype != PACKET_OUTGOING)
			return;
		if (t < 0 || memcmp(f + 6, st.mac, NDP_MAC_LEN) ||
		    memcmp(f + OFF_SRC, &st.cfg.src, 16)) {
			st.ns_foreign++;
			return;
		}
		/* Sent in order by one thread: the k-th NS for t. */
		seq = (uint64_t)t + (uint64_t)st.ns_k[t]++ * st.cfg.targets;
		if (seq < st.cfg.count)
			st.ns_ts[seq] = ts;
		return;
	}
	if (pkttype == PACKET_OUTGOING)
		return;
	if (t < 0 || memcmp(f, st.mac, NDP_MAC_LEN) || st.ns_k[t] == 0) {
		st.unexpected++;
		return;
	}
	/* Counted per target; answered = sum of min(NA, NS) at the end. */
	st.na_k[t]++;
	if (ts < st.first_na)
		st.first_na = ts;
	if (ts > st.last_na)
		st.last_na = ts;
	if (memcmp(f + OFF_SRC, f + OFF_TARGET, 16) == 0)
		st.na_from_target++;
	else
		st.na_from_other++;
	/* The latency sample: the latest NS for t, if still unanswered
	 * (exact while latency < reuse period; always with -m >= -c). */
	seq = (uint64_t)t + (uint64_t)(st.ns_k[t] - 1) * st.cfg.targets;
	if (seq < st.cfg.count && !st.na_ts[seq])
		st.na_ts[seq] = ts;
	atomic_fetch_add_explicit(&st.answered, 1, memory_order_release);
}

/* Hand every filled block to tap_frame; false if none was ready. */
static bool tap_drain(unsigned *cur)
{
	bool any = false;

	for (;;) {
		struct tpacket_block_desc *bd = (struct tpacket_block_desc *)
			(void *)(st.ring + (size_t)*cur * RING_BLOCK);
		struct tpacket3_hdr *h;
		uint32_t n;

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status,
				      __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			return any;
		any = true;
		n = bd->hdr.bh1.num_pkts;
		h = (struct tpacket3_hdr *)(void *)((uint8_t *)bd +
			bd->hdr.bh1.offset_to_first_pkt);
		for (uint32_t i = 0; i < n; i++) {
			const struct sockaddr_ll *sll = (const void *)
				((uint8_t *)h + HDR3_LEN);

			tap_frame((uint8_t *)h + h->tp_mac, h->tp_snaplen,
				  sll->sll_pkttype,
				  (int64_t)h->tp_sec * 1000000000 + h->tp_nsec);
			h = (struct tpacket3_hdr *)(void *)((uint8_t *)h +
							    h->tp_next_offset);
		}
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL,
				 __ATOMIC_RELEASE);
		*cur = (*cur + 1) % RING_BLOCKS;
	}
}

static void *tap_thread(void *arg)
{
	struct pollfd pfd = { .fd = st.tap_fd, .events = POLLIN | POLLERR };
	unsigned cur = 0;

	(void)arg;
	while (!atomic_load(&st.stop)) {
		if (!tap_drain(&cur))
			poll(&pfd, 1, 2);
	}
	/* Blocks retire within RING_TOV_MS: take what is left. */
	for (int i = 0; i < 10; i++) {
		tap_drain(&cur);
		usleep(RING_TOV_MS * 1000);
	}
	tap_drain(&cur);
	return NULL;
}

/*
 * The inside tap (-g): opened in PORT's namespace, then back to ours
 * (a socket stays in the namespace it was made in). Same filter as the
 * tap: outgoing NS, incoming NA.
 */
static void in_open(void)
{
	struct sock_fprog prog = {
		.len = sizeof(tap_filter) / sizeof(tap_filter[0]),
		.filter = (struct sock_filter *)tap_filter,
	};
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	int self = -1, nsfd = -1, on = 1;

	if (st.cfg.netns) {
		if ((self = open("/proc/self/ns/net", O_RDONLY |
				 O_CLOEXEC)) < 0)
			die("open /proc/self/ns/net");
		if ((nsfd = open(st.cfg.netns, O_RDONLY | O_CLOEXEC)) < 0)
			die("open %s", st.cfg.netns);
		if (setns(nsfd, CLONE_NEWNET) < 0)
			die("setns %s", st.cfg.netns);
	}
	sll.sll_ifindex = (int)if_nametoindex(st.cfg.port);
	if (sll.sll_ifindex == 0)
		die("-g %s", st.cfg.port);
	st.in_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (st.in_fd < 0)
		die("inside tap socket");
	if (setsockopt(st.in_fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)) < 0)
		die("inside tap SO_ATTACH_FILTER");
	if (setsockopt(st.in_fd, SOL_SOCKET, SO_TIMESTAMPNS, &on,
		       sizeof(on)) < 0)
		die("SO_TIMESTAMPNS");
	if (bind(st.in_fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("inside tap bind %s", st.cfg.port);
	if (self >= 0) {
		if (setns(self, CLONE_NEWNET) < 0)
			die("setns back");
		close(self);
		close(nsfd);
	}
}

/* A frame on PORT: the kernel's NS for a target, or its own NA. */
static void in_frame(const uint8_t *f, size_t len, uint8_t pkttype,
		     int64_t ts)
{
	int64_t t;
	int64_t *slot;

	if (len < SNAPLEN || ndp_get16(f + OFF_ETHTYPE) != NDP_ETHERTYPE_IPV6 ||
	    f[OFF_NXT] != NDP_IPPROTO_ICMPV6)
		return;
	if ((t = target_index(f + OFF_TARGET)) < 0)
		return;
	if (f[OFF_ICMP] == NDP_TYPE_NS && pkttype == PACKET_OUTGOING) {
		st.in_ns++;
		slot = &st.in_ns_ts[t];
	} else if (f[OFF_ICMP] == NDP_TYPE_NA && pkttype != PACKET_OUTGOING &&
		   memcmp(f + OFF_SRC, f + OFF_TARGET, 16) == 0) {
		st.in_na++;
		slot = &st.in_na_ts[t];
	} else {
		return;
	}
	if (!*slot || ts < *slot)
		*slot = ts;
}

static void in_drain(void)
{
	uint8_t buf[SNAPLEN];
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct timespec))];
	} cm;
	struct sockaddr_ll from;

	for (;;) {
		struct iovec v = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr m = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &v, .msg_iovlen = 1,
			.msg_control = cm.b, .msg_controllen = sizeof(cm.b),
		};
		struct cmsghdr *c;
		int64_t ts = 0;
		ssize_t r = recvmsg(st.in_fd, &m, MSG_DONTWAIT);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			die("inside tap recvmsg");
		}
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
			struct timespec tv;

			if (c->cmsg_level != SOL_SOCKET ||
			    c->cmsg_type != SCM_TIMESTAMPNS)
				continue;
			memcpy(&tv, CMSG_DATA(c), sizeof(tv));
			ts = (int64_t)tv.tv_sec * 1000000000 + tv.tv_nsec;
		}
		if (ts)
			in_frame(buf, (size_t)r, from.sll_pkttype, ts);
	}
}

static int tx_open(void)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = st.ifindex,
	};
	int size = 16 << 20;
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("packet socket (needs CAP_NET_RAW)");
	/* Protocol 0: this socket never receives. */
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind %s", st.cfg.ifname);
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size,
		       sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return fd;
}

static uint8_t frames[BATCH_MAX][NDP_NS_FRAME_MAX];
static struct iovec iov[BATCH_MAX];
static struct mmsghdr msgs[BATCH_MAX];

static unsigned build_batch(uint32_t seq, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct in6_addr target, group;
		uint8_t gmac[NDP_MAC_LEN];

		target_addr((seq + i) % st.cfg.targets, &target);
		ndp_solicited_node(&target, &group);
		ndp_multicast_mac(&group, gmac);
		iov[i].iov_base = frames[i];
		iov[i].iov_len = ndp_build_ns(frames[i], st.mac, gmac,
					      &st.cfg.src, &group, &target,
					      st.mac, NULL);
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return n;
}

static uint64_t send_errors;

static void send_batch(int fd, uint32_t seq, unsigned n)
{
	unsigned done = 0;
	int64_t ut;

	build_batch(seq, n);
	ut = now_ns(CLOCK_REALTIME);
	for (unsigned i = 0; i < n; i++)
		st.user_ts[seq + i] = ut;
	while (done < n) {
		int k = sendmmsg(fd, msgs + done, n - done, 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS || errno == EAGAIN) {
				/* Let the queue drain a little. */
				struct timespec ts = { 0, 20000 };

				send_errors++;
				nanosleep(&ts, NULL);
				continue;
			}
			die("sendmmsg");
		}
		done += (unsigned)k;
	}
}

static void sleep_until(int64_t t)
{
	struct timespec ts = {
		.tv_sec = (time_t)(t / 1000000000),
		.tv_nsec = (long)(t % 1000000000),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static uint64_t link_stat(const char *name)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s",
		 st.cfg.ifname, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/* Nearest-rank percentile of a sorted array, in us. */
static double pct_us(const int64_t *v, size_t n, double p)
{
	size_t r;

	if (n == 0)
		return -1;
	r = (size_t)(p / 100.0 * (double)n);
	if ((double)r < p / 100.0 * (double)n)
		r++;
	if (r < 1)
		r = 1;
	return (double)v[r - 1] / 1000.0;
}

struct exec_child {
	pid_t pid;
	int64_t exec_ts;		/* CLOCK_REALTIME just before exec */
};

/* Fork, enter the network namespace, exec the command. */
static struct exec_child spawn(void)
{
	struct exec_child ch = { 0 };
	int pfd[2], nsfd = -1, logfd = -1;
	ssize_t r;
	int64_t msg[2];

	if (st.cfg.netns && (nsfd = open(st.cfg.netns, O_RDONLY |
					 O_CLOEXEC)) < 0)
		die("open %s", st.cfg.netns);
	if (st.cfg.logfile && (logfd = open(st.cfg.logfile, O_WRONLY |
					    O_CREAT | O_APPEND | O_CLOEXEC,
					    0644)) < 0)
		die("open %s", st.cfg.logfile);
	if (pipe2(pfd, O_CLOEXEC) < 0)
		die("pipe");
	ch.pid = fork();
	if (ch.pid < 0)
		die("fork");
	if (ch.pid == 0) {
		/* Async-signal-safe calls only: the parent has threads. */
		int64_t m[2] = { 0, 0 };

		close(pfd[0]);
		if (nsfd >= 0 && setns(nsfd, CLONE_NEWNET) < 0)
			m[1] = errno;
		if (st.cfg.fifo > 0) {
			struct sched_param sp = {
				.sched_priority = st.cfg.fifo,
			};

			if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
				m[1] = errno;
		}
		if (logfd >= 0) {
			dup2(logfd, 1);
			dup2(logfd, 2);
		} else {
			dup2(2, 1);	/* keep our stdout for results */
		}
		if (m[1] == 0) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			m[0] = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
			if (write(pfd[1], m, sizeof(m)) != (ssize_t)sizeof(m))
				_exit(127);
			execve(st.cfg.cmd[0], st.cfg.cmd, environ);
			m[1] = errno;
		}
		m[0] = -1;
		if (write(pfd[1], m, sizeof(m)) < 0)
			_exit(127);
		_exit(127);
	}
	close(pfd[1]);
	if (nsfd >= 0)
		close(nsfd);
	if (logfd >= 0)
		close(logfd);
	r = read(pfd[0], msg, sizeof(msg));
	if (r == (ssize_t)sizeof(msg) && msg[0] > 0) {
		ch.exec_ts = msg[0];
		/* A second message means exec failed. */
		r = read(pfd[0], msg, sizeof(msg));
	}
	close(pfd[0]);
	if (r == (ssize_t)sizeof(msg) && msg[0] == -1) {
		errno = (int)msg[1];
		waitpid(ch.pid, NULL, 0);
		die("exec %s", st.cfg.cmd[0]);
	}
	if (ch.exec_ts == 0) {
		errno = EIO;
		die("child %d", (int)ch.pid);
	}
	return ch;
}

static struct exec_child child;
static uint32_t probes;

/* Once there is a child, ending us ends it too. */
static void forward_signal(int sig)
{
	if (child.pid > 0)
		kill(child.pid, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void forward_signals(void)
{
	struct sigaction sa = { .sa_handler = forward_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
static const uint32_t lead = 20;	/* probes before the exec */

static void run_startup(int fd)
{
	const int64_t interval = (int64_t)(1e9 / st.cfg.rate);
	int64_t t0 = now_ns(CLOCK_MONOTONIC) + 1000000;
	int status;

	for (probes = 0; probes < st.cfg.count; probes++) {
		if (probes == lead) {
			child = spawn();
			forward_signals();
		}
		if (atomic_load(&st.answered) > 0)
			break;
		if (child.pid && probes % 64 == 0 &&
		    waitpid(child.pid, &status, WNOHANG) == child.pid) {
			if (WIFEXITED(status))
				fprintf(stderr, "nsload: %s exited with "
					"status %d\n", st.cfg.cmd[0],
					WEXITSTATUS(status));
			else
				fprintf(stderr, "nsload: %s ended by signal "
					"%d\n", st.cfg.cmd[0],
					WTERMSIG(status));
			child.pid = 0;
			break;
		}
		sleep_until(t0 + (int64_t)probes * interval);
		send_batch(fd, probes, 1);
	}
	usleep(20000);
	atomic_store(&st.stop, true);
}

static int startup_report(void)
{
	double interval_us = 1e6 / st.cfg.rate;
	int64_t first = 0;
	uint32_t first_seq = 0;

	for (uint32_t i = 0; i < probes && i < st.cfg.count; i++) {
		if (st.na_ts[i] && (!first || st.na_ts[i] < first)) {
			first = st.na_ts[i];
			first_seq = i;
		}
	}
	if (first && first_seq < lead) {
		fprintf(stderr, "nsload: answered before the exec: another "
			"responder is running on the link\n");
		return 1;
	}
	if (!first || !child.pid) {
		printf("startup: no answer within %u ms\n", st.cfg.timeout_ms);
		printf("result mode=startup pid=%d startup_us=-1 "
		       "probe_interval_us=%.1f probes=%u\n", (int)child.pid,
		       interval_us, probes);
		return 1;
	}
	{
		int64_t nsts = st.ns_ts[first_seq] ? st.ns_ts[first_seq] :
			st.user_ts[first_seq];
		double up = (double)(first - child.exec_ts) / 1000;
		double lat = (double)(first - nsts) / 1000;

		printf("startup: first answer %.1f us after exec (probe every "
		       "%.1f us; that answer took %.1f us)\n", up,
		       interval_us, lat);
		printf("result mode=startup pid=%d startup_us=%.1f "
		       "probe_interval_us=%.1f first_latency_us=%.1f "
		       "probes=%u\n", (int)child.pid, up, interval_us, lat,
		       probes);
	}
	return 0;
}

/*
 * The child runs until someone ends it (the benchmark, by its PID);
 * we wait, so that it is reaped, holding nothing big meanwhile. If it
 * never answered, it is ours to stop.
 */
static int wait_child(int rc, int fd)
{
	int status;

	close(fd);
	munmap(st.ring, st.ring_len);
	close(st.tap_fd);
	free(st.ns_ts);
	free(st.na_ts);
	free(st.user_ts);
	free(st.ns_k);
	free(st.na_k);
	if (rc != 0)
		kill(child.pid, SIGTERM);
	while (waitpid(child.pid, &status, 0) < 0 && errno == EINTR)
		;
	child.pid = 0;
	return rc;
}

static uint64_t txd0;
static double cpu0;

static void run_load(int fd)
{
	const struct config *c = &st.cfg;
	int64_t t0, deadline;

	txd0 = link_stat("tx_dropped");
	cpu0 = cpu_seconds();
	t0 = now_ns(CLOCK_MONOTONIC) + 1000000;
	for (uint32_t seq = 0; seq < c->count; seq += c->batch) {
		unsigned n = c->count - seq < c->batch ? c->count - seq :
			c->batch;

		if (c->rate > 0)
			sleep_until(t0 + (int64_t)((double)seq * 1e9 /
						   c->rate));
		send_batch(fd, seq, n);
	}
	deadline = now_ns(CLOCK_MONOTONIC) + (int64_t)c->wait_ms * 1000000;
	while (now_ns(CLOCK_MONOTONIC) < deadline &&
	       atomic_load(&st.answered) < c->count)
		usleep(1000);
	/* Give the tap a moment to see the last frames. */
	usleep(5000);
	atomic_store(&st.stop, true);
}

/*
 * -g: per target, for its first NS (seq t): router NS -> the kernel's
 * NS out of PORT ("probe"), router NS -> the guest's NA on PORT
 * ("guest"), and that NA -> the responder's NA on our wire ("live").
 * A missing stamp leaves the target out; live_n says how many count.
 */
static void in_report(void)
{
	const struct config *c = &st.cfg;
	int64_t *probe = xcalloc(c->targets, sizeof(*probe));
	int64_t *guest = xcalloc(c->targets, sizeof(*guest));
	int64_t *live = xcalloc(c->targets, sizeof(*live));
	size_t np = 0, ng = 0, nl = 0;

	for (uint32_t t = 0; t < c->targets && t < c->count; t++) {
		int64_t ns = st.ns_ts[t] ? st.ns_ts[t] : st.user_ts[t];

		if (st.in_ns_ts[t])
			probe[np++] = st.in_ns_ts[t] - ns;
		if (st.in_na_ts[t])
			guest[ng++] = st.in_na_ts[t] - ns;
		if (st.in_na_ts[t] && st.na_ts[t])
			live[nl++] = st.na_ts[t] - st.in_na_ts[t];
	}
	qsort(probe, np, sizeof(*probe), cmp_i64);
	qsort(guest, ng, sizeof(*guest), cmp_i64);
	qsort(live, nl, sizeof(*live), cmp_i64);
	printf("inside %s: %" PRIu64 " NS out, %" PRIu64 " NA in from the "
	       "targets; router NS -> inside NS p50 %.1f us, -> guest NA p50 "
	       "%.1f us; guest NA -> answer on %s (%zu samples): p50 %.1f us, "
	       "max %.1f us\n", c->port, st.in_ns, st.in_na,
	       pct_us(probe, np, 50), pct_us(guest, ng, 50), c->ifname, nl,
	       pct_us(live, nl, 50), nl ? (double)live[nl - 1] / 1000 : -1);
	printf("result mode=inside port=%s in_ns=%" PRIu64 " in_na=%" PRIu64
	       " probe_n=%zu probe_p50_us=%.1f guest_n=%zu guest_p50_us=%.1f "
	       "live_n=%zu live_p50_us=%.1f live_max_us=%.1f\n", c->port,
	       st.in_ns, st.in_na, np, pct_us(probe, np, 50), ng,
	       pct_us(guest, ng, 50), nl, pct_us(live, nl, 50),
	       nl ? (double)live[nl - 1] / 1000 : -1);
	free(probe);
	free(guest);
	free(live);
}

/* After the tap thread is done: the numbers. */
static void report(void)
{
	const struct config *c = &st.cfg;
	struct tpacket_stats_v3 ps = { 0 };
	socklen_t pslen = sizeof(ps);
	int64_t *lat = xcalloc(c->count, sizeof(*lat));
	int64_t first_ns = INT64_MAX, last_ns = INT64_MIN;
	uint64_t ts_user = 0, answered = 0, extra = 0, txd;
	size_t nlat = 0;
	double offered_pps = 0, answered_pps = 0, ratio, cpu;
	double p50, p90, p99, p999, pmax, le100 = -1;
	size_t nle100 = 0;

	cpu = cpu_seconds() - cpu0;
	txd = link_stat("tx_dropped") - txd0;
	getsockopt(st.tap_fd, SOL_PACKET, PACKET_STATISTICS, &ps, &pslen);

	for (uint32_t i = 0; i < c->count; i++) {
		int64_t s = st.ns_ts[i];

		if (!s) {
			s = st.user_ts[i];
			ts_user++;
		}
		if (s < first_ns)
			first_ns = s;
		if (s > last_ns)
			last_ns = s;
		if (st.na_ts[i])
			lat[nlat++] = st.na_ts[i] - s;
	}
	/* Each target got ceil((count - t) / targets) NS; an NA beyond
	 * that is a duplicate. */
	for (uint32_t t = 0; t < c->targets; t++) {
		uint32_t nsent = (c->count - t + c->targets - 1) / c->targets;

		answered += st.na_k[t] < nsent ? st.na_k[t] : nsent;
		extra += st.na_k[t] > nsent ? st.na_k[t] - nsent : 0;
	}
	qsort(lat, nlat, sizeof(*lat), cmp_i64);
	p50 = pct_us(lat, nlat, 50);
	p90 = pct_us(lat, nlat, 90);
	p99 = pct_us(lat, nlat, 99);
	p999 = pct_us(lat, nlat, 99.9);
	pmax = nlat ? (double)lat[nlat - 1] / 1000 : -1;
	/* The share of samples within 100 us: unlike p99, it moves little
	 * when a descheduled CPU delays a few batches by milliseconds. */
	while (nle100 < nlat && lat[nle100] <= 100000)
		nle100++;
	if (nlat)
		le100 = 100.0 * (double)nle100 / (double)nlat;
	/* Rates over the span of the events themselves: (n - 1) gaps. */
	if (c->count > 1 && last_ns > first_ns)
		offered_pps = (double)(c->count - 1) * 1e9 /
			      (double)(last_ns - first_ns);
	if (answered > 1 && st.last_na > st.first_na)
		answered_pps = (double)(answered - 1) * 1e9 /
			       (double)(st.last_na - st.first_na);
	ratio = (double)answered / (double)c->count;

	printf("sent %u NS for %u targets in %.3f s: %.0f NS/s offered "
	       "(%s, batch %u)\n", c->count, c->targets,
	       (double)(last_ns - first_ns) / 1e9, offered_pps,
	       c->rate > 0 ? "paced" : "max rate", c->batch);
	printf("answered %" PRIu64 " (%.4f%%) at %.0f NA/s; NA from the "
	       "target address: %" PRIu64 ", from another: %" PRIu64 "\n",
	       answered, ratio * 100, answered_pps, st.na_from_target,
	       st.na_from_other);
	if (nlat)
		printf("latency NS->NA on the wire (%zu samples): p50 %.1f us, "
		       "p90 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us; "
		       "%.2f%% within 100 us\n",
		       nlat, p50, p90, p99, p999, pmax, le100);
	if (extra || st.unexpected || ps.tp_drops || ts_user || txd ||
	    send_errors)
		printf("note: %" PRIu64 " duplicate NA, %" PRIu64 " unexpected "
		       "NA, %u tap drops, %" PRIu64 " user-space stamps, %"
		       PRIu64 " link tx drops, %" PRIu64 " send retries\n",
		       extra, st.unexpected, ps.tp_drops, ts_user, txd,
		       send_errors);
	printf("result mode=load sent=%u targets=%u rate=%.0f batch=%u "
	       "offered_pps=%.0f answered=%" PRIu64 " answered_pps=%.0f "
	       "ratio=%.6f lat_n=%zu lat_p50_us=%.1f lat_p90_us=%.1f "
	       "lat_p99_us=%.1f lat_p999_us=%.1f lat_max_us=%.1f "
	       "lat_le100us_pct=%.2f na_from_target=%" PRIu64 " na_from_other=%" PRIu64
	       " dup=%" PRIu64 " unexpected=%" PRIu64 " tap_drops=%u "
	       "ts_user=%" PRIu64 " link_tx_dropped=%" PRIu64
	       " send_retries=%" PRIu64 " gen_cpu_s=%.3f\n",
	       c->count, c->targets, c->rate, c->batch, offered_pps,
	       answered, answered_pps, ratio, nlat, p50, p90, p99, p999,
	       pmax, le100, st.na_from_target, st.na_from_other, extra,
	       st.unexpected, ps.tp_drops, ts_user, txd, send_errors, cpu);
	free(lat);
	if (c->port)
		in_report();
}

struct jitter {
	pthread_t tid;
	int cpu;
	unsigned ms;
	uint64_t gaps_100us, gaps_1ms;
	int64_t max_gap, lost;
};

static void *jitter_thread(void *arg)
{
	struct jitter *j = arg;
	cpu_set_t set;
	int64_t prev, end;

	CPU_ZERO(&set);
	CPU_SET((size_t)j->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	prev = now_ns(CLOCK_MONOTONIC);
	end = prev + (int64_t)j->ms * 1000000;
	while (prev < end) {
		int64_t t = now_ns(CLOCK_MONOTONIC), g = t - prev;

		if (g > 100000) {
			j->gaps_100us++;
			j->lost += g;
		}
		if (g > 1000000)
			j->gaps_1ms++;
		if (g > j->max_gap)
			j->max_gap = g;
		prev = t;
	}
	return NULL;
}

static int run_jitter(unsigned ms)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	struct jitter *j;

	if (n < 1)
		n = 1;
	j = xcalloc((size_t)n, sizeof(*j));
	for (long i = 0; i < n; i++) {
		j[i].cpu = (int)i;
		j[i].ms = ms;
		if ((errno = pthread_create(&j[i].tid, NULL, jitter_thread,
					    &j[i])) != 0)
			die("pthread_create");
	}
	printf("result mode=jitter ms=%u", ms);
	for (long i = 0; i < n; i++) {
		pthread_join(j[i].tid, NULL);
		printf(" cpu%ld_gaps_100us=%" PRIu64 " cpu%ld_gaps_1ms=%" PRIu64
		       " cpu%ld_max_gap_us=%.0f cpu%ld_lost_ms=%.1f", i,
		       j[i].gaps_100us, i, j[i].gaps_1ms, i,
		       (double)j[i].max_gap / 1000, i,
		       (double)j[i].lost / 1e6);
	}
	printf("\n");
	free(j);
	return 0;
}

int main(int argc, char *argv[])
{
	pthread_t tid;
	int fd, rc;

	parse_args(&st.cfg, argc, argv);
	if (st.cfg.jitter_ms)
		return run_jitter(st.cfg.jitter_ms);
	iface_setup();
	st.ns_ts = xcalloc(st.cfg.count, sizeof(*st.ns_ts));
	st.na_ts = xcalloc(st.cfg.count, sizeof(*st.na_ts));
	st.user_ts = xcalloc(st.cfg.count, sizeof(*st.user_ts));
	st.ns_k = xcalloc(st.cfg.targets, sizeof(*st.ns_k));
	st.na_k = xcalloc(st.cfg.targets, sizeof(*st.na_k));
	/* Fault the arrays in now, not while timing. */
	memset(st.ns_ts, 0, st.cfg.count * sizeof(*st.ns_ts));
	memset(st.na_ts, 0, st.cfg.count * sizeof(*st.na_ts));
	memset(st.user_ts, 0, st.cfg.count * sizeof(*st.user_ts));
	st.first_na = INT64_MAX;
	st.last_na = INT64_MIN;
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);

	tap_open();
	if (st.cfg.port) {
		st.in_ns_ts = xcalloc(st.cfg.targets, sizeof(*st.in_ns_ts));
		st.in_na_ts = xcalloc(st.cfg.targets, sizeof(*st.in_na_ts));
		in_open();
	}
	fd = tx_open();
	if ((errno = pthread_create(&tid, NULL, tap_thread, NULL)) != 0)
		die("pthread_create");
	if (st.cfg.startup) {
		run_startup(fd);
		pthread_join(tid, NULL);
		rc = startup_report();
		fflush(stdout);
		if (child.pid > 0)
			rc = wait_child(rc, fd);
		return rc;
	}
	run_load(fd);
	pthread_join(tid, NULL);
	if (st.cfg.port)
		in_drain();
	report();
	return 0;
}
