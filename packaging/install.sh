#!/bin/sh
# install.sh install|uninstall BIN DESTDIR PREFIX [window|headless]
#
# The one list of what Hearth installs, for `make install`, `make
# uninstall` and the .deb packages (packaging/mkdeb.sh). The window build
# brings its desktop entry, AppStream metainfo and icons; both bring the
# manual page and the systemd user unit of the home node.
set -eu
cd "$(dirname "$0")"
action=$1 bin=$2 destdir=$3 prefix=$4 kind=${5:-window}
root="$destdir$prefix"
# systemd looks for user units in /usr/lib/systemd/user, and under a
# home's ~/.local in share/systemd/user.
case "$prefix" in
/usr | /usr/local) unitdir="$root/lib/systemd/user" ;;
*) unitdir="$root/share/systemd/user" ;;
esac
files="$root/bin/hearth $root/share/man/man1/hearth.1.gz $unitdir/hearth-daemon.service"
if [ "$kind" = window ]; then
	files="$files $root/share/applications/org.hearth.Hearth.desktop $root/share/metainfo/org.hearth.Hearth.metainfo.xml"
	for f in $(cd icons && find . -type f | sed 's|^\./||'); do files="$files $root/share/icons/$f"; done
fi

if [ "$action" = uninstall ]; then
	for f in $files; do
		[ -e "$f" ] && echo "removing $f" && rm -f "$f"
	done
	exit 0
fi

install -Dm755 "$bin" "$root/bin/hearth"
mkdir -p "$root/share/man/man1"
gzip -9n <hearth.1 >"$root/share/man/man1/hearth.1.gz"
chmod 644 "$root/share/man/man1/hearth.1.gz"
mkdir -p "$unitdir"
sed "s|@BINDIR@|$prefix/bin|" hearth-daemon.service >"$unitdir/hearth-daemon.service"
chmod 644 "$unitdir/hearth-daemon.service"
if [ "$kind" = window ]; then
	# Outside /usr and /usr/local, bin is often not on the desktop's PATH
	# (~/.local/bin): the entry names the program by its full path.
	exec=hearth
	case "$prefix" in /usr | /usr/local) ;; *) exec="$prefix/bin/hearth" ;; esac
	mkdir -p "$root/share/applications"
	sed "s|^Exec=hearth |Exec=$exec |" org.hearth.Hearth.desktop >"$root/share/applications/org.hearth.Hearth.desktop"
	chmod 644 "$root/share/applications/org.hearth.Hearth.desktop"
	install -Dm644 org.hearth.Hearth.metainfo.xml "$root/share/metainfo/org.hearth.Hearth.metainfo.xml"
	(cd icons && find . -type f | sed 's|^\./||' | while read -r f; do install -Dm644 "$f" "$root/share/icons/$f"; done)
fi
