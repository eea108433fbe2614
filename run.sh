#!/usr/bin/env bash
# The run command: installs what is missing, builds, and starts the demo: the controller with
# its embedded SQLite store under ./.data, a media agent and disk agents for the sample systems
# of deploy/demo/site.yaml (one of them a real PostgreSQL 15), enrolled and scheduled
# (see deploy/demo/demo.sh). Ctrl-C stops it all.
#   ./run.sh                 the demo
#   ./run.sh --server-only   only the controller (udc server --data .data), e.g. for your own site
set -euo pipefail
export DOTNET_NOLOGO=1   # no first-run banner in the demo output
cd "$(dirname "$0")"
deploy/install-deps.sh run
web/build.sh
dotnet build src/UdcBackup.Cli -c Release -nologo -clp:ErrorsOnly -nodeReuse:false   # no build server left behind after Ctrl-C
if [ "${1:-}" = --server-only ]; then
  shift
  exec dotnet src/UdcBackup.Cli/bin/Release/net10.0/udc.dll server --data "${UDC_DATA:-.data}" "$@"
fi
exec deploy/demo/demo.sh
