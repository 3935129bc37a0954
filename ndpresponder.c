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

#include "check.h"
#include "config.h"
#include "docker.h"
#include "log.h"
#include "metrics.h"
#include "ndp.h"
#include "responder.h"
#include "routes.h"
#include "sandbox.h"
#include "targets.h"
#include "uplink.h"

/* What the command line asks for, and the modules that do it. */
struct daemon {
	const char *ifname;
	const char *metrics_path;	/* --metrics-file */
	struct sandbox sandbox;		/* -U, --no-seccomp */
	struct config args;		/* -n, -r, -x */
	const char *files[CONFIG_FILES_MAX];	/* --subnet-file */
	size_t nfiles;
	struct config cur;		/* args and files, in force */
	struct ndp_prefix_set set, routed_set, exclude_set;
	struct docker docker;		/* -N: containers' addresses */
	struct routes routes;		/* the kernel's routes (-r, --auto) */
	struct neigh neigh;		/* the kernel's neighbours (--live) */
	struct metrics metrics;
	struct metrics_sources msrc;
	struct targets targets;
	struct uplink up;		/* ifindex, MAC, gateways */
	struct responder resp;		/* the packet socket */
	char metrics_dir[PATH_MAX];
	int sigfd;
	bool pin;			/* pin the gateway's entry */
	bool announce;			/* announce static /128s */
	bool routes_on;			/* -r or --auto */
	bool live;			/* --live */
	bool said_metrics;		/* a failed write, said once */
	bool check;			/* --check */
};

