/*
 * fuzz_rtnl.c - libFuzzer harness for the rtnetlink message walker and
 * the link, route, neighbour and address parsers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rtnl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int parse_all(const struct nlmsghdr *h, void *arg)
{
	union {
		struct rtnl_link l;
		struct rtnl_route r;
		struct rtnl_neigh n;
		struct rtnl_addr a;
	} u;

	(void)arg;
	if (!h)
		return 0;
	rtnl_parse_link(h, &u.l);
	if (rtnl_parse_route(h, &u.r) == 0 && u.r.nnh > RTNL_NH_MAX)
		__builtin_trap();
	rtnl_parse_neigh(h, &u.n);
	rtnl_parse_addr(h, &u.a);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy (malloc aligns it as the daemon's buffer is
	 * aligned), so that ASan sees any read past the end. */
	uint8_t *buf = malloc(size ? size : 1);
	bool intr = false;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rtnl_walk(buf, size, 0, 0, parse_all, NULL, &intr);
	rtnl_walk(buf, size, 1, 1, parse_all, NULL, &intr);
	free(buf);
	return 0;
}
