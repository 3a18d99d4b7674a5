#!/usr/bin/python3
"""Runs jixiao and the peer generators on one generated data set, measures them, checks their
output and prints one comparison table (plus bench/work/results-N.json).

jixiao runs three times with the same --jobs: --documents table-pdf (the reference for typst.ts,
which renders the table PDF), --documents table-pdf,table-xlsx (the reference for ReportLab +
XlsxWriter and pdfmake + exceljs, which render the table PDF and XLSX) and the full batch, shown
for context without a ratio.

Called by bench/run, which installs the tools and generates the data first. Standard library
only, so that it runs with Debian's /usr/bin/python3 and nothing else.

What is measured, per tool:
  seconds      wall time from starting the tool to the exit of its last process, so interpreter
               start-up, font loading and (for jixiao) reading and scoring the CSV data count.
  peak RSS     "Maximum resident set size" from /usr/bin/time -v. jixiao is one process with a
               thread pool; a peer runs as J processes side by side, and its figure is the SUM
               of their maxima (they run over the same period, so this is the memory the peer
               needs for J workers; the largest single process is kept in the JSON too).
  first doc    seconds from start until the first finished .pdf appears in the output folder,
               found by polling the folder every 5 ms (jixiao writes to a hidden temporary name
               and renames, so a visible .pdf is complete; peers write in place, so theirs is
               the moment the file is created).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import limit

TABLE_KIND = "项目支出绩效自评表"  # manifest kind of jixiao's per-project table (PDF and XLSX)
REPORT_KIND = "绩效自评报告"
ALWAYS_WRITTEN = {("评分结果", "json")}  # results.json: every jixiao run writes it, whatever --documents says

# jixiao runs three times on the same data with the same --jobs: twice rendering only what the
# peers render (the like-for-like references for the speed ratios), once the whole batch for context.
# "kinds": the (manifest kind, extension) pairs the run may write; None: anything.
JIXIAO_RUNS = [
    {"tool": "jixiao-table-pdf", "label": "jixiao table-pdf", "documents": "table-pdf", "renders": "table PDF",
     "xlsx": False, "kinds": {(TABLE_KIND, "pdf")}},
    {"tool": "jixiao-table-pdf-xlsx", "label": "jixiao table-pdf,table-xlsx", "documents": "table-pdf,table-xlsx",
     "renders": "table PDF+XLSX", "xlsx": True, "kinds": {(TABLE_KIND, "pdf"), (TABLE_KIND, "xlsx")}},
    {"tool": "jixiao-all", "label": "jixiao all", "documents": None,
     "renders": "all: table PDF+XLSX, report PDF, dept tables+letters, summary", "xlsx": True, "kinds": None},
]
JX = {r["tool"]: r for r in JIXIAO_RUNS}
FULL = "jixiao-all"

# "against": the jixiao run that renders the same documents as the peer; its ratio is taken against that run.
PEERS = {
    "rl": {"label": "ReportLab+XlsxWriter", "renders": "table PDF+XLSX", "script": "rl_peer.py",
           "prefix": "rl_", "xlsx": True, "against": "jixiao-table-pdf-xlsx"},
    "typst": {"label": "typst.ts", "renders": "table PDF", "script": "typst_peer.js",
              "prefix": "ty_", "xlsx": False, "against": "jixiao-table-pdf"},
    "pdfmake": {"label": "pdfmake+exceljs", "renders": "table PDF+XLSX", "script": "pdfmake_peer.js",
                "prefix": "pm_", "xlsx": True, "against": "jixiao-table-pdf-xlsx"},
}
# Run (and print) each jixiao reference right before the peers compared with it, the full batch last.
ORDER = ["jixiao-table-pdf", "typst", "jixiao-table-pdf-xlsx", "rl", "pdfmake", FULL]
SAMPLE = 20  # outputs checked per tool when N > 200
FLOOR_N = 25  # projects of the run whose peak RSS is the memory floor
BASE14 = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
          "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
          "Times-BoldItalic", "Symbol", "ZapfDingbats"}


def parse_time_v(path):
    """Reads what /usr/bin/time -v wrote: peak RSS (KiB), CPU seconds and exit status."""
    out = {"maxrss_kb": 0, "cpu_s": 0.0, "exit": None}
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return out
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["maxrss_kb"] = int(m.group(1))
    for key in ("User time", "System time"):
        m = re.search(key + r" \(seconds\): ([\d.]+)", text)
        if m:
            out["cpu_s"] += float(m.group(1))
    m = re.search(r"Exit status: (\d+)", text)
    if m:
        out["exit"] = int(m.group(1))
    elif "Command terminated by signal" in text:
        out["exit"] = -1
    return out


def first_pdf(folder):
    """True when a finished (not hidden/temporary) .pdf exists in folder or one level below."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    subdirs = []
    for e in entries:
        if e.name.startswith("."):
            continue
        if e.name.endswith(".pdf"):
            return True
        if e.is_dir():
            subdirs.append(e.path)
    for d in subdirs:
        try:
            if any(x.name.endswith(".pdf") and not x.name.startswith(".") for x in os.scandir(d)):
                return True
        except OSError:
            pass
    return False


