"""Shared fixtures: the seed files, an archive ingested from them, the app and CLI runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "eval" / "seeds_gold.json"
CORPORA = SHARED / "corpora"
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """An index folder with the five seeds ingested (shared, read-only in tests)."""
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("seed-index")
    corpus = tmp_path_factory.mktemp("seed-files")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, corpus / seed.name)
    summary = ingest_paths([corpus], folder)
    assert summary.count("ingested") == 5, [o for o in summary.outcomes if o.status != "ingested"]
    return folder


@pytest.fixture(scope="session")
def seed_archive(seed_index):
    from archive.search import Archive

    archive = Archive(seed_index)
    yield archive
    archive.close()


@pytest.fixture()
def app(seed_index):
    from webui import create_app

    return create_app({"INDEX_DIR": str(seed_index), "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()
