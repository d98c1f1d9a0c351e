#!/usr/bin/env bash
# Installs Debian's Chromium (the browser the browser tests drive through Playwright) when it is missing.
# Playwright's own browser download does not work here; the tests point Playwright at /usr/bin/chromium.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
command -v apt-get >/dev/null || { echo "chromium.sh: /usr/bin/chromium is missing and apt-get is not available" >&2; exit 1; }
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "chromium.sh: installing Debian's chromium (about a minute)" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version >&2
