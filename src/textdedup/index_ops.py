"""Runs over a persistent index: the settings a run takes from it, and adding records to it.

What ``textdedup index add`` (and the settings step of ``dedup --index`` and
``check --against``) does once its options are parsed. :mod:`textdedup.index` is the
SQLite store; this module composes it with :func:`textdedup.pipeline.index_entries`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .config import DedupConfig
from .errors import IncompatibleSettingsError

if TYPE_CHECKING:
    from .progress import Progress
    from .records import Record

__all__ = ["IndexAdd", "add_to_index", "config_for_index", "index_exists"]


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
