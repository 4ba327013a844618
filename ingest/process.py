"""One file to documents: read, normalize, split, structure, facet, prepare.

`process_file` is pure (a path in, documents out) and picklable, so the
ingest run maps it over worker processes. It also prepares each document's
index record, the CPU-heavy part of indexing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archive.model import Document, content_hash, make_doc_id
from archive.writer import Prepared, prepare
from ingest.errors import IngestError
from ingest.facets import PageFacts, extract_facets
from ingest.normalize import Normalized, normalize
from ingest.normalize.learned import LearnedBoilerplate, learnable_keys
from ingest.pagefacts import page_facts
from ingest.readers import RawText, ReaderOptions, read_path
from ingest.split import Part, split_reports
from ingest.structure import build_structure

MIN_RECORDS_TO_LEARN = 3


@dataclass
class Processed:
    prepared: list[Prepared]  # the documents, ready for the indexes
    encoding: str | None
    order: list[tuple[int, int]] = field(default_factory=list)  # (record, part) of each document

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
    record_no: int = 0


Shard = tuple[int, int]  # (index, count): every count-th record of an export, from index


def normalized_records(path: Path, options: ReaderOptions | None, raw_bytes: bytes,
                       shard: Shard | None = None) -> list[NormalizedRecord]:
    """Read and normalize the file's records (those of one shard only, if given)."""
    records = []
    raws = read_path(path, options, raw=raw_bytes)
    for record_no, raw in enumerate(raws):
        if shard and record_no % shard[1] != shard[0]:
            continue
        # Page facts first: normalization removes the chrome lines that state them.
        info = page_facts(raw.text, raw.title_hint)
        page = PageFacts(published=raw.published or info.published, title_hint=raw.title_hint or info.title,
                         source=raw.source or info.source)
        records.append(NormalizedRecord(raw, page, normalize(raw.text), record_no))
    return records


def learnable_keysets(path: Path, options: ReaderOptions | None = None, shard: Shard | None = None) -> list[set[str]]:
    """For learning boilerplate before processing: each record's candidate lines (keys only)."""
    return [learnable_keys(r.norm.text) for r in normalized_records(path, options, path.read_bytes(), shard)]


def _strip_learned(records: list[NormalizedRecord], learned: LearnedBoilerplate | None) -> None:
    """Remove learned boilerplate: the folder's model, or one learned across a JSONL/CSV file's records."""
    if learned is None and len(records) >= MIN_RECORDS_TO_LEARN:
        learned = LearnedBoilerplate.learn(r.norm.text for r in records)
    if learned is None or not learned.lines:
        return
    for record in records:
        record.norm.text, report = learned.strip(record.norm.text)
        record.norm.steps.append(report)


def process_file(path: Path, options: ReaderOptions | None = None, learned: str | None = None,
                 shard: Shard | None = None) -> Processed:
    """Read and analyse one file (or one shard of a large export); raises IngestError.

    `learned` is the JSON of the LearnedBoilerplate of the file's folder or, for a
    sharded export, of the whole export. A shard's documents are numbered provisionally;
    `merge_shards` gives them their final, record-order ids.
    """
    raw_bytes = path.read_bytes()
    file_hash = content_hash(raw_bytes)
    records = normalized_records(path, options, raw_bytes, shard)
    _strip_learned(records, LearnedBoilerplate.from_json(learned) if learned else None)
    docs: list[Document] = []
    order: list[tuple[int, int]] = []
    for record in records:
        if not record.norm.text.strip():
            continue
        parts = split_reports(record.norm.text, record.raw.title_hint)
        for part_index, part in enumerate(parts):
            doc = document_from_part(record.raw, part, file_hash, len(docs) + 1, str(path), record.page,
                                     record.norm.steps)
            doc.original_text = record.norm.original
            docs.append(doc)
            order.append((record.record_no, part_index))
    if not docs and shard is None:
        raise IngestError("no text left after normalization (only boilerplate, whitespace or empty records)")
    encoding = records[0].raw.encoding if records else None
    return Processed(prepared=[prepare(d) for d in docs], encoding=encoding, order=order)


def merge_shards(shards: list[Processed], file_hash: str) -> Processed:
    """One export's shards as one result, documents numbered in record order (as unsharded)."""
    items = sorted(((key, i, item) for i, shard in enumerate(shards)
                    for key, item in zip(shard.order, shard.prepared, strict=True)), key=lambda t: t[:2])
    if not items:
        raise IngestError("no text left after normalization (only boilerplate, whitespace or empty records)")
    for part_no, (_, _, item) in enumerate(items, start=1):
        item.renumber(make_doc_id(file_hash, part_no), part_no)
    encoding = next((s.encoding for s in shards if s.encoding), None)
    return Processed(prepared=[item for _, _, item in items], encoding=encoding, order=[k for k, _, _ in items])


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


def process_safely(path: str, options: ReaderOptions | None, learned: str | None = None, shard: Shard | None = None):
    return safely(process_file, Path(path), options, learned, shard)


def learn_safely(path: str, options: ReaderOptions | None, shard: Shard | None = None):
    return safely(learnable_keysets, Path(path), options, shard)
