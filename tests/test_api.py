"""The JSON API: /api/search and /api/doc/<doc_id>."""

from __future__ import annotations

from archive.model import FACET_FIELDS, HIT_FIELDS


def test_search_returns_documented_shape(client):
    data = client.get("/api/search", query_string={"q": "新时代文明实践"}).get_json()
    assert data["total"] >= 2
    assert set(FACET_FIELDS) <= set(data["facets"])
    for values in data["facets"].values():
        assert all(isinstance(v, list) and len(v) == 2 and isinstance(v[1], int) for v in values)
    for hit in data["hits"]:
        assert set(HIT_FIELDS) <= set(hit)
        for p in hit["passages"]:
            assert "<mark>新时代文明实践</mark>" in p["highlighted"]


def test_facet_counts_cover_whole_result_set_not_page(client):
    full = client.get("/api/search", query_string={"q": "宣传", "size": 1000}).get_json()
    page = client.get("/api/search", query_string={"q": "宣传", "size": 1}).get_json()
    assert len(page["hits"]) == 1
    assert page["facets"] == full["facets"]
    assert sum(c for _, c in full["facets"]["level"]) <= full["total"]


def test_filters_combine(client):
    base = client.get("/api/search", query_string={"q": "宣传", "size": 100}).get_json()
    levels = [v for v, _ in base["facets"]["level"]]
    assert len(levels) >= 2
    one = client.get("/api/search", query_string={"q": "宣传", "level": levels[0]}).get_json()
    both = client.get("/api/search", query_string=[("q", "宣传"), ("level", levels[0]), ("level", levels[1])]).get_json()
    assert one["total"] < both["total"] <= base["total"]
    minus = client.get("/api/search", query_string={"q": "宣传", "not_level": levels[0]}).get_json()
    assert minus["total"] == base["total"] - one["total"]


def test_traditional_query_finds_simplified_text(client):
    simplified = client.get("/api/search", query_string={"q": "新时代文明实践"}).get_json()
    traditional = client.get("/api/search", query_string={"q": "新時代文明實踐"}).get_json()
    assert traditional["total"] == simplified["total"]


def test_size_limit_and_bad_parameters(client):
    assert client.get("/api/search", query_string={"q": "宣传", "size": 1000}).status_code == 200
    for params in ({"size": 1001}, {"size": 0}, {"page": 0}, {"page": "x"}, {"q": '"unclosed'}, {"year": "abc"}):
        response = client.get("/api/search", query_string=params)
        assert response.status_code == 400, params
        assert response.get_json()["error"]


def test_doc_returns_text_and_404(client):
    hit = client.get("/api/search", query_string={"q": "通山"}).get_json()["hits"][0]
    doc = client.get(f"/api/doc/{hit['doc_id']}").get_json()
    assert set(HIT_FIELDS) <= set(doc)
    assert "通山" in doc["text"]
    assert doc["passages"][0]["passage_id"].startswith(hit["doc_id"])
    assert client.get("/api/doc/000000000000-1").status_code == 404
    assert client.get("/api/doc/..%2f..%2fetc%2fpasswd").status_code == 404
