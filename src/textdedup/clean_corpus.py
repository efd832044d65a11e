"""Clean a whole corpus: every document or record repaired on its own by :func:`clean`.

Beside the corpus flow, around the single-document one: records are read with
:func:`textdedup.records.iter_records` (text files, folders, JSONL, Parquet,
``.gz``/``.zst``, stdin), each text goes through :func:`textdedup.clean` in a pool of
worker processes, chunk by chunk, and the results come back **in input order**
whatever the number of workers, so the output is the same on every run. Records are
written back with :class:`~textdedup.records.RecordWriter` (every other field kept)
or :class:`~textdedup.records.FolderWriter` (one text file per input file), each
written to a temporary file and renamed into place; a per-record report goes to a
JSONL file. Nothing is compared across records: that is ``dedup``.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from .clean import CleanConfig, clean
from .config import resolve_workers
from .errors import InputError, OutputConflictError, literal
from .io import STDIN, check_output_file
from .offsets import InputOffsets
from .pipeline import RecordLike, _as_record
from .records import FolderWriter, Format, OnError, ReadStats, Record, RecordWriter, iter_records

__all__ = ["CleanStats", "CleanedRecord", "clean_files", "clean_records", "default_workers"]

_MAX_WARNINGS = 20
_MAX_LISTED = 20  # changed records listed by name in CleanStats.changed_records

C = TypeVar("C")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class CleanedRecord:
    """One record after :func:`textdedup.clean`.

    ``text`` is the cleaned text; ``removals`` and ``isolated`` are the entries of
    ``clean``'s JSON report (:meth:`Removal.to_dict <textdedup.clean.Removal.to_dict>`:
    kind, removed and kept spans, score, blocks, markup, preview, reason), with every
    ``start``/``end`` an offset into ``record.text`` **as read** (line numbers are the
    record's own, 1-based).
    """

    record: Record
    text: str
    removals: tuple[dict[str, Any], ...]
    isolated: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...]
    mode: str
    blocks: int
    #: What else changes besides the removals, when asked for (``describe=True``):
    #: ``{"kind", "line", "detail"}`` of :func:`textdedup.changes.changes` (invisible
    #: characters, whitespace, line endings, layout, Unicode), lines of the record.
    changes: tuple[dict[str, Any], ...] = ()

    @property
    def changed(self) -> bool:
        """Whether the cleaned text differs from the text read (removals or normalization)."""
        return self.text != self.record.text

    def report(self) -> dict[str, Any]:
        """The record's line of the JSONL report."""
        return {
            "id": self.record.id,
            "changed": self.changed,
            "mode": self.mode,
            "blocks": self.blocks,
            "removed": len(self.removals),
            "removed_chars": sum(r["chars"] for r in self.removals),
            "input_chars": len(self.record.text),
            "output_chars": len(self.text),
            "removals": list(self.removals),
            "isolated": list(self.isolated),
            "changes": list(self.changes),
            "warnings": list(self.warnings),
        }

    def change_kinds(self) -> list[str]:
        """Each kind of change once, removals first: ``repeated-run``, ``whitespace``, ..."""
        kinds = [r["kind"] for r in self.removals] + [c["kind"] for c in self.changes]
        return list(dict.fromkeys(kinds))


@dataclass(slots=True)
class CleanStats:
    """Counts of a corpus clean, filled in as it goes."""

    records: int = 0
    changed: int = 0
    removals: int = 0
    removed_chars: int = 0
    input_chars: int = 0
    output_chars: int = 0
    isolated: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    #: Records changed by each kind of change (removal kinds and the other changes).
    change_kinds: dict[str, int] = field(default_factory=dict)
    #: The first changed records, ``"ID: kind, kind"`` (``--check`` lists them).
    changed_records: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, item: CleanedRecord) -> None:
        self.records += 1
        self.changed += item.changed
        self.removals += len(item.removals)
        self.removed_chars += sum(r["chars"] for r in item.removals)
        self.input_chars += len(item.record.text)
        self.output_chars += len(item.text)
        self.isolated += len(item.isolated)
        for r in item.removals:
            self.kinds[r["kind"]] = self.kinds.get(r["kind"], 0) + 1
        if item.changed:
            kinds = item.change_kinds()
            for k in kinds:
                self.change_kinds[k] = self.change_kinds.get(k, 0) + 1
            if len(self.changed_records) < _MAX_LISTED:
                what = ", ".join(kinds) or "normalization"
                where = f"{item.record.path}:{item.record.line}" if item.record.line else ""
                name = item.record.id if item.record.id != where else where
                self.changed_records.append(f"{name}: {what}")
        for w in item.warnings:
            if len(self.warnings) < _MAX_WARNINGS:
                self.warnings.append(f"{item.record.id}: {w}")

    def summary(self) -> str:
        """One line: records read and changed, removals by kind, characters, time."""
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.kinds.items())) or "none"
        return (
            f"read {self.records} records; changed {self.changed}; removed {self.removals} "
            f"({kinds}), {self.removed_chars} characters; kept {self.isolated} isolated "
            f"repeats; {self.seconds:.1f}s"
        )

    def report(self, read: ReadStats | None = None, *, check: bool = False) -> str:
        """What ``textdedup clean`` of a corpus prints on stderr (no trailing newline).

        :meth:`summary` with the records skipped while reading (``read``), the
        warnings, and with ``check`` the changed records listed and counted by kind.

        >>> stats = CleanStats(records=2, changed=1, change_kinds={"exact": 1})
        >>> print(stats.report(check=True).splitlines()[-1])
        --check: 1 of 2 records would change (records by kind of change: exact: 1)
        """
        skipped = read.skipped if read is not None else 0
        lines = [self.summary() + (f" ({skipped} skipped)" if skipped else "")]
        lines += [f"skipped: {e}" for e in (read.errors if read is not None else [])]
        lines += [f"warning: {w}" for w in self.warnings]
        if check:
            lines += [f"  {r}" for r in self.changed_records]
            if self.changed > len(self.changed_records):
                more = self.changed - len(self.changed_records)
                lines.append(f"  ... and {more} more (--report FILE lists every change)")
            kinds = ", ".join(f"{k}: {n}" for k, n in sorted(self.change_kinds.items()))
            lines.append(
                f"--check: {self.changed} of {self.records} records would change"
                + (f" (records by kind of change: {kinds})" if kinds else "")
            )
        return "\n".join(lines)


