#!/bin/bash
# make check: staticcheck, then govulncheck against an offline vulnerability
# database built from the golang.org/x/vulndb module (served by the Go module
# proxy; no other site is needed). Tools and database are cached under
# $HEARTH_CHECK_CACHE (default ~/.cache/hearth-check), so a second run only
# analyses. A reported vulnerability fails the check unless
# packaging/vuln-allow.txt lists its ID with a reason.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK=golang.org/x/vuln/cmd/govulncheck@v1.9.0
VULNDB=golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018
INDEXDB=golang.org/x/vulndb/cmd/indexdb@${VULNDB#*@}
cache=${HEARTH_CHECK_CACHE:-$HOME/.cache/hearth-check}
bin=$cache/bin-$($GO env GOVERSION)
db=$cache/vulndb-${VULNDB#*@}
mkdir -p "$bin"
for tool in "$STATICCHECK" "$GOVULNCHECK" "$INDEXDB"; do
  name=${tool%@*}; name=${name##*/}
  [ -x "$bin/$name" ] || GOBIN="$bin" GOFLAGS=-mod=mod $GO install "$tool"
done
if [ ! -f "$db/index/db.json" ]; then
  src=$($GO mod download -json "$VULNDB" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  rm -rf "$db.tmp"
  "$bin/indexdb" -vulns "$src/data/osv" -out "$db.tmp"
  mv "$db.tmp" "$db"
fi

echo "staticcheck ($STATICCHECK)"
"$bin/staticcheck" ./...

echo "govulncheck ($GOVULNCHECK, database $VULNDB)"
report=$(mktemp); trap 'rm -f "$report"' EXIT
set +e
"$bin/govulncheck" -db "file://$db" ./... >"$report" 2>&1
rc=$?
set -e
if [ $rc != 0 ] && [ $rc != 3 ]; then cat "$report"; exit $rc; fi
new=0
for id in $(grep -o '^Vulnerability #[0-9]*: GO-[0-9]*-[0-9]*' "$report" | awk '{print $3}'); do
  if grep -q "^$id " packaging/vuln-allow.txt; then
    echo "  $id: known, $(grep "^$id " packaging/vuln-allow.txt | cut -d' ' -f2-)"
  else
    echo "  $id: NEW"; new=1
  fi
done
if [ $new = 1 ]; then
  cat "$report"
  echo "govulncheck: vulnerabilities above are not in packaging/vuln-allow.txt: upgrade, or list them with a reason"
  exit 1
fi
echo "check: ok"
