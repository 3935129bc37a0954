/*
 * docker.c - Docker network mode, see docker.h.
 *
 * A (re)connection goes: GET /_ping, whose Api-Version header names
 * the API version dockerd speaks; then GET /events filtered to our
 * networks, kept open; once its headers arrive, GET /networks/NAME for
 * each network in turn. Subscribing before querying means no change
 * can fall between the two. An event does not say enough (a restart is
 * a disconnect and a connect milliseconds apart, a disconnect can come
 * twice), so it only marks its network to be queried again, after a
 * short debounce. While dockerd is away the last known addresses stay
 * answered; reconnects back off from 1 s to 60 s, but to 5 s at most
 * while nothing accepts on the socket: a refused connect(2) costs
 * nothing, and an engine back is then followed within 5 s.
 *
 * The version: a fixed /v1.41 path is refused by Docker Engine 29.0
 * and later (minimum API 1.44), and dockerd 20.10 knows nothing newer
 * than 1.41; the version /_ping reports works on both, and 1.41 is the
 * fallback when the header is missing.
 *
 * Podman (4.3, measured): /_ping says Libpod-Api-Version beside
 * Api-Version 1.41, and we speak the compatible API to it. Its
 * GET /networks/NAME lists the containers with IPv6Address as dockerd
 * does, which libpod's own network inspect does not; its /events is
 * the same code under both prefixes. But that stream differs:
 * - a "network" key in the filters gets an empty 200 that closes;
 * - `podman run --network` and `podman rm` give container events
 *   (init, start, died, cleanup, remove) and no network event; only
 *   network connect/disconnect are of Type network, and they name the
 *   container, not the network;
 * - no response header comes before the first event, which may be
 *   hours away.
 * So we subscribe to those container and network events, each of which
 * has every network read again (debounced: a start is three events);
 * and we cannot wait for the headers to know the subscription holds.
 * Instead the request asks for the events since a second before it was
 * sent, which Podman replays from its event log: whatever changes
 * after the networks are read is in the stream, however late the
 * service begins to follow its log. The queries start once the request
 * is sent. Networks are created without an event: a network missing at
 * first is read again with each container event, when it matters.
 *
 * Besides connect and disconnect we follow create and destroy, so that
 * a network that did not exist (404, one WARN) is picked up as soon as
 * it is created, with no polling while all is quiet.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "docker.h"
#include "json.h"
#include "log.h"
#include "ndp.h"

#ifndef VERSION
#define VERSION "dev"
#endif

#define API_FALLBACK		"1.41"
#define BACKOFF_MIN_MS		1000
#define BACKOFF_MAX_MS		60000
#define CONNECT_RETRY_MAX_MS	5000	/* while connect(2) fails */
#define SINCE_MARGIN_S		1	/* Podman: events replayed */
#define DEBOUNCE_MS		50
#define TIMEOUT_MS		10000	/* for an answer, not the stream */
#define PING_BODY_MAX		4096
#define NETWORK_BODY_MAX	(4u << 20)
#define EVENT_LINE_MAX		(64u << 10)
#define BUF_KEEP		(64u << 10)	/* larger buffers are freed */
#define READS_PER_WAKEUP	8	/* then the packet path gets a turn */
#define SAMPLE_MAX		3	/* addresses an INFO line names */

enum { PHASE_DOWN, PHASE_PING, PHASE_SUBSCRIBE, PHASE_UP };
enum { C_CLOSED, C_CONNECTING, C_SENDING, C_READING };
enum { K_PING, K_EVENTS, K_NETWORK };

/* A string from dockerd, escaped for a key="value" of the log. */
#define ESC(buf, s)	log_escape(buf, sizeof(buf), s, strlen(s))

struct out {
	char *p;
	size_t n, cap;
	bool overflow;
};

__attribute__((format(printf, 2, 3)))
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	/* clang 14 misreports this after log.c in one run; see vlog. */
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
	k = vsnprintf(o->p + o->n, o->cap - o->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= o->cap - o->n)
		o->overflow = true;
	else
		o->n += (size_t)k;
}


bool docker_network_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > DOCKER_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-')))
			return false;
	}
	return true;
}

const char *docker_add_network(struct docker *d, const char *name)
{
	if (!docker_network_name_ok(name))
		return "not a Docker network name ([A-Za-z0-9][A-Za-z0-9_.-]*, "
		       "at most 128 characters)";
	for (size_t i = 0; i < d->nnets; i++)
		if (strcmp(d->nets[i].name, name) == 0)
			return NULL;		/* given twice: once is enough */
	if (d->nnets == DOCKER_NETS_MAX)
		return "too many Docker networks (at most 32)";
	memcpy(d->nets[d->nnets++].name, name, strlen(name) + 1);
	return NULL;
}

