/*
 * json.h - a small JSON scanner (RFC 8259) for the few documents the
 * Docker client reads: validate and skip a value, walk the members of
 * an object and the elements of an array, find a member by key, and
 * unescape a string into a bounded buffer.
 *
 * Pure: no system calls, no globals, no allocation, no recursion. It
 * works on a byte span that need not end in NUL and never reads past
 * it. Every value it hands out was validated first, in full: strings
 * must be UTF-8 without control characters, escapes well formed (a
 * \uXXXX surrogate must be half of a pair), numbers as in the RFC, and
 * arrays and objects nested at most JSON_DEPTH_MAX deep. Duplicate
 * keys are allowed (RFC 8259 4 leaves their meaning open); json_find
 * returns the last, as Go's encoding/json does, which dockerd and
 * docker(1) decode with: we read a document as they would.
 */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stddef.h>

#define JSON_DEPTH_MAX	32		/* nested arrays and objects */

enum json_type {
	JSON_INVALID = 0,
	JSON_OBJECT,
	JSON_ARRAY,
	JSON_STRING,
	JSON_NUMBER,
	JSON_TRUE,
	JSON_FALSE,
	JSON_NULL,
};

/* A value: its type and its text (a string's with the quotes). */
struct json_value {
	enum json_type type;
	const char *p;
	size_t n;
};

/* Walks the inside of an object or an array. */
struct json_iter {
	const char *p;			/* the container's text */
	size_t n;
	size_t pos;			/* next byte to look at */
	bool started;			/* a first item was returned */
	bool done;
};

/*
 * Scan the value that starts at s[*pos] after optional whitespace,
 * validating all of it. On success fill *v, move *pos past the value
 * and return true; else return false (*pos and *v undefined).
 */
bool json_scan(const char *s, size_t len, size_t *pos, struct json_value *v);

/* A whole document: one value with only whitespace around it. */
bool json_parse(const char *s, size_t len, struct json_value *v);

/* Start walking an object or array value (one json_scan returned). */
void json_iter_init(struct json_iter *it, const struct json_value *v);
/* Next member of an object: false at its end (or on a bad value). */
bool json_next_member(struct json_iter *it, struct json_value *key,
		      struct json_value *val);
/* Next element of an array: false at its end (or on a bad value). */
bool json_next_element(struct json_iter *it, struct json_value *val);

/* The last member of object obj whose unescaped key is key. */
bool json_find(const struct json_value *obj, const char *key,
	       struct json_value *val);

/*
 * Unescape string value str into out (size bytes, NUL-terminated).
 * Returns its length, or -1 if str is not a valid string, holds U+0000
 * (out is a C string), or does not fit.
 */
long json_string(const struct json_value *str, char *out, size_t size);

/* Whether string value str, unescaped, is exactly s. */
bool json_string_eq(const struct json_value *str, const char *s);

#endif
