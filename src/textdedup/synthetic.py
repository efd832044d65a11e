"""Seeded synthetic corpora with planted duplicates, for tests, benchmarks and quality.

Documents are paragraphs of words drawn from real text found on the machine (the
license texts the operating system ships), or from seeded pseudo-words where there
is none. Planted into them, with the truth recorded: exact copies, near copies
(word substitutions at a known rate, case, punctuation and whitespace noise), and
documents that reuse one paragraph of another (duplicates at paragraph level only).

:func:`overlapping_corpus` makes documents that overlap without being duplicates, as in
news syndication, forum threads and Wikipedia-derived data: each is a window of
consecutive paragraphs from one pool, and neighbouring windows share paragraphs.
Exact and near copies are planted into it the same way.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import regex

__all__ = ["PlantedCorpus", "overlapping_corpus", "planted_corpus", "vocabulary"]

_LICENSES = "/usr/share/common-licenses/*"


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """Distinct words of the machine's license texts, or seeded pseudo-words."""
    words: set[str] = set()
    for path in sorted(glob.glob(_LICENSES)):
        try:
            with open(path, encoding="utf-8", errors="ignore") as fh:
                words.update(regex.findall(r"[A-Za-z]{2,}", fh.read()))
        except OSError:
            continue
    if len(words) >= 2000:
        return tuple(sorted(words))
    rng = np.random.default_rng(0)
    letters = np.array(list("etaoinshrdlucmfwypvbgkqjxz"))
    return tuple(sorted({"".join(rng.choice(letters, rng.integers(2, 10))) for _ in range(8000)}))


@dataclass(frozen=True, slots=True)
class PlantedCorpus:
    """Records and the truth about them.

    ``dup_of[i]`` is the id of the document record ``i`` copies (exactly or nearly),
    or ``None``; ``kind[i]`` is ``"base"``, ``"exact"``, ``"near"`` or
    ``"paragraph"`` (reuses one paragraph of ``para_of[i]``).
    """

    records: list[dict[str, object]]
    dup_of: list[str | None]
    kind: list[str]
    para_of: list[str | None]


