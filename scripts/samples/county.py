"""samples/county."""

from .common import *  # noqa: F401,F403
from .scorer import *  # noqa: F401,F403
from .writers import *  # noqa: F401,F403
from .people import *  # noqa: F401,F403
from .county_data import *  # noqa: F401,F403
from .values import *  # noqa: F401,F403
from .rows import *  # noqa: F401,F403
from .department import *  # noqa: F401,F403


COUNTY_FILES = {
    "单位": "单位信息.csv",
    "项目": "项目信息.xlsx",
    "预算执行": "预算执行情况.csv",
    "绩效指标": "绩效指标完成情况.xlsx",
    "部门整体": "部门整体支出情况.csv",
}


def build_county():
    rnd = random.Random(20240601)
    people = People(random.Random(7))
    unit_dept = {}
    for dcode, _dn, subs in DEPARTMENTS:
        unit_dept[dcode] = dcode
        for ucode, _un in subs:
            unit_dept[ucode] = dcode
    projects = []
    for spec in PROJECTS:
        p = make_project(spec, rnd)
        p["dept"] = unit_dept[p["unit"]]
        p["classified"] = spec[10].get("classified")
        p["owner"] = people.name()
        projects.append(p)
    # a few presentation details on rows that carry no designated finding
    plain = [p for p in projects if not p["special"] and not p["opts"].get("self")]
    formula_w = formula_a = thousand_a = 0
    for p in plain:
        for ind in p["inds"]:
            st = ind.get("style", {})
            if ind["op"] == "qual":
                continue
            if formula_w < 3 and st["t"] == "num" and ind["w"] == ind["w"].to_integral_value():
                st["w"] = "formula"
                formula_w += 1
            elif formula_a < 2 and ind["kind"] == "int" and ind["op"] == ">=" and ind["a"] >= 100 \
                    and st["a"] == "num":
                st["a"] = "formula"
                formula_a += 1
            elif thousand_a < 4 and ind["kind"] == "int" and ind.get("a", 0) >= 10000 and st["a"] == "num":
                st["a"] = "thousands"
                thousand_a += 1
    noise_done = False
    for p in plain:
        for ind in p["inds"]:
            if noise_done or not ind["pct"] or ind["op"] != ">=" or ind["style"]["a"] != "num":
                continue
            if ind["a"] >= ind["t"] + 1 and float(ind["a"] - D("0.2")) + 0.2 != float(ind["a"]):
                ind["style"]["a"] = "formula_noise"
                noise_done = True
                p["_noise_row"] = ind["name"]
    for ind in next(p for p in projects if p["code"] == "XM20105")["inds"]:
        if ind["op"] == "qual" and ind["aword"] == "达成":
            ind["aword"] = "达成年度指标"
            break
    for p in projects:
        p["goal"], p["achieved"] = goal_texts(p, 2024)
        p["result"] = score_project(p)
    dinds = {code: dept_indicators(code, rnd) for code in sorted(DEPT_INDICATORS)}
    figures = {}
    for dcode, _dn, _s in DEPARTMENTS:
        figures[dcode] = dept_figures(dcode, projects, rnd, staff_over=(dcode == "206"),
                                      sangong_up=(dcode == "207"))
    contacts = {}
    for dcode, dn, subs in DEPARTMENTS:
        for ucode, _un in [(dcode, dn)] + subs:
            contacts[ucode] = (people.name(), people.phone())
    return {"projects": projects, "dinds": dinds, "figures": figures, "contacts": contacts}


