"""`archive serve --production` as a real process: waitress, loopback only by default, no traversal over HTTP,
no request that keeps a worker busy for long."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.reliability.conftest import ENV, free_port, running_server, wait_for
from tests.reliability.test_hostile_web import SECRETS, TRAVERSALS


@pytest.fixture(scope="module")
def server(seed_index, tmp_path_factory):
    with running_server(seed_index, tmp_path_factory.mktemp("server") / "server.log") as base:
        yield base


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as /proc/net shows them) of sockets listening on the port."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.rpartition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_production_server_is_waitress_on_loopback_only(server):
    port = urllib.parse.urlsplit(server).port
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and no 0.0.0.0 or IPv6 socket
    with urllib.request.urlopen(f"{server}/api/search?q=%E6%96%B0%E6%97%B6%E4%BB%A3", timeout=30) as response:
        assert response.headers["Server"] == "waitress"
        assert json.loads(response.read())["total"] >= 1


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_traversal_over_http(server, path):
    """Raw paths, as a client that does not normalize them sends them."""
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(server).netloc, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    assert response.status in (301, 302, 308, 400, 404), (path, response.status)
    assert not [s for s in SECRETS if s in body]
    assert response.status >= 400 or not response.getheader("Location", "").startswith(("//", "http://evil"))


def test_a_pathological_proximity_query_does_not_hold_a_worker(server):
    query = urllib.parse.urlencode({"q": '"的 的 的 的 的 的 宣传部"~300'})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"{server}/api/search?{query}", timeout=5) as response:
            response.read()
    except OSError:  # the client gave up; the worker thread is still busy
        pass
    assert time.monotonic() - started < 5


def worker_pids(parent: int) -> set[int]:
    """The live (not zombie) child processes of `parent`, from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def until(condition, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_worker_processes_are_replaced_and_stop_with_the_server(seed_index, tmp_path, stop):
    """--workers 2: two processes answer on one port; a killed worker is replaced; SIGTERM ends
    them all; a SIGKILLed server's workers end by themselves instead of serving on as orphans."""
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "archive.cli", "serve", "--index", str(seed_index),
                                 "--port", str(port), "--production", "--workers", "2"],
                                stdout=sink, stderr=sink, env=ENV)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/api/search?q=x", proc, log)
        first = until(lambda: len(worker_pids(proc.pid)) == 2 and worker_pids(proc.pid))
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        until(lambda: len(worker_pids(proc.pid)) == 2 and victim not in worker_pids(proc.pid))
        for _ in range(6):
            with urllib.request.urlopen(f"{base}/api/search?q=%E6%96%B0%E6%97%B6%E4%BB%A3", timeout=30) as response:
                assert json.loads(response.read())["total"] >= 1
        workers = worker_pids(proc.pid)
        os.kill(proc.pid, stop)
        if stop == signal.SIGTERM:
            assert proc.wait(timeout=15) == 0
        until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers))
    finally:
        proc.kill()
        proc.wait(timeout=15)
    assert "starting another" in log.read_text(encoding="utf-8")
