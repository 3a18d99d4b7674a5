#!/usr/bin/env python3
"""Structural check of every OFD package of a run, and the cases for the ofd.js rendering.

Usage: ofd_structure.py RUN_FOLDER CASES_JSON PNG_DIR DPI [OFD ...]

For every *.ofd under RUN_FOLDER: every part is well-formed XML in the OFD namespace; OFD.xml
has DocBody with DocInfo (DocID of 32 hex digits, CreationDate) and a DocRoot that exists;
Document.xml has CommonData with MaxUnitID, PageArea/PhysicalBox and its PublicRes, and Pages
whose BaseLoc files exist; every Font has a FontFile that exists and is a TrueType font; every
page's objects have unique IDs not above MaxUnitID, a Boundary of four numbers, and text objects
name a declared font; the page count equals the PDF twin's (pdfinfo) and each page's text
(TextCode, whitespace ignored) equals the PDF's (pdftotext -raw). The OFD files named after
the folder (paths relative to it) become cases for the browser: their PDF rendered with
pdftoppm at DPI, their fonts, which font each text object uses, and the PDF's text per page.
Prints one line per problem and exits 1 when there is any.
"""

import base64
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

NS = "{http://www.ofdspec.org/2016}"
problems = []


def problem(ofd, text):
    problems.append(f"{ofd}: {text}")


def parse(ofd, zf, name):
    try:
        root = ET.fromstring(zf.read(name))
    except KeyError:
        problem(ofd, f"{name} is referenced but missing")
        return None
    except ET.ParseError as e:
        problem(ofd, f"{name} is not well-formed XML: {e}")
        return None
    if not root.tag.startswith(NS):
        problem(ofd, f"{name}: root {root.tag} is not in the OFD namespace")
    return root


def need(ofd, part, node, path):
    found = node.find(path.replace("ofd:", NS)) if node is not None else None
    if found is None:
        problem(ofd, f"{part}: required {path} missing")
    return found


def box(text):
    parts = (text or "").split()
    return len(parts) == 4 and all(re.fullmatch(r"-?\d+(\.\d+)?", p) for p in parts)


def pdf_pages_text(pdf):
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                               check=True).stdout, re.M).group(1))
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    per_page = text.split("\f")[:pages]
    return pages, ["".join(t.split()) for t in per_page]


