"""Which files an ingest run reads: the given files and everything under the given folders.

Nothing met on the way may stop the run or vanish without a word: a path
that cannot be taken (missing, a broken or looping symbolic link, a named
pipe or device, a folder that cannot be listed) comes out with the reason.
Symbolic links are followed, each real file and folder once: a folder's own
tree is read first and its links to folders after, so a file reached both
ways keeps its real path, and a link back to a folder already read (a loop)
is reported instead of walked again.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Found:
    """A path met by the walk: a file to read, a path to reject, or a second way to one already met."""

    path: Path
    key: str | None = None  # the real path of a file to read: its identity in the store
    problem: str | None = None  # why it cannot be read (the file is rejected)
    same_as: str | None = None  # the path under which this file or folder is read in this run
    size: int | None = None


def path_text(path: str | os.PathLike[str]) -> str:
    """The path as text SQLite and the JSON report can hold: bytes of a file name that are not
    UTF-8 (Python keeps them as lone surrogates) are written as \\xNN."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def text_path(text: str) -> Path:
    """The inverse of `path_text`: the file a stored path names."""
    if "\\x" not in text:
        return Path(text)
    raw = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), text.encode("utf-8"))
    return Path(os.fsdecode(raw))


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _file(path: Path, seen: dict[str, str]) -> Found:
    """A file path met by the walk or given: its real path and size, or why it cannot be read."""
    if path.is_symlink():
        try:
            target = path_text(os.readlink(path))
        except OSError:
            target = "?"
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return Found(path, problem=f"symbolic link loop ({path_text(path)} → {target} leads back to itself); "
                                           "fix or remove the link")
            if exc.errno == errno.ENOENT:
                return Found(path, problem=f"broken symbolic link (its target {target} does not exist); "
                                           "fix or remove the link")
    try:
        info = os.stat(path)
        key = path_text(os.path.realpath(path))
    except FileNotFoundError:
        return Found(path, problem="no such file or folder; check the path")
    except OSError as exc:
        return Found(path, problem=f"cannot read file: {_reason(exc)}; check the path and its permissions")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a named pipe" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode)
                else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a file")
        return Found(path, problem=f"not a regular file ({kind}); only regular files are read")
    if key in seen:
        return Found(path, key, same_as=seen[key])
    seen[key] = path_text(path)
    return Found(path, key, size=info.st_size)


class _Walk:
    """The state of one run's walk: real files and folders met so far, links to folders not yet followed."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}  # real path → the path it is read under
        self.folders: dict[str, str] = {}
        self.links: deque[Path] = deque()

    def folder(self, top: Path) -> Iterator[Found]:
        """The folder's files, depth first in name order; its links to folders are queued."""
        real = os.path.realpath(top)
        if real in self.folders:
            yield Found(top, same_as=self.folders[real])
            return
        self.folders[real] = path_text(top)
        stack = [top]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError as exc:
                yield Found(folder, problem=f"cannot list folder: {_reason(exc)}; check its permissions")
                continue
            subfolders = []
            for entry in entries:
                path = Path(entry.path)
                if _is_folder(entry) and entry.is_symlink():
                    self.links.append(path)
                elif _is_folder(entry):
                    real = os.path.realpath(path)
                    if real in self.folders:
                        yield Found(path, same_as=self.folders[real])
                    else:
                        self.folders[real] = path_text(path)
                        subfolders.append(path)
                else:
                    yield _file(path, self.files)
            stack.extend(reversed(subfolders))

    def follow_links(self) -> Iterator[Found]:
        """Links to folders, once every real tree is read: new folders are walked, known ones reported."""
        while self.links:
            yield from self.folder(self.links.popleft())


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows a link; False for a broken or looping one
    except OSError:
        return False


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Found]:
    """Every file under the given paths (see the module docstring), each real file once."""
    walk = _Walk()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from walk.folder(path)
        else:
            yield _file(path, walk.files)
    yield from walk.follow_links()


def same_as_reason(found: Found) -> str:
    """The report's reason for a second way to a file or folder of this run."""
    if found.key is None:
        return f"the same folder as {found.same_as} (a symbolic link leads to it); its files are read once"
    return f"the same file as {found.same_as} (a symbolic link leads to it); read once"
