"""The one atomic-replace helper: every output file is written beside its target and renamed.

Readers of an output see the old content or the new, never a mix, and an
interrupted run leaves the previous output as it was. :func:`atomic_replace` is the
one place that does it (a temporary file beside the target, named with the writer's
process id, flushed, fsynced, given its mode, renamed over the target, removed on
failure); :func:`atomic_write` (a whole text), the record writers
(:class:`textdedup.records.RecordWriter`) and the plots of :mod:`textdedup.params`
use it. Output folders go the same way in :func:`textdedup.io.files.replace_folder`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = [
    "atomic_replace",
    "atomic_write",
    "glob_escape",
    "output_target",
    "process_alive",
    "temp_beside",
]


def temp_beside(target: Path) -> tuple[int, str]:
    """Create the temporary file for ``target`` in its folder; returns ``(fd, path)``.

    Its name holds the writer's process id, so temporary files left by a writer
    that was killed (SIGKILL leaves no chance to clean up) are removed here.
    """
    folder = target.parent if str(target.parent) else Path(".")
    prefix = f".{target.name}."
    for stale in folder.glob(f"{glob_escape(prefix)}*.tmp"):
        pid = stale.name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and not process_alive(int(pid)):
            with contextlib.suppress(OSError):
                stale.unlink()
    return tempfile.mkstemp(dir=folder, prefix=f"{prefix}{os.getpid()}.", suffix=".tmp")


def output_target(path: str | os.PathLike[str]) -> tuple[Path, bool]:
    """Where writing ``path`` really goes: ``(target, direct)``.

    A symbolic link is followed, so the file it points to is replaced and the link
    stays a link. ``direct`` is true for an existing target that is not a regular file
    (a character or block device such as ``/dev/null`` or ``/dev/stdout``, a FIFO, a
    socket): such a target is written into, never replaced by a rename, which would
    swap the device for a plain file.
    """
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    try:
        st = target.stat()
    except OSError:
        return target, False
    return target, not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode))


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def atomic_replace(
    path: str | os.PathLike[str], *, mode: int | None = None, parents: bool = False
) -> Iterator[IO[bytes]]:
    """A binary file that takes the place of ``path`` only when the block ends cleanly.

    The bytes go to a temporary file beside the target (:func:`temp_beside`); when
    the ``with`` block ends without an exception they are flushed, fsynced, given
    ``mode`` and renamed over the target; after an exception the temporary file is
    removed and the target is as it was. A symbolic link is followed, so the file it
    points to is replaced and the link stays; a device or FIFO (``/dev/null``,
    ``/dev/stdout``) is written into directly (see :func:`output_target`).

    Parameters
    ----------
    path : str or os.PathLike
        The output file.
    mode : int, optional
        Permission bits of the new file; by default those of the file replaced, or
        ``0o666`` less the umask for a new one.
    parents : bool, default=False
        Create the target's missing parent folders.

    Yields
    ------
    IO[bytes]
        The open temporary file (or the device), closed when the block ends.

    Raises
    ------
    OSError
        The folder cannot hold a new file, or the rename fails (the target is left
        as it was).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_replace(out) as fh:
    ...     _ = fh.write(b"new")
    >>> out.read_bytes()
    b'new'
    """
    target, direct = output_target(path)
    if direct:
        with open(target, "wb") as fh:
            yield fh
        return
    if parents:
        target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if mode is None:
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


def atomic_write(
    path: str | os.PathLike[str], data: str, *, encoding: str = "utf-8", errors: str = "strict"
) -> None:
    """Write the text ``data`` to ``path`` through :func:`atomic_replace`.

    Readers of ``path`` see the old content or the new, never a mix; an
    interrupted write leaves the old file as it was. File mode is kept if the file
    existed.

    Raises
    ------
    UnicodeEncodeError
        ``data`` has a character ``encoding`` cannot hold (with ``errors="strict"``);
        nothing is written.
    """
    raw = data.encode(encoding, errors)
    with atomic_replace(path) as fh:
        fh.write(raw)
