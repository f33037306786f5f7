"""The query parser: one row per syntax rule, including rows that must NOT change meaning."""

from __future__ import annotations

from datetime import datetime

import pytest

from bahth.index.errors import QueryError
from bahth.search.query import MAX_LEAVES, ast, parse


def show(node: ast.Node | None) -> str:
    """A compact rendering of a tree: W:word, T:title:word, P"phrase", *pattern, ~fuzzy."""
    if node is None:
        return "-"
    if isinstance(node, ast.Root):
        return show(node.child)
    if isinstance(node, ast.Word):
        prefix = f"{node.field}:" if node.field else ""
        fuzzy = "" if node.fuzzy is None else f"~{node.fuzzy}"
        return f"{prefix}{node.text}{fuzzy}"
    if isinstance(node, ast.Pattern):
        prefix = f"{node.field}:" if node.field else ""
        return f"{prefix}<{node.text}>"
    if isinstance(node, ast.Phrase):
        prefix = f"{node.field}:" if node.field else ""
        return f'{prefix}"{node.text}"'
    if isinstance(node, ast.Keyword):
        return f"{node.field}={node.value}"
    if isinstance(node, ast.DateSpan):
        fmt = lambda d: d.strftime("%Y-%m-%d") if d else ""  # noqa: E731
        return f"date[{fmt(node.start)},{fmt(node.end)})"
    if isinstance(node, ast.Must):
        return "+" + show(node.child)
    if isinstance(node, ast.Not):
        return "-" + show(node.child)
    name = type(node).__name__
    return f"{name}(" + " ".join(show(c) for c in node.children) + ")"


@pytest.mark.parametrize(
    "query, tree",
    [
        # plain words
        ("الكاظمي واشنطن", "Seq(الكاظمي واشنطن)"),
        ("بغداد", "بغداد"),
        # Arabic و / أو and lowercase English operators are words, not operators
        ("الشمس و القمر", "Seq(الشمس و القمر)"),
        ("الشمس أو القمر", "Seq(الشمس أو القمر)"),
        ("cats and dogs or not mice", "Seq(cats and dogs or not mice)"),
        # operators and precedence NOT > AND > OR, juxtaposition loosest
        ("أ OR ب", "Or(أ ب)"),
        ("أ AND ب", "And(أ ب)"),
        ("أ OR ب AND ج", "Or(أ And(ب ج))"),
        ("أ AND ب OR ج", "Or(And(أ ب) ج)"),
        ("NOT أ AND ب", "And(-أ ب)"),
        ("أ AND NOT ب", "And(أ -ب)"),
        ("NOT NOT أ", "أ"),
        ("س ص OR ع", "Seq(س Or(ص ع))"),
        ("(أ OR ب) ج", "Seq(Or(أ ب) ج)"),
        ("(أ OR ب) AND (ج OR د)", "And(Or(أ ب) Or(ج د))"),
        # must / must not
        ("+الحكومة -الكاظمي", "Seq(+الحكومة -الكاظمي)"),
        ('-"البيت الأبيض"', '-"البيت الأبيض"'),
        ("+(أ OR ب)", "+Or(أ ب)"),
        # a hyphen or plus inside a word, or standing alone, is not an operator
        ("covid-19 لقاح", "Seq(covid 19 لقاح)"),
        ("أ - ب", "Seq(أ ب)"),
        ("أ + ب", "Seq(أ ب)"),
        ("c++", "c"),
        # phrases, with Arabic quotes too
        ('"البيت الأبيض"', '"البيت الأبيض"'),
        ("«البيت الأبيض» واشنطن", 'Seq("البيت الأبيض" واشنطن)'),
        ("“البيت الأبيض”", '"البيت الأبيض"'),
        # fields and their Arabic names
        ("title:بغداد", "title:بغداد"),
        ("عنوان:بغداد", "title:بغداد"),
        ('title:"البيت الأبيض"', 'title:"البيت الأبيض"'),
        ("title:(أ OR ب)", "Or(title:أ title:ب)"),
        ("source:Okaz", "source=Okaz"),
        ("مصدر:عكاظ", "source=عكاظ"),
        ('category:"رياضة محلية"', "category=رياضة محلية"),
        ("-source:spa بغداد", "Seq(-source=spa بغداد)"),
        ("title:source:x", "source=x"),
        # dates: year, month, day, ranges, open ends, Arabic digits
        ("date:2021", "date[2021-01-01,2022-01-01)"),
        ("date:2021-07", "date[2021-07-01,2021-08-01)"),
        ("date:2021-12", "date[2021-12-01,2022-01-01)"),
        ("date:2021-07-27", "date[2021-07-27,2021-07-28)"),
        ("date:2021-07..2021-08", "date[2021-07-01,2021-09-01)"),
        ("date:..2021-08", "date[,2021-09-01)"),
        ("date:2021..", "date[2021-01-01,)"),
        ("date:2021-07.", "date[2021-07-01,2021-08-01)"),
        ("date:9999-12-31", "date[9999-12-31,)"),
        ("تاريخ:٢٠٢١-٠٧", "date[2021-07-01,2021-08-01)"),
        # an unknown field is read as words
        ("foo:bar بغداد", "Seq(foo bar بغداد)"),
        ("http://example.com", "Seq(http example com)"),
        ("10:30 صباحا", "Seq(10 30 صباحا)"),
        # wildcards inside a word; a question mark ending a word or query is punctuation
        ("أمريك*", "<أمريك*>"),
        ("ك?اب", "<ك?اب>"),
        ("ك؟اب", "<ك؟اب>"),
        ("*ية", "<*ية>"),
        ("**ي***ة*", "<*ي*ة*>"),
        ("من هم قوم شعيب؟", "Seq(من هم قوم شعيب)"),
        ("ما هذا?", "Seq(ما هذا)"),
        ("لماذا؟! الآن", "Seq(لماذا الآن)"),
        ("بغداد ? واشنطن", "Seq(بغداد واشنطن)"),
        ("امريك*؟", "<امريك*>"),
        # fuzzy
        ("واشنطون~", "واشنطون~0"),
        ("واشنطون~2", "واشنطون~2"),
        ("واشنطون~٢", "واشنطون~2"),
        ("title:واشنطون~1", "title:واشنطون~1"),
        ("~", "-"),
        # lenient recovery: lone / trailing operators, unbalanced parentheses and quotes
        ("AND", "-"),
        ("OR بغداد", "بغداد"),
        ("بغداد OR", "بغداد"),
        ("بغداد AND AND واشنطن", "Seq(بغداد واشنطن)"),
        ("NOT", "-"),
        ("بغداد NOT", "بغداد"),
        ("(بغداد", "بغداد"),
        ("بغداد)", "بغداد"),
        (")(", "-"),
        ('"البيت الأبيض', "Seq(البيت الأبيض)"),
        ("+", "-"),
        ("-", "-"),
        # invisible direction marks do not split or glue words
        ("\u200fالكاظمي\u200f \u202bواشنطن\u202c", "Seq(الكاظمي واشنطن)"),
        ("الكا\u200cظمي", "الكاظمي"),
        # punctuation and emoji only
        ("?!،.", "-"),
        ("😀 🇸🇦", "-"),
        ("", "-"),
        ("   ", "-"),
    ],
)
def test_parse_rows(query: str, tree: str) -> None:
    assert show(parse(query)) == tree


