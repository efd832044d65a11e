"""A persistent index of items seen before, in one SQLite file (no server).

It stores, for every item (a document, or a paragraph or line), its id, its exact
digest, its MinHash signature, its LSH band keys and its key (compressed, for
verification), together with the settings that made them. Opening an index with
other settings is a clear error, never a silent wrong answer. The database runs in
WAL mode and every ``add`` is one transaction: an interrupted add leaves the index
as it was.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .engine import DedupConfig, digest
from .errors import TextdedupError
from .lsh import band_keys
from .minhash import FORMAT_VERSION

__all__ = ["Index", "IndexError_", "IndexRow"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    digest BLOB NOT NULL,
    length INTEGER NOT NULL,
    signature BLOB,
    key BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS items_digest ON items (digest);
CREATE UNIQUE INDEX IF NOT EXISTS items_unique ON items (doc_id, digest);
CREATE TABLE IF NOT EXISTS bands (
    band INTEGER NOT NULL,
    bkey INTEGER NOT NULL,
    item INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS bands_lookup ON bands (band, bkey);
"""


class IndexError_(TextdedupError):
    """The index file is unusable: other settings, another format, or not an index."""


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One stored item."""

    rowid: int
    doc_id: str
    key: str
    length: int
    signature: npt.NDArray[np.uint32] | None


def _settings(config: DedupConfig) -> dict[str, Any]:
    params = config.lsh()
    return {
        "format_version": FORMAT_VERSION,
        "unit": config.unit,
        "mode": config.mode,
        "threshold": config.threshold,
        "bands": params.bands,
        "rows": params.rows,
        "shingle": config.shingle,
        "min_length": config.min_length,
        "key": {k: getattr(config.key, k) for k in config.key.__dataclass_fields__},
        **config.hasher().settings,
    }


class Index:
    """A SQLite-backed store of items, queried by band keys and digests.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "idx.sqlite")
    >>> with Index(path, DedupConfig()) as index:
    ...     index.add([("a", "the cat sat on the mat", 22)])
    ...     len(index)
    1
    1
    """

    def __init__(self, path: str | Path, config: DedupConfig, *, create: bool = True) -> None:
        self.path = str(path)
        self.config = config
        if not create and not Path(self.path).exists():
            raise IndexError_(f"{self.path}: no such index")
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise IndexError_(f"{self.path}: not a textdedup index ({exc})") from None
        self._check_settings()

    def _check_settings(self) -> None:
        mine = _settings(self.config)
        row = self.db.execute("SELECT value FROM meta WHERE name = 'settings'").fetchone()
        if row is None:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('settings', ?)",
                (json.dumps(mine, sort_keys=True),),
            )
            self.db.execute("COMMIT")
            return
        try:
            stored = json.loads(row[0])
        except (TypeError, json.JSONDecodeError):
            raise IndexError_(f"{self.path}: its settings record is damaged") from None
        if not isinstance(stored, dict):
            raise IndexError_(f"{self.path}: its settings record is damaged")
        diff = [k for k in sorted(set(mine) | set(stored)) if mine.get(k) != stored.get(k)]
        if diff:
            parts = ", ".join(
                f"{k}: index has {stored.get(k)!r}, asked for {mine.get(k)!r}" for k in diff
            )
            raise IndexError_(
                f"{self.path} was built with other settings ({parts}); "
                "use the index's settings or a new index"
            )

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    def add(self, entries: Iterable[tuple[str, str, int]]) -> int:
        """Add ``(doc_id, key, length)`` entries in one transaction; returns how many.

        An entry whose id and key are stored already is passed over, so adding the
        same data again (say, rerunning an add that was interrupted or not) changes
        nothing.
        """
        entries = list({(d, digest(k)): (d, k, n) for d, k, n in entries}.values())
        if entries:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS q_new (doc_id TEXT, digest BLOB)")
            self.db.execute("DELETE FROM q_new")
            self.db.executemany(
                "INSERT INTO q_new VALUES (?, ?)", ((d, digest(k)) for d, k, _ in entries)
            )
            stored = set(
                self.db.execute(
                    "SELECT doc_id, digest FROM items JOIN q_new USING (doc_id, digest)"
                )
            )
            entries = [e for e in entries if (e[0], digest(e[1])) not in stored]
        if not entries:
            return 0
        near = self.config.mode == "near"
        sigs = self.config.hasher().signatures([k for _, k, _ in entries]) if near else None
        bkeys = band_keys(sigs, self.config.lsh()).view(np.int64) if sigs is not None else None
        self.db.execute("BEGIN IMMEDIATE")
        try:
            start = int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM items").fetchone()[0]) + 1
            self.db.executemany(
                "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (
                        start + n,
                        doc_id,
                        digest(key),
                        length,
                        None if sigs is None else sigs[n].tobytes(),
                        zlib.compress(key.encode("utf-8", "surrogatepass")),
                    )
                    for n, (doc_id, key, length) in enumerate(entries)
                ),
            )
            if bkeys is not None:
                n_items, n_bands = bkeys.shape
                rows = np.repeat(np.arange(n_items) + start, n_bands)
                bands = np.tile(np.arange(n_bands), n_items)
                self.db.executemany(
                    "INSERT INTO bands VALUES (?, ?, ?)",
                    zip(bands.tolist(), bkeys.ravel().tolist(), rows.tolist(), strict=True),
                )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return len(entries)

    def matches(
        self, keys: npt.NDArray[np.uint64] | None, digests: list[bytes]
    ) -> dict[int, set[int]]:
        """For each query item (by position), the stored items sharing a band key or its digest."""
        db = self.db
        db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS q_bands (q INTEGER, band INTEGER, bkey INTEGER)"
        )
        db.execute("CREATE TEMP TABLE IF NOT EXISTS q_digests (q INTEGER, digest BLOB)")
        db.execute("DELETE FROM q_bands")
        db.execute("DELETE FROM q_digests")
        db.executemany("INSERT INTO q_digests VALUES (?, ?)", enumerate(digests))
        found: dict[int, set[int]] = {}
        for q, item in db.execute("SELECT q, items.id FROM items JOIN q_digests USING (digest)"):
            found.setdefault(q, set()).add(item)
        if keys is not None and keys.size:
            k = keys.view(np.int64)
            n, b = k.shape
            db.executemany(
                "INSERT INTO q_bands VALUES (?, ?, ?)",
                zip(
                    np.repeat(np.arange(n), b).tolist(),
                    np.tile(np.arange(b), n).tolist(),
                    k.ravel().tolist(),
                    strict=True,
                ),
            )
            for q, item in db.execute(
                "SELECT DISTINCT q, item FROM bands JOIN q_bands USING (band, bkey)"
            ):
                found.setdefault(q, set()).add(item)
        return found

    def candidates(
        self, keys: npt.NDArray[np.uint64] | None, digests: list[bytes]
    ) -> list[IndexRow]:
        """Stored items that share a band key or a digest with any of the items given."""
        found = self.matches(keys, digests)
        return self.rows(sorted(set().union(*found.values())) if found else [])

    def rows(self, ids: list[int]) -> list[IndexRow]:
        out = []
        for lo in range(0, len(ids), 500):
            chunk = ids[lo : lo + 500]
            marks = ",".join("?" * len(chunk))
            for rowid, doc_id, length, sig, key in self.db.execute(
                "SELECT id, doc_id, length, signature, key FROM items "
                f"WHERE id IN ({marks}) ORDER BY id",
                chunk,
            ):
                out.append(
                    IndexRow(
                        rowid=rowid,
                        doc_id=doc_id,
                        key=zlib.decompress(key).decode("utf-8", "surrogatepass"),
                        length=length,
                        signature=None if sig is None else np.frombuffer(sig, dtype=np.uint32),
                    )
                )
        return out

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
