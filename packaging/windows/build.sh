#!/bin/sh
# build.sh VERSION OUTDIR: hearth.exe for 64-bit Windows, cross-built with
# mingw-w64 (libvpx and libopus linked statically, from mingw-libs.sh),
# and hearth-VERSION-setup.exe, its NSIS installer.
set -eu
version=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
pc=$("$here/mingw-libs.sh")
mkdir -p "$out"
cd "$here/../.."
# -H windowsgui: no console window behind Hearth's window (the commands
# then print only where their output is redirected, e.g. to a file).
# libopus is built hardened (_FORTIFY_SOURCE: __memcpy_chk, in libssp)
# and libvpx's threads are POSIX ones (winpthread): static libraries do
# not say so to pkg-config, so both are named here, after them.
PKG_CONFIG_LIBDIR="$pc" PKG_CONFIG_PATH="$pc" \
	CGO_LDFLAGS="-lssp -lpthread" \
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 \
	CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
	go build -trimpath -ldflags "-s -w -H windowsgui -X main.version=$version -extldflags=-static" -o "$out/hearth.exe" .
echo "built $out/hearth.exe ($(du -h "$out/hearth.exe" | cut -f1))"
makensis -V2 -DVERSION="$version" -DEXE="$out/hearth.exe" -DLICENSE="$PWD/LICENSE" \
	-DOUTFILE="$out/hearth-$version-setup.exe" "$here/hearth.nsi"
echo "built $out/hearth-$version-setup.exe ($(du -h "$out/hearth-$version-setup.exe" | cut -f1))"
