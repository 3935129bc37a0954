/*
 * http.c - an HTTP/1.x response reader, see http.h.
 *
 * RFC 9112 6.3 decides how the body ends: no body for 1xx (skipped;
 * the real response follows), 204 and 304; chunked if the
 * Transfer-Encoding is chunked (it wins over Content-Length); else
 * Content-Length; else at close. Lines may end in CRLF or a bare LF.
 */
#include <string.h>

#include "http.h"

/* The largest chunk or Content-Length we take (and 16 hex digits). */
#define HTTP_SIZE_MAX	((uint64_t)1 << 48)

enum {
	S_STATUS,		/* the status line */
	S_HEADER,		/* header lines, up to the empty one */
	S_BODY_LENGTH,		/* Content-Length bytes */
	S_BODY_CLOSE,		/* everything until the peer closes */
	S_CHUNK_SIZE,		/* a chunk-size line */
	S_CHUNK_DATA,
	S_CHUNK_END,		/* the CRLF after a chunk's data */
	S_TRAILER,		/* trailer lines, up to the empty one */
	S_DONE,
	S_ERROR,
};

void http_reader_init(struct http_reader *h, uint64_t body_max)
{
	memset(h, 0, sizeof(*h));
	h->body_max = body_max;
	h->state = S_STATUS;
}

bool http_want(struct http_reader *h, const char *name)
{
	if (h->nwant == HTTP_WANT_MAX)
		return false;
	h->want[h->nwant++] = name;
	return true;
}

static enum http_result fail(struct http_reader *h, const char *why)
{
	h->state = S_ERROR;
	h->error = why;
	return HTTP_ERROR;
}

static bool in_head(const struct http_reader *h)
{
	return h->state == S_STATUS || h->state == S_HEADER ||
	       h->state == S_TRAILER;
}

/*
 * Take the bytes of a line from in[*i..len), keeping the first
 * HTTP_LINE_MAX - 1 of them; true once its LF is taken (then line
 * holds it, without CR and LF, NUL-terminated, unless line_long).
 */
static bool take_line(struct http_reader *h, const char *in, size_t len,
		      size_t *i)
{
	const char *nl = memchr(in + *i, '\n', len - *i);
	size_t end = nl ? (size_t)(nl - in) : len;
	size_t n = end - *i, room = HTTP_LINE_MAX - 1 - h->line_len;

	if (n > room) {
		h->line_long = true;
		n = room;
	}
	memcpy(h->line + h->line_len, in + *i, n);
	h->line_len += n;
	if (in_head(h))
		h->header_bytes += end - *i + (nl ? 1 : 0);
	*i = nl ? end + 1 : end;
	if (!nl)
		return false;
	if (h->line_len > 0 && h->line[h->line_len - 1] == '\r' &&
	    !h->line_long)
		h->line_len--;
	h->line[h->line_len] = '\0';
	return true;
}

static void next_line(struct http_reader *h)
{
	h->line_len = 0;
	h->line_long = false;
}

/* "HTTP/1.x NNN[ reason]" */
static bool parse_status(struct http_reader *h)
{
	const char *l = h->line;

	if (h->line_long || h->line_len < 12 || memcmp(l, "HTTP/1.", 7) != 0 ||
	    l[7] < '0' || l[7] > '9' || l[8] != ' ' ||
	    (h->line_len > 12 && l[12] != ' '))
		return false;
	for (int k = 9; k < 12; k++)
		if (l[k] < '0' || l[k] > '9')
			return false;
	h->version_minor = l[7] - '0';
	h->status = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	/* Kept for the log only, as it came: the reader escapes it. */
	if (h->line_len > 13) {
		size_t n = h->line_len - 13;

		if (n > sizeof(h->reason) - 1)
			n = sizeof(h->reason) - 1;
		memcpy(h->reason, l + 13, n);
		h->reason[n] = '\0';
	}
	return h->status >= 100 && h->status <= 599;
}

static bool parse_decimal(const char *s, size_t n, uint64_t *v)
{
	*v = 0;
	if (n == 0)
		return false;
	for (size_t k = 0; k < n; k++) {
		if (s[k] < '0' || s[k] > '9')
			return false;
		*v = *v * 10 + (uint64_t)(s[k] - '0');
		if (*v > HTTP_SIZE_MAX)
			return false;
	}
	return true;
}

