"""Reference scorer (national-2020)."""

from .common import *  # noqa: F401,F403


QUAL_BANDS = {  # word → (band, lower share, upper share, upper inclusive)
    "达成": ("达成", D("0.8"), D("1"), True),
    "达成年度指标": ("达成", D("0.8"), D("1"), True),
    "基本达成": ("部分达成", D("0.6"), D("0.8"), False),
    "部分达成": ("部分达成", D("0.6"), D("0.8"), False),
    "未达成": ("未达成", D("0"), D("0.6"), False),
}
BAND_DEFAULT = {"达成": D("1"), "部分达成": D("0.6"), "未达成": D("0")}
TOO_LOW = D("1.2")
EXEC_THRESHOLD = D("0.9")
TOLERANCE = D("0.1")
BUDGET_WEIGHT = D(10)


def completion(ind):
    """完成率 of a quantitative indicator, or None where it does not apply."""
    t, a, op = ind["t"], ind["a"], ind["op"]
    a = max(a, ZERO)
    if op in (">=", ">"):
        return a / t
    if op == "=":
        if t == 0:
            return ONE if a <= 0 else ZERO
        return a / t
    # reverse (<=, <), variant A
    if a == 0:
        return None
    return t / a


def score_indicator(ind):
    """(score, completion, band, finding codes) for one indicator row."""
    w = ind["w"]
    codes = []
    if ind.get("missing"):
        return ZERO, None, None, ["actual_missing"]
    if ind.get("repeats"):
        # The actual only repeats the target text: scored 0 here (flagged, never guessed).
        return ZERO, None, None, ["actual_repeats_target"]
    own = ind.get("self")
    if ind["op"] == "qual":
        band, lo, hi, hi_incl = QUAL_BANDS[ind["aword"]]
        score = r2(BAND_DEFAULT[band] * w)
        if own is not None:
            share = own / w
            inside = share >= lo and (share <= hi if hi_incl else share < hi)
            if inside:
                score = own
        met = band == "达成"
        c = None
        if not met and not ind.get("reason"):
            codes.append("unmet_no_reason")
    else:
        c = completion(ind)
        score = w if c is None else r2(min(c, ONE) * w)
        met = c is None or c >= 1
        if c is not None and c < 1 and not ind.get("reason"):
            codes.append("unmet_no_reason")
        if c is not None and c > TOO_LOW:
            codes.append("target_too_low")
        band = None
    if own is not None:
        if own > w:
            codes.append("score_above_weight")
        if abs(own - score) > TOLERANCE:
            codes.append("self_score_mismatch")
        if met and own < w and not ind.get("reason"):
            codes.append("met_but_deducted")
    return score, c, band, codes


def grade_of(total):
    if total >= 90:
        return "优"
    if total >= 80:
        return "良"
    if total >= 60:
        return "中"
    return "差"


def fund_total(project):
    for f in project["funds"]:
        if f["kind"] in ("", "合计"):
            return f
    raise ValueError(project["code"])


def score_project(p):
    """Reference evaluation: budget score, indicator scores, total, grade, findings."""
    findings = []  # (code, where)
    tot = fund_total(p)
    rate = tot["b"] / tot["a"]
    bscore = r2(min(rate, ONE) * BUDGET_WEIGHT)
    if rate < EXEC_THRESHOLD and not tot.get("reason"):
        findings.append(("execution_low", "预算执行"))
    if tot.get("a0") is not None and tot["a0"] != tot["a"] and not tot.get("reason"):
        findings.append(("budget_adjusted", "预算执行"))
    subs = [f for f in p["funds"] if f["kind"] not in ("", "合计")]
    if subs:
        for key in ("a0", "a", "b"):
            vals = [f.get(key) for f in subs]
            if tot.get(key) is None or any(v is None for v in vals):
                continue
            if sum(vals) != tot[key]:
                findings.append(("fund_rows_mismatch", "预算执行"))
                break
    own = tot.get("self")
    if own is not None:
        if own > BUDGET_WEIGHT:
            findings.append(("score_above_weight", "预算执行"))
        if abs(own - bscore) > TOLERANCE:
            findings.append(("self_score_mismatch", "预算执行"))
    scores = []
    for ind in p["inds"]:
        s, c, band, codes = score_indicator(ind)
        ind["_score"], ind["_c"], ind["_band"] = s, c, band
        scores.append(s)
        for code in codes:
            findings.append((code, ind["name"]))
    wsum = sum(ind["w"] for ind in p["inds"]) + BUDGET_WEIGHT
    if wsum != 100:
        findings.append(("weights_not_100", "分值合计%s" % num_text(wsum)))
    total = r2(bscore + sum(scores))
    return {"rate": rate, "bscore": bscore, "total": total, "grade": grade_of(total),
            "findings": findings, "codes": sorted(set(c for c, _ in findings))}