const char *docker_set_host(struct docker *d, const char *host)
{
	const char *path = DOCKER_SOCKET_DEFAULT;
	size_t n;

	if (host && *host) {
		if (strncmp(host, "unix://", 7) != 0)
			return "only unix://PATH is supported";
		path = host + 7;
	}
	n = strlen(path);
	if (n == 0)
		return "empty socket path";
	if (n >= sizeof(d->sun.sun_path))
		return "socket path too long";
	memset(&d->sun, 0, sizeof(d->sun));
	d->sun.sun_family = AF_UNIX;
	memcpy(d->sun.sun_path, path, n + 1);
	d->sun_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return NULL;
}

/* ------------------------------------------------------------ set */

static size_t total_addresses(const struct docker *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->nnets; i++)
		n += d->nets[i].naddr;
	return n;
}

/* Rebuild the lookup set from all networks' addresses. */
static void rebuild_set(struct docker *d)
{
	size_t n = total_addresses(d), k = 0;
	struct in6_addr *v;

	if (n == 0) {
		free(d->set);
		d->set = NULL;
		d->nset = 0;
		return;
	}
	if (!(v = calloc(n, sizeof(*v)))) {
		log_errorx("docker_out_of_memory addresses=%zu", n);
		return;
	}
	for (size_t i = 0; i < d->nnets; i++)
		for (size_t j = 0; j < d->nets[i].naddr; j++)
			v[k++] = d->nets[i].addr[j];
	/* Not qsort(3): glibc's asks sysconf(_SC_PHYS_PAGES), that is
	 * sysinfo(2), the first time it sorts 1 KiB or more, which the
	 * seccomp allow-list rightly does not have. Unique: a container
	 * may be on two networks. */
	free(d->set);
	d->set = v;
	d->nset = ndp_addr_set_make(v, n);
}

bool docker_contains(const struct docker *d, const struct in6_addr *addr)
{
	return ndp_addr_set_contains(d->set, d->nset, addr);
}

/* "ADDR,ADDR,ADDR" and ",..." past SAMPLE_MAX, for an INFO line. */
static void sample(struct out *o, size_t count, const struct in6_addr *a)
{
	char s[NDP_ADDR_STRLEN];

	if (count <= SAMPLE_MAX)
		put(o, "%s%s", count > 1 ? "," : "", ndp_format_addr(a, s));
	else if (count == SAMPLE_MAX + 1)
		put(o, ",...");
}

/*
 * Make ep[0..n) (sorted by address, unique) net's addresses. One merge
 * walk counts what came and went; once the lookup set has the new
 * ones, a second walk announces them, so the echoes find answers
 * ready. With thousands of containers a line per address would flood
 * the log at each resync: INFO says how many, DEBUG which.
 */
static void update_network(struct docker *d, struct docker_net *net,
			   const struct docker_endpoint *ep, size_t n)
{
	char add_s[SAMPLE_MAX * (NDP_ADDR_STRLEN + 1) + 8] = "";
	char rm_s[sizeof(add_s)] = "";
	struct out oa = { .p = add_s, .cap = sizeof(add_s) };
	struct out orm = { .p = rm_s, .cap = sizeof(rm_s) };
	struct in6_addr *v = NULL, *old = net->addr;
	size_t nold = net->naddr, added = 0, removed = 0;
	bool debug = log_enabled(LOG_DEBUG);
	char a[NDP_ADDR_STRLEN], e[LOG_ESCAPE_MAX];

	if (n > 0 && !(v = calloc(n, sizeof(*v)))) {
		log_errorx("docker_out_of_memory network=%s addresses=%zu",
			   net->name, n);
		return;
	}
	for (size_t k = 0; k < n; k++)
		v[k] = ep[k].addr;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0, j = 0; i < nold || j < n;) {
			int c = i == nold ? 1 : j == n ? -1 :
				ndp_addr_cmp(&old[i], &v[j]);

			if (c < 0 && pass == 0) {
				sample(&orm, ++removed, &old[i]);
				if (debug)
					log_debug("docker_address_removed "
						  "network=%s address=%s",
						  net->name,
						  ndp_format_addr(&old[i], a));
			} else if (c > 0 && pass == 0) {
				sample(&oa, ++added, &v[j]);
				if (debug)
					log_debug("docker_address_added "
						  "network=%s address=%s "
						  "container=\"%s\"", net->name,
						  ndp_format_addr(&v[j], a),
						  ESC(e, ep[j].name));
			} else if (c > 0 && d->announce) {
				d->announce(d->arg, &v[j]);
			}
			i += c <= 0;
			j += c >= 0;
		}
		if (pass == 0) {
			net->addr = v;
			net->naddr = n;
			if (!added && !removed)
				break;
			rebuild_set(d);
			log_info("docker_addresses network=%s added=%zu "
				 "removed=%zu total=%zu%s%s%s%s", net->name,
				 added, removed, n, added ? " added_sample=" : "",
				 add_s, removed ? " removed_sample=" : "", rm_s);
		}
	}
	free(old);
}

/* ------------------------------------------------------------ timer */

/* The earliest time something is due; 0: none. */
static uint64_t next_due(const struct docker *d)
{
	uint64_t t = 0, c[] = { d->retry_at, d->debounce_at, d->ev.deadline,
			       d->q.deadline };

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (c[i] && (!t || c[i] < t))
			t = c[i];
	return t;
}

