"""Issue 10 items 10, 18, 19 and the REPL cleanups of issue 8 item 3: completion keeps what
was typed and offers written words; the toolbar says which index, sort, filters and limit
are active; `bahth stats` lists categories and every source; the REPL modules import one
way, colour and complete with the one query lexer, and read the index only through the API."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from bahth.cli.repl.commands import command_descriptions, completion_table
from bahth.cli.repl.completer import IndexVocabulary, ReplCompleter
from bahth.cli.repl.session import Repl
from bahth.cli.repl.toolbar import toolbar_fragments
from bahth.index.analysis import normalize
from tests.test_cli_commands import bahth
from tests.test_cli_fakes import FakeEngine

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = (
    [("زار رئيس الوزراء الكاظمي واشنطن", "sabq", "سياسة")] * 6
    + [("قال كاظم الساهر في الحفل", "okaz", "فن")] * 9
    + [("فاز الهلال في الدوري السعودي", "alriyadh", "رياضة")] * 5
    + [("بدأت الدورة التدريبية", f"src{n}", "") for n in range(12)]
)


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ux-repl")
    lines = [json.dumps({"id": f"a{n}", "title": "", "body": body, "source": source, "category": category},
                        ensure_ascii=False) for n, (body, source, category) in enumerate(ARTICLES)]
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = bahth("index", str(folder / "news.jsonl"), "--index", str(folder / "ix"), "-q")
    assert done.returncode == 0, done.stderr
    return folder / "ix"


@pytest.fixture(scope="module")
def completer(index):
    lookup = IndexVocabulary(index)
    yield ReplCompleter(completion_table(), lambda: lookup, command_descriptions())
    lookup.close()


def offered(completer, text: str) -> list[tuple[str, str]]:
    return [(c.text, c.display_meta_text) for c in completer.get_completions(Document(text), CompleteEvent())]


# ---------------------------------------------------------------- item 10: completion

@pytest.mark.parametrize("typed, first", [("الكاظ", "الكاظمي"), ("الدور", "الدورة"), ("كاظ", "كاظم"),
                                          ("والكاظ", "والكاظمي")])
def test_completion_keeps_the_typed_prefix_and_offers_written_words(completer, typed, first):
    words = [text for text, _ in offered(completer, typed)]
    text = normalize(" ".join(body for body, _, _ in ARTICLES)).split()
    assert words and words[0] == first
    assert all(w.startswith(typed) for w in words)  # never a different word (كاظم for الكاظ)
    # never an invented form: written as such, or a written word after the typed conjunction
    assert all(normalize(w) in text or normalize(w)[1:] in text for w in words)
    assert "الكاظم" not in words


def test_completion_orders_by_frequency_and_describes_items(completer):
    items = offered(completer, "الدو")
    assert [text for text, _ in items][:2] == ["الدورة", "الدوري"]  # 12 documents before 5
    assert all(meta.startswith("in ~") for _, meta in items)


@pytest.mark.parametrize("typed, expected", [
    ("source:ok", [("okaz", "9 docs")]),
    ("source:", [("src0", "1 docs")]),
    ("category:ري", [("رياضة", "5 docs")]),
    ("مصدر:sab", [("sabq", "6 docs")]),
])
def test_source_and_category_values_are_offered(completer, typed, expected):
    assert offered(completer, typed)[:1] == expected or set(expected) <= set(offered(completer, typed))


def test_commands_and_fields_have_descriptions(completer):
    assert (":sort", "result order") in offered(completer, ":so")
    assert ("title:", "field") in offered(completer, "tit")


# ---------------------------------------------------------------- item 18: toolbar

def toolbar(repl) -> str:
    return "".join(text for _, text in toolbar_fragments(repl))


def test_toolbar_names_the_default_index_by_its_path(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    repl = Repl(tmp_path / ".local/share/bahth/index", engine_factory=FakeEngine, bidi_mode="off")
    repl.handle_line("الكاظمي")
    assert "~/.local/share/bahth/index (25 docs)" in toolbar(repl) and "index index" not in toolbar(repl)


def test_toolbar_shows_the_active_sort_filter_and_limit(tmp_path):
    repl = Repl(tmp_path / "news", engine_factory=FakeEngine, bidi_mode="off")
    assert " sort relevance" in toolbar(repl) and " limit 10" in toolbar(repl) and "filter" not in toolbar(repl)
    repl.handle_line(":sort -date")
    repl.handle_line(":filter source=الوطن")
    repl.handle_line(":limit 5")
    text = toolbar(repl)
    assert " sort -date" in text and " filter source=الوطن" in text and " limit 5" in text
    active = [t for style, t in toolbar_fragments(repl) if style == "class:bottom-toolbar.active"]
    assert active == ["-date", "source=الوطن", "5"]


def test_a_failed_index_switch_keeps_the_open_index(tmp_path):
    def factory(directory):
        if directory.name == "missing":
            from bahth.index.errors import IndexNotFoundError
            raise IndexNotFoundError(str(directory))
        return FakeEngine(directory)

    repl = Repl(tmp_path / "news", engine_factory=factory, bidi_mode="off")
    repl.handle_line("الكاظمي")
    reply = repl.handle_line(f":index {tmp_path / 'missing'}")
    assert reply.error and "(25 docs)" in toolbar(repl) and "not open" not in toolbar(repl)
    assert not repl.handle_line("واشنطن").error and repl.index_dir == tmp_path / "news"


def test_the_last_time_is_not_kept_after_a_failed_search_and_says_its_age(tmp_path):
    repl = Repl(tmp_path / "news", engine_factory=FakeEngine, bidi_mode="off")
    repl.handle_line("الكاظمي")
    assert "last 2 ms, just now" in toolbar(repl)
    assert "5 min ago" in "".join(t for _, t in toolbar_fragments(repl, now=repl.searched_at + 300))
    assert repl.handle_line("((").error
    assert "last - " in toolbar(repl)


def test_page_label_says_at_least_when_the_total_is_a_lower_bound(tmp_path):
    repl = Repl(tmp_path / "news", engine_factory=FakeEngine, bidi_mode="off")
    repl.handle_line("الكاظمي")
    repl.results.total_relation = "gte"
    assert repl.page_label() == "1/≥2"


# ---------------------------------------------------------------- item 19: stats

def test_stats_lists_categories_and_every_source(index):
    text = bahth("stats", "--index", str(index)).stdout
    document = json.loads(bahth("stats", "--index", str(index), "--json").stdout)
    assert document["categories"] == {"فن": 9, "سياسة": 6, "رياضة": 5}  # as written, most frequent first
    assert "categories" in text and "فن 9" in text and "رياضة 5" in text
    assert "more)" not in text and all(f"src{n} 1" in text for n in range(12))


# ---------------------------------------------------------------- issue 8 item 3: REPL structure

def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):  # every import, TYPE_CHECKING and function-level ones included
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_repl_modules_import_one_way_and_nothing_imports_cli_main():
    modules = {f"bahth.cli.repl.{p.stem}": _imports(p) for p in (ROOT / "cli" / "repl").glob("*.py")}
    graph = {name: {i for i in imports if i in modules} for name, imports in modules.items()}
    seen: dict[str, int] = {}

    def visit(name: str, stack: tuple[str, ...]) -> None:
        assert name not in stack, f"import circle: {' -> '.join(stack + (name,))}"
        if seen.get(name):
            return
        for other in graph[name]:
            visit(other, stack + (name,))
        seen[name] = 1

    for name in graph:
        visit(name, ())
    below_main = [p for p in (ROOT / "cli").rglob("*.py") if p.name != "main.py"]
    assert not [p for p in below_main if "bahth.cli.main" in _imports(p)]


def test_colouring_and_completion_use_the_query_lexer():
    for name in ("lexer.py", "completer.py"):
        source = (ROOT / "cli" / "repl" / name).read_text(encoding="utf-8")
        assert "from bahth.search.query.lexer import" in source and "re.compile" not in source
        assert "import re\n" not in source


def test_the_cli_reads_the_index_only_through_the_search_api():
    for path in (ROOT / "cli").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert ".lexicon(" not in source and "open_index" not in source and ".reader()" not in source, path
