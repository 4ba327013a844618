"""The writing unit: its level, its organization and whether its name was redacted.

Votes come from unit mentions weighted by where they stand (title, unit line, signature,
opening sentence count most; a superior — 在县委的领导下, an addressee — counts not at
all) and from the ways a report speaks of itself (全县, 我区, 本市). The organization
is the best-placed body named at the chosen level (县委宣传部, 区人大常委会, 镇党委).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from archive.model import Document, Evidence
from ingest.facets.mentions import FRAME_ROLES, Mentions, UnitMention
from ingest.structure.lexicon import lexicon

SELF_REF_WEIGHT = {"我": 1.0, "本": 1.0, "全": 0.3}
SELF_REF_CAP = 6.0  # per level: a long report saying 全县 fifty times is not fifty votes
BODY_CAP = 4.0  # body mentions of one level, together
MIN_VOTES = 1.0
# A report whose head names no unit still speaks of its own in the body (全乡 … 乡党委 …):
# less is enough when no other level comes near.
MIN_CLEAR_VOTES = 0.6
ENACTOR_BONUS = 6.0  # the unit a statute's title opens with enacts it: 上海市促进浦东新区…规定 is 上海市's
_FULL_CITY = ("市", "自治州", "州", "盟", "地区")
_YEAR_PREFIX = re.compile(r"^(?:(?:19|20)\d{2}|20xx|XXXX|xxxx|====)?年?度?")


@dataclass
class Unit:
    level: str | None = None
    organization: str | None = None
    author: UnitMention | None = None  # the mention that best names the author
    anonymized: bool = False


def _central(doc: Document, mentions: Mentions) -> str | None:
    """A national law's title (中华人民共和国…) or a central body in the frame (最高人民法院…通过)."""
    lex = lexicon()
    if doc.title.startswith(lex.central_titles):
        return doc.title
    view = mentions.view
    if any(u.role in FRAME_ROLES and not u.superior for u in mentions.units):
        return None  # a local body names itself
    frame_lines = [n for n in range(len(view.lines)) if view.role(n) in FRAME_ROLES]
    central = next((view.lines[n] for n in frame_lines if any(body in view.lines[n] for body in lex.central)), None)
    return central or _placeless_statute(doc, mentions)


def _placeless_statute(doc: Document, mentions: Mentions) -> str | None:
    """A statute whose title names no place and which never says 本市/我省: a national one (残疾人就业条例)."""
    lex = lexicon()
    if not lex.statute_title.search(doc.title) or re.search(lex.redaction, doc.title):
        return None
    view = mentions.view
    if any(view.role_at(p.start) == "title" for p in mentions.places):
        return None
    if any(u.role == "title" for u in mentions.units) or any(s[0] != "全" for _, _, s in mentions.self_refs):
        return None
    return doc.title


def _remap_kinds(mentions: Mentions) -> dict[str, str]:
    """When the author names itself, a bare 市 means its real level: 北京市 → 省, 义乌市 → 县."""
    lex = lexicon()
    remap: dict[str, str] = {}
    for u in sorted(mentions.units, key=lambda u: u.weight):
        if u.named and u.role in FRAME_ROLES and not u.superior and lex.kinds.get(u.kind, u.level) != u.level:
            remap[lex.kinds[u.kind]] = u.level
    return remap


def _level(u: UnitMention, remap: dict[str, str]) -> str:
    return u.level if u.named else remap.get(u.level, u.level)