static void rearm(struct docker *d)
{
	uint64_t t = next_due(d);
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	if (t == d->armed)
		return;
	its.it_value.tv_sec = (time_t)(t / 1000);
	its.it_value.tv_nsec = (long)(t % 1000) * 1000000;
	if (timerfd_settime(d->timerfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
		log_warn("docker_timer");
		return;
	}
	d->armed = t;
}

/* ------------------------------------------------------------ state */

static const char *kind_name(const struct docker_conn *c)
{
	return c->kind == K_PING ? "ping" : c->kind == K_EVENTS ? "events" :
	       "network";
}

static void conn_close(struct docker_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->state = C_CLOSED;
	c->deadline = 0;
	c->len = 0;
	c->skipping = false;
	if (c->cap > BUF_KEEP) {
		free(c->buf);
		c->buf = NULL;
		c->cap = 0;
	}
}

/* Drop both connections and try again after the backoff, or cap_ms if
 * that is sooner; the delay. */
static unsigned go_down(struct docker *d, unsigned cap_ms)
{
	unsigned delay = d->backoff_ms < cap_ms ? d->backoff_ms : cap_ms;

	conn_close(&d->q);
	conn_close(&d->ev);
	d->phase = PHASE_DOWN;
	d->syncing = false;
	d->debounce_at = 0;
	d->retry_at = clock_ms() + delay;
	d->backoff_ms = d->backoff_ms > BACKOFF_MAX_MS / 2 ? BACKOFF_MAX_MS :
			d->backoff_ms * 2;
	return delay;
}

/* dockerd cannot be reached, went away, or does not answer. Nothing
 * accepting the connection is cheap to ask again: see the top. */
static void lost(struct docker *d, const char *what, const char *why)
{
	unsigned cap = strcmp(what, "connect") == 0 ? CONNECT_RETRY_MAX_MS :
		       BACKOFF_MAX_MS, delay;

	d->c.lost++;
	delay = go_down(d, cap);
	if (!d->said_down)
		log_warnx("docker_unreachable socket=%s what=%s error=\"%s\" "
			  "addresses=%zu (still answered; retrying, at most "
			  "every %u s)", d->sun.sun_path, what, why,
			  d->nset, cap / 1000);
	else
		log_debug("docker_retry_failed what=%s error=\"%s\" "
			  "retry_ms=%u", what, why, delay);
	d->said_down = true;
}

/* dockerd said something we cannot take: count, log, reconnect. */
static void protocol_error(struct docker *d, const char *what,
			   const char *detail)
{
	unsigned delay = go_down(d, BACKOFF_MAX_MS);

	log_warnx("docker_error what=%s detail=\"%s\" http_errors=%" PRIu64
		  " json_errors=%" PRIu64 " status_errors=%" PRIu64
		  " retry_ms=%u", what, detail, d->c.http_errors,
		  d->c.json_errors, d->c.status_errors, delay);
}

static void schedule_queries(struct docker *d, bool all)
{
	if (all)
		for (size_t i = 0; i < d->nnets; i++)
			d->nets[i].dirty = true;
	if (!d->debounce_at)
		d->debounce_at = clock_ms() + DEBOUNCE_MS;
}

/* ------------------------------------------------------------ requests */

/* Percent-encode all but RFC 3986 unreserved characters. */
static void put_query(struct out *o, const char *s)
{
	for (; *s && !o->overflow; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			put(o, "%c", c);
		else
			put(o, "%%%02X", c);
	}
}

static bool build_request(struct docker *d, struct docker_conn *c)
{
	struct out o = { .p = c->req, .cap = sizeof(c->req) };

	if (c->kind == K_PING) {
		put(&o, "GET /_ping");
	} else if (c->kind == K_NETWORK) {
		/* Names are [A-Za-z0-9_.-]: nothing to encode. */
		put(&o, "GET /v%s/networks/%s", d->api,
		    d->nets[c->net].name);
	} else if (d->podman) {
		/* libpod's names ("died"); the stream says "die". No network
		 * key: see the top. */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		put(&o, "GET /v%s/events?since=%lld&filters=", d->api,
		    (long long)ts.tv_sec - SINCE_MARGIN_S);
		put_query(&o, "{\"type\":[\"container\",\"network\"],"
			  "\"event\":[\"init\",\"start\",\"restart\","
			  "\"restore\",\"died\",\"cleanup\",\"remove\","
			  "\"connect\",\"disconnect\"]}");
	} else {
		char filters[DOCKER_REQ_MAX / 2] = "";
		struct out f = { .p = filters, .cap = sizeof(filters) };

		put(&f, "{\"type\":[\"network\"],\"event\":[\"connect\","
		    "\"disconnect\",\"create\",\"destroy\"],\"network\":[");
		for (size_t i = 0; i < d->nnets; i++)
			put(&f, "%s\"%s\"", i ? "," : "", d->nets[i].name);
		put(&f, "]}");
		put(&o, "GET /v%s/events?filters=", d->api);
		put_query(&o, filters);
		o.overflow |= f.overflow;
	}
	put(&o, " HTTP/1.1\r\nHost: docker\r\nUser-Agent: ndpresponder/%s\r\n"
	    "Accept: application/json\r\nConnection: close\r\n\r\n", VERSION);
	c->req_len = o.n;
	c->req_off = 0;
	return !o.overflow;
}

/* ------------------------------------------------------------ sockets */

static void subscribed(struct docker *d);

/* The request is out. Podman's event stream sends no headers until an
 * event: subscribed now, see the top. */
static void on_sent(struct docker *d, struct docker_conn *c)
{
	if (c->kind == K_EVENTS && d->podman) {
		c->deadline = 0;
		subscribed(d);
	}
}

/* Send what is left of the request; 0, or -errno. */
static int conn_send(struct docker_conn *c)
{
	while (c->req_off < c->req_len) {
		ssize_t n = send(c->fd, c->req + c->req_off,
				 c->req_len - c->req_off, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		c->req_off += (size_t)n;
	}
	c->state = C_READING;
	return 0;
}

/* Open c and send its request (or start to); 0, or -errno. */
static int conn_open(struct docker *d, struct docker_conn *c, int kind,
		     size_t net)
{
	int fd, err;

	c->kind = kind;
	c->net = net;
	c->len = 0;
	c->skipping = false;
	c->max = kind == K_NETWORK ? NETWORK_BODY_MAX :
		 kind == K_EVENTS ? EVENT_LINE_MAX : PING_BODY_MAX;
	/* The event stream has no end; its lines are capped instead. */
	http_reader_init(&c->http, kind == K_EVENTS ? 0 : c->max);
	if (kind == K_PING) {
		http_want(&c->http, "Api-Version");
		http_want(&c->http, "Libpod-Api-Version");
		http_want(&c->http, "Server");
	}
	if (!build_request(d, c))
		return -ENAMETOOLONG;	/* cannot happen within the caps */
	c->gen = ++d->gen;
	c->deadline = clock_ms() + TIMEOUT_MS;
	if (d->test) {			/* docker_test_read feeds it */
		c->req_off = c->req_len;
		c->state = C_READING;
		on_sent(d, c);
		return 0;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	c->fd = fd;
	if (connect(fd, (const struct sockaddr *)&d->sun, d->sun_len) == 0) {
		c->state = C_SENDING;
	} else if (errno == EINPROGRESS) {
		c->state = C_CONNECTING;
		return 0;
	} else {
		err = errno;
		conn_close(c);
		return -err;
	}
	if ((err = conn_send(c)) < 0) {
		conn_close(c);
		return err;
	}
	if (c->state == C_READING)	/* last: it may open the query */
		on_sent(d, c);
	return 0;
}

/* Connect again: the ping first. */
static void reconnect(struct docker *d)
{
	int err;

	d->phase = PHASE_PING;
	if ((err = conn_open(d, &d->q, K_PING, 0)) < 0)
		lost(d, "connect", strerror(-err));
}

/* ------------------------------------------------------------ networks */

static int endpoint_cmp(const void *x, const void *y)
{
	const struct docker_endpoint *a = x, *b = y;

	return ndp_addr_cmp(&a->addr, &b->addr);
}

/*
 * "ADDR/LEN" or "ADDR", as Docker writes IPv6Address: checked whole by
 * ndp_prefix_parse, then ADDR alone, a /128, keeps its host bits.
 */
static bool parse_address(const char *s, struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];
	size_t n = strcspn(s, "/");
	struct ndp_prefix p;
	bool host_bits;

	if (n >= sizeof(buf) || ndp_prefix_parse(s, &p, &host_bits))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (ndp_prefix_parse(buf, &p, &host_bits))
		return false;
	*a = p.addr;
	return !ndp_addr_is_multicast(a) && !ndp_addr_is_unspecified(a);
}

bool docker_parse_network(const char *body, size_t len,
			  char id[DOCKER_ID_MAX + 1],
			  struct docker_endpoint **out, size_t *nout)
{
	struct json_value doc, v, cts, key, ct, a;
	struct docker_endpoint *ep = NULL;
	struct json_iter it;
	size_t n = 0, cap = 0, k;

	*out = NULL;
	*nout = 0;
	id[0] = '\0';
	if (!json_parse(body, len, &doc) || doc.type != JSON_OBJECT)
		return false;
	if (!json_find(&doc, "Id", &v) ||
	    json_string(&v, id, DOCKER_ID_MAX + 1) < 0)
		id[0] = '\0';
	/* No containers: {} or, from some versions, null or nothing. */
	if (!json_find(&doc, "Containers", &cts) || cts.type == JSON_NULL)
		return true;
	if (cts.type != JSON_OBJECT)
		return false;
	json_iter_init(&it, &cts);
	while (json_next_member(&it, &key, &ct)) {
		char s[INET6_ADDRSTRLEN + 8];
		struct docker_endpoint e;

		if (ct.type != JSON_OBJECT)
			goto bad;
		/* IPv6Address is "" for a container without IPv6. */
		if (!json_find(&ct, "IPv6Address", &a) ||
		    json_string(&a, s, sizeof(s)) <= 0)
			continue;
		if (!parse_address(s, &e.addr)) {
			char esc[LOG_ESCAPE_MAX];

			log_debug("docker_bad_address value=\"%s\"",
				  ESC(esc, s));
			continue;
		}
		/* As given: only the log uses it, through log_escape. */
		if (!json_find(&ct, "Name", &v) ||
		    json_string(&v, e.name, sizeof(e.name)) <= 0)
			strcpy(e.name, "?");
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct docker_endpoint *nep;

			nep = reallocarray(ep, ncap, sizeof(*ep));
			if (!nep)
				goto bad;
			ep = nep;
			cap = ncap;
		}
		ep[n++] = e;
	}
	ndp_sort(ep, n, sizeof(*ep), endpoint_cmp);
	for (k = 0; k < n; k++)		/* unique */
		if (*nout == 0 || ndp_addr_cmp(&ep[*nout - 1].addr, &ep[k].addr))
			ep[(*nout)++] = ep[k];
	*out = ep;
	return true;
bad:
	free(ep);
	*nout = 0;
	return false;
}

static void network_missing(struct docker *d, struct docker_net *net)
{
	if (!net->missing)
		log_warnx("docker_network_missing network=%s (dockerd has no "
			  "such network; picked up when it is created)",
			  net->name);
	net->missing = true;
	net->id[0] = '\0';
	update_network(d, net, NULL, 0);
}

static void network_done(struct docker *d, struct docker_conn *c)
{
	struct docker_net *net = &d->nets[c->net];
	struct docker_endpoint *ep;
	char id[LOG_ESCAPE_MAX];
	size_t n;

	d->c.queries++;
	if (!docker_parse_network(c->buf, c->len, net->id, &ep, &n)) {
		d->c.json_errors++;
		protocol_error(d, "network_json", net->name);
		return;
	}
	conn_close(c);
	/* The short form, as docker(1) shows it. */
	log_escape(id, sizeof(id), net->id, strnlen(net->id, 12));
	if (net->missing)
		log_info("docker_network_found network=%s id=\"%s\"",
			 net->name, id);
	net->missing = false;
	update_network(d, net, ep, n);
	free(ep);
	log_debug("docker_network network=%s id=\"%s\" addresses=%zu",
		  net->name, id, net->naddr);
}

/* Query the next network that needs it, one at a time. */
static void next_query(struct docker *d)
{
	int err;

	if (d->phase != PHASE_UP || d->q.state != C_CLOSED || d->debounce_at)
		return;
	for (size_t i = 0; i < d->nnets; i++) {
		if (!d->nets[i].dirty)
			continue;
		d->nets[i].dirty = false;
		if ((err = conn_open(d, &d->q, K_NETWORK, i)) < 0)
			lost(d, "connect", strerror(-err));
		return;
	}
	if (!d->syncing)
		return;
	/* All networks read since (re)connecting. */
	d->syncing = false;
	d->backoff_ms = BACKOFF_MIN_MS;
	if (!d->said_up || d->said_down)
		log_info("docker_connected socket=%s engine=%s%s%s api=%s "
			 "networks=%zu addresses=%zu", d->sun.sun_path,
			 d->podman ? "podman" : "docker",
			 d->libpod[0] ? " libpod=" : "", d->libpod, d->api,
			 d->nnets, d->nset);
	d->said_up = true;
	d->said_down = false;
}

/* ------------------------------------------------------------ events */

static void bad_event(struct docker *d, const char *why, size_t len)
{
	d->c.json_errors++;
	/* At most a line per doubling: a flood cannot flood the log. */
	if ((d->c.json_errors & (d->c.json_errors - 1)) == 0)
		log_warnx("docker_bad_event why=%s bytes=%zu json_errors=%"
			  PRIu64, why, len, d->c.json_errors);
	schedule_queries(d, true);	/* whatever it said, look again */
}

static void str_or_empty(const struct json_value *obj, const char *key,
			 char *out, size_t size)
{
	struct json_value v;

	if (obj->type != JSON_OBJECT || !json_find(obj, key, &v) ||
	    json_string(&v, out, size) < 0)
		out[0] = '\0';
}

/*
 * {"Type":"network","Action":"connect","Actor":{"ID":NETID,"Attributes":
 * {"container":CID,"name":NETNAME,"type":"bridge"}},...}. Fields that
 * are missing or do not fit are "".
 */
bool docker_parse_event(const char *line, size_t len, struct docker_event *e)
{
	struct json_value doc, actor, attrs;

	memset(e, 0, sizeof(*e));
	if (!json_parse(line, len, &doc) || doc.type != JSON_OBJECT)
		return false;
	str_or_empty(&doc, "Type", e->type, sizeof(e->type));
	str_or_empty(&doc, "Action", e->action, sizeof(e->action));
	if (!json_find(&doc, "Actor", &actor))
		actor.type = JSON_NULL;
	str_or_empty(&actor, "ID", e->id, sizeof(e->id));
	if (actor.type != JSON_OBJECT ||
	    !json_find(&actor, "Attributes", &attrs))
		attrs.type = JSON_NULL;
	str_or_empty(&attrs, "name", e->network, sizeof(e->network));
	str_or_empty(&attrs, "container", e->container, sizeof(e->container));
	return true;
}

/* An event only says which network to query again. */
static void handle_event(struct docker *d, const char *line, size_t len)
{
	struct docker_event e;
	bool matched = false;
	size_t k = 0;

	while (k < len && (line[k] == ' ' || line[k] == '\t' ||
			   line[k] == '\r'))
		k++;
	if (k == len)
		return;				/* a blank line */
	if (!docker_parse_event(line, len, &e)) {
		bad_event(d, "malformed", len);
		return;
	}
	d->c.events++;
	if (d->podman) {
		/* A container's or a connection's: which networks it
		 * touched is not said (see the top), so read them all. */
		if (log_enabled(LOG_DEBUG)) {
			char t[LOG_ESCAPE_MAX], a[LOG_ESCAPE_MAX];
			char n[LOG_ESCAPE_MAX];

			log_debug("docker_event type=\"%s\" action=\"%s\" "
				  "name=\"%s\"", ESC(t, e.type),
				  ESC(a, e.action), ESC(n, e.network));
		}
		if (strcmp(e.type, "container") == 0 ||
		    strcmp(e.type, "network") == 0)
			schedule_queries(d, true);
		return;
	}
	if (e.type[0] && strcmp(e.type, "network") != 0)
		return;
	for (size_t i = 0; i < d->nnets; i++) {
		struct docker_net *net = &d->nets[i];

		if ((e.network[0] && strcmp(e.network, net->name) == 0) ||
		    (e.id[0] && net->id[0] && strcmp(e.id, net->id) == 0)) {
			net->dirty = true;
			matched = true;
		}
	}
	if (log_enabled(LOG_DEBUG)) {
		char a[LOG_ESCAPE_MAX], n[LOG_ESCAPE_MAX], ct[LOG_ESCAPE_MAX];

		log_debug("docker_event action=\"%s\" network=\"%s\" "
			  "container=\"%s\" matched=%s", ESC(a, e.action),
			  ESC(n, e.network),
			  log_escape(ct, sizeof(ct), e.container,
				     strnlen(e.container, 12)),
			  matched ? "yes" : "no");
	}
	/* dockerd filters by name prefix too ("web" lets "web2" through);
	 * only an event that names nothing makes us look at everything. */
	if (matched || (!e.network[0] && !e.id[0]))
		schedule_queries(d, !matched);
}

/*
 * Append to c->buf, growing it up to c->max: to twice its size (at
 * least 4 KiB), or at once to a Content-Length that holds it, and never
 * to less than what is needed. No loop: no header can make it spin, as
 * a Content-Length of 0 beside chunked coding once did.
 */
static bool body_append(struct docker_conn *c, const char *p, size_t n)
{
	size_t need, cap;
	char *b;

	if (n == 0)
		return true;
	if (n > c->max - c->len)
		return false;
	need = c->len + n;
	if (need > c->cap) {
		cap = c->cap > c->max / 2 ? c->max : c->cap * 2;
		if (cap < 4096)
			cap = 4096;
		if (c->http.has_length && c->http.length >= need &&
		    c->http.length <= c->max)
			cap = (size_t)c->http.length;
		if (cap < need)
			cap = need;
		if (cap > c->max)
			cap = c->max;
		if (!(b = realloc(c->buf, cap)))
			return false;
		c->buf = b;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, p, n);
	c->len += n;
	return true;
}

/* Split the event stream into lines, each at most EVENT_LINE_MAX. */
static void event_bytes(struct docker *d, struct docker_conn *c,
			const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) : n;

		if (c->skipping) {
			c->skipping = !nl;
		} else if (!body_append(c, p, k)) {
			bad_event(d, "too_long", c->len + k);
			c->len = 0;
			c->skipping = !nl;
		} else if (nl) {
			handle_event(d, c->buf, c->len);
			c->len = 0;
		}
		if (!nl)
			break;
		p = nl + 1;
		n -= k + 1;
	}
}

