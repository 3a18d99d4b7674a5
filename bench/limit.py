"""The physical limit of a jixiao run on this machine, estimated from its own outputs (used by
bench/report.py; standard library only).

A run cannot be faster than the work its output forces on it:
  deflate   every compressed stream of the outputs (PDF FlateDecode streams, XLSX/DOCX zip
            members) must be deflated; bytes that are the same in every document of a kind
            (constant parts, the leading bytes a stream shares with the same stream of another
            document, such as the glyph outlines of a form's fixed text) only once. Timed
            here with the fastest deflate available (libdeflate level 6, bench/deflate_rate.c)
            on the per-document bytes of a sample, scaled to all documents.
  writes    creating, writing and renaming that many files of those sizes, timed here.
Both split over the run's workers. Not counted (so the true limit is higher): reading and
parsing the input, scoring, layout, font subsetting, PDF object writing, the manifest's SHA-256.

Memory: what a run must hold at once is the scores the summary and results.json are made of
(results.json's size stands for them) on top of a small run's peak (program, fonts, one
document per worker).
"""
import os
import statistics
import struct
import subprocess
import tempfile
import time
import zipfile
import zlib

SAMPLE_PER_KIND = 12


def payloads(path):
    """The uncompressed bytes of every deflated stream of a PDF, or of every deflated member of
    a zip (XLSX, DOCX), in file order."""
    if path.endswith((".xlsx", ".docx")):
        with zipfile.ZipFile(path) as z:
            return [z.read(i) for i in z.infolist() if i.compress_type == zipfile.ZIP_DEFLATED]
    data = open(path, "rb").read()
    out, at = [], 0
    while True:
        at = data.find(b"stream", at)
        if at < 0:
            return out
        start = at + 6
        if data[start:start + 2] == b"\r\n":
            start += 2
        elif data[start:start + 1] == b"\n":
            start += 1
        else:
            at = start
            continue
        try:
            d = zlib.decompressobj()
            raw = d.decompress(data[start:])
            if d.eof:
                out.append(raw)
        except zlib.error:
            pass
        at = start


def common_prefix(a, b):
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # the longest n with a[:n] == b[:n], by bisection on slice comparisons
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def spread(paths, k):
    paths = sorted(paths)
    if len(paths) <= k:
        return paths
    return [paths[i * len(paths) // k] for i in range(k)]


def deflate_work(paths_by_kind):
    """Per kind: the sample's per-document bytes (what differs from the kind's first sampled
    document, stream by stream) and the estimate of the whole run's bytes to deflate.
    Returns (total bytes to deflate, the sample's per-document byte strings)."""
    total, sample_bytes = 0, []
    for kind, paths in paths_by_kind.items():
        chosen = spread(paths, SAMPLE_PER_KIND)
        try:
            streams = [payloads(p) for p in chosen]
        except (OSError, zipfile.BadZipFile):
            continue
        if not streams:
            continue
        ref = streams[0]
        once = sum(len(s) for s in ref)  # the first document's streams, deflated in full once
        sample_bytes += ref
        own = []
        for doc in streams[1:]:
            n = 0
            for j, s in enumerate(doc):
                skip = common_prefix(s, ref[j]) if j < len(ref) else 0
                n += len(s) - skip
                if len(s) > skip:
                    sample_bytes.append(s[skip:])
            own.append(n)
        per_doc = statistics.mean(own) if own else once
        total += once + per_doc * (len(paths) - 1)
    return total, sample_bytes


def deflate_rate(tool, chunks, scratch):
    """Bytes per second of libdeflate level 6 on `chunks`, or None when the tool is missing."""
    if not tool or not os.path.exists(tool) or not chunks:
        return None
    path = os.path.join(scratch, "deflate-records.bin")
    with open(path, "wb") as f:
        for c in chunks:
            f.write(struct.pack("<I", len(c)))
            f.write(c)
    try:
        r = subprocess.run([tool, path], stdout=subprocess.PIPE, check=True)
        n, _, seconds = r.stdout.decode().split()
        return int(n) / float(seconds) if float(seconds) > 0 else None
    except (subprocess.CalledProcessError, ValueError, OSError):
        return None
    finally:
        os.remove(path)


def write_seconds(files, total_bytes, scratch, cap=2000):
    """Seconds to create, write and rename `files` files holding `total_bytes` in all (timed on
    up to `cap` files in `scratch`, scaled)."""
    if files <= 0:
        return 0.0
    n = min(files, cap)
    size = int(total_bytes / files)
    block = os.urandom(min(size, 1 << 16)) * (size // (1 << 16) + 1)
    block = block[:size]
    with tempfile.TemporaryDirectory(dir=scratch) as d:
        t0 = time.perf_counter()
        for i in range(n):
            tmp = os.path.join(d, f".t{i}")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.write(fd, block)
            os.close(fd)
            os.rename(tmp, os.path.join(d, f"f{i}"))
        dt = time.perf_counter() - t0
    return dt * files / n


def estimate(paths_by_kind, files, total_bytes, workers, tool, scratch):
    """The run's limit in seconds and its parts, or None when it cannot be measured."""
    work, chunks = deflate_work(paths_by_kind)
    rate = deflate_rate(tool, chunks, scratch)
    if rate is None:
        return None
    deflate_s = work / rate
    writes_s = write_seconds(files, total_bytes, scratch)
    return {"seconds": (deflate_s + writes_s) / workers, "deflate_bytes": work, "deflate_rate_mb_s": rate / 1e6,
            "deflate_s": deflate_s / workers, "writes_s": writes_s / workers}
