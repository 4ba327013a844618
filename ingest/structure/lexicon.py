"""The editable word lists structure and facets share (data/units.toml, data/doctypes.toml).

Loaded once per process; every regular expression built from them lives here so the
title finder and the facet extractors read the same vocabulary.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from archive.config import data_file


@dataclass(frozen=True)
class Doctype:
    name: str
    tense: str  # back | ahead | record | news: which year the document is about (see data/doctypes.toml)
    title: tuple[re.Pattern[str], ...]
    body: tuple[re.Pattern[str], ...]
    dateline: tuple[re.Pattern[str], ...] = ()  # an opening that outweighs the title (央视网消息：…)


@dataclass(frozen=True)
class Lexicon:
    kinds: dict[str, str]  # 县 → 县, 自治州 → 市, 旗 → 县 …
    bodies: dict[str, str]  # 人民代表大会常务委员会 → 人大常委会 …
    redaction: str  # regex of a redacted place name (X, ×, xx, 某)
    central: tuple[str, ...]
    central_titles: tuple[str, ...]
    statute_title: re.Pattern[str]  # a law's or regulation's title: local ones always name their place
    self_prefixes: tuple[str, ...]
    generic_self_refs: frozenset[str]  # 本地区: a statute's word for any area, no unit
    self_ref_not_before: tuple[str, ...]  # 本区域, 全市场: no self-reference
    superior_cues: tuple[str, ...]
    not_units: frozenset[str]
    implied: dict[str, str]
    org_prefix: dict[str, str]
    title_words: re.Pattern[str]
    doctypes: tuple[Doctype, ...]

    def opens_with_dateline(self, line: str) -> bool:
        """A news story's first line (央视网消息（新闻联播）：…), by the doctypes' dateline patterns."""
        return any(p.search(line) for doctype in self.doctypes for p in doctype.dateline)

    def org_name(self, kind: str, body: str) -> str:
        """县 + 委宣传部 → 县委宣传部; 自治区 + 党委 → 自治区党委."""
        return self.org_prefix.get(kind, kind[-1:]) + body

    @functools.cached_property
    def kind_pattern(self) -> str:
        return "|".join(sorted(map(re.escape, self.kinds), key=len, reverse=True))

    @functools.cached_property
    def body_pattern(self) -> str:
        return "|".join(sorted(map(re.escape, self.bodies), key=len, reverse=True))

    @functools.cached_property
    def org_line(self) -> re.Pattern[str]:
        """A line that is only the name of a unit: 中共通山县委, X县委宣传部, 区人大常委会."""
        return re.compile(
            rf"^(?:中共|中国共产党)?[\u4e00-\u9fffXxＸｘ×＊*○□]{{0,14}}?(?:{self.kind_pattern})?(?:{self.body_pattern})"
            r"(?:办公室)?$"
        )


@functools.cache
def lexicon() -> Lexicon:
    units = tomllib.loads(data_file("units.toml").read_text(encoding="utf-8"))
    doctypes = tomllib.loads(data_file("doctypes.toml").read_text(encoding="utf-8"))
    return Lexicon(
        kinds=dict(units["kinds"]),
        bodies=dict(units["bodies"]),
        redaction=units["redaction"],
        central=tuple(units.get("central", ())),
        central_titles=tuple(units.get("central_titles", ())),
        statute_title=re.compile(units["statute_title"]),
        self_prefixes=tuple(units.get("self_prefixes", ())),
        generic_self_refs=frozenset(units.get("generic_self_refs", ())),
        self_ref_not_before=tuple(units.get("self_ref_not_before", ())),
        superior_cues=tuple(units.get("superior_cues", ())),
        not_units=frozenset(units.get("not_units", ())),
        implied=dict(units.get("implied", {})),
        org_prefix=dict(units.get("org_prefix", {})),
        title_words=re.compile(doctypes["title_words"]),
        doctypes=tuple(
            Doctype(
                name=d["name"],
                tense=d.get("tense", "back"),
                title=tuple(re.compile(p) for p in d.get("title", ())),
                body=tuple(re.compile(p) for p in d.get("body", ())),
                dateline=tuple(re.compile(p) for p in d.get("dateline", ())),
            )
            for d in doctypes["doctype"]
        ),
    )
