"""The Spark engine: the same deduplication as the local engine, on a cluster.

Needs the ``spark`` extra (``pip install 'textdedup[spark]'``: pyspark 4). Nothing
else in textdedup imports pyspark. Every step maps a pure function of
:mod:`textdedup.engines.batches`, the ones the local engine calls, so on the same
input it finds the same clusters and makes the same decisions, for every unit:

1. Items: every row gets its input position; ``mapInArrow`` turns each record into
   its items (:func:`~textdedup.engines.batches.record_rows`: the whole document,
   or the paragraphs or lines of the cleaned document) with their keys, digests,
   MinHash signatures and LSH band keys
   (:func:`~textdedup.engines.batches.signature_rows`). Items are numbered in input
   order (record, then block).
2. Candidates: items are grouped on (band, key); every bucket emits its pairs
   (:func:`~textdedup.engines.batches.bucket_pairs`), and items with the same
   digest are paired in input order.
3. Verification (optional, as locally):
   :func:`~textdedup.engines.batches.score_batch` on Arrow batches of pairs.
4. Connected components in DataFrames: alternating large-star and small-star
   rounds, the lineage cut by a checkpoint every round.
5. Each component, with its verified pairs and their scores, goes to
   :func:`~textdedup.engines.batches.decide_component` (the keep policy and
   :func:`textdedup.cluster.decide`), then the ``max_cluster_size`` guard. The rule
   looks only at verified pairs inside one component, so deciding component by
   component equals deciding all at once.
6. Rows are removed or annotated; with paragraph and line units each record is
   rebuilt from its kept blocks (:func:`~textdedup.engines.batches.block_output`).

Hashes come from the package's own stable hashing, never from Python's ``hash()``.

With an index (``index_path``, ``--index``), which is one SQLite file on the driver,
its band rows and digests are read there into DataFrames and joined with the items
in Spark; the stored items that could match (what
:meth:`textdedup.index.Index.candidates` finds for the local engine) are read back
and join step 2 as prior items, numbered after every new item, visited first and
always kept. :class:`SparkFrames` carries the kept items too, which
:func:`textdedup.engines.spark_files.dedup_spark` adds to the index once the output
is in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import numpy as np

from .batches import (
    MAX_BUCKET,
    block_output,
    bucket_pairs,
    decide_component,
    digest,
    record_rows,
    removed_block,
    score_batch,
    short_facts,
    signature_rows,
)

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

    from ..config import DedupConfig
    from ..index import Index
    from . import FilesRequest, FilesResult

__all__ = [
    "FOLDER_OUTPUT",
    "MAX_BUCKET",
    "SparkFrames",
    "available",
    "check_options",
    "dedup",
    "dedup_dicts",
    "dedup_files",
    "dedup_frames",
    "find_java_home",
    "local_session",
]

#: ``dedup_files`` writes a folder of JSONL parts, whatever the output's name.
FOLDER_OUTPUT = True

_T = TypeVar("_T", str, "str | None")
_ORDER = "__td_order"
_EMPTY = digest("")


def local_session(master: str = "local[2]", *, checkpoint_dir: str | None = None) -> SparkSession:
    """A Spark session for one machine: bound to 127.0.0.1, no UI, few shuffle partitions.

    Workers run this interpreter (``PYSPARK_PYTHON`` = ``sys.executable``), and
    ``JAVA_HOME`` is taken from an installed JDK 17 or 21 when it is not set.
    """
    import os
    import sys

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if "JAVA_HOME" not in os.environ:
        home = find_java_home()
        if home:
            os.environ["JAVA_HOME"] = home
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(master)
        .appName("textdedup")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    if checkpoint_dir:
        spark.sparkContext.setCheckpointDir(checkpoint_dir)
    return spark


def find_java_home() -> str | None:
    """The home of an installed JDK 17 or 21 (Debian's layout), if there is one."""
    import glob

    for version in ("17", "21"):
        for path in sorted(glob.glob(f"/usr/lib/jvm/*{version}*")):
            if glob.glob(f"{path}/bin/java"):
                return path
    return None


def available() -> bool:
    """True when pyspark imports and a Java runtime is found."""
    import importlib.util
    import os
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        return False
    return bool(os.environ.get("JAVA_HOME") or find_java_home() or shutil.which("java"))


def dedup_dicts(
    records: list[dict[str, Any]],
    *,
    config: DedupConfig,
    text_field: str = "text",
    id_field: str = "id",
) -> list[dict[str, Any]]:
    """Annotate ``records`` in a Spark session (the active one, or ``local[2]``).

    Each record comes back with its text as read in ``text_field`` (annotate cuts
    nothing) and the annotation of ``--action annotate`` under ``"dedup"``, in input
    order.
    """
    from pyspark.sql import SparkSession

    spark = SparkSession.getActiveSession() or local_session()
    df = spark.createDataFrame(records)
    rows = dedup(df, text_field=text_field, id_field=id_field, config=config, action="annotate")
    return [_plain(r.asDict(recursive=True)) for r in rows.collect()]


def check_options(request: FilesRequest) -> None:
    """Refuse what the Spark engine does not do, before Spark starts.

    Raises
    ------
    IncompatibleSettingsError
        An ``output_format`` other than JSONL (the output is a folder of JSONL
        parts), a ``removals_path`` (local engine only),
        ``shingle="auto"`` chosen by the caller (Spark cannot look at the corpus
        first; left at its default, ``auto`` means word shingles), or
        ``config.fields``.

    >>> from textdedup import DedupConfig
    >>> from textdedup.engines import FilesRequest
    >>> check_options(FilesRequest(inputs=("a.jsonl",), output="out", config=DedupConfig(),
    ...                            removals_path="r.jsonl"))
    Traceback (most recent call last):
    ...
    textdedup.errors.IncompatibleSettingsError: removals_path works with the local engine only
    """
    from ..errors import IncompatibleSettingsError

    if request.output_format not in ("auto", "jsonl"):
        raise IncompatibleSettingsError(
            "{engine} spark writes a folder of JSONL parts; drop {output_format}"
        )
    if request.removals_path:
        raise IncompatibleSettingsError("{removals_path} works with the local engine only")
    if request.config.shingle == "auto" and "shingle" in request.chosen:
        raise IncompatibleSettingsError("{engine} spark needs {shingle} word or char, not auto")
    if request.config.fields:
        raise IncompatibleSettingsError("{fields} works with the local engine only")


def dedup_files(request: FilesRequest) -> FilesResult:
    """Deduplicate JSONL or Parquet files with Spark into the folder ``request.output``.

    :func:`check_options`, then :func:`textdedup.engines.spark_files.dedup_spark` on
    the Spark master ``request.master`` (``local[2]`` when not given). The summary
    says what was read and written, the time and the master.

    Raises
    ------
    IncompatibleSettingsError, MissingDependencyError, OutputError, InputError
        As :func:`check_options` and :func:`~textdedup.engines.spark_files.dedup_spark`.
    """
    from . import FilesResult
    from .spark_files import dedup_spark

    check_options(request)
    master = request.master or "local[2]"
    run = dedup_spark(
        request.inputs,
        request.output,
        config=request.config,
        text_field=request.text_field,
        id_field=request.id_field,
        action=request.action,
        annotate_field=request.annotate_field,
        stats_path=request.stats_path,
        master=master,
        overwrite=request.overwrite,
        quiet=request.quiet,
        index_path=request.index_path,
    )
    what = "wrote" if request.action == "annotate" else "kept"
    summary = (
        f"read {run.records} records; {what} {run.written} to {request.output}/; "
        f"{run.seconds:.1f}s (spark {master})"
    )
    return FilesResult(records=run.records, written=run.written, summary=summary, added=run.added)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    ann = row.get("dedup")
    if isinstance(ann, dict):
        for name in ("blocks", "in_document"):
            if ann.get(name) is None:
                ann.pop(name, None)
    return row


_REMOVED = (
    "array<struct<start:long,end:long,duplicate_of:string,kept:struct<id:string,start:long,"
    "end:long>,score:double,reason:string>>"
)
_ITEM = (
    "struct<block:long,digest:binary,tdigest:binary,length:long,key:string,sig:binary,"
    "bands:array<long>,start:long,end:long,grp:binary,facts:string>"
)
_LOC = "struct<start:long,end:long,line_start:long,line_end:long>"
# An entry of clean's report (textdedup.clean.Removal.to_dict), offsets as read.
_IN_DOC = (
    f"array<struct<kind:string,removed:{_LOC},kept:{_LOC},score:double,blocks:long,"
    "chars:long,markup:array<string>,kept_markup:array<string>,label:string,preview:string,"
    "reason:string>>"
)


def _removed_arrow() -> pa.DataType:
    """The Arrow type of :data:`_REMOVED`."""
    import pyarrow as pa

    kept = pa.struct([("id", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
    return pa.list_(
        pa.struct(
            [
                ("start", pa.int64()),
                ("end", pa.int64()),
                ("duplicate_of", pa.string()),
                ("kept", kept),
                ("score", pa.float64()),
                ("reason", pa.string()),
            ]
        )
    )


def _in_doc_arrow() -> pa.DataType:
    """The Arrow type of :data:`_IN_DOC`."""
    import pyarrow as pa

    loc = pa.struct([(n, pa.int64()) for n in ("start", "end", "line_start", "line_end")])
    return pa.list_(
        pa.struct(
            [
                ("kind", pa.string()),
                ("removed", loc),
                ("kept", loc),
                ("score", pa.float64()),
                ("blocks", pa.int64()),
                ("chars", pa.int64()),
                ("markup", pa.list_(pa.string())),
                ("kept_markup", pa.list_(pa.string())),
                ("label", pa.string()),
                ("preview", pa.string()),
                ("reason", pa.string()),
            ]
        )
    )


def _record_batches(config: DedupConfig, text_col: str) -> Any:
    """``mapInArrow``: records to their items, with signatures and band keys."""
    blocks = config.level != "doc"
    near = config.near

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        item_type = pa.struct(
            [
                ("block", pa.int64()),
                ("digest", pa.binary()),
                ("tdigest", pa.binary()),
                ("length", pa.int64()),
                ("key", pa.string()),
                ("sig", pa.binary()),
                ("bands", pa.list_(pa.int64())),
                ("start", pa.int64()),
                ("end", pa.int64()),
                ("grp", pa.binary()),
                ("facts", pa.string()),
            ]
        )
        in_doc_type = _in_doc_arrow()
        span_type = pa.struct([("start", pa.int64()), ("end", pa.int64())])
        for batch in batches:
            made = [record_rows(t, config) for t in batch.column(text_col).to_pylist()]
            keys = [it.key for r in made for it in r.items]
            if near and keys:
                rows = signature_rows(keys, config)
                sigs = [row.tobytes() for row in rows.signatures]
                bands = rows.bands.tolist()
            else:
                sigs, bands = [b""] * len(keys), [[] for _ in keys]
            items: list[list[dict[str, Any]]] = []
            k = 0
            for r in made:
                mine = []
                for it in r.items:
                    mine.append(
                        {
                            "block": it.block,
                            "digest": it.digest,
                            "tdigest": it.text_digest,
                            "length": it.length,
                            "key": it.key,
                            "sig": sigs[k],
                            "bands": bands[k],
                            "start": it.start,
                            "end": it.end,
                            "grp": it.group,
                            "facts": it.facts,
                        }
                    )
                    k += 1
                items.append(mine)
            yield pa.RecordBatch.from_arrays(
                [
                    batch.column(_ORDER),
                    pa.array([r.text if blocks else None for r in made], pa.string()),
                    pa.array(
                        [[{"start": a, "end": b} for a, b in r.spans] for r in made],
                        pa.list_(span_type),
                    ),
                    pa.array([r.in_document for r in made], in_doc_type),
                    pa.array(items, pa.list_(item_type)),
                ],
                names=[_ORDER, "out", "spans", "in_doc", "items"],
            )

    return run


def dedup(
    df: DataFrame,
    *,
    text_field: str = "text",
    id_field: str | None = None,
    config: DedupConfig | None = None,
    action: str = "remove",
    annotate_field: str = "dedup",
    checkpoint_dir: str | None = None,
    text_col: str | None = None,
    id_col: str | None = None,
    annotate_col: str | None = None,
    index_path: str | None = None,
) -> DataFrame:
    """Deduplicate the rows of ``df`` on ``text_field``, as :func:`textdedup.dedup_records` would.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The records; every column passes through.
    text_field, id_field : str
        The text column, and the column that names records (``None``: by position):
        the words of every other reader and engine.
    config : DedupConfig
        Every unit (``doc``, ``paragraph``, ``line``), mode, keep policy and verifier,
        and the numbers rule (``numbers="agree"``), with fixed shingles
        (``shingle="word"`` or ``"char"``).
    action : {"remove", "annotate"}
        Drop duplicates, or keep every row and add ``annotate_field``.
    annotate_field : str
        The struct column ``{duplicate, duplicate_of, cluster, score, reason, blocks}``
        that ``annotate`` adds, as the local engine's annotation.
    checkpoint_dir : str, optional
        Spark checkpoint directory (a temporary one by default).
    text_col, id_col, annotate_col : str, optional
        The first names of ``text_field``, ``id_field`` and ``annotate_field``,
        accepted for one release with a DeprecationWarning (given, they win).
    index_path : str, optional
        A SQLite index (:mod:`textdedup.index`) to compare with, as
        ``dedup_records(index=...)`` does: its items that could match are read on the
        driver and always kept, and a row matching one of them names the indexed
        item's id, reason ``near``. The index is not changed here (the command line's
        run, :func:`textdedup.engines.spark_files.dedup_spark`, adds the kept items
        after writing the output). Without ``config``, the index's settings.

    Returns
    -------
    pyspark.sql.DataFrame
        In input order. With paragraph and line units and ``action="remove"``,
        ``text_field`` holds the text rebuilt from the kept blocks and a record with
        nothing left is removed; ``annotate`` keeps the text as read and marks the
        removed blocks (offsets as read, with the kept copy) and ``in_document``
        repeats, as locally.

    Raises
    ------
    ValueError
        For an unknown ``action``; for ``shingle="auto"`` (decided from all the items,
        which Spark never holds in one place) and for ``fields`` (records compared
        field by field): the local engine does both.
    IndexError_
        ``config`` means something else than the index at ``index_path``.
    """
    from ..config import DedupConfig

    text_col = _renamed("text_col", text_col, "text_field", text_field)
    id_col = _renamed("id_col", id_col, "id_field", id_field)
    annotate_col = _renamed("annotate_col", annotate_col, "annotate_field", annotate_field)
    if index_path is None:
        return dedup_frames(
            df, text_col, id_col, config or DedupConfig(), action, annotate_col, checkpoint_dir
        ).output
    from ..index import Index

    with Index(index_path, config, create=False) as index:
        return dedup_frames(
            df,
            text_col,
            id_col,
            config or index.config,
            action,
            annotate_col,
            checkpoint_dir,
            index=index,
        ).output


class SparkFrames(NamedTuple):
    """What one Spark run gives: the output rows, the kept items and the index items compared.

    ``kept`` has the columns ``item`` (its number: input order), ``entry``, ``key``
    and ``length``: one row for each new item that is kept, ``entry`` being the
    record's id, or ``ID#N`` for block ``N`` (what :meth:`textdedup.index.Index.add`
    takes, as the local engine hands it over).
    """

    output: DataFrame
    kept: DataFrame
    prior_items: int


def dedup_frames(
    df: DataFrame,
    text_col: str,
    id_col: str | None,
    config: DedupConfig,
    action: str,
    annotate_col: str,
    checkpoint_dir: str | None = None,
    *,
    index: Index | None = None,
) -> SparkFrames:
    """:func:`dedup` with its keywords resolved, giving the kept items too (:class:`SparkFrames`).

    With ``index`` (open on the driver), the rows are compared with its items as
    :func:`dedup` with ``index_path`` does; the index is not changed.

    Raises
    ------
    ValueError, IndexError_
        As :func:`dedup`.
    """
    from pyspark.sql import functions as F

    if config.shingle == "auto" or config.fields:
        raise ValueError(
            "the Spark engine needs fixed shingles and plain text: shingle='word' or 'char', "
            "no fields; use the local engine for shingle='auto' and fields"
        )
    if index is not None:
        index.check_config(config)
    if action not in ("remove", "annotate"):
        raise ValueError(f"action must be 'remove' or 'annotate', got {action!r}")
    spark = df.sparkSession
    if checkpoint_dir:
        spark.sparkContext.setCheckpointDir(checkpoint_dir)
    elif not spark.sparkContext.getCheckpointDir():
        import tempfile

        spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="textdedup-spark-"))

    rows = df.withColumn(_ORDER, F.monotonically_increasing_id()).localCheckpoint()
    recs = (
        rows.select(_ORDER, text_col)
        .mapInArrow(
            _record_batches(config, text_col),
            f"{_ORDER} long, out string, spans array<struct<start:long,end:long>>, "
            f"in_doc {_IN_DOC}, items array<{_ITEM}>",
        )
        .localCheckpoint()
    )
    # Item numbers in input order (record, then block): the rows' partitions are in
    # _ORDER order and every step since is narrow, so a fresh monotonically increasing
    # id over the exploded items follows (record, block) order.
    items = (
        recs.select(_ORDER, F.explode("items").alias("it"))
        .select(_ORDER, "it.*")
        .withColumn("item", F.monotonically_increasing_id())
        .localCheckpoint()
    )
    new_items = items.withColumn("prior", F.lit(False))
    ids = _ids(rows, id_col)
    prior_count = 0
    if index is not None:
        found = _prior_items(spark, items, index, config)
        if found is not None:
            prior, prior_ids, prior_count = found
            items = new_items.unionByName(prior).localCheckpoint()
            ids = ids.unionByName(prior_ids)
        else:
            items = new_items
    else:
        items = new_items
    decided = _decisions(spark, items, config)
    if config.level != "doc":
        decided = _keep_own_repeats(decided, items)
    where = items.select("item", _ORDER, "block", "start", "end")
    kept = _kept_entries(new_items, decided, ids)
    keepers = where.select(
        F.col("item").alias("keeper"),
        F.col(_ORDER).alias("__td_ko"),
        F.col("start").alias("__td_ks"),
        F.col("end").alias("__td_ke"),
    )
    removed = (
        decided.where(F.col("keeper") != F.col("item"))
        .join(where, "item")
        .join(keepers, "keeper")
        .join(
            ids.withColumnRenamed(_ORDER, "__td_ko").withColumnRenamed("__td_id", "__td_kid"),
            "__td_ko",
        )
        .withColumn("reason", F.when(F.col("exact"), F.lit("exact")).otherwise(F.lit("near")))
    )
    if config.level == "doc" and action == "remove":  # needs only who goes, not the names
        gone = decided.where(F.col("keeper") != F.col("item")).join(where, "item")
        out = rows.join(gone.select(_ORDER), _ORDER, "left_anti").orderBy(_ORDER).drop(_ORDER)
    elif config.level == "doc":
        out = _doc_output(rows, decided, removed, where, ids, annotate_col)
    else:
        out = _block_output(rows, recs, removed, action, text_col, annotate_col)
    return SparkFrames(out, kept, prior_count)


def _keep_own_repeats(decided: DataFrame, items: DataFrame) -> DataFrame:
    """Keep the blocks whose keeper is a block of their own record, as the local engine
    does (``pipeline._keep_own_repeats``): each record was cleaned first, and what
    cleaning kept twice in one record is structure (a refrain, a repeated answer); the
    corpus step removes only blocks of earlier records. An index item is no record's."""
    from pyspark.sql import functions as F

    record = items.select("item", F.col(_ORDER).alias("__td_r"))
    keeper_record = items.select(F.col("item").alias("keeper"), F.col(_ORDER).alias("__td_kr"))
    own = (
        (F.col("keeper") != F.col("item"))
        & (F.col("keeper") < F.lit(_PRIOR_BASE))
        & (F.col("__td_r") == F.col("__td_kr"))
    )
    return (
        decided.join(record, "item", "left")
        .join(keeper_record, "keeper", "left")
        .select(
            "item",
            F.when(own, F.col("item")).otherwise(F.col("keeper")).alias("keeper"),
            F.when(own, F.lit(1.0)).otherwise(F.col("score")).alias("score"),
            F.when(own, F.lit(False)).otherwise(F.col("exact")).alias("exact"),
            "cluster",
        )
    )


def _kept_entries(items: DataFrame, decided: DataFrame, ids: DataFrame) -> DataFrame:
    """``item, entry, key, length`` of every new item that is kept (see :class:`SparkFrames`)."""
    from pyspark.sql import functions as F

    gone = decided.where(F.col("keeper") != F.col("item")).select("item")
    return (
        items.join(gone, "item", "left_anti")
        .join(ids, _ORDER)
        .select(
            "item",
            F.when(F.col("block") < 0, F.col("__td_id"))
            .otherwise(F.concat(F.col("__td_id"), F.lit("#"), F.col("block").cast("string")))
            .alias("entry"),
            "key",
            "length",
        )
    )


#: Rows of the index's tables per DataFrame made on the driver (some 30 MB of Python
#: tuples at a time).
_CHUNK_ROWS = 1 << 18
#: Index items are numbered from here (plus their row id): after every new item, in
#: row id order, as the local engine adds them (``pipeline._add_prior``).
_PRIOR_BASE = 1 << 62


def _prior_items(
    spark: SparkSession, items: DataFrame, index: Index, config: DedupConfig
) -> tuple[DataFrame, DataFrame, int] | None:
    """The index's items that could match ``items``, as prior items, with their ids.

    As :meth:`textdedup.index.Index.candidates` finds them for the local engine: the
    stored items sharing a band key with an item, every stored item with the digest
    of such an item (since index format 3 only the first item of a key has band
    rows), and those sharing a digest with an item. The band rows and digests go
    from SQLite into DataFrames on the driver, the joins run in Spark, and the
    matching items (their keys and signatures) are read back on the driver.
    ``None`` when there are none.
    """
    import pyarrow as pa
    from pyspark.sql import functions as F

    from ..index_ops import band_row_chunks, digest_row_chunks
    from ..lsh import band_keys

    digests = _arrow_frame(
        spark,
        digest_row_chunks(index, size=_CHUNK_ROWS),
        pa.schema([("pitem", pa.int64()), ("pdigest", pa.binary())]),
    )
    if digests is None:
        return None  # an empty index
    found = (
        items.select(F.col("digest").alias("pdigest"))
        .distinct()
        .join(digests, "pdigest")
        .select("pitem")
    )
    if config.near:
        bands = _arrow_frame(
            spark,
            band_row_chunks(index, size=_CHUNK_ROWS),
            pa.schema([("band", pa.int64()), ("bkey", pa.int64()), ("pitem", pa.int64())]),
        )
        if bands is not None:
            hits = (
                items.select(F.posexplode("bands").alias("band", "bkey"))
                .distinct()
                .join(bands, ["band", "bkey"])
                .select("pitem")
                .distinct()
            )
            same = (
                hits.join(digests, "pitem")
                .select("pdigest")
                .distinct()
                .join(digests, "pdigest")
                .select("pitem")
            )
            found = found.unionByName(same)
    rowids = sorted(int(r[0]) for r in found.distinct().collect())
    if not rowids:
        return None
    stored = index.rows(rowids)
    sigs = [b"" if r.signature is None else r.signature.tobytes() for r in stored]
    if config.near:
        matrix = np.stack([r.signature for r in stored if r.signature is not None])
        bkeys = band_keys(matrix, config.lsh()).view(np.int64).tolist()
    else:
        bkeys = [[] for _ in stored]
    span = pa.int64()
    table = pa.table(
        {
            _ORDER: pa.array([-r.rowid for r in stored], pa.int64()),
            "block": pa.array([-1] * len(stored), pa.int64()),
            "digest": pa.array([digest(r.key) for r in stored], pa.binary()),
            # Unlike any text digest (16 bytes): a removal for an index item is never
            # exact, as locally (the index stores keys, not texts).
            "tdigest": pa.array([b"index" + r.rowid.to_bytes(8, "big") for r in stored]),
            "length": pa.array([r.length for r in stored], pa.int64()),
            "key": pa.array([r.key for r in stored], pa.string()),
            "sig": pa.array(sigs, pa.binary()),
            "bands": pa.array(bkeys, pa.list_(pa.int64())),
            "start": pa.array([None] * len(stored), span),
            "end": pa.array([None] * len(stored), span),
            # Grouped as the local engine groups an index item: its facts from its key.
            "grp": pa.array([short_facts(config, r.key, r.key)[0] for r in stored], pa.binary()),
            "facts": pa.array([None] * len(stored), pa.string()),
            "item": pa.array([_PRIOR_BASE + r.rowid for r in stored], pa.int64()),
            "prior": pa.array([True] * len(stored), pa.bool_()),
        }
    )
    ids = pa.table(
        {
            _ORDER: pa.array([-r.rowid for r in stored], pa.int64()),
            "__td_id": pa.array([r.doc_id for r in stored], pa.string()),
        }
    )
    return spark.createDataFrame(table), spark.createDataFrame(ids), len(stored)


def _arrow_frame(
    spark: SparkSession, chunks: Iterator[list[tuple[Any, ...]]], schema: pa.Schema
) -> DataFrame | None:
    """A DataFrame of the rows of ``chunks`` (tuples in ``schema``'s order); ``None`` if none."""
    import pyarrow as pa

    frame = None
    for chunk in chunks:
        columns = list(zip(*chunk, strict=True))
        part = spark.createDataFrame(
            pa.table(
                [pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)], schema=schema
            )
        )
        frame = part if frame is None else frame.unionByName(part)
    return frame


def _renamed(old: str, old_value: str | None, new: str, value: _T) -> _T | str:
    """``old_value`` when the caller gave the old keyword ``old`` (with a
    DeprecationWarning naming ``new``), else ``value``."""
    if old_value is None:
        return value
    import warnings

    warnings.warn(
        f"dedup({old}=...) is deprecated and will be removed in the next release; use {new}=...",
        DeprecationWarning,
        stacklevel=3,
    )
    return old_value


def _ids(rows: DataFrame, id_col: str | None) -> DataFrame:
    """``_ORDER`` -> ``__td_id``: the id column as a string, or the position."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    if id_col:
        return rows.select(_ORDER, F.col(id_col).cast("string").alias("__td_id"))
    return rows.select(_ORDER).withColumn(
        "__td_id", (F.row_number().over(Window.orderBy(_ORDER)) - 1).cast("string")
    )


def _doc_output(
    rows: DataFrame,
    decided: DataFrame,
    removed: DataFrame,
    where: DataFrame,
    ids: DataFrame,
    annotate_col: str,
) -> DataFrame:
    """The annotated rows of a document run."""
    from pyspark.sql import functions as F

    clusters = (
        decided.where(F.col("cluster").isNotNull())
        .join(where, "item")
        .join(
            where.select(F.col("item").alias("cluster"), F.col(_ORDER).alias("__td_co")), "cluster"
        )
        .join(
            ids.withColumnRenamed(_ORDER, "__td_co").withColumnRenamed("__td_id", "__td_cid"),
            "__td_co",
        )
        .select(_ORDER, "__td_cid")
    )
    gone = removed.select(_ORDER, "__td_kid", "score", "reason")
    out = rows.join(gone, _ORDER, "left").join(clusters, _ORDER, "left")
    is_gone = F.col("__td_kid").isNotNull()
    out = out.withColumn(
        annotate_col,
        F.struct(
            is_gone.alias("duplicate"),
            F.col("__td_kid").alias("duplicate_of"),
            F.col("__td_cid").alias("cluster"),
            # Rounded in Python already (_decide_batches): Spark's round is half-up
            # on the decimal form, Python's round (the local engine's) is not.
            F.col("score").alias("score"),
            F.col("reason").alias("reason"),
        ),
    )
    return out.orderBy(_ORDER).drop(_ORDER, "__td_kid", "__td_cid", "score", "reason")


def _block_output(
    rows: DataFrame,
    recs: DataFrame,
    removed: DataFrame,
    action: str,
    text_col: str,
    annotate_col: str,
) -> DataFrame:
    from pyspark.sql import functions as F

    lists = removed.groupBy(_ORDER).agg(
        F.collect_list(
            F.struct("block", "start", "end", "__td_kid", "__td_ks", "__td_ke", "score", "reason")
        ).alias("removed")
    )
    rebuilt = (
        recs.select(_ORDER, "out", "spans", "in_doc")
        .join(lists, _ORDER, "left")
        .mapInArrow(
            _rebuild_batches(),
            f"{_ORDER} long, __td_kept boolean, __td_text string, __td_dup string, "
            f"__td_blocks {_REMOVED}, __td_in_doc {_IN_DOC}",
        )
    )
    out = rows.join(rebuilt, _ORDER)
    if action == "remove":
        out = out.where(F.col("__td_kept")).withColumn(text_col, F.col("__td_text"))
    else:  # annotate marks what would go and cuts nothing: the text as read, as locally
        out = out.withColumn(
            annotate_col,
            F.struct(
                (~F.col("__td_kept")).alias("duplicate"),
                F.col("__td_dup").alias("duplicate_of"),
                F.lit(None).cast("string").alias("cluster"),
                F.lit(None).cast("double").alias("score"),
                F.lit(None).cast("string").alias("reason"),
                F.when(F.size("__td_blocks") > 0, F.col("__td_blocks")).alias("blocks"),
                F.when(F.size("__td_in_doc") > 0, F.col("__td_in_doc")).alias("in_document"),
            ),
        )
    return out.orderBy(_ORDER).drop(
        _ORDER, "__td_kept", "__td_text", "__td_dup", "__td_blocks", "__td_in_doc"
    )


def _rebuild_batches() -> Any:
    """``mapInArrow``: each record's text from its kept blocks, as the local engine does."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        removed_type = _removed_arrow()
        for batch in batches:
            texts = batch.column("out").to_pylist()
            spans = batch.column("spans").to_pylist()
            lists = batch.column("removed").to_pylist()
            made = []
            for text, sp, gone in zip(texts, spans, lists, strict=True):
                entries = [
                    (
                        g["block"],
                        removed_block(
                            g["start"],
                            g["end"],
                            g["__td_kid"],
                            {"id": g["__td_kid"], "start": g["__td_ks"], "end": g["__td_ke"]},
                            g["score"],
                            g["reason"],
                        ),
                    )
                    for g in sorted(gone or [], key=lambda g: g["block"])
                ]
                made.append(block_output(text, [(s["start"], s["end"]) for s in sp], entries))
            yield pa.RecordBatch.from_arrays(
                [
                    batch.column(_ORDER),
                    pa.array([m.kept for m in made], pa.bool_()),
                    pa.array([m.text for m in made], pa.string()),
                    pa.array([m.duplicate_of for m in made], pa.string()),
                    pa.array([list(m.removed) for m in made], removed_type),
                    batch.column("in_doc"),
                ],
                names=[_ORDER, "__td_kept", "__td_text", "__td_dup", "__td_blocks", "__td_in_doc"],
            )

    return run


def _decisions(spark: SparkSession, items: DataFrame, config: DedupConfig) -> DataFrame:
    """``item, keeper, score, exact, cluster`` for the members of every component of two or more."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    # Identical keys (with equal facts where the short-text rule applies): consecutive
    # items (in input order) of each group.
    w = Window.partitionBy("grp").orderBy("item")
    edges = (
        items.select("item", "grp")
        .withColumn("prev", F.lag("item").over(w))
        .where(F.col("prev").isNotNull())
        .select(F.col("prev").alias("u"), F.col("item").alias("v"))
    )
    if config.near:
        buckets = (
            items.where(F.col("digest") != F.lit(_EMPTY))
            .select("item", F.posexplode("bands").alias("band", "bkey"))
            .groupBy("band", "bkey")
            .agg(F.collect_list("item").alias("members"))
            .where(F.size("members") > 1)
        )
        pair_udf = F.udf(bucket_pairs, "array<struct<u:long,v:long>>")
        candidates = (
            buckets.select(F.explode(pair_udf("members")).alias("p"))
            .select("p.u", "p.v")
            .distinct()
        )
        keyed = items.select("item", "key", "sig", "facts")
        joined = candidates.join(
            keyed.select(
                F.col("item").alias("u"),
                F.col("key").alias("ku"),
                F.col("sig").alias("su"),
                F.col("facts").alias("fu"),
            ),
            "u",
        ).join(
            keyed.select(
                F.col("item").alias("v"),
                F.col("key").alias("kv"),
                F.col("sig").alias("sv"),
                F.col("facts").alias("fv"),
            ),
            "v",
        )
        verified = (
            joined.mapInArrow(_verify_batches(config), "u long, v long, s double")
            .where(F.col("s") >= F.lit(config.threshold))
            .localCheckpoint()
        )
        edges = edges.unionByName(verified.select("u", "v"))
    else:
        verified = spark.createDataFrame([], "u long, v long, s double")
    edges = edges.localCheckpoint()

    labels = _components(items.select("item"), edges)
    members = items.select("item", "grp", "tdigest", "length", "prior").join(labels, "item")
    multi = members.groupBy("label").count().where(F.col("count") > 1).select("label")
    scored = verified.join(labels.withColumnRenamed("item", "u"), "u")
    decided = (
        members.join(multi, "label")
        .groupBy("label")
        .cogroup(scored.groupBy("label"))
        .applyInArrow(
            _decide_batches(config),
            "item long, keeper long, score double, exact boolean, cluster long",
        )
    )
    return _guard(decided, config).localCheckpoint()


def _verify_batches(config: DedupConfig) -> Any:
    """``mapInArrow``: candidate pairs to verified scores (both ways for an asymmetric score)."""

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        for batch in batches:
            u = batch.column("u").to_pylist()
            v = batch.column("v").to_pylist()
            # The texts as written of the items the short-text rule reads (else None).
            texts = batch.column("fu").to_pylist() + batch.column("fv").to_pylist()
            n = len(u)
            left, right = np.arange(n), np.arange(n, 2 * n)
            if config.verify == "none":
                raw = batch.column("su").to_pylist() + batch.column("sv").to_pylist()
                sig = (
                    np.stack([np.frombuffer(x, np.uint32) for x in raw])
                    if n
                    else np.zeros((0, config.num_perm), np.uint32)
                )
                # The keys too: the numbers rule needs them (score_batch applies it).
                keys = batch.column("ku").to_pylist() + batch.column("kv").to_pylist()
                scores = score_batch(config, left, right, keys=keys, signatures=sig, texts=texts)
            else:
                keys = batch.column("ku").to_pylist() + batch.column("kv").to_pylist()
                scores = score_batch(config, left, right, keys=keys, texts=texts)
            a, b = list(u), list(v)
            s = scores[0].tolist()
            if len(scores) > 1:  # right in left: the pair the other way round
                a, b, s = a + v, b + u, s + scores[1].tolist()
            yield pa.RecordBatch.from_arrays(
                [pa.array(a, pa.int64()), pa.array(b, pa.int64()), pa.array(s, pa.float64())],
                names=["u", "v", "s"],
            )

    return run


def _decide_batches(config: DedupConfig) -> Any:
    """``applyInArrow``: one component's decisions, as the local engine makes them."""

    def run(table: pa.Table, pairs: pa.Table) -> pa.Table:
        import pyarrow as pa

        order, d = decide_component(
            config,
            table.column("item").to_pylist(),
            table.column("grp").to_pylist(),
            table.column("tdigest").to_pylist(),
            table.column("length").to_pylist(),
            pairs.column("u").to_pylist(),
            pairs.column("v").to_pylist(),
            pairs.column("s").to_pylist(),
            prior=table.column("prior").to_pylist(),
        )
        return pa.table(
            {
                "item": pa.array(order, pa.int64()),
                "keeper": pa.array(order[d.keeper], pa.int64()),
                # As the local annotation rounds it (block_output rounds the same way).
                "score": pa.array([round(x, 6) for x in d.score.tolist()], pa.float64()),
                "exact": pa.array(d.exact, pa.bool_()),
                "cluster": pa.array(
                    [int(order[c]) if c >= 0 else None for c in d.cluster.tolist()], pa.int64()
                ),
            }
        )

    return run


def _guard(decided: DataFrame, config: DedupConfig) -> DataFrame:
    """Leave clusters over ``max_cluster_size`` alone, as the local engine does."""
    from pyspark.sql import functions as F

    if not config.max_cluster_size:
        return decided
    sizes = decided.groupBy("keeper").count()
    big = sizes.where(F.col("count") > config.max_cluster_size).select(F.col("keeper").alias("big"))
    return (
        decided.join(big, decided.keeper == big.big, "left")
        .withColumn(
            "keeper", F.when(F.col("big").isNotNull(), F.col("item")).otherwise(F.col("keeper"))
        )
        .drop("big")
    )


def _components(nodes: DataFrame, edges: DataFrame) -> DataFrame:
    """Smallest member of each node's component, by alternating large-star and small-star.

    The two operations of Kiveris et al. (2014), "Connected Components in MapReduce
    and Beyond", on an undirected edge set: large-star links every neighbour larger
    than a node to the node's smallest neighbour-or-self; small-star links a node and
    its smaller neighbours to the smallest of them. Repeated until the edge set stops
    changing, every component becomes a star around its smallest member, in
    O(log n) rounds. Each round's edges are checkpointed, which cuts the lineage.
    """
    from pyspark.sql import functions as F

    def both(e: DataFrame) -> DataFrame:
        return e.unionByName(e.select(F.col("v").alias("u"), F.col("u").alias("v"))).distinct()

    def large_star(e: DataFrame) -> DataFrame:
        nb = both(e)
        low = nb.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
        return (
            nb.join(low, "u")
            .where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("u"), F.col("m").alias("v"))
            .distinct()
        )

    def small_star(e: DataFrame) -> DataFrame:
        nb = both(e).where(F.col("v") <= F.col("u"))
        low = nb.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
        linked = nb.join(low, "u").select(F.col("v").alias("u"), F.col("m").alias("v"))
        own = low.select("u", F.col("m").alias("v"))
        return linked.unionByName(own).where(F.col("u") != F.col("v")).distinct()

    current = edges.select("u", "v").where(F.col("u") != F.col("v")).distinct().localCheckpoint()
    while True:
        step = small_star(large_star(current)).localCheckpoint()
        unchanged = (
            step.exceptAll(current).limit(1).count() == 0
            and current.exceptAll(step).limit(1).count() == 0
        )
        current = step
        if unchanged:
            break
    roots = both(current).groupBy("u").agg(F.min("v").alias("m"))
    return (
        nodes.join(roots.withColumnRenamed("u", "item"), "item", "left")
        .select("item", F.least(F.col("item"), F.coalesce("m", F.col("item"))).alias("label"))
        .localCheckpoint()
    )
