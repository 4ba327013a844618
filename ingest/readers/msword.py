"""Word 97-2003 binary .doc: the main text, through the FIB and the piece table.

A .doc is an OLE2 compound file. Its WordDocument stream starts with the
FIB, which says which table stream (0Table or 1Table) holds the CLX, where
the CLX is (fcClx, lcbClx) and how many characters the main text has
(ccpText). The CLX's piece table maps character positions to byte offsets:
each piece is either "compressed" 8-bit text (bit 30 of its fc; cp1252) or
UTF-16LE, which is how Chinese text is stored. Word's control characters
become line breaks (paragraph, cell, line, page marks) or go (field codes
between 0x13 and 0x14 are dropped, a field's result is kept; object
anchors and footnote marks go). Headers, footers and footnotes, stored
after the main text, are not read.

A .doc that is really OOXML (a zip) or a saved web page never reaches this
module: the readers choose by content. Encrypted documents and the older
Word 6/95 format are rejected with a reason.
"""

from __future__ import annotations

import io
import re
import struct

from ingest.errors import IngestError
from ingest.readers import RawText, ReaderOptions

WORD_IDENT = 0xA5EC
MIN_NFIB = 0x00C1  # Word 97; earlier versions have no piece table of this kind
_F_ENCRYPTED = 0x0100
_F_WHICH_TABLE = 0x0200
_FC_CLX_INDEX = 33  # fcClx/lcbClx pair in FibRgFcLcb97
_CCP_TEXT_INDEX = 3  # ccpText in FibRgLw97
_FIELD_BEGIN, _FIELD_SEP, _FIELD_END = "\x13", "\x14", "\x15"
_SPECIALS = re.compile(r"[\x13\x14\x15]")
_BREAKS = "\r\x07\x0b\x0c\x0e"  # paragraph, cell or row end, line, page or section, column
_DROPPED = "".join(map(chr, [*range(0x00, 0x07), 0x08, *range(0x0F, 0x13), *range(0x16, 0x1E), 0x1F]))
_CONTROLS = str.maketrans(
    {**dict.fromkeys(_BREAKS, "\n"), **dict.fromkeys(_DROPPED), "\x1e": "-", "\xa0": " "}  # 0x1E: non-breaking hyphen
)


def read(raw: bytes, options: ReaderOptions | None = None) -> list[RawText]:
    """One RawText with the main text of a Word 97-2003 document."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(raw))
    except (OSError, ValueError, IndexError, struct.error) as exc:
        raise IngestError(f"damaged Office 97-2003 file ({exc}); open it in Word or WPS and save it as .docx") from exc
    try:
        if not ole.exists("WordDocument"):
            streams = ", ".join("/".join(entry) for entry in ole.listdir()[:6])
            raise IngestError(
                f"Office 97-2003 file that is not a Word document (streams: {streams}); "
                "only Word files are read as .doc"
            )
        word = ole.openstream("WordDocument").read()
        table_name = _table_stream_name(word)
        if not ole.exists(table_name):
            raise IngestError(f"damaged Word file: the FIB names a {table_name} stream that is missing; re-save it")
        table = ole.openstream(table_name).read()
    except (OSError, ValueError, IndexError, struct.error) as exc:
        raise IngestError(f"damaged Word 97-2003 file ({exc}); open it in Word or WPS and save it as .docx") from exc
    finally:
        ole.close()
    try:
        text = clean_text(main_text(word, table))
    except (struct.error, IndexError) as exc:
        raise IngestError(f"damaged Word 97-2003 file ({exc}); open it in Word or WPS and save it as .docx") from exc
    if not text.strip():
        raise IngestError("Word document without text (only images or empty); if it is a scan, run OCR first")
    return [RawText(text=text, format="doc")]


def _table_stream_name(word: bytes) -> str:
    if len(word) < 0x20:
        raise IngestError("damaged Word file: the WordDocument stream is too short to hold a FIB")
    ident, nfib = struct.unpack_from("<HH", word, 0)
    if ident != WORD_IDENT:
        raise IngestError("damaged Word file: the WordDocument stream does not start with a Word FIB")
    (flags,) = struct.unpack_from("<H", word, 0x0A)
    if flags & _F_ENCRYPTED:
        raise IngestError("password-protected Word document; remove the password and ingest again")
    if nfib < MIN_NFIB:
        raise IngestError(
            "Word 6.0/95 document (older than Word 97): not supported; open it in Word or WPS and save it as .docx"
        )
    return "1Table" if flags & _F_WHICH_TABLE else "0Table"


def _fib_fields(word: bytes) -> tuple[int, int, int]:
    """(ccpText, fcClx, lcbClx), found by walking the FIB's variable-length parts."""
    pos = 0x20
    (csw,) = struct.unpack_from("<H", word, pos)
    pos += 2 + 2 * csw
    (cslw,) = struct.unpack_from("<H", word, pos)
    lw_start = pos + 2
    pos = lw_start + 4 * cslw
    (cb_fc_lcb,) = struct.unpack_from("<H", word, pos)
    if cslw <= _CCP_TEXT_INDEX or cb_fc_lcb <= _FC_CLX_INDEX:
        raise IngestError("damaged Word file: the FIB is too short to locate the text")
    (ccp_text,) = struct.unpack_from("<i", word, lw_start + 4 * _CCP_TEXT_INDEX)
    fc_clx, lcb_clx = struct.unpack_from("<II", word, pos + 2 + 8 * _FC_CLX_INDEX)
    return ccp_text, fc_clx, lcb_clx


