/*
 * config.h - the prefixes the daemon answers for: from the command line
 * (-n, -r, -x) and from --subnet-file, read at start and again on
 * SIGHUP. A file has one entry a line:
 *
 *	PREFIX			as -n
 *	routed PREFIX		as -r
 *	exclude PREFIX		as -x
 *
 * with "#" starting a comment. Parsing is pure (no system calls); an
 * error names FILE:LINE.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "ndp.h"

enum config_kind { CONFIG_STATIC, CONFIG_ROUTED, CONFIG_EXCLUDE,
		   CONFIG_KINDS };

struct prefix_list {
	struct ndp_prefix *v;
	size_t n, cap;
};

struct config {
	struct prefix_list l[CONFIG_KINDS];
};

#define CONFIG_ERR_MAX 512
#define CONFIG_FILES_MAX 16		/* --subnet-file, at most */

/* Add the prefix arg: 0, -EINVAL with the reason in err, or -ENOMEM.
 * where ("-n", "FILE:LINE:") starts the message. A prefix with host
 * bits set is taken with them cleared and said at WARN. */
int config_add(struct config *c, enum config_kind k, const char *where,
	       const char *arg, char err[CONFIG_ERR_MAX]);
/* The entries of a file's text: 0, or -EINVAL/-ENOMEM with err. */
int config_parse(struct config *c, const char *path, const char *text,
		 size_t len, char err[CONFIG_ERR_MAX]);
/* Read a file whole (open, read, close: what the sandbox allows), NUL
 * added; free *text. 0 or -errno. */
int config_read_file(const char *path, char **text, size_t *len);
/* dst = a copy of src. 0 or -ENOMEM. */
int config_copy(struct config *dst, const struct config *src);
void config_free(struct config *c);

/* Entries in a but not in b (both sets, sorted: ndp_prefix_set). */
size_t config_count_new(const struct ndp_prefix_set *a,
			const struct ndp_prefix_set *b);

#endif
