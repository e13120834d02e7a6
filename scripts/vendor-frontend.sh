#!/usr/bin/env bash
# Refreshes the vendored GOV.UK Frontend, MOJ Frontend and axe-core assets in static/vendor/
# from the npm registry. Running or testing Casework never needs Node: the copied files are
# committed. Run this only to move to new versions (edit the pins in scripts/package.json).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --silent)
dest="$root/static/vendor"
rm -rf "$dest"
mkdir -p "$dest/govuk" "$dest/moj" "$dest/axe"
gov="$work/node_modules/govuk-frontend/dist/govuk"
moj="$work/node_modules/@ministryofjustice/frontend/moj"
cp "$gov/govuk-frontend.min.css" "$gov/govuk-frontend.min.js" "$dest/govuk/"
cp -r "$gov/assets" "$dest/govuk/assets"
# GDS Transport is licensed for GOV.UK only: drop the font files and their @font-face rules, so
# the CSS's own fallback (Arial) is used and no request is made for fonts that are not there.
rm -rf "$dest/govuk/assets/fonts"
sed -i 's/@font-face{font-family:GDS Transport;[^}]*}//g' "$dest/govuk/govuk-frontend.min.css"
cp "$moj/moj-frontend.min.css" "$moj/moj-frontend.min.js" "$dest/moj/"
cp -r "$moj/assets" "$dest/moj/assets"
cp "$work/node_modules/axe-core/axe.min.js" "$dest/axe/"
for pkg in govuk-frontend @ministryofjustice/frontend axe-core; do
  node -e "const p=require('$work/node_modules/$pkg/package.json');console.log(p.name+'@'+p.version+' '+(p.license||''))"
done > "$dest/VERSIONS.txt"
cat "$dest/VERSIONS.txt"
