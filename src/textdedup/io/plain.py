"""Plain text files: each file is one record, its id the path (read only).

The format of every file whose suffix no other format names, compressed or not
(``notes.txt.gz``); an output of text files is a folder
(:class:`textdedup.records.FolderWriter`), not a record writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..errors import InputError
from .files import decode
from .formats import Format, ReadOptions

if TYPE_CHECKING:
    from ..records import Record

__all__ = ["FORMAT", "read"]


def read(path: str, options: ReadOptions) -> Iterator[Record]:
    """The whole file as one record (id and path: ``path``, line 1).

    Raises
    ------
    InputError
        A missing, unreadable, binary or undecodable file, unless
        ``options.on_error == "skip"`` (then counted in ``options.stats``).
    """
    from ..records import Record, read_all

    try:
        data = read_all(path, options.on_bytes)
        text = decode(data, path=path, encoding=options.encoding, errors=options.errors)
    except InputError as exc:
        if options.on_error == "fail":
            exc.skippable = "file"
            raise
        options.stats.skip(exc)
        return
    options.stats.records += 1
    yield Record(id=path, text=text, path=path, line=1)


FORMAT = Format(name="text", suffixes=(), compressed=True, read=read)
