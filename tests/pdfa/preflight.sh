#!/usr/bin/env bash
# Every PDF of a samples/county run is PDF/A-1b by Apache PDFBox's preflight (Debian's
# libpdfbox2-java, installed by scripts/setup --test), all checked in one JVM by
# PreflightAll.java (Validator_A1b takes one file per JVM, seconds each).
# `--pdf-profile plain` turns the PDF/A objects off again.
#   tests/pdfa/preflight.sh JIXIAO SOURCE_DIR
set -euo pipefail
jixiao="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp="/usr/share/java/preflight.jar:/usr/share/java/pdfbox2.jar:/usr/share/java/fontbox2.jar:/usr/share/java/xmpbox.jar"
cp="$cp:/usr/share/java/commons-logging.jar:/usr/share/java/javax.activation.jar:/usr/share/java/jaxb-api.jar"
for jar in ${cp//:/ }; do
  [ -f "$jar" ] || { echo "missing $jar: run scripts/setup --test" >&2; exit 1; }
done

"$jixiao" run "$src/samples/county" -o "$work/out" --date 2025-03-05 --jobs 2 >/dev/null 2>"$work/run.log"
find "$work/out" -name '*.pdf' | sort >"$work/pdfs"
count=$(wc -l <"$work/pdfs")
for kind in 项目支出绩效自评表 部门整体支出绩效自评表 绩效自评报告 反馈函; do
  grep -q "$kind" "$work/pdfs" || { echo "no $kind PDF in the run" >&2; exit 1; }
done
if ! tr '\n' '\0' <"$work/pdfs" | xargs -0 java -cp "$cp" "$(dirname "$0")/PreflightAll.java" >"$work/preflight" 2>&1; then
  grep -v "^valid: " "$work/preflight" | head -40 >&2
  exit 1
fi
grep -q "^all $count valid PDF/A-1b" "$work/preflight" || { tail -5 "$work/preflight" >&2; exit 1; }
echo "$count PDFs of samples/county checked: all valid PDF/A-1b"

# The plain profile: no XMP metadata, no output intent.
"$jixiao" run "$src/samples/county" -o "$work/plain" --date 2025-03-05 --jobs 2 --documents letter --pdf-profile plain \
  >/dev/null 2>>"$work/run.log"
letter="$(find "$work/plain" -name '*反馈函*.pdf' | sort | sed -n 1p)"
[ -n "$letter" ] || { echo "no letter in the plain run" >&2; exit 1; }
if pdfinfo "$letter" | grep -q "Metadata Stream: *yes"; then
  echo "--pdf-profile plain still wrote XMP metadata: $letter" >&2
  exit 1
fi
if ! pdfinfo "$(grep 反馈函 "$work/pdfs" | sed -n 1p)" | grep -q "Metadata Stream: *yes"; then
  echo "a PDF/A letter has no XMP metadata" >&2
  exit 1
fi
echo "--pdf-profile plain writes plain PDF"
