"""Search benchmark (issue 5): our engine vs the naive jieba Whoosh design vs SQLite FTS5 trigram.

    .venv/bin/python bench/bench_search.py [--passages N] [--queries K] [--engines ours,naive,fts5]
                                           [--cold C] [--repeat R] [--out results.json] [--keep DIR]

Run by hand (not a test). The documents are the records of the real corpora in ../shared/corpora
(regulations, laws, 新闻联播 items, interleaved); a document's passages are its non-empty lines and
its text is those lines joined by "\\n". `--passages N` (≤ 1,000,000) makes a scale set: the
documents are repeated, each replica with its own doc id, until there are N passages; the default
is every passage of the corpora once.

Each engine is built from the same document stream, then queried, each phase in a fresh process:

- ours:  the project's classes without ingest normalization: Document/Passage objects, prepared in a
         2-process pool and written every COMMIT_EVERY_DOCS documents as the real ingest does
         (see ingest_steps), queried with Archive.search(SearchRequest(q='"phrase"', size=20,
         duplicates=True)): the page of hits and all nine facet counts.
- naive: Whoosh TEXT with jieba.analyse.ChineseAnalyzer, writer(procs=2, multisegment=True),
         Phrase query over the analyzer's tokens, groupedby facet counts.
- fts5:  SQLite FTS5 tokenize='trigram', MATCH '"phrase"' for ≥ 3 characters, instr() scan for 2
         (trigram MATCH and LIKE find nothing below 3 characters), GROUP BY facet counts.

Queries (fixed seed): K random substrings of 2–10 characters, K spans of 1–3 jieba words (2–10
characters), and seven user phrases. Truth is every document whose text holds the phrase literally;
for ours both sides are folded (archive.fold.fold), its documented semantics. Latency is one phrase
query with the facet counts and the first page: warm = the same queries again in the process that
already ran them once; cold = the first query of a fresh process right after opening the index
(one process per query; opening is timed apart; the OS page cache is not dropped).
Build time excludes the time spent reading the corpus (gzip + JSON); MB/s is of UTF-8 text.
The JSON figures (with the queries: snippets of the texts) go to the temp folder unless --out says
otherwise: the 新闻联播 texts must not be copied into the project.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import math
import multiprocessing
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.fold import fold  # noqa: E402
from archive.model import Document, Passage, content_hash, make_doc_id, make_passage_id  # noqa: E402

CORPUS_FILES = ("civilized-behavior-regs/regs.jsonl.gz", "laws-lawrefbook/laws.jsonl.gz", "xwlb-cctv/items.jsonl.gz")
LEVELS = {"national": "中央", "province": "省", "prefecture": "市", "county": "县"}
USER_PHRASES = ("新时代文明实践", "意识形态工作责任制", "疫情防控", "文明城市", "学习强国", "舆情", "志愿服务")
QUERY_SETS = ("substring", "word", "user")
BASELINE_FACETS = ("level", "province", "year")
PAGE_SIZE = 20
JOBS = 2  # record-preparing processes, as the real ingest runs on this 2-core machine
MAX_PASSAGES = 1_000_000
FTS5_BATCH = 2000  # documents per transaction
ATTEMPTS = 10  # tries to cut a usable query out of one sampled line


# -- the corpus -------------------------------------------------------------------------------------

class SourceDoc(NamedTuple):
    doc_id: str
    source: str  # corpus file and record id: the same for every replica
    replica: int
    title: str
    lines: tuple[str, ...]
    level: str | None
    province: str | None
    year: int | None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_records(corpora: Path, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    with gzip.open(corpora / name, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield name, json.loads(line)


def interleaved(corpora: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(corpus, record) from each corpus file in turn, so any prefix mixes all three."""
    streams = [read_records(corpora, name) for name in CORPUS_FILES]
    while streams:
        for stream in list(streams):
            item = next(stream, None)
            if item is None:
                streams.remove(stream)
            else:
                yield item


