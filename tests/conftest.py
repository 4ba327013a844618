"""Shared fixtures: the seed files, an archive ingested from them, the app and CLI runner."""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


@pytest.fixture(scope="session")
def reuse_index(tmp_path_factory) -> Path:
    """data/sample ingested and compared once (`archive reuse`), shared read-only by the reuse tests."""
    from archive.reuse.detect import update_reuse
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("reuse-index")
    summary = ingest_paths([SAMPLE], folder)
    assert summary.count("ingested") > 50
    update_reuse(folder)
    return folder


# -- the browser tests (Debian's chromium through Playwright) ----------------------------
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "test-artifacts" / "screenshots"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"no Chromium at {CHROMIUM} (Debian package 'chromium')")


@contextmanager
def live_server(folder: Path, name: str) -> Iterator[str]:
    """The web app over an index folder on a free loopback port, for as long as the block runs: its base URL."""
    from werkzeug.serving import make_server

    from webui import create_app

    server = make_server("127.0.0.1", 0, create_app({"INDEX_DIR": str(folder)}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def click(locator) -> None:
    """Click a link that loads a page, and wait until it has: what follows must read the new page, not the old."""
    locator.click()
    locator.page.wait_for_load_state()


def totals(page) -> tuple[int, int]:
    """(documents, passages) as the search page's totals line says them."""
    docs, passages = re.findall(r"\d+", page.locator("#totals").inner_text())[:2]
    return int(docs), int(passages)
