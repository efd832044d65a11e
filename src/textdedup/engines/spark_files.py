"""Deduplicate files with Spark: read JSONL or Parquet, run the Spark engine, write a folder.

What ``textdedup dedup --engine spark`` does once its options are parsed:
:func:`dedup_spark` reads the inputs with Spark, runs :func:`textdedup.engines.spark.dedup`,
counts the run for ``stats_path`` and writes the result as a folder of JSONL parts,
into a temporary folder beside the target that replaces it only when complete.
pyspark is imported when a run starts, so importing this module needs nothing.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from ..config import DedupConfig
from ..errors import IncompatibleSettingsError, InputError, MissingDependencyError, literal
from ..io import STDIN
from ..io.formats import format_of_path
from ..pipeline import DedupStats, write_stats

__all__ = ["SparkRun", "dedup_spark"]


@dataclass(frozen=True, slots=True)
class SparkRun:
    """What a Spark run read and wrote.

    Attributes
    ----------
    records : int
        Records read.
    written : int
        Records written: the kept ones, or every record with ``action="annotate"``.
    seconds : float
        Wall time of the run, from before the session started.
    added : int
        Items added to the index (``0`` without one).
    """

    records: int
    written: int
    seconds: float
    added: int = 0


def dedup_spark(
    inputs: Sequence[str],
    output: str,
    *,
    config: DedupConfig,
    text_field: str = "text",
    id_field: str | None = None,
    action: Literal["remove", "annotate"] = "remove",
    annotate_field: str = "dedup",
    stats_path: str | None = None,
    master: str = "local[2]",
    overwrite: bool = False,
    quiet: bool = False,
    index_path: str | None = None,
) -> SparkRun:
    """Deduplicate JSONL or Parquet files with Spark into the folder ``output`` (JSONL parts).

    Parquet is read when every input is a Parquet file or a folder holding one, else
    JSONL. JSONL records pass through as the local engine writes them: a kept line as
    read, an annotated record or a paragraph or line run's record encoded again
    (:func:`_read_jsonl`, :func:`_write_lines`). With ``stats_path``, the run is
    annotated first and counted (records, kept, removed, clusters:
    :func:`textdedup.pipeline.write_stats`), then the kept rows are written.
    ``shingle="auto"`` means word shingles here.

    With ``index_path``, the records are compared with the index's items too
    (``textdedup.engines.spark.dedup(index_path=...)``), as the local engine's
    ``dedup --index`` does, and the kept items are added to the index on the driver,
    by :meth:`textdedup.index.Index.add` in one transaction, once the output folder is
    in place: a run that fails before leaves the index as it was. With ``quiet``, Spark's
    JVM starts with its standard error on /dev/null and logs errors only. A session
    that is active already is used and left running; one started here is stopped.

    Parameters
    ----------
    inputs : sequence of str
        Files or folders (not stdin).
    output : str
        The folder to write; an existing one is replaced only when textdedup wrote it
        and ``overwrite`` is true (:func:`textdedup.io.check_output_folder`).
    config : DedupConfig
        The settings; ``fields`` are not supported on Spark.
    text_field, id_field : str
        Columns of the text and of the record id (``None``: numbered rows).
    action : {"remove", "annotate"}
        Write the kept records, or every record with the column ``annotate_field``.
    index_path : str, optional
        A SQLite index (created if missing; its settings must be ``config``'s, as
        :func:`textdedup.index_ops.config_for_index` gives them): compared with, then
        the kept items are added to it.

    Returns
    -------
    SparkRun
        Records read and written, the wall time, and the items added to the index.

    Raises
    ------
    IncompatibleSettingsError
        ``config.fields`` given, no named input or stdin, ``output`` stdin, or
        ``stats_path`` or ``index_path`` inside ``output``.
    IndexError_
        An index made with other settings, or a file that is not an index.
    MissingDependencyError
        pyspark is not installed.
    OutputError
        ``output`` is or holds an input, or is a folder textdedup did not write;
        ``index_path`` is an input or lies inside an input folder.
    InputError
        An input does not exist (before Spark starts); a Parquet input has no column
        ``text_field`` (or ``id_field``); a JSONL line is not a JSON object, lacks
        ``text_field`` (or ``id_field``) or holds one of the wrong type (naming the
        file and line, as the local reader does).
    """
    import shutil

    from ..io import check_output_folder, check_outputs, replace_folder, temp_folder_beside
    from ..records import ReadStats

    if config.fields:
        raise IncompatibleSettingsError("{fields} works with the local engine only")
    if config.shingle == "auto":
        config = replace(config, shingle="word")  # auto means word shingles on Spark
    if not inputs or STDIN in inputs or output == STDIN:
        raise IncompatibleSettingsError(
            "{engine} spark reads named files or folders and writes to {output} FOLDER"
        )
    try:
        from .. import spark as td_spark
        from .spark import dedup_frames
    except ImportError:  # pragma: no cover - depends on the install
        raise MissingDependencyError(
            "{engine} spark needs pyspark: pip install 'textdedup[spark]'"
        ) from None
    for name in inputs:
        if not Path(name).exists():  # before Spark starts: its error is a Java trace
            raise InputError("no such file or folder", path=name)
    target = check_output_folder(output, inputs, overwrite=overwrite)
    for name, path in (("stats_path", stats_path), ("index_path", index_path)):
        if path and path != STDIN and target in Path(path).resolve().parents:
            raise IncompatibleSettingsError(
                f"{{{name}}} {literal(path)} is inside the output folder "
                f"{literal(output)}, which is replaced as a whole; write it elsewhere"
            )
    if index_path:
        check_outputs(list(inputs), {"{index_path}": index_path})
    if stats_path and stats_path != STDIN:
        Path(stats_path).parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    from pyspark.sql import SparkSession

    index = None
    if index_path:
        from ..index import Index

        index = Index(index_path, config)  # created now if missing, as locally
    borrowed = SparkSession.getActiveSession() is not None
    try:
        with _spark_silenced(quiet):
            session = td_spark.local_session(master)
    except BaseException:
        if index is not None:
            index.close()
        raise
    if quiet:
        session.sparkContext.setLogLevel("ERROR")
    added = prior = 0
    try:
        parquet = all(
            format_of_path(p) == "parquet" or any(Path(p).glob("*.parquet")) for p in inputs
        )
        if parquet:
            df = session.read.parquet(*inputs)
            for column in filter(None, (text_field, id_field)):
                if column not in df.columns:
                    raise InputError(f"the input has no field {column!r}")
        else:  # JSONL: the lines as read, with the text and the id taken out
            df, lines = _read_jsonl(session, inputs, text_field, id_field)
        # Stats count from the annotations, so the run annotates; the kept rows are
        # the rows not marked duplicate (what action="remove" returns).
        frames = dedup_frames(
            df,
            text_field,
            id_field,
            config,
            "annotate" if stats_path else action,
            annotate_field,
            index=index,
        )
        result = frames.output
        if stats_path:
            from pyspark.sql import functions as F

            result = result.localCheckpoint()
            counted = _spark_stats(result, annotate_field)
            if action == "remove" and config.level == "doc":
                result = result.where(~F.col(f"{annotate_field}.duplicate")).drop(annotate_field)
            elif action == "remove":  # annotate cuts nothing: a remove run rebuilds the texts
                frames = dedup_frames(
                    df, text_field, id_field, config, "remove", annotate_field, index=index
                )
                result = frames.output
        # Spark names its part files itself (part-NNNNN-UUID), so no two collide; the
        # folder is checked above and replaced only by the finished one.
        tmp = temp_folder_beside(target)
        try:
            if parquet:
                result.write.mode("overwrite").json(str(tmp))
                total = df.count()
            else:
                mode = "annotate" if action == "annotate" else "line"
                if action == "remove" and config.level != "doc":
                    mode = "text"
                _write_lines(result, tmp, mode, text_field, annotate_field)
                total = lines
            # Counted from the part files: Spark would not read a hidden (.name) folder back.
            kept = sum(1 for part in tmp.glob("part-*") for line in part.open("rb") if line.strip())
            replace_folder(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        if index is not None:
            # The output is in place: now the index, in one transaction (Index.add),
            # with the kept items in input order, as the local engine adds them.
            kept_items = frames.kept.orderBy("item").toLocalIterator()
            added = index.add((r["entry"], r["key"], r["length"]) for r in kept_items)
            prior = frames.prior_items
        if stats_path:
            counted.seconds = time.perf_counter() - started
            counted.prior_items = prior
            write_stats(
                stats_path,
                counted,
                ReadStats(files=len(inputs)),
                config,
                # Block items and their clusters are not in the annotation.
                uncounted=("candidate_pairs", "screened_pairs", "verified_pairs")
                + (("items", "clusters") if config.level != "doc" else ()),
            )
    finally:
        if index is not None:
            index.close()
        if not borrowed:
            session.stop()
    return SparkRun(records=total, written=kept, seconds=time.perf_counter() - started, added=added)


@contextlib.contextmanager
def _spark_silenced(quiet: bool) -> Iterator[None]:
    """With ``quiet``, start Spark's JVM with its standard error on /dev/null.

    The JVM logs its start-up (native library warnings, "Setting default log level")
    and draws stage progress bars before any setting from Python applies; it inherits
    file descriptor 2 when it starts, so that is pointed at /dev/null for the start
    only. Spark's errors still reach Python as exceptions. pyspark's Python warnings
    are silenced for the rest of the process.
    """
    import warnings

    if not quiet:
        yield
        return
    warnings.filterwarnings("ignore", module="pyspark")
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _spark_stats(result: Any, annotate_field: str) -> DedupStats:
    """Counts of a Spark run, from its annotated rows (one pass over them)."""
    from pyspark.sql import functions as F

    col = F.col(annotate_field)
    row = result.agg(
        F.count(F.lit(1)).alias("records"),
        F.sum(F.when(col["duplicate"], 1).otherwise(0)).alias("removed"),
        F.countDistinct(col["cluster"]).alias("clusters"),
    ).first()
    stats = DedupStats()
    stats.records = stats.items = int(row["records"])
    stats.removed = stats.removed_items = int(row["removed"] or 0)
    stats.kept = stats.records - stats.removed
    stats.clusters = int(row["clusters"])
    fields = result.schema[annotate_field].dataType.fieldNames()
    if "blocks" in fields:  # paragraph or line units: the removed blocks are the removals
        blocks = F.when(col["blocks"].isNotNull(), F.size(col["blocks"])).otherwise(0)
        gone = int(result.agg(F.sum(blocks)).first()[0] or 0)
        stats.removed_items = gone
        if gone:
            stats.reasons["corpus-block"] = gone
        stats.warnings.append(
            "the Spark engine does not count the repeats cleaning removed inside documents "
            "(removed_by_reason has no in-document entry)"
        )
    elif "reason" in fields:
        for r in result.where(col["duplicate"]).groupBy(col["reason"]).count().collect():
            stats.reasons[str(r[0])] = int(r[1])
    elif stats.removed:
        stats.reasons["unknown"] = stats.removed
    return stats


# The columns a JSONL input becomes (besides the text and id fields): the record's line
# as it is written when kept unchanged, and, while reading, a bad line's problem and file.
_LINE = "__td_line"
_ERROR = "__td_error"
_FILE = "__td_file"


def _read_jsonl(
    session: Any, inputs: Sequence[str], text_field: str, id_field: str | None
) -> tuple[Any, int]:
    """The JSONL ``inputs`` as a frame of their lines, and the number of records.

    Spark reads the files as text (``session.read.text``: gzip, bzip2 and zstd as its
    JSON reader does), so nothing of a record is inferred, retyped or reordered. Each
    line is parsed in Python on the executors by the local engine's reader
    (``records._parse_line``): blank lines are skipped, and a record gives its line as
    the local engine writes it when kept unchanged (the line as read, or the record
    encoded again when it held ``NaN`` or ``Infinity`` or opened with a byte order
    mark), its text, and its id as text (``1`` and ``"1"`` are one id).

    Returns
    -------
    frame : DataFrame
        Columns ``__td_line`` (string), ``text_field`` (string) and ``id_field``
        (string, when given), one row per record, in input order within each file.
    records : int
        The number of records.

    Raises
    ------
    InputError
        A line that is not a JSON object, lacks ``text_field`` (or ``id_field``), or
        whose text or id has the wrong type: the local reader's error for the first
        bad line of the first file (by name) that has one, naming the file and line
        (the file only when the local reader cannot read it).
    """
    from pyspark.sql import functions as F

    fields = [text_field] + ([id_field] if id_field and id_field != text_field else [])
    schema = ", ".join(
        [f"{_LINE} string"]
        + [f"`{name}` string" for name in fields]
        + [f"{_ERROR} string", f"{_FILE} string"]
    )
    raw = session.read.text(list(inputs)).select(
        F.col("value").cast("binary").alias("value"), F.col("_metadata.file_path").alias(_FILE)
    )
    parsed = raw.mapInArrow(_parse_batches(text_field, id_field or None, fields), schema)
    bad = F.when(F.col(_ERROR).isNotNull(), F.struct(_FILE, _ERROR))
    row = parsed.agg(F.count(F.lit(1)).alias("n"), F.min(bad).alias("bad")).first()
    if row["bad"] is not None:
        raise _bad_line(row["bad"][0], row["bad"][1], text_field, id_field)
    return parsed.select(_LINE, *fields), int(row["n"])


def _parse_batches(text_field: str, id_field: str | None, fields: list[str]) -> Any:
    """``mapInArrow``: lines as read (binary) and their file to records (:func:`_read_jsonl`)."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        from ..records import _parse_line, json_line

        for batch in batches:
            raws = batch.column(0).to_pylist()
            files = batch.column(1).to_pylist()
            lines: list[str | None] = []
            texts: list[str | None] = []
            ids: list[str | None] = []
            errors: list[str | None] = []
            where: list[str] = []
            for raw, file in zip(raws, files, strict=True):
                if not raw.strip():
                    continue  # blank lines are no records, as locally
                try:
                    # Line 1: a byte order mark is taken off any line, as off a first one.
                    rec = _parse_line(raw, file, 1, text_field, id_field, "utf-8", "strict")
                    if not _utf8_ok(rec.text):
                        raise InputError(
                            f"field {text_field!r} holds a lone surrogate (half of a UTF-16 "
                            "pair), which the Spark engine cannot carry; use the local engine"
                        )
                except InputError as exc:
                    lines.append(None)
                    texts.append(None)
                    ids.append(None)
                    errors.append(exc.message)
                    where.append(file)
                    continue
                if rec.raw is not None:
                    lines.append(rec.raw.decode("utf-8"))
                else:  # as the local writer writes a record it cannot write as read
                    lines.append(json_line(rec.data).decode("utf-8")[:-1])
                texts.append(rec.text)
                ids.append(rec.id)
                errors.append(None)
                where.append(file)
            columns = [pa.array(lines, pa.string()), pa.array(texts, pa.string())]
            if len(fields) > 1:
                columns.append(pa.array(ids, pa.string()))
            columns += [pa.array(errors, pa.string()), pa.array(where, pa.string())]
            yield pa.RecordBatch.from_arrays(columns, names=[_LINE, *fields, _ERROR, _FILE])

    return run


