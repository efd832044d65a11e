"""The registry of record formats: one reader and one writer per format, found by name or suffix.

A format is a module of this package (``plain``, ``jsonl``, ``parquet``, ``arrow``)
holding one :class:`Format`: its name (the CLI's ``--format`` word), the suffixes
that select it, whether compressed variants exist (``.jsonl.gz``: the suffixes of
:data:`COMPRESSIONS`), its reader and its writer (``None`` for an input-only format).
:data:`FORMAT_MODULES` lists the modules, so adding a format is one new module and
one word in that tuple; :func:`textdedup.records.iter_records`,
:class:`textdedup.records.RecordWriter`, the CLI's ``--format`` and
``--output-format`` choices and Spark's choice of reader all read the registry.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from ..records import ReadStats, Record

__all__ = [
    "COMPRESSIONS",
    "DEFAULT_FORMAT",
    "FORMATS",
    "FORMAT_MODULES",
    "INPUT_FORMATS",
    "OUTPUT_FORMATS",
    "STDIN_FORMAT",
    "Format",
    "ReadOptions",
    "RowSink",
    "WriteOptions",
    "compression_of",
    "format_of_path",
    "output_format_of_path",
]

#: The modules of this package that each define one ``FORMAT``: adding a format adds
#: its module here.
FORMAT_MODULES: tuple[str, ...] = ("plain", "jsonl", "parquet", "arrow")
#: Suffix -> name of every compression a compressible format is read and written in,
#: in the order the output formats list them.
COMPRESSIONS: dict[str, str] = {".gz": "gzip", ".zst": "zstd", ".bz2": "bz2", ".xz": "xz"}
#: The format of a file whose suffix names none (``--format auto``).
DEFAULT_FORMAT = "text"
#: The format of standard input and of a device output (``--format auto``).
STDIN_FORMAT = "jsonl"
STDIN = "-"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions:
    """What every reader is told: fields, decoding, bad records, progress.

    See :func:`textdedup.records.iter_records` for each option.
    """

    text_field: str = "text"
    id_field: str | None = None
    encoding: str = "utf-8"
    errors: str = "strict"
    on_error: Literal["fail", "skip"] = "fail"
    stats: ReadStats
    binary: bool = False
    on_bytes: Callable[[int], None] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions:
    """What every writer is told: the output's name, its compression and its sources."""

    path: str
    compression: str = ""
    errors: str = "strict"
    source: ReadStats | None = None
    #: NaN and infinite floats a writer had to change, counted by field (filled in).
    nonfinite: dict[str, int]


class RowSink(Protocol):
    """An open writer of one format over a binary file."""

    def write(self, obj: dict[str, Any], where: str | None) -> None:
        """Write one record (``where``: its ``FILE:LINE``, for errors)."""

    def finish(self) -> None:
        """Write what is still held (the block ended without an exception)."""

    def close(self) -> None:
        """Release what the writer holds; the file under it stays open."""


Reader = Callable[[str, ReadOptions], "Iterator[Record]"]
Writer = Callable[[IO[bytes], WriteOptions], RowSink]


@dataclass(frozen=True, slots=True, kw_only=True)
class Format:
    """One record format.

    Parameters
    ----------
    name : str
        The word that names it (``--format``, ``--output-format``).
    suffixes : tuple of str
        Lower-case file suffixes that select it (``".jsonl"``).
    compressed : bool
        Whether it is read and written compressed too (``name + ".gz"``, ...).
    read : callable
        ``read(path, options)`` yields the :class:`textdedup.records.Record` of a file.
    write : callable or None
        ``write(binary_file, options)`` opens a :class:`RowSink`; ``None`` for a
        format only read.
    check : callable or None
        ``check(path)`` raises :class:`~textdedup.errors.OutputError` naming the
        output when the writer cannot work here (a missing optional dependency); run
        before anything is read.
    """

    name: str
    suffixes: tuple[str, ...]
    compressed: bool = False
    read: Reader
    write: Writer | None = None
    check: Callable[[str], None] | None = None


def _load() -> dict[str, Format]:
    formats: dict[str, Format] = {}
    for module in FORMAT_MODULES:
        fmt: Format = importlib.import_module(f"{__package__}.{module}").FORMAT
        formats[fmt.name] = fmt
    return formats


#: Every format by name, in :data:`FORMAT_MODULES` order.
FORMATS: dict[str, Format] = _load()
#: The names ``--format`` takes (besides ``auto``).
INPUT_FORMATS: tuple[str, ...] = tuple(FORMATS)
#: The names ``--output-format`` takes (besides ``auto``): every writable format, and
#: each compressed variant of a compressible one (``jsonl.gz``).
OUTPUT_FORMATS: tuple[str, ...] = tuple(
    variant
    for f in FORMATS.values()
    if f.write is not None
    for variant in (f.name, *(f"{f.name}{c}" for c in COMPRESSIONS if f.compressed))
)


def compression_of(path: str) -> str:
    """The compression suffix ``path`` ends with, or ``""``.

    >>> compression_of("corpus.JSONL.ZST"), compression_of("notes.txt")
    ('.zst', '')
    """
    lower = path.lower()
    return next((c for c in COMPRESSIONS if lower.endswith(c)), "")


def _by_suffix(path: str) -> tuple[Format | None, str]:
    lower = path.lower()
    comp = compression_of(lower)
    name = lower.removesuffix(comp)
    for fmt in FORMATS.values():
        if name.endswith(fmt.suffixes):
            return fmt, comp
    return None, comp


def format_of_path(path: str) -> str:
    """The input format ``--format auto`` reads ``path`` as: by suffix, compressed or not.

    Standard input (``"-"``) is :data:`STDIN_FORMAT`; a suffix no format names is
    :data:`DEFAULT_FORMAT` (plain text).

    Returns
    -------
    str
        A name of :data:`FORMATS`.

    Examples
    --------
    >>> format_of_path("a.jsonl.gz"), format_of_path("b.parquet"), format_of_path("c.txt")
    ('jsonl', 'parquet', 'text')
    >>> format_of_path("-")
    'jsonl'
    """
    if path == STDIN:
        return STDIN_FORMAT
    fmt, _ = _by_suffix(path)
    return DEFAULT_FORMAT if fmt is None else fmt.name


def output_format_of_path(path: str) -> str | None:
    """The output format ``path``'s suffix names (``"jsonl.zst"``), or ``None``.

    ``None`` for a suffix no writable format names, and for a compression of a format
    that is not compressible (``.parquet.gz``).

    >>> output_format_of_path("out.ndjson.xz"), output_format_of_path("out.txt")
    ('jsonl.xz', None)
    """
    fmt, comp = _by_suffix(path)
    if fmt is None or fmt.write is None or (comp and not fmt.compressed):
        return None
    return f"{fmt.name}{comp}"