/* ------------------------------------------------------------ HTTP */

/* A version as the engines write them: digits and dots. */
static void take_version(char *out, size_t size, const char *v,
			 const char *fallback)
{
	size_t n = v ? strlen(v) : 0;
	bool ok = n > 0 && n < size;

	for (size_t k = 0; ok && k < n; k++)
		ok = (v[k] >= '0' && v[k] <= '9') || v[k] == '.';
	(void)snprintf(out, size, "%s", ok ? v : fallback);
}

/* The API version to use, and which engine this is. */
static void ping_headers(struct docker *d, const struct http_reader *h)
{
	const char *server = http_header(h, "Server");

	take_version(d->api, sizeof(d->api), http_header(h, "Api-Version"),
		     API_FALLBACK);
	take_version(d->libpod, sizeof(d->libpod),
		     http_header(h, "Libpod-Api-Version"), "");
	d->podman = d->libpod[0] ||
		    (server && strncmp(server, "Libpod/", 7) == 0);
}

/* Subscribed: now read every network afresh. */
static void subscribed(struct docker *d)
{
	d->phase = PHASE_UP;
	d->syncing = true;
	d->c.connects++;
	for (size_t i = 0; i < d->nnets; i++)
		d->nets[i].dirty = true;
	next_query(d);
}