def scale_documents(corpora: Path, passages: int | None) -> Iterator[SourceDoc]:
    """The documents of the benchmark, replicated (or cut) to `passages` passages, streamed."""
    remaining, replica = passages, 1
    while True:
        for corpus, record in interleaved(corpora):
            lines = tuple(s for s in (line.strip() for line in record["text"].splitlines()) if s)
            if remaining is not None:
                lines = lines[:remaining]
                remaining -= len(lines)
            if not lines:
                continue
            source = f"{corpus}:{record['id']}"
            yield SourceDoc(make_doc_id(content_hash(source.encode()), replica), source, replica,
                            record.get("title") or "", lines, LEVELS.get(record.get("level") or ""),
                            record.get("province"), record.get("year"))
            if remaining == 0:
                return
        if remaining is None:
            return
        replica += 1


class TimedIter:
    """An iterator that adds up the time spent producing its items."""

    def __init__(self, items: Iterable) -> None:
        self.items = iter(items)
        self.seconds = 0.0

    def __iter__(self) -> TimedIter:
        return self

    def __next__(self):
        started = time.perf_counter()
        try:
            return next(self.items)
        finally:
            self.seconds += time.perf_counter() - started


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- queries and truth ------------------------------------------------------------------------------

def quiet_jieba():
    """jieba with its default dictionary (as the naive engine's analyzer uses it), without the log lines."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def usable(phrase: str) -> bool:
    """No whitespace, and no quote marks (they would end a quoted phrase in two of the engines)."""
    return not any(c.isspace() or c in '"“”' for c in phrase)


def substring_query(line: str, rng: random.Random) -> str | None:
    for _ in range(ATTEMPTS):
        n = rng.randint(2, 10)
        if len(line) >= n:
            start = rng.randrange(len(line) - n + 1)
            if usable(line[start:start + n]):
                return line[start:start + n]
    return None


def word_span_query(line: str, rng: random.Random) -> str | None:
    words = list(quiet_jieba().cut(line))
    for _ in range(ATTEMPTS):
        start, n = rng.randrange(len(words)), rng.randint(1, 3)
        span = words[start:start + n]
        phrase = "".join(span)
        if 2 <= len(phrase) <= 10 and usable(phrase) and all(any(c.isalnum() for c in w) for w in span):
            return phrase
    return None


def sample_lines(docs: Iterable[SourceDoc], k: int, rng: random.Random) -> list[str]:
    """k passages drawn uniformly from the first replica (reservoir sampling)."""
    sample: list[str] = []
    seen = 0
    for doc in docs:
        if doc.replica > 1:
            break
        for line in doc.lines:
            seen += 1
            if len(sample) < k:
                sample.append(line)
            elif (j := rng.randrange(seen)) < k:
                sample[j] = line
    return sample


def make_queries(corpora: Path, passages: int | None, k: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    lines = sample_lines(scale_documents(corpora, passages), 8 * k, rng)
    half = len(lines) // 2
    sets = {"substring": (lines[:half], substring_query), "word": (lines[half:], word_span_query)}
    queries = {}
    for name, (pool, cut) in sets.items():
        found: dict[str, None] = {}
        for line in pool:
            if len(found) == k:
                break
            phrase = cut(line, rng)
            if phrase:
                found[phrase] = None
        queries[name] = list(found)
    queries["user"] = list(USER_PHRASES)
    return queries


class Truth(NamedTuple):
    raw: dict[str, set[str]]  # phrase → doc ids whose text holds it literally
    folded: dict[str, set[str]]  # the same with text and phrase folded (ours' semantics)
    corpus: dict[str, Any]


def compute_truth(docs: Iterable[SourceDoc], phrases: list[str]) -> Truth:
    folded_phrases = [fold(p) for p in phrases]
    raw: dict[str, set[str]] = {p: set() for p in phrases}
    folded: dict[str, set[str]] = {p: set() for p in phrases}
    memo: dict[tuple[str, int], tuple[list[str], list[str]]] = {}  # replicas share their answers
    stats = Counter()
    for doc in docs:
        key = (doc.source, len(doc.lines))
        text = doc.text
        if key not in memo:
            folded_text = fold(text)
            memo[key] = ([p for p in phrases if p in text],
                         [p for p, f in zip(phrases, folded_phrases, strict=True) if f in folded_text])
        for target, hits in zip((raw, folded), memo[key], strict=True):
            for phrase in hits:
                target[phrase].add(doc.doc_id)
        stats.update(documents=1, passages=len(doc.lines), chars=len(text), bytes=len(text.encode("utf-8")))
    corpus = {"documents": stats["documents"], "passages": stats["passages"], "chars": stats["chars"],
              "text_mb": stats["bytes"] / 1e6}
    return Truth(raw, folded, corpus)


# -- engines ----------------------------------------------------------------------------------------

class Ours:
    """The project's engine, through its own classes."""

    truth = "folded"

    def __init__(self, folder: Path) -> None:
        from archive.search import Archive

        self.archive = Archive(folder)

    @staticmethod
    def build(folder: Path, docs: Iterable[SourceDoc]) -> None:
        """Documents prepared in worker processes, written and committed batch by batch, as ingest does."""
        from archive.search import Archive

        archive = Archive(folder)
        prepare, write = ingest_steps(archive)
        ctx = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(JOBS, mp_context=ctx) as pool:
            for documents, prepared in _prepared_ahead(pool, prepare, docs):
                write(archive, documents, prepared)
        archive.close()

    def _request(self, phrase: str, size: int = PAGE_SIZE):
        from archive.search import SearchRequest

        return SearchRequest(q=f'"{phrase}"', size=size, duplicates=True)

    def query(self, phrase: str) -> tuple[int, dict, list[str]]:
        result = self.archive.search(self._request(phrase))
        return result.total, result.facets, [hit["doc_id"] for hit in result.hits]

    def all_ids(self, phrase: str) -> set[str]:
        return {m.doc_id for m in self.archive.matches(self._request(phrase))}

    def method(self, phrase: str) -> str:
        return "archive.search"

    def close(self) -> None:
        self.archive.close()