class _Done(NamedTuple):
    """What a worker sends back for one text (small: no copy of the source)."""

    text: str
    removals: tuple[dict[str, Any], ...]
    isolated: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...]
    mode: str
    blocks: int
    error: str | None = None
    changes: tuple[dict[str, Any], ...] = ()


def _clean_one(text: str, config: CleanConfig, describe: bool = False) -> _Done:
    try:
        result = clean(text, config=config)
    except Exception as exc:  # a fault of clean itself: reported with the record's place
        return _Done("", (), (), (), "", 0, f"{type(exc).__name__}: {exc}")
    described: tuple[dict[str, Any], ...] = ()
    if describe and result.text != text:
        from .changes import changes

        described = tuple(
            {"kind": c.kind, "line": c.line, "detail": c.detail}
            for c in changes(text, result)
            if c.kind != "removal"
        )
    removals = [r.to_dict(result.source) for r in result.removals]
    isolated = [r.to_dict(result.source) for r in result.isolated]
    if result.source != text and (removals or isolated):
        where = InputOffsets(text, result)
        removals = [where.removal(r) for r in removals]
        isolated = [where.removal(r) for r in isolated]
    return _Done(
        result.text,
        tuple(removals),
        tuple(isolated),
        result.warnings,
        result.mode,
        result.blocks,
        changes=described,
    )


_WORKER: tuple[Callable[[str, Any], Any], Any] | None = None


def _init_worker(fn: Callable[[str, Any], Any], config: Any) -> None:
    global _WORKER
    _WORKER = (fn, config)


def _run_chunk(texts: list[str]) -> list[Any]:
    if _WORKER is None:  # pragma: no cover - the pool's initializer sets it
        raise RuntimeError("worker process started without its function")
    fn, config = _WORKER
    return [fn(t, config) for t in texts]


