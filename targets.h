/*
 * targets.h - "is this target ours, and how?", for every source of
 * targets, and which Neighbor Solicitations for it we answer. The rules
 * are here and nowhere else.
 *
 * A source (static prefixes, containers, routes) is one match function
 * and, if it knows its addresses one by one, a next function for the
 * announcement sweep; it registers once. Pure: no system calls.
 */
#ifndef TARGETS_H
#define TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "ndp.h"

/* What a source knows of a target; the larger the surer. */
enum target_match {
	TARGET_NONE,		/* not this source's */
	TARGET_PROBE,		/* being resolved (--live): answered later */
	TARGET_PREFIX,		/* in a configured prefix: may be in use */
	TARGET_IN_USE,		/* known to be in use: a container's */
};

/* What to do with an NS. */
enum target_verdict {
	TARGET_ANSWER,
	TARGET_NOT_OURS,	/* no source has the target */
	TARGET_UNICAST,		/* unicast NS for a prefix's target, no -u */
	TARGET_SELF,		/* the target is the NS's own source */
	TARGET_OWN,		/* the uplink's own address, or a gateway */
	TARGET_EXCLUDED,	/* in an -x prefix */
	TARGET_PROBING,		/* --live: answered once it is found */
};

/* The NS asks for ns->target; a source may note the asker (--live). */
typedef enum target_match (*target_match_fn)(void *ctx,
					     const struct ndp_ns *ns);
/* The source's next address to announce from *cursor (0 at first),
 * which it advances; NULL past its last. */
typedef const struct in6_addr *(*target_next_fn)(const void *ctx,
						 size_t *cursor);
typedef bool (*target_own_fn)(const void *ctx, const struct in6_addr *t);

struct target_source {
	const char *name;
	target_match_fn match;
	target_next_fn next;		/* NULL: nothing to announce */
	void *ctx;
	uint64_t answered;		/* NAs for its targets */
};

#define TARGETS_SOURCES_MAX 4

struct targets {
	bool unicast;			/* -u: unicast NS for prefixes too */
	const struct ndp_prefix_set *exclude;	/* -x, or NULL */
	target_own_fn own;		/* the uplink's own addresses */
	const void *own_ctx;
	struct target_source src[TARGETS_SOURCES_MAX];
	size_t nsrc;
};

/* Register a source; the first registered is asked first. */
void targets_add_source(struct targets *t, const char *name,
			target_match_fn match, target_next_fn next,
			void *ctx);
/* Decide for a valid NS; an answer is counted to its source. */
enum target_verdict targets_decide(struct targets *t, const struct ndp_ns *ns);

/* The static source: prefixes (-n, --subnet-file) in an ndp_prefix_set. */
enum target_match targets_static_match(void *set, const struct ndp_ns *ns);
/* Its /128s, for --announce. */
const struct in6_addr *targets_static_next(const void *set, size_t *cursor);

#endif
