"""The whole ingest pipeline on the five seeds, against ../shared/eval/seeds_gold.json.

Issue 3 (normalization, splitting, duplicates) and issue 4 (structure and
facets) are done when every check here passes.
"""

from __future__ import annotations

import re

import opencc
import pytest

from archive.fold import fold
from tests.conftest import GOLD

GOLD_DOCS = __import__("json").loads(GOLD.read_text(encoding="utf-8"))["documents"]
T2S = opencc.OpenCC("t2s")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", T2S.convert(text))


def gold_id(entry: dict) -> str:
    return f"{entry['seed'][:3]}-part{entry['part']}"


def docs_of_seed(archive, seed: str) -> list:
    return [d for d in archive.store.iter_documents() if d.source_path.endswith(seed)]


def find_doc(archive, entry: dict):
    """The canonical document of a seed for a gold entry (by its key for multi-report files)."""
    docs = [d for d in docs_of_seed(archive, entry["seed"]) if not d.duplicate_of]
    if entry.get("key"):
        docs = [d for d in docs if entry["key"] in d.text]
    assert len(docs) == 1, f"{gold_id(entry)}: expected one canonical document, found {len(docs)}"
    return docs[0]


@pytest.mark.parametrize("entry", GOLD_DOCS, ids=gold_id)
def test_text_checks(seed_archive, entry):
    docs = docs_of_seed(seed_archive, entry["seed"])
    whole = "\n".join(d.text for d in docs)
    squeezed_lines = [squeeze(line) for line in whole.split("\n")]
    for line in entry.get("must_vanish", []):
        target = squeeze(line)
        assert not any(target in s for s in squeezed_lines if len(s) <= len(target) * 2 + 10), f"survived: {line}"
    for pattern in entry.get("must_match", []):
        assert re.search(pattern, whole), f"no match for {pattern}"
    for pattern in entry.get("must_not_match", []):
        assert not re.search(pattern, whole), f"unexpected match for {pattern}"


@pytest.mark.parametrize("entry", GOLD_DOCS, ids=gold_id)
def test_structure_and_facets(seed_archive, entry):
    doc = find_doc(seed_archive, entry)
    if entry["title"] is not None:
        assert doc.title == entry["title"]
    assert doc.level == entry["level"]
    assert doc.anonymized == entry["anonymized"]
    assert doc.organization == entry["organization"]
    assert doc.doctype == entry["doctype"]
    for key in ("province", "city", "county"):
        if key in entry:
            assert getattr(doc, key) == entry[key], key
    assert doc.year in entry["year_ok"]
    if "date" in entry:
        assert doc.date == entry["date"]
    assert set(entry["themes_include"]) <= set(doc.themes)
    assert any(e.facet == "level" for e in doc.evidence)
    if doc.year is not None:
        assert any(e.facet == "year" for e in doc.evidence)


def test_seed_003_yields_three_reports_and_two_duplicates(seed_archive):
    docs = docs_of_seed(seed_archive, "003_7aff6639aaa49617.txt")
    canonical = [d for d in docs if not d.duplicate_of]
    duplicates = [d for d in docs if d.duplicate_of]
    assert len(canonical) == 3
    assert len(duplicates) == 2
    chaotian = next(d for d in canonical if "朝天" in d.text)
    assert {d.duplicate_of for d in duplicates} == {chaotian.doc_id}
    # The most informative copy (it kept its numbers) is the canonical one.
    assert sum(c.isdigit() for c in fold(chaotian.text)) >= max(sum(c.isdigit() for c in fold(d.text)) for d in duplicates)


def test_every_document_keeps_provenance(seed_archive):
    for doc in seed_archive.store.iter_documents(with_passages=False):
        assert doc.provenance["file_hash"] and doc.provenance["encoding"]
        assert any(step.get("step") for step in doc.provenance["steps"])
