#!/bin/sh
# mkdeb.sh PACKAGE BINARY VERSION OUTDIR: build PACKAGE_VERSION_ARCH.deb
# from the files packaging/install.sh installs under /usr, with the
# dependencies dpkg-shlibdeps finds in the binary, then run lintian on it.
#
# PACKAGE is hearth (the window) or hearth-headless (the same commands
# without the window, for a box without a display); both ship
# /usr/bin/hearth, so each conflicts with the other.
set -eu
pkg=$1 bin=$2 version=$3 out=$4
here=$(cd "$(dirname "$0")" && pwd)
arch=$(dpkg --print-architecture)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage="$work/root"
case "$pkg" in
hearth) kind=window other=hearth-headless ;;
hearth-headless) kind=headless other=hearth ;;
*) echo "mkdeb.sh: unknown package $pkg" >&2; exit 2 ;;
esac

"$here/install.sh" install "$bin" "$stage" /usr "$kind"
doc="$stage/usr/share/doc/$pkg"
install -Dm644 "$here/debian/copyright" "$doc/copyright"
# The changelog's date is the commit's, so the same commit gives the same package.
date=$(git -C "$here" log -1 --format=%cD 2>/dev/null || date -R)
printf '%s (%s) unstable; urgency=medium\n\n  * Built from the Hearth repository, commit %s.\n\n -- Hearth developers <hearth@hearth.invalid>  %s\n' \
	"$pkg" "$version" "$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$date" | gzip -9n >"$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"
install -Dm644 "$here/debian/$pkg.lintian-overrides" "$stage/usr/share/lintian/overrides/$pkg"

# dpkg-shlibdeps reads the libraries the binary links and names the
# packages (with versions) that provide them; it wants a debian/control.
mkdir -p "$work/src/debian"
printf 'Source: hearth\n\nPackage: %s\nArchitecture: any\n' "$pkg" >"$work/src/debian/control"
deps=$(cd "$work/src" && dpkg-shlibdeps -O -e"$stage/usr/bin/hearth" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$deps" ] || { echo "mkdeb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
mkdir -p "$stage/DEBIAN"
{
	echo "Package: $pkg"
	echo "Version: $version"
	echo "Architecture: $arch"
	echo "Maintainer: Hearth developers <hearth@hearth.invalid>"
	echo "Installed-Size: $size"
	# GLFW opens the X11 extension libraries and miniaudio (calls, voice
	# notes) opens ALSA with dlopen: dpkg-shlibdeps cannot see those.
	if [ "$kind" = window ]; then
		echo "Depends: $deps, libasound2, libxcursor1, libxrandr2, libxinerama1, libxi6, libxxf86vm1, libx11-xcb1"
	else
		echo "Depends: $deps, libasound2"
	fi
	if [ "$kind" = window ]; then
		echo "Recommends: xdg-utils, dbus-user-session"
	fi
	echo "Suggests: clamav-daemon"
	echo "Conflicts: $other"
	echo "Replaces: $other"
	echo "Section: net"
	echo "Priority: optional"
	echo "Homepage: https://hearth.invalid"
	cat "$here/debian/$pkg.description"
} >"$stage/DEBIAN/control"

(cd "$stage" && find usr -type f -exec md5sum {} + | sort -k2) >"$stage/DEBIAN/md5sums"
mkdir -p "$out"
deb="$out/${pkg}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "built $deb ($(du -h "$deb" | cut -f1))"
lintian --fail-on warning,error --suppress-tags-from-file "$here/debian/lintian-suppress" "$deb" 2>&1 || {
	echo "mkdeb.sh: lintian is not content with $deb" >&2
	exit 1
}
