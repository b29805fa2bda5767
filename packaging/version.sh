#!/bin/sh
# version.sh: Hearth's version from git, for `hearth --version` and the
# packages. A release tag vX.Y.Z gives X.Y.Z (plus -N-gHASH after it);
# without tags, FyneApp.toml's version plus the commit count and hash
# (0.1.0+git123.abcdef0), so the version always starts with a digit and
# grows with every commit, as Debian wants. "-dirty" marks local changes.
cd "$(dirname "$0")/.." || exit 1
if d=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
	echo "${d#v}" | sed 's/-\([0-9]*\)-g/+\1.g/'
	exit 0
fi
base=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
if n=$(git rev-list --count HEAD 2>/dev/null) && h=$(git rev-parse --short=7 HEAD 2>/dev/null); then
	dirty=""
	git diff --quiet HEAD -- 2>/dev/null || dirty="+dirty"
	echo "${base:-0.0.0}+git$n.g$h$dirty"
else
	echo "${base:-0.0.0}"
fi
