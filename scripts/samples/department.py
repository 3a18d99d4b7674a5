"""Department-wide (部门整体) indicators and figures."""

from .common import *  # noqa: F401,F403
from .scorer import *  # noqa: F401,F403
from .writers import *  # noqa: F401,F403
from .people import *  # noqa: F401,F403
from .county_data import *  # noqa: F401,F403
from .values import *  # noqa: F401,F403
from .rows import *  # noqa: F401,F403


DEPT_INDICATORS = {
    "201": ["数量|年度重点工作任务完成率|>=|%|p:95", "质量|政府采购执行率|>=|%|p:95",
            "时效|预算资金支付及时率|>=|%|p:95", "成本|“三公”经费支出|<=|万元|m:10-15",
            "社会|义务教育巩固率|>=|%|p:98", "可持续|内部控制制度健全性|定性||q:健全有效",
            "满意|学生家长满意度|>=|%|p:90"],
    "202": ["数量|年度重点工作任务完成率|>=|%|p:95", "质量|孕产妇死亡率|<=|1/10万|c:12-12",
            "质量|婴儿死亡率|<=|‰|c:5-5", "时效|预算资金支付及时率|>=|%|p:95",
            "社会|居民健康素养水平|>=|%|p:25", "可持续|内部控制制度健全性|定性||q:健全有效",
            "满意|群众就医满意度|>=|%|p:90"],
    "205": ["数量|年度重点工作任务完成率|>=|%|p:95", "质量|救助对象认定准确率|>=|%|p:98",
            "时效|救助资金按时发放率|>=|%|p:100", "成本|“三公”经费支出|<=|万元|m:6-9",
            "社会|困难群众基本生活保障|定性||q:有效保障", "可持续|社会救助体系|定性||q:健全完善",
            "满意|救助对象满意度|>=|%|p:90"],
    "208": ["数量|年度重点工作任务完成率|>=|%|p:95", "质量|建设工程质量监督覆盖率|>=|%|p:100",
            "质量|较大及以上建设工程安全事故|=|起|z", "时效|预算资金支付及时率|>=|%|p:95",
            "社会|城镇居民人均住房条件|定性||q:持续改善", "生态|城区绿化覆盖率|>=|%|p:40",
            "满意|群众满意度|>=|%|p:90"],
}


def dept_indicators(code, rnd):
    inds = [parse_spec(s, rnd) for s in DEPT_INDICATORS[code]]
    for l1, total in (("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)):
        rows = [i for i in inds if i["l1"] == l1]
        for ind, w in zip(rows, split_weights(total, len(rows), rnd)):
            ind["w"] = w
    for ind in inds:
        set_actual(ind, urand(rnd, D("1.0"), D("1.06")), rnd)
        choose_styles(ind, rnd, plain=True)
    return inds


FIGURE_HEADERS = ["单位编码", "年份", "预算数", "预算调整数", "执行数", "结转结余总额", "“三公”经费",
                  "在职人员经费", "公用经费", "在职人数", "编制数", "政府采购预算", "政府采购执行数"]


def dept_figures(code, projects, rnd, staff_over=False, sangong_up=False):
    """Department-wide figures for 2023 and 2024, consistent with the projects' budgets."""
    mine = [p for p in projects if p["dept"] == code]
    pa = sum(fund_total(p)["a"] for p in mine)
    pb = sum(fund_total(p)["b"] for p in mine)
    staff = rnd.randint(40, 260)
    out = {}
    for year in (2024, 2023):
        f = {}
        n = staff if year == 2024 else staff - rnd.randint(-3, 4)
        f["在职人数"] = D(n)
        f["编制数"] = D(staff - 3 if staff_over else staff + rnd.randint(2, 12))
        f["在职人员经费"] = r2(D(n) * urand(rnd, D("14"), D("18"), 2))
        f["公用经费"] = r2(D(n) * urand(rnd, D("2.0"), D("3.0"), 2))
        basic = f["在职人员经费"] + f["公用经费"]
        scale = ONE if year == 2024 else urand(rnd, D("0.85"), D("1.02"))
        f["预算数"] = r2((pa + basic) * scale)
        f["预算调整数"] = r2(f["预算数"] * urand(rnd, D("0.005"), D("0.08")))
        f["执行数"] = r2((pb + basic * D("0.98")) * scale)
        left = f["预算数"] + f["预算调整数"] - f["执行数"]
        f["结转结余总额"] = r2(max(left, D("5")) * urand(rnd, D("0.5"), D("0.9")))
        f["三公经费"] = r2(urand(rnd, D("5"), D("30"), 2))
        f["政府采购预算"] = r2(urand(rnd, D("50"), D("500"), 2))
        f["政府采购执行数"] = r2(f["政府采购预算"] * urand(rnd, D("0.82"), D("0.99")))
        out[year] = f
    # last year's 三公经费 usually higher (they are being cut); one department the other way
    if sangong_up:
        out[2023]["三公经费"] = r2(out[2024]["三公经费"] * D("0.85"))
    else:
        out[2023]["三公经费"] = r2(out[2024]["三公经费"] * urand(rnd, D("1.03"), D("1.25")))
    return out
