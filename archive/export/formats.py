"""The export formats: name, file extension, MIME type and writer, in one table.

Text formats are streamed as chunks of text (a web response starts at once);
XLSX and DOCX are zip files, written whole to a binary file. A writer's
module is imported when it is first used, so a command that does not export
does not pay for openpyxl and python-docx.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from archive.export.info import ExportInfo
from archive.export.rows import Row


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    mimetype: str
    writer: str  # "module:function": chunks(rows, info) for text formats, write(rows, info, out) for binary ones
    binary: bool = False

    def _function(self):
        module, _, function = self.writer.partition(":")
        return getattr(importlib.import_module(module), function)

    def chunks(self, rows: Iterable[Row], info: ExportInfo | None) -> Iterator[str]:
        """The export as chunks of text (text formats only)."""
        if self.binary:
            raise TypeError(f"{self.name} is a binary format: use write()")
        return self._function()(rows, info)

    def write(self, rows: Iterable[Row], info: ExportInfo | None, out: BinaryIO) -> None:
        """Write the export to a binary file (text formats as UTF-8)."""
        if self.binary:
            self._function()(rows, info, out)
            return
        for chunk in self.chunks(rows, info):
            out.write(chunk.encode("utf-8"))


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("csv", "csv", "text/csv; charset=utf-8", "archive.export.csv_writer:csv_chunks"),
    Format("jsonl", "jsonl", "application/x-ndjson; charset=utf-8", "archive.export.jsonl_writer:jsonl_chunks"),
    Format("xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "archive.export.xlsx_writer:write_xlsx", binary=True),
    Format("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           "archive.export.docx_writer:write_docx", binary=True),
    Format("md", "md", "text/markdown; charset=utf-8", "archive.export.md_writer:md_chunks"),
)}
