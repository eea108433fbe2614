#!/usr/bin/env bash
# Publishes `udc` precompiled for short archive commands, the build the archive benchmark times and
# operators should deploy: self-contained with a composite ReadyToRun image of the CLI, the archive
# library and the framework assemblies an archive command loads (the list and why it is not the whole
# framework: src/UdcBackup.Cli/UdcBackup.Cli.csproj), tiered PGO off (it compiled hot methods once more
# with instrumentation). The runtime packs come from NuGet (the offline cache here has 10.0.12).
# Takes 5-30 minutes on two cores depending on load (crossgen2 compiles the framework part).
#
#   bench/archive/publish-udc.sh OUT        then run OUT/udc
set -euo pipefail
out=${1:?give the output folder}
repo_root=$(cd "$(dirname "$0")/../.." && pwd)
# The framework-dependent ReadyToRun publish (README) shares this folder of precompiled images; an
# image left by the other kind of publish looks up to date to the next one and is copied as it is
# (a framework-dependent udc then aborts at start), so neither publish may find the other's.
r2r="$repo_root/src/UdcBackup.Cli/obj/Release/net10.0/linux-x64/R2R"
rm -rf "$r2r"
trap 'rm -rf "$r2r"' EXIT
dotnet publish "$repo_root/src/UdcBackup.Cli" -c Release -r linux-x64 --self-contained true \
  -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:TieredPGO=false \
  -o "$out" -nologo -clp:ErrorsOnly
