"""Cases 12-15 of the shared case book (corpus I/O and the index), as tests.

Each test copies the case's input files, runs the case's commands through the CLI and
asserts what its ``expected.md`` says is right; the inputs of the same kinds that follow
each case are our own.
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import zstandard
from click.testing import CliRunner

from textdedup.cli import main

CASES = Path(__file__).resolve().parents[2] / "shared" / "cases"
_HINT = "hint: --on-error skip would skip this record, count it and name it in the summary\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    src = CASES / name
    if not src.is_dir():
        pytest.skip(f"the case book is not at {CASES}")
    work = tmp_path / "case"
    shutil.copytree(src, work)
    for p in work.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    monkeypatch.chdir(work)
    return work


# -- 12: text JSON can carry but UTF-8 cannot ------------------------------------------------
def test_case_12_lone_surrogates_round_trip(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _case("12-jsonl-lone-surrogate", tmp_path, monkeypatch)
    for extra in ([], ["--on-error", "skip"]):
        result = runner.invoke(main, ["dedup", "escaped.jsonl", "--id-field", "id", *extra])
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith("read 2 records; kept 2, removed 0;")
        first = result.stdout_bytes.splitlines()[0]
        assert b'"An emoji cut in half \\ud83d by a truncating scraper' in first
        assert (
            json.loads(first)["text"]
            == json.loads((work / "escaped.jsonl").read_text().splitlines()[0])["text"]
        )
    raw = runner.invoke(
        main, ["dedup", "rawbyte.jsonl", "--id-field", "id", "--errors", "surrogateescape"]
    )
    assert raw.exit_code == 0, raw.output
    assert b'"caf\xe9 au lait is a drink' in raw.stdout_bytes  # the raw byte, written back
    assert raw.stdout_bytes.count(b"\n") == 2
    found = runner.invoke(main, ["find", "escaped.jsonl", "--id-field", "id"])
    assert found.exit_code == 0 and found.stdout == ""


def test_lone_surrogates_through_every_writer(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = "a record whose id and text were both cut inside an emoji \ud83d here"
    rows = [
        {"id": "x\ud83d", "text": text, "note": "\udc00 low half"},
        {"id": "y\ud83d", "text": text},
    ]
    Path("in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="ascii")
    for out in ("o.jsonl", "o.jsonl.gz", "o.jsonl.zst"):
        result = runner.invoke(main, ["dedup", "in.jsonl", "--id-field", "id", "-o", out, "-q"])
        assert result.exit_code == 0, result.output
        data = Path(out).read_bytes()
        if out.endswith(".gz"):
            data = gzip.decompress(data)
        elif out.endswith(".zst"):
            data = zstandard.ZstdDecompressor().decompress(data, max_output_size=1 << 20)
        assert [json.loads(line) for line in data.splitlines()] == rows[:1]
        assert b"\\ud83d" in data and b"\\udc00" in data
    found = runner.invoke(main, ["find", "in.jsonl", "--id-field", "id", "--stats", "s.json"])
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["members"][1]["id"] == "y\ud83d"
    assert json.loads(Path("s.json").read_text())["removed"] == 1
    added = runner.invoke(main, ["index", "add", "i.sqlite", "in.jsonl", "--id-field", "id", "-q"])
    assert added.exit_code == 0, added.output
    checked = runner.invoke(
        main, ["check", "in.jsonl", "--against", "i.sqlite", "--id-field", "id"]
    )
    assert checked.exit_code == 0, checked.output
    assert [json.loads(x)["match"] for x in checked.stdout.splitlines()] == ["x\ud83d"] * 2


def test_raw_bytes_round_trip_to_a_folder_and_an_ambiguous_escape_is_refused(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("docs").mkdir()
    raw = b"caf\xe9 cr\xe8me, a text in Latin-1 read as UTF-8\n"
    Path("docs/a.txt").write_bytes(raw)
    result = runner.invoke(main, ["dedup", "docs", "-o", "out/", "--errors", "surrogateescape"])
    assert result.exit_code == 0, result.output
    assert Path("out/docs/a.txt").read_bytes() == raw
    # Under surrogateescape the escape \udce9 would come back as the raw byte 0xE9:
    # refused at read time, naming file and line, under --on-error.
    Path("mixed.jsonl").write_bytes(b'{"text": "ok"}\n{"text": "escaped \\udce9 here"}\n')
    refused = runner.invoke(main, ["dedup", "mixed.jsonl", "--errors", "surrogateescape"])
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: mixed.jsonl, line 2: a JSON escape \\udc80-\\udcff cannot be told apart from "
        "a raw byte under --errors surrogateescape; read this file with --errors strict\n" + _HINT
    )
    skipped = runner.invoke(
        main, ["dedup", "mixed.jsonl", "--errors", "surrogateescape", "--on-error", "skip", "-q"]
    )
    assert skipped.exit_code == 0 and skipped.stdout == '{"text": "ok"}\n'
    # An escaped surrogate pair is one character (an emoji), not a lone surrogate.
    Path("pair.jsonl").write_bytes(b'{"text": "a skull \\ud83d\\udc80 and caf\xe9"}\n')
    pair = runner.invoke(main, ["dedup", "pair.jsonl", "--errors", "surrogateescape", "-q"])
    assert pair.exit_code == 0, pair.output
    assert pair.stdout_bytes == '{"text": "a skull \U0001f480 and caf'.encode() + b'\xe9"}\n'
    strict = runner.invoke(main, ["dedup", "mixed.jsonl", "-q"])
    assert strict.exit_code == 0
    assert strict.stdout_bytes.splitlines()[1] == b'{"text": "escaped \\udce9 here"}'


# -- 13: two inputs, one file name ------------------------------------------------------------
def test_case_13_two_inputs_with_one_file_name(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = _case("13-folder-output-same-name", tmp_path, monkeypatch)
    out = tmp_path / "t" / "clean"
    result = runner.invoke(main, ["dedup", "in_a", "in_b", "-o", f"{out}/"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("read 2 records; kept 2, removed 0;")
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [".textdedup-output.json", "in_a/notes.txt", "in_b/notes.txt"]
    for name in ("in_a", "in_b"):
        assert (out / name / "notes.txt").read_bytes() == (work / name / "notes.txt").read_bytes()


# -- 14: the index knows how it was built -----------------------------------------------------
def test_case_14_index_settings(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _case("14-index-unit-not-checked", tmp_path, monkeypatch)
    para, n3 = tmp_path / "para.sqlite", tmp_path / "n3.sqlite"
    ids = ["--id-field", "id"]
    built = runner.invoke(
        main, ["index", "add", str(para), "bulletins.jsonl", *ids, "--unit", "paragraph"]
    )
    assert built.exit_code == 0, built.output
    result = runner.invoke(
        main,
        [
            "dedup",
            "notice.jsonl",
            *ids,
            "--unit",
            "doc",
            "--index",
            str(para),
            "--action",
            "annotate",
        ],
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {para} was built with other settings (unit: index has 'paragraph', asked for "
        "'doc'); leave these options out to use the index's settings, or use a new index\n"
    )
    with sqlite3.connect(para) as db:
        stored = json.loads(
            db.execute("select value from meta where name='settings'").fetchone()[0]
        )
    assert (stored["unit"], stored["shingle"]) == ("paragraph", "word")
    assert (
        runner.invoke(
            main, ["index", "add", str(n3), "bulletins.jsonl", *ids, "--ngram", "3"]
        ).exit_code
        == 0
    )
    check = runner.invoke(main, ["check", "notice.jsonl", *ids, "--against", str(n3)])
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)["contaminated"] is True
    assert check.stderr == f"1 of 1 records (100.0%) already occur in {n3}\n"


# -- 15: a cut-off JSONL line -----------------------------------------------------------------
def test_case_15_truncated_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _case("15-jsonl-truncated-line", tmp_path, monkeypatch)
    result = runner.invoke(main, ["dedup", "dump.jsonl"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: dump.jsonl, line 2: malformed JSON (unterminated string starting at column 18; "
        "the line looks cut off)\n" + _HINT
    )
    skipped = runner.invoke(main, ["dedup", "dump.jsonl", "--on-error", "skip"])
    assert skipped.exit_code == 0
    assert [json.loads(x)["id"] for x in skipped.stdout.splitlines()] == ["1", "3"]
    assert "read 2 records (1 skipped)" in skipped.stderr


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            '{"id": "2", "text": [1, 2',
            "expected ',' or a closing bracket at column 26; the line looks cut off",
        ),
        ('{"id": "2", "text":', "expected a value at column 20; the line looks cut off"),
        ('{"id": "2"', "expected ',' or a closing bracket at column 11; the line looks cut off"),
        ('{"id": "2" "text": "x"}', "expected ',' or a closing bracket at column 12"),
        ('{"id": "2", "text": "a \\q"}', "an invalid backslash escape at column 24"),
    ],
)
def test_other_malformed_lines_are_described(
    runner: CliRunner, tmp_path: Path, line: str, problem: str
) -> None:
    src = tmp_path / "d.jsonl"
    src.write_text('{"id": "1", "text": "fine"}\n' + line + "\n")
    result = runner.invoke(main, ["find", str(src)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {src}, line 2: malformed JSON ({problem})\n" + _HINT
