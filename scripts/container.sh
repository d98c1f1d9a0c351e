#!/usr/bin/env bash
# Builds the Visage container image with Debian's podman, pulling nothing from a registry:
#   scripts/container.sh amd64|arm64 [--no-publish]      -> localhost/visage:ARCH
# 1. scripts/publish.sh linux-x64|linux-arm64 --with-models (skipped with --no-publish: dist/RID must then hold it);
# 2. the root file system of scripts/rootfs.sh (glibc, libstdc++, OpenSSL from Debian 12, the visage user, /data);
# 3. podman build of deploy/container/Containerfile (FROM scratch; docker format, which keeps the HEALTHCHECK).
set -euo pipefail
cd "$(dirname "$0")/.."

arch=${1:-}
case $arch in
  amd64) rid=linux-x64 ;;
  arm64) rid=linux-arm64 ;;
  *) echo "usage: scripts/container.sh amd64|arm64 [--no-publish]" >&2; exit 2 ;;
esac
log() { echo "container.sh: $*" >&2; }

scripts/container-tools.sh
if [[ ${2:-} != --no-publish ]]; then scripts/publish.sh "$rid" --with-models; fi
[[ -x dist/$rid/visage && -d dist/$rid/models && -f dist/$rid.stamp ]] || { log "dist/$rid has no build with models: run scripts/publish.sh $rid --with-models"; exit 1; }

# Built once per build and recipe: the image carries the stamp of both, and the same one is not built again.
stamp="$(<"dist/$rid.stamp") $(cat deploy/container/Containerfile scripts/rootfs.sh scripts/container.sh | sha256sum | cut -c1-16)"
if [[ $(podman image inspect --format '{{index .Labels "visage.source"}}' "localhost/visage:$arch" 2>/dev/null) == "$stamp" ]]; then
  log "localhost/visage:$arch is up to date"
  exit 0
fi
old=$(podman image inspect --format '{{.Id}}' "localhost/visage:$arch" 2>/dev/null || true)
scripts/rootfs.sh "$arch"
work="artifacts/container/$arch"
context="$work/context"
rm -rf "$context"
mkdir -p "$context"
cp deploy/container/Containerfile "$context/"
ln "artifacts/rootfs/$arch.tar" "$context/rootfs.tar" 2>/dev/null || cp "artifacts/rootfs/$arch.tar" "$context/rootfs.tar"
cp -a "dist/$rid" "$context/visage"
podman build --quiet --format docker --arch "$arch" --runtime /usr/sbin/runc --label "visage.source=$stamp" -t "localhost/visage:$arch" "$context" >/dev/null
rm -rf "$context"
# The image this one replaced, now untagged (kept while a container still uses it).
[[ -z $old || $old == $(podman image inspect --format '{{.Id}}' "localhost/visage:$arch") ]] || podman rmi "$old" >/dev/null 2>&1 || true
log "localhost/visage:$arch ($(podman image inspect --format '{{.Size}}' "localhost/visage:$arch" | awk '{printf "%.0f MB", $1/1e6}'))"
