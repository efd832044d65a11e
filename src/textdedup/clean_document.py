"""Clean one text document from a file or stdin, and write the result: ``textdedup clean FILE``.

The in-document path (:func:`textdedup.clean.clean`) run over files:
:func:`clean_document_to` reads one document (refusing JSONL records or compressed
bytes on stdin, which would be cleaned as one text), cleans it, writes the JSON
report, and then the cleaned text (to stdout, to a file, or over the input
atomically), or a unified diff, or nothing (``check``: the changes are returned).
The command line parses options, calls it and prints :meth:`CleanedDocument.summary`.
Many documents or records are :func:`textdedup.clean_corpus.clean_files`.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .changes import Change, changes, unified_diff
from .clean import CleanConfig, CleanResult, clean
from .errors import (
    BinaryInputError,
    IncompatibleSettingsError,
    InputError,
    OutputConflictError,
    literal,
)
from .io import STDIN, atomic_replace, atomic_write, read_text
from .io.files import is_stdin

__all__ = ["CleanedDocument", "clean_document_to", "looks_like_jsonl", "same_file"]


@dataclass(frozen=True, slots=True)
class CleanedDocument:
    """What :func:`clean_document_to` did to one document.

    Attributes
    ----------
    name : str
        The input as named in messages and the report: its path, or ``"<stdin>"``.
    result : CleanResult
        The cleaned text and every removal (:func:`textdedup.clean.clean`).
    changes : tuple of Change
        With ``check``: everything cleaning would change, in order
        (:func:`textdedup.changes.changes`), removals included; else empty.
    """

    name: str
    result: CleanResult
    changes: tuple[Change, ...] = ()

    def summary(self) -> str:
        """The lines ``textdedup clean`` prints on stderr: what was removed and why,
        the isolated repeats kept, the warnings (no trailing newline)."""
        name, result = self.name, self.result
        if not result.removals:
            lines = [f"{name}: nothing to remove ({result.blocks} {result.mode} blocks)"]
        else:
            chars = sum(r.removed.end - r.removed.start for r in result.removals)
            counts: dict[str, int] = {}
            for r in result.removals:
                counts[r.kind] = counts.get(r.kind, 0) + 1
            kinds = ", ".join(f"{n} {k}" for k, n in counts.items())
            lines = [f"{name}: removed {len(result.removals)} ({kinds}), {chars} characters"]
            lines += [f"  {r.reason}" for r in result.removals]
        if result.isolated:
            many = "s" if len(result.isolated) > 1 else ""
            lines.append(
                f"{name}: kept {len(result.isolated)} isolated repeat{many}"
                " (structure; --isolated remove removes them)"
            )
            lines += [f"  {r.reason}" for r in result.isolated]
        lines += [f"warning: {w}" for w in result.warnings]
        return "\n".join(lines)


def clean_document_to(
    path: str,
    output: str = STDIN,
    *,
    config: CleanConfig,
    report: str | None = None,
    check: bool = False,
    diff: bool = False,
    in_place: bool = False,
    backup: str = ".orig",
    fmt: str = "auto",
    encoding: str = "utf-8",
    errors: str = "strict",
) -> CleanedDocument:
    """Clean the text document ``path`` and write the cleaned text to ``output``.

    The report (``{"input": name, **result.to_dict()}``, JSON) is written first;
    then, with ``diff``, a unified diff of the change goes to stdout; with
    ``check``, nothing is written and the changes are returned; with ``in_place``,
    the original is kept as ``path + backup`` and the cleaned text replaces ``path``
    atomically (an unchanged text writes nothing); otherwise it goes to ``output``
    (``"-"``: stdout, as bytes in ``encoding``; a file: written atomically).

    Parameters
    ----------
    path : str
        A text file, or ``"-"`` for stdin.
    output : str, default="-"
        Where the cleaned text goes.
    config : CleanConfig
        The cleaning settings.
    report : str, optional
        A JSON file (``"-"``: stdout) for the report of every removal.
    check, diff, in_place : bool
        Write nothing; print a diff instead; replace ``path``.
    backup : str, default=".orig"
        With ``in_place``, the suffix of the file that keeps the original (written
        before ``path`` is replaced: an in-place run never loses the input).
    fmt : str, default="auto"
        The input's format as the caller was told it: with ``"auto"``, stdin that
        looks like JSONL records is refused (cleaned as one text, a cut could take a
        record's closing ``"}``).
    encoding, errors : str
        How the input is decoded and the output encoded.

    Returns
    -------
    CleanedDocument
        The input's name, the clean result, and with ``check`` the changes.

    Raises
    ------
    IncompatibleSettingsError
        ``diff`` with ``in_place`` or an ``output`` file; ``in_place`` with stdin,
        with an ``output`` file, or on what is not a regular file.
    OutputConflictError
        ``output`` is the input file (``in_place`` replaces it), or with
        ``in_place`` the text changes and the backup file exists already (or
        ``backup`` is not a file name suffix).
    InputError
        The input cannot be read or decoded (binary bytes on stdin get a hint about
        compressed records), or stdin looks like JSONL records.
    OSError, UnicodeEncodeError
        An output cannot be written, or the text cannot be encoded.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> doc = folder / "doc.txt"
    >>> para = "A paragraph long enough to count as a block of its own here."
    >>> _ = doc.write_text(f"{para}\\n\\n{para}\\n")
    >>> done = clean_document_to(str(doc), str(folder / "clean.txt"), config=CleanConfig())
    >>> (folder / "clean.txt").read_text() == para + "\\n"
    True
    >>> print(done.summary().splitlines()[0])  # doctest: +ELLIPSIS
    /.../doc.txt: removed 1 (1 exact), ... characters
    """
    if diff and (in_place or output != STDIN):
        raise IncompatibleSettingsError(
            "{diff} prints to stdout; it cannot be used with {in_place} or {output}"
        )
    if in_place and path == STDIN:
        raise IncompatibleSettingsError("{in_place} needs a FILE, not stdin")
    if in_place and output != STDIN:
        raise IncompatibleSettingsError("{in_place} and {output} cannot be used together")
    if output != STDIN and path != STDIN and same_file(path, output):
        raise OutputConflictError(
            f"{{output}} {literal(output)} is the input file; use {{in_place}} to overwrite it"
        )
    if output != STDIN and path == STDIN and is_stdin(output):
        raise OutputConflictError(
            f"{{output}} {literal(output)} is the file on standard input; name another output"
        )
    if in_place:
        _check_in_place(path, backup)
    name = "<stdin>" if path == STDIN else path
    text = _read(path, fmt=fmt, encoding=encoding, errors=errors)
    result = clean(text, config=config)
    if in_place and not (check or diff) and result.text != text:
        # Refused before anything is written (the report included).
        _check_backup(path, backup)
    if report:
        from .pipeline import write_json

        write_json(report, {"input": name, **result.to_dict()}, ensure_ascii=False)
    if diff:
        sys.stdout.write(unified_diff(text, result.text, name=name))
        sys.stdout.flush()
    elif not check:
        if in_place:
            if result.text != text:
                _keep_original(path, backup)
                atomic_write(path, result.text, encoding=encoding, errors=errors)
        elif output == STDIN:
            sys.stdout.buffer.write(result.text.encode(encoding, errors))
            sys.stdout.flush()
        else:
            atomic_write(output, result.text, encoding=encoding, errors=errors)
    found = tuple(changes(text, result)) if check else ()
    return CleanedDocument(name=name, result=result, changes=found)


def _check_in_place(path: str, backup: str) -> None:
    """Refuse an in-place run that could not keep the original: a backup suffix that
    is not one, or a ``path`` that is not a regular file (a device, a FIFO)."""
    if not backup or "/" in backup or os.sep in backup:
        raise OutputConflictError(
            "{backup} must be a file name suffix such as .orig, got "
            + (literal(backup) or "(empty)")
        )
    if not os.path.isfile(path):
        raise IncompatibleSettingsError(
            f"{{in_place}} replaces a regular file; {literal(path)} is not one "
            "(a device, a FIFO or a folder): write the cleaned text with {output}"
        )


def _check_backup(path: str, backup: str) -> None:
    """Refuse an in-place run whose backup of ``path`` would overwrite a file."""
    if os.path.lexists(path + backup):
        raise OutputConflictError(
            f"{literal(path + backup)} exists: {{in_place}} keeps the original there and "
            "will not overwrite it; move it away or choose another {backup}"
        )


def _keep_original(path: str, backup: str) -> None:
    """Keep the content of ``path`` as ``path + backup`` before ``path`` is replaced:
    a hard link to the file (the file a symbolic link points to, which is the one
    replaced) when the file system allows it, else a copy with its mode."""
    import shutil

    real = os.path.realpath(path)
    target = path + backup
    try:
        os.link(real, target)
    except FileExistsError:
        _check_backup(path, backup)
        raise
    except OSError:
        # No hard links here: a copy, through the one atomic writer, with the mode.
        mode = os.stat(real).st_mode & 0o7777
        with open(real, "rb") as src, atomic_replace(target, mode=mode) as fh:
            shutil.copyfileobj(src, fh)


def _read(path: str, *, fmt: str, encoding: str, errors: str) -> str:
    """The document's text; on stdin with ``fmt="auto"``, refuse what is not one text."""
    try:
        text = read_text(path, encoding=encoding, errors=errors)
    except InputError as exc:
        if path == STDIN and fmt == "auto" and isinstance(exc, BinaryInputError):
            raise InputError(
                f"{exc.message}; compressed records on stdin? pass --format jsonl to "
                "clean each record (gzip and zstd are read by content)",
                path=exc.path,
                line=exc.line,
                offset=exc.offset,
            ) from None
        raise
    if path == STDIN and fmt == "auto" and looks_like_jsonl(text):
        # Cleaned as one text, a JSONL stream can lose the end of a line ("}) to a
        # cut: refuse, and say how to clean each record.
        raise InputError(
            "stdin looks like JSONL records (its first lines are JSON objects); pass "
            "--format jsonl to clean each record's --text-field, or --format text to clean it "
            "as one document",
            path="<stdin>",
            line=1,
        )
    return text


def looks_like_jsonl(text: str, lines: int = 5) -> bool:
    """Whether the first ``lines`` non-blank lines of ``text`` are each a JSON object.

    >>> looks_like_jsonl('{"text": "a"}\\n{"text": "b"}\\n'), looks_like_jsonl("{not json")
    (True, False)
    """
    seen = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith("{"):
            return False
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except ValueError:
            return False
        seen += 1
        if seen == lines:
            break
    return seen > 0


def same_file(a: str, b: str) -> bool:
    """Whether the paths ``a`` and ``b`` name one file (one resolved path when either
    does not exist yet).

    >>> same_file("doc.txt", "./doc.txt")
    True
    """
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()
