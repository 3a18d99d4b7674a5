#!/usr/bin/python3
"""Peer for bench/run: ReportLab (Platypus) for the PDF and XlsxWriter for the XLSX, both Debian
packages (python3-reportlab, python3-xlsxwriter).

    rl_peer.py bench.json OUTDIR [K/N]

Renders projects K, K+N, K+2N, ... (0-based) of bench.json as OUTDIR/rl_<code>.pdf and
OUTDIR/rl_<code>.xlsx: the 项目支出绩效自评表 (title and year, project / department / unit,
the budget block, the indicator table with its header repeated on every page, total and grade)
followed by the narrative, in LXGW WenKai (Debian fonts-lxgw-wenkai), embedded as a subset.
Prints one line: 'reportlab+xlsxwriter: P projects in S s = R proj/s, maxrss M MB'.
"""
import json
import os
import resource
import sys
import time

import xlsxwriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_FILE = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
FONT = "WenKai"
TITLE = "项目支出绩效自评表"
FUND_HEAD = ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
INDICATOR_HEAD = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]

pdfmetrics.registerFont(TTFont(FONT, FONT_FILE))
STYLE_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1)
STYLE_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
STYLE_TEXT = ParagraphStyle("text", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
GRID = [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]


def grade_of(total):
    for floor, grade in ((90, "优"), (80, "良"), (60, "中")):
        if total >= floor:
            return grade
    return "差"


def evaluate(p):
    """Budget execution (10 points) plus each indicator's completion ratio, capped at 1, times its weight."""
    funds = p["funds"]
    rate = funds["executed"] / funds["budget"] if funds["budget"] else 0.0
    budget_points = round(min(rate, 1.0) * 10, 2)
    scored = []
    for x in p["indicators"]:
        if x["op"] in ("≤", "<"):
            ratio = x["target"] / x["actual"] if x["actual"] else 1.0
        elif x["target"]:
            ratio = x["actual"] / x["target"]
        else:
            ratio = 1.0 if x["actual"] <= 0 else 0.0
        scored.append((x, round(min(ratio, 1.0) * x["weight"], 2)))
    total = round(budget_points + sum(s for _, s in scored), 2)
    return rate, budget_points, scored, total, grade_of(total)


def target_text(x):
    return f"{x['op']}{x['target']:g}{x['unit']}"


def write_pdf(path, p, ev):
    rate, budget_points, scored, total, grade = ev
    funds = p["funds"]
    cell = lambda text: Paragraph(text, STYLE_CELL)
    info = Table([[cell("项目名称"), cell(p["name"]), "", ""],
                  [cell("主管部门"), cell(p["department"]), cell("实施单位"), cell(p["unit"])]],
                 colWidths=[70, 190, 70, 170])
    info.setStyle(TableStyle(GRID + [("SPAN", (1, 0), (3, 0))]))
    budget = Table([FUND_HEAD,
                    ["年度资金总额"] + [f"{funds[k]:,.2f}" for k in ("initial", "budget", "executed")]
                    + ["10", f"{rate * 100:.2f}%", f"{budget_points:.2f}"]],
                   colWidths=[90, 70, 70, 70, 40, 60, 50])
    budget.setStyle(TableStyle(GRID + [("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
    rows = [INDICATOR_HEAD]
    for x, s in scored:
        rows.append([cell(x["level1"]), cell(x["level2"]), cell(x["level3"]), cell(target_text(x)),
                     cell(f"{x['actual']:g}{x['unit']}"), f"{x['weight']:g}", f"{s:.2f}", cell(x["reason"])])
    rows.append(["总分", "", "", "", "", "100", f"{total:.2f}", grade])
    indicators = Table(rows, colWidths=[50, 55, 95, 65, 60, 35, 40, 100], repeatRows=1)
    last = len(rows) - 1
    indicators.setStyle(TableStyle(GRID + [("SPAN", (0, last), (4, last))]))
    story = [Paragraph(TITLE, STYLE_TITLE), Paragraph(f"（{p['year']}年度）", STYLE_TITLE), Spacer(1, 6),
             info, budget, Spacer(1, 6), indicators, Spacer(1, 10), Paragraph(p["narrative"], STYLE_TEXT)]
    SimpleDocTemplate(path, pagesize=A4, title=p["name"]).build(story)


def write_xlsx(path, p, ev):
    rate, budget_points, scored, total, grade = ev
    funds = p["funds"]
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("自评表")
    text = wb.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"})
    head = wb.add_format({"border": 1, "bold": True, "align": "center", "valign": "vcenter"})
    amount = wb.add_format({"border": 1, "num_format": "#,##0.00"})
    percent = wb.add_format({"border": 1, "num_format": "0.00%"})
    ws.merge_range(0, 0, 0, 7, TITLE, head)
    ws.write(1, 0, "项目名称", text)
    ws.merge_range(1, 1, 1, 7, p["name"], text)
    ws.write_row(2, 0, FUND_HEAD, head)
    ws.write(3, 0, "年度资金总额", text)
    for col, key in enumerate(("initial", "budget", "executed"), start=1):
        ws.write_number(3, col, funds[key], amount)
    ws.write_number(3, 4, 10, amount)
    ws.write_number(3, 5, rate, percent)
    ws.write_number(3, 6, budget_points, amount)
    ws.write_row(4, 0, INDICATOR_HEAD, head)
    row = 5
    for x, s in scored:
        ws.write_row(row, 0, [x["level1"], x["level2"], x["level3"], target_text(x)], text)
        ws.write_number(row, 4, x["actual"], amount)
        ws.write_number(row, 5, x["weight"], amount)
        ws.write_number(row, 6, s, amount)
        ws.write(row, 7, x["reason"], text)
        row += 1
    ws.merge_range(row, 0, row, 4, "总分", head)
    ws.write_number(row, 5, 100, amount)
    ws.write_number(row, 6, total, amount)
    ws.write(row, 7, grade, text)
    ws.set_column(0, 7, 14)
    wb.close()


def main(argv):
    if len(argv) not in (3, 4):
        sys.stderr.write("usage: rl_peer.py bench.json OUTDIR [K/N]\n")
        return 64
    first, step = (int(v) for v in (argv[3] if len(argv) == 4 else "0/1").split("/"))
    os.makedirs(argv[2], exist_ok=True)
    with open(argv[1], encoding="utf-8") as f:
        projects = json.load(f)[first::step]
    started = time.perf_counter()
    for p in projects:
        ev = evaluate(p)
        write_pdf(os.path.join(argv[2], f"rl_{p['code']}.pdf"), p, ev)
        write_xlsx(os.path.join(argv[2], f"rl_{p['code']}.xlsx"), p, ev)
    seconds = time.perf_counter() - started
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reportlab+xlsxwriter: {len(projects)} projects in {seconds:.2f} s = {len(projects) / seconds:.1f} proj/s,"
          f" maxrss {maxrss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
