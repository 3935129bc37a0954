/*
 * fuzz_json.c - libFuzzer harness for the JSON scanner (json.c).
 *
 * Checks, beyond "no crash, no read past the input": a value json_parse
 * accepts is a span inside the input that parses again to the same
 * value; every string in it either unescapes to a C string that
 * json_string_eq() calls equal, or holds U+0000 or does not fit; every
 * key walked is found again by json_find, at that member or a later
 * one (the last of duplicates wins); no container is nested deeper
 * than JSON_DEPTH_MAX; walking ends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char out[1 << 16];

static void check_string(const struct json_value *v)
{
	long n = json_string(v, out, sizeof(out));

	if (n < 0)
		return;			/* U+0000, or too long for out */
	if ((size_t)n != strlen(out) || !json_string_eq(v, out))
		abort();
}

/* v inside depth containers: a container may be the JSON_DEPTH_MAX-th,
 * a scalar may sit inside JSON_DEPTH_MAX of them. */
static void walk(const struct json_value *v, int depth)
{
	struct json_value k, e;
	struct json_iter it;

	if ((v->type == JSON_OBJECT || v->type == JSON_ARRAY) &&
	    depth >= JSON_DEPTH_MAX)
		abort();
	switch (v->type) {
	case JSON_STRING:
		check_string(v);
		break;
	case JSON_OBJECT:
		json_iter_init(&it, v);
		while (json_next_member(&it, &k, &e)) {
			if (k.type != JSON_STRING)
				abort();
			check_string(&k);
			walk(&e, depth + 1);
			/* This member or a later one with its key. */
			if (json_string(&k, out, sizeof(out)) >= 0) {
				struct json_value f;

				if (!json_find(v, out, &f) || f.p < e.p)
					abort();
			}
		}
		break;
	case JSON_ARRAY:
		json_iter_init(&it, v);
		while (json_next_element(&it, &e))
			walk(&e, depth + 1);
		break;
	case JSON_INVALID:
		abort();
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that ASan sees any read past the end. */
	char *s = malloc(size ? size : 1);
	struct json_value v, again;

	if (!s)
		return 0;
	memcpy(s, data, size);
	if (json_parse(s, size, &v)) {
		if (v.p < s || v.n == 0 || v.p + v.n > s + size)
			abort();
		if (!json_parse(v.p, v.n, &again) || again.type != v.type ||
		    again.n != v.n)
			abort();
		walk(&v, 0);
	}
	free(s);
	return 0;
}
