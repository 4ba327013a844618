"""Score the real ingest on the held-out set written by bench/make_eval_set.py.

Each split's folder goes through `ingest.pipeline.ingest_paths` into a temporary index (one
index per split, so boilerplate learned from one half never helps the other), and every
file's documents are read back from the store and compared with the file's labels.

    .venv/bin/python bench/eval_ingest.py --set DIR [--split test|tune|all] [--examples 5] [--jobs 2] [--json [FILE]]

Per split and per form (defect class) it prints: files, documents, files rejected, body
paragraphs kept, chrome/ad lines left, title right, level/province/year right (over files
whose label is set; "year (written)" only over files whose body writes the label year, since a
law's file-name year is often a later amendment; "year (knowable)" also over files whose page
chrome dates them), pinyin notes left and garbles repaired; then the worst examples of
each metric, so a rule writer sees what to fix. Write rules from `tune`; report `test`.

Matching is on a squashed form: archive.fold (traditional→simplified, NFKC, one form of each
mark, no whitespace) with punctuation removed too, so a hard wrap or a changed mark is no loss.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.docstore import DocStore  # noqa: E402
from archive.fold import fold  # noqa: E402
from archive.model import Document  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402

METRICS = ("files", "documents", "rejected", "body_kept", "chrome_left", "title_right", "level_right",
           "province_right", "year_right", "year_written_right", "year_knowable_right", "pinyin_left",
           "garbles_repaired")
# An injected line shorter than this (squashed) counts as left only when it is a whole line:
# as a substring it would be found in ordinary text (打印, 3).
MIN_SUBSTRING = 6
SNIPPET = 70


def squash(text: str) -> str:
    """Folded text without punctuation and spaces: what a reader sees as the same words."""
    return "".join(c for c in fold(text) if not unicodedata.category(c).startswith(("P", "Z", "Cc", "Cf")))


def read_labels(set_dir: Path) -> list[dict]:
    with open(set_dir / "labels.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


# ---------------------------------------------------------------- ingest


@dataclass
class FileResult:
    """What the ingest made of one file."""

    status: str
    reason: str | None
    docs: list[Document]


def run_ingest(set_dir: Path, split: str, jobs: int) -> dict[str, FileResult]:
    """Ingest one split into a fresh temporary index; results by path relative to the set."""
    root = (set_dir / split).resolve()
    with tempfile.TemporaryDirectory(prefix=f"eval-{split}-") as tmp:
        summary = ingest_paths([root], Path(tmp) / "index", jobs=jobs)
        store = DocStore(Path(tmp) / "index")
        try:
            results = {}
            for outcome in summary.outcomes:
                rel = Path(os.path.realpath(outcome.path)).relative_to(set_dir.resolve()).as_posix()
                docs = [d for d in (store.get(i) for i in outcome.documents) if d is not None]
                results[rel] = FileResult(outcome.status, outcome.reason, docs)
        finally:
            store.close()
    return results


# ---------------------------------------------------------------- scoring one file


@dataclass
class FileScore:
    """Counts for one file and the evidence for its worst-example lines."""

    entry: dict
    counts: Counter = field(default_factory=Counter)
    totals: Counter = field(default_factory=Counter)
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def primary(docs: list[Document]) -> Document | None:
    """The file's first part: where its title and facets are read."""
    return min(docs, key=lambda d: d.part) if docs else None


def score_body(score: FileScore, whole: str) -> None:
    for para in score.entry["body"]:
        target = squash(para)
        if not target:
            continue
        score.totals["body_kept"] += 1
        if target in whole:
            score.counts["body_kept"] += 1
        else:
            score.notes["body_kept"].append(para[:SNIPPET])


def score_chrome(score: FileScore, whole: str, lines: set[str], body: str) -> None:
    for item in score.entry["chrome"]:
        target = squash(item["text"])
        if not target:
            continue
        score.totals["chrome_left"] += 1
        left = target in lines or (len(target) >= MIN_SUBSTRING and target in whole and target not in body)
        if left:
            score.counts["chrome_left"] += 1
            score.notes["chrome_left"].append(f"{item['template']}: {item['text'][:SNIPPET]}")


