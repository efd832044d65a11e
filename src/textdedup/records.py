"""Corpus readers and writers: text files and folders, JSONL, Parquet, Arrow.

Inputs: text files, JSONL (plain or compressed: ``.gz``, ``.zst``, ``.bz2``, ``.xz``;
on standard input the compression is found from the first bytes), Parquet, and
Hugging Face ``datasets`` folders saved with ``save_to_disk`` (Arrow stream files,
read with pyarrow, no ``datasets`` import). Outputs: JSONL (compressed by suffix) or
Parquet, by the output's suffix or an explicit format; Parquet rows keep the types of
the input's columns. This module sits at both ends of the flow: records in, records
out. Which formats exist, by name and suffix, and which reader and writer each has,
is the registry :data:`textdedup.io.formats.FORMATS`: :func:`iter_records` and
:class:`RecordWriter` dispatch through it and name no format themselves.

Reading streams one record at a time, so memory does not grow with the corpus.
Every bad record (malformed JSON, a missing or non-string field) is an
:class:`~textdedup.errors.InputError` naming the file and line, unless
``on_error="skip"``, which counts it in :class:`ReadStats` and goes on. Writers
write to a temporary file beside the target and rename it into place on success,
so an interrupted run leaves the previous output intact.
"""

from __future__ import annotations

import bz2
import contextlib
import datetime
import decimal
import gzip
import io
import json
import lzma
import math
import os
import pickle
import re
import shutil
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import IO, Any, Literal, cast

from .errors import InputError, OutputError
from .io import (
    STDIN,
    check_output_folder,
    mirror_roots,
    output_target,
    replace_folder,
    temp_folder_beside,
)
from .io.atomic import atomic_replace
from .io.formats import (
    COMPRESSIONS,
    FORMATS,
    OUTPUT_FORMATS,
    ReadOptions,
    RowSink,
    WriteOptions,
    compression_of,
    format_of_path,
    output_format_of_path,
)
from .io.jsonl import JsonlSink
from .store import SpillStore

__all__ = [
    "OUTPUT_FORMATS",
    "ReadStats",
    "Record",
    "RecordWriter",
    "expand_inputs",
    "input_bytes",
    "iter_records",
    "output_format",
]

Format = Literal["auto", "jsonl", "text", "parquet", "arrow"]
OnError = Literal["fail", "skip"]
# The first bytes of each compressed stream (for standard input, which has no suffix).
_MAGIC = {
    b"\x1f\x8b": ".gz",
    b"\x28\xb5\x2f\xfd": ".zst",
    b"BZh": ".bz2",
    b"\xfd7zXZ\x00": ".xz",
}
_COMPRESSION_NAME = {**COMPRESSIONS, "": "plain"}
# Hugging Face ``datasets.Dataset.save_to_disk`` writes these beside its Arrow files.
_HF_STATE = "state.json"
_HF_DICT = "dataset_dict.json"  # ``DatasetDict.save_to_disk``: {"splits": [...]}

_MAX_REPORTED = 20


@dataclass(frozen=True, slots=True)
class Record:
    """One document of a corpus.

    ``data`` is the whole row for JSONL, Parquet and Arrow input (every field passes
    through to the output, with its Python type: Parquet timestamps stay
    ``datetime``), ``None`` for text files.

    ``raw`` is the record's line as read (UTF-8 bytes, without its line break) when
    it is a JSONL line that :class:`RecordWriter` may write back unchanged: read as
    strict UTF-8, with no byte order mark and no ``NaN`` or ``Infinity`` (JSON has
    no such number); ``None`` otherwise. A kept record is then written as its own
    bytes, not decoded and encoded again.
    """

    id: str
    text: str
    path: str
    line: int
    data: dict[str, Any] | None = None
    raw: bytes | None = field(default=None, repr=False, compare=False)


@dataclass(slots=True)
class ReadStats:
    """What the readers saw: records read, and records skipped with the reasons.

    ``schemas`` holds the Arrow schema of every Parquet or Arrow input read (pyarrow
    ``Schema`` objects, in input order): a Parquet output gives its columns these types.
    ``paths`` holds every file read (after folders are expanded), in order: no output
    of the run may replace one of them.
    """

    files: int = 0
    records: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    schemas: list[Any] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def skip(self, error: InputError) -> None:
        self.skipped += 1
        if len(self.errors) < _MAX_REPORTED:
            self.errors.append(str(error))


