/*
 * docker.h - Docker network mode (-N): the IPv6 addresses that
 * containers hold on the named Docker networks, learnt from dockerd
 * (or Podman's service, through its Docker-compatible API) over its
 * unix socket with our own HTTP (http.h) and JSON (json.h) code, and
 * followed through its event stream.
 *
 * Everything runs in the caller's poll loop and never blocks: two
 * non-blocking connections (the long-lived /events stream and one
 * query at a time) and a timerfd for backoff, debounce and timeouts,
 * which is disarmed while all is quiet. The address set is rebuilt
 * outside the packet path; docker_contains() only searches it.
 */
#ifndef DOCKER_H
#define DOCKER_H

#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

#include "http.h"
#include "targets.h"

#define DOCKER_NETS_MAX		32	/* -N options */
#define DOCKER_NAME_MAX		128	/* bytes of a network name */
#define DOCKER_ID_MAX		64	/* a network ID: 64 hex digits */
#define DOCKER_REQ_MAX		8192	/* one request, filters included */
#define DOCKER_NFDS		3	/* pollfd entries docker_pollfds fills */
#define DOCKER_API_MAX		16	/* "1.41", "4.3.1", with room */
#define DOCKER_SOCKET_DEFAULT	"/var/run/docker.sock"

/* A container's address, with its name for the log. */
struct docker_endpoint {
	struct in6_addr addr;
	char name[64];
};

/* What an event says; "" for what it does not. */
struct docker_event {
	char type[16];			/* "network", "container" */
	char action[32];		/* "connect", "disconnect", ... */
	char id[DOCKER_ID_MAX + 1];	/* the network's (Podman: the
					 * container's) */
	char network[DOCKER_NAME_MAX + 1];	/* (Podman: the container) */
	char container[DOCKER_ID_MAX + 1];
};

/* Called for each address that appears, to announce it. */
typedef void (*docker_announce_fn)(void *arg, const struct in6_addr *addr);

struct docker_net {
	char name[DOCKER_NAME_MAX + 1];
	char id[DOCKER_ID_MAX + 1];	/* learnt; "" until then */
	struct in6_addr *addr;		/* last known, sorted, unique */
	size_t naddr;
	bool dirty;			/* to be queried */
	bool missing;			/* dockerd said 404; warned */
};

struct docker_conn {
	int fd;				/* -1 while closed */
	int state;			/* connecting, sending, reading */
	int kind;			/* ping, events, network query */
	size_t net;			/* the network queried */
	unsigned gen;			/* new for each socket */
	uint64_t deadline;		/* ms, CLOCK_MONOTONIC; 0: none */
	char req[DOCKER_REQ_MAX];
	size_t req_len, req_off;
	struct http_reader http;
	char *buf;			/* body, or the current event line */
	size_t len, cap, max;
	bool skipping;			/* the rest of an oversize line */
};

struct docker_counters {
	uint64_t connects;		/* resynchronisations begun */
	uint64_t events;		/* event lines taken */
	uint64_t queries;		/* network queries answered */
	uint64_t http_errors;		/* malformed or oversize HTTP */
	uint64_t json_errors;		/* malformed or oversize JSON */
	uint64_t status_errors;		/* unexpected HTTP status */
	uint64_t lost;			/* connection failures, timeouts */
};

struct docker {
	struct sockaddr_un sun;
	socklen_t sun_len;
	struct docker_net nets[DOCKER_NETS_MAX];
	size_t nnets;

	docker_announce_fn announce;
	void *arg;

	bool running;			/* docker_start was called */
	bool test;			/* docker_test_begin was */
	int timerfd;
	uint64_t armed;			/* timer's expiry; 0: disarmed */
	uint64_t retry_at;		/* reconnect; 0: none */
	uint64_t debounce_at;		/* queries after events; 0: none */
	unsigned backoff_ms;		/* the next reconnect delay */
	int phase;			/* down, ping, subscribe, up */
	bool syncing;			/* a full resync is under way */
	bool said_up, said_down;	/* logged once per change */
	char api[DOCKER_API_MAX];	/* "1.41" */
	bool podman;			/* the engine is Podman's service */
	char libpod[DOCKER_API_MAX];	/* its Libpod-Api-Version */

	struct docker_conn ev, q;
	unsigned gen;
	unsigned polled_gen[2];		/* ev, q as docker_pollfds saw them */

	/* All networks' addresses, sorted and unique, for lookups. */
	struct in6_addr *set;
	size_t nset;

	struct docker_counters c;
	char rbuf[16384];		/* socket reads */
};

/* Docker's network names: [A-Za-z0-9][A-Za-z0-9_.-]*, at most 128. */
bool docker_network_name_ok(const char *name);

/* Before docker_start. NULL, or why it is refused (a usage error). */
const char *docker_add_network(struct docker *d, const char *name);
/* DOCKER_HOST: NULL or "" for the default; only unix://PATH. */
const char *docker_set_host(struct docker *d, const char *docker_host);

/* Begin (a no-op without networks); fatal only if no timerfd. */
void docker_start(struct docker *d, docker_announce_fn fn, void *arg);

/* Fill pfd[0..DOCKER_NFDS) before each poll (fd -1: nothing). */
void docker_pollfds(struct docker *d, struct pollfd *pfd);
/* Handle what poll reported on them. */
void docker_process(struct docker *d, const struct pollfd *pfd);

/* Whether a container holds addr: a binary search, no allocation. */
bool docker_contains(const struct docker *d, const struct in6_addr *addr);

/* The current addresses (for announcing them again). */
static inline size_t docker_addresses(const struct docker *d,
				      const struct in6_addr **v)
{
	*v = d->set;
	return d->nset;
}

/* As a source of targets (targets.h): a container's address is in
 * use; next walks the addresses for the announcement sweep. */
enum target_match docker_match(void *d, const struct ndp_ns *ns);
const struct in6_addr *docker_next(const void *d, size_t *cursor);

/*
 * The parsers, for the tests too. A network inspect document (GET
 * /networks/NAME) gives its ID (or "") and, in a new array, the
 * containers' IPv6 addresses, sorted and unique; an event line gives
 * a struct docker_event. false if malformed.
 */
bool docker_parse_network(const char *body, size_t len,
			  char id[DOCKER_ID_MAX + 1],
			  struct docker_endpoint **out, size_t *n);
bool docker_parse_event(const char *line, size_t len, struct docker_event *e);

/* One INFO line with the counters. */
void docker_log_counters(const struct docker *d);
/* SIGHUP: look every network up again (soon, debounced). */
void docker_reload(struct docker *d);
/* Whether the engine's API is followed now. */
bool docker_connected(const struct docker *d);

/*
 * A seam for the unit tests and the fuzzers, to run the code the loop
 * runs on what dockerd sends, without sockets or a timerfd. Instead of
 * docker_start, docker_test_begin: then connections open as if
 * connected with the request sent; docker_test_read hands connection
 * conn (0 the event stream, 1 the query: ping, then networks) in[0..
 * len) as if a read(2) on it returned that, len 0 for the peer closing
 * (false if it is not open); docker_test_timer runs what is due at the
 * earliest time the timer would be set for (false if none). The first
 * connection waits for the timer, as after docker_start.
 */
void docker_test_begin(struct docker *d, docker_announce_fn fn, void *arg);
bool docker_test_read(struct docker *d, int conn, const char *in, size_t len);
bool docker_test_timer(struct docker *d);

#endif
