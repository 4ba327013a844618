"""The held-out evaluation set and its evaluator (bench/make_eval_set.py, bench/eval_ingest.py).

A small set is generated and scored end to end: the report must hold every metric, the two
splits must share no record, and a test-split file must show no tune-split wording (the
anti-leak rule that keeps the test half honest).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import eval_ingest  # noqa: E402
import make_eval_set  # noqa: E402

CORPORA = make_eval_set.DEFAULT_CORPORA
pytestmark = pytest.mark.skipif(not (CORPORA / "laws-lawrefbook").exists(), reason="no ../shared/corpora")


@pytest.fixture(scope="module")
def eval_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("evalset")
    assert make_eval_set.main(["--out", str(out), "--n", "12", "--seed", "3"]) == 0
    return out


def labels(eval_set: Path) -> list[dict]:
    return eval_ingest.read_labels(eval_set)


def test_every_file_is_labelled_and_splits_are_disjoint(eval_set):
    entries = labels(eval_set)
    assert len(entries) == 12
    files = {p.relative_to(eval_set).as_posix() for p in eval_set.rglob("*") if p.is_file()} - {"labels.jsonl"}
    assert files == {e["path"] for e in entries}
    ids = {split: {(e["source"], e["record_id"]) for e in entries if e["split"] == split} for split in ("tune", "test")}
    assert ids["tune"] and ids["test"] and not ids["tune"] & ids["test"]
    for e in entries:
        assert e["path"].startswith(e["split"] + "/")
        assert e["split"] == make_eval_set.stable_split(f"record:{e['source']}:{e['record_id']}")
        assert set(e["labels"]) == {"level", "province", "year", "title"}
        assert e["body"]


def literal_parts(template: str) -> list[str]:
    return [part for part in re.split(r"\{\w+\}|\\n", template) if part.strip()]


def test_a_test_file_uses_test_wordings_only(eval_set):
    templates = make_eval_set.all_templates()
    by_id = {t.tid: t for t in templates}
    test_texts = [t.text for t in templates if t.split == "test"]
    # The longest literal piece of each tune wording that no test wording shares.
    tune_marks = []
    for t in templates:
        if t.split == "tune":
            parts = sorted(literal_parts(t.text), key=len, reverse=True)
            if parts and len(parts[0]) >= 6 and not any(parts[0] in other for other in test_texts):
                tune_marks.append(parts[0])
    assert len(tune_marks) >= 20
    # Invented site and account names of the tune split only.
    fillers = make_eval_set.tomllib.loads((make_eval_set.EVAL_DATA / "fillers.toml").read_text(encoding="utf-8"))
    tune_names = [v for key in ("site", "gzh") for v in fillers[key]
                  if make_eval_set.stable_split(f"{key}:{v}") == "tune"]
    checked = 0
    for e in labels(eval_set):
        for item in e["chrome"]:
            assert by_id[item["template"]].split == e["split"] == item["split"]
        if e["split"] == "test":
            text = make_eval_set.opencc.OpenCC("t2s").convert(file_text(eval_set / e["path"]))
            assert not [mark for mark in tune_marks if mark in text]
            assert not [name for name in tune_names if name in text]
            checked += 1
    assert checked


def file_text(path: Path) -> str:
    """A generated file's whole text, Word headers and footers included."""
    if path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for section in document.sections:
            parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
        return "\n".join(parts)
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030", "big5"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"{path} decodes in no expected encoding")


def test_pools_are_large_and_split_both_ways():
    templates = make_eval_set.all_templates()
    ads = [t for t in templates if t.kind == "ad"]
    chrome = [t for t in templates if t.kind == "chrome"]
    assert len({t.text for t in ads}) >= 60 and len({t.text for t in chrome}) >= 40
    for kind in (ads, chrome):
        assert {t.split for t in kind} == {"tune", "test"}


def test_evaluator_reports_every_metric(eval_set):
    report = eval_ingest.evaluate(eval_set, ["tune", "test"], jobs=1, examples=2)
    for split in ("tune", "test"):
        data = report["splits"][split]
        assert set(data["all"]) == set(eval_ingest.METRICS)
        assert data["all"]["files"]["count"] == sum(1 for e in labels(eval_set) if e["split"] == split)
        assert data["all"]["body_kept"]["total"] > 0
        assert data["all"]["title_right"]["total"] == data["all"]["files"]["count"]
        for metrics in data["forms"].values():
            assert set(metrics) == set(eval_ingest.METRICS)
    json.dumps(report, ensure_ascii=False)
    eval_ingest.print_report(report)


def test_a_fresh_set_tests_on_fresh_wordings_and_other_records(eval_set, tmp_path):
    """--fresh: the test half shows only its half of the new wordings; --exclude: no record twice."""
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    places = {(t.kind, t.place) for t in make_eval_set.all_templates()}
    for kind, name in (("ad", "ads.txt"), ("chrome", "chrome.txt")):
        sections = sorted(place for k, place in places if k == kind)
        (fresh / name).write_text("".join(f"[{place}]\n" + "".join(f"ZZFRESH {kind} {place} {i} {{n}}\n"
                                                                   for i in range(8)) for place in sections),
                                  encoding="utf-8")
    out = tmp_path / "set"
    assert make_eval_set.main(["--out", str(out), "--n", "12", "--seed", "3",
                               "--fresh", str(fresh), "--exclude", str(eval_set)]) == 0
    entries = labels(out)
    earlier = {(e["source"], e["record_id"]) for e in labels(eval_set)}
    assert entries and not earlier & {(e["source"], e["record_id"]) for e in entries}
    fresh_test = {t.tid for t in make_eval_set.all_templates(fresh) if t.split == "test"}
    for e in entries:
        marked = [item["template"] in fresh_test for item in e["chrome"]]
        assert all(marked) if e["split"] == "test" else not any(marked), e["path"]
        assert all(item["split"] == e["split"] for item in e["chrome"])
    assert any(e["chrome"] for e in entries if e["split"] == "test")
