#!/usr/bin/python3
"""Writes the bundled sample datasets under samples/ (county, broken, tiny); the generator is the
package scripts/samples/ (its __init__.py says what each dataset holds, each module one part).

Usage: scripts/make_samples.py [OUTDIR]   (default: <repo>/samples)
       scripts/make_samples.py --check-results RESULTS_JSON
         compares the generator's own scoring of samples/county with jixiao's results.json
         (exit 1 and a list of differences when they disagree)
Run with /usr/bin/python3 (Debian's python3-xlsxwriter). tests/samples_check.sh (ctest
samples_regenerate) checks that the committed samples are exactly what it writes.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from samples.check import check_results  # noqa: E402
from samples.main import main  # noqa: E402

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check-results":
        problems = check_results(sys.argv[2])
        for line in problems:
            print(line, file=sys.stderr)
        sys.exit(1 if problems else 0)
    main()
