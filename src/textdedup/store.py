"""A temporary, append-only store of byte strings on disk.

The corpus pipeline spills each record (and its key) here while it reads, so memory
is bounded by the signatures and band keys, not by the size of the corpus, and
standard input need not be read twice.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator

import numpy as np

__all__ = ["SpillStore"]


class SpillStore:
    """Append byte strings; read them back by number, or all in order."""

    def __init__(self, directory: str | None = None) -> None:
        fd, self._path = tempfile.mkstemp(prefix="textdedup-", suffix=".spill", dir=directory)
        self._fh = os.fdopen(fd, "w+b")
        os.unlink(self._path)  # gone with the process, whatever happens
        self._offsets: list[int] = [0]
        # Whether the file position is at the end (the last call appended). Appends
        # then need no seek: a seek on a buffered file flushes its buffer, which made
        # every append a write system call.
        self._at_end = True

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def append(self, data: bytes) -> int:
        """Store ``data``; returns its number."""
        if not self._at_end:
            self._fh.seek(0, os.SEEK_END)
            self._at_end = True
        self._fh.write(data)
        self._offsets.append(self._offsets[-1] + len(data))
        return len(self._offsets) - 2

    def get(self, i: int) -> bytes:
        """The byte string number ``i``."""
        start, end = self._offsets[i], self._offsets[i + 1]
        self._at_end = False
        self._fh.seek(start)
        return self._fh.read(end - start)

    def get_many(self, ids: np.ndarray | list[int]) -> list[bytes]:
        """Several byte strings, in the order asked."""
        arr = np.asarray(ids)
        if arr.size > 1 and arr[0] >= 0 and bool(np.all(np.diff(arr) == 1)):
            return self.get_range(int(arr[0]), int(arr[-1]) + 1)
        order = np.argsort(arr, kind="stable")
        out: list[bytes] = [b""] * len(order)
        for k in order.tolist():
            out[k] = self.get(int(ids[k]))
        return out

    def get_range(self, lo: int, hi: int) -> list[bytes]:
        """The byte strings ``lo`` to ``hi - 1``, read at once (they lie side by side)."""
        if hi <= lo:
            return []
        self._at_end = False
        self._fh.seek(self._offsets[lo])
        block = self._fh.read(self._offsets[hi] - self._offsets[lo])
        base = self._offsets[lo]
        cuts = self._offsets[lo : hi + 1]
        return [block[a - base : b - base] for a, b in itertools.pairwise(cuts)]

    def __iter__(self) -> Iterator[bytes]:
        self._fh.flush()
        self._at_end = False
        self._fh.seek(0)
        for i in range(len(self)):
            yield self._fh.read(self._offsets[i + 1] - self._offsets[i])

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> SpillStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
