"""Tokens and n-gram shingles as stable 64-bit hashes, without per-token Python work.

Third stage of the flow: keys in, one flat array of shingle hashes plus per-text
offsets out. A whole batch of texts becomes one array of code points; words are
found with a character-class table, hashed with a polynomial over mixed code points
(prefix sums, so every word costs a few array operations), and combined into n-gram
hashes with array arithmetic. Ideographic and syllabic scripts written without
spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar, Tibetan) count one
character as one word, so word n-grams work on Chinese and Japanese too.

Every hash here is a pure function of the text and the constants below: the same
on every run, process and machine. Python's salted ``hash()`` is never used.

``engine="numba"`` runs the same hashing as compiled loops (:mod:`textdedup._kernel`,
needs the ``fast`` extra); the hashes are bit-identical to the numpy engine's.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import Literal

import numpy as np
import numpy.typing as npt
import regex

from .scripts import UNSPACED

__all__ = [
    "ENGINES",
    "HASH_NAME",
    "EngineName",
    "Shingles",
    "check_engine",
    "compiled",
    "mix64",
    "shingle_hashes",
    "token_hashes",
]

Unit = Literal["word", "char"]
EngineName = Literal["auto", "numpy", "numba"]
#: Accepted values of ``engine``.
ENGINES = ("auto", "numpy", "numba")
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

#: Name of the hashing scheme, stored with every signature.
HASH_NAME = "poly64-splitmix-v1"

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_Q = np.uint64(0x100000001B3)  # odd, so it has an inverse modulo 2**64
_Q_INV = np.uint64(pow(0x100000001B3, -1, 2**64))
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)

_SINGLE_SCRIPTS = UNSPACED
_SINGLE_RE = regex.compile(rf"[{_SINGLE_SCRIPTS}]")


def mix64(x: U64) -> U64:
    """SplitMix64's finalizer: a bijection on uint64 that spreads every input bit.

    >>> int(mix64(np.array([1], dtype=np.uint64))[0])
    10451216379200822465
    """
    with np.errstate(over="ignore"):
        x = x + _GOLDEN
        x = (x ^ (x >> _S30)) * _M1
        x = (x ^ (x >> _S27)) * _M2
        return x ^ (x >> _S31)


def _numba_installed() -> bool:
    # find_spec looks for the package without importing it (importing numba takes ~0.5 s).
    return importlib.util.find_spec("numba") is not None


def check_engine(engine: object) -> None:
    """Raise ``ValueError`` unless ``engine`` is valid and, if ``"numba"``, installed."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be 'auto', 'numpy' or 'numba', got {engine!r}")
    if engine == "numba" and not _numba_installed():
        raise ValueError(
            "engine='numba' needs numba, which is not installed: "
            "pip install numba, or use engine='auto'"
        )


# With engine="auto", a call with less work than this (characters of text) runs on the
# numpy code until the compiled kernels are loaded in the process: loading them costs
# about 0.8 s of CPU from numba's cache (importing numba 0.3 s, the fused signature
# kernel 0.5 s; 5 s the first time on a machine), and numpy signs about 12M characters
# of keys a second against 60M compiled, so numba pays for itself from about 10M
# characters (measured 2026-11-30). Both give the same bits.
AUTO_COMPILE_MIN_CHARS = 1 << 23


def compiled(engine: EngineName, *, work: int | None = None) -> ModuleType | None:
    """The compiled kernels for ``engine``, or ``None`` for the numpy code.

    ``"auto"`` means numba when it imports, numpy otherwise; and numpy for a call
    whose ``work`` (characters of text) is under :data:`AUTO_COMPILE_MIN_CHARS` while
    numba is not yet loaded in this process, so a small input never waits for the
    compiler. numba is imported here, on first use, never by ``import textdedup``.
    """
    check_engine(engine)
    if engine == "numpy":
        return None
    from . import _kernel

    if (
        engine == "auto"
        and work is not None
        and work < AUTO_COMPILE_MIN_CHARS
        and not _kernel.is_loaded()
    ):
        return None
    try:
        _kernel.load()
    except ImportError:
        if engine == "numba":
            raise
        return None
    return _kernel


@lru_cache(maxsize=2)
def _power_table(n: int) -> tuple[U64, U64]:
    with np.errstate(over="ignore"):
        q = np.full(n, _Q, dtype=np.uint64)
        q[0] = 1
        qi = np.full(n, _Q_INV, dtype=np.uint64)
        qi[0] = 1
        return np.cumprod(q, dtype=np.uint64), np.cumprod(qi, dtype=np.uint64)


def _powers(n: int) -> tuple[U64, U64]:
    """Powers of Q and of its inverse, at least ``n`` of each (sizes rounded up to 2**k)."""
    return _power_table(1 << max(16, (n - 1).bit_length()))