def _paragraph(rng: np.random.Generator, vocab: np.ndarray) -> str:
    sentences = []
    for _ in range(int(rng.integers(2, 6))):
        words = vocab[rng.integers(0, vocab.size, int(rng.integers(8, 25)))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def _near(text: str, rng: np.random.Generator, vocab: np.ndarray, rate: float) -> str:
    words = text.split(" ")
    n = max(1, round(rate * len(words)))
    for i in rng.choice(len(words), n, replace=False):
        words[int(i)] = str(vocab[rng.integers(0, vocab.size)])
    out = " ".join(words)
    if rng.random() < 0.5:
        out = out.replace(". ", ".  ", 1)  # doubled space
    if rng.random() < 0.5:
        out = out.upper()[:1] + out[1:].rstrip(".") + "!"
    return out


def planted_corpus(
    n: int,
    *,
    seed: int = 0,
    exact: float = 0.1,
    near: float = 0.1,
    paragraph: float = 0.05,
    edit_rate: float = 0.02,
) -> PlantedCorpus:
    """``n`` records: base documents plus the given shares of planted copies.

    >>> c = planted_corpus(20, seed=1)
    >>> len(c.records), set(c.kind) <= {"base", "exact", "near", "paragraph"}
    (20, True)
    """
    rng = np.random.default_rng(seed)
    vocab = np.array(vocabulary())
    records: list[dict[str, object]] = []
    dup_of: list[str | None] = []
    kind: list[str] = []
    para_of: list[str | None] = []
    paragraphs: list[list[str]] = []
    bases: list[int] = []
    for i in range(n):
        rid = f"doc{i:07d}"
        r = rng.random()
        if bases and r < exact + near + paragraph:
            src = bases[int(rng.integers(0, len(bases)))]
            src_id = str(records[src]["id"])
            if r < exact:
                paras, what = list(paragraphs[src]), "exact"
            elif r < exact + near:
                paras = [_near(p, rng, vocab, edit_rate) for p in paragraphs[src]]
                what = "near"
            else:
                borrowed = paragraphs[src][int(rng.integers(0, len(paragraphs[src])))]
                paras = [_paragraph(rng, vocab) for _ in range(int(rng.integers(1, 4)))]
                paras.insert(int(rng.integers(0, len(paras) + 1)), borrowed)
                what = "paragraph"
            dup_of.append(src_id if what != "paragraph" else None)
            para_of.append(src_id if what == "paragraph" else None)
            kind.append(what)
        else:
            paras = [_paragraph(rng, vocab) for _ in range(int(rng.integers(2, 6)))]
            dup_of.append(None)
            para_of.append(None)
            kind.append("base")
            bases.append(i)
        paragraphs.append(paras)
        records.append({"id": rid, "text": "\n\n".join(paras), "source": "synthetic"})
    return PlantedCorpus(records, dup_of, kind, para_of)


def overlapping_corpus(
    n: int,
    *,
    seed: int = 0,
    exact: float = 0.1,
    near: float = 0.12,
    edit_rate: float = 0.02,
    window: tuple[int, int] = (2, 5),
    max_overlap: float = 0.6,
) -> PlantedCorpus:
    """``n`` records made of windows of consecutive paragraphs from one pool, plus copies.

    Base documents are windows of ``window[0]`` to ``window[1]`` consecutive
    paragraphs; each window starts one to three paragraphs after the previous one,
    so neighbouring documents share paragraphs (and become LSH candidates) without
    being duplicates: a window is redrawn while the word-weighted Jaccard similarity
    of its paragraphs with an earlier window is above ``max_overlap`` (``1.0``
    allows any overlap, and so chains of near-duplicate windows). The shares
    ``exact`` and ``near`` of records are copies of an earlier base document:
    byte-identical, or with ``edit_rate`` of the words substituted plus case,
    punctuation and spacing noise (as in :func:`planted_corpus`). Records come in
    the order they were made, so every copy comes after its source.

    >>> c = overlapping_corpus(50, seed=1)
    >>> len(c.records), sorted(set(c.kind))
    (50, ['base', 'exact', 'near'])
    """
    lo, hi = window
    if not 1 <= lo <= hi:
        raise ValueError(f"window must be (min, max) with 1 <= min <= max, got {window!r}")
    if exact < 0 or near < 0 or exact + near > 1:
        raise ValueError(f"exact and near must be >= 0 with a sum <= 1, got {exact} and {near}")
    rng = np.random.default_rng(seed)
    vocab = np.array(vocabulary())
    pool: list[str] = []
    weight: list[int] = []

    def para(k: int) -> str:
        while len(pool) <= k:
            pool.append(_paragraph(rng, vocab))
            weight.append(pool[-1].count(" ") + 1)
        return pool[k]

    records: list[dict[str, object]] = []
    dup_of: list[str | None] = []
    kind: list[str] = []
    texts: list[str] = []
    bases: list[int] = []
    windows: list[tuple[int, int]] = []  # the paragraphs of each record's source window
    recent: list[tuple[int, int]] = []  # the last base windows, the only ones a new one can meet
    start = 0
    for i in range(n):
        rid = f"doc{i:07d}"
        r = rng.random()
        if bases and r < exact + near:
            src = bases[int(rng.integers(0, len(bases)))]
            a, b = windows[src]
            if r < exact:
                text, what = texts[src], "exact"
            else:
                text = "\n\n".join(_near(para(k), rng, vocab, edit_rate) for k in range(a, b))
                what = "near"
            dup_of.append(str(records[src]["id"]))
        else:
            while True:
                start += int(rng.integers(1, 4))
                a, b = start, start + int(rng.integers(lo, hi + 1))
                for k in range(a, b):
                    para(k)
                if max_overlap >= 1.0 or _max_overlap(recent, a, b, weight) <= max_overlap:
                    break
            recent = [*recent[-hi:], (a, b)]
            bases.append(i)
            text, what = "\n\n".join(pool[a:b]), "base"
            dup_of.append(None)
        windows.append((a, b))
        texts.append(text)
        kind.append(what)
        records.append({"id": rid, "text": text, "source": "synthetic-overlap"})
    return PlantedCorpus(records, dup_of, kind, [None] * n)


def _max_overlap(windows: list[tuple[int, int]], a: int, b: int, weight: list[int]) -> float:
    """The largest word-weighted Jaccard similarity of window ``[a, b)`` with one of ``windows``."""
    best = 0.0
    total = sum(weight[a:b])
    for c, d in windows:
        shared = sum(weight[max(a, c) : min(b, d)])
        best = max(best, shared / (total + sum(weight[c:d]) - shared))
    return best
