"""Seeded synthetic corpora with near-duplicates planted at known edit rates.

Words are drawn (with their frequencies) from the texts in ``/usr/share/common-licenses``,
so paragraphs look like license prose but two independent paragraphs share almost no
word 5-grams. A share of paragraphs gets one or two copies in which a known fraction of
the words was substituted, deleted or inserted; the exact word 5-gram Jaccard of every
planted pair is recorded as ground truth. Nothing runs at import.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LICENSES = Path("/usr/share/common-licenses")
EDIT_RATES = (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3)


@dataclass(frozen=True)
class Corpus:
    """Texts plus the planted groups (lists of indices) and exact Jaccard per planted pair."""

    texts: list[str]
    groups: list[list[int]]
    pair_left: np.ndarray
    pair_right: np.ndarray
    pair_jaccard: np.ndarray
    pair_edit_rate: np.ndarray
    seed: int


def vocabulary() -> tuple[list[str], np.ndarray]:
    """Lower-cased words of the license texts and their relative frequencies."""
    counts: Counter[str] = Counter()
    for path in sorted(LICENSES.iterdir()):
        if path.is_file():
            text = path.read_text("utf-8", errors="replace").lower()
            counts.update(re.findall(r"[a-z0-9]+", text))
    words = sorted(counts)
    freq = np.array([counts[w] for w in words], dtype=np.float64)
    return words, freq / freq.sum()


def word_shingles(text: str, ngram: int = 5) -> set[str]:
    """Slow, obvious word n-gram set (the whole text when it is shorter than ``ngram``)."""
    toks = text.split()
    if not toks:
        return set()
    if len(toks) < ngram:
        return {" ".join(toks)}
    return {" ".join(toks[i : i + ngram]) for i in range(len(toks) - ngram + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 1.0


def _edit(words: list[str], rate: float, rng: np.random.Generator, vocab: list[str]) -> list[str]:
    out = list(words)
    n_edits = max(1, round(rate * len(words)))
    for _ in range(n_edits):
        pos = int(rng.integers(len(out)))
        op = rng.integers(3)
        new = vocab[int(rng.integers(len(vocab)))]
        if op == 0:
            out[pos] = new
        elif op == 1 and len(out) > 1:
            del out[pos]
        else:
            out.insert(pos, new)
    return out


def make_corpus(
    n: int,
    *,
    seed: int = 0,
    dup_share: float = 0.2,
    min_words: int = 50,
    max_words: int = 200,
) -> Corpus:
    """``n`` paragraphs of ``min_words``..``max_words`` words; ``dup_share`` of them are copies."""
    rng = np.random.default_rng(seed)
    vocab, freq = vocabulary()
    n_copies = int(n * dup_share)
    n_orig = n - n_copies
    lengths = rng.integers(min_words, max_words + 1, size=n_orig)
    flat = rng.choice(len(vocab), size=int(lengths.sum()), p=freq)
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    originals = [[vocab[i] for i in flat[bounds[k] : bounds[k + 1]]] for k in range(n_orig)]
    items: list[tuple[list[str], int, float]] = [(w, k, 0.0) for k, w in enumerate(originals)]
    # Copies: each picks an original (some originals get two copies) and an edit rate.
    sources = rng.choice(n_orig, size=n_copies, replace=n_copies > n_orig)
    rates = rng.choice(EDIT_RATES, size=n_copies)
    for src, rate in zip(sources.tolist(), rates.tolist(), strict=True):
        items.append((_edit(originals[src], rate, rng, vocab), src, rate))
    order = rng.permutation(len(items))
    texts = [" ".join(items[i][0]) for i in order]
    group_of: dict[int, list[int]] = {}
    rate_of = np.zeros(len(items))
    for pos, i in enumerate(order.tolist()):
        group_of.setdefault(items[i][1], []).append(pos)
        rate_of[pos] = items[i][2]
    groups = [sorted(g) for g in group_of.values() if len(g) > 1]
    left, right, jac, edit = [], [], [], []
    for g in groups:
        sh = {i: word_shingles(texts[i]) for i in g}
        for i, j in itertools.combinations(g, 2):
            left.append(i)
            right.append(j)
            jac.append(jaccard(sh[i], sh[j]))
            edit.append(max(rate_of[i], rate_of[j]))
    return Corpus(
        texts=texts,
        groups=groups,
        pair_left=np.array(left, dtype=np.int64),
        pair_right=np.array(right, dtype=np.int64),
        pair_jaccard=np.array(jac),
        pair_edit_rate=np.array(edit),
        seed=seed,
    )
