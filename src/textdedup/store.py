"""A temporary, append-only store of byte strings on disk.

The corpus pipeline spills each record (and its key) here while it reads, so memory
is bounded by the signatures and band keys, not by the size of the corpus, and
standard input need not be read twice.
"""

from __future__ import annotations

import bisect
import itertools
import os
import tempfile
from array import array
from collections.abc import Iterator

import numpy as np

__all__ = ["SpillStore"]

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
