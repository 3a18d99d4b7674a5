#!/usr/bin/env python3
"""Writes the bundled Excel forms (samples/excel-forms/<form>/表样.xlsx and form.json) from the
descriptions below. They are a templates folder to use or copy:
    jixiao run 数据集 --templates samples/excel-forms --documents project-table-excel
(not in templates/, where every run would make them for every project beside the standard table).

The workbooks are what a finance user would draw in Excel or WPS: fonts, fills, borders,
merges, widths, heights, print setup, and placeholders in the cells ({{项目名称}}, a
{{#each 指标}} … {{/each}} block, {{一级指标|merge}}, formulas). Standard library only; the
same script always writes the same bytes (fixed zip timestamps), so `git diff` shows real
changes. Run:  python3 scripts/make_excel_forms.py [OUT]   (OUT defaults to samples/excel-forms)
"""

import json
import os
import re
import sys
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def split_ref(ref):
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return int(m.group(2)) - 1, col_index(m.group(1))


class Style:
    """A cell look: font, fill, borders, alignment, number format."""

    def __init__(self, font="宋体", size=10.5, bold=False, fill=None, border="thin", h=None, v="center",
                 wrap=True, fmt=None, color=None):
        self.font, self.size, self.bold, self.fill = font, size, bold, fill
        self.border, self.h, self.v, self.wrap, self.fmt, self.color = border, h, v, wrap, fmt, color

    def key(self):
        return (self.font, self.size, self.bold, self.fill, self.border, self.h, self.v, self.wrap, self.fmt, self.color)


