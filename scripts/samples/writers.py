"""Writers."""

from .common import *  # noqa: F401,F403
from .scorer import *  # noqa: F401,F403


def write_csv(path, header, rows, encoding="utf-8", bom=False, crlf=True):
    """CSV as Excel writes it: minimal quoting; GB18030 files are checked to be plain GBK."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    text = buf.getvalue()
    if encoding == "gb18030":
        text.encode("gbk")  # raises if a character is outside GBK: keep these files plain GBK
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)


def clean_number(x):
    """Shortest text that reads back as the same double: 95.6, not 95.59999999999999."""
    x = float(x)
    if x == int(x) and abs(x) < 1e15:
        return "%d" % x
    return repr(x)


class CleanWorksheet(xlsxwriter.worksheet.Worksheet):
    """xlsxwriter 3.0 writes numbers with %.16G (95.6 → 95.59999999999999) and cached formula
    values with str() (10 → 10.0); Excel writes typed numbers in their short form."""

    def _xml_number_element(self, number, attributes=[]):
        attr = "".join(' %s="%s"' % (k, self._escape_attributes(v)) for k, v in attributes)
        self.fh.write("<c%s><v>%s</v></c>" % (attr, clean_number(number)))

    def _xml_formula_element(self, formula, result, attributes=[]):
        if isinstance(result, float):
            result = clean_number(result)  # a computed 95.1+0.2 keeps its binary noise, as in Excel
        super()._xml_formula_element(formula, result, attributes)


def new_workbook(path, title, author="云溪县财政局"):
    wb = xlsxwriter.Workbook(path, {"in_memory": True, "constant_memory": False,
                                    "strings_to_numbers": False, "strings_to_formulas": False,
                                    "strings_to_urls": False})
    wb.set_properties({"title": title, "author": author, "company": "",
                       "created": FIXED_DATE, "comments": "jixiao sample data (fictional)"})
    wb.set_calc_mode("auto")
    wb.worksheet_class = CleanWorksheet
    return wb


def put(ws, r, c, v, fmt=None):
    """Writes one cell; a tuple ('f', formula, cached) is a formula with its cached value."""
    if v is None or v == "":
        return
    if isinstance(v, tuple) and v[0] == "f":
        ws.write_formula(r, c, v[1], fmt, v[2] if isinstance(v[2], (str, float)) else float(v[2]))
    elif isinstance(v, D):
        ws.write_number(r, c, float(v), fmt)
    elif isinstance(v, (int, float)):
        ws.write_number(r, c, v, fmt)
    else:
        ws.write_string(r, c, str(v), fmt)
