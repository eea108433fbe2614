#!/usr/bin/env bash
# The run command: builds and starts the controller with its embedded SQLite store under ./.data.
# Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"
deploy/install-deps.sh run
web/build.sh
dotnet build src/UdcBackup.Cli -c Release -nologo -clp:ErrorsOnly
exec dotnet src/UdcBackup.Cli/bin/Release/net10.0/udc.dll server --data "${UDC_DATA:-.data}" "$@"
