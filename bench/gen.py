#!/usr/bin/python3
"""Seeded benchmark data for bench/run.

    bench/gen.py N OUT [SEED]

Writes the same N projects twice:
  OUT/bench.json     a JSON array for the peer scripts in bench/peers/ (fields below)
  OUT/dataset/       a jixiao dataset folder: dataset.json, 单位.csv, 项目.csv, 预算执行.csv, 绩效指标.csv

Every project has 15 quantitative indicators (weights 5 x 10 + 10 x 5 = 100 minus the 10 points
of budget execution) and a narrative of about 1,500 characters. One department per 25 projects,
about 5 % of projects classified. Amounts are in 万元. Quantitative indicators only, so that the
peers and jixiao score every row the same way (completion ratio capped at 1 times the weight).

A project in bench.json:
  {code, name, department, unit, unit_code, year, classified,
   funds: {initial, budget, executed}, goal, achieved,
   indicators: [{level1, level2, level3, op, target, unit, actual, weight, reason}], narrative}

Standard library only: runs with Debian's /usr/bin/python3.
"""
import csv
import json
import os
import random
import sys

YEAR = 2024
INDICATORS_PER_PROJECT = 15
WEIGHTS = [10] * 5 + [5] * 10          # 100 points with the 10 of budget execution: sums to 90
PROJECTS_PER_DEPARTMENT = 25
NARRATIVE_SENTENCES = 40              # 36 characters on average: ~1,450 characters

# (一级指标, 二级指标, comparison, [(三级指标, 计量单位), ...])
CATALOGUE = [
    ("产出指标", "数量指标", "≥", [("举办培训班期数", "期"), ("购置设备台数", "台"), ("资助学生人数", "人"),
                               ("改造农村公路里程", "公里"), ("监督检查企业数", "户")]),
    ("产出指标", "质量指标", "≥", [("培训考核通过率", "%"), ("工程竣工验收合格率", "%"), ("设备正常运行率", "%")]),
    ("产出指标", "时效指标", "≥", [("资金及时拨付率", "%"), ("任务按时完成率", "%")]),
    ("产出指标", "成本指标", "≤", [("项目实际总成本", "万元"), ("人均服务成本", "元")]),
    ("效益指标", "社会效益指标", "≥", [("惠民政策知晓率", "%"), ("事故发生率下降幅度", "%"), ("新增就业岗位", "人")]),
    ("效益指标", "经济效益指标", "≥", [("带动群众增收", "万元")]),
    ("效益指标", "生态效益指标", "≥", [("环境空气优良天数比率", "%")]),
    ("效益指标", "可持续影响指标", "≥", [("设施设备使用年限", "年")]),
    ("满意度指标", "服务对象满意度指标", "≥", [("参训人员满意度", "%"), ("受益群众满意度", "%")]),
]

# Narrative building blocks; the last two also explain a missed target.
GOOD = [
    "项目实施过程中严格执行预算绩效管理制度，资金管理规范有序，台账资料齐全。",
    "专项资金实行单独核算、专款专用，经自查未发现截留、挤占和挪用资金的问题。",
    "项目建成后明显改善了辖区群众的生产生活条件，取得了较好的社会效益。",
]
SHORTFALL = [
    "因招标采购流程较长及雨季施工受限，部分工程进度滞后，资金支付慢于序时进度。",
    "今后将提高预算编制的精准度，细化和量化绩效目标，进一步提升财政资金使用效益。",
]
SENTENCES = GOOD + SHORTFALL


def money(rnd, low, high):
    return round(rnd.uniform(low, high), 2)


def indicator(rnd, weight):
    level1, level2, op, names = rnd.choice(CATALOGUE)
    level3, unit = names[rnd.randrange(len(names))]
    if unit == "%":
        target = 100.0
    else:
        target = float(rnd.randint(10, 2000))
    actual = round(target * rnd.uniform(0.75, 1.15), 2)
    if unit == "%" and actual > 100.0:
        actual = 100.0
    met = actual <= target if op == "≤" else actual >= target
    return {"level1": level1, "level2": level2, "level3": level3, "op": op, "target": target, "unit": unit,
            "actual": actual, "weight": weight, "reason": "" if met else rnd.choice(SHORTFALL)}


def project(rnd, index, department):
    unit_code, unit_name = department
    budget = money(rnd, 5, 2000)
    funds = {"initial": round(budget * rnd.uniform(0.8, 1.1), 2), "budget": budget,
             "executed": round(budget * rnd.uniform(0.6, 1.0), 2)}
    return {
        "code": f"P{YEAR}{index:06d}",
        "name": f"{unit_name}{YEAR}年度专项资金项目{index + 1}",
        "department": unit_name, "unit": unit_name, "unit_code": unit_code, "year": YEAR,
        "classified": rnd.random() < 0.05,
        "funds": funds,
        "goal": "全面完成年度重点工作任务，提升基本公共服务保障水平。",
        "achieved": "年度绩效目标已基本实现。",
        "indicators": [indicator(rnd, w) for w in WEIGHTS],
        "narrative": "".join(rnd.choice(SENTENCES) for _ in range(NARRATIVE_SENTENCES)),
    }


def write_csv(folder, name, header, rows):
    with open(os.path.join(folder, name), "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(rows)


def write_dataset(folder, departments, projects):
    os.makedirs(folder, exist_ok=True)
    meta = {"年度": YEAR, "发文机关": "某某县财政局", "文号前缀": "某财绩", "评分规则": "national-2020"}
    with open(os.path.join(folder, "dataset.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False, indent=1)
    write_csv(folder, "单位.csv", ["单位编码", "单位名称", "主管部门编码", "单位类型"],
              ([code, name, "", "部门"] for code, name in departments))
    write_csv(folder, "项目.csv",
              ["项目编码", "项目名称", "单位编码", "项目类别", "资金来源", "是否涉密", "实施期", "年度总体目标", "总体目标完成情况"],
              ([p["code"], p["name"], p["unit_code"], "部门预算项目", "一般公共预算", "是" if p["classified"] else "否",
                str(YEAR), p["goal"], p["achieved"] + p["narrative"]] for p in projects))
    write_csv(folder, "预算执行.csv", ["项目编码", "年初预算数", "全年预算数", "全年执行数"],
              ([p["code"], p["funds"]["initial"], p["funds"]["budget"], p["funds"]["executed"]] for p in projects))
    write_csv(folder, "绩效指标.csv",
              ["项目编码", "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "分值", "实际完成值", "偏差原因分析"],
              ([p["code"], x["level1"], x["level2"], x["level3"], x["op"], x["target"], x["unit"], x["weight"], x["actual"],
                x["reason"]] for p in projects for x in p["indicators"]))


def main(argv):
    if len(argv) not in (3, 4) or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.stderr.write("usage: bench/gen.py N OUT [SEED]\n")
        return 64
    n, out = int(argv[1]), argv[2]
    rnd = random.Random(int(argv[3]) if len(argv) == 4 else 2024)
    departments = [(f"{101 + i:03d}", f"县第{i + 1}局") for i in range(max(1, n // PROJECTS_PER_DEPARTMENT))]
    projects = [project(rnd, i, departments[i % len(departments)]) for i in range(n)]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "bench.json"), "w", encoding="utf-8") as f:
        json.dump(projects, f, ensure_ascii=False)
    write_dataset(os.path.join(out, "dataset"), departments, projects)
    print(f"wrote {n} projects to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
