"""The Spark engine: the same deduplication as the local engine, on a cluster.

Needs the ``spark`` extra (``pip install 'textdedup[spark]'``: pyspark 4). Nothing
else in textdedup imports pyspark. The job calls the same pure functions as the
local engine, so on the same input it finds the same clusters and keeps the same
records:

1. Items: every row gets its input position; ``mapInArrow`` computes keys, exact
   digests, MinHash signatures and LSH band keys in Arrow batches
   (:func:`textdedup.normalize.normalize_key`, :class:`textdedup.MinHasher`,
   :func:`textdedup.lsh.band_keys`).
2. Candidates: rows are grouped on (band, key); every bucket emits its pairs (star
   edges from its smallest member when it holds more than ``max_bucket``), and rows
   with the same digest are paired in input order.
3. Verification (optional, as locally): :func:`textdedup.engine.pair_scores` on Arrow
   batches of pairs.
4. Connected components in DataFrames: alternating large-star and small-star
   rounds, the lineage cut by a checkpoint every round.
5. Each component, with its verified pairs and their scores, goes to
   :func:`textdedup.cluster.decide` (the greedy rule, in the order of
   :func:`textdedup.cluster.keep_order`), then the ``max_cluster_size`` guard, then
   rows are removed or annotated. The rule looks only at verified pairs inside one
   component, so deciding component by component equals deciding all at once.

Hashes come from the package's own stable hashing, never from Python's ``hash()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from .cluster import decide, keep_order
from .engine import _EMPTY, DedupConfig, digest, pair_scores
from .lsh import band_keys
from .normalize import normalize_key

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["dedup", "local_session"]

_ORDER = "__td_order"
MAX_BUCKET = 200


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


def _items_schema() -> str:
    return (
        f"{_ORDER} long, digest binary, tdigest binary, length long, key string, sig binary, "
        "bands array<long>"
    )


def _item_batches(config: DedupConfig, text_col: str) -> Any:
    hasher = config.hasher()
    params = config.lsh()

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        for batch in batches:
            texts = batch.column(text_col).to_pylist()
            keys = [normalize_key(t, config.key) for t in texts]
            if config.mode == "near" and keys:
                sig = np.asarray(hasher.signatures(keys))
                bands = band_keys(sig, params).view(np.int64)
                sig_col = [row.tobytes() for row in sig]
                band_col = [row.tolist() for row in bands]
            else:
                sig_col = [b""] * len(keys)
                band_col = [[] for _ in keys]
            yield pa.RecordBatch.from_arrays(
                [
                    batch.column(_ORDER),
                    pa.array([digest(k) for k in keys], pa.binary()),
                    pa.array([digest(t) for t in texts], pa.binary()),
                    pa.array([len(t) for t in texts], pa.int64()),
                    pa.array(keys, pa.string()),
                    pa.array(sig_col, pa.binary()),
                    pa.array(band_col, pa.list_(pa.int64())),
                ],
                names=[_ORDER, "digest", "tdigest", "length", "key", "sig", "bands"],
            )

    return run


def _bucket_pairs(members: list[int]) -> list[tuple[int, int]]:
    """Pairs of one LSH bucket, as the local :func:`textdedup.lsh.candidate_pairs` makes them."""
    members = sorted(members)
    if len(members) > MAX_BUCKET:
        return [(members[0], m) for m in members[1:]]
    return [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]


def dedup(
    df: DataFrame,
    *,
    text_col: str = "text",
    id_col: str | None = None,
    config: DedupConfig | None = None,
    action: str = "remove",
    annotate_col: str = "dedup",
    checkpoint_dir: str | None = None,
) -> DataFrame:
    """Deduplicate the rows of ``df`` on ``text_col``, as :func:`textdedup.dedup_records` would.

    Returns ``df`` without its duplicate rows (``action="remove"``), or with a struct
    column ``annotate_col`` = ``{duplicate, duplicate_of, cluster, score}`` naming
    rows by ``id_col`` (or by position when ``id_col`` is ``None``). Row order is kept.
    """
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    config = config or DedupConfig()
    if config.unit != "doc":
        raise ValueError("the Spark engine deduplicates whole documents (unit='doc')")
    if config.shingle == "auto" or config.fields:
        raise ValueError(
            "the Spark engine needs fixed shingles and plain text: shingle='word' or 'char', "
            "no fields; use the local engine for shingle='auto' and fields"
        )
    if config.verify == "containment":
        raise ValueError(
            "the Spark engine verifies with jaccard, ratio or none, not containment; "
            "use the local engine"
        )
    if action not in ("remove", "annotate"):
        raise ValueError(f"action must be 'remove' or 'annotate', got {action!r}")
    spark = df.sparkSession
    if checkpoint_dir:
        spark.sparkContext.setCheckpointDir(checkpoint_dir)
    elif not spark.sparkContext.getCheckpointDir():
        import tempfile

        spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="textdedup-spark-"))

    rows = df.withColumn(_ORDER, F.monotonically_increasing_id()).localCheckpoint()
    items = (
        rows.select(_ORDER, text_col)
        .mapInArrow(_item_batches(config, text_col), _items_schema())
        .localCheckpoint()
    )

    # Identical keys: consecutive rows (in input order) of each digest group.
    w = Window.partitionBy("digest").orderBy(_ORDER)
    exact = (
        items.select(_ORDER, "digest")
        .withColumn("prev", F.lag(_ORDER).over(w))
        .where(F.col("prev").isNotNull())
        .select(F.col("prev").alias("u"), F.col(_ORDER).alias("v"))
    )
    edges = exact
    if config.mode == "near":
        buckets = (
            items.where(F.col("digest") != F.lit(_EMPTY))
            .select(_ORDER, F.posexplode("bands").alias("band", "bkey"))
            .groupBy("band", "bkey")
            .agg(F.collect_list(_ORDER).alias("members"))
            .where(F.size("members") > 1)
        )
        pair_udf = F.udf(_bucket_pairs, "array<struct<u:long,v:long>>")
        candidates = (
            buckets.select(F.explode(pair_udf("members")).alias("p"))
            .select("p.u", "p.v")
            .distinct()
        )
        keyed = items.select(_ORDER, "key", "sig")
        joined = candidates.join(
            keyed.withColumnRenamed(_ORDER, "u")
            .withColumnRenamed("key", "ku")
            .withColumnRenamed("sig", "su"),
            "u",
        ).join(
            keyed.withColumnRenamed(_ORDER, "v")
            .withColumnRenamed("key", "kv")
            .withColumnRenamed("sig", "sv"),
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

    labels = _components(items.select(_ORDER), edges)
    members = items.select(_ORDER, "digest", "tdigest", "length").join(labels, _ORDER)
    multi = members.groupBy("label").count().where(F.col("count") > 1).select("label")
    scored = verified.join(labels.withColumnRenamed(_ORDER, "u"), "u")
    decided = (
        members.join(multi, "label")
        .groupBy("label")
        .cogroup(scored.groupBy("label"))
        .applyInArrow(
            _decide_component(config),
            f"{_ORDER} long, keeper long, score double, exact boolean, cluster long",
        )
    )
    decided = _guard(decided, config).localCheckpoint()

    out = rows.join(decided, _ORDER, "left")
    out = out.withColumn("keeper", F.coalesce("keeper", F.col(_ORDER)))
    if action == "remove":
        return (
            out.where(F.col("keeper") == F.col(_ORDER))
            .orderBy(_ORDER)
            .drop(_ORDER, "keeper", "score", "exact", "cluster")
        )
    ids = rows.select(
        F.col(_ORDER).alias("__td_ref"),
        (F.col(id_col).cast("string") if id_col else F.col(_ORDER).cast("string")).alias("__td_id"),
    )
    index = rows.select(_ORDER).withColumn(
        "__td_pos", F.row_number().over(Window.orderBy(_ORDER)) - 1
    )
    if id_col is None:
        ids = ids.join(index.withColumnRenamed(_ORDER, "__td_ref"), "__td_ref").select(
            "__td_ref", F.col("__td_pos").cast("string").alias("__td_id")
        )
    kept_ids = ids.withColumnRenamed("__td_ref", "keeper").withColumnRenamed("__td_id", "__td_kid")
    cluster_ids = ids.withColumnRenamed("__td_ref", "cluster").withColumnRenamed(
        "__td_id", "__td_cid"
    )
    out = out.join(kept_ids, "keeper", "left").join(cluster_ids, "cluster", "left")
    removed = F.col("keeper") != F.col(_ORDER)
    out = out.withColumn(
        annotate_col,
        F.struct(
            removed.alias("duplicate"),
            F.when(removed, F.col("__td_kid")).alias("duplicate_of"),
            F.col("__td_cid").alias("cluster"),
            F.when(removed, F.round("score", 6)).alias("score"),
        ),
    )
    return out.orderBy(_ORDER).drop(
        _ORDER, "keeper", "score", "exact", "cluster", "__td_kid", "__td_cid"
    )


def _verify_batches(config: DedupConfig) -> Any:
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        for batch in batches:
            u = batch.column("u").to_pylist()
            v = batch.column("v").to_pylist()
            if config.verify == "none":
                su, sv = batch.column("su").to_pylist(), batch.column("sv").to_pylist()
                s = [
                    float((np.frombuffer(a, np.uint32) == np.frombuffer(b, np.uint32)).mean())
                    for a, b in zip(su, sv, strict=True)
                ]
            else:
                keys = batch.column("ku").to_pylist() + batch.column("kv").to_pylist()
                n = len(u)
                s = (
                    pair_scores(keys, list(range(n)), list(range(n, 2 * n)), config).tolist()
                    if n
                    else []
                )
            yield pa.RecordBatch.from_arrays(
                [pa.array(u, pa.int64()), pa.array(v, pa.int64()), pa.array(s, pa.float64())],
                names=["u", "v", "s"],
            )

    return run


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
        nodes.join(roots.withColumnRenamed("u", _ORDER), _ORDER, "left")
        .select(_ORDER, F.least(F.col(_ORDER), F.coalesce("m", F.col(_ORDER))).alias("label"))
        .localCheckpoint()
    )


def _decide_component(config: DedupConfig) -> Any:
    """Decide one component from its members and its verified pairs, as the local engine does."""

    def run(table: pa.Table, pairs: pa.Table) -> pa.Table:
        import pyarrow as pa

        order = np.asarray(table.column(_ORDER).to_pylist(), dtype=np.int64)
        idx = np.argsort(order, kind="stable")
        order = order[idx]
        col = {name: table.column(name).to_pylist() for name in ("digest", "tdigest", "length")}
        digests = [col["digest"][k] for k in idx.tolist()]
        texts = [col["tdigest"][k] for k in idx.tolist()]
        lengths = [col["length"][k] for k in idx.tolist()]
        u = np.asarray(pairs.column("u").to_pylist(), dtype=np.int64)
        v = np.asarray(pairs.column("v").to_pylist(), dtype=np.int64)
        s = np.asarray(pairs.column("s").to_pylist(), dtype=np.float64)
        d = decide(
            keep_order(config.keep, order.size, lengths=lengths),
            np.searchsorted(order, u),
            np.searchsorted(order, v),
            s,
            key_group=_group_numbers(digests),
            text_group=_group_numbers(texts),
        )
        return pa.table(
            {
                _ORDER: pa.array(order, pa.int64()),
                "keeper": pa.array(order[d.keeper], pa.int64()),
                "score": pa.array(d.score, pa.float64()),
                "exact": pa.array(d.exact, pa.bool_()),
                "cluster": pa.array(
                    [int(order[c]) if c >= 0 else None for c in d.cluster.tolist()], pa.int64()
                ),
            }
        )

    return run


def _group_numbers(values: list[bytes]) -> list[int]:
    """Equal numbers for equal values, numbered in order of first appearance."""
    seen: dict[bytes, int] = {}
    return [seen.setdefault(x, len(seen)) for x in values]


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
            "keeper", F.when(F.col("big").isNotNull(), F.col(_ORDER)).otherwise(F.col("keeper"))
        )
        .drop("big")
    )
