"""Benchmark of text reuse detection (archive/reuse): accuracy on planted copies, a look at real
regulations, candidate recall against an exhaustive baseline, and cost. Run by hand; prints figures.

Parts (`--part`, default all; each builds its own temporary indexes under --work, default a temp dir):

- planted: real documents from /work/shared/corpora (laws and 新闻联播 stories as hosts, regulations,
  laws and stories as sources, chosen with --seed) get passages (or parts of 30-200 characters) of
  the sources planted into them with realistic edits: placeholders (通山县 → X县/××市/某镇), changed
  numbers (digits and 一二三…), swapped place names, 1-5% characters edited, a passage split in two,
  a passage merged into a host paragraph, and mixes. Most pieces go to 2-3 hosts, some (planted
  templates) to 5-7. Documents are written as .txt files, ingested, and `update_reuse` runs; the
  unplanted documents are run first, so natural reuse is known and not counted. Scored at the span
  level: a planted copy is found when the spans the archive reports between its host and its source
  document cover >= 50% of the planted text on the host side (and touch the source piece). Precision:
  spans between documents that fall on planted material of one piece on both sides (or are natural:
  the pair of documents shared text before planting and the span touches no planted material) over
  all spans. Also per edit kind recall, and template detection.
      .venv/bin/python bench/bench_reuse.py --part planted
- real: the 484 文明行为促进条例 (regs.jsonl.gz ingested alone): share of articles shared with another
  city's regulation, template share, biggest clusters, top document pairs with the probable source,
  10 random aligned span pairs side by side, and how often the probable source is the one dated
  earlier by the record's own date (from the file name, not the text).
      .venv/bin/python bench/bench_reuse.py --part real
- candidates: recall of the archive's candidate stage against an exhaustive baseline on a seeded
  sample (--cand-regs, --cand-laws documents). The baseline compares every pair of distinct canonical
  passage texts of different documents, without seeds: a pair is reuse when some region of both is
  >= min_span characters long at Indel similarity >= min_similarity. Pairs whose LCS is below
  0.4 * 2 * min_span = 16 characters cannot hold such a region (matches m >= 2*indels and both sides
  >= 20 give m >= 16), so the LCS of every pair is computed first (rapidfuzz cdist, C++), then the
  rest are aligned (rapidfuzz Indel opcodes, an LCS alignment) and every run of consecutive aligned
  blocks is checked for such a region. Archive pairs: class mates and reuse_pairs; also the raw seed
  candidates (seed_matches) before alignment.
      .venv/bin/python bench/bench_reuse.py --part candidates --cand-regs 50 --cand-laws 50
- cost: `update_reuse(rebuild=True)` on a copy of the whole sample + corpora index (--index, default
  /tmp/corpidx; build it with `archive ingest data/sample /work/shared/corpora/... --index DIR`),
  seconds and peak RSS of a child process doing only that (sampled from /proc/self/statm every 50 ms, per
  phase: ru_maxrss of a child keeps its forking parent's peak); then 100 new .txt documents ingested into
  the copy and an incremental `update_reuse`; then a growth curve on copies cut down to 1k and 5k
  documents (rows of other documents deleted from the copy's store).
      .venv/bin/python bench/bench_reuse.py --part cost --index /tmp/corpidx

Texts of 新闻联播 stories are read at run time and written to temporary folders only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from archive.reuse.canon import canonical  # noqa: E402
from archive.reuse.settings import reuse_settings  # noqa: E402

CORPORA = Path("/work/shared/corpora")
REGS = CORPORA / "civilized-behavior-regs" / "regs.jsonl.gz"
LAWS = CORPORA / "laws-lawrefbook" / "laws.jsonl.gz"
NEWS = CORPORA / "xwlb-cctv" / "items.jsonl.gz"
GAZETTEER = CORPORA / "prc-places-gazetteer"
CJK_NUMERALS = "一二三四五六七八九十"
SENTENCE_ENDS = "。；！？"
CLAUSE_ENDS = "。；！？，、："


# ---------------------------------------------------------------- shared helpers

def records(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ingest(paths: list[Path], folder: Path, jobs: int = 2) -> None:
    from ingest.pipeline import ingest_paths
    began = time.perf_counter()
    summary = ingest_paths([str(p) for p in paths], folder, jobs=jobs)
    counts = Counter(o.status for o in summary.outcomes)
    docs = sum(len(o.documents or ()) for o in summary.outcomes)
    print(f"  ingested {len(paths)} path(s) into {folder.name}/ in {time.perf_counter() - began:.1f} s: "
          f"{dict(counts)}, {docs} documents")


def run_reuse(folder: Path, rebuild: bool = False):
    from archive.reuse.detect import update_reuse
    report = update_reuse(folder, rebuild=rebuild)
    print(f"  update_reuse: {report.as_dict()}")
    return report


def connect(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / "archive.sqlite3")


def table(rows: list[list], header: list[str]) -> None:
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    for n, row in enumerate(cells):
        print("  " + "  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(row)))
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


@dataclass
class DocSpan:
    """A shared span between two documents, in offsets of each document's stored text."""

    doc_x: str
    doc_y: str
    x: tuple[int, int]
    y: tuple[int, int]
    similarity: float


def all_spans(conn: sqlite3.Connection) -> list[DocSpan]:
    """Every shared span between two documents, from the tables: class mates (whole passages) and
    reuse_pairs (canonical offsets mapped back to the passage text, then to the document text)."""
    settings = reuse_settings()
    members: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for passage_id, doc_id, class_id in conn.execute("SELECT passage_id, doc_id, class_id FROM reuse_members"):
        members[class_id].append((doc_id, passage_id))
    info = {p: (t, s) for p, t, s in conn.execute(
        "SELECT p.passage_id, p.text, p.start FROM passages p JOIN reuse_members m ON m.passage_id = p.passage_id")}
    canon_cache: dict[str, object] = {}

    def doc_range(passage_id: str, start: int, end: int) -> tuple[int, int]:
        if passage_id not in canon_cache:
            canon_cache[passage_id] = canonical(info[passage_id][0], settings.placeholders)
        s, e = canon_cache[passage_id].original_span(start, end)
        base = info[passage_id][1]
        return base + s, base + e

    out: list[DocSpan] = []
    for held in members.values():
        for i, (doc_x, px) in enumerate(held):
            for doc_y, py in held[i + 1:]:
                if doc_x != doc_y:
                    tx, ty = info[px], info[py]
                    out.append(DocSpan(doc_x, doc_y, (tx[1], tx[1] + len(tx[0])), (ty[1], ty[1] + len(ty[0])), 1.0))
    for a, b, a0, a1, b0, b1, sim in conn.execute("SELECT * FROM reuse_pairs"):
        for doc_x, px in members.get(a, ()):
            for doc_y, py in members.get(b, ()):
                if doc_x != doc_y:
                    out.append(DocSpan(doc_x, doc_y, doc_range(px, a0, a1), doc_range(py, b0, b1), sim))
    return out