static void on_headers(struct docker *d, struct docker_conn *c)
{
	int status = c->http.status;
	char detail[DOCKER_NAME_MAX + LOG_ESCAPE_MAX + 64];
	char reason[LOG_ESCAPE_MAX];
	int err;

	if (c->kind == K_NETWORK && status == 404) {
		conn_close(c);
		network_missing(d, &d->nets[c->net]);
		next_query(d);
		return;
	}
	if (status != 200) {
		d->c.status_errors++;
		/* The reason escaped: no '"' can end detail="..." early. */
		(void)snprintf(detail, sizeof(detail), "status %d%s%s%s%s",
			 status, c->http.reason[0] ? " " : "",
			 ESC(reason, c->http.reason),
			 c->kind == K_NETWORK ? " network " : "",
			 c->kind == K_NETWORK ? d->nets[c->net].name : "");
		protocol_error(d, kind_name(c), detail);
		return;
	}
	if (c->kind == K_PING) {
		ping_headers(d, &c->http);
		conn_close(c);
		d->phase = PHASE_SUBSCRIBE;
		if ((err = conn_open(d, &d->ev, K_EVENTS, 0)) < 0)
			lost(d, "connect", strerror(-err));
	} else if (c->kind == K_EVENTS && !d->podman) {
		c->deadline = 0;
		subscribed(d);
	}
}

