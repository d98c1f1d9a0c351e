#!/usr/bin/env bash
# Installs Debian's Chromium (the browser the browser tests drive through Playwright) when it is missing (about a minute).
# Playwright's own browser download does not work here; the tests point Playwright at /usr/bin/chromium.
set -euo pipefail
"$(dirname "$0")/ensure-debian.sh" /usr/bin/chromium chromium fonts-dejavu-core
