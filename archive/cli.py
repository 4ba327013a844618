"""The `archive` command: ingest, search, docs, export, files, serve.

Every command takes `--index DIR` (default: $ARCHIVE_INDEX, else data/index).
Exit status: 0 success, 1 when ingest rejected some files, 2 on a usage error.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from archive.config import SAMPLE_DIR, index_dir
from archive.export import FORMATS, CountingRows, ExportInfo, Format, passage_rows
from archive.query import QueryError
from archive.search import FILTER_PARAMS, SORTS, TEMPLATE_MODES, Archive, RequestError, SearchRequest

FILTERS = (
    ("level", "层级 level: 中央 省 市 县 区 镇 乡 街道 村"),
    ("province", "省 province, e.g. 湖北省"),
    ("city", "市 city, e.g. 咸宁市"),
    ("county", "县区 county, e.g. 通山县"),
    ("town", "乡镇街道 town"),
    ("year", "年份 year: 2020 or a range 2019-2021"),
    ("theme", "主题 theme, e.g. 意识形态"),
    ("doctype", "文种 doctype, e.g. 工作总结"),
    ("organization", "单位 organization, e.g. 县委宣传部"),
)


PASSAGES_SHOWN = 3  # passages printed per hit by `archive search` without --jsonl


def index_option(func):
    return click.option("--index", "index", type=click.Path(file_okay=False), default=None,
                        help="Index folder (default: $ARCHIVE_INDEX or data/index).")(func)


def filter_options(func):
    """The facet filters shared by `search` and `export`."""
    for name, help_text in reversed(FILTERS):
        func = click.option(f"--{name}", multiple=True, help=f"{help_text}. Repeat for OR.")(func)
    func = click.option("--exclude", multiple=True, metavar="FACET=VALUE",
                        help="Leave out documents with this facet value, e.g. --exclude level=镇.")(func)
    func = click.option("--duplicates/--no-duplicates", default=False,
                        help="Include documents recognised as duplicates (hidden by default).")(func)
    func = click.option("--template", type=click.Choice(TEMPLATE_MODES), default="show", show_default=True,
                        help="hide: leave out template passages (shared by many documents; run `archive reuse`).")(func)
    return func


def build_request(query: str, options: dict, **extra) -> SearchRequest:
    include = {FILTER_PARAMS[n]: list(options.get(n) or ()) for n, _ in FILTERS}
    exclude: dict[str, list[str]] = {}
    for item in options.get("exclude") or ():
        name, sep, value = item.partition("=")
        if not sep or not value:
            raise click.BadParameter(f"'{item}' is not FACET=VALUE (e.g. level=镇)", param_hint="--exclude")
        exclude.setdefault(FILTER_PARAMS.get(name, name), []).append(value)
    return SearchRequest(q=query, include={k: v for k, v in include.items() if v}, exclude=exclude,
                         duplicates=options.get("duplicates", False), template=options.get("template") or "show",
                         **extra)


def usage_errors(func):
    """Query and parameter errors become usage errors (exit 2) with the message."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (QueryError, RequestError) as exc:
            raise click.UsageError(str(exc)) from exc
    return wrapper


def archive_folder(index: str | None) -> Path:
    """The index folder, which must hold an archive (else a message saying how to make one)."""
    folder = index_dir(index)
    if not (folder / "archive.sqlite3").exists():
        raise click.ClickException(f"no archive at {folder}; run `archive ingest PATH --index {folder}` first")
    return folder


def open_archive(index: str | None) -> Archive:
    return Archive(archive_folder(index))


class ArchiveGroup(click.Group):
    """Index states a user can meet become a message and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context):
        from whoosh.index import LockError

        from archive.gramindex import IndexDamagedError

        try:
            return super().invoke(ctx)
        except LockError as exc:
            detail = str(exc) or "another process is writing to the index"
            raise click.ClickException(f"{detail}; wait for that ingest to finish (or stop it) and retry") from exc
        except IndexDamagedError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xuanchuan-archive")
def main() -> None:
    """Searchable archive of Chinese local-government propaganda work reports."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@index_option
@click.option("--report", type=click.Path(dir_okay=False), default=None,
              help="Where to write the JSONL ingest report (default: next to the index).")
@click.option("--prune", is_flag=True, help="Remove documents of files that no longer exist.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV: field holding the text.")
@click.option("--title-field", default="title", show_default=True, help="JSONL/CSV: field holding the title.")
@click.option("--date-field", default="date", show_default=True, help="JSONL/CSV: field holding the date.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: one per core).")
@click.option("--max-mb", type=click.IntRange(1, 100_000), default=None,
              help="Reject files (and decompressed content) larger than this many MB (default: 200).")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
