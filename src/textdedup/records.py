"""Corpus readers and writers: text files and folders, JSONL (plain, .gz, .zst), Parquet.

Reading streams one record at a time, so memory does not grow with the corpus.
Every bad record (malformed JSON, a missing or non-string field) is an
:class:`~textdedup.errors.InputError` naming the file and line, unless
``on_error="skip"``, which counts it in :class:`ReadStats` and goes on. Writers
write to a temporary file beside the target and rename it into place on success,
so an interrupted run leaves the previous output intact.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import math
import os
import re
import shutil
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any, Literal

from .errors import InputError, OutputError
from .io import (
    STDIN,
    check_output_folder,
    decode,
    mirror_roots,
    output_target,
    replace_folder,
    temp_beside,
    temp_folder_beside,
)

__all__ = ["ReadStats", "Record", "RecordWriter", "expand_inputs", "iter_records"]

Format = Literal["auto", "jsonl", "text", "parquet"]
OnError = Literal["fail", "skip"]
_JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")
_MAX_REPORTED = 20


@dataclass(frozen=True, slots=True)
class Record:
    """One document of a corpus.

    ``data`` is the whole JSON object for JSONL and Parquet input (every field passes
    through to the output), ``None`` for text files.
    """

    id: str
    text: str
    path: str
    line: int
    data: dict[str, Any] | None = None


@dataclass(slots=True)
class ReadStats:
    """What the readers saw: records read, and records skipped with the reasons."""

    files: int = 0
    records: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def skip(self, error: InputError) -> None:
        self.skipped += 1
        if len(self.errors) < _MAX_REPORTED:
            self.errors.append(str(error))


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Files named, and the files inside folders named (sorted, hidden ones left out)."""
    out: list[str] = []
    for name in inputs:
        if name == STDIN:
            out.append(name)
            continue
        p = Path(name)
        if p.is_dir():
            found = sorted(
                str(f)
                for f in p.rglob("*")
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            out.extend(found)
        elif p.exists():
            out.append(name)
        else:
            raise InputError("no such file or folder", path=name)
    return out


def _format_of(path: str, fmt: Format) -> Format:
    if fmt != "auto":
        return fmt
    name = path.lower()
    for comp in (".gz", ".zst"):
        name = name.removesuffix(comp)
    if path == STDIN or name.endswith(_JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    return "text"


def _open_binary(path: str) -> IO[bytes]:
    if path == STDIN:
        return sys.stdin.buffer
    try:
        fh: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by the caller
    except IsADirectoryError:
        raise InputError("is a directory, not a file", path=path) from None
    except PermissionError:
        raise InputError("permission denied", path=path) from None
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    lower = path.lower()
    if lower.endswith(".gz"):
        fh.close()
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if lower.endswith(".zst"):
        return io.BufferedReader(_ZstdRaw(fh))
    return fh


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


def _read_all(path: str) -> bytes:
    with _compressed_errors(path):
        fh = _open_binary(path)
        try:
            return fh.read()
        finally:
            if path != STDIN:
                fh.close()


@contextlib.contextmanager
def _compressed_errors(path: str, line: int | None = None) -> Iterator[None]:
    try:
        yield
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(f"broken gzip data ({exc})", path=path, line=line) from None
    except InputError:
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
) -> Iterator[Record]:
    """Yield the records of every input, in order.

    Text files are one record each (id: the path). JSONL lines are one record each
    (id: ``id_field``, or ``path:line``); blank lines are passed over. Parquet rows
    likewise (needs pyarrow: ``pip install 'textdedup[parquet]'``).
    """
    if on_error not in ("fail", "skip"):
        raise ValueError(f"on_error must be 'fail' or 'skip', got {on_error!r}")
    stats = stats if stats is not None else ReadStats()
    for path in expand_inputs(inputs):
        stats.files += 1
        kind = _format_of(path, fmt)
        if kind == "text":
            try:
                data = _read_all(path)
                text = decode(data, path=path, encoding=encoding, errors=errors)
            except InputError as exc:
                if on_error == "fail":
                    exc.skippable = "file"
                    raise
                stats.skip(exc)
                continue
            stats.records += 1
            yield Record(id=path, text=text, path=path, line=1)
        elif kind == "jsonl":
            yield from _jsonl(path, text_field, id_field, encoding, errors, on_error, stats)
        else:
            yield from _parquet(path, text_field, id_field, on_error, stats)


def _jsonl(
    path: str,
    text_field: str,
    id_field: str | None,
    encoding: str,
    errors: str,
    on_error: OnError,
    stats: ReadStats,
) -> Iterator[Record]:
    shown = "<stdin>" if path == STDIN else path
    with _compressed_errors(shown):
        fh = _open_binary(path)
    lineno = 0
    try:
        while True:
            with _compressed_errors(shown, lineno + 1):
                raw = fh.readline()
            if not raw:
                break
            lineno += 1
            if not raw.strip():
                continue
            record = _accept(
                partial(_parse_line, raw, shown, lineno, text_field, id_field, encoding, errors),
                on_error,
                stats,
            )
            if record is not None:
                yield record
    finally:
        if path != STDIN:
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
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
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
    if not isinstance(obj, dict):
        raise InputError(
            f"expected a JSON object, got {type(obj).__name__}", path=path, line=lineno
        )
    return _to_record(obj, path, lineno, text_field, id_field)


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
    obj: dict[str, Any], path: str, lineno: int, text_field: str, id_field: str | None
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
    if id_field is None:
        rid = f"{path}:{lineno}"
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
    return Record(id=rid, text=text, path=path, line=lineno, data=obj)


def _parquet(
    path: str, text_field: str, id_field: str | None, on_error: OnError, stats: ReadStats
) -> Iterator[Record]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(
            "reading Parquet needs pyarrow: pip install 'textdedup[parquet]'", path=path
        ) from None
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:
        raise InputError(f"not a readable Parquet file ({exc})", path=path) from None
    import pyarrow as pa

    # JSON has no bytes: a binary column would come out as Python's repr of them. Refused
    # before any record is read, rather than written wrong.
    for column in pf.schema_arrow:
        t = column.type
        if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
            raise InputError(
                f"column {column.name!r} holds binary data ({t}), which JSONL output cannot "
                "carry; drop or convert that column first",
                path=path,
            )
    row = 0
    for batch in pf.iter_batches(batch_size=4096):
        for obj in batch.to_pylist():
            row += 1
            record = _accept(
                partial(_to_record, obj, path, row, text_field, id_field), on_error, stats
            )
            if record is not None:
                yield record


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_line(obj: Any, *, errors: str = "strict") -> bytes:
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
        line = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN or infinity (Parquet floats): JSON has no such number
        line = json.dumps(_finite(obj), ensure_ascii=False, allow_nan=False)
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


def _finite(obj: Any) -> Any:
    """``obj`` with every NaN or infinite float replaced by ``None`` (JSON ``null``)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


class RecordWriter:
    """Write records as JSONL (``.gz``/``.zst`` by suffix) to a file or stdout, atomically.

    Use as a context manager: the temporary file is renamed into place only when the
    block ends without an exception.
    """

    def __init__(self, path: str, *, text_field: str = "text", errors: str = "strict") -> None:
        if path.lower().endswith(".parquet"):
            # Refused here, before the run, rather than writing JSONL under a Parquet name.
            raise OutputError(
                f"output {path}: textdedup writes JSONL, not Parquet; name a .jsonl "
                "(.jsonl.gz, .jsonl.zst) output"
            )
        self.path = path
        self.text_field = text_field
        self.errors = errors
        self._tmp: str | None = None
        self._target = Path(path)
        self._raw: IO[bytes] | None = None
        self._out: IO[bytes] | None = None

    def __enter__(self) -> RecordWriter:
        if self.path == STDIN:
            self._out = sys.stdout.buffer
            return self
        target, direct = output_target(self.path)
        if target.is_dir():
            raise InputError("output is a directory; name a .jsonl file", path=self.path)
        self._target = target
        if direct:  # a device or FIFO (/dev/null, /dev/stdout): written into, not replaced
            self._raw = open(target, "wb")  # closed in __exit__
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = temp_beside(target)
            self._raw = os.fdopen(fd, "wb")
        lower = self.path.lower()
        if lower.endswith(".gz"):
            self._out = gzip.GzipFile(fileobj=self._raw, mode="wb", mtime=0)  # type: ignore[assignment]
        elif lower.endswith(".zst"):
            import zstandard

            self._out = zstandard.ZstdCompressor().stream_writer(self._raw, closefd=False)
        else:
            self._out = self._raw
        return self

    def write(
        self, record: Record, *, text: str | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        """Write ``record`` with its text replaced by ``text`` and ``extra`` fields added."""
        obj: dict[str, Any] = dict(record.data) if record.data is not None else {"id": record.id}
        obj[self.text_field] = record.text if text is None else text
        if extra:
            obj.update(extra)
        self.write_obj(obj)

    def write_obj(self, obj: dict[str, Any]) -> None:
        """Write one JSON object as a line; lone surrogates round-trip (see :func:`json_line`)."""
        if self._out is None:
            raise RuntimeError("use RecordWriter as a context manager")
        self._out.write(json_line(obj, errors=self.errors))

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.path == STDIN:
            sys.stdout.flush()
            return
        assert self._out is not None and self._raw is not None
        if self._tmp is None:  # written straight into a device or FIFO
            if self._out is not self._raw:
                self._out.close()
            self._raw.close()
            return
        try:
            if self._out is not self._raw:
                self._out.close()
            self._raw.flush()
            os.fsync(self._raw.fileno())
            self._raw.close()
            if exc_type is None:
                os.chmod(self._tmp, 0o644)
                os.replace(self._tmp, self._target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._tmp)


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
