#!/usr/bin/env bash
# Does a triplet-loss projection head help on people it never saw? Splits the persons of a labeled folder in two
# (alternately, by sorted name), trains a head on one half with `visage train-head`, and runs `visage eval` on the
# other half with and without `--head` (pairs generated, seeded). Prints both reports' headline numbers.
#   scripts/head-holdout.sh [FACES_DIR]        (default ../shared/data/faces)
set -euo pipefail
cd "$(dirname "$0")/.."
faces=$(cd "${1:-../shared/data/faces}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/train" "$work/test"
i=0
for person in $(find "$faces" -mindepth 1 -maxdepth 1 -type d | sort); do
  if (( i % 2 == 0 )); then ln -s "$person" "$work/train/"; else ln -s "$person" "$work/test/"; fi
  i=$((i + 1))
done
./visage train-head "$work/train" --out "$work/head.json" >&2
for head in none "$work/head.json"; do
  args=(eval "$work/test" --json)
  [[ "$head" != none ]] && args+=(--head "$head")
  echo "== head: $([[ "$head" == none ]] && echo none || echo trained on the other half)"
  ./visage "${args[@]}" | python3 -c '
import json, sys
r = json.load(sys.stdin)["variants"][0]
v = r["verification"]
print(json.dumps({k: v[k] for k in v if k in ("accuracy", "accuracyStd", "auc", "equalErrorRate", "tarAtFar1e2", "tarAtFar1e3", "threshold")}))'
done