def to_document(src: SourceDoc) -> Document:
    passages, start = [], 0
    for ordinal, line in enumerate(src.lines, 1):
        passages.append(Passage(passage_id=make_passage_id(src.doc_id, ordinal), doc_id=src.doc_id,
                                ordinal=ordinal, text=line, start=start, end=start + len(line)))
        start += len(line) + 1
    return Document(doc_id=src.doc_id, title=src.title, source_path=src.source, text=src.text,
                    level=src.level, province=src.province, year=src.year, part=src.replica,
                    passages=passages, provenance={"file_hash": src.doc_id})


def ingest_steps(archive) -> tuple[Callable, Callable]:
    """The engine's own ingest steps: (the per-document work of an ingest worker, the batch write).

    The issue-5 engine prepares archive.writer.Prepared items and writes them with one
    Archive.writer() (character index, Whoosh, store); the issue-2 engine has no Archive.writer and
    writes Whoosh records (TextIndex.record) and the store one after the other.
    """
    if hasattr(archive, "writer"):
        from archive.writer import prepare

        return prepare, _write_prepared
    from archive.textindex import TextIndex

    return TextIndex.record, _write_records


def _write_prepared(archive, documents: list[Document], prepared: list) -> None:
    writer = archive.writer()
    writer.put(prepared)
    writer.commit()


def _write_records(archive, documents: list[Document], records: list[dict]) -> None:
    writer = archive.index.writer()
    archive.index.update(writer, documents, records)
    writer.commit()
    archive.store.put_documents(documents)
    archive.store.commit()


def _prepared_ahead(pool: ProcessPoolExecutor, prepare: Callable,
                    docs: Iterable[SourceDoc]) -> Iterator[tuple[list, list]]:
    """(documents, their prepared forms) per commit batch; the next batch is prepared while the caller writes."""
    from ingest.pipeline import COMMIT_EVERY_DOCS

    pending = None
    for batch in batched(docs, COMMIT_EVERY_DOCS):
        documents = [to_document(d) for d in batch]
        current = (documents, pool.map(prepare, documents, chunksize=16))
        if pending:
            yield pending[0], list(pending[1])
        pending = current
    if pending:
        yield pending[0], list(pending[1])


