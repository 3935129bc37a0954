/*
 * ndpresponder - answer IPv6 Neighbor Solicitations on an uplink for the
 * addresses of configured prefixes, from the target address itself.
 *
 * On a KVM VPS with an on-link /64, the hypervisor drops Neighbor
 * Advertisements from link-local sources, which is what ndppd and the
 * kernel's proxy_ndp send when the router asks from its link-local
 * address. We answer every NS for a configured target with an NA whose
 * IPv6 source is the target, which passes.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>

#include "bpf_filter.h"
#include "docker.h"
#include "log.h"
#include "ndp.h"
#include "sandbox.h"
#include "uplink.h"

#define BATCH		32		/* frames per recvmmsg/sendmmsg */
#define FRAME_MAX	2048		/* larger NS are dropped, counted */
#define ROUNDS_MAX	64		/* batches before signals get a look */
#define RCVBUF		(4 << 20)	/* a 10,000-NS burst, with room */
#define SNDBUF		(1 << 20)
#define SUMMARY_SECS	60		/* at most one INFO summary a window */

struct counters {
	uint64_t received;		/* frames past the BPF filter */
	uint64_t answered;		/* NAs sent */
	uint64_t not_ours;		/* valid NS, target in no prefix */
	uint64_t unicast;		/* valid NS, unicast without -u */
	uint64_t oversize;		/* longer than FRAME_MAX */
	uint64_t send_errors;		/* NAs the kernel refused */
	uint64_t invalid[NDP_VERDICT_MAX];
};

struct responder {
	const char *ifname;
	bool unicast;			/* -u: answer unicast NS too */
	bool pin;			/* pin the gateway's entry */
	bool announce;			/* announce static /128s */
	struct sandbox sandbox;		/* -U, --no-seccomp */
	struct uplink up;		/* ifindex, MAC, gateways */
	struct ndp_prefix *prefixes;
	struct ndp_prefix_set set;
	struct docker docker;		/* -N: containers' addresses */

	int fd;				/* packet socket */
	int bound;			/* ifindex it is bound to */
	int sigfd;
	int timerfd;			/* armed only while summarising */

	struct counters c;
	struct counters window;		/* counters at the window's start */
	uint64_t window_logged;		/* answers of it logged one by one */
	bool window_open;
};

/* Receive and send buffers: static, nothing is allocated per packet. */
static uint8_t rx_frames[BATCH][FRAME_MAX];
static uint8_t tx_frames[BATCH][NDP_NA_FRAME_LEN];
static struct ndp_ns tx_ns[BATCH];	/* what each NA answers, for the log */
static struct iovec rx_iov[BATCH], tx_iov[BATCH];
static struct mmsghdr rx_msgs[BATCH], tx_msgs[BATCH];

static _Noreturn void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void usage(FILE *f)
{
	(void)fprintf(f,
"usage: ndpresponder -i IFACE {-n PREFIX | -N NETWORK} ... [-u] [--announce]\n"
"                    [--no-pin-gateway] [-U USER] [--no-seccomp]\n"
"\n"
"Answer IPv6 Neighbor Solicitations on IFACE for targets in PREFIX with\n"
"Neighbor Advertisements sourced from the target address.\n"
"\n"
"  -i, --ifname IFACE          uplink interface\n"
"  -n, --subnet PREFIX         answer for this prefix (repeatable)\n"
"      --subnet-file FILE      answer for the prefixes in FILE, one a line\n"
"  -N, --docker-network NAME   answer for the IPv6 addresses of the containers\n"
"                              on Docker network NAME (repeatable)\n"
"  -u, --unicast               answer unicast NS (NUD probes) too\n"
"      --announce              announce /128 prefixes to the gateway\n"
"      --no-pin-gateway        leave the gateway's neighbour entry alone\n"
"  -U, --user USER             run as USER once set up (default nobody;\n"
"                              '' stays as started)\n"
"      --no-seccomp            do not install the system call filter\n"
"  -h, --help                  show this help\n"
"  -V, --version               show the version\n"
"\n"
"Environment: NDPRESPONDER_LOG=DEBUG|INFO|WARN|ERROR|FATAL (default INFO)\n"
"             DOCKER_HOST=unix://PATH (default unix:///var/run/docker.sock)\n");
}

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	(void)fputs("ndpresponder: ", stderr);
	va_start(ap, fmt);
	/* va_start is right above; clang 14 misreports this. */
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
	(void)vfprintf(stderr, fmt, ap);
	va_end(ap);
	(void)fputc('\n', stderr);
	exit(2);
}

