"""The Spark engine gives the same clusters and keeps the same records as the local engine."""

from __future__ import annotations

import pytest

from tests.spark_support import SPARK_WARNINGS, require_pyspark
from textdedup import DedupConfig, dedup_records
from textdedup.pipeline import DedupStats
from textdedup.synthetic import overlapping_corpus, planted_corpus

require_pyspark()

from textdedup import spark as td_spark
from textdedup.engines import local as local_engine
from textdedup.engines import spark as spark_engine

pytestmark = SPARK_WARNINGS


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
        DedupConfig(near=False),
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


def block_records(n: int, *, seed: int, unit: str) -> list[dict[str, object]]:
    """Documents made of overlapping windows of paragraphs (shared across documents),
    with exact and near copies, and every seventh repeating its first paragraph inside
    itself (cleaning removes it). For lines, the paragraphs are joined by one newline."""
    out = []
    for i, r in enumerate(overlapping_corpus(n, seed=seed).records):
        paras = str(r["text"]).split("\n\n")
        if i % 7 == 3:
            paras.insert(1, paras[0])  # a stutter: cleaning removes it
        elif i % 7 == 5 and len(paras) >= 3:
            paras.insert(2, paras[0])  # a refrain: cleaning keeps it, the corpus step too
        if i % 13 == 6:
            paras = ["ok", "thanks!"]  # blocks all under min_length: compared whole
        out.append({**r, "text": ("\n\n" if unit == "paragraph" else "\n").join(paras)})
    return out


def _block_parity(spark, unit: str, keep: str, verify: str = "jaccard") -> None:  # type: ignore[no-untyped-def]
    records = block_records(120, seed=5, unit=unit)
    config = DedupConfig(level=unit, keep=keep, verify=verify)  # type: ignore[arg-type]
    local = local_engine.dedup_dicts(records, config=config)
    blocks = [b for r in local for b in r["dedup"].get("blocks", [])]
    # The corpus exercises what it should: removed blocks of both reasons, records
    # left with nothing, and records cleaned inside themselves.
    assert {b["reason"] for b in blocks} == {"exact", "near"}
    assert any(r["dedup"]["duplicate"] for r in local)
    stats = DedupStats()
    list(dedup_records(records, config=config, stats=stats))
    assert stats.reasons.get("in-document", 0) > 0
    remote = spark_engine.dedup_dicts(records, config=config)
    assert [r["id"] for r in remote] == [r["id"] for r in local]
    for mine, theirs in zip(remote, local, strict=True):
        assert mine["dedup"] == theirs["dedup"]
        assert str(mine["text"]).encode() == str(theirs["text"]).encode()
        assert mine == theirs
    assert any(r["dedup"].get("in_document") for r in local)
    assert all("kept" in b for b in blocks)
    # A block kept twice in its own record (a refrain) stays twice on both engines.
    sep = "\n\n" if unit == "paragraph" else "\n"
    twice = [r for r in local if not r["dedup"]["duplicate"] and _repeats_a_block(r["text"], sep)]
    assert twice
    # Removing: the same records kept, each rebuilt from its kept blocks byte for byte.
    kept = [(i.record.id, i.text) for i in dedup_records(records, config=config) if i.kept]
    df = spark.createDataFrame(records)
    rows = td_spark.dedup(df, id_col="id", config=config).collect()
    assert [(r["id"], str(r["text"]).encode()) for r in rows] == [(i, t.encode()) for i, t in kept]


def _repeats_a_block(text: object, sep: str) -> bool:
    blocks = [b for b in str(text).split(sep) if b.strip()]
    return len(set(blocks)) < len(blocks)