def ingest(paths, index, report, prune, text_field, title_field, date_field, jobs, max_mb, quiet) -> None:
    """Ingest files and folders (recursively) into the archive.

    Example: archive ingest ~/reports data/sample --index data/index
    """
    from ingest.pipeline import ingest_paths
    from ingest.readers import ReaderOptions

    folder = index_dir(index)
    options = ReaderOptions(text_field=text_field, title_field=title_field, date_field=date_field)
    if max_mb is not None:
        options.max_bytes = max_mb * 1024 * 1024

    summary = ingest_paths(paths, folder, Path(report) if report else None, options, prune=prune,
                           progress=None if quiet else IngestProgress(), jobs=jobs)
    click.echo(("\n" if not quiet and sys.stderr.isatty() else "") + summary.line(), err=True)
    sys.exit(summary.exit_code)


@main.command()
@index_option
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV: field holding the text.")
@click.option("--title-field", default="title", show_default=True, help="JSONL/CSV: field holding the title.")
@click.option("--date-field", default="date", show_default=True, help="JSONL/CSV: field holding the date.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes (default: one per core).")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
def reindex(index, text_field, title_field, date_field, jobs, quiet) -> None:
    """Read every file the archive holds again with this version's rules.

    `archive ingest` already re-reads files an older version read; reindex re-reads all of
    them (after editing data/ rules by hand, say). Files no longer on disk are reported and
    keep their documents (use `archive ingest --prune` to remove them).

    Example: archive reindex --index data/index
    """
    from archive.docstore import DocStore
    from ingest.discover import text_path
    from ingest.pipeline import ingest_paths
    from ingest.readers import ReaderOptions

    folder = index_dir(index)
    store = DocStore(folder)
    try:
        recorded = [r.path for r in store.files()]
    finally:
        store.close()
    present = [p for p in recorded if text_path(p).exists()]
    for missing in sorted(set(recorded) - set(present)):
        click.echo(f"missing   {missing}: not on disk any more; its documents are kept", err=True)
    if not present:
        click.echo("reindex: no file of this archive is on disk", err=True)
        sys.exit(1 if recorded else 0)
    options = ReaderOptions(text_field=text_field, title_field=title_field, date_field=date_field)
    summary = ingest_paths([text_path(p) for p in present], folder, None, options,
                           progress=None if quiet else IngestProgress(), jobs=jobs, force=True)
    click.echo(("\n" if not quiet and sys.stderr.isatty() else "") + summary.line(), err=True)
    sys.exit(summary.exit_code)


class IngestProgress:
    """A one-line progress display on a terminal; a line per file elsewhere.

    Rejected files are always printed with their reason.
    """

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()

    def __call__(self, n: int, outcome) -> None:
        if outcome.status == "rejected":
            click.echo(f"\r[{n}] rejected  {outcome.path}: {outcome.reason}", err=True)
        elif self.tty:
            click.echo(f"\r[{n}] {outcome.status:9} {outcome.path[-60:]:60}", err=True, nl=False)
        else:
            click.echo(f"[{n}] {outcome.status:9} {outcome.path}", err=True)


@main.command()
@click.argument("query", default="")
@filter_options
@index_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="Documents to show.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, 100000))
@click.option("--sort", type=click.Choice(list(SORTS)), default="relevance", show_default=True,
              help="original: most original text first (after `archive reuse`).")
@click.option("--jsonl", is_flag=True, help="One JSON object per document hit (fields as in the API).")
@usage_errors
def search(query, index, limit, page, sort, jsonl, **options) -> None:
    """Search: every document and passage that contains the query.

    Example: archive search '新时代文明实践 level:县' --year 2019-2021
    """
    shown = None if jsonl else PASSAGES_SHOWN  # the text output shows three: the others are not read
    request = build_request(query, options, size=limit, page=page, sort=sort, passages_per_hit=shown)
    archive = open_archive(index)
    result = archive.search(request)
    if jsonl:
        for hit in result.hits:
            click.echo(json.dumps(hit, ensure_ascii=False))
        return
    click.echo(f"{result.total} 篇文档, {result.total_passages} 个段落 / documents, passages")
    for hit in result.hits:
        facts = " ".join(str(v) for v in (hit["level"], hit["province"], hit["county"], hit["year"]) if v)
        click.echo(f"\n● {hit['title']}  [{facts}]  {hit['doc_id']}")
        for p in hit["passages"]:
            snippet = p["snippet"].replace("<mark>", "【").replace("</mark>", "】")
            click.echo(f"    {p['section_path'] + ' | ' if p['section_path'] else ''}{_unescape(snippet)}")
        if hit["passage_count"] > len(hit["passages"]):
            more = hit["passage_count"] - len(hit["passages"])
            click.echo(f"    … 另有 {more} 个段落 / {more} more passages")


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


