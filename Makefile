# ndpresponder - answer IPv6 Neighbor Solicitations from the target address.
# Plain make; respects CC CFLAGS CPPFLAGS LDFLAGS PREFIX DESTDIR.

VERSION = 0.1.0

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system

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

DAEMON_OBJS = ndpresponder.o ndp.o log.o
TEST_PROGS = test/unit test/nsprobe

all: ndpresponder

ndpresponder: $(DAEMON_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(DAEMON_OBJS) $(LDLIBS)

%.o: %.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -I. -c -o $@ $<

ndpresponder.o: ndpresponder.c ndp.h log.h bpf_filter.h
ndp.o: ndp.c ndp.h
log.o: log.c log.h
test/unit.o: test/unit.c ndp.h bpf_filter.h
test/nsprobe.o: test/nsprobe.c ndp.h

test/unit: test/unit.o ndp.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ test/unit.o ndp.o $(LDLIBS)

test/nsprobe: test/nsprobe.o ndp.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ test/nsprobe.o ndp.o $(LDLIBS)

# Unit tests need nothing; integration tests need root and the tools
# that test/deps.sh installs, and print SKIP without them.
check: ndpresponder $(TEST_PROGS)
	sh test/run.sh

install: ndpresponder
	install -d $(DESTDIR)$(SBINDIR)
	install -m 0755 ndpresponder $(DESTDIR)$(SBINDIR)/ndpresponder

clean:
	rm -f ndpresponder *.o test/*.o $(TEST_PROGS)

.PHONY: all check install clean
