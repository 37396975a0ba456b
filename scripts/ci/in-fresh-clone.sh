#!/usr/bin/env bash
# Runs a command in a fresh clone of this repository's HEAD, alone in an empty temporary folder (nothing beside it, as a
# user's clone is), after `npm ci` there; the clone is removed afterwards.
# Usage: bash scripts/ci/in-fresh-clone.sh npm test
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/gpt-kata-clone.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-hardlinks "$src" "$tmp/gpt-kata"
cd "$tmp/gpt-kata"
echo "in-fresh-clone: $(git log -1 --format='%h %s' | cut -c1-80) in $tmp/gpt-kata" >&2
npm ci --no-audit --no-fund
"$@"