@pytest.mark.parametrize(("unit", "keep"), [("paragraph", "first"), ("line", "last")])
def test_block_units_give_the_local_decisions_and_texts(spark, unit: str, keep: str) -> None:  # type: ignore[no-untyped-def]
    _block_parity(spark, unit, keep)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("unit", "keep", "verify"),
    [
        ("paragraph", "last", "jaccard"),
        ("paragraph", "longest", "jaccard"),
        ("line", "first", "jaccard"),
        ("line", "longest", "jaccard"),
        ("paragraph", "first", "ratio"),
        ("line", "first", "containment"),
    ],
)
def test_block_units_every_keep_policy(spark, unit: str, keep: str, verify: str) -> None:  # type: ignore[no-untyped-def]
    _block_parity(spark, unit, keep, verify)


def test_annotate_gives_the_local_reason(spark) -> None:  # type: ignore[no-untyped-def]
    records = planted_corpus(300, seed=6).records
    config = DedupConfig()
    local = local_engine.dedup_dicts(records, config=config)
    assert {r["dedup"]["reason"] for r in local} == {None, "exact", "near"}
    remote = spark_engine.dedup_dicts(records, config=config)
    assert [r["dedup"] for r in remote] == [r["dedup"] for r in local]


def test_containment_carries_over(spark) -> None:  # type: ignore[no-untyped-def]
    # A record copied into a longer one: contained (1.0), with a Jaccard below 0.95.
    records = planted_corpus(200, seed=9).records
    words = str(records[0]["text"]).split(" ")
    records.append({"id": "part", "text": " ".join(words[: len(words) * 9 // 10]), "source": "x"})
    config = DedupConfig(verify="containment", threshold=0.95)
    local = local_engine.dedup_dicts(records, config=config)
    assert local[-1]["dedup"]["duplicate_of"] == records[0]["id"]
    jaccard = local_engine.dedup_dicts(records, config=DedupConfig(threshold=0.95))
    assert not jaccard[-1]["dedup"]["duplicate"]
    remote = spark_engine.dedup_dicts(records, config=config)
    assert [r["dedup"] for r in remote] == [r["dedup"] for r in local]


@pytest.mark.parametrize("unit", ["doc", "paragraph"])
def test_cli_engine_spark_matches_the_local_engine(spark, tmp_path, unit: str) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from textdedup.cli import main

    records = (
        planted_corpus(300, seed=13).records
        if unit == "doc"
        else block_records(120, seed=7, unit=unit)
    )
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    runner = CliRunner()
    args = ["dedup", str(src), "--id-field", "id", "--unit", unit]
    local = runner.invoke(main, [*args, "-q"])
    assert local.exit_code == 0, local.output
    out = tmp_path / "out"
    result = runner.invoke(main, [*args, "--engine", "spark", "-o", str(out)])
    assert result.exit_code == 0, result.output
    parts = sorted(out.glob("part-*.json"))
    rows = [json.loads(line) for p in parts for line in p.read_text().splitlines()]
    expected = [json.loads(x) for x in local.stdout.splitlines()]
    assert len(expected) < len(records)
    assert rows == expected
    assert f"read {len(records)} records; kept {len(expected)}" in result.stderr


@pytest.mark.parametrize("unit", ["doc", "line"])
def test_short_texts_read_their_numbers_as_written_on_spark(spark, unit: str) -> None:  # type: ignore[no-untyped-def]
    """The short-text rule reads numbers from the text as written on both engines: keys
    lose signs and decimal points, so `-0.5` and `0.5` (equal keys) are other records."""
    texts = [
        "Take a dose of -0.5 mg of the drug every morning with food",
        "Take a dose of 0.5 mg of the drug every morning with food",
        "Take a dose of 0.5 mg of the drug every morning with food",  # an exact copy
        "Take a dose of 05 mg of the drug every morning with food",
        "The interest rate was cut to 4.25 percent on Thursday by the board",
        "The interest rate was cut to 425 percent on Thursday by the board",
    ]
    records = [{"id": f"r{i}", "text": t} for i, t in enumerate(texts)]
    config = DedupConfig(level=unit)  # type: ignore[arg-type]
    local = _local(records, config)
    assert [d for _, d, _, _ in local] == [False, False, True, False, False, False]
    assert _spark(spark, records, config) == local
