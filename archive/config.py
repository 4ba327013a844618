"""Where things live: the index folder and the project's data files."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("ARCHIVE_DATA", PROJECT_ROOT / "data"))
SAMPLE_DIR = DATA_DIR / "sample"
DEFAULT_INDEX = DATA_DIR / "index"


def index_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The index folder: `--index`, else $ARCHIVE_INDEX, else data/index."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("ARCHIVE_INDEX")
    return Path(env) if env else DEFAULT_INDEX


def data_file(name: str) -> Path:
    """A file of the editable data folder (taxonomy, events, dictionaries)."""
    return DATA_DIR / name
