/*
 * fuzz_docker.c - libFuzzer harness for the Docker client's parsers:
 * a network inspect document (docker_parse_network) and an event line
 * (docker_parse_event), on top of json.c; and log_escape, which all
 * they give the log goes through.
 *
 * Checks, beyond "no crash, no leak, no read past the input": the
 * addresses come out sorted and unique, nothing comes out of a document
 * that is refused, and every string fits its field; log_escape gives
 * printable ASCII only, within its buffer, that unescapes to the input
 * (or, cut and ending in "...", to a prefix of it).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docker.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	       c - 'a' + 10 : -1;
}

/* Whether buf[0..n) unescapes to a prefix of s[0..size); its length
 * in *o. */
static bool unescapes(const char *buf, size_t n, const char *s, size_t size,
		      size_t *o)
{
	size_t i = 0;

	*o = 0;
	while (i < n) {
		char c = buf[i++];

		if (c == '"')
			return false;		/* would end key="..." */
		if (c == '\\') {
			if (i == n)
				return false;
			c = buf[i++];
			if (c == 'n') {
				c = '\n';
			} else if (c == 'r') {
				c = '\r';
			} else if (c == 't') {
				c = '\t';
			} else if (c == 'x') {
				if (n - i < 2 || hex(buf[i]) < 0 ||
				    hex(buf[i + 1]) < 0)
					return false;
				c = (char)(hex(buf[i]) << 4 | hex(buf[i + 1]));
				i += 2;
			} else if (c != '"' && c != '\\') {
				return false;
			}
		}
		if (*o >= size || s[*o] != c)
			return false;
		(*o)++;
	}
	return true;
}

static void check_escape(const char *s, size_t size, size_t bufsize)
{
	char buf[LOG_ESCAPE_MAX];
	size_t n, o;

	if (log_escape(buf, bufsize, s, size) != buf ||
	    (n = strlen(buf)) >= bufsize)
		abort();
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)buf[k] < 0x20 || (unsigned char)buf[k] >= 0x7f)
			abort();
	if (unescapes(buf, n, s, size, &o) && o == size)
		return;				/* whole */
	if (n >= 3 && strcmp(buf + n - 3, "...") == 0 &&
	    unescapes(buf, n - 3, s, size, &o) && o < size)
		return;				/* cut */
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that ASan sees any read past the end. */
	char *s = malloc(size ? size : 1), id[DOCKER_ID_MAX + 1];
	struct docker_endpoint *ep;
	struct docker_event ev;
	size_t n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	check_escape(s, size, LOG_ESCAPE_MAX);
	check_escape(s, size, 4 + (size & 31));
	if (docker_parse_network(s, size, id, &ep, &n)) {
		for (size_t i = 1; i < n; i++)
			if (memcmp(&ep[i - 1].addr, &ep[i].addr, 16) >= 0)
				abort();
		for (size_t i = 0; i < n; i++)
			if (strlen(ep[i].name) >= sizeof(ep[i].name))
				abort();
		if (strlen(id) > DOCKER_ID_MAX || (n > 0 && !ep))
			abort();
		free(ep);
	} else if (ep || n) {
		abort();
	}
	if (docker_parse_event(s, size, &ev) &&
	    (strlen(ev.network) > DOCKER_NAME_MAX ||
	     strlen(ev.container) > DOCKER_ID_MAX ||
	     strlen(ev.id) > DOCKER_ID_MAX))
		abort();
	free(s);
	return 0;
}
