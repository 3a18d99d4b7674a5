"""The generator's reference scorer checked against jixiao: the generator scores its own
county projects (national-2020, as scoring.md describes it) to pick values that land in the
intended grade with the intended findings; here those expectations are compared with the
results.json of `jixiao run samples/county`, so the two engines cannot drift apart silently.
"""

from .county import build_county
from .common import D, json


def check_results(results_path):
    """Returns the differences (empty when the reference scorer and results.json agree)."""
    with open(results_path, encoding="utf-8") as f:
        results = {p["code"]: p for p in json.load(f)["projects"]}
    problems = []
    for p in build_county()["projects"]:
        expected = p["result"]
        got = results.get(p["code"])
        if got is None:
            problems.append("%s: not in results.json" % p["code"])
            continue
        total = None if got.get("total") is None else D(str(got["total"]))
        if total != expected["total"]:
            problems.append("%s: total %s, the generator expects %s" % (p["code"], total, expected["total"]))
        if got.get("grade") != expected["grade"]:
            problems.append("%s: grade %s, the generator expects %s" % (p["code"], got.get("grade"), expected["grade"]))
        codes = sorted(set(f["code"] for f in got.get("findings") or []))
        if codes != expected["codes"]:
            problems.append("%s: findings %s, the generator expects %s" % (p["code"], codes, expected["codes"]))
    return problems
