"""Building a project's values."""

from .common import *  # noqa: F401,F403
from .scorer import *  # noqa: F401,F403
from .writers import *  # noqa: F401,F403
from .people import *  # noqa: F401,F403
from .county_data import *  # noqa: F401,F403


def parse_spec(text, rnd):
    """'数量|三级|op|unit|gen' → an indicator dict with its target (no actual yet)."""
    l2short, name, op, unit, gen = text.split("|")
    l1, l2 = L2[l2short]
    ind = {"l1": l1, "l2": l2, "name": name, "unit": unit, "pct": unit == "%", "reason": "",
           "measures": "", "self": None}
    kind, _, arg = gen.partition(":")
    if kind == "q":
        ind.update(op="qual", t=None, ttext=arg, kind="qual")
        return ind
    ind["op"] = op
    if kind == "c":
        lo, hi = (int(x) for x in arg.split("-"))
        t = rnd.randint(lo, hi)
        step = 100 if hi >= 5000 else 10 if hi >= 200 else 1
        t = max(lo, t // step * step)
        ind.update(t=D(t), kind="int")
    elif kind == "p":
        ind.update(t=D(arg), kind="pct")
    elif kind == "m":
        lo, hi = (D(x) for x in arg.split("-"))
        places = 1 if hi >= 10 else 2
        t = q(lo + (hi - lo) * D(rnd.random()), places)
        ind.update(t=t, kind="dec", places=places)
    elif kind == "e":
        ind.update(t=D(arg), op="=", kind="int" if "." not in arg else "dec", places=2)
    elif kind == "z":
        ind.update(t=ZERO, op="=", kind="int")
    else:
        raise ValueError(text)
    return ind


def step_of(ind):
    if ind["kind"] == "pct":
        return D("0.1")
    if ind["kind"] == "dec":
        return D(1).scaleb(-ind.get("places", 2))
    return ONE


def rounded(ind, x):
    if ind["kind"] == "pct":
        return q(x, 1)
    if ind["kind"] == "dec":
        return q(x, ind.get("places", 2))
    return q(x, 0)


def set_actual(ind, c, rnd):
    """Sets the actual so that the completion is about c (met when c >= 1)."""
    for k in ("aword", "a", "missing", "repeats"):
        ind.pop(k, None)
    if ind["op"] == "qual":
        if c >= 1:
            ind["aword"] = "达成"
        elif c >= D("0.6"):
            ind["aword"] = rnd.choice(["基本达成", "部分达成"])
        else:
            ind["aword"] = "未达成"
        return
    t, op, st = ind["t"], ind["op"], step_of(ind)
    met = c >= 1
    if op == "=":
        if t == 0:
            ind["a"] = ZERO if met else D(rnd.choice([1, 1, 2]))
        else:
            ind["a"] = t if met else min(rounded(ind, t * c), t - st)
        return
    if op in (">=", ">"):
        a = rounded(ind, t * c)
        if met:
            a = max(a, t + st if op == ">" else t)
            if ind["pct"]:
                a = min(a, HUNDRED)
        else:
            a = max(min(a, t - st), ZERO)
        ind["a"] = a
        return
    # reverse
    a = rounded(ind, t / c) if c > 0 else t * 3
    if met:
        a = min(a, t - st if op == "<" else t)
        if a <= 0:
            a = t
    else:
        a = max(a, t + st)
    ind["a"] = a


def split_weights(total, n, rnd):
    """n integer weights summing to total, each at least 3, roughly equal."""
    base = [total // n] * n
    for i in range(total - sum(base)):
        base[i] += 1
    for _ in range(n):
        i, j = rnd.randrange(n), rnd.randrange(n)
        if i != j and base[i] - 1 >= 3 and rnd.random() < 0.5:
            base[i] -= 1
            base[j] += 1
    rnd.shuffle(base)
    return [D(x) for x in base]


def choose_styles(ind, rnd, plain=False):
    """How the row is written: operator column or operator inside the target, % forms …"""
    st = {"op_col": True, "t": "num", "a": "num", "w": "num", "opword": None}
    if plain or ind["op"] == "qual":
        ind["style"] = st
        return
    r = rnd.random()
    if ind["pct"]:
        if r < 0.50:
            st["t"] = "num"
        elif r < 0.66:
            st["t"] = "pct_text"
        elif r < 0.76:
            st["t"], st["op_col"] = "lead", False
        elif r < 0.84:
            st["t"], st["op_col"] = "suffix", False
        elif r < 0.855:
            st["t"] = "fw"
        elif r < 0.88:
            st["t"] = "num"
        else:
            st["t"] = "lead"  # operator both in the column and leading the target
        r2_ = rnd.random()
        st["a"] = "pct_text" if r2_ < 0.30 else "fw" if r2_ < 0.312 else "num"
    else:
        if ind["op"] != "=" or ind["t"] != 0:
            if r < 0.06:
                st["t"], st["op_col"] = "lead", False
            elif r < 0.12 and ind["op"] in (">=", "<="):
                st["t"], st["op_col"] = "suffix", False
            elif r < 0.18 and ind["t"] >= 1000:
                st["t"] = "thousands"
        if rnd.random() < 0.05 and ind["kind"] == "int":
            st["a"] = "text_unit"  # "735人次"
    if st["op_col"] and ind["op"] in (">=", "<=") and rnd.random() < 0.04:
        st["opword"] = "正向" if ind["op"] == ">=" else "反向"
    ind["style"] = st


def plan_funds(p, spec_opts, rnd, A, rate):
    """Funding rows: one total row, or 合计 plus sub-rows that add up."""
    B = r2(A * rate)
    a0 = None if spec_opts.get("a0_blank") else A
    subs = spec_opts.get("funds")
    rows = [{"kind": "合计" if subs else "", "a0": a0, "a": A, "b": B, "reason": "", "self": None}]
    if subs:
        n = len(subs)
        shares = [D(rnd.randint(60, 80))] + [D(rnd.randint(10, 30)) for _ in range(n - 1)]
        tot = sum(shares)
        a_parts = [r2(A * s / tot) for s in shares[:-1]]
        a_parts.append(A - sum(a_parts))
        b_parts = [min(r2(a * rate), a) for a in a_parts[:-1]]
        b_parts.append(B - sum(b_parts))
        for kind, a, b in zip(subs, a_parts, b_parts):
            rows.append({"kind": kind, "a0": None if a0 is None else a, "a": a, "b": b, "reason": "",
                         "self": None})
    p["funds"] = rows


PROFILE = {  # grade → (execution rate range, number of unmet rows range, completion range)
    "优": ((D("0.92"), D("1.0")), (0, 2), (D("0.85"), D("0.99"))),
    "良": ((D("0.86"), D("0.99")), (2, 4), (D("0.40"), D("0.90"))),
    "中": ((D("0.60"), D("0.85")), (4, 7), (D("0.20"), D("0.80"))),
    "差": ((D("0.30"), D("0.50")), (8, 11), (D("0.00"), D("0.60"))),
}


def urand(rnd, lo, hi, places=4):
    return q(lo + (hi - lo) * D(rnd.random()), places)


def build_indicator_rows(spec, rnd):
    code, _n, _u, _c, _f, _s, _p, _b, _g, specifics, opts = spec
    inds = [parse_spec(s, rnd) for s in specifics]
    by_l1 = {"产出指标": [], "效益指标": [], "满意度指标": []}
    for ind in inds:
        by_l1[ind["l1"]].append(ind)
    want = {"产出指标": rnd.randint(5, 8), "效益指标": rnd.randint(3, 5), "满意度指标": rnd.randint(1, 2)}
    while sum(max(want[k], len(by_l1[k])) for k in want) > 15:
        k = max(want, key=lambda k: want[k])
        want[k] -= 1
    while sum(max(want[k], len(by_l1[k])) for k in want) < 10:
        want[rnd.choice(["产出指标", "效益指标"])] += 1
    for l1 in by_l1:
        pool = [f for f in FILLERS[l1]]
        rnd.shuffle(pool)
        names = {i["name"] for i in by_l1[l1]}
        while len(by_l1[l1]) < want[l1] and pool:
            f = parse_spec(pool.pop(), rnd)
            if f["name"] not in names:
                by_l1[l1].append(f)
                names.add(f["name"])
    out = []
    for l1, total in (("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)):
        rows = by_l1[l1]
        if l1 == "产出指标" and opts.get("special") == "weights_not_100":
            total = 45
        ws = split_weights(total, len(rows), rnd)
        # keep rows grouped by 二级指标 in the order of the form
        order = ["数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
                 "生态效益指标", "可持续影响指标", "服务对象满意度指标"]
        rows.sort(key=lambda i: order.index(i["l2"]))
        for ind, w in zip(rows, ws):
            ind["w"] = w
            out.append(ind)
    return out


def find_row(p, name):
    for ind in p["inds"]:
        if ind["name"] == name:
            return ind
    raise KeyError((p["code"], name))


SPECIAL_EXPECT = {
    None: set(),
    "unmet_no_reason": {"unmet_no_reason"},
    "fund_rows_mismatch": {"fund_rows_mismatch"},
    "self_score_mismatch_ind": {"self_score_mismatch"},
    "score_above_weight": {"score_above_weight", "self_score_mismatch"},
    "execution_low": {"execution_low"},
    "actual_repeats_target": {"actual_repeats_target"},
    "met_but_deducted": {"met_but_deducted", "self_score_mismatch"},
    "budget_adjusted": {"budget_adjusted"},
    "target_too_low": {"target_too_low"},
    "qual_out_of_band": {"self_score_mismatch"},
    "self_score_mismatch_exec": {"self_score_mismatch"},
    "actual_missing": {"actual_missing"},
    "weights_not_100": {"weights_not_100"},
}


def attempt_project(spec, rnd):
    code, name, unit, cat, func, src, period, (lo, hi), goal, specifics, opts = spec
    grade = opts.get("grade", "优")
    special = opts.get("special")
    (rlo, rhi), (ulo, uhi), (clo, chi) = PROFILE[grade]
    p = {"code": code, "name": name, "unit": unit, "category": cat, "func": func, "source": src,
         "period": period, "goal_lead": goal, "opts": opts, "special": special, "grade_want": grade}
    p["inds"] = build_indicator_rows(spec, rnd)
    A = r2(D(lo) + (D(hi) - D(lo)) * D(rnd.random()))
    rate = urand(rnd, rlo, rhi)
    if special == "execution_low":
        rate = D("0.7235")
    if special == "self_score_mismatch_exec":
        rate = urand(rnd, D("0.91"), D("0.95"))
    plan_funds(p, opts, rnd, A, rate)
    tot = p["funds"][0]
    if opts.get("exec_reason") or (rate < EXEC_THRESHOLD and special != "execution_low"):
        tot["reason"] = rnd.choice(EXEC_REASONS)
    if opts.get("adjusted") == "up_reason" or special == "budget_adjusted":
        delta = r2(A * urand(rnd, D("0.12"), D("0.25"), 2))
        tot["a0"] = A - delta
        subs = p["funds"][1:]
        if subs:
            subs[0]["a0"] = subs[0]["a"] - delta
        if special != "budget_adjusted":
            tot["reason"] = ADJUST_REASONS[code] % money_text(delta)
    if special == "fund_rows_mismatch":
        p["funds"][-1]["a"] += D("50.00")
        p["funds"][-1]["a0"] += D("50.00")
    # indicator values: all met first, then a random set of unmet rows with reasons
    protected = set()
    for ind in p["inds"]:
        set_actual(ind, urand(rnd, D("1.0"), D("1.08")), rnd)
        choose_styles(ind, rnd)
    if special == "unmet_no_reason":
        r = find_row(p, "重点人群签约服务覆盖率")
        r["a"] = D(42)
        r["style"] = {"op_col": True, "t": "num", "a": "pct_text", "w": "num", "opword": None}
        protected.add(id(r))
    if special == "target_too_low":
        r = find_row(p, "年接待读者人次")
        r["t"], r["a"] = D(50000), D(68500)
        r["style"] = {"op_col": True, "t": "thousands", "a": "num", "w": "num", "opword": None}
        protected.add(id(r))
    if special == "actual_repeats_target":
        r = find_row(p, "新建减速带长度")
        r["t"], r["repeats"] = D(266), True
        r["style"] = {"op_col": True, "t": "num", "a": "repeat", "w": "num", "opword": None}
        protected.add(id(r))
    if special == "actual_missing":
        r = find_row(p, "垃圾分类覆盖率")
        r["missing"] = True
        r["style"] = {"op_col": True, "t": "num", "a": "num", "w": "num", "opword": None}
        protected.add(id(r))
    candidates = [i for i in p["inds"] if id(i) not in protected]
    n_unmet = rnd.randint(ulo, uhi)
    if special in ("self_score_mismatch_ind", "score_above_weight", "met_but_deducted",
                   "qual_out_of_band", "unmet_no_reason", "target_too_low", "actual_repeats_target",
                   "actual_missing", "execution_low", "weights_not_100", "budget_adjusted",
                   "fund_rows_mismatch", "self_score_mismatch_exec"):
        n_unmet = min(n_unmet, 1)
    rnd.shuffle(candidates)
    for ind in candidates[:n_unmet]:
        set_actual(ind, urand(rnd, clo, chi), rnd)
        ind["reason"] = rnd.choice(UNMET_REASONS)
        ind["measures"] = rnd.choice(MEASURES)
    if special == "self_score_mismatch_ind":
        r = find_row(p, "补贴农户数")
        set_actual(r, D("0.9"), rnd)
        r["reason"] = "部分农户承包地流转后补贴对象变更，核实工作尚未全部完成。"
        r["measures"] = "加强与乡镇农经站数据比对，次年一季度前完成补发。"
    if special == "qual_out_of_band":
        r = find_row(p, "畲族非遗传承保护成效")
        r["aword"] = "基本达成"
        r["reason"] = "部分传承人年事已高，传习活动开展场次少于计划。"
        r["measures"] = "增设传习点，吸收青年传承人参与。"
    # own scores where the unit reported them
    res = score_project(p)
    if opts.get("self"):
        tot["self"] = res["bscore"] if rnd.random() < 0.7 else q(res["bscore"], 1)
        for ind in p["inds"]:
            s = ind["_score"]
            if ind["op"] == "qual" and ind["_band"] == "部分达成":
                s = r2(ind["w"] * D("0.7"))
            elif ind["op"] == "qual" and ind["_band"] == "未达成":
                s = r2(ind["w"] * D("0.3"))
            ind["self"] = s if rnd.random() < 0.8 else q(s, 1)
    if special == "self_score_mismatch_exec":
        tot["self"] = D(10)
    if special == "self_score_mismatch_ind":
        r = find_row(p, "补贴农户数")
        r["self"] = r["w"]
    if special == "score_above_weight":
        met = [i for i in p["inds"] if i["op"] != "qual" and i.get("_c") is not None and i["_c"] >= 1
               and i["w"] <= 8 and not i["reason"]]
        r = met[0]
        r["self"] = r["w"] + 1
        p["_flag_row"] = r["name"]
    if special == "met_but_deducted":
        r = find_row(p, "服务居家老年人")
        r["self"] = r["w"] - 2
    if special == "qual_out_of_band":
        r = find_row(p, "畲族非遗传承保护成效")
        r["self"] = r2(r["w"] * D("0.9"))
    return p


def make_project(spec, rnd):
    opts = spec[10]
    want = opts.get("grade", "优")
    expect = SPECIAL_EXPECT[opts.get("special")]
    for _ in range(3000):
        p = attempt_project(spec, rnd)
        res = score_project(p)
        if set(res["codes"]) != expect:
            continue
        if res["grade"] != want:
            continue
        t = res["total"]
        # keep away from grade boundaries so that small rule differences keep the grade
        if any(abs(t - b) < D("1.0") for b in (90, 80, 60)):
            continue
        if p["special"] == "actual_repeats_target":
            r = find_row(p, "新建减速带长度")
            if grade_of(t + r["w"]) != res["grade"]:
                continue
        if p["special"] == "actual_missing" and res["grade"] != "优":
            continue
        p["result"] = res
        return p
    raise RuntimeError("could not build " + spec[0])
