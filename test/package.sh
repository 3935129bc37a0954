#!/bin/sh
# Packaging tests: the static musl binary, the man page, the OpenRC and
# Alpine files, the systemd units, "make install", and the Debian package
# (build, lintian, install, purge; installing needs root).
#
# Prints "PASS name", "FAIL name: why" or "SKIP name: why", and notes
# starting with "#". Everything is built in a copy of the tree in a
# temporary directory: nothing is left in the work tree, and the package
# is purged again.
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d) || exit 1
src=$tmp/src			# dpkg-buildpackage writes into $tmp
installed=

cleanup()
{
	if [ -n "$installed" ]; then
		dpkg --purge ndpresponder >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

pass() { echo "PASS $1"; }
failures=0
fail() { _n=$1; shift; echo "FAIL $_n: $*"; failures=$((failures + 1)); }
skip() { _n=$1; shift; echo "SKIP $_n: $*"; }
note() { echo "# $*"; }
have() { command -v "$1" >/dev/null 2>&1; }
# Show the end of a log as notes.
tail_log() { tail -n "${2:-15}" "$1" | sed 's/^/#   /'; }

version=$(sed -n 's/^VERSION = //p' Makefile)

# ---- a copy of the tree: what git would commit, as it is now
mkdir "$src" || exit 1
if have git && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files --cached --others --exclude-standard |
		while IFS= read -r f; do
			if [ -e "$f" ] || [ -L "$f" ]; then
				printf '%s\n' "$f"
			fi
		done > "$tmp/files"
	tar -cf - -T "$tmp/files" | tar -C "$src" -xf -
else
	cp -a . "$src" && make -C "$src" clean >/dev/null
fi
if [ ! -f "$src/Makefile" ] || [ ! -f "$src/debian/control" ]; then
	fail copy-tree "could not copy the tree to $src"
	exit 1
fi

# ---- version: one number everywhere
v_changelog=$(sed -n '1s/^ndpresponder (\([^)]*\)).*/\1/p' debian/changelog)
v_apk=$(sed -n 's/^pkgver=//p' contrib/alpine/APKBUILD)
if [ -z "$version" ]; then
	fail version-consistent "no VERSION in the Makefile"
elif [ "$v_changelog" != "$version" ] || [ "$v_apk" != "$version" ]; then
	fail version-consistent "Makefile $version, debian/changelog" \
		"$v_changelog, APKBUILD $v_apk"
elif ! grep -q "ndpresponder $version" ndpresponder.8; then
	fail version-consistent "ndpresponder.8 does not say ndpresponder $version"
else
	pass version-consistent
fi

# ---- static musl binary
static=$src/ndpresponder-static
if ! have musl-gcc; then
	skip static-build "musl-gcc not installed (musl-tools)"
elif ! make -C "$src" static > "$tmp/static.log" 2>&1; then
	fail static-build "make static failed"
	tail_log "$tmp/static.log"
else
	pass static-build
fi
if [ -x "$static" ]; then
	if ! have file; then
		skip static-file "file not installed"
	else
		desc=$(file -b "$static")
		note "file: $desc"
		case $desc in
		*"statically linked"*", stripped"*) pass static-file ;;
		*"statically linked"*) fail static-file "not stripped: $desc" ;;
		*) fail static-file "not statically linked: $desc" ;;
		esac
	fi
	out=$(ldd "$static" 2>&1)
	case $out in
	*"not a dynamic executable"* | *"statically linked"*)
		pass static-ldd ;;
	*) fail static-ldd "ldd says: $out" ;;
	esac
	# 100 KiB held static and Docker mode (about 96 KiB); the route
	# mirror, --live and --metrics-file add some 13 KiB of code. 128 KiB
	# still catches what bloats (sscanf alone would add 10 KiB).
	size=$(wc -c < "$static")
	note "static binary: $size bytes ($((size / 1024)) KiB), limit 131072"
	if [ "$size" -lt 131072 ]; then
		pass static-size
	else
		fail static-size "$size bytes, not under 128 KiB"
	fi
	out=$("$static" --version 2>&1)
	if [ "$out" = "ndpresponder $version" ]; then
		pass static-version
	else
		fail static-version "--version printed: $out"
	fi
