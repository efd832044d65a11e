"""The sample of candidate pairs by score band that ``--stats`` carries for review."""

from __future__ import annotations

import numpy as np

from textdedup.engine import SAMPLE_BANDS, PairSample
from textdedup.pipeline import DedupConfig, DedupStats, dedup_records


def _draw(n: int, seed: int, per_band: int = 3) -> tuple[PairSample, np.ndarray]:
    rng = np.random.default_rng(seed)
    left = rng.integers(0, 50, n)
    right = left + rng.integers(1, 50, n)
    score = rng.random(n)
    score[:5] = np.nan  # rejected before scoring
    verified = np.nan_to_num(score) >= 0.7
    vetoed = np.isnan(score)
    s = PairSample.draw(left, right, score, verified, vetoed, per_band=per_band)
    return s, np.stack([left, right, np.nan_to_num(score, nan=-1)], axis=1)


def test_counts_every_pair_and_keeps_per_band_of_each_cell() -> None:
    s, _ = _draw(500, 0)
    assert s.counts.shape == (SAMPLE_BANDS, 2) and s.counts.sum() == 500
    known = np.nan_to_num(s.score)
    bands = np.minimum((known * SAMPLE_BANDS + 1e-9).astype(int), SAMPLE_BANDS - 1)
    for b in range(SAMPLE_BANDS):
        for v in (False, True):
            shown = int(((bands == b) & (s.verified == v)).sum())
            assert shown == min(3, int(s.counts[b, int(v)]))
    # Verified means at or above the threshold here, and a pair not scored is a veto.
    assert (known[s.verified] >= 0.7).all() and (known[~s.verified] < 0.7).all()
    assert (s.vetoed == np.isnan(s.score)).all()


def test_sample_does_not_depend_on_pair_order() -> None:
    rng = np.random.default_rng(3)
    left = rng.integers(0, 100, 300)
    right = left + 1 + rng.integers(0, 100, 300)
    score = rng.random(300)
    ok = score >= 0.5
    no = np.zeros(300, dtype=bool)
    a = PairSample.draw(left, right, score, ok, no, per_band=2)
    p = rng.permutation(300)
    # Reversed and shuffled: the same unordered pairs, in another order.
    b = PairSample.draw(right[p], left[p], score[p], ok[p], no[p], per_band=2)
    assert (a.counts == b.counts).all()
    pairs_a = sorted(zip(np.minimum(a.left, a.right).tolist(), a.score.tolist(), strict=True))
    pairs_b = sorted(zip(np.minimum(b.left, b.right).tolist(), b.score.tolist(), strict=True))
    assert pairs_a == pairs_b


def test_stats_of_a_run_count_every_candidate_pair() -> None:
    import random

    rng = random.Random(1)
    base = [f"w{i}" for i in range(80)]
    texts = []
    for k in range(12):  # 1 to 4 words changed: pairs on both sides of 0.9
        words = list(base)
        for j in rng.sample(range(80), k % 4 + 1):
            words[j] = f"x{j}"
        texts.append(" ".join(words))
    stats = DedupStats()
    list(dedup_records(texts, config=DedupConfig(threshold=0.9, ngram=2), stats=stats))
    sample = stats.pair_sample
    assert sample is not None
    verified = sum(b["verified"] for b in sample["bands"])
    rejected = sum(b["rejected"] for b in sample["bands"])
    assert verified == stats.verified and verified + rejected == stats.candidates
    assert verified > 0 and rejected > 0
    assert stats.to_dict()["candidate_pair_sample"] == sample
    for pair in sample["pairs"]:
        assert pair["verified"] == (pair["why"] == "verified")
        assert pair["verified"] == (pair["score"] >= 0.9)
        assert pair["why"] in ("verified", "below threshold")
    for band in sample["bands"]:
        shown = [p for p in sample["pairs"] if band["low"] <= p["score"] < band["high"] + 1e-9]
        assert len(shown) == min(4, band["verified"]) + min(4, band["rejected"])
    # Exact mode proposes no candidate pairs: no sample, and no key in the stats.
    exact = DedupStats()
    list(dedup_records(texts, config=DedupConfig(near=False), stats=exact))
    assert exact.pair_sample is None and "candidate_pair_sample" not in exact.to_dict()
