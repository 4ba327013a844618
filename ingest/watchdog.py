"""Worker processes end when the ingest that started them is gone (killed), instead of living on.

`os.kill(pid, 0)` alone is not enough: a killed ingest stays a zombie until
its parent reaps it, and a parent that first reads the ingest's output to
the end (`$(archive ingest …)`, `subprocess.run(capture_output=True)`) waits
for the workers to close that output: without looking at the process state
both would wait forever. On Linux the parent's state and start time are read
from /proc, so a zombie, or another process that got its pid, counts as gone.
"""

from __future__ import annotations

import os
import threading
import time

POLL_SECONDS = 1.0


def _proc_stat(pid: int) -> tuple[bytes, bytes] | None:
    """(state, start time) of a process from /proc, None without /proc or if it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return fields[0], fields[19]  # fields 3 and 22 of proc(5): after the ")" they are 0 and 19


def _alive(pid: int, started: bytes | None) -> bool:
    """Whether the process is still running (not a zombie, not a newer process with its pid)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process now holds the pid, or we may not signal it: decided below
    stat = _proc_stat(pid)
    if stat is None:
        return started is None  # no /proc here: the signal test is all there is
    state, start = stat
    return state not in (b"Z", b"X") and (started is None or start == started)


def exit_with(parent_pid: int) -> None:
    """In a worker (a pool initializer): exit as soon as the parent ingest is gone."""
    stat = _proc_stat(parent_pid)
    started = stat[1] if stat else None

    def watch() -> None:
        while _alive(parent_pid, started):
            time.sleep(POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
