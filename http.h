/*
 * http.h - an HTTP/1.x response reader for the Docker client: feed it
 * the bytes as they arrive, in pieces of any size, and it reports the
 * status line and headers, then the body, which ends by Content-Length,
 * by chunked transfer coding (RFC 9112 7.1), or by the peer closing.
 *
 * Pure: no system calls, no globals, no allocation. Its memory is the
 * struct; body bytes are handed out as spans of the input. Everything
 * is capped: headers (and trailers) at HTTP_HEADERS_MAX bytes, one
 * header or chunk-size line at HTTP_LINE_MAX (longer lines are fine
 * for headers we do not read), the body at body_max.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_HEADERS_MAX	16384	/* 16 KiB */
#define HTTP_LINE_MAX		1024
#define HTTP_WANT_MAX		4	/* headers a caller may ask for */
#define HTTP_VALUE_MAX		64	/* bytes of a value kept, NUL included */
#define HTTP_REASON_MAX		64	/* of the reason phrase we keep */

enum http_result {
	HTTP_MORE,		/* all input used, nothing to report */
	HTTP_HEADERS,		/* status and headers are known */
	HTTP_BODY,		/* *body, *body_len: a piece of the body */
	HTTP_DONE,		/* the response is complete */
	HTTP_ERROR,		/* malformed or over a cap; see error */
};

struct http_reader {
	/* Set by http_reader_init. */
	uint64_t body_max;		/* 0: no limit (a stream) */

	/* Known after HTTP_HEADERS. */
	int version_minor;		/* HTTP/1.x */
	int status;
	char reason[HTTP_REASON_MAX];	/* raw, cut; "" if none */
	bool chunked;			/* Transfer-Encoding: chunked */
	/* The body's length is Content-Length: false if chunked, which
	 * overrides it (RFC 9112 6.3), or if it was not given. */
	bool has_length;
	uint64_t length;
	/* The values of the headers asked for (http_want), see
	 * http_header. */
	char value[HTTP_WANT_MAX][HTTP_VALUE_MAX];
	bool has_value[HTTP_WANT_MAX];

	const char *error;		/* why, after HTTP_ERROR */

	/* Private. */
	int state;
	size_t line_len;		/* bytes of the line kept in line */
	bool line_long;			/* the line ran past HTTP_LINE_MAX */
	size_t header_bytes;		/* of the head and trailers */
	uint64_t left;			/* of a body or a chunk */
	uint64_t body_bytes;		/* so far */
	const char *want[HTTP_WANT_MAX];	/* names, not copied */
	size_t nwant;
	char line[HTTP_LINE_MAX];
};

void http_reader_init(struct http_reader *h, uint64_t body_max);

/*
 * Ask, after http_reader_init and before feeding, for the value of the
 * header name (matched case-insensitively; name must outlive h). false
 * if HTTP_WANT_MAX are asked for already.
 */
bool http_want(struct http_reader *h, const char *name);

/*
 * After HTTP_HEADERS: the value of a header asked for, without the
 * surrounding blanks, NUL-terminated, as sent (the caller checks it),
 * the last if it came twice; NULL if it was not sent, or did not fit
 * in HTTP_VALUE_MAX - 1 bytes, or was not asked for. An interim (1xx)
 * response's headers are forgotten.
 */
const char *http_header(const struct http_reader *h, const char *name);

/*
 * Consume some of in[0..len): returns what happened and sets *used to
 * the bytes taken; call again with the rest. HTTP_BODY points *body
 * into in. After HTTP_DONE or HTTP_ERROR it takes nothing more.
 */
enum http_result http_feed(struct http_reader *h, const char *in, size_t len,
			   size_t *used, const char **body, size_t *body_len);

/* The peer closed: HTTP_DONE if that ends the body, else HTTP_ERROR. */
enum http_result http_eof(struct http_reader *h);

#endif
