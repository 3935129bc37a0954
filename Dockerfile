# ndpresponder as a container image: the static musl binary, alone.
#
#   docker build -t ndpresponder .
#   docker run -d --name ndpresponder --restart unless-stopped \
#       --network host --cap-drop ALL --cap-add NET_RAW --cap-add NET_ADMIN \
#       ndpresponder -i eth0 -n 2001:db8:1:2:1::/80
#
# It must share the host's network (--network host) to see the uplink.
# NET_RAW opens the packet socket, NET_ADMIN pins the gateway's neighbour
# entry (not needed with --no-pin-gateway). Without CAP_SETUID it stays
# uid 0 with every capability but NET_ADMIN dropped and its seccomp
# filter on; add --cap-add SETUID --cap-add SETGID to have it switch to
# uid 65534 as well.
FROM debian:12 AS build
RUN apt-get update \
	&& apt-get install -y --no-install-recommends \
		gcc make musl-tools linux-libc-dev \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make clean && make static

FROM scratch
COPY --from=build /src/ndpresponder-static /ndpresponder
ENTRYPOINT ["/ndpresponder"]
