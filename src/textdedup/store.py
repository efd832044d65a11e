"""Temporary, append-only stores on disk: byte strings, and names with their repeats.

The corpus pipeline spills each record (and its key) here while it reads, so memory
is bounded by the signatures and band keys, not by the size of the corpus, and
standard input need not be read twice. :class:`NameStore` spills the records' names
(ids) the same way and keeps an 8-byte hash of each in memory, to find a name given
twice without holding every name as a Python string.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import os
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = ["NameStore", "Repeat", "SpillStore"]

_BUFFER = 1 << 20


class SpillStore:
    """Append byte strings; read them back by number, or all in order.

    Appends go through a 1 MB buffer (one write system call per MB, not per item);
    reads flush it once and then read the file at an offset (``os.pread``), with no
    seek and no read-ahead, so a random read costs one system call of its own size.
    """

    def __init__(self, directory: str | None = None) -> None:
        fd, self._path = tempfile.mkstemp(prefix="textdedup-", suffix=".spill", dir=directory)
        self._fh = os.fdopen(fd, "wb", buffering=_BUFFER)
        self._fd = fd
        os.unlink(self._path)  # gone with the process, whatever happens
        # Offsets in an array: 8 bytes an item, not a list's 36 (memory at 1M items).
        self._offsets = array("q", [0])
        self._dirty = False  # appended since the last flush

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def append(self, data: bytes) -> int:
        """Store ``data``; returns its number."""
        self._fh.write(data)
        self._dirty = True
        self._offsets.append(self._offsets[-1] + len(data))
        return len(self._offsets) - 2

    def extend(self, items: list[bytes]) -> int:
        """Store every byte string of ``items`` (one write); returns the first one's number."""
        first = len(self._offsets) - 1
        self._fh.write(b"".join(items))
        self._dirty = True
        self._offsets.extend(itertools.accumulate(map(len, items), initial=self._offsets[-1]))
        del self._offsets[first]  # accumulate repeated the last offset first
        return first

    def _read(self, start: int, size: int) -> bytes:
        if self._dirty:
            self._fh.flush()
            self._dirty = False
        return os.pread(self._fd, size, start) if size else b""

    def get(self, i: int) -> bytes:
        """The byte string number ``i``."""
        start = self._offsets[i]
        return self._read(start, self._offsets[i + 1] - start)

    def get_many(self, ids: np.ndarray | list[int]) -> list[bytes]:
        """Several byte strings, in the order asked."""
        arr = np.asarray(ids)
        if arr.size > 1 and arr[0] >= 0 and bool(np.all(np.diff(arr) == 1)):
            return self.get_range(int(arr[0]), int(arr[-1]) + 1)
        return [self.get(i) for i in arr.tolist()]

    def get_range(self, lo: int, hi: int) -> list[bytes]:
        """The byte strings ``lo`` to ``hi - 1``, read at once (they lie side by side)."""
        if hi <= lo:
            return []
        base = self._offsets[lo]
        block = self._read(base, self._offsets[hi] - base)
        cuts = self._offsets[lo : hi + 1]
        return [block[a - base : b - base] for a, b in itertools.pairwise(cuts)]

    def __iter__(self) -> Iterator[bytes]:
        """Every byte string in order, read in blocks of about 1 MB."""
        n = len(self)
        lo = 0
        while lo < n:
            hi = bisect.bisect_right(self._offsets, self._offsets[lo] + _BUFFER, lo + 1, n)
            yield from self.get_range(lo, max(hi, lo + 1))
            lo = max(hi, lo + 1)

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> SpillStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Repeat(NamedTuple):
    """A name given twice: name number ``later`` repeats name number ``first`` (the
    first one given, of all the earlier numbers with the same name)."""

    later: int
    first: int


