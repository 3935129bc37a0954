/*
 * clock.h - milliseconds of CLOCK_MONOTONIC, for timers and hold-offs:
 * it never jumps with the wall clock and cannot fail with a valid id.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#endif
