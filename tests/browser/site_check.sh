#!/usr/bin/env bash
# Browser test of the disclosure site: publishes samples/county, then loads every HTML page
# from the published folder in Debian's headless chromium at phone size (390 × 844) and
# checks that it renders (a screenshot that is not blank, a DOM with the page's content), that
# nothing is wider than the phone (overflow.js: no sideways scrolling, no cell cut off), that
# the console stays silent (no script errors, no blocked or failed loads), that no page refers
# to anything outside the folder, that every href resolves to a published file (or an id on
# the page), that every published document is linked from some page, and that the manifest's
# sizes and SHA-256 match the files. A second publish must change nothing.
#
# Usage: site_check.sh JIXIAO_BINARY SOURCE_DIR
# Fails when chromium is not installed (scripts/setup --test installs it).
# JIXIAO_KEEP_BROWSER_OUTPUT=1 keeps the folder with the site and the screenshots.
set -uo pipefail

jixiao=$1
source_dir=$2
# shellcheck source=tests/browser/chromium_env.sh
. "$source_dir/tests/browser/chromium_env.sh"

require_browser_tools
make_work_dir jixiao-browser
site="$work/site"
shots="$work/shots"
mkdir -p "$shots"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# --- publish, twice -------------------------------------------------------------------------
if ! "$jixiao" publish "$source_dir/samples/county" --to "$site" --date 2025-09-01 >"$work/publish1.out" 2>"$work/publish1.err"; then
  cat "$work/publish1.err"
  echo "FAIL: jixiao publish failed"
  exit 1
fi
cat "$work/publish1.out"
stamp() { find "$site" -type f -printf '%P %s %T@\n' | sort; }
before=$(stamp)
"$jixiao" publish "$source_dir/samples/county" --to "$site" --date 2025-09-02 >"$work/publish2.out" 2>/dev/null \
  || fail "second publish failed"
grep -q '^没有变化，未改动任何文件' "$work/publish2.out" || fail "second publish did not report 没有变化: $(cat "$work/publish2.out")"
[ "$before" = "$(stamp)" ] || fail "second publish touched files"
# A run while another process holds the lock is refused with 75 and touches nothing.
if command -v flock >/dev/null 2>&1; then
  flock --nonblock "$site" \
    "$jixiao" publish "$source_dir/samples/county" --to "$site" --date 2025-09-02 >/dev/null 2>"$work/locked.err"
  code=$?
  [ "$code" = 75 ] || fail "publish under a held lock exited $code, expected 75"
  grep -q '另一个 jixiao publish 正在向' "$work/locked.err" || fail "no lock message: $(cat "$work/locked.err")"
  [ "$before" = "$(stamp)" ] || fail "publish under a held lock touched files"
fi

# --- one page in chromium -------------------------------------------------------------------
# Prints the page's screenshot, DOM and log paths; every run gets its own profile because
# chromium instances must not share one.
load_page() {
  local page=$1 name=$2
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-default-apps --hide-scrollbars \
    --user-data-dir="$work/profile-$name" --window-size=390,844 --enable-logging=stderr --v=0 \
    --screenshot="$shots/$name.png" --dump-dom "file://$page" >"$shots/$name.dom" 2>"$shots/$name.log"
  rm -rf "$work/profile-$name"
}

# The page passes when its screenshot is clearly larger than a blank page's, the DOM holds
# its <main> with a heading, and the log has no console message at all (the pages have no
# script, so any console line is a blocked resource, a CSP violation or an error).
check_page() {
  local name=$1 label=$2 blank_size=$3 ok=0
  if [ ! -s "$shots/$name.png" ]; then
    echo "  $label: no screenshot"; ok=1
  elif [ "$(stat -c %s "$shots/$name.png")" -le $((blank_size * 4)) ]; then
    echo "  $label: screenshot looks blank ($(stat -c %s "$shots/$name.png") bytes, blank page $blank_size)"; ok=1
  fi
  if ! grep -q '<main>' "$shots/$name.dom" || ! grep -q '<h1' "$shots/$name.dom"; then
    echo "  $label: DOM has no <main> with a heading"; ok=1
  fi
  if grep -E ':CONSOLE|Uncaught|Refused to|Failed to load resource|ERR_FILE_NOT_FOUND' "$shots/$name.log" >"$shots/$name.errors"; then
    echo "  $label: console: $(head -3 "$shots/$name.errors")"; ok=1
  fi
  return $ok
}

