#!/usr/bin/env bash
# Self-contained build of visage for one Linux runtime, with no .NET SDK needed to run it:
#   scripts/publish.sh linux-x64|linux-arm64 [--with-models]
# writes dist/RID/ (the single-file `visage` executable, its native libraries: ONNX Runtime, SkiaSharp, SQLite, and
# the web page) and the release archive dist/visage-RID.tar.gz with its SHA-256 in dist/visage-RID.tar.gz.sha256.
# ReadyToRun: Visage's code and its packages' are precompiled for RID (the runtime's already is), so a start does not
# wait for the JIT (under qemu-user on another architecture that matters most). Not one composite image of everything:
# crossgen2 then recompiles the whole framework: minutes more on 2 cores, and a 169 MB executable instead of 129 MB. --with-models puts the face-api.js model package
# (models/vladmandic-face-api-1.7.15.tgz, taken from the model cache, fetched there first when missing) beside the
# executable: a machine without npm or network then converts it on first start (ModelStore's bundled package),
# and the archive is named visage-RID-models.tar.gz.
set -euo pipefail
cd "$(dirname "$0")/.."

rid=${1:-}
case $rid in
  linux-x64|linux-arm64) ;;
  *) echo "usage: scripts/publish.sh linux-x64|linux-arm64 [--with-models]" >&2; exit 2 ;;
esac
models=""
[[ ${2:-} == --with-models ]] && models=1

out="dist/$rid"
name="visage-$rid${models:+-models}"
# Built once per source state: a second call (the next test class, the next run at the same commit) finds it made.
stamp="$(scripts/source-stamp.sh src Directory.Build.props Directory.Packages.props scripts/publish.sh)${models:+ with models}"
if [[ -f dist/$rid.stamp && $(<"dist/$rid.stamp") == "$stamp" && -f dist/$name.tar.gz ]]; then
  echo "publish.sh: $out and dist/$name.tar.gz are up to date" >&2
  exit 0
fi
mkdir -p dist
rm -rf "$out" "dist/$rid.stamp"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Its own artifacts folder: the publish never touches (or races) the bin/ and obj/ of the ordinary build and tests.
dotnet publish src/Visage -c Release -r "$rid" --self-contained true -o "$out" --artifacts-path artifacts/publish -nologo \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=false -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=false \
  -p:DebugType=none -p:PublishDocumentationFiles=false -p:PublishReferencesDocumentationFiles=false \
  -p:SourceRevisionId="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" >"$log" 2>&1 \
  || { cat "$log" >&2; exit 1; }

if [[ -n $models ]]; then
  package=vladmandic-face-api-1.7.15.tgz
  cache=${VISAGE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/visage}
  [[ -f $cache/packages/$package ]] || ./visage models fetch >&2
  mkdir -p "$out/models"
  cp "$cache/packages/$package" "$out/models/"
fi

# The archive unpacks into one folder named after it; its checksum file is what `sha256sum -c` reads.
staging=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$staging"' EXIT
cp -a "$out" "$staging/$name"
tar -C "$staging" --owner=0 --group=0 --numeric-owner -czf "dist/$name.tar.gz" "$name"
(cd dist && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
echo "$stamp" >"dist/$rid.stamp"
echo "publish.sh: $out and dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1))" >&2