static void on_done(struct docker *d, struct docker_conn *c)
{
	if (c->kind == K_NETWORK) {
		network_done(d, c);
		next_query(d);
	} else if (c->kind == K_EVENTS) {
		if (c->len > 0 && !c->skipping)	/* a last unterminated line */
			handle_event(d, c->buf, c->len);
		lost(d, "events", "the event stream ended");
	} else {
		conn_close(c);		/* not reached: ping stops at headers */
	}
}

/* Feed what was read to the HTTP reader and act on what it says. */
static void conn_feed(struct docker *d, struct docker_conn *c, const char *p,
		      size_t len)
{
	unsigned gen = c->gen;

	for (;;) {
		enum http_result r;
		const char *body;
		size_t used, blen;

		r = http_feed(&c->http, p, len, &used, &body, &blen);
		p += used;
		len -= used;
		switch (r) {
		case HTTP_MORE:
			return;
		case HTTP_HEADERS:
			on_headers(d, c);
			break;
		case HTTP_BODY:
			if (c->kind == K_EVENTS) {
				event_bytes(d, c, body, blen);
			} else if (c->kind == K_NETWORK &&
				   !body_append(c, body, blen)) {
				d->c.http_errors++;
				protocol_error(d, kind_name(c),
					       "body too large or no memory");
			}
			break;
		case HTTP_DONE:
			on_done(d, c);
			return;
		case HTTP_ERROR:
			d->c.http_errors++;
			protocol_error(d, kind_name(c), c->http.error);
			return;
		}
		if (c->gen != gen || c->state != C_READING)
			return;		/* closed, or reopened */
	}
}

