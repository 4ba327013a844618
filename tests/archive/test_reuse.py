"""Text reuse (issue 12): canonical form, seeds, alignment, and whole runs on real report text.

The reports are built from a real seed (中共通山县委…情况汇报): its paragraphs copied
into other reports with the edits copies have (X县 for the county, changed
numbers, a character edited), one paragraph planted in five reports (template
text), and one file saved twice (a duplicate, which is not reuse).
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.reuse.align import aligned_spans, shared_seed_pairs
from archive.reuse.canon import canonical
from archive.reuse.detect import update_reuse
from archive.reuse.query import document_reuse, pair_spans
from archive.reuse.seeds import winnowed_seeds
from archive.reuse.settings import reuse_settings

SETTINGS = reuse_settings()
TONGSHAN = "004_edecab7bdecca6f6.txt"


def _seed_dicts(texts: list[str]) -> list[dict[int, list[int]]]:
    seeds = winnowed_seeds(texts, SETTINGS.seed_length, SETTINGS.winnow_window)
    out: list[dict[int, list[int]]] = [{} for _ in texts]
    for h, t, p in zip(seeds.hashes.tolist(), seeds.texts.tolist(), seeds.positions.tolist(), strict=True):
        out[t].setdefault(h, []).append(p)
    return out


def _align(a: str, b: str):
    ca, cb = canonical(a, SETTINGS.placeholders).text, canonical(b, SETTINGS.placeholders).text
    da, db = _seed_dicts([ca, cb])
    return ca, cb, aligned_spans(ca, cb, shared_seed_pairs(da, db), SETTINGS)


def test_canonical_form_collapses_numbers_placeholders_and_punctuation():
    c = canonical("XX县委宣传部2020年召開了１２次會議，××镇（某村）", SETTINGS.placeholders)
    assert c.text == "X县委宣传部0年召开了0次会议X镇X村"
    assert c.original_span(0, 6) == (0, 7)  # "XX县委宣传部" in the original
    assert canonical("通山县 2020 年", SETTINGS.placeholders).text == canonical("通山縣2019年", SETTINGS.placeholders).text
    assert canonical("two_b_spiritual_civ_committee_leadership 文明行为", SETTINGS.placeholders).text == "文明行为"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就", min_size=0, max_size=80),
       st.text(alphabet="宣传思想工作意识形态文明实践新时代中心阵地建设", min_size=0, max_size=80),
       st.text(alphabet="党委政府部门统筹推进落实责任制度体系考核", min_size=10, max_size=40))
def test_a_shared_run_of_length_plus_window_always_shares_a_seed(left: str, right: str, shared: str):
    run = shared[: SETTINGS.seed_length + SETTINGS.winnow_window - 1]
    a, b = left + run + right, right[::-1] + run + left[::-1]
    da, db = _seed_dicts([a, b])
    assert set(da) & set(db)


def test_an_edited_copy_is_aligned_and_an_unrelated_paragraph_is_not():
    original = ("通山县委宣传部坚持把意识形态工作纳入党建工作责任制，2020年召开专题会议12次，"
                "推动形成党委抓总、宣传部门组织协调、部门各负其责、全社会共同参与的工作格局。")
    copy = ("X县委宣传部坚持把意识形态工作納入党建工作责任制，2021年召开专题会议8次，"
            "推动形成党委统抓、宣传部门组织协调、部门各负其责、全社会共同参与的工作格局。")
    ca, cb, spans = _align(original, copy)
    assert len(spans) == 1 and spans[0].length >= 0.9 * min(len(ca), len(cb))
    assert spans[0].similarity >= 0.9
    unrelated = "全镇共组织志愿服务活动三百余场，参与群众两万余人次，评选表彰身边好人四十名，营造了向上向善的浓厚氛围。"
    assert _align(original, unrelated)[2] == []


def test_spans_shorter_than_the_minimum_are_not_reuse():
    a = "为了加强精神文明建设，本县结合实际制定了一系列措施，取得了明显成效。"
    b = "为了加强精神文明建设，全镇干部群众积极参与各项志愿活动并获得表彰。"
    assert _align(a, b)[2] == []  # they share 为了加强精神文明建设 (10 characters)


# -- whole runs ---------------------------------------------------------------

@pytest.fixture(scope="module")
def paragraphs(tmp_path_factory) -> list[str]:
    """The long paragraphs of a real seed report, as the archive reads them."""
    from archive.docstore import DocStore
    from ingest.pipeline import ingest_paths
    from tests.conftest import SEEDS

    folder, files = tmp_path_factory.mktemp("tongshan-index"), tmp_path_factory.mktemp("tongshan")
    shutil.copy(SEEDS / TONGSHAN, files / TONGSHAN)
    ingest_paths([files], folder)
    store = DocStore(folder)
    (doc,) = list(store.iter_documents())
    store.close()
    texts = [p.text for p in doc.passages if len(p.text) >= 60]
    assert len(texts) >= 30
    return texts


def _edited(text: str) -> str:
    """A copy as a county would file it: its name redacted, numbers changed, one character edited."""
    rng = random.Random(7)
    out = text.replace("通山县", "X县").replace("通山", "X县")
    out = "".join(str(rng.randint(1, 9)) if ch.isdigit() else ch for ch in out)
    at = len(out) // 2
    return out[:at] + "抓" + out[at + 1:]


def _write(folder: Path, name: str, title: str, paragraphs: list[str]) -> None:
    (folder / name).write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


@pytest.fixture()
def reports(tmp_path, paragraphs) -> tuple[Path, Path, list[str]]:
    files = tmp_path / "files"
    files.mkdir()
    copied, template = paragraphs[0], paragraphs[1]
    own = [paragraphs[5 + 4 * i: 8 + 4 * i] for i in range(7)]
    _write(files, "h1.txt", "崇阳县委宣传部2019年宣传思想工作总结", [copied, template, *own[0]])
    _write(files, "h2.txt", "X县委宣传部2021年宣传思想工作总结", [*own[1], _edited(copied), template])
    for i in (3, 4, 5):
        _write(files, f"h{i}.txt", f"某镇{2016 + i}年宣传思想工作汇报", [*own[i - 1], template])
    # h1 saved again with other line breaks: a duplicate document (same folded text), not reuse
    (files / "h6-same-as-h1.txt").write_text((files / "h1.txt").read_text(encoding="utf-8").replace("\n\n", "\r\n"),
                                              encoding="utf-8")
    index = tmp_path / "index"
    from ingest.pipeline import ingest_paths

    ingest_paths([files], index)
    return files, index, [copied, template]


def _doc_of(index: Path, name: str) -> str:
    from archive.docstore import DocStore

    store = DocStore(index)
    try:
        return next(d.doc_id for d in store.iter_documents(with_passages=False) if d.source_path.endswith(name))
    finally:
        store.close()


def _canonical_and_copy(conn, one: str, other: str) -> tuple[str, str]:
    """The canonical one of two duplicate documents, then the other."""
    links = dict(conn.execute("SELECT doc_id, duplicate_of FROM documents WHERE doc_id IN (?, ?)", (one, other)))
    assert {links[one], links[other]} in ({None, one}, {None, other})
    return (one, other) if links[one] is None else (other, one)


def _conn(index: Path):
    import sqlite3

    return sqlite3.connect(index / "archive.sqlite3")


def test_copies_templates_sources_and_duplicates(reports):
    files, index, (copied, template) = reports
    report = update_reuse(index)
    assert report.documents == 5 and report.added == 5  # the duplicate is left out
    conn = _conn(index)
    h1, duplicate = _canonical_and_copy(conn, _doc_of(index, "h1.txt"), _doc_of(index, "h6-same-as-h1.txt"))
    h2 = _doc_of(index, "h2.txt")
    first = document_reuse(conn, h2)
    roles = {p["ordinal"]: p for p in first["passages"]}
    copy_passage = next(p for p in roles.values() if p["role"] == "shared")
    assert any(m["doc_id"] == h1 for m in copy_passage["matches"])
    match = next(m for m in copy_passage["matches"] if m["doc_id"] == h1)
    assert match["span"][1] - match["span"][0] >= 0.9 * len(_edited(copied))
    template_passages = [p for p in roles.values() if p["role"] == "template"]
    assert len(template_passages) == 1 and template_passages[0]["other_docs"] == 4
    assert {p["doc_id"]: p["source"] for p in first["partners"]}[h1] == h1  # 2019 before 2021
    assert conn.execute("SELECT count(*) FROM reuse_members WHERE doc_id=?", (duplicate,)).fetchone()[0] == 0
    assert not conn.execute("SELECT 1 FROM reuse_doc_pairs WHERE doc_a=? OR doc_b=?", (duplicate, duplicate)).fetchall()
    spans = pair_spans(conn, h1, h2)
    assert any(s["text_a"] in copied and len(s["text_a"]) > 0.9 * len(copied) for s in spans)
    summary = first["summary"]
    assert 0 < summary["original_share"] < 1 and summary["partners"] == 4


def test_template_hide_leaves_template_passages_out_of_hits_counts_and_exports(reports):
    from archive.search import Archive, SearchRequest

    _files, index, (_copied, template) = reports
    update_reuse(index)
    phrase = template[4:14]
    archive = Archive(index)
    try:
        shown = archive.search(SearchRequest(q=f'"{phrase}"'))
        hidden = archive.search(SearchRequest(q=f'"{phrase}"', template="hide"))
        assert shown.total == 5 and shown.total_passages >= 5
        assert hidden.total == 0 and hidden.total_passages == 0
        assert all(p["reuse"]["role"] == "template" and p["reuse"]["other_docs"] == 4
                   for h in shown.hits for p in h["passages"] if phrase in p["text"])
        everything = sum(1 for _ in archive.iter_passages(SearchRequest()))
        without = sum(1 for _ in archive.iter_passages(SearchRequest(template="hide")))
        assert everything - without == 5
        ranked = archive.search(SearchRequest(sort="original"))
        shares = [h["doc_id"] for h in ranked.hits]
        assert shares[-1] != shares[0]
    finally:
        archive.close()


def test_runs_are_incremental_and_forget_removed_documents(reports, paragraphs):
    from ingest.pipeline import ingest_paths

    files, index, (copied, _template) = reports
    update_reuse(index)
    _write(files, "h7.txt", "某县2022年宣传思想工作总结", [paragraphs[-1], copied])
    ingest_paths([files], index)
    report = update_reuse(index)
    assert report.added == 1 and report.documents == 6
    h7 = _doc_of(index, "h7.txt")
    partners = {p["doc_id"] for p in document_reuse(_conn(index), h7)["partners"]}
    assert _doc_of(index, "h2.txt") in partners
    assert partners & {_doc_of(index, "h1.txt"), _doc_of(index, "h6-same-as-h1.txt")}
    (files / "h7.txt").unlink()
    ingest_paths([files], index, prune=True)
    report = update_reuse(index)
    assert report.removed == 1 and report.added == 0
    conn = _conn(index)
    assert not conn.execute("SELECT 1 FROM reuse_doc_pairs WHERE doc_a=? OR doc_b=?", (h7, h7)).fetchall()
    assert not conn.execute("SELECT 1 FROM reuse_members WHERE doc_id=?", (h7,)).fetchall()


def test_changed_settings_compare_everything_again(reports):
    _files, index, _texts = reports
    update_reuse(index)
    assert update_reuse(index).added == 0
    stricter = update_reuse(index, SETTINGS.with_overrides(min_span=400))
    assert stricter.added == 5 and stricter.shared_passages == 0


def test_cli_reuse_and_reuse_pairs(reports, runner):
    from archive.cli import main

    _files, index, _texts = reports
    result = runner.invoke(main, ["reuse", "--index", str(index), "--jsonl"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["documents"] == 5 and figures["template_passages"] == 5
    result = runner.invoke(main, ["reuse-pairs", "--index", str(index)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("\ufeffdoc_a,title_a") and len(lines) == 1 + 10  # 5 documents, every pair shares
    result = runner.invoke(main, ["reuse-pairs", "--index", str(index), "--jsonl", "--spans", "--limit", "1"])
    record = json.loads(result.output)
    assert record["spans"] and record["chars"] > 0
    result = runner.invoke(main, ["search", "--index", str(index), "--template", "maybe", "工作"])
    assert result.exit_code == 2


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("通山縣县XxＸ×某*○ 　,，。、_-12３４①²二〇年（）ＡaB\n")), max_size=40))
def test_the_fast_canonical_text_is_the_canonical_form(text: str):
    from archive.reuse.canon import canonical_text

    assert canonical_text(text, SETTINGS.placeholders) == canonical(text, SETTINGS.placeholders).text


def test_a_texts_seeds_do_not_depend_on_the_texts_seeded_with_it():
    text = "全面加强党对意识形态工作的领导，牢牢掌握意识形态工作领导权"
    alone = winnowed_seeds([text], SETTINGS.seed_length, SETTINGS.winnow_window)
    for neighbours in (["短文本一二三四五六七八九十"], ["宣传思想工作总结", "推进新时代文明实践中心建设"]):
        batch = winnowed_seeds([*neighbours, text], SETTINGS.seed_length, SETTINGS.winnow_window)
        mine = batch.texts == len(neighbours)
        assert batch.positions[mine].tolist() == alone.positions.tolist()
        assert batch.hashes[mine].tolist() == alone.hashes.tolist()


def _derived(index: Path) -> dict[str, list]:
    conn = _conn(index)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in ("reuse_passages", "reuse_docs", "reuse_doc_pairs", "reuse_clusters")}
    finally:
        conn.close()


def _derive_anew(index: Path) -> dict[str, list]:
    from archive.reuse.derive import derive

    conn = _conn(index)
    derive(conn, SETTINGS)
    conn.commit()
    conn.close()
    return _derived(index)


def test_an_incremental_derivation_equals_a_whole_one(reports, paragraphs):
    from ingest.pipeline import ingest_paths

    files, index, (copied, template) = reports
    update_reuse(index)
    _write(files, "h7.txt", "某县2022年宣传思想工作总结", [paragraphs[-1], copied, template])
    _write(files, "h8.txt", "某区2023年宣传思想工作总结", [paragraphs[-2], _edited(paragraphs[-1])])
    ingest_paths([files], index)
    assert update_reuse(index).added == 2
    incremental = _derived(index)
    assert incremental == _derive_anew(index)
    (files / "h7.txt").unlink()
    ingest_paths([files], index, prune=True)
    assert update_reuse(index).removed == 1
    incremental = _derived(index)
    assert incremental == _derive_anew(index)