@main.command()
@index_option
@click.option("--text", "with_text", is_flag=True, help="Include the normalized `text`.")
@click.option("--jsonl", is_flag=True, help="One JSON object per document (fields as in the API).")
def docs(index, with_text, jsonl) -> None:
    """List every document of the archive.

    Example: archive docs --text --jsonl > documents.jsonl
    """
    archive = open_archive(index)
    for doc in archive.store.iter_documents(with_passages=False):
        if jsonl:
            record = doc.hit_fields()
            if with_text:
                record["text"] = doc.text
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(f"{doc.doc_id}\t{doc.year or ''}\t{doc.level or ''}\t{doc.title}")


EXPORT_PROGRESS_EVERY = 10_000
DEFAULT_WORKERS = min(os.cpu_count() or 1, 4)  # `serve --production`: a process per core, up to 4


def export_arguments(words: tuple[str, ...], fmt: str | None) -> tuple[str, str]:
    """(format, query) from `[FORMAT] [QUERY]` and --format; csv when neither names a format."""
    if len(words) > 2:
        raise click.UsageError("give at most FORMAT and QUERY; quote a query that has spaces")
    if len(words) == 2:
        if fmt is not None:
            raise click.UsageError("the format is given twice: as FORMAT and as --format")
        if words[0] not in FORMATS:
            raise click.BadParameter(f"{words[0]!r} is not one of {', '.join(FORMATS)}", param_hint="FORMAT")
        return words[0], words[1]
    if len(words) == 1 and fmt is None and words[0] in FORMATS:
        return words[0], ""
    return fmt or "csv", words[0] if words else ""


def write_export(target: Format, rows: CountingRows, info: ExportInfo, output: str) -> None:
    """The export to the file (removed again if the export fails) or to standard output ('-')."""
    if output == "-":
        target.write(rows, info, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    try:
        out = open(output, "wb")  # closed below
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from exc
    with out:
        try:
            target.write(rows, info, out)
        except BaseException:
            Path(output).unlink(missing_ok=True)  # no half-written file to be mistaken for an export
            raise


@main.command()
@click.argument("words", nargs=-1, metavar="[FORMAT] [QUERY]")
@filter_options
@index_option
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
              help="csv (default), jsonl, xlsx, docx or md; the same as the FORMAT argument.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, allow_dash=True), required=True,
              help="File to write ('-' for standard output).")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True, help="Prefix of passage permalinks.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines (the final count is still printed).")
@usage_errors
def export(words, index, fmt, output, base_url, quiet, **options) -> None:
    """Export every matching passage, with its citation, as csv, jsonl, xlsx, docx or md.

    FORMAT may be given first; a single word that is a format name is the format (use --format to
    search for it). Progress goes to standard error every 10,000 passages.

    Example: archive export xlsx 疫情防控 --level 县 -o passages.xlsx
    """
    fmt, query = export_arguments(words, fmt)
    target = FORMATS[fmt]
    if output == "-" and target.binary and sys.stdout.isatty():
        raise click.UsageError(f"{fmt} is a binary format: write it to a file (-o passages.{fmt}) "
                               "or redirect standard output")
    request = build_request(query, options)
    archive = open_archive(index)
    progress = None if quiet else (lambda n: click.echo(f"… {n:,} passages", err=True))
    rows = CountingRows(passage_rows(archive, request, base_url), every=EXPORT_PROGRESS_EVERY, report=progress)
    info = ExportInfo.from_request(request, base_url)
    write_export(target, rows, info, output)
    click.echo(f"{rows.count} passages written to {output}", err=True)


@main.command()
@index_option
@click.option("--status", type=click.Choice(["ingested", "duplicate", "rejected"]), default=None)
@click.option("--jsonl", is_flag=True)
def files(index, status, jsonl) -> None:
    """List ingested files with their outcome (rejected ones with the reason)."""
    archive = open_archive(index)
    for record in archive.store.files(status):
        if jsonl:
            click.echo(json.dumps({"path": record.path, "status": record.status, "reason": record.reason,
                                   "encoding": record.encoding, "documents": record.doc_ids}, ensure_ascii=False))
        else:
            click.echo(f"{record.status:9} {record.path}" + (f"  {record.reason}" if record.reason else ""))