def token_hashes(texts: Sequence[str], *, unit: Unit = "word", workers: int = 0) -> tuple[U64, I64]:
    """Hash every token of every text.

    Returns ``(hashes, offsets)``: the tokens of text ``i`` are
    ``hashes[offsets[i]:offsets[i + 1]]``. With ``unit="word"`` a token is a run of
    non-space characters (one character, for scripts written without spaces); with
    ``unit="char"`` every character, spaces included, is a token. Texts are expected
    to be keys (see :func:`textdedup.normalize.normalize_key`), so punctuation is
    already gone and case already folded. Bytes up to 32 (ASCII spaces and control
    characters, newlines included) separate words. ``workers`` threads hash chunks of
    the batch (``0``: one per core, at most 4); the result does not depend on it.

    >>> h, off = token_hashes(["a b a", "", "今天 ok"])
    >>> off.tolist(), bool(h[0] == h[2]), bool(h[0] != h[1])
    ([0, 3, 3, 6], True, True)
    """
    if not texts:
        return np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64)
    if unit == "char":
        return _char_hashes(texts)
    if unit != "word":
        raise ValueError(f"unit must be 'word' or 'char', got {unit!r}")
    texts = _split_single_scripts(texts)
    chunks = _chunks(texts)
    workers = workers or min(4, os.cpu_count() or 1)
    if workers == 1 or len(chunks) == 1:
        parts = [_word_hashes(texts[lo:hi]) for lo, hi in chunks]
    else:
        # numpy releases the GIL in the array passes, so chunks hash in parallel.
        with ThreadPoolExecutor(min(workers, len(chunks))) as pool:
            parts = list(pool.map(lambda c: _word_hashes(texts[c[0] : c[1]]), chunks))
    hashes, offsets = [], [np.zeros(1, dtype=np.int64)]
    done = 0
    for h, off in parts:
        hashes.append(h)
        offsets.append(off[1:] + done)
        done += h.size
    return np.concatenate(hashes), np.concatenate(offsets)


def _split_single_scripts(texts: Sequence[str]) -> list[str]:
    """Put spaces around characters of the space-less scripts, so each is one word."""
    return [
        t if t.isascii() or not _SINGLE_RE.search(t) else _SINGLE_RE.sub(r" \g<0> ", t)
        for t in texts
    ]


def _utf8_batch(keys: Sequence[str]) -> tuple[npt.NDArray[np.uint8], I64, I64]:
    """Keys as one UTF-8 buffer, with the space-less scripts split: ``(data, starts, ends)``.

    Key ``i`` is ``data[starts[i]:ends[i]]``; the compiled word kernels read this.
    """
    keys = _split_single_scripts(keys)
    joined = ("\n".join(keys) + "\n").encode("utf-8", "surrogatepass")
    sizes = _utf8_sizes(keys)
    ends = np.cumsum(sizes + 1) - 1
    return np.frombuffer(joined, dtype=np.uint8), ends - sizes, ends


def _utf32_batch(keys: Sequence[str]) -> tuple[npt.NDArray[np.uint32], I64]:
    """Keys as one array of code points, with per-key offsets (``unit="char"`` tokens)."""
    codes = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, keys), dtype=np.int64, count=len(keys)), out=offsets[1:])
    return codes, offsets


def _utf8_sizes(texts: Sequence[str]) -> I64:
    return np.fromiter(
        (len(t) if t.isascii() else len(t.encode("utf-8", "surrogatepass")) for t in texts),
        dtype=np.int64,
        count=len(texts),
    )


# Half a million characters per chunk: big enough that numpy's per-call cost vanishes,
# small enough for two or more chunks to share the cores on a 20k-paragraph batch.
_CHUNK_CHARS = 1 << 19


def _chunks(texts: Sequence[str], chars: int = 0) -> list[tuple[int, int]]:
    """Split texts into runs of about ``chars`` (default ``_CHUNK_CHARS``) characters."""
    chars = chars or _CHUNK_CHARS
    bounds, lo, size = [], 0, 0
    for i, t in enumerate(texts):
        size += len(t) + 1
        if size >= chars:
            bounds.append((lo, i + 1))
            lo, size = i + 1, 0
    if lo < len(texts) or not bounds:
        bounds.append((lo, len(texts)))
    return bounds


