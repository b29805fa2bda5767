#!/bin/sh
# mingw-libs.sh: libvpx (VP8 only), libopus and libspeexdsp (echo
# cancellation) built for 64-bit Windows
# with mingw-w64, as static libraries, from Debian's own sources
# (apt-get source; needs a deb-src line). Kept in $HEARTH_MINGW_CACHE
# (default ~/.cache/hearth-mingw), outside the repository, so later builds
# and CI on this machine reuse them; prints the pkg-config folder.
set -eu
cache=${HEARTH_MINGW_CACHE:-$HOME/.cache/hearth-mingw}
prefix="$cache/x86_64-w64-mingw32"
host=x86_64-w64-mingw32
jobs=$(nproc 2>/dev/null || echo 2)
if [ -f "$prefix/lib/libvpx.a" ] && [ -f "$prefix/lib/libopus.a" ] && [ -f "$prefix/lib/libspeexdsp.a" ]; then
	echo "$prefix/lib/pkgconfig"
	exit 0
fi
mkdir -p "$cache/src"
cd "$cache/src"
if ! ls libvpx_*.dsc opus_*.dsc speexdsp_*.dsc >/dev/null 2>&1; then
	if ! apt-get source --download-only libvpx opus speexdsp >&2; then
		cat >&2 <<'MSG'
mingw-libs.sh: apt-get source failed. Add Debian's source packages, e.g. as root:
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' > /etc/apt/sources.list.d/hearth-src.sources
  apt-get update
MSG
		exit 1
	fi
fi
rm -rf vpx opus speexdsp
dpkg-source -x --no-check libvpx_*.dsc vpx >&2
dpkg-source -x --no-check opus_*.dsc opus >&2
dpkg-source -x --no-check speexdsp_*.dsc speexdsp >&2

# libvpx: the VP8 encoder and decoder only; no VP9, examples, tests,
# tools or documentation, which keeps the build to a few minutes.
(
	cd vpx
	CROSS=$host- ./configure --target=x86_64-win64-gcc --prefix="$prefix" \
		--disable-vp9 --enable-vp8 --disable-examples --disable-unit-tests \
		--disable-tools --disable-docs --disable-install-bins \
		--enable-static --disable-shared --as=nasm >&2
	make -j"$jobs" >&2
	make install >&2
)
# libopus: the library only.
(
	cd opus
	./configure --host=$host --prefix="$prefix" --enable-static --disable-shared \
		--disable-doc --disable-extra-programs >&2
	make -j"$jobs" >&2
	make install >&2
)
# libspeexdsp: the library only.
(
	cd speexdsp
	[ -x configure ] || autoreconf -fi >&2
	./configure --host=$host --prefix="$prefix" --enable-static --disable-shared \
		--disable-examples >&2
	make -j"$jobs" >&2
	make install >&2
)
echo "$prefix/lib/pkgconfig"
