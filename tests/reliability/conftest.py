"""Shared by the reliability tests: a corpus of a few hundred real files, phrases, servers.

Large or hostile inputs are generated here, at test time, in temporary folders:
nothing big is committed.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CORPORA, SAMPLE
from tests.test_serve import free_port, wait_for

XWLB = CORPORA / "xwlb-cctv" / "items.jsonl.gz"
QUOTES = set('"“”')
ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


def write_corpus(folder: Path, count: int, folders: int = 4, every: int = 7) -> list[Path]:
    """`count` text files (新闻联播 stories, real text) in `folders` subfolders; the sample if the corpus is missing."""
    written: list[Path] = []
    if not XWLB.exists():  # pragma: no cover - the corpora ship with the project's workspace
        for path in sorted(SAMPLE.rglob("*.txt")):
            target = folder / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
            written.append(target)
        return written
    with gzip.open(XWLB, "rt", encoding="utf-8") as records:
        for number, line in enumerate(records):
            record = json.loads(line)
            if number % every or len(record["text"]) < 400:
                continue
            target = folder / f"part{len(written) % folders}" / f"{len(written):04d}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"{record.get('title') or ''}\n{record['text']}", encoding="utf-8")
            written.append(target)
            if len(written) == count:
                break
    return written


def phrase_of(text: str, rng: random.Random, length: int = 12) -> str:
    """A quoted literal phrase taken from `text` (no quote marks inside, some characters that are not spaces)."""
    for _ in range(200):
        start = rng.randrange(0, max(1, len(text) - length))
        piece = text[start:start + length]
        if not QUOTES & set(piece) and len("".join(piece.split())) >= 6:
            return f'"{piece}"'
    raise AssertionError(f"no phrase found in {text[:80]!r}")


@contextlib.contextmanager
def running_server(index: Path, log: Path, *extra: str) -> Iterator[str]:
    """`archive serve --production` on a free port of 127.0.0.1; yields its base URL."""
    port = free_port()
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "archive.cli", "serve", "--index", str(index),
                                 "--port", str(port), "--production", *extra],
                                stdout=sink, stderr=sink, env=ENV)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/api/search?q=x", proc, log)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.fixture(scope="session")
def corpus_300(tmp_path_factory) -> list[Path]:
    """Three hundred real files in four folders (read-only: copy before changing)."""
    return write_corpus(tmp_path_factory.mktemp("corpus-300"), 300)
