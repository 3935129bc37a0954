/*
 * test/unit_rtnl.c - unit tests of rtnl.c's pure parts: the message walk
 * and its end-of-dump rules, on datagrams written here byte by byte.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "rtnl.h"
#include "unit.h"

/* A datagram under construction, aligned as the daemon's buffer is. */
struct dgram {
	union {
		struct nlmsghdr h;
		uint8_t b[4096];
	} u;
	size_t len;
};

/* Append a message: header, then payload of plen bytes. */
static void put_msg(struct dgram *d, uint16_t type, uint16_t flags,
		    uint32_t seq, uint32_t pid, const void *payload,
		    size_t plen)
{
	struct nlmsghdr h = {
		.nlmsg_len = (uint32_t)NLMSG_LENGTH(plen),
		.nlmsg_type = type,
		.nlmsg_flags = flags,
		.nlmsg_seq = seq,
		.nlmsg_pid = pid,
	};

	memcpy(d->u.b + d->len, &h, sizeof(h));
	if (plen)
		memcpy(d->u.b + d->len + NLMSG_HDRLEN, payload, plen);
	d->len += NLMSG_ALIGN(h.nlmsg_len);
}

static int count_cb(const struct nlmsghdr *h, void *arg)
{
	if (h)
		(*(int *)arg)++;
	return 0;
}

/* A data message: an ifinfomsg, which the walk does not look into. */
static void put_data(struct dgram *d, uint32_t seq)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };

	put_msg(d, RTM_NEWLINK, NLM_F_MULTI, seq, 7, &ifi, sizeof(ifi));
}

static void test_walk_done_ends_dump(void)
{
	struct dgram d = { .len = 0 };
	int zero = 0, n = 0;
	bool intr = false;

	put_data(&d, 5);
	put_data(&d, 5);
	put_msg(&d, NLMSG_DONE, NLM_F_MULTI, 5, 7, &zero, sizeof(zero));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), 1);
	CHECK_EQ(n, 2);
	CHECK(!intr);
}

/* Kernels before 4.x send NLMSG_DONE with no payload at all. */
static void test_walk_done_without_error_code(void)
{
	struct dgram d = { .len = 0 };
	int n = 0;
	bool intr = false;

	put_data(&d, 5);
	put_msg(&d, NLMSG_DONE, NLM_F_MULTI, 5, 7, NULL, 0);
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), 1);
	CHECK_EQ(n, 1);
}

/* netlink_dump_done(): a dump that failed part way (here -EMSGSIZE)
 * ends with its error in NLMSG_DONE; the messages before it are not the
 * whole table, and the caller must know. */
static void test_walk_done_with_error(void)
{
	struct dgram d = { .len = 0 };
	int err = -EMSGSIZE, n = 0;
	bool intr = false;

	put_data(&d, 5);
	put_msg(&d, NLMSG_DONE, NLM_F_MULTI, 5, 7, &err, sizeof(err));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr),
		 -EMSGSIZE);
	CHECK_EQ(n, 1);
}

static void test_walk_error_and_ack(void)
{
	struct dgram d = { .len = 0 };
	struct nlmsgerr e = { .error = -EPERM };
	int n = 0;
	bool intr = false;

	put_msg(&d, NLMSG_ERROR, 0, 9, 7, &e, sizeof(e));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 9, 7, count_cb, &n, &intr), -EPERM);
	d.len = 0;
	e.error = 0;
	put_msg(&d, NLMSG_ERROR, 0, 9, 7, &e, sizeof(e));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 9, 7, count_cb, &n, &intr), 1);
	/* A positive error is no errno: a protocol error. */
	d.len = 0;
	e.error = 5;
	put_msg(&d, NLMSG_ERROR, 0, 9, 7, &e, sizeof(e));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 9, 7, count_cb, &n, &intr), -EPROTO);
	CHECK_EQ(n, 0);
}

/* Answers to an abandoned request (another seq) are skipped, DONE and
 * errors included. */
static void test_walk_skips_other_seq(void)
{
	struct dgram d = { .len = 0 };
	int err = -EINTR, n = 0;
	bool intr = false;

	put_data(&d, 4);
	put_msg(&d, NLMSG_DONE, NLM_F_MULTI, 4, 7, &err, sizeof(err));
	put_data(&d, 5);
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), 0);
	CHECK_EQ(n, 1);
}

static void test_walk_dump_interrupted(void)
{
	struct dgram d = { .len = 0 };
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	int n = 0;
	bool intr = false;

	put_msg(&d, RTM_NEWLINK, NLM_F_MULTI | NLM_F_DUMP_INTR, 5, 7, &ifi,
		sizeof(ifi));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), 0);
	CHECK(intr);
}

static void test_walk_malformed(void)
{
	struct dgram d = { .len = 0 };
	struct nlmsghdr h;
	int n = 0;
	bool intr = false;

	put_data(&d, 5);
	/* Longer than the datagram. */
	memcpy(&h, d.u.b, sizeof(h));
	h.nlmsg_len = (uint32_t)d.len + 4;
	memcpy(d.u.b, &h, sizeof(h));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), -EINVAL);
	/* Shorter than its own header. */
	h.nlmsg_len = sizeof(h) - 1;
	memcpy(d.u.b, &h, sizeof(h));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), -EINVAL);
	/* An error message too short for its code. */
	d.len = 0;
	put_msg(&d, NLMSG_ERROR, 0, 5, 7, "\0\0", 2);
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), -EINVAL);
	CHECK_EQ(n, 0);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	RUN(test_walk_done_ends_dump);
	RUN(test_walk_done_without_error_code);
	RUN(test_walk_done_with_error);
	RUN(test_walk_error_and_ack);
	RUN(test_walk_skips_other_seq);
	RUN(test_walk_dump_interrupted);
	RUN(test_walk_malformed);
	return tests_failed ? 1 : 0;
}