def decide_unit(doc: Document, mentions: Mentions) -> Unit:
    """Pick level, organization and author mention; append the evidence to doc."""
    central = _central(doc, mentions)
    if central:
        doc.evidence.append(Evidence("level", "中央", "central body in the title or frame", central[:80], weight=6.0))
        return Unit(level="中央")
    remap = _remap_kinds(mentions)
    scores: dict[str, float] = defaultdict(float)
    body_scores: dict[str, float] = defaultdict(float)
    candidates = [u for u in mentions.units if not u.superior and u.weight > 0]
    for u in candidates:
        level = _level(u, remap)
        if u.role == "body":
            body_scores[level] += u.weight
        else:
            scores[level] += u.weight
    for level, value in body_scores.items():
        scores[level] += min(value, BODY_CAP)
    self_scores: dict[str, float] = defaultdict(float)
    for _, level, surface in mentions.self_refs:
        self_scores[remap.get(level, level)] += SELF_REF_WEIGHT.get(surface[0], 0.3)
    for level, value in self_scores.items():
        scores[level] += min(value, SELF_REF_CAP)
    enactor = _enactor(doc, mentions, candidates)
    if enactor is not None:
        scores[_level(enactor, remap)] += ENACTOR_BONUS
    if not scores:
        return Unit()
    level = max(scores, key=lambda lv: scores[lv])
    runner_up = max((v for lv, v in scores.items() if lv != level), default=0.0)
    if scores[level] < MIN_VOTES and not (scores[level] >= MIN_CLEAR_VOTES and runner_up * 2 <= scores[level]):
        return Unit()  # too little said about the author, or said of two levels alike
    at_level = [u for u in candidates if _level(u, remap) == level]
    author = max(at_level, key=lambda u: (u.weight, u.named, u.org is not None, -u.start), default=None)
    unit = Unit(level=level, author=author)
    why = author.surface if author else ", ".join(sorted({s for _, lv, s in mentions.self_refs if lv == level}))[:80]
    doc.evidence.append(Evidence("level", level, f"unit votes ({author.role if author else 'self-reference'})",
                                 why, line=mentions.view.line_of(author.start) if author else None,
                                 weight=round(scores[level], 2)))
    for other, value in sorted(scores.items(), key=lambda kv: -kv[1])[1:3]:
        doc.evidence.append(Evidence("level", other, "outvoted", f"{value:.1f} vs {scores[level]:.1f}", weight=0.0))
    unit.organization = _organization(doc, at_level, level)
    if unit.organization:
        source = next((u for u in sorted(at_level, key=lambda u: -u.weight) if u.org == unit.organization), None)
        doc.evidence.append(Evidence(
            "organization", unit.organization, f"body named at level {level} ({source.role if source else 'title'})",
            source.surface if source else doc.title, line=mentions.view.line_of(source.start) if source else None))
    unit.anonymized = _anonymized(doc, mentions, level, author)
    return unit


def _enactor(doc: Document, mentions: Mentions, candidates: list[UnitMention]) -> UnitMention | None:
    """The named unit a statute's title opens with (上海市…, 广西壮族自治区南宁市…: the last of a run)."""
    if not lexicon().statute_title.search(doc.title):
        return None
    view = mentions.view
    line = view.frame.title_line
    if line is None:
        return None
    head = view.starts[line] + len(_YEAR_PREFIX.match(view.lines[line]).group())
    named = sorted((u for u in candidates if u.role == "title" and u.named), key=lambda u: u.start)
    lead = next((u for u in named if u.start == head), None)
    city = next((u for u in named if lead and u.start == lead.end and u.level == "市" and u.surface.endswith(_FULL_CITY)), None)
    # 广西壮族自治区南宁市…: the city enacts; 河南省信阳南湾…保护条例 (a short name): the province does
    return city if lead and lead.level == "省" and city else lead


def _organization(doc: Document, at_level: list[UnitMention], level: str) -> str | None:
    """The body named where the author names itself (title, unit line, signature); else what
    the title implies (区宣传思想工作总结 → 区委宣传部); else the body named most at that level."""
    framed: dict[str, float] = defaultdict(float)
    weights: dict[str, float] = defaultdict(float)
    for u in at_level:
        if u.org:
            weights[u.org] += u.weight
            if u.role in FRAME_ROLES:
                framed[u.org] += u.weight
    if framed:
        return max(framed, key=lambda org: framed[org])
    implied = _implied_by_title(doc.title, level)
    if implied:
        return implied
    strong = {org: w for org, w in weights.items() if w >= 2.0}
    pool = strong or weights
    return max(pool, key=lambda org: pool[org]) if pool else None


def _implied_by_title(title: str, level: str) -> str | None:
    lex = lexicon()
    title = _YEAR_PREFIX.sub("", title)
    for kind, kind_level in sorted(lex.kinds.items(), key=lambda kv: -len(kv[0])):
        match = re.match(rf"^(?:{lex.redaction})?{re.escape(kind)}", title)
        if kind_level == level and match:
            rest = title[match.end():]
            for word, body in lex.implied.items():
                if rest.startswith(word):
                    return lex.org_name(kind, body)
    return None


def _anonymized(doc: Document, mentions: Mentions, level: str, author: UnitMention | None) -> bool:
    """The author's own place name was replaced (X县, ×区, xx镇) and nowhere written out."""
    if author is not None and author.named:
        return False
    redacted = [u for u in mentions.units if u.redacted and u.level == level]
    named = [u for u in mentions.units if u.named and u.level == level and not u.superior and u.role != "body"]
    if (author is not None and author.redacted) or (redacted and not named):
        example = author if author is not None and author.redacted else redacted[0]
        doc.evidence.append(Evidence("anonymized", True, "redacted place name at the author's level",
                                     example.surface, line=mentions.view.line_of(example.start)))
        return True
    return False
