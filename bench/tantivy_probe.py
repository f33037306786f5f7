"""Parity and speed probe: the tantivy backend beside bahth's Whoosh index, in one run.

    nice .venv/bin/python bench/tantivy_probe.py [--quran] [--saudi] [--work DIR]

On ANT (10,161 articles, read with `bahth.index.formats.read_file`):
- builds the Whoosh index with bahth's `Indexer` (jobs=1) and a tantivy index with
  `TantivyWriter` (threads=1) from the same records and the same analysis (`analyze_text` with
  the index's TermMaker; the analysis time is reported apart from tantivy's own time);
- compiles ~100 queries to plans by hand (the query compiler does not emit plans yet):
  one-word (body OR title x2, as bahth's compiler weights them), multi-word OR, AND, exact
  phrases and phrases with one gap (slop 2) taken from the corpus itself, and NOT;
- per query: the matching id sets (must be identical), top-10 overlap (Whoosh ranked with
  bahth's first-pass BM25F (the Whoosh adapter's `weighting()`), tantivy with its BM25), and the
  latency of top-10 + exact count + stored fields of the 10 hits (p50/p95; after one untimed
  run of each, best of 3);
- highlight parity: in every document a query matches, the (position, start, end) of every
  body term in Whoosh's postings against the tantivy span table;
- the cost of `TantivyReader.spans` (offsets of the query terms from the stored pieces) per hit.
(Superseded for parity by bench/tantivy_parity.py, which goes through Engine with query strings;
this probe's "span table" column now measures the stored pieces strings.)
With ``--quran``: the same parity probe on the Uthmani Qur'an (6,236 verses, fully vocalized).
With ``--saudi``: tantivy's build time for the 31,030 SaudiNewsNet articles, analysis apart.
Data is read in place from ../shared/data (or $BAHTH_DATA), never copied.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("BAHTH_DATA", ROOT.parent / "shared" / "data"))
if not DATA.is_dir():
    DATA = Path("/work/shared/data")

from bahth.index.backend import plan as p  # noqa: E402
from bahth.index.backend.tantivy import TantivyReader, TantivyWriter  # noqa: E402
from bahth.index.backend.tantivy.lower import is_exact  # noqa: E402
from bahth.index.backend.whoosh.lower import lower as whoosh_lower  # noqa: E402
from bahth.index.formats import Failure, iter_source_files, read_file  # noqa: E402
from bahth.index.indexer import Indexer  # noqa: E402
from bahth.index.store import open_index  # noqa: E402
from bahth.index.workers import document_fields  # noqa: E402
from bahth.index.backend.whoosh.reader import WhooshReader, weighting  # noqa: E402
from bahth.search.ranking import doc_positions  # noqa: E402

TITLE_BOOST = 2.0  # bahth's compiler weights title terms x2 (search.ranking.RankingParams.title_boost)


def records(corpus: Path) -> Iterator[dict[str, Any]]:
    files, _left_out = iter_source_files(corpus)
    for path in files:
        for record in read_file(path):
            if not isinstance(record, Failure):
                yield document_fields(record, str(path))


def word(term: str) -> p.Plan:
    return p.Or((p.Term("body", term), p.Term("title", term, TITLE_BOOST)))


def make_queries(docs: list[Any], reader: TantivyReader, rng: random.Random) -> list[tuple[str, p.Plan]]:
    """~100 plans by hand, from the corpus's own vocabulary and word sequences."""
    vocab = [t for t, df in reader.terms_with_prefix("body", "") if 3 <= df and len(t) >= 3]
    common = [t for t, df in reader.terms_with_prefix("body", "") if df >= 200 and len(t) >= 3]
    rng.shuffle(vocab)
    queries: list[tuple[str, p.Plan]] = []
    for t in vocab[:30]:
        queries.append(("word", word(t)))
    for i in range(20):
        queries.append(("or", p.Or(tuple(word(t) for t in vocab[30 + 3 * i: 33 + 3 * i]))))
    for i in range(20):
        a, b = rng.sample(common, 2)
        queries.append(("and", p.And((word(a), word(b)))))
    bodies = [d for d in docs if len(d.tokens["body"]) > 20]
    for i in range(20):
        toks = rng.choice(bodies).tokens["body"]
        start = rng.randrange(len(toks) - 4)
        n = 2 + i % 2
        seq = toks[start:start + n]
        gaps = [b[1] - a[1] for a, b in zip(seq, seq[1:])]
        slop = max(1, *gaps) + (i % 4 == 0)  # every 4th: one more gap allowed
        queries.append((f"phrase~{slop}", p.Phrase("body", tuple(t[0] for t in seq), slop=slop)))
    for i in range(10):
        a, b = rng.sample(common, 2)
        queries.append(("not", p.AndNot(word(a), word(b))))
    return queries


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def cpu_timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process and its threads, result)."""
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, time.process_time() - c0, out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _analyze_and_load(tdir: Path, fields: list[Any]) -> tuple[float, float, float, float, list[Any]]:
    """(analysis wall, analysis CPU, build wall, build CPU, analyzed docs): one tantivy index
    written from `fields`, the two stages timed apart."""
    writer = TantivyWriter(tdir, threads=1)
    t_analysis, c_analysis, docs = cpu_timed(lambda: [writer.analyze(f) for f in fields])

    def load() -> None:
        for d in docs:
            writer.add(d)
        writer.commit()
        writer.close()
    t_build, c_build, _ = cpu_timed(load)
    return t_analysis, c_analysis, t_build, c_build, docs


def probe(name: str, corpus: Path, work: Path, rng: random.Random) -> dict[str, Any]:
    wdir, tdir = work / f"{name}-whoosh", work / f"{name}-tantivy"
    t_read, fields = timed(lambda: list(records(corpus)))
    t_whoosh, c_whoosh, _ = cpu_timed(lambda: _build_whoosh(wdir, corpus))
    t_analysis, c_analysis, t_tantivy, c_tantivy, docs = _analyze_and_load(tdir, fields)
    first_open, first_query = _first_query(tdir)
    reader = TantivyReader(tdir)
    queries = make_queries(docs, reader, rng)

    wix = open_index(wdir)
    rows = []
    with wix.searcher(weighting=weighting()) as ws:
        for kind, plan in queries:
            wq = whoosh_lower(plan)
            w_ids = {ws.stored_fields(n)["id"] for n in wq.docs(ws)}
            t_ids = {f["id"] for f in reader.stored(reader.top(plan, max(1, len(w_ids) + 10)))}

            def whoosh_run() -> list[str]:
                res = ws.search(wq, limit=10)
                len(res)  # exact count
                return [hit["id"] for hit in res]

            def tantivy_run() -> list[str]:
                hits = reader.top(plan, 10)
                reader.count(plan)
                return [f["id"] for f in reader.stored(hits)]

            body_terms = [t.text for t in p.terms_of(plan) if t.field == "body"]

            def tantivy_with_spans() -> None:
                hits = reader.top(plan, 10)
                reader.count(plan)
                for hit, fields in zip(hits, reader.stored(hits)):
                    reader.spans(hit, "body", body_terms, stored=fields)
            w_times, t_times, s_times = [], [], []
            whoosh_run(), tantivy_run()  # warm both: the first of three runs otherwise pays for the other engine
            for _ in range(3):
                tw, w_top = timed(whoosh_run)
                tt, t_top = timed(tantivy_run)
                ts, _ = timed(tantivy_with_spans)
                w_times.append(tw)
                t_times.append(tt)
                s_times.append(ts)
            overlap = len(set(w_top) & set(t_top)) / max(1, min(10, len(w_ids)))
            rows.append({"kind": kind, "same": w_ids == t_ids, "n": len(w_ids), "overlap": overlap,
                         "exact": is_exact(plan), "whoosh_s": min(w_times), "tantivy_s": min(t_times),
                         "spans_s": min(s_times)})
        highlights = _highlight_parity(ws, reader, queries)
    return {"name": name, "highlights": highlights, "docs": len(fields), "read_s": t_read, "whoosh_build_s": t_whoosh, "analysis_s": t_analysis,
            "tantivy_build_s": t_tantivy, "whoosh_cpu_s": c_whoosh, "analysis_cpu_s": c_analysis,
            "tantivy_cpu_s": c_tantivy, "rows": rows, "span_us_per_hit": _span_cost(reader, queries),
            "first_open_s": first_open,
            "span_mb": sum(len(t.encode()) for d in docs for _n, t in d.texts if isinstance(t, str)) / 1e6, "first_query_s": first_query,
            "whoosh_mb": _size(wdir), "tantivy_mb": _size(tdir)}


def _build_whoosh(wdir: Path, corpus: Path) -> None:
    with Indexer(wdir, jobs=1) as indexer:
        indexer.add_paths([corpus])


def _highlight_parity(ws: Any, reader: TantivyReader, queries: list[tuple[str, p.Plan]]) -> tuple[int, int]:
    """(documents checked, documents where every body term of the query has the same
    (position, start, end) list in Whoosh's postings and in the tantivy span table), over
    every document each query matches."""
    checked = same = 0
    for _kind, plan in queries:
        terms = sorted({t.text for t in p.terms_of(plan) if t.field == "body"})
        docnums = sorted(whoosh_lower(plan).docs(ws))
        whoosh = {t: doc_positions(WhooshReader(ws), "body", t, docnums, "characters") for t in terms}
        for docnum in docnums:
            (hit,) = reader.top(p.Term("id", ws.stored_fields(docnum)["id"]), 1)
            ours = reader.spans(hit, "body", terms)
            checked += 1
            same += all([tuple(x) for x in whoosh[t].get(docnum, [])] == ours[t] for t in terms)
    return checked, same


def _first_query(tdir: Path) -> tuple[float, float]:
    """Seconds to open a fresh reader, and of its first query (top 10, count, stored)."""
    opened, reader = timed(lambda: TantivyReader(tdir))
    plan = word(reader.terms_with_prefix("body", "", limit=1)[0][0])
    elapsed, _ = timed(lambda: (reader.top(plan, 10), reader.count(plan), reader.stored(reader.top(plan, 10))))
    return opened, elapsed


def _span_cost(reader: TantivyReader, queries: list[tuple[str, p.Plan]]) -> tuple[float, float, bool]:
    """Microseconds per hit for the body spans of the query terms: (stored span table,
    analysis of the stored text again, whether both always agree)."""
    table = again = 0.0
    hits_seen, agree = 0, True
    for _kind, plan in queries:
        terms = [t.text for t in p.terms_of(plan) if t.field == "body"]
        hits = reader.top(plan, 10)
        stored = reader.stored(hits)
        t0 = time.perf_counter()
        from_table = [reader.spans(hit, "body", terms, stored=fields) for hit, fields in zip(hits, stored)]
        t1 = time.perf_counter()
        from_text = [reader.spans_by_analysis(fields.get("body", ""), terms) for fields in stored]
        t2 = time.perf_counter()
        table, again = table + t1 - t0, again + t2 - t1
        agree = agree and from_table == from_text
        hits_seen += len(hits)
    return 1e6 * table / max(1, hits_seen), 1e6 * again / max(1, hits_seen), agree


def probe_saudi(work: Path) -> dict[str, Any]:
    tdir = work / "saudi-tantivy"
    t_read, fields = timed(lambda: list(records(DATA / "saudinewsnet")))
    t_analysis, c_analysis, t_build, c_build, docs = _analyze_and_load(tdir, fields)
    feed = {mode: _feed_cpu(work / f"feed-{mode}", docs[:FEED_SAMPLE], mode == "pretokenized")
            for mode in ("joined", "pretokenized")}
    return {"docs": len(fields), "read_s": t_read, "analysis_s": t_analysis, "tantivy_build_s": t_build,
            "analysis_cpu_s": c_analysis, "tantivy_cpu_s": c_build, "tantivy_mb": _size(tdir), "feed": feed}


FEED_SAMPLE = 5000


def _feed_cpu(tdir: Path, docs: list[Any], pretokenized: bool) -> float:
    """CPU seconds to feed and commit ``docs`` through one of the writer's two paths."""
    writer = TantivyWriter(tdir, threads=1, pretokenized=pretokenized)

    def load() -> None:
        for d in docs:
            writer.add(d)
        writer.commit()
        writer.close()
    return cpu_timed(load)[1]


def _size(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def report(ant: dict[str, Any]) -> str:
    rows = ant["rows"]
    out = [f"{ant['name']}: {ant['docs']} documents, {len(rows)} queries ({date.today().isoformat()})", "",
           "| | build wall (CPU) | index size | p50 | p95 |", "|---|---:|---:|---:|---:|"]
    for name, key in (("bahth Indexer (Whoosh), jobs=1", "whoosh"), ("tantivy writer, threads=1", "tantivy")):
        times = [r[f"{key}_s"] * 1000 for r in rows]
        build = f"{ant[f'{key}_build_s']:.1f} s ({ant[f'{key}_cpu_s']:.1f} s)"
        if key == "tantivy":
            build += f" + analysis {ant['analysis_s']:.1f} s ({ant['analysis_cpu_s']:.1f} s)"
        out.append(f"| {name} | {build} | {ant[f'{key}_mb']:.1f} MB | {pct(times, .5):.2f} ms | {pct(times, .95):.2f} ms |")
    with_spans = [r["spans_s"] * 1000 for r in rows]
    out.append(f"| tantivy + body spans of the 10 hits | | | {pct(with_spans, .5):.2f} ms | {pct(with_spans, .95):.2f} ms |")
    out += ["", "| kind | queries | same documents | mean top-10 overlap | median matches | Whoosh p50 | tantivy p50 |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for kind in sorted({r["kind"] for r in rows}):
        sub = [r for r in rows if r["kind"] == kind]
        out.append(f"| {kind} | {len(sub)} | {sum(r['same'] for r in sub)}/{len(sub)} | "
                   f"{statistics.mean(r['overlap'] for r in sub):.2f} | {statistics.median(r['n'] for r in sub):.0f} | "
                   f"{pct([r['whoosh_s'] * 1000 for r in sub], .5):.2f} ms | "
                   f"{pct([r['tantivy_s'] * 1000 for r in sub], .5):.2f} ms |")
    same = sum(r["same"] for r in rows)
    out += ["", f"Identical matching sets: {same}/{len(rows)}; all plans exact: {all(r['exact'] for r in rows)}; "
                f"mean top-10 overlap {statistics.mean(r['overlap'] for r in rows):.2f}; "
                f"first query of a fresh tantivy reader: open {1000 * ant['first_open_s']:.1f} ms + query "
                f"{1000 * ant['first_query_s']:.1f} ms.",
                f"Body spans per hit: stored span table {ant['span_us_per_hit'][0]:.0f} us, analyzing the stored "
                f"text again {ant['span_us_per_hit'][1]:.0f} us; identical: {ant['span_us_per_hit'][2]}; "
                f"span tables {ant['span_mb']:.1f} MB before tantivy's store compression.",
                f"Highlight offsets (body terms of each query in every document it matches): identical to Whoosh's "
                f"postings in {ant['highlights'][1]}/{ant['highlights'][0]} documents."]
    return "\n".join(out)


def report_saudi(saudi: dict[str, Any]) -> str:
    out: list[str] = []
    if saudi:
        out += ["", f"SaudiNewsNet: {saudi['docs']} articles: reading {saudi['read_s']:.1f} s, bahth analysis "
                    f"{saudi['analysis_s']:.1f} s wall ({saudi['analysis_cpu_s']:.1f} s CPU), tantivy build "
                    f"(threads=1, commit included) {saudi['tantivy_build_s']:.1f} s wall "
                    f"({saudi['tantivy_cpu_s']:.1f} s CPU), index {saudi['tantivy_mb']:.0f} MB.",
                f"Feeding the first {FEED_SAMPLE} analyzed articles (CPU, commit included): terms joined by "
                f"spaces {saudi['feed']['joined']:.2f} s, pre-tokenized {saudi['feed']['pretokenized']:.2f} s."]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saudi", action="store_true", help="also time tantivy on SaudiNewsNet (31k)")
    parser.add_argument("--quran", action="store_true", help="also the parity probe on the Uthmani Qur'an")
    parser.add_argument("--work", type=Path, default=None, help="where to build (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    if not (DATA / "ant").is_dir():
        sys.exit(f"ANT not found under {DATA} (set BAHTH_DATA)")
    work = args.work or Path(tempfile.mkdtemp(prefix="tantivy-probe-"))
    try:
        corpora = [("ANT", DATA / "ant")]
        if args.quran:
            corpora.append(("Uthmani Qur'an", DATA / "quran" / "quran-uthmani.txt"))
        for name, corpus in corpora:
            result = probe(name, corpus, work, random.Random(args.seed))
            print(report(result) + "\n", flush=True)
            for r in result["rows"]:
                if not r["same"]:
                    print("DIFFERENT:", name, r, file=sys.stderr)
        if args.saudi:
            print(report_saudi(probe_saudi(work)))
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