class Workbook:
    def __init__(self, sheet_name):
        self.sheet_name = sheet_name
        self.cells = {}          # (row, col) -> (value, style)
        self.merges = []
        self.widths = {}
        self.heights = {}
        self.styles = [Style(border=None, wrap=False, v=None)]
        self.print = dict(paper=9, landscape=False, margins=(0.6, 0.6, 0.75, 0.75, 0.3, 0.3),
                          fit=(1, 0), center=True, titles=None)

    def style(self, s):
        for i, known in enumerate(self.styles):
            if known.key() == s.key():
                return i
        self.styles.append(s)
        return len(self.styles) - 1

    def put(self, ref, value, style):
        self.cells[split_ref(ref)] = (value, self.style(style))

    def merge(self, rng, value, style):
        a, b = rng.split(":")
        (r0, c0), (r1, c1) = split_ref(a), split_ref(b)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                self.cells[(r, c)] = (value if (r, c) == (r0, c0) else None, self.style(style))
        self.merges.append(rng)

    # -- parts -------------------------------------------------------------------------------

    def styles_xml(self):
        fonts, fills, borders, numfmts, xfs = [], ["none", "gray125"], [], {}, []

        def index(lst, item):
            if item not in lst:
                lst.append(item)
            return lst.index(item)

        for s in self.styles:
            font = index(fonts, (s.font, s.size, s.bold, s.color))
            fill = index(fills, s.fill) if s.fill else 0
            border = index(borders, s.border)
            fmt = 0
            if s.fmt:
                fmt = numfmts.setdefault(s.fmt, 164 + len(numfmts))
            xfs.append((fmt, font, fill, border, s))
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
        if numfmts:
            out.append('<numFmts count="%d">' % len(numfmts))
            for code, i in numfmts.items():
                out.append('<numFmt numFmtId="%d" formatCode="%s"/>' % (i, escape(code, {'"': "&quot;"})))
            out.append("</numFmts>")
        out.append('<fonts count="%d">' % len(fonts))
        for name, size, bold, color in fonts:
            out.append("<font>%s<sz val=\"%g\"/>%s<name val=\"%s\"/><charset val=\"134\"/></font>" % (
                "<b/>" if bold else "", size, '<color rgb="FF%s"/>' % color if color else "", escape(name)))
        out.append("</fonts>")
        out.append('<fills count="%d">' % len(fills))
        for f in fills:
            if f in ("none", "gray125"):
                out.append('<fill><patternFill patternType="%s"/></fill>' % f)
            else:
                out.append('<fill><patternFill patternType="solid"><fgColor rgb="FF%s"/><bgColor indexed="64"/>'
                           '</patternFill></fill>' % f)
        out.append("</fills>")
        out.append('<borders count="%d">' % len(borders))
        for b in borders:
            if b is None:
                out.append("<border><left/><right/><top/><bottom/><diagonal/></border>")
            else:
                edge = '<%s style="%s"><color rgb="FF000000"/></%s>'
                out.append("<border>%s%s%s%s<diagonal/></border>" % tuple(edge % (e, b, e) for e in ("left", "right", "top", "bottom")))
        out.append("</borders>")
        out.append('<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>')
        out.append('<cellXfs count="%d">' % len(xfs))
        for fmt, font, fill, border, s in xfs:
            align = []
            if s.h:
                align.append('horizontal="%s"' % s.h)
            if s.v:
                align.append('vertical="%s"' % s.v)
            if s.wrap:
                align.append('wrapText="1"')
            out.append('<xf numFmtId="%d" fontId="%d" fillId="%d" borderId="%d" xfId="0"%s%s%s%s>%s</xf>' % (
                fmt, font, fill, border, ' applyNumberFormat="1"' if fmt else "", ' applyFont="1"',
                ' applyFill="1"' if fill else "", ' applyBorder="1"' if border else "",
                "<alignment %s/>" % " ".join(align) if align else ""))
        out.append("</cellXfs>")
        out.append('<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>')
        out.append("</styleSheet>")
        return "".join(out)

    def sheet_xml(self, shared):
        rows = sorted({r for r, _ in self.cells} | set(self.heights))
        ncols = max(c for _, c in self.cells) + 1
        out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">']
        fit_w, fit_h = self.print["fit"] or (None, None)
        out.append('<sheetPr><pageSetUpPr fitToPage="%d"/></sheetPr>' % (1 if self.print["fit"] else 0))
        out.append('<dimension ref="A1:%s%d"/>' % (chr(64 + ncols), rows[-1] + 1))
        out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
        out.append('<sheetFormatPr defaultRowHeight="14.25"/>')
        out.append("<cols>")
        for c in sorted(self.widths):
            out.append('<col min="%d" max="%d" width="%g" customWidth="1"/>' % (c + 1, c + 1, self.widths[c]))
        out.append("</cols><sheetData>")
        for r in rows:
            attrs = ' ht="%g" customHeight="1"' % self.heights[r] if r in self.heights else ""
            out.append('<row r="%d"%s>' % (r + 1, attrs))
            for c in range(ncols):
                if (r, c) not in self.cells:
                    continue
                value, style = self.cells[(r, c)]
                ref = "%s%d" % (chr(65 + c), r + 1)
                if value is None or value == "":
                    out.append('<c r="%s" s="%d"/>' % (ref, style))
                elif isinstance(value, str) and value.startswith("="):
                    out.append('<c r="%s" s="%d"><f>%s</f></c>' % (ref, style, escape(value[1:])))
                elif isinstance(value, (int, float)):
                    out.append('<c r="%s" s="%d"><v>%s</v></c>' % (ref, style, value))
                else:
                    if value not in shared:
                        shared.append(value)
                    out.append('<c r="%s" s="%d" t="s"><v>%d</v></c>' % (ref, style, shared.index(value)))
            out.append("</row>")
        out.append("</sheetData>")
        if self.merges:
            out.append('<mergeCells count="%d">%s</mergeCells>' % (
                len(self.merges), "".join('<mergeCell ref="%s"/>' % m for m in self.merges)))
        p = self.print
        if p["center"]:
            out.append('<printOptions horizontalCentered="1"/>')
        out.append('<pageMargins left="%g" right="%g" top="%g" bottom="%g" header="%g" footer="%g"/>' % p["margins"])
        setup = '<pageSetup paperSize="%d" orientation="%s"' % (p["paper"], "landscape" if p["landscape"] else "portrait")
        if p["fit"]:
            setup += ' fitToWidth="%d" fitToHeight="%d"' % (fit_w, fit_h)
        out.append(setup + "/>")
        out.append("</worksheet>")
        return "".join(out)

    def write(self, path):
        shared = []
        sheet = self.sheet_xml(shared)
        sst = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
               % (len(shared), len(shared))]
        for s in shared:
            sst.append('<si><t xml:space="preserve">%s</t></si>' % escape(s))
        sst.append("</sst>")
        defined = ""
        if self.print["titles"]:
            r0, r1 = self.print["titles"]
            defined = ('<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">\'%s\'!$%d:$%d'
                       '</definedName></definedNames>' % (escape(self.sheet_name), r0, r1))
        parts = {
            "[Content_Types].xml":
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                "</Types>",
            "_rels/.rels":
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>",
            "xl/workbook.xml":
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets>%s</workbook>' % (escape(self.sheet_name), defined),
            "xl/_rels/workbook.xml.rels":
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>",
            "xl/worksheets/sheet1.xml": sheet,
            "xl/styles.xml": self.styles_xml(),
            "xl/sharedStrings.xml": "".join(sst),
        }
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".tmp"
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in parts.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, text.encode("utf-8"))
        os.replace(tmp, path)


