"""The REPL's defaults from a config file: `$BAHTH_CONFIG`, else
`$XDG_CONFIG_HOME/bahth/config.toml` (usually `~/.config/bahth/config.toml`).

```toml
[repl]
index = "~/news-index"   # the index to open (else $BAHTH_INDEX, else the default)
limit = 20               # hits per page
sort = "-date"           # relevance | date | -date
bidi = "app"             # auto | terminal | app | off
shape = false            # with bidi = "app": shape Arabic letters
color = "never"          # auto | always | never

[index]
backend = "opensearch"   # whoosh | tantivy | opensearch (else $BAHTH_BACKEND, else the folder's)
url = "https://search.example.org:9200"   # the cluster (else $BAHTH_URL)
name = "news"            # the OpenSearch index (else $BAHTH_NAME, else "bahth")
```

Options on the command line win over the file; a missing file is no error; a bad one is a
UsageError naming the file and the key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bahth.cli import bidi
from bahth.cli.render import COLOR_CHOICES
from bahth.index.backend.location import BACKENDS
from bahth.index.errors import UsageError
from bahth.search.results import SORTS


@dataclass
class ReplDefaults:
    index: Path | None = None
    limit: int = 10
    sort: str = "relevance"
    bidi: str = "auto"
    shape: bool = False
    color: str = "auto"


# key -> (check, what it must be): one row per setting.
RULES = {
    "index": (lambda v: isinstance(v, str) and v.strip() != "", "a directory path"),
    "limit": (lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1, "a whole number >= 1"),
    "sort": (lambda v: v in SORTS, " | ".join(SORTS)),
    "bidi": (lambda v: v in bidi.MODES, " | ".join(bidi.MODES)),
    "shape": (lambda v: isinstance(v, bool), "true or false"),
    "color": (lambda v: v in COLOR_CHOICES, " | ".join(COLOR_CHOICES)),
}


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("BAHTH_CONFIG"):
        return Path(env["BAHTH_CONFIG"]).expanduser()
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "bahth" / "config.toml"


def load_repl_defaults(env: Mapping[str, str] | None = None) -> ReplDefaults:
    defaults = ReplDefaults()
    for key, value in checked_table(env, "repl", RULES).items():
        setattr(defaults, key, Path(value).expanduser() if key == "index" else value)
    return defaults


def checked_table(env: Mapping[str, str] | None, table: str, rules: dict) -> dict:
    """The config file's `[table]`, every key known and every value as `rules` want it ({}
    without a file or the table); UsageError naming the file and the key otherwise."""
    path = config_path(env)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"config file {path}: {error}") from None
    section = data.get(table, {})
    if not isinstance(section, dict):
        raise UsageError(f"config file {path}: [{table}] must be a table")
    for key, value in section.items():
        if key not in rules:
            raise UsageError(f"config file {path}: unknown key {table}.{key} (known: {', '.join(rules)})")
        check, wanted = rules[key]
        if not check(value):
            raise UsageError(f"config file {path}: {table}.{key} must be {wanted}, got {value!r}")
    return dict(section)


# [index] key -> (check, what it must be): where every command finds its index by default.
INDEX_RULES = {
    "backend": (lambda v: v in BACKENDS, " | ".join(BACKENDS)),
    "url": (lambda v: isinstance(v, str) and v.strip() != "", "a URL"),
    "name": (lambda v: isinstance(v, str) and v.strip() != "", "an index name"),
}


def load_index_defaults(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The config file's [index] table, checked ({} without a file or a table)."""
    return checked_table(env, "index", INDEX_RULES)
