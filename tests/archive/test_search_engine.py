"""The numpy search engine against a straightforward reference computed from the store's folded texts.

The reference evaluates the query tree as Python sets, finds literals with
`str.find` on each document's folded text, counts facets with a Counter and
ranks with the documented formula one document at a time (BM25 over literal
occurrences, +2.0 per literal in the folded title, plus Whoosh's BM25 on jieba
words — every seed document is within the rerank window).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter

import pytest
from whoosh import query as wq

from archive.analysis import words
from archive.fold import find_all, fold
from archive.matching import facet_matches, near_pattern
from archive.model import FACET_FIELDS
from archive.query import And, FieldTerm, Literal, MatchAll, Near, Not, Or, positive_literals
from archive.ranking import BM25_B, BM25_K1
from archive.search import SearchRequest

QUERIES = [
    "宣传", "意识形态工作责任制", "文明城市 OR 文明村", "宣传 -疫情", "NOT 疫情", "(文明城市 OR 志愿) 宣传",
    '"文明 实践"~5', "level:县", "year:2019-2021", "year:2020 宣传", "theme:意识形态", "title:汇报 工作",
    "anonymized:true", "-level:区 工作", "", "工作 工作", "不存在的短语",
]
FILTERS = [({}, {}), ({"level": ["县", "区"]}, {}), ({}, {"year": ["2020"]}), ({"year": ["2000-2010"]}, {"level": ["镇"]})]


class Reference:
    """The seed store's documents, searched the slow and obvious way."""

    def __init__(self, archive) -> None:
        self.archive = archive
        self.rows = {d.doc_id: d.hit_fields() for d in archive.store.iter_documents(with_passages=False)}
        self.texts = {doc_id: (folded, bounds) for doc_id, folded, bounds in archive.store.folded(sorted(self.rows))}

    def occurrences(self, node, doc_id: str) -> list[tuple[int, int]]:
        """(start, end) of every occurrence of a literal or proximity group in the folded text."""
        folded = self.texts[doc_id][0]
        if isinstance(node, Literal):
            return [(s, s + len(node.text)) for s in find_all(folded, node.text)]
        if all(part in folded for part in node.parts):
            return [m.span() for m in near_pattern(node).finditer(folded)]
        return []

    def docs(self, node, live: set[str]) -> set[str]:
        if isinstance(node, MatchAll):
            return live
        if isinstance(node, Literal | Near):
            return {d for d in live if self.occurrences(node, d)}
        if isinstance(node, FieldTerm):
            return {d for d in live if facet_matches(node, self.rows[d])}
        if isinstance(node, And):
            return set.intersection(*(self.docs(c, live) for c in node.children))
        if isinstance(node, Or):
            return set.union(*(self.docs(c, live) for c in node.children))
        assert isinstance(node, Not)
        return live - self.docs(node.child, live)

    def passages(self, node, doc_id: str) -> set[int]:
        """Ordinals of the passages an occurrence touches (the title line before the first passage is none)."""
        bounds = self.texts[doc_id][1]
        touched = set()
        for start, end in self.occurrences(node, doc_id):
            first, last = bisect_right(bounds, start) - 1, bisect_right(bounds, end - 1) - 1
            touched.update(i + 1 for i in range(max(first, 0), last + 1))
        return touched

    def score(self, doc_id: str, positives: list, live: set[str]) -> float:
        # df: documents of the whole index hold a literal; a proximity group is only checked on live ones
        holding = [[d for d in (live if isinstance(p, Near) else self.rows) if self.occurrences(p, d)]
                   for p in positives]
        lengths = [len(self.texts[d][0]) for docs in holding for d in docs]
        average = sum(lengths) / len(lengths)
        score = 0.0
        for node, docs in zip(positives, holding, strict=True):
            tf = len(self.occurrences(node, doc_id))
            if tf:
                idf = math.log(1 + (len(self.rows) - len(docs) + 0.5) / (len(docs) + 0.5))  # N: all documents
                norm = BM25_K1 * (1 - BM25_B + BM25_B * len(self.texts[doc_id][0]) / average)
                score += idf * tf * (BM25_K1 + 1) / (tf + norm)
        return score

    def word_scores(self, literals: list[str]) -> dict[str, float]:
        terms = sorted({w for lit in literals for w in words(lit)})
        if not terms:
            return {}
        with self.archive.index.searcher() as searcher:
            ids = searcher.reader().column_reader("doc_id")
            query = wq.Or([wq.Term(f, w) for w in terms for f in ("words", "title")])
            return {ids[hit.docnum]: hit.score for hit in searcher.search(query, limit=None)}

    def search(self, request: SearchRequest) -> dict:
        tree = request.query_tree()
        live = {d for d, row in self.rows.items() if request.duplicates or not row["duplicate_of"]}
        matched = self.docs(tree, live)
        positives = _positive_nodes(tree)
        literals = positive_literals(tree)
        passages = {d: sorted(set().union(*(self.passages(p, d) for p in positives))) for d in matched}
        scores = dict.fromkeys(matched, 0.0)
        if positives and request.sort == "relevance":
            words_ = self.word_scores(literals)
            for d in matched:
                title = fold(self.rows[d]["title"] or "")
                bonus = 2.0 * sum(1 for lit in literals if lit in title)
                scores[d] = self.score(d, positives, live) + bonus + words_.get(d, 0.0)
        order = self.order(matched, request.sort, bool(positives), scores)
        return {
            "total": len(matched), "total_passages": sum(len(p) for p in passages.values()),
            "facets": _count_facets([self.rows[d] for d in matched]),
            "hits": [(d, round(scores[d], 4), passages[d]) for d in order],
        }

    def order(self, matched: set[str], sort: str, text_terms: bool, scores: dict[str, float]) -> list[str]:
        def date(d: str) -> str:
            row = self.rows[d]
            return row["date"] or (str(row["year"]) if row["year"] else "")

        if sort == "date":
            return sorted(matched, key=lambda d: (date(d), d), reverse=True)
        if sort == "date_asc":
            return sorted(matched, key=lambda d: (date(d) == "", date(d), d))
        if text_terms:
            return sorted(matched, key=lambda d: (-scores[d], d))
        return sorted(matched, key=lambda d: (-(self.rows[d]["year"] or 0), self.rows[d]["title"] or "", d))


