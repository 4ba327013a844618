"""Load test: N concurrent clients against the production server, with or without an ingest running.

    .venv/bin/python bench/load_test.py [--index DIR | --build-into DIR | --url URL]
                                        [--clients 20] [--seconds 60] [--with-ingest] [--json FILE]

Without --url it starts `archive serve --production` on a free loopback port over --index, or over
an index it builds first from data/sample and ../shared/corpora (--build-into DIR keeps it for the
next run; several minutes on two cores). The clients mix what people do: phrase searches through
the API, the search page, facet clicks, document pages, the document API and CSV exports, with
phrases cut from the archive's own documents. With --with-ingest a second process ingests fresh
files into the same index all the while (new batches, until the clients stop). It prints
throughput, p50/p95/p99 latency per kind of request, and every error. A benchmark, not a test:
run by hand (standard library only), copy the figures into README.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
SAMPLE = ROOT / "data" / "sample"
SKIP_CORPORA = {"prc-places-gazetteer"}
ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}
# Kind of request → weight in the mix.
MIX = {"search": 30, "page": 20, "facet": 15, "doc": 15, "api_doc": 10, "export": 10}
URL_FACETS = {"level": "level", "province": "province", "city": "city", "county": "county", "year": "year",
              "themes": "theme", "doctype": "doctype", "organization": "organization"}
EXPORT_MAX_PASSAGES = 300  # exports of phrases this rare: a real download, not the whole archive


# -- the index and the server --------------------------------------------------------------------
def build_index(folder: Path) -> None:
    """Ingest the bundled sample and every corpus folder into `folder` (kept if it exists already)."""
    if (folder / "archive.sqlite3").exists():
        print(f"using the index built before in {folder}", file=sys.stderr)
        return
    inputs = [SAMPLE, *sorted(p for p in CORPORA.iterdir() if p.is_dir() and p.name not in SKIP_CORPORA)]
    print(f"building an index in {folder} from {', '.join(p.name for p in inputs)} …", file=sys.stderr)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "archive.cli", "ingest", *map(str, inputs), "--index", str(folder), "-q"],
                   env=ENV, check=False)  # exit status 1 only says some files were rejected
    print(f"built in {time.monotonic() - started:.0f} s", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def production_server(index: Path, threads: int, workers: int | None, log: Path) -> Iterator[str]:
    port = free_port()
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "archive.cli", "serve", "--index", str(index), "--port",
                                 str(port), "--production", "--threads", str(threads),
                                 *(["--workers", str(workers)] if workers else [])], stdout=sink, stderr=sink,
                                env=ENV)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                fetch(f"{base}/api/search?q=x")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the server did not start; see {log}") from None
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def fetch(url: str, timeout: float = 120) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# -- the workload ------------------------------------------------------------------------------------
@dataclass
class Workload:
    """What the clients ask for: phrases from the archive's texts, facet values, document ids."""

    phrases: list[str]
    export_phrases: list[str]
    facets: list[tuple[str, str]]
    doc_ids: list[str]

    def url(self, kind: str, rng: random.Random) -> str:
        phrase = urllib.parse.quote(rng.choice(self.phrases))
        if kind == "search":
            return f"/api/search?q={phrase}"
        if kind == "page":
            return f"/?q={phrase}"
        if kind == "facet":
            name, value = rng.choice(self.facets)
            return f"/?q={phrase}&{name}={urllib.parse.quote(value)}"
        if kind == "doc":
            return f"/doc/{rng.choice(self.doc_ids)}?q={phrase}"
        if kind == "api_doc":
            return f"/api/doc/{rng.choice(self.doc_ids)}"
        return f"/export?format=csv&q={urllib.parse.quote(rng.choice(self.export_phrases))}"


def _phrases_of(text: str, rng: random.Random, count: int) -> Iterator[str]:
    for _ in range(count):
        length = rng.randint(2, 8)
        start = rng.randrange(0, max(1, len(text) - length))
        piece = text[start:start + length]
        if len(piece) == length and all(c.isalnum() for c in piece):
            yield piece