fi
# The static objects see musl's headers and the kernel's, never glibc's.
if have musl-gcc && [ -f "$src/build/musl-include/.stamp" ]; then
	glibc=
	for c in "$src"/*.c; do
		deps=$(cd "$src" && musl-gcc -D_GNU_SOURCE -std=c11 \
			-fno-canonical-system-headers \
			-isystem build/musl-include -I. -M "$(basename "$c")" 2>&1) ||
			{ glibc="$glibc $(basename "$c"):failed"; continue; }
		bad=$(printf '%s\n' "$deps" | tr ' \\' '\n\n' |
			grep '^/usr/include/' | grep -v -e '-linux-musl/' | head -n 1)
		[ -z "$bad" ] || glibc="$glibc $(basename "$c"):$bad"
	done
	if [ -z "$glibc" ]; then
		pass static-headers
	else
		fail static-headers "not musl's or the kernel's:$glibc"
	fi
fi

# ---- man page
if ! have mandoc; then
	skip man-mandoc "mandoc not installed"
else
	mandoc -T lint ndpresponder.8 > "$tmp/mandoc.log" 2>&1
	# Whether other pages are installed, or indexed, depends on the
	# machine, not on this page.
	grep -v -e 'referenced manual not found' -e 'outdated mandoc.db' \
		"$tmp/mandoc.log" > "$tmp/mandoc.real"
	grep -e 'referenced manual not found' "$tmp/mandoc.log" |
		sed 's/^/# not installed here: /'
	if [ -s "$tmp/mandoc.real" ]; then
		fail man-mandoc "mandoc -T lint: $(head -n 3 "$tmp/mandoc.real")"
	else
		pass man-mandoc
	fi
fi
if ! have groff; then
	skip man-groff "groff not installed"
else
	out=$(groff -ww -z -mdoc -Tutf8 ndpresponder.8 2>&1)
	if [ -z "$out" ]; then
		pass man-groff
	else
		fail man-groff "$out"
	fi
fi
# Every option that --help lists, and the environment, signals and files
# that the program and the units use, are in the man page.
missing=
if [ -x "$static" ]; then
	help=$("$static" --help 2>&1)
else
	help=
	missing=" (no binary to ask for --help)"
fi
# "  -x, --long ..." and "      --long ...": lines "x long" and "- long".
printf '%s\n' "$help" | sed -n \
	-e 's/^ *-\([A-Za-z]\), --\([a-z][a-z-]*\).*/\1 \2/p' \
	-e 's/^ *--\([a-z][a-z-]*\).*/- \1/p' > "$tmp/opts"
[ -s "$tmp/opts" ] || missing="$missing (no options in --help)"
while read -r short long; do
	if [ "$short" != - ] && ! grep -q "Fl $short\b" ndpresponder.8; then
		missing="$missing -$short"
	fi
	grep -qF "Fl \\-$long" ndpresponder.8 || missing="$missing --$long"
done < "$tmp/opts"
for word in NDPRESPONDER_LOG JOURNAL_STREAM NDPRESPONDER_ARGS SIGUSR1 \
	SIGTERM SIGINT /etc/default/ndpresponder RFC\ 4861; do
	grep -qF "$word" ndpresponder.8 || missing="$missing $word"
done
if [ -z "$missing" ]; then
	pass man-complete
else
	fail man-complete "not in ndpresponder.8:$missing"
fi

# ---- Alpine: OpenRC service and APKBUILD
bad=
for f in contrib/alpine/ndpresponder.initd contrib/alpine/ndpresponder.confd \
	contrib/alpine/ndpresponder.pre-install contrib/alpine/APKBUILD; do
	if ! sh -n "$f" 2> "$tmp/shn.log"; then
		bad="$bad $f ($(head -n 1 "$tmp/shn.log"))"
	fi
done
if [ -z "$bad" ]; then
	pass alpine-syntax
else
	fail alpine-syntax "sh -n:$bad"
fi
if head -n 1 contrib/alpine/ndpresponder.initd | grep -q '^#!/sbin/openrc-run$'; then
	pass openrc-shebang
else
	fail openrc-shebang "ndpresponder.initd does not start with #!/sbin/openrc-run"
fi
# abuild refuses sources whose sums differ from sha512sums=.
(
	cd contrib/alpine &&
	sed -n '/^sha512sums="/,/^"/p' APKBUILD | sed '1d;$d' > "$tmp/sums" &&
	[ -s "$tmp/sums" ] && sha512sum -c --quiet "$tmp/sums"
) > "$tmp/sums.log" 2>&1
if [ $? -eq 0 ]; then
	pass apkbuild-checksums
else
	fail apkbuild-checksums "sha512sums= is stale: run abuild checksum" \
		"($(head -n 1 "$tmp/sums.log"))"
fi
# Run the APKBUILD's functions as abuild would, with musl-gcc for
# Alpine's compiler, and check what package() installs.
if ! have musl-gcc; then
	skip apkbuild-functions "musl-gcc not installed (musl-tools)"
