"""The Spark engine gives the same clusters and keeps the same records as the local engine."""

from __future__ import annotations

import os
import shutil

import pytest

from textdedup import DedupConfig, dedup_records
from textdedup.synthetic import planted_corpus

if os.environ.get("CI") == "true":
    import pyspark  # noqa: F401 - under CI the Spark tests may not skip
else:
    pytest.importorskip("pyspark", reason="the spark extra is not installed")

from textdedup import spark as td_spark

pytestmark = [
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


@pytest.fixture(scope="session")
def spark():  # type: ignore[no-untyped-def]
    if not (os.environ.get("JAVA_HOME") or td_spark.find_java_home() or shutil.which("java")):
        if os.environ.get("CI") == "true":
            pytest.fail("no Java runtime, and under CI the Spark tests may not skip")
        pytest.skip("no Java runtime on this machine")
    session = td_spark.local_session("local[2]")
    yield session
    session.stop()


def _local(records, config):  # type: ignore[no-untyped-def]
    return [
        (i.record.id, not i.kept, i.duplicate_of, i.cluster)
        for i in dedup_records(records, config=config)
    ]


def _spark(spark, records, config):  # type: ignore[no-untyped-def]
    df = spark.createDataFrame(records)
    rows = td_spark.dedup(
        df, text_col="text", id_col="id", config=config, action="annotate"
    ).collect()
    return [
        (r["id"], r["dedup"]["duplicate"], r["dedup"]["duplicate_of"], r["dedup"]["cluster"])
        for r in rows
    ]


def test_same_clusters_and_kept_records_as_the_local_engine(spark) -> None:  # type: ignore[no-untyped-def]
    records = planted_corpus(5000, seed=21).records
    config = DedupConfig()
    local = _local(records, config)
    assert sum(d for _, d, _, _ in local) > 500
    assert _spark(spark, records, config) == local


@pytest.mark.parametrize(
    "config",
    [
        DedupConfig(mode="exact"),
        DedupConfig(keep="longest", verify="ratio", threshold=0.8),
        DedupConfig(keep="last", verify="none"),
    ],
    ids=["exact", "longest-ratio", "last-noverify"],
)
def test_settings_carry_over(spark, config: DedupConfig) -> None:  # type: ignore[no-untyped-def]
    records = planted_corpus(600, seed=4).records
    assert _spark(spark, records, config) == _local(records, config)


def test_remove_keeps_the_kept_rows_in_order(spark) -> None:  # type: ignore[no-untyped-def]
    records = planted_corpus(400, seed=8).records
    kept_local = [i.record.id for i in dedup_records(records) if i.kept]
    df = spark.createDataFrame(records)
    kept = [r["id"] for r in td_spark.dedup(df, id_col="id").collect()]
    assert kept == kept_local


def test_block_units_are_refused(spark) -> None:  # type: ignore[no-untyped-def]
    df = spark.createDataFrame([{"text": "x"}])
    with pytest.raises(ValueError, match="whole documents"):
        td_spark.dedup(df, config=DedupConfig(unit="paragraph"))


def test_cli_engine_spark_matches_the_local_engine(spark, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from textdedup.cli import main

    records = planted_corpus(300, seed=13).records
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    runner = CliRunner()
    local = runner.invoke(main, ["dedup", str(src), "--id-field", "id", "-q"])
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["dedup", str(src), "--id-field", "id", "--engine", "spark", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    parts = sorted(out.glob("part-*.json"))
    rows = [json.loads(line) for p in parts for line in p.read_text().splitlines()]
    assert [r["id"] for r in rows] == [json.loads(x)["id"] for x in local.stdout.splitlines()]
    assert "read 300 records; kept" in result.stderr
