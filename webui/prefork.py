"""Several waitress processes sharing one listening socket (`archive serve --production --workers N`).

One Python process runs Python code on one core at a time (the GIL): with 20 readers at once
a single process queues them. Each worker process builds its own app (its own warm-up, SQLite
connections and caches) after the fork; the kernel hands each connection to one of them.
The parent only supervises: a worker that dies is replaced (unless workers keep dying at
once, which is a broken setup, not bad luck), SIGTERM or SIGINT stops them all, and a worker
whose parent was killed exits by itself.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections.abc import Callable

from ingest.watchdog import exit_with

QUICK_DEATH_SECONDS = 5.0  # a worker dying this soon after its start counts as failing to start
MAX_QUICK_DEATHS = 5
BACKLOG = 1024
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def serve_workers(make_app: Callable[[], object], host: str, port: int, workers: int, threads: int) -> int:
    """Serve until SIGTERM/SIGINT; the exit status (1 when workers could not keep running)."""
    listener = socket.create_server((host, port), backlog=BACKLOG)
    children: dict[int, float] = {}  # pid → start time
    stopping = False

    def start_worker() -> None:
        # Signals wait until the child has its own handlers (the parent's would stop its siblings).
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        pid = os.fork()
        if pid == 0:
            _run_worker(make_app, listener, threads)
        children[pid] = time.monotonic()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            _signal(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        start_worker()
    quick_deaths = 0
    while children:
        pid, status = os.wait()
        started = children.pop(pid, None)
        if started is None or stopping:
            continue
        print(f"server worker {pid} ended ({_describe(status)}); starting another", file=sys.stderr, flush=True)
        quick_deaths = quick_deaths + 1 if time.monotonic() - started < QUICK_DEATH_SECONDS else 0
        if quick_deaths >= MAX_QUICK_DEATHS:
            print(f"server workers keep ending at once ({quick_deaths} in a row): stopping", file=sys.stderr)
            stop(signal.SIGTERM, None)
            return 1
        start_worker()
    return 0


def _run_worker(make_app: Callable[[], object], listener: socket.socket, threads: int) -> None:
    """In the forked child: serve on the shared socket; never return into the parent's code."""
    status = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent stops us
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        exit_with(os.getppid())
        from waitress import serve

        serve(make_app(), sockets=[listener], threads=threads, ident="waitress")
        status = 0
    except BaseException as exc:  # report, then leave: the parent decides whether to start another
        print(f"server worker {os.getpid()} failed: {exc!r}", file=sys.stderr, flush=True)
    finally:
        os._exit(status)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.WEXITSTATUS(status)}"
