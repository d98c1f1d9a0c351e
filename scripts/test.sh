#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs Chromium, nginx and PostgreSQL from Debian when missing, starts a
# throwaway PostgreSQL cluster (stopped again on exit), installs the face-api.js peer with npm, builds, fetches the
# models on first use (npm pack, cached in $VISAGE_HOME or ~/.cache/visage), and runs every test project.
# .ci/run calls this script.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v dotnet >/dev/null || { echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "test.sh: npm is required to fetch the model package (or run 'visage models import' first)" >&2; exit 1; }
command -v node >/dev/null || { echo "test.sh: Node.js is required for the face-api.js peer (bench/peer-faceapi)" >&2; exit 1; }

scripts/chromium.sh
scripts/nginx.sh
eval "$(scripts/postgres.sh start)"
trap 'scripts/postgres.sh stop "${VISAGE_TEST_POSTGRES_DIR:-}"' EXIT

# The face-api.js peer of `visage bench --peer` (pinned by its lock file); the peer and bench smoke tests use it.
[ -d bench/peer-faceapi/node_modules/@vladmandic/face-api ] || npm ci --prefix bench/peer-faceapi --no-audit --no-fund --ignore-scripts

dotnet build Visage.slnx -c Release -warnaserror
dotnet run --project src/Visage -c Release --no-build -- models fetch
dotnet test Visage.slnx -c Release --no-build --logger "console;verbosity=normal" "$@"
