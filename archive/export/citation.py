"""A passage's citation line (《标题》，单位，日期，地点，第N段，章节) for DOCX and Markdown.

Writers paste passages into papers; the line says where each came from in
the form a Chinese reference usually takes.
"""

from __future__ import annotations

from archive.export.rows import Row

PLACE_FIELDS = ("province", "city", "county", "town")


def place(row: Row) -> str:
    """The most specific place, its parents in brackets: 通山县（湖北省咸宁市）."""
    names: list[str] = []
    for key in PLACE_FIELDS:
        value = row.get(key)
        if value and value not in names:
            names.append(value)
    if not names:
        return ""
    own, parents = names[-1], "".join(names[:-1])
    return f"{own}（{parents}）" if parents else own


def when(row: Row) -> str:
    """The signature date as 2021年1月22日, else the year as 2020年."""
    date = row.get("date") or ""
    parts = date.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"
    return f"{row['year']}年" if row.get("year") else ""


def title(row: Row) -> str:
    return row.get("title") or "（无标题）"


def citation(row: Row) -> str:
    """——《标题》，单位，日期，地点，第N段，章节：… (the permalink is added by each format)."""
    parts = [f"《{title(row)}》", row.get("organization") or "", when(row), place(row), f"第{row['ordinal']}段"]
    if row.get("section_path"):
        parts.append(f"章节：{row['section_path']}")
    return "——" + "，".join(p for p in parts if p)


def document_facts(row: Row) -> list[str]:
    """The facts of the passage's document for a line under its heading: 单位, 层级, 地点, 日期, 文种, 主题, 来源."""
    facts = [row.get("organization") or "", f"层级：{row['level']}" if row.get("level") else "", place(row),
             when(row), row.get("doctype") or ""]
    if row.get("themes"):
        facts.append("主题：" + "、".join(row["themes"]))
    if row.get("source_path"):
        facts.append(f"来源：{row['source_path']}")
    return [f for f in facts if f]