class Naive:
    """The design the project replaces: jieba's ChineseAnalyzer in a Whoosh TEXT field."""

    truth = "raw"

    def __init__(self, folder: Path) -> None:
        from whoosh import index

        quiet_jieba()
        self.ix = index.open_dir(str(folder))
        self.searcher = self.ix.searcher()
        self.analyzer = self.ix.schema["text"].analyzer

    @staticmethod
    def build(folder: Path, docs: Iterable[SourceDoc]) -> None:
        import jieba.analyse
        from whoosh import fields, index

        quiet_jieba()
        schema = fields.Schema(doc_id=fields.ID(stored=True), text=fields.TEXT(analyzer=jieba.analyse.ChineseAnalyzer()),
                               level=fields.ID(sortable=True), province=fields.ID(sortable=True),
                               year=fields.NUMERIC(int, sortable=True))
        writer = index.create_in(str(folder), schema).writer(procs=JOBS, multisegment=True, limitmb=256)
        for doc in docs:
            values = {"doc_id": doc.doc_id, "text": doc.text, "level": doc.level, "province": doc.province,
                      "year": doc.year}
            writer.add_document(**{k: v for k, v in values.items() if v is not None})
        writer.commit()

    def _query(self, phrase: str):
        from whoosh import query

        tokens = [t.text for t in self.analyzer(phrase)]
        if not tokens:
            return query.NullQuery
        return query.Term("text", tokens[0]) if len(tokens) == 1 else query.Phrase("text", tokens)

    def query(self, phrase: str) -> tuple[int, dict, list[str]]:
        from whoosh import sorting

        facets = sorting.Facets()
        for name in BASELINE_FACETS:
            facets.add_field(name, maptype=sorting.Count)
        results = self.searcher.search(self._query(phrase), limit=PAGE_SIZE, groupedby=facets)
        counts = {name: results.groups(name) for name in BASELINE_FACETS}
        return len(results), counts, [hit["doc_id"] for hit in results]

    def all_ids(self, phrase: str) -> set[str]:
        results = self.searcher.search(self._query(phrase), limit=None, scored=False)
        return {self.searcher.stored_fields(n)["doc_id"] for n in results.docs()}

    def method(self, phrase: str) -> str:
        return "phrase"

    def close(self) -> None:
        self.searcher.close()


class Fts5:
    """SQLite FTS5 with the trigram tokenizer (standard library)."""

    truth = "raw"
    FILENAME = "fts5.sqlite3"
    SCHEMA = """
        CREATE TABLE docs (id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, level TEXT, province TEXT, year INTEGER);
        CREATE VIRTUAL TABLE fts USING fts5(text, tokenize='trigram');
    """

    def __init__(self, folder: Path) -> None:
        self.conn = sqlite3.connect(folder / self.FILENAME)

    @classmethod
    def build(cls, folder: Path, docs: Iterable[SourceDoc]) -> None:
        conn = sqlite3.connect(folder / cls.FILENAME)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(cls.SCHEMA)
        rowid = 0
        for batch in batched(docs, FTS5_BATCH):
            rows = list(enumerate(batch, rowid + 1))
            rowid += len(rows)
            with conn:
                conn.executemany("INSERT INTO docs VALUES (?,?,?,?,?)",
                                 [(i, d.doc_id, d.level, d.province, d.year) for i, d in rows])
                conn.executemany("INSERT INTO fts(rowid, text) VALUES (?,?)", [(i, d.text) for i, d in rows])
        conn.close()

    def method(self, phrase: str) -> str:
        return "match" if len(phrase) >= 3 else "instr"

    def _matched(self, phrase: str) -> tuple[str, str, str]:
        """(SQL selecting the matching rowids, its parameter, a ranking clause)."""
        if self.method(phrase) == "match":
            return "SELECT rowid FROM fts WHERE fts MATCH ?", '"' + phrase.replace('"', '""') + '"', " ORDER BY rank"
        return "SELECT rowid FROM fts WHERE instr(text, ?) > 0", phrase, ""

    def query(self, phrase: str) -> tuple[int, dict, list[str]]:
        matched, param, order = self._matched(phrase)
        page = self.conn.execute(f"SELECT d.doc_id FROM ({matched}{order} LIMIT {PAGE_SIZE}) m "
                                 "JOIN docs d ON d.id = m.rowid", (param,)).fetchall()
        union = " UNION ALL ".join(f"SELECT '{f}', {f}, count(*) FROM docs WHERE id IN m GROUP BY {f}"
                                   for f in BASELINE_FACETS)
        counts: dict[str, dict] = {f: {} for f in BASELINE_FACETS}
        for facet, value, n in self.conn.execute(f"WITH m AS MATERIALIZED ({matched}) {union}", (param,)):
            counts[facet][value] = n
        return sum(counts[BASELINE_FACETS[0]].values()), counts, [r[0] for r in page]

    def all_ids(self, phrase: str) -> set[str]:
        matched, param, _ = self._matched(phrase)
        rows = self.conn.execute(f"SELECT doc_id FROM docs WHERE id IN ({matched})", (param,))
        return {r[0] for r in rows}

    def close(self) -> None:
        self.conn.close()