def _utf8_ok(text: str) -> bool:
    """Whether ``text`` encodes as UTF-8 (no lone surrogate), as Arrow needs."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bad_line(file: str, message: str, text_field: str, id_field: str | None) -> InputError:
    """The error for a bad line that Spark found in ``file`` (a path or a ``file:`` URI).

    Spark does not number lines, so the file is read again here, on the driver, by the
    local reader, whose error names the first bad line; a file that is not on the
    driver's file system, or that the local reader takes, gives Spark's ``message``
    naming the file.
    """
    from urllib.parse import unquote, urlparse

    from ..records import ReadStats, read_jsonl

    url = urlparse(file)
    path = unquote(url.path) if url.scheme in ("", "file") else file
    if Path(path).is_file():
        try:
            stats = ReadStats()
            ids = id_field or None
            for _ in read_jsonl(path, text_field, ids, "utf-8", "strict", "fail", stats):
                pass
        except InputError as exc:
            return exc
    return InputError(message, path=path)


def _write_lines(
    result: Any, folder: Path, mode: str, text_field: str, annotate_field: str
) -> None:
    """Write the lines of the JSONL records ``result`` into ``folder`` as text part files.

    ``mode`` says what a line is: ``"line"``, the record's line (``__td_line``) as
    read; ``"annotate"``, that record with the column ``annotate_field`` added as the
    field of that name (replacing one it had, in its place; the keys ``blocks`` and
    ``in_document`` only when not null, as the local engine writes them);
    ``"text"``, the record with its text replaced by the text column (paragraph and
    line units). These records are encoded again as the local engine encodes them
    (:func:`textdedup.records.json_line`), which it does for every record of a
    paragraph or line run, its text changed or not.
    Spark names text parts ``part-*.txt``; they are renamed ``part-*.json``, as the
    JSON writer named them.
    """
    from pyspark.sql import functions as F

    if mode == "line":
        lines = result.select(F.col(_LINE).alias("value"))
    else:
        column = annotate_field if mode == "annotate" else text_field
        lines = result.select(_LINE, F.col(column).alias("__td_new")).mapInArrow(
            _line_batches(mode, text_field, annotate_field), "value string"
        )
    lines.write.mode("overwrite").text(str(folder))
    for part in folder.glob("part-*.txt"):
        part.rename(part.with_suffix(".json"))
        crc = folder / f".{part.name}.crc"
        if crc.exists():
            crc.rename(folder / f".{part.stem}.json.crc")


def _line_batches(mode: str, text_field: str, annotate_field: str) -> Any:
    """``mapInArrow``: ``__td_line`` and the new value (``__td_new``) to the line written."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import json

        import pyarrow as pa

        from ..records import json_line

        for batch in batches:
            out = []
            for line, new in zip(
                batch.column(0).to_pylist(), batch.column(1).to_pylist(), strict=True
            ):
                obj = json.loads(line)
                if mode == "annotate":
                    obj[annotate_field] = {
                        k: v
                        for k, v in new.items()
                        if v is not None or k not in ("blocks", "in_document")
                    }
                else:  # encoded again even when the text is unchanged, as locally
                    obj[text_field] = new
                out.append(json_line(obj).decode("utf-8")[:-1])
            yield pa.RecordBatch.from_arrays([pa.array(out, pa.string())], names=["value"])

    return run
