"""A temporary, append-only store of byte strings on disk.

The corpus pipeline spills each record (and its key) here while it reads, so memory
is bounded by the signatures and band keys, not by the size of the corpus, and
standard input need not be read twice.
"""

from __future__ import annotations

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

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def append(self, data: bytes) -> int:
        """Store ``data``; returns its number."""
        self._fh.seek(0, os.SEEK_END)
        self._fh.write(data)
        self._offsets.append(self._offsets[-1] + len(data))
        return len(self._offsets) - 2

    def get(self, i: int) -> bytes:
        """The byte string number ``i``."""
        start, end = self._offsets[i], self._offsets[i + 1]
        self._fh.seek(start)
        return self._fh.read(end - start)

    def get_many(self, ids: np.ndarray | list[int]) -> list[bytes]:
        """Several byte strings, in the order asked."""
        order = np.argsort(np.asarray(ids), kind="stable")
        out: list[bytes] = [b""] * len(order)
        for k in order.tolist():
            out[k] = self.get(int(ids[k]))
        return out

    def __iter__(self) -> Iterator[bytes]:
        self._fh.flush()
        self._fh.seek(0)
        for i in range(len(self)):
            yield self._fh.read(self._offsets[i + 1] - self._offsets[i])

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> SpillStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
