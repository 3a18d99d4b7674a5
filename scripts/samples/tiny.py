"""samples/tiny: small enough to recompute by hand."""

from .common import *  # noqa: F401,F403
from .scorer import *  # noqa: F401,F403
from .writers import *  # noqa: F401,F403
from .people import *  # noqa: F401,F403
from .county_data import *  # noqa: F401,F403
from .values import *  # noqa: F401,F403
from .rows import *  # noqa: F401,F403
from .department import *  # noqa: F401,F403
from .county import *  # noqa: F401,F403
from .broken import *  # noqa: F401,F403


def tiny_ind(l2, name, op, t, unit, w, a, reason=""):
    l1, l2full = L2[l2]
    ind = {"l1": l1, "l2": l2full, "name": name, "unit": unit, "pct": unit == "%", "w": D(w),
           "reason": reason, "measures": "", "self": None}
    if op == "定性":
        ind.update(op="qual", t=None, ttext=t, aword=a)
    else:
        ind.update(op={"≥": ">=", "≤": "<=", "=": "="}[op], t=D(str(t)), a=D(str(a)))
    return ind


TINY_PROJECTS = [
    {"code": "T001", "name": "居家养老服务补助", "unit": "101", "category": "部门预算项目", "func": "2081002",
     "source": GP, "classified": False, "period": "2024", "owner": "林小梅",
     "goal": "为全县居家老年人提供助餐、助洁等上门服务，提高老年人生活质量。",
     "achieved": "全年服务老年人520人，助餐服务25000人次，服务合格率98%，各项指标全部完成。",
     "funds": [{"kind": "", "a0": D("100.00"), "a": D("100.00"), "b": D("95.00"), "reason": "", "self": None}],
     "inds": [
         tiny_ind("数量", "服务老年人人数", "≥", 500, "人", 10, 520),
         tiny_ind("数量", "助餐服务人次", "≥", 20000, "人次", 10, 25000),
         tiny_ind("质量", "服务质量合格率", "≥", 95, "%", 10, 98),
         tiny_ind("时效", "补贴发放及时率", "≥", 100, "%", 5, 100),
         tiny_ind("成本", "人均年服务成本", "≤", 2000, "元", 10, 1950),
         tiny_ind("质量", "安全责任事故", "=", 0, "起", 5, 0),
         tiny_ind("社会", "老年人生活质量", "定性", "有效提升", "", 10, "达成"),
         tiny_ind("社会", "居家养老服务覆盖率", "≥", 60, "%", 10, 66),
         tiny_ind("可持续", "服务运营机制", "定性", "持续运行", "", 5, "达成"),
         tiny_ind("经济", "带动就业人数", "≥", 20, "人", 5, 22),
         tiny_ind("满意", "服务对象满意度", "≥", 90, "%", 5, 95),
         tiny_ind("满意", "投诉次数", "≤", 5, "次", 5, 5),
     ]},
    {"code": "T002", "name": "特困人员供养服务设施改造", "unit": "101001", "category": "专项资金项目",
     "func": "2082102", "source": GP, "classified": False, "period": "2024", "owner": "陈国庆",
     "goal": "改造社会福利中心供养床位和适老化设施，改善特困人员居住条件。",
     "achieved": "完成床位改造150张，配置适老化设备40台；受冬季施工影响部分工程延期。",
     "funds": [
         {"kind": "合计", "a0": D("80.00"), "a": D("80.00"), "b": D("64.00"),
          "reason": "部分改造工程延期至2025年一季度完工，尾款未支付。", "self": None},
         {"kind": "财政拨款", "a0": D("60.00"), "a": D("60.00"), "b": D("50.00"), "reason": "", "self": None},
         {"kind": "其他资金", "a0": D("20.00"), "a": D("20.00"), "b": D("14.00"), "reason": "", "self": None}],
     "inds": [
         tiny_ind("数量", "改造供养床位", "≥", 200, "张", 10, 150, "冬季施工受限，50张床位改造顺延至次年。"),
         tiny_ind("数量", "配置适老化设备", "≥", 40, "台", 10, 40),
         tiny_ind("质量", "工程验收合格率", "≥", 100, "%", 10, 100),
         tiny_ind("时效", "工程完工时限", "≤", 180, "天", 5, 200, "设计变更使工期延长20天。"),
         tiny_ind("成本", "改造工程总成本", "≤", 50, "万元", 10, 62.5, "建材价格上涨，实际成本超出预算标准。"),
         tiny_ind("质量", "安全责任事故", "=", 0, "起", 5, 0),
         tiny_ind("社会", "入住老人居住条件", "定性", "明显改善", "", 10, "基本达成", "部分床位尚未完工。"),
         tiny_ind("社会", "床位入住率", "≥", 80, "%", 10, 72),
         tiny_ind("可持续", "设施使用年限", "≥", 15, "年", 5, 15),
         tiny_ind("生态", "节能改造后能耗下降率", "≥", 10, "%", 5, 12),
         tiny_ind("满意", "入住老人满意度", "≥", 90, "%", 5, 88, "部分老人对临时安置不满意。"),
         tiny_ind("满意", "投诉次数", "≤", 2, "次", 5, 4, "施工噪声引起投诉。"),
     ]},
    {"code": "T003", "name": "救助管理信息系统安全保障", "unit": "101002", "category": "部门预算项目",
     "func": "2082001", "source": GP, "classified": True, "period": "2024", "owner": "周文斌",
     "goal": "保障救助管理信息系统安全稳定运行。",
     "achieved": "系统全年稳定运行，未发生网络安全事件。",
     "funds": [{"kind": "", "a0": D("50.00"), "a": D("50.00"), "b": D("48.00"), "reason": "", "self": None}],
     "inds": [
         tiny_ind("数量", "系统运维服务时长", "≥", 12, "月", 10, 12),
         tiny_ind("数量", "安全巡检次数", "≥", 24, "次", 10, 26),
         tiny_ind("质量", "系统可用率", "≥", 99, "%", 10, 99.5),
         tiny_ind("时效", "故障响应时间", "≤", 2, "小时", 5, 2),
         tiny_ind("成本", "年度运维费用", "≤", 50, "万元", 10, 48),
         tiny_ind("质量", "网络安全事件", "=", 0, "起", 5, 0),
         tiny_ind("社会", "救助信息管理水平", "定性", "明显提升", "", 10, "达成"),
         tiny_ind("社会", "救助对象信息准确率", "≥", 98, "%", 10, 99),
         tiny_ind("可持续", "数据安全保障机制", "定性", "健全", "", 5, "部分达成", "容灾备份尚未建成。"),
         tiny_ind("经济", "节约纸质办公成本", "≥", 2, "万元", 5, 2.2),
         tiny_ind("满意", "使用人员满意度", "≥", 90, "%", 5, 96),
         tiny_ind("满意", "投诉次数", "≤", 1, "次", 5, 0),
     ]},
]

