"""Does the OpenSearch cluster analyze Arabic exactly as bahth's Python chain does?

For each corpus, the texts go through the cluster's ``_analyze`` (analyzer ``bahth_arabic``, what
the index holds, stopwords as marked terms; or ``--analyzer`` bahth_arabic_search / _vocalized;
settings from ``bahth.index.analysis.export``) and through bahth's own chain
(``tokenize`` + ``term_maker``). A token is identical when its term, start and end agree.
OpenSearch counts offsets in UTF-16 code units and Python in code points: the Python offsets
are converted to UTF-16 before comparing (they point at the same characters of the original).

Corpora (from ../shared/data, read in place): the seeds, both Tanzil scripts (all 6,236 verses
each), ANT (title + text of every article) and the first 2,000 SaudiNewsNet articles (files in
name order). Every kind of mismatch is listed with a count and an example.

    python -m bench.opensearch_analysis_parity [--url URL] [--articles 2000] [--out FILE]

Without ``--url`` it starts its own 3-node cluster (opensearch/cluster.py, name "bench") and
stops it at the end.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bahth.index.analysis import export, tokenize
from bahth.index.analysis.terms import term_maker, normalize_vocalized
from bahth.index.formats import read_file
from bahth.index.formats.records import Record
from bench.collections import data_dir

ROOT = Path(__file__).resolve().parents[1]
CLUSTER = ROOT / "opensearch" / "cluster.py"
INDEX = "bahth-analysis-parity"
BATCH_CHARS = 200_000  # texts joined by newlines into _analyze calls of about this size

Token = tuple[str, int, int]


# --- the two sides ---------------------------------------------------------------------------------

def utf16_offsets(text: str) -> list[int]:
    """``offsets[i]`` = the UTF-16 offset of code point ``i`` (and of the end, at ``len(text)``)."""
    offsets, at = [0] * (len(text) + 1), 0
    for i, ch in enumerate(text):
        offsets[i] = at
        at += 2 if ord(ch) > 0xFFFF else 1
    offsets[len(text)] = at
    return offsets


def python_tokens(text: str, analyzer: str = export.ANALYZER) -> list[Token]:
    """bahth's chain on ``text``: (term, UTF-16 start, UTF-16 end) per term, in order."""
    u16 = utf16_offsets(text)
    if analyzer == export.VOCALIZED_ANALYZER:
        return [(normalize_vocalized(t.text), u16[t.start], u16[t.end]) for t in tokenize(text)]
    maker = term_maker()
    # bahth_arabic is what the index holds (stopwords as marked terms); bahth_arabic_search a query's terms.
    terms = maker.terms if analyzer == export.SEARCH_ANALYZER else maker.sequence_terms
    return [(term, u16[t.start], u16[t.end]) for t in tokenize(text) for term in terms(t.text)]


def python_positions(text: str) -> list[tuple[str, int]]:
    """(term, position) of bahth_arabic as the Whoosh chain gives them (ArabicAnalyzer, index mode)."""
    from bahth.index.analysis.chain import ArabicAnalyzer

    return [(t.text, t.pos) for t in ArabicAnalyzer()(text, positions=True, mode="index")]