def write_county(out):
    data = build_county()
    projects = data["projects"]
    os.makedirs(out, exist_ok=True)
    ds = {"年度": 2024, "发文机关": "云溪县财政局", "文号前缀": "云财绩", "金额单位": "万元",
          "评分规则": "national-2020", "公开日期": "2025-08-20", "files": COUNTY_FILES,
          "sheets": {"项目": "项目清单"}, "columns": {"指标名称": "三级指标", "年份": "年度"}}
    with open(os.path.join(out, "dataset.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(ds, ensure_ascii=False, indent=2) + "\n")

    # 单位: GB18030 CSV with CRLF, header alias 单位代码; two units leave 单位类型 blank (default)
    rows = []
    for dcode, dn, subs in DEPARTMENTS:
        name, phone = data["contacts"][dcode]
        rows.append([dcode, dn, "", "部门", name, phone])
        for i, (ucode, un) in enumerate(subs):
            name, phone = data["contacts"][ucode]
            kind = "" if ucode in ("203002", "207002") else "单位"
            rows.append([ucode, un, dcode, kind, name, phone])
    write_csv(os.path.join(out, "单位信息.csv"), ["单位代码", "单位名称", "主管部门编码", "单位类型", "联系人",
                                                 "联系电话"], rows, encoding="gb18030")

    # 项目: XLSX, the data on the second sheet 项目清单; unit and function codes as number cells
    wb = new_workbook(os.path.join(out, "项目信息.xlsx"), "云溪县2024年度项目基本信息")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws0 = wb.add_worksheet("填报说明")
    ws0.set_column(0, 0, 90)
    for r, line in enumerate(["云溪县2024年度项目支出基本信息表",
                              "1. 本工作簿由预算管理一体化系统导出，项目清单见“项目清单”工作表。",
                              "2. 金额单位：万元。",
                              "3. 涉密项目仅供内部评价使用，不得对外公开。"]):
        ws0.write_string(r, 0, line)
    ws = wb.add_worksheet("项目清单")
    header = ["项目编码", "项目名称", "单位编码", "项目类别", "支出功能分类", "资金来源", "是否涉密", "实施期",
              "年度总体目标", "实际完成情况", "项目负责人"]
    for c, h in enumerate(header):
        ws.write_string(0, c, h, bold)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 36)
    ws.set_column(8, 9, 50)
    ws.freeze_panes(1, 0)
    for r, p in enumerate(projects, start=1):
        cls = p["classified"] or ("非密" if r % 9 == 0 else "否")
        vals = [p["code"], p["name"], int(p["unit"]), p["category"], int(p["func"]), p["source"], cls,
                p["period"], p["goal"], p["achieved"], p["owner"]]
        for c, v in enumerate(vals):
            put(ws, r, c, v, wrap if c in (8, 9) else None)
    wb.close()

    # 预算执行: GB18030 CSV, aliases and bracketed units in the header, thousands separators,
    # one full-width amount, an empty row and a trailing 合计 row (sum of the projects' totals)
    rows = []
    sums = [ZERO, ZERO, ZERO]
    fw_done = False

    def money(d, allow_fw=False):
        nonlocal fw_done
        if d is None:
            return ""
        if allow_fw and not fw_done and d < 100:
            fw_done = True
            return fullwidth(money_text(d))
        if d >= 1000 and rnd_fmt.random() < 0.35:
            return thousands(d)
        return money_text(d)

    rnd_fmt = random.Random(99)
    for p in projects:
        for f in p["funds"]:
            is_total = f["kind"] in ("", "合计")
            if is_total:
                sums[0] += f["a0"] or ZERO
                sums[1] += f["a"]
                sums[2] += f["b"]
            own = "" if f.get("self") is None else num_text(f["self"])
            rows.append([p["code"], f["kind"], money(f["a0"]), money(f["a"]),
                         money(f["b"], allow_fw=(p["code"] == "XM20107")), f["reason"], own])
    rows.append(["", "", "", "", "", "", ""])
    rows.append(["合计", "", thousands(sums[0]), thousands(sums[1]), thousands(sums[2]), "", ""])
    write_csv(os.path.join(out, "预算执行情况.csv"),
              ["项目编码", "资金类别", "年初预算数（万元）", "调整后预算数（万元）", "实际支出数（万元）",
               "执行偏差原因", "自评得分"], rows, encoding="gb18030")

    # 绩效指标: XLSX, header 指标名称 mapped through dataset.json columns, numbers and text mixed
    wb = new_workbook(os.path.join(out, "绩效指标完成情况.xlsx"), "云溪县2024年度绩效指标完成情况")
    bold = wb.add_format({"bold": True, "bg_color": "#E2EFDA", "border": 1})
    ws = wb.add_worksheet("绩效指标")
    header = ["项目编码", "单位编码", "一级指标", "二级指标", "指标名称", "指标性质", "指标值", "计量单位", "分值",
              "实际完成值", "偏差原因分析", "改进措施", "自评得分"]
    for c, h in enumerate(header):
        ws.write_string(0, c, h, bold)
    ws.set_column(4, 4, 30)
    ws.set_column(10, 11, 40)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, 0, len(header) - 1)
    r = 1
    positions = {}
    for p in projects:
        for ind in p["inds"]:
            opcol, tcell = target_cell(ind)
            vals = [p["code"], None, ind["l1"], ind["l2"], ind["name"], opcol, tcell, ind["unit"],
                    weight_cell(ind), actual_cell(ind), ind["reason"], ind["measures"], ind["self"]]
            for c, v in enumerate(vals):
                put(ws, r, c, v)
            positions[(p["code"], ind["name"])] = r + 1
            r += 1
    for dcode in sorted(data["dinds"]):
        for ind in data["dinds"][dcode]:
            opcol, tcell = target_cell(ind)
            vals = [None, dcode, ind["l1"], ind["l2"], ind["name"], opcol, tcell, ind["unit"], ind["w"],
                    actual_cell(ind), "", "", None]
            for c, v in enumerate(vals):
                put(ws, r, c, v)
            r += 1
    n_ind_rows = r - 1
    wb.close()

    # 部门整体: UTF-8 CSV with BOM; 年份 mapped to 年度 through dataset.json columns
    rows = []
    for dcode, _dn, _s in DEPARTMENTS:
        for year in (2023, 2024):
            f = data["figures"][dcode][year]
            rows.append([dcode, year] + [num_text(f[k]) if k in ("在职人数", "编制数") else money_text(f[k])
                                         for k in ("预算数", "预算调整数", "执行数", "结转结余总额", "三公经费",
                                                   "在职人员经费", "公用经费", "在职人数", "编制数",
                                                   "政府采购预算", "政府采购执行数")])
    write_csv(os.path.join(out, "部门整体支出情况.csv"), FIGURE_HEADERS, rows, encoding="utf-8", bom=True)

    write_county_readme(out, data, positions, n_ind_rows, sums)
    return data


