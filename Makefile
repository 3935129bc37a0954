# ndpresponder - answer IPv6 Neighbor Solicitations from the target address.
# Plain make; respects CC CFLAGS CPPFLAGS LDFLAGS PREFIX DESTDIR.

VERSION = 0.1.0

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install

# make static: a fully static binary against musl (Debian: musl-tools).
# musl-gcc sees only musl's headers; the kernel UAPI headers come from a
# private directory of symlinks, so that no glibc header is pulled in.
MUSL_CC ?= musl-gcc
UAPI_INCLUDE ?= /usr/include
MULTIARCH ?= $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || \
	gcc -print-multiarch 2>/dev/null)
# Size first (it must stay under 128 KiB): -Os after CFLAGS, and one
# read-only-and-executable segment instead of page-aligned separate ones
# (-z noseparate-code saves 8 KiB of padding); no unwind tables, which
# nothing uses in a stripped C program (6 KiB); a section per function
# and object, so that --gc-sections drops what is never called (4 KiB).
STATIC_CFLAGS ?= -Os -fno-asynchronous-unwind-tables -ffunction-sections \
	-fdata-sections
# musl's static start-up applies no PT_GNU_RELRO (strace shows no
# mprotect before main), so RELRO would only pad the file to a page
# boundary: -z norelro (4 KiB).
STATIC_LDFLAGS ?= -static -s -Wl,--gc-sections -Wl,-z,noseparate-code \
	-Wl,-z,norelro
STATIC_DIR = build/static
MUSL_INCLUDE = build/musl-include
# make i386: the daemon for 32-bit x86 (Debian: gcc-multilib), whose
# system calls differ (socketcall, mmap2, time64): its own objects.
I386_FLAGS ?= -m32
I386_DIR = build/i386

CC ?= cc
CFLAGS ?= -O2 -g
WARNFLAGS = -Wall -Wextra -Wshadow -Wformat=2 -Wconversion -Wsign-conversion \
	-Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wvla \
	-Wundef -Wcast-align
ALL_CPPFLAGS = -D_GNU_SOURCE -DVERSION='"$(VERSION)"' $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(WARNFLAGS) $(CFLAGS)


DAEMON_OBJS = ndpresponder.o responder.o targets.o routes.o neigh.o \
	metrics.o config.o check.o ndp.o log.o rtnl.o uplink.o sandbox.o docker.o json.o \
	http.o
STATIC_OBJS = $(DAEMON_OBJS:%.o=$(STATIC_DIR)/%.o)
I386_OBJS = $(DAEMON_OBJS:%.o=$(I386_DIR)/%.o)
UNITS = ndpresponder.service ndpresponder@.service
TEST_PROGS = test/unit test/unit-san test/unit_docker test/unit_docker-san \
	test/unit_rtnl test/unit_rtnl-san test/unit_routes test/unit_routes-san \
	test/unit_sandbox test/nsprobe test/nsflood

all: ndpresponder

