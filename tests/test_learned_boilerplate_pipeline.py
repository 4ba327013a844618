"""Learned boilerplate in the ingest run: a site's own header, in wording no rule knows."""

from __future__ import annotations

import gzip
import json

from archive.search import Archive, SearchRequest
from ingest.pipeline import ingest_paths
from tests.conftest import CORPORA

HEADER = "梧桐书屋文库 · 每日更新精品资源"
FOOTER = "本页内容由梧桐书屋志愿者录入校对"


def regulations(n: int) -> list[str]:
    with gzip.open(CORPORA / "laws-lawrefbook" / "laws.jsonl.gz", "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line, _ in zip(f, range(n), strict=False)]
    return texts


def test_site_lines_recurring_in_a_folder_are_removed_and_real_text_kept(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    texts = regulations(6)
    for i, text in enumerate(texts):
        (site / f"page{i}.txt").write_text(f"{HEADER}\n{text}\n{FOOTER}\n", encoding="utf-8")
    summary = ingest_paths([site], tmp_path / "ix", jobs=1)
    assert summary.count("ingested") == 6
    archive = Archive(tmp_path / "ix")
    try:
        assert archive.search(SearchRequest(q=HEADER.split(" ")[0], duplicates=True)).total == 0
        assert archive.search(SearchRequest(q=FOOTER, duplicates=True)).total == 0
        first_line = next(line for line in texts[0].splitlines() if len(line.strip()) > 8).strip()
        assert archive.search(SearchRequest(q=f'"{first_line[:20]}"', duplicates=True)).total >= 1
        doc = next(archive.store.iter_documents())
        steps = {s["step"]: s for s in doc.provenance["steps"]}
        # the footer only learning removes; the header the learned witness of adlines.py knows by now
        assert steps["learned_boilerplate"]["removed_lines"] >= 1
    finally:
        archive.close()

    # A later run with one new page of the same site reuses the model the first run kept.
    (site / "page-new.txt").write_text(f"{HEADER}\n{texts[0][:400]}新增\n{FOOTER}\n", encoding="utf-8")
    ingest_paths([site], tmp_path / "ix", jobs=1)
    archive = Archive(tmp_path / "ix")
    try:
        assert archive.search(SearchRequest(q=FOOTER, duplicates=True)).total == 0
    finally:
        archive.close()


def test_an_export_learns_its_banner_across_its_records(tmp_path):
    export = tmp_path / "files" / "laws.jsonl"
    export.parent.mkdir()
    with gzip.open(CORPORA / "laws-lawrefbook" / "laws.jsonl.gz", "rt", encoding="utf-8") as f:
        lines = [line for line, _ in zip(f, range(12), strict=False)]
    banner = "某某法规数据库 · 免费查阅"
    export.write_text("".join(line.replace('"text": "', f'"text": "{banner}\\n', 1) for line in lines),
                      encoding="utf-8")
    summary = ingest_paths([export], tmp_path / "ix", jobs=1)
    assert summary.count("ingested") == 1
    archive = Archive(tmp_path / "ix")
    try:
        docs = list(archive.store.iter_documents(with_passages=False))
        assert len(docs) == 12
        assert not any(banner in d.text for d in docs)
        assert all(d.original_text.startswith(banner) for d in docs)  # nothing lost: the original keeps it
    finally:
        archive.close()
