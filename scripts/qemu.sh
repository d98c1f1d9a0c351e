#!/usr/bin/env bash
# Installs Debian's user-mode emulators when missing: qemu-aarch64-static runs the linux-arm64 build on this x64 machine
# (the arm64 tests), and qemu-x86_64-static runs the x64 build on an older CPU model (no AVX2, no AVX-512).
set -euo pipefail
"$(dirname "$0")/ensure-debian.sh" /usr/bin/qemu-aarch64-static qemu-user-static