ndpresponder: $(DAEMON_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(DAEMON_OBJS) $(LDLIBS)

%.o: %.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -I. -c -o $@ $<

# Header dependencies, written by the compiler as it goes (-MMD -MP).
-include $(wildcard *.d test/*.d bench/*.d $(STATIC_DIR)/*.d $(I386_DIR)/*.d \
	$(I386_DIR)/test/*.d)

UNIT_DOCKER_OBJS = test/unit_docker.o docker.o json.o http.o log.o ndp.o
test/unit_docker: $(UNIT_DOCKER_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_DOCKER_OBJS) $(LDLIBS)

UNIT_OBJS = test/unit.o ndp.o targets.o config.o log.o
test/unit: $(UNIT_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(LDLIBS)

test/unit_rtnl: test/unit_rtnl.o rtnl.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ test/unit_rtnl.o rtnl.o $(LDLIBS)

UNIT_ROUTES_OBJS = test/unit_routes.o routes.o neigh.o rtnl.o ndp.o log.o
test/unit_routes: $(UNIT_ROUTES_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_ROUTES_OBJS) $(LDLIBS)

# The seccomp allow-list in force, as sandbox.c builds it.
UNIT_SANDBOX_OBJS = test/unit_sandbox.o sandbox.o log.o
test/unit_sandbox: $(UNIT_SANDBOX_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_SANDBOX_OBJS) $(LDLIBS)


# One sanitizer mechanism: the -san unit tests and ndpresponder-asan are
# built apart from the rest with SAN_FLAGS (no SANITIZE=1 build of the
# normal objects, whose flags make does not track).
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
test/unit-san: $(UNIT_OBJS:.o=.c) $(wildcard *.h test/*.h)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -I. $(LDFLAGS) \
		-o $@ $(filter %.c,$^) $(LDLIBS)
test/unit_rtnl-san: test/unit_rtnl.c rtnl.c $(wildcard *.h test/*.h)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -I. $(LDFLAGS) \
		-o $@ $(filter %.c,$^) $(LDLIBS)
test/unit_routes-san: $(UNIT_ROUTES_OBJS:.o=.c) $(wildcard *.h test/*.h)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -I. $(LDFLAGS) \
		-o $@ $(filter %.c,$^) $(LDLIBS)
test/unit_docker-san: $(UNIT_DOCKER_OBJS:.o=.c) $(wildcard *.h test/*.h)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -I. $(LDFLAGS) \
		-o $@ $(filter %.c,$^) $(LDLIBS)

test/nsprobe: test/nsprobe.o ndp.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ test/nsprobe.o ndp.o $(LDLIBS)

test/nsflood: test/nsflood.o ndp.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ test/nsflood.o ndp.o $(LDLIBS)

# The daemon under ASan and UBSan, for the integration tests.
ndpresponder-asan: $(DAEMON_OBJS:.o=.c) $(wildcard *.h)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(SAN_FLAGS) -I. $(LDFLAGS) \
		-o $@ $(DAEMON_OBJS:.o=.c) $(LDLIBS)

# libFuzzer harnesses: fuzz/fuzz_X.c exercises X.c.
FUZZ_CC ?= clang
FUZZERS = $(patsubst fuzz/%.c,fuzz/out/%,$(wildcard fuzz/fuzz_*.c))
fuzz: $(FUZZERS)
fuzz/out/fuzz_%: fuzz/fuzz_%.c %.c $(wildcard *.h)
	@mkdir -p fuzz/out
	$(FUZZ_CC) $(ALL_CPPFLAGS) -g -O1 -I. \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $< $*.c
# The Docker client's parsers, with what they stand on.
fuzz/out/fuzz_docker: fuzz/fuzz_docker.c docker.c json.c http.c log.c ndp.c \
	$(wildcard *.h)
	@mkdir -p fuzz/out
	$(FUZZ_CC) $(ALL_CPPFLAGS) -g -O1 -I. \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(filter %.c,$^)
# The Docker client end to end: connections' bytes to the address set.
fuzz/out/fuzz_conn: fuzz/fuzz_conn.c docker.c json.c http.c log.c ndp.c \
	$(wildcard *.h)
	@mkdir -p fuzz/out
	$(FUZZ_CC) $(ALL_CPPFLAGS) -g -O1 -I. \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ $(filter %.c,$^)

# Unit tests need nothing; integration tests need root and the tools
# that test/deps.sh installs, and print SKIP without them. The static
# and i386 builds and the fuzzers are made where musl-gcc, a 32-bit libc
# and clang exist.
check: ndpresponder ndpresponder-asan $(TEST_PROGS)
	if command -v $(MUSL_CC) >/dev/null; then $(MAKE) static; fi
	if echo 'int main(void) { return 0; }' | $(CC) $(I386_FLAGS) \
		-x c -o /dev/null - 2>/dev/null; then $(MAKE) i386; fi
	if command -v $(FUZZ_CC) >/dev/null; then $(MAKE) fuzz; fi
	sh test/run.sh

# The units name the binary as /usr/sbin/ndpresponder; install writes
# $(SBINDIR) in its place. SYSTEMDUNITDIR= (empty) leaves the units out.
install: ndpresponder
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 0755 ndpresponder $(DESTDIR)$(SBINDIR)/ndpresponder
	$(INSTALL) -m 0644 ndpresponder.8 $(DESTDIR)$(MANDIR)/man8/ndpresponder.8
	if [ -n "$(SYSTEMDUNITDIR)" ]; then \
		$(INSTALL) -d $(DESTDIR)$(SYSTEMDUNITDIR) || exit 1; \
		for u in $(UNITS); do \
			sed 's|/usr/sbin/ndpresponder|$(SBINDIR)/ndpresponder|g' \
				systemd/$$u > $(DESTDIR)$(SYSTEMDUNITDIR)/$$u && \
			chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u || exit 1; \
		done; \
	fi

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/ndpresponder \
		$(DESTDIR)$(MANDIR)/man8/ndpresponder.8
	if [ -n "$(SYSTEMDUNITDIR)" ]; then \
		for u in $(UNITS); do \
			rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/$$u; \
		done; \
	fi

static: ndpresponder-static

ndpresponder-static: $(STATIC_OBJS)
	$(MUSL_CC) $(ALL_CFLAGS) $(STATIC_CFLAGS) $(LDFLAGS) $(STATIC_LDFLAGS) \
		-o $@ $(STATIC_OBJS)

$(STATIC_DIR)/%.o: %.c $(MUSL_INCLUDE)/.stamp
	@mkdir -p $(STATIC_DIR)
	$(MUSL_CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(STATIC_CFLAGS) -MMD -MP \
		-isystem $(MUSL_INCLUDE) -I. -c -o $@ $<

$(MUSL_INCLUDE)/.stamp:
	rm -rf $(MUSL_INCLUDE)
	mkdir -p $(MUSL_INCLUDE)
	asm=$(UAPI_INCLUDE)/$(MULTIARCH)/asm; \
	if [ -z "$(MULTIARCH)" ] || [ ! -d "$$asm" ]; then \
		asm=$(UAPI_INCLUDE)/asm; fi; \
	if [ ! -d $(UAPI_INCLUDE)/linux ] || [ ! -d "$$asm" ]; then \
		echo "no kernel UAPI headers: install linux-libc-dev" >&2; \
		exit 1; fi; \
	ln -s $(UAPI_INCLUDE)/linux $(MUSL_INCLUDE)/linux && \
	ln -s $(UAPI_INCLUDE)/asm-generic $(MUSL_INCLUDE)/asm-generic && \
	ln -s "$$asm" $(MUSL_INCLUDE)/asm
	touch $@

i386: ndpresponder-i386 test/unit_sandbox-i386

ndpresponder-i386: $(I386_OBJS)
	$(CC) $(ALL_CFLAGS) $(I386_FLAGS) $(LDFLAGS) -o $@ $(I386_OBJS) $(LDLIBS)

test/unit_sandbox-i386: $(UNIT_SANDBOX_OBJS:%.o=$(I386_DIR)/%.o)
	$(CC) $(ALL_CFLAGS) $(I386_FLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(I386_DIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(I386_FLAGS) -MMD -MP -I. -c -o $@ $<


clean:
	rm -f ndpresponder ndpresponder-static ndpresponder-asan \
		ndpresponder-i386 test/unit_sandbox-i386 *.o *.d \
		test/*.o test/*.d $(TEST_PROGS) bench/*.o bench/*.d $(BENCH_PROGS)
	rm -rf build fuzz/out

.PHONY: all check install uninstall static i386 fuzz clean

# make bench: the benchmark, side by side with ndppd and proxy_ndp (root;
# see bench/run.sh); make bench-short: a tiny version that shows it runs.
# bench/ceiling: the daemon's socket answering with a fixed NA, the
# upper bound; bench/floor and bench/floor-static: a process that does
# nothing, built as ndpresponder and ndpresponder-static are, the lower
# bound for RSS (run.sh makes floor-static when musl-gcc is there).
BENCH_PROGS = bench/nsload bench/ceiling bench/floor bench/floor-static
bench/nsload: bench/nsload.o ndp.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -pthread -o $@ bench/nsload.o ndp.o \
		$(LDLIBS)

bench/ceiling: bench/ceiling.o ndp.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ bench/ceiling.o ndp.o $(LDLIBS)

bench/floor: bench/floor.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ bench/floor.o $(LDLIBS)

bench/floor-static: bench/floor.c $(MUSL_INCLUDE)/.stamp
	$(MUSL_CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(STATIC_CFLAGS) \
		-isystem $(MUSL_INCLUDE) -I. $(LDFLAGS) $(STATIC_LDFLAGS) \
		-o $@ bench/floor.c

bench: ndpresponder bench/nsload bench/ceiling bench/floor
	bash bench/run.sh

bench-short: ndpresponder bench/nsload bench/ceiling bench/floor
	bash bench/run.sh --short

.PHONY: bench bench-short