def map_chunks(
    fn: Callable[[str, C], R],
    config: C,
    chunks: Iterable[list[Record]],
    *,
    workers: int,
) -> Iterator[tuple[list[Record], list[R]]]:
    """``fn(record.text, config)`` for every record, chunk by chunk, in input order.

    ``workers`` processes share the work, **this one included**: ``workers - 1`` pool
    processes (forkserver) take chunks while two per process are queued; past that,
    this process works on the next chunk itself instead of waiting. So the work starts
    at once, while the pool processes are still starting (each imports the package,
    about half a CPU second), and ``workers=2`` costs one extra process, not two.
    Which process handles a chunk changes nothing in what comes out: ``fn`` sees one
    text at a time. At most ``8 * workers`` chunks are held, done or in flight, so
    memory does not grow with the input. ``fn`` and ``config`` must pickle (``fn`` a
    module-level function).

    A single chunk is done here, with no pool. Exceptions raised by ``fn`` come
    through as they are (from a pool process, when its chunk's turn comes).

    Examples
    --------
    >>> import operator
    >>> from textdedup.records import Record
    >>> chunks = [[Record("a", "x", "-", 1), Record("b", "y", "-", 2)]]
    >>> [done for _, done in map_chunks(operator.add, "!", chunks, workers=2)]
    [['x!', 'y!']]
    """
    chunks = iter(chunks)
    first = next(chunks, [])
    if not first:
        return
    rest = next(chunks, None)
    if workers == 1 or rest is None:
        yield first, [fn(r.text, config) for r in first]
        for chunk in chunks if rest is None else itertools.chain([rest], chunks):
            yield chunk, [fn(r.text, config) for r in chunk]
        return
    # forkserver: pool processes do not inherit this process's threads or open files.
    context = multiprocessing.get_context(
        "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    )
    helpers = workers - 1
    pool = ProcessPoolExecutor(
        max_workers=helpers, mp_context=context, initializer=_init_worker, initargs=(fn, config)
    )
    pending: deque[tuple[list[Record], Future[list[R]] | list[R]]] = deque()

    def take() -> tuple[list[Record], list[R]]:
        chunk, work = pending.popleft()
        return chunk, work.result() if isinstance(work, Future) else work

    try:
        for chunk in itertools.chain([first, rest], chunks):
            busy = sum(isinstance(w, Future) and not w.done() for _, w in pending)
            if busy < 2 * helpers:
                pending.append((chunk, pool.submit(_run_chunk, [r.text for r in chunk])))
            else:
                pending.append((chunk, [fn(r.text, config) for r in chunk]))
            while pending and not (isinstance(pending[0][1], Future) and not pending[0][1].done()):
                yield take()
            while len(pending) >= 8 * workers:
                yield take()  # waits for the oldest chunk
        while pending:
            yield take()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _clean_task(text: str, task: tuple[CleanConfig, bool]) -> _Done:
    """:func:`_clean_one` with ``(config, describe)``, for :func:`map_chunks`."""
    return _clean_one(text, task[0], task[1])


def default_workers() -> int:
    """The number of cores this process may run on (``workers=0``)."""
    return resolve_workers(0)


def clean_records(
    records: Iterable[RecordLike],
    *,
    config: CleanConfig | None = None,
    workers: int | None = None,
    chunk_size: int = 32,
    text_field: str = "text",
    progress: Callable[[int], None] | None = None,
    describe: bool = False,
) -> Iterator[CleanedRecord]:
    """Clean each record on its own, in parallel; results come in input order.

    Parameters
    ----------
    records:
        :class:`~textdedup.records.Record`, dict (text in ``text_field``, id in
        ``"id"``) or str; read lazily, a bounded number of chunks ahead.
    config:
        Options of :func:`textdedup.clean`, the same for every record.
    workers:
        Processes that clean, this one included (:func:`map_chunks`), by the one rule
        (:func:`textdedup.config.resolve_workers`): ``0`` or ``None`` uses every core
        this process may run on, ``1`` cleans in this process only. The output does
        not depend on it.
    chunk_size:
        Records handed to a process at a time.
    progress:
        Called with the number of records done, as they are done.
    describe:
        Also describe what changes besides the removals
        (:attr:`CleanedRecord.changes`); costs a line diff per changed record.

    Raises
    ------
    InputError
        When ``clean`` fails on a record (naming its file and line).
    ValueError
        ``workers`` below 0, or ``chunk_size`` below 1.

    Examples
    --------
    >>> body = "The same paragraph, long enough to count as a block.\\n"
    >>> [r.text for r in clean_records([body + body, "short"], workers=1)]
    ['The same paragraph, long enough to count as a block.\\n', 'short']
    """
    config = config or CleanConfig()
    workers = resolve_workers(workers)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be an int >= 1, got {chunk_size!r}")
    source = (_as_record(obj, n, text_field) for n, obj in enumerate(records))
    chunks = iter(lambda: list(itertools.islice(source, chunk_size)), [])
    for chunk, done in map_chunks(_clean_task, (config, describe), chunks, workers=workers):
        yield from _emit(chunk, done, progress)


def _emit(
    chunk: list[Record], done: list[_Done], progress: Callable[[int], None] | None
) -> Iterator[CleanedRecord]:
    for record, d in zip(chunk, done, strict=True):
        if d.error is not None:
            raise InputError(
                f"clean failed on this record ({d.error})", path=record.path, line=record.line
            )
        yield CleanedRecord(
            record, d.text, d.removals, d.isolated, d.warnings, d.mode, d.blocks, d.changes
        )
    if progress is not None:
        progress(len(chunk))


def clean_files(
    inputs: Sequence[str],
    output: str = STDIN,
    *,
    config: CleanConfig | None = None,
    report: str | None = None,
    write: bool = True,
    text_field: str = "text",
    id_field: str | None = None,
    fmt: Format = "auto",
    encoding: str = "utf-8",
    errors: str = "strict",
    on_error: OnError = "fail",
    overwrite: bool = False,
    output_format: str = "auto",
    workers: int | None = None,
    chunk_size: int = 32,
    read_stats: ReadStats | None = None,
    progress: Callable[[int], None] | None = None,
) -> CleanStats:
    """Clean every document or record of ``inputs`` and write them back.

    Parameters
    ----------
    inputs:
        Files and folders, as ``textdedup dedup`` reads them (``"-"`` is stdin,
        read as JSONL unless ``fmt="text"``).
    output:
        A JSONL file (compressed by suffix) or Parquet (``.parquet``), or ``"-"`` for
        JSONL on stdout: every record with its ``text_field`` cleaned and every other
        field as read (a text file becomes ``{"id": PATH, "text": ...}``). A name
        ending in ``/`` or an existing folder: one text file per input text file,
        mirrored under the input's name (:class:`~textdedup.records.FolderWriter`).
    report:
        A JSONL file: one line per record, :meth:`CleanedRecord.report`.
    write:
        ``False`` writes no output (``clean --check``); the report is still written.
    output_format:
        ``"auto"`` (by the output's suffix; stdout is JSONL) or a format name of
        :class:`~textdedup.records.RecordWriter` (``jsonl``, ``parquet``, ...).
    workers, chunk_size:
        As in :func:`clean_records`.
    read_stats:
        Filled in with what was read and skipped.

    Returns
    -------
    CleanStats
        Counts of records, changes and removals.

    Raises
    ------
    OutputError
        Before anything is read: an output or report that is, or lies inside, an
        input, or two outputs that are one file.
    InputError
        A bad record (naming file and line), unless ``on_error="skip"``.
    """
    inputs = list(inputs) or [STDIN]
    folder = write and (output.endswith(("/", os.sep)) or output == "." or Path(output).is_dir())
    targets = {"{report}": report}
    if write and not folder:
        targets["output"] = output
    for what, path in targets.items():
        if path and path != STDIN:
            check_output_file(path, inputs, what=what)
    if report and write and not folder and output != STDIN and _same(output, report):
        raise OutputConflictError(f"output and {{report}} name the same file {literal(report)}")
    read = read_stats if read_stats is not None else ReadStats()
    stats = CleanStats()
    started = time.perf_counter()
    writer: FolderWriter | RecordWriter | None = None
    if folder:
        writer = FolderWriter(
            output, inputs, encoding=encoding, errors=errors, fmt=fmt, overwrite=overwrite
        )
        if report and writer.path in Path(report).resolve().parents:
            raise OutputConflictError(
                f"{{report}} {literal(report)} is inside the output folder {literal(output)}, "
                "which is replaced as a whole; write it elsewhere"
            )
    elif write:
        # Parquet out keeps the column types of Parquet input (``source``).
        writer = RecordWriter(
            output, text_field=text_field, errors=errors, source=read, fmt=output_format
        )
    records = iter_records(
        inputs,
        text_field=text_field,
        id_field=id_field,
        fmt=fmt,
        encoding=encoding,
        errors=errors,
        on_error=on_error,
        stats=read,
        binary=isinstance(writer, RecordWriter) and writer.format == "parquet",
    )
    with contextlib.ExitStack() as stack:
        if writer is not None:
            stack.enter_context(writer)  # entering returns the writer itself
        out = writer
        log = stack.enter_context(RecordWriter(report, errors=errors)) if report else None
        for item in clean_records(
            records,
            config=config,
            workers=workers,
            chunk_size=chunk_size,
            progress=progress,
            describe=bool(report) or not write,
        ):
            stats.add(item)
            if out is not None:
                out.write(item.record, text=item.text)
            if log is not None:
                log.write_obj(item.report())
    stats.seconds = time.perf_counter() - started
    return stats


def _same(a: str, b: str) -> bool:
    return Path(a).resolve() == Path(b).resolve()
