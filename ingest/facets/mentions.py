"""Mentions of units and places in a document, each with the role and weight of its line.

A unit mention is [中共][place][kind][第N届][body] (中共通山县委, X县委宣传部, 区人大常委会,
昆明市第十四届人民代表大会常务委员会) or a place alone (xx镇, 朝天区). Each knows whether
its place is named (gazetteer codes), redacted (X县) or left out (县委宣传部), and whether
the sentence makes it a superior (在县委的领导下, 围绕区委宣传部的要求). Level, organization
and place extraction all read these mentions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ingest.facets.gazetteer import PlaceMention, gazetteer
from ingest.facets.view import DocView
from ingest.structure.lexicon import Lexicon, lexicon

_SUPERIOR_AFTER = re.compile(r"^的?(坚强|正确|统一|具体|大力|亲切|关心)?(领导|指导|部署|要求|安排|关心|支持|决策|批准)")
_RECORD_APPROVAL = re.compile(r"^[^。；\n]{0,40}?批准")


FRAME_ROLES = ("title", "org", "signature", "record", "subtitle")


@dataclass(frozen=True)
class UnitMention:
    start: int
    end: int
    surface: str
    kind: str  # 县, 区, 自治州 … as written
    level: str  # the project's level
    org: str | None  # kind + canonical body (县委宣传部), None for a place alone
    codes: tuple[str, ...]  # gazetteer codes of a named place
    redacted: bool
    superior: bool
    role: str
    weight: float

    @property
    def named(self) -> bool:
        return bool(self.codes)


@dataclass(frozen=True)
class PlaceHit:
    mention: PlaceMention
    role: str
    weight: float
    superior: bool


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lex = lexicon()
    kinds, bodies = lex.kind_pattern, lex.body_pattern
    org = re.compile(rf"(?P<kind>{kinds})(?:第[一二三四五六七八九十百]+届)?(?P<body>{bodies})")
    redacted_place = re.compile(rf"{lex.redaction}(?P<kind>{kinds})")
    redaction_end = re.compile(rf"(?:中共)?{lex.redaction}$")
    not_before = "".join(map(re.escape, lex.self_ref_not_before))
    ahead = f"(?![{not_before}])" if not_before else ""
    self_ref = re.compile(rf"(?:{'|'.join(map(re.escape, lex.self_prefixes))})(?P<kind>{kinds}){ahead}")
    return org, redacted_place, redaction_end, self_ref


def _is_superior(text: str, start: int, end: int, lex: Lexicon, role: str) -> bool:
    if role == "addressee":
        return True
    before = text[max(0, start - 4):start].lstrip("中共")
    if before.endswith(lex.superior_cues) or any(before.endswith(c + "中共") for c in lex.superior_cues):
        return True
    if role == "record" and _RECORD_APPROVAL.match(text[end:end + 60]):
        return True
    return bool(_SUPERIOR_AFTER.match(text[end:end + 8]))


def level_of_codes(codes: tuple[str, ...], kind: str) -> str:
    """The gazetteer's level when all candidates agree, else the kind's."""
    levels = {gazetteer().level(c) for c in codes}
    if len(levels) == 1:
        return levels.pop()
    return lexicon().kinds.get(kind, "县")


class Mentions:
    """All unit, place and self-reference mentions of one document."""

    def __init__(self, view: DocView):
        self.view = view
        self.lex = lexicon()
        text = view.text
        gaz = gazetteer()
        full = gaz.find_full(text)
        named = {code for m in full for code in m.codes}
        head_short = gaz.find_short(view.head_text) if view.head_text else []
        named |= {code for m in head_short for code in m.codes}
        for code in list(named):
            named |= gaz.ancestors(code)
        self.places: list[PlaceMention] = gaz.find(text, short_codes=named, full=full)
        self._place_by_end = {m.end: m for m in self.places}
        self.units = self._units(text)
        self.self_refs = self._self_refs(text)

    def place_hits(self) -> list[PlaceHit]:
        out = []
        for m in self.places:
            role = self.view.role_at(m.start)
            out.append(PlaceHit(m, role, self.view.weight_at(m.start), _is_superior(self.view.text, m.start, m.end, self.lex, role)))
        return out

    def _units(self, text: str) -> list[UnitMention]:
        org_re, redacted_re, redaction_end, _ = _patterns()
        out: list[UnitMention] = []
        covered: set[int] = set()
        for match in org_re.finditer(text):
            kind, body = match.group("kind"), match.group("body")
            k = match.start()
            place = self._place_by_end.get(k + len(kind))
            redaction = redaction_end.search(text[max(0, k - 6):k])
            if place is not None and place.full:
                start, codes, redacted = place.start, place.codes, False
            elif redaction is not None:
                start, codes, redacted = k - len(redaction.group()), (), True
            else:
                if text[max(0, k - 1):k + len(kind)] in self.lex.not_units or (
                        k > 0 and text[k - 1] in "省市县区镇乡村旗州"):
                    continue
                start, codes, redacted = (k - 2 if text[max(0, k - 2):k] == "中共" else k), (), False
            out.append(self._make(text, start, match.end(), kind, self.lex.bodies[body], codes, redacted))
            covered.update(range(start, match.end()))
        for match in redacted_re.finditer(text):
            if match.start() not in covered:
                out.append(self._make(text, match.start(), match.end(), match.group("kind"), None, (), True))
        for place in self.places:
            # A place alone is a unit when written in full, or in the frame (深圳经济特区…条例).
            if place.start not in covered and (place.full or self.view.role_at(place.start) in FRAME_ROLES):
                kind = next((k for k in sorted(self.lex.kinds, key=len, reverse=True) if place.surface.endswith(k)), "")
                out.append(self._make(text, place.start, place.end, kind, None, place.codes, False))
        out.sort(key=lambda u: u.start)
        return out

    def _make(self, text: str, start: int, end: int, kind: str, body: str | None,
              codes: tuple[str, ...], redacted: bool) -> UnitMention:
        role = self.view.role_at(start)
        level = level_of_codes(codes, kind) if codes else self.lex.kinds.get(kind, "县")
        return UnitMention(
            start=start, end=end, surface=text[start:end], kind=kind, level=level,
            org=self.lex.org_name(kind, body) if body else None,
            codes=codes, redacted=redacted, superior=_is_superior(text, start, end, self.lex, role),
            role=role, weight=self.view.weight_at(start),
        )

    def _self_refs(self, text: str) -> list[tuple[int, str, str]]:
        """(offset, level, surface) of 全县 / 我区 / 本市 …"""
        _, _, _, self_re = _patterns()
        return [(m.start(), self.lex.kinds[m.group("kind")], m.group()) for m in self_re.finditer(text)
                if m.group() not in self.lex.generic_self_refs]