else
	(
		set -e
		startdir=$src/contrib/alpine
		srcdir=$tmp/apk/src
		pkgdir=$tmp/apk/pkg
		mkdir -p "$srcdir" "$pkgdir"
		cp "$startdir/ndpresponder.initd" "$startdir/ndpresponder.confd" \
			"$srcdir/"
		default_prepare() { :; }
		. "$startdir/APKBUILD"
		make -C "$src" build/musl-include/.stamp
		export CC=musl-gcc
		export CPPFLAGS="-isystem $src/build/musl-include"
		export CFLAGS="-Os" LDFLAGS="-static"
		cd "$srcdir" && prepare
		cd "$builddir" && build && check && package
		for f in usr/sbin/ndpresponder usr/share/man/man8/ndpresponder.8 \
			etc/init.d/ndpresponder etc/conf.d/ndpresponder \
			usr/share/licenses/ndpresponder/LICENSE; do
			test -f "$pkgdir/$f" || { echo "missing $f"; exit 1; }
		done
		test ! -e "$pkgdir/usr/lib/systemd" ||
			{ echo "systemd units left in"; exit 1; }
	) > "$tmp/apk.log" 2>&1
	if [ $? -eq 0 ]; then
		pass apkbuild-functions
	else
		fail apkbuild-functions "prepare/build/check/package failed"
		tail_log "$tmp/apk.log"
	fi
fi

# ---- Dockerfile: no docker here, so check its shape
if grep -q '^FROM scratch$' Dockerfile &&
	grep -q '^ENTRYPOINT \["/ndpresponder"\]$' Dockerfile &&
	grep -q 'make static' Dockerfile &&
	grep -q '^COPY --from=build /src/ndpresponder-static /ndpresponder$' \
		Dockerfile; then
	pass dockerfile
else
	fail dockerfile "expected a build stage running make static, FROM" \
		"scratch, the binary as /ndpresponder and it as ENTRYPOINT"
fi

# ---- systemd units, before installing: the binary path points at the
# static binary (verify wants an executable), no man page check yet.
verify()	# name unit-file...
{
	name=$1
	shift
	if systemd-analyze verify --man=no "$@" > "$tmp/verify.log" 2>&1 &&
		! [ -s "$tmp/verify.log" ]; then
		pass "$name"
	else
		fail "$name" "$(tr '\n' ' ' < "$tmp/verify.log")"
	fi
}
if ! have systemd-analyze; then
	skip systemd-verify "systemd-analyze not installed (systemd)"
elif [ ! -x "$static" ]; then
	skip systemd-verify "no binary to point the units at"
else
	mkdir -p "$tmp/units"
	for u in ndpresponder.service ndpresponder@.service; do
		sed "s|/usr/sbin/ndpresponder|$static|g" "systemd/$u" \
			> "$tmp/units/$u"
	done
	cat "$tmp/units/ndpresponder.service" contrib/systemd/docker.conf \
		> "$tmp/units/ndpresponder-docker.service"
	verify systemd-verify-service "$tmp/units/ndpresponder.service"
	verify systemd-verify-template "$tmp/units/ndpresponder@eth0.service"
	verify systemd-verify-docker-dropin \
		"$tmp/units/ndpresponder-docker.service"
	cat "$tmp/units/ndpresponder.service" contrib/systemd/podman.conf \
		> "$tmp/units/ndpresponder-podman.service"
	verify systemd-verify-podman-dropin \
		"$tmp/units/ndpresponder-podman.service"

	out=$(systemd-analyze security --offline=yes \
		"$tmp/units/ndpresponder.service" 2>&1 | tail -n 1)
	score=$(printf '%s\n' "$out" |
		sed -n 's/.*exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -z "$score" ]; then
		fail systemd-security "no score: $out"
	else
		note "systemd-analyze security: exposure $score"
		# 1.9 with systemd 252; PrivateNetwork= and AF_PACKET cannot go.
		if awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }'; then
			pass systemd-security
		else
			fail systemd-security "exposure $score, over 2.5"
		fi
	fi
fi
# The unit must not run with an empty NDPRESPONDER_ARGS; the shipped
# defaults set none.
if grep -q '^ExecCondition=.*test -n "\$\$NDPRESPONDER_ARGS"' \
	systemd/ndpresponder.service &&
	(unset NDPRESPONDER_ARGS; . ./debian/ndpresponder.default;
	 test -z "${NDPRESPONDER_ARGS:-}"); then
	pass systemd-skips-unconfigured
else
	fail systemd-skips-unconfigured "no ExecCondition on NDPRESPONDER_ARGS," \
		"or debian/ndpresponder.default sets it"