# Calibration: a blank page, and a deliberately broken page that the checks must reject
# (otherwise a chromium that logs nothing would let every page pass).
printf '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>' >"$work/blank.html"
load_page "$work/blank.html" blank
blank_size=$(stat -c %s "$shots/blank.png" 2>/dev/null || echo 0)
if [ "$blank_size" -le 0 ]; then
  echo "FAIL: chromium produced no screenshot of a blank page"; cat "$shots/blank.log"; exit 1
fi
printf '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><main><h1>x</h1><script>missing();</script></main></body></html>' >"$work/broken.html"
load_page "$work/broken.html" broken
if check_page broken "control page" "$blank_size" >/dev/null; then
  echo "FAIL: the checks accepted a page with a script error; console logging is not working"; exit 1
fi

# --- every page -----------------------------------------------------------------------------
# Each page is loaded as a copy (in $work/measured, a copy of the site) that also runs
# overflow.js: on a phone no page may scroll sideways and no table cell may be cut off or lie
# off-screen (the tables read as lists of rows there).
mapfile -d '' pages < <(find "$site" -name '*.html' -print0 | sort -z)
echo "loading ${#pages[@]} pages in $chromium"
[ "${#pages[@]}" -ge 3 ] || fail "only ${#pages[@]} pages published"
measured="$work/measured"
cp -r "$site" "$measured"
for page in "${pages[@]}"; do
  rel=${page#"$site/"}
  prefix=$(awk -F/ '{ for (i = 1; i < NF; i++) printf "../" }' <<<"$rel")
  sed -i -e "s|img-src data:\">|img-src data:; script-src 'self'\">|" \
    -e "s|</head>|<script src=\"${prefix}overflow.js\" defer></script></head>|" "$measured/$rel"
done
cp "$source_dir/tests/browser/overflow.js" "$measured/overflow.js"
# Calibration: a page wider than the phone must be reported.
printf '<!DOCTYPE html><html><head><meta charset="utf-8"><script src="overflow.js" defer></script></head><body><main><h1>x</h1><table><tr><td style="min-width:800px">宽</td></tr></table></main></body></html>' >"$measured/wide.html"
load_page "$measured/wide.html" wide
rm "$measured/wide.html"
grep -q 'data-overflow="page 8' "$shots/wide.dom" || { echo "FAIL: overflow.js did not report a page 800 px wide"; exit 1; }
export -f load_page
export chromium work shots
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 4 ] && jobs=4
for i in "${!pages[@]}"; do printf '%s\0%s\0' "$measured/${pages[$i]#"$site/"}" "page$i"; done |
  xargs -0 -n 2 -P "$jobs" bash -c 'load_page "$1" "$2"' _
