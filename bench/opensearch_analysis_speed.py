"""What bahth's analysis chain costs inside OpenSearch, against OpenSearch's own analyzers.

The same SaudiNewsNet text goes through ``_analyze`` with, in turns (rounds interleaved, so
load on this shared machine hits every variant alike): OpenSearch's ``standard`` analyzer,
its ``arabic`` analyzer (Lucene's normalization, stopwords, light stemmer), bahth's tokenizer
alone, the tokenizer + the normalization filters, and the whole ``bahth_arabic`` analyzer.
``_analyze`` builds a JSON token list, so the absolute rates are below those of indexing; the
ratios between variants are what this measures.

    python -m bench.opensearch_analysis_speed [--url URL] [--articles 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from collections.abc import Sequence

from bahth.index.analysis import export
from bench.collections import data_dir
from bench.opensearch_analysis_parity import INDEX, OpenSearch, start_cluster, stop_cluster


def news_text(articles: int) -> str:
    texts: list[str] = []
    for path in sorted((data_dir() / "saudinewsnet").glob("*.json.gz")):
        for article in json.loads(gzip.decompress(path.read_bytes()).decode("utf-8")):
            texts.append(article.get("content") or "")
            if len(texts) >= articles:
                return "\n".join(texts)
    return "\n".join(texts)


def variants() -> dict[str, dict]:
    chain = export.analysis_settings()["analyzer"][export.ANALYZER]["filter"]
    normalize_only = chain[:chain.index("bahth_split")]
    return {
        "standard (OpenSearch)": {"analyzer": "standard"},
        "arabic (OpenSearch, Lucene)": {"analyzer": "arabic"},
        "bahth_tokenizer only": {"tokenizer": export.TOKENIZER},
        "bahth_tokenizer + normalization": {"tokenizer": export.TOKENIZER, "filter": normalize_only},
        "bahth_arabic (whole chain)": {"analyzer": export.ANALYZER},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an existing cluster with bahth's plugin (default: start one)")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    text = news_text(args.articles)
    url = args.url or start_cluster()
    try:
        client = OpenSearch(url)
        client.create_analysis_index()
        seconds: dict[str, list[float]] = {name: [] for name in variants()}
        tokens: dict[str, int] = {}
        for _ in range(args.rounds + 1):  # the first round warms the JVM up and is not counted
            for name, request in variants().items():
                began = time.perf_counter()
                found = client.request("POST", f"/{INDEX}/_analyze", {**request, "text": text})
                seconds[name].append(time.perf_counter() - began)
                tokens[name] = len(found["tokens"])
    finally:
        if not args.url:
            stop_cluster()
    command = "python -m bench.opensearch_analysis_speed " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"Command: `{command.strip()}` ({time.strftime('%Y-%m-%d %H:%M')}, {len(text):,} characters, "
          f"median of {args.rounds} rounds)\n")
    print("| analyzer | tokens | median s | tokens/s | x standard |\n|---|---:|---:|---:|---:|")
    base = statistics.median(seconds["standard (OpenSearch)"][1:])
    for name, times in seconds.items():
        median = statistics.median(times[1:])
        print(f"| {name} | {tokens[name]:,} | {median:.2f} | {tokens[name] / median:,.0f} | {median / base:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