static _Noreturn void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void usage(FILE *f)
{
	(void)fprintf(f,
"usage: ndpresponder -i IFACE {-n PREFIX | --subnet-file FILE | -N NETWORK |\n"
"                    -r PREFIX | --auto} ... [-x PREFIX] [--table ID] [--live]\n"
"                    [-u] [--announce] [--metrics-file PATH] [--check]\n"
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
"  -r, --routed PREFIX         answer for targets in PREFIX that the kernel\n"
"                              routes out of another interface (repeatable)\n"
"      --auto                  -r for every prefix on-link on IFACE\n"
"      --table ID              the routing table for -r and --auto (main)\n"
"      --live                  with -r or --auto: answer a target only while\n"
"                              the kernel finds it on its interface\n"
"  -x, --exclude PREFIX        never answer for PREFIX (repeatable)\n"
"      --metrics-file PATH     the counters for node_exporter's textfile\n"
"                              collector, written at most every 10 s\n"
"      --check                 say what would keep the targets unreachable\n"
"                              (forwarding, routes, the gateway...) and exit\n"
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

/* -n, -r, -x: a bad prefix is a usage error, no memory exit 1. */
static void add_arg(struct daemon *d, enum config_kind k, const char *opt,
		    const char *arg)
{
	char err[CONFIG_ERR_MAX];
	int r = config_add(&d->args, k, opt, arg, err);

	if (r == -EINVAL)
		usage_error("%s", err);
	if (r < 0)
		fatalx("%s", err);
}

/*
 * The prefixes in force: the command line's, then each --subnet-file's
 * (for more prefixes than a command line holds, ARG_MAX: about 48,000,
 * and for SIGHUP). 0, or -errno with err saying FILE[:LINE].
 */
static int load(const struct daemon *d, struct config *c,
		char err[CONFIG_ERR_MAX])
{
	int r;

	if ((r = config_copy(c, &d->args)) < 0) {
		(void)snprintf(err, CONFIG_ERR_MAX, "out of memory");
		return r;
	}
	for (size_t i = 0; i < d->nfiles; i++) {
		char *text;
		size_t len;

		if ((r = config_read_file(d->files[i], &text, &len)) < 0) {
			(void)snprintf(err, CONFIG_ERR_MAX, "%s: %s",
				       d->files[i], strerror(-r));
			break;
		}
		r = config_parse(c, d->files[i], text, len, err);
		free(text);
		if (r < 0)
			break;
	}
	if (r < 0)
		config_free(c);
	return r;
}

/* The lookup sets over d->cur's arrays (sorted in place), and the
 * modules' pointers to them. */
static void install_sets(struct daemon *d)
{
	struct config *c = &d->cur;

	ndp_prefix_set_init(&d->set, c->l[CONFIG_STATIC].v,
			    c->l[CONFIG_STATIC].n);
	ndp_prefix_set_init(&d->routed_set, c->l[CONFIG_ROUTED].v,
			    c->l[CONFIG_ROUTED].n);
	ndp_prefix_set_init(&d->exclude_set, c->l[CONFIG_EXCLUDE].v,
			    c->l[CONFIG_EXCLUDE].n);
	d->targets.exclude = d->exclude_set.n ? &d->exclude_set : NULL;
	d->routes.scope = d->routed_set.n ? &d->routed_set : NULL;
	d->msrc.static_prefixes = d->set.n;
}

/*
 * SIGHUP: the files again, the Docker networks looked up again, the
 * routes dumped again. The new sets take over between two batches (the
 * loop is one thread), so no NS is lost or answered from a mix; a file
 * that does not parse leaves the old ones in force.
 */
static void reload(struct daemon *d)
{
	const struct ndp_prefix_set *old[CONFIG_KINDS] = {
		&d->set, &d->routed_set, &d->exclude_set,
	};
	struct ndp_prefix_set nw[CONFIG_KINDS];
	char err[CONFIG_ERR_MAX];
	struct config next;
	size_t added = 0, removed = 0;

	if (load(d, &next, err) < 0) {
		log_errorx("reload_failed %s: the prefixes in force stay", err);
		return;
	}
	if (next.l[CONFIG_ROUTED].n && !d->routes_on) {
		log_errorx("reload_failed routed prefixes need -r or --auto at "
			   "start: the prefixes in force stay");
		config_free(&next);
		return;
	}
	for (int k = 0; k < CONFIG_KINDS; k++) {
		ndp_prefix_set_init(&nw[k], next.l[k].v, next.l[k].n);
		added += config_count_new(&nw[k], old[k]);
		removed += config_count_new(old[k], &nw[k]);
	}
	config_free(&d->cur);
	d->cur = next;
	install_sets(d);
	if (d->announce)
		responder_announce_all(&d->resp);
	if (d->routes_on)
		routes_reload(&d->routes);
	docker_reload(&d->docker);
	log_info("reload added=%zu removed=%zu prefixes=%zu routed=%zu "
		 "excluded=%zu", added, removed, d->set.n, d->routed_set.n,
		 d->exclude_set.n);
}

/*
 * --metrics-file PATH: written anew as PATH.tmp and renamed, by the
 * user the daemon runs as, so its directory must be writable by that
 * user or (joined at the switch) by the directory's group.
 */
static void metrics_config(struct daemon *d)
{
	const char *slash = strrchr(d->metrics_path, '/');
	size_t n = slash ? (size_t)(slash - d->metrics_path) : 0;

	if (!*d->metrics_path || (slash && !slash[1]))
		usage_error("--metrics-file %s: not a file name",
			    d->metrics_path);
	if (!slash)
		strcpy(d->metrics_dir, ".");
	else if (n == 0)
		strcpy(d->metrics_dir, "/");
	else if (n < sizeof(d->metrics_dir))
		memcpy(d->metrics_dir, d->metrics_path, n);
	else
		usage_error("--metrics-file: path too long");
	d->sandbox.metrics_dir = d->metrics_dir;
}

/* --table ID: 1 to 2^32 - 1, not local (255). */
static uint32_t parse_table(const char *arg)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || v == 0 || v > UINT32_MAX ||
	    v == RT_TABLE_LOCAL || arg[0] == '-')
		usage_error("--table %s: not a routing table number (1 to "
			    "4294967295, not 255)", arg);
	return (uint32_t)v;
}

