#!/bin/sh
# mktarball.sh BINARY VERSION OUTDIR: hearth-VERSION-linux-ARCH.tar.xz, for
# distributions without .deb: the binary, the files packaging/install.sh
# installs, and a Makefile whose `make install` (PREFIX=/usr/local, or
# ~/.local without root) puts them in place and `make uninstall` removes
# them. Instead of `fyne package`, whose desktop entry (Exec=hearth%u)
# does not launch and which rewrites FyneApp.toml.
set -eu
bin=$1 version=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
arch=$(uname -m)
name="hearth-$version-linux-$arch"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
top="$work/$name"
mkdir -p "$top/packaging"
install -m755 "$bin" "$top/hearth"
for f in install.sh deps.sh hearth.1 hearth-daemon.service org.hearth.Hearth.desktop org.hearth.Hearth.metainfo.xml; do
	cp -p "$here/$f" "$top/packaging/"
done
cp -rp "$here/icons" "$top/packaging/"
cat >"$top/Makefile" <<'MK'
# Hearth: `make install` (as root: under /usr/local) or
# `make install PREFIX=~/.local` (for you alone); `make uninstall` with
# the same PREFIX removes it. Needs libGL, X11, libvpx, libopus and ALSA:
# ./packaging/deps.sh names the packages.
PREFIX ?= /usr/local
DESTDIR ?=
install:
	./packaging/install.sh install "$(CURDIR)/hearth" "$(DESTDIR)" "$(PREFIX)" window
uninstall:
	./packaging/install.sh uninstall - "$(DESTDIR)" "$(PREFIX)" window
.PHONY: install uninstall
MK
cp -p "$here/../LICENSE" "$top/LICENSE"
mkdir -p "$out"
tar -C "$work" --owner=0 --group=0 --numeric-owner -cJf "$out/$name.tar.xz" "$name"
echo "built $out/$name.tar.xz ($(du -h "$out/$name.tar.xz" | cut -f1))"
