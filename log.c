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
