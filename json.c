/*
 * json.c - a small JSON scanner, see json.h.
 *
 * One decoder, decode_unit(), reads a string one unit at a time (a
 * UTF-8 sequence or an escape) for validation, unescaping and
 * comparison alike, so the three can never disagree on what a valid
 * string is. Nesting is tracked on a fixed stack of JSON_DEPTH_MAX
 * brackets instead of by recursion, so no input can exhaust the
 * C stack, and every loop advances through the input: the scan is
 * linear in its length.
 */
#include <string.h>

#include "json.h"

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && is_ws(s[i]))
		i++;
	return i;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at s[i..i+3], all before end; -1 if not. */
static long hex4(const char *s, size_t end, size_t i)
{
	long v = 0;

	if (end < 4 || i > end - 4)
		return -1;
	for (size_t k = 0; k < 4; k++) {
		int h = hex_value(s[i + k]);

		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

static size_t put_utf8(unsigned long cp, unsigned char out[4])
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* An escape after the backslash at s[*i]; returns the byte count. */
static int decode_escape(const char *s, size_t end, size_t *i,
			 unsigned char out[4])
{
	size_t j = *i + 1;
	long hi, lo;

	if (j >= end)
		return -1;
	switch (s[j]) {
	case '"':  out[0] = '"'; break;
	case '\\': out[0] = '\\'; break;
	case '/':  out[0] = '/'; break;
	case 'b':  out[0] = '\b'; break;
	case 'f':  out[0] = '\f'; break;
	case 'n':  out[0] = '\n'; break;
	case 'r':  out[0] = '\r'; break;
	case 't':  out[0] = '\t'; break;
	case 'u':
		hi = hex4(s, end, j + 1);
		if (hi < 0 || (hi >= 0xdc00 && hi <= 0xdfff))
			return -1;	/* lone low surrogate */
		j += 5;
		if (hi >= 0xd800 && hi <= 0xdbff) {
			/* RFC 8259 7: a pair, as \uD83D\uDE00 */
			if (j + 1 >= end || s[j] != '\\' || s[j + 1] != 'u')
				return -1;
			lo = hex4(s, end, j + 2);
			if (lo < 0xdc00 || lo > 0xdfff)
				return -1;
			j += 6;
			hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
		}
		*i = j;
		return (int)put_utf8((unsigned long)hi, out);
	default:
		return -1;
	}
	*i = j + 1;
	return 1;
}

/*
 * One unit of string text at s[*i] (before end): a UTF-8 sequence
 * copied as it is, or an escape decoded to UTF-8. Returns the number
 * of bytes put in out and moves *i past the unit, or -1 if the text is
 * not valid (control characters, bad UTF-8, a raw '"').
 */
static int decode_unit(const char *s, size_t end, size_t *i,
		       unsigned char out[4])
{
	unsigned char c = (unsigned char)s[*i];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (c == '\\')
		return decode_escape(s, end, i, out);
	if (c < 0x20 || c == '"')
		return -1;
	if (c < 0x80) {
		out[0] = c;
		*i += 1;
		return 1;
	}
	/* RFC 3629 4: no overlong forms, surrogates or > U+10FFFF. */
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return -1;
	}
	if (end - *i < n)
		return -1;
	out[0] = c;
	for (size_t k = 1; k < n; k++) {
		unsigned char b = (unsigned char)s[*i + k];

		if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf))
			return -1;
		out[k] = b;
	}
	*i += n;
	return (int)n;
}

/* A string starting with the quote at s[*i]; *i moves past it. */
static bool scan_string(const char *s, size_t len, size_t *i)
{
	unsigned char unit[4];
	size_t j = *i + 1;

	while (j < len) {
		if (s[j] == '"') {
			*i = j + 1;
			return true;
		}
		if (decode_unit(s, len, &j, unit) < 0)
			return false;
	}
	return false;			/* truncated */
}

