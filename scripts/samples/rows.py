"""Rendering an indicator row."""

from .common import *  # noqa: F401,F403
from .scorer import *  # noqa: F401,F403
from .writers import *  # noqa: F401,F403
from .people import *  # noqa: F401,F403
from .county_data import *  # noqa: F401,F403
from .values import *  # noqa: F401,F403


SYM = {">=": "≥", "<=": "≤", "=": "=", "<": "<", ">": ">", "qual": "定性"}
TIME_UNITS = ("天", "小时", "分钟")


def target_cell(ind):
    """(operator column, target cell) as written in the export."""
    if ind["op"] == "qual":
        return "定性", ind["ttext"]
    st, t, op = ind["style"], ind["t"], ind["op"]
    sym = SYM[op]
    pc = "%" if ind["pct"] else ""
    kind = st["t"]
    if kind == "num":
        cell = t
    elif kind == "pct_text":
        cell = num_text(t) + "%"
    elif kind == "lead":
        cell = sym + num_text(t) + pc
    elif kind == "suffix":
        word = "以上" if op == ">=" else ("以内" if ind["unit"] in TIME_UNITS else "以下")
        cell = num_text(t) + (pc or ind["unit"]) + word
    elif kind == "fw":
        cell = fullwidth(num_text(t) + "%")
    elif kind == "thousands":
        cell = format(int(t), ",")
    else:
        raise ValueError(kind)
    opcol = (st["opword"] or sym) if st["op_col"] else ""
    return opcol, cell


def actual_cell(ind):
    if ind.get("missing"):
        return None
    if ind.get("repeats"):
        return "≥" + num_text(ind["t"]) + ind["unit"]
    if ind["op"] == "qual":
        return ind["aword"]
    st, a = ind["style"], ind["a"]
    kind = st["a"]
    if kind == "num":
        return a
    if kind == "pct_text":
        return num_text(a) + "%"
    if kind == "fw":
        return fullwidth(num_text(a) + "%")
    if kind == "text_unit":
        return num_text(a) + ind["unit"]
    if kind == "thousands":
        return format(int(a), ",")
    if kind == "formula":
        x = int(a) // 10 * 10
        return ("f", "=%d+%d" % (x, int(a) - x), a)
    if kind == "formula_noise":
        # a percentage computed in the sheet: the cached double carries binary noise
        base = a - D("0.2")
        return ("f", "=%s+0.2" % num_text(base), float(base) + 0.2)
    raise ValueError(kind)


def weight_cell(ind):
    if ind["style"].get("w") == "formula":
        return ("f", "=%s/2" % num_text(ind["w"] * 2), ind["w"])
    return ind["w"]


def target_phrase(ind):
    """For the goal text: '资助学生人次不少于3500人次'."""
    if ind["op"] == "qual":
        return ind["name"] + ind["ttext"]
    t = num_text(ind["t"])
    u = ind["unit"]
    if ind["op"] == "=" and ind["t"] == 0:
        return ind["name"] + "为0" + u
    if ind["op"] == "=":
        return ind["name"] + "为" + t + u
    if ind["op"] in (">=", ">"):
        if ind["pct"]:
            return ind["name"] + ("达到100%" if ind["t"] == 100 else "达到" + t + "%以上")
        return ind["name"] + "不少于" + t + u
    return ind["name"] + ("控制在" + t + "%以内" if ind["pct"] else "不超过" + t + u)


def actual_phrase(ind):
    if ind.get("missing"):
        return ind["name"] + "数据尚未统计"
    if ind.get("repeats"):
        return ind["name"] + "达到目标"
    if ind["op"] == "qual":
        return ind["name"] + ind["aword"]
    return ind["name"] + num_text(ind["a"]) + ind["unit"]


def goal_texts(p, year):
    quant = [i for i in p["inds"] if i["l1"] == "产出指标"][:3]
    goal = "%s。%d年计划%s。" % (p["goal_lead"], year, "，".join(target_phrase(i) for i in quant))
    shown = [i for i in p["inds"] if i["l1"] != "满意度指标"][:4]
    unmet = [i for i in p["inds"] if (i.get("_c") is not None and i["_c"] < 1)
             or i.get("_band") in ("部分达成", "未达成")]
    done = "全年" + "，".join(actual_phrase(i) for i in shown) + "。"
    if not unmet:
        done += "年度绩效目标全面完成。"
    elif len(unmet) <= 2:
        done += "年度绩效目标基本完成，%s未达到年初目标。" % "、".join(i["name"] for i in unmet)
    else:
        done += "年度绩效目标部分完成，%s等%d项指标未达到年初目标。" % (unmet[0]["name"], len(unmet))
    return goal, done
