"""MinHash signatures for many texts at once, in numpy.

Fourth stage of the flow: shingle hashes in, a ``(n_texts, num_perm)`` signature
matrix out. Each permutation is a multiply-shift hash ``a * x + b (mod 2**64)``
with an odd ``a``; one pass over a ``(num_perm, n_shingles)`` block and a segmented
minimum (``np.minimum.reduceat``) give every text's signature, and the top 32 bits
of each minimum are kept. Blocks are chunked so memory stays bounded, and numpy
releases the GIL, so chunks run on several threads. The permutation constants come
from ``seed`` through SplitMix64 alone, so signatures are identical on every run,
process, platform and worker count.

With ``engine="numba"`` (the default ``"auto"`` picks it when numba is installed: the
``fast`` extra) shingling and the permutation pass run as compiled loops from
:mod:`textdedup._kernel`, several times faster; :meth:`MinHasher.signatures` then fuses
them into one pass per text that writes no token or shingle array. The signatures are
bit-identical,
so ``engine`` is not part of :attr:`MinHasher.settings`. The first call in a process
compiles the kernels or loads them from numba's on-disk cache; see ``_kernel``.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt

from .interop import refuse_unreadable
from .normalize import KeyConfig, normalize_key
from .shingle import (
    _BYTE_TABLE,
    _M2,
    _POSITION_WEIGHTS,
    _Q,
    HASH_NAME,
    EngineName,
    Shingles,
    Unit,
    _utf8_batch,
    _utf32_batch,
    check_engine,
    compiled,
    mix64,
    shingle_hashes,
)
from .shingle import _chunks as shingle_chunks

__all__ = [
    "EMPTY",
    "FORMAT_VERSION",
    "MAX_NGRAM",
    "MAX_NUM_PERM",
    "MinHasher",
    "SignatureArray",
    "check_minhash_settings",
    "jaccard_estimate",
]

#: Version of the signature format; stored with signatures and indexes.
FORMAT_VERSION = 1
#: Signature value of a text with no shingles.
EMPTY = np.uint32(0xFFFFFFFF)
_CHUNK_ELEMENTS = 1 << 21  # num_perm * shingles handled per step: 16 MiB of uint64
_SHIFT = np.uint64(32)
# Characters per run of the compiled path in MinHasher.signatures: ~8 MB of keys and
# bytes at a time, and thousands of paragraphs per parallel call.
_FUSED_CHUNK_CHARS = 1 << 22


class SignatureArray(np.ndarray):
    """A ``(n_texts, num_perm)`` uint32 array that carries the settings that made it.

    ``settings`` holds ``num_perm``, ``seed``, ``ngram``, ``unit``, ``hash`` and
    ``format_version``; comparing signatures made with other settings is meaningless,
    and :meth:`MinHasher.check` turns that mistake into a clear error.
    """

    settings: dict[str, Any]

    def __new__(cls, values: npt.NDArray[np.uint32], settings: dict[str, Any]) -> SignatureArray:
        obj = np.asarray(values, dtype=np.uint32).view(cls)
        obj.settings = dict(settings)
        return obj

    def __array_finalize__(self, obj: object) -> None:
        self.settings = dict(getattr(obj, "settings", {}))


#: Bounds of the MinHash settings, checked by :func:`check_minhash_settings`.
MAX_NUM_PERM = 4096
MAX_NGRAM = 64


def check_minhash_settings(*, num_perm: object, ngram: object, seed: object) -> None:
    """Check the MinHash settings every config and :class:`MinHasher` share.

    Raises
    ------
    ValueError
        Naming the setting and its value: ``num_perm`` not an int in
        [1, :data:`MAX_NUM_PERM`], ``ngram`` not an int in [1, :data:`MAX_NGRAM`],
        ``seed`` not an int in [0, 2**64).

    >>> check_minhash_settings(num_perm=128, ngram=5, seed=1)
    >>> check_minhash_settings(num_perm=0, ngram=5, seed=1)
    Traceback (most recent call last):
    ...
    ValueError: num_perm must be an int in [1, 4096], got 0
    """
    for name, value, low, high in (
        ("num_perm", num_perm, 1, MAX_NUM_PERM),
        ("ngram", ngram, 1, MAX_NGRAM),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name} must be an int in [{low}, {high}], got {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
        raise ValueError(f"seed must be an int in [0, 2**64), got {seed!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class MinHasher:
    """Computes MinHash signatures of texts.

    Parameters
    ----------
    num_perm:
        Number of permutations (signature length).
    ngram:
        Tokens per shingle.
    unit:
        ``"word"`` or ``"char"`` tokens.
    seed:
        Derives the permutations; equal seeds give equal signatures everywhere.
    key:
        How texts are normalized before shingling; ``None`` shingles them as given.
    workers:
        Threads for tokenizing and for the permutation pass; ``0`` means one per core
        (at most 4). Signatures do not depend on it.
    engine:
        ``"numpy"``, ``"numba"`` (compiled) or ``"auto"`` (numba if it is installed, else
        numpy; numpy for small calls until numba is loaded). Signatures do not depend on it.

    Examples
    --------
    >>> mh = MinHasher(num_perm=64, ngram=2)
    >>> sig = mh.signatures(["the cat sat on the mat", "The cat sat on the mat!", "dogs"])
    >>> sig.shape, float(jaccard_estimate(sig[0], sig[1]))
    ((3, 64), 1.0)
    """

    num_perm: int = 128
    ngram: int = 5
    unit: Unit = "word"
    seed: int = 1
    key: KeyConfig | None = field(default_factory=KeyConfig)
    workers: int = 0
    engine: EngineName = "auto"

    def __post_init__(self) -> None:
        check_minhash_settings(num_perm=self.num_perm, ngram=self.ngram, seed=self.seed)
        if self.unit not in ("word", "char"):
            raise ValueError(f"unit must be 'word' or 'char', got {self.unit!r}")
        if not isinstance(self.workers, int) or self.workers < 0:
            raise ValueError(f"workers must be an int >= 0, got {self.workers!r}")
        check_engine(self.engine)

    @property
    def settings(self) -> dict[str, Any]:
        """Everything that must match for two signatures to be comparable."""
        return {
            "num_perm": self.num_perm,
            "seed": self.seed,
            "ngram": self.ngram,
            "unit": self.unit,
            "hash": HASH_NAME,
            "format_version": FORMAT_VERSION,
        }

    def check(self, settings: dict[str, Any]) -> None:
        """Raise ``ValueError`` if ``settings`` (of stored signatures) differ from this hasher's."""
        mine = self.settings
        diff = {k: (settings.get(k), v) for k, v in mine.items() if settings.get(k) != v}
        if diff:
            parts = ", ".join(f"{k}: stored {a!r}, requested {b!r}" for k, (a, b) in diff.items())
            raise ValueError(f"signatures were made with other settings ({parts})")

    def permutations(self) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
        """The multipliers ``a`` (odd) and offsets ``b`` of the permutations."""
        base = mix64(np.array([self.seed], dtype=np.uint64))[0]
        with np.errstate(over="ignore"):
            idx = np.arange(1, 2 * self.num_perm + 1, dtype=np.uint64)
            stream = mix64(base + idx * np.uint64(0x9E3779B97F4A7C15))
        return stream[: self.num_perm] | np.uint64(1), stream[self.num_perm :]

    def keys(self, texts: Sequence[str]) -> list[str]:
        """The texts as this hasher shingles them."""
        if self.key is None:
            return list(texts)
        return [normalize_key(t, self.key) for t in texts]

    def shingles(self, texts: Sequence[str]) -> Shingles:
        """Shingle hashes of the texts (after key normalization)."""
        return shingle_hashes(
            self.keys(texts),
            ngram=self.ngram,
            unit=self.unit,
            workers=self.workers,
            engine=self.engine,
        )

    def signatures(self, texts: Sequence[str]) -> SignatureArray:
        """Signatures of ``texts``, shape ``(len(texts), num_perm)``, dtype uint32."""
        if isinstance(texts, str):
            raise TypeError("texts must be a sequence of str, got one str: wrap it in a list")
        refuse_unreadable(texts, "MinHasher.signatures")
        kernel = compiled(self.engine, work=sum(map(len, texts)))
        if kernel is None:
            return self.signatures_of(self.shingles(texts))
        return SignatureArray(self._fused(kernel, texts), self.settings)

    def signatures_utf8(self, texts: Sequence[bytes]) -> SignatureArray:
        """:meth:`signatures` of texts given as UTF-8 bytes (``surrogatepass``): the same values.

        With no key normalization (``key=None``), word shingles and the compiled
        engine, ASCII texts go to the kernel as they are, with no decoding and
        encoding again (the corpus engine keeps its keys as bytes); other texts are
        decoded and signed by :meth:`signatures`.
        """
        kernel = compiled(self.engine, work=sum(map(len, texts)))
        if (
            kernel is None
            or self.key is not None
            or self.unit != "word"
            or not all(t.isascii() for t in texts)
        ):
            return self.signatures([t.decode("utf-8", "surrogatepass") for t in texts])
        out = np.empty((len(texts), self.num_perm), dtype=np.uint32)
        sizes = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        ends = np.cumsum(sizes + 1) - 1
        data = np.frombuffer(b"\n".join(texts) + b"\n", dtype=np.uint8)
        self._word_kernel(kernel, data, ends - sizes, ends, out)
        return SignatureArray(out, self.settings)

    def _word_kernel(
        self,
        kernel: ModuleType,
        data: npt.NDArray[np.uint8],
        starts: npt.NDArray[np.int64],
        ends: npt.NDArray[np.int64],
        out: npt.NDArray[np.uint32],
    ) -> None:
        """Sign the word-shingle keys ``data[starts[i]:ends[i]]`` (UTF-8) into ``out[i]``."""
        a, b = self.permutations()
        kernel.word_signatures(
            data,
            starts,
            ends,
            a,
            b,
            table=_BYTE_TABLE,
            q=_Q,
            m2=_M2,
            weights=_POSITION_WEIGHTS,
            ngram=self.ngram,
            empty=EMPTY,
            out=out,
            workers=self.workers,
        )

    def _fused(self, kernel: ModuleType, texts: Sequence[str]) -> npt.NDArray[np.uint32]:
        """Keys to signatures in one compiled pass per text: no token or shingle arrays.

        Same values as ``signatures_of(shingles(texts))``. Texts go in runs of about
        ``_FUSED_CHUNK_CHARS`` characters, so keys and their encoded bytes exist for
        one run at a time.
        """
        a, b = self.permutations()
        out = np.empty((len(texts), self.num_perm), dtype=np.uint32)
        for lo, hi in shingle_chunks(texts, _FUSED_CHUNK_CHARS):
            keys = self.keys(texts[lo:hi])
            if self.unit == "word":
                data, starts, ends = _utf8_batch(keys)
                self._word_kernel(kernel, data, starts, ends, out[lo:hi])
            else:
                codes, offsets = _utf32_batch(keys)
                kernel.char_signatures(
                    codes,
                    offsets,
                    a,
                    b,
                    weights=_POSITION_WEIGHTS,
                    ngram=self.ngram,
                    empty=EMPTY,
                    out=out[lo:hi],
                    workers=self.workers,
                )
        return out

    def signatures_of(self, shingles: Shingles) -> SignatureArray:
        """Signatures from precomputed shingle hashes."""
        a, b = self.permutations()
        kernel = compiled(self.engine, work=int(shingles.hashes.size))
        if kernel is not None:
            sig = kernel.minhash(
                shingles.hashes, shingles.offsets, a, b, empty=EMPTY, workers=self.workers
            )
            return SignatureArray(sig, self.settings)
        n_texts = shingles.offsets.size - 1
        out = np.full((self.num_perm, n_texts), EMPTY, dtype=np.uint32)
        nonempty = np.flatnonzero(np.diff(shingles.offsets) > 0)
        jobs = _plan(shingles.offsets, nonempty, _CHUNK_ELEMENTS // self.num_perm)

        def run(job: npt.NDArray[np.int64]) -> None:
            lo, hi = shingles.offsets[job[0]], shingles.offsets[job[-1] + 1]
            x = shingles.hashes[lo:hi]
            with np.errstate(over="ignore"):
                block = np.multiply(a[:, None], x[None, :])
                block += b[:, None]
            starts = shingles.offsets[job] - lo
            mins = np.minimum.reduceat(block, starts, axis=1)
            out[:, job] = (mins >> _SHIFT).astype(np.uint32)

        workers = self.workers or min(4, os.cpu_count() or 1)
        if workers == 1 or len(jobs) == 1:
            for job in jobs:
                run(job)
        else:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(run, jobs))
        return SignatureArray(np.ascontiguousarray(out.T), self.settings)


def _plan(
    offsets: npt.NDArray[np.int64], nonempty: npt.NDArray[np.int64], max_shingles: int
) -> list[npt.NDArray[np.int64]]:
    """Group consecutive non-empty texts into jobs of about ``max_shingles`` shingles."""
    if nonempty.size == 0:
        return []
    ends = offsets[nonempty + 1] - offsets[nonempty[0]]
    cuts = np.searchsorted(ends, np.arange(max_shingles, int(ends[-1]), max_shingles), "left")
    cuts = np.unique(np.concatenate([[0], cuts + 1, [nonempty.size]]))
    cuts = cuts[cuts <= nonempty.size]
    return [nonempty[lo:hi] for lo, hi in itertools.pairwise(cuts) if hi > lo]


def jaccard_estimate(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Estimated Jaccard similarity: the share of positions where two signatures agree.

    >>> jaccard_estimate([1, 2, 3, 4], [1, 2, 0, 0])
    0.5
    """
    x, y = np.asarray(a), np.asarray(b)
    if x.shape != y.shape:
        raise ValueError(f"signatures differ in shape: {x.shape} and {y.shape}")
    return float(np.mean(x == y))