def _visible(path: Path, root: Path) -> bool:
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def _hf_arrow_files(folder: Path) -> list[Path] | None:
    """The Arrow files of a Hugging Face dataset folder, in the order ``state.json`` lists.

    ``None`` when ``folder/state.json`` is not a ``datasets`` state (no ``_data_files``):
    the folder is then read as any other.
    """
    try:
        state = json.loads((folder / _HF_STATE).read_text(encoding="utf-8"))
        listed = state["_data_files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        names = [f["filename"] for f in listed]
    except (KeyError, TypeError):
        raise InputError(
            "the _data_files of this datasets state name no files", path=str(folder / _HF_STATE)
        ) from None
    files = [folder / name for name in names]
    for f in files:
        if not f.is_file():
            raise InputError(
                f"the dataset's {_HF_STATE} lists a missing file {f.name}", path=str(f)
            )
    return files


def _under(folder: Path, roots: dict[Path, list[Path]]) -> bool:
    return any(folder == r or r in folder.parents for r in roots)


def _hf_dict_splits(folder: Path) -> list[Path] | None:
    """The split folders of a Hugging Face ``DatasetDict`` folder, in the order its
    ``dataset_dict.json`` lists them; ``None`` when it is no ``DatasetDict`` state."""
    try:
        splits = json.loads((folder / _HF_DICT).read_text(encoding="utf-8"))["splits"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(splits, list) or not all(isinstance(x, str) for x in splits):
        raise InputError("its splits are not a list of names", path=str(folder / _HF_DICT))
    return [folder / x for x in splits]


def _hf_split_files(split: Path) -> list[Path]:
    files = _hf_arrow_files(split)
    if files is None:
        raise InputError(
            f"the split {split.name} that {_HF_DICT} lists is no datasets folder "
            f"(no readable {_HF_STATE})",
            path=str(split),
        )
    return files


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Files named, and the files inside folders named (sorted, hidden ones left out).

    A folder may mix shards of every format. A folder saved by Hugging Face
    ``datasets`` (one holding ``state.json``, at any depth) gives its Arrow files in
    the order ``state.json`` lists them, and not its metadata files. A folder saved
    from a ``DatasetDict`` (one holding ``dataset_dict.json``) gives only the Arrow
    files of the splits it lists, split by split in its order (``train`` before
    ``test`` if so listed); any other file inside it (an output written there) is
    not read.
    """
    out: list[str] = []
    for name in inputs:
        if name == STDIN:
            out.append(name)
            continue
        p = Path(name)
        if p.is_dir():
            dicts: dict[Path, list[Path]] = {}  # DatasetDict folder: its splits, in order
            for f in sorted(p.rglob(_HF_DICT)):
                if not f.is_file() or not _visible(f, p) or _under(f.parent, dicts):
                    continue
                splits = _hf_dict_splits(f.parent)
                if splits is not None:
                    dicts[f.parent] = splits
            datasets: dict[Path, list[Path]] = {}
            for f in sorted(p.rglob(_HF_STATE)):
                if _under(f.parent, dicts):
                    continue  # a split: listed below, in dataset_dict.json's order
                arrow = _hf_arrow_files(f.parent) if f.is_file() and _visible(f, p) else None
                if arrow is not None:
                    datasets[f.parent] = arrow
            found: list[tuple[str, str]] = []
            for f in p.rglob("*"):
                if not f.is_file() or not _visible(f, p):
                    continue
                if f.parent in datasets or _under(f.parent, dicts):
                    continue  # listed below, in the dataset's own order; strays not read
                found.append((str(f), str(f)))
            for d, arrow in datasets.items():
                for i, f in enumerate(arrow):
                    found.append((str(d / f"{i:09d}"), str(f)))  # sorts with its folder
            for d, splits in dicts.items():
                for j, split in enumerate(splits):
                    for i, f in enumerate(_hf_split_files(split)):
                        found.append((str(d / f"{j:09d}" / f"{i:09d}"), str(f)))
            out.extend(path for _, path in sorted(found))
        elif p.exists():
            out.append(name)
        else:
            raise InputError("no such file or folder", path=name)
    _refuse_repeats(out)
    return out


def _refuse_repeats(files: list[str]) -> None:
    """Refuse a file that the inputs name twice (directly, through a folder, or a link):
    its records would be read twice and each one would duplicate itself."""
    seen: dict[tuple[int, int] | str, str] = {}
    for name in files:
        if name == STDIN:
            what: tuple[int, int] | str = STDIN
        else:
            try:
                st = os.stat(name)
            except OSError:
                continue  # reading it names the fault
            what = (st.st_dev, st.st_ino)
        if what in seen:
            first = seen[what]
            also = "" if first == name else f" (also named as {first})"
            raise InputError(
                f"is given twice{also}; each input is read once: name it once", path=name
            )
        seen[what] = name


def input_bytes(inputs: Sequence[str]) -> int | None:
    """The size on disk of every input file (after :func:`expand_inputs`), in bytes.

    ``None`` when standard input is among them (its size is not known beforehand).
    """
    files = expand_inputs(inputs)
    if STDIN in files:
        return None
    return sum(os.path.getsize(f) for f in files)


def _format_of(path: str, fmt: Format) -> str:
    return format_of_path(path) if fmt == "auto" else fmt


class _Counting(io.RawIOBase):
    """A raw reader that reports how many bytes it read (the progress of a file)."""

    def __init__(self, fh: IO[bytes], on_bytes: Callable[[int], None] | None) -> None:
        self._fh = fh
        self._on_bytes = on_bytes
        self._head = b""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._fh.read(len(b))
        n = len(data)
        b[:n] = data
        if n and self._on_bytes is not None:
            self._on_bytes(n)
        return n

    def peek_magic(self) -> str:
        """The compression the first bytes name (``""`` for none); nothing is consumed."""
        while len(self._head) < 6:
            chunk = self._fh.read(6 - len(self._head))
            if not chunk:
                break
            self._head += chunk
            if self._on_bytes is not None:
                self._on_bytes(len(chunk))
        return next((c for m, c in _MAGIC.items() if self._head.startswith(m)), "")

    def close(self) -> None:
        if self._fh is not sys.stdin.buffer:
            self._fh.close()
        super().close()


def _open_binary(path: str, on_bytes: Callable[[int], None] | None = None) -> tuple[IO[bytes], str]:
    """The decompressed bytes of ``path`` (or standard input), and the compression's name."""
    if path == STDIN:
        raw = _Counting(sys.stdin.buffer, on_bytes)
        comp = raw.peek_magic()
    else:
        try:
            fh: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by the caller
        except IsADirectoryError:
            raise InputError("is a directory, not a file", path=path) from None
        except PermissionError:
            raise InputError("permission denied", path=path) from None
        except FileNotFoundError:
            raise InputError("no such file", path=path) from None
        raw = _Counting(fh, on_bytes)
        comp = compression_of(path)
    buffered = io.BufferedReader(raw, 1 << 16)
    if comp == ".gz":
        out: IO[bytes] = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[assignment]
    elif comp == ".bz2":
        out = bz2.BZ2File(buffered, "rb")
    elif comp == ".xz":
        out = lzma.LZMAFile(buffered, "rb")  # noqa: SIM115 - closed by the caller
    elif comp == ".zst":
        out = io.BufferedReader(_ZstdRaw(buffered))
    else:
        out = buffered
    closing = cast("IO[bytes]", _Closing(out, buffered)) if out is not buffered else out
    return closing, _COMPRESSION_NAME[comp]


class _Closing(io.BufferedIOBase):
    """A decompressing reader that closes the file under it too (GzipFile does not)."""

    def __init__(self, inner: IO[bytes], under: IO[bytes]) -> None:
        self._inner = inner
        self._under = under

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._inner.read(-1 if size is None else size)

    def readline(self, size: int | None = -1) -> bytes:
        return self._inner.readline(-1 if size is None else size)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            self._under.close()
            super().close()


class _ZstdRaw(io.RawIOBase):
    """Zstandard frames, decompressed as read; a frame cut short is an error, not an end."""

    def __init__(self, fh: IO[bytes]) -> None:
        import zstandard

        self._zstd = zstandard
        self._fh = fh
        self._obj = zstandard.ZstdDecompressor().decompressobj()
        self._buf = b""
        self._seen = False
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self._buf and not self._done:
            chunk = self._fh.read(1 << 16)
            if not chunk:
                self._done = True
                if self._seen and not self._obj.eof:
                    raise self._zstd.ZstdError("the last frame is cut short")
                break
            self._seen = True
            while chunk:
                self._buf += self._obj.decompress(chunk)
                chunk = self._obj.unused_data if self._obj.eof else b""
                if self._obj.eof:
                    self._obj = self._zstd.ZstdDecompressor().decompressobj()
                    self._seen = bool(chunk)
        n = min(len(b), len(self._buf))
        b[:n] = self._buf[:n]
        self._buf = self._buf[n:]
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def read_all(path: str, on_bytes: Callable[[int], None] | None = None) -> bytes:
    fh, kind = _open_binary(path, on_bytes)
    try:
        with _compressed_errors(path, kind):
            return fh.read()
    finally:
        fh.close()


@contextlib.contextmanager
def _compressed_errors(path: str, kind: str, line: int | None = None) -> Iterator[None]:
    """Broken compressed data becomes an :class:`InputError` naming the file and line."""
    try:
        yield
    except InputError:
        raise
    except (EOFError, zlib.error, lzma.LZMAError, gzip.BadGzipFile) as exc:
        raise InputError(f"broken {kind} data ({exc})", path=path, line=line) from None
    except OSError as exc:
        if kind == "bz2" and "Invalid data stream" in str(exc):
            raise InputError(f"broken {kind} data ({exc})", path=path, line=line) from None
        raise
    except Exception as exc:
        if type(exc).__name__ == "ZstdError":
            raise InputError(f"broken zstd data ({exc})", path=path, line=line) from None
        raise


def iter_records(
    inputs: Sequence[str],
    *,
    text_field: str = "text",
    id_field: str | None = None,
    fmt: Format = "auto",
    encoding: str = "utf-8",
    errors: str = "strict",
    on_error: OnError = "fail",
    stats: ReadStats | None = None,
    binary: bool = False,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[Record]:
    """Yield the records of every input, in order.

    Text files are one record each (id: the path). JSONL lines are one record each;
    blank lines are passed over. Parquet rows and Arrow rows (Hugging Face
    ``datasets`` folders) likewise (needs pyarrow: ``pip install 'textdedup[parquet]'``).
    A record's id is its ``id_field``; with ``id_field=None``, its ``id`` field when it
    has one (a string or integer), else ``path:line``.

    Parameters
    ----------
    binary:
        Let Parquet and Arrow columns of bytes through (for a Parquet output); by
        default such a column is refused before any record is read, since JSONL
        cannot carry bytes.
    on_bytes:
        Called with the number of input bytes read (on disk, before decompression),
        as they are read: the progress of a run whose total is :func:`input_bytes`.

    Raises
    ------
    InputError
        A missing or unreadable file, broken compressed data, or a bad record (naming
        the file and line), unless ``on_error="skip"``; with ``on_error="skip"``, when
        every record was skipped (nothing was read: a misnamed field, most likely).
    """
    if on_error not in ("fail", "skip"):
        raise ValueError(f"on_error must be 'fail' or 'skip', got {on_error!r}")
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"fmt must be auto or one of {', '.join(FORMATS)}, got {fmt!r}")
    stats = stats if stats is not None else ReadStats()
    options = ReadOptions(
        text_field=text_field,
        id_field=id_field,
        encoding=encoding,
        errors=errors,
        on_error=on_error,
        stats=stats,
        binary=binary,
        on_bytes=on_bytes,
    )
    records, skipped, shown = stats.records, stats.skipped, len(stats.errors)
    paths = expand_inputs(inputs)
    for path in paths:
        stats.files += 1
        stats.paths.append(path)
        yield from FORMATS[_format_of(path, fmt)].read(path, options)
    if stats.records == records and stats.skipped > skipped:
        # Every record skipped: a misnamed field, most likely. A run that read nothing
        # must not pass for one that found nothing (a contamination gate, an output).
        first = stats.errors[shown] if len(stats.errors) > shown else "see the inputs"
        raise InputError(
            f"every record was skipped ({stats.skipped - skipped}), so nothing was read; "
            f"the first: {first}",
            path=paths[0] if len(paths) == 1 else ", ".join(paths[:3]),
        )


def read_jsonl(
    path: str,
    text_field: str,
    id_field: str | None,
    encoding: str,
    errors: str,
    on_error: OnError,
    stats: ReadStats,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[Record]:
    shown = "<stdin>" if path == STDIN else path
    fh, kind = _open_binary(path, on_bytes)
    lineno = 0
    try:
        while True:
            try:
                raw = fh.readline()
            except Exception:
                # Broken compressed data names the line (a context manager per line
                # cost more than the JSON parsing).
                with _compressed_errors(shown, kind, lineno + 1):
                    raise
            if not raw:
                break
            lineno += 1
            if not raw.strip():
                continue
            try:
                record = _parse_line(raw, shown, lineno, text_field, id_field, encoding, errors)
            except InputError as exc:  # as _accept, inlined: this loop is hot
                if isinstance(exc, _NotJsonLines):
                    raise
                if on_error == "fail":
                    exc.skippable = "record"
                    raise
                stats.skip(exc)
                continue
            stats.records += 1
            yield record
    finally:
        fh.close()


def _accept(make: Callable[[], Record], on_error: OnError, stats: ReadStats) -> Record | None:
    """The record ``make`` returns, or ``None`` for a bad one when skipping (counted)."""
    try:
        record = make()
    except InputError as exc:
        if on_error == "fail":
            exc.skippable = "record"
            raise
        stats.skip(exc)
        return None
    stats.records += 1
    return record


def _parse_line(
    raw: bytes,
    path: str,
    lineno: int,
    text_field: str,
    id_field: str | None,
    encoding: str,
    errors: str,
) -> Record:
    try:
        line = raw.decode(encoding, errors)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"invalid {encoding} at byte {exc.start} of the line; use --errors replace",
            path=path,
            line=lineno,
        ) from None
    if lineno == 1 and line.startswith("\ufeff"):
        line = line[1:]  # a byte order mark opens the file
    nonfinite = _NONFINITE[0]
    try:
        obj = _DECODER.decode(line)
    except json.JSONDecodeError:
        if line.strip() in ("[", "{") or line.lstrip().startswith("[{"):
            raise _NotJsonLines(path, lineno) from None
        raise InputError(f"malformed JSON ({json_problem(line)})", path=path, line=lineno) from None
    if errors == "surrogateescape" and _ESCAPED_LOW_SURROGATE.search(line):
        # Raw invalid bytes become U+DC80..U+DCFF under surrogateescape; a JSON escape
        # of the same code point could not be told apart from them on output.
        raise InputError(
            "a JSON escape \\udc80-\\udcff cannot be told apart from a raw byte under "
            "--errors surrogateescape; read this file with --errors strict",
            path=path,
            line=lineno,
        )
    if isinstance(obj, list) and obj and all(isinstance(x, dict) for x in obj):
        raise _NotJsonLines(path, lineno)
    if not isinstance(obj, dict):
        raise InputError(
            f"expected a JSON object, got {type(obj).__name__}", path=path, line=lineno
        )
    body = None
    if (
        errors == "strict"
        and encoding.lower() in _UTF8_NAMES
        and _NONFINITE[0] == nonfinite
        and not raw.startswith(b"\xef\xbb\xbf")
    ):
        # The line itself can stand for the record on output (RecordWriter.write).
        body = raw[:-1] if raw.endswith(b"\n") else raw
        body = body[:-1] if body.endswith(b"\r") else body
    return _to_record(obj, path, lineno, text_field, id_field, body)


_UTF8_NAMES = frozenset({"utf-8", "utf8", "utf_8"})
# NaN, Infinity and -Infinity read so far: a line that held one is not written back as
# read (the writer turns them into null). A count, not a flag, so that readers in other
# threads can only make a line look as if it held one, never hide one.
_NONFINITE = [0]


def _nonfinite(name: str) -> float:
    _NONFINITE[0] += 1
    return float(name)


# json.loads with its defaults, but counting NaN and infinities.
_DECODER = json.JSONDecoder(parse_constant=_nonfinite)


class _NotJsonLines(InputError):
    """The file is one JSON document (an array of records, or an indented object), not
    JSON Lines: a fault of the whole file, which skipping lines cannot mend."""

    def __init__(self, path: str, line: int) -> None:
        super().__init__(
            "this is one JSON document (an array of records, or an object spread over "
            "lines), not JSON Lines (one record a line); convert it first, for example "
            "with jq -c '.[]' FILE > FILE.jsonl",
            path=path,
            line=line,
        )


# \udc80-\udcff not escaped itself (an odd run of backslashes) and not the low half of a
# pair (\ud83d\udc80 is an emoji, which json.loads joins into one character).
_ESCAPED_LOW_SURROGATE = re.compile(
    r"(?<!\\)(?:\\\\)*(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][cC][89a-fA-F][0-9a-fA-F]"
)


def json_problem(text: str) -> str:
    """Say what is wrong with ``text``, which is not valid JSON, as a person would.

    The column is 1-based and counts characters; a line that ends before its JSON
    does is said to look cut off (a truncated dump, a full disk).

    >>> json_problem('{"id": "2", "text": "cut off in the mid\\n')
    'unterminated string starting at column 21; the line looks cut off'
    >>> json_problem('{"a": 1}{"b": 2}')
    'extra data after the JSON value at column 9; is a line break missing?'
    """
    body = text.rstrip("\r\n")
    try:
        json.loads(body)
    except json.JSONDecodeError as exc:
        msg, col, pos = exc.msg, exc.colno, exc.pos
    else:
        return "a stray control character ends the line"
    cut_off = bool(body.strip()) and not body[pos:].strip()
    if msg.startswith("Unterminated string"):
        what, cut_off = f"unterminated string starting at column {col}", True
    elif msg == "Extra data":
        return f"extra data after the JSON value at column {col}; is a line break missing?"
    elif msg.startswith("Invalid control character"):
        code = f"U+{ord(body[pos]):04X}"
        return (
            f"a raw control character ({code}) inside a string at column {col}; "
            "JSON needs it escaped"
        )
    elif msg.startswith("Invalid \\escape"):
        what = f"an invalid backslash escape at column {col}"
    elif msg.startswith("Expecting property name"):
        what = f"expected a property name in double quotes at column {col}"
    elif msg == "Expecting ',' delimiter":
        what = f"expected ',' or a closing bracket at column {col}"
    elif msg == "Expecting value":
        what = f"expected a value at column {col}"
    elif msg.startswith("Expecting"):
        # "Expecting ':' delimiter"
        what = (
            f"expected {msg.removeprefix('Expecting ').removesuffix(' delimiter')} at column {col}"
        )
    else:  # pragma: no cover - the json module has no other messages today
        what = f"{msg[:1].lower()}{msg[1:]} at column {col}"
    return f"{what}; the line looks cut off" if cut_off else what


def _to_record(
    obj: dict[str, Any],
    path: str,
    lineno: int,
    text_field: str,
    id_field: str | None,
    raw: bytes | None = None,
) -> Record:
    if text_field not in obj:
        raise InputError(f"missing field {text_field!r}", path=path, line=lineno)
    text = obj[text_field]
    if not isinstance(text, str):
        raise InputError(
            f"field {text_field!r} must be a string, got {type(text).__name__}",
            path=path,
            line=lineno,
        )
    if id_field == "":
        # Asked for locations: FILE:LINE (row), whatever fields the record has.
        rid = f"{path}:{lineno}"
    elif id_field is None:
        # As the Python API: the record's own ``id`` when it has a usable one.
        value = obj.get("id")
        ok = isinstance(value, (str, int)) and not isinstance(value, bool)
        rid = str(value) if ok else f"{path}:{lineno}"
    else:
        if id_field not in obj:
            raise InputError(f"missing id field {id_field!r}", path=path, line=lineno)
        value = obj[id_field]
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise InputError(
                f"id field {id_field!r} must be a string or integer, got {type(value).__name__}",
                path=path,
                line=lineno,
            )
        rid = str(value)
    return Record(rid, text, path, lineno, obj, raw)


def read_columnar(
    path: str,
    kind: str,
    text_field: str,
    id_field: str | None,
    on_error: OnError,
    stats: ReadStats,
    binary: bool,
    on_bytes: Callable[[int], None] | None,
) -> Iterator[Record]:
    """The rows of a Parquet file or an Arrow stream file (Hugging Face ``datasets``)."""
    what = "Parquet" if kind == "parquet" else "Arrow"
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            f"reading {what} needs pyarrow: pip install 'textdedup[parquet]'", path=path
        ) from None
    batches: Iterator[Any]
    if kind == "parquet":
        try:
            pf = pq.ParquetFile(path)
        except Exception as exc:
            raise InputError(f"not a readable Parquet file ({exc})", path=path) from None
        schema = pf.schema_arrow
        size, rows = os.path.getsize(path), max(pf.metadata.num_rows, 1)
        batches = pf.iter_batches(batch_size=4096)
        fh = None
    else:
        fh, _ = _open_binary(path, on_bytes)
        try:
            reader = pa.ipc.open_stream(fh)
        except Exception:
            fh.close()
            try:
                # An Arrow IPC *file* (random access) rather than a stream.
                table = pa.ipc.open_file(path).read_all()
            except Exception as exc:
                raise InputError(f"not a readable Arrow file ({exc})", path=path) from None
            fh, schema, batches = None, table.schema, iter(table.to_batches(4096))
        else:
            schema, batches = reader.schema, iter(reader)
    try:
        # JSON has no bytes: a binary column would come out as Python's repr of them.
        # Refused before any record is read, rather than written wrong.
        for column in schema:
            t = column.type
            if not binary and (
                pa.types.is_binary(t)
                or pa.types.is_large_binary(t)
                or pa.types.is_fixed_size_binary(t)
            ):
                raise InputError(
                    f"column {column.name!r} holds binary data ({t}), which JSONL output "
                    "cannot carry; drop or convert that column first, or write Parquet",
                    path=path,
                )
        stats.schemas.append(schema)
        row = 0
        for batch in batches:
            for obj in batch.to_pylist():
                row += 1
                record = _accept(
                    partial(_to_record, obj, path, row, text_field, id_field), on_error, stats
                )
                if record is not None:
                    yield record
            if kind == "parquet" and on_bytes is not None:
                on_bytes(size * batch.num_rows // rows)
    finally:
        if fh is not None:
            fh.close()


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_line(
    obj: Any, *, errors: str = "strict", nonfinite: dict[str, int] | None = None
) -> bytes:
    """``obj`` as one line of UTF-8 JSON, whatever lone surrogates its strings hold.

    JSON can carry a lone surrogate (the escape ``\\ud83d``) but UTF-8 cannot, so
    each one is written back as its escape; with ``errors="surrogateescape"``, the
    surrogates U+DC80..U+DCFF that stand for raw bytes the reader could not decode
    are written back as those bytes. Either way the output holds what the input held.

    >>> json_line({"text": "half \\ud83d an emoji"})
    b'{"text": "half \\\\ud83d an emoji"}\\n'
    >>> json_line({"text": "caf\\udce9"}, errors="surrogateescape")
    b'{"text": "caf\\xe9"}\\n'
    """
    try:
        line = _line_encoder().encode(obj)
    except ValueError:  # NaN or infinity (Parquet floats): JSON has no such number
        found: dict[str, int] = {} if nonfinite is None else nonfinite
        line = _line_encoder().encode(_finite(obj, found))
    try:
        return line.encode("utf-8") + b"\n"  # no surrogate: the common case, and fast
    except UnicodeEncodeError:
        pass
    raw = errors == "surrogateescape"

    def escape(m: re.Match[str]) -> str:
        code = ord(m.group())
        return m.group() if raw and code >= 0xDC80 else f"\\u{code:04x}"

    line = _SURROGATE.sub(escape, line)
    return line.encode("utf-8", "surrogateescape" if raw else "strict") + b"\n"


@cache
def _line_encoder() -> json.JSONEncoder:
    # json.dumps with options builds an encoder per call; one serves every line.
    return json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_json_value)


def _json_value(value: Any) -> Any:
    """The JSON form of a Parquet or Arrow value JSON has no type for.

    Dates and times become ISO 8601 strings, decimals and durations strings; bytes
    are refused (``TypeError``), as their text form would not round-trip.
    """
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, datetime.timedelta)):
        return str(value)
    raise TypeError(f"a value of type {type(value).__name__} has no JSON form")


