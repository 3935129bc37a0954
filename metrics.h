/*
 * metrics.h - --metrics-file: the counters in the Prometheus text
 * exposition format (version 0.0.4), for node_exporter's textfile
 * collector.
 *
 * The file is written whole to PATH.tmp and renamed over PATH, so that
 * a reader never sees half of it; only when a value changed, and at
 * most every METRICS_MIN_MS, on a timer armed only then: an idle
 * daemon is never woken for it.
 */
#ifndef METRICS_H
#define METRICS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define METRICS_MIN_MS	10000
#define METRICS_MAX	32768		/* bytes of text */

struct metrics {
	const char *path;
	char tmp[PATH_MAX];
	int timerfd;
	bool armed;
	uint64_t written_ms;		/* last write, CLOCK_MONOTONIC */
	uint64_t written_fp;		/* the values it held */
	uint64_t fp;			/* the values now */

	char buf[METRICS_MAX];		/* the text being built */
	size_t len;
	bool overflow;
};

/* Before the sandbox: the timer and PATH.tmp's name. 0 or -errno. */
int metrics_open(struct metrics *m, const char *path);

/* Building the text: begin, then for each family its header and
 * samples; labels is "" or 'name="value",...' (values escaped). */
void metrics_begin(struct metrics *m);
void metrics_family(struct metrics *m, const char *name, const char *type,
		    const char *help);
void metrics_sample(struct metrics *m, const char *name, const char *labels,
		    uint64_t value);
/* Write what was built: PATH.tmp, then rename. 0 or -errno. */
int metrics_commit(struct metrics *m);

/* After each round of the loop, with a fingerprint of every value:
 * arm the timer if they changed since the last write. */
void metrics_note(struct metrics *m, uint64_t fp);
/* The timer expired: true if it is time to metrics_write. */
bool metrics_due(struct metrics *m);

/* A fingerprint of n values (FNV-1a), for metrics_note. */
uint64_t metrics_fingerprint(const uint64_t *v, size_t n);

/* What the daemon exposes: the modules in use (NULL: not configured). */
struct metrics_sources {
	const char *ifname;
	const struct responder *resp;
	const struct targets *targets;
	const struct uplink *up;
	const struct docker *docker;
	const struct routes *routes;
	const struct neigh *live;
	size_t static_prefixes;
};

/* Every value, into the text when build is true; the fingerprint. */
uint64_t metrics_collect(struct metrics *m, const struct metrics_sources *s,
			 bool build);
/* Build, commit, and note the time and fingerprint. 0 or -errno. */
int metrics_write(struct metrics *m, const struct metrics_sources *s);

#endif