static unsigned char lower(char c)
{
	unsigned char u = (unsigned char)c;

	return u >= 'A' && u <= 'Z' ? (unsigned char)(u + 'a' - 'A') : u;
}

/* ASCII case-insensitive, as header names and codings are. */
static bool name_is(const char *name, size_t n, const char *want)
{
	for (size_t k = 0; k < n; k++)
		if (want[k] == '\0' || lower(name[k]) != lower(want[k]))
			return false;
	return want[n] == '\0';
}

const char *http_header(const struct http_reader *h, const char *name)
{
	for (size_t k = 0; k < h->nwant; k++)
		if (name_is(name, strlen(name), h->want[k]))
			return h->has_value[k] ? h->value[k] : NULL;
	return NULL;
}

/* One header line; NULL, or why it is refused. */
static const char *parse_header(struct http_reader *h)
{
	const char *l = h->line, *colon, *v;
	size_t nlen, vlen;
	uint64_t len;

	if (l[0] == ' ' || l[0] == '\t')
		return "obsolete line folding";
	colon = memchr(l, ':', h->line_len);
	if (!colon || colon == l)
		return "malformed header line";
	nlen = (size_t)(colon - l);
	for (size_t k = 0; k < nlen; k++)
		if (l[k] <= ' ' || l[k] >= 0x7f)
			return "malformed header name";
	v = colon + 1;
	vlen = h->line_len - nlen - 1;
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;

	if (name_is(l, nlen, "Content-Length")) {
		if (h->line_long || !parse_decimal(v, vlen, &len))
			return "bad Content-Length";
		if (h->has_length && len != h->length)
			return "conflicting Content-Length";
		h->has_length = true;
		h->length = len;
	} else if (name_is(l, nlen, "Transfer-Encoding")) {
		/* Only chunked, once: nothing here asks for more. */
		if (h->line_long || h->chunked || !name_is(v, vlen, "chunked"))
			return "unsupported Transfer-Encoding";
		h->chunked = true;
	} else {
		for (size_t k = 0; k < h->nwant; k++) {
			if (!name_is(l, nlen, h->want[k]))
				continue;
			/* A value cut by the line cap, or too long to keep,
			 * is no value: the caller would act on part of it. */
			h->has_value[k] = !h->line_long &&
					  vlen < sizeof(h->value[k]);
			if (h->has_value[k]) {
				memcpy(h->value[k], v, vlen);
				h->value[k][vlen] = '\0';
			}
		}
	}
	return NULL;
}

/* After the empty line that ends the head. */
static enum http_result end_of_head(struct http_reader *h)
{
	if (h->status >= 100 && h->status < 200) {
		if (h->status == 101)
			return fail(h, "unexpected 101 Switching Protocols");
		/* An interim response: the real one follows. */
		h->status = 0;
		h->reason[0] = '\0';
		h->chunked = h->has_length = false;
		h->length = 0;
		memset(h->has_value, 0, sizeof(h->has_value));
		h->state = S_STATUS;
		return HTTP_MORE;
	}
	if (h->status == 204 || h->status == 304) {
		h->state = S_DONE;
	} else if (h->chunked) {
		/* RFC 9112 6.3 (3): chunked overrides Content-Length, which
		 * must then say nothing to anyone about the body. */
		h->has_length = false;
		h->length = 0;
		h->state = S_CHUNK_SIZE;
	} else if (h->has_length) {
		if (h->body_max && h->length > h->body_max)
			return fail(h, "body too large");
		h->left = h->length;
		h->state = S_BODY_LENGTH;
	} else {
		h->state = S_BODY_CLOSE;
	}
	return HTTP_HEADERS;
}

/* "HEX[ ][;extensions]" */
static bool parse_chunk_size(struct http_reader *h, uint64_t *size)
{
	const char *l = h->line;
	size_t k = 0;

	*size = 0;
	for (; k < h->line_len; k++) {
		char c = l[k];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		*size = *size << 4 | (uint64_t)d;
		if (*size > HTTP_SIZE_MAX)
			return false;
	}
	if (k == 0)
		return false;
	while (k < h->line_len && (l[k] == ' ' || l[k] == '\t'))
		k++;
	return k == h->line_len || l[k] == ';';
}

