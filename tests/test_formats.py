"""Formats in and out, JSON outputs on stdout, pipes and progress (issue #18).

Every input format (JSONL plain and compressed, Parquet, Arrow files of a Hugging Face
``datasets`` folder, compressed standard input) is deduplicated to every output format
(JSONL plain and compressed, Parquet), and the output read back must hold the same
records as a plain JSONL run.
"""

from __future__ import annotations

import bz2
import datetime
import decimal
import gzip
import json
import lzma
import os
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from textdedup.cli import main
from textdedup.records import OUTPUT_FORMATS, RecordWriter, iter_records, output_format

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
zstandard = pytest.importorskip("zstandard")

SRC = str(Path(__file__).resolve().parents[1] / "src")

RECORDS: list[dict[str, Any]] = [
    {"id": "a", "text": "the cat sat on the mat today and then it slept", "n": 1},
    {"id": "b", "text": "The cat sat on the mat today, and then it slept!", "n": 2},
    {"id": "c", "text": "dogs bark loudly at night near the old river bridge", "n": 3},
    {"id": "d", "text": "the cat sat on the mat today and then it slept", "n": 4},
    {"id": "e", "text": "a completely different sentence about the weather in spring", "n": 5},
]
KEPT = ["a", "c", "e"]

COMPRESS = {
    "": lambda b: b,
    ".gz": lambda b: gzip.compress(b, mtime=0),
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda b: zstandard.ZstdCompressor().compress(b),
}