def discover_workload(base: str, rng: random.Random) -> Workload:
    """Sample documents through the API; cut phrases from them; collect facet values."""
    status, body = fetch(f"{base}/api/search?size=200&sort=date")
    if status != 200:
        raise SystemExit(f"the server answered {status} to a plain search: {body[:200]!r}")
    result = json.loads(body)
    doc_ids = [hit["doc_id"] for hit in result["hits"]]
    facets = [(URL_FACETS[name], str(value)) for name, values in result["facets"].items() if name in URL_FACETS
              for value, _ in values[:8]]
    phrases: list[str] = []
    for doc_id in rng.sample(doc_ids, min(60, len(doc_ids))):
        document = json.loads(fetch(f"{base}/api/doc/{doc_id}")[1])
        phrases.extend(_phrases_of(document["text"], rng, 5))
    exports = []
    for phrase in phrases:
        counted = json.loads(fetch(f"{base}/api/search?size=1&q={urllib.parse.quote(phrase)}")[1])
        if 0 < counted.get("total_passages", 0) <= EXPORT_MAX_PASSAGES:
            exports.append(phrase)
    if not (phrases and exports and facets and doc_ids):
        raise SystemExit("the archive is too small for a load test")
    return Workload(phrases, exports, facets, doc_ids)


# -- clients ----------------------------------------------------------------------------------------
@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors[f"{kind}: {error}"] += 1


def client(base: str, workload: Workload, results: Results, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    kinds, weights = list(MIX), list(MIX.values())
    while not stop.is_set():
        kind = rng.choices(kinds, weights)[0]
        url = workload.url(kind, rng)
        started = time.monotonic()
        try:
            status, _ = fetch(base + url)
            error = None if status == 200 else f"HTTP {status} {url[:80]}"
        except OSError as exc:
            error = f"{type(exc).__name__}: {exc} {url[:80]}"
        results.add(kind, time.monotonic() - started, error)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


# -- an ingest running meanwhile ----------------------------------------------------------------------
def run_clients(base: str, workload: Workload, results: Results, stop: threading.Event, clients: int,
                seconds: float, seed: int) -> float:
    """`clients` client threads for `seconds`, then stopped and joined; the seconds they ran."""
    threads = [threading.Thread(target=client, args=(base, workload, results, stop, seed + n)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def ingest_meanwhile(index: Path, work: Path, stop: threading.Event, report: dict, nice: int = 0) -> None:
    """Ingest batches of new files (新闻联播 stories, each made unique) into the index until told to stop."""
    items = CORPORA / "xwlb-cctv" / "items.jsonl.gz"
    with gzip.open(items, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for _, line in zip(range(3000), lines, strict=False)]
    batch, run = 0, time.strftime("%Y%m%d%H%M%S")  # the run's own text: never a copy of an earlier run's
    while not stop.is_set():
        folder = work / f"batch{batch:03d}"
        folder.mkdir(parents=True)
        for n, record in enumerate(records[(batch * 100) % len(records):][:100]):
            text = f"{record.get('title') or ''}\n{record['text']}\n负载测试{run}第{batch}批第{n}篇。\n"
            (folder / f"{n:03d}.txt").write_text(text, encoding="utf-8")
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "archive.cli", "ingest", str(folder), "--index", str(index),
                               "-q", "-j", "1"], env=ENV, capture_output=True,
                              preexec_fn=(lambda: os.nice(nice)) if nice else None)
        report["runs"].append({"batch": batch, "exit": done.returncode, "seconds": round(time.monotonic() - started, 1),
                               "summary": done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]})
        batch += 1


