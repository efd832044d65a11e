"""Compiled (numba) kernels for shingling and MinHash: the optional ``numba`` engine.

Same math, same bits as the numpy code in :mod:`textdedup.shingle` and
:mod:`textdedup.minhash`; only the speed differs. The numpy passes are bound by memory
traffic: every step writes a full-size temporary. Here each text is one iteration of
a parallel loop and everything stays in registers and cache. The permutation pass
keeps one running minimum per permutation and never builds the ``(num_perm,
n_shingles)`` block. :func:`word_signatures` and :func:`char_signatures` fuse
tokenizing, shingling and that pass, for :meth:`textdedup.minhash.MinHasher.signatures`:
per text, tokens live in a ``2 * ngram`` window and no batch-sized array is written.

The kernels below are plain Python functions. :func:`load` imports numba and compiles
them, and it runs only when an engine resolves to ``"numba"`` (see
:func:`textdedup.shingle.compiled`). So ``import textdedup`` does not load numba, and this
module imports without it (pytest's doctest collection imports every module). numba is
a core dependency; ``engine='auto'`` skips it for small inputs (see
:func:`textdedup.shingle.compiled`).

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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from types import ModuleType, SimpleNamespace

import numpy as np
import numpy.typing as npt

__all__ = [
    "ascii_key",
    "ascii_keys",
    "char_signatures",
    "is_loaded",
    "load",
    "minhash",
    "shingles_from_tokens",
    "signature_agreement",
    "word_signatures",
    "word_tokens",
]

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


def _word_at_py(
    data: U8, i: int, e: int, table: U64, q: np.uint64, m2: np.uint64
) -> tuple[np.uint64, int]:
    # The word starting at data[i] (a non-space byte): its hash and the index after it.
    # mix(sum(table[byte_j] * q**j) ^ (len * m2)), j counted from the word's first byte:
    # the prefix-sum formula of shingle._word_hashes, unrolled.
    h = np.uint64(0)
    pw = np.uint64(1)
    j = i
    while j < e and data[j] > 32:
        h += table[data[j]] * pw
        pw *= q
        j += 1
    return _mix(h ^ (np.uint64(j - i) * m2)), j


_word_at: Callable[..., tuple[np.uint64, int]] = _word_at_py


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
    for t in prange(starts.size):
        k = tok_off[t]
        i, e = starts[t], ends[t]
        while i < e:
            if data[i] <= 32:
                i += 1
                continue
            out[k], i = _word_at(data, i, e, table, q, m2)
            k += 1


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


def _push_py(
    tok: np.uint64,
    n_tok: int,
    ring: U64,
    ngram: int,
    weights: U64,
    a: U64,
    b: U64,
    mins: U64,
) -> int:
    # Append a token to the text's last-n-gram window, and once the window is full fold
    # its shingle into the running minima; returns the new token count. ``ring`` holds
    # every token twice (slots i and i + ngram), so the window is always the contiguous
    # run ring[s : s + ngram] with s the oldest slot: no modulo in the inner loop.
    pos = n_tok % ngram
    ring[pos] = tok
    ring[pos + ngram] = tok
    n_tok += 1
    if n_tok >= ngram:
        s = n_tok % ngram
        acc = np.uint64(0)
        for w in range(ngram):
            acc += ring[s + w] * weights[w]
        _fold(_mix(acc), a, b, mins)
    return n_tok


def _fold_py(x: np.uint64, a: U64, b: U64, mins: U64) -> None:
    for p in range(a.size):
        v = a[p] * x + b[p]
        if v < mins[p]:
            mins[p] = v


def _finish_py(
    n_tok: int,
    ring: U64,
    ngram: int,
    weights: U64,
    a: U64,
    b: U64,
    mins: U64,
    empty: np.uint32,
    row: U32,
) -> None:
    # A text with fewer than ngram tokens (but one at least) is one shingle of all of
    # them, as in shingle_hashes; they sit in ring[0:n_tok], in order.
    if n_tok == 0:
        for p in range(a.size):
            row[p] = empty
        return
    if n_tok < ngram:
        acc = np.uint64(0)
        for w in range(n_tok):
            acc += ring[w] * weights[w]
        _fold(_mix(acc), a, b, mins)
    for p in range(a.size):
        row[p] = np.uint32(mins[p] >> np.uint64(32))


_push: Callable[..., int] = _push_py
_fold: Callable[..., None] = _fold_py
_finish: Callable[..., None] = _finish_py


def _word_signatures(
    data: U8,
    starts: I64,
    ends: I64,
    table: U64,
    q: np.uint64,
    m2: np.uint64,
    weights: U64,
    ngram: np.int64,
    a: U64,
    b: U64,
    empty: np.uint32,
    out: U32,
) -> None:
    # _word_hashes, _shingles and _minhash fused: per text, tokens and shingles live only
    # in a 2 * ngram window, never in batch-sized arrays.
    for t in prange(starts.size):
        mins = np.full(a.size, np.uint64(0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
        ring = np.zeros(2 * ngram, dtype=np.uint64)
        n_tok = 0
        i, e = starts[t], ends[t]
        while i < e:
            if data[i] <= 32:
                i += 1
                continue
            tok, i = _word_at(data, i, e, table, q, m2)
            n_tok = _push(tok, n_tok, ring, ngram, weights, a, b, mins)
        _finish(n_tok, ring, ngram, weights, a, b, mins, empty, out[t])


def _char_signatures(
    codes: U32,
    offsets: I64,
    weights: U64,
    ngram: np.int64,
    a: U64,
    b: U64,
    empty: np.uint32,
    out: U32,
) -> None:
    # As _word_signatures with one token per code point (shingle._char_hashes).
    for t in prange(offsets.size - 1):
        mins = np.full(a.size, np.uint64(0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
        ring = np.zeros(2 * ngram, dtype=np.uint64)
        n_tok = 0
        for i in range(offsets[t], offsets[t + 1]):
            n_tok = _push(_mix(np.uint64(codes[i])), n_tok, ring, ngram, weights, a, b, mins)
        _finish(n_tok, ring, ngram, weights, a, b, mins, empty, out[t])


# The key byte of a dropped byte in the tables of _ascii_key and _ascii_keys (an ASCII
# text's key bytes are ASCII, below 128).
DROP = 255


def _key_into_py(
    src: U8, lo: int, hi: int, table: U8, collapse: bool, out: U8, n: np.uint64
) -> np.uint64:
    # normalize_key's ASCII path for src[lo:hi], written into out from n on; returns the
    # end of the key in out. In one pass: bytes.translate (table[c] == DROP deletes c),
    # then, with collapse, bytes.split() and b" ".join: runs of spaces become one space,
    # none at the edges (the table maps the six ASCII spaces to b" " then). Unsigned
    # indexes and a uint8 table: no negative-index checks, about twice as fast.
    one = np.uint64(1)
    space = np.uint8(32)
    drop = np.uint8(DROP)
    start = n
    if collapse:
        last = space  # a space "before" the text: leading spaces are dropped
        for i in range(lo, hi):
            c = table[src[i]]
            if c == drop:
                continue
            # Branch-free: a space after a space is overwritten by the next byte.
            out[n] = c
            n += np.uint64((c != space) | (last != space))
            last = c
        if n > start and out[n - one] == space:
            n -= one
    else:
        for i in range(lo, hi):
            c = table[src[i]]
            if c != drop:
                out[n] = c
                n += one
    return n


_key_into: Callable[..., np.uint64] = _key_into_py


def _ascii_key(src: U8, table: U8, collapse: bool, out: U8) -> np.uint64:
    # The key of the one text src into out; returns its length.
    return _key_into(src, 0, src.size, table, collapse, out, np.uint64(0))


def _ascii_keys(src: U8, starts: I64, table: U8, collapse: bool, out: U8, ends: I64) -> None:
    # The key of each text src[starts[t]:starts[t + 1]], written one after another into
    # out; ends[t] is where text t's key ends there (it starts at ends[t - 1]).
    n = np.uint64(0)
    for t in range(starts.size - 1):
        n = _key_into(src, starts[t], starts[t + 1], table, collapse, out, n)
        ends[t] = n


def _agreement(sig: U32, left: I64, right: I64, stop: np.int64, out: I64) -> None:
    # out[k]: equal values of rows left[k] and right[k], counted until more than `stop`
    # values differ (then a number below num_perm - stop: the pair is screened out).
    width = sig.shape[1]
    for k in prange(left.size):
        a, b = left[k], right[k]
        same = 0
        differ = 0
        for c in range(width):
            if sig[a, c] == sig[b, c]:
                same += 1
            else:
                differ += 1
                if differ > stop:
                    break
        out[k] = same


@cache
def load() -> SimpleNamespace:
    """Import numba and wrap the kernels; raises ``ImportError`` if numba is missing.

    Compilation itself happens on each kernel's first call (or loads from the cache).
    """
    import numba as nb

    global prange, _mix, _word_at, _push, _fold, _finish, _key_into
    prange = nb.prange
    inline = nb.njit(inline="always", cache=True)
    _mix = inline(_mix_py)
    _word_at = inline(_word_at_py)
    _fold = inline(_fold_py)
    _push = inline(_push_py)
    _finish = inline(_finish_py)
    _key_into = inline(_key_into_py)
    jit = nb.njit(parallel=True, cache=True, nogil=True)
    return SimpleNamespace(
        nb=nb,
        ascii_key=nb.njit(cache=True, nogil=True)(_ascii_key),
        ascii_keys=nb.njit(cache=True, nogil=True)(_ascii_keys),
        word_counts=jit(_word_counts),
        word_hashes=jit(_word_hashes),
        shingles=jit(_shingles),
        minhash=jit(_minhash),
        word_signatures=jit(_word_signatures),
        char_signatures=jit(_char_signatures),
        agreement=jit(_agreement),
    )


def is_loaded() -> bool:
    """Whether :func:`load` has already run in this process (numba imported, kernels wrapped)."""
    return load.cache_info().currsize > 0


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


def ascii_key(text: str, table: U8, *, collapse: bool) -> str:
    """:func:`textdedup.normalize.normalize_key` of an ASCII ``text`` before its fallback.

    ``table`` (uint8, 256 entries) maps each byte to its key byte, :data:`DROP` to drop
    it; with ``collapse``, it must map the six ASCII spaces to ``b" "``, and runs of
    spaces become one space and the edges are stripped, as ``b" ".join(raw.split())``.
    One text per call, on the calling thread (no thread pool, no lock: it releases the
    GIL and may run in several threads).
    """
    raw = text.encode("ascii")
    out = np.empty(len(raw), dtype=np.uint8)
    n = load().ascii_key(np.frombuffer(raw, dtype=np.uint8), table, collapse, out)
    return out[:n].tobytes().decode("ascii")


def ascii_keys(texts: Sequence[str], table: U8, *, collapse: bool) -> tuple[bytes, list[int]]:
    """:func:`ascii_key` of many ASCII texts in one call: their keys side by side.

    Returns the keys joined (ASCII bytes) and the ``len(texts) + 1`` offsets of each
    key in them: key ``t`` is ``joined[offsets[t]:offsets[t + 1]]``. On the calling
    thread, as :func:`ascii_key`.
    """
    raw = "".join(texts).encode("ascii")
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=starts[1:])
    out = np.empty(len(raw), dtype=np.uint8)
    ends = np.zeros(len(texts) + 1, dtype=np.int64)
    load().ascii_keys(np.frombuffer(raw, dtype=np.uint8), starts, table, collapse, out, ends[1:])
    return out[: int(ends[-1])].tobytes(), ends.tolist()


def signature_agreement(
    signatures: U32, left: I64, right: I64, *, at_least: int, workers: int = 0
) -> npt.NDArray[np.bool_]:
    """Whether rows ``left[k]`` and ``right[k]`` of ``signatures`` hold ``at_least`` equal values.

    ``signatures`` is ``(n_items, num_perm)`` uint32 (C order); ``left`` and ``right`` are
    int64 row numbers of the same length. A pair stops being read once more than
    ``num_perm - at_least`` values differ, so pairs far below the bar cost a fraction of a
    row. Returns a bool array of ``left``'s shape; the same as
    ``(signatures[left] == signatures[right]).sum(axis=1) >= at_least``.
    """
    sig = np.ascontiguousarray(signatures, dtype=np.uint32)
    out = np.empty(left.size, dtype=np.int64)
    stop = np.int64(sig.shape[1] - at_least)
    with _threads(workers, int(left.size) * 64) as k:
        k.agreement(sig, left, right, stop, out)
    return out >= at_least


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


def word_signatures(
    data: U8,
    starts: I64,
    ends: I64,
    a: U64,
    b: U64,
    *,
    table: U64,
    q: np.uint64,
    m2: np.uint64,
    weights: U64,
    ngram: int,
    empty: np.uint32,
    out: U32,
    workers: int = 0,
) -> None:
    """Signatures of the texts at ``data[starts[i]:ends[i]]`` (UTF-8 keys) into ``out[i]``.

    The same as :func:`word_tokens`, then :func:`shingles_from_tokens`, then
    :func:`minhash`, in one pass per text that writes no token or shingle array.
    """
    # About one shingle per 6-7 bytes of prose; the work is shingles x permutations.
    with _threads(workers, data.size * a.size // 6) as k:
        k.word_signatures(
            data, starts, ends, table, q, m2, weights, np.int64(ngram), a, b, np.uint32(empty), out
        )


def char_signatures(
    codes: U32,
    offsets: I64,
    a: U64,
    b: U64,
    *,
    weights: U64,
    ngram: int,
    empty: np.uint32,
    out: U32,
    workers: int = 0,
) -> None:
    """Signatures with one token per code point (``unit="char"``), into ``out``."""
    with _threads(workers, codes.size * a.size) as k:
        k.char_signatures(codes, offsets, weights, np.int64(ngram), a, b, np.uint32(empty), out)