@pytest.mark.parametrize(
    "query, notice_part",
    [
        ("foo:bar", "unknown field 'foo:'"),
        ("بغداد OR", "'OR' needs a word on each side"),
        ("AND بغداد", "'AND' needs a word on each side"),
        ("NOT", "'NOT' needs a word after it"),
        ("(بغداد", "'(' was not closed"),
        ("بغداد)", "unmatched ')'"),
        ('"البيت', "unbalanced quote"),
    ],
)
def test_parse_notices(query: str, notice_part: str) -> None:
    notices = parse(query).notices
    assert any(notice_part in n for n in notices), notices


@pytest.mark.parametrize(
    "query, message_part",
    [
        ("*", "has no letters"),
        ("بغداد ** واشنطن", "has no letters"),
        ("*?", "has no letters"),
        ("ا*ا*ا*ا*ا*ب", "more than 4 '*'"),
        ("date:2021-13", "not a valid date"),
        ("date:2021-00", "not a valid date"),
        ("date:2021-02-30", "not a valid date"),
        ("date:امس", "is not a date"),
        ("date:..", "has no ends"),
        ("date:2022..2021", "ends before it starts"),
        ("date:9999-12-31..", None),  # valid: must not raise
    ],
)
def test_parse_errors(query: str, message_part: str | None) -> None:
    if message_part is None:
        parse(query)
        return
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert message_part in str(caught.value)
    assert query in str(caught.value)  # the message names the query


def test_word_spans_point_into_the_query() -> None:
    text = "+الحكومة title:العراقية واشنطون~ «البيت الأبيض»"
    root = parse(text)
    for leaf in ast.leaves(root):
        if isinstance(leaf, (ast.Word, ast.Phrase, ast.Pattern)):
            assert leaf.text in root.text[leaf.start : leaf.end]


def test_long_queries_are_capped_with_a_notice() -> None:
    root = parse(" ".join(f"كلمة{i}" for i in range(500)))
    assert len(ast.leaves(root)) == MAX_LEAVES
    assert any("first 64 words" in n for n in root.notices)


@pytest.mark.parametrize("text", ["(" * 5000 + "بغداد", "title:" * 3000 + "بغداد",
                                  "NOT " * 3000 + "بغداد", "-(" * 3000, "\"" * 10001])
def test_pathological_nesting_does_not_recurse(text: str) -> None:
    root = parse(text)
    assert len(ast.leaves(root)) <= MAX_LEAVES


def test_syntax_off_reads_every_token_as_a_word() -> None:
    root = parse('+الحكومة -الكاظمي title:بغداد OR "البيت" أمريك* واشنطون~ date:2021', syntax=False)
    assert show(root) == "Seq(الحكومة الكاظمي title بغداد OR البيت أمريك واشنطون date 2021)"


def test_ten_kilobytes_of_text() -> None:
    text = ("قال المتحدث باسم البيت الأبيض إن الرئيس سيزور بغداد (الأسبوع المقبل) \"لبحث\" -العلاقات? ") * 120
    assert len(text) > 10_000
    root = parse(text)
    assert len(ast.leaves(root)) == MAX_LEAVES


def test_dates_are_datetimes() -> None:
    node = parse("date:2015-07-21").child
    assert node == ast.DateSpan(datetime(2015, 7, 21), datetime(2015, 7, 22), "2015-07-21")