FINDING_NOTES = {
    "execution_low": "执行率低于90%且未填写执行偏差原因",
    "budget_adjusted": "年初预算数≠调整后预算数且未说明",
    "unmet_no_reason": "指标未完成且未填写偏差原因分析",
    "target_too_low": "完成率高于120%，目标值设置偏低",
    "self_score_mismatch": "自评得分与复核得分相差超过0.1分",
    "met_but_deducted": "指标已完成但自评扣分且未说明原因",
    "weights_not_100": "分值合计不等于100",
    "score_above_weight": "自评得分高于该行分值",
    "fund_rows_mismatch": "资金分项之和不等于合计行",
    "actual_repeats_target": "实际完成值只是重复目标值文字",
    "actual_missing": "实际完成值为空",
}
FINDING_ORDER = list(FINDING_NOTES)


def md_table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        out.append("| " + " | ".join(str(x).replace("|", "\\|") for x in r) + " |")
    return "\n".join(out)


def finding_detail(p, code, positions):
    """Where a project's finding sits: the execution file or an indicator row."""
    xs = []
    for c, where in p["result"]["findings"]:
        if c != code:
            continue
        if where == "预算执行" or where.startswith("分值合计"):
            xs.append(where)
        else:
            xs.append("绩效指标完成情况.xlsx 第%d行（%s）" % (positions[(p["code"], where)], where))
    return "；".join(dict.fromkeys(xs))


