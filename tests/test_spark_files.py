"""textdedup.engines.spark_files.dedup_spark called directly: files in, a folder out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.spark_support import SPARK_WARNINGS
from textdedup import DedupConfig, dedup_records
from textdedup.engines.spark_files import SparkRun, dedup_spark
from textdedup.errors import IncompatibleSettingsError, InputError
from textdedup.synthetic import planted_corpus


def _corpus(tmp_path: Path, n: int = 120) -> tuple[Path, list[dict[str, str]]]:
    records = planted_corpus(n, seed=5).records
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    return src, records


@pytest.mark.parametrize(
    ("inputs", "output", "config", "parameters"),
    [
        (["in.jsonl"], "out", DedupConfig(fields=("title",)), ("fields",)),
        ([], "out", DedupConfig(), ("engine", "output")),
        (["-"], "out", DedupConfig(), ("engine", "output")),
        (["in.jsonl"], "-", DedupConfig(), ("engine", "output")),
    ],
)
def test_settings_spark_cannot_run_are_refused_naming_the_parameters(
    inputs: list[str], output: str, config: DedupConfig, parameters: tuple[str, ...]
) -> None:
    with pytest.raises(IncompatibleSettingsError) as info:
        dedup_spark(inputs, output, config=config)
    assert info.value.parameters == parameters
    assert isinstance(info.value, ValueError)


pytestmark = SPARK_WARNINGS


def test_dedup_spark_keeps_what_the_local_engine_keeps_and_counts_it(
    spark: object, tmp_path: Path
) -> None:
    src, records = _corpus(tmp_path)
    out, stats = tmp_path / "out", tmp_path / "stats.json"
    config = DedupConfig(shingle="auto")  # auto means word shingles on Spark
    run = dedup_spark([str(src)], str(out), config=config, id_field="id", stats_path=str(stats))
    local = [i.record.id for i in dedup_records(records, config=DedupConfig()) if i.kept]
    kept = sorted(
        json.loads(line)["id"]
        for part in out.glob("part-*")
        for line in part.read_text().splitlines()
        if line.strip()
    )
    assert kept == sorted(local)
    assert run == SparkRun(records=len(records), written=len(local), seconds=run.seconds)
    counted = json.loads(stats.read_text())
    assert (counted["records"], counted["kept"]) == (len(records), len(local))
    assert counted["settings"]["shingle"] == "word"
    # A missing text field is an input error naming the line; the folder written before stays.
    with pytest.raises(InputError, match=r"in\.jsonl, line 1: missing field 'body'"):
        dedup_spark([str(src)], str(out), config=DedupConfig(), text_field="body", overwrite=True)
    assert sorted(p.name for p in out.glob("part-*"))
