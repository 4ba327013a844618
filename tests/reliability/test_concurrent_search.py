"""Searches keep answering, consistently, while an ingest writes to the index the server reads.

A production server serves an index of 60 files while another process adds
240 more in small commits. Client threads search all the while: every answer
is a 200, the number of documents and passages holding a phrase never goes
down while files are only added, and at the end the server (never restarted)
counts exactly the documents that hold each phrase.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

import pytest

from archive import facets
from archive.docstore import DocStore
from archive.fold import fold
from archive.search import Archive, SearchRequest
from ingest.pipeline import ingest_paths
from tests.reliability.conftest import ENV, running_server

CANDIDATES = ("习近平", "发展", "建设", "会议", "经济", "人民", "记者", "合作")
CLIENTS = 4
INGEST = """
import sys
from pathlib import Path
from ingest import pipeline
pipeline.COMMIT_EVERY_DOCS = 10
pipeline.COMMIT_EVERY_SECONDS = 0.5
pipeline.ingest_paths([Path(sys.argv[1])], Path(sys.argv[2]), jobs=1)
"""


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def holding(index, phrases: list[str]) -> dict[str, int]:
    """How many documents of the store hold each phrase (by their folded text, not through search)."""
    archive = Archive(index)
    try:
        folded = [f for _, f, _ in archive.store.folded(archive.store.all_doc_ids())]
    finally:
        archive.close()
    return {p: sum(fold(p) in text for text in folded) for p in phrases}


def test_searches_stay_consistent_while_an_ingest_writes(tmp_path, corpus_300):
    texts = [path.read_text(encoding="utf-8") for path in corpus_300]
    phrases = [p for p in CANDIDATES if 0.2 * len(texts) < sum(p in t for t in texts) < 0.9 * len(texts)][:3]
    assert len(phrases) >= 2, "no phrase common enough in the corpus"
    live, index = tmp_path / "live", tmp_path / "ix"
    for path in corpus_300[:60]:
        (live / path.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, live / path.parent.name / path.name)
    ingest_paths([live], index, jobs=1)

    seen: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    errors: list[str] = []
    writing = threading.Event()
    writing.set()

    def client(number: int, base: str) -> None:
        rounds = 0
        while writing.is_set() or rounds < 2:  # and two full rounds after the ingest ended
            rounds = 0 if writing.is_set() else rounds + 1
            for phrase in phrases:
                query = urllib.parse.urlencode({"q": phrase, "duplicates": 1, "size": 5})
                status, body = get(f"{base}/api/search?{query}")
                if status != 200:
                    errors.append(f"{status} /api/search?{query}: {body[:200]!r}")
                    continue
                result = json.loads(body)
                seen[number, phrase].append((result["total"], result["total_passages"]))
                for url in (f"{base}/?{query}", *(f"{base}/api/doc/{h['doc_id']}" for h in result["hits"][:1])):
                    status, body = get(url)
                    if status != 200:
                        errors.append(f"{status} {url}: {body[:200]!r}")

    with running_server(index, tmp_path / "server.log") as base:
        threads = [threading.Thread(target=client, args=(n, base)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        for path in corpus_300[60:]:
            (live / path.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, live / path.parent.name / path.name)
        try:
            subprocess.run([sys.executable, "-c", INGEST, str(live), str(index)], check=True, env=ENV, timeout=300,
                           capture_output=True)
        finally:
            writing.clear()
            for thread in threads:
                thread.join(timeout=120)
        final = {p: json.loads(get(f"{base}/api/search?{urllib.parse.urlencode({'q': p, 'duplicates': 1})}")[1])
                 for p in phrases}

    log = (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
    assert not errors, (errors[:3], log[log.find("Traceback"):][-3000:])
    for (number, phrase), totals in seen.items():
        assert totals == sorted(totals), f"client {number}: the counts for {phrase} went down: {totals}"
    assert any(len(set(totals)) > 1 for totals in seen.values()), "no search overlapped the ingest's commits"
    expected = holding(index, phrases)
    assert {p: final[p]["total"] for p in phrases} == expected  # the running server sees every new document


@pytest.fixture()
def counted_archive(seed_index, tmp_path, monkeypatch):
    """A copy of the seed archive whose facet table builds are counted (store reads of all rows)."""
    folder = tmp_path / "ix"
    shutil.copytree(seed_index, folder)
    (folder / facets.CACHE_FILE).unlink(missing_ok=True)
    builds = []
    original = DocStore.facet_rows

    def counting(store):
        builds.append(threading.current_thread().name)
        time.sleep(0.2)  # a large archive takes seconds: let the threads meet
        yield from original(store)

    monkeypatch.setattr(DocStore, "facet_rows", counting)
    return folder, builds


def bump_generation(folder) -> None:
    """What an ingest's commit does to the store, from another connection."""
    store = DocStore(folder)
    try:
        store.commit()
    finally:
        store.close()


def test_a_new_generation_is_built_once_however_many_threads_ask(counted_archive):
    folder, builds = counted_archive
    facets._cache.clear()
    bump_generation(folder)
    barrier = threading.Barrier(8)

    def ask() -> None:
        archive = Archive(folder)
        try:
            barrier.wait()
            facets.facet_table(archive.store)
        finally:
            archive.close()

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1, f"{len(builds)} threads built the same table"


def test_a_commit_during_a_search_costs_no_rebuild(counted_archive, monkeypatch):
    folder, builds = counted_archive
    archive = Archive(folder)
    try:
        archive.search(SearchRequest(q="宣传"))  # the table of the current generation
        builds.clear()
        passages = archive.store.passages
        committed = []

        def passages_then_commit(*args, **kwargs):
            if not committed:
                bump_generation(folder)  # an ingest commits while this request is being answered
                committed.append(args)
            return passages(*args, **kwargs)

        monkeypatch.setattr(archive.store, "passages", passages_then_commit)
        result = archive.search(SearchRequest(q="宣传", size=20))
        assert committed and len(result.hits) > 1
        assert builds == [], "the facet table was rebuilt in the middle of a request"
    finally:
        archive.close()
