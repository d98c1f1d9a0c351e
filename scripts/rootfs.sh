#!/usr/bin/env bash
# The few Debian 12 files the self-contained build needs on a machine that has nothing else (the container image, and
# qemu-user's sysroot when the arm64 build runs on this x64 machine):
#   scripts/rootfs.sh amd64|arm64        -> artifacts/rootfs/ARCH.tar (cached), also unpacked in artifacts/rootfs/ARCH/
# mmdebstrap extracts glibc, libstdc++ and OpenSSL for ARCH (it runs nothing of the target, so arm64 needs no
# emulation); this script adds the visage user (uid 10001), /data owned by it, /tmp and the CA certificates.
# Documentation and glibc's charset converters are left out: .NET runs with invariant globalization.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=${1:-}
[[ $arch == amd64 || $arch == arm64 ]] || { echo "usage: scripts/rootfs.sh amd64|arm64" >&2; exit 2; }
out=artifacts/rootfs
tarball="$out/$arch.tar"
mkdir -p "$out"
if [[ ! -f $tarball ]]; then
  scripts/container-tools.sh
  echo "rootfs.sh: laying Debian's libraries for $arch with mmdebstrap" >&2
  # The host's own Debian sources (the suite it runs): no mirror is named here.
  mmdebstrap --quiet --mode=root --format=tar --variant=extract --architectures="$arch" \
    --include=libc6,libgcc-s1,libstdc++6,libssl3 \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/lib/*/gconv/*' \
    bookworm "$tarball.tmp" /etc/apt/sources.list.d/debian.sources
  extra=$(mktemp -d)
  mkdir -p "$extra/etc/ssl/certs" "$extra/data" "$extra/tmp"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nvisage:x:10001:10001:Visage:/data:/usr/sbin/nologin\n' >"$extra/etc/passwd"
  printf 'root:x:0:\nvisage:x:10001:\n' >"$extra/etc/group"
  cp /etc/ssl/certs/ca-certificates.crt "$extra/etc/ssl/certs/"  # text, the same on every architecture
  chown 10001:10001 "$extra/data"
  chmod 1777 "$extra/tmp"
  tar --append -f "$tarball.tmp" --numeric-owner -C "$extra" ./etc/passwd ./etc/group ./etc/ssl/certs/ca-certificates.crt ./data ./tmp
  rm -rf "$extra" "$out/$arch"
  mv "$tarball.tmp" "$tarball"
fi
if [[ ! -d $out/$arch ]]; then
  mkdir -p "$out/$arch.tmp"
  tar -xf "$tarball" -C "$out/$arch.tmp" --exclude='./dev/*' 2>/dev/null
  mv "$out/$arch.tmp" "$out/$arch"
fi