class NameStore:
    """Names (record ids) by number, spilled to disk, and the names given twice.

    Each name is stored as UTF-8 (``surrogatepass``) in a :class:`SpillStore` and read
    back by number; memory holds 24 bytes a name (its offset, an 8-byte hash of it and
    its number in a sorted run), not a Python string in a list and a dict (about 130
    bytes at a million short ids). :meth:`extend` finds the first name of a batch that
    was given before: hashes are compared first, then every hash match is confirmed on
    the names themselves, read back, so a hash collision never makes two names one.

    The hashes are kept in sorted runs of powers of two (the logarithmic method of
    Bentley and Saxe, "Decomposable searching problems I", 1980): a batch is looked up
    in each run with a binary search, then becomes a run of its own, and two runs of
    the same size are merged (timsort merges two sorted runs in linear time), so a
    name costs O(log n) to look up and to keep.

    ``hash_bits`` shortens the hash (tests force collisions with a few bits).

    Examples
    --------
    >>> with NameStore() as names:
    ...     names.extend(["a", "b"]), names.extend(["c", "a"]), names[3]
    (None, Repeat(later=3, first=0), 'a')
    """

    def __init__(self, *, hash_bits: int = 64, directory: str | None = None) -> None:
        if not 1 <= hash_bits <= 64:
            raise ValueError(f"hash_bits must be in [1, 64], got {hash_bits}")
        self._store = SpillStore(directory)
        self._mask = np.uint64((1 << hash_bits) - 1)
        # Sorted runs: (hashes, their name numbers), sizes decreasing.
        self._runs: list[tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]] = []
        self._cache: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._store)

    def __getitem__(self, i: int) -> str:
        """Name number ``i``, read back from disk (the last few thousand are cached)."""
        name = self._cache.get(i)
        if name is None:
            name = self._store.get(i).decode("utf-8", "surrogatepass")
            if len(self._cache) >= _NAMES_CACHED:
                self._cache.clear()
            self._cache[i] = name
        return name

    def _hashes(self, encoded: Sequence[bytes]) -> npt.NDArray[np.uint64]:
        joined = b"".join([hashlib.blake2b(e, digest_size=8).digest() for e in encoded])
        return np.frombuffer(joined, dtype="<u8") & self._mask

    def extend(self, names: Sequence[str], *, check: bool = True) -> Repeat | None:
        """Add ``names``, numbered from ``len(self)`` on, in order.

        Returns the first of them (in order) that repeats a name given before (in an
        earlier call or earlier in ``names``), or ``None``; with ``check=False``, nothing
        is looked up and ``None`` is returned (names that may repeat, such as the ids of
        index items, kept only to be read back).
        """
        base = len(self)
        encoded = [n.encode("utf-8", "surrogatepass") for n in names]
        self._store.extend(encoded)
        if not check or not encoded:
            return None
        hashes = self._hashes(encoded)
        numbers = np.arange(base, base + hashes.size, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        run = (hashes[order], numbers[order])
        repeat = self._first_repeat(run, encoded, base)
        self._runs.append(run)
        while len(self._runs) > 1 and self._runs[-2][0].size <= self._runs[-1][0].size:
            (h1, n1), (h2, n2) = self._runs.pop(), self._runs.pop()
            merged_h = np.concatenate([h2, h1])
            merged_n = np.concatenate([n2, n1])
            # Two sorted runs: timsort merges them in one pass. Stable, so equal hashes
            # stay in the order their names were given.
            at = np.argsort(merged_h, kind="stable")
            self._runs.append((merged_h[at], merged_n[at]))
        return repeat

    def _first_repeat(
        self,
        run: tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]],
        encoded: list[bytes],
        base: int,
    ) -> Repeat | None:
        """The first name of the batch ``run`` (its sorted hashes and numbers) that
        equals an earlier name, confirmed on the names themselves."""
        hashes, numbers = run
        # Earlier numbers whose hash equals a batch name's: (batch number, earlier number).
        pairs: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]] = []
        # Within the batch: runs of equal hashes (numbers increasing: a stable sort).
        bounds = np.flatnonzero(np.concatenate(([True], hashes[1:] != hashes[:-1], [True])))
        shared = np.flatnonzero(np.diff(bounds) > 1)  # runs of two or more: rare
        for lo, hi in zip(bounds[shared].tolist(), bounds[shared + 1].tolist(), strict=True):
            group = numbers[lo:hi]
            for k in range(1, group.size):
                pairs.append((np.full(k, group[k]), group[:k]))
        for old_h, old_n in self._runs:
            lo = np.searchsorted(old_h, hashes, side="left")
            hi = np.searchsorted(old_h, hashes, side="right")
            for j in np.flatnonzero(hi > lo).tolist():
                pairs.append((np.full(hi[j] - lo[j], numbers[j]), old_n[lo[j] : hi[j]]))
        if not pairs:
            return None
        later = np.concatenate([p[0] for p in pairs])
        first = np.concatenate([p[1] for p in pairs])
        by = np.lexsort((first, later))  # the first later name, then its first equal
        for i, j in zip(later[by].tolist(), first[by].tolist(), strict=True):
            earlier = encoded[j - base] if j >= base else self._store.get(j)
            if earlier == encoded[i - base]:
                return Repeat(i, j)
        return None

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> NameStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_NAMES_CACHED = 4096  # names read back and kept (the keepers of clusters come again)