class OpenSearch:
    """The few REST calls the parity check needs (urllib: no client library required)."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")

    def request(self, method: str, path: str, body: object | None = None) -> dict:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: HTTP {e.code}: {e.read().decode('utf-8', 'replace')[:2000]}") from None

    def create_analysis_index(self, name: str = INDEX) -> None:
        try:
            self.request("DELETE", f"/{name}")
        except RuntimeError:
            pass
        self.request("PUT", f"/{name}", {"settings": export.index_settings()})

    def positions(self, text: str, analyzer: str = export.ANALYZER, index: str = INDEX) -> list[tuple[str, int]]:
        found = self.request("POST", f"/{index}/_analyze", {"analyzer": analyzer, "text": text})
        return [(t["token"], t["position"]) for t in found["tokens"]]

    def analyze(self, text: str, analyzer: str = export.ANALYZER, index: str = INDEX) -> list[Token]:
        found = self.request("POST", f"/{index}/_analyze", {"analyzer": analyzer, "text": text})
        return [(t["token"], t["start_offset"], t["end_offset"]) for t in found["tokens"]]


# --- comparison --------------------------------------------------------------------------------------

@dataclass
class Tally:
    python: int = 0
    opensearch: int = 0
    identical: int = 0
    kinds: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)
    positions: int = 0  # with --positions: Python terms compared by (term, position), in order
    positions_identical: int = 0

    def add(self, other: "Tally") -> None:
        self.python += other.python
        self.opensearch += other.opensearch
        self.identical += other.identical
        self.positions += other.positions
        self.positions_identical += other.positions_identical
        self.kinds.update(other.kinds)
        for kind, example in other.examples.items():
            self.examples.setdefault(kind, example)


def _kind(py_term: str, os_term: str) -> str:
    """A mismatch of terms named by its first differing characters (e.g. 'U+0649 vs U+064A')."""
    i = next((i for i, (a, b) in enumerate(zip(py_term, os_term)) if a != b), min(len(py_term), len(os_term)))
    a = f"U+{ord(py_term[i]):04X}" if i < len(py_term) else "end"
    b = f"U+{ord(os_term[i]):04X}" if i < len(os_term) else "end"
    return f"term differs: Python {a} vs OpenSearch {b}"


def compare(text: str, py: Sequence[Token], found: Sequence[Token]) -> Tally:
    """Tokens matched by their span; identical = same term at the same span (as a multiset)."""
    tally = Tally(python=len(py), opensearch=len(found))
    by_span: dict[tuple[int, int], list[list[str]]] = {}
    for term, start, end in py:
        by_span.setdefault((start, end), [[], []])[0].append(term)
    for term, start, end in found:
        by_span.setdefault((start, end), [[], []])[1].append(term)
    u16 = text.encode("utf-16-le")
    for (start, end), (py_terms, os_terms) in by_span.items():
        common = Counter(py_terms) & Counter(os_terms)
        tally.identical += sum(common.values())
        py_rest = list((Counter(py_terms) - common).elements())
        os_rest = list((Counter(os_terms) - common).elements())
        surface = u16[2 * start:2 * end].decode("utf-16-le", "replace")
        for a, b in zip(py_rest, os_rest):
            _note(tally, _kind(a, b), f"{surface!r}: Python {a!r}, OpenSearch {b!r}")
        for a in py_rest[len(os_rest):]:
            _note(tally, "token only in Python" if not os_terms else "extra term in Python",
                  f"{surface!r} at {start}-{end}: {a!r}")
        for b in os_rest[len(py_rest):]:
            _note(tally, "token only in OpenSearch" if not py_terms else "extra term in OpenSearch",
                  f"{surface!r} at {start}-{end}: {b!r}")
    return tally


def _note(tally: Tally, kind: str, example: str) -> None:
    tally.kinds[kind] += 1
    tally.examples.setdefault(kind, example)


def batches(texts: Iterable[str], size: int = BATCH_CHARS) -> Iterator[str]:
    """Texts joined by newlines (no token crosses a newline) into batches of about ``size`` chars."""
    batch: list[str] = []
    length = 0
    for text in texts:
        batch.append(text)
        length += len(text) + 1
        if length >= size:
            yield "\n".join(batch)
            batch, length = [], 0
    if batch:
        yield "\n".join(batch)


def compare_positions(py: Sequence[tuple[str, int]], found: Sequence[tuple[str, int]]) -> Tally:
    """(term, position) pairs of both sides, in order: identical = same pair at the same index."""
    tally = Tally(positions=len(py))
    for i, (a, b) in enumerate(zip(py, found)):
        if a == b:
            tally.positions_identical += 1
        else:
            _note(tally, "position or term differs (in order)", f"#{i}: Python {a!r}, OpenSearch {b!r}")
    if len(py) != len(found):
        _note(tally, "a side has more positioned terms", f"Python {len(py):,}, OpenSearch {len(found):,}")
    return tally


def measure(client: OpenSearch, texts: Iterable[str], analyzer: str = export.ANALYZER,
            positions: bool = False) -> Tally:
    tally = Tally()
    for batch in batches(texts):
        tally.add(compare(batch, python_tokens(batch, analyzer), client.analyze(batch, analyzer)))
        if positions:  # the Whoosh chain (ArabicAnalyzer, index mode) against bahth_arabic's positions
            tally.add(compare_positions(python_positions(batch), client.positions(batch, export.ANALYZER)))
    return tally


# --- corpora -----------------------------------------------------------------------------------------

def _record_texts(records: Iterable[object]) -> Iterator[str]:
    for record in records:
        if isinstance(record, Record):
            yield from (t for t in (record.title, record.body) if t)


def corpora(data: Path, articles: int) -> dict[str, list[str]]:
    quran = data / "quran"
    texts = {"seeds": [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]}
    for script in ("simple", "uthmani"):
        lines = (quran / f"quran-{script}.txt").read_text(encoding="utf-8").splitlines()
        texts[f"Tanzil {script}"] = [line.split("|", 2)[2] for line in lines if line.count("|") >= 2
                                     and not line.startswith("#")]
    texts["ANT"] = [t for path in sorted((data / "ant").glob("*.trec")) for t in _record_texts(read_file(path))]
    news: list[dict] = []
    for path in sorted((data / "saudinewsnet").glob("*.json.gz")):
        news.extend(json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))[:articles - len(news)])
        if len(news) >= articles:
            break
    texts[f"SaudiNewsNet ({len(news):,} articles)"] = [t for a in news for t in (a.get("title"), a.get("content")) if t]
    return texts


# --- run ---------------------------------------------------------------------------------------------

def start_cluster(name: str = "bench") -> str:
    result = subprocess.run([sys.executable, str(CLUSTER), "start", "--name", name, "--fresh"], stdout=subprocess.PIPE,
                            text=True)
    if result.returncode != 0:
        raise SystemExit(f"could not start the cluster (exit {result.returncode})")
    return result.stdout.strip().splitlines()[-1]


def stop_cluster(name: str = "bench") -> None:
    subprocess.run([sys.executable, str(CLUSTER), "stop", "--name", name], check=False)


def report(results: dict[str, Tally], command: str, seconds: float) -> str:
    lines = [f"Command: `{command}` ({time.strftime('%Y-%m-%d')}, {seconds:.0f} s)", "",
             "| corpus | Python tokens | OpenSearch tokens | identical (term, start, end) | share |",
             "|---|---:|---:|---:|---:|"]
    total = Tally()
    for name, tally in results.items():
        total.add(tally)
    for name, tally in (*results.items(), ("**all**", total)):
        lines.append(f"| {name} | {tally.python:,} | {tally.opensearch:,} | {tally.identical:,} | "
                     f"{tally.identical / max(tally.python, 1):.4%} |")
    if total.positions:
        lines += ["", "| corpus | positioned terms (Whoosh chain) | identical (term, position) | share |",
                  "|---|---:|---:|---:|"]
        lines += [f"| {name} | {t.positions:,} | {t.positions_identical:,} | "
                  f"{t.positions_identical / max(t.positions, 1):.4%} |" for name, t in (*results.items(), ("**all**", total))]
    lines += ["", "Mismatches by kind (count, first example):", ""]
    if not total.kinds:
        lines.append("- none")
    for kind, count in total.kinds.most_common():
        lines.append(f"- {kind}: {count:,}; e.g. {total.examples[kind]}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an existing cluster with bahth's plugin (default: start one)")
    parser.add_argument("--data", type=Path, default=None, help="the corpora (default: $BAHTH_DATA or ../shared/data)")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--analyzer", default=export.ANALYZER, choices=[export.ANALYZER, export.SEARCH_ANALYZER, export.VOCALIZED_ANALYZER])
    parser.add_argument("--positions", action="store_true",
                        help="also compare bahth_arabic's (term, position) with the Whoosh chain's")
    parser.add_argument("--out", type=Path, help="also write the report (markdown) here")
    args = parser.parse_args(argv)
    args.data = args.data or data_dir()
    if not (args.data / "quran").is_dir():
        raise SystemExit(f"the corpora are not at {args.data} (see ../shared/data/README.md)")
    texts = corpora(args.data, args.articles)
    url = args.url or start_cluster()
    began = time.monotonic()
    try:
        client = OpenSearch(url)
        client.create_analysis_index()
        results = {name: measure(client, corpus, args.analyzer, args.positions) for name, corpus in texts.items()}
    finally:
        if not args.url:
            stop_cluster()
    command = "python -m bench.opensearch_analysis_parity " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(results, command.strip(), time.monotonic() - began)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
