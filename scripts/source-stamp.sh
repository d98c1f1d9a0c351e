#!/usr/bin/env bash
# Prints one line naming the sources a build is made from: the commit, plus a hash of what differs from it (changes
# and new files) under the paths given. publish.sh and container.sh keep it beside what they built and skip the work
# when it has not changed, so a test run (or a second one at the same commit) builds each archive and image once.
#   scripts/source-stamp.sh PATH...
set -euo pipefail
cd "$(dirname "$0")/.."
commit=$(git rev-parse HEAD 2>/dev/null || echo none)
changes=$( { git diff HEAD -- "$@"; git ls-files --others --exclude-standard -- "$@" | sort | xargs -r sha256sum; } 2>/dev/null | sha256sum | cut -c1-16)
echo "$commit+$changes"