/* What a read on c gave: p[0..n), or n 0 for the end. Whether c is
 * still the same connection, reading. */
static bool conn_input(struct docker *d, struct docker_conn *c,
		       const char *p, size_t n)
{
	unsigned gen = c->gen;

	if (n == 0) {
		if (http_eof(&c->http) == HTTP_DONE)
			on_done(d, c);
		else
			lost(d, kind_name(c), c->kind == K_EVENTS ?
			     "the event stream ended" :
			     "closed before the end of the answer");
		return false;
	}
	conn_feed(d, c, p, n);
	return c->gen == gen && c->state == C_READING;
}

static void conn_read(struct docker *d, struct docker_conn *c)
{
	for (int k = 0; k < READS_PER_WAKEUP; k++) {
		ssize_t n = read(c->fd, d->rbuf, sizeof(d->rbuf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				lost(d, kind_name(c), strerror(errno));
			return;
		}
		if (!conn_input(d, c, d->rbuf, (size_t)n))
			return;
	}
}

static void conn_ready(struct docker *d, struct docker_conn *c)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (c->state == C_CONNECTING) {
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err) {
			lost(d, "connect", strerror(err));
			return;
		}
		c->state = C_SENDING;
	}
	if (c->state == C_SENDING) {
		if ((err = conn_send(c)) < 0)
			lost(d, kind_name(c), strerror(-err));
		else if (c->state == C_READING)
			on_sent(d, c);
		return;
	}
	if (c->state == C_READING)
		conn_read(d, c);
}

/* ------------------------------------------------------------ loop */