static void parse_config(struct daemon *d, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "ifname", required_argument, NULL, 'i' },
		{ "subnet", required_argument, NULL, 'n' },
		{ "subnet-file", required_argument, NULL, 'F' },
		{ "docker-network", required_argument, NULL, 'N' },
		{ "routed", required_argument, NULL, 'r' },
		{ "auto", no_argument, NULL, 'a' },
		{ "table", required_argument, NULL, 'T' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "live", no_argument, NULL, 'L' },
		{ "metrics-file", required_argument, NULL, 'M' },
		{ "check", no_argument, NULL, 'C' },
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
	char cerr[CONFIG_ERR_MAX];
	int level = LOG_INFO, ch;

	d->pin = true;
	d->sandbox.user = "nobody";
	d->sandbox.user_is_default = true;
	d->sandbox.seccomp = true;

	if (env && (level = log_parse_level(env)) < 0)
		usage_error("NDPRESPONDER_LOG=%s: not one of DEBUG, INFO, "
			    "WARN, ERROR, FATAL", env);
	log_init((enum log_level)level);

	opterr = 0;			/* we say it in one line */
	while ((ch = getopt_long(argc, argv, ":i:n:N:r:x:uU:hV", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'i':
			d->ifname = optarg;
			break;
		case 'n':
			add_arg(d, CONFIG_STATIC, "-n", optarg);
			break;
		case 'F':
			if (d->nfiles == CONFIG_FILES_MAX)
				usage_error("--subnet-file: at most %d",
					    CONFIG_FILES_MAX);
			d->files[d->nfiles++] = optarg;
			break;
		case 'N':
			if ((err = docker_add_network(&d->docker, optarg)))
				usage_error("-N %s: %s", optarg, err);
			break;
		case 'r':
			add_arg(d, CONFIG_ROUTED, "-r", optarg);
			d->routes_on = true;
			break;
		case 'a':
			d->routes.autoscope = d->routes_on = true;
			break;
		case 'T':
			d->routes.table = parse_table(optarg);
			break;
		case 'x':
			add_arg(d, CONFIG_EXCLUDE, "-x", optarg);
			break;
		case 'L':
			d->live = true;
			break;
		case 'M':
			d->metrics_path = optarg;
			break;
		case 'C':
			d->check = true;
			break;
		case 'u':
			d->targets.unicast = true;
			break;
		case 'A':
			d->announce = true;
			break;
		case 'P':
			d->pin = false;
			break;
		case 'U':
			d->sandbox.user = optarg;
			d->sandbox.user_is_default = false;
			break;
		case 'S':
			d->sandbox.seccomp = false;
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
	if (!d->ifname)
		usage_error("missing -i IFACE (see --help)");
	if (strlen(d->ifname) >= IFNAMSIZ)
		usage_error("-i %s: interface name too long", d->ifname);
	if (load(d, &d->cur, cerr) < 0)
		usage_error("%s", cerr);
	if (d->cur.l[CONFIG_ROUTED].n)
		d->routes_on = true;	/* "routed PREFIX" in a file */
	if (d->cur.l[CONFIG_STATIC].n == 0 && d->docker.nnets == 0 &&
	    !d->routes_on)
		usage_error(d->nfiles ?
			    "--subnet-file: no prefix in the file, and no -n, "
			    "-N, -r or --auto" :
			    "missing -n PREFIX, -N NETWORK, -r PREFIX or --auto "
			    "(see --help)");
	if (d->routes.table && !d->routes_on)
		usage_error("--table goes with -r or --auto");
	if (d->live && !d->routes_on)
		usage_error("--live goes with -r or --auto");
	if (d->metrics_path)
		metrics_config(d);
	if (d->docker.nnets > 0) {
		env = getenv("DOCKER_HOST");
		if ((err = docker_set_host(&d->docker, env)))
			usage_error("DOCKER_HOST=%s: %s", env, err);
		d->sandbox.docker = true;
		d->sandbox.docker_socket = d->docker.sun.sun_path;
		d->sandbox.needs_unix_socket = true;
	}
	/* Files are read again on SIGHUP, inside the sandbox. */
	d->sandbox.needs_read_files = d->nfiles > 0;
	install_sets(d);
	if (!d->routes.table)
		d->routes.table = RT_TABLE_MAIN;
}

static void open_uplink(struct daemon *d)
{
	int err = uplink_init(&d->up, d->ifname, d->pin);

	if (err == -ENODEV)
		fatalx("interface %s not found", d->ifname);
	if (err == -EPFNOSUPPORT)
		fatalx("interface %s has no Ethernet address", d->ifname);
	if (err < 0)
		fatalc(-err, "rtnetlink interface=%s", d->ifname);
}

/* Every source of targets, each one registration; the first asked first. */
static void add_sources(struct daemon *d)
{
	targets_add_source(&d->targets, "static", targets_static_match,
			   d->announce ? targets_static_next : NULL, &d->set);
	targets_add_source(&d->targets, "docker", docker_match, docker_next,
			   &d->docker);
	if (d->routes_on)
		targets_add_source(&d->targets, "routed", routes_match,
				   routes_next, &d->routes);
	d->targets.own = uplink_is_own;
	d->targets.own_ctx = &d->up;
}

/* A target --live has found, for an NS that waited. */
static void answer_found(void *arg, const struct ndp_ns *ns)
{
	responder_answer(arg, ns);
}

/* A new guest's /128 (routes.c), or a container's address (docker.c). */
static void announce_address(void *arg, const struct in6_addr *addr)
{
	responder_announce(arg, addr);
}

static void write_metrics(struct daemon *d)
{
	int err;

	if ((err = metrics_write(&d->metrics, &d->msrc)) < 0) {
		if (!d->said_metrics)
			log_warnc(-err, "metrics_write path=%s",
				  d->metrics.tmp);
		d->said_metrics = true;
		return;
	}
	if (d->said_metrics)
		log_info("metrics_written path=%s", d->metrics_path);
	d->said_metrics = false;
}

/* Before the sandbox: the timer. After it, the first write, which
 * says at once whether the file can be written as the loop's user. */
static void open_metrics(struct daemon *d)
{
	int err;

	d->msrc = (struct metrics_sources){
		.ifname = d->ifname, .resp = &d->resp, .targets = &d->targets,
		.up = &d->up, .docker = d->docker.nnets ? &d->docker : NULL,
		.routes = d->routes_on ? &d->routes : NULL,
		.live = d->live ? &d->neigh : NULL,
	};
	d->msrc.static_prefixes = d->set.n;
	if (d->metrics_path &&
	    (err = metrics_open(&d->metrics, d->metrics_path)) < 0)
		fatalc(-err, "metrics_file path=%s", d->metrics_path);
}

static void first_metrics(struct daemon *d)
{
	int err;

	if (!d->metrics_path)
		return;
	/* No getuid() here: the filter is in place (the sandbox line
	 * said which user this is). */
	if ((err = metrics_write(&d->metrics, &d->msrc)) < 0)
		fatalc(-err, "metrics_file path=%s: cannot write %s as the "
		       "daemon's user (give %s to that user, or make it "
		       "group-writable)", d->metrics_path, d->metrics.tmp,
		       d->metrics_dir);
}

static void open_routes(struct daemon *d)
{
	int err;

	if (!d->routes_on)
		return;
	d->routes.uplink = &d->up.ifindex;
	d->routes.announce = announce_address;
	d->routes.arg = &d->resp;
	if ((err = routes_open(&d->routes)) < 0)
		fatalc(-err, "routes");
	if (!d->live)
		return;
	d->neigh.answer = answer_found;
	d->neigh.arg = &d->resp;
	d->routes.live = &d->neigh;
	if ((err = neigh_open(&d->neigh)) < 0)
		fatalc(-err, "neighbours");
}

/*
 * First thing in main(): a signal during setup (which may pin the
 * gateway) must wait for the loop, which releases the pin on its way
 * out, instead of killing us with the pin left in place. signalfd
 * reads what is pending by then.
 */
static void block_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, set, NULL) < 0) {
		perror("ndpresponder: sigprocmask");
		exit(1);
	}
	(void)signal(SIGPIPE, SIG_IGN);
}



