/*
 * log.h - one line per event on stderr, "event key=value ...".
 */
#ifndef LOG_H
#define LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_DEBUG,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
	LOG_FATAL,
};

#define LOG_PRINTF(f, a) __attribute__((format(printf, f, a)))

/*
 * What comes from outside (a peer's JSON or HTTP) goes through this
 * before it is logged, as key="%s": s[0..n) copied into buf (size
 * bytes, at least 4, NUL-terminated) with '"' and '\\' as \" and \\,
 * and control characters and bytes past ASCII as \n, \r, \t or \xHH,
 * so that it can neither end the value nor the line. If it does not
 * fit, it is cut between two of those and ends in "...". Returns buf.
 */
#define LOG_ESCAPE_MAX	256		/* a good size for buf */
const char *log_escape(char *buf, size_t size, const char *s, size_t n);

/* Parse a level name (case-insensitive); -1 if unknown. */
int log_parse_level(const char *name);
/* Set the threshold; detect whether stderr is the journal. */
void log_init(enum log_level level);
bool log_enabled(enum log_level level);

void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
/* log_warn and log_error append errno's message; the x forms do not. */
void log_warn(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_error(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_errorx(const char *fmt, ...) LOG_PRINTF(1, 2);
/* The c forms append the message of code (an errno value), for the
 * callers of functions that return -errno. */
void log_warnc(int code, const char *fmt, ...) LOG_PRINTF(2, 3);
/* Before the event loop only: log and exit with status 1. */
_Noreturn void fatal(const char *fmt, ...) LOG_PRINTF(1, 2);
_Noreturn void fatalx(const char *fmt, ...) LOG_PRINTF(1, 2);
_Noreturn void fatalc(int code, const char *fmt, ...) LOG_PRINTF(2, 3);

#endif
