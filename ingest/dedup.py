"""Exact and near duplicates: one canonical document, the others linked to it.

Copies differ in placeholders (20xx, ====, blanked numbers), so documents
are compared on a fingerprint without digits, Latin letters, placeholder
marks and punctuation. The canonical copy is the most informative one:
the one that kept the most digits, then the longest.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

_NOISE = re.compile(r"[0-9a-z×=＝_\-\s\W]+")


def fingerprint(folded: str) -> str:
    return _NOISE.sub("", folded)


@dataclass
class DupCandidate:
    doc_id: str
    folded: str

    @property
    def informativeness(self) -> tuple[int, int, str]:
        digits = sum(c.isdigit() for c in self.folded)
        return (digits, len(self.folded), self.doc_id)


def group_duplicates(docs: list[DupCandidate]) -> dict[str, str | None]:
    """doc_id → canonical doc_id (None for canonical documents)."""
    groups: dict[str, list[DupCandidate]] = defaultdict(list)
    for doc in docs:
        groups[fingerprint(doc.folded)].append(doc)
    result: dict[str, str | None] = {}
    for members in groups.values():
        canonical = max(members, key=lambda d: d.informativeness)
        for m in members:
            result[m.doc_id] = None if m is canonical else canonical.doc_id
    return result
