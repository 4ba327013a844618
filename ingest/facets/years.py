"""The year of the work reported on, from the title, text and page date."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from archive.model import Document, Evidence

if TYPE_CHECKING:
    from ingest.facets import PageFacts

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def assign_year(doc: Document, page: PageFacts) -> None:
    title_years = _YEAR.findall(doc.title)
    if title_years:
        doc.year = int(title_years[0])
        doc.evidence.append(Evidence("year", doc.year, "year in title", doc.title))
    else:
        counts = Counter(int(y) for y in _YEAR.findall(doc.text[:3000]))
        if counts:
            year, n = counts.most_common(1)[0]
            doc.year = year
            doc.evidence.append(Evidence("year", year, "most frequent year in opening text", f"{n}×"))
    last_lines = doc.text.split("\n")[-3:]
    for line in last_lines:
        match = _DATE.search(line)
        if match:
            y, m, d = (int(g) for g in match.groups())
            doc.date = f"{y:04d}-{m:02d}-{d:02d}"
            doc.evidence.append(Evidence("date", doc.date, "date line at end", line[:80]))
