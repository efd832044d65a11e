"""Verify candidate pairs: score each pair and keep those at or above a threshold.

Sixth stage of the flow. Two scorers: rapidfuzz's normalized similarity of the
keys (batched with ``process.cpdist``, all cores), or the exact Jaccard similarity
of the shingle sets. Scores are floats in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from .shingle import Shingles

__all__ = ["SCORERS", "exact_jaccard", "fuzzy_scores", "jaccard_scores"]

Scorer = Literal["ratio", "token_sort_ratio", "jaccard"]
SCORERS: tuple[Scorer, ...] = ("ratio", "token_sort_ratio", "jaccard")
_FUZZ = {"ratio": fuzz.ratio, "token_sort_ratio": fuzz.token_sort_ratio}


def fuzzy_scores(
    left: Sequence[str],
    right: Sequence[str],
    *,
    scorer: Literal["ratio", "token_sort_ratio"] = "ratio",
    workers: int = -1,
) -> npt.NDArray[np.float64]:
    """Rapidfuzz similarity of ``left[k]`` and ``right[k]`` for every ``k``, in [0, 1].

    >>> fuzzy_scores(["hello world", "abc"], ["hello world!", "xyz"]).round(2).tolist()
    [0.96, 0.0]
    """
    if len(left) != len(right):
        raise ValueError(f"left and right differ in length: {len(left)} and {len(right)}")
    if not left:
        return np.zeros(0, dtype=np.float64)
    scores = process.cpdist(left, right, scorer=_FUZZ[scorer], workers=workers, dtype=np.float64)
    return np.asarray(scores, dtype=np.float64) / 100.0


def exact_jaccard(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    """Jaccard similarity of two sets of shingle hashes (1.0 for two empty sets).

    >>> exact_jaccard(np.array([1, 2, 3], np.uint64), np.array([2, 3, 4], np.uint64))
    0.5
    """
    ua, ub = np.unique(a), np.unique(b)
    union = np.union1d(ua, ub).size
    if union == 0:
        return 1.0
    return float(np.intersect1d(ua, ub, assume_unique=True).size / union)


def jaccard_scores(
    shingles: Shingles, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Exact Jaccard similarity of the shingle sets of each pair of texts."""
    h, off = shingles.hashes, shingles.offsets
    return np.array(
        [
            exact_jaccard(h[off[i] : off[i + 1]], h[off[j] : off[j + 1]])
            for i, j in zip(left.tolist(), right.tolist(), strict=True)
        ],
        dtype=np.float64,
    )
