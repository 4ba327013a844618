"""Facet accuracy on real documents whose metadata comes from outside their text.

Corpora (../shared/corpora, see its README):
  civilized-behavior-regs/regs.jsonl.gz   province (folder name for set=docs, gazetteer of the
                                          title city for set=exported_docs), year (file-name
                                          prefix / file-name date), level (derived from the title)
  laws-lawrefbook/laws.jsonl.gz           scope=local: province (folder), date and year (file
                                          name), level (derived from the title);
                                          scope=national: level must be 中央

Each record runs through the real steps: ingest.normalize.normalize, then
ingest.structure.build_structure, then ingest.facets.extract_facets. The record's title is
part of the document as published, so it is the title hint and, when the text does not
already open with it, the first line; a law's header lines (its adoption record, kept by the
corpus in `info`) stand under the title as in the original Markdown file.

    .venv/bin/python bench/eval_facets.py [--corpora ../shared/corpora] [--examples 5] [--jobs 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.model import Document  # noqa: E402
from ingest.facets import PageFacts, extract_facets  # noqa: E402
from ingest.normalize import normalize  # noqa: E402
from ingest.structure import build_structure  # noqa: E402
from ingest.structure.dates import find_dates  # noqa: E402

LEVELS = {"province": {"省"}, "prefecture": {"市"}, "county": {"县", "区"}}
DEFAULT_CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
# Exported Word files open with the repo authors' artefact header; it is boilerplate, not
# part of the regulation (normalization may or may not remove it; we measure facets here).
ARTEFACT_LINES = {"All Five Concepts", "Content"}
# A law's file-name date is often a later amendment its header does not record; how often the
# wanted year or date is written in the first HEADER_CHARS characters is reported beside.
HEADER_CHARS = 600


def read_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def published_text(record: dict) -> str:
    """The document as published: title line, header lines, text."""
    text = "\n".join(line for line in record["text"].split("\n") if line.strip() not in ARTEFACT_LINES)
    head = [line.strip() for line in text.split("\n") if line.strip()][:5]
    parts = []
    if record["title"] not in "".join(head).replace(" ", ""):
        parts.append(record["title"])
    if record.get("info"):
        parts.append(record["info"])
    parts.append(text)
    return "\n".join(parts)


def run_one(record: dict) -> dict:
    """Facets of one record, and the CPU seconds spent in structure + facets alone."""
    text = normalize(published_text(record)).text
    started = time.process_time()  # CPU seconds: other processes on the machine do not count
    structure = build_structure(record["id"], text, record["title"])
    doc = Document(doc_id=record["id"], title=structure.title, source_path=record.get("source_file", ""),
                   text=text, passages=structure.passages)
    extract_facets(doc, PageFacts(title_hint=record["title"]))
    seconds = time.process_time() - started
    return {"level": doc.level, "province": doc.province, "city": doc.city, "county": doc.county,
            "year": doc.year, "date": doc.date, "title": doc.title, "seconds": seconds,
            "bytes": len(text.encode("utf-8"))}


class Score:
    """Right / total per facet, with a few wrong examples."""

    def __init__(self, examples: int):
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.wrong: dict[str, list[str]] = defaultdict(list)
        self.examples = examples

    def add(self, facet: str, ok: bool, example: str) -> None:
        self.total[facet] += 1
        self.right[facet] += ok
        if not ok and len(self.wrong[facet]) < self.examples:
            self.wrong[facet].append(example)

    def report(self, title: str, targets: dict[str, float]) -> None:
        print(f"\n## {title}")
        for facet in self.total:
            n, k = self.total[facet], self.right[facet]
            target = targets.get(facet.split(" ")[0])
            flag = "" if target is None else ("  ok" if k / n >= target else f"  BELOW TARGET {target:.0%}")
            print(f"  {facet:<34} {k:>5}/{n:<5} {k / n:7.2%}{flag}")
        for facet, examples in self.wrong.items():
            print(f"  wrong {facet}:")
            for line in examples:
                print(f"    - {line}")


def evaluate(records: list[dict], jobs: int) -> list[dict]:
    if jobs <= 1:
        return [run_one(r) for r in records]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(run_one, records, chunksize=16))


def regs_report(corpora: Path, jobs: int, examples: int, targets: dict[str, float]) -> tuple[float, int]:
    records = read_jsonl(corpora / "civilized-behavior-regs" / "regs.jsonl.gz")
    results = evaluate(records, jobs)
    by_set: dict[str, Score] = {}
    years_by_title: dict[str, dict[str, int | None]] = defaultdict(dict)
    for record in records:
        years_by_title[record["title"]][record["set"]] = record["year"]
    cross = Score(examples)
    for record, got in zip(records, results, strict=True):
        score = by_set.setdefault(record["set"], Score(examples))
        label = f"{record['title']} ({record['set']})"
        if record["province"]:
            score.add("province", got["province"] == record["province"], f"{label}: got {got['province']}, want {record['province']}")
        if record["year"]:
            score.add("year", got["year"] == record["year"], f"{label}: got {got['year']}, want {record['year']}")
        if record["level"]:
            score.add("level", got["level"] in LEVELS[record["level"]], f"{label}: got {got['level']}, want {record['level']}")
        other_set = "exported_docs" if record["set"] == "docs" else "docs"
        other = years_by_title[record["title"]].get(other_set)
        if other:
            cross.add(f"year vs the {other_set} year", got["year"] == other, f"{label}: got {got['year']}, {other_set} says {other}")
            both = years_by_title[record["title"]]
            if both.get("docs") != both.get("exported_docs"):
                cross.add("year in either set (sets disagree)", got["year"] in both.values(),
                          f"{label}: got {got['year']}, sets say {both}")
    for name, score in by_set.items():
        score.report(f"civilized-behavior-regs, set={name}", targets)
    cross.report("civilized-behavior-regs, titles in both sets (the sets' years disagree for some)", {})
    seconds = sum(r["seconds"] for r in results)
    size = sum(r["bytes"] for r in results)
    print(f"\n  structure + facets: {size / 1e6:.1f} MB in {seconds:.1f} s of one core = {size / 1e6 / seconds:.2f} MB/s")
    return seconds, size


def laws_report(corpora: Path, jobs: int, examples: int, targets: dict[str, float]) -> tuple[float, int]:
    records = read_jsonl(corpora / "laws-lawrefbook" / "laws.jsonl.gz")
    results = evaluate(records, jobs)
    local, national = Score(examples), Score(examples)
    for record, got in zip(records, results, strict=True):
        label = record["title"]
        if record["scope"] == "national":
            national.add("level = 中央", got["level"] == "中央", f"{label}: got {got['level']}")
            continue
        local.add("province", got["province"] == record["province"], f"{label}: got {got['province']}, want {record['province']}")
        if record["year"]:
            local.add("year", got["year"] == record["year"], f"{label}: got {got['year']}, want {record['year']}")
        written = {d.iso for d in find_dates(published_text(record)[:HEADER_CHARS])}
        if record["year"] and any(iso.startswith(str(record["year"])) for iso in written):
            local.add("year (when the header writes it)", got["year"] == record["year"],
                      f"{label}: got {got['year']}, want {record['year']}")
        if record["date"]:
            local.add("date", got["date"] == record["date"], f"{label}: got {got['date']}, want {record['date']}")
            if record["date"] in written:
                local.add("date (when the header writes it)", got["date"] == record["date"],
                          f"{label}: got {got['date']}, want {record['date']}")
        if record["level"]:
            local.add("level", got["level"] in LEVELS[record["level"]], f"{label}: got {got['level']}, want {record['level']}")
    local.report("laws-lawrefbook, scope=local", targets)
    national.report("laws-lawrefbook, scope=national", {})
    seconds = sum(r["seconds"] for r in results)
    size = sum(r["bytes"] for r in results)
    print(f"\n  structure + facets: {size / 1e6:.1f} MB in {seconds:.1f} s of one core = {size / 1e6 / seconds:.2f} MB/s")
    return seconds, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    targets = {"year": 0.97, "province": 0.98, "level": 0.97}
    started = time.monotonic()
    regs_report(args.corpora, args.jobs, args.examples, targets)
    laws_report(args.corpora, args.jobs, args.examples, targets)
    print(f"\nwall time {time.monotonic() - started:.0f} s with {args.jobs} job(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