/* Returns true when it is time to go. */
static bool handle_signals(struct daemon *d)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			log_info("exit signal=%s",
				 si.ssi_signo == SIGINT ? "INT" : "TERM");
			return true;
		case SIGHUP:
			reload(d);
			break;
		default:		/* SIGUSR1 */
			responder_log_counters(&d->resp, "counters");
			docker_log_counters(&d->docker);
			if (d->live)
				neigh_log_counters(&d->neigh);
			break;
		}
	}
	return false;
}

/* Follow the uplink: re-bind when it was re-created, re-announce. */
static void uplink_changed(struct daemon *d)
{
	unsigned c = uplink_take_changes(&d->up);
	int err;

	/* A new link, even under the old index (deleted and created
	 * again, or back from another namespace): the kernel unbound the
	 * socket when the old one went. */
	if ((c & UPLINK_CHANGED_INDEX) && d->up.ifindex) {
		if ((err = responder_bind(&d->resp)) < 0) {
			log_warnc(-err, "rebind interface=%s ifindex=%d",
				  d->ifname, d->up.ifindex);
			return;
		}
		log_info("rebind interface=%s ifindex=%d", d->ifname,
			 d->up.ifindex);
	}
	/* Announce again on a new link, MAC or gateway. */
	if ((c & (UPLINK_CHANGED_INDEX | UPLINK_CHANGED_MAC |
		  UPLINK_CHANGED_UP)) ||
	    ((c & UPLINK_CHANGED_GATEWAY) && uplink_gateway(&d->up)))
		responder_announce_all(&d->resp);
}

