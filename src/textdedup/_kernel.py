"""Compiled (numba) kernels for shingling and MinHash: the optional ``numba`` engine.

Same math, same bits as the numpy code in :mod:`textdedup.shingle` and
:mod:`textdedup.minhash`; only the speed differs. The numpy passes are bound by memory
traffic: every step writes a full-size temporary. Here each text is one iteration of
a parallel loop and everything stays in registers and cache. The permutation pass
keeps one running minimum per permutation and never builds the ``(num_perm,
n_shingles)`` block.

The kernels below are plain Python functions. :func:`load` imports numba and compiles
them, and it runs only when an engine resolves to ``"numba"`` (see
:func:`textdedup.shingle.compiled`). So ``import textdedup`` does not load numba, and this
module imports without it (pytest's doctest collection imports every module). Install
numba with ``pip install 'textdedup[fast]'``.

Cold start: numba compiles the kernels on their first call, about 5 s on a 2-core
machine. ``cache=True`` writes the machine code to ``__pycache__`` next to this file
(or to ``NUMBA_CACHE_DIR``), so later processes only load it: about 0.3 s to import
numba and 0.5-0.9 s for the first call (see docs/benchmarks.md). Threads:
calls are serialized by a lock, because numba's ``workqueue`` threading layer must not
be entered from two threads at once; each call is itself parallel. With the GNU
OpenMP layer, a child forked from a process that already ran a kernel can hang if it
runs one too; use the ``spawn`` start method or ``NUMBA_THREADING_LAYER=workqueue``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from types import ModuleType, SimpleNamespace

import numpy as np
import numpy.typing as npt

__all__ = ["load", "minhash", "shingles_from_tokens", "word_tokens"]

U8 = npt.NDArray[np.uint8]
U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_LOCK = threading.Lock()
# Below this much work (bytes, tokens, or shingles x permutations) a call runs on one
# thread: waking the pool can cost more than the work, up to tens of ms on a busy machine.
_SERIAL_BELOW = 1 << 17
# Globals the kernels use: sequential Python stand-ins until load() swaps in numba's.
prange = range


def _mix_py(x: np.uint64) -> np.uint64:
    # SplitMix64's finalizer, as textdedup.shingle.mix64.
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


_mix: Callable[[np.uint64], np.uint64] = _mix_py


def _word_counts(data: U8, starts: I64, ends: I64, counts: I64) -> None:
    for t in prange(starts.size):
        c = 0
        prev_sep = True
        for i in range(starts[t], ends[t]):
            sep = data[i] <= 32
            if prev_sep and not sep:
                c += 1
            prev_sep = sep
        counts[t] = c


def _word_hashes(
    data: U8,
    starts: I64,
    ends: I64,
    tok_off: I64,
    table: U64,
    q: np.uint64,
    m2: np.uint64,
    out: U64,
) -> None:
    # A word's hash is mix(sum(table[byte_j] * q**j) ^ (len * m2)), j counted from the
    # word's first byte: the prefix-sum formula of shingle._word_hashes, unrolled.
    for t in prange(starts.size):
        k = tok_off[t]
        i, e = starts[t], ends[t]
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
            out[k] = _mix(h ^ (np.uint64(j - i) * m2))
            k += 1
            i = j


def _shingles(
    tokens: U64, tok_off: I64, sh_off: I64, weights: U64, ngram: np.int64, out: U64
) -> None:
    for t in prange(tok_off.size - 1):
        lo, hi = tok_off[t], tok_off[t + 1]
        n_tok = hi - lo
        if n_tok == 0:
            continue
        width = min(ngram, n_tok)
        o = sh_off[t]
        for k in range(max(n_tok - ngram + 1, 1)):
            acc = np.uint64(0)
            for w in range(width):
                acc += tokens[lo + k + w] * weights[w]
            out[o + k] = _mix(acc)


def _minhash(hashes: U64, offsets: I64, a: U64, b: U64, empty: np.uint32, out: U32) -> None:
    n_perm = a.size
    for t in prange(offsets.size - 1):
        lo, hi = offsets[t], offsets[t + 1]
        if hi == lo:
            for p in range(n_perm):
                out[t, p] = empty
            continue
        # Shingle outer, permutation inner: the inner loop is a straight vector
        # multiply-add-min over num_perm lanes.
        mins = np.full(n_perm, np.uint64(0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
        for k in range(lo, hi):
            x = hashes[k]
            for p in range(n_perm):
                v = a[p] * x + b[p]
                if v < mins[p]:
                    mins[p] = v
        for p in range(n_perm):
            out[t, p] = np.uint32(mins[p] >> np.uint64(32))


@cache
def load() -> SimpleNamespace:
    """Import numba and wrap the kernels; raises ``ImportError`` if numba is missing.

    Compilation itself happens on each kernel's first call (or loads from the cache).
    """
    import numba as nb

    global prange, _mix
    prange = nb.prange
    _mix = nb.njit(inline="always", cache=True)(_mix_py)
    jit = nb.njit(parallel=True, cache=True, nogil=True)
    return SimpleNamespace(
        nb=nb,
        word_counts=jit(_word_counts),
        word_hashes=jit(_word_hashes),
        shingles=jit(_shingles),
        minhash=jit(_minhash),
    )


@contextmanager
def _threads(workers: int, work: int) -> Iterator[SimpleNamespace]:
    """Run with ``workers`` numba threads (``0``: one per core, at most 4), one call at a time."""
    k = load()
    nb: ModuleType = k.nb
    n = 1 if work < _SERIAL_BELOW else workers or min(4, os.cpu_count() or 1)
    n = max(1, min(n, nb.config.NUMBA_NUM_THREADS))
    with _LOCK:
        old = nb.get_num_threads()
        nb.set_num_threads(n)
        try:
            yield k
        finally:
            nb.set_num_threads(old)


def word_tokens(
    data: npt.NDArray[np.uint8],
    starts: I64,
    ends: I64,
    *,
    table: U64,
    q: np.uint64,
    m2: np.uint64,
    workers: int = 0,
) -> tuple[U64, I64]:
    """Word hashes of the texts at ``data[starts[i]:ends[i]]`` (UTF-8), with per-text offsets."""
    counts = np.empty(starts.size, dtype=np.int64)
    offsets = np.zeros(starts.size + 1, dtype=np.int64)
    with _threads(workers, data.size) as k:
        k.word_counts(data, starts, ends, counts)
        np.cumsum(counts, out=offsets[1:])
        out = np.empty(int(offsets[-1]), dtype=np.uint64)
        k.word_hashes(data, starts, ends, offsets, table, q, m2, out)
    return out, offsets


def shingles_from_tokens(
    tokens: U64, tok_off: I64, *, ngram: int, weights: U64, workers: int = 0
) -> tuple[U64, I64]:
    """Shingle hashes from token hashes, as :func:`textdedup.shingle.shingle_hashes`."""
    counts = np.diff(tok_off)
    sh_counts = np.where(counts > 0, np.maximum(counts - ngram + 1, 1), 0)
    offsets = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(sh_counts, out=offsets[1:])
    out = np.empty(int(offsets[-1]), dtype=np.uint64)
    with _threads(workers, tokens.size) as k:
        k.shingles(tokens, tok_off, offsets, weights, np.int64(ngram), out)
    return out, offsets


def minhash(
    hashes: U64, offsets: I64, a: U64, b: U64, *, empty: np.uint32, workers: int = 0
) -> npt.NDArray[np.uint32]:
    """``(n_texts, num_perm)`` minima of ``(a * x + b) mod 2**64``, top 32 bits kept."""
    # Contiguous, fixed dtypes: one compiled specialization serves every caller.
    hashes = np.ascontiguousarray(hashes, dtype=np.uint64)
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    out = np.empty((offsets.size - 1, a.size), dtype=np.uint32)
    with _threads(workers, hashes.size * a.size) as k:
        k.minhash(hashes, offsets, a, b, np.uint32(empty), out)
    return out
