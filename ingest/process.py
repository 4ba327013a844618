"""One file to documents: read, normalize, split, structure, facet, prepare.

`process_file` is pure (a path in, documents out) and picklable, so the
ingest run maps it over worker processes. It also prepares each document's
index record, the CPU-heavy part of indexing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archive.model import Document, content_hash, make_doc_id
from archive.textindex import TextIndex
from ingest.errors import IngestError
from ingest.facets import PageFacts, extract_facets
from ingest.normalize import normalize
from ingest.pagefacts import page_facts
from ingest.readers import RawText, ReaderOptions, read_path
from ingest.split import Part, split_reports
from ingest.structure import build_structure


@dataclass
class Processed:
    docs: list[Document]
    encoding: str | None
    records: list[dict] = field(default_factory=list)


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


def process_file(path: Path, options: ReaderOptions | None = None) -> Processed:
    """Read and analyse one file; raises IngestError with the reason."""
    raw_bytes = path.read_bytes()
    file_hash = content_hash(raw_bytes)
    docs: list[Document] = []
    encoding = None
    for raw in read_path(path, options, raw=raw_bytes):
        encoding = raw.encoding
        # Page facts first: normalization removes the chrome lines that state them.
        info = page_facts(raw.text, raw.title_hint)
        norm = normalize(raw.text)
        if not norm.text.strip():
            continue
        page = PageFacts(published=raw.published or info.published, title_hint=raw.title_hint or info.title,
                         source=raw.source or info.source)
        parts = split_reports(norm.text, raw.title_hint)
        for part in parts:
            doc = document_from_part(raw, part, file_hash, len(docs) + 1, str(path), page, norm.steps)
            doc.original_text = norm.original if len(parts) == 1 else ""
            docs.append(doc)
    if not docs:
        raise IngestError("no text left after normalization (only boilerplate, whitespace or empty records)")
    return Processed(docs=docs, encoding=encoding, records=[TextIndex.record(d) for d in docs])


def process_safely(path: str, options: ReaderOptions | None) -> tuple[Processed | None, str | None]:
    """For worker processes: (result, None) or (None, reason); never raises."""
    try:
        return process_file(Path(path), options), None
    except IngestError as exc:
        return None, str(exc)
    except MemoryError:
        return None, "too large to process in memory; split the file"
    except Exception as exc:  # a bug in one reader must not stop the batch
        return None, f"internal error while reading ({type(exc).__name__}: {exc}); please report this file"
