"""Files in the encodings and formats users have, ingested and found by search."""

from __future__ import annotations

import opencc

from archive.search import Archive, SearchRequest
from ingest.pipeline import ingest_paths
from tests.conftest import SEEDS

PHRASE = "新时代文明实践"


def seed_text(name: str = "004_edecab7bdecca6f6.txt") -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_gb18030_big5_utf16_and_html_are_ingested_and_found(tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    text = seed_text()
    traditional = opencc.OpenCC("s2t").convert(text)
    (files / "gbk.txt").write_bytes(text.encode("gb18030"))
    (files / "big5.txt").write_bytes(traditional.encode("big5", errors="ignore"))
    (files / "utf16.txt").write_bytes(text.replace("通山", "崇阳").encode("utf-16"))
    paragraphs = "".join(f"<p>{line}</p>" for line in text.replace("通山", "嘉鱼").splitlines())
    page = f"<html><head><meta charset='gbk'><title>汇报</title><script>var x='{PHRASE}';</script></head>" \
           f"<body><nav>首页 | 新闻</nav>{paragraphs}<footer>版权所有</footer></body></html>"
    (files / "page.html").write_bytes(page.encode("gbk"))
    summary = ingest_paths([files], tmp_path / "ix")
    by_name = {o.path.rsplit("/", 1)[-1]: o for o in summary.outcomes}
    assert by_name["gbk.txt"].encoding == "gb18030"
    assert by_name["big5.txt"].encoding == "big5"
    assert by_name["utf16.txt"].encoding.startswith("utf-16")
    assert {o.status for o in summary.outcomes} == {"ingested", "duplicate"} or {o.status for o in summary.outcomes} == {"ingested"}
    archive = Archive(tmp_path / "ix")
    try:
        result = archive.search(SearchRequest(q=PHRASE, duplicates=True, size=100))
        found = {h["source_path"].rsplit("/", 1)[-1] for h in result.hits}
        assert {"gbk.txt", "big5.txt", "utf16.txt", "page.html"} <= found
        html_doc = next(h for h in result.hits if h["source_path"].endswith("page.html"))
        full = archive.store.get(html_doc["doc_id"])
        assert "var x" not in full.text and "首页 | 新闻" not in full.text
    finally:
        archive.close()