def busy_cpu_seconds():
    """CPU seconds the whole machine has spent busy (all processes) since boot, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal ...: everything but idle and iowait
    return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def measure(cmds, out_dir, log_dir, name):
    """Starts every command at once under /usr/bin/time -v, waits for all of them, and returns
    wall time, time to the first PDF, per-process time -v figures and their stdout lines."""
    os.makedirs(log_dir, exist_ok=True)
    procs = []
    busy0 = busy_cpu_seconds()
    t0 = time.perf_counter()
    for i, cmd in enumerate(cmds):
        tv = os.path.join(log_dir, f"{name}.{i}.time")
        log = open(os.path.join(log_dir, f"{name}.{i}.log"), "wb")
        procs.append((subprocess.Popen(["/usr/bin/time", "-v", "-o", tv] + cmd, stdout=log,
                                       stderr=subprocess.STDOUT), tv, log))
    first = None
    while first is None and any(p.poll() is None for p, _, _ in procs):
        if first_pdf(out_dir):
            first = time.perf_counter() - t0
            break
        time.sleep(0.005)
    for p, _, _ in procs:
        p.wait()
    wall = time.perf_counter() - t0
    busy1 = busy_cpu_seconds()
    if first is None and first_pdf(out_dir):
        first = wall  # finished between two polls: the best bound we have
    runs = []
    for i, (p, tv, log) in enumerate(procs):
        log.close()
        figures = parse_time_v(tv)
        text = open(log.name, encoding="utf-8", errors="replace").read()
        figures["returncode"] = p.returncode
        figures["last_line"] = text.strip().splitlines()[-1] if text.strip() else ""
        figures["log"] = log.name
        runs.append(figures)
    # What else kept the CPUs busy meanwhile (other users' builds, say), in CPUs on average.
    other = None
    if busy0 is not None and busy1 is not None:
        other = max(0.0, (busy1 - busy0 - sum(r["cpu_s"] for r in runs)) / wall)
    return wall, first, runs, other


# On ext4 without a journal (as on the machines this bench was written on), every file created in
# the minutes after a removal first walks past the inodes freed in that time (fs/ext4/ialloc.c,
# recently_deleted: 60 s after the removal, 360 s while the inode table block is unwritten, which
# new files next to the freed ones keep it). Whichever tool runs then pays for files it never had:
# jixiao's PDF+XLSX run at 2,000 projects took 0.3 s of system time on a settled disk and 1.0-1.8 s
# after 4,000-12,000 files had been removed. So the bench notes when it removes outputs, and waits
# until such a removal is 6 minutes old before it measures.
RECENTLY_REMOVED_S = 360


def remove(paths, work):
    """rm -rf each path; notes the time in work/.removed-at when one existed."""
    existing = [p for p in paths if os.path.lexists(p)]
    if existing:
        subprocess.run(["rm", "-rf"] + existing, check=True)
        with open(os.path.join(work, ".removed-at"), "w") as f:
            f.write(f"{time.time():.0f}\n")


def ext4_without_journal(path):
    """True when path is on ext4 mounted without a journal (no /proc/fs/jbd2 entry for its device)."""
    rc, out, _ = run_cmd(["findmnt", "-n", "-o", "FSTYPE,SOURCE", "--target", path])
    fields = out.split()
    if rc != 0 or len(fields) < 2 or fields[0] != "ext4":
        return False
    device = os.path.basename(os.path.realpath(fields[1]))
    try:
        journals = os.listdir("/proc/fs/jbd2")
    except OSError:
        journals = []
    return not any(j.startswith(device + "-") for j in journals)


def settle(work):
    """Waits until the bench's last removal of outputs is RECENTLY_REMOVED_S old (ext4 without a journal)."""
    try:
        removed_at = float(open(os.path.join(work, ".removed-at")).read())
    except (OSError, ValueError):
        return
    wait = removed_at + RECENTLY_REMOVED_S - time.time()
    if wait > 0 and ext4_without_journal(work):
        print(f"== waiting {wait:.0f} s: the last outputs were removed {RECENTLY_REMOVED_S - wait:.0f} s ago, and on ext4"
              " without a journal new files are slower to create for 6 minutes after a removal", flush=True)
        time.sleep(wait)


def run_cmd(args):
    r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")


def squash(s):
    return re.sub(r"\s+", "", s)


