"""What an export was made from (query, filters, time), written at the head of DOCX, XLSX and Markdown.

A passage cited from an export should say which search produced it; these
lines make the file self-describing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archive.search import SearchRequest

FILTER_LABELS = {
    "level": "层级", "province": "省", "city": "市", "county": "县区", "town": "乡镇街道", "year": "年份",
    "themes": "主题", "doctype": "文种", "organization": "单位", "anonymized": "匿名", "source": "来源",
}
SORT_LABELS = {"relevance": "相关度", "date": "日期（新→旧）", "date_asc": "日期（旧→新）"}


@dataclass(frozen=True)
class ExportInfo:
    query: str = ""
    filters: tuple[str, ...] = ()  # "层级：县", "排除 层级：镇"
    sort: str = "relevance"
    duplicates: bool = False
    base_url: str = "http://127.0.0.1:5000"
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))

    @classmethod
    def from_request(cls, request: SearchRequest, base_url: str, created: dt.datetime | None = None) -> ExportInfo:
        filters = [f"{FILTER_LABELS.get(name, name)}：{' 或 '.join(values)}"
                   for name, values in request.include.items() if values]
        filters += [f"排除 {FILTER_LABELS.get(name, name)}：{value}"
                    for name, values in request.exclude.items() for value in values]
        extra = {"created": created} if created else {}
        return cls(query=request.q, filters=tuple(filters), sort=request.sort, duplicates=request.duplicates,
                   base_url=base_url.rstrip("/"), **extra)

    def summary(self) -> list[tuple[str, str]]:
        """(label, value) lines describing the search, in display order."""
        lines = [("检索式", self.query or "（全部文档）"), ("筛选", "；".join(self.filters) or "（无）"),
                 ("排序", SORT_LABELS.get(self.sort, self.sort))]
        if self.duplicates:
            lines.append(("重复文档", "包含"))
        lines += [("导出时间", self.created.isoformat(sep=" ")), ("来源", self.base_url)]
        return lines