def _positive_nodes(node) -> list:
    if isinstance(node, Literal | Near):
        return [node]
    if isinstance(node, And | Or):
        return [n for c in node.children for n in _positive_nodes(c)]
    return []


def _count_facets(rows: list[dict]) -> dict:
    out = {}
    for f in FACET_FIELDS:
        counter = Counter()
        for row in rows:
            value = row[f]
            if f == "themes":
                counter.update(value or [])
            elif f == "anonymized":
                counter["true" if value else "false"] += 1
            elif value not in (None, ""):
                counter[value] += 1
        key = (lambda kv: -int(kv[0])) if f == "year" else (lambda kv: (-kv[1], str(kv[0])))
        out[f] = [[v, c] for v, c in sorted(counter.items(), key=key)]
    return out


@pytest.fixture(scope="module")
def reference(seed_archive) -> Reference:
    return Reference(seed_archive)


def engine(archive, request: SearchRequest) -> dict:
    result = archive.search(request)
    return {
        "total": result.total, "total_passages": result.total_passages, "facets": result.facets,
        "hits": [(h["doc_id"], h["score"], [p["ordinal"] for p in h["passages"]]) for h in result.hits],
    }


def test_idf_is_never_negative_where_duplicates_hold_a_word(seed_archive, monkeypatch):
    """工作 is in all 7 live documents and in 2 hidden duplicates: its idf must stay positive
    (it was −0.17, and 65 occurrences ranked below 19)."""
    from archive.search import Archive

    monkeypatch.setattr(Archive, "_word_scores", lambda self, doc_ids, literals: [0.0] * len(doc_ids))
    result = seed_archive.search(SearchRequest(q="工作"))
    assert result.total == 7
    assert all("工作" in hit["title"] for hit in result.hits)  # each has the title bonus, 2.0
    assert all(hit["score"] > 2.0 for hit in result.hits)  # and a positive BM25 on top of it


@pytest.mark.parametrize("q", QUERIES)
def test_engine_equals_reference(seed_archive, reference, q):
    for include, exclude in FILTERS:
        for sort in ("relevance", "date", "date_asc"):
            for duplicates in (False, True):
                request = SearchRequest(q=q, include=include, exclude=exclude, sort=sort, duplicates=duplicates,
                                        size=1000)
                assert engine(seed_archive, request) == reference.search(request), (include, exclude, sort)


def test_pages_slice_the_same_order(seed_archive, reference):
    request = SearchRequest(q="宣传", duplicates=True, size=1000)
    whole = reference.search(request)["hits"]
    pages = [engine(seed_archive, SearchRequest(q="宣传", duplicates=True, size=2, page=n))["hits"] for n in (1, 2, 3)]
    assert [h for page in pages for h in page] == whole[:6]


def test_matches_and_export_agree_with_the_page(seed_archive):
    request = SearchRequest(q="宣传 OR 疫情", duplicates=True, size=1000)
    hits = seed_archive.search(request).hits
    matches = seed_archive.matches(request)
    assert [m.doc_id for m in matches] == [h["doc_id"] for h in hits]
    assert [m.passage_ordinals for m in matches] == [[p["ordinal"] for p in h["passages"]] for h in hits]
    exported = [(doc["doc_id"], p["ordinal"]) for doc, p in seed_archive.iter_passages(request)]
    assert exported == [(h["doc_id"], p["ordinal"]) for h in hits for p in h["passages"]]


def test_a_match_across_two_passages_marks_its_part_in_each(tmp_path):
    """Passages are searched as one folded text, so a phrase split over two paragraphs counts both;
    each must show the part it holds marked (it was counted but shown without a mark)."""
    from archive.search import Archive
    from ingest.pipeline import ingest_paths

    files = tmp_path / "files"
    files.mkdir()
    (files / "report.txt").write_text("某县宣传思想工作总结\n\n今年以来，我县持续加强理论武装。\n\n"
                                      "全年开展宣讲活动120场，覆盖群众3万人次。\n\n二是加强网络阵地建设。\n",
                                      encoding="utf-8")
    ingest_paths([files], tmp_path / "index")
    archive = Archive(tmp_path / "index")
    try:
        result = archive.search(SearchRequest(q="理论武装。全年开展"))
        assert result.total == 1 and result.total_passages == 2
        marked = [p["highlighted"] for p in result.hits[0]["passages"]]
        assert marked == ["今年以来，我县持续加强<mark>理论武装。</mark>",
                          "<mark>全年开展</mark>宣讲活动120场，覆盖群众3万人次。"]
    finally:
        archive.close()
