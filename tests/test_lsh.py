"""LSH banding and candidate pairs against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from datasketch.lsh import _optimal_param
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup.cluster import connected_components
from textdedup.lsh import band_keys, candidate_pairs, lsh_params
from textdedup.minhash import MinHasher
from textdedup.shingle import Shingles


def brute_pairs(keys: np.ndarray, valid: np.ndarray | None = None) -> set[tuple[int, int]]:
    ids = range(keys.shape[0]) if valid is None else np.flatnonzero(valid).tolist()
    return {
        (i, j)
        for i, j in itertools.combinations(ids, 2)
        if any(keys[i, b] == keys[j, b] for b in range(keys.shape[1]))
    }


def as_set(p: object) -> set[tuple[int, int]]:
    return set(zip(p.left.tolist(), p.right.tolist(), strict=True))  # type: ignore[attr-defined]


_KEYS = st.integers(1, 30).flatmap(
    lambda n: st.lists(st.lists(st.integers(0, 4), min_size=3, max_size=3), min_size=n, max_size=n)
)


@settings(max_examples=200, deadline=None)
@given(_KEYS, st.lists(st.booleans(), min_size=30, max_size=30))
def test_candidate_pairs_equal_brute_force(rows: list[list[int]], mask: list[bool]) -> None:
    keys = np.array(rows, dtype=np.uint64)
    valid = np.array(mask[: len(rows)])
    for v in (None, valid):
        p = candidate_pairs(keys, valid=v, max_bucket=10_000)
        assert as_set(p) == brute_pairs(keys, v)
        assert p.giant_buckets == 0
        code = p.left * len(rows) + p.right
        assert (np.diff(code) > 0).all()  # sorted, unique, left < right
        assert (p.left < p.right).all()


@settings(max_examples=200, deadline=None)
@given(_KEYS, st.integers(2, 5))
def test_giant_buckets_keep_components(rows: list[list[int]], max_bucket: int) -> None:
    keys = np.array(rows, dtype=np.uint64)
    n = len(rows)
    p = candidate_pairs(keys, max_bucket=max_bucket)
    full = brute_pairs(keys)
    assert as_set(p) <= full
    fl, fr = (np.array(x, dtype=np.int64) for x in zip(*full, strict=True)) if full else ([], [])
    assert np.array_equal(connected_components(n, p.left, p.right), connected_components(n, fl, fr))
    expected = sum(
        int(c > max_bucket) for b in range(3) for c in np.unique(keys[:, b], return_counts=True)[1]
    )
    assert p.giant_buckets == expected


def test_star_edges_come_from_the_smallest_member() -> None:
    keys = np.array([[9], [5], [5], [5], [5], [1]], dtype=np.uint64)
    p = candidate_pairs(keys, max_bucket=3)
    assert as_set(p) == {(1, 2), (1, 3), (1, 4)}
    assert p.giant_buckets == 1


@pytest.mark.parametrize("threshold", [0.5, 0.7, 0.8, 0.9])
@pytest.mark.parametrize("num_perm", [64, 128])
def test_lsh_params_match_datasketch(threshold: float, num_perm: int) -> None:
    p = lsh_params(threshold, num_perm)
    assert (p.bands, p.rows) == _optimal_param(threshold, num_perm, 0.5, 0.5)


def test_lsh_params_match_datasketch_with_weights() -> None:
    p = lsh_params(0.6, 128, false_positive_weight=0.2, false_negative_weight=0.8)
    assert (p.bands, p.rows) == _optimal_param(0.6, 128, 0.2, 0.8)


def test_lsh_params_validate_threshold() -> None:
    with pytest.raises(ValueError, match=r"threshold must be in \[0, 1\], got 1.5"):
        lsh_params(1.5)


def _planted_pairs(n_pairs: int, seed: int) -> tuple[Shingles, np.ndarray]:
    """Pairs of random shingle sets of 200 elements with a chosen Jaccard each."""
    rng = np.random.default_rng(seed)
    jac = rng.uniform(0.3, 1.0, n_pairs)
    parts, offsets = [], [0]
    for j in jac:
        shared = round(400 * j / (1 + j))  # |A & B| for |A| = |B| = 200
        pool = rng.integers(0, 2**63, 400 - shared, dtype=np.uint64)
        for s in (pool[:200], pool[200 - shared :]):
            parts.append(s)
            offsets.append(offsets[-1] + s.size)
    exact = np.array([s / (400 - s) for s in np.round(400 * jac / (1 + jac))])
    return Shingles(np.concatenate(parts), np.array(offsets, dtype=np.int64)), exact


def test_every_pair_well_above_threshold_is_a_candidate() -> None:
    shingles, _ = _planted_pairs(600, seed=1)
    sig = MinHasher(num_perm=128).signatures_of(shingles)
    params = lsh_params(0.8, 128)
    found = as_set(candidate_pairs(band_keys(sig, params)))
    used = params.bands * params.rows
    left, right = sig[0::2, :used], sig[1::2, :used]
    mismatches = (left != right).sum(axis=1)
    # Fewer mismatching positions than bands leaves one band intact: a certain hit.
    certain = np.flatnonzero(mismatches < params.bands)
    assert certain.size > 50
    assert all((2 * i, 2 * i + 1) in found for i in certain.tolist())


def test_candidate_rate_follows_the_detection_curve() -> None:
    shingles, exact = _planted_pairs(1500, seed=2)
    sig = MinHasher(num_perm=128).signatures_of(shingles)
    params = lsh_params(0.7, 128)
    found = as_set(candidate_pairs(band_keys(sig, params)))
    hit = np.array([(2 * i, 2 * i + 1) in found for i in range(exact.size)])
    for lo in np.arange(0.3, 1.0, 0.1):
        in_bin = (exact >= lo) & (exact < lo + 0.1)
        expected = float(params.probability(exact[in_bin]).mean())
        assert abs(hit[in_bin].mean() - expected) < 0.1, (lo, hit[in_bin].mean(), expected)
    # Unrelated texts (different pairs) almost never collide.
    cross = {(a, b) for a, b in found if b != a + 1 or a % 2}
    assert len(cross) < 5


def test_band_keys_depend_on_band_and_rows() -> None:
    params = lsh_params(0.5, 8)
    sig = np.zeros((3, 8), dtype=np.uint32)
    sig[1, 0] = 1
    keys = band_keys(sig, params)
    assert keys.shape == (3, params.bands)
    assert np.unique(keys[0]).size == params.bands  # equal rows, different bands
    assert keys[0, 0] != keys[1, 0]
    assert (keys[0, 1:] == keys[1, 1:]).all()
    with pytest.raises(ValueError, match="signatures must have shape"):
        band_keys(sig[:, :2], params)


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False))
def test_clusters_do_not_depend_on_input_order(rnd: object) -> None:
    base = [" ".join(f"w{(i * 13 + k) % 97}" for k in range(30)) for i in range(12)]
    texts = base + [t.replace("w1 ", "x ", 1) for t in base[:6]] + ["", "short"]
    perm = list(range(len(texts)))
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    hasher = MinHasher(num_perm=64, ngram=3)
    params = lsh_params(0.5, 64)

    def partition(order: list[int]) -> set[frozenset[int]]:
        sig = hasher.signatures([texts[i] for i in order])
        p = candidate_pairs(band_keys(sig, params))
        labels = connected_components(len(order), p.left, p.right)
        groups: dict[int, set[int]] = {}
        for pos, lab in enumerate(labels.tolist()):
            groups.setdefault(lab, set()).add(order[pos])
        return {frozenset(g) for g in groups.values()}

    assert partition(perm) == partition(list(range(len(texts))))