def write_county_readme(out, data, positions, n_ind_rows, sums):
    projects = data["projects"]
    n_units = sum(1 + len(s) for _c, _n, s in DEPARTMENTS)
    n_sub = sum(len(s) for _c, _n, s in DEPARTMENTS)
    n_cls = sum(1 for p in projects if p["classified"])
    n_pind = sum(len(p["inds"]) for p in projects)
    n_dind = sum(len(v) for v in data["dinds"].values())
    grades = {g: sum(1 for p in projects if p["result"]["grade"] == g) for g in "优良中差"}
    L = []
    L.append("# 云溪县 2024 年度预算绩效自评样例数据（虚构）\n")
    L.append("本目录是 `scripts/make_samples.py` 生成的样例数据集，不要手工修改；修改生成脚本后重新运行："
             "`/usr/bin/python3 scripts/make_samples.py`。云溪县及其全部单位、人员、电话、金额均为虚构。\n")
    L.append("## 规模\n")
    L.append("- 部门 %d 个，下属单位 %d 个（单位表共 %d 行）；" % (len(DEPARTMENTS), n_sub, n_units))
    L.append("- 项目 %d 个，其中涉密项目 %d 个（XM21102–XM21104、XM21201、XM21202）；" % (len(projects), n_cls))
    L.append("- 绩效指标 %d 行：项目指标 %d 行（每个项目10–15行），部门整体指标 %d 行（部门 %s）；"
             % (n_ind_rows, n_pind, n_dind, "、".join(sorted(data["dinds"]))))
    L.append("- 部门整体支出数据：%d 个部门 × 2023、2024 两个年度。\n" % len(DEPARTMENTS))
    L.append("## 文件\n")
    L.append(md_table(["数据", "文件", "格式", "说明"], [
        ["单位", "单位信息.csv", "CSV，GB18030（GBK）编码，CRLF",
         "表头用别名“单位代码”；203002、207002 的单位类型留空（按有上级取“单位”）；含联系人、联系电话（个人信息，不得公开）"],
        ["项目", "项目信息.xlsx", "XLSX，数据在第二个工作表“项目清单”",
         "第一个工作表“填报说明”不是数据；单位编码、支出功能分类是数字单元格；表头用别名“支出功能分类”“实际完成情况”；"
         "是否涉密取值 是/否/涉密/非密"],
        ["预算执行", "预算执行情况.csv", "CSV，GB18030（GBK）编码，CRLF",
         "表头用别名“调整后预算数（万元）”“实际支出数（万元）”“执行偏差原因”；部分金额带千分位（\"1,234.50\"）；"
         "XM20107 的实际支出数是全角数字；末尾有一个空行和一个“合计”行"],
        ["绩效指标", "绩效指标完成情况.xlsx", "XLSX，单个工作表“绩效指标”",
         "“指标名称”经 dataset.json 的 columns 对应到“三级指标”；“指标值”是“年度指标值”的别名；"
         "数字单元格与文本混合；含公式单元格（带缓存值）；最后 %d 行是部门整体指标（项目编码为空，单位编码为部门编码）" % n_dind],
        ["部门整体", "部门整体支出情况.csv", "CSV，UTF-8 带 BOM，CRLF",
         "“年份”经 columns 对应到“年度”；“三公”经费列用别名““三公”经费”"],
    ]))
    L.append("")
    L.append("`dataset.json` 用 `files` 指定各表的文件名，用 `sheets` 指定项目表读取工作表“项目清单”"
             "（不是第一个工作表），用 `columns` 把“指标名称”“年份”对应到规范列名。\n")
    L.append("## 刻意包含的写法\n")
    L.append("- 指标性质：≥、≤、=、<、定性；少数行写“正向”“反向”；部分行指标性质为空，运算符写在指标值前（`≥95%`）"
             "或以“以上/以下/以内”结尾（`95%以上`、`30天以内`）；也有指标性质和指标值里同时写运算符的行。")
    L.append("- 百分数：数字单元格 `95`（计量单位 `%`）、文本 `95%`、全角 `９５％`，同一指标目标值与实际值写法可以不同"
             "（如指标值 `100`、计量单位 `%`、实际完成值 `98%`）。")
    L.append("- 零目标：“安全责任事故 = 0 起”等，实际为 0 即满分。反向指标：成本、时限、投诉次数、损失率、PM2.5 等。")
    L.append("- 定性指标：实际完成值为 达成 / 达成年度指标 / 基本达成 / 部分达成 / 未达成；"
             "“基本达成/部分达成/未达成”的行都填写了偏差原因分析。")
    noise = next(p for p in projects if p.get("_noise_row"))
    nind = next(i for i in noise["inds"] if i["name"] == noise["_noise_row"])

    def cells_where(kind, key):
        return ["%s“%s”（第%d行）" % (p["code"], i["name"], positions[(p["code"], i["name"])])
                for p in projects for i in p["inds"] if i.get("style", {}).get(key) == kind]
    L.append("- 公式单元格（带缓存值）：分值 %s；实际完成值 %s。%s“%s”的实际完成值是公式 `%s`，缓存值带二进制误差"
             "（`%s`），应按 Excel 的 15 位有效数字读作 %s（第%d行）。带千分位的文本实际完成值：%s。"
             % ("、".join(cells_where("formula", "w")), "、".join(cells_where("formula", "a")),
                noise["code"], nind["name"], actual_cell(nind)[1], clean_number(actual_cell(nind)[2]),
                num_text(nind["a"]), positions[(noise["code"], nind["name"])],
                "、".join(cells_where("thousands", "a"))))
    L.append("- 年初预算数为空（不参与计算，也不触发 budget_adjusted）：%s。" %
             "、".join(p["code"] for p in projects if fund_total(p)["a0"] is None))
    L.append("- 多行资金（合计行在前，分项在后）：%s；其中 XM20301 分项之和不等于合计行（多 50.00 万元）。" %
             "、".join(p["code"] for p in projects if len(p["funds"]) > 1))
    L.append("- 预算执行表末尾“合计”行 = 各项目合计行（只有一行的项目即该行）之和，不重复计算分项；"
             "年初预算数为空的按 0 计：年初预算数 %s，调整后预算数 %s，实际支出数 %s（万元）。"
             % (thousands(sums[0]), thousands(sums[1]), thousands(sums[2])))
    L.append("- 年中调整且已说明（预期不触发 budget_adjusted）：XM20204、XM20501。"
             "执行率低于90%但已说明原因（预期不触发 execution_low）：" +
             "、".join(p["code"] for p in projects if p["result"]["rate"] < EXEC_THRESHOLD
                      and fund_total(p)["reason"]) + "。")
    L.append("- 自评得分：%s 在预算执行合计行和全部指标行填写了自评得分，多数与复核结果一致"
             "（部分四舍五入到1位小数，差额不超过0.1分，不应报问题）。"
             % "、".join(p["code"] for p in projects if p["opts"].get("self")))
    L.append("- 名称中的特殊字符：XM20804 名称含 `/`，XM20801 名称含 `..`；生僻字：馕（XM20307）、畲（XM20306、XM20703）、"
             "巯（XM20205 指标）。")
    L.append("- 部门整体：206 的在职人数多于编制数；207 的“三公”经费比上年增加，其余部门下降。\n")
    L.append("## 问题（finding）触发表\n")
    L.append("每个问题代码至少由下表项目触发；参考计算按 national-2020 规则。除下表所列外，其他项目预期不产生任何问题。\n")
    rows = []
    for code in FINDING_ORDER:
        hits = [p for p in projects if code in p["result"]["codes"]]
        for p in hits:
            rows.append([code, p["code"], p["name"], finding_detail(p, code, positions), FINDING_NOTES[code]])
    L.append(md_table(["问题代码", "项目编码", "项目名称", "位置", "说明"], rows))
    L.append("")
    L.append("说明：XM20303（score_above_weight）、XM20503（met_but_deducted）同时触发 self_score_mismatch；"
             "XM20703 的定性指标“基本达成”自评 %s 分超出部分达成区间，按区间下限计分并报 self_score_mismatch；"
             "XM20404 的实际完成值“≥266米”在参考计算中按 0 分计（按 266 计也仍为同一等级）。\n"
             % num_text(next(i["self"] for p in projects if p["code"] == "XM20703" for i in p["inds"]
                             if i["name"] == "畲族非遗传承保护成效")))
    L.append("## 参考结果（national-2020）\n")
    L.append("等级分布：优 %d，良 %d，中 %d，差 %d。总分离等级分界（90/80/60）都至少 1 分。\n"
             % (grades["优"], grades["良"], grades["中"], grades["差"]))
    rows = []
    for p in projects:
        res = p["result"]
        tot = fund_total(p)
        rows.append([p["code"], p["name"], p["unit"], "是" if p["classified"] else "",
                     money_text(tot["a"]), money_text(tot["b"]), pct(res["rate"]), money_text(res["bscore"]),
                     len(p["inds"]), money_text(res["total"]), res["grade"], "、".join(res["codes"])])
    L.append(md_table(["项目编码", "项目名称", "单位", "涉密", "全年预算数", "全年执行数", "执行率", "执行得分",
                       "指标数", "总分", "等级", "问题"], rows))
    L.append("")
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L) + "\n")