def _finite(obj: Any, found: dict[str, int], name: str = "") -> Any:
    """``obj`` with every NaN or infinite float replaced by ``None`` (JSON ``null``);
    ``found`` counts the replacements by field (``a.b`` for a nested one)."""
    if isinstance(obj, float):
        if math.isfinite(obj):
            return obj
        found[name or "(value)"] = found.get(name or "(value)", 0) + 1
        return None
    if isinstance(obj, dict):
        return {k: _finite(v, found, f"{name}.{k}" if name else str(k)) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v, found, name) for v in obj]
    return obj


#: A name of :data:`OUTPUT_FORMATS` (from the registry, :mod:`textdedup.io.formats`):
#: every format :class:`RecordWriter` writes; each is also the suffix that selects it.
OutputFormat = str


def output_format(path: str, fmt: str = "auto") -> OutputFormat:
    """The format of the output ``path``: ``fmt``, or the one its suffix names.

    Standard input and a device or FIFO (``/dev/stdout``) take JSONL unless ``fmt``
    names another. A suffix the writer does not know is an error rather than JSONL
    under another name; so is a ``fmt`` that contradicts a known suffix.

    Raises
    ------
    OutputError
        Naming the output and the suffixes known.

    >>> output_format("clean.jsonl.zst")
    'jsonl.zst'
    >>> output_format("-", "parquet")
    'parquet'
    >>> output_format("clean.txt")
    Traceback (most recent call last):
    ...
    textdedup.errors.OutputError: output clean.txt: unknown suffix '.txt'; name a .jsonl, ...
    """
    if fmt != "auto" and fmt not in OUTPUT_FORMATS:
        raise ValueError(f"output format must be auto or one of {', '.join(OUTPUT_FORMATS)}")
    by_suffix = None if path == STDIN else output_format_of_path(path)
    if fmt != "auto":
        if by_suffix is not None and by_suffix != fmt:
            raise OutputError(
                f"output {path}: its suffix names {by_suffix}, but the output format asked "
                f"for is {fmt}; rename the output or drop the format"
            )
        return fmt
    if by_suffix is not None:
        return by_suffix
    if path == STDIN or output_target(path)[1]:
        return "jsonl"
    suffix = "".join(Path(path).suffixes[-2:]) or "(none)"
    shown = f"unknown suffix {suffix!r}" if suffix != "(none)" else "no suffix"
    known = [f".{f}" for f in OUTPUT_FORMATS]
    raise OutputError(
        f"output {path}: {shown}; name a {', '.join(known[:-1])} or {known[-1]} output, "
        "or give --output-format"
    )


