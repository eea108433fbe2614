#!/usr/bin/env bash
# Builds the operations web app into web/dist, which the controller serves at /.
# `npm ci` (install exactly what package-lock.json records) runs only when the lock file changed
# since the last install, so a rebuild with nothing new to install takes a few seconds. It takes
# packages from npm's local cache when they are there (the lock file pins each one by its
# integrity hash, so a cached copy is the same bytes) and asks the registry only for the rest.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null; then
  echo "web/build.sh: npm not found; install Node.js 20.19+ with npm to build the web app" >&2
  exit 1
fi
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.udc-lock-sha256 2>/dev/null || true)" != "$want" ]; then
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error
  echo "$want" > node_modules/.udc-lock-sha256
fi
npm run build --silent
