"""Word files: .docx (hand-made fixture and real files) and real Word 97-2003 .doc from the corpus."""

from __future__ import annotations

import difflib
import gzip
import json
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import olefile
import pytest

from ingest.errors import IngestError
from ingest.readers import read_path
from tests.conftest import CORPORA

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"
REGS = CORPORA / "civilized-behavior-regs"
WORD_DOCS = sorted((REGS / "original").glob("by_province/*/*.doc")) if REGS.exists() else []
DOCX = sorted((REGS / "original").glob("**/*.docx")) if REGS.exists() else []
needs_corpus = pytest.mark.skipif(not WORD_DOCS, reason=f"corpus not found: {REGS}")


@pytest.fixture(scope="module")
def reference() -> dict[str, str]:
    """The corpus's own extraction (python-docx, antiword or catdoc) by source file."""
    with gzip.open(REGS / "regs.jsonl.gz", "rt", encoding="utf-8") as records:
        return {r["source_file"]: r["text"] for r in map(json.loads, records)}


def agreement(ours: str, theirs: str, in_order: bool = True) -> float:
    """Share of characters the same, whitespace ignored: in order (difflib) or in any order (a multiset)."""
    a, b = re.sub(r"\s+", "", ours), re.sub(r"\s+", "", theirs)
    if in_order:
        same = sum(block.size for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())
    else:
        same = sum((Counter(a) & Counter(b)).values())
    return same / max(len(a), len(b))


def test_docx_fixture_keeps_order_cells_insertions_fields_and_text_boxes():
    [raw] = read_path(FIXTURES / "sample.docx")
    assert raw.format == "docx" and raw.meta == {
        "author": "东莞市人大常委会",
        "title": "东莞市文明行为促进条例",
        "created": "2023-02-23",
    }
    lines = raw.text.split("\n")
    assert lines[:2] == ["东莞市文明行为促进条例", "第一章 总 则"]
    assert lines[4:11] == [
        "第一款\t第二款",
        "换行之后",
        "项目",
        "说明",
        "适用范围",
        "本市行政区域",
        "第九条 以上规定自公布之日起施行（修订稿）",
    ]
    assert "域结果" in lines and "PAGE" not in raw.text and "已删除的文字" not in raw.text
    assert lines[-3].startswith("本条例所称文明行为")  # inside a content control
    assert lines[-2:] == ["正文之后", "文本框中的文字"]  # the text box once, not again from its fallback


@pytest.mark.parametrize(
    "name, reason",
    [
        ("truncated.docx", r"damaged or truncated Word file \(not a complete zip archive"),
        ("bomb.docx", r"zip bomb suspected: word/document.xml would expand \d+ bytes to 314,572,800; not read"),
        ("bomb-ratio.docx", r"zip bomb suspected: word/document.xml would expand \d+ bytes to 52,428,800"),
        ("not-word.docx", r"an Excel workbook, not a Word document \(no word/document.xml\)"),
    ],
)
def test_broken_docx_files_are_rejected_with_a_reason(name, reason):
    with pytest.raises(IngestError, match=reason):
        read_path(FIXTURES / name)


def _rezip(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
    return target


def test_macro_enabled_docx_is_read_although_python_docx_refuses_its_type(tmp_path):
    macro = "application/vnd.ms-word.document.macroEnabled.main+xml"
    path = _rezip(
        FIXTURES / "sample.docx",
        tmp_path / "macro.docm",
        lambda name, data: (
            data.replace(
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", macro.encode()
            )
            if name == "[Content_Types].xml"
            else data
        ),
    )
    [raw] = read_path(path)
    assert raw.text == read_path(FIXTURES / "sample.docx")[0].text


def test_docx_with_broken_xml_is_rejected(tmp_path):
    path = _rezip(
        FIXTURES / "sample.docx",
        tmp_path / "broken.docx",
        lambda name, data: data[:-40] if name == "word/document.xml" else data,
    )
    with pytest.raises(IngestError, match="damaged Word file"):
        read_path(path)


def _docx_with_header(path: Path, header: str) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("县委宣传部2023年工作总结")
    document.add_paragraph("今年以来，县委宣传部坚持以习近平新时代中国特色社会主义思想为指导。")
    document.sections[0].header.paragraphs[0].text = header
    document.save(path)
    return path


def test_a_date_in_the_docx_header_dates_the_copy_but_stays_out_of_the_text(tmp_path):
    [raw] = read_path(_docx_with_header(tmp_path / "saved.docx", "发布时间：2026-08-18  浏览次数：175"))
    assert raw.published == "2026-08-18"
    assert "浏览次数" not in raw.text and raw.text.startswith("县委宣传部2023年工作总结")


@needs_corpus
@pytest.mark.parametrize("path", WORD_DOCS, ids=lambda p: p.name)
def test_real_doc_files_match_the_corpus_extraction(path, reference):
    [raw] = read_path(path)
    assert agreement(raw.text, reference[str(path.relative_to(REGS))]) >= 0.95
    assert raw.format == ("docx" if path.read_bytes().startswith(b"PK") else "doc")
    assert "\x07" not in raw.text and "\x13" not in raw.text and "\r" not in raw.text


@needs_corpus
def test_real_docx_files_match_the_corpus_extraction(reference):
    """The corpus put tables after all paragraphs; we keep document order, so compare characters in any order."""
    for path in DOCX:
        [raw] = read_path(path)
        assert agreement(raw.text, reference[str(path.relative_to(REGS))], in_order=False) >= 0.99, path.name


def _patched_doc(tmp_path: Path, patch) -> Path:
    target = tmp_path / "patched.doc"
    shutil.copy(next(p for p in WORD_DOCS if p.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"), target)
    target.chmod(0o644)
    with olefile.OleFileIO(str(target), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        patch(word)
        ole.write_stream("WordDocument", bytes(word))
    return target


@needs_corpus
def test_encrypted_doc_is_rejected(tmp_path):
    def encrypt(word: bytearray) -> None:
        word[0x0B] |= 0x01  # fEncrypted: bit 8 of the flags at 0x0A

    with pytest.raises(IngestError, match="password-protected Word document; remove the password"):
        read_path(_patched_doc(tmp_path, encrypt))


@needs_corpus
def test_word95_doc_is_rejected(tmp_path):
    def word95(word: bytearray) -> None:
        word[2:4] = (0x65).to_bytes(2, "little")

    with pytest.raises(IngestError, match="Word 6.0/95 document"):
        read_path(_patched_doc(tmp_path, word95))


@needs_corpus
def test_truncated_and_foreign_ole_files_are_rejected(tmp_path):
    real = next(p for p in WORD_DOCS if p.read_bytes()[:4] == b"\xd0\xcf\x11\xe0").read_bytes()
    truncated = tmp_path / "truncated.doc"
    truncated.write_bytes(real[:3000])
    with pytest.raises(IngestError, match="damaged"):
        read_path(truncated)
    foreign = tmp_path / "sheet.doc"
    foreign.write_bytes(real.replace("WordDocument".encode("utf-16-le"), "WorkBookData".encode("utf-16-le")))
    with pytest.raises(IngestError, match="not a Word document"):
        read_path(foreign)


def test_ole_magic_with_garbage_is_rejected(tmp_path):
    path = tmp_path / "junk.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(IngestError, match="damaged Office 97-2003 file"):
        read_path(path)