def score_facets(score: FileScore, doc: Document | None) -> None:
    labels = score.entry["labels"]
    score.totals["title_right"] += 1
    got_title = doc.title if doc else None
    if doc and squash(doc.title or "") in {squash(t) for t in score.entry["title_ok"]}:
        score.counts["title_right"] += 1
    else:
        score.notes["title_right"].append(f"got {got_title!r}, want {labels['title']!r}")
    wanted = dict(labels)
    if labels["level"] == "中央":
        wanted["province"] = None  # a national law has no province: scored as such
    for facet in ("level", "province", "year"):
        if wanted[facet] is None and not (facet == "province" and labels["level"] == "中央"):
            continue
        got = getattr(doc, facet) if doc else None
        score.totals[f"{facet}_right"] += 1
        if got == wanted[facet]:
            score.counts[f"{facet}_right"] += 1
        else:
            score.notes[f"{facet}_right"].append(f"got {got}, want {wanted[facet]} ({labels['title'][:30]})")
    # A law's file-name year is often a later amendment its text never names: the year
    # is scored apart over files whose body writes it (2019年), which a rule can find.
    # "Knowable" also counts a year the page alone gives (发布时间：2023-01-05 in its chrome):
    # a file whose text and page never name its year cannot be dated by any reader.
    year = labels["year"]
    written = bool(year) and any(f"{year}年" in para for para in score.entry["body"])
    on_page = bool(year) and any(re.search(rf"{year}\s*(年|[-/.]\s*\d)", item["text"]) for item in score.entry["chrome"])
    for metric, counted in (("year_written_right", written), ("year_knowable_right", written or on_page)):
        if not counted:
            continue
        score.totals[metric] += 1
        got = doc.year if doc else None
        if got == year:
            score.counts[metric] += 1
        else:
            score.notes[metric].append(f"got {got}, want {year} ({labels['title'][:30]})")


def score_pinyin(score: FileScore, folded: str) -> None:
    planted = Counter(fold(note) for note in score.entry["pinyin"])
    for note, count in planted.items():
        score.totals["pinyin_left"] += count
        left = min(count, folded.count(note))
        score.counts["pinyin_left"] += left
        if left:
            at = folded.find(note)
            score.notes["pinyin_left"].append(f"{note} ×{left}: …{folded[max(0, at - 12):at + 18]}…")


def score_garbles(score: FileScore, whole: str) -> None:
    for g in score.entry["garbles"]:
        score.totals["garbles_repaired"] += 1
        garbled = squash(g["garbled"])
        repaired = squash(g["recoverable"]) in whole and not (garbled and garbled in whole)
        if repaired:
            score.counts["garbles_repaired"] += 1
        else:
            before = squash(g.get("before", ""))
            at = whole.find(before) if before else -1
            seen = whole[at:at + len(before) + len(g["correct"]) + 4] if at >= 0 else "(context not found)"
            score.notes["garbles_repaired"].append(f"want {g['recoverable']!r} from {g['garbled']!r}; text has {seen!r}")


def score_file(entry: dict, result: FileResult | None) -> FileScore:
    """Every metric for one file (a missing or rejected file keeps nothing)."""
    score = FileScore(entry)
    score.counts["files"] = score.totals["files"] = 1
    docs = result.docs if result else []
    score.counts["documents"] = score.totals["documents"] = len(docs)
    score.totals["rejected"] = 1
    if result is None or result.status == "rejected":
        score.counts["rejected"] = 1
        score.notes["rejected"].append(result.reason if result else "no outcome for this file")
    text = "\n".join(d.text for d in docs)
    whole = squash(text)
    lines = {squash(line) for line in text.split("\n")}
    body = squash("".join(entry["body"]))
    score_body(score, whole)
    score_chrome(score, whole, lines, body)
    score_facets(score, primary(docs))
    score_pinyin(score, fold(text))
    score_garbles(score, whole)
    return score


# ---------------------------------------------------------------- report


def aggregate(scores: list[FileScore]) -> dict[str, dict[str, int]]:
    """Sum of counts and totals per metric."""
    counts, totals = Counter(), Counter()
    for s in scores:
        counts.update(s.counts)
        totals.update(s.totals)
    return {m: {"count": counts[m], "total": totals[m]} for m in METRICS}