# ------------------------------------------------------------------------------------------
# The forms

TITLE = Style(font="方正小标宋简体", size=18, border=None, h="center", wrap=False)
SUB = Style(size=11, border=None, h="center", wrap=False)
LABEL = Style(bold=True, h="center")
HEAD = Style(bold=True, h="center", fill="D9D9D9")
TEXT = Style(h="left")
CENTER = Style(h="center")
MONEY = Style(h="right", fmt="#,##0.00")
SCORE = Style(h="right", fmt="0.00")
WHOLE = Style(h="right", fmt="0")
PERCENT = Style(h="right", fmt="0.00%")

WIDTHS = [11, 12, 17, 12, 12, 8, 9, 17]  # A–H, Excel characters


def header(wb, title):
    for c, w in enumerate(WIDTHS):
        wb.widths[c] = w
    wb.merge("A1:H1", title, TITLE)
    wb.heights[0] = 32
    wb.merge("A2:H2", "（{{年度}}年度）", SUB)
    wb.heights[1] = 20
    wb.put("A3", "项目名称", LABEL)
    wb.merge("B3:H3", "{{项目名称}}", TEXT)
    wb.put("A4", "主管部门", LABEL)
    wb.merge("B4:D4", "{{主管部门}}", TEXT)
    wb.put("E4", "实施单位", LABEL)
    wb.merge("F4:H4", "{{实施单位}}", TEXT)
    wb.heights[2] = wb.heights[3] = 22


