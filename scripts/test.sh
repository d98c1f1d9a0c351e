#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs Chromium, nginx, mosquitto, PostgreSQL, ffmpeg and GStreamer's RTSP
# server (for the video tests) from Debian when missing, starts a
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
scripts/ffmpeg.sh
scripts/gst-rtsp.sh
scripts/mosquitto.sh install  # the Frigate bridge tests start their own brokers with it
eval "$(scripts/postgres.sh start)"
trap 'scripts/postgres.sh stop "${VISAGE_TEST_POSTGRES_DIR:-}"' EXIT

# The face-api.js peer of `visage bench --peer` (pinned by its lock file); the peer and bench smoke tests use it.
[ -d bench/peer-faceapi/node_modules/@vladmandic/face-api ] || npm ci --prefix bench/peer-faceapi --no-audit --no-fund --ignore-scripts
# The official CompreFace JavaScript SDK (pinned by its lock file), driven against a real visage serve by CompreFaceSdkTests.
[ -d tests/compreface-sdk/node_modules/@exadel/compreface-js-sdk ] || npm ci --prefix tests/compreface-sdk --no-audit --no-fund --ignore-scripts

started=$SECONDS
dotnet build Visage.slnx -c Release -warnaserror
dotnet run --project src/Visage -c Release --no-build -- models fetch

# Every test project's own summary is buried in the interleaved output; one line for the whole suite ends it.
log=$(mktemp)
trap 'rm -f "$log"; scripts/postgres.sh stop "${VISAGE_TEST_POSTGRES_DIR:-}"' EXIT
status=0
dotnet test Visage.slnx -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
projects=$(grep -l Microsoft.NET.Test.Sdk tests/*/*.csproj | wc -l)
reported=$(grep -c '^ *Total tests: ' "$log" || true)
# A test host that died reports nothing: with no filter given, every project must have reported.
if [[ $# -eq 0 && $reported -ne $projects && $status -eq 0 ]]; then status=1; fi
awk -v projects="$projects" -v reported="$reported" -v seconds=$((SECONDS - started)) -v status="$status" '
    /^ *Passed: [0-9]/ { passed += $2 }
    /^ *Failed: [0-9]/ { failed += $2 }
    /^ *Skipped: [0-9]/ { skipped += $2 }
    END {
        printf "test.sh: %d passed, %d failed, %d skipped in %d of %d test projects, %d s%s\n",
            passed, failed, skipped, reported, projects, seconds, (status != 0 || failed > 0) ? " -- FAILED" : ""
    }' "$log"
exit "$status"
