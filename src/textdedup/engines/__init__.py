"""Where deduplication runs: the engines, over the shared batch functions of :mod:`.batches`.

Every engine maps the same pure functions (:mod:`textdedup.engines.batches`), so on
the same input every engine makes the same decisions. :data:`ENGINES` names them;
an engine module is imported only when it is asked for (Spark needs pyspark), with
:func:`get_engine`, and importing it needs nothing beyond the core package (an
engine's own dependency is imported when a run starts).

The engine protocol: each engine module offers

``available() -> bool``
    Whether the engine can run here (its dependency is installed).
``dedup_dicts(records, *, config, text_field, id_field) -> list[dict]``
    The records with their output text and the annotation of ``--action annotate``
    (what :mod:`tests.test_engines` compares across engines).
``check_options(request: FilesRequest) -> None``
    Refuse, before anything runs, settings the engine does not support, with an
    :class:`~textdedup.errors.IncompatibleSettingsError` naming the parameters
    (``"{removals_path} works with the local engine only"``).
``dedup_files(request: FilesRequest) -> FilesResult``
    Files in, files out: read ``request.inputs``, deduplicate, write
    ``request.output`` (into place only when complete) and the statistics; what
    ``textdedup dedup --engine NAME`` calls.
``FOLDER_OUTPUT: bool``
    True when the engine writes ``output`` as a folder whatever its name (Spark's
    JSONL parts): the command line then checks no output file name against it.

So adding an engine is its module and one line in :data:`ENGINES`: the command
line's ``--engine`` choices and its dispatch read the registry.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..config import DedupConfig

__all__ = ["ENGINES", "FilesRequest", "FilesResult", "get_engine"]

ENGINES: dict[str, str] = {
    "local": "textdedup.engines.local",
    "spark": "textdedup.engines.spark",
}
"""Engine name -> module, imported lazily."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FilesRequest:
    """A run over files: what ``textdedup dedup`` asks of an engine's ``dedup_files``.

    Parameters
    ----------
    inputs : tuple of str
        Files and folders to read (``()`` or ``("-",)``: stdin, where the engine
        reads it).
    output : str
        Where the result goes: a record file (JSONL, Parquet, ... by suffix or
        ``output_format``), a folder (``DIR/``), or ``"-"`` for JSONL on stdout, as
        the engine supports.
    config : DedupConfig
        The deduplication settings.
    text_field, id_field : str, optional
        Field of the text, and of the record id (``None``: the reader's default).
    action : {"remove", "annotate"}, default="remove"
        Write the kept records, or every record with the field ``annotate_field``.
    output_format : str, default="auto"
        The output's format when its suffix does not say.
    stats_path, removals_path, index_path : str, optional
        The statistics (JSON), the removals (JSONL), and a SQLite index to
        deduplicate against and add the kept items to.
    overwrite : bool, default=False
        Replace an output folder an earlier textdedup run wrote.
    fmt, encoding, errors, on_error : str
        How the inputs are read (:func:`textdedup.records.iter_records`).
    master : str, optional
        The cluster to run on, for an engine that runs on one (a Spark master URL).
    chosen : frozenset of str
        The settings the caller chose rather than left at their defaults (parameter
        names, such as ``"shingle"``): an engine may refuse a chosen value that it
        would otherwise replace by its own default.
    quiet : bool, default=False
        No progress bars, no engine logging.
    """

    inputs: tuple[str, ...]
    output: str
    config: DedupConfig
    text_field: str = "text"
    id_field: str | None = None
    action: Literal["remove", "annotate"] = "remove"
    annotate_field: str = "dedup"
    output_format: str = "auto"
    stats_path: str | None = None
    removals_path: str | None = None
    index_path: str | None = None
    overwrite: bool = False
    fmt: str = "auto"
    encoding: str = "utf-8"
    errors: str = "strict"
    on_error: str = "fail"
    master: str | None = None
    chosen: frozenset[str] = frozenset()
    quiet: bool = False

    def __post_init__(self) -> None:
        if self.action not in ("remove", "annotate"):
            raise ValueError(f"action must be 'remove' or 'annotate', got {self.action!r}")


@dataclass(frozen=True, slots=True)
class FilesResult:
    """What an engine's ``dedup_files`` did.

    Attributes
    ----------
    records : int
        Records read.
    written : int
        Records written: the kept ones, or every record with ``action="annotate"``.
    summary : str
        What a front end prints on standard error when the run ends (one or more
        lines, no trailing newline).
    added : int
        Items added to the index (``0`` without one).
    """

    records: int
    written: int
    summary: str
    added: int = 0


def get_engine(name: str) -> ModuleType:
    """The module of engine ``name``.

    Raises
    ------
    ValueError
        For a name not in :data:`ENGINES`.
    ImportError
        When the engine's module cannot be imported.

    >>> get_engine("local").__name__
    'textdedup.engines.local'
    """
    if name not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {name!r}")
    return importlib.import_module(ENGINES[name])