fi

# ---- make install / uninstall into a DESTDIR
dest=$tmp/destdir
if ! make -C "$src" install DESTDIR="$dest" PREFIX=/usr/local \
	> "$tmp/install.log" 2>&1; then
	fail make-install "make install failed"
	tail_log "$tmp/install.log"
else
	missing=
	for f in usr/local/sbin/ndpresponder \
		usr/local/share/man/man8/ndpresponder.8 \
		usr/local/lib/systemd/system/ndpresponder.service \
		usr/local/lib/systemd/system/ndpresponder@.service; do
		[ -f "$dest/$f" ] || missing="$missing $f"
	done
	if [ -n "$missing" ]; then
		fail make-install "not installed:$missing"
	elif ! grep -q '^ExecStart=/usr/local/sbin/ndpresponder ' \
		"$dest/usr/local/lib/systemd/system/ndpresponder.service"; then
		fail make-install "ExecStart does not name /usr/local/sbin"
	else
		pass make-install
	fi
	make -C "$src" uninstall DESTDIR="$dest" PREFIX=/usr/local \
		> "$tmp/uninstall.log" 2>&1
	left=$(find "$dest" -type f | sed "s|^$dest/||")
	if [ -z "$left" ]; then
		pass make-uninstall
	else
		fail make-uninstall "left behind: $left"
	fi
fi

# ---- the Debian package
deb=
if ! have dpkg-buildpackage || ! have dh; then
	skip deb-build "dpkg-buildpackage or debhelper not installed"
else
	# The package's own flags (hardening): not CI's CFLAGS, but keep
	# its -Werror.
	werror=
	case " ${CFLAGS:-} " in *" -Werror "*) werror=-Werror ;; esac
	if (cd "$src" && env -u CFLAGS -u CPPFLAGS -u LDFLAGS \
		DEB_CFLAGS_APPEND="$werror" \
		dpkg-buildpackage -us -uc -b) > "$tmp/deb.log" 2>&1; then
		deb=$(ls "$tmp"/ndpresponder_"$version"_*.deb 2>/dev/null |
			head -n 1)
	fi
	if [ -n "$deb" ]; then
		pass deb-build
		note "built $(basename "$deb")"
	else
		fail deb-build "dpkg-buildpackage -us -uc -b failed"
		tail_log "$tmp/deb.log" 25
	fi
fi
# The build ran every unit test program (debian/rules, dh_auto_test):
# make echoes each command, and a failed one fails the build.
if [ -n "$deb" ]; then
	case " ${DEB_BUILD_OPTIONS:-} " in
	*" nocheck "*)
		skip deb-unit-tests "DEB_BUILD_OPTIONS has nocheck" ;;
	*)
		missing=
		for u in test/unit test/unit_docker test/unit_rtnl; do
			grep -qx "\./$u" "$tmp/deb.log" || missing="$missing $u"
		done
		if [ -z "$missing" ]; then
			pass deb-unit-tests
			note "$(grep -c '^PASS ' "$tmp/deb.log") unit tests passed in the package build"
		else
			fail deb-unit-tests "not run in the package build:$missing"
		fi ;;
	esac
fi
if [ -n "$deb" ]; then
	dpkg-deb -c "$deb" | awk '{ print $6 }' > "$tmp/contents"
	missing=
	for f in ./usr/sbin/ndpresponder \
		./usr/share/man/man8/ndpresponder.8.gz \
		./lib/systemd/system/ndpresponder.service \
		./lib/systemd/system/ndpresponder@.service \
		./etc/default/ndpresponder \
		./usr/share/doc/ndpresponder/copyright \
		./usr/share/doc/ndpresponder/examples/docker.conf \
		./usr/share/doc/ndpresponder/examples/podman.conf; do
		grep -qx "$f" "$tmp/contents" || missing="$missing $f"
	done
	if [ -z "$missing" ]; then
		pass deb-contents
	else
		fail deb-contents "not in the package:$missing"
	fi

	mkdir "$tmp/x" && dpkg-deb -x "$deb" "$tmp/x"
	bin=$tmp/x/usr/sbin/ndpresponder
	dyn=$(readelf -dW "$bin" 2>&1)
	hdr=$(readelf -hlW "$bin" 2>&1)
	why=
	case $hdr in *"DYN ("*) ;; *) why="$why not-PIE" ;; esac
	case $hdr in *GNU_RELRO*) ;; *) why="$why no-RELRO" ;; esac
	case $dyn in *BIND_NOW* | *"FLAGS_1"*NOW*) ;; *) why="$why no-BIND_NOW" ;; esac
	if ! readelf -sW --dyn-syms "$bin" | grep -q '__stack_chk_fail'; then
		why="$why no-stack-protector"
	fi
	if [ -z "$why" ]; then
		pass deb-hardening
	else
		fail deb-hardening "$why"
	fi

	changes=$(ls "$tmp"/ndpresponder_"$version"_*.changes | head -n 1)
	if ! have lintian; then
		skip deb-lintian "lintian not installed"
	else
		lintian -I --pedantic --fail-on error,warning "$changes" \
			> "$tmp/lintian.log" 2>&1
		rc=$?
		grep -v '^running with root privileges' "$tmp/lintian.log" |
			sed 's/^/# lintian: /'
		if [ $rc -eq 0 ] &&
			! grep -q '^[EW]: ' "$tmp/lintian.log"; then
			pass deb-lintian
		else
			fail deb-lintian "errors or warnings (status $rc)"
		fi
	fi
