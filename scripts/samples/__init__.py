"""Writes the bundled sample datasets under samples/ (see the README.md of each):

  samples/county/  a fictional county (云溪县, 2024): 12 departments, 66 projects, mixed
                   XLSX / GB18030 CSV / UTF-8-BOM CSV, every finding code of scoring.md triggered
  samples/broken/  5 projects with exactly 20 deliberate input mistakes at known positions
  samples/tiny/    1 department, 3 projects, plain UTF-8 CSV, totals easy to check by hand

Deterministic: fixed seeds, no clock. XLSX files are written in memory by xlsxwriter so that
zip entries carry its fixed 1980-01-01 timestamp, and the document properties carry a fixed
creation date. Run with /usr/bin/python3 (Debian's python3-xlsxwriter).

Usage: scripts/make_samples.py [OUTDIR]   (default: <repo>/samples)

The generator also holds a small reference scorer (national-2020 as scoring.md describes it)
used to pick values that land in the intended grade and trigger exactly the intended findings;
its results are written into the READMEs so tests can rely on them.
"""
