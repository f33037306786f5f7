"""`bahth` through its real entry point: every command, exit codes, JSON schemas, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bahth.cli.commands import COMMANDS
from bahth.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
BAHTH = ROOT / ".venv" / "bin" / "bahth"
SEEDS = ROOT / "seeds"


def bahth(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The installed console script in a subprocess (stdout is a pipe: no colour, logical order)."""
    command = [str(BAHTH)] if BAHTH.exists() else [sys.executable, "-m", "bahth.cli.main"]
    full_env = {**os.environ, "BAHTH_DEBUG": "", **(env or {})}
    return subprocess.run([*command, *args], input=stdin, capture_output=True, text=True, env=full_env,
                          cwd=ROOT, timeout=120)


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("seeds") / "ix"
    done = bahth("index", str(SEEDS), "--index", str(directory), "-q")
    assert done.returncode == 0, done.stderr
    return directory


# ---------------------------------------------------------------- the command itself

def test_version():
    done = bahth("--version")
    assert done.returncode == 0 and done.stdout.strip() == "bahth 0.2.0"


@pytest.mark.parametrize("module", COMMANDS, ids=[m.NAME for m in COMMANDS])
def test_every_command_has_help(module, capsys):
    with pytest.raises(SystemExit) as leaving:
        main([module.NAME, "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert leaving.value.code == 0 and module.HELP in out and "exit codes:" in out


@pytest.mark.parametrize("module", COMMANDS, ids=[m.NAME for m in COMMANDS])
def test_every_command_is_documented_in_the_readme(module):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: command line (owner: cli) -->")[1].split("<!-- /section")[0]
    assert f"bahth {module.NAME}" in section


def test_every_option_has_help_text():
    from bahth.cli.main import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in subparsers.items():
        for action in sub._actions:
            assert action.help, f"bahth {name} {action.option_strings or action.dest} has no help"


@pytest.mark.parametrize("args, message", [
    (["search"], "the following arguments are required: QUERY"),
    (["search", "x", "--limit", "0"], "must be at least 1"),
    (["search", "x", "--filter", "source"], "expected KEY=VALUE"),
    (["frobnicate"], "invalid choice"),
    (["index", "seeds", "--format", "pdf"], "invalid choice"),
])
def test_usage_errors_exit_2(args, message):
    done = bahth(*args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------- index

def test_index_reports_each_bad_record_and_exits_3_after_indexing_the_good_ones(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "news.jsonl").write_text(
        '{"id": "a", "title": "بغداد", "body": "نص عن بغداد"}\n{broken\n{"id": "b", "title": "t", "body": "واشنطن"}\n',
        encoding="utf-8")
    directory = tmp_path / "ix"
    done = bahth("index", str(source), "--index", str(directory))
    assert done.returncode == 3
    assert f"{source / 'news.jsonl'}:2: " in done.stderr
    assert "2 added" in done.stderr and "1 failed" in done.stderr
    again = bahth("index", str(source), "--index", str(directory), "-q")
    # unchanged file: the same bad record again, the same exit (issue 10 item 16)
    assert again.returncode == 3 and again.stderr.strip() == f"{source / 'news.jsonl'}:2: " + done.stderr.split(":2: ")[1].splitlines()[0]


def test_index_is_incremental_and_quiet_with_q(seeds_index):
    done = bahth("index", str(SEEDS), "--index", str(seeds_index))
    assert done.returncode == 0 and "0 added" in done.stderr and "5 unchanged" in done.stderr
    assert bahth("index", str(SEEDS), "--index", str(seeds_index), "-q").stderr == ""


def test_index_of_a_missing_path_says_which(tmp_path):
    done = bahth("index", str(tmp_path / "nothing"), "--index", str(tmp_path / "ix"))
    # a usage error (issue 10 item 17): exit 2, and no index is created
    assert done.returncode == 2 and f"{tmp_path / 'nothing'}: " in done.stderr and not (tmp_path / "ix").exists()


def test_a_locked_index_is_a_one_line_error(tmp_path):
    from bahth.index import Indexer

    with Indexer(tmp_path / "ix"):
        done = bahth("index", str(SEEDS), "--index", str(tmp_path / "ix"))
    assert done.returncode == 2 and "locked" in done.stderr and len(done.stderr.splitlines()) == 1


# ---------------------------------------------------------------- missing index

@pytest.mark.parametrize("command", [["search", "الكاظمي"], ["stats"], ["run", "TOPICS"]])
def test_a_missing_index_is_one_line_with_the_command_to_build_it(command, tmp_path):
    if command[0] == "run":
        (tmp_path / "topics.tsv").write_text("1\tالكاظمي\n", encoding="utf-8")
        command = ["run", str(tmp_path / "topics.tsv")]
    done = bahth(*command, "--index", str(tmp_path / "none"))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == (f"bahth: error: no bahth index at {tmp_path / 'none'}; "
                                   f"build one with: bahth index PATH --index {tmp_path / 'none'}")


def test_the_default_index_comes_from_bahth_index(seeds_index):
    done = bahth("stats", "--json", env={"BAHTH_INDEX": str(seeds_index)})
    assert done.returncode == 0 and json.loads(done.stdout)["documents"] == 5


# ---------------------------------------------------------------- analyze, stats

def test_analyze_prints_each_token_with_offsets_normalized_form_and_term():
    done = bahth("analyze", "والكاظميّ", "في", "واشنطن")
    rows = [line.split() for line in done.stdout.splitlines()]
    assert done.returncode == 0
    assert rows == [["token", "offsets", "normalized", "term", "root"],
                    ["والكاظميّ", "0-9", "والكاظمي", "كاظم", "كظم"],
                    ["في", "10-12", "في", "stopword", "-"],
                    ["واشنطن", "13-19", "واشنطن", "واشنطن", "-"]]


def test_analyze_json():
    rows = json.loads(bahth("analyze", "--json", "في بغداد").stdout)
    assert rows == [{"token": "في", "start": 0, "end": 2, "normalized": "في", "term": None, "root": None, "lemma": None},
                    {"token": "بغداد", "start": 3, "end": 8, "normalized": "بغداد", "term": "بغداد", "root": "غدد",
                     "lemma": None}]


def test_stats(seeds_index):
    text = bahth("stats", "--index", str(seeds_index))
    document = json.loads(bahth("stats", "--index", str(seeds_index), "--json").stdout)
    assert text.returncode == 0 and "documents  5" in text.stdout
    assert set(document) == {"index", "documents", "terms", "size_bytes", "built", "settings", "sources", "categories"}
    assert document["documents"] == 5 and document["terms"] > 100 and document["settings"]["stemmer"] == "light10"


# ---------------------------------------------------------------- eval

@pytest.fixture
def trec_files(tmp_path) -> tuple[Path, Path]:
    qrels, run = tmp_path / "qrels", tmp_path / "run"
    qrels.write_text("1 0 d1 1\n1 0 d2 0\n2 0 d3 1\n", encoding="utf-8")
    run.write_text("1 Q0 d2 1 2.0 t\n1 Q0 d1 2 1.0 t\n2 Q0 d9 1 1.0 t\n", encoding="utf-8")
    return qrels, run


def test_eval_prints_the_metrics(trec_files):
    done = bahth("eval", *map(str, trec_files))
    assert done.returncode == 0
    assert done.stdout.splitlines()[:2] == ["MAP@10   0.2500", "MRR@10   0.2500"]


def test_eval_json_with_per_query_scores(trec_files):
    scores = json.loads(bahth("eval", *map(str, trec_files), "--json", "--per-query").stdout)
    assert scores["MRR@10"] == 0.25 and scores["per_query"]["1"]["MRR@10"] == 0.5


def test_eval_bad_run_file_names_the_line(trec_files):
    qrels, run = trec_files
    run.write_text("1 Q0 d2 1 2.0 t\n1 Q0 d1 x\n", encoding="utf-8")
    done = bahth("eval", str(qrels), str(run))
    assert done.returncode == 2 and f"{run}:2: expected" in done.stderr


def test_every_repl_command_is_documented_in_the_readme():
    from bahth.cli.repl.commands import COMMANDS as REPL_COMMANDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: repl (owner: cli) -->")[1].split("<!-- /section")[0]
    for command in REPL_COMMANDS:
        assert f"`:{command.name}" in section and command.help.split("$PAGER")[0] in section


# ---------------------------------------------------------------- search and run

HIT_KEYS = ["rank", "id", "score", "title", "source", "category", "date", "path", "url", "snippet", "highlights"]


def test_search_text_exit_0_with_header_and_snippet_lines(seeds_index):
    done = bahth("search", "الكاظمي", "واشنطن", "--index", str(seeds_index), "--limit", "2")
    lines = done.stdout.splitlines()
    assert done.returncode == 0 and "\x1b" not in done.stdout  # a pipe: no colour
    assert lines[0].startswith("  1. ") and lines[1].startswith("     ") and lines[2].startswith("  2. ")
    assert lines[4].startswith("1-2 of ")


def test_search_without_hits_exits_1(seeds_index):
    done = bahth("search", "xyzzyq", "--index", str(seeds_index))
    assert done.returncode == 1 and "no hits" in done.stdout


def test_search_json_schema_with_snippets_and_highlight_spans(seeds_index):
    done = bahth("search", "واشنطن", "--index", str(seeds_index), "--json", "--limit", "3", "--offset", "1")
    document = json.loads(done.stdout)
    assert done.returncode == 0
    assert list(document) == ["query", "total", "total_relation", "offset", "limit", "sort", "took_ms", "suggestion", "notices", "hits"]
    assert document["query"] == "واشنطن" and document["offset"] == 1 and document["limit"] == 3
    assert [hit["rank"] for hit in document["hits"]] == [2, 3, 4]
    for hit in document["hits"]:
        assert list(hit) == HIT_KEYS
        assert hit["highlights"] and all("واشنطن" in hit["snippet"][s:e] for s, e in hit["highlights"])


def test_search_jsonl_is_one_hit_per_line(seeds_index):
    done = bahth("search", "واشنطن", "--index", str(seeds_index), "--jsonl", "--limit", "2")
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [list(row) for row in rows] == [["query", *HIT_KEYS]] * 2 and rows[1]["rank"] == 2


def test_search_json_without_hits_still_prints_the_document_and_exits_1(seeds_index):
    done = bahth("search", "xyzzyq", "--index", str(seeds_index), "--json")
    assert done.returncode == 1 and json.loads(done.stdout)["hits"] == []


def test_search_bad_filter_is_a_usage_error(seeds_index):
    done = bahth("search", "واشنطن", "--index", str(seeds_index), "--filter", "author=x")
    assert done.returncode == 2 and done.stderr.startswith("bahth: error: unknown filter 'author'")
    assert len(done.stderr.splitlines()) == 1


def test_search_filter_by_source_narrows_hits(seeds_index):
    done = bahth("search", "واشنطن", "--index", str(seeds_index), "--filter", "source=nowhere")
    assert done.returncode == 1


def test_run_writes_a_trec_run_that_eval_reads(seeds_index, tmp_path):
    topics = tmp_path / "topics.tsv"
    topics.write_text("q1\tالكاظمي في واشنطن\nq2\txyzzyq\n", encoding="utf-8")
    done = bahth("run", str(topics), "--index", str(seeds_index), "--depth", "3", "--tag", "t1")
    rows = [line.split() for line in done.stdout.splitlines()]
    assert done.returncode == 0 and len(rows) == 3
    assert [(r[0], r[1], r[3], r[5]) for r in rows] == [("q1", "Q0", str(n), "t1") for n in (1, 2, 3)]
    run = tmp_path / "run"
    run.write_text(done.stdout, encoding="utf-8")
    qrels = tmp_path / "qrels"
    qrels.write_text(f"q1 0 {rows[0][2]} 1\n", encoding="utf-8")
    assert bahth("eval", str(qrels), str(run)).stdout.splitlines()[1] == "MRR@10   1.0000"


def test_search_past_the_last_page_exits_1_and_says_how_many_there_are(seeds_index):
    done = bahth("search", "واشنطن", "--index", str(seeds_index), "--offset", "50")
    assert done.returncode == 1 and done.stdout.startswith("no hits from 51 on (5 in all, ")


@pytest.mark.parametrize("args", [["run", "t.tsv", "--depth", "0"], ["index", "seeds", "--jobs", "0"],
                                  ["search", "x", "--offset", "-1"], ["search", "x", "--limit", "ten"]])
def test_numeric_options_are_checked_by_the_parser(args):
    done = bahth(*args)
    assert done.returncode == 2 and "usage: bahth" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("argv, expected", [
    ([], ["repl"]),
    (["--index", "d"], ["repl", "--index", "d"]),
    (["--bidi", "app"], ["repl", "--bidi", "app"]),
    (["--help"], ["--help"]),
    (["--version"], ["--version"]),
    (["search", "x"], ["search", "x"]),
])
def test_without_a_command_bahth_is_the_repl(argv, expected):
    from bahth.cli.main import with_default_command

    assert with_default_command(argv) == expected


def test_a_minus_word_is_a_query_operator_not_an_option(seeds_index):
    from bahth.cli.main import words_are_not_options

    assert words_are_not_options(["search", "-الكاظمي", "--limit", "1", "-q"]) == ["search", " -الكاظمي", "--limit", "1", "-q"]
    result = bahth("search", "بايدن", "-الكاظمي", "--json", "--index", str(seeds_index))
    assert json.loads(result.stdout)["query"] == "بايدن -الكاظمي"