ENGINES = {"ours": Ours, "naive": Naive, "fts5": Fts5}


# -- the phases, each run in a fresh process ----------------------------------------------------------

def isolated(fn: Callable, *args) -> Any:
    """fn(*args) in a freshly spawned process (its own imports, caches and jieba dictionary)."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=ctx, initializer=_platform_start_method) as pool:
        return pool.submit(fn, *args).result()


def _platform_start_method() -> None:
    """A spawned child would spawn its own children too; Whoosh's writer processes must fork, as usual."""
    multiprocessing.set_start_method(None, force=True)


def timed_ms(fn: Callable, *args) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn(*args)
    return (time.perf_counter() - started) * 1000, value


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def build_phase(engine: str, folder: str, corpora: str, passages: int | None) -> dict[str, float]:
    docs = TimedIter(scale_documents(Path(corpora), passages))
    wall_ms, _ = timed_ms(ENGINES[engine].build, Path(folder), docs)
    return {"build_s": wall_ms / 1000 - docs.seconds, "read_s": docs.seconds, "size_mb": folder_mb(Path(folder))}


def warm_phase(engine: str, folder: str, phrases: list[str], repeat: int) -> dict[str, Any]:
    """Every phrase's full result set (untimed, warms the process), then the timed queries `repeat` times."""
    open_ms, searcher = timed_ms(ENGINES[engine], Path(folder))
    found = {p: sorted(searcher.all_ids(p)) for p in phrases}
    warm_ms: dict[str, list[float]] = {p: [] for p in phrases}
    totals: dict[str, int] = {}
    for _ in range(repeat):
        for phrase in phrases:
            ms, (totals[phrase], _, _) = timed_ms(searcher.query, phrase)
            warm_ms[phrase].append(ms)
    methods = {p: searcher.method(p) for p in phrases}
    searcher.close()
    return {"open_ms": open_ms, "found": found, "warm_ms": warm_ms, "totals": totals, "methods": methods}


def cold_phase(engine: str, folder: str, phrase: str) -> dict[str, float]:
    open_ms, searcher = timed_ms(ENGINES[engine], Path(folder))
    cold_ms, _ = timed_ms(searcher.query, phrase)
    searcher.close()
    return {"open_ms": open_ms, "cold_ms": cold_ms}


# -- figures ----------------------------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (None of no values)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else None


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def set_scores(found: dict[str, list[str]], truth: dict[str, set[str]], phrases: list[str]) -> dict[str, Any]:
    """Document-level recall and precision pooled over a query set, and how many queries were exact."""
    true_pos = sum(len(truth[p] & set(found[p])) for p in phrases)
    relevant = sum(len(truth[p]) for p in phrases)
    returned = sum(len(found[p]) for p in phrases)
    return {"queries": len(phrases), "recall": ratio(true_pos, relevant), "precision": ratio(true_pos, returned),
            "exact": sum(set(found[p]) == truth[p] for p in phrases)}


