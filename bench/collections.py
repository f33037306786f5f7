"""Loaders for the retrieval test collections in ../shared/data (plain data, no Whoosh).

The data is licensed and never copied into the repository: it is read where it lies,
``$BAHTH_DATA`` or ``shared/data`` beside the project's root. When it is absent the
loaders raise ``DataMissing`` (an ``InputError``) naming the path, so that benchmarks
stop with a clear message and tests can skip.

- Qur'an QA 2023 task A: 1,266 passages (id = the ``sura:start-end`` field), questions
  of the train (174) and dev (25) splits, TREC qrels where docid ``-1`` marks a question
  with no answer in the Qur'an (score with ``evaluate(..., no_answer=True)``).
  ``quranqa-pooled`` is train + dev (199 questions), the unit of the evaluation protocol
  (DEVELOPERS.md, "Measuring quality honestly").
- ARCD train: the collection is the 460 distinct paragraphs of train AND test
  (``arcd/arcd-paragraphs.tsv``, the collection of the Lucene reference); each train
  question's one relevant document is the paragraph it was asked about.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from bahth.index.errors import InputError
from bahth.search.evaluate import Qrels, read_qrels, read_topics

QURANQA_SPLITS = ("train", "dev", "pooled")  # pooled = train + dev
ARCD_SPLITS = ("train",)
_QQA_DIR = "quranqa2023"
_QQA_PASSAGES = "QQA23_TaskA_QPC_v1.1.tsv"
_QQA_TOPICS = "QQA23_TaskA_ayatec_v1.2_{split}.tsv"
_QQA_QRELS = "qrels/QQA23_TaskA_ayatec_v1.2_qrels_{split}.gold"
_ARCD_FILE = "arcd/arcd-{split}.json"
_ARCD_PARAGRAPHS = "arcd/arcd-paragraphs.tsv"
NAMES = ("quranqa-dev", "quranqa-train", "quranqa-pooled", "arcd-train")


class DataMissing(InputError):
    """A test collection file is not where it should be."""


@dataclass(frozen=True)
class Collection:
    """Documents, queries and judgments of one split, ready to index and evaluate."""

    name: str
    docs: dict[str, str]  # docid -> text, in file order
    topics: list[tuple[str, str]]  # (qid, question), in file order
    qrels: Qrels
    no_answer: bool = False  # score with the Qur'an QA no-answer convention

    def question(self, qid: str) -> str:
        return dict(self.topics).get(qid, "")


def data_dir() -> Path:
    """``$BAHTH_DATA``, else ``shared/data`` beside the project's root (or beside a folder
    above it, for a git worktree such as ``/work/wt/NAME``)."""
    override = os.environ.get("BAHTH_DATA")
    if override:
        return Path(override)
    root = Path(__file__).resolve().parents[1]
    for folder in root.parents:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return root.parent / "shared" / "data"


def _require(path: Path) -> Path:
    if not path.is_file():
        raise DataMissing(str(path), "test collection file not found (set BAHTH_DATA to the shared data folder)")
    return path


def _check_split(split: str, splits: tuple[str, ...], what: str) -> None:
    if split not in splits:
        raise InputError(what, f"unknown split {split!r}; one of {', '.join(splits)}")


# --- Qur'an QA 2023 ------------------------------------------------------------------


def quranqa_passages(root: Path | None = None) -> dict[str, str]:
    """``{"2:1-5": text, ...}`` for the 1,266 thematic passages."""
    path = _require((root or data_dir()) / _QQA_DIR / _QQA_PASSAGES)
    passages: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        pid, tab, text = line.partition("\t")
        if not tab:
            raise InputError(str(path), "expected 'sura:start-end<TAB>text'", number)
        passages[pid.strip()] = text.strip()
    return passages


def quranqa_topics(split: str, root: Path | None = None) -> list[tuple[str, str]]:
    _check_split(split, QURANQA_SPLITS, "Qur'an QA")
    if split == "pooled":
        return quranqa_topics("train", root) + quranqa_topics("dev", root)
    return read_topics(_require((root or data_dir()) / _QQA_DIR / _QQA_TOPICS.format(split=split)))


def quranqa_qrels(split: str, root: Path | None = None) -> Qrels:
    _check_split(split, QURANQA_SPLITS, "Qur'an QA")
    if split == "pooled":
        return {**quranqa_qrels("train", root), **quranqa_qrels("dev", root)}
    return read_qrels(_require((root or data_dir()) / _QQA_DIR / _QQA_QRELS.format(split=split)))


def quranqa(split: str, root: Path | None = None) -> Collection:
    """One Qur'an QA 2023 split over the full passage collection."""
    return Collection(
        name=f"quranqa-{split}",
        docs=quranqa_passages(root),
        topics=quranqa_topics(split, root),
        qrels=quranqa_qrels(split, root),
        no_answer=True,
    )


# --- ARCD ----------------------------------------------------------------------------


def paragraph_id(context: str) -> str:
    """A paragraph's id from its raw text (``arcd-`` + 16 hex digits of its SHA-1), as in
    ``arcd-paragraphs.tsv``: stable whatever the file order or split mix."""
    return "arcd-" + hashlib.sha1(context.encode("utf-8")).hexdigest()[:16]


def arcd_paragraphs(root: Path | None = None) -> dict[str, str]:
    """``{docid: paragraph}`` for the 460 paragraphs of ARCD train and test."""
    path = _require((root or data_dir()) / _ARCD_PARAGRAPHS)
    docs: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        docid, tab, text = line.partition("\t")
        if not tab:
            raise InputError(str(path), "expected 'docid<TAB>paragraph'", number)
        docs[docid.strip()] = text.strip()
    return docs


def arcd(split: str = "train", root: Path | None = None) -> Collection:
    """ARCD (SQuAD v1.1 JSON) questions over the paragraphs of train and test."""
    _check_split(split, ARCD_SPLITS, "ARCD")
    docs = arcd_paragraphs(root)
    path = _require((root or data_dir()) / _ARCD_FILE.format(split=split))
    try:
        articles = json.loads(path.read_text(encoding="utf-8"))["data"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"not SQuAD v1.1 JSON: {exc}") from exc
    topics: list[tuple[str, str]] = []
    qrels: Qrels = {}
    for article in articles:
        for paragraph in article["paragraphs"]:
            docid = paragraph_id(paragraph["context"])
            if docid not in docs:
                raise InputError(str(path), f"paragraph {docid} is not in {_ARCD_PARAGRAPHS}")
            for qa in paragraph["qas"]:
                qid = str(qa["id"])
                topics.append((qid, qa["question"].strip()))
                qrels[qid] = {docid: 1}
    return Collection(name=f"arcd-{split}", docs=docs, topics=topics, qrels=qrels)


def load(name: str, root: Path | None = None) -> Collection:
    """A collection by name: one of ``NAMES``."""
    family, _, split = name.partition("-")
    if family == "quranqa":
        return quranqa(split, root)
    if family == "arcd":
        return arcd(split, root)
    raise InputError(name, f"unknown collection; one of {', '.join(NAMES)}")
