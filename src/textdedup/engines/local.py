"""The local engine: one process, items spilled to disk, numpy batches.

The engine itself is :class:`textdedup.engine.Engine` (signatures in batches, LSH
candidates, verification through :func:`textdedup.engines.batches.score_batch`, the
decision through :func:`textdedup.cluster.decide`), driven by
:func:`textdedup.pipeline.dedup_records`, which turns records into items with
:func:`textdedup.pipeline.record_items` and rebuilds block records with
:func:`textdedup.engines.batches.block_output`. This module gives it the interface
every engine of :data:`textdedup.engines.ENGINES` has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..engine import Engine
from ..records import Record
from . import FilesRequest, FilesResult

if TYPE_CHECKING:
    from ..config import DedupConfig

__all__ = ["FOLDER_OUTPUT", "Engine", "available", "check_options", "dedup_dicts", "dedup_files"]

#: The output is a record file, or a folder of text files when its name says so
#: (:func:`textdedup.pipeline.is_folder_output`).
FOLDER_OUTPUT = False


def available() -> bool:
    """Always true: the local engine needs nothing beyond the core package."""
    return True


def dedup_dicts(
    records: list[dict[str, Any]],
    *,
    config: DedupConfig,
    text_field: str = "text",
    id_field: str = "id",
) -> list[dict[str, Any]]:
    """Annotate ``records`` here, as ``dedup --action annotate`` writes them.

    Each record comes back with its text as read in ``text_field`` (annotate marks
    what would go and cuts nothing) and the annotation under ``"dedup"``, in input
    order.

    >>> from textdedup import DedupConfig
    >>> out = dedup_dicts([{"id": "a", "text": "x y z"}, {"id": "b", "text": "X y z!"}],
    ...                   config=DedupConfig())
    >>> [(r["id"], r["dedup"]["duplicate_of"], r["dedup"]["reason"]) for r in out]
    [('a', None, None), ('b', 'a', 'near')]
    """
    from ..pipeline import dedup_records

    recs = [
        Record(str(r[id_field]), str(r[text_field]), "<records>", n, dict(r))
        for n, r in enumerate(records)
    ]
    out = []
    for item in dedup_records(recs, config=config):
        obj = dict(item.record.data or {})
        obj[text_field] = item.record.text  # annotate cuts nothing: the text as read
        obj["dedup"] = item.annotation()
        out.append(obj)
    return out


def check_options(request: FilesRequest) -> None:
    """Every setting of a :class:`~textdedup.engines.FilesRequest` runs here: nothing
    to refuse before the run (its writer checks the outputs,
    :func:`textdedup.pipeline.open_output`)."""


def dedup_files(request: FilesRequest) -> FilesResult:
    """Deduplicate files into a record file, a folder of text files or stdout, here.

    What ``textdedup dedup`` (the local engine) does once its options are parsed:
    :func:`textdedup.pipeline.open_output` makes the writer of ``request.output``
    (checking that no output is, holds or lies inside an input), the records are
    read (:func:`textdedup.records.iter_records`, one progress bar per phase on a
    terminal unless ``request.quiet``), :func:`textdedup.pipeline.dedup_to_output`
    writes the output, renames it into place and then commits the index, and the
    statistics go to ``request.stats_path`` (:func:`textdedup.pipeline.write_stats`).

    Parameters
    ----------
    request : FilesRequest
        The run; ``request.master`` is not used.

    Returns
    -------
    FilesResult
        Records read and written, items added to the index, and the summary of
        :meth:`textdedup.pipeline.DedupStats.summary`.

    Raises
    ------
    InputError, OutputError, IncompatibleSettingsError, IndexError_, ValueError
        As :func:`textdedup.pipeline.open_output` and
        :func:`textdedup.pipeline.dedup_to_output` raise them.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from textdedup import DedupConfig
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "in.jsonl").write_text('{"text": "a b c d"}\\n{"text": "a b c d"}\\n')
    >>> run = dedup_files(FilesRequest(inputs=(str(folder / "in.jsonl"),),
    ...                                output=str(folder / "out.jsonl"), config=DedupConfig()))
    >>> run.records, run.written
    (2, 1)
    """
    import sys
    from pathlib import Path

    from ..io import STDIN
    from ..pipeline import DedupStats, dedup_to_output, open_output, write_stats
    from ..progress import Bars
    from ..records import ReadStats, RecordWriter, input_bytes, iter_records

    check_options(request)
    read, stats = ReadStats(), DedupStats()
    inputs = request.inputs
    writer = open_output(
        request.output,
        inputs,
        action=request.action,
        output_format=request.output_format,
        text_field=request.text_field,
        fmt=request.fmt,  # type: ignore[arg-type]
        encoding=request.encoding,
        errors=request.errors,
        overwrite=request.overwrite,
        read=read,
        beside={
            "stats_path": request.stats_path,
            "index_path": request.index_path,
            "removals_path": request.removals_path,
        },
    )
    # A missing folder must not fail a run at its end, after all the work.
    for path in (request.stats_path, request.removals_path):
        if path and path != STDIN:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    with Bars(disable=request.quiet or not sys.stderr.isatty()) as phases:
        files = inputs or (STDIN,)
        phases.start("reading", total=input_bytes(files), unit="B")
        records = iter_records(
            files,
            text_field=request.text_field,
            id_field=request.id_field,
            fmt=request.fmt,  # type: ignore[arg-type]
            encoding=request.encoding,
            errors=request.errors,
            on_error=request.on_error,  # type: ignore[arg-type]
            stats=read,
            binary=isinstance(writer, RecordWriter) and writer.format == "parquet",
            on_bytes=phases.update,
        )
        added = dedup_to_output(
            records,
            writer,
            config=request.config,
            index_path=request.index_path,
            action=request.action,
            annotate_field=request.annotate_field,
            removals_path=request.removals_path,
            errors=request.errors,
            stats=stats,
            phases=phases,
            inputs=inputs,
        )
    if request.stats_path:
        write_stats(request.stats_path, stats, read, request.config)
    written = stats.records if request.action == "annotate" else stats.kept
    return FilesResult(
        records=stats.records, written=written, summary=stats.summary(read), added=added
    )
