/*
 * metrics.c - the Prometheus text file, see metrics.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <net/if.h>

#include "clock.h"
#include "docker.h"
#include "log.h"
#include "metrics.h"
#include "responder.h"
#include "routes.h"

int metrics_open(struct metrics *m, const char *path)
{
	int n = snprintf(m->tmp, sizeof(m->tmp), "%s.tmp", path);

	if (n < 0 || (size_t)n >= sizeof(m->tmp))
		return -ENAMETOOLONG;
	m->path = path;
	m->timerfd = timerfd_create(CLOCK_MONOTONIC,
				    TFD_NONBLOCK | TFD_CLOEXEC);
	return m->timerfd < 0 ? -errno : 0;
}

__attribute__((format(printf, 2, 3)))
static void put(struct metrics *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (m->overflow)
		return;
	va_start(ap, fmt);
	/* va_start is right above; clang 14 misreports this. */
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
	n = vsnprintf(m->buf + m->len, sizeof(m->buf) - m->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(m->buf) - m->len)
		m->overflow = true;
	else
		m->len += (size_t)n;
}

void metrics_begin(struct metrics *m)
{
	m->len = 0;
	m->overflow = false;
}

void metrics_family(struct metrics *m, const char *name, const char *type,
		    const char *help)
{
	put(m, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_sample(struct metrics *m, const char *name, const char *labels,
		    uint64_t value)
{
	put(m, "%s%s%s%s %" PRIu64 "\n", name, *labels ? "{" : "", labels,
	    *labels ? "}" : "", value);
}

int metrics_commit(struct metrics *m)
{
	size_t done = 0;
	int fd, err = 0;

	if (m->overflow)
		return -EMSGSIZE;
	/* No O_CLOEXEC: the daemon never execs, and musl would follow it
	 * with an fcntl() that the filter does not allow. */
	fd = open(m->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	while (done < m->len) {
		ssize_t k = write(fd, m->buf + done, m->len - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			err = k < 0 ? -errno : -EIO;
			break;
		}
		done += (size_t)k;
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	/* rename(2) is atomic: a reader has the old file or the new. */
	if (!err && rename(m->tmp, m->path) < 0)
		err = -errno;
	if (err)
		(void)unlink(m->tmp);
	return err;
}

void metrics_note(struct metrics *m, uint64_t fp)
{
	struct itimerspec its = { .it_value = { .tv_nsec = 1 } };
	uint64_t now, at;

	m->fp = fp;
	if (!m->path || m->armed || fp == m->written_fp)
		return;
	now = clock_ms();
	at = m->written_ms + METRICS_MIN_MS;
	if (m->written_ms && at > now) {
		its.it_value.tv_sec = (time_t)((at - now) / 1000);
		its.it_value.tv_nsec = (long)((at - now) % 1000) * 1000000;
	}
	if (timerfd_settime(m->timerfd, 0, &its, NULL) < 0) {
		log_warn("timerfd_settime");
		return;
	}
	m->armed = true;
}

bool metrics_due(struct metrics *m)
{
	uint64_t expirations;

	if (read(m->timerfd, &expirations, sizeof(expirations)) < 0)
		return false;
	m->armed = false;
	return true;
}

static void metrics_written(struct metrics *m)
{
	m->written_ms = clock_ms();
	m->written_fp = m->fp;
}

uint64_t metrics_fingerprint(const uint64_t *v, size_t n)
{
	uint64_t h = 14695981039346656037u;

	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < 64; b += 8)
			h = (h ^ ((v[i] >> b) & 0xff)) * 1099511628211u;
	return h;
}

/* ---------------------------------------------------------------- what */

struct collect {
	struct metrics *m;		/* NULL: values only */
	uint64_t v[160];
	size_t n;
};

static void family(struct collect *c, const char *name, const char *type,
		   const char *help)
{
	if (c->m)
		metrics_family(c->m, name, type, help);
}

static void sample(struct collect *c, const char *name, const char *labels,
		   uint64_t value)
{
	if (c->n < sizeof(c->v) / sizeof(c->v[0]))
		c->v[c->n++] = value;
	if (c->m)
		metrics_sample(c->m, name, labels, value);
}

/* One sample of a labelled family: label="value". */
static void labelled(struct collect *c, const char *name, const char *label,
		     const char *value, uint64_t v)
{
	char l[96];

	if (!c->m) {			/* the value alone, cheaply */
		sample(c, name, "", v);
		return;
	}
	(void)snprintf(l, sizeof(l), "%s=\"%s\"", label, value);
	sample(c, name, l, v);
}

static void counter(struct collect *c, const char *name, const char *help,
		    uint64_t v)
{
	family(c, name, "counter", help);
	sample(c, name, "", v);
}

static void gauge(struct collect *c, const char *name, const char *help,
		  uint64_t v)
{
	family(c, name, "gauge", help);
	sample(c, name, "", v);
}

uint64_t metrics_collect(struct metrics *m, const struct metrics_sources *s,
			 bool build)
{
	static struct collect c;
	const struct responder_counters *rc = &s->resp->c;
	char l[128];

	c.m = build ? m : NULL;
	c.n = 0;
	if (build)
		metrics_begin(m);
	family(&c, "ndpresponder_build_info", "gauge",
	       "The version, and the uplink it serves.");
	(void)snprintf(l, sizeof(l), "version=\"%s\",interface=\"%s\"",
		       VERSION, s->ifname);
	sample(&c, "ndpresponder_build_info", l, 1);
	counter(&c, "ndpresponder_ns_received_total",
		"Frames past the packet socket's filter.", rc->received);
	counter(&c, "ndpresponder_na_sent_total",
		"Neighbor Advertisements sent.", rc->answered);
	family(&c, "ndpresponder_ns_ignored_total", "counter",
	       "Valid Neighbor Solicitations not answered, by reason.");
	labelled(&c, "ndpresponder_ns_ignored_total", "reason", "not_ours",
		 rc->not_ours);
	labelled(&c, "ndpresponder_ns_ignored_total", "reason", "unicast",
		 rc->unicast);
	labelled(&c, "ndpresponder_ns_ignored_total", "reason", "self",
		 rc->self);
	labelled(&c, "ndpresponder_ns_ignored_total", "reason", "own",
		 rc->own);
	labelled(&c, "ndpresponder_ns_ignored_total", "reason", "excluded",
		 rc->excluded);
	labelled(&c, "ndpresponder_ns_ignored_total", "reason", "probing",
		 rc->probing);
	family(&c, "ndpresponder_ns_dropped_total", "counter",
	       "Frames dropped as invalid (RFC 4861 7.1.1 and more), by "
	       "reason.");
	labelled(&c, "ndpresponder_ns_dropped_total", "reason", "oversize",
		 rc->oversize);
	for (int v = NDP_OK + 1; v < NDP_VERDICT_MAX; v++)
		labelled(&c, "ndpresponder_ns_dropped_total", "reason",
			 ndp_verdict_name((enum ndp_verdict)v), rc->invalid[v]);
	counter(&c, "ndpresponder_ring_full_total",
		"Frames the kernel dropped: the receive ring was full.",
		rc->ring_full);
	counter(&c, "ndpresponder_send_errors_total",
		"Advertisements the kernel refused to send.", rc->send_errors);
	counter(&c, "ndpresponder_announced_total",
		"Addresses announced to the router.", rc->announced);
	counter(&c, "ndpresponder_announce_errors_total",
		"Addresses whose announcement failed.", rc->announce_errors);
	family(&c, "ndpresponder_answered_total", "counter",
	       "Advertisements sent, by the source of the target.");
	for (size_t i = 0; i < s->targets->nsrc; i++)
		labelled(&c, "ndpresponder_answered_total", "source",
			 s->targets->src[i].name, s->targets->src[i].answered);
	family(&c, "ndpresponder_targets", "gauge",
	       "Targets known, by source: static prefixes, container "
	       "addresses, routes mirrored.");
	labelled(&c, "ndpresponder_targets", "source", "static",
		 s->static_prefixes);
	if (s->docker)
		labelled(&c, "ndpresponder_targets", "source", "docker",
			 s->docker->nset);
	if (s->routes)
		labelled(&c, "ndpresponder_targets", "source", "routed",
			 s->routes->t.n);
	family(&c, "ndpresponder_gateway_pinned", "gauge",
	       "1 while the gateway's neighbour entry is pinned.");
	for (size_t i = 0; i < s->up->ngw; i++) {
		char a[NDP_ADDR_STRLEN] = "";

		if (build)
			ndp_format_addr(&s->up->gw[i].addr, a);
		labelled(&c, "ndpresponder_gateway_pinned", "gateway", a,
			 s->up->gw[i].pinned);
	}
	gauge(&c, "ndpresponder_uplink_up", "1 while the uplink is up.",
	      s->up->ifindex && (s->up->flags & IFF_UP));
	if (s->docker)
		gauge(&c, "ndpresponder_docker_connected",
		      "1 while the container engine's API is followed.",
		      docker_connected(s->docker));
	if (s->routes)
		counter(&c, "ndpresponder_route_overruns_total",
			"Route notifications lost (the mirror rebuilt).",
			s->routes->overruns);
	if (s->live) {
		counter(&c, "ndpresponder_live_probes_total",
			"Resolutions asked of the kernel (--live).",
			s->live->c.probes);
		counter(&c, "ndpresponder_live_late_answers_total",
			"Solicitations answered once the target was found.",
			s->live->c.late);
		counter(&c, "ndpresponder_live_failed_total",
			"Resolutions that found nobody.", s->live->c.failed);
		counter(&c, "ndpresponder_live_limited_total",
			"Solicitations not resolved: no room or over the "
			"rate.", s->live->c.limited);
	}
	return metrics_fingerprint(c.v, c.n);
}

int metrics_write(struct metrics *m, const struct metrics_sources *s)
{
	int err;

	metrics_collect(m, s, true);
	if ((err = metrics_commit(m)) < 0)
		return err;
	metrics_written(m);
	return 0;
}
