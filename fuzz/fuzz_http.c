/*
 * fuzz_http.c - libFuzzer harness for the HTTP response reader
 * (http.c).
 *
 * The first input byte picks the size of the pieces the rest is fed
 * in and the body cap. Beyond "no crash": the reader never takes more
 * than it is given, body spans lie inside the piece, a capped body
 * never passes its cap, nothing is taken after the end, and feeding
 * the same bytes all at once gives the same outcome, status and body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct outcome {
	enum http_result last;
	int status;
	uint64_t body_len;
	uint64_t hash;			/* FNV-1a of the body */
};

static void run(const char *in, size_t size, size_t step, uint64_t cap,
		struct outcome *o)
{
	struct http_reader h;
	size_t off = 0;

	memset(o, 0, sizeof(*o));
	o->hash = 14695981039346656037ull;
	o->last = HTTP_MORE;
	http_reader_init(&h, cap);
	while (off < size && o->last != HTTP_DONE && o->last != HTTP_ERROR) {
		size_t n = size - off < step ? size - off : step, poff = 0;
		/* An exact-size copy, so that ASan sees any overread. */
		char *piece = malloc(n);

		if (!piece)
			abort();
		memcpy(piece, in + off, n);
		for (;;) {
			const char *body;
			size_t used, blen;
			enum http_result r = http_feed(&h, piece + poff,
						       n - poff, &used, &body,
						       &blen);

			if (used > n - poff)
				abort();
			poff += used;
			if (r == HTTP_MORE) {
				if (poff != n)
					abort();
				break;
			}
			o->last = r;
			if (r == HTTP_HEADERS) {
				o->status = h.status;
			} else if (r == HTTP_BODY) {
				if (body < piece || body + blen > piece + n)
					abort();
				for (size_t i = 0; i < blen; i++)
					o->hash = (o->hash ^
						   (uint8_t)body[i]) *
						  1099511628211ull;
				o->body_len += blen;
				if (cap && o->body_len > cap)
					abort();
			} else {
				/* Done or failed: nothing more is taken. */
				if (http_feed(&h, "x", 1, &used, &body,
					      &blen) != r || used != 0)
					abort();
				break;
			}
		}
		free(piece);
		off += n;
	}
	if (o->last != HTTP_DONE && o->last != HTTP_ERROR)
		o->last = http_eof(&h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome a, b;
	size_t step;
	uint64_t cap;

	if (size < 1)
		return 0;
	step = 1 + (data[0] & 0x1f);
	cap = data[0] & 0x20 ? 0 : data[0] & 0x40 ? 64 : 4096;
	run((const char *)data + 1, size - 1, step, cap, &a);
	run((const char *)data + 1, size - 1, size, cap, &b);
	if (a.last != b.last)
		abort();
	if (a.last == HTTP_DONE &&
	    (a.status != b.status || a.body_len != b.body_len ||
	     a.hash != b.hash))
		abort();
	return 0;
}
