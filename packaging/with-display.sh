#!/bin/sh
# with-display.sh CMD...: run CMD with an X display and a D-Bus session,
# starting Xvfb and dbus when there are none (CI, SSH sessions).
if [ -z "$DISPLAY" ]; then
	exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
if [ -z "$DBUS_SESSION_BUS_ADDRESS" ] && command -v dbus-run-session >/dev/null 2>&1; then
	exec dbus-run-session -- "$@"
fi
exec "$@"
