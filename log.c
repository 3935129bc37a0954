/*
 * log.c - logging to stderr. Under systemd (stderr is the stream named
 * by JOURNAL_STREAM) each line starts with a syslog priority "<N>" so
 * that journald keeps the level, and the journal adds the time; else
 * each line starts with a UTC timestamp and the level name.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static enum log_level threshold = LOG_INFO;
static bool journal;

static const struct {
	const char *name;
	int priority;		/* syslog(3) priority */
} levels[] = {
	[LOG_DEBUG] = { "DEBUG", 7 },
	[LOG_INFO] = { "INFO", 6 },
	[LOG_WARN] = { "WARN", 4 },
	[LOG_ERROR] = { "ERROR", 3 },
	[LOG_FATAL] = { "FATAL", 2 },
};

int log_parse_level(const char *name)
{
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strcasecmp(name, levels[i].name) == 0)
			return (int)i;
	return -1;
}

/* systemd.exec(5): JOURNAL_STREAM is "DEV:INODE" of the stream. */
static bool stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char *end;

	/* strtoull, not sscanf, which would add 10 KiB to a static build. */
	if (!env)
		return false;
	dev = strtoull(env, &end, 10);
	if (end == env || *end != ':')
		return false;
	env = end + 1;
	ino = strtoull(env, &end, 10);
	if (end == env || *end != '\0')
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

void log_init(enum log_level level)
{
	threshold = level;
	journal = stderr_is_journal();
}

bool log_enabled(enum log_level level)
{
	return level >= threshold;
}

/* c escaped into out[0..4); returns its length. */
static size_t escape_byte(unsigned char c, char *out)
{
	static const char hex[] = "0123456789abcdef";

	if (c == '"' || c == '\\') {
		out[0] = '\\';
		out[1] = (char)c;
		return 2;
	}
	if (c >= 0x20 && c < 0x7f) {
		out[0] = (char)c;
		return 1;
	}
	out[0] = '\\';
	if (c == '\n' || c == '\r' || c == '\t') {
		out[1] = (char)(c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		return 2;
	}
	out[1] = 'x';
	out[2] = hex[c >> 4];
	out[3] = hex[c & 0xf];
	return 4;
}

const char *log_escape(char *buf, size_t size, const char *s, size_t n)
{
	size_t o = 0, i, need = 0, room;
	char e[4];

	if (size == 0)
		return "";
	for (i = 0; i < n && need < size; i++)
		need += escape_byte((unsigned char)s[i], e);
	/* Whole, or as much as leaves room for "..." and the NUL. */
	room = need < size || size < 4 ? size - 1 : size - 4;
	for (i = 0; i < n; i++) {
		size_t k = escape_byte((unsigned char)s[i], e);

		if (o + k > room)
			break;
		memcpy(buf + o, e, k);
		o += k;
	}
	if (i < n && size >= 4) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

__attribute__((format(printf, 3, 0)))
static void vlog(enum log_level level, int err, const char *fmt, va_list ap)
{
	char line[1024];
	size_t n = 0;
	int r;

	if (!log_enabled(level))
		return;
	if (journal) {
		r = snprintf(line, sizeof(line), "<%d>", levels[level].priority);
	} else {
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		r = snprintf(line, sizeof(line),
			     "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ",
			     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			     tm.tm_hour, tm.tm_min, tm.tm_sec,
			     ts.tv_nsec / 1000000, levels[level].name);
	}
	if (r > 0)
		n = (size_t)r;
	if (n < sizeof(line)) {
		/* Every caller did va_start; clang 14 misreports this. */
		/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
		r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		if (r > 0)
			n += (size_t)r;
	}
	if (err && n < sizeof(line)) {
		r = snprintf(line + n, sizeof(line) - n, " error=\"%s\"",
			     strerror(err));
		if (r > 0)
			n += (size_t)r;
	}
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;	/* truncated: keep one line */
	line[n++] = '\n';
	/* One write per line, so concurrent writers never interleave. */
	if (write(STDERR_FILENO, line, n) < 0) {
		/* nowhere left to report it */
	}
}

#define LOG_FN(fn, level, with_errno)				\
	void fn(const char *fmt, ...)				\
	{							\
		int saved = errno;				\
		va_list ap;					\
								\
		va_start(ap, fmt);				\
		vlog(level, (with_errno) ? saved : 0, fmt, ap);	\
		va_end(ap);					\
		errno = saved;					\
	}

LOG_FN(log_debug, LOG_DEBUG, 0)
LOG_FN(log_info, LOG_INFO, 0)
LOG_FN(log_warn, LOG_WARN, 1)
LOG_FN(log_warnx, LOG_WARN, 0)
LOG_FN(log_error, LOG_ERROR, 1)
LOG_FN(log_errorx, LOG_ERROR, 0)

void log_warnc(int code, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARN, code, fmt, ap);
	va_end(ap);
	errno = saved;
}

void fatalc(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_FATAL, code, fmt, ap);
	va_end(ap);
	exit(1);
}

void fatal(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_FATAL, err, fmt, ap);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_FATAL, 0, fmt, ap);
	va_end(ap);
	exit(1);
}
