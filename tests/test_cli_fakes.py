"""A small engine with the `search.Engine` contract (docs/DESIGN.md), for REPL tests that must
not depend on indexing. Also checks that the fake keeps to the contract it imitates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from bahth.index.errors import QueryError
from bahth.search.results import Hit, Results

BODIES = [
    "قال رئيس الوزراء العراقي مصطفى الكاظمي عشية زيارته واشنطن إن العراق لم يعد بحاجة إلى قوات قتالية",
    "وصل الكاظمي إلى واشنطن للقاء الرئيس الأمريكي",
    "الحشد الشعبي يوثق بالكاميرات إنزال طائرات",
]


@dataclass
class Doc:
    id: str
    title: str
    source: str
    body: str


DOCS = [Doc(f"doc{i:02d}", f"خبر رقم {i}", "الوطن" if i % 2 else "الأخبار", BODIES[i % 3]) for i in range(25)]


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    return sorted((m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), text))


class FakeEngine:
    """Matches any query word as a substring of the body; `((` in a query is a QueryError."""

    def __init__(self, index_dir=None):
        self.index_dir = index_dir
        self.calls: list[dict] = []
        self.closed = False

    def search(self, query, limit=10, offset=0, filters=None, date_range=None, sort="relevance", snippets=True,
               timeout=5.0):
        self.calls.append(dict(query=query, limit=limit, offset=offset, filters=filters, sort=sort))
        if "((" in query:
            raise QueryError(query, "unbalanced parenthesis", query.index("(("))
        words = query.split()
        found = [d for d in DOCS if any(w in d.body for w in words)]
        if filters and "source" in filters:
            found = [d for d in found if d.source in filters["source"]]
        page = found[offset: offset + limit]
        hits = [Hit(id=d.id, score=10.0 - n * 0.1, title=d.title, source=d.source, date=datetime(2021, 7, 25),
                    path=f"/x/{d.id}.txt", snippet=d.body[:60], highlights=_spans(d.body[:60], words))
                for n, d in enumerate(page)]
        return Results(query=query, hits=hits, total=len(found), took_ms=1.5, offset=offset, limit=limit, sort=sort)

    def highlight_document(self, doc_id, query):
        doc = next(d for d in DOCS if d.id == doc_id)
        text = f"{doc.title}\n\n" + "\n".join([doc.body] * 60)
        return text, _spans(text, query.split())

    def info(self):
        return SimpleNamespace(doc_count=len(DOCS))

    def close(self):
        self.closed = True


def test_fake_engine_pages_and_highlights_like_the_contract():
    engine = FakeEngine()
    results = engine.search("الكاظمي", limit=5, offset=5)
    assert results.total > 10 and len(results.hits) == 5 and results.offset == 5
    hit = results.hits[0]
    assert hit.highlighted_words() == ["الكاظمي"]
