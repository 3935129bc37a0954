/*
 * fuzz_docker.c - libFuzzer harness for the Docker client's parsers:
 * a network inspect document (docker_parse_network) and an event line
 * (docker_parse_event), on top of json.c.
 *
 * Checks, beyond "no crash, no leak, no read past the input": the
 * addresses come out sorted and unique, nothing comes out of a document
 * that is refused, and every string fits its field.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that ASan sees any read past the end. */
	char *s = malloc(size ? size : 1), id[DOCKER_ID_MAX + 1];
	struct docker_endpoint *ep;
	struct docker_event ev;
	size_t n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	if (docker_parse_network(s, size, id, &ep, &n)) {
		for (size_t i = 1; i < n; i++)
			if (memcmp(&ep[i - 1].addr, &ep[i].addr, 16) >= 0)
				abort();
		for (size_t i = 0; i < n; i++)
			if (strlen(ep[i].name) >= sizeof(ep[i].name))
				abort();
		if (strlen(id) > DOCKER_ID_MAX || (n > 0 && !ep))
			abort();
		free(ep);
	} else if (ep || n) {
		abort();
	}
	if (docker_parse_event(s, size, &ev) &&
	    (strlen(ev.network) > DOCKER_NAME_MAX ||
	     strlen(ev.container) > DOCKER_ID_MAX ||
	     strlen(ev.id) > DOCKER_ID_MAX))
		abort();
	free(s);
	return 0;
}