static int run(struct daemon *d)
{
	enum { SIG, SUMMARY, ANNOUNCE, NETLINK, RETRY, PACKET, ROUTES, NEIGH,
	       METRICS, DOCKER, NFDS = DOCKER + DOCKER_NFDS };
	struct pollfd pfd[NFDS] = {
		[SIG] = { .fd = d->sigfd, .events = POLLIN },
		[SUMMARY] = { .fd = d->resp.timerfd, .events = POLLIN },
		[ANNOUNCE] = { .fd = d->resp.aq.timerfd, .events = POLLIN },
		[NETLINK] = { .fd = d->up.ev.fd, .events = POLLIN },
		[RETRY] = { .fd = d->up.timerfd, .events = POLLIN },
		[PACKET] = { .fd = d->resp.fd, .events = POLLIN },
		[ROUTES] = { .fd = d->routes_on ? d->routes.ev.fd : -1,
			     .events = POLLIN },
		[NEIGH] = { .fd = d->live ? d->neigh.ev.fd : -1,
			    .events = POLLIN },
		[METRICS] = { .fd = d->metrics_path ? d->metrics.timerfd : -1,
			      .events = POLLIN },
	};

	for (;;) {
		/* Docker's sockets come and go; -1 entries are ignored. */
		docker_pollfds(&d->docker, pfd + DOCKER);
		if (poll(pfd, NFDS, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("poll");
			return 1;
		}
		if (pfd[SIG].revents && handle_signals(d))
			return 0;
		if (pfd[SUMMARY].revents)
			responder_summary_tick(&d->resp);
		if (pfd[ANNOUNCE].revents)
			responder_announce_tick(&d->resp);
		if (pfd[NETLINK].revents)
			uplink_events(&d->up);
		if (pfd[RETRY].revents)
			uplink_timer(&d->up);
		if (pfd[NETLINK].revents || pfd[RETRY].revents)
			uplink_changed(d);
		/* Routes before packets: an answer sees the newest. */
		if (pfd[ROUTES].revents)
			routes_events(&d->routes);
		if (pfd[NEIGH].revents)
			neigh_events(&d->neigh);
		if (pfd[PACKET].revents)
			responder_receive(&d->resp, pfd[PACKET].revents);
		/* Claims and probes the answers noted, after the answers. */
		uplink_work(&d->up);
		if (d->live)
			neigh_work(&d->neigh);
		docker_process(&d->docker, pfd + DOCKER);
		if (pfd[METRICS].revents && metrics_due(&d->metrics))
			write_metrics(d);
		/* Written when something changed, at most every 10 s. */
		if (d->metrics_path)
			metrics_note(&d->metrics,
				     metrics_collect(&d->metrics, &d->msrc,
						     false));
	}
}

/* --check: findings on stdout, exit 0 when there are none. */
static _Noreturn void run_check(struct daemon *d)
{
	struct check c = {
		.ifname = d->ifname, .statics = &d->set,
		.routed = &d->routed_set, .autoscope = d->routes.autoscope,
		.table = d->routes.table,
		.docker = d->docker.nnets ? &d->docker : NULL,
		.sysctl_root = "/proc/sys",
	};
	int n, fd;

	/* Findings on stdout, one line each; the log only for errors. */
	log_init(LOG_ERROR);
	n = check_run(&c);
	if (n < 0)
		fatal("check interface=%s", d->ifname);
	/* The one privilege the start needs that nothing above asked. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		printf("ndpresponder: check: cannot open a packet socket (%s): "
		       "run as root or with CAP_NET_RAW\n", strerror(errno));
		n++;
	} else {
		close(fd);
	}
	if (n == 0)
		printf("ndpresponder: check: %s: no problem found\n",
		       d->ifname);
	exit(n ? 1 : 0);
}

int main(int argc, char *argv[])
{
	static struct daemon d;
	char mac[NDP_MAC_STRLEN];
	sigset_t sigs;
	int rc;

	block_signals(&sigs);
	parse_config(&d, argc, argv);
	if (d.check)
		run_check(&d);
	add_sources(&d);
	open_uplink(&d);
	responder_open(&d.resp, d.ifname, &d.up, &d.targets);
	open_routes(&d);
	if ((d.sigfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		fatal("signalfd");
	docker_start(&d.docker, announce_address, &d.resp);
	open_metrics(&d);
	/* Pinning and --live's probes change neighbour entries. */
	d.sandbox.keep_net_admin = d.pin || d.live;
	d.sandbox.needs_inet6_dgram = d.pin;
	sandbox_enter(&d.sandbox);
	first_metrics(&d);

	ndp_format_mac(d.up.mac, mac);
	log_info("start version=%s interface=%s ifindex=%d mac=%s "
		 "prefixes=%zu routed=%zu auto=%s live=%s routes=%zu "
		 "unicast=%s pin_gateway=%s", VERSION, d.ifname, d.up.ifindex,
		 mac, d.set.n, d.routed_set.n,
		 d.routes.autoscope ? "yes" : "no", d.live ? "yes" : "no",
		 d.routes.t.n, d.targets.unicast ? "yes" : "no",
		 d.pin ? "yes" : "no");
	if (d.announce)
		responder_announce_all(&d.resp);
	rc = run(&d);
	uplink_release(&d.up);
	responder_log_counters(&d.resp, "counters");
	return rc;
}
