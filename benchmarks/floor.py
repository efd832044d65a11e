"""A compiled floor: textdedup's exact hashing (tokens, shingles, permutations) in numba.

Same bytes in, same signatures out as ``MinHasher(key=None).signatures`` on texts without
characters of the space-less scripts (the benchmark corpus is ASCII), one text per
parallel iteration. It is the yardstick for how far numpy's array passes are from a
compiled loop. Importing this module compiles nothing; :func:`signatures` compiles on
first call.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from textdedup.minhash import MinHasher
from textdedup.shingle import _BYTE_TABLE, _M2, _POSITION_WEIGHTS, _Q, Shingles

__all__ = ["signatures"]


@cache
def _kernel():  # type: ignore[no-untyped-def]
    import numba as nb

    @nb.njit(inline="always")
    def mix(x):  # type: ignore[no-untyped-def]
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))

    @nb.njit(parallel=True, fastmath=False)
    def run(data, starts, ends, table, weights, q, m2, ngram, a, b, out):  # type: ignore[no-untyped-def]
        n_perm = a.size
        for t in nb.prange(starts.size):
            s, e = starts[t], ends[t]
            toks = np.empty(e - s + 1, dtype=np.uint64)
            n_tok = 0
            i = s
            while i < e:
                if data[i] <= 32:
                    i += 1
                    continue
                h = np.uint64(0)
                pw = np.uint64(1)
                j = i
                while j < e and data[j] > 32:
                    h += table[data[j]] * pw
                    pw *= q
                    j += 1
                toks[n_tok] = mix(h ^ (np.uint64(j - i) * m2))
                n_tok += 1
                i = j
            mins = np.full(n_perm, np.uint64(0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
            if n_tok == 0:
                for p in range(n_perm):
                    out[t, p] = np.uint32(0xFFFFFFFF)
                continue
            n_sh = max(n_tok - ngram + 1, 1)
            width = min(ngram, n_tok)
            for k in range(n_sh):
                acc = np.uint64(0)
                for w in range(width):
                    acc += toks[k + w] * weights[w]
                x = mix(acc)
                for p in range(n_perm):
                    v = a[p] * x + b[p]
                    if v < mins[p]:
                        mins[p] = v
            for p in range(n_perm):
                out[t, p] = np.uint32(mins[p] >> np.uint64(32))

    return run


def signatures(texts: Sequence[str], hasher: MinHasher) -> np.ndarray:
    """Signatures of ``texts`` (keys, as ``MinHasher(key=None)`` sees them), compiled."""
    if hasher.unit != "word":
        raise ValueError("the compiled floor covers unit='word' only")
    data = np.frombuffer(("\n".join(texts) + "\n").encode("utf-8"), dtype=np.uint8)
    sizes = np.fromiter(
        (len(t) if t.isascii() else len(t.encode("utf-8")) for t in texts), np.int64, len(texts)
    )
    ends = np.cumsum(sizes + 1) - 1
    starts = ends - sizes
    a, b = hasher.permutations()
    out = np.empty((len(texts), hasher.num_perm), dtype=np.uint32)
    _kernel()(data, starts, ends, _BYTE_TABLE, _POSITION_WEIGHTS, _Q, _M2, hasher.ngram, a, b, out)
    return out


@cache
def affine_kernel():  # type: ignore[no-untyped-def]
    """The permutation pass alone, compiled: shingle hashes in, signatures out."""
    import numba as nb

    @nb.njit(parallel=True)
    def run(hashes, offsets, a, b, out):  # type: ignore[no-untyped-def]
        n_perm = a.size
        for t in nb.prange(offsets.size - 1):
            lo, hi = offsets[t], offsets[t + 1]
            for p in range(n_perm):
                m = np.uint64(0xFFFFFFFFFFFFFFFF)
                ap, bp = a[p], b[p]
                for k in range(lo, hi):
                    v = ap * hashes[k] + bp
                    if v < m:
                        m = v
                out[t, p] = np.uint32(m >> np.uint64(32)) if hi > lo else np.uint32(0xFFFFFFFF)

    return run


def signatures_of(shingles: Shingles, hasher: MinHasher) -> np.ndarray:
    """Signatures from precomputed shingle hashes, compiled (as ``MinHasher.signatures_of``)."""
    a, b = hasher.permutations()
    out = np.empty((shingles.offsets.size - 1, hasher.num_perm), dtype=np.uint32)
    affine_kernel()(shingles.hashes, shingles.offsets, a, b, out)
    return out