static bool scan_digits(const char *s, size_t len, size_t *i)
{
	size_t start = *i;

	while (*i < len && is_digit(s[*i]))
		(*i)++;
	return *i > start;
}

/* RFC 8259 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool scan_number(const char *s, size_t len, size_t *i)
{
	if (*i < len && s[*i] == '-')
		(*i)++;
	if (*i >= len)
		return false;
	if (s[*i] == '0')
		(*i)++;
	else if (!scan_digits(s, len, i))
		return false;
	if (*i < len && s[*i] == '.') {
		(*i)++;
		if (!scan_digits(s, len, i))
			return false;
	}
	if (*i < len && (s[*i] == 'e' || s[*i] == 'E')) {
		(*i)++;
		if (*i < len && (s[*i] == '+' || s[*i] == '-'))
			(*i)++;
		if (!scan_digits(s, len, i))
			return false;
	}
	return true;
}

static bool scan_literal(const char *s, size_t len, size_t *i,
			 const char *word)
{
	size_t n = strlen(word);

	if (len - *i < n || memcmp(s + *i, word, n) != 0)
		return false;
	*i += n;
	return true;
}

/* An object member's key and colon at s[*i], after whitespace. */
static bool scan_key(const char *s, size_t len, size_t *i)
{
	*i = skip_ws(s, len, *i);
	if (*i >= len || s[*i] != '"' || !scan_string(s, len, i))
		return false;
	*i = skip_ws(s, len, *i);
	if (*i >= len || s[*i] != ':')
		return false;
	(*i)++;
	return true;
}

static enum json_type type_of(char c)
{
	switch (c) {
	case '{': return JSON_OBJECT;
	case '[': return JSON_ARRAY;
	case '"': return JSON_STRING;
	case 't': return JSON_TRUE;
	case 'f': return JSON_FALSE;
	case 'n': return JSON_NULL;
	default:  return JSON_NUMBER;
	}
}

bool json_scan(const char *s, size_t len, size_t *pos, struct json_value *v)
{
	char stack[JSON_DEPTH_MAX];	/* the closing bracket to expect */
	size_t depth = 0, start, i;

	if (!s || *pos > len)
		return false;
	start = i = skip_ws(s, len, *pos);
	for (;;) {
		bool ok;

		/* A value starts at i, after whitespace. */
		i = skip_ws(s, len, i);
		if (i >= len)
			return false;
		switch (s[i]) {
		case '{':
		case '[':
			if (depth == JSON_DEPTH_MAX)
				return false;
			stack[depth++] = s[i] == '{' ? '}' : ']';
			i = skip_ws(s, len, i + 1);
			if (i < len && s[i] == stack[depth - 1]) {
				i++;		/* empty */
				depth--;
				ok = true;
				break;
			}
			if (stack[depth - 1] == '}' && !scan_key(s, len, &i))
				return false;
			continue;		/* to its first value */
		case '"':
			ok = scan_string(s, len, &i);
			break;
		case 't':
			ok = scan_literal(s, len, &i, "true");
			break;
		case 'f':
			ok = scan_literal(s, len, &i, "false");
			break;
		case 'n':
			ok = scan_literal(s, len, &i, "null");
			break;
		default:
			ok = (s[i] == '-' || is_digit(s[i])) &&
			     scan_number(s, len, &i);
			break;
		}
		if (!ok)
			return false;
		/* A value ended at i: close brackets, or go on after ','. */
		for (;;) {
			if (depth == 0)
				goto done;
			i = skip_ws(s, len, i);
			if (i >= len)
				return false;
			if (s[i] == stack[depth - 1]) {
				i++;
				depth--;
				continue;
			}
			if (s[i] != ',')
				return false;
			i++;
			if (stack[depth - 1] == '}' && !scan_key(s, len, &i))
				return false;
			break;
		}
	}
done:
	v->type = type_of(s[start]);
	v->p = s + start;
	v->n = i - start;
	*pos = i;
	return true;
}

