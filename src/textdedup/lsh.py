"""LSH banding: signatures in, candidate pairs out.

Fifth stage of the flow. :func:`lsh_params` chooses bands and rows for a
threshold the way datasketch's optimizer does (weighing the false-positive area
below the threshold against the false-negative area above it). :func:`band_keys`
hashes each band of each signature to one uint64, and :func:`candidate_pairs` finds
the texts that share a band key by sorting the keys of all bands at once and turning
runs of equal keys into pairs with array operations: no dict, no loop per bucket.
Buckets larger than ``max_bucket`` emit star edges only (enough to keep their
members connected) and are counted, so one giant bucket cannot make the work
quadratic.

:func:`screened_candidate_pairs` does the same from the signatures, a few bands at a
time, and drops the pairs whose signatures agree in too few places for their Jaccard
similarity to reach the threshold (:func:`min_agreement`). On a corpus whose texts share
a background similarity (char 3-grams of one language: about 0.13), the false candidates
grow with the square of the corpus; the screen keeps them from being held or verified.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .shingle import _GOLDEN, _M1, _M2, _S27, _S30, _S31, mix64

__all__ = [
    "CandidatePairs",
    "LSHParams",
    "band_keys",
    "candidate_pairs",
    "lsh_params",
    "lsh_params_for_recall",
    "min_agreement",
    "screened_candidate_pairs",
]

_GRID = np.linspace(0.0, 1.0, 2001)


@dataclass(frozen=True, slots=True)
class LSHParams:
    """Bands and rows for a threshold, with the error rates they imply.

    ``false_positive`` and ``false_negative`` are the areas under the miss and hit
    curves (datasketch's measure); :meth:`probability` is the detection curve.
    """

    threshold: float
    num_perm: int
    bands: int
    rows: int
    false_positive: float
    false_negative: float

    def probability(self, similarity: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Chance that a pair with this Jaccard similarity shares at least one band.

        >>> p = lsh_params(0.8, num_perm=128)
        >>> round(float(p.probability(0.95)), 3) > 0.99
        True
        """
        s = np.asarray(similarity, dtype=np.float64)
        return np.asarray(1.0 - (1.0 - s**self.rows) ** self.bands)


def _area(b: int, r: int, lo: float, hi: float, miss: bool) -> float:
    grid = _GRID[(lo <= _GRID) & (hi >= _GRID)]
    if grid.size < 2:
        return 0.0
    p = 1.0 - (1.0 - grid**r) ** b
    return float(np.trapezoid(1.0 - p if miss else p, grid))


@lru_cache(maxsize=64)
def lsh_params(
    threshold: float,
    num_perm: int = 128,
    *,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> LSHParams:
    """Choose bands and rows (``bands * rows <= num_perm``) for a Jaccard threshold.

    The search tries every split of ``num_perm`` (tens of milliseconds), so results
    are cached: the function is pure, and callers ask for the same few settings.

    >>> p = lsh_params(0.8, num_perm=128)
    >>> (p.bands, p.rows, p.bands * p.rows <= 128)
    (9, 13, True)
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    if not isinstance(num_perm, int) or num_perm < 1:
        raise ValueError(f"num_perm must be a positive int, got {num_perm!r}")
    total = false_positive_weight + false_negative_weight
    if false_positive_weight < 0 or false_negative_weight < 0 or total <= 0:
        raise ValueError("the false positive and negative weights must be >= 0, not both 0")
    best: tuple[float, int, int, float, float] | None = None
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = _area(b, r, 0.0, threshold, miss=False)
            fn = _area(b, r, threshold, 1.0, miss=True)
            err = (false_positive_weight * fp + false_negative_weight * fn) / total
            if best is None or err < best[0] - 1e-15:
                best = (err, b, r, fp, fn)
    assert best is not None  # num_perm >= 1 guarantees one candidate
    _, b, r, fp, fn = best
    return LSHParams(threshold, num_perm, b, r, fp, fn)


@lru_cache(maxsize=64)
def lsh_params_for_recall(jaccard: float, num_perm: int = 128, recall: float = 0.95) -> LSHParams:
    """Bands and rows that make a pair of Jaccard ``jaccard`` a candidate with chance >= ``recall``.

    Of the splits ``bands = num_perm // rows`` that reach ``recall`` at ``jaccard``, the
    one with the most rows (the fewest false candidates below ``jaccard``); one row per
    band when none does. Used when the bands come from a bound on the Jaccard similarity
    that a verifier's threshold implies (:func:`textdedup.verify.candidate_target`): a
    pair at the bound must be found, and the verifier removes the false candidates.

    >>> p = lsh_params_for_recall(0.31, 128, 0.95)
    >>> (p.bands, p.rows), round(float(p.probability(0.31)), 3)
    ((64, 2), 0.998)
    """
    if not 0.0 < jaccard <= 1.0:
        raise ValueError(f"jaccard must be in (0, 1], got {jaccard}")
    if not 0.0 < recall < 1.0:
        raise ValueError(f"recall must be in (0, 1), got {recall}")
    if not isinstance(num_perm, int) or num_perm < 1:
        raise ValueError(f"num_perm must be a positive int, got {num_perm!r}")
    rows = 1
    for r in range(1, num_perm + 1):
        b = num_perm // r
        if 1.0 - (1.0 - jaccard**r) ** b >= recall:
            rows = r
    bands = num_perm // rows
    fp = _area(bands, rows, 0.0, jaccard, miss=False)
    fn = _area(bands, rows, jaccard, 1.0, miss=True)
    return LSHParams(jaccard, num_perm, bands, rows, fp, fn)


def band_keys(
    signatures: npt.NDArray[np.uint32],
    params: LSHParams,
    *,
    first: int = 0,
    count: int | None = None,
) -> npt.NDArray[np.uint64]:
    """One uint64 key per band per text, shape ``(n_texts, bands)``.

    The key of band ``k`` also depends on ``k``, so equal rows in different bands
    never collide. ``first`` and ``count`` select bands ``first .. first + count - 1``
    (all by default): the same keys as those columns of the whole matrix.
    """
    sig = np.asarray(signatures)
    if sig.dtype.kind != "u":
        sig = sig.astype(np.uint64)
    if sig.ndim != 2 or sig.shape[1] < params.bands * params.rows:
        raise ValueError(
            f"signatures must have shape (n, >= {params.bands * params.rows}), got {sig.shape}"
        )
    n, r = sig.shape[0], params.rows
    b = params.bands - first if count is None else count
    if first < 0 or b < 0 or first + b > params.bands:
        raise ValueError(f"bands {first}..{first + b - 1} are not among 0..{params.bands - 1}")
    bands = sig[:, first * r : (first + b) * r].reshape(n, b, r)
    # All bands advance one row per step: r passes over (n, bands) instead of b * r
    # passes over n, with the same values as hashing each band on its own.
    keys = np.empty((n, b), dtype=np.uint64)
    keys[:] = mix64(np.arange(first + 1, first + b + 1, dtype=np.uint64))
    with np.errstate(over="ignore"):
        for col in range(r):
            keys ^= bands[:, :, col]
            _mix64_inplace(keys)
    return keys


def _mix64_inplace(x: npt.NDArray[np.uint64]) -> None:
    """:func:`textdedup.shingle.mix64` without temporaries."""
    x += _GOLDEN
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31


@dataclass(frozen=True, slots=True)
class CandidatePairs:
    """Unique candidate pairs ``(left[k], right[k])`` with ``left < right``, sorted.

    ``screened`` counts the pairs that shared a band but were dropped by the signature
    screen of :func:`screened_candidate_pairs`, once per bucket that proposed them (a
    pair below the threshold rarely shares two bands: the square of a small chance);
    0 from :func:`candidate_pairs`.
    """

    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    giant_buckets: int
    screened: int = 0

    def __len__(self) -> int:
        return int(self.left.size)


def candidate_pairs(
    keys: npt.NDArray[np.uint64],
    *,
    valid: npt.NDArray[np.bool_] | None = None,
    max_bucket: int = 200,
) -> CandidatePairs:
    """Pairs of texts that share at least one band key.

    Parameters
    ----------
    keys:
        Band keys from :func:`band_keys`, shape ``(n_texts, bands)``.
    valid:
        Texts that take part (for example, those with at least one shingle).
    max_bucket:
        Buckets with more members emit only star edges from their smallest member.

    Examples
    --------
    >>> k = np.array([[1, 5], [1, 6], [2, 6], [3, 7]], dtype=np.uint64)
    >>> p = candidate_pairs(k)
    >>> list(zip(p.left.tolist(), p.right.tolist()))
    [(0, 1), (1, 2)]
    """
    keys = np.asarray(keys, dtype=np.uint64)
    if keys.ndim != 2:
        raise ValueError(f"keys must have shape (n_texts, bands), got {keys.shape}")
    n = keys.shape[0]
    giant = [0]
    codes = [
        _codes(left, right, n) for left, right in _bucket_pairs(keys, valid, max_bucket, giant)
    ]
    return _from_codes(codes, n, giant[0])


# Pairs made at once from ordinary buckets (a chunk of buckets): bounds the working
# arrays of a band whose buckets are large (tens of bytes a pair, several arrays: at 2M
# pairs a chunk they took 140 MB beside a million documents' signatures, the peak of a
# run; at 256k, 20 MB, and the loop's Python cost is still nothing beside the arrays').
_PAIRS_AT_ONCE = 1 << 18


def _bucket_pairs(
    keys: npt.NDArray[np.uint64],
    valid: npt.NDArray[np.bool_] | None,
    max_bucket: int,
    giant: list[int],
) -> Iterator[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """The pairs of every bucket of ``keys``, in chunks of about ``_PAIRS_AT_ONCE``.

    A pair shared by several buckets comes once per bucket. ``giant[0]`` is increased by
    the number of buckets over ``max_bucket`` members (star edges only).
    """
    n, bands = keys.shape
    every = valid is None or bool(valid.all())
    ids = np.arange(n, dtype=np.int64) if valid is None or every else np.flatnonzero(valid)
    m = ids.size
    if m < 2 or bands == 0:
        return
    # Sort every band's keys at once; a bucket is a run of equal keys within one band.
    sub = keys if every else keys[ids]  # no copy when every text takes part
    order = np.argsort(sub, axis=0)
    flat = np.take_along_axis(sub, order, axis=0).T.ravel()
    del sub
    members = (order if every else ids[order]).T.ravel()
    del order
    new = np.ones(flat.size, dtype=bool)
    new[1:] = flat[1:] != flat[:-1]
    new[::m] = True  # a bucket never spans two bands
    del flat
    starts = np.flatnonzero(new)
    del new
    sizes = np.diff(np.append(starts, members.size))
    multi = sizes > 1
    starts, sizes = starts[multi], sizes[multi]
    big = sizes > max_bucket
    giant[0] += int(big.sum())
    if big.any():
        # Giant buckets: star edges from their smallest member, enough to keep them connected.
        big_starts, big_sizes = starts[big], sizes[big]
        gpos = _run_positions(big_starts, big_sizes)
        other = members[gpos]
        center = np.repeat(np.minimum.reduceat(other, np.cumsum(big_sizes) - big_sizes), big_sizes)
        keep = other != center
        yield center[keep], other[keep]
    # Ordinary buckets: every pair. Member q of a bucket of size k pairs with the k-1-q after it.
    small_starts, small_sizes = starts[~big], sizes[~big]
    made = np.cumsum(small_sizes * (small_sizes - 1) // 2)
    lo = 0
    while lo < small_sizes.size:
        # Buckets lo..hi-1 make at most _PAIRS_AT_ONCE pairs (at least one bucket).
        before = int(made[lo - 1]) if lo else 0
        hi = max(lo + 1, int(np.searchsorted(made, before + _PAIRS_AT_ONCE, side="right")))
        c_starts, c_sizes = small_starts[lo:hi], small_sizes[lo:hi]
        pos = _run_positions(c_starts, c_sizes)
        within = pos - np.repeat(c_starts, c_sizes)
        after = np.repeat(c_sizes, c_sizes) - 1 - within
        first = np.repeat(pos, after)
        second = first + 1 + _run_positions(np.zeros_like(after), after)
        yield members[first], members[second]
        lo = hi


def _codes(
    left: npt.NDArray[np.int64], right: npt.NDArray[np.int64], n: int
) -> npt.NDArray[np.uint64]:
    """One uint64 a pair, ``min * n + max``: unordered pairs compare equal."""
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    return np.asarray(lo.astype(np.uint64) * np.uint64(n) + hi.astype(np.uint64))


def _from_codes(
    codes: list[npt.NDArray[np.uint64]], n: int, giant: int, screened: int = 0
) -> CandidatePairs:
    """The unique pairs of ``codes`` (from :func:`_codes`), sorted."""
    empty = np.zeros(0, dtype=np.int64)
    code = _unique_sorted(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.uint64)
    if code.size == 0:
        return CandidatePairs(empty, empty, giant, screened)
    return CandidatePairs(
        (code // np.uint64(n)).astype(np.int64),
        (code % np.uint64(n)).astype(np.int64),
        giant,
        screened,
    )


#: Chance, per pair, that the screen drops a pair whose Jaccard is at the threshold.
SCREEN_MISS = 1e-9
# Band keys sorted at once: the bands of a group hold at most this many keys together
# (8 MB of keys; the sort and the pairs of a group take about ten times that).
_KEYS_AT_ONCE = 1 << 20


@lru_cache(maxsize=64)
def min_agreement(threshold: float, num_perm: int, miss: float = SCREEN_MISS) -> int:
    """The fewest equal MinHash values a pair of Jaccard ``threshold`` shows, but for ``miss``.

    Each of the ``num_perm`` values of two signatures is equal with probability equal
    to the Jaccard similarity ``J`` of the two shingle sets (Broder, "On the resemblance
    and containment of documents", 1997), so their count of equal values is
    Binomial(``num_perm``, ``J``), and its lower tail falls as ``J`` rises. The result is
    the largest ``k`` with ``P(X < k | J = threshold) <= miss``: a pair with fewer than
    ``k`` equal values has a Jaccard below the threshold but with a chance of at most
    ``miss`` (a pair above the threshold, less). Tail summed in log space.

    >>> min_agreement(0.7, 128)
    57
    >>> min_agreement(0.0, 128), min_agreement(1.0, 128)
    (0, 128)
    """
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    if threshold <= 0.0:
        return 0
    if threshold >= 1.0:
        return num_perm
    lp, lq = math.log(threshold), math.log1p(-threshold)
    tail = 0.0
    for k in range(num_perm + 1):
        # tail = P(X < k); adding P(X = k) gives P(X < k + 1).
        pmf = math.exp(
            math.lgamma(num_perm + 1)
            - math.lgamma(k + 1)
            - math.lgamma(num_perm - k + 1)
            + k * lp
            + (num_perm - k) * lq
        )
        if tail + pmf > miss:
            return k
        tail += pmf
    return num_perm


def screened_candidate_pairs(
    signatures: npt.NDArray[np.uint32],
    params: LSHParams,
    *,
    min_agree: int,
    valid: npt.NDArray[np.bool_] | None = None,
    max_bucket: int = 200,
) -> CandidatePairs:
    """:func:`candidate_pairs` of ``band_keys(signatures, params)``, less the pairs that
    agree in fewer than ``min_agree`` signature values.

    The bands go in groups of about 1M keys (all at once up to 50k texts at 20 bands),
    and each group's pairs are screened before the next group is sorted: the memory
    held is one group's keys and the pairs that passed, not every candidate pair of
    every band. With ``min_agree=0`` the result equals :func:`candidate_pairs`'s.

    Parameters
    ----------
    signatures:
        ``(n_texts, >= bands * rows)`` uint32 MinHash values.
    params:
        Bands and rows (:func:`lsh_params`).
    min_agree:
        Equal values a pair needs (:func:`min_agreement` of the threshold).
    valid, max_bucket:
        As for :func:`candidate_pairs`.

    Returns
    -------
    CandidatePairs
        The pairs that passed, sorted, ``left < right``; ``screened`` counts the others.
    """
    sig = np.asarray(signatures)
    n = sig.shape[0]
    per_group = max(1, min(params.bands, _KEYS_AT_ONCE // max(n, 1)))
    codes: list[npt.NDArray[np.uint64]] = []
    giant = [0]
    screened = 0
    for first in range(0, params.bands, per_group):
        count = min(per_group, params.bands - first)
        keys = band_keys(sig, params, first=first, count=count)
        group: list[npt.NDArray[np.uint64]] = []
        for left, right in _bucket_pairs(keys, valid, max_bucket, giant):
            if min_agree > 0 and left.size:
                keep = _agree(sig, left, right, min_agree)
                screened += int(left.size - np.count_nonzero(keep))
                left, right = left[keep], right[keep]
            group.append(_codes(left, right, n))
        codes.append(_unique_sorted(np.concatenate(group)) if group else np.zeros(0, np.uint64))
    return _from_codes(codes, n, giant[0], screened)


def _unique_sorted(code: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """``code`` sorted in place, one of each run of equal codes: np.unique's result,
    without the hash table numpy 2 builds first (tens of times slower on a million codes)."""
    code.sort()
    return code[np.concatenate(([True], code[1:] != code[:-1]))] if code.size else code


# Pairs compared at once by the numpy screen: two (pairs, num_perm) uint32 gathers.
_AGREE_CHUNK = 1 << 15


def _agree(
    sig: npt.NDArray[np.uint32],
    left: npt.NDArray[np.int64],
    right: npt.NDArray[np.int64],
    at_least: int,
) -> npt.NDArray[np.bool_]:
    """Whether each pair's signatures agree in ``at_least`` values (compiled when loaded)."""
    from .shingle import compiled

    kernels = compiled("auto", work=int(left.size) * 64)
    if kernels is not None:
        out: npt.NDArray[np.bool_] = kernels.signature_agreement(
            sig, left, right, at_least=at_least
        )
        return out
    keep = np.empty(left.size, dtype=bool)
    for lo in range(0, left.size, _AGREE_CHUNK):
        hi = lo + _AGREE_CHUNK
        same = (sig[left[lo:hi]] == sig[right[lo:hi]]).sum(axis=1)
        keep[lo:hi] = same >= at_least
    return keep


def _run_positions(
    starts: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Concatenation of ``arange(s, s + k)`` for every start ``s`` and size ``k``.

    >>> _run_positions(np.array([2, 10]), np.array([3, 1])).tolist()
    [2, 3, 4, 10]
    """
    total = int(sizes.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    run_begin = np.cumsum(sizes) - sizes
    return np.asarray(np.arange(total, dtype=np.int64) + np.repeat(starts - run_begin, sizes))
