"""One file to documents: read, normalize, split, structure, facet, prepare.

`process_file` is pure (a path in, documents out) and picklable, so the
ingest run maps it over worker processes. It also prepares each document's
index record, the CPU-heavy part of indexing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from archive.fold import fold
from archive.model import Document, content_hash, make_doc_id
from archive.writer import Prepared, prepare
from ingest.discover import path_text
from ingest.errors import IngestError
from ingest.facets import PageFacts, extract_facets
from ingest.normalize import Normalized, normalize
from ingest.normalize.learned import LearnedBoilerplate, learnable_keys
from ingest.pagefacts import page_facts
from ingest.readers import RawText, ReaderOptions, read_path
from ingest.split import Part, split_reports
from ingest.structure import build_structure

MIN_RECORDS_TO_LEARN = 3


MAX_SKIPS_SHOWN = 5


@dataclass
class Processed:
    prepared: list[Prepared]  # the documents, ready for the indexes
    encoding: str | None
    note: str | None = None  # what of the file was left out, and why (the report's reason)

    @property
    def docs(self) -> list[Document]:
        return [p.doc for p in self.prepared]


def document_from_part(raw: RawText, part: Part, file_hash: str, part_no: int, source_path: str,
                       page: PageFacts, steps: list[dict]) -> Document:
    doc_id = make_doc_id(file_hash, part_no)
    structure = build_structure(doc_id, part.text, part.title_hint)
    doc = Document(
        doc_id=doc_id, title=part.title or structure.title, source_path=source_path, text=part.text,
        part=part_no, passages=structure.passages, source=raw.source,
        provenance={"file_hash": file_hash, "encoding": raw.encoding, "format": raw.format, "steps": steps},
    )
    extract_facets(doc, page)
    return doc


@dataclass
class NormalizedRecord:
    """One reader record after normalization, with the page facts read before it."""

    raw: RawText
    page: PageFacts
    norm: Normalized


def normalized_records(path: Path, options: ReaderOptions | None, raw_bytes: bytes) -> list[NormalizedRecord]:
    """Read and normalize the file's records."""
    records = []
    for raw in read_path(path, options, raw=raw_bytes):
        # Page facts first: normalization removes the chrome lines that state them.
        info = page_facts(raw.text, raw.title_hint)
        page = PageFacts(published=raw.published or info.published, title_hint=raw.title_hint or info.title,
                         headline=info.headline,
                         source=raw.source or info.source)
        records.append(NormalizedRecord(raw, page, normalize(raw.text)))
    return records


def title_hint(record: NormalizedRecord) -> str | None:
    """The page's name for the text: its <title>, else its headline while the cleaned text still
    holds that line (a headline the cleaner removed was chrome: 付费专栏 · 法规解读写作精讲 · 第15期)."""
    if record.raw.title_hint:
        return record.raw.title_hint
    headline = record.page.headline
    if headline and fold(headline) in {fold(line) for line in record.norm.text.split("\n")}:
        return headline
    return None


def learnable_keysets(path: Path, options: ReaderOptions | None = None) -> list[set[str]]:
    """For learning boilerplate before processing: each record's candidate lines (keys only)."""
    return [learnable_keys(r.norm.text) for r in normalized_records(path, options, path.read_bytes())]


def _strip_learned(records: list[NormalizedRecord], learned: LearnedBoilerplate | None) -> None:
    """Remove learned boilerplate: the folder's model, or one learned across a JSONL/CSV file's records."""
    if learned is None and len(records) >= MIN_RECORDS_TO_LEARN:
        learned = LearnedBoilerplate.learn(r.norm.text for r in records)
    if learned is None or not learned.lines:
        return
    for record in records:
        record.norm.text, report = learned.strip(record.norm.text)
        record.norm.steps.append(report)


def process_file(path: Path, options: ReaderOptions | None = None, learned: str | None = None) -> Processed:
    """Read and analyse one file; raises IngestError with the reason.

    `learned` is the JSON of the LearnedBoilerplate of the file's folder, if any.
    """
    raw_bytes = path.read_bytes()
    file_hash = content_hash(raw_bytes)
    records = normalized_records(path, options, raw_bytes)
    _strip_learned(records, LearnedBoilerplate.from_json(learned) if learned else None)
    docs: list[Document] = []
    skipped = [skip for record in records for skip in record.raw.meta.get("skipped_records", [])]
    for number, record in enumerate(records, start=1):
        if not record.norm.text.strip():
            skipped.append((record.raw.record or number, "no text left after normalization"))
            continue
        # A page's headline goes where an HTML <title> would: the title when no line of the text is one.
        for part in split_reports(record.norm.text, title_hint(record)):
            doc = document_from_part(record.raw, part, file_hash, len(docs) + 1, path_text(path), record.page,
                                     record.norm.steps)
            doc.original_text = record.norm.original
            docs.append(doc)
    if not docs:
        raise IngestError("no text left after normalization (only boilerplate, whitespace or empty records)")
    encoding = records[0].raw.encoding if records else None
    return Processed(prepared=[prepare(d) for d in docs], encoding=encoding, note=skipped_note(skipped))


def skipped_note(skipped: list[tuple[object, str]]) -> str | None:
    """The records of an export left out, for the report: none may vanish without a word."""
    if not skipped:
        return None
    shown = "; ".join(f"row {row}: {reason}" for row, reason in skipped[:MAX_SKIPS_SHOWN])
    more = f"; and {len(skipped) - MAX_SKIPS_SHOWN} more" if len(skipped) > MAX_SKIPS_SHOWN else ""
    return f"{len(skipped)} record{'s' if len(skipped) > 1 else ''} skipped ({shown}{more})"


def safely(func, *args) -> tuple[object | None, str | None]:
    """For worker processes: (result, None) or (None, reason); never raises."""
    try:
        return func(*args), None
    except IngestError as exc:
        return None, str(exc)
    except MemoryError:
        return None, "too large to process in memory; split the file"
    except Exception as exc:  # a bug in one reader must not stop the batch
        return None, f"internal error while reading ({type(exc).__name__}: {exc}); please report this file"


def process_safely(path: str, options: ReaderOptions | None, learned: str | None = None):
    return safely(process_file, Path(path), options, learned)


def learn_safely(path: str, options: ReaderOptions | None):
    return safely(learnable_keysets, Path(path), options)
