"""Text files and output folders: decoding with clear errors, and outputs that lose nothing.

:func:`decode` and :func:`read_text` turn bytes into text with clear errors (binary
data, invalid encoding, missing files, directories) that name the file and the byte
offset and line. Before anything is read, the output checks refuse an output that
is, holds or lies inside an input, and an output folder that holds anything but
textdedup's own earlier output; a folder output is written beside its target and
renamed into place (:func:`replace_folder`), like a file (:mod:`textdedup.io.atomic`).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import (
    BinaryInputError,
    DecodeError,
    InputError,
    OutputConflictError,
    OutputError,
    literal,
)
from .atomic import glob_escape, process_alive

__all__ = [
    "ERROR_HANDLERS",
    "MANIFEST",
    "STDIN",
    "check_output_file",
    "check_output_folder",
    "decode",
    "folder_files",
    "mirror_roots",
    "read_text",
    "replace_folder",
    "temp_folder_beside",
]

STDIN = "-"
ERROR_HANDLERS = ("strict", "replace", "surrogateescape", "ignore")


def decode(data: bytes, *, path: str, encoding: str = "utf-8", errors: str = "strict") -> str:
    """Decode ``data`` read from ``path``, refusing binary data.

    >>> decode(b"caf\\xc3\\xa9", path="x.txt")
    'café'
    >>> decode(b"ok\\nbad \\xff", path="x.txt")
    Traceback (most recent call last):
    ...
    textdedup.errors.DecodeError: x.txt, line 2, byte 7: invalid utf-8 (byte 0xff); ...
    """
    if errors not in ERROR_HANDLERS:
        raise ValueError(f"errors must be one of {', '.join(ERROR_HANDLERS)}, got {errors!r}")
    nul = data.find(b"\x00")
    if (
        nul >= 0
        and not encoding.lower().replace("-", "").startswith("utf16")
        and not encoding.lower().replace("-", "").startswith("utf32")
    ):
        raise BinaryInputError(
            "looks like binary data (NUL byte), not text",
            path=path,
            line=data.count(b"\n", 0, nul) + 1,
            offset=nul,
        )
    if data.startswith(b"\xef\xbb\xbf") and encoding.lower().replace("-", "") in (
        "utf8",
        "utf8sig",
    ):
        data = data[3:]
    try:
        return data.decode(encoding, errors)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1]
        raise DecodeError(
            f"invalid {encoding} (byte 0x{bad.hex()}); use --encoding to name the right "
            "encoding, or --errors replace|surrogateescape",
            path=path,
            line=data.count(b"\n", 0, exc.start) + 1,
            offset=exc.start,
        ) from None
    except LookupError:
        raise ValueError(f"unknown encoding {encoding!r}") from None


def read_text(path: str, *, encoding: str = "utf-8", errors: str = "strict") -> str:
    """Read a whole file (or standard input, for ``"-"``) as text."""
    if path == STDIN:
        return decode(sys.stdin.buffer.read(), path="<stdin>", encoding=encoding, errors=errors)
    p = Path(path)
    if p.is_dir():
        raise InputError("is a directory, not a file", path=path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except PermissionError:
        raise InputError("permission denied", path=path) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path=path) from None
    return decode(data, path=path, encoding=encoding, errors=errors)


# -- outputs that never touch an input ---------------------------------------------------

#: The file textdedup writes into every output folder, listing the files it wrote; only a
#: folder holding it (and nothing else) is replaced by ``--overwrite``.
MANIFEST = ".textdedup-output.json"


def _hidden_below(path: Path, folder: Path) -> bool:
    """Whether ``path`` (under ``folder``) is hidden there, so a folder input skips it."""
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def _input_paths(inputs: Sequence[str]) -> list[tuple[str, Path]]:
    return [(name, Path(name).resolve()) for name in dict.fromkeys(inputs) if name != STDIN]


def _output_error(what: str, text: str) -> OutputError:
    """``what`` and ``text`` as one error; ``what`` may be a parameter, ``"{report}"``."""
    if what.startswith("{") and what.endswith("}"):
        return OutputConflictError(what + " " + literal(text))
    return OutputError(f"{what} {text}")


def check_output_file(output: str, inputs: Sequence[str], *, what: str = "output") -> None:
    """Refuse an output file that is an input, or that a later run would read as input.

    ``what`` names the output in the message; a parameter name in braces
    (``"{report}"``) makes it an :class:`~textdedup.errors.OutputConflictError` naming
    that parameter.

    Raises
    ------
    OutputError
        ``output`` is one of ``inputs`` (or the same file under another name), or it
        lies inside an input folder where it is not hidden (folders are read whole).

    >>> check_output_file("-", ["a.jsonl"])
    """
    if output == STDIN:
        return
    if (not inputs or STDIN in inputs) and is_stdin(output):
        raise _output_error(what, f"{output} is the file on standard input; name another output")
    target = Path(output).resolve()
    for name, source in _input_paths(inputs):
        if target == source or (
            target.exists() and source.exists() and os.path.samefile(target, source)
        ):
            raise _output_error(what, f"{output} is an input file; name another output")
        if source.is_dir() and source in target.parents and not _hidden_below(target, source):
            if target.is_file():
                raise _output_error(
                    what,
                    f"{output} is an input file (read from the input folder {name}); "
                    "name another output",
                )
            raise _output_error(
                what,
                f"{output} is inside the input folder {name}, so a later run would "
                "read it as input; write it elsewhere",
            )


def is_stdin(path: str) -> bool:
    """Whether ``path`` is the file standard input reads (``< path`` in the shell)."""
    try:
        fd = sys.stdin.fileno()
        st = os.fstat(fd)
        return os.path.exists(path) and os.path.samestat(st, os.stat(path))
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False  # no real standard input (a test runner's), or no such path


def check_outputs(inputs: Sequence[str], outputs: Mapping[str, str | None]) -> None:
    """Refuse, before anything is read, output files that are or would become inputs,
    and two outputs that name one file.

    ``outputs`` maps how each output is named in a message to its path (``None``
    and ``"-"`` are skipped): a parameter name in braces (``"{stats_path}"``) raises
    :class:`~textdedup.errors.OutputConflictError` naming it, any other string a
    plain :class:`~textdedup.errors.OutputError` (the CLI names flags so).

    Raises
    ------
    OutputError
        An output is an input or inside an input folder (:func:`check_output_file`),
        or two outputs are one file.

    >>> check_outputs(["a.jsonl"], {"{output}": "kept.jsonl", "{stats_path}": None})
    >>> check_outputs([], {"{output}": "x.jsonl", "{removals_path}": "x.jsonl"})
    Traceback (most recent call last):
    ...
    textdedup.errors.OutputConflictError: output and removals_path name the same file x.jsonl
    """
    given = {what: path for what, path in outputs.items() if path and path != STDIN}
    for what, path in given.items():
        check_output_file(path, inputs or (STDIN,), what=what)
    seen: dict[Path, str] = {}
    for what, path in given.items():
        target = Path(path).resolve()
        if target in seen:
            first = seen[target]
            if first.startswith("{") and what.startswith("{"):
                raise OutputConflictError(f"{first} and {what} name the same file {literal(path)}")
            raise OutputError(f"{first} and {what} name the same file {path}")
        seen[target] = what


def mirror_roots(inputs: Sequence[str]) -> dict[str, str]:
    """The folder each input is mirrored under in a folder output: its own name.

    Raises
    ------
    OutputError
        Two different inputs share a name (their files would overwrite each other),
        or an input has no name (``/``).

    >>> mirror_roots(["in_a", "in_b/", "notes.txt"])
    {'in_a': 'in_a', 'in_b/': 'in_b', 'notes.txt': 'notes.txt'}
    """
    names: dict[str, str] = {}
    seen: dict[str, tuple[str, Path]] = {}
    for name, source in _input_paths(inputs):
        root = source.name
        if not root:
            raise OutputError(f"input {name} has no name to mirror in a folder output")
        if root in seen and seen[root][1] != source:
            raise OutputError(
                f"inputs {seen[root][0]} and {name} would both be written under the name "
                f"{root!r} in the output folder; rename one, or write JSONL (-o FILE.jsonl)"
            )
        seen.setdefault(root, (name, source))
        names[name] = root
    return names


def folder_files(folder: Path) -> list[str]:
    """Every file under ``folder`` (hidden ones too), as sorted relative POSIX paths."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def check_output_folder(output: str, inputs: Sequence[str], *, overwrite: bool = False) -> Path:
    """Refuse an output folder that would lose data; returns its resolved path.

    The folder must not be, hold or lie inside an input (or hold the current folder);
    it may exist only if it is empty or, with ``overwrite``, if it holds exactly what
    an earlier textdedup run wrote there (listed in its :data:`MANIFEST`).

    Raises
    ------
    OutputError
        Naming the output and the input or the file that stands in the way.
    """
    target = Path(output).resolve()
    shown = output.rstrip("/" + os.sep) or output
    for name, source in _input_paths(inputs):
        if target == source:
            raise OutputError(f"output folder {shown} is the input {name}; name a new folder")
        if target in source.parents:
            raise OutputError(
                f"output folder {shown} holds the input {name}; writing it would replace the "
                "input; name a new folder"
            )
        if source.is_dir() and source in target.parents and not _hidden_below(target, source):
            raise OutputError(
                f"output folder {shown} is inside the input folder {name}, so a later run "
                "would read it as input; name a folder elsewhere"
            )
    here = Path.cwd().resolve()
    if target == here or target in here.parents:
        raise OutputError(
            f"output folder {shown} holds the current folder, which cannot be replaced; "
            "name a new folder, e.g. -o clean/"
        )
    if target.exists() and not target.is_dir():
        raise OutputError(f"output {shown} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()):
        if not overwrite:
            raise OutputError(
                f"output folder {shown} is not empty; name a new folder, or give --overwrite "
                "to replace what an earlier textdedup run wrote there"
            )
        listed = _manifest_files(target / MANIFEST)
        if listed is None:
            raise OutputError(
                f"output folder {shown} was not written by textdedup (it has no {MANIFEST}); "
                "--overwrite replaces only textdedup's own output"
            )
        foreign = [f for f in folder_files(target) if f != MANIFEST and f not in listed]
        if foreign:
            raise OutputError(
                f"output folder {shown} holds {len(foreign)} file(s) textdedup did not write "
                f"(first: {foreign[0]}); move them, or name a new folder"
            )
    return target


def _manifest_files(path: Path) -> set[str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files)


def temp_folder_beside(target: Path) -> Path:
    """Create the temporary folder for ``target`` in its parent, removing stale ones.

    Like :func:`temp_beside`: the name holds the process id, so a folder left by a
    writer that was killed is removed by the next writer of the same target.
    """
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}."
    for stale in parent.glob(f"{glob_escape(prefix)}*"):
        pid = stale.name[len(prefix) :].split(".", 1)[0]
        if stale.name.endswith((".tmp", ".old")) and pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(dir=parent, prefix=f"{prefix}{os.getpid()}.", suffix=".tmp"))


def replace_folder(tmp: Path, target: Path) -> None:
    """Write the manifest into ``tmp``, then put ``tmp`` where ``target`` is.

    ``target`` (checked by :func:`check_output_folder`: missing, empty, or an earlier
    output) is moved aside first and removed only once ``tmp`` is in place; if that
    rename fails, it is moved back.
    """
    from .. import __version__

    manifest = {"written_by": f"textdedup {__version__}", "files": folder_files(tmp)}
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.{os.getpid()}.old")
        os.replace(target, old)
    try:
        os.replace(tmp, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
