#!/usr/bin/env bash
# Prints one line naming the sources a build is made from: the git trees of the paths given as committed, plus a hash
# of what differs from them (changes and new files). publish.sh and container.sh keep it beside what they built and
# skip the work when it has not changed, so a test run (or the next one, or one after a commit that touched only
# docs or tests) builds each archive and image once.
#   scripts/source-stamp.sh PATH...
set -euo pipefail
cd "$(dirname "$0")/.."
trees=$(git ls-tree HEAD -- "$@" 2>/dev/null | sha256sum | cut -c1-16)
changes=$( { git diff HEAD -- "$@"; git ls-files --others --exclude-standard -- "$@" | sort | xargs -r sha256sum; } 2>/dev/null | sha256sum | cut -c1-16)
echo "$trees+$changes"
