"""The one exception type of ingest: a file that cannot be taken, and why."""


class IngestError(Exception):
    """A file was rejected; `str(error)` is the reason shown in the report."""
