"""Issue 10 item 20 through the real `bahth` command: --color, --count, --fields, shell
completion scripts, the REPL config file."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.test_cli_commands import bahth, seeds_index  # noqa: F401 - the shared fixture

ANSI = "\x1b["


@pytest.mark.parametrize("choice, coloured", [("always", True), ("never", False), ("auto", False)])
def test_color_choice_for_search_stats_and_analyze(seeds_index, choice, coloured):  # noqa: F811
    for args in (["search", "واشنطن", "--index", str(seeds_index)], ["stats", "--index", str(seeds_index)],
                 ["analyze", "الكاظمي"]):
        done = bahth(*args, f"--color={choice}")  # stdout is a pipe: auto means no colour
        assert done.returncode == 0 and (ANSI in done.stdout) is coloured, args


def test_color_always_does_not_lay_out_a_pipe(seeds_index):  # noqa: F811
    plain = bahth("search", "واشنطن", "--index", str(seeds_index), "--color", "never").stdout.splitlines()
    coloured = bahth("search", "واشنطن", "--index", str(seeds_index), "--color", "always").stdout.splitlines()
    assert len(plain) == len(coloured)


def test_count_prints_only_the_total(seeds_index):  # noqa: F811
    full = json.loads(bahth("search", "واشنطن", "--index", str(seeds_index), "--json").stdout)
    done = bahth("search", "واشنطن", "--index", str(seeds_index), "--count")
    assert done.returncode == 0 and done.stdout == f"{full['total']}\n"
    counted = json.loads(bahth("search", "واشنطن", "--index", str(seeds_index), "--count", "--json").stdout)
    assert counted == {"query": "واشنطن", "total": full["total"], "total_relation": "eq"}
    none = bahth("search", "xyzzyq", "--index", str(seeds_index), "--count")
    assert none.returncode == 1 and none.stdout == "0\n"


def test_fields_choose_the_json_keys(seeds_index):  # noqa: F811
    document = json.loads(bahth("search", "واشنطن", "--index", str(seeds_index), "--json",
                                "--fields", "id,score,title").stdout)
    assert document["hits"] and all(list(hit) == ["id", "score", "title"] for hit in document["hits"])
    rows = bahth("search", "واشنطن", "--index", str(seeds_index), "--jsonl", "--fields", "rank,id").stdout
    assert all(list(json.loads(row)) == ["query", "rank", "id"] for row in rows.splitlines())


@pytest.mark.parametrize("args, message", [
    (["--json", "--fields", "id,nope"], "unknown hit field(s) nope"),
    (["--fields", "id"], "--fields chooses JSON keys"),
])
def test_bad_fields_are_usage_errors(seeds_index, args, message):  # noqa: F811
    done = bahth("search", "واشنطن", "--index", str(seeds_index), *args)
    assert done.returncode == 2 and message in done.stderr


def _bash_complete(script: str, *words: str) -> list[str]:
    line = " ".join(f"'{w}'" if w else '""' for w in words)
    done = subprocess.run(["bash", "-c", f'{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _bahth; '
                                         'printf "%s\\n" "${COMPREPLY[@]}"'], capture_output=True, text=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("words, expected", [
    (("bahth", "se"), ["search"]),
    (("bahth", "search", "x", "--so"), ["--sort"]),
    (("bahth", "search", "x", "--sort", ""), ["relevance", "date", "-date"]),
    (("bahth", "repl", "--bidi", "a"), ["auto", "app"]),
    (("bahth", "search", "x", "--color", ""), ["auto", "always", "never"]),
])
def test_bash_completion(words, expected):
    script = bahth("completion", "bash").stdout
    assert _bash_complete(script, *words) == expected


def test_zsh_and_fish_scripts_name_every_command():
    zsh, fish = bahth("completion", "zsh").stdout, bahth("completion", "fish").stdout
    assert "bashcompinit" in zsh and "_bahth" in zsh
    for command in ("index", "search", "repl", "analyze", "stats", "run", "eval", "completion"):
        assert f"-a {command} " in fish
    assert "-l sort -xa 'relevance date -date'" in fish


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_script_loads_in_its_shell_when_installed(shell):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    script = bahth("completion", shell).stdout
    done = subprocess.run([shell, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------- config file

def test_config_file_sets_repl_defaults(seeds_index, tmp_path):  # noqa: F811
    config = tmp_path / "config.toml"
    config.write_text(f'[repl]\nindex = "{seeds_index}"\nlimit = 2\nsort = "-date"\ncolor = "never"\n',
                      encoding="utf-8")
    done = bahth("repl", stdin="واشنطن\n", env={"BAHTH_CONFIG": str(config), "BAHTH_INDEX": ""})
    assert done.returncode == 0 and "1-2 of" in done.stdout


@pytest.mark.parametrize("text, message", [
    ("[repl]\nlimit = 0\n", "repl.limit must be a whole number >= 1"),
    ("[repl]\nbidi = 'sideways'\n", "repl.bidi must be auto | terminal | app | off"),
    ("[repl]\ncolour = 'never'\n", "unknown key repl.colour"),
    ("[repl\n", "config file"),
])
def test_a_bad_config_file_is_a_usage_error_naming_it(tmp_path, text, message):
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    done = bahth("repl", "--index", str(tmp_path), stdin="x\n", env={"BAHTH_CONFIG": str(config)})
    assert done.returncode == 2 and message in done.stderr and str(config) in done.stderr


def test_command_line_options_beat_the_config_file(seeds_index, tmp_path):  # noqa: F811
    config = tmp_path / "config.toml"
    config.write_text('[repl]\nindex = "/nonexistent/ix"\n', encoding="utf-8")
    done = bahth("repl", "--index", str(seeds_index), stdin="واشنطن\n", env={"BAHTH_CONFIG": str(config)})
    assert done.returncode == 0 and "of" in done.stdout
