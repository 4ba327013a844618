"""Duplicate grouping: copies with placeholders or edits group; same-theme documents do not."""

from __future__ import annotations

import gzip
import json
import random
import re
import time
from collections import defaultdict
from pathlib import Path

import pytest

from archive.fold import fold
from ingest.dedup import DupCandidate, group_duplicates, similarity
from ingest.normalize import normalize
from ingest.readers import read_path
from ingest.split import split_reports

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"


def seed_text(name: str) -> str:
    return normalize(read_path(SAMPLE / name)[0].text).text


@pytest.fixture(scope="module")
def seed_docs() -> dict[str, str]:
    """doc_id → folded text for every part of every seed (003 gives parts 003-1 … 003-5)."""
    docs = {}
    for path in sorted(SAMPLE.glob("*.txt")):
        for n, part in enumerate(split_reports(seed_text(path.name)), start=1):
            docs[f"{path.name[:3]}-{n}"] = fold(part.text)
    return docs


def group(texts: dict[str, str]) -> dict[str, str | None]:
    return group_duplicates([DupCandidate(doc_id, text) for doc_id, text in texts.items()])


def test_seed_003_copies_group_under_the_copy_that_kept_its_numbers(seed_docs):
    verdict = group(seed_docs)
    # Parts 2-4 are the 朝天 report at lines 32, 75 and 110; the line-75 copy (part 3) has the numbers.
    assert verdict == {
        "000-1": None,
        "001-1": None,
        "002-1": None,
        "004-1": None,
        "003-1": None,
        "003-2": "003-3",
        "003-3": None,
        "003-4": "003-3",
        "003-5": None,
    }


def test_grouping_does_not_depend_on_order(seed_docs):
    items = list(seed_docs.items())
    random.Random(5).shuffle(items)
    assert group(dict(items)) == group(seed_docs)


def test_exact_copies_and_empty_texts():
    text = fold(seed_text("001_eaa05965459b041d.txt"))
    verdict = group({"a": text, "b": text, "e1": "", "e2": ""})
    assert verdict == {"a": "b", "b": None, "e1": None, "e2": None}  # a tie goes to the larger id


@pytest.fixture(scope="module")
def report() -> str:
    return seed_text("004_edecab7bdecca6f6.txt")


def test_a_copy_with_edited_sentences_groups(report):
    lines = report.split("\n")
    for i in (5, 12, 20):
        lines[i] = "此处内容经过编辑修改，与原文不同，增加了一些新的表述和说法。"
    edited = "\n".join(lines)
    assert 0.8 < similarity(fold(report), fold(edited)) < 1
    assert group({"orig": fold(report), "edit": fold(edited)}) == {"orig": None, "edit": "orig"}


@pytest.mark.parametrize(
    "copy",
    [
        lambda t: re.sub(r"\d", "", t),  # numbers blanked
        lambda t: re.sub(r"20\d\d", "20xx", t),  # years as placeholders
        lambda t: t.replace("通山", "XX"),  # anonymized
        lambda t: t.replace("通山", "某"),
    ],
    ids=["blanked", "20xx", "anonymized", "某"],
)
def test_placeholder_copies_group_under_the_original(report, copy):
    assert group({"copy": fold(copy(report)), "orig": fold(report)}) == {"copy": "orig", "orig": None}


def test_one_template_filled_for_two_counties_is_two_documents(report):
    other = report.replace("通山", "崇阳")
    assert similarity(fold(report), fold(other)) > 0.9
    assert group({"a": fold(report), "b": fold(other)}) == {"a": None, "b": None}


def test_the_same_text_with_other_numbers_is_another_report(report):
    rng = random.Random(1)
    other = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), report)
    assert group({"a": fold(report), "b": fold(other)}) == {"a": None, "b": None}


def test_same_theme_reports_do_not_group(seed_docs):
    themed = {k: v for k, v in seed_docs.items() if k in ("000-1", "001-1", "002-1", "004-1")}
    assert all(v is None for v in group(themed).values())


def _regs() -> list[dict]:
    path = CORPORA / "civilized-behavior-regs" / "regs.jsonl.gz"
    if not path.exists():
        pytest.skip("regulations corpus not available")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_regulations_group_only_with_the_same_regulation():
    """The 文明行为促进条例 of different cities share much wording but are not copies;
    the two exports (docs, exported_docs) of one regulation are."""
    records = _regs()
    started = time.monotonic()
    verdict = group_duplicates([DupCandidate(r["id"], fold(r["text"])) for r in records])
    assert time.monotonic() - started < 30
    title = {r["id"]: r["title"] for r in records}
    linked = [(d, c) for d, c in verdict.items() if c]
    assert len(linked) > 150
    assert all(title[d] == title[c] for d, c in linked)
    by_title = defaultdict(set)
    for d in verdict:
        by_title[title[d]].add(verdict[d] or d)
    assert sum(len(groups) == 1 for groups in by_title.values()) > 200
