"""Province, city, county and town of the writing unit, resolved with the gazetteer.

The author's own place comes first: the place named in its title, unit line, signature
or opening (中共通山县委 → 通山县 → 咸宁市 → 湖北省). A name several divisions share
(朝阳区, 鼓楼区) is settled by the other places the document names (北京, 长春); if
nothing settles it, only what all readings share is kept. When the title only says
区委宣传部, the district the body names most (朝天区 ×20) is taken if it clearly
dominates; a county mentioned once, as a visitor, is not. A redacted author (X县)
gets no place: the source chose to hide it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from archive.model import Document, Evidence
from ingest.facets.gazetteer import Division, gazetteer
from ingest.facets.mentions import Mentions
from ingest.facets.unit import Unit

TARGET_RANK = {"省": 0, "市": 1, "县": 2, "区": 2, "镇": 2, "乡": 2, "街道": 2, "村": 2}
FIELD_OF_RANK = ("province", "city", "county")
MIN_SUPPORT = 2.0  # body mentions needed to take a place the title does not name
DOMINANCE = 2.0  # …and how far ahead of the runner-up it must be
_TOWN = re.compile(r"^(?:中共|中国共产党)?([\u4e00-\u9fff]{2,4}?(?:镇|乡|街道))(?:党委|委员会|人民政府|政府|办事处|党工委|$)")


def decide_places(doc: Document, mentions: Mentions, unit: Unit) -> None:
    if unit.level is None or unit.level == "中央":
        return
    gaz = gazetteer()
    hits = mentions.place_hits()
    own: dict[str, float] = defaultdict(float)
    context: dict[str, float] = defaultdict(float)
    for hit in hits:
        for code in hit.mention.codes:
            context[code] += 1.0
            if not hit.superior:
                own[code] += hit.weight / len(hit.mention.codes)

    def ancestor_support(code: str) -> float:
        return sum(context[a] for a in gaz.ancestors(code))

    rank = TARGET_RANK[unit.level]
    chosen: Division | None = None
    author = unit.author
    if unit.anonymized:
        best = max(own, key=lambda c: own[c], default=None)
        if best:
            doc.evidence.append(Evidence("place", gaz.by_code[best].name, "hint only: the author's name is redacted",
                                         weight=0.0))
        return
    if author is not None and author.named and author.role != "body":
        readings = [c for c in author.codes if gaz.by_code[c].rank <= rank] or list(author.codes)
        chosen = _settle(doc, readings, ancestor_support, author.surface)
        rule = f"named by the author ({author.role})"
        text = author.surface
    else:
        at_rank = {c: w for c, w in own.items() if gaz.by_code[c].rank == rank}
        ranked = sorted(at_rank, key=lambda c: (at_rank[c], ancestor_support(c)), reverse=True)
        if ranked and at_rank[ranked[0]] >= MIN_SUPPORT and (
                len(ranked) == 1 or at_rank[ranked[0]] >= DOMINANCE * at_rank[ranked[1]]):
            chosen = gaz.by_code[ranked[0]]
            rule, text = "named most in the body", f"{chosen.name}: {at_rank[ranked[0]]:.1f}"
        elif ranked:
            doc.evidence.append(Evidence("place", gaz.by_code[ranked[0]].name, "not dominant enough to count",
                                         f"{at_rank[ranked[0]]:.1f}", weight=0.0))
    if chosen is not None:
        _fill(doc, chosen, rule, text)
    if unit.level in ("镇", "乡", "街道"):
        _town(doc, mentions)


def _settle(doc: Document, readings: list[str], support, surface: str) -> Division | None:
    """One reading of an ambiguous name, or the division all readings share."""
    gaz = gazetteer()
    if len(readings) == 1:
        return gaz.by_code[readings[0]]
    scored = sorted(readings, key=support, reverse=True)
    if support(scored[0]) > support(scored[1]):
        doc.evidence.append(Evidence("place", gaz.by_code[scored[0]].name, "ambiguous name settled by places nearby",
                                     surface, weight=support(scored[0])))
        return gaz.by_code[scored[0]]
    shared = set.intersection(*(gaz.ancestors(c) for c in readings))
    doc.evidence.append(Evidence("place", surface, "ambiguous name left open",
                                 " / ".join(gaz.by_code[c].name for c in readings), weight=0.0))
    if shared:
        return gaz.by_code[max(shared, key=len)]
    return None


def _fill(doc: Document, division: Division, rule: str, text: str) -> None:
    for d in gazetteer().chain(division.code):
        field = FIELD_OF_RANK[d.rank]
        setattr(doc, field, d.name)
        doc.evidence.append(Evidence(field, d.name, rule if d is division else f"contains {division.name}", text))


def _town(doc: Document, mentions: Mentions) -> None:
    view = mentions.view
    for n in [view.frame.title_line, *view.frame.org_lines, *view.frame.signature_lines]:
        if n is None:
            continue
        match = _TOWN.match(view.lines[n].strip())
        if match:
            doc.town = match.group(1)
            doc.evidence.append(Evidence("town", doc.town, "town named in the title or signature", view.lines[n], line=n))
            return
