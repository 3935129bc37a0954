/*
 * fuzz_ndp.c - libFuzzer harness for ndp_parse_ns() and what the daemon
 * does with a valid NS: build the NA, and check that it parses as a
 * well-formed ICMPv6 message with a valid checksum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ndp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[NDP_MAC_LEN] = { 2, 0, 0, 0, 0, 1 };
	uint8_t na[NDP_NA_FRAME_LEN];
	struct in6_addr src, dst;
	struct ndp_ns ns;
	/* An exact-size copy, so that ASan sees any read past the end. */
	uint8_t *frame = malloc(size ? size : 1);

	if (!frame)
		return 0;
	memcpy(frame, data, size);
	if (ndp_parse_ns(frame, size, &ns) == NDP_OK) {
		if (ndp_build_na(na, mac, &ns) != sizeof(na))
			abort();
		memcpy(src.s6_addr, na + NDP_ETH_HLEN + 8, 16);
		memcpy(dst.s6_addr, na + NDP_ETH_HLEN + 24, 16);
		if (ndp_icmp6_csum(&src, &dst, na + NDP_ETH_HLEN + NDP_IP6_HLEN,
				   sizeof(na) - NDP_ETH_HLEN - NDP_IP6_HLEN))
			abort();
		if (memcmp(&src, &ns.target, sizeof(src)) != 0)
			abort();	/* the source must be the target */
	}
	free(frame);
	return 0;
}