def engine_figures(name: str, build: dict, warm: dict, cold: list[dict], truth: Truth,
                   queries: dict[str, list[str]], corpus_mb: float) -> dict[str, Any]:
    reference = truth.folded if ENGINES[name].truth == "folded" else truth.raw
    warm_samples = [ms for samples in warm["warm_ms"].values() for ms in samples]
    short = [ms for p, samples in warm["warm_ms"].items() if len(p) < 3 for ms in samples]
    longer = [ms for p, samples in warm["warm_ms"].items() if len(p) >= 3 for ms in samples]
    cold_samples = [c["cold_ms"] for c in cold]
    return {
        **build, "mb_per_s": ratio(corpus_mb, build["build_s"]), "truth": ENGINES[name].truth,
        "open_ms": warm["open_ms"],
        "warm_p50_ms": percentile(warm_samples, 0.5), "warm_p95_ms": percentile(warm_samples, 0.95),
        "warm_n": len(warm_samples),
        "warm_p95_2char_ms": percentile(short, 0.95), "warm_p95_3plus_ms": percentile(longer, 0.95),
        "cold_p50_ms": percentile(cold_samples, 0.5), "cold_p95_ms": percentile(cold_samples, 0.95),
        "cold_n": len(cold_samples), "cold_open_ms": percentile([c["open_ms"] for c in cold], 0.5),
        "sets": {s: set_scores(warm["found"], reference, queries[s]) for s in QUERY_SETS},
        "methods": dict(Counter(warm["methods"].values())),
        "total_differs_from_result_set": sum(warm["totals"][p] != len(warm["found"][p]) for p in warm["found"]),
        "found_counts": {p: len(ids) for p, ids in warm["found"].items()},
        "warm_ms": {p: min(ms) for p, ms in warm["warm_ms"].items()},
    }


def print_engine(name: str, f: dict[str, Any]) -> None:
    print(f"\n== {name} ==  (truth: {f['truth']} text; methods: {f['methods']})")
    print(f"build {f['build_s']:.1f} s ({fmt(f['mb_per_s'], '.2f')} MB/s of text; reading the corpus "
          f"{f['read_s']:.1f} s excluded), index {f['size_mb']:.1f} MB on disk")
    print(f"latency ms, phrase + facet counts + first page: warm p50 {fmt(f['warm_p50_ms'])} p95 "
          f"{fmt(f['warm_p95_ms'])} (n={f['warm_n']}, opened in {f['open_ms']:.0f} ms); cold p50 "
          f"{fmt(f['cold_p50_ms'])} p95 {fmt(f['cold_p95_ms'])} (n={f['cold_n']}, a fresh process each, "
          f"opening the index {fmt(f['cold_open_ms'], '.0f')} ms more)")
    print(f"warm p95 by phrase length: 2 characters {fmt(f['warm_p95_2char_ms'])}, "
          f"3 or more {fmt(f['warm_p95_3plus_ms'])}")
    print(f"{'query set':<10} {'queries':>7} {'recall':>7} {'precision':>9} {'exact':>6}")
    for s, r in f["sets"].items():
        print(f"{s:<10} {r['queries']:>7} {fmt(r['recall'], '.3f'):>7} {fmt(r['precision'], '.3f'):>9} {r['exact']:>6}")
    if f["total_differs_from_result_set"]:
        print(f"WARNING: the reported total differs from the full result set for "
              f"{f['total_differs_from_result_set']} queries")


