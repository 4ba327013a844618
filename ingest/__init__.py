"""Ingest: raw files in, normalized documents with passages and facets out.

raw file → reader → decode → normalize → split → structure → facets →
dedup → store and index. Each step is a module of its own.
"""
