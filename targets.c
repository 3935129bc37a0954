/*
 * targets.c - the one decision path for "answer this target?", see
 * targets.h.
 */
#include <string.h>

#include "targets.h"

void targets_add_source(struct targets *t, const char *name,
			target_match_fn match, target_next_fn next,
			void *ctx)
{
	if (t->nsrc == TARGETS_SOURCES_MAX)
		return;
	t->src[t->nsrc++] = (struct target_source){
		.name = name, .match = match, .next = next, .ctx = ctx,
	};
}

enum target_verdict targets_decide(struct targets *t, const struct ndp_ns *ns)
{
	struct target_source *best = NULL;
	enum target_match m = TARGET_NONE;

	/* Never the asker's own address (whatever a prefix covers), nor
	 * the host's or its gateway's on the uplink: they answer for
	 * themselves, and an NA from us would take their address. */
	if (memcmp(&ns->target, &ns->src, sizeof(ns->target)) == 0)
		return TARGET_SELF;
	if (t->own && t->own(t->own_ctx, &ns->target))
		return TARGET_OWN;
	if (t->exclude && ndp_prefix_set_contains(t->exclude, &ns->target))
		return TARGET_EXCLUDED;
	/* The strongest claim wins: in use beats a prefix. */
	for (size_t i = 0; i < t->nsrc && m != TARGET_IN_USE; i++) {
		enum target_match k = t->src[i].match(t->src[i].ctx, ns);

		if (k > m) {
			m = k;
			best = &t->src[i];
		}
	}
	if (!best)
		return TARGET_NOT_OURS;
	if (m == TARGET_PROBE)
		return TARGET_PROBING;
	/*
	 * RFC 4861 7.2.4 answers any NS. An address in use is answered
	 * for unicast (NUD) and DAD probes alike. For a prefix's target,
	 * which may be unused, unicast NS are left alone without -u, so
	 * that the router's entries for unused addresses expire, as the
	 * Go ndpresponder does; DAD probes go to the solicited-node
	 * group, and are answered.
	 */
	if (m == TARGET_PREFIX && !ndp_addr_is_multicast(&ns->dst) &&
	    !t->unicast)
		return TARGET_UNICAST;
	best->answered++;
	return TARGET_ANSWER;
}

enum target_match targets_static_match(void *set, const struct ndp_ns *ns)
{
	return ndp_prefix_set_contains(set, &ns->target) ? TARGET_PREFIX :
							   TARGET_NONE;
}

const struct in6_addr *targets_static_next(const void *set, size_t *cursor)
{
	const struct ndp_prefix_set *s = set;
	size_t i = (*cursor)++;

	/* The set's /128s are one run, indexed by length. */
	return i < s->count[128] ? &s->v[s->first[128] + i].addr : NULL;
}