def _word_hashes(texts: Sequence[str]) -> tuple[U64, I64]:
    data = np.frombuffer(("\n".join(texts) + "\n").encode("utf-8", "surrogatepass"), dtype=np.uint8)
    n = data.size
    sep = data <= 32
    is_tok = ~sep
    prev = np.ones(n, dtype=bool)
    prev[1:] = sep[:-1]
    nxt = np.ones(n, dtype=bool)
    nxt[:-1] = sep[1:]
    tok_start = np.flatnonzero(is_tok & prev)
    tok_end = np.flatnonzero(is_tok & nxt) + 1
    pw, pw_inv = _powers(n + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(_BYTE_TABLE[data] * pw[:n], dtype=np.uint64, out=prefix[1:])
        poly = (prefix[tok_end] - prefix[tok_start]) * pw_inv[tok_start]
        hashes = mix64(poly ^ ((tok_end - tok_start).astype(np.uint64) * _M2))
    # Text ends from byte lengths, not from newline positions: a text may hold newlines.
    sizes = _utf8_sizes(texts)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    offsets[1:] = np.searchsorted(tok_start, np.cumsum(sizes + 1) - 1)
    return hashes, offsets


_BYTE_TABLE = mix64(np.arange(256, dtype=np.uint64))


def _char_hashes(texts: Sequence[str]) -> tuple[U64, I64]:
    codes, offsets = _utf32_batch(texts)
    return mix64(codes.astype(np.uint64)), offsets


@dataclass(frozen=True, slots=True)
class Shingles:
    """Shingle hashes of a batch of texts: text ``i`` owns ``hashes[offsets[i]:offsets[i+1]]``."""

    hashes: U64
    offsets: I64


# Odd multipliers that give each position in an n-gram its own weight.
_POSITION_WEIGHTS = mix64(np.arange(1, 65, dtype=np.uint64)) | np.uint64(1)


def shingle_hashes(
    texts: Sequence[str],
    *,
    ngram: int = 5,
    unit: Unit = "word",
    workers: int = 0,
    engine: EngineName = "numpy",
) -> Shingles:
    """Hashes of the n-grams of tokens of every text.

    A text with fewer than ``ngram`` tokens (but at least one) gets one shingle made
    of all its tokens, so short texts still compare; an empty text gets none.
    ``workers`` is passed to :func:`token_hashes`. ``engine`` picks the numpy code or
    the compiled kernels (``"auto"``: numba if installed); the hashes are the same.

    >>> s = shingle_hashes(["a b c d", "a b c d", "x"], ngram=3)
    >>> s.offsets.tolist()
    [0, 2, 4, 5]
    >>> bool((s.hashes[0:2] == s.hashes[2:4]).all())
    True
    """
    if not 1 <= ngram <= 64:
        raise ValueError(f"ngram must be in [1, 64], got {ngram}")
    kernel = compiled(engine, work=sum(map(len, texts)))
    if kernel is not None:
        return _compiled_shingles(kernel, texts, ngram=ngram, unit=unit, workers=workers)
    tokens, tok_off = token_hashes(texts, unit=unit, workers=workers)
    counts = np.diff(tok_off)
    n_tok = tokens.size
    with np.errstate(over="ignore"):
        acc = np.zeros(n_tok, dtype=np.uint64)
        for t in range(min(ngram, n_tok)):  # n_tok - t < 0 would wrap the slice
            acc[: n_tok - t] += tokens[t:] * _POSITION_WEIGHTS[t]
    text_of = np.repeat(np.arange(len(texts)), counts)
    ends = tok_off[1:][text_of]
    valid = np.arange(n_tok) + ngram <= ends
    shingle_counts = np.maximum(counts - ngram + 1, 0)
    short = np.flatnonzero((counts > 0) & (counts < ngram))
    if short.size:
        # Short texts: one shingle over all their tokens, put in place of their first token.
        idx = np.flatnonzero(((counts > 0) & (counts < ngram))[text_of])
        pos = idx - tok_off[text_of[idx]]
        with np.errstate(over="ignore"):
            terms = tokens[idx] * _POSITION_WEIGHTS[pos]
            acc[tok_off[short]] = np.add.reduceat(terms, np.searchsorted(idx, tok_off[short]))
        valid[tok_off[short]] = True
        shingle_counts[short] = 1
    hashes = mix64(acc[valid])
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(shingle_counts, out=offsets[1:])
    return Shingles(hashes=hashes, offsets=offsets)


def _compiled_shingles(
    kernel: ModuleType, texts: Sequence[str], *, ngram: int, unit: Unit, workers: int
) -> Shingles:
    """:func:`shingle_hashes` through the numba kernels: same tokens, same hashes."""
    if unit == "char":
        tokens, tok_off = token_hashes(texts, unit="char")
    elif unit == "word":
        data, starts, ends = _utf8_batch(texts)
        tokens, tok_off = kernel.word_tokens(
            data,
            starts,
            ends,
            table=_BYTE_TABLE,
            q=_Q,
            m2=_M2,
            workers=workers,
        )
    else:
        raise ValueError(f"unit must be 'word' or 'char', got {unit!r}")
    hashes, offsets = kernel.shingles_from_tokens(
        tokens, tok_off, ngram=ngram, weights=_POSITION_WEIGHTS, workers=workers
    )
    return Shingles(hashes=hashes, offsets=offsets)