def check_pdf(path, name):
    """Page count >= 1, every font embedded, the project name in the extracted text."""
    problems = []
    rc, out, err = run_cmd(["pdfinfo", path])
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    pages = int(m.group(1)) if m else 0
    if rc != 0 or pages < 1:
        problems.append(f"pdfinfo: {pages} pages (rc {rc}) {err.strip()[:120]}")
    rc, out, err = run_cmd(["pdffonts", path])
    rows = out.splitlines()
    sep = next((i for i, l in enumerate(rows) if l.startswith("---")), None)
    fonts = [l for l in rows[sep + 1:] if l.strip()] if sep is not None else []
    # Columns end with: emb sub uni object-number generation; names and types may hold spaces.
    not_embedded = [l.split()[0] for l in fonts if len(l.split()) >= 5 and l.split()[-5] != "yes"]
    # The standard 14 fonts need no embedding (every PDF reader has them); ReportLab lists an
    # unused Helvetica on every page. Any other font, the CJK one above all, must be embedded.
    base14 = sorted({f for f in not_embedded if f in BASE14})
    not_embedded = [f for f in not_embedded if f not in BASE14]
    if rc != 0 or not fonts:
        problems.append(f"pdffonts: no fonts listed (rc {rc}) {err.strip()[:120]}")
    elif not_embedded:
        problems.append("pdffonts: not embedded: " + ", ".join(not_embedded))
    elif len(base14) == len(fonts):
        problems.append("pdffonts: only standard-14 fonts, none embedded")
    rc, out, err = run_cmd(["pdftotext", "-enc", "UTF-8", path, "-"])
    if rc != 0 or squash(name) not in squash(out):
        problems.append(f"pdftotext: project name {name!r} not found (rc {rc})")
    return pages, base14, problems


