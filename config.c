/*
 * config.c - prefixes from the command line and --subnet-file, see
 * config.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

#define FILE_MAX	(256 << 20)	/* larger is surely a mistake */

int config_add(struct config *c, enum config_kind k, const char *where,
	       const char *arg, char err[CONFIG_ERR_MAX])
{
	struct prefix_list *l = &c->l[k];
	struct ndp_prefix p;
	const char *why;
	bool host_bits;

	if ((why = ndp_prefix_parse(arg, &p, &host_bits))) {
		(void)snprintf(err, CONFIG_ERR_MAX, "%s %s: %s", where, arg,
			       why);
		return -EINVAL;
	}
	if (host_bits) {
		char buf[NDP_ADDR_STRLEN];

		log_warnx("prefix_normalized given=%s using=%s/%u", arg,
			  ndp_format_addr(&p.addr, buf), p.len);
	}
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct ndp_prefix *v = reallocarray(l->v, ncap, sizeof(*v));

		if (!v) {
			(void)snprintf(err, CONFIG_ERR_MAX,
				       "out of memory for %zu prefixes", ncap);
			return -ENOMEM;
		}
		l->v = v;
		l->cap = ncap;
	}
	l->v[l->n++] = p;
	return 0;
}

/* The next word of [*p, end), NUL-terminated in place; NULL if none. */
static char *word(char **p, char *end)
{
	char *w;

	while (*p < end && (**p == ' ' || **p == '\t' || **p == '\r'))
		(*p)++;
	if (*p == end)
		return NULL;
	w = *p;
	while (*p < end && **p != ' ' && **p != '\t' && **p != '\r')
		(*p)++;
	if (*p < end)
		*(*p)++ = '\0';
	else
		*end = '\0';		/* end is the line's NUL or '\n' */
	return w;
}

int config_parse(struct config *c, const char *path, const char *text,
		 size_t len, char err[CONFIG_ERR_MAX])
{
	static char line[4096];
	unsigned lineno = 0;
	size_t at = 0;

	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		char where[CONFIG_ERR_MAX / 2], *p = line, *end, *a, *b;
		enum config_kind k = CONFIG_STATIC;
		int r;

		lineno++;
		(void)snprintf(where, sizeof(where), "%s:%u:", path, lineno);
		if (n >= sizeof(line)) {
			(void)snprintf(err, CONFIG_ERR_MAX,
				       "%s line too long", where);
			return -EINVAL;
		}
		memcpy(line, text + at, n);
		line[n] = '\0';
		at += n + 1;
		if ((end = strchr(line, '#')))
			*end = '\0';
		end = line + strlen(line);
		if (!(a = word(&p, end)))
			continue;		/* blank or a comment */
		b = word(&p, end);
		if (b && strcmp(a, "routed") == 0) {
			k = CONFIG_ROUTED;
			a = b;
			b = word(&p, end);
		} else if (b && strcmp(a, "exclude") == 0) {
			k = CONFIG_EXCLUDE;
			a = b;
			b = word(&p, end);
		}
		if (b) {
			(void)snprintf(err, CONFIG_ERR_MAX, "%s one prefix a "
				       "line (PREFIX, routed PREFIX or "
				       "exclude PREFIX)", where);
			return -EINVAL;
		}
		if ((r = config_add(c, k, where, a, err)) < 0)
			return r;
	}
	return 0;
}

int config_read_file(const char *path, char **text, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;
	int fd, err = 0;

	if (!buf)
		return -ENOMEM;
	/* No O_CLOEXEC: we never exec, and musl adds an fcntl() for it. */
	if ((fd = open(path, O_RDONLY)) < 0) {
		err = -errno;
		free(buf);
		return err;
	}
	for (;;) {
		ssize_t k;

		if (n + 1 == cap) {
			if (cap >= FILE_MAX || !(nb = realloc(buf, cap * 2))) {
				err = cap >= FILE_MAX ? -EFBIG : -ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		k = read(fd, buf + n, cap - n - 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			err = -errno;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	(void)close(fd);
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int config_copy(struct config *dst, const struct config *src)
{
	memset(dst, 0, sizeof(*dst));
	for (int k = 0; k < CONFIG_KINDS; k++) {
		const struct prefix_list *s = &src->l[k];
		struct prefix_list *d = &dst->l[k];

		if (!s->n)
			continue;
		if (!(d->v = calloc(s->n, sizeof(*d->v)))) {
			config_free(dst);
			return -ENOMEM;
		}
		memcpy(d->v, s->v, s->n * sizeof(*d->v));
		d->n = d->cap = s->n;
	}
	return 0;
}

void config_free(struct config *c)
{
	for (int k = 0; k < CONFIG_KINDS; k++)
		free(c->l[k].v);
	memset(c, 0, sizeof(*c));
}

/* ndp_prefix_set's order: by length, then address. */
static int order(const struct ndp_prefix *x, const struct ndp_prefix *y)
{
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(&x->addr, &y->addr, sizeof(x->addr));
}

size_t config_count_new(const struct ndp_prefix_set *a,
			const struct ndp_prefix_set *b)
{
	size_t i = 0, j = 0, n = 0;

	while (i < a->n) {
		int c = j < b->n ? order(&a->v[i], &b->v[j]) : -1;

		if (c < 0) {
			n++;
			i++;
		} else if (c > 0) {
			j++;
		} else {
			i++;
			j++;
		}
	}
	return n;
}
