"""A persistent index of items seen before, in one SQLite file (no server).

It stores, for every item (a document, or a paragraph or line), its id, its exact
digest, its MinHash signature, its LSH band keys (one set per distinct key) and its key
(for verification; compressed from :data:`PACK_FROM_CHARS` characters), together
with every setting that decides what they mean (see :func:`index_settings`).
``Index(path)`` with no config takes those settings from the file; opening it with
other settings is a clear error that lists each difference, never a silent wrong answer.
The database runs in WAL mode and every ``add`` is one transaction: an interrupted add
leaves the index as it was.

Index format 2 (textdedup 0.1.0 and later) is the first to record the dedup unit
(``doc``/``paragraph``/``line``); an index of format 1 cannot say how it was built,
so opening one is an error that asks for a rebuild rather than a guessed migration.
Format 3 writes band rows for the first item of each key only and short keys
uncompressed; it reads format 2 (a format 2 index has band rows to spare) and marks it
format 3 on its next add, so that an older textdedup refuses it rather than miss items.
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

from ._hashing import digest
from .config import DedupConfig
from .errors import TextdedupError
from .lsh import band_keys
from .minhash import FORMAT_VERSION
from .normalize import KeyConfig
from .progress import Progress
from .shingle import HASH_NAME

__all__ = [
    "INDEX_FORMAT",
    "PACK_FROM_CHARS",
    "READ_FORMATS",
    "SETTING_NAMES",
    "Index",
    "IndexError_",
    "IndexInfo",
    "IndexRow",
    "config_from_settings",
    "index_settings",
    "read_index_info",
    "setting_values",
]

#: Version of the index layout and of its settings record; 2 added ``unit`` and ``verify``;
#: 3 gives band rows to the first item of each key only (the others share them) and
#: stores short keys uncompressed (:data:`PACK_FROM_CHARS`).
INDEX_FORMAT = 3
#: The formats this textdedup reads and adds to: a format 2 index (every item with band
#: rows) is a format 3 index with some band rows to spare, and becomes one on its next add.
READ_FORMATS = (2, 3)
#: The settings an index is built with, by their stored names (the CLI's option names;
#: ``unit`` is :attr:`DedupConfig.level <textdedup.config.DedupConfig>`, ``mode`` is
#: ``near`` as ``"near"`` or ``"exact"``: :func:`setting_values`): a query must use the
#: same ones (the command line takes them from the index by default).
SETTING_NAMES = (
    "unit",
    "mode",
    "threshold",
    "verify",
    "num_perm",
    "ngram",
    "shingle",
    "seed",
    "min_length",
)

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
_BANDS_LOOKUP = "CREATE INDEX IF NOT EXISTS bands_lookup ON bands (band, bkey)"
_ITEMS_INDEXES = (
    "CREATE INDEX IF NOT EXISTS items_digest ON items (digest)",
    "CREATE UNIQUE INDEX IF NOT EXISTS items_unique ON items (doc_id, digest)",
)


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


def setting_values(config: DedupConfig) -> dict[str, Any]:
    """The :data:`SETTING_NAMES` of ``config``, as an index stores them.

    >>> setting_values(DedupConfig(level="line", near=False))["unit"]
    'line'
    """
    values = {name: getattr(config, name) for name in SETTING_NAMES[2:]}
    return {"unit": config.level, "mode": "near" if config.near else "exact", **values}


def index_settings(config: DedupConfig) -> dict[str, Any]:
    """Every setting that decides what the items of an index mean, as stored in it.

    The :data:`SETTING_NAMES` fields of ``config``, the key normalization, the LSH
    bands and rows they give, the hash function, the signature format and the index
    format. Two indexes (or an index and a query) are comparable only when these are
    equal.

    >>> s = index_settings(DedupConfig(level="paragraph"))
    >>> s["unit"], s["shingle"], s["index_format"]
    ('paragraph', 'word', 3)
    """
    if config.shingle == "auto" or config.fields:
        raise ValueError(
            "an index needs fixed shingles and plain text: shingle='word' or 'char' "
            f"(got {config.shingle!r}), no fields (got {list(config.fields)})"
        )
    params = config.lsh()
    return {
        "index_format": INDEX_FORMAT,
        "format_version": FORMAT_VERSION,
        "hash": HASH_NAME,
        **setting_values(config),
        "bands": params.bands,
        "rows": params.rows,
        "key": {k: getattr(config.key, k) for k in config.key.__dataclass_fields__},
    }


def config_from_settings(settings: dict[str, Any], **options: Any) -> DedupConfig:
    """The :class:`~textdedup.config.DedupConfig` an index was built with.

    ``options`` set the fields that do not change what the index means (``keep``,
    ``max_cluster_size``, ``batch_size``); a field of :data:`SETTING_NAMES` among them
    is a ``ValueError``, as it would contradict the index.

    >>> config_from_settings(index_settings(DedupConfig(ngram=3)), keep="last").ngram
    3
    """
    clash = sorted(set(options) & {*SETTING_NAMES, "key"})
    if clash:
        raise ValueError(f"{', '.join(clash)} come from the index and cannot be given here")
    fields = {name: settings[name] for name in SETTING_NAMES[2:]}
    fields.update(level=settings["unit"], near=settings["mode"] == "near")
    return DedupConfig(**fields, key=KeyConfig(**settings["key"]), **options)


def _check_format(path: str, stored: Any) -> dict[str, Any]:
    """``stored`` if it is a settings record of this index format; else a clear error."""
    if not isinstance(stored, dict):
        raise IndexError_(f"{path}: its settings record is damaged")
    version = stored.get("index_format", 1)
    if version not in READ_FORMATS:
        older = isinstance(version, int) and version < READ_FORMATS[0]
        raise IndexError_(
            f"{path} is an index of format {version}; this textdedup reads formats "
            f"{', '.join(map(str, READ_FORMATS[:-1]))} and {READ_FORMATS[-1]}"
            + (
                " (format 1 did not record the unit it was built with); rebuild it with "
                "`textdedup index add NEW.sqlite INPUTS...`"
                if older
                else "; upgrade textdedup"
            )
        )
    missing = [k for k in (*SETTING_NAMES, "key") if k not in stored]
    if missing:
        raise IndexError_(f"{path}: its settings record is damaged (no {', '.join(missing)})")
    return stored


def _load_settings(path: str, db: sqlite3.Connection) -> dict[str, Any] | None:
    try:
        row = db.execute("SELECT value FROM meta WHERE name = 'settings'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise IndexError_(f"{path}: not a textdedup index ({exc})") from None
    if row is None:
        return None
    try:
        stored = json.loads(row[0])
    except (TypeError, json.JSONDecodeError):
        raise IndexError_(f"{path}: its settings record is damaged") from None
    return _check_format(path, stored)


@dataclass(frozen=True, slots=True)
class IndexInfo:
    """What ``textdedup index info`` shows: the settings an index was built with, and counts.

    ``records`` counts the distinct records the items came from (for paragraph and line
    units an item id is ``RECORD#BLOCK``); ``textdedup_version`` is the version that
    created the file (``None`` if unknown).
    """

    path: str
    settings: dict[str, Any]
    items: int
    records: int
    textdedup_version: str | None
    bytes: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "textdedup_version": self.textdedup_version,
            "items": self.items,
            "records": self.records,
            "bytes": self.bytes,
            "settings": self.settings,
        }


def read_index_info(path: str | Path) -> IndexInfo:
    """The settings and counts of the index at ``path``, opened read-only.

    Raises
    ------
    IndexError_
        No such file, not an index, a damaged settings record, or another index format.
    """
    path = str(path)
    if not Path(path).is_file():
        raise IndexError_(f"{path}: no such index")
    try:
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:  # pragma: no cover - a file we may read but SQLite may not
        raise IndexError_(f"{path}: not a textdedup index ({exc})") from None
    try:
        settings = _load_settings(path, db)
        if settings is None:
            raise IndexError_(f"{path}: not a textdedup index (no settings record)")
        version = db.execute("SELECT value FROM meta WHERE name = 'textdedup_version'").fetchone()
        items = int(db.execute("SELECT COUNT(*) FROM items").fetchone()[0])
        if settings["unit"] == "doc":
            records = int(db.execute("SELECT COUNT(DISTINCT doc_id) FROM items").fetchone()[0])
        else:
            # an item of a paragraph or line index is RECORD#BLOCK
            records = int(
                db.execute(
                    "SELECT COUNT(DISTINCT CASE WHEN p LIKE '%#' THEN substr(p, 1, length(p) - 1) "
                    "ELSE doc_id END) FROM (SELECT doc_id, rtrim(doc_id, '0123456789') AS p "
                    "FROM items)"
                ).fetchone()[0]
            )
    except sqlite3.DatabaseError as exc:
        raise IndexError_(f"{path}: not a textdedup index ({exc})") from None
    finally:
        db.close()
    return IndexInfo(
        path=path,
        settings=settings,
        items=items,
        records=records,
        textdedup_version=None if version is None else str(version[0]),
        bytes=Path(path).stat().st_size,
    )


def _compare(path: str, stored: dict[str, Any], config: DedupConfig) -> None:
    # The index format is not a setting: every format of READ_FORMATS means the same.
    mine = {**index_settings(config), "index_format": stored.get("index_format")}
    diff = [k for k in sorted(set(mine) | set(stored)) if mine.get(k) != stored.get(k)]
    if diff:
        parts = ", ".join(
            f"{k}: index has {stored.get(k)!r}, asked for {mine.get(k)!r}" for k in diff
        )
        raise IndexError_(
            f"{path} was built with other settings ({parts}); "
            "use the index's settings or a new index"
        )


def _db_text(text: str) -> str | bytes:
    """``text`` as SQLite stores it: a lone surrogate (JSON can carry one) as UTF-8 bytes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")
    return text


def _py_text(value: str | bytes) -> str:
    return value.decode("utf-8", "surrogatepass") if isinstance(value, bytes) else value


#: Keys shorter than this (characters) are stored as they are, as TEXT: ``zlib.compress``
#: costs about 25 µs a call whatever the length (the compressor's set-up), as much as the
#: rest of an item's write, and saves some 200 bytes on a paragraph of 500 characters.
#: Longer keys, and keys holding a lone surrogate, are stored zlib-compressed, as BLOB.
PACK_FROM_CHARS = 1024


def _pack_key(key: str) -> str | bytes:
    """``key`` as the items table stores it (see :data:`PACK_FROM_CHARS`).

    >>> _pack_key("a short key"), _unpack_key(_pack_key("long key " * 200))[:8]
    ('a short key', 'long key')
    """
    if len(key) < PACK_FROM_CHARS and (key.isascii() or _db_text(key) is key):
        return key
    return zlib.compress(key.encode("utf-8", "surrogatepass"))


def _unpack_key(value: str | bytes) -> str:
    """The key stored as ``value``: TEXT as it is, a BLOB (every key before format 3) zlib'd."""
    if isinstance(value, str):
        return value
    return zlib.decompress(value).decode("utf-8", "surrogatepass")


class Index:
    """A SQLite-backed store of items, queried by band keys and digests.

    Parameters
    ----------
    path:
        The SQLite file.
    config:
        The settings to build a new index with, or to check an existing one against;
        ``None`` takes an existing index's settings (and the defaults for a new one).
    create:
        Create the file if it is missing; with ``False``, a missing file is an error.

    Raises
    ------
    IndexError_
        Not an index, a damaged settings record, another index format, or settings
        that differ from ``config`` (each difference is named).

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "idx.sqlite")
    >>> with Index(path, DedupConfig(level="paragraph")) as index:
    ...     index.add([("a#0", "the cat sat on the mat", 22)])
    ...     len(index)
    1
    1
    >>> Index(path).config.level
    'paragraph'
    """

    def __init__(
        self, path: str | Path, config: DedupConfig | None = None, *, create: bool = True
    ) -> None:
        self.path = str(path)
        if not create and not Path(self.path).exists():
            raise IndexError_(f"{self.path}: no such index")
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise IndexError_(f"{self.path}: not a textdedup index ({exc})") from None
        try:
            self.settings = self._check_settings(config)
        except BaseException:
            self.db.close()
            raise
        self.config = config if config is not None else config_from_settings(self.settings)

    def _check_settings(self, config: DedupConfig | None) -> dict[str, Any]:
        stored = _load_settings(self.path, self.db)
        if stored is None:
            from . import __version__

            mine = index_settings(config if config is not None else DedupConfig())
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('settings', ?)",
                (json.dumps(mine, sort_keys=True),),
            )
            self.db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('textdedup_version', ?)", (__version__,)
            )
            self.db.execute("COMMIT")
            return mine
        if config is not None:
            _compare(self.path, stored, config)
        return stored

    def _mark_format(self) -> None:
        """Record format 3 in an index of an older readable format, inside an add's transaction.

        After an add the index may hold items without band rows of their own, which a
        reader of format 2 would not find: it must refuse the file, not miss them.
        """
        if self.settings.get("index_format") != INDEX_FORMAT:
            self.settings = {**self.settings, "index_format": INDEX_FORMAT}
            self.db.execute(
                "UPDATE meta SET value = ? WHERE name = 'settings'",
                (json.dumps(self.settings, sort_keys=True),),
            )

    def check_config(self, config: DedupConfig) -> None:
        """Raise :class:`IndexError_` if ``config`` means something else than this index.

        Fields that do not change what the index means (``keep``, ``max_cluster_size``,
        ``batch_size``) may differ.
        """
        _compare(self.path, self.settings, config)

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    def _has_items(self) -> bool:
        return self.db.execute("SELECT 1 FROM items LIMIT 1").fetchone() is not None

    def add(
        self, entries: Iterable[tuple[str, str, int]], *, progress: Progress | None = None
    ) -> int:
        """Add ``(doc_id, key, length)`` entries in one transaction; returns how many.

        An entry whose id and key are stored already is passed over, so adding the
        same data again (say, rerunning an add that was interrupted or not) changes
        nothing. ``progress`` is told the phases: signatures, then writing.

        Each distinct key is signed and compressed once. Only the first item of a key
        gets band rows (index format 3): an item whose key is stored already, or met
        earlier in the same add, has the same signature and so the same band keys as
        that first item, and :meth:`matches` reaches it from there through its digest.
        """
        progress = progress if progress is not None else Progress()
        # Each key is hashed once: (doc_id, digest) -> (doc_id, key, length, digest).
        unique = {(d, g): (d, k, n, g) for d, k, n in entries for g in (digest(k),)}
        stored: dict[bytes, bytes | None] = {}  # digest -> signature, keys indexed already
        if unique and self._has_items():
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS q_new (doc_id TEXT, digest BLOB)")
            self.db.execute("DELETE FROM q_new")
            self.db.executemany(
                "INSERT INTO q_new VALUES (?, ?)", ((_db_text(d), g) for d, g in unique)
            )
            for d, g in self.db.execute(
                "SELECT doc_id, digest FROM items JOIN q_new USING (doc_id, digest)"
            ):
                del unique[(_py_text(d), g)]
            if unique:
                for g, sig in self.db.execute(
                    "SELECT q_new.digest, items.signature FROM q_new "
                    "CROSS JOIN items ON items.digest = q_new.digest"
                ):
                    stored.setdefault(g, sig)
        if not unique:
            return 0
        new = list(unique.values())
        first: dict[bytes, int] = {}  # digest -> its row of ``sigs``: keys new to the index
        signed: list[int] = []  # the items (positions in ``new``) that get band rows
        for n, (_, _, _, g) in enumerate(new):
            if g not in stored and g not in first:
                first[g] = len(signed)
                signed.append(n)
        sigs = None
        if self.config.near:
            hasher, step = self.config.hasher(), self.config.batch_size
            progress.start("signatures", total=len(signed))
            parts = [np.empty((0, self.config.num_perm), dtype=np.uint32)]
            for lo in range(0, len(signed), step):
                part = signed[lo : lo + step]
                parts.append(np.asarray(hasher.signatures([new[n][1] for n in part])))
                progress.update(len(part))
            sigs = np.concatenate(parts)
        bkeys = band_keys(sigs, self.config.lsh()).view(np.int64) if sigs is not None else None
        packed: dict[bytes, str | bytes] = {}  # digest -> stored key: each key packed once

        def row(n: int, doc_id: str, key: str, length: int, g: bytes) -> tuple[Any, ...]:
            z = packed.get(g)
            if z is None:
                z = packed[g] = _pack_key(key)
            sig = None
            if sigs is not None:
                s = first.get(g)
                sig = stored[g] if s is None else sigs[s].tobytes()
            return (start + n, _db_text(doc_id), g, length, sig, z)

        progress.start("writing", total=len(new))
        settings = self.settings
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self._mark_format()
            start = int(self.db.execute("SELECT COALESCE(MAX(id), 0) FROM items").fetchone()[0]) + 1
            # As for the band rows below: into an empty table without its indexes, then
            # each index built in one pass. (doc_id, digest) are unique here already.
            empty = start == 1 and not self._has_items()
            if empty:
                self.db.execute("DROP INDEX IF EXISTS items_digest")
                self.db.execute("DROP INDEX IF EXISTS items_unique")
            self.db.executemany(
                "INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)",
                (row(n, *entry) for n, entry in enumerate(new)),
            )
            if empty:
                for sql in _ITEMS_INDEXES:
                    self.db.execute(sql)
            if bkeys is not None and signed:
                n_bands = bkeys.shape[1]
                rows = np.repeat(np.asarray(signed, dtype=np.int64) + start, n_bands)
                bands = np.tile(np.arange(n_bands), len(signed))
                keys = bkeys.ravel()
                # In (band, bkey) order, the order of the lookup index: each row lands
                # next to the one before it instead of on a random page of the B-tree,
                # about 3x less time for the same rows (what is stored is the same).
                order = np.lexsort((rows, keys, bands))
                # Into an empty table the rows go without the lookup index, which is then
                # built in one pass (a sort): a third less CPU than growing it row by row
                # for the 700,000 rows of 35,000 paragraphs. The same index in the end, and
                # in the same transaction: a failed add leaves the old one.
                fresh = self.db.execute("SELECT 1 FROM bands LIMIT 1").fetchone() is None
                if fresh:
                    self.db.execute("DROP INDEX IF EXISTS bands_lookup")
                self.db.executemany(
                    "INSERT INTO bands VALUES (?, ?, ?)",
                    zip(
                        bands[order].tolist(),
                        keys[order].tolist(),
                        rows[order].tolist(),
                        strict=True,
                    ),
                )
                if fresh:
                    self.db.execute(_BANDS_LOOKUP)
            self.db.execute("COMMIT")
        except BaseException:
            # An interrupt that lands just after COMMIT finds no transaction: the add is
            # done, and the interrupt (not a rollback error) is what goes on.
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            self.settings = settings
            raise
        progress.update(len(new))
        return len(new)

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
            # A band hit stands for every item of its key: since format 3 only the
            # first item of a key has band rows (see add). CROSS JOIN fixes the order:
            # query bands, then the lookup index, then the items by id and by digest.
            for q, item in db.execute(
                "SELECT DISTINCT q_bands.q, same.id FROM q_bands "
                "CROSS JOIN bands ON bands.band = q_bands.band AND bands.bkey = q_bands.bkey "
                "CROSS JOIN items AS hit ON hit.id = bands.item "
                "CROSS JOIN items AS same ON same.digest = hit.digest"
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
                        doc_id=_py_text(doc_id),
                        key=_unpack_key(key),
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
