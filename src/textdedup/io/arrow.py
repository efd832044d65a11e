"""Apache Arrow IPC streams and files, as Hugging Face ``datasets`` saves them (read only).

Needs pyarrow. A ``datasets`` folder (``save_to_disk``) is expanded into its Arrow
files by :func:`textdedup.records.expand_inputs`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .formats import Format, ReadOptions

if TYPE_CHECKING:
    from ..records import Record

__all__ = ["FORMAT", "read"]


def read(path: str, options: ReadOptions) -> Iterator[Record]:
    """One record per row (see :func:`textdedup.records.iter_records`).

    Raises
    ------
    InputError
        As for Parquet: no pyarrow, not Arrow data, a bytes column, a bad row.
    """
    from ..records import read_columnar

    return read_columnar(
        path,
        "arrow",
        options.text_field,
        options.id_field,
        options.on_error,
        options.stats,
        options.binary,
        options.on_bytes,
    )


FORMAT = Format(name="arrow", suffixes=(".arrow",), read=read)
