"""Ingest throughput on the real corpora, with and without parallelism.

    .venv/bin/python bench/bench_ingest.py [--corpora ../shared/corpora] [--jobs 1 2] [--limit-mb N]

Ingests every corpus folder (the gazetteer excepted: it is not text) into a
fresh temporary index once per --jobs value and prints MB/s of raw input,
documents, rejected files and peak memory. A benchmark, not a test: run by
hand, copy the figures into README.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.docstore import DocStore  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402

SKIP = {"prc-places-gazetteer"}


def corpus_inputs(corpora: Path) -> list[Path]:
    return sorted(p for p in corpora.iterdir() if p.is_dir() and p.name not in SKIP)


def raw_megabytes(paths: list[Path]) -> float:
    """Input size in MB, gzip members counted uncompressed (their ISIZE trailer)."""
    total = 0
    for f in (f for p in paths for f in p.rglob("*") if f.is_file()):
        if f.suffix == ".gz":
            with f.open("rb") as handle:
                handle.seek(-4, 2)
                total += int.from_bytes(handle.read(4), "little")
        else:
            total += f.stat().st_size
    return total / 1e6


def peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, workers


def run(paths: list[Path], jobs: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-ingest-j{jobs}-"))
    try:
        started = time.perf_counter()
        summary = ingest_paths(paths, folder, jobs=jobs)
        seconds = time.perf_counter() - started
        store = DocStore(folder)
        docs = store.count()
        store.close()
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6
        return {"jobs": jobs, "seconds": seconds, "docs": docs, "files": len(summary.outcomes),
                "rejected": summary.count("rejected"), "index_mb": size}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    paths = corpus_inputs(args.corpora)
    mb = raw_megabytes(paths)
    print(f"input: {', '.join(p.name for p in paths)}: {mb:.1f} MB raw (gzip files counted uncompressed)")
    print(f"{'jobs':>4} {'seconds':>8} {'MB/s':>6} {'files':>6} {'docs':>7} {'rejected':>8} {'index MB':>8}")
    for jobs in args.jobs:
        r = run(paths, jobs)
        print(f"{r['jobs']:>4} {r['seconds']:>8.1f} {mb / r['seconds']:>6.2f} {r['files']:>6} {r['docs']:>7} "
              f"{r['rejected']:>8} {r['index_mb']:>8.1f}", flush=True)
    own, workers = peak_rss_mb()
    print(f"peak memory: main process {own:.0f} MB, largest worker {workers:.0f} MB")


if __name__ == "__main__":
    main()
