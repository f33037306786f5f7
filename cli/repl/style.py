"""REPL colours. Matches are bold + underline as well as coloured, so they stay visible
under NO_COLOR and on monochrome terminals (prompt_toolkit drops colours there, keeps attributes)."""

from __future__ import annotations

from prompt_toolkit.styles import Style

RULES = {
    # results
    "match": "bold underline #ff5f5f",
    "rank": "bold #5fd7d7",
    "title": "bold",
    "source": "#87d787",
    "date": "#d7d75f",
    "score": "#808080",
    "dim": "#808080",
    "heading": "bold",
    "notice": "#d7af5f",
    "error": "bold #ff5f5f",
    "term": "bold #87d787",
    "stopword": "#808080",
    # the query as typed (lexer)
    "query.operator": "bold #d787ff",
    "query.field": "#5fafff",
    "query.phrase": "#d7af5f",
    "query.wildcard": "bold #ff875f",
    "query.paren": "bold",
    "query.command": "bold #5fd7d7",
    # prompt and toolbar
    "prompt": "bold #5fd7d7",
    "bottom-toolbar": "noreverse bg:#303030 #d0d0d0",
    "bottom-toolbar.key": "bold",
    "bottom-toolbar.active": "bold #ffd75f",  # a non-default sort/limit, active filters
}

STYLE = Style.from_dict(RULES)