def _jsonl_bytes(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")


def _hf_folder(path: Path, table: Any) -> Path:
    """A folder as ``datasets.Dataset.save_to_disk`` writes it: Arrow stream + state.json."""
    path.mkdir()
    name = "data-00000-of-00001.arrow"
    with pa.OSFile(str(path / name), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    (path / "state.json").write_text(json.dumps({"_data_files": [{"filename": name}]}))
    (path / "dataset_info.json").write_text("{}")
    return path


def _make_input(tmp_path: Path, kind: str) -> Path:
    if kind.startswith("jsonl"):
        comp = kind.removeprefix("jsonl")
        path = tmp_path / f"in.jsonl{comp}"
        path.write_bytes(COMPRESS[comp](_jsonl_bytes(RECORDS)))
        return path
    table = pa.Table.from_pylist(RECORDS)
    if kind == "parquet":
        path = tmp_path / "in.parquet"
        pq.write_table(table, path)
        return path
    return _hf_folder(tmp_path / "hf", table)


def _read_back(path: Path) -> list[dict[str, Any]]:
    return [r.data or {} for r in iter_records([str(path)])]


@pytest.mark.parametrize("out_fmt", OUTPUT_FORMATS)
@pytest.mark.parametrize(
    "in_fmt", ["jsonl", "jsonl.gz", "jsonl.bz2", "jsonl.xz", "jsonl.zst", "parquet", "arrow"]
)
def test_every_input_format_to_every_output_format(
    tmp_path: Path, in_fmt: str, out_fmt: str
) -> None:
    src = _make_input(tmp_path, in_fmt)
    out = tmp_path / f"out.{out_fmt}"
    result = CliRunner().invoke(main, ["dedup", str(src), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    rows = _read_back(out)
    assert [r["id"] for r in rows] == KEPT
    assert rows == [r for r in RECORDS if r["id"] in KEPT]
    if out_fmt != "parquet":
        # compressed with the named format itself, not merely readable by textdedup
        decompress = {
            "jsonl": lambda b: b,
            "jsonl.gz": gzip.decompress,
            "jsonl.bz2": bz2.decompress,
            "jsonl.xz": lzma.decompress,
            "jsonl.zst": lambda b: zstandard.ZstdDecompressor().decompressobj().decompress(b),
        }[out_fmt]
        plain = decompress(out.read_bytes())
        assert plain == _jsonl_bytes([r for r in RECORDS if r["id"] in KEPT])
    else:
        assert pq.read_table(out).column_names == ["id", "text", "n"]


def test_parquet_out_keeps_the_input_columns_and_their_types(tmp_path: Path) -> None:
    # Timestamps, decimals, small ints, lists, structs, bytes and nulls come back typed.
    table = pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int32()),
            "text": [RECORDS[0]["text"], RECORDS[1]["text"], RECORDS[2]["text"]],
            "ts": pa.array(
                [datetime.datetime(2024, 1, 2, 3, 4, 5), None, datetime.datetime(2025, 6, 7)],
                pa.timestamp("ms"),
            ),
            "price": pa.array(
                [decimal.Decimal("1.10"), None, decimal.Decimal("22.05")], pa.decimal128(9, 2)
            ),
            "small": pa.array([1, -2, 3], pa.int16()),
            "tags": [["x"], [], None],
            "meta": [{"lang": "en", "score": 0.5}, {"lang": "de", "score": None}, None],
            "blob": [b"\x00\xff", b"", None],
            "day": pa.array([datetime.date(2024, 1, 1)] * 3, pa.date32()),
        }
    )
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    out = tmp_path / "out.parquet"
    result = CliRunner().invoke(main, ["dedup", str(src), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    got = pq.read_table(out)
    assert got.schema == table.schema
    assert got.to_pylist() == table.take([0, 2]).to_pylist()

    # annotate: the input columns keep their types, the annotation is a struct column
    out2 = tmp_path / "annotated.parquet"
    result = CliRunner().invoke(
        main, ["dedup", str(src), "-o", str(out2), "--action", "annotate", "-q"]
    )
    assert result.exit_code == 0, result.output
    got = pq.read_table(out2)
    assert got.schema.field("ts").type == pa.timestamp("ms")
    assert got.schema.field("price").type == pa.decimal128(9, 2)
    assert pa.types.is_struct(got.schema.field("dedup").type)
    marks = got.column("dedup").to_pylist()
    assert [m["duplicate"] for m in marks] == [False, True, False]
    assert marks[1]["duplicate_of"] == "1"
    assert marks[1]["reason"] == "near"


def test_parquet_to_jsonl_writes_dates_as_iso_strings(tmp_path: Path) -> None:
    table = pa.table(
        {
            "text": [RECORDS[2]["text"]],
            "ts": pa.array([datetime.datetime(2024, 1, 2, 3, 4, 5)], pa.timestamp("s")),
            "price": pa.array([decimal.Decimal("1.10")], pa.decimal128(9, 2)),
        }
    )
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    result = CliRunner().invoke(main, ["dedup", str(src), "-q"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "text": RECORDS[2]["text"],
        "ts": "2024-01-02T03:04:05",
        "price": "1.10",
    }


def test_jsonl_to_parquet_infers_each_field_from_all_its_values(tmp_path: Path) -> None:
    # "note" is null in the first rows and a string later: one string column, not an error.
    records = [
        {"id": i, "text": f"record number {i} says something of its own {i * 7}", "note": None}
        for i in range(5000)
    ]
    records[4999]["note"] = "late"
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl_bytes(records))
    out = tmp_path / "out.parquet"
    result = CliRunner().invoke(main, ["dedup", str(src), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    got = pq.read_table(out)
    assert got.schema.field("note").type == pa.string()
    assert got.num_rows == 5000
    assert got.column("note").to_pylist()[-1] == "late"


def test_fields_that_fit_no_one_parquet_type_are_an_error(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl_bytes([{"text": RECORDS[0]["text"], "x": 1}, {**RECORDS[2], "x": "s"}]))
    out = tmp_path / "out.parquet"
    result = CliRunner().invoke(main, ["dedup", str(src), "-o", str(out), "-q"])
    assert result.exit_code == 2
    assert f"Error: output {out}: the records do not fit one Parquet schema (" in result.stderr
    assert "write JSONL instead" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]  # no temporary file left behind


def test_output_format_option_and_suffix(tmp_path: Path) -> None:
    assert output_format("x.JSONL.GZ") == "jsonl.gz"
    assert output_format("x.ndjson.xz") == "jsonl.xz"
    assert output_format("-") == "jsonl"
    assert output_format("/dev/null") == "jsonl"
    assert output_format("x.data", "parquet") == "parquet"
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl_bytes(RECORDS))
    # Parquet to stdout when asked
    result = CliRunner().invoke(main, ["dedup", str(src), "--output-format", "parquet", "-q"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"PAR1") and result.stdout_bytes.endswith(b"PAR1")
    # a format that contradicts the suffix is refused
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        main, ["dedup", str(src), "-o", str(out), "--output-format", "parquet"]
    )
    assert result.exit_code == 2
    assert (
        f"Error: output {out}: its suffix names jsonl, but the output format asked for is "
        "parquet; rename the output or drop the format\n"
    ) in result.stderr
    for bad in ("out.gz", "out.parquet.gz", "out.csv"):
        result = CliRunner().invoke(main, ["dedup", str(src), "-o", str(tmp_path / bad)])
        assert result.exit_code == 2, bad
        assert "name a .jsonl, .jsonl.gz, .jsonl.zst, .jsonl.bz2, .jsonl.xz or .parquet" in (
            result.stderr
        )


def test_writer_api_is_unchanged_for_existing_callers(tmp_path: Path) -> None:
    # RecordWriter(path, text_field=..., errors=...) and write(record, text=, extra=) still work.
    out = tmp_path / "o.jsonl.bz2"
    records = list(iter_records([str(_make_input(tmp_path, "jsonl"))]))
    with RecordWriter(str(out), text_field="text", errors="strict") as w:
        w.write(records[0], text="changed", extra={"k": 1})
    assert json.loads(bz2.decompress(out.read_bytes())) == {
        "id": "a",
        "text": "changed",
        "n": 1,
        "k": 1,
    }


def test_hugging_face_datasets_folders(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    ds = datasets.Dataset.from_list(RECORDS)
    ds.save_to_disk(str(tmp_path / "single"))
    datasets.DatasetDict({"train": ds, "test": ds.select([4])}).save_to_disk(str(tmp_path / "dd"))
    result = CliRunner().invoke(main, ["dedup", str(tmp_path / "single"), "-q"])
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == KEPT
    # A DatasetDict: each split's Arrow files, splits in sorted order, metadata left out.
    rows = list(iter_records([str(tmp_path / "dd")]))
    assert [(Path(r.path).parent.name, r.id) for r in rows] == [("test", "e")] + [
        ("train", r["id"]) for r in RECORDS
    ]


def test_a_folder_of_mixed_shards(tmp_path: Path) -> None:
    folder = tmp_path / "shards"
    folder.mkdir()
    (folder / "1.jsonl.gz").write_bytes(gzip.compress(_jsonl_bytes(RECORDS[:2])))
    pq.write_table(pa.Table.from_pylist(RECORDS[2:4]), folder / "2.parquet")
    (folder / "3.jsonl.xz").write_bytes(lzma.compress(_jsonl_bytes(RECORDS[4:])))
    _hf_folder(folder / "4-hf", pa.Table.from_pylist([{"id": "f", "text": "x y z", "n": 6}]))
    result = CliRunner().invoke(main, ["dedup", str(folder), "-q"])
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == [*KEPT, "f"]


def test_a_state_json_that_is_not_a_datasets_state_is_a_record_file(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(_jsonl_bytes(RECORDS[:1]))
    (folder / "state.json").write_bytes(_jsonl_bytes([{"id": "s", "text": "a state of mind"}]))
    assert [r.id for r in iter_records([str(folder)])] == ["a", "s"]


@pytest.mark.parametrize("comp", [".gz", ".bz2", ".xz", ".zst"])
def test_compressed_stdin_is_found_by_its_first_bytes(comp: str) -> None:
    data = COMPRESS[comp](_jsonl_bytes(RECORDS))
    result = CliRunner().invoke(main, ["dedup", "-q"], input=data)
    assert result.exit_code == 0, result.output
    assert [json.loads(x)["id"] for x in result.stdout.splitlines()] == KEPT


def test_broken_compressed_input_names_the_file(tmp_path: Path) -> None:
    for comp in (".bz2", ".xz"):
        path = tmp_path / f"in.jsonl{comp}"
        path.write_bytes(COMPRESS[comp](_jsonl_bytes(RECORDS))[:-12])
        result = CliRunner().invoke(main, ["dedup", str(path), "-q"])
        assert result.exit_code == 1
        name = comp.lstrip(".")
        assert result.stderr.startswith(f"Error: {path}, line "), result.stderr
        assert f": broken {name} data (" in result.stderr


def test_the_id_field_defaults_to_id_when_records_have_one(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(_jsonl_bytes([RECORDS[0], {"text": RECORDS[3]["text"]}]))
    result = CliRunner().invoke(main, ["find", str(src), "-q"])
    assert result.exit_code == 0, result.output
    cluster = json.loads(result.stdout)
    # "a" from its id field; the second record has none: FILE:LINE
    assert [m["id"] for m in cluster["members"]] == ["a", f"{src}:2"]
    assert [r.id for r in iter_records([str(src)])] == ["a", f"{src}:2"]


# -- JSON outputs on stdout -----------------------------------------------------------------


def test_stats_to_stdout(tmp_path: Path) -> None:
    src = _make_input(tmp_path, "jsonl")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["dedup", str(src), "-o", str(out), "--stats", "-", "-q"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert (stats["records"], stats["kept"], stats["removed"]) == (5, 3, 2)
    assert _read_back(out) == [r for r in RECORDS if r["id"] in KEPT]

    clusters = tmp_path / "c.jsonl"
    result = CliRunner().invoke(
        main, ["find", str(src), "--clusters", str(clusters), "--stats", "-", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["clusters"] == 1
    assert len(clusters.read_text().splitlines()) == 1


def test_report_to_stdout(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(
        "A paragraph that repeats itself here.\n\nA paragraph that repeats itself here.\n"
    )
    out = tmp_path / "clean.txt"
    result = CliRunner().invoke(main, ["clean", str(doc), "-o", str(out), "--report", "-", "-q"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["input"] == str(doc)
    assert len(report["removals"]) == 1
    assert out.read_text() == "A paragraph that repeats itself here.\n"
    result = CliRunner().invoke(main, ["clean", str(doc), "--check", "--report", "-", "-q"])
    assert result.exit_code == 1  # --check: something would change
    assert len(json.loads(result.stdout)["removals"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["dedup", "IN", "--stats", "-"], "output and --stats would both go to stdout"),
        (["find", "IN", "--stats", "-"], "--clusters and --stats would both go to stdout"),
        (
            ["clean", "DOC", "--report", "-"],
            "--report and the cleaned text would both go to stdout",
        ),
        (
            ["clean", "DOC", "--diff", "--report", "-"],
            "--report and the cleaned text would both go to stdout",
        ),
    ],
)
def test_two_outputs_on_stdout_are_refused(tmp_path: Path, args: list[str], message: str) -> None:
    src = _make_input(tmp_path, "jsonl")
    doc = tmp_path / "doc.txt"
    doc.write_text("text\n")
    args = [str(src) if a == "IN" else str(doc) if a == "DOC" else a for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: {message}; name a file for one of them\n")
    assert result.stdout == ""


# -- pipes --------------------------------------------------------------------------------


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from textdedup.cli import main; main()", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_a_closed_pipe_ends_the_run_quietly(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    src.write_bytes(
        _jsonl_bytes(
            [{"id": i, "text": f"record {i} " + "word " * 200 + str(i)} for i in range(3000)]
        )
    )
    # textdedup dedup big.jsonl | head -1
    proc = subprocess.Popen(
        _cli("dedup", str(src)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env()
    )
    assert proc.stdout is not None and proc.stderr is not None
    head = subprocess.run(["head", "-1"], stdin=proc.stdout, capture_output=True, check=True)
    proc.stdout.close()  # only head holds the pipe now, as in a shell
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    proc.wait(timeout=120)
    assert json.loads(head.stdout)["id"] == 0
    assert "Broken pipe" not in stderr and "Traceback" not in stderr and "Error" not in stderr
    assert stderr == ""  # no summary either: the run did not finish
    assert proc.returncode == 1


def test_gzip_on_stdin_through_a_real_pipe(tmp_path: Path) -> None:
    data = gzip.compress(_jsonl_bytes(RECORDS))
    proc = subprocess.run(
        _cli("dedup", "-q"), input=data, capture_output=True, env=_env(), check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(x)["id"] for x in proc.stdout.splitlines()] == KEPT


# -- progress -----------------------------------------------------------------------------


def _on_a_terminal(args: list[str], stdin: bytes | None = None) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal; returns the exit code and what it drew."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    # a terminal 120 columns wide (a new pseudo-terminal has 0)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        _cli(*args),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**_env(), "COLUMNS": "120"},
    )
    os.close(slave)
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    drawn = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        drawn += chunk
    os.close(master)
    assert proc.stdout is not None
    proc.stdout.read()
    proc.stdout.close()
    return proc.wait(timeout=60), drawn.decode("utf-8", "replace")


def test_progress_names_each_phase_on_a_terminal(tmp_path: Path) -> None:
    src = _make_input(tmp_path, "jsonl")
    size = src.stat().st_size
    code, drawn = _on_a_terminal(["dedup", str(src), "-o", str(tmp_path / "o.jsonl")])
    assert code == 0, drawn
    for phase in ("reading", "signatures", "candidates", "verifying", "clustering", "writing"):
        assert f"{phase}:" in drawn, phase
    # reading has a total: the input's size in bytes, all of it read
    assert f"{size}/{size}" in drawn
    assert "5/5" in drawn  # signatures and writing: 5 records
    # --quiet draws nothing but errors
    code, drawn = _on_a_terminal(["dedup", str(src), "-o", str(tmp_path / "p.jsonl"), "-q"])
    assert (code, drawn) == (0, "")


def test_progress_on_index_add_and_check(tmp_path: Path) -> None:
    src = _make_input(tmp_path, "jsonl")
    index = tmp_path / "i.sqlite"
    code, drawn = _on_a_terminal(["index", "add", str(index), str(src)])
    assert code == 0, drawn
    for phase in ("reading", "signatures", "writing"):
        assert f"{phase}:" in drawn, phase
    code, drawn = _on_a_terminal(["check", str(src), "--against", str(index), "-o", "/dev/null"])
    assert code == 0, drawn
    assert "reading:" in drawn
    assert "5 of 5 records (100.0%) already occur" in drawn


def test_no_bars_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    src = _make_input(tmp_path, "jsonl")
    result = CliRunner().invoke(main, ["dedup", str(src), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0
    assert result.stderr.startswith("read 5 records; kept 3, removed 2")
    assert "reading" not in result.stderr


# -- the same option means the same in every command ------------------------------------


def _options(command: str) -> dict[str, Any]:
    import click

    cmd = main
    for part in command.split():
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[part]
    return {p.name: p.default for p in cmd.params if isinstance(p, click.Option)}


def test_params_and_dedup_share_their_defaults() -> None:
    from textdedup import DedupConfig

    config = DedupConfig()
    for command in ("dedup", "find", "index add", "check", "params", "explain"):
        options = _options(command)
        assert options["threshold"] == config.threshold, command
        assert options["num_perm"] == config.num_perm, command
    for command in ("dedup", "find", "index add", "check", "explain"):
        assert _options(command)["ngram"] == config.ngram, command
        assert _options(command)["seed"] == config.seed, command
    # the id field: read from "id" when present, in the CLI as in the Python API
    assert _options("dedup")["id_field"] is None
    from textdedup import dedup_records

    item = next(dedup_records([{"id": "x", "text": "some text here"}]))
    assert item.record.id == "x"


@pytest.mark.parametrize(
    ("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")]
)
def test_params_plot_format_follows_the_suffix(tmp_path: Path, suffix: str, magic: bytes) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / f"curve{suffix}"
    result = CliRunner().invoke(main, ["params", "--plot", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)


def test_params_plot_refuses_another_suffix(tmp_path: Path) -> None:
    out = tmp_path / "curve.jpg"
    result = CliRunner().invoke(main, ["params", "--plot", str(out)])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: Invalid value for '--plot': {out}: the plot is written as PNG, SVG or PDF; "
        "name a .png, .svg or .pdf file\n"
    )
    assert not out.exists()