/* where: "-n", or "FILE:LINE", for the error message. */
static void add_prefix(struct responder *r, size_t *n, size_t *cap,
		       const char *where, const char *arg)
{
	struct ndp_prefix p;
	const char *err;
	bool host_bits;

	err = ndp_prefix_parse(arg, &p, &host_bits);
	if (err)
		usage_error("%s %s: %s", where, arg, err);
	if (host_bits) {
		char buf[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, &p.addr, buf, sizeof(buf));
		log_warnx("prefix_normalized given=%s using=%s/%u", arg, buf,
			  p.len);
	}
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct ndp_prefix *v;

		v = reallocarray(r->prefixes, ncap, sizeof(*v));
		if (!v)
			usage_error("out of memory for prefixes");
		r->prefixes = v;
		*cap = ncap;
	}
	r->prefixes[(*n)++] = p;
}

/*
 * --subnet-file: one prefix a line; "#" starts a comment. For more
 * prefixes than a command line holds (ARG_MAX: about 48,000).
 */
static void read_prefix_file(struct responder *r, size_t *n, size_t *cap,
			     const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, where[PATH_MAX + 32];
	size_t size = 0;
	unsigned lineno = 0;

	if (!f)
		fatal("subnet_file path=%s", path);
	while (getline(&line, &size, f) >= 0) {
		char *p = line, *end;

		lineno++;
		p[strcspn(p, "#\n")] = '\0';
		p += strspn(p, " \t\r");
		end = p + strcspn(p, " \t\r");
		if (*end && end[strspn(end, " \t\r")])
			usage_error("%s:%u: one prefix a line", path, lineno);
		*end = '\0';
		if (*p) {
			(void)snprintf(where, sizeof(where), "%s:%u:", path,
				       lineno);
			add_prefix(r, n, cap, where, p);
		}
	}
	if (ferror(f))
		fatal("subnet_file path=%s", path);
	free(line);
	(void)fclose(f);
}