class RecordWriter:
    """Write records as JSONL (compressed by suffix) or Parquet, to a file or stdout, atomically.

    The format follows the output's suffix (``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``,
    ``.jsonl.bz2``, ``.jsonl.xz``, ``.parquet``; see :func:`output_format`) unless
    ``fmt`` names one. A Parquet output gives each column the type it had in the
    Parquet or Arrow inputs (``source``, the :class:`ReadStats` they were read with)
    and infers the type of every other field from the values written; it needs
    pyarrow (``pip install 'textdedup[parquet]'``). Use as a context manager: the
    temporary file is renamed into place only when the block ends without an
    exception.

    Raises
    ------
    OutputError
        At construction: an unknown suffix, or Parquet without pyarrow. When writing
        Parquet: fields whose values fit no one column type.
    """

    def __init__(
        self,
        path: str,
        *,
        text_field: str = "text",
        errors: str = "strict",
        fmt: str = "auto",
        source: ReadStats | None = None,
    ) -> None:
        self.format: OutputFormat = output_format(path, fmt)
        name, dot, comp = self.format.partition(".")
        self._kind = FORMATS[name]
        if self._kind.check is not None:
            self._kind.check(path)  # a missing optional dependency, before anything is read
        self.path = path
        self.text_field = text_field
        self.errors = errors
        self.source = source
        #: NaN and infinite floats written as JSON ``null``, counted by field.
        self.nonfinite: dict[str, int] = {}
        self._options = WriteOptions(
            path=path,
            compression=dot + comp,
            errors=errors,
            source=source,
            nonfinite=self.nonfinite,
        )
        self._file: contextlib.AbstractContextManager[IO[bytes]] | None = None
        self._raw: IO[bytes] | None = None
        self._sink: RowSink | None = None

    def __enter__(self) -> RecordWriter:
        if self.path == STDIN:
            self._raw = sys.stdout.buffer
        else:
            if output_target(self.path)[0].is_dir():
                raise InputError("output is a directory; name a .jsonl file", path=self.path)
            # Written beside the target and renamed into place when the block ends cleanly.
            self._file = atomic_replace(self.path, mode=0o644, parents=True)
            self._raw = self._file.__enter__()
        write = self._kind.write
        if write is None:  # output_format names writable formats only
            raise OutputError(f"output {self.path}: {self._kind.name} cannot be written")
        try:
            self._sink = write(self._raw, self._options)
        except BaseException as exc:
            self._close_file(type(exc), exc, exc.__traceback__)
            raise
        return self

    def write(
        self, record: Record, *, text: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        """Write ``record`` with its text replaced by ``text`` and ``extra`` fields added.

        A JSONL record written unchanged (no new text, no extra field) is written as
        the line it was read from (:attr:`Record.raw`), byte for byte, when it has one.
        """
        if (
            record.raw is not None
            and not extra
            and (text is None or text == record.text)
            and record.data is not None
            and record.data.get(self.text_field) is record.text
            and isinstance(self._sink, JsonlSink)
        ):
            self._sink.write_line(record.raw)
            return
        obj: dict[str, Any] = dict(record.data) if record.data is not None else {"id": record.id}
        obj[self.text_field] = record.text if text is None else text
        if extra:
            obj.update(extra)
        self.write_obj(obj, where=f"{record.path}:{record.line}")

    def write_obj(self, obj: dict[str, Any], *, where: str | None = None) -> None:
        """Write one object: a JSON line (lone surrogates round-trip, see :func:`json_line`)
        or a Parquet row. ``where`` (``FILE:LINE``) names it in a Parquet schema error."""
        if self._sink is None:
            raise RuntimeError("use RecordWriter as a context manager")
        self._sink.write(obj, where)

    def _close_file(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._file is not None:
            file, self._file = self._file, None
            file.__exit__(exc_type, exc, tb)
        elif self._raw is not None:
            self._raw.flush()  # standard output: flushed, never closed

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self._sink is None:
            return
        sink, self._sink = self._sink, None
        try:
            try:
                if exc_type is None:
                    sink.finish()
            finally:
                sink.close()  # the compressor or the spill file; the file under it stays open
        except BaseException as failure:
            self._close_file(type(failure), failure, failure.__traceback__)
            raise
        self._close_file(exc_type, exc, tb)
        if self.nonfinite and exc_type is None:
            counts = ", ".join(f"{k!r}: {n}" for k, n in sorted(self.nonfinite.items()))
            sys.stderr.write(
                f"warning: output {self.path}: NaN or infinite numbers written as null "
                f"(JSON has no such number), by field: {counts}\n"
            )


_PARQUET_BATCH = 4096


def write_parquet(rows: SpillStore, out: IO[bytes], source: ReadStats | None, path: str) -> None:
    """Write the pickled rows as one Parquet file.

    Columns of the inputs keep their Arrow types; every other field's type is
    inferred from all its values (a first pass over the rows, field by field), so a
    field that is absent or null in the first rows and a string, list or struct
    later is a column of that type, null where absent.

    Raises
    ------
    OutputError
        Before anything is written, naming the field and the record (``FILE:LINE``):
        a value no Arrow type holds (an integer beyond int64), values of one field
        that fit no one type, or an empty struct (``{}``) Parquet cannot store.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    def batches() -> Iterator[tuple[list[str], list[dict[str, Any]]]]:
        wheres: list[str] = []
        batch: list[dict[str, Any]] = []
        for raw in rows:
            where, row = pickle.loads(raw)
            wheres.append(where)
            batch.append(row)
            if len(batch) == _PARQUET_BATCH:
                yield wheres, batch
                wheres, batch = [], []
        if batch:
            yield wheres, batch

    def refuse(name: str, where: str, why: str) -> OutputError:
        return OutputError(
            f"output {path}: field {name!r} of the record at {where} does not fit one "
            f"Parquet column ({why}); convert or drop that field, or write JSONL instead"
        )

    def culprit(
        name: str, values: list[Any], wheres: list[str], type_: Any, exc: Exception
    ) -> OutputError:
        """The error naming the first record whose value of ``name`` breaks the column."""
        for value, where in zip(values, wheres, strict=True):
            if value is None:
                continue
            try:
                pa.array([value], type=type_)
            except (pa.ArrowException, OverflowError, TypeError, ValueError) as one:
                return refuse(name, where, f"{one}; column type {type_ or 'inferred'}")
        lo, hi = 0, len(values)  # each value fits alone: the first prefix that fails
        while hi - lo > 1:
            mid = (lo + hi) // 2
            try:
                pa.array(values[:mid], type=type_)
                lo = mid
            except (pa.ArrowException, OverflowError, TypeError, ValueError):
                hi = mid
        return refuse(name, wheres[hi - 1], f"{exc}; column type {type_ or 'inferred'}")

    def empty_struct(type_: Any) -> bool:
        if pa.types.is_struct(type_):
            return type_.num_fields == 0 or any(empty_struct(f.type) for f in type_)
        if pa.types.is_list(type_) or pa.types.is_large_list(type_):
            return bool(empty_struct(type_.value_type))
        return False

    try:
        known = (
            pa.unify_schemas(source.schemas, promote_options="permissive")
            if source is not None and source.schemas
            else pa.schema([])
        )
    except pa.ArrowException as exc:
        raise OutputError(
            f"output {path}: the input columns do not fit one Parquet schema ({exc}); "
            "write JSONL instead"
        ) from None
    order: dict[str, None] = dict.fromkeys(known.names)
    types: dict[str, Any] = {}
    first: dict[str, str] = {}  # where each inferred field first has a value
    for wheres, batch in batches():
        for row in batch:
            order.update(dict.fromkeys(row))
        for name in order:
            if name in known.names:
                continue
            values = [row.get(name) for row in batch]
            try:
                got = pa.array(values).type
            except (pa.ArrowException, OverflowError, TypeError, ValueError) as exc:
                raise culprit(name, values, wheres, None, exc) from None
            if name not in first and not pa.types.is_null(got):
                first[name] = next(w for w, v in zip(wheres, values, strict=True) if v is not None)
            old = types.get(name, pa.null())
            try:
                types[name] = (
                    pa.unify_schemas(
                        [pa.schema([(name, old)]), pa.schema([(name, got)])],
                        promote_options="permissive",
                    )
                    .field(name)
                    .type
                )
            except pa.ArrowException as exc:
                where = next(w for w, v in zip(wheres, values, strict=True) if v is not None)
                raise refuse(
                    name, where, f"{got} here, {old} from {first.get(name, 'earlier')}: {exc}"
                ) from None
    types |= {f.name: f.type for f in known}
    for name, type_ in types.items():
        if empty_struct(type_):
            raise refuse(
                name, first.get(name, "?"), "an empty object {} has no Parquet struct form"
            )
    schema = pa.schema([(name, types.get(name, pa.null())) for name in order])
    try:
        with pq.ParquetWriter(out, schema) as writer:
            for wheres, batch in batches():
                columns = []
                for f in schema:
                    values = [row.get(f.name) for row in batch]
                    try:
                        columns.append(pa.array(values, type=f.type))
                    except (pa.ArrowException, OverflowError, TypeError, ValueError) as exc:
                        raise culprit(f.name, values, wheres, f.type, exc) from None
                writer.write_table(pa.Table.from_arrays(columns, schema=schema))
    except (pa.ArrowException, UnicodeEncodeError) as exc:
        raise OutputError(
            f"output {path}: the records do not fit one Parquet schema ({exc}); write JSONL instead"
        ) from None


class FolderWriter:
    """Write each document as a text file under a folder, mirroring each input under its name.

    For text-file inputs: a record read from ``ROOT/a/b.txt`` (``ROOT`` an input
    folder) is written to ``OUT/ROOT/a/b.txt``, one read from a file named directly to
    ``OUT/NAME``; so ``in_a/notes.txt`` and ``in_b/notes.txt`` stay two files, and two
    inputs of the same name are refused before anything is read. Every check runs when
    the writer is made (:func:`~textdedup.io.check_output_folder`): the folder never is,
    holds or lies inside an input, and one that is not empty is replaced only with
    ``overwrite`` and only if it holds textdedup's own earlier output. The files go to
    a temporary sibling folder, with a manifest, that replaces ``OUT`` only when the
    block ends without an exception; on any exception (Ctrl-C too) it is removed.
    """

    def __init__(
        self,
        path: str,
        inputs: Sequence[str],
        *,
        encoding: str = "utf-8",
        errors: str = "strict",
        fmt: Format = "auto",
        overwrite: bool = False,
    ) -> None:
        # Paths are compared after lexical normalization ("a/../a" is "a"), not resolved,
        # so a symlink inside an input folder is written like any other file.
        self.roots = [
            (Path(os.path.normpath(name)), root) for name, root in mirror_roots(inputs).items()
        ]
        self.path = check_output_folder(path, inputs, overwrite=overwrite)
        files = expand_inputs(inputs)
        for name in files:
            if _format_of(name, fmt) != "text":
                raise InputError(
                    "a folder output takes text-file inputs; write JSONL records to a "
                    ".jsonl file (-o FILE.jsonl)",
                    path="<stdin>" if name == STDIN else name,
                )
        # Every target is known now: two sources that would share one are refused here,
        # before anything is read or written.
        targets: dict[Path, str] = {}
        for name in files:
            target = self._target(Path(name))
            if target in targets:
                raise OutputError(
                    f"inputs {targets[target]} and {name} would both be written to "
                    f"{target.as_posix()} in the output folder; give each file once"
                )
            targets[target] = name
        self.encoding = encoding
        self.errors = errors
        self._tmp: Path | None = None

    def __enter__(self) -> FolderWriter:
        self._tmp = temp_folder_beside(self.path)
        return self

    def _relative(self, record: Record) -> Path:
        if record.data is not None:
            raise InputError(
                "a folder output takes text-file inputs; write JSONL records to a .jsonl file",
                path=record.path,
                line=record.line,
            )
        return self._target(Path(record.path))

    def _target(self, source: Path) -> Path:
        source = Path(os.path.normpath(source))
        for given, root in self.roots:
            if source == given:
                return Path(root)
            if given in source.parents:
                return Path(root) / source.relative_to(given)
        raise InputError("is not under any input", path=str(source))

    def write(
        self, record: Record, *, text: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        """Write the (possibly rewritten) text; ``extra`` cannot be stored and is refused."""
        if extra:
            raise ValueError("--action annotate needs a JSONL output")
        if self._tmp is None:
            raise RuntimeError("use FolderWriter as a context manager")
        target = self._tmp / self._relative(record)
        if target.exists():  # the targets were checked distinct; a record read twice is not
            raise OutputError(f"{record.path} would overwrite {target.relative_to(self._tmp)}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(
            (record.text if text is None else text).encode(self.encoding, self.errors)
        )

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self._tmp is None:
            return
        try:
            if exc_type is None:
                replace_folder(self._tmp, self.path)
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)
