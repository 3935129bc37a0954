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
# Size first (it must stay under 100 KiB): -Os after CFLAGS, and one
# read-only-and-executable segment instead of page-aligned separate ones
# (-z noseparate-code saves 8 KiB of padding); no unwind tables, which
# nothing uses in a stripped C program (6 KiB); a section per function
# and object, so that --gc-sections drops what is never called (4 KiB).
STATIC_CFLAGS ?= -Os -fno-asynchronous-unwind-tables -ffunction-sections \
	-fdata-sections
STATIC_LDFLAGS ?= -static -s -Wl,--gc-sections -Wl,-z,noseparate-code
STATIC_DIR = build/static
MUSL_INCLUDE = build/musl-include

CC ?= cc
CFLAGS ?= -O2 -g
WARNFLAGS = -Wall -Wextra -Wshadow -Wformat=2 -Wconversion -Wsign-conversion \
	-Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wvla \
	-Wundef -Wcast-align
ALL_CPPFLAGS = -D_GNU_SOURCE -DVERSION='"$(VERSION)"' $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(WARNFLAGS) $(CFLAGS)

ifeq ($(SANITIZE),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

DAEMON_OBJS = ndpresponder.o ndp.o log.o rtnl.o uplink.o sandbox.o \
	docker.o json.o http.o
STATIC_OBJS = $(DAEMON_OBJS:%.o=$(STATIC_DIR)/%.o)
UNITS = ndpresponder.service ndpresponder@.service
TEST_PROGS = test/unit test/unit-san test/unit_docker test/unit_docker-san \
	test/nsprobe test/nsflood

all: ndpresponder

ndpresponder: $(DAEMON_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(DAEMON_OBJS) $(LDLIBS)

%.o: %.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -I. -c -o $@ $<

ndpresponder.o: ndpresponder.c ndp.h log.h bpf_filter.h rtnl.h uplink.h \
	sandbox.h docker.h http.h
docker.o: docker.c docker.h http.h json.h log.h ndp.h
json.o: json.c json.h
http.o: http.c http.h
ndp.o: ndp.c ndp.h
log.o: log.c log.h
rtnl.o: rtnl.c rtnl.h
uplink.o: uplink.c uplink.h rtnl.h ndp.h log.h
sandbox.o: sandbox.c sandbox.h log.h
test/unit.o: test/unit.c test/unit.h ndp.h bpf_filter.h
test/nsprobe.o: test/nsprobe.c ndp.h
test/nsflood.o: test/nsflood.c ndp.h
test/unit_docker.o: test/unit_docker.c test/unit.h docker.h http.h json.h

UNIT_DOCKER_OBJS = test/unit_docker.o docker.o json.o http.o log.o ndp.o
test/unit_docker: $(UNIT_DOCKER_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(UNIT_DOCKER_OBJS) $(LDLIBS)

test/unit: test/unit.o ndp.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ test/unit.o ndp.o $(LDLIBS)

# The unit tests again under ASan and UBSan, built apart from the rest.
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
test/unit-san: test/unit.c ndp.c $(wildcard *.h test/*.h)
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
# build and the fuzzers are made where musl-gcc and clang exist.
check: ndpresponder ndpresponder-asan $(TEST_PROGS)
	if command -v $(MUSL_CC) >/dev/null; then $(MAKE) static; fi
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
	$(MUSL_CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(STATIC_CFLAGS) \
		-isystem $(MUSL_INCLUDE) -I. -c -o $@ $<

$(STATIC_OBJS): $(wildcard *.h)

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

clean:
	rm -f ndpresponder ndpresponder-static ndpresponder-asan *.o \
		test/*.o $(TEST_PROGS) bench/*.o bench/nsload
	rm -rf build fuzz/out

.PHONY: all check install uninstall static fuzz clean

# make bench: the benchmark, side by side with ndppd and proxy_ndp (root;
# see bench/run.sh); make bench-short: a tiny version that shows it runs.
bench/nsload: bench/nsload.o ndp.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -pthread -o $@ bench/nsload.o ndp.o \
		$(LDLIBS)

bench/nsload.o: bench/nsload.c ndp.h

bench: ndpresponder bench/nsload
	bash bench/run.sh

bench-short: ndpresponder bench/nsload
	bash bench/run.sh --short

.PHONY: bench bench-short