static void parse_config(struct responder *r, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "ifname", required_argument, NULL, 'i' },
		{ "subnet", required_argument, NULL, 'n' },
		{ "subnet-file", required_argument, NULL, 'F' },
		{ "docker-network", required_argument, NULL, 'N' },
		{ "unicast", no_argument, NULL, 'u' },
		{ "announce", no_argument, NULL, 'A' },
		{ "no-pin-gateway", no_argument, NULL, 'P' },
		{ "user", required_argument, NULL, 'U' },
		{ "no-seccomp", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("NDPRESPONDER_LOG"), *err;
	size_t n = 0, cap = 0;
	int level = LOG_INFO, ch;

	r->pin = true;
	r->sandbox.user = "nobody";
	r->sandbox.user_is_default = true;
	r->sandbox.seccomp = true;

	if (env && (level = log_parse_level(env)) < 0)
		usage_error("NDPRESPONDER_LOG=%s: not one of DEBUG, INFO, "
			    "WARN, ERROR, FATAL", env);
	log_init((enum log_level)level);

	opterr = 0;			/* we say it in one line */
	while ((ch = getopt_long(argc, argv, ":i:n:N:uU:hV", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'i':
			r->ifname = optarg;
			break;
		case 'n':
			add_prefix(r, &n, &cap, "-n", optarg);
			break;
		case 'F':
			read_prefix_file(r, &n, &cap, optarg);
			break;
		case 'N':
			if ((err = docker_add_network(&r->docker, optarg)))
				usage_error("-N %s: %s", optarg, err);
			break;
		case 'u':
			r->unicast = true;
			break;
		case 'A':
			r->announce = true;
			break;
		case 'P':
			r->pin = false;
			break;
		case 'U':
			r->sandbox.user = optarg;
			r->sandbox.user_is_default = false;
			break;
		case 'S':
			r->sandbox.seccomp = false;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("ndpresponder %s\n", VERSION);
			exit(0);
		case ':':
			usage_error("%s needs an argument", argv[optind - 1]);
		default:
			usage_error("unknown option %s (see --help)",
				    argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument %s", argv[optind]);
	if (!r->ifname)
		usage_error("missing -i IFACE (see --help)");
	if (strlen(r->ifname) >= IFNAMSIZ)
		usage_error("-i %s: interface name too long", r->ifname);
	if (n == 0 && r->docker.nnets == 0)
		usage_error("missing -n PREFIX or -N NETWORK (see --help)");
	if (r->docker.nnets > 0) {
		env = getenv("DOCKER_HOST");
		if ((err = docker_set_host(&r->docker, env)))
			usage_error("DOCKER_HOST=%s: %s", env, err);
		r->sandbox.docker = true;
		r->sandbox.docker_socket = r->docker.sun.sun_path;
		r->sandbox.needs_unix_socket = true;
	}
	ndp_prefix_set_init(&r->set, r->prefixes, n);
}

static void attach_filter(int fd, const struct sock_filter *insns, size_t n)
{
	struct sock_fprog prog = {
		.len = (unsigned short)n,
		.filter = (struct sock_filter *)insns,
	};

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)) < 0)
		fatal("attach_filter");
}

static void set_bufsize(int fd, int force_opt, int opt, int size)
{
	/* The FORCE variant passes rmem_max/wmem_max, but needs
	 * CAP_NET_ADMIN; without it take what the sysctl allows. */
	if (setsockopt(fd, SOL_SOCKET, force_opt, &size, sizeof(size)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size)) < 0)
		log_warn("socket_buffer size=%d", size);
}

