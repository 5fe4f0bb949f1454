#!/bin/sh
# Copy the front-end libraries from node_modules into static/vendor/<package>/ with their licences.
# Run after `npm ci` in this folder (package.json + package-lock.json pin the versions). The copied
# files are committed: the web UI never loads anything from a CDN or from node_modules at run time.
set -eu
cd "$(dirname "$0")"
NM=node_modules
OUT=static/vendor
[ -d "$NM" ] || { echo "vendor.sh: run 'npm ci' in web/ first" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"

copy() { # copy <package> <file-in-package> [<file-in-package> ...]
  pkg=$1; shift
  dest="$OUT/$(echo "$pkg" | sed 's#^@##; s#/#-#')"
  mkdir -p "$dest"
  for f in "$@"; do cp "$NM/$pkg/$f" "$dest/"; done
  for lic in LICENSE LICENSE.md LICENSE.txt; do
    [ -f "$NM/$pkg/$lic" ] && cp "$NM/$pkg/$lic" "$dest/LICENSE"
  done
  node -e 'const p=require(process.argv[1]);console.log(`${p.name} ${p.version} (${p.license})`)' \
    "./$NM/$pkg/package.json" > "$dest/VERSION"
}

copy @picocss/pico css/pico.min.css
copy htmx.org dist/htmx.min.js
copy cytoscape dist/cytoscape.min.js
copy dagre dist/dagre.min.js
copy cytoscape-dagre cytoscape-dagre.js
copy @zazuko/yasgui build/yasgui.min.js build/yasgui.min.css

# @zazuko/yasgui ships no LICENSE file and bundles its dependencies into yasgui.min.js: record the
# package's own licence (MIT, from package.json) and the licence of every bundled dependency.
node - "$NM" "$OUT/zazuko-yasgui/LICENSE" <<'JS'
const fs = require("fs"), path = require("path");
const [nm, out] = process.argv.slice(2);
const seen = new Set(), parts = [];
function visit(name) {
  if (seen.has(name)) return; seen.add(name);
  const dir = path.join(nm, name), pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json")));
  const lic = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text = lic ? fs.readFileSync(path.join(dir, lic), "utf8").trim() : `License: ${pkg.license}`;
  parts.push(`=== ${pkg.name} ${pkg.version} (${pkg.license}) ===\n${text}\n`);
  for (const dep of Object.keys(pkg.dependencies || {})) visit(dep);
}
visit("@zazuko/yasgui");
const head = "@zazuko/yasgui is released under the MIT licence (package.json); its bundle\n" +
  "yasgui.min.js contains the packages below, each under its own licence.\n\n";
fs.writeFileSync(out, head + parts.join("\n"));
JS
echo "vendored into $OUT:"; ls "$OUT"
# node_modules is only the source of the copy: remove it so that it never ends up in a wheel
# (the build ships web/ as package data). 'npm ci' brings it back from package-lock.json.
rm -rf "$NM"