def check(run, ofd):
    rel = ofd.relative_to(run)
    result = {"ofd": str(ofd), "pages": [], "fonts": {}, "objectFonts": []}
    with zipfile.ZipFile(ofd) as zf:
        names = set(zf.namelist())
        for name in names:
            if name.endswith(".xml"):
                parse(rel, zf, name)  # well-formed, OFD namespace
        root = parse(rel, zf, "OFD.xml")
        if root is None:
            return None
        if root.get("Version") != "1.0" or root.get("DocType") != "OFD":
            problem(rel, "OFD.xml: Version 1.0 and DocType OFD expected")
        body = need(rel, "OFD.xml", root, "ofd:DocBody")
        info = need(rel, "OFD.xml", body, "ofd:DocInfo")
        docid = need(rel, "OFD.xml", info, "ofd:DocID")
        if docid is not None and not re.fullmatch(r"[0-9a-f]{32}", docid.text or ""):
            problem(rel, "OFD.xml: DocID is not 32 hex digits")
        need(rel, "OFD.xml", info, "ofd:CreationDate")
        doc_root = need(rel, "OFD.xml", body, "ofd:DocRoot")
        if doc_root is None:
            return None
        doc_path = doc_root.text
        doc_dir = doc_path.rsplit("/", 1)[0]
        document = parse(rel, zf, doc_path)
        if document is None:
            return None
        common = need(rel, doc_path, document, "ofd:CommonData")
        max_id = need(rel, doc_path, common, "ofd:MaxUnitID")
        max_id = int(max_id.text) if max_id is not None else 0
        physical = need(rel, doc_path, common, "ofd:PageArea/ofd:PhysicalBox")
        if physical is not None and not box(physical.text):
            problem(rel, f"{doc_path}: PhysicalBox {physical.text!r}")
        ids = set()
        font_ids = set()
        for res_loc in common.findall(NS + "PublicRes") + common.findall(NS + "DocumentRes"):
            res_path = f"{doc_dir}/{res_loc.text}"
            res = parse(rel, zf, res_path)
            if res is None:
                continue
            base = res.get("BaseLoc", "")
            for font in res.iter(NS + "Font"):
                fid = font.get("ID")
                if not font.get("FontName"):
                    problem(rel, f"{res_path}: Font {fid} without FontName")
                file_node = need(rel, res_path, font, "ofd:FontFile")
                if file_node is None:
                    continue
                font_path = f"{doc_dir}/{base}/{file_node.text}" if base else f"{doc_dir}/{file_node.text}"
                if font_path not in names:
                    problem(rel, f"{res_path}: FontFile {font_path} missing")
                    continue
                data = zf.read(font_path)
                if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
                    problem(rel, f"{font_path} is not a TrueType font")
                font_ids.add(fid)
                ids.add(fid)
                result["fonts"][fid] = base64.b64encode(data).decode()
        pages = need(rel, doc_path, document, "ofd:Pages")
        for page in pages.findall(NS + "Page") if pages is not None else []:
            ids.add(page.get("ID"))
            page_path = f"{doc_dir}/{page.get('BaseLoc')}"
            content = parse(rel, zf, page_path)
            if content is None:
                continue
            text = []
            object_fonts = {}
            for layer in content.iter(NS + "Layer"):
                ids.add(layer.get("ID"))
                for obj in layer:
                    oid = obj.get("ID")
                    if oid is None or oid in ids:
                        problem(rel, f"{page_path}: object without a unique ID ({oid})")
                    ids.add(oid)
                    if not box(obj.get("Boundary")):
                        problem(rel, f"{page_path}: object {oid} Boundary {obj.get('Boundary')!r}")
                    if obj.tag == NS + "TextObject":
                        if obj.get("Font") not in font_ids:
                            problem(rel, f"{page_path}: TextObject {oid} names font {obj.get('Font')} not declared")
                        if not obj.get("Size"):
                            problem(rel, f"{page_path}: TextObject {oid} without Size")
                        codes = obj.findall(NS + "TextCode")
                        if not codes:
                            problem(rel, f"{page_path}: TextObject {oid} without TextCode")
                        for code in codes:
                            text.append(code.text or "")
                        object_fonts[oid] = obj.get("Font")
                    elif obj.tag == NS + "PathObject":
                        need(rel, page_path, obj, "ofd:AbbreviatedData")
                    else:
                        problem(rel, f"{page_path}: unexpected {obj.tag}")
            result["pages"].append("".join("".join(text).split()))
            result["objectFonts"].append(object_fonts)
        numeric = [int(i) for i in ids if i is not None]
        if numeric and max(numeric) > max_id:
            problem(rel, f"{doc_path}: MaxUnitID {max_id} below the largest ID {max(numeric)}")
    pdf = ofd.with_suffix(".pdf")
    if not pdf.exists():
        problem(rel, "no PDF beside it")
        return result
    pdf_count, pdf_text = pdf_pages_text(pdf)
    result["pdf"] = str(pdf)
    result["pdfText"] = pdf_text
    if pdf_count != len(result["pages"]):
        problem(rel, f"{len(result['pages'])} pages, its PDF {pdf_count}")
    for i, (a, b) in enumerate(zip(result["pages"], pdf_text)):
        if a != b:
            at = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
            problem(rel, f"page {i + 1}: text differs from the PDF's at character {at}: "
                         f"OFD {a[at:at + 20]!r}, PDF {b[at:at + 20]!r}")
    return result


def main():
    run, cases_path, png_dir, dpi = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    chosen = set(sys.argv[5:])
    ofds = sorted(run.rglob("*.ofd"))
    if not ofds:
        print(f"no .ofd files under {run}")
        return 1
    cases = []
    for ofd in ofds:
        result = check(run, ofd)
        if result is None or str(ofd.relative_to(run)) not in chosen:
            continue
        png_dir.mkdir(parents=True, exist_ok=True)
        prefix = png_dir / f"case{len(cases)}"
        subprocess.run(["pdftoppm", "-r", dpi, "-png", result["pdf"], str(prefix)], check=True)
        result["pdfPngs"] = sorted(str(p) for p in png_dir.glob(f"case{len(cases)}-*.png"))
        cases.append(result)
    missing = chosen - {str(Path(c["ofd"]).relative_to(run)) for c in cases}
    for name in sorted(missing):
        problems.append(f"{name}: asked for but not in the run")
    cases_path.write_text(json.dumps(cases, ensure_ascii=False))
    print(f"structure: {len(ofds)} OFD files checked, {len(cases)} cases for the browser")
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
