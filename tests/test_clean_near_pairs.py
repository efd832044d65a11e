"""clean's near-duplicate search from the columns of distinct keys against the plain way.

``_Cleaner._near_pairs`` signs each distinct key once and works the candidate pairs out
from the columns' buckets (``_copy_band_pairs``), with the ratio screen on all pairs at
once; the plain way expands the band keys to every block and asks pair by pair. Both
must give the same pairs, scores and order.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from textdedup.clean import CleanConfig
from textdedup.lsh import band_keys
from textdedup.minhash import MinHasher
from textdedup.normalize import normalize
from textdedup.verify import compare

clean_module = importlib.import_module("textdedup.clean")


def _reference(cleaner: clean_module._Cleaner, cand: np.ndarray) -> dict[tuple[int, int], float]:
    """Session 5's _near_pairs after its screen: every block's band keys, pair by pair."""
    cfg = cleaner.config
    hasher = MinHasher(
        num_perm=cfg.num_perm, ngram=cfg.ngram, unit="char", seed=cfg.seed, key=None, workers=1
    )
    distinct: dict[str, int] = {}
    which = np.array([distinct.setdefault(cleaner.keys[i], len(distinct)) for i in cand])
    params = clean_module._lsh_params(cfg.lsh_threshold, cfg.num_perm)
    keys = band_keys(hasher.signatures(list(distinct)), params).T
    left, right = clean_module._band_pairs(keys, which)
    out: dict[tuple[int, int], float] = {}
    cutoff = 100.0 * cfg.threshold - 1.0
    for i, j in zip(cand[left].tolist(), cand[right].tolist(), strict=True):
        a, b = cleaner.ikeys[i], cleaner.ikeys[j]
        if a == b:
            continue
        if cutoff > 0.0 and not fuzz.ratio(a.casefold(), b.casefold(), score_cutoff=cutoff):
            continue
        c = compare(cleaner.blocks[i].text, cleaner.blocks[j].text, score_cutoff=cfg.threshold)
        if c.near(cfg.threshold):
            out[(i, j)] = c.score
    return out


POOL = [
    "The committee approved the new budget for the harbour district on Monday",
    "The committee approved the new budget for the harbor district on Monday",
    "the committee approved the new budget for the harbour district on monday",
    "The Committee approved the new budget, for the harbour district on Monday!",
    "Rainfall in the northern valleys was twice the average of the last decade",
    "Rainfall in the northern valleys was twice the average of the past decade",
    "A short line",
    "Trains to the coast leave every twenty minutes from the central station",
    "Trains to the coast leave every twenty minutes from the main station",
]


def _cleaner(text: str, **options: object) -> clean_module._Cleaner:
    config = CleanConfig(**options)  # type: ignore[arg-type]
    source = normalize(text, clean_module._line_preserving(config.normalize))
    return clean_module._Cleaner(source, config, repeats=[])


def _candidates(cleaner: clean_module._Cleaner) -> np.ndarray:
    long = np.array([len(k) >= cleaner.config.min_length for k in cleaner.keys], dtype=bool)
    return np.flatnonzero(long)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, len(POOL) - 1), min_size=2, max_size=60))
def test_near_pairs_are_the_plain_ones(picks: list[int]) -> None:
    cleaner = _cleaner("\n".join(POOL[k] for k in picks) + "\n")
    cand = _candidates(cleaner)
    got = cleaner._near_pairs(cand) if cand.size > 1 else {}
    expected = _reference(cleaner, cand) if cand.size > 1 else {}
    assert list(got.items()) == list(expected.items())


@pytest.mark.parametrize("threshold", [0.8, 0.5, 0.005])
def test_near_pairs_with_giant_buckets_are_the_plain_ones(threshold: float) -> None:
    # One line 250 times and its case variant 30 times: buckets of over 200 blocks give
    # star edges only, in both ways; at 0.005 the ratio screen is off.
    rng = np.random.default_rng(7)
    picks = [0] * 250 + [2] * 30 + [1, 4, 5, 7, 8, 3] * 5 + list(rng.integers(0, 9, 40))
    order = rng.permutation(len(picks))
    text = "\n".join(POOL[picks[k]] for k in order) + "\n"
    cleaner = _cleaner(text, threshold=threshold)
    cand = _candidates(cleaner)
    got = cleaner._near_pairs(cand)
    expected = _reference(cleaner, cand)
    assert expected  # the variants are near duplicates
    assert list(got.items()) == list(expected.items())


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 8),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 2)), min_size=0, max_size=40),
    st.integers(1, 6),
)
def test_copy_band_pairs_are_the_expanded_pairs_with_differing_ids(
    bands: int, spread: int, texts: list[tuple[int, int]], max_bucket: int
) -> None:
    rng = np.random.default_rng(bands * 100 + spread)
    keys = rng.integers(0, spread, size=(bands, 8)).astype(np.uint64)
    which = np.array([c for c, _ in texts], dtype=np.int64)
    # A column's texts may have several identities (the same key, other case).
    ids = np.array([c * 3 + v for c, v in texts], dtype=np.int64)
    left, right = clean_module._copy_band_pairs(keys, which, ids, max_bucket=max_bucket)
    el, er = clean_module._band_pairs(keys, which, max_bucket=max_bucket)
    keep = ids[el] != ids[er] if el.size else np.zeros(0, dtype=bool)
    assert left.tolist() == el[keep].tolist()
    assert right.tolist() == er[keep].tolist()
