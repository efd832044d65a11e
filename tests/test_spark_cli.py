"""``dedup --engine spark`` from the command line: ``--stats`` and a quiet ``-q`` (issue #18)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.spark_support import SPARK_WARNINGS, require_pyspark

require_pyspark()

from textdedup import spark as td_spark
from textdedup.cli import main
from textdedup.synthetic import planted_corpus

pytestmark = SPARK_WARNINGS


@pytest.fixture
def java() -> None:
    if not (os.environ.get("JAVA_HOME") or td_spark.find_java_home() or shutil.which("java")):
        if os.environ.get("CI") == "true":
            pytest.fail("no Java runtime, and under CI the Spark tests may not skip")
        pytest.skip("no Java runtime on this machine")


def _corpus(tmp_path: Path) -> Path:
    records = planted_corpus(200, seed=5).records
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    return src


def test_stats_with_the_spark_engine_agree_with_the_local_engine(
    java: None, tmp_path: Path
) -> None:
    src = _corpus(tmp_path)
    local_stats, spark_stats = tmp_path / "local.json", tmp_path / "spark.json"
    runner = CliRunner()
    local = runner.invoke(
        main,
        [
            "dedup",
            str(src),
            "--id-field",
            "id",
            "-o",
            str(tmp_path / "l.jsonl"),
            "--stats",
            str(local_stats),
            "-q",
        ],
    )
    assert local.exit_code == 0, local.output
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        [
            "dedup",
            str(src),
            "--id-field",
            "id",
            "--engine",
            "spark",
            "-o",
            str(out),
            "--stats",
            str(spark_stats),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    a, b = json.loads(local_stats.read_text()), json.loads(spark_stats.read_text())
    for key in ("records", "kept", "removed", "clusters", "settings", "removed_by_reason"):
        assert a[key] == b[key], key
    assert b["candidate_pairs"] is None and b["verified_pairs"] is None  # not counted
    rows = [json.loads(x) for p in sorted(out.glob("part-*")) for x in p.read_text().splitlines()]
    kept = [json.loads(x)["id"] for x in (tmp_path / "l.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == kept
    assert all("dedup" not in r for r in rows)  # counted from annotations, written without


def test_stats_of_a_paragraph_run_count_the_removed_blocks(java: None, tmp_path: Path) -> None:
    from textdedup.synthetic import overlapping_corpus

    src = tmp_path / "in.jsonl"
    records = overlapping_corpus(60, seed=11).records
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    runner = CliRunner()
    stats = {}
    for engine in ("local", "spark"):
        out = str(tmp_path / engine) + ("" if engine == "spark" else ".jsonl")
        args = ["dedup", str(src), "--id-field", "id", "--unit", "paragraph", "--engine", engine]
        args += ["-o", out, "--stats", str(tmp_path / f"{engine}.json"), "-q"]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        stats[engine] = json.loads((tmp_path / f"{engine}.json").read_text())
    a, b = stats["local"], stats["spark"]
    assert a["removed_items"] > 0
    for key in ("records", "kept", "removed", "removed_items", "settings"):
        assert a[key] == b[key], key
    assert b["removed_by_reason"]["corpus-block"] == a["removed_by_reason"]["corpus-block"]
    assert b["items"] is None and b["clusters"] is None  # not in the annotation
    assert any("in-document" in w for w in b["warnings"])
    rows = [json.loads(x) for p in sorted((tmp_path / "spark").glob("part-*")) for x in p.open()]
    kept = [json.loads(x) for x in (tmp_path / "local.jsonl").open()]
    assert [(r["id"], r["text"]) for r in rows] == [(r["id"], r["text"]) for r in kept]


@pytest.mark.slow
def test_quiet_silences_sparks_own_logs(java: None, tmp_path: Path) -> None:
    # A new JVM (another process): Spark logs its start-up before Python can set a level.
    src = _corpus(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from textdedup.cli import main; main()",
            "dedup",
            str(src),
            "--engine",
            "spark",
            "-o",
            str(tmp_path / "out"),
            "-q",
        ],
        capture_output=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert list((tmp_path / "out").glob("part-*"))