/* Ready to connect at the first timer (from the loop, sandboxed). */
static void begin(struct docker *d, docker_announce_fn fn, void *arg)
{
	d->announce = fn;
	d->arg = arg;
	d->ev.fd = d->q.fd = -1;
	d->backoff_ms = BACKOFF_MIN_MS;
	d->running = true;
	d->retry_at = clock_ms();
}

void docker_start(struct docker *d, docker_announce_fn fn, void *arg)
{
	char names[DOCKER_NETS_MAX * (DOCKER_NAME_MAX + 1)];
	struct out o = { .p = names, .cap = sizeof(names) };
	const char *err;

	if (d->nnets == 0)
		return;
	if (d->sun_len == 0 && (err = docker_set_host(d, NULL)) != NULL)
		fatalx("docker socket: %s", err);
	d->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (d->timerfd < 0)
		fatal("docker timerfd_create");
	for (size_t i = 0; i < d->nnets; i++)
		put(&o, "%s%s", i ? "," : "", d->nets[i].name);
	log_info("docker_start socket=%s networks=%s", d->sun.sun_path, names);
	begin(d, fn, arg);
	rearm(d);
}

void docker_pollfds(struct docker *d, struct pollfd *pfd)
{
	struct docker_conn *cs[2] = { &d->ev, &d->q };

	for (int i = 0; i < 2; i++) {
		pfd[i].fd = d->running ? cs[i]->fd : -1;
		pfd[i].events = cs[i]->state == C_READING ? POLLIN : POLLOUT;
		pfd[i].revents = 0;
		d->polled_gen[i] = cs[i]->gen;
	}
	pfd[2].fd = d->running ? d->timerfd : -1;
	pfd[2].events = POLLIN;
	pfd[2].revents = 0;
}

/* What is due at now. */
static void timers_due(struct docker *d, uint64_t now)
{
	if ((d->q.deadline && now >= d->q.deadline) ||
	    (d->ev.deadline && now >= d->ev.deadline))
		lost(d, "timeout", "no answer within 10 s");
	if (d->retry_at && now >= d->retry_at) {
		d->retry_at = 0;
		reconnect(d);
	}
	if (d->debounce_at && now >= d->debounce_at) {
		d->debounce_at = 0;
		next_query(d);
	}
}

static void timer_fired(struct docker *d)
{
	uint64_t expirations;

	if (read(d->timerfd, &expirations, sizeof(expirations)) < 0 &&
	    errno != EAGAIN)
		log_warn("docker_timer");
	d->armed = 0;			/* one-shot: rearm() sets it anew */
	timers_due(d, clock_ms());
}

void docker_process(struct docker *d, const struct pollfd *pfd)
{
	struct docker_conn *cs[2] = { &d->ev, &d->q };

	if (!d->running)
		return;
	for (int i = 0; i < 2; i++) {
		struct docker_conn *c = cs[i];

		/* Skip a socket closed or replaced since poll saw it. */
		if (pfd[i].revents && c->fd >= 0 && c->fd == pfd[i].fd &&
		    c->gen == d->polled_gen[i])
			conn_ready(d, c);
	}
	if (pfd[2].revents)
		timer_fired(d);
	rearm(d);
}

void docker_log_counters(const struct docker *d)
{
	static const char *const phases[] = { "down", "ping", "subscribe",
					      "up" };

	if (!d->running)
		return;
	log_info("docker_counters state=%s connects=%" PRIu64 " events=%"
		 PRIu64 " queries=%" PRIu64 " http_errors=%" PRIu64
		 " json_errors=%" PRIu64 " status_errors=%" PRIu64 " lost=%"
		 PRIu64 " addresses=%zu", phases[d->phase], d->c.connects,
		 d->c.events, d->c.queries, d->c.http_errors, d->c.json_errors,
		 d->c.status_errors, d->c.lost, d->nset);
}

enum target_match docker_match(void *d, const struct ndp_ns *ns)
{
	return docker_contains(d, &ns->target) ? TARGET_IN_USE : TARGET_NONE;
}

const struct in6_addr *docker_next(const void *d, size_t *cursor)
{
	const struct docker *dk = d;
	size_t i = (*cursor)++;

	return i < dk->nset ? &dk->set[i] : NULL;
}

void docker_reload(struct docker *d)
{
	if (d->running && d->phase == PHASE_UP)
		schedule_queries(d, true);
}

bool docker_connected(const struct docker *d)
{
	return d->running && d->phase == PHASE_UP;
}

/* ------------------------------------------------------------ seam */

void docker_test_begin(struct docker *d, docker_announce_fn fn, void *arg)
{
	d->test = true;
	d->timerfd = -1;
	begin(d, fn, arg);
}

bool docker_test_read(struct docker *d, int conn, const char *in, size_t len)
{
	struct docker_conn *c = conn ? &d->q : &d->ev;

	if (!d->test || c->state != C_READING)
		return false;
	conn_input(d, c, in, len);
	return true;
}

bool docker_test_timer(struct docker *d)
{
	uint64_t t = next_due(d);

	if (!d->test || !t)
		return false;
	timers_due(d, t);
	return true;
}
