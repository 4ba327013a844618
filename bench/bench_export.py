"""Export benchmark (issue 6): N passages in each format: time, rows/s, output size, peak memory.

    .venv/bin/python bench/bench_export.py [--passages 100000] [--index DIR] [--keep DIR] [--query Q]
                                           [--formats csv,jsonl,xlsx,docx,md] [--python-docx N]

Run by hand (not a test). Without --index, an archive of N passages is built in a temporary folder
from the corpora in ../shared/corpora exactly as bench/bench_search.py builds its `ours` engine
(Document/Passage objects written through Archive.writer(), no ingest normalization); --keep DIR
builds it there instead and keeps it for later runs (--index DIR).

Each format runs in a fresh process that opens the archive, then exports the first N passages of
the search (`--query`, default: every passage) with the same code as `archive export`, to a file in
the temporary folder (the corpora's texts must not be copied into the project). It reports the
seconds from the first row asked to the file closed, rows/s, the file's size, and the process's
peak resident memory (VmHWM) before the export began and at its end.

--python-docx N also times the obvious design for DOCX, python-docx's Document built in memory
(heading, passage with bold matches, citation line per passage), on the first N rows, to show why
the DOCX writer streams its body instead.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

FORMATS = ("csv", "jsonl", "xlsx", "docx", "md")
BASE_URL = "http://127.0.0.1:5000"


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the
    parent across fork and exec, so a child started by a parent that built the archive would report the
    parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


# -- the archive ------------------------------------------------------------------------------------

def build(folder: Path, passages: int) -> None:
    from bench_search import Ours, scale_documents

    started = time.perf_counter()
    Ours.build(folder, scale_documents(ROOT.parent / "shared" / "corpora", passages))
    print(f"built {passages:,} passages in {folder} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


# -- one measurement, in its own process ------------------------------------------------------------

def rows_of(index: Path, query: str, limit: int):
    from archive.export import passage_rows
    from archive.search import Archive, SearchRequest

    archive = Archive(index)
    request = SearchRequest(q=query, duplicates=True)
    return archive, request, itertools.islice(passage_rows(archive, request, BASE_URL), limit)


def child(fmt: str, index: Path, query: str, limit: int, out_path: Path) -> dict:
    from archive.export import FORMATS as WRITERS
    from archive.export import CountingRows, ExportInfo

    archive, request, rows = rows_of(index, query, limit)
    counted = CountingRows(rows)
    before = peak_rss_mb()
    started = time.perf_counter()
    with open(out_path, "wb") as out:
        if fmt == "python-docx":
            python_docx(counted, out)
        else:
            WRITERS[fmt].write(counted, ExportInfo.from_request(request, BASE_URL), out)
    seconds = time.perf_counter() - started
    archive.close()
    return {"format": fmt, "rows": counted.count, "seconds": seconds, "bytes": out_path.stat().st_size,
            "rss_before_mb": before, "peak_rss_mb": peak_rss_mb()}


def python_docx(rows, out) -> None:
    """The in-memory design: python-docx's Document, one paragraph per passage and one per citation."""
    import docx

    from archive.export.citation import citation, title

    document = docx.Document()
    current = None
    for row in rows:
        if row["doc_id"] != current:
            current = row["doc_id"]
            document.add_heading(title(row), level=1)
        paragraph, pos, text = document.add_paragraph(), 0, row["text"]
        for start, end in row["marks"]:
            paragraph.add_run(text[pos:start])
            paragraph.add_run(text[start:end]).bold = True
            pos = end
        paragraph.add_run(text[pos:])
        document.add_paragraph(f"{citation(row)} 链接：{row['permalink']}")
    buffer = io.BytesIO()
    document.save(buffer)
    out.write(buffer.getvalue())


def measure(fmt: str, index: Path, query: str, limit: int, folder: Path) -> dict:
    out_path = folder / f"export.{'docx' if fmt == 'python-docx' else fmt}"
    done = subprocess.run([sys.executable, __file__, "--child", fmt, "--index", str(index), "--query", query,
                           "--passages", str(limit), "--out", str(out_path)],
                          check=True, capture_output=True, text=True)
    out_path.unlink()
    return json.loads(done.stdout)


def table(results: list[dict]) -> str:
    lines = ["| format | passages | seconds | passages/s | output | peak RSS (before export) |",
             "|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['format']} | {r['rows']:,} | {r['seconds']:.1f} | {r['rows'] / r['seconds']:,.0f} | "
                     f"{r['bytes'] / 1e6:.1f} MB | {r['peak_rss_mb']:.0f} MB ({r['rss_before_mb']:.0f} MB) |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=100_000, help="passages to build and to export")
    parser.add_argument("--index", type=Path, help="an existing archive (else one is built)")
    parser.add_argument("--keep", type=Path, help="build the archive here and keep it")
    parser.add_argument("--query", default="", help="the search to export (default: every passage)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--python-docx", type=int, default=0, metavar="N",
                        help="also time python-docx's in-memory Document on the first N passages")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(child(args.child, args.index, args.query, args.passages, args.out)))
        return
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        index = args.index or args.keep or work / "index"
        if not args.index:
            build(index, args.passages)
        results = []
        for fmt in args.formats.split(","):
            results.append(measure(fmt, index, args.query, args.passages, work))
            print(table(results[-1:]).splitlines()[-1], file=sys.stderr)
        if args.python_docx:
            results.append(measure("python-docx", index, args.query, args.python_docx, work))
        print(table(results))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