# -- main ------------------------------------------------------------------------------------------
def run(base: str, args: argparse.Namespace, index: Path | None) -> dict:
    rng = random.Random(args.seed)
    workload = discover_workload(base, rng)
    print(f"workload: {len(workload.phrases)} phrases, {len(workload.export_phrases)} export phrases, "
          f"{len(workload.facets)} facet values, {len(workload.doc_ids)} documents", file=sys.stderr)
    results, stop = Results(), threading.Event()
    ingest_report: dict = {"runs": []}
    ingest_thread = None
    work = Path(tempfile.mkdtemp(prefix="load-ingest-"))
    if args.with_ingest:
        if index is None:
            raise SystemExit("--with-ingest needs the index folder (--index or --build-into), not only --url")
        ingest_thread = threading.Thread(target=ingest_meanwhile,
                                         args=(index, work, stop, ingest_report, args.ingest_nice))
        ingest_thread.start()
    run_clients(base, workload, Results(), threading.Event(), args.clients, args.warm_up, seed=1000)
    elapsed = run_clients(base, workload, results, stop, args.clients, args.seconds, seed=args.seed)
    if ingest_thread:
        ingest_thread.join()
    shutil.rmtree(work, ignore_errors=True)
    return summarize(results, elapsed, args, ingest_report)


def summarize(results: Results, elapsed: float, args: argparse.Namespace, ingest_report: dict) -> dict:
    kinds = {}
    every = [s for values in results.latencies.values() for s in values]
    for kind, values in sorted(results.latencies.items()) + [("all", every)]:
        kinds[kind] = {"requests": len(values), "per_second": round(len(values) / elapsed, 1),
                       **{f"p{int(q * 100)}_ms": round(percentile(values, q) * 1000, 1) for q in (0.5, 0.95, 0.99)},
                       "max_ms": round(max(values) * 1000, 1)}
    return {"clients": args.clients, "seconds": round(elapsed, 1), "with_ingest": args.with_ingest, "kinds": kinds,
            "errors": dict(results.errors), "error_count": sum(results.errors.values()), "ingest": ingest_report}


def print_table(summary: dict) -> None:
    print(f"\n{summary['clients']} clients, {summary['seconds']} s, ingest running: {summary['with_ingest']}")
    print(f"{'kind':8} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, row in summary["kinds"].items():
        print(f"{kind:8} {row['requests']:>8} {row['per_second']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} "
              f"{row['p99_ms']:>8} {row['max_ms']:>8}")
    print(f"errors: {summary['error_count']}")
    for error, count in sorted(summary["errors"].items(), key=lambda e: -e[1])[:20]:
        print(f"  {count} × {error}")
    for ingest in summary["ingest"]["runs"]:
        print(f"  ingest batch {ingest['batch']}: exit {ingest['exit']} in {ingest['seconds']} s {ingest['summary']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--url", help="Load a server that is already running (e.g. http://127.0.0.1:5000).")
    target.add_argument("--index", type=Path, help="Serve this index folder.")
    target.add_argument("--build-into", type=Path, help="Build the sample+corpora index here (reused if present).")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warm-up", type=float, default=5, help="Seconds of load before measuring.")
    parser.add_argument("--threads", type=int, default=8, help="Waitress threads per process of the server started.")
    parser.add_argument("--workers", type=int, help="Worker processes of the server started (default: serve's).")
    parser.add_argument("--with-ingest", action="store_true", help="Ingest new files into the index meanwhile.")
    parser.add_argument("--ingest-nice", type=int, default=0,
                        help="Run that ingest at this lower CPU priority (nice), as a batch job beside a server.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON here.")
    args = parser.parse_args()

    index = args.index
    scratch = None
    if args.url:
        summary = run(args.url.rstrip("/"), args, None)
    else:
        if index is None:
            index = args.build_into or Path(tempfile.mkdtemp(prefix="load-index-"))
            scratch = None if args.build_into else index
            build_index(index)
        log = Path(tempfile.mkstemp(prefix="load-server-", suffix=".log")[1])
        with production_server(index, args.threads, args.workers, log) as base:
            summary = run(base, args, index)
        server_errors = log.read_text(encoding="utf-8", errors="replace").count("Traceback")
        summary["server_tracebacks"] = server_errors
        print(f"server log: {log} ({server_errors} tracebacks)", file=sys.stderr)
    print_table(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    sys.exit(1 if summary["error_count"] else 0)


if __name__ == "__main__":
    main()