@main.command()
@index_option
@click.option("--rebuild", is_flag=True, help="Compare every document anew (otherwise only what changed).")
@click.option("--min-span", type=click.IntRange(5, 10_000), default=None,
              help="Shortest aligned span that counts as reuse, in compared characters (default: data/reuse.toml).")
@click.option("--template-docs", type=click.IntRange(2, 100_000), default=None,
              help="Documents sharing a span that make it template text (default: data/reuse.toml).")
@click.option("--jsonl", is_flag=True, help="Print the run's figures as one JSON object.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
def reuse(index, rebuild, min_span, template_docs, jsonl, quiet) -> None:
    """Find text reuse: which passages other documents share, clusters, template text.

    Incremental: only documents added or changed since the last run are compared (with everything).
    Changed settings compare everything again. Example: archive reuse --template-docs 5
    """
    from archive.reuse.detect import update_reuse
    from archive.reuse.settings import reuse_settings

    folder = archive_folder(index)
    settings = reuse_settings().with_overrides(min_span=min_span, template_docs=template_docs)
    say = None if quiet or jsonl else (lambda message: click.echo(message, err=True))
    report = update_reuse(folder, settings, rebuild=rebuild, progress=say)
    if jsonl:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        click.echo(f"{report.documents} documents ({report.added} compared, {report.removed} removed) in "
                   f"{report.seconds:.1f} s: {report.shared_passages} passages shared with other documents, "
                   f"{report.template_passages} of them template text.")


@main.command("reuse-pairs")
@click.argument("words", nargs=-1)
@filter_options
@index_option
@click.option("--limit", type=click.IntRange(1, 10_000_000), default=None, help="At most this many pairs.")
@click.option("--spans", is_flag=True, help="With --jsonl: each pair's aligned passages and their texts.")
@click.option("--jsonl", is_flag=True, help="JSON lines instead of CSV.")
@usage_errors
def reuse_pairs(words, index, limit, spans, jsonl, **options) -> None:
    """Pairs of documents that share text, among the documents a search finds (CSV or JSONL on stdout).

    Example: archive reuse-pairs --province 湖北省 --jsonl --spans
    """
    from archive.reuse.report import pair_records, write_pairs_csv

    archive = open_archive(index)
    try:
        records = pair_records(archive, build_request(" ".join(words), options), limit=limit, spans=spans and jsonl)
        if jsonl:
            for record in records:
                click.echo(json.dumps(record, ensure_ascii=False))
        else:
            write_pairs_csv(records, sys.stdout)
    finally:
        archive.close()


@main.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (127.0.0.1: this machine only).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--production", is_flag=True,
              help="Serve with waitress (worker processes × threads) instead of Flask's development server.")
@click.option("--workers", type=click.IntRange(1, 64), default=DEFAULT_WORKERS, show_default=True,
              help="Worker processes with --production (one per core: a process computes on one core at a time).")
@click.option("--threads", type=click.IntRange(1, 256), default=8, show_default=True,
              help="Threads per worker process with --production.")
def serve(index, host, port, production, workers, threads) -> None:
    """Serve the web UI and JSON API; ingests data/sample/ first if the index is empty.

    Example: archive serve --port 5000
    """
    from webui import create_app

    folder = index_dir(index)
    if not (folder / "archive.sqlite3").exists():
        from ingest.pipeline import ingest_paths

        click.echo(f"No index at {folder} yet: ingesting the bundled sample {SAMPLE_DIR} …", err=True)
        summary = ingest_paths([SAMPLE_DIR], folder)
        click.echo(f"{summary.count('ingested')} files ingested in {summary.seconds:.1f} s.", err=True)
        from archive.reuse.detect import update_reuse

        report = update_reuse(folder)
        click.echo(f"Text reuse: {report.shared_passages} passages shared, {report.template_passages} template.",
                   err=True)
    config = {"INDEX_DIR": str(folder)}
    if production:
        from webui.prefork import serve_workers

        click.echo(f"Serving {folder} on http://{host}:{port}/ ({workers} processes × {threads} threads)", err=True)
        sys.exit(serve_workers(lambda: create_app(config), host, port, workers, threads))
    click.echo(f"Serving {folder} on http://{host}:{port}/", err=True)
    create_app(config).run(host=host, port=port, threaded=True)


if __name__ == "__main__":
    main()
