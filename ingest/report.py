"""The ingest report: one JSON line per input file, and the run's summary."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATUSES = ("ingested", "unchanged", "duplicate", "rejected", "removed")


@dataclass
class FileOutcome:
    """One line of the ingest report."""

    path: str
    status: str  # one of STATUSES
    reason: str | None = None
    encoding: str | None = None
    documents: list[str] = field(default_factory=list)


@dataclass
class IngestSummary:
    outcomes: list[FileOutcome]
    report_path: Path
    seconds: float
    bytes_read: int = 0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def exit_code(self) -> int:
        return 1 if self.count("rejected") else 0

    def line(self) -> str:
        counts = ", ".join(f"{s} {self.count(s)}" for s in STATUSES if self.count(s))
        speed = self.bytes_read / 1e6 / self.seconds if self.seconds else 0.0
        return (f"{len(self.outcomes)} files in {self.seconds:.1f} s ({speed:.2f} MB/s): "
                f"{counts or 'nothing to do'}. Report: {self.report_path}")


def write_report(path: Path, outcomes: list[FileOutcome]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", errors="backslashreplace") as out:  # never fail on an odd name
        for o in outcomes:
            out.write(json.dumps(asdict(o), ensure_ascii=False) + "\n")