/* Body bytes from a counted body or chunk. */
static enum http_result take_counted(struct http_reader *h, const char *in,
				     size_t len, size_t *i, const char **body,
				     size_t *body_len, int next)
{
	size_t n = len - *i;

	if ((uint64_t)n > h->left)
		n = (size_t)h->left;
	*body = in + *i;
	*body_len = n;
	*i += n;
	h->left -= n;
	if (h->state == S_CHUNK_DATA)	/* Content-Length was checked */
		h->body_bytes += n;
	if (h->left == 0)
		h->state = next;
	return HTTP_BODY;
}

enum http_result http_feed(struct http_reader *h, const char *in, size_t len,
			   size_t *used, const char **body, size_t *body_len)
{
	enum http_result r = HTTP_MORE;
	const char *why;
	uint64_t size;
	size_t i = 0;

	*body = NULL;
	*body_len = 0;
	while (r == HTTP_MORE) {
		if (h->state == S_DONE) {
			r = HTTP_DONE;
			break;
		}
		if (h->state == S_ERROR) {
			r = HTTP_ERROR;
			break;
		}
		if (h->state == S_BODY_LENGTH && h->left == 0) {
			h->state = S_DONE;
			continue;
		}
		if (i == len)
			break;
		switch (h->state) {
		case S_STATUS:
		case S_HEADER:
		case S_TRAILER:
			if (!take_line(h, in, len, &i)) {
				if (h->header_bytes > HTTP_HEADERS_MAX)
					r = fail(h, "headers too large");
				break;
			}
			if (h->header_bytes > HTTP_HEADERS_MAX) {
				r = fail(h, "headers too large");
			} else if (h->state == S_STATUS) {
				if (!parse_status(h))
					r = fail(h, "bad status line");
				else
					h->state = S_HEADER;
			} else if (h->line_len == 0 && !h->line_long) {
				if (h->state == S_TRAILER)
					h->state = S_DONE;
				else
					r = end_of_head(h);
			} else if (h->state == S_HEADER &&
				   (why = parse_header(h)) != NULL) {
				r = fail(h, why);
			}
			next_line(h);
			break;
		case S_CHUNK_SIZE:
		case S_CHUNK_END:
			if (!take_line(h, in, len, &i)) {
				if (h->line_long)
					r = fail(h, "chunk line too long");
				break;
			}
			if (h->line_long) {
				r = fail(h, "chunk line too long");
			} else if (h->state == S_CHUNK_END) {
				if (h->line_len != 0)
					r = fail(h, "no CRLF after chunk data");
				else
					h->state = S_CHUNK_SIZE;
			} else if (!parse_chunk_size(h, &size)) {
				r = fail(h, "bad chunk size");
			} else if (size == 0) {
				h->state = S_TRAILER;
			} else if (h->body_max &&
				   size > h->body_max - h->body_bytes) {
				r = fail(h, "body too large");
			} else {
				h->left = size;
				h->state = S_CHUNK_DATA;
			}
			next_line(h);
			break;
		case S_BODY_LENGTH:
			r = take_counted(h, in, len, &i, body, body_len,
					 S_DONE);
			break;
		case S_CHUNK_DATA:
			r = take_counted(h, in, len, &i, body, body_len,
					 S_CHUNK_END);
			break;
		case S_BODY_CLOSE:
			if (h->body_max && len - i > h->body_max - h->body_bytes) {
				r = fail(h, "body too large");
				break;
			}
			*body = in + i;
			*body_len = len - i;
			h->body_bytes += len - i;
			i = len;
			r = HTTP_BODY;
			break;
		default:
			r = fail(h, "internal state");
			break;
		}
	}
	*used = i;
	return r;
}

enum http_result http_eof(struct http_reader *h)
{
	if (h->state == S_ERROR)
		return HTTP_ERROR;
	if (h->state == S_BODY_CLOSE || h->state == S_DONE ||
	    (h->state == S_BODY_LENGTH && h->left == 0)) {
		h->state = S_DONE;
		return HTTP_DONE;
	}
	return fail(h, h->state == S_STATUS && h->header_bytes == 0 ?
		    "closed without a response" : "closed before the end");
}