def _piece_table(table: bytes, fc_clx: int, lcb_clx: int) -> tuple[list[int], list[int]]:
    """(character positions, fc values) of the CLX's PlcPcd; property runs (Prc) before it are skipped."""
    clx = table[fc_clx : fc_clx + lcb_clx]
    if len(clx) != lcb_clx or not clx:
        raise IngestError("damaged Word file: the piece table lies outside the table stream")
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:
        (cb_grpprl,) = struct.unpack_from("<h", clx, pos + 1)
        pos += 3 + max(0, cb_grpprl)
    if pos >= len(clx) or clx[pos] != 0x02:
        raise IngestError("damaged Word file: no piece table (Pcdt) in the CLX")
    (lcb,) = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5 : pos + 5 + lcb]
    count = (len(plc) - 4) // 12
    if count < 1:
        raise IngestError("damaged Word file: empty piece table")
    cps = list(struct.unpack_from(f"<{count + 1}I", plc, 0))
    fcs = [struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * i + 2)[0] for i in range(count)]
    return cps, fcs


def main_text(word: bytes, table: bytes) -> str:
    """The first ccpText characters of the document, assembled piece by piece."""
    ccp_text, fc_clx, lcb_clx = _fib_fields(word)
    cps, fcs = _piece_table(table, fc_clx, lcb_clx)
    chunks: list[str] = []
    for i, fc_value in enumerate(fcs):
        start, end = cps[i], min(cps[i + 1], ccp_text)
        if end <= start:
            if start >= ccp_text:
                break
            continue
        count = end - start
        if fc_value & 0x40000000:
            offset = (fc_value & 0x3FFFFFFF) // 2
            chunk = word[offset : offset + count].decode("cp1252", errors="replace")
        else:
            offset = fc_value & 0x3FFFFFFF
            chunk = word[offset : offset + 2 * count].decode("utf-16-le", errors="replace")
        if len(chunk) < count:
            raise IngestError("damaged Word file: a piece of text lies beyond the end of the WordDocument stream")
        chunks.append(chunk)
    return "".join(chunks)


def clean_text(text: str) -> str:
    """Word's control characters to line breaks; field codes dropped, field results kept."""
    out: list[str] = []
    depth_in_code: list[bool] = []  # one entry per open field: True while in its code part
    position = 0
    for match in _SPECIALS.finditer(text):
        if not any(depth_in_code):
            out.append(text[position : match.start()])
        mark = match.group()
        if mark == _FIELD_BEGIN:
            depth_in_code.append(True)
        elif mark == _FIELD_SEP and depth_in_code:
            depth_in_code[-1] = False
        elif mark == _FIELD_END and depth_in_code:
            depth_in_code.pop()
        position = match.end()
    if not any(depth_in_code):
        out.append(text[position:])
    return "".join(out).translate(_CONTROLS)
