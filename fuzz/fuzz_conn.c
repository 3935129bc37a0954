/*
 * fuzz_conn.c - libFuzzer harness for the Docker client end to end:
 * the bytes of its connections, through the code the event loop runs
 * on them (docker.c's state machine, HTTP, bodies, event lines, JSON),
 * to the address set, by way of the seam in docker.h (no sockets, no
 * timerfd).
 *
 * The input is records: a byte OP, then for OP % 4 = 0 (the event
 * stream) or 1 (the query: ping, then networks) two bytes of length,
 * little-endian, and that many bytes (fewer at the end), handed over as
 * one read; OP % 4 = 2 is the peer closing (the event stream if OP & 4,
 * else the query); 3 is the timer going off. Two networks, "web" and
 * "db", are followed.
 *
 * Checks, beyond "no crash, no leak, no hang" (a loop is a timeout):
 * after every record, each network's addresses and the lookup set are
 * sorted and unique, the set is exactly their union, and what the
 * buffers hold stays within its cap; an address is announced only
 * once docker_contains() finds it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docker.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct docker d;

static bool sorted_unique(const struct in6_addr *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (memcmp(&v[i - 1], &v[i], sizeof(v[i])) >= 0)
			return false;
	return true;
}

static void announce(void *arg, const struct in6_addr *addr)
{
	if (arg != &d || !docker_contains(&d, addr))
		abort();
}

/* A buffer of up to 64 KiB (docker.c's BUF_KEEP) outlives its
 * connection, so it may be larger than the next one's cap. */
static void check_conn(const struct docker_conn *c)
{
	size_t keep = 64u << 10;

	if (c->len > c->cap || c->len > c->max || (c->cap && !c->buf) ||
	    c->cap > (c->max > keep ? c->max : keep))
		abort();
}

static void check(void)
{
	size_t total = 0;

	if (!sorted_unique(d.set, d.nset) || (d.nset && !d.set))
		abort();
	for (size_t i = 0; i < d.nnets; i++) {
		const struct docker_net *net = &d.nets[i];

		if (!sorted_unique(net->addr, net->naddr))
			abort();
		for (size_t j = 0; j < net->naddr; j++) {
			bool dup = false;

			if (!docker_contains(&d, &net->addr[j]))
				abort();
			/* Count each address once, at its first network. */
			for (size_t k = 0; k < i && !dup; k++)
				for (size_t m = 0; m < d.nets[k].naddr; m++)
					dup |= memcmp(&d.nets[k].addr[m],
						      &net->addr[j], 16) == 0;
			total += !dup;
		}
	}
	if (total != d.nset)
		abort();
	check_conn(&d.ev);
	check_conn(&d.q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool once;

	if (!once) {
		log_init(LOG_FATAL);	/* the lines would only slow it */
		once = true;
	}
	memset(&d, 0, sizeof(d));
	if (docker_add_network(&d, "web") || docker_add_network(&d, "db"))
		abort();
	docker_test_begin(&d, announce, &d);
	while (size > 0) {
		uint8_t op = data[0];
		size_t n;
		char *p;

		data++;
		size--;
		switch (op % 4) {
		case 0:
		case 1:
			n = size >= 2 ? (size_t)(data[0] | data[1] << 8) : 0;
			data += size >= 2 ? 2 : size;
			size -= size >= 2 ? 2 : size;
			if (n > size)
				n = size;
			if (n == 0)
				break;		/* 0 would be the end */
			/* An exact-size copy, so ASan sees any overread. */
			if (!(p = malloc(n)))
				abort();
			memcpy(p, data, n);
			docker_test_read(&d, op % 4, p, n);
			free(p);
			data += n;
			size -= n;
			break;
		case 2:
			docker_test_read(&d, op & 4 ? 0 : 1, NULL, 0);
			break;
		default:
			docker_test_timer(&d);
			break;
		}
		check();
	}
	free(d.set);
	for (size_t i = 0; i < d.nnets; i++)
		free(d.nets[i].addr);
	free(d.ev.buf);
	free(d.q.buf);
	return 0;
}
