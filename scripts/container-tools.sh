#!/usr/bin/env bash
# Installs what the container image is built and run with, from Debian, when missing: podman and buildah (podman 4.3
# needs runc here: crun refuses this machine's hybrid cgroups), and mmdebstrap, which lays the image's few Debian
# libraries (glibc, libstdc++, OpenSSL, CA certificates) for amd64 and arm64 without running anything of the target.
set -euo pipefail
ensure="$(dirname "$0")/ensure-debian.sh"
"$ensure" /usr/bin/podman podman runc
"$ensure" /usr/sbin/runc runc
"$ensure" /usr/bin/mmdebstrap mmdebstrap