bool json_parse(const char *s, size_t len, struct json_value *v)
{
	size_t pos = 0;

	return json_scan(s, len, &pos, v) && skip_ws(s, len, pos) == len;
}

void json_iter_init(struct json_iter *it, const struct json_value *v)
{
	memset(it, 0, sizeof(*it));
	if ((v->type != JSON_OBJECT && v->type != JSON_ARRAY) || v->n < 2) {
		it->done = true;
		return;
	}
	it->p = v->p + 1;		/* inside the brackets */
	it->n = v->n - 2;
}

/* Position of the next item, after the comma that separates it. */
static bool next_item(struct json_iter *it, size_t *i)
{
	if (it->done)
		return false;
	*i = skip_ws(it->p, it->n, it->pos);
	if (*i >= it->n) {
		it->done = true;
		return false;
	}
	if (it->started) {
		if (it->p[*i] != ',') {
			it->done = true;
			return false;
		}
		(*i)++;
	}
	return true;
}

bool json_next_member(struct json_iter *it, struct json_value *key,
		      struct json_value *val)
{
	size_t i;

	if (!next_item(it, &i))
		return false;
	if (!json_scan(it->p, it->n, &i, key) || key->type != JSON_STRING)
		goto bad;
	i = skip_ws(it->p, it->n, i);
	if (i >= it->n || it->p[i] != ':')
		goto bad;
	i++;
	if (!json_scan(it->p, it->n, &i, val))
		goto bad;
	it->pos = i;
	it->started = true;
	return true;
bad:
	it->done = true;
	return false;
}

bool json_next_element(struct json_iter *it, struct json_value *val)
{
	size_t i;

	if (!next_item(it, &i))
		return false;
	if (!json_scan(it->p, it->n, &i, val)) {
		it->done = true;
		return false;
	}
	it->pos = i;
	it->started = true;
	return true;
}

/* The last, as Go's encoding/json (dockerd's and docker(1)'s) keeps:
 * a document means to us what it means to the peer that wrote it. */
bool json_find(const struct json_value *obj, const char *key,
	       struct json_value *val)
{
	struct json_value k, v;
	struct json_iter it;
	bool found = false;

	if (obj->type != JSON_OBJECT)
		return false;
	json_iter_init(&it, obj);
	while (json_next_member(&it, &k, &v)) {
		if (!json_string_eq(&k, key))
			continue;
		*val = v;
		found = true;
	}
	return found;
}

/* The text between a string value's quotes, if it looks like one. */
static bool string_body(const struct json_value *str, const char **p,
			size_t *n)
{
	if (str->type != JSON_STRING || str->n < 2 || str->p[0] != '"' ||
	    str->p[str->n - 1] != '"')
		return false;
	*p = str->p + 1;
	*n = str->n - 2;
	return true;
}

long json_string(const struct json_value *str, char *out, size_t size)
{
	unsigned char unit[4];
	const char *p;
	size_t n, i = 0, o = 0;

	if (size == 0 || !string_body(str, &p, &n))
		return -1;
	while (i < n) {
		int k = decode_unit(p, n, &i, unit);

		if (k < 0 || (k == 1 && unit[0] == 0) ||
		    (size_t)k >= size - o)
			return -1;
		memcpy(out + o, unit, (size_t)k);
		o += (size_t)k;
	}
	out[o] = '\0';
	return (long)o;
}

bool json_string_eq(const struct json_value *str, const char *s)
{
	unsigned char unit[4];
	size_t n, i = 0, o = 0, slen = strlen(s);
	const char *p;

	if (!string_body(str, &p, &n))
		return false;
	while (i < n) {
		int k = decode_unit(p, n, &i, unit);

		if (k < 0 || (size_t)k > slen - o ||
		    memcmp(s + o, unit, (size_t)k) != 0)
			return false;
		o += (size_t)k;
	}
	return o == slen;
}
