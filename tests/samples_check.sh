#!/usr/bin/env bash
# Regenerates the bundled samples with scripts/make_samples.py into a temporary folder and
# compares them with the committed samples/county, samples/broken and samples/tiny: the
# committed files must be exactly what the generator writes (change both together). Then
# runs jixiao on samples/county and checks its results.json against the generator's own
# reference scoring (scripts/make_samples.py --check-results).
#
#   tests/samples_check.sh <repository> <jixiao>
set -euo pipefail
repo="$1"
jixiao="$2"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
/usr/bin/python3 "$repo/scripts/make_samples.py" "$out" >/dev/null
status=0
for d in county broken tiny; do
  diff -r "$out/$d" "$repo/samples/$d" || status=1
done
[ "$status" = 0 ] || echo "samples/ differs from what scripts/make_samples.py writes (run it to regenerate)" >&2
"$jixiao" run "$repo/samples/county" --date 2025-03-05 --documents summary -o "$out/run" >/dev/null 2>&1 || true
[ -f "$out/run/results.json" ] || { echo "jixiao run samples/county wrote no results.json" >&2; exit 1; }
/usr/bin/python3 "$repo/scripts/make_samples.py" --check-results "$out/run/results.json" || status=1
exit "$status"
