"""Apache Parquet: rows read with their column types, written with the inputs' types.

Needs pyarrow (``pip install 'textdedup[parquet]'``). A Parquet output holds its rows
in a spill file until the end, since each column's type is inferred over all of its
values (:func:`textdedup.records.write_parquet`).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from ..errors import OutputError
from ..store import SpillStore
from .formats import Format, ReadOptions, WriteOptions

if TYPE_CHECKING:
    from ..records import Record

__all__ = ["FORMAT", "ParquetSink", "check_writable", "read"]


def read(path: str, options: ReadOptions) -> Iterator[Record]:
    """One record per row (see :func:`textdedup.records.iter_records`).

    Raises
    ------
    InputError
        No pyarrow, a file that is not Parquet, a bytes column when ``binary`` is
        false, or a bad row (naming the file and row), unless skipping.
    """
    from ..records import read_columnar

    return read_columnar(
        path,
        "parquet",
        options.text_field,
        options.id_field,
        options.on_error,
        options.stats,
        options.binary,
        options.on_bytes,
    )


def check_writable(path: str) -> None:
    """Raise :class:`~textdedup.errors.OutputError` naming ``path`` if pyarrow is missing."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise OutputError(
            f"output {path}: writing Parquet needs pyarrow: pip install 'textdedup[parquet]'"
        ) from None


class ParquetSink:
    """Holds the rows (pickled, in a spill file) and writes one Parquet file at the end."""

    def __init__(self, raw: IO[bytes], options: WriteOptions) -> None:
        check_writable(options.path)
        self._raw = raw
        self._options = options
        self._rows = SpillStore()

    def write(self, obj: dict[str, Any], where: str | None) -> None:
        """Hold one row (``where`` names it if its values fit no column)."""
        if where is None:
            where = f"output row {len(self._rows) + 1}"
        self._rows.append(pickle.dumps((where, obj), protocol=pickle.HIGHEST_PROTOCOL))

    def finish(self) -> None:
        """Write every row held as one Parquet file.

        Raises
        ------
        OutputError
            A field whose values fit no one column type, naming the field and record.
        """
        from ..records import write_parquet

        o = self._options
        write_parquet(self._rows, self._raw, o.source, o.path)

    def close(self) -> None:
        """Remove the spill file."""
        self._rows.close()


FORMAT = Format(
    name="parquet", suffixes=(".parquet",), read=read, write=ParquetSink, check=check_writable
)
