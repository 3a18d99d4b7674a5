#!/usr/bin/env bash
# A run killed with SIGKILL at random moments, then run again to the end, gives the same bytes
# as an uninterrupted run; whenever a manifest.json exists, every file it lists is on disk
# with its size and SHA-256 (the manifest never lies), and no temporary file survives a
# completed run. Each trial's folder starts as a complete run of another --date, whose files
# differ, so a killed re-run that leaves the old manifest standing is caught.
# Usage: kill_run.sh <jixiao> <source dir> [trials]
set -euo pipefail
jixiao=$1
src=$2
trials=${3:-4}
data="$src/samples/county"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Checks that every file the manifest of $1 lists has its listed size and SHA-256.
manifest_true() {
  local dir=$1
  [ -f "$dir/manifest.json" ] || return 0
  awk -F'"' '/"path":/ {p=$4} /"bytes":/ {gsub(/[^0-9]/, "", $3); b=$3} /"sha256":/ {print p "\t" b "\t" $4}' \
    "$dir/manifest.json" >"$work/listed"
  [ -s "$work/listed" ] || { echo "manifest.json in $dir lists no file"; return 1; }
  while IFS=$'\t' read -r path bytes sha; do
    [ -f "$dir/$path" ] || { echo "manifest.json lists $path, which is missing"; return 1; }
    [ "$(stat -c %s "$dir/$path")" = "$bytes" ] || { echo "manifest.json lies about the size of $path"; return 1; }
    [ "$(sha256sum "$dir/$path" | cut -d' ' -f1)" = "$sha" ] || { echo "manifest.json lies about $path"; return 1; }
  done <"$work/listed"
}

run() { "$jixiao" run "$data" -o "$1" --date "${2:-2025-03-05}" --jobs 2 >"$work/out" 2>"$work/err"; }

start=$(date +%s%N)
run "$work/reference" || { cat "$work/err"; exit 1; }
duration_ms=$(( ($(date +%s%N) - start) / 1000000 ))
manifest_true "$work/reference"
run "$work/earlier" 2025-03-06 || { cat "$work/err"; exit 1; }
rm -f "$work/earlier"/jixiao-history.db*  # each trial's runs start a store of their own

for trial in $(seq 1 "$trials"); do
  out="$work/trial$trial"
  cp -a "$work/earlier" "$out"
  # The first attempt is killed at a random moment of a run's length; the second into the
  # same folder is killed too, after it has begun replacing the first one's files.
  for attempt in 1 2; do
    delay_ms=$(( RANDOM % (duration_ms + 1) ))
    "$jixiao" run "$data" -o "$out" --date 2025-03-05 --jobs 2 >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    manifest_true "$out" || { echo "trial $trial, attempt $attempt killed after ${delay_ms} ms"; exit 1; }
  done
  run "$out" || { echo "trial $trial: the re-run failed"; cat "$work/err"; exit 1; }
  manifest_true "$out"
  cmp "$work/reference/manifest.json" "$out/manifest.json" ||
    { echo "trial $trial: the re-run differs from the uninterrupted run"; exit 1; }
  leftovers=$(find "$out" \( -name '.*.tmp-*' -o -name 'jixiao-xlsx-*' \) | wc -l)
  [ "$leftovers" = 0 ] || { echo "trial $trial: $leftovers temporary files left"; find "$out" -name '.*.tmp-*'; exit 1; }
done
echo "kill -9: $trials trials, each run killed twice at random and re-run: identical to an uninterrupted run"
