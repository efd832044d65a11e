"""The signature screen of candidate pairs (issue #14: memory and time at a million items).

:func:`textdedup.lsh.screened_candidate_pairs` must give :func:`candidate_pairs`'s pairs
less exactly those whose signatures agree in fewer than ``min_agree`` values, whatever the
grouping of bands; :func:`min_agreement` must be the binomial tail it says it is; and a
``dedup`` run must decide the same with the screen as without it.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textdedup.lsh as lsh
from textdedup import DedupConfig, dedup_records
from textdedup.lsh import (
    band_keys,
    candidate_pairs,
    lsh_params,
    min_agreement,
    screened_candidate_pairs,
)
from textdedup.pipeline import DedupStats


def _pairs(p: lsh.CandidatePairs) -> set[tuple[int, int]]:
    return set(zip(p.left.tolist(), p.right.tolist(), strict=True))


def _signatures(seed: int, n: int, width: int, values: int) -> np.ndarray:
    # Few distinct values: many shared bands, and agreements over the whole range.
    rng = np.random.default_rng(seed)
    return rng.integers(0, values, size=(n, width), dtype=np.uint32)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(2, 60),
    st.sampled_from([(4, 2), (8, 2), (5, 3)]),
    st.integers(0, 16),
    st.integers(1, 200),
    st.integers(1, 50),
)
def test_screened_pairs_are_the_candidate_pairs_that_agree_enough(
    seed: int, n: int, shape: tuple[int, int], at_least: int, keys_at_once: int, pairs_at_once: int
) -> None:
    bands, rows = shape
    width = bands * rows
    sig = _signatures(seed, n, width, values=3)
    params = lsh_params(0.5, num_perm=width)
    params = lsh.LSHParams(0.5, width, bands, rows, params.false_positive, params.false_negative)
    valid = np.random.default_rng(seed + 1).random(n) < 0.9
    whole = candidate_pairs(band_keys(sig, params), valid=valid, max_bucket=5)
    at_least = min(at_least, width)
    agree = {(i, j): int((sig[i] == sig[j]).sum()) for i, j in _pairs(whole)}
    expected = {pair for pair, a in agree.items() if a >= at_least}
    old = lsh._KEYS_AT_ONCE, lsh._PAIRS_AT_ONCE
    # Groups of one band up to all bands at once; chunks of one bucket up to all.
    lsh._KEYS_AT_ONCE, lsh._PAIRS_AT_ONCE = keys_at_once, pairs_at_once
    try:
        got = screened_candidate_pairs(sig, params, min_agree=at_least, valid=valid, max_bucket=5)
    finally:
        lsh._KEYS_AT_ONCE, lsh._PAIRS_AT_ONCE = old
    assert _pairs(got) == expected
    assert (np.diff(got.left * n + got.right) > 0).all()  # sorted, unique
    assert (got.left < got.right).all()
    if at_least == 0:
        assert got.screened == 0
    assert _pairs(candidate_pairs(band_keys(sig, params), valid=valid, max_bucket=5)) == _pairs(
        whole
    )
    assert got.giant_buckets == whole.giant_buckets
    # Screened: once per bucket that proposed a pair below the bar.
    keys = band_keys(sig, params)
    ids = np.flatnonzero(valid)
    proposed = 0
    for b in range(bands):
        values, counts = np.unique(keys[ids, b], return_counts=True)
        for value, size in zip(values.tolist(), counts.tolist(), strict=True):
            members = ids[keys[ids, b] == value].tolist()
            if size > 5:  # a giant bucket: star edges from its smallest member
                pairs = [(members[0], j) for j in members[1:]]
            else:
                pairs = [(i, j) for k, i in enumerate(members) for j in members[k + 1 :]]
            proposed += sum(int((sig[i] == sig[j]).sum()) < at_least for i, j in pairs)
    assert got.screened == proposed


def test_band_keys_of_a_range_are_those_columns() -> None:
    sig = _signatures(3, 50, 128, values=1 << 30)
    params = lsh_params(0.7, num_perm=128)
    whole = band_keys(sig, params)
    assert np.array_equal(band_keys(sig, params, first=3, count=4), whole[:, 3:7])
    assert np.array_equal(band_keys(sig, params, first=params.bands - 1), whole[:, -1:])
    with pytest.raises(ValueError, match="bands"):
        band_keys(sig, params, first=params.bands - 1, count=2)


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.8, 0.9, 0.95])
@pytest.mark.parametrize("num_perm", [64, 128, 256])
def test_min_agreement_is_the_binomial_tail(threshold: float, num_perm: int) -> None:
    k = min_agreement(threshold, num_perm)

    def below(m: int) -> float:  # P(X < m), X ~ Binomial(num_perm, threshold), exactly
        return sum(
            math.comb(num_perm, x) * threshold**x * (1 - threshold) ** (num_perm - x)
            for x in range(m)
        )

    assert below(k) <= lsh.SCREEN_MISS < below(k + 1)
    # The screen keeps far more than the threshold needs: a pair at the threshold shows
    # about threshold * num_perm equal values, k is well below.
    assert k < threshold * num_perm - 3 * math.sqrt(num_perm * threshold * (1 - threshold))


def test_the_compiled_screen_equals_numpy() -> None:
    pytest.importorskip("numba")
    from textdedup import _kernel

    sig = _signatures(5, 300, 128, values=4)
    rng = np.random.default_rng(6)
    left = rng.integers(0, 300, 5000).astype(np.int64)
    right = rng.integers(0, 300, 5000).astype(np.int64)
    same = (sig[left] == sig[right]).sum(axis=1)
    for at_least in (0, 20, 32, 40, 128):
        got = _kernel.signature_agreement(sig, left, right, at_least=at_least)
        assert np.array_equal(got, same >= at_least)


def _background_corpus(n: int, seed: int) -> list[str]:
    """Texts of random words from one small vocabulary (a background Jaccard of char
    3-grams well above zero), every fifth an edited copy of an earlier one."""
    rng = random.Random(seed)
    vocab = [
        "".join(rng.choice("etaoinshrdlucmfw") for _ in range(rng.randint(2, 7)))
        for _ in range(300)
    ]
    texts: list[str] = []
    for i in range(n):
        if i % 5 == 4:
            words = texts[rng.randrange(i)].split()
            words[rng.randrange(len(words))] = rng.choice(vocab)
            texts.append(" ".join(words))
        else:
            texts.append(" ".join(rng.choice(vocab) for _ in range(30)))
    return texts


def test_dedup_decides_the_same_with_the_screen_as_without(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = _background_corpus(1500, 7)
    config = DedupConfig(threshold=0.7, shingle="char", ngram=3)
    screened_stats = DedupStats()
    screened = list(dedup_records(texts, config=config, stats=screened_stats))
    # The same run with every candidate pair verified.
    monkeypatch.setattr("textdedup.engine.min_agreement", lambda threshold, num_perm: 0)
    whole_stats = DedupStats()
    whole = list(dedup_records(texts, config=config, stats=whole_stats))
    assert screened == whole
    assert screened_stats.removed_items == whole_stats.removed_items > 250
    assert screened_stats.verified == whole_stats.verified
    # The background pairs are the ones screened out, counted among the candidates.
    assert whole_stats.screened == 0
    assert screened_stats.screened > 0
    assert screened_stats.candidates == whole_stats.candidates
    assert screened_stats.to_dict()["screened_pairs"] == screened_stats.screened


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 80), st.integers(1, 40), st.integers(2, 12))
def test_candidate_pairs_in_chunks_equal_all_at_once(
    seed: int, n: int, pairs_at_once: int, max_bucket: int
) -> None:
    keys = np.random.default_rng(seed).integers(0, 4, size=(n, 3)).astype(np.uint64)
    whole = candidate_pairs(keys, max_bucket=max_bucket)
    old = lsh._PAIRS_AT_ONCE
    lsh._PAIRS_AT_ONCE = pairs_at_once
    try:
        chunked = candidate_pairs(keys, max_bucket=max_bucket)
    finally:
        lsh._PAIRS_AT_ONCE = old
    assert np.array_equal(whole.left, chunked.left) and np.array_equal(whole.right, chunked.right)
    assert whole.giant_buckets == chunked.giant_buckets


def test_solve_frees_the_signature_matrix_before_verifying() -> None:
    """The matrix (half a kilobyte an item at 128 permutations) is gone once the candidate
    pairs are known, when the scorer verifies from shingle sets: a view of it (``sig[:0]``)
    would have kept all of it alive through verification."""
    import gc
    import weakref

    from textdedup.engine import Engine

    engine = Engine(DedupConfig(threshold=0.7, shingle="char", ngram=3))
    for text in _background_corpus(300, 3):
        engine.add(text)
    matrix = weakref.ref(engine.signatures())
    assert matrix() is not None
    seen: list[bool] = []
    original = Engine._verify

    def verify(self: Engine, *args: object) -> object:
        gc.collect()
        seen.append(matrix() is None)
        return original(self, *args)  # type: ignore[arg-type]

    Engine._verify = verify  # type: ignore[method-assign]
    try:
        decisions = engine.solve()
    finally:
        Engine._verify = original  # type: ignore[method-assign]
        engine.close()
    assert seen == [True]
    assert decisions.removed.sum() > 0