def doc_names(conn: sqlite3.Connection) -> dict[str, str]:
    """doc_id → the stem of its file (only documents that are not duplicates)."""
    return {d: Path(p).stem for d, p in conn.execute(
        "SELECT doc_id, source_path FROM documents WHERE duplicate_of IS NULL")}


def doc_texts(conn: sqlite3.Connection) -> dict[str, str]:
    return {d: t for d, t in conn.execute(
        "SELECT doc_id, json_extract(data, '$.text') FROM documents WHERE duplicate_of IS NULL")}


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


# ---------------------------------------------------------------- part 1: planted

class Places:
    """Place names of the gazetteer (≥ 3 characters, with their suffix), and a finder."""

    def __init__(self) -> None:
        names = set()
        for name in ("provinces.csv", "cities.csv", "areas.csv"):
            with open(GAZETTEER / name, encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    n = row["name"].strip()
                    if len(n) >= 3 and n not in ("市辖区",) and n[-1] in "省市县区州旗盟":
                        names.add(n)
        self.names = sorted(names)
        self.by_suffix: dict[str, list[str]] = defaultdict(list)
        for n in self.names:
            self.by_suffix[n[-1]].append(n)
        self.pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))

    def find(self, text: str) -> list[re.Match]:
        return list(self.pattern.finditer(text))


PLACEHOLDERS = {"县": ["X县", "××县", "某县"], "市": ["××市", "X市", "某市"], "区": ["X区", "××区", "某区"],
                "省": ["××省", "X省", "某省"], "州": ["××州", "X州"], "旗": ["X旗"], "盟": ["X盟"]}


@dataclass
class Piece:
    number: int
    source: str  # file stem of the source document
    text: str
    template: bool = False
    hosts: list[str] = field(default_factory=list)


@dataclass
class Copy:
    piece: int
    host: str
    kind: str
    texts: list[str]  # the planted text(s) as written (two for a split)


class Editor:
    def __init__(self, rng: random.Random, places: Places, pool: str) -> None:
        self.rng, self.places, self.pool = rng, places, pool

    def placeholder(self, text: str) -> str | None:
        found = self.places.find(text)
        if not found:
            return None
        out, last = [], 0
        for m in found:
            out += [text[last:m.start()], self.rng.choice(PLACEHOLDERS[m.group()[-1]])]
            last = m.end()
        return "".join(out) + text[last:]

    def place_swap(self, text: str) -> str | None:
        found = self.places.find(text)
        if not found:
            return None
        swap = {n: self.rng.choice(self.places.by_suffix[n[-1]]) for n in {m.group() for m in found}}
        return self.places.pattern.sub(lambda m: swap[m.group()], text)

    def numbers(self, text: str) -> str | None:
        if not re.search(r"\d|[" + CJK_NUMERALS + "]", text):
            return None
        text = re.sub(r"\d+", lambda m: str(self.rng.randint(1, 10 ** self.rng.randint(1, 4))), text)
        return "".join(self.rng.choice(CJK_NUMERALS) if ch in CJK_NUMERALS and self.rng.random() < 0.7 else ch
                       for ch in text)

    def chars(self, text: str) -> str:
        rate = self.rng.uniform(0.01, 0.05)
        chars = list(text)
        for _ in range(max(1, round(rate * len(text)))):
            i = self.rng.randrange(len(chars))
            op = self.rng.choice("sid")
            if op == "s":
                chars[i] = self.rng.choice(self.pool)
            elif op == "i":
                chars.insert(i, self.rng.choice(self.pool))
            elif len(chars) > 30:
                del chars[i]
        return "".join(chars)


KINDS = ("exact", "placeholder", "numbers", "place_swap", "chars", "split", "merged", "mixed")


def _cut_piece(rng: random.Random, text: str) -> str:
    """The passage itself (≤ 200 characters) or a part of 30-200 characters, from a clause boundary."""
    if len(text) <= 200:
        return text
    length = rng.randint(30, 200)
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch in CLAUSE_ENDS and i + 1 < len(text) - 30]
    start = rng.choice(starts)
    end = min(len(text), start + length)
    for i in range(end, min(len(text), end + 20)):
        if text[i - 1] in CLAUSE_ENDS:
            end = i
            break
    return text[start:end]


