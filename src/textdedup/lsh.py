"""LSH banding: signatures in, candidate pairs out.

Fifth stage of the flow. :func:`lsh_params` chooses bands and rows for a
threshold the way datasketch's optimizer does (weighing the false-positive area
below the threshold against the false-negative area above it). :func:`band_keys`
hashes each band of each signature to one uint64, and :func:`candidate_pairs` finds
the texts that share a band key by sorting the keys, not with a dict per item.
Buckets larger than ``max_bucket`` emit star edges only (enough to keep their
members connected) and are counted, so one giant bucket cannot make the work
quadratic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .shingle import mix64

__all__ = ["CandidatePairs", "LSHParams", "band_keys", "candidate_pairs", "lsh_params"]

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
    grid = _GRID[(_GRID >= lo) & (_GRID <= hi)]
    if grid.size < 2:
        return 0.0
    p = 1.0 - (1.0 - grid**r) ** b
    return float(np.trapezoid(1.0 - p if miss else p, grid))


def lsh_params(
    threshold: float,
    num_perm: int = 128,
    *,
    false_positive_weight: float = 0.5,
    false_negative_weight: float = 0.5,
) -> LSHParams:
    """Choose bands and rows (``bands * rows <= num_perm``) for a Jaccard threshold.

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


def band_keys(signatures: npt.NDArray[np.uint32], params: LSHParams) -> npt.NDArray[np.uint64]:
    """One uint64 key per band per text, shape ``(n_texts, bands)``.

    The key of band ``k`` also depends on ``k``, so equal rows in different bands
    never collide.
    """
    sig = np.asarray(signatures, dtype=np.uint64)
    if sig.ndim != 2 or sig.shape[1] < params.bands * params.rows:
        raise ValueError(
            f"signatures must have shape (n, >= {params.bands * params.rows}), got {sig.shape}"
        )
    n, r = sig.shape[0], params.rows
    keys = np.empty((n, params.bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(params.bands):
            acc = np.full(n, mix64(np.array([band + 1], dtype=np.uint64))[0], dtype=np.uint64)
            for col in range(band * r, band * r + r):
                acc = mix64(acc ^ sig[:, col])
            keys[:, band] = acc
    return keys


@dataclass(frozen=True, slots=True)
class CandidatePairs:
    """Unique candidate pairs ``(left[k], right[k])`` with ``left < right``, sorted."""

    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    giant_buckets: int

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
        Buckets with more members emit only star edges from their first member.

    >>> k = np.array([[1, 5], [1, 6], [2, 6], [3, 7]], dtype=np.uint64)
    >>> p = candidate_pairs(k)
    >>> list(zip(p.left.tolist(), p.right.tolist()))
    [(0, 1), (1, 2)]
    """
    n = keys.shape[0]
    ids = np.arange(n, dtype=np.int64) if valid is None else np.flatnonzero(valid)
    found = []
    giant = 0
    for band in range(keys.shape[1]):
        col = keys[ids, band]
        order = np.argsort(col, kind="stable")
        sorted_keys = col[order]
        members = ids[order]
        edge = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
        starts = np.concatenate([[0], edge])
        sizes = np.diff(np.concatenate([starts, [members.size]]))
        multi = sizes > 1
        starts, sizes = starts[multi], sizes[multi]
        big = sizes > max_bucket
        giant += int(big.sum())
        # Star edges: first member of every bucket to each other member.
        rep = np.repeat(members[starts], sizes - 1)
        other = members[np.concatenate([np.arange(s + 1, s + k) for s, k in zip(starts, sizes, strict=True)])] if sizes.size else np.zeros(0, np.int64)
        found.append((rep, other))
        # All other pairs in ordinary buckets, so verification sees every pair.
        for s, k in zip(starts[~big & (sizes > 2)], sizes[~big & (sizes > 2)], strict=True):
            m = members[s : s + k]
            i, j = np.triu_indices(k, 1)
            keep = i > 0
            found.append((m[i[keep]], m[j[keep]]))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return CandidatePairs(empty, empty, giant)
    left = np.concatenate([f[0] for f in found])
    right = np.concatenate([f[1] for f in found])
    lo, hi = np.minimum(left, right), np.maximum(left, right)
    code = np.unique(lo.astype(np.uint64) * np.uint64(max(n, 1)) + hi.astype(np.uint64))
    return CandidatePairs(
        (code // np.uint64(max(n, 1))).astype(np.int64),
        (code % np.uint64(max(n, 1))).astype(np.int64),
        giant,
    )
