from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from textdedup import DedupConfig, Index
from textdedup.cli import main
from textdedup.synthetic import planted_corpus


def _write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _ids(output: str) -> list[str]:
    return [json.loads(line)["id"] for line in output.splitlines()]


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, object]]:
    return planted_corpus(1200, seed=7).records


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_dedup_jsonl_keeps_other_fields_and_is_repeatable(
    runner: CliRunner, tmp_path: Path, corpus: list[dict[str, object]]
) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", corpus)
    out1, out2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    r1 = runner.invoke(main, ["dedup", str(src), "-o", str(out1), "--id-field", "id"])
    r2 = runner.invoke(main, ["dedup", str(src), "-o", str(out2), "--id-field", "id", "-q"])
    assert r1.exit_code == 0 and r2.exit_code == 0
    assert out1.read_bytes() == out2.read_bytes()
    rows = [json.loads(line) for line in out1.read_text().splitlines()]
    assert 0 < len(rows) < len(corpus)
    assert all(row["source"] == "synthetic" for row in rows)
    assert r1.stderr.startswith(
        f"read {len(corpus)} records; kept {len(rows)}, removed {len(corpus) - len(rows)}"
    )


def test_annotate_keeps_every_record(runner: CliRunner, tmp_path: Path) -> None:
    rows = [
        {"id": "a", "text": "the quick brown fox jumps over the lazy dog near the river"},
        {"id": "b", "text": "The quick brown fox jumps over the lazy dog near the river!"},
        {"id": "c", "text": "an unrelated record about something else entirely"},
    ]
    src = _write_jsonl(tmp_path / "in.jsonl", rows)
    result = runner.invoke(
        main, ["dedup", str(src), "--id-field", "id", "--action", "annotate", "-q"]
    )
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    # b differs from a in case and punctuation only: same key (score 1.0), not the same text.
    assert [o["dedup"] for o in out] == [
        {"duplicate": False, "duplicate_of": None, "cluster": "a", "score": None, "reason": None},
        {"duplicate": True, "duplicate_of": "a", "cluster": "a", "score": 1.0, "reason": "near"},
        {"duplicate": False, "duplicate_of": None, "cluster": None, "score": None, "reason": None},
    ]


def test_find_writes_clusters_and_stats(runner: CliRunner, tmp_path: Path) -> None:
    rows = [
        {"id": str(i), "text": t}
        for i, t in enumerate(
            ["one two three four five six", "one two three four five six", "seven"]
        )
    ]
    src = _write_jsonl(tmp_path / "in.jsonl", rows)
    stats = tmp_path / "stats.json"
    result = runner.invoke(
        main, ["find", str(src), "--id-field", "id", "--stats", str(stats), "-q"]
    )
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {
            "cluster": "0",
            "kept": "0",
            "size": 2,
            "members": [
                {"id": "0", "kept": True, "score": None},
                {"id": "1", "kept": False, "score": 1.0},
            ],
        }
    ]
    assert json.loads(stats.read_text())["removed"] == 1
    assert src.read_text().count("\n") == 3  # find changes nothing