for i in "${!pages[@]}"; do
  rel=${pages[$i]#"$site/"}
  check_page "page$i" "$rel" "$blank_size" || fail "page $rel did not render cleanly"
  overflow=$(grep -o 'data-overflow="[^"]*"' "$shots/page$i.dom")
  [ "$overflow" = 'data-overflow="none"' ] || fail "page $rel at 390 px: ${overflow:-not measured}"
done

# --- the all-projects page's filter runs under the CSP ------------------------------------------
# A filter in the address (?grade=差) is applied by filter.js: rows of other grades are hidden
# and the count says how many show. Nothing may be logged (a CSP violation would be).
load_page "$site/projects.html?grade=%E5%B7%AE" filtered
check_page filtered "projects.html?grade=差" "$blank_size" || fail "projects.html with a filter did not render cleanly"
total=$(grep -c '<tr data-grade=' "$site/projects.html")
poor=$(grep -c '<tr data-grade="差"' "$site/projects.html")
grep -q "<output id=\"count\">显示 $poor / $total 个项目</output>" "$shots/filtered.dom" \
  || fail "filter count not shown: $(grep -o '<output[^>]*>[^<]*' "$shots/filtered.dom")"
hidden=$(grep -c '<tr data-grade="[^"]*" hidden=""' "$shots/filtered.dom")
[ "$hidden" -eq $((total - poor)) ] || fail "filter hid $hidden rows, expected $((total - poor))"
grep -q '<form id="filter" class="filter">' "$shots/filtered.dom" || fail "filter form not shown by filter.js"

# --- links and resources ----------------------------------------------------------------------
declare -A linked
for page in "${pages[@]}"; do
  rel=${page#"$site/"}
  dir=$(dirname "$page")
  # The only script is the all-projects page's own filter.js (the CSP allows 'self' there).
  body=$(cat "$page")
  if [ "$rel" = projects.html ]; then
    body=${body/'<script src="filter.js" defer></script>'/}
    [ -f "$site/filter.js" ] && linked[filter.js]=1 || fail "projects.html: filter.js is missing"
  fi
  grep -qiE '<script|<iframe|<object|<embed|<img|<link rel="stylesheet"|@import|url\(' <<<"$body" \
    && fail "$rel loads or runs something"
  grep -qE ' src=' <<<"$body" && fail "$rel has a src attribute"
  case "$rel" in
    */*) grep -q 'href="../index.html"' "$page" || fail "$rel has no link back to the index" ;;
    index.html) ;;
    *) grep -q 'href="index.html"' "$page" || fail "$rel has no link back to the index" ;;
  esac
  while IFS= read -r href; do
    case "$href" in
      data:*) continue ;;
      http:*|https:*|//*|mailto:*|javascript:*) fail "$rel links outside the site: $href"; continue ;;
      \#*) grep -q "id=\"${href#\#}\"" "$page" || fail "$rel: anchor $href has no target"; continue ;;
    esac
    decoded=$(printf '%b' "${href//%/\\x}")
    target=$(realpath -m "$dir/$decoded")
    case "$target" in "$site"/*) ;; *) fail "$rel: $href leaves the site"; continue ;; esac
    if [ -f "$target" ]; then linked["${target#"$site/"}"]=1; else fail "$rel: $href does not resolve"; fi
  done < <(grep -o 'href="[^"]*"' "$page" | sed -e 's/^href="//' -e 's/"$//')
done

# Every published document and page (except the index itself) is reachable by a link.
while IFS= read -r -d '' file; do
  rel=${file#"$site/"}
  case "$rel" in index.html|manifest.json) continue ;; esac
  [ -n "${linked[$rel]:-}" ] || fail "$rel is published but no page links to it"
done < <(find "$site" -type f -print0)

# --- manifest -----------------------------------------------------------------------------------
entries=0
while IFS=$'\t' read -r path bytes sha; do
  entries=$((entries + 1))
  [ -f "$site/$path" ] || { fail "manifest lists missing $path"; continue; }
  [ "$(stat -c %s "$site/$path")" = "$bytes" ] || fail "manifest size of $path is wrong"
  [ "$(sha256sum "$site/$path" | cut -d' ' -f1)" = "$sha" ] || fail "manifest SHA-256 of $path is wrong"
done < <(awk -F'"' '/"path":/ {p=$4} /"bytes":/ {gsub(/[^0-9]/, "", $3); b=$3} /"sha256":/ {print p "\t" b "\t" $4}' "$site/manifest.json")
files=$(find "$site" -type f ! -name manifest.json | wc -l)
[ "$entries" -eq "$files" ] || fail "manifest lists $entries files, the folder holds $files"

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s); screenshots and logs in $work (set JIXIAO_KEEP_BROWSER_OUTPUT=1 to keep them)"
  exit 1
fi
echo "OK: ${#pages[@]} pages rendered at 390×844 without console messages or sideways scrolling; every link resolves; manifest verified"
