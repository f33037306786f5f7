"""`AndNot` whose matcher really removes the negative documents.

Whoosh 3.54's `AndNotMatcher` only moves its negative matcher when both start on the same
document: when the first positive document (say 549) comes after the negative matcher's
first document (say 10) but is also a negative one, it is let through, and so is every
later positive document the negative matcher has not been moved to yet (the collector
walks with `next()`/`skip_to()`, and `_find_next` starts from wherever the negative one
stands). `متأكدا NOT مشروع` kept the documents holding both words. Here every step moves
the negative matcher up to the positive one before comparing.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.matching import binary


class ExcludingMatcher(binary.AndNotMatcher):
    """The documents of `a` that `b` does not hold."""

    def _find_first(self) -> None:
        self._find_next()

    def _find_next(self) -> bool:
        positive, negative = self.a, self.b
        moved = False
        while positive.is_active() and negative.is_active():
            if negative.id() < positive.id():
                negative.skip_to(positive.id())
                if not negative.is_active():
                    break
            if negative.id() != positive.id():
                break
            moved = bool(positive.next()) or moved
        return moved

    def skip_to(self, id: int) -> None:  # noqa: A002 - Whoosh's name
        if not self.a.is_active():
            from whoosh.matching import ReadTooFar

            raise ReadTooFar
        if id <= self.a.id():
            return
        self.a.skip_to(id)
        self._find_next()

    def skip_to_quality(self, minquality: float) -> int:
        skipped = self.a.skip_to_quality(minquality)
        self._find_next()
        return skipped


class Excluding(wq.AndNot):
    """`a ANDNOT b` with `ExcludingMatcher`."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        positive = self.a.matcher(searcher, context)
        negative = self.b.matcher(searcher, searcher.boolean_context())
        return ExcludingMatcher(positive, negative)