TINY_FIGURES = {  # 部门整体, department 101
    2023: {"预算数": "800.00", "预算调整数": "20.00", "执行数": "760.00", "结转结余总额": "40.00", "三公经费": "10.00",
           "在职人员经费": "300.00", "公用经费": "60.00", "在职人数": "30", "编制数": "32",
           "政府采购预算": "100.00", "政府采购执行数": "95.00"},
    2024: {"预算数": "900.00", "预算调整数": "45.00", "执行数": "855.00", "结转结余总额": "36.00", "三公经费": "9.00",
           "在职人员经费": "315.00", "公用经费": "62.00", "在职人数": "31", "编制数": "32",
           "政府采购预算": "120.00", "政府采购执行数": "114.00"},
}


def write_tiny(out):
    os.makedirs(out, exist_ok=True)
    ds = {"年度": 2024, "发文机关": "青山县财政局", "文号前缀": "青财绩", "金额单位": "万元",
          "评分规则": "national-2020", "公开日期": "2025-08-20"}
    with open(os.path.join(out, "dataset.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(ds, ensure_ascii=False, indent=2) + "\n")
    write_csv(os.path.join(out, "单位.csv"), ["单位编码", "单位名称", "主管部门编码", "单位类型", "联系人", "联系电话"], [
        ["101", "青山县民政局", "", "部门", "林小梅", "138-0000-0101"],
        ["101001", "青山县社会福利中心", "101", "单位", "陈国庆", "139-0000-0102"],
        ["101002", "青山县救助管理站", "101", "单位", "周文斌", "135-0000-0103"]], crlf=False)
    write_csv(os.path.join(out, "项目.csv"), ["项目编码", "项目名称", "单位编码", "项目类别", "功能分类科目", "资金来源",
                                             "是否涉密", "实施期", "年度总体目标", "总体目标完成情况", "项目负责人"],
              [[p["code"], p["name"], p["unit"], p["category"], p["func"], p["source"],
                "是" if p["classified"] else "否", p["period"], p["goal"], p["achieved"], p["owner"]]
               for p in TINY_PROJECTS], crlf=False)
    write_csv(os.path.join(out, "预算执行.csv"), ["项目编码", "资金类别", "年初预算数", "全年预算数", "全年执行数",
                                                 "偏差原因"],
              [[p["code"], f["kind"], money_text(f["a0"]), money_text(f["a"]), money_text(f["b"]), f["reason"]]
               for p in TINY_PROJECTS for f in p["funds"]], crlf=False)
    rows = []
    for p in TINY_PROJECTS:
        for i in p["inds"]:
            t = i["ttext"] if i["op"] == "qual" else num_text(i["t"])
            a = i["aword"] if i["op"] == "qual" else num_text(i["a"])
            rows.append([p["code"], "", i["l1"], i["l2"], i["name"], SYM[i["op"]], t, i["unit"], num_text(i["w"]), a,
                         i["reason"], ""])
    write_csv(os.path.join(out, "绩效指标.csv"), ["项目编码", "单位编码", "一级指标", "二级指标", "三级指标", "指标性质",
                                                 "年度指标值", "计量单位", "分值", "实际完成值", "偏差原因分析", "改进措施"],
              rows, crlf=False)
    write_csv(os.path.join(out, "部门整体.csv"), ["单位编码", "年度"] + [h if h != "“三公”经费" else "三公经费" for h in FIGURE_HEADERS[2:]],
              [["101", y] + [TINY_FIGURES[y][k] for k in ("预算数", "预算调整数", "执行数", "结转结余总额", "三公经费",
                                                         "在职人员经费", "公用经费", "在职人数", "编制数", "政府采购预算",
                                                         "政府采购执行数")] for y in (2023, 2024)], crlf=False)
    for p in TINY_PROJECTS:
        p["result"] = score_project(p)
    write_tiny_readme(out)


def write_tiny_readme(out):
    L = ["# 最小样例数据集（青山县民政局，虚构）\n",
         "由 `scripts/make_samples.py` 生成，不要手工修改。供端到端的黄金测试（golden test）使用："
         "数字简单，可以手算核对。全部文件为 UTF-8（无 BOM）、LF 换行的 CSV，表头全部是规范列名。\n",
         "- 单位：1 个部门（101 青山县民政局）和它的 2 个下属单位（101001、101002）；",
         "- 项目：3 个，T003 为涉密项目（公开输出中只能出现“另有涉密项目1个”）；",
         "- 绩效指标：每个项目 12 行（产出 6 行 50 分、效益 4 行 30 分、满意度 2 行 10 分），覆盖 ≥、≤、=0 和定性；",
         "- 部门整体：101 的 2023、2024 年数据（`部门整体.csv`）。\n",
         "## 预算执行（national-2020：执行率 × 10 分）\n"]
    rows = []
    for p in TINY_PROJECTS:
        tot = fund_total(p)
        res = p["result"]
        rows.append([p["code"], p["name"], money_text(tot["a0"]), money_text(tot["a"]), money_text(tot["b"]),
                     "%s / %s = %s" % (money_text(tot["b"]), money_text(tot["a"]), pct(res["rate"])),
                     money_text(res["bscore"]), "有" if tot["reason"] else ""])
    L.append(md_table(["项目", "名称", "年初预算数", "全年预算数", "全年执行数", "执行率", "得分", "偏差原因"], rows))
    L.append("\nT002 有分项：财政拨款 60.00 / 50.00，其他资金 20.00 / 14.00，与合计行 80.00 / 64.00 相符。"
             "T002 执行率 80.00% 低于 90%，但填写了偏差原因，不报 execution_low。\n")
    for p in TINY_PROJECTS:
        res = p["result"]
        L.append("## %s %s%s\n" % (p["code"], p["name"], "（涉密）" if p["classified"] else ""))
        rows = []
        for i in p["inds"]:
            if i["op"] == "qual":
                tgt, act, comp = i["ttext"], i["aword"], "—（%s档）" % i["_band"]
            else:
                tgt = SYM[i["op"]] + num_text(i["t"]) + i["unit"]
                act = num_text(i["a"]) + i["unit"]
                if i["_c"] is None:
                    comp = "—（实际为0，反向指标满分）"
                elif i["op"] == "=" and i["t"] == 0:
                    comp = "100.00%（目标为0，实际≤0）"
                elif i["op"] == "<=":
                    comp = "%s / %s = %s" % (num_text(i["t"]), num_text(i["a"]), pct(i["_c"]))
                else:
                    comp = "%s / %s = %s" % (num_text(i["a"]), num_text(i["t"]), pct(i["_c"]))
            rows.append([i["l2"], i["name"], tgt, act, num_text(i["w"]), comp, money_text(i["_score"]),
                         "有" if i["reason"] else ""])
        L.append(md_table(["二级指标", "三级指标", "指标值", "实际完成值", "分值", "完成率", "得分", "偏差原因"], rows))
        L.append("\n预算执行得分 %s + 指标得分 %s = **总分 %s，等级 %s**。问题：%s。\n" % (
            money_text(res["bscore"]), money_text(res["total"] - res["bscore"]), money_text(res["total"]),
            res["grade"],
            "；".join("%s（%s）" % (c, w) for c, w in res["findings"]) or "无"))
    L.append("说明：T001“助餐服务人次”完成率 125% > 120%，报 target_too_low（不扣分）；"
             "T002“节能改造后能耗下降率”完成率恰好 120%，**不**报 target_too_low（阈值是“高于”）；"
             "T002“床位入住率”未完成且没有偏差原因，报 unmet_no_reason；"
             "T002“入住老人居住条件”基本达成、无自评得分，按部分达成档下限 60% 计 6.00 分；"
             "T002“入住老人满意度”5 × 88 / 90 = 4.888… 四舍五入为 4.89。\n")
    L.append("## 部门整体（101）\n")
    f23, f24 = ({k: D(v) for k, v in TINY_FIGURES[y].items()} for y in (2023, 2024))
    per = lambda f: f["公用经费"] / f["在职人数"]
    rows = [
        ["预算执行率", "执行数 / 预算数", "855.00 / 900.00", pct(f24["执行数"] / f24["预算数"])],
        ["预算调整率", "预算调整数 / 预算数", "45.00 / 900.00", pct(f24["预算调整数"] / f24["预算数"])],
        ["结转结余变动率", "(本年 − 上年) / 上年", "(36.00 − 40.00) / 40.00",
         pct((f24["结转结余总额"] - f23["结转结余总额"]) / f23["结转结余总额"])],
        ["“三公”经费变动率", "(本年 − 上年) / 上年", "(9.00 − 10.00) / 10.00",
         pct((f24["三公经费"] - f23["三公经费"]) / f23["三公经费"])],
        ["人均公用经费变动率", "(62/31 − 60/30) / (60/30)", "(2.00 − 2.00) / 2.00", pct((per(f24) - per(f23)) / per(f23))],
        ["政府采购执行率", "政府采购执行数 / 政府采购预算", "114.00 / 120.00",
         pct(f24["政府采购执行数"] / f24["政府采购预算"])],
        ["在职人员控制率", "在职人数 / 编制数", "31 / 32", pct(f24["在职人数"] / f24["编制数"])],
    ]
    L.append(md_table(["指标", "公式", "代入", "结果"], rows))
    tots = [(fund_total(p)["a"], p["result"]["total"], p["classified"]) for p in TINY_PROJECTS]
    allw = r2(sum(a * t for a, t, _ in tots) / sum(a for a, _, _ in tots))
    pubw = r2(sum(a * t for a, t, c in tots if not c) / sum(a for a, _, c in tots if not c))
    L.append("\n部门项目按全年预算数加权的平均总分：含涉密项目 (100×%s + 80×%s + 50×%s) / 230 = %s；"
             "不含涉密项目 %s。等级分布：%s。" % (
                 money_text(tots[0][1]), money_text(tots[1][1]), money_text(tots[2][1]), money_text(allw),
                 money_text(pubw),
                 "，".join("%s %d" % (g, sum(1 for p in TINY_PROJECTS if p["result"]["grade"] == g)) for g in "优良中差")))
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L) + "\n")