def planted(args) -> None:
    rng = random.Random(args.seed)
    work = args.work / "planted"
    shutil.rmtree(work, ignore_errors=True)
    places = Places()
    print(f"planted: reading corpora ({len(places.names)} place names)")
    laws = [r for r in records(LAWS) if 800 <= len(r["text"]) <= 6000]
    news = [r for r in records(NEWS) if 400 <= len(r["text"]) <= 5000]
    regs = [r for r in records(REGS) if r["set"] == "docs" and len(r["text"]) > 1000]
    rng.shuffle(laws)
    rng.shuffle(news)
    rng.shuffle(regs)
    hosts = {f"h{n:03d}": r for n, r in enumerate(laws[:args.hosts // 2] + news[:args.hosts - args.hosts // 2])}
    sources = {f"s{n:03d}": r for n, r in enumerate(regs[:40] + laws[args.hosts:args.hosts + 30]
                                                   + news[args.hosts:args.hosts + 30])}
    pool = "".join(ch for r in list(hosts.values())[:50] for ch in r["text"] if "\u4e00" <= ch <= "\u9fff")

    def write(folder: Path, docs: dict[str, tuple[str, list[str]]]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, (title, paras) in docs.items():
            (folder / f"{name}.txt").write_text(title + "\n" + "\n".join(paras) + "\n", encoding="utf-8")

    host_paras = {n: paragraphs(r["text"]) for n, r in hosts.items()}
    source_paras = {n: paragraphs(r["text"]) for n, r in sources.items()}
    plain = {n: (r["title"], host_paras[n]) for n, r in hosts.items()}
    plain.update({n: (r["title"], source_paras[n]) for n, r in sources.items()})
    write(work / "plain", plain)
    print(f"  {len(hosts)} hosts, {len(sources)} source documents; baseline run without planted text")
    ingest([work / "plain"], work / "plain-index")
    run_reuse(work / "plain-index")
    conn = connect(work / "plain-index")
    names = doc_names(conn)
    natural_pairs = {tuple(sorted((names[s.doc_x], names[s.doc_y]))) for s in all_spans(conn)
                     if s.doc_x in names and s.doc_y in names}
    # source passages no other document shares (else a host copy would also, rightly, match that one)
    originals = defaultdict(list)
    for doc_id, role, text in conn.execute(
            "SELECT r.doc_id, r.role, p.text FROM reuse_passages r JOIN passages p ON p.passage_id = r.passage_id"):
        name = names.get(doc_id)
        if name in sources and role == "original" and len(text) >= 30:
            originals[name].append(text)
    conn.close()
    print(f"  natural reuse before planting: {len(natural_pairs)} document pairs")

    # pieces: ~100, a third from passages with a place name (for placeholder/swap edits)
    editor = Editor(rng, places, pool)
    pieces: list[Piece] = []
    candidates = [(n, t) for n in sorted(originals) for t in originals[n]]
    rng.shuffle(candidates)
    with_place = [c for c in candidates if places.find(c[1])]
    chosen, used = [], set()
    for name, text in with_place[:args.pieces // 3] + candidates:
        if len(chosen) >= args.pieces:
            break
        if text in used:
            continue
        used.add(text)
        chosen.append((name, text))
    host_names = sorted(hosts)
    load = Counter()
    for n, (name, text) in enumerate(chosen):
        piece = Piece(n, name, _cut_piece(rng, text), template=n < args.templates)
        count = rng.randint(5, 7) if piece.template else rng.randint(2, 3)
        piece.hosts = sorted(rng.sample(sorted(host_names, key=lambda h: (load[h], rng.random()))[:60], count))
        load.update(piece.hosts)
        pieces.append(piece)
    copies: list[Copy] = []
    planted_paras = {n: list(p) for n, p in host_paras.items()}
    for piece in pieces:
        for host in piece.hosts:
            kind = rng.choice(KINDS)
            text, texts = piece.text, None
            if kind == "placeholder":
                text = editor.placeholder(text)
            elif kind == "place_swap":
                text = editor.place_swap(text)
            elif kind == "numbers":
                text = editor.numbers(text)
            elif kind == "chars":
                text = editor.chars(text)
            elif kind == "mixed":
                text = editor.placeholder(text) or editor.numbers(text) or text
                text = editor.chars(text)
            if text is None:  # no place name or number to edit: characters instead
                kind, text = "chars", editor.chars(piece.text)
            paras = planted_paras[host]
            at = rng.randint(1, max(1, len(paras)))
            if kind == "split" and len(text) >= 50:
                cuts = [i + 1 for i, ch in enumerate(text) if ch in CLAUSE_ENDS and 20 <= i + 1 <= len(text) - 20]
                cut = rng.choice(cuts) if cuts else len(text) // 2
                texts = [text[:cut], text[cut:]]
                paras[at:at] = texts
            elif kind == "merged":
                k = min(len(paras) - 1, at)
                base = paras[k]
                ends = [i + 1 for i, ch in enumerate(base) if ch in SENTENCE_ENDS]
                cut = rng.choice([0, len(base)] + ends)
                paras[k] = base[:cut] + text + base[cut:]
                texts = [text]
            else:
                if kind == "split":
                    kind = "exact"
                paras.insert(at, text)
                texts = [text]
            copies.append(Copy(piece.number, host, kind, texts))
    docs = {n: (r["title"], planted_paras[n]) for n, r in hosts.items()}
    docs.update({n: (r["title"], source_paras[n]) for n, r in sources.items()})
    write(work / "docs", docs)
    print(f"  {len(pieces)} pieces ({sum(p.template for p in pieces)} planted templates), {len(copies)} copies; "
          f"kinds {dict(Counter(c.kind for c in copies))}")
    began = time.perf_counter()
    ingest([work / "docs"], work / "index")
    report = run_reuse(work / "index")
    print(f"  ingest + reuse {time.perf_counter() - began:.1f} s")
    score_planted(work / "index", pieces, copies, natural_pairs, report)


def score_planted(folder: Path, pieces: list[Piece], copies: list[Copy], natural_pairs: set, report) -> None:
    conn = connect(folder)
    names = doc_names(conn)
    ids = {v: k for k, v in names.items()}
    texts = doc_texts(conn)
    # planted material: per document, intervals of each piece (the source piece in its source document)
    material: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # doc name → (start, end, piece)
    copy_ranges: dict[int, list[tuple[int, int]]] = {}
    missing = 0

    keyed: dict[str, tuple[str, list[int]]] = {}

    def locate(name: str, text: str) -> tuple[int, int] | None:
        """The planted text in the stored document, ignoring what normalisation changes (spaces, NFKC)."""
        doc_id = ids.get(name, "")
        if doc_id not in keyed:
            keyed[doc_id] = _keyed(texts.get(doc_id, ""))
        key, offsets = keyed[doc_id]
        wanted = _keyed(text)[0]
        at = key.find(wanted) if wanted else -1
        return None if at < 0 else (offsets[at], offsets[at + len(wanted) - 1] + 1)

    for piece in pieces:
        where = locate(piece.source, piece.text)
        if where is None:
            missing += 1
        else:
            material[piece.source].append((*where, piece.number))
    for n, c in enumerate(copies):
        ranges = [r for r in (locate(c.host, t) for t in c.texts) if r is not None]
        if len(ranges) < len(c.texts):
            missing += 1
        copy_ranges[n] = ranges
        material[c.host] += [(*r, c.piece) for r in ranges]
    if missing:
        print(f"  WARNING: {missing} planted texts not found verbatim in the stored documents (left unscored)")
    spans = [s for s in all_spans(conn) if s.doc_x in names and s.doc_y in names]

    def pieces_at(name: str, rng: tuple[int, int]) -> set[int]:
        return {p for s, e, p in material.get(name, ()) if overlap((s, e), rng) > 0}

    tp = natural = fp = strict = cross = inherited = 0
    piece_source = {p.number: p.source for p in pieces}
    holds = defaultdict(set)
    for name, items in material.items():
        holds[name] |= {p for _s, _e, p in items}
    fp_examples = []
    by_pair: dict[tuple[str, str], list[tuple[tuple[int, int], tuple[int, int]]]] = defaultdict(list)
    for s in spans:
        nx, ny = names[s.doc_x], names[s.doc_y]
        by_pair[(nx, ny)].append((s.x, s.y))
        by_pair[(ny, nx)].append((s.y, s.x))
        px, py = pieces_at(nx, s.x), pieces_at(ny, s.y)
        if px & py:
            tp += 1
            strict += 1
        elif (px & holds[ny]) or (py & holds[nx]):
            tp += 1  # planted text of one side matched elsewhere in a document holding the same piece
        elif px and py and _same_sources(px, py, piece_source):
            tp += 1  # planted text of two pieces of one source document that share a phrase
            cross += 1
        elif any(tuple(sorted((piece_source[p], other))) in natural_pairs for p, other in
                 [(p, ny) for p in px] + [(p, nx) for p in py]):
            tp += 1  # planted text whose source document already shared text with the other document
            inherited += 1
        elif not px and not py and tuple(sorted((nx, ny))) in natural_pairs:
            natural += 1
        else:
            fp += 1
            if len(fp_examples) < 8:
                fp_examples.append((nx, ny, texts[s.doc_x][slice(*s.x)], texts[s.doc_y][slice(*s.y)], s.similarity))
    found_by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    piece_of = {p.number: p for p in pieces}
    source_range = {p: (s, e) for name, items in material.items() for s, e, p in items
                    if name == piece_of[p].source}
    misses = []
    for n, c in enumerate(copies):
        ranges = copy_ranges[n]
        if not ranges or piece_of[c.piece].number not in source_range:
            continue
        src = source_range[c.piece]
        planted_len = sum(e - s for s, e in ranges)
        hits = [x for x, y in by_pair.get((c.host, piece_of[c.piece].source), []) if overlap(y, src) > 0]
        covered = _covered(ranges, hits)
        ok = covered >= 0.5 * planted_len
        found_by_kind[c.kind][0] += ok
        found_by_kind[c.kind][1] += 1
        if not ok and len(misses) < 10:
            misses.append((c.kind, c.host, piece_of[c.piece].source, covered, planted_len, c.texts, piece_of[c.piece].text))
    found = sum(v[0] for v in found_by_kind.values())
    total = sum(v[1] for v in found_by_kind.values())
    scored = tp + fp
    print()
    print("planted: span-level accuracy")
    table([["spans reported between documents", len(spans)],
           ["  on planted material of one piece, both sides (true)", strict],
           ["  planted text on one side, other side elsewhere in a holder of the piece (true)",
            tp - strict - cross - inherited],
           ["  planted text of two pieces from one source on both sides (true)", cross],
           ["  planted text whose source already shared text with the other document (true)", inherited],
           ["  natural reuse (pair shared text before planting)", natural],
           ["  other (false)", fp],
           ["precision = true / (true + false)", f"{tp / scored:.3f}" if scored else "-"],
           ["planted copies scored", total],
           ["recall = found / planted (>= 50% of the planted text)", f"{found / total:.3f}" if total else "-"]],
          ["figure", "value"])
    print()
    table([[k, v[1], v[0], f"{v[0] / v[1]:.3f}"] for k, v in sorted(found_by_kind.items())],
          ["edit kind", "copies", "found", "recall"])
    # template detection: roles of the host passages holding planted text
    roles = {}
    for doc_id, start, end, role in conn.execute(
            "SELECT p.doc_id, p.start, p.end, r.role FROM passages p JOIN reuse_passages r "
            "ON r.passage_id = p.passage_id"):
        if doc_id in names:
            roles.setdefault(names[doc_id], []).append((start, end, role))
    per_kind = defaultdict(Counter)  # template? → role counts of the passages holding planted copies
    for n, c in enumerate(copies):
        for r in copy_ranges[n]:
            holding = [role for s, e, role in roles.get(c.host, []) if overlap((s, e), r) >= 0.5 * (r[1] - r[0])
                       or overlap((s, e), r) >= 0.5 * (e - s)]
            for role in holding:
                per_kind[piece_of[c.piece].template][role] += 1
    print()
    t, nt = per_kind[True], per_kind[False]
    template_recall = t["template"] / max(1, sum(t.values()))
    template_precision = t["template"] / max(1, t["template"] + nt["template"])
    table([["planted templates (5-7 hosts)", sum(t.values()), t["template"], t["shared"], t["original"]],
           ["planted non-templates (2-3 hosts)", sum(nt.values()), nt["template"], nt["shared"], nt["original"]]],
          ["host passages holding planted text", "passages", "template", "shared", "original"])
    print(f"  template recall (template pieces' passages with role template): {template_recall:.3f}")
    print(f"  template precision (role template among planted passages that are template pieces): "
          f"{template_precision:.3f}")
    if fp_examples:
        print("\n  false spans (examples):")
        for nx, ny, a, b, sim in fp_examples:
            print(f"    {nx}~{ny} sim {sim}: {a[:70]!r} | {b[:70]!r}")
    if misses:
        print("\n  missed copies (examples):")
        for kind, host, source, covered, length, planted_texts, original in misses:
            print(f"    {kind} {host}<-{source}: {covered}/{length} covered\n      planted  {' / '.join(planted_texts)[:150]}"
                  f"\n      original {original[:150]}")
    conn.close()


def _same_sources(px: set[int], py: set[int], piece_source: dict[int, str]) -> bool:
    return bool({piece_source[p] for p in px} & {piece_source[p] for p in py})


def _keyed(text: str) -> tuple[str, list[int]]:
    """The text NFKC-folded without whitespace, and per character its index in `text`."""
    chars, offsets = [], []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if not c.isspace():
                chars.append(c)
                offsets.append(i)
    return "".join(chars), offsets


def _covered(ranges: list[tuple[int, int]], hits: list[tuple[int, int]]) -> int:
    total = 0
    for s, e in ranges:
        mask = np.zeros(e - s, bool)
        for hs, he in hits:
            lo, hi = max(s, hs), min(e, he)
            if lo < hi:
                mask[lo - s:hi - s] = True
        total += int(mask.sum())
    return total


# ---------------------------------------------------------------- part 2: real regulations

def _place(title: str) -> str:
    m = re.match(r"(.+?[省市州县区盟旗])", title or "")
    return m.group(1) if m else (title or "?")


def real(args) -> None:
    from archive.reuse.query import pair_spans
    work = args.work / "real"
    shutil.rmtree(work, ignore_errors=True)
    print("real: 文明行为促进条例 (regs.jsonl.gz alone)")
    ingest([REGS], work / "index")
    run_reuse(work / "index")
    conn = connect(work / "index")
    regs = records(REGS)
    usable = [r for r in regs if (r.get("text") or "").strip()]
    docs = {}
    for doc_id, title, part, year, date in conn.execute(
            "SELECT doc_id, json_extract(data,'$.title'), json_extract(data,'$.part'), json_extract(data,'$.year'), "
            "json_extract(data,'$.date') FROM documents WHERE duplicate_of IS NULL"):
        record = usable[part - 1] if part and part <= len(usable) else {}
        docs[doc_id] = {"title": title, "year": year, "date": date, "record": record}
    mismatched = sum(1 for d in docs.values() if d["record"].get("title") != d["title"])
    print(f"  documents whose title differs from the record matched by position: {mismatched}")
    dupes = conn.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]
    print(f"  documents: {len(docs)} compared ({dupes} duplicates left out) of {len(regs)} records")
    # per passage: the other documents it shares with
    others: dict[str, set[str]] = defaultdict(set)
    pid_of = {}
    for s in all_spans(conn):
        others[(s.doc_x, s.x)].add(s.doc_y)
        others[(s.doc_y, s.y)].add(s.doc_x)
    passages = conn.execute("SELECT r.passage_id, r.doc_id, p.start, p.end, r.role FROM reuse_passages r "
                            "JOIN passages p ON p.passage_id = r.passage_id").fetchall()
    by_doc = defaultdict(list)
    for (doc, rng), partners in others.items():
        by_doc[doc].append((rng, partners))
    other_city = roles = 0
    role_count = Counter()
    for passage_id, doc, start, end, role in passages:
        role_count[role] += 1
        pid_of[passage_id] = doc
        place = _place(docs.get(doc, {}).get("title"))
        partners = set().union(*([p for rng, p in by_doc.get(doc, []) if overlap(rng, (start, end)) > 0] or [set()]))
        if any(_place(docs.get(d, {}).get("title")) != place for d in partners):
            other_city += 1
    roles = sum(role_count.values())
    print(f"  compared passages (articles): {roles}; roles {dict(role_count)}")
    print(f"  shared with another city's regulation: {other_city / roles:.3f} ({other_city})")
    print(f"  template: {role_count['template'] / roles:.3f}; shared (any): "
          f"{(role_count['template'] + role_count['shared']) / roles:.3f}")

    def label(doc: str | None) -> str:
        if not doc:
            return "-"
        d = docs.get(doc, {})
        return f"{d.get('title')} ({d.get('date') or d.get('year')})"

    print("\n  biggest clusters")
    rows = conn.execute("SELECT cluster, docs, passages, source, template FROM reuse_clusters "
                        "ORDER BY docs DESC, passages DESC LIMIT 5").fetchall()
    table([[c, d, p, t, label(s)] for c, d, p, s, t in rows], ["cluster", "docs", "passages", "template", "source"])
    print("\n  top document pairs")
    pairs = conn.execute("SELECT doc_a, doc_b, passages, chars, source FROM reuse_doc_pairs "
                         "ORDER BY chars DESC LIMIT 10").fetchall()
    table([[label(a), label(b), n, c, label(s) if s else "-"] for a, b, n, c, s in pairs],
          ["doc a", "doc b", "passages", "chars", "probable source"])
    # sanity: direction against the records' own dates (file names), not the dates read from the text
    agree = disagree = undecided = 0
    for a, b, s in conn.execute("SELECT doc_a, doc_b, source FROM reuse_doc_pairs WHERE source IS NOT NULL"):
        other = b if s == a else a
        ks, ko = _record_key(docs[s]["record"]), _record_key(docs[other]["record"])
        if ks is None or ko is None or ks == ko:
            undecided += 1
        elif ks < ko:
            agree += 1
        else:
            disagree += 1
    directed = conn.execute("SELECT count(*), sum(source IS NOT NULL) FROM reuse_doc_pairs").fetchone()
    print(f"\n  document pairs: {directed[0]}, with a probable source: {directed[1]}")
    print(f"  probable source dated earlier by the record's own date/year: {agree} "
          f"({agree / max(1, agree + disagree):.3f} of decidable), later: {disagree}, undecidable: {undecided}")
    rng = random.Random(args.seed)
    all_pairs = conn.execute("SELECT doc_a, doc_b FROM reuse_doc_pairs ORDER BY doc_a, doc_b").fetchall()
    sample = rng.sample(all_pairs, min(30, len(all_pairs)))
    print("\n  10 random aligned span pairs (canonical span mapped to passage text)")
    shown = 0
    for a, b in sample:
        spans = pair_spans(conn, a, b)
        if not spans:
            continue
        s = rng.choice(spans)
        shown += 1
        print(f"  [{shown}] sim {s['similarity']}  {label(a)}  ~  {label(b)}")
        print(f"      A: {s['text_a'][:160]}")
        print(f"      B: {s['text_b'][:160]}")
        if shown == 10:
            break
    conn.close()


def _record_key(record: dict) -> tuple | None:
    if record.get("date"):
        return (int(record["date"][:4]), record["date"])
    if record.get("year"):
        return (int(record["year"]), "")
    return None


# ---------------------------------------------------------------- part 3: candidates

def candidates(args) -> None:
    from rapidfuzz import process
    from rapidfuzz.distance import Indel, LCSseq

    from archive.reuse.candidates import seed_matches
    from archive.reuse.seeds import winnowed_seeds
    settings = reuse_settings()
    rng = random.Random(args.seed)
    work = args.work / "candidates"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    regs = [r for r in records(REGS) if (r.get("text") or "").strip()]
    laws = [r for r in records(LAWS) if (r.get("text") or "").strip()]
    sample = rng.sample(regs, args.cand_regs) + rng.sample(laws, args.cand_laws)
    with open(work / "sample.jsonl", "w", encoding="utf-8") as handle:
        for r in sample:
            handle.write(json.dumps({"id": r["id"], "title": r["title"], "date": r.get("date"), "text": r["text"]},
                                    ensure_ascii=False) + "\n")
    print(f"candidates: {args.cand_regs} regulations + {args.cand_laws} laws (seed {args.seed})")
    ingest([work / "sample.jsonl"], work / "index")
    run_reuse(work / "index")
    conn = connect(work / "index")
    docs_of: dict[int, set[str]] = defaultdict(set)
    for doc_id, class_id in conn.execute("SELECT doc_id, class_id FROM reuse_members"):
        docs_of[class_id].add(doc_id)
    ids = sorted(docs_of)
    text_of = {}
    rows = conn.execute("SELECT m.class_id, p.text FROM reuse_members m JOIN passages p "
                        "ON p.passage_id = m.passage_id GROUP BY m.class_id").fetchall()
    for class_id, text in rows:
        text_of[class_id] = canonical(text, settings.placeholders).text
    texts = [text_of[c] for c in ids]
    archive_pairs = {(a, b) if a < b else (b, a) for a, b in conn.execute(
        "SELECT DISTINCT class_a, class_b FROM reuse_pairs")}
    mates = sum(1 for c in ids if len(docs_of[c]) > 1)
    # the raw candidate stage (seeds shared, before alignment)
    seeds = winnowed_seeds(texts, settings.seed_length, settings.winnow_window)
    class_ids = np.asarray(ids, dtype=np.int64)
    matches = seed_matches(seeds.hashes, class_ids[seeds.texts], seeds.positions,
                           np.ones(len(seeds.hashes), bool), max_postings=settings.max_seed_postings,
                           max_gap=settings.max_gap, max_shift=settings.max_shift)
    seed_pairs = set()
    for k in range(len(matches)):
        s = int(matches.starts[k])
        seed_pairs.add((int(matches.class_a[s]), int(matches.class_b[s])))
    print(f"  {len(ids)} distinct canonical passages ({mates} held by several documents: class mates, "
          f"found by construction), {len(ids) * (len(ids) - 1) // 2:,} pairs to compare")
    # exhaustive baseline: LCS of every pair (C++), then alignment of those with LCS >= 16
    need = int(np.ceil(0.8 * settings.min_span))  # m >= 2 * indels and both sides >= min_span
    began = time.perf_counter()
    lengths = np.asarray([len(t) for t in texts])
    survivors = []
    chunk = 400
    for i in range(0, len(texts), chunk):
        block = process.cdist(texts[i:i + chunk], texts, scorer=LCSseq.similarity, dtype=np.int32,
                              workers=args.jobs, score_cutoff=need)
        rows_, cols = np.nonzero(block >= need)
        rows_ = rows_ + i
        keep = cols > rows_
        survivors.append(np.stack([rows_[keep], cols[keep]], axis=1))
    survivors = np.concatenate(survivors) if survivors else np.empty((0, 2), np.int64)
    lcs_seconds = time.perf_counter() - began
    print(f"  baseline stage 1 (LCS >= {need} of every pair): {len(survivors):,} pairs left, {lcs_seconds:.0f} s")
    began = time.perf_counter()
    baseline: dict[tuple[int, int], tuple] = {}  # pair → its best region (a0, a1, b0, b1, similarity)
    by_difflib = 0
    for i, j in survivors.tolist():
        a, b = texts[i], texts[j]
        ca, cb = ids[i], ids[j]
        if docs_of[ca] == docs_of[cb] and len(docs_of[ca]) == 1:
            continue  # two passages of one document are not reuse
        blocks = _blocks(Indel.opcodes(a, b))
        if not _has_region(blocks, settings.min_span, settings.min_similarity):
            # the LCS path may match a shared phrase's characters elsewhere: longest block first, too
            blocks = [tuple(m) for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()[:-1]]
            if not _has_region(blocks, settings.min_span, settings.min_similarity):
                continue
            by_difflib += 1
        key = (ca, cb) if ca < cb else (cb, ca)
        baseline[key] = _best_region(blocks, settings.min_span, settings.min_similarity)
    print(f"  baseline stage 2 (LCS alignment, else difflib longest-block-first; every run of aligned blocks): "
          f"{len(baseline):,} pairs ({by_difflib} found by difflib only), {time.perf_counter() - began:.0f} s; "
          f"lengths of texts: median {int(np.median(lengths))}")
    cross = {p for p in archive_pairs if not (docs_of[p[0]] == docs_of[p[1]] and len(docs_of[p[0]]) == 1)}
    found = baseline.keys() & archive_pairs
    seed_found = baseline.keys() & seed_pairs
    print()
    table([["baseline pairs (different documents)", len(baseline), ""],
           ["archive reuse_pairs (different documents)", len(cross), ""],
           ["seed candidates (seed_matches, before alignment)", len(seed_pairs), ""],
           ["candidate recall: seed candidates ∩ baseline / baseline", len(seed_found),
            f"{len(seed_found) / max(1, len(baseline)):.3f}"],
           ["recall: reuse_pairs ∩ baseline / baseline", len(found), f"{len(found) / max(1, len(baseline)):.3f}"],
           ["precision: reuse_pairs ∩ baseline / reuse_pairs", len(cross & baseline.keys()),
            f"{len(cross & baseline.keys()) / max(1, len(cross)):.3f}"]],
          ["figure", "pairs", "share"])
    print("\n  recall by the baseline region's similarity and length (shorter side, canonical characters)")
    buckets: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for pair, (a0, a1, b0, b1, sim) in baseline.items():
        length = min(a1 - a0, b1 - b0)
        key = (next(f">= {t}" for t in (0.95, 0.9, 0.85, 0.8) if sim >= t),
               "20-29" if length < 30 else "30-59" if length < 60 else ">= 60")
        buckets[key][0] += 1
        buckets[key][1] += pair in seed_pairs
        buckets[key][2] += pair in archive_pairs
    table([[s_, l_, n, f"{c / n:.3f}", f"{f / n:.3f}"] for (s_, l_), (n, c, f) in sorted(buckets.items(), reverse=True)],
          ["similarity", "length", "baseline pairs", "seed recall", "reuse_pairs recall"])
    missed = sorted(baseline.keys() - archive_pairs)
    rng.shuffle(missed)
    if missed:
        print("\n  baseline pairs the archive missed (examples, canonical texts):")
        index = {c: k for k, c in enumerate(ids)}
        for ca, cb in missed[:8]:
            a, b = texts[index[ca]], texts[index[cb]]
            region = baseline[(ca, cb)]
            print(f"    seed candidate: {(ca, cb) in seed_pairs}; region {region}")
            if region:
                (a0, a1, b0, b1, sim) = region
                print(f"      A: {a[a0:a1][:120]}\n      B: {b[b0:b1][:120]}")
    extra = sorted(cross - baseline.keys())
    if extra:
        print(f"\n  archive pairs the baseline lacks: {len(extra)} (examples)")
        index = {c: k for k, c in enumerate(ids)}
        for ca, cb in extra[:5]:
            for a0, a1, b0, b1, sim in conn.execute("SELECT a_start, a_end, b_start, b_end, similarity FROM "
                                                    "reuse_pairs WHERE class_a=? AND class_b=?", (ca, cb)):
                print(f"    sim {sim}: {texts[index[ca]][a0:a1][:80]} | {texts[index[cb]][b0:b1][:80]}")
    conn.close()


def _blocks(opcodes) -> list[tuple[int, int, int]]:
    return [(op.src_start, op.dest_start, op.src_end - op.src_start) for op in opcodes if op.tag == "equal"]


def _best_region(blocks, min_span: int, min_similarity: float):
    """The longest run of consecutive aligned blocks whose region is long enough and similar enough."""
    best = None
    for k in range(len(blocks)):
        matched = 0
        for m in range(k, len(blocks)):
            matched += blocks[m][2]
            la = blocks[m][0] + blocks[m][2] - blocks[k][0]
            lb = blocks[m][1] + blocks[m][2] - blocks[k][1]
            if min(la, lb) >= min_span and 2 * matched >= min_similarity * (la + lb):
                if best is None or la + lb > best[1] - best[0] + best[3] - best[2]:
                    best = (blocks[k][0], blocks[k][0] + la, blocks[k][1], blocks[k][1] + lb,
                            round(2 * matched / (la + lb), 3))
    return best


def _has_region(blocks, min_span: int, min_similarity: float) -> bool:
    """Whether some run of consecutive aligned blocks k..m spans >= min_span on both sides at the similarity:
    2 * matched >= min_similarity * (la + lb), all runs at once (an n x n matrix, n blocks)."""
    n = len(blocks)
    if not n:
        return False
    arr = np.asarray(blocks, dtype=np.int64)
    a0, b0, ln = arr[:, 0], arr[:, 1], arr[:, 2]
    cum = np.concatenate(([0], np.cumsum(ln)))
    matched = cum[None, 1:] - cum[:-1, None]  # [k, m]: characters matched in blocks k..m
    la = (a0 + ln)[None, :] - a0[:, None]
    lb = (b0 + ln)[None, :] - b0[:, None]
    ok = (np.minimum(la, lb) >= min_span) & (2 * matched >= min_similarity * (la + lb)) & (matched > 0)
    return bool(np.any(np.triu(ok)))


# ---------------------------------------------------------------- part 4: cost

CHILD = """
import json, os, resource, sys, threading, time
from pathlib import Path
sys.path.insert(0, {root!r})
phase, peaks, marks, began = ["start"], {{}}, [], time.perf_counter()
page = os.sysconf("SC_PAGE_SIZE")

def sample():
    while True:
        with open("/proc/self/statm") as handle:
            rss = int(handle.read().split()[1]) * page / 2**20
        peaks[phase[0]] = max(peaks.get(phase[0], 0), round(rss))
        time.sleep(0.05)

def progress(message):
    marks.append((round(time.perf_counter() - began, 1), message))
    phase[0] = message.split(" ", 1)[1] if message[:1].isdigit() else message

def entering(name, function, after=None):
    def wrapped(*args, **kwargs):
        progress(name)
        try:
            return function(*args, **kwargs)
        finally:
            if after:
                progress(after)
    return wrapped

import archive.reuse.detect as detect
detect.seed_matches = entering("[seed_matches]", detect.seed_matches, "[aligning candidates]")
detect.derive = entering("[derive]", detect.derive)
threading.Thread(target=sample, daemon=True).start()
report = detect.update_reuse(Path(sys.argv[1]), rebuild=sys.argv[2] == "rebuild", progress=progress)
print(json.dumps({{"seconds": round(time.perf_counter() - began, 1),
                  "peak_mb": max(peaks.values()),  # sampled: ru_maxrss keeps the forking parent's peak
                  "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "phases": [[t, m, peaks.get(m.split(" ", 1)[1] if m[:1].isdigit() else m)] for t, m in marks],
                  "report": report.as_dict()}}))
"""


def timed_reuse(folder: Path, rebuild: bool) -> dict:
    """update_reuse in a child process of its own: its peak RSS (sampled from /proc every 50 ms) is the run's."""
    code = CHILD.format(root=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, str(folder), "rebuild" if rebuild else "incremental"],
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"update_reuse failed on {folder} (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _edited(rng: random.Random, text: str) -> str:
    """About 3% of the characters substituted (a new passage text that aligns with the old one)."""
    chars = list(text)
    for _ in range(max(1, len(chars) // 30)):
        chars[rng.randrange(len(chars))] = rng.choice(CJK_NUMERALS)
    return "".join(chars)


def _phases(result: dict) -> None:
    """When each progress message came, and the peak RSS until the next one (sampled every 50 ms)."""
    for t, message, peak in result.get("phases", []):
        print(f"    at {t:7.1f} s: {message[:60]:<60} peak RSS in this phase {peak} MB")


def cut_down(source: Path, target: Path, keep: int, seed: int) -> int:
    """A copy of the store holding `keep` random canonical documents (other rows deleted)."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    src = sqlite3.connect(source / "archive.sqlite3")
    dst = sqlite3.connect(target / "archive.sqlite3")
    src.backup(dst)
    src.close()
    ids = [r[0] for r in dst.execute("SELECT doc_id FROM documents WHERE duplicate_of IS NULL ORDER BY doc_id")]
    chosen = random.Random(seed).sample(ids, min(keep, len(ids)))
    dst.execute("CREATE TEMP TABLE keep (doc_id TEXT PRIMARY KEY)")
    dst.executemany("INSERT INTO keep VALUES (?)", [(d,) for d in chosen])
    dst.execute("DELETE FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM keep)")
    dst.execute("DELETE FROM passages WHERE doc_id NOT IN (SELECT doc_id FROM keep)")
    for name in [r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'reuse%'")]:
        dst.execute(f"DELETE FROM {name}")
    dst.execute("DELETE FROM meta WHERE key LIKE 'reuse%'")
    dst.commit()
    dst.close()
    return len(chosen)


def cost(args) -> None:
    index = args.index
    if not (index / "archive.sqlite3").exists():
        sys.exit(f"cost: no index at {index} (build it with archive ingest ... --index {index})")
    work = args.work / "cost"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    full = work / "full"
    print(f"cost: copying {index} to {full}")
    shutil.copytree(index, full)
    shutil.rmtree(full / "reuse", ignore_errors=True)
    conn = connect(full)
    n_docs, n_passages = conn.execute("SELECT (SELECT count(*) FROM documents WHERE duplicate_of IS NULL), "
                                      "(SELECT count(*) FROM passages)").fetchone()
    conn.close()
    print(f"  {n_docs} canonical documents, {n_passages} passages")
    result = timed_reuse(full, rebuild=True)
    print(f"  rebuild: {result['seconds']} s, peak {result['peak_mb']} MB (targets <= 600 s, <= 2048 MB); "
          f"{result['report']}")
    _phases(result)
    growth = [(n_docs, result)]
    # 100 new documents: paragraphs of random records, shuffled together (new text that shares with the archive)
    rng = random.Random(args.seed)
    pool = [paragraphs(r["text"]) for r in records(REGS) + records(LAWS)[:1500]]
    new = work / "new100"
    new.mkdir()
    for n in range(100):
        paras = [p for doc in rng.sample(pool, 3) for p in rng.sample(doc, min(len(doc), 6))]
        rng.shuffle(paras)
        paras = [_edited(rng, p) if rng.random() < 0.5 else p for p in paras]  # half of them new text
        (new / f"new{n:03d}.txt").write_text(f"新增测试文件{n}号汇编\n" + "\n".join(paras) + "\n", encoding="utf-8")
    began = time.perf_counter()
    ingest([new], full)
    print(f"  ingest of 100 new .txt files: {time.perf_counter() - began:.1f} s")
    result = timed_reuse(full, rebuild=False)
    print(f"  incremental update_reuse after adding 100 documents: {result['seconds']} s, peak {result['peak_mb']} MB; "
          f"{result['report']}")
    _phases(result)
    for size in args.sizes:
        if size >= n_docs:
            continue
        sub = work / f"sub{size}"
        cut_down(full, sub, size, args.seed)
        growth.append((size, timed_reuse(sub, rebuild=True)))
        shutil.rmtree(sub, ignore_errors=True)
    print()
    table([[n, r["report"]["passages_compared"], r["report"]["candidate_pairs"], r["seconds"], r["peak_mb"]]
           for n, r in sorted(growth, key=lambda x: x[0])],
          ["documents", "passages compared", "candidate pairs", "seconds", "peak MB"])


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--part", choices=("planted", "real", "candidates", "cost", "all"), default="all")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--work", type=Path, default=None, help="folder for the temporary indexes (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep --work afterwards")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--hosts", type=int, default=300, help="planted: host documents")
    parser.add_argument("--pieces", type=int, default=100, help="planted: source pieces planted")
    parser.add_argument("--templates", type=int, default=15, help="planted: pieces planted in 5-7 hosts")
    parser.add_argument("--cand-regs", type=int, default=50, help="candidates: regulations in the sample (the "
                        "exhaustive baseline grows with the square of the passages: 250 + 250 is out of reach)")
    parser.add_argument("--cand-laws", type=int, default=50, help="candidates: laws in the sample")
    parser.add_argument("--index", type=Path, default=Path("/tmp/corpidx"), help="cost: the whole index")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000], help="cost: growth curve sizes")
    args = parser.parse_args(argv)
    made = args.work is None
    args.work = args.work or Path(tempfile.mkdtemp(prefix="bench_reuse_"))
    args.work.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cd", "--date=iso", "--", "archive/reuse"],
                            capture_output=True, text=True).stdout.strip()
    print(f"archive/reuse at {commit or '?'}; settings {reuse_settings()}\n")
    try:
        for part, run in (("planted", planted), ("real", real), ("candidates", candidates), ("cost", cost)):
            if args.part in (part, "all"):
                started = time.perf_counter()
                run(args)
                print(f"\n[{part}: {time.perf_counter() - started:.0f} s, peak RSS of this process {peak_mb():.0f} MB]\n")
    finally:
        if made and not args.keep:
            shutil.rmtree(args.work, ignore_errors=True)
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