def test_text_folder_and_compressed_inputs(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    text = "A document that appears twice in the folder, word for word.\n"
    (folder / "a.txt").write_text(text)
    (folder / "b.txt").write_text(text)
    (folder / "c.txt").write_text("Something else.\n")
    result = runner.invoke(main, ["dedup", str(folder), "-q"])
    assert result.exit_code == 0
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == [
        str(folder / "a.txt"),
        str(folder / "c.txt"),
    ]
    gz = tmp_path / "in.jsonl.gz"
    with gzip.open(gz, "wt") as fh:
        fh.write(json.dumps({"text": text}) + "\n" + json.dumps({"text": text}) + "\n")
    out = tmp_path / "out.jsonl.zst"
    assert runner.invoke(main, ["dedup", str(gz), "-o", str(out), "-q"]).exit_code == 0
    import zstandard

    assert (
        zstandard.ZstdDecompressor()
        .decompress(out.read_bytes(), max_output_size=1 << 20)
        .count(b"\n")
        == 1
    )


def test_parquet_input(runner: CliRunner, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table(
        {"id": ["x", "y"], "body": ["same words in both rows here", "same words in both rows here"]}
    )
    pq.write_table(table, tmp_path / "in.parquet")
    result = runner.invoke(
        main, ["dedup", str(tmp_path / "in.parquet"), "--field", "body", "--id-field", "id", "-q"]
    )
    assert result.exit_code == 0
    assert [json.loads(x) for x in result.stdout.splitlines()] == [
        {"id": "x", "body": "same words in both rows here"}
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "{not json",
            "line 2: malformed JSON (Expecting property name enclosed in double quotes, column 2)",
        ),
        ('{"id": 3}', "line 2: missing field 'text'"),
        ('{"text": 5}', "line 2: field 'text' must be a string, got int"),
        ("[1, 2]", "line 2: expected a JSON object, got list"),
    ],
)
def test_bad_jsonl_lines(runner: CliRunner, tmp_path: Path, line: str, message: str) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "fine"}\n' + line + '\n{"text": "also fine"}\n')
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["dedup", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {src}, {message}\n"
    assert not out.exists()
    skipped = runner.invoke(main, ["dedup", str(src), "--on-error", "skip"])
    assert skipped.exit_code == 0
    assert len(skipped.stdout.splitlines()) == 2
    assert "(1 skipped)" in skipped.stderr and f"skipped: {src}, {message}" in skipped.stderr


def test_output_naming_an_input_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", [{"text": "x"}])
    result = runner.invoke(main, ["dedup", str(src), "-o", str(src)])
    assert result.exit_code == 2
    assert f"output {src} is an input file" in result.stderr


def test_empty_input_is_empty_output(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "empty.jsonl"
    src.write_text("")
    result = runner.invoke(main, ["dedup", str(src), "-q"])
    assert result.exit_code == 0 and result.stdout == ""


def test_incremental_equals_all_at_once(
    runner: CliRunner, tmp_path: Path, corpus: list[dict[str, object]]
) -> None:
    a = _write_jsonl(tmp_path / "a.jsonl", corpus[:600])
    b = _write_jsonl(tmp_path / "b.jsonl", corpus[600:])
    both = _write_jsonl(tmp_path / "ab.jsonl", corpus)
    index = tmp_path / "index.sqlite"
    ra = runner.invoke(main, ["dedup", str(a), "--id-field", "id", "--index", str(index), "-q"])
    rb = runner.invoke(main, ["dedup", str(b), "--id-field", "id", "--index", str(index), "-q"])
    rab = runner.invoke(main, ["dedup", str(both), "--id-field", "id", "-q"])
    assert ra.exit_code == rb.exit_code == rab.exit_code == 0
    assert _ids(ra.stdout) + _ids(rb.stdout) == _ids(rab.stdout)
    with Index(index, DedupConfig()) as idx:
        assert len(idx) == len(_ids(rab.stdout))


def test_index_settings_mismatch_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    src = _write_jsonl(tmp_path / "in.jsonl", [{"text": "some text to index here"}])
    index = tmp_path / "i.sqlite"
    assert runner.invoke(main, ["index", "add", str(index), str(src), "-q"]).exit_code == 0
    result = runner.invoke(main, ["dedup", str(src), "--index", str(index), "--num-perm", "64"])
    assert result.exit_code == 1
    assert "was built with other settings (bands: index has 20, asked for 12" in result.stderr
    assert "num_perm: index has 128, asked for 64" in result.stderr


def test_check_against_an_index(
    runner: CliRunner, tmp_path: Path, corpus: list[dict[str, object]]
) -> None:
    train = _write_jsonl(tmp_path / "train.jsonl", corpus[:300])
    test_rows = corpus[:10] + [
        {"id": f"new{i}", "text": f"fresh text number {i} that is not in training"}
        for i in range(10)
    ]
    test = _write_jsonl(tmp_path / "test.jsonl", test_rows)
    index = tmp_path / "train.sqlite"
    added = runner.invoke(main, ["index", "add", str(index), str(train), "--id-field", "id"])
    assert added.exit_code == 0
    assert added.stderr == f"added 300 items from 300 records to {index}; it holds 300\n"
    result = runner.invoke(main, ["check", str(test), "--against", str(index), "--id-field", "id"])
    assert result.exit_code == 0
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["contaminated"] for r in rows] == [True] * 10 + [False] * 10
    assert result.stderr == f"10 of 20 records (50.0%) already occur in {index}\n"
    gate = runner.invoke(
        main, ["check", str(test), "--against", str(index), "--fail-above", "0.25", "-q"]
    )
    assert gate.exit_code == 1
    assert gate.stderr == "Error: contamination 50.0% is above --fail-above 25.0%\n"


def _run_and_kill(args: list[str], delay: float) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "textdedup", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_kill_during_index_add_and_dedup_leaves_earlier_results(tmp_path: Path) -> None:
    records = planted_corpus(4000, seed=9).records
    first = _write_jsonl(tmp_path / "first.jsonl", records[:500])
    second = _write_jsonl(tmp_path / "second.jsonl", records[500:])
    index = tmp_path / "index.sqlite"
    out = tmp_path / "out.jsonl"
    env_args = ["--id-field", "id", "-q"]
    subprocess.run(
        [sys.executable, "-m", "textdedup", "index", "add", str(index), str(first), *env_args],
        check=True,
    )
    subprocess.run(
        [sys.executable, "-m", "textdedup", "dedup", str(first), "-o", str(out), *env_args],
        check=True,
    )
    before_out = out.read_bytes()
    rng = random.Random(1)
    for _ in range(3):
        _run_and_kill(["index", "add", str(index), str(second), *env_args], rng.uniform(0.2, 2.5))
        with Index(index, DedupConfig()) as idx:
            assert len(idx) in (500, 4000)  # all of the add, or none of it
        _run_and_kill(["dedup", str(second), "-o", str(out), *env_args], rng.uniform(0.2, 2.5))
        assert out.read_bytes() in (before_out, _expected_dedup(second, env_args))
    # A rerun completes, gives what an uninterrupted run gives, and clears what the
    # killed runs left behind.
    subprocess.run(
        [sys.executable, "-m", "textdedup", "dedup", str(second), "-o", str(out), *env_args],
        check=True,
    )
    assert out.read_bytes() == _expected_dedup(second, env_args)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


_EXPECTED: dict[str, bytes] = {}


def _expected_dedup(src: Path, args: list[str]) -> bytes:
    if str(src) not in _EXPECTED:
        run = subprocess.run(
            [sys.executable, "-m", "textdedup", "dedup", str(src), *args],
            check=True,
            capture_output=True,
        )
        _EXPECTED[str(src)] = run.stdout
    return _EXPECTED[str(src)]


def test_folder_in_folder_out(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "docs"
    (src / "sub").mkdir(parents=True)
    text = "A document that appears twice in the folder, word for word.\n"
    (src / "a.txt").write_text(text)
    (src / "sub" / "b.txt").write_text(text)
    (src / "sub" / "c.txt").write_text("Something else entirely.\n")
    out = tmp_path / "clean"
    (out / "stale").mkdir(parents=True)  # a previous output is replaced as a whole
    result = runner.invoke(main, ["dedup", str(src), "-o", f"{out}/", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        "a.txt",
        "sub/c.txt",
    ]
    assert (out / "a.txt").read_text() == text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    jsonl = _write_jsonl(tmp_path / "in.jsonl", [{"text": "x"}])
    refused = runner.invoke(main, ["dedup", str(jsonl), "-o", f"{tmp_path / 'o2'}/"])
    assert refused.exit_code == 1
    assert "a folder output takes text-file inputs" in refused.stderr
    assert not (tmp_path / "o2").exists()
