"""Verification scores against slow references."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from textdedup.shingle import shingle_hashes
from textdedup.verify import exact_jaccard, fuzzy_scores, jaccard_scores

_SET = st.lists(st.integers(0, 20), max_size=15)


@settings(max_examples=200, deadline=None)
@given(_SET, _SET)
def test_exact_jaccard_equals_set_reference(a: list[int], b: list[int]) -> None:
    sa, sb = set(a), set(b)
    expected = len(sa & sb) / len(sa | sb) if sa | sb else 1.0
    got = exact_jaccard(np.array(a, dtype=np.uint64), np.array(b, dtype=np.uint64))
    assert got == pytest.approx(expected)


def test_jaccard_scores_match_pairwise_exact_jaccard() -> None:
    texts = ["a b c d e f", "a b c d e g", "", "x y", "a b c d e f"]
    s = shingle_hashes(texts, ngram=2)
    left, right = np.array([0, 0, 2, 1, 0]), np.array([1, 4, 3, 3, 2])
    got = jaccard_scores(s, left, right)
    assert got.tolist() == pytest.approx([4 / 6, 1.0, 0.0, 0.0, 0.0])


def test_fuzzy_scores_equal_rapidfuzz() -> None:
    left = ["hello world", "abc", "the cat sat", ""]
    right = ["hello world!", "xyz", "sat the cat", ""]
    for scorer in ("ratio", "token_sort_ratio"):
        got = fuzzy_scores(left, right, scorer=scorer)  # type: ignore[arg-type]
        ref = [getattr(fuzz, scorer)(a, b) / 100 for a, b in zip(left, right, strict=True)]
        assert got.tolist() == pytest.approx(ref)


def test_fuzzy_scores_need_equal_lengths() -> None:
    with pytest.raises(ValueError, match="left and right differ in length: 2 and 1"):
        fuzzy_scores(["a", "b"], ["a"])
    assert fuzzy_scores([], []).size == 0
