"""Reading and writing text files safely.

Readers turn bytes into text with clear errors (binary data, invalid encoding,
missing files, directories) that name the file and the byte offset and line. The
writer never leaves a partial file: it writes to a temporary file in the same
folder and renames it into place.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from .errors import BinaryInputError, DecodeError, InputError

__all__ = ["ERROR_HANDLERS", "STDIN", "atomic_write", "decode", "read_text", "temp_beside"]

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


def temp_beside(target: Path) -> tuple[int, str]:
    """Create the temporary file for ``target`` in its folder; returns ``(fd, path)``.

    Its name holds the writer's process id, so temporary files left by a writer
    that was killed (SIGKILL leaves no chance to clean up) are removed here.
    """
    folder = target.parent if str(target.parent) else Path(".")
    prefix = f".{target.name}."
    for stale in folder.glob(f"{glob_escape(prefix)}*.tmp"):
        pid = stale.name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                stale.unlink()
    return tempfile.mkstemp(dir=folder, prefix=f"{prefix}{os.getpid()}.", suffix=".tmp")


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def atomic_write(
    path: str | os.PathLike[str], data: str, *, encoding: str = "utf-8", errors: str = "strict"
) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Readers of ``path`` see the old content or the new, never a mix; an
    interrupted write leaves the old file as it was. File mode is kept if the file
    existed.
    """
    target = Path(path)
    raw = data.encode(encoding, errors)
    fd, tmp = temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
