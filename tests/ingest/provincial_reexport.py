#!/usr/bin/env python3
"""A provincial-style re-export of samples/county (scripts/make_provincial.py) must score
exactly as the sample does: every project's amounts, indicator scores, total, grade and
findings, and every department's figures and ratios. Only where a value was read from
(file, sheet, row, column) may differ, and the notes that say how the export was read.

Usage: provincial_reexport.py JIXIAO SOURCE_DIR WORK_DIR
"""

import json
import os
import shutil
import subprocess
import sys

# Where a value came from differs between the two folders by design.
WHERE = {"file", "sheet", "row", "column", "header", "diagnostics"}


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in WHERE}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def run(jixiao, dataset, out):
    shutil.rmtree(out, ignore_errors=True)
    r = subprocess.run([jixiao, "run", dataset, "-o", out, "--date", "2025-08-20", "--documents=summary", "--jobs", "2"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("jixiao run %s exited %d:\n%s" % (dataset, r.returncode, r.stderr))
    return json.load(open(os.path.join(out, "results.json"), encoding="utf-8")), r.stderr


def main(jixiao, source, work):
    shutil.rmtree(work, ignore_errors=True)
    export = os.path.join(work, "export")
    subprocess.run([sys.executable, os.path.join(source, "scripts", "make_provincial.py"),
                    os.path.join(source, "samples", "county"), export], check=True)
    keys = sorted(json.load(open(os.path.join(export, "dataset.json"), encoding="utf-8")))
    if keys != ["公开日期", "发文机关", "年度"]:
        sys.exit("the re-export's dataset.json should hold only 年度/发文机关/公开日期, holds %s" % keys)

    want, _ = run(jixiao, os.path.join(source, "samples", "county"), os.path.join(work, "sample-out"))
    got, log = run(jixiao, export, os.path.join(work, "export-out"))

    if got["diagnostics"]["errors"] != 0 or got["diagnostics"]["warnings"] != want["diagnostics"]["warnings"]:
        sys.exit("the re-export gives %d errors and %d warnings (the sample: %d warnings):\n%s" %
                 (got["diagnostics"]["errors"], got["diagnostics"]["warnings"], want["diagnostics"]["warnings"], log))
    if len(got["projects"]) != 66 or len(want["projects"]) != 66:
        sys.exit("expected 66 projects, got %d and %d" % (len(got["projects"]), len(want["projects"])))
    failures = 0
    for a, b in zip(want["projects"], got["projects"]):
        if strip(a) != strip(b):
            failures += 1
            print("project %s differs:\n sample:    %s\n re-export: %s" %
                  (a["code"], json.dumps(strip(a), ensure_ascii=False)[:2000],
                   json.dumps(strip(b), ensure_ascii=False)[:2000]))
    if strip(want["departments"]) != strip(got["departments"]):
        failures += 1
        print("departments differ")
    rest_a = {k: v for k, v in want.items() if k not in ("projects", "departments", "diagnostics")}
    rest_b = {k: v for k, v in got.items() if k not in ("projects", "departments", "diagnostics")}
    if strip(rest_a) != strip(rest_b):
        failures += 1
        print("summary fields differ: %s vs %s" % (rest_a, rest_b))
    if failures:
        sys.exit("%d differences" % failures)
    print("the re-export scores as the sample: %d projects, grades %s" %
          (len(got["projects"]), sorted({p["code"]: p.get("grade") for p in got["projects"]}.items())[:3]))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
