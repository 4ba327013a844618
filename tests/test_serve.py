"""`archive serve` as a real process: a fresh index ingests the sample by itself."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, log, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text(encoding='utf-8', errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("server did not answer in time")


@pytest.mark.parametrize("production", [False, True], ids=["flask", "waitress"])
def test_serve_ingests_sample_on_first_run(tmp_path, production):
    port = free_port()
    args = [sys.executable, "-m", "archive.cli", "serve", "--index", str(tmp_path / "ix"), "--port", str(port)]
    if production:
        args.append("--production")
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(args, stdout=sink, stderr=sink, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/api/search?q=x", proc, log)
        query = urllib.parse.urlencode({"q": "新时代文明实践"})
        with urllib.request.urlopen(f"{base}/api/search?{query}", timeout=30) as response:
            data = json.loads(response.read())
        assert data["total"] >= 2
        assert all("<mark>" in p["highlighted"] for h in data["hits"] for p in h["passages"])
        with urllib.request.urlopen(f"{base}/?{query}", timeout=30) as response:
            page = response.read().decode("utf-8")
        assert "<mark>新时代文明实践</mark>" in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)
