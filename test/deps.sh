#!/bin/sh
# Install, on Debian 12, everything that building and testing needs.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
	gcc make libc6-dev linux-libc-dev \
	iproute2 nftables ndisc6 iputils-ping procps ndppd tcpdump \
	musl-tools gcc-multilib file mandoc groff-base man-db systemd \
	build-essential debhelper dpkg-dev fakeroot lintian \
	clang libclang-rt-14-dev clang-tidy cppcheck \
	docker.io busybox-static lxc curl prometheus-node-exporter \
	podman netavark aardvark-dns uidmap iptables
