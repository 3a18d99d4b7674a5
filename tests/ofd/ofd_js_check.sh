#!/usr/bin/env bash
# OFD (GB/T 33190) files of a samples/county run, checked by a reader nobody here wrote:
# ofd.js (npm, installed by this script into the build folder, never committed) renders them in
# headless Chromium (puppeteer-core), and every page is compared with the PDF of the same
# document as pdftoppm renders it (text equal, ink mismatch under the threshold below). Before
# that, every XML part of every OFD of the run is checked (tests/ofd/ofd_structure.py).
#
# Rendered: every feedback letter (草稿: red 版头, rules, rotated watermark), every department
# table, the first, the last and the two largest project tables, and the first report.
#
# Usage: ofd_js_check.sh JIXIAO_BINARY SOURCE_DIR BUILD_DIR
# JIXIAO_KEEP_BROWSER_OUTPUT=1 keeps the run, the PNGs (PDF, OFD, diff) and prints the folder.
set -uo pipefail

jixiao=$1
source_dir=$2
build_dir=$3
# shellcheck source=tests/browser/chromium_env.sh
. "$source_dir/tests/browser/chromium_env.sh"
# Ink pixels (darker than 160/255) of either image without ink within one pixel in the other,
# over all ink pixels of both, at 96 dpi: the most a page may have.
max_ink_mismatch=0.05
dpi=96

require_browser_tools node npm python3 pdftoppm pdftotext pdfinfo
modules="$build_dir/ofd-js-node"
npm_install "$modules" ofd.js@0.2.6 puppeteer-core@22.8.2
make_work_dir jixiao-ofd

"$jixiao" run "$source_dir/samples/county" -o "$work/out" --date 2025-03-05 --jobs 2 \
  --documents table-pdf,report,department,letter --formats pdf,ofd >"$work/run.log" 2>&1 || {
  echo "FAIL: the run failed"
  cat "$work/run.log"
  exit 1
}

cd "$work/out" || exit 1
{
  find . -name '*反馈函*.ofd'
  find . -name '*部门整体支出绩效自评表.ofd'
  find . -name '*项目支出绩效自评表.ofd' | sort | sed -n '1p;$p'
  find . -name '*项目支出绩效自评表.pdf' -print0 | xargs -0 ls -S | sed -n '1,2p' | sed 's/\.pdf$/.ofd/'
  find . -name '*绩效自评报告.ofd' | sort | sed -n 1p
} | sed 's|^\./||' | sort -u >"$work/chosen"
cd - >/dev/null || exit 1
echo "rendering $(wc -l <"$work/chosen") OFD files with ofd.js"

mapfile -t chosen <"$work/chosen"
python3 "$source_dir/tests/ofd/ofd_structure.py" "$work/out" "$work/cases.json" "$work/png" "$dpi" "${chosen[@]}"
structure=$?

NODE_PATH="$modules/node_modules" CHROMIUM="$chromium" OFDJS="$modules/node_modules/ofd.js/lib/ofd.umd.js" \
  CASES="$work/cases.json" OUT="$work/png" DPI="$dpi" MAX_INK_MISMATCH="$max_ink_mismatch" \
  timeout 600 node "$source_dir/tests/ofd/ofd_js_render.js"
rendering=$?

[ $structure -eq 0 ] && [ $rendering -eq 0 ]
