#!/bin/sh
# deps.sh PKG...: make sure these Debian/Ubuntu packages are installed.
# Missing ones are installed with apt-get (through sudo when not root);
# where that is impossible, say exactly what to install.
set -e
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
