"""Searchable archive of Chinese local-government propaganda work reports.

The package holds what every part shares: the data model, search folding,
the Whoosh schema and analyzers, the document store, querying, facets,
exports and the command line.
"""

__version__ = "0.1.0"