fi

# ---- install, check, purge (root only; never over an installed copy).
# Another run of this suite may be at it: wait for it, holding a lock on
# the dpkg database directory (dpkg itself locks a file in it, with fcntl).
if [ -z "$deb" ]; then
	skip deb-install "no package was built"
elif [ "$(id -u)" -ne 0 ]; then
	skip deb-install "needs root"
elif ! { exec 9< /var/lib/dpkg && flock -w 600 9; }; then
	fail deb-install "waited 10 minutes for another run to purge its package"
elif state=$(dpkg-query -W -f='${db:Status-Status}' ndpresponder 2>/dev/null) &&
	[ -n "$state" ] && [ "$state" != not-installed ]; then
	skip deb-install "ndpresponder is on this machine ($state); not touching it"
elif ! dpkg -i "$deb" > "$tmp/dpkg.log" 2>&1; then
	installed=yes
	fail deb-install "dpkg -i failed"
	tail_log "$tmp/dpkg.log"
else
	installed=yes
	pass deb-install

	out=$(ndpresponder --version 2>&1)
	if [ "$out" = "ndpresponder $version" ]; then
		pass installed-version
	else
		fail installed-version "ndpresponder --version printed: $out"
	fi

	if grep -qrs 'path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg.d; then
		skip installed-man "dpkg excludes /usr/share/man on this machine"
	elif ! have man; then
		skip installed-man "man not installed (man-db)"
	else
		out=$(man -w ndpresponder 2>&1)
		case $out in
		/usr/share/man/man8/ndpresponder.8*) pass installed-man ;;
		*) fail installed-man "man -w ndpresponder: $out" ;;
		esac
	fi

	conff=$(dpkg-query -W -f='${Conffiles}' ndpresponder)
	if [ -f /etc/default/ndpresponder ] &&
		printf '%s\n' "$conff" | grep -q '^ */etc/default/ndpresponder '; then
		pass installed-conffile
	else
		fail installed-conffile "/etc/default/ndpresponder missing or" \
			"not a conffile (conffiles: $conff)"
	fi

	# Enabled (deb-systemd-helper works without a running systemd).
	if [ -L /etc/systemd/system/multi-user.target.wants/ndpresponder.service ]
	then
		pass installed-enabled
	else
		fail installed-enabled "no multi-user.target.wants symlink"
	fi

	if ! have systemd-analyze; then
		skip installed-verify "systemd-analyze not installed (systemd)"
	else
		# With the man page installed, verify checks Documentation= too.
		for u in ndpresponder.service ndpresponder@eth0.service; do
			if systemd-analyze verify "/lib/systemd/system/$u" \
				> "$tmp/verify.log" 2>&1 &&
				! [ -s "$tmp/verify.log" ]; then
				pass "installed-verify-$u"
			else
				fail "installed-verify-$u" \
					"$(tr '\n' ' ' < "$tmp/verify.log")"
			fi
		done
	fi

	if dpkg --purge ndpresponder > "$tmp/purge.log" 2>&1; then
		installed=
		left=
		for f in /usr/sbin/ndpresponder /etc/default/ndpresponder \
			/lib/systemd/system/ndpresponder.service \
			/etc/systemd/system/multi-user.target.wants/ndpresponder.service
		do
			if [ -e "$f" ] || [ -L "$f" ]; then
				left="$left $f"
			fi
		done
		if [ -z "$left" ]; then
			pass deb-purge
		else
			fail deb-purge "left behind:$left"
		fi
	else
		fail deb-purge "dpkg --purge failed"
		tail_log "$tmp/purge.log"
	fi
fi

[ "$failures" -eq 0 ]
