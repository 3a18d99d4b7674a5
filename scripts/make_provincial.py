#!/usr/bin/env python3
"""Re-exports samples/county the way a provincial 预算管理一体化 system does, for the
provincial_reexport test (tests/ingest/provincial_reexport.py).

Shapes: amounts in 元 named only in the headers (预算数(元)), renamed columns (上级单位编码,
项目期限, 资金性质, 指标权重, 实际值 …), title rows above the headers, a 填报说明 sheet before
the data sheet, GB18030 CSVs, a 合计 row, a 部门整体 file whose columns mix 元 and 万元, file
names no default lookup finds, and a dataset.json holding only 年度, 发文机关 and 公开日期.

Usage: make_provincial.py SAMPLE_FOLDER OUTPUT_FOLDER
"""

import csv
import io
import json
import os
import re
import sys
import zipfile
from decimal import Decimal
from xml.etree import ElementTree
from xml.sax.saxutils import escape

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


# --- reading the sample -----------------------------------------------------------------

def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_xlsx(path, sheet_name):
    """Rows of one sheet as lists of (kind, text): kind 'n' number literal or 's' string."""
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ElementTree.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    rid = next(s.get(REL) for s in wb.find("m:sheets", NS) if s.get("name") == sheet_name)
    sheet = ElementTree.fromstring(z.read("xl/" + targets[rid].lstrip("/").replace("xl/", "")))
    rows = []
    for row in sheet.find("m:sheetData", NS):
        cells = []
        for c in row:
            i = column_index(c.get("r"))
            while len(cells) < i:
                cells.append(("s", ""))
            t = c.get("t")
            v = c.find("m:v", NS)
            if t == "s":
                cells.append(("s", shared[int(v.text)]))
            elif t == "inlineStr":
                cells.append(("s", "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))))
            elif t == "str":
                cells.append(("s", v.text or ""))
            elif v is not None:
                cells.append(("n", v.text))
            else:
                cells.append(("s", ""))
        rows.append(cells)
    return rows


def read_csv(path):
    data = open(path, "rb").read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    return [[("s", c) for c in r] for r in csv.reader(io.StringIO(text))]


def sample_tables(folder):
    cfg = json.load(open(os.path.join(folder, "dataset.json"), encoding="utf-8"))
    files, sheets = cfg["files"], cfg.get("sheets", {})
    tables = {}
    for section, name in files.items():
        path = os.path.join(folder, name)
        if name.endswith(".xlsx"):
            sheet = sheets.get(section)
            if sheet is None:
                wb = ElementTree.fromstring(zipfile.ZipFile(path).read("xl/workbook.xml"))
                sheet = wb.find("m:sheets", NS)[0].get("name")
            tables[section] = read_xlsx(path, sheet)
        else:
            tables[section] = read_csv(path)
    return cfg, tables


# --- amounts ------------------------------------------------------------------------------

FULL = {chr(0xFF10 + d): str(d) for d in range(10)}
FULL.update({"．": ".", "，": ",", "－": "-"})


def to_yuan(text):
    """万元 text as the sample holds it → the same amount in 元, exactly; blank stays blank."""
    t = "".join(FULL.get(ch, ch) for ch in text).replace(",", "").strip()
    if t == "":
        return ""
    return "{:.2f}".format(Decimal(t) * 10000)


# --- writing ------------------------------------------------------------------------------

def write_csv_gb18030(path, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    for r in rows:
        w.writerow([c[1] if isinstance(c, tuple) else c for c in r])
    open(path, "wb").write(out.getvalue().encode("gb18030"))


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_xml(rows):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for n, row in enumerate(rows, 1):
        out.append('<row r="%d">' % n)
        for i, cell in enumerate(row):
            kind, text = cell if isinstance(cell, tuple) else ("s", cell)
            if text == "":
                continue
            ref = "%s%d" % (col_name(i), n)
            if kind == "n":
                out.append('<c r="%s"><v>%s</v></c>' % (ref, escape(text)))
            else:
                out.append('<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, escape(text)))
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def write_xlsx(path, sheets):
    """A minimal workbook: [(name, rows)], inline strings, number cells as literals."""
    z = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/xl/workbook.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>']
    for i in range(len(sheets)):
        ct.append('<Override PartName="/xl/worksheets/sheet%d.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (i + 1))
    ct.append("</Types>")
    z.writestr("[Content_Types].xml", "".join(ct))
    z.writestr("_rels/.rels",
               '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
          '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>']
    rels = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    for i, (name, rows) in enumerate(sheets, 1):
        wb.append('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(name), i, i))
        rels.append('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i, i))
        z.writestr("xl/worksheets/sheet%d.xml" % i, sheet_xml(rows))
    wb.append("</sheets></workbook>")
    rels.append("</Relationships>")
    z.writestr("xl/workbook.xml", "".join(wb))
    z.writestr("xl/_rels/workbook.xml.rels", "".join(rels))
    z.close()


# --- the re-export ------------------------------------------------------------------------

def rename(header_row, names):
    return [("s", names.get(h[1], h[1])) for h in header_row]


def main(sample, out):
    os.makedirs(out, exist_ok=True)
    cfg, t = sample_tables(sample)
    json.dump({"年度": cfg["年度"], "发文机关": cfg["发文机关"], "公开日期": cfg["公开日期"]},
              open(os.path.join(out, "dataset.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=2)

    # 单位: GB18030, a title row, 上级单位编码 for 主管部门编码.
    units = t["单位"]
    write_csv_gb18030(os.path.join(out, "01_预算单位信息.csv"),
                      [["2024年度预算单位基本信息"]] +
                      [rename(units[0], {"单位代码": "预算单位代码", "单位名称": "预算单位名称",
                                         "主管部门编码": "上级单位编码"})] + units[1:])

    # 项目: a 填报说明 sheet first, a title row, renamed columns.
    projects = t["项目"]
    note = [["填报说明"], ["1. 本表由预算管理一体化系统导出，请勿修改列名。"], ["2. 金额单位为元。"]]
    write_xlsx(os.path.join(out, "02_项目基本信息.xlsx"),
               [("填报说明", note),
                ("项目信息", [["2024年度项目支出基本信息表"]] +
                 [rename(projects[0], {"项目编码": "项目代码", "单位编码": "预算单位代码",
                                       "实施期": "项目期限", "年度总体目标": "年度绩效目标"})] + projects[1:])])

    # 预算执行: GB18030, amounts in 元 named only in the headers, a 合计 row in 元.
    ex = t["预算执行"]
    head = [h[1] for h in ex[0]]
    money = [i for i, h in enumerate(head) if "预算数" in h or "支出数" in h]
    names = {}
    for i in money:
        h = head[i]
        names[h] = "年初预算数(元)" if "年初" in h else "预算数(元)" if "预算数" in h else "支出数(元)"
    names.update({"项目编码": "项目代码", "资金类别": "资金性质", "执行偏差原因": "偏差原因"})
    rows = [["2024年度项目支出预算执行情况表"], rename(ex[0], names)]
    for r in ex[1:]:
        if not any(c[1].strip() for c in r):
            continue
        rows.append([("s", to_yuan(c[1])) if i in money else c for i, c in enumerate(r)])
    write_csv_gb18030(os.path.join(out, "03_项目预算执行.csv"), rows)

    # 绩效指标: a 说明 sheet first, renamed columns (指标方向, 指标权重, 实际值 …).
    ind = t["绩效指标"]
    write_xlsx(os.path.join(out, "04_绩效指标自评.xlsx"),
               [("说明", [["本表为绩效指标完成情况，实际值请填写数值或评价用语。"]]),
                ("绩效指标", [rename(ind[0], {"项目编码": "项目代码", "单位编码": "预算单位代码",
                                             "指标性质": "指标方向", "指标值": "年度指标值",
                                             "分值": "指标权重", "实际完成值": "实际值"})] + ind[1:])])

    # 部门整体: GB18030, a 决算-style file whose columns mix 元 and 万元 (each header says which).
    fig = t["部门整体"]
    head = [h[1] for h in fig[0]]
    in_yuan = {"执行数", "结转结余总额", "在职人员经费", "政府采购预算"}
    counts = {"单位编码", "年份", "在职人数", "编制数"}
    header = []
    for h in head:
        if h in counts:
            header.append({"编制数": "编制人数"}.get(h, h))
        else:
            header.append(h + ("（元）" if h in in_yuan else "（万元）"))
    rows = [["2024年度部门整体支出情况"], header]
    for r in fig[1:]:
        rows.append([("s", to_yuan(c[1])) if head[i] in in_yuan else c for i, c in enumerate(r)])
    write_csv_gb18030(os.path.join(out, "05_部门整体支出.csv"), rows)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
