#!/bin/sh
# deps.sh PKG...: make sure these Debian/Ubuntu packages are installed.
# Missing ones are installed with apt-get (through sudo when not root).
# On a system without dpkg (Fedora, Arch, openSUSE …) it checks for what
# the packages provide (pkg-config modules, commands) and names the
# packages to install there; it never stops a build that may work.
set -e

# provides PKG: how to tell, without dpkg, that what PKG brings is here
# ("pc:module" for pkg-config, "cmd:name" for a command), and its names on
# Fedora / Arch / openSUSE.
provides() {
	case "$1" in
	gcc) echo "cmd:gcc|gcc|gcc|gcc" ;;
	pkg-config) echo "cmd:pkg-config|pkgconf-pkg-config|pkgconf|pkg-config" ;;
	libgl1-mesa-dev) echo "pc:gl|mesa-libGL-devel|mesa|Mesa-libGL-devel" ;;
	xorg-dev) echo "pc:x11 pc:xcursor pc:xrandr pc:xinerama pc:xi pc:xxf86vm|libX11-devel libXcursor-devel libXrandr-devel libXinerama-devel libXi-devel libXxf86vm-devel|libx11 libxcursor libxrandr libxinerama libxi libxxf86vm|libX11-devel libXcursor-devel libXrandr-devel libXinerama-devel libXi-devel libXxf86vm-devel" ;;
	libvpx-dev) echo "pc:vpx|libvpx-devel|libvpx|libvpx-devel" ;;
	libopus-dev) echo "pc:opus|opus-devel|opus|libopus-devel" ;;
	libasound2-dev) echo "pc:alsa|alsa-lib-devel|alsa-lib|alsa-devel" ;;
	xvfb) echo "cmd:Xvfb|xorg-x11-server-Xvfb|xorg-server-xvfb|xvfb-run" ;;
	xauth) echo "cmd:xauth|xorg-x11-xauth|xorg-xauth|xauth" ;;
	dbus) echo "cmd:dbus-daemon|dbus|dbus|dbus-1" ;;
	dbus-x11) echo "cmd:dbus-launch|dbus-x11|dbus|dbus-1-x11" ;;
	x11-utils) echo "cmd:xwininfo|xorg-x11-utils|xorg-xwininfo|xwininfo" ;;
	imagemagick) echo "cmd:import|ImageMagick|imagemagick|ImageMagick" ;;
	clamav-daemon) echo "cmd:clamd|clamd|clamav|clamav" ;;
	*) echo "cmd:$1|$1|$1|$1" ;;
	esac
}

present() { # the first field of provides: every check must pass
	for c in $1; do
		case "$c" in
		pc:*) pkg-config --exists "${c#pc:}" 2>/dev/null || return 1 ;;
		cmd:*) command -v "${c#cmd:}" >/dev/null 2>&1 || return 1 ;;
		esac
	done
}

if ! command -v dpkg-query >/dev/null 2>&1; then
	fedora="" arch="" suse="" missing=""
	for p in "$@"; do
		line=$(provides "$p")
		present "${line%%|*}" && continue
		missing="$missing $p"
		rest=${line#*|}
		fedora="$fedora ${rest%%|*}"; rest=${rest#*|}
		arch="$arch ${rest%%|*}"
		suse="$suse ${rest#*|}"
	done
	[ -z "$missing" ] && exit 0
	echo "Hearth needs what these Debian packages provide:$missing" >&2
	echo "On this system, install the equivalent packages, for example:" >&2
	echo "  Fedora:   sudo dnf install$fedora" >&2
	echo "  Arch:     sudo pacman -S --needed$arch" >&2
	echo "  openSUSE: sudo zypper install$suse" >&2
	echo "(Continuing: the build says what is still missing.)" >&2
	exit 0
fi

missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
	echo "Hearth needs these packages (Debian/Ubuntu names):$missing" >&2
	echo "Install them with your system's package manager, then try again." >&2
	exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "Hearth needs these packages; as root run:" >&2
		echo "  apt-get update && apt-get install -y$missing" >&2
		exit 1
	fi
fi
echo "Installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq$missing