def check_xlsx(path, name):
    """A zip with xl/workbook.xml whose sheets or shared strings hold the project name."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "xl/workbook.xml" not in names:
                return ["xlsx: no xl/workbook.xml"]
            bad = z.testzip()
            if bad:
                return [f"xlsx: damaged member {bad}"]
            parts = [n for n in names if n == "xl/sharedStrings.xml" or n.startswith("xl/worksheets/")]
            if not any(name in z.read(n).decode("utf-8", "replace") for n in parts):
                return [f"xlsx: project name {name!r} not found"]
    except (OSError, zipfile.BadZipFile) as e:
        return [f"xlsx: cannot open as zip ({e})"]
    return []


def sample_indices(n):
    if n <= 200:
        return list(range(n))
    return sorted({i * n // SAMPLE for i in range(SAMPLE)} | {n - 1})


def check_outputs(projects, pdfs, xlsxs, want_xlsx):
    """Checks that every project has its files and checks a sample of them in depth."""
    failures, pages, base14 = [], [], set()
    missing_pdf = [p["code"] for p in projects if p["code"] not in pdfs]
    if missing_pdf:
        failures.append(f"{len(missing_pdf)} of {len(projects)} project PDFs missing (first: {missing_pdf[0]})")
    if want_xlsx:
        missing_x = [p["code"] for p in projects if p["code"] not in xlsxs]
        if missing_x:
            failures.append(f"{len(missing_x)} of {len(projects)} project XLSX missing (first: {missing_x[0]})")

    def one(p):
        msgs, pg, b14 = [], 0, []
        if p["code"] in pdfs:
            pg, b14, probs = check_pdf(pdfs[p["code"]], p["name"])
            msgs += probs
        if want_xlsx and p["code"] in xlsxs:
            msgs += check_xlsx(xlsxs[p["code"]], p["name"])
        return p["code"], pg, b14, msgs

    sample = [projects[i] for i in sample_indices(len(projects))]
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as ex:
        for code, pg, b14, msgs in ex.map(one, sample):
            if pg:
                pages.append(pg)
            base14.update(b14)
            failures += [f"{code}: {m}" for m in msgs]
    return {"failures": failures, "checked": len(sample), "pages_median": statistics.median(pages) if pages else None,
            "unembedded_standard_fonts": sorted(base14)}


def peer_files(out_dir, prefix):
    pdfs, xlsxs = {}, {}
    for e in os.scandir(out_dir) if os.path.isdir(out_dir) else []:
        if e.name.startswith(prefix):
            stem, ext = os.path.splitext(e.name[len(prefix):])
            if ext == ".pdf":
                pdfs[stem] = e.path
            elif ext == ".xlsx":
                xlsxs[stem] = e.path
    return pdfs, xlsxs


def jixiao_files(out_dir, allowed):
    """Per-project table PDF/XLSX by project code, from manifest.json; report PDF sizes; files and
    bytes by "kind ext"; and problems: listed files missing or of another size, and (when allowed
    is a set of (kind, ext)) files of a kind the run was not asked to render."""
    pdfs, xlsxs, report_bytes, kinds, paths = {}, {}, [], {}, {}
    problems, unexpected = [], {}
    try:
        manifest = json.load(open(os.path.join(out_dir, "manifest.json"), encoding="utf-8"))
    except (OSError, ValueError) as e:
        return pdfs, xlsxs, report_bytes, kinds, paths, [f"manifest.json unreadable ({e})"]
    for f in manifest.get("files", []):
        path = os.path.join(out_dir, f["path"])
        base = os.path.basename(f["path"])
        code = base.split("_", 1)[0]
        kind, ext = f.get("kind", "?"), os.path.splitext(base)[1][1:]
        if kind == TABLE_KIND and ext == "pdf":
            pdfs[code] = path
        elif kind == TABLE_KIND and ext == "xlsx":
            xlsxs[code] = path
        elif kind == REPORT_KIND and ext == "pdf":
            report_bytes.append(f["bytes"])
        k = kinds.setdefault(f"{kind} {ext}", {"files": 0, "bytes": 0})
        k["files"] += 1
        k["bytes"] += f["bytes"]
        paths.setdefault(f"{kind} {ext}", []).append(path)
        if allowed is not None and (kind, ext) not in allowed | ALWAYS_WRITTEN:
            unexpected[f"{kind} {ext}"] = unexpected.get(f"{kind} {ext}", 0) + 1
        if not os.path.isfile(path):
            problems.append(f"manifest lists {f['path']} but it is not there")
        elif os.path.getsize(path) != f["bytes"]:
            problems.append(f"{f['path']}: {os.path.getsize(path)} bytes, manifest says {f['bytes']}")
    problems = problems[:10]
    if unexpected:
        problems.insert(0, "wrote documents it was not asked for: "
                        + ", ".join(f"{k} x{v}" for k, v in sorted(unexpected.items())))
    return pdfs, xlsxs, report_bytes, kinds, paths, problems


def sizes(paths):
    return [os.path.getsize(p) for p in paths]


def fmt(v, spec):
    return "-" if v is None else format(v, spec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--jixiao", required=True, help="the jixiao binary to measure")
    ap.add_argument("--resources", help="folder holding the templates/ and fonts/ the binary is to use")
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--jobs", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--date", required=True)
    ap.add_argument("--peers", default="rl,typst,pdfmake")
    ap.add_argument("--skip", action="append", default=[], help="peer:reason for a peer that could not be installed")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--deflate-tool", help="bench/deflate_rate.c built: times libdeflate for the physical limit")
    ap.add_argument("--floor-data", help="a dataset of a few projects: its full run's peak RSS is the memory floor")
    a = ap.parse_args()
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    env = {"cpus": os.cpu_count(), "jixiao_commit": run_cmd(["git", "-C", a.repo, "rev-parse", "HEAD"])[1].strip(),
           "jixiao_tree_dirty": bool(run_cmd(["git", "-C", a.repo, "status", "--porcelain", "--", "src"])[1].strip())}
    try:
        env["cpu_model"] = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass

    data = os.path.join(a.work, "data")
    projects = [{"code": p["code"], "name": p["name"]}
                for p in json.load(open(os.path.join(data, "bench.json"), encoding="utf-8"))]
    if len(projects) != a.n:
        sys.exit(f"bench/report.py: {data}/bench.json holds {len(projects)} projects, expected {a.n}")
    out_root = os.path.join(a.work, f"out-{a.n}")
    log_dir = os.path.join(a.work, f"logs-{a.n}")
    subprocess.run(["rm", "-rf", log_dir], check=True)
    remove([out_root], a.work)  # outputs kept by --keep, or left by an interrupted run
    os.makedirs(out_root)
    settle(a.work)
    os.sync()  # the generated data and the build on disk before the first run (see done_with)
    skipped = dict(s.split(":", 1) for s in a.skip)
    wanted = {p for p in a.peers.split(",") if p and p != "none"}
    J = a.jobs

    # Removing a tool's thousands of files is not free for the tool that runs next (see settle), so
    # the outputs of a checked tool are set aside in out-N/.done and removed after the last run,
    # unless the disk could not hold them (a 60,000-project run): then at once, as before, and the
    # tools after it pay for the removal (settle waits before the first run only). Then
    # everything is written out (sync) before the next tool starts, so that no tool's file system
    # calls wait on the write-back of another's outputs (jixiao's flush thread calls syncfs).
    set_aside = os.path.join(out_root, ".done")

    def done_with(out):
        """The checks are done: set the outputs aside (removed at the end) or remove them now."""
        if a.keep or not os.path.isdir(out):
            return
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(out) for f in files)
        if shutil.disk_usage(out_root).free > 4 * size + (2 << 30):
            os.makedirs(set_aside, exist_ok=True)
            os.rename(out, os.path.join(set_aside, os.path.basename(out)))
        else:
            remove([out], a.work)
        os.sync()

    def run_jixiao(spec):
        """One jixiao process, J render threads, on the CSV form of the same projects."""
        out = os.path.join(out_root, spec["tool"])
        print(f"== {spec['label']}: {a.n} projects, --jobs {J}", flush=True)
        cmd = [a.jixiao, "run", os.path.join(data, "dataset"), "-o", out, "--date", a.date, "--jobs", str(J)]
        if spec["documents"]:
            cmd += ["--documents", spec["documents"]]
        if a.resources:
            cmd += ["--templates", os.path.join(a.resources, "templates"), "--fonts", os.path.join(a.resources, "fonts")]
        wall, first, runs, other_load = measure([cmd], out, log_dir, spec["tool"])
        pdfs, xlsxs, report_bytes, kinds, paths, failures = jixiao_files(out, spec["kinds"])
        if runs[0]["returncode"] != 0:
            failures.insert(0, f"exit code {runs[0]['returncode']} (see {runs[0]['log']})")
        chk = check_outputs(projects, pdfs, xlsxs, spec["xlsx"])
        failures += chk.pop("failures")
        pdf_b, xlsx_b = sizes(pdfs.values()), sizes(xlsxs.values())
        bound = limit.estimate(paths, sum(v["files"] for v in kinds.values()),
                               sum(v["bytes"] for v in kinds.values()), J, a.deflate_tool, a.work)
        results_json = os.path.join(out, "results.json")
        results_bytes = os.path.getsize(results_json) if os.path.isfile(results_json) else 0
        done_with(out)
        return {
            "tool": spec["tool"], "limit": bound, "results_json_bytes": results_bytes, "label": spec["label"], "renders": spec["renders"], "command": cmd[1:],
            "documents": spec["documents"] or "all", "projects": a.n, "workers": J, "processes": 1,
            "seconds": wall, "other_cpu_load": other_load, "first_pdf_s": first, "cpu_s": runs[0]["cpu_s"],
            "rss_mb": runs[0]["maxrss_kb"] / 1024, "rss_max_process_mb": runs[0]["maxrss_kb"] / 1024,
            "pdf_bytes_median": statistics.median(pdf_b) if pdf_b else None,
            "xlsx_bytes_median": statistics.median(xlsx_b) if xlsx_b else None,
            "report_pdf_bytes_median": statistics.median(report_bytes) if report_bytes else None,
            "report_pdfs": len(report_bytes), "files_by_kind": kinds,
            **chk, "failures": failures, "valid": not failures, "last_line": runs[0]["last_line"],
        }

    def run_peer(key):
        """J processes of the peer side by side, process k rendering shard k/J."""
        peer = PEERS[key]
        base = {"tool": key, "label": peer["label"], "renders": peer["renders"], "compared_with": peer["against"]}
        if key in skipped:
            print(f"== {peer['label']}: not run ({skipped[key]})", flush=True)
            return {**base, "skipped": skipped[key]}
        out = os.path.join(out_root, key)
        script = os.path.join(a.repo, "bench", "peers", peer["script"])
        runner = ["/usr/bin/python3"] if script.endswith(".py") else ["node"]
        print(f"== {peer['label']}: {a.n} projects, {J} processes", flush=True)
        cmds = [runner + [script, os.path.join(data, "bench.json"), out, f"{k}/{J}"] for k in range(J)]
        wall, first, runs, other_load = measure(cmds, out, log_dir, key)
        failures = [f"process {i} exit code {r['returncode']} (see {r['log']})"
                    for i, r in enumerate(runs) if r["returncode"] != 0]
        pdfs, xlsxs = peer_files(out, peer["prefix"])
        chk = check_outputs(projects, pdfs, xlsxs, peer["xlsx"])
        failures += chk.pop("failures")
        pdf_b, xlsx_b = sizes(pdfs.values()), sizes(xlsxs.values())
        done_with(out)
        return {
            **base, "projects": a.n, "workers": J, "processes": J, "seconds": wall, "other_cpu_load": other_load,
            "first_pdf_s": first, "cpu_s": sum(r["cpu_s"] for r in runs),
            "rss_mb": sum(r["maxrss_kb"] for r in runs) / 1024,
            "rss_max_process_mb": max(r["maxrss_kb"] for r in runs) / 1024,
            "pdf_bytes_median": statistics.median(pdf_b) if pdf_b else None,
            "xlsx_bytes_median": statistics.median(xlsx_b) if xlsx_b else None,
            **chk, "failures": failures, "valid": not failures,
            "peer_lines": [r["last_line"] for r in runs],
        }

    results = [run_jixiao(JX[key]) if key in JX else run_peer(key) for key in ORDER if key in JX or key in wanted]

    # The memory floor: a full run of a few projects (program, fonts, one document per worker).
    floor_mb = None
    if a.floor_data:
        out = os.path.join(out_root, "jixiao-floor")
        cmd = [a.jixiao, "run", a.floor_data, "-o", out, "--date", a.date, "--jobs", str(J)]
        if a.resources:
            cmd += ["--templates", os.path.join(a.resources, "templates"), "--fonts", os.path.join(a.resources, "fonts")]
        _, _, floor_runs, _ = measure([cmd], out, log_dir, "jixiao-floor")
        if floor_runs[0]["returncode"] == 0:
            floor_mb = floor_runs[0]["maxrss_kb"] / 1024
        done_with(out)
    ran = [r for r in results if "seconds" in r]
    for r in ran:
        r["projects_per_s"] = r["projects"] / r["seconds"]
        r["ms_per_project"] = 1000 * r["seconds"] / r["projects"]
        r["cpu_ms_per_project"] = 1000 * r["cpu_s"] / r["projects"]

    by = {r["tool"]: r for r in results}
    full = by[FULL]
    peers = [r for r in results if r["tool"] in PEERS]
    # Each peer against the jixiao run that renders the same documents.
    for r in peers:
        ref = by[r["compared_with"]]
        if "seconds" in r and r["valid"] and ref["valid"]:
            r["jixiao_speed_ratio"] = ref["projects_per_s"] / r["projects_per_s"]
            if r["pdf_bytes_median"] and ref["pdf_bytes_median"]:
                r["jixiao_pdf_bytes_ratio"] = ref["pdf_bytes_median"] / r["pdf_bytes_median"]
            r["jixiao_rss_ratio"] = ref["rss_mb"] / r["rss_mb"] if r["rss_mb"] else None
            # CPU seconds per project suffer less than wall time when other work shares the machine.
            r["jixiao_cpu_ratio"] = ref["cpu_s"] / r["cpu_s"] if r["cpu_s"] else None

    # ---- print
    print()
    print(f"N = {a.n} projects (seed {a.seed}), {J} workers per tool, {os.cpu_count()} CPUs;"
          " one invocation, runs one after another in the order below")
    head = ["tool / run", "what it renders", "projects", "seconds", "projects/s", "ms/project", "peak RSS MB",
            "bytes/PDF (median)", "jixiao speed ratio (vs which jixiao run)"]
    referenced = {r["compared_with"] for r in peers if "seconds" in r}
    rows = []
    for r in results:
        if "skipped" in r:
            rows.append([r["label"], r["renders"], "not run: " + r["skipped"], "", "", "", "", "", ""])
            continue
        label = r["label"] + ("" if r["valid"] else " INVALID")
        if r["tool"] in PEERS:
            ref = JX[r["compared_with"]]["label"]
            ratio = (f"{r['jixiao_speed_ratio']:.2f}x vs {ref}" if "jixiao_speed_ratio" in r
                     else f"- (vs {ref}: an output is invalid)")
        elif r["tool"] == FULL:
            ratio = "- (context, no ratio)"
        else:
            ratio = "1.00 (reference)" if r["tool"] in referenced else "- (its peer not run)"
        rss = f"{r['rss_mb']:.0f}" + (f" (sum of {r['processes']})" if r["processes"] > 1 else "")
        rows.append([label, r["renders"], str(r["projects"]), f"{r['seconds']:.2f}", f"{r['projects_per_s']:.1f}",
                     f"{r['ms_per_project']:.1f}", rss, fmt(r["pdf_bytes_median"], ",.0f"), ratio])
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"
    print(line(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))
    print()
    print("What the numbers include:")
    print("- seconds: wall time of the whole tool run, start-up included; projects/s = projects / seconds;"
          " ms/project = 1000 * seconds / projects (wall time with all workers busy, not CPU time).")
    print(f"- jixiao runs three times, each one process with --jobs {J} on the CSV form of the same projects:"
          " `jixiao run DATA -o OUT --date D --jobs J` plus --documents table-pdf, plus --documents table-pdf,table-xlsx,"
          " and without --documents (all). Each run's time also reads/checks/scores the data and writes results.json"
          " and manifest.json.")
    if "seconds" in full:
        shown = {f"{TABLE_KIND} pdf", f"{TABLE_KIND} xlsx", f"{REPORT_KIND} pdf"} | {f"{k} {e}" for k, e in ALWAYS_WRITTEN}
        extra = {k: v for k, v in full["files_by_kind"].items() if k not in shown}
        print(f"  jixiao all also renders a report PDF per project (median {fmt(full.get('report_pdf_bytes_median'), ',.0f')} B,"
              f" {full.get('report_pdfs', 0)} files) and: "
              + ", ".join(f"{k} x{v['files']}" for k, v in sorted(extra.items()))
              + f"; {sum(v['bytes'] for v in full['files_by_kind'].values()) / 1e6:.1f} MB in all.")
    print("- ratios: each peer against the jixiao run that renders the same documents: typst.ts vs jixiao table-pdf;"
          " ReportLab+XlsxWriter and pdfmake+exceljs vs jixiao table-pdf,table-xlsx. jixiao all has no ratio.")
    print(f"- bytes/PDF: median over every project's table PDF (jixiao: {TABLE_KIND} only; report PDFs not counted).")
    print(f"- peak RSS: /usr/bin/time -v maximum resident set size; peers run {J} processes (K/{J} shards) side by side"
          " and the figure is the sum of their maxima.")
    print("- time to first document (poll of the output folder every 5 ms): "
          + ", ".join(f"{r['label']} {fmt(r['first_pdf_s'], '.3f')} s" for r in ran))
    if not a.keep:
        print("- each tool's outputs were set aside after its checks and removed after the last run (or at once when"
              " the disk was short), then sync: removing thousands of files slows the file creation of whatever runs"
              " next on ext4 without a journal, and the bench waits until its last removal is 6 minutes old before the first run")
    loads = [r for r in ran if r["other_cpu_load"] is not None]
    print("- other load during each run (CPUs kept busy by other processes, from /proc/stat): "
          + ", ".join(f"{r['label']} {r['other_cpu_load']:.2f}" for r in loads))
    if any(r["other_cpu_load"] > 0.25 for r in loads):
        print("  WARNING: the machine was not idle, so the times are slowed by other work"
              + (" and the runs did not get the same CPUs: the ratios are unreliable." if len(loads) > 1 else ".")
              + " Re-run on an idle machine; CPU per project (below) suffers less.")
    print("- CPU ms/project (user+sys): " + ", ".join(f"{r['label']} {r['cpu_ms_per_project']:.1f}" for r in ran))
    print("- checks before a number counts: every project has its PDF (and XLSX); on all outputs when N <= 200,"
          f" else on {SAMPLE} spread over the run plus the last: pdfinfo pages >= 1, pdffonts every font embedded"
          " (standard-14 fonts excepted), pdftotext holds the project name; XLSX opens as a zip with xl/workbook.xml"
          " and holds the name. jixiao: every file in manifest.json is there with its size, and a table-only run"
          " wrote no other documents.")
    for r in ran:
        extra = (f"; unembedded standard-14 fonts referenced: {', '.join(r['unembedded_standard_fonts'])}"
                 if r["unembedded_standard_fonts"] else "")
        print(f"  {r['label']}: {'ok' if r['valid'] else 'FAILED'} on {r['checked']} checked,"
              f" median {fmt(r['pages_median'], 'g')} pages per table PDF{extra}")
    for r in ran:
        if r["failures"]:
            print(f"  {r['label']} failures ({len(r['failures'])}):")
            for f in r["failures"][:10]:
                print(f"    {f}")
            if len(r["failures"]) > 10:
                print(f"    ... {len(r['failures']) - 10} more in results-{a.n}.json")
    print("- distance to the physical limit (bench/limit.py: deflating what the outputs must hold with libdeflate"
          " level 6, timed here on a sample of them, shared bytes once, plus creating/writing/renaming the files,"
          f" split over {J} workers; not counted: input parsing, scoring, layout, subsetting, PDF objects, SHA-256):")
    for r in ran:
        if r["tool"] not in JX:
            continue
        b = r.get("limit")
        if not b:
            print(f"  {r['label']}: limit not measured (bench/work/bin/deflate_rate missing)")
            continue
        print(f"  {r['label']}: {r['seconds']:.2f} s, limit {b['seconds']:.2f} s ({a.n / b['seconds']:.0f} projects/s):"
              f" {r['seconds'] / b['seconds']:.1f}x the limit; deflate {b['deflate_bytes'] / 1e6:.0f} MB at"
              f" {b['deflate_rate_mb_s']:.0f} MB/s = {b['deflate_s']:.2f} s, writes {b['writes_s']:.2f} s;"
              f" the rest ({max(0.0, r['seconds'] - b['seconds']):.2f} s) is parsing, scoring, layout, PDF/XLSX"
              " object writing, libxlsxwriter's own zlib and waiting for the CPU")
    if floor_mb is not None:
        floor_n = floor_mb + full.get("results_json_bytes", 0) / 2**20
        print(f"  memory: jixiao all peak {full['rss_mb']:.0f} MB; floor {floor_n:.0f} MB = a {FLOOR_N}-project run's peak"
              f" {floor_mb:.0f} MB + the scores the summary needs (results.json, {full.get('results_json_bytes', 0) / 2**20:.0f} MB):"
              f" {full['rss_mb'] / floor_n:.1f}x the floor")
    ratios = [r for r in peers if "jixiao_speed_ratio" in r]
    if ratios:
        print("- jixiao / peer: " + "; ".join(
            f"{r['label']} (vs {JX[r['compared_with']]['label']}): speed {r['jixiao_speed_ratio']:.2f}x,"
            f" PDF bytes {fmt(r.get('jixiao_pdf_bytes_ratio'), '.2f')}x, peak RSS {fmt(r.get('jixiao_rss_ratio'), '.2f')}x,"
            f" CPU per project {fmt(r.get('jixiao_cpu_ratio'), '.2f')}x" for r in ratios))
        print("  (speed: higher is better for jixiao; bytes, RSS and CPU: lower is better)")

    # ---- targets
    targets = []

    def target(name, ok, value, note=""):
        status = "n/a" if ok is None else ("PASS" if ok else "FAIL")
        targets.append({"target": name, "status": status, "value": value, "note": note})

    def speed_target(key, want):
        peer = PEERS[key]
        ref = JX[peer["against"]]["label"]
        name = f"{ref} projects/s >= {want}x {peer['label']}'s ({peer['renders']})"
        r = by.get(key)
        if not by[peer["against"]]["valid"]:
            target(name, None, f"{ref} output invalid")
        elif r is None or "jixiao_speed_ratio" not in r:
            target(name, None, "peer not run" if r is None or "skipped" in r else "peer output invalid")
        else:
            b = by[peer["against"]].get("limit")
            note = f"CPU per project {1 / r['jixiao_cpu_ratio']:.2f}x" if r.get("jixiao_cpu_ratio") else ""
            if b:
                note += f"; at the physical limit it would be {r['seconds'] / b['seconds']:.0f}x"
            target(name, r["jixiao_speed_ratio"] >= want, f"{r['jixiao_speed_ratio']:.2f}x", note)

    speed_target("typst", 4)
    speed_target("rl", 10)
    if full["valid"]:
        b = full.get("limit")
        target("jixiao all >= 300 projects/s at 2,000 projects", full["projects_per_s"] >= 300 if a.n >= 2000 else None,
               f"{full['projects_per_s']:.0f} projects/s at N={a.n}",
               ("" if a.n >= 2000 else "decided only at N >= 2,000; ")
               + (f"physical limit {a.n / b['seconds']:.0f} projects/s" if b else "limit not measured"))
    else:
        target("jixiao all >= 300 projects/s at 2,000 projects", None, "jixiao all output invalid")
    # Bytes of the table PDF: from the PDF+XLSX run (the one compared with ReportLab), else the PDF-only run.
    jx_pdf = next((by[k] for k in ("jixiao-table-pdf-xlsx", "jixiao-table-pdf") if by[k]["valid"]), None)
    rl = by.get("rl")
    if jx_pdf and rl and rl.get("valid") and rl.get("pdf_bytes_median") and jx_pdf["pdf_bytes_median"]:
        target("PDF bytes <= ReportLab's (median table PDF)", jx_pdf["pdf_bytes_median"] <= rl["pdf_bytes_median"],
               f"{jx_pdf['pdf_bytes_median']:,.0f} vs {rl['pdf_bytes_median']:,.0f}", f"from {jx_pdf['label']}")
    else:
        target("PDF bytes <= ReportLab's (median table PDF)", None, "jixiao or ReportLab not valid / not run")
    # Decided only at 20,000 projects or more: memory may grow with N, so a smaller run proves nothing.
    floor_note = (f"; floor {floor_mb + full.get('results_json_bytes', 0) / 2**20:.0f} MB" if floor_mb is not None else "")
    for want_n, want_mb in ((20000, 300), (60000, 400)):
        decided = want_n <= a.n < 60000 if want_n == 20000 else a.n >= want_n
        target(f"jixiao peak RSS < {want_mb} MB at {want_n:,} projects", full["rss_mb"] < want_mb if full["valid"] and decided else None,
               f"{full['rss_mb']:.0f} MB at N={a.n}", "jixiao all" + floor_note
               + ("" if decided else f"; decided only by bench/run {want_n} --peers none"))
    first = full["first_pdf_s"]
    target("jixiao time to first document < 0.5 s", (first is not None and first < 0.5) if full["valid"] else None,
           f"{fmt(first, '.3f')} s", "jixiao all, polled output folder; "
           + ", ".join(f"{by[k]['label']} {fmt(by[k]['first_pdf_s'], '.3f')} s" for k in JX if k != FULL))
    print()
    print("Targets:")
    for t in targets:
        print(f"  {t['status']:<4}  {t['target']}: {t['value']}" + (f"  ({t['note']})" if t["note"] else ""))

    out_json = os.path.join(a.work, f"results-{a.n}.json")
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump({"n": a.n, "jobs": J, "seed": a.seed, "date": a.date, "started": started,
                   "environment": env, "tools": results, "targets": targets}, f, ensure_ascii=False, indent=1)
    print(f"\nWrote {os.path.relpath(out_json, a.repo)}" + ("" if a.keep else f"; outputs removed (--keep keeps {os.path.relpath(out_root, a.repo)})"))
    if not a.keep:
        remove([out_root], a.work)


if __name__ == "__main__":
    main()