def funds(wb, list_name, first_label):
    """Rows 5–7: the 项目资金 header, the total line, and one repeated row per fund line."""
    wb.merge("A5:A7", "项目资金（万元）", LABEL)
    wb.put("B5", "", LABEL)
    for ref, text in zip("CDEFGH", ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        wb.put(ref + "5", text, LABEL)
    wb.put("B6", first_label, CENTER)
    wb.put("C6", "{{年初预算数}}", MONEY)
    wb.put("D6", "{{全年预算数}}", MONEY)
    wb.put("E6", "{{全年执行数}}", MONEY)
    wb.put("F6", "{{预算执行分值}}", WHOLE)
    wb.put("G6", "{{执行率}}", PERCENT)
    wb.put("H6", "{{预算执行得分}}", SCORE)
    wb.put("B7", "{{#each %s}}{{资金项目}}" % list_name, TEXT)
    wb.put("C7", "{{年初预算数}}", MONEY)
    wb.put("D7", "{{全年预算数}}", MONEY)
    wb.put("E7", "{{全年执行数}}", MONEY)
    wb.put("F7", "—", CENTER)
    wb.put("G7", "—", CENTER)
    wb.put("H7", "—{{/each}}", CENTER)
    wb.heights[4] = 22
    wb.heights[5] = wb.heights[6] = 20


def rest(wb, top):
    """The goal rows, the indicator table with its repeated block, and the total row, from row `top`."""
    r = top
    wb.merge("A%d:A%d" % (r, r + 1), "年度总体目标", LABEL)
    wb.merge("B%d:D%d" % (r, r), "预期目标", LABEL)
    wb.merge("E%d:H%d" % (r, r), "实际完成情况", LABEL)
    wb.heights[r - 1] = 20
    wb.merge("B%d:D%d" % (r + 1, r + 1), "{{年度总体目标}}", TEXT)
    wb.merge("E%d:H%d" % (r + 1, r + 1), "{{实际完成情况}}", TEXT)
    wb.heights[r] = 48
    h = r + 2
    for ref, text in zip("ABCDEFGH", ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                      "偏差原因分析及改进措施"]):
        wb.put("%s%d" % (ref, h), text, HEAD)
    wb.heights[h - 1] = 30
    b = h + 1
    wb.put("A%d" % b, "{{#each 指标}}{{一级指标|merge}}", CENTER)
    wb.put("B%d" % b, "{{二级指标|merge}}", CENTER)
    wb.put("C%d" % b, "{{三级指标}}", TEXT)
    wb.put("D%d" % b, "{{年度指标值}}", CENTER)
    wb.put("E%d" % b, "{{#if 实际完成值}}{{实际完成值}}{{#else}}未填报{{/if}}", CENTER)
    wb.put("F%d" % b, "{{分值}}", SCORE)
    wb.put("G%d" % b, "{{得分}}", SCORE)
    wb.put("H%d" % b, "{{偏差原因分析}}{{/each}}", TEXT)
    wb.heights[b - 1] = 30
    t = b + 1
    wb.merge("A%d:E%d" % (t, t), "总分", LABEL)
    # The indicators' weights plus the budget line's: the range grows with the block.
    wb.put("F%d" % t, "=F6+SUM(F%d:F%d)" % (b, b), SCORE)
    wb.put("G%d" % t, "{{总分}}", SCORE)
    wb.put("H%d" % t, "自评等级：{{等级}}", CENTER)
    wb.heights[t - 1] = 24
    wb.print["titles"] = (h, h)


def national():
    wb = Workbook("自评表")
    header(wb, "项目支出绩效自评表")
    funds(wb, "资金明细", "年度资金总额")
    rest(wb, 8)
    return wb


def sichuan():
    """四川省的样式：资金按性质分列，含财政专户管理资金和单位资金。"""
    wb = Workbook("自评表")
    header(wb, "四川省项目支出绩效自评表")
    funds(wb, "资金分类", "资金总额")
    rest(wb, 8)
    return wb


FORMS = {
    "project-table-excel": (national, "项目支出绩效自评表（Excel 表样，财预〔2020〕10号附件样式）", "表样"),
    "project-table-sichuan": (sichuan, "项目支出绩效自评表（Excel 表样，四川省样式：含财政专户管理资金、单位资金）", "四川样式"),
}


def main(argv):
    out = argv[1] if len(argv) > 1 else os.path.join(ROOT, "samples", "excel-forms")
    for name, (make, note, variant) in FORMS.items():
        make().write(os.path.join(out, name, "表样.xlsx"))
        # Own titles and file names: beside templates/project-table in one run, nothing collides.
        form = {"说明": note, "title": "项目支出绩效自评表（%s）" % variant, "per": "project", "formats": ["pdf", "xlsx"],
                "file": "{{project.code}}_{{project.name}}_项目支出绩效自评表（%s）" % variant}
        with open(os.path.join(out, name, "form.json"), "w", encoding="utf-8") as f:
            f.write(json.dumps(form, ensure_ascii=False, indent=2) + "\n")
        print(os.path.join(out, name))


if __name__ == "__main__":
    main(sys.argv)
