#!/usr/bin/env bash
# The test command: installs what the tests need, builds, and runs every test project.
# Tests that need real parts (PostgreSQL, nftables in network namespaces, Chromium) run as root
# and fail, never skip, when a part is missing.
set -euo pipefail
cd "$(dirname "$0")"
deploy/install-deps.sh test
web/build.sh
dotnet build UdcBackup.sln -c Release -nologo -clp:ErrorsOnly
results=$(mktemp -d)
status=0
dotnet test UdcBackup.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" "$@" || status=$?
# BLAKE3 once more as CPUs without AVX-512, and without AVX2, run it (this machine has both).
for isa in DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0; do
  env "$isa" dotnet test tests/UdcBackup.Archive.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~Blake3Tests" \
    --logger "trx;LogFileName=blake3-${isa%%=*}.trx" --results-directory "$results" || status=$?
done
# One closing line for every project together, read by CI.
python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    p += int(c.get("passed")); f += int(c.get("failed")) + int(c.get("error")) + int(c.get("timeout")) + int(c.get("aborted"))
    s += int(c.get("notExecuted"))
print(f"tests: {p} passed, {f} failed, {s} skipped")
PY
rm -rf "$results"
exit $status
