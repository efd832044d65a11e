"""Reading and writing: text files, record formats, and outputs that lose nothing.

The package holds

- :mod:`~textdedup.io.files`: decoding with errors that name the file, line and byte;
  the checks that refuse an output that is, holds or lies inside an input; output
  folders;
- :mod:`~textdedup.io.atomic`: the one atomic-replace helper every output file goes
  through (a temporary file beside the target, renamed into place);
- :mod:`~textdedup.io.formats`: the registry of record formats, one module each
  (:mod:`~textdedup.io.plain`, :mod:`~textdedup.io.jsonl`,
  :mod:`~textdedup.io.parquet`, :mod:`~textdedup.io.arrow`) with its reader and
  writer. Adding a format is a new module here and one word in
  :data:`~textdedup.io.formats.FORMAT_MODULES`.

:mod:`textdedup.records` turns inputs into :class:`~textdedup.records.Record` s and
back through this registry. The names below were importable from ``textdedup.io``
when it was one module, and still are.
"""

from __future__ import annotations

from .atomic import atomic_replace, atomic_write, glob_escape, output_target, temp_beside
from .files import (
    ERROR_HANDLERS,
    MANIFEST,
    STDIN,
    check_output_file,
    check_output_folder,
    check_outputs,
    decode,
    folder_files,
    mirror_roots,
    read_text,
    replace_folder,
    temp_folder_beside,
)
from .formats import FORMATS, INPUT_FORMATS, OUTPUT_FORMATS, Format, format_of_path

__all__ = [
    "ERROR_HANDLERS",
    "FORMATS",
    "INPUT_FORMATS",
    "MANIFEST",
    "OUTPUT_FORMATS",
    "STDIN",
    "Format",
    "atomic_replace",
    "atomic_write",
    "check_output_file",
    "check_output_folder",
    "check_outputs",
    "decode",
    "folder_files",
    "format_of_path",
    "glob_escape",
    "mirror_roots",
    "output_target",
    "read_text",
    "replace_folder",
    "temp_beside",
    "temp_folder_beside",
]
