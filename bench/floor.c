/*
 * floor - the benchmark's memory floor: a process of the daemon's libc
 * that does nothing. Its peak RSS (VmHWM) is what the C library and the
 * kernel's process set-up cost before any code of ours runs; the bench
 * builds it as ./ndpresponder is built (glibc, dynamic) and as
 * `make static` builds (musl, static), and reports the daemon's RSS as
 * a multiple of it.
 *
 * It blocks in pause() until a signal ends it (SIGTERM).
 */
#include <unistd.h>

int main(void)
{
	for (;;)
		pause();
}
