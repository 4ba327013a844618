"""The DOCX package around the streamed body, made with python-docx: styles with Chinese fonts, properties.

python-docx builds a document as one lxml tree and inserts each paragraph in
time growing with the document (10,000 passages: 22 s and 72 MB; 30,000:
372 s and 152 MB, measured), so it makes only the package; the body is
written by docx_writer.
"""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from archive.export.info import ExportInfo

TITLE_STYLE, HEADING_STYLE = "Title", "Heading1"
LATIN_FONT, BODY_FONT, HEADING_FONT = "Times New Roman", "宋体", "黑体"
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# fontTable entries, so Word substitutes the right font where 宋体/黑体 are known as SimSun/SimHei.
CJK_FONTS = (
    '<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:panose1 w:val="02010600030101010101"/>'
    '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
    '<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:panose1 w:val="02010609060101010101"/>'
    '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
).encode()


def template(info: ExportInfo) -> bytes:
    """An empty .docx whose styles set 宋体 (body) and 黑体 (headings) for Chinese, and whose properties
    name the search."""
    document = docx.Document()
    assert document.styles["Title"].style_id == TITLE_STYLE
    assert document.styles["Heading 1"].style_id == HEADING_STYLE
    _set_fonts(document)
    props = document.core_properties
    props.title = f"导出：{info.query}" if info.query else "导出"
    props.subject = "；".join(info.filters)
    props.author = props.last_modified_by = "宣传思想工作文献库"
    props.created = props.modified = info.created
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_fonts(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rfonts(defaults.find(qn("w:rFonts")), BODY_FONT)
    defaults.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    for name, east_asian in (("Normal", BODY_FONT), ("Title", HEADING_FONT), ("Heading 1", HEADING_FONT)):
        _set_rfonts(document.styles[name].element.get_or_add_rPr().get_or_add_rFonts(), east_asian)


def _set_rfonts(rfonts, east_asian: str) -> None:
    """Explicit fonts; theme attributes go, since they would override the explicit ones."""
    for attribute in _THEME_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    for attribute, font in (("w:ascii", LATIN_FONT), ("w:hAnsi", LATIN_FONT), ("w:cs", LATIN_FONT),
                            ("w:eastAsia", east_asian)):
        rfonts.set(qn(attribute), font)


def with_cjk_fonts(font_table: bytes) -> bytes:
    """The fontTable part with 宋体 and 黑体 declared."""
    end = font_table.rindex(b"</w:fonts>")
    return font_table[:end] + CJK_FONTS + font_table[end:]