/* Bind to the uplink as it is now; again after it was re-created. */
static int bind_packet_socket(struct responder *r)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IPV6),
		.sll_ifindex = r->up.ifindex,
	};
	/* NICs that filter multicast must pass solicited-node groups;
	 * the kernel undoes this when the socket or the device goes. */
	struct packet_mreq mr = {
		.mr_ifindex = r->up.ifindex,
		.mr_type = PACKET_MR_ALLMULTI,
	};

	if (bind(r->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -errno;
	if (setsockopt(r->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		       sizeof(mr)) < 0)
		return -errno;
	r->bound = r->up.ifindex;
	return 0;
}

static void open_uplink(struct responder *r)
{
	int err = uplink_init(&r->up, r->ifname, r->pin);

	if (err == -ENODEV)
		fatalx("interface %s not found", r->ifname);
	if (err == -EPFNOSUPPORT)
		fatalx("interface %s has no Ethernet address", r->ifname);
	if (err < 0) {
		errno = -err;
		fatal("rtnetlink interface=%s", r->ifname);
	}
}

static void open_packet_socket(struct responder *r)
{
	uint8_t drain[1];
	int one = 1, err;

	/* Protocol 0: nothing is queued before bind. */
	r->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (r->fd < 0)
		fatal("packet_socket (needs CAP_NET_RAW)");

	/* Drop everything until the real filter is in place, so that no
	 * frame it would reject is ever read; then lock it. */
	attach_filter(r->fd, ndp_bpf_drop_all,
		      sizeof(ndp_bpf_drop_all) / sizeof(ndp_bpf_drop_all[0]));
	if ((err = bind_packet_socket(r)) < 0) {
		errno = -err;
		fatal("bind interface=%s", r->ifname);
	}
	while (recv(r->fd, drain, sizeof(drain), MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
	attach_filter(r->fd, ndp_bpf_prog,
		      sizeof(ndp_bpf_prog) / sizeof(ndp_bpf_prog[0]));
	if (setsockopt(r->fd, SOL_SOCKET, SO_LOCK_FILTER, &one,
		       sizeof(one)) < 0)
		fatal("SO_LOCK_FILTER");

	set_bufsize(r->fd, SO_RCVBUFFORCE, SO_RCVBUF, RCVBUF);
	set_bufsize(r->fd, SO_SNDBUFFORCE, SO_SNDBUF, SNDBUF);

	for (int i = 0; i < BATCH; i++) {
		rx_iov[i] = (struct iovec){ rx_frames[i], FRAME_MAX };
		rx_msgs[i].msg_hdr.msg_iov = &rx_iov[i];
		rx_msgs[i].msg_hdr.msg_iovlen = 1;
		tx_iov[i] = (struct iovec){ tx_frames[i], NDP_NA_FRAME_LEN };
		tx_msgs[i].msg_hdr.msg_iov = &tx_iov[i];
		tx_msgs[i].msg_hdr.msg_iovlen = 1;
	}
}

static void setup_events(struct responder *r)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		fatal("sigprocmask");
	r->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (r->sigfd < 0)
		fatal("signalfd");
	(void)signal(SIGPIPE, SIG_IGN);

	r->timerfd = timerfd_create(CLOCK_MONOTONIC,
				    TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->timerfd < 0)
		fatal("timerfd_create");
}

/* Counters since the start, or since *base; one line. */
static void log_counters(const char *event, const struct counters *now,
			 const struct counters *base)
{
	static const struct counters zero;
	char line[1024];
	size_t n;
	int w;

	if (!base)
		base = &zero;
	w = snprintf(line, sizeof(line),
		     "%s received=%" PRIu64 " answered=%" PRIu64
		     " not_ours=%" PRIu64 " unicast_ignored=%" PRIu64
		     " oversize=%" PRIu64 " send_errors=%" PRIu64, event,
		     now->received - base->received,
		     now->answered - base->answered,
		     now->not_ours - base->not_ours,
		     now->unicast - base->unicast,
		     now->oversize - base->oversize,
		     now->send_errors - base->send_errors);
	n = w > 0 ? (size_t)w : 0;
	for (int v = NDP_OK + 1; v < NDP_VERDICT_MAX && n < sizeof(line); v++) {
		w = snprintf(line + n, sizeof(line) - n, " invalid_%s=%" PRIu64,
			     ndp_verdict_name((enum ndp_verdict)v),
			     now->invalid[v] - base->invalid[v]);
		n += w > 0 ? (size_t)w : 0;
	}
	log_info("%s", line);
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
	char target[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];
	bool first = !r->window_open;

	if (first) {
		r->window = r->c;
		r->window_logged = 1;
		r->window_open = true;
		arm_summary(r);
	} else if (!log_enabled(LOG_DEBUG)) {
		return;
	}
	inet_ntop(AF_INET6, &ns->target, target, sizeof(target));
	inet_ntop(AF_INET6, &ns->src, src, sizeof(src));
	if (log_enabled(LOG_DEBUG))
		log_debug("answer target=%s to=%s ns=%s", target, src,
			  ndp_addr_is_unspecified(&ns->src) ? "dad" :
			  ndp_addr_is_multicast(&ns->dst) ? "multicast" :
			  "unicast");
	else
		log_info("answer target=%s to=%s (more are summarised every "
			 "%ds)", target, src, SUMMARY_SECS);
}

static void summary_tick(struct responder *r)
{
	uint64_t expirations;

	if (read(r->timerfd, &expirations, sizeof(expirations)) < 0)
		return;
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
			 int msg_flags, uint8_t *out, struct ndp_ns *nsp)
{
	struct ndp_ns ns;
	enum ndp_verdict v;
	bool container;

	r->c.received++;
	if (msg_flags & MSG_TRUNC) {
		r->c.oversize++;
		return false;
	}
	v = ndp_parse_ns(f, len, &ns);
	if (v != NDP_OK) {
		r->c.invalid[v]++;
		log_debug("drop reason=%s length=%zu", ndp_verdict_name(v),
			  len);
		return false;
	}
	if (!ns.has_sllao || memcmp(ns.sllao, ns.eth_src, NDP_MAC_LEN) == 0)
		uplink_gateway_seen(&r->up, &ns.src, ns.eth_src);
	/* A container's address is in use: answer unicast, multicast
	 * and DAD NS for it alike, -u or not. */
	container = docker_contains(&r->docker, &ns.target);
	if (!container && !ndp_prefix_set_contains(&r->set, &ns.target)) {
		r->c.not_ours++;
		return false;
	}
	/* RFC 4861 7.2.4 answers any NS; without -u we leave unicast
	 * (NUD) probes alone so that the router's entries for unused
	 * addresses expire, as the Go ndpresponder does. */
	if (!container && !ndp_addr_is_multicast(&ns.dst) && !r->unicast) {
		r->c.unicast++;
		return false;
	}
	ndp_build_na(out, r->up.mac, &ns);
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

static void receive(struct responder *r)
{
	for (int round = 0; round < ROUNDS_MAX; round++) {
		unsigned answers = 0;
		int n;

		n = recvmmsg(r->fd, rx_msgs, BATCH, MSG_DONTWAIT | MSG_TRUNC,
			     NULL);
		if (n < 0) {
			/* ENETDOWN: the link went down, which the uplink
			 * code reports; the socket works again once up. */
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR && errno != ENETDOWN)
				log_warn("receive interface=%s", r->ifname);
			return;
		}
		for (int i = 0; i < n; i++) {
			if (handle_frame(r, rx_frames[i], rx_msgs[i].msg_len,
					 rx_msgs[i].msg_hdr.msg_flags,
					 tx_frames[answers], &tx_ns[answers]))
				answers++;
		}
		/* Answer first, then log: stderr can be slow. */
		send_answers(r, answers);
		for (unsigned i = 0; i < answers; i++)
			note_answer(r, &tx_ns[i]);
		if (n < BATCH)
			return;
	}
}

/* Returns true when it is time to go. */
static bool handle_signals(struct responder *r)
{
	struct signalfd_siginfo si;

	while (read(r->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("exit signal=%s",
				 si.ssi_signo == SIGINT ? "INT" : "TERM");
			return true;
		default:		/* SIGUSR1, SIGHUP */
			log_counters("counters", &r->c, NULL);
			docker_log_counters(&r->docker);
			break;
		}
	}
	return false;
}

/* Send one frame we built; failures are logged, never fatal. */
static void send_frame(struct responder *r, const uint8_t *f, size_t len)
{
	if (send(r->fd, f, len, 0) < 0)
		log_warn("send_failed interface=%s", r->ifname);
}

/*
 * Tell the link about addr: a DAD-style NS (RFC 4861 7.2.2 form, from
 * ::, with a nonce), then an NS from addr for the gateway, to the
 * gateway's solicited-node group and with our MAC, so that the router
 * learns addr at once (RFC 4861 7.2.3) instead of on first use.
 */
static void announce(struct responder *r, const struct in6_addr *addr)
{
	static const struct in6_addr any;
	const struct in6_addr *gw = uplink_gateway(&r->up);
	uint8_t f[NDP_NS_FRAME_MAX], nonce[6] = { 0 }, dmac[NDP_MAC_LEN];
	char a[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN] = "none";
	struct in6_addr group;

	/* Down or absent: the next link change announces again. */
	if (!r->up.ifindex || !(r->up.flags & IFF_UP))
		return;
	if (getrandom(nonce, sizeof(nonce), GRND_NONBLOCK) < 0)
		log_debug("getrandom error=\"%s\"", strerror(errno));
	ndp_solicited_node(addr, &group);
	ndp_multicast_mac(&group, dmac);
	send_frame(r, f, ndp_build_ns(f, r->up.mac, dmac, &any, &group, addr,
				      NULL, nonce));
	if (gw) {
		ndp_solicited_node(gw, &group);
		ndp_multicast_mac(&group, dmac);
		send_frame(r, f, ndp_build_ns(f, r->up.mac, dmac, addr, &group,
					      gw, r->up.mac, NULL));
		inet_ntop(AF_INET6, gw, g, sizeof(g));
	}
	log_info("announce address=%s gateway=%s",
		 inet_ntop(AF_INET6, addr, a, sizeof(a)), g);
}

static void announce_static(struct responder *r)
{
	for (size_t i = 0; i < r->set.n; i++)
		if (r->set.v[i].len == 128)
			announce(r, &r->set.v[i].addr);
}

/* A container's address appeared (docker.c calls this). */
static void announce_container(void *arg, const struct in6_addr *addr)
{
	announce(arg, addr);
}

static void announce_containers(struct responder *r)
{
	const struct in6_addr *v;
	size_t n = docker_addresses(&r->docker, &v);

	for (size_t i = 0; i < n; i++)
		announce(r, &v[i]);
}

/* Follow the uplink: re-bind when it was re-created, re-announce. */
static void uplink_changed(struct responder *r)
{
	unsigned c = uplink_take_changes(&r->up);
	int err;

	if ((c & UPLINK_CHANGED_INDEX) && r->up.ifindex &&
	    r->up.ifindex != r->bound) {
		if ((err = bind_packet_socket(r)) < 0) {
			errno = -err;
			log_warn("rebind interface=%s ifindex=%d", r->ifname,
				 r->up.ifindex);
			return;
		}
		log_info("rebind interface=%s ifindex=%d", r->ifname,
			 r->bound);
	}
	/* Announce again on a new link, MAC or gateway. */
	if ((c & (UPLINK_CHANGED_INDEX | UPLINK_CHANGED_MAC |
		  UPLINK_CHANGED_UP)) ||
	    ((c & UPLINK_CHANGED_GATEWAY) && uplink_gateway(&r->up))) {
		if (r->announce)
			announce_static(r);
		announce_containers(r);
	}
}

static int run(struct responder *r)
{
	enum { SIG, SUMMARY, NETLINK, RETRY, PACKET, DOCKER,
	       NFDS = DOCKER + DOCKER_NFDS };
	struct pollfd pfd[NFDS] = {
		[SIG] = { .fd = r->sigfd, .events = POLLIN },
		[SUMMARY] = { .fd = r->timerfd, .events = POLLIN },
		[NETLINK] = { .fd = r->up.ev.fd, .events = POLLIN },
		[RETRY] = { .fd = r->up.timerfd, .events = POLLIN },
		[PACKET] = { .fd = r->fd, .events = POLLIN },
	};

	for (;;) {
		/* Docker's sockets come and go; -1 entries are ignored. */
		docker_pollfds(&r->docker, pfd + DOCKER);
		if (poll(pfd, NFDS, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("poll");
			return 1;
		}
		if (pfd[SIG].revents && handle_signals(r))
			return 0;
		if (pfd[SUMMARY].revents)
			summary_tick(r);
		if (pfd[NETLINK].revents)
			uplink_events(&r->up);
		if (pfd[RETRY].revents)
			uplink_timer(&r->up);
		if (pfd[NETLINK].revents || pfd[RETRY].revents)
			uplink_changed(r);
		if (pfd[PACKET].revents)
			receive(r);
		docker_process(&r->docker, pfd + DOCKER);
	}
}

int main(int argc, char *argv[])
{
	static struct responder r;
	char mac[NDP_MAC_STRLEN];
	int rc;

	parse_config(&r, argc, argv);
	open_uplink(&r);
	open_packet_socket(&r);
	setup_events(&r);
	docker_start(&r.docker, announce_container, &r);
	r.sandbox.keep_net_admin = r.pin;
	r.sandbox.needs_inet6_dgram = r.pin;
	sandbox_enter(&r.sandbox);

	ndp_format_mac(r.up.mac, mac);
	log_info("start version=%s interface=%s ifindex=%d mac=%s "
		 "prefixes=%zu unicast=%s pin_gateway=%s", VERSION, r.ifname,
		 r.up.ifindex, mac, r.set.n, r.unicast ? "yes" : "no",
		 r.pin ? "yes" : "no");
	if (r.announce)
		announce_static(&r);
	rc = run(&r);
	uplink_release(&r.up);
	log_counters("counters", &r.c, NULL);
	return rc;
}
