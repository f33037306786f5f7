"""bahth's query API: parse, rank, highlight, suggest, evaluate."""

from __future__ import annotations

from bahth.index.errors import IndexNotFoundError, QueryError, SearchTimeoutError

from .engine import Engine
from .ranking import DEFAULT_PARAMS, RankingParams
from .results import Hit, Results

__all__ = ["Engine", "Hit", "Results", "RankingParams", "DEFAULT_PARAMS", "QueryError", "IndexNotFoundError",
           "SearchTimeoutError"]
