"""JSON Lines: one JSON object per line, read and written plain or compressed.

Suffixes ``.jsonl``, ``.json``, ``.ndjson``, each also with ``.gz``, ``.zst``,
``.bz2`` or ``.xz``; standard input is read as JSONL (compressed or not, by its first
bytes). Lone surrogates round-trip (:func:`textdedup.records.json_line`); NaN and
infinite numbers, which JSON lacks, are written as ``null`` and counted.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from ..errors import OutputError
from .formats import Format, ReadOptions, WriteOptions

if TYPE_CHECKING:
    from ..records import Record

__all__ = ["FORMAT", "JsonlSink", "read"]


def read(path: str, options: ReadOptions) -> Iterator[Record]:
    """One record per non-blank line (see :func:`textdedup.records.iter_records`).

    Raises
    ------
    InputError
        Broken compressed data, or a line that is not a JSON object with the text
        field (naming the file and line), unless ``options.on_error == "skip"``.
    """
    from ..records import read_jsonl

    return read_jsonl(
        path,
        options.text_field,
        options.id_field,
        options.encoding,
        options.errors,
        options.on_error,
        options.stats,
        options.on_bytes,
    )


def _compressor(raw: IO[bytes], compression: str) -> IO[bytes]:
    if compression == ".gz":
        return gzip.GzipFile(fileobj=raw, mode="wb", mtime=0)  # type: ignore[return-value]
    if compression == ".bz2":
        return bz2.BZ2File(raw, "wb")
    if compression == ".xz":
        return lzma.LZMAFile(raw, "wb")
    if compression == ".zst":
        import zstandard

        return zstandard.ZstdCompressor().stream_writer(raw, closefd=False)
    return raw


class JsonlSink:
    """Writes JSON lines into a binary file, through the compression the output names."""

    def __init__(self, raw: IO[bytes], options: WriteOptions) -> None:
        self._raw = raw
        self._options = options
        self._out = _compressor(raw, options.compression)

    def write(self, obj: dict[str, Any], where: str | None) -> None:
        """Write ``obj`` as one line.

        Raises
        ------
        OutputError
            A value JSON has no form for (bytes), naming the output.
        """
        from ..records import json_line

        o = self._options
        try:
            self._out.write(json_line(obj, errors=o.errors, nonfinite=o.nonfinite))
        except TypeError as exc:  # bytes, or another value JSON has no form for
            raise OutputError(f"output {o.path}: {exc}; write Parquet instead") from None

    def write_line(self, line: bytes) -> None:
        """Write ``line`` (one JSON object in UTF-8, without its line break) as it is."""
        self._out.write(line + b"\n")

    def finish(self) -> None:
        """Nothing is held: lines are written as they come."""

    def close(self) -> None:
        """Close the compressor (its end marks); the file under it stays open."""
        if self._out is not self._raw:
            self._out.close()


FORMAT = Format(
    name="jsonl",
    suffixes=(".jsonl", ".json", ".ndjson"),
    compressed=True,
    read=read,
    write=JsonlSink,
)
