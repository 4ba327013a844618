"""A running server sees documents ingested by another process, without a restart."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request

from ingest.pipeline import ingest_paths
from tests.conftest import SEEDS
from tests.test_serve import free_port, wait_for


def hits(base: str, query: str) -> dict:
    url = f"{base}/api/search?{urllib.parse.urlencode({'q': query})}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def test_server_sees_new_and_removed_documents(tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    shutil.copy(SEEDS / "001_eaa05965459b041d.txt", files / "a.txt")
    index = tmp_path / "ix"
    ingest_paths([files], index, jobs=1)
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "archive.cli", "serve", "--index", str(index),
                                 "--port", str(port), "--production"], stdout=sink, stderr=sink,
                                env={**os.environ, "PYTHONWARNINGS": "ignore"})
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/api/search?q=x", proc, log)
        assert hits(base, "通山县")["total"] == 0
        shutil.copy(SEEDS / "004_edecab7bdecca6f6.txt", files / "b.txt")
        subprocess.run([sys.executable, "-m", "archive.cli", "ingest", str(files), "--index", str(index), "-q"],
                       check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        found = hits(base, "通山县")
        assert found["total"] == 1 and found["hits"][0]["county"] == "通山县"
        (files / "b.txt").unlink()
        subprocess.run([sys.executable, "-m", "archive.cli", "ingest", str(files), "--index", str(index),
                        "--prune", "-q"], check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        assert hits(base, "通山县")["total"] == 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
