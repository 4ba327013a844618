"""XLSX: one sheet of passages (段落) and one describing the search (说明), in openpyxl's write-only mode.

Write-only mode streams the sheet's rows to a temporary file, so memory stays
flat however many passages there are. Permalinks are HYPERLINK formulas:
openpyxl keeps every real cell hyperlink in memory until the end (284 MB for
100,000 links, measured), a formula costs nothing.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from archive.export.cells import safe_cell, xml_text
from archive.export.info import ExportInfo
from archive.export.rows import COLUMNS, KEYS, Row

SHEET = "段落"
INFO_SHEET = "说明"
CELL_LIMIT = 32767  # characters Excel holds in one cell
URL_LIMIT = 255  # characters Excel's HYPERLINK accepts
WIDTHS = {"passage_id": 22, "text": 80, "section_path": 30, "title": 40, "organization": 16, "level": 6,
          "province": 10, "city": 10, "county": 10, "town": 10, "year": 7, "date": 11, "themes": 24,
          "doctype": 10, "source_path": 30, "doc_id": 16, "permalink": 40}
_TEXT, _YEAR, _PERMALINK = KEYS.index("text"), KEYS.index("year"), KEYS.index("permalink")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_BOLD = Font(bold=True)
_LINK = Font(color="0563C1", underline="single")


def truncated(text: str, limit: int = CELL_LIMIT) -> str:
    """The text cut to fit a cell, with a marker saying how long it was."""
    if len(text) <= limit:
        return text
    marker = f"…［已截断：全文 {len(text)} 字，见链接］"
    return text[:limit - len(marker)] + marker


def sheet_text(value: Any) -> str:
    """A value as a cell's text: no XML-illegal characters, formulas inert, cut to the cell limit."""
    return truncated(safe_cell(xml_text(value) if isinstance(value, str) else value))


def hyperlink_formula(url: str) -> str | None:
    """=HYPERLINK("url","url"), or None for a URL Excel would refuse."""
    url = xml_text(url)
    if len(url) > URL_LIMIT:
        return None
    quoted = url.replace('"', '""')
    return f'=HYPERLINK("{quoted}","{quoted}")'


def write_xlsx(rows: Iterable[Row], info: ExportInfo | None, out: BinaryIO) -> None:
    info = info or ExportInfo()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    try:
        count = _write_passages(sheet, rows)
        _write_info(workbook.create_sheet(INFO_SHEET), info, count)
        workbook.save(out)
    except BaseException:
        for each in workbook.worksheets:
            _discard(each)
        raise


def _write_passages(sheet, rows: Iterable[Row]) -> int:
    sheet.freeze_panes = "A2"
    for index, (key, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 12)
    sheet.append([_cell(sheet, header, font=_BOLD) for _, header in COLUMNS])
    text, link = _Styled(sheet, alignment=_WRAP), _Styled(sheet, font=_LINK, alignment=_TOP)
    count = 0
    for row in rows:
        cells = [sheet_text(row.get(key)) or None for key in KEYS]
        cells[_TEXT] = text(cells[_TEXT] or "")
        if isinstance(row.get("year"), int):
            cells[_YEAR] = row["year"]
        formula = hyperlink_formula(row["permalink"]) if row.get("permalink") else None
        if formula:
            cells[_PERMALINK] = link(formula)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    return count


class _Styled:
    """Makes cells of one style: the style is looked up once, not per cell (a third of the time otherwise)."""

    def __init__(self, sheet, font: Font | None = None, alignment: Alignment | None = None) -> None:
        self.sheet = sheet
        self.style = _cell(sheet, "", font=font, alignment=alignment)._style

    def __call__(self, value: Any) -> Cell:
        return Cell(self.sheet, row=1, column=1, value=value, style_array=self.style)


def _cell(sheet, value: Any, font: Font | None = None, alignment: Alignment | None = None) -> Cell:
    cell = WriteOnlyCell(sheet, value=value)
    if font:
        cell.font = font
    if alignment:
        cell.alignment = alignment
    return cell


def _write_info(sheet, info: ExportInfo, count: int) -> None:
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 80
    for label, value in [*info.summary(), ("段落数", str(count)),
                         ("说明", "以 ' 开头的单元格原以 = + - @ 开头，已加 ' 防止被当作公式执行。")]:
        sheet.append([_cell(sheet, label, font=_BOLD), sheet_text(value)])


def _discard(sheet) -> None:
    """Close a write-only sheet's XML stream and remove the temporary file it streams its rows to
    (openpyxl does neither when an export fails half-way)."""
    writer = getattr(sheet, "_writer", None)
    if writer is None:
        return
    if not sheet.closed:
        with contextlib.suppress(Exception):  # best effort: the file goes anyway
            sheet.close()
    if os.path.exists(writer.out):
        writer.cleanup()