def ratios(figures: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """ours/fts5 and ours/naive for the p95s and the build time."""
    if "ours" not in figures:
        return {}
    keys = ("warm_p95_ms", "warm_p95_3plus_ms", "cold_p95_ms", "build_s")
    return {f"ours/{peer} {key}": ratio(figures["ours"][key], figures[peer][key])
            for peer in ("fts5", "naive") if peer in figures for key in keys}


def print_user_phrases(truth: Truth, figures: dict[str, dict[str, Any]]) -> None:
    names = list(figures)
    print("\nuser phrases: documents found (truth: raw / folded)")
    print(f"{'phrase':<12} {'truth':>11} " + " ".join(f"{n:>7}" for n in names))
    for p in USER_PHRASES:
        counts = " ".join(f"{figures[n]['found_counts'][p]:>7}" for n in names)
        print(f"{p:<12} {len(truth.raw[p]):>5} / {len(truth.folded[p]):<5}{counts}")


# -- main -------------------------------------------------------------------------------------------

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--passages", type=int, default=None, help="scale set size (default: every passage once)")
    parser.add_argument("--queries", type=int, default=100, help="queries of each generated kind")
    parser.add_argument("--engines", default="ours,naive,fts5")
    parser.add_argument("--cold", type=int, default=len(USER_PHRASES), help="cold queries (processes) per engine")
    parser.add_argument("--repeat", type=int, default=2, help="warm passes over the queries")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "bench-search-results.json")
    parser.add_argument("--keep", type=Path, default=None, help="build the indexes here and keep them")
    args = parser.parse_args()
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in args.engines if e not in ENGINES]
    if unknown:
        parser.error(f"unknown engines {unknown}; known: {', '.join(ENGINES)}")
    if args.passages is not None and not 1 <= args.passages <= MAX_PASSAGES:
        parser.error(f"--passages must be between 1 and {MAX_PASSAGES:,}")
    return args


def run_engine(name: str, folder: Path, args: argparse.Namespace, phrases: list[str]) -> tuple[dict, dict, list]:
    if folder.exists():
        sys.exit(f"{folder} exists already; remove it or choose another --keep folder")
    folder.mkdir(parents=True)
    build = isolated(build_phase, name, str(folder), str(args.corpora), args.passages)
    warm = isolated(warm_phase, name, str(folder), phrases, args.repeat)
    cold_phrases = (list(USER_PHRASES) + [p for p in phrases if p not in USER_PHRASES])[:args.cold]
    cold = [isolated(cold_phase, name, str(folder), p) for p in cold_phrases]
    return build, warm, cold


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    queries = make_queries(args.corpora, args.passages, args.queries, args.seed)
    phrases = list(dict.fromkeys(p for s in QUERY_SETS for p in queries[s]))
    truth = compute_truth(scale_documents(args.corpora, args.passages), phrases)
    corpus = truth.corpus
    print(f"corpus: {corpus['documents']:,} documents, {corpus['passages']:,} passages, {corpus['chars'] / 1e6:.1f} M "
          f"characters, {corpus['text_mb']:.1f} MB UTF-8; queries: "
          + ", ".join(f"{len(queries[s])} {s}" for s in QUERY_SETS), flush=True)
    differs = {p: [len(truth.raw[p]), len(truth.folded[p])] for p in phrases if truth.raw[p] != truth.folded[p]}
    print("phrases whose folded truth (ours) differs from the literal one (documents, literal → folded): "
          + (", ".join(f"{p} {n} → {m}" for p, (n, m) in differs.items()) or "none"))
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    figures: dict[str, dict[str, Any]] = {}
    try:
        for name in args.engines:
            build, warm, cold = run_engine(name, base / name, args, phrases)
            figures[name] = engine_figures(name, build, warm, cold, truth, queries, corpus["text_mb"])
            print_engine(name, figures[name])
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print_user_phrases(truth, figures)
    summary = ratios(figures)
    print("\nratios (issue 5: p95 within 5x of FTS5, build within 2x of naive):")
    for key, value in summary.items():
        print(f"  {key}: {fmt(value, '.2f')}")
    results = {"params": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
               "corpus": corpus, "queries": queries, "fold_differs": differs, "engines": figures,
               "ratios": summary, "seconds": time.perf_counter() - started}
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"figures written to {args.out}")


if __name__ == "__main__":
    main()