def worst(scores: list[FileScore], examples: int) -> dict[str, list[str]]:
    """The worst examples of each metric, most telling first."""
    out: dict[str, list[str]] = {}
    chrome = Counter()
    sample: dict[str, str] = {}
    for s in scores:
        for note in s.notes.get("chrome_left", []):
            template = note.split(":", 1)[0]
            chrome[template] += 1
            sample.setdefault(template, f"{note} [{s.entry['path']}]")
    out["chrome_left"] = [f"×{n} {sample[t]}" for t, n in chrome.most_common(examples)]
    ranked = sorted(scores, key=lambda s: s.counts["body_kept"] / max(1, s.totals["body_kept"]))
    out["body_kept"] = [f"{s.counts['body_kept']}/{s.totals['body_kept']} {s.entry['path']}: lost {s.notes['body_kept'][0]!r}"
                        for s in ranked if s.notes.get("body_kept")][:examples]
    ranked = sorted(scores, key=lambda s: -s.counts["pinyin_left"])
    out["pinyin_left"] = [f"{s.entry['path']}: {s.notes['pinyin_left'][0]}" for s in ranked if s.notes.get("pinyin_left")][:examples]
    for metric in ("title_right", "level_right", "province_right", "year_right", "year_written_right", "year_knowable_right",
                   "garbles_repaired", "rejected"):
        out[metric] = [f"{s.entry['path']}: {note}" for s in scores for note in s.notes.get(metric, [])][:examples]
    return {k: v for k, v in out.items() if v}


def evaluate(set_dir: Path, splits: list[str], jobs: int = 2, examples: int = 5) -> dict[str, Any]:
    """Ingest each split and score it: {split: {"forms": {form: metrics}, "all": metrics, "worst": …}}."""
    labels = read_labels(set_dir)
    report: dict[str, Any] = {"set": str(set_dir), "splits": {}}
    for split in splits:
        started = time.monotonic()
        results = run_ingest(set_dir, split, jobs)
        scores = [score_file(e, results.get(e["path"])) for e in labels if e["split"] == split]
        by_form: dict[str, list[FileScore]] = defaultdict(list)
        for s in scores:
            by_form[s.entry["form"]].append(s)
        report["splits"][split] = {
            "forms": {form: aggregate(members) for form, members in sorted(by_form.items())},
            "all": aggregate(scores),
            "worst": worst(scores, examples),
            "seconds": round(time.monotonic() - started, 1),
        }
    return report


def cell(metric: dict[str, int], name: str) -> str:
    k, n = metric["count"], metric["total"]
    if name in ("files", "documents", "rejected"):
        return str(k)
    if not n:
        return "-"
    return f"{k}/{n} {k / n:.0%}"


HEADERS = {"files": "files", "documents": "docs", "rejected": "rejected", "body_kept": "body kept",
           "chrome_left": "chrome left", "title_right": "title", "level_right": "level",
           "province_right": "province", "year_right": "year", "year_written_right": "year (written)", "year_knowable_right": "year (knowable)", "pinyin_left": "pinyin left",
           "garbles_repaired": "garbles fixed"}


def print_report(report: dict[str, Any]) -> None:
    """The figures as a Markdown table per split, then the worst examples."""
    for split, data in report["splits"].items():
        print(f"\n## split {split}  ({data['seconds']} s)\n")
        print("| form | " + " | ".join(HEADERS[m] for m in METRICS) + " |")
        print("|---" * (len(METRICS) + 1) + "|")
        rows = list(data["forms"].items()) + [("**all**", data["all"])]
        for form, metrics in rows:
            print(f"| {form} | " + " | ".join(cell(metrics[m], m) for m in METRICS) + " |")
        for metric, lines in data["worst"].items():
            print(f"\n  worst {HEADERS.get(metric, metric)}:")
            for line in lines:
                print(f"    - {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, required=True, dest="set_dir")
    parser.add_argument("--split", choices=["test", "tune", "all"], default="test")
    parser.add_argument("--examples", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--json", nargs="?", const="-", default=None, metavar="FILE",
                        help="write the report as JSON to FILE (or stdout) instead of the table")
    args = parser.parse_args(argv)
    splits = ["tune", "test"] if args.split == "all" else [args.split]
    report = evaluate(args.set_dir, splits, args.jobs, args.examples)
    if args.json is None:
        print_report(report)
    elif args.json == "-":
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
