/*
 * test/unit.h - the tiny test framework of the unit test programs.
 *
 * Each test is a function test_foo(void), run by RUN(test_foo), which
 * prints "PASS foo" or "FAIL foo: file:line: what" (the first failed
 * check) on stdout; test/run.sh tallies those lines. main() returns
 * tests_failed ? 1 : 0. Included by one file of each program only.
 */
#ifndef TEST_UNIT_H
#define TEST_UNIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool test_failed;		/* the current test has failed */
static char test_why[512];		/* its first failure */
static int tests_failed;

__attribute__((format(printf, 3, 4)))
static void fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (test_failed)
		return;			/* keep the first failure */
	test_failed = true;
	n = snprintf(test_why, sizeof(test_why), "%s:%d: ", file, line);
	if (n < 0 || (size_t)n >= sizeof(test_why))
		return;
	va_start(ap, fmt);
	(void)vsnprintf(test_why + n, sizeof(test_why) - (size_t)n, fmt, ap);
	va_end(ap);
}

#define FAILF(...) fail_at(__FILE__, __LINE__, __VA_ARGS__)

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			FAILF("%s", #cond);				\
	} while (0)

/* CHECK with a printf-style explanation, for checks inside loops. */
#define CHECKF(cond, ...)						\
	do {								\
		if (!(cond))						\
			FAILF(__VA_ARGS__);				\
	} while (0)

#define CHECK_EQ(got, want)						\
	do {								\
		long long got_ = (long long)(got);			\
		long long want_ = (long long)(want);			\
		if (got_ != want_)					\
			FAILF("%s == %s: got %lld (0x%llx), want %lld (0x%llx)", \
			      #got, #want, got_, (unsigned long long)got_, \
			      want_, (unsigned long long)want_);	\
	} while (0)

#define CHECK_STR(got, want)						\
	do {								\
		const char *got_ = (got), *want_ = (want);		\
		if (strcmp(got_, want_) != 0)				\
			FAILF("%s: got \"%s\", want \"%s\"", #got,	\
			      got_, want_);				\
	} while (0)

typedef void test_fn(void);

static void run(const char *name, test_fn *fn)
{
	test_failed = false;
	test_why[0] = '\0';
	fn();
	if (test_failed) {
		printf("FAIL %s: %s\n", name, test_why);
		tests_failed++;
	} else {
		printf("PASS %s\n", name);
	}
}

/* Run test_foo as "foo". */
#define RUN(fn) run(&#fn[sizeof("test_") - 1], fn)

#endif
