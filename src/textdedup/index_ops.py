"""Runs over a persistent index: the settings a run takes from it, and adding records to it.

What ``textdedup index add`` (and the settings step of ``dedup --index`` and
``check --against``) does once its options are parsed. :mod:`textdedup.index` is the
SQLite store; this module composes it with :func:`textdedup.pipeline.index_entries`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .config import DedupConfig
from .errors import IncompatibleSettingsError

if TYPE_CHECKING:
    from .index import Index
    from .progress import Progress
    from .records import Record

__all__ = [
    "IndexAdd",
    "add_to_index",
    "band_row_chunks",
    "config_for_index",
    "digest_row_chunks",
    "index_exists",
]


def index_exists(path: str) -> bool:
    """Whether ``path`` holds an index already (an empty file is a new index).

    >>> index_exists("/nonexistent/index.sqlite")
    False
    """
    return Path(path).exists() and Path(path).stat().st_size > 0


def config_for_index(
    index_path: str, config: DedupConfig, *, given: Collection[str] = ()
) -> DedupConfig:
    """The settings of a run that uses the index at ``index_path``: the index's own, if it exists.

    A new index takes ``config`` (``shingle="auto"`` means word shingles there). An
    existing one gives every setting of :data:`textdedup.index.SETTING_NAMES`; the
    settings named in ``given`` (the ones the caller chose, not left at their
    defaults) must agree with it. ``keep``, ``max_cluster_size`` and ``numbers`` come
    from ``config``.

    Parameters
    ----------
    index_path : str
        The SQLite index, which may not exist yet.
    config : DedupConfig
        The settings asked for.
    given : collection of str
        Names of the settings the caller set on purpose: those of
        :data:`textdedup.index.SETTING_NAMES`, or the config's own words for two of
        them (``level`` for ``unit``, ``near`` for ``mode``).

    Returns
    -------
    DedupConfig
        The settings to run with.

    Raises
    ------
    IncompatibleSettingsError
        ``config.fields`` given: an index holds texts, not records with fields.
    IndexError_
        A setting in ``given`` contradicts the index (both values named), or the
        file is not a textdedup index.
    ValueError
        ``given`` names a setting an index does not store (checked when it exists).

    Examples
    --------
    >>> config_for_index("/nonexistent/i.sqlite", DedupConfig(shingle="auto")).shingle
    'word'
    """
    from .index import (
        SETTING_NAMES,
        IndexError_,
        config_from_settings,
        read_index_info,
        setting_values,
    )

    if config.fields:
        raise IncompatibleSettingsError("{fields} works without an index")
    if config.shingle == "auto":
        config = replace(config, shingle="word")  # auto means word shingles with an index
    if not index_exists(index_path):
        return config  # a new index takes the settings given
    renamed = {"level": "unit", "near": "mode"}  # the library's words, the index's keys
    given = {renamed.get(name, name) for name in given}
    unknown = sorted(given - set(SETTING_NAMES))
    if unknown:
        raise ValueError(
            f"given names settings an index does not store: {', '.join(unknown)} (it stores "
            f"{', '.join(sorted({*SETTING_NAMES, *renamed} - set(renamed.values())))})"
        )
    stored = read_index_info(index_path).settings
    asked = setting_values(config)
    diff = [
        f"{name}: index has {stored[name]!r}, asked for {asked[name]!r}"
        for name in SETTING_NAMES
        if name in given and asked[name] != stored[name]
    ]
    if diff:
        raise IndexError_(
            f"{index_path} was built with other settings ({', '.join(diff)}); leave "
            "these options out to use the index's settings, or use a new index"
        )
    return config_from_settings(
        stored, keep=config.keep, max_cluster_size=config.max_cluster_size, numbers=config.numbers
    )


@dataclass(frozen=True, slots=True)
class IndexAdd:
    """What :func:`add_to_index` did.

    Attributes
    ----------
    added : int
        Items added (documents, or blocks with block units).
    total : int
        Items the index holds afterwards.
    """

    added: int
    total: int


def add_to_index(
    index_path: str,
    records: Iterable[Record],
    *,
    config: DedupConfig,
    progress: Progress | None = None,
) -> IndexAdd:
    """Add every record of ``records`` to the index at ``index_path`` (created if missing),
    in one transaction.

    With paragraph and line units each record is cleaned first and its blocks are
    the items (:func:`textdedup.pipeline.index_entries`, on every core). Nothing is
    added when a record is bad.

    Parameters
    ----------
    index_path : str
        The SQLite index.
    records : iterable of Record
        The records to add.
    config : DedupConfig
        The settings, those of the index when it exists (:func:`config_for_index`).
    progress : Progress, optional
        Phases of the run (adding, with a count of items).

    Returns
    -------
    IndexAdd
        Items added and items held.

    Raises
    ------
    InputError
        A bad record; nothing is added.
    IndexError_
        ``config`` contradicts the index, or the file is not a textdedup index.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = str(pathlib.Path(tempfile.mkdtemp()) / "i.sqlite")
    >>> from textdedup.records import Record
    >>> docs = [Record(str(i), t, "-", i + 1) for i, t in enumerate(["the cat sat", "dogs bark"])]
    >>> add_to_index(path, docs, config=DedupConfig())
    IndexAdd(added=2, total=2)
    """
    from .index import Index
    from .pipeline import index_entries

    with Index(index_path, config) as index:
        entries = list(index_entries(records, config))
        added = index.add(entries, progress=progress)
        return IndexAdd(added=added, total=len(index))


def band_row_chunks(index: Index, *, size: int = 1 << 16) -> Iterator[list[tuple[int, int, int]]]:
    """Every band row of ``index`` as ``(band, bkey, item)``, in chunks of ``size`` rows.

    What an engine that joins its own items with the index (Spark) reads on the
    driver: ``bkey`` is the band key viewed as signed int64, as
    :func:`textdedup.engines.batches.signature_rows` gives it, and ``item`` the
    stored item's row id (:attr:`textdedup.index.IndexRow.rowid`). Since index
    format 3 only the first item of each key has band rows; the others share its
    digest (:func:`digest_row_chunks`).

    >>> import tempfile, os
    >>> from textdedup.index import Index
    >>> path = os.path.join(tempfile.mkdtemp(), "i.sqlite")
    >>> with Index(path, DedupConfig(num_perm=16)) as index:
    ...     _ = index.add([("a", "the cat sat on the mat", 22)])
    ...     rows = [r for chunk in band_row_chunks(index) for r in chunk]
    ...     bands = index.config.lsh().bands
    >>> len(rows) == bands, [r[0] for r in rows] == list(range(bands)), rows[0][2]
    (True, True, 1)
    """
    cursor = index.db.execute("SELECT band, bkey, item FROM bands ORDER BY item, band")
    while chunk := cursor.fetchmany(size):
        yield chunk


def digest_row_chunks(index: Index, *, size: int = 1 << 16) -> Iterator[list[tuple[int, bytes]]]:
    """Every item of ``index`` as ``(item, digest)`` (row id, 16-byte key digest), in chunks.

    With :func:`band_row_chunks`, what an engine needs to find the stored items that
    could match its own: those sharing a band key with one of them, every item with
    the digest of such an item, and those sharing a digest with one of them (what
    :meth:`textdedup.index.Index.matches` finds in SQLite).
    """
    cursor = index.db.execute("SELECT id, digest FROM items ORDER BY id")
    while chunk := cursor.fetchmany(size):
        yield chunk
