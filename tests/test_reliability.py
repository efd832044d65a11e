"""Hostile input, for every command: each case backs a row of docs/reliability.md."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import clean, dedup_records, normalize, normalize_key, segment
from textdedup.cli import main
from textdedup.errors import InputError
from textdedup.records import ReadStats, iter_records


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# -- bytes that are not text ------------------------------------------------------------
def test_binary_file_in_a_folder_stops_dedup_with_its_name(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("fine text\n")
    (tmp_path / "b.bin").write_bytes(b"\x7fELF\x02\x01\x00\x00")
    result = runner.invoke(main, ["dedup", str(tmp_path), "-q"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {tmp_path / 'b.bin'}, line 1, byte 6: looks like binary data (NUL byte), not text\n"
        "hint: --on-error skip would skip this file, count it and name it in the summary\n"
    )
    skipped = runner.invoke(main, ["dedup", str(tmp_path), "--on-error", "skip"])
    assert skipped.exit_code == 0 and "(1 skipped)" in skipped.stderr


def test_invalid_utf8_in_a_jsonl_line(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    result = runner.invoke(main, ["dedup", str(src)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {src}, line 2: invalid utf-8 at byte 13 of the line; use --errors replace\n"
        "hint: --on-error skip would skip this record, count it and name it in the summary\n"
    )
    replaced = runner.invoke(main, ["dedup", str(src), "--errors", "replace", "-q"])
    assert replaced.exit_code == 0
    assert json.loads(replaced.stdout.splitlines()[1])["text"] == "caf\ufffd"


def test_byte_order_marks_are_dropped(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "bom.txt"
    src.write_bytes(b"\xef\xbb\xbfHello\r\nWorld\r\n")
    result = runner.invoke(main, ["clean", str(src), "-q"])
    assert result.exit_code == 0 and result.stdout == "Hello\nWorld\n"
    jsonl = tmp_path / "bom.jsonl"
    jsonl.write_bytes(b'\xef\xbb\xbf{"text": "first"}\n')
    assert [r.text for r in iter_records([str(jsonl)])] == ["first"]


def test_mixed_line_endings_keep_line_numbers() -> None:
    text = "one\r\ntwo\rthree\nfour\u2028five\n"
    assert normalize(text) == "one\ntwo\nthree\nfour\nfive\n"
    body = "A line long enough to count as a block of its own.\r\n"
    result = clean("head\r" + body + "mid\n" + body)
    # Line 4 repeats line 2 between other neighbours: kept as structure, and reported.
    [removal] = result.isolated
    assert removal.removed.line_start == 4 and removal.kept.line_start == 2


# -- size ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_200mb_single_line_finishes() -> None:
    words = [f"w{i % 50021}" for i in range(30_000_000)]
    text = " ".join(words)
    assert len(text) > 200_000_000
    result = clean(text, config=None)
    assert len(result.text) <= len(text)


def _tiny_lines(n: int) -> str:
    import random

    rng = random.Random(4)
    return "".join(f"{rng.randrange(1000)}\n" for _ in range(n))


@pytest.mark.slow
def test_a_million_tiny_lines_finish() -> None:
    text = _tiny_lines(1_000_000)
    assert clean(text).text == text  # short lines never go on their own


def test_many_tiny_lines_quick() -> None:
    text = _tiny_lines(20_000)
    assert clean(text).text == text


def test_a_block_repeated_a_thousand_times_becomes_one() -> None:
    block = "".join(f"{i}\n" for i in range(100))
    result = clean(block * 1000)
    assert result.text == block


def test_a_huge_jsonl_record(tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    big = "word " * 2_000_000
    src.write_text(json.dumps({"text": big}) + "\n" + json.dumps({"text": big}) + "\n")
    items = list(dedup_records(iter_records([str(src)])))
    assert [i.kept for i in items] == [True, False]


# -- files and folders ------------------------------------------------------------------------
def test_empty_files(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert runner.invoke(main, ["clean", str(empty), "-q"]).stdout == ""
    jsonl = tmp_path / "empty.jsonl"
    jsonl.write_text("")
    result = runner.invoke(main, ["dedup", str(jsonl), "-q"])
    assert result.exit_code == 0 and result.stdout == ""


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    result = runner.invoke(main, ["clean", str(path)])
    assert result.exit_code == 1 and result.stderr == f"Error: {path}: permission denied\n"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cut.jsonl.gz", gzip.compress(b'{"text": "a"}\n' * 1000)[:-30], "broken gzip data"),
        ("plain.jsonl.gz", b'{"text": "not compressed"}\n', "broken gzip data"),
        ("plain.jsonl.zst", b'{"text": "not compressed"}\n', "broken zstd data"),
    ],
)
def test_broken_or_mislabelled_compression(
    runner: CliRunner, tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    src = tmp_path / name
    src.write_bytes(data)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(main, ["dedup", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {src}") and message in result.stderr
    assert not out.exists()


def test_truncated_zstd(runner: CliRunner, tmp_path: Path) -> None:
    import zstandard

    src = tmp_path / "cut.jsonl.zst"
    src.write_bytes(zstandard.ZstdCompressor().compress(b'{"text": "a"}\n' * 5000)[:-10])
    result = runner.invoke(main, ["dedup", str(src)])
    assert result.exit_code == 1 and "broken zstd data" in result.stderr


def test_duplicate_ids_are_an_error() -> None:
    records = [{"id": "same", "text": "first text here"}, {"id": "same", "text": "second text"}]
    with pytest.raises(InputError, match="id 'same' is also the id of the record at <records>:0"):
        list(dedup_records(records))


def test_reader_errors_name_file_and_line(tmp_path: Path) -> None:
    src = tmp_path / "x.jsonl"
    src.write_text('{"text": "a"}\n\n{"text": null}\n')
    with pytest.raises(InputError) as info:
        list(iter_records([str(src)]))
    assert (info.value.path, info.value.line) == (str(src), 3)


# -- Unicode edge cases ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Cafe\u0301 cre\u0300me\n",  # combining marks (composed by NFC)
        "\u05e9\u05dc\u05d5\u05dd \u200f\u05e2\u05d5\u05dc\u05dd\n",  # Hebrew with an RLM
        "\U0001f469\u200d\U0001f4bb and \U0001f468\u200d\U0001f469\u200d\U0001f467\n",  # emoji ZWJ sequences
        "\u0627\u0644\u0639\u0631\u0628\u064a\u0629\n",
    ],
)
def test_unicode_survives_cleaning(text: str) -> None:
    # Long enough to count, and a sentence: a line that is not one, repeated directly,
    # is kept as a list's unit (a statement, an item: clean's one-line rule).
    text = text.rstrip("\n") + " 1234567890 abcdefghij klmnopqrst.\n"
    out = clean(text + text).text
    assert out == normalize(text)
    assert "\u200d" not in text or "\u200d" in out
    assert "\u200f" not in text or "\u200f" in out


def test_lone_surrogates_and_nul_in_the_api() -> None:
    text = "bad \udcff byte and a \x00 NUL\n"
    out = clean(text).text
    assert out == "bad \udcff byte and a  NUL\n"
    assert normalize_key(text) == "bad \udcff byte and a nul"


def test_surrogateescape_round_trips_bytes(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "raw.txt"
    src.write_bytes(b"line \xff one\nline \xfe two\n")
    result = runner.invoke(main, ["clean", str(src), "--errors", "surrogateescape", "-q"])
    assert result.exit_code == 0 and result.stdout_bytes == src.read_bytes()


# -- fuzzing ---------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.text())
def test_public_api_raises_nothing_undocumented(text: str) -> None:
    result = clean(text)
    assert clean(result.text).text == result.text
    blocks = segment(result.text)
    assert all(result.text[b.start : b.end] == b.text for b in blocks)
    assert list(dedup_records([text, text])) == list(dedup_records([text, text]))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["x.jsonl", "x.txt", "x.jsonl.gz", "x.jsonl.zst"]))
def test_readers_fail_only_with_input_errors(data: bytes, name: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        stats = ReadStats()
        try:
            records = list(iter_records([str(path)], on_error="skip", stats=stats))
        except InputError as exc:
            assert exc.path == str(path)
        else:
            assert stats.records == len(records)


# -- regexes under adversarial input ----------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        " " * 200_000 + "x",
        " " * 200_000,
        "." * 200_000 + " x",
        "\n \n" * 100_000,
        "a." * 100_000,
        "\u3002" * 100_000,
        ("word " * 50 + "\n") * 2_000,
    ],
)
def test_no_catastrophic_backtracking(text: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from textdedup import clean; clean(sys.stdin.read())"],
        input=text,
        text=True,
        timeout=60,
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr


# -- interruptions --------------------------------------------------------------------------
def test_ctrl_c_stops_promptly_and_leaves_no_partial_output(tmp_path: Path) -> None:
    from textdedup.synthetic import planted_corpus

    lines = [json.dumps(r) + "\n" for r in planted_corpus(2000, seed=2).records]
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "textdedup", "dedup", "-", "-o", str(out), "-q"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None
    proc.stdin.writelines(lines[:1000])  # the run is mid-way: reading, output not written
    proc.stdin.flush()
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    start = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - start < 10
    assert proc.returncode != 0, err
    assert out.read_text() == "previous\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "a"}', "missing id field 'id'"),
        ('{"text": "a", "id": [1]}', "id field 'id' must be a string or integer, got list"),
        ('{"text": "a", "id": true}', "id field 'id' must be a string or integer, got bool"),
    ],
)
def test_bad_id_fields(tmp_path: Path, line: str, message: str) -> None:
    src = tmp_path / "x.jsonl"
    src.write_text(line + "\n")
    with pytest.raises(InputError) as info:
        list(iter_records([str(src)], id_field="id"))
    assert str(info.value) == f"{src}, line 1: {message}"


def test_one_word_repeated_finishes_with_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "spam.txt"
    path.write_text("spam " * 200_000 + "\n")
    result = runner.invoke(main, ["clean", str(path)])
    assert result.exit_code == 0
    assert result.stdout == "spam\n"
    assert result.stderr.endswith(
        "warning: 1000000 characters came down to 5: the text is almost all one stretch "
        "repeated (a template or a generated page?)\n"
    )


def test_an_interrupted_folder_output_leaves_the_previous_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    from textdedup.records import FolderWriter, Record

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("the first text of the folder\n")
    (docs / "b.txt").write_text("the second text of the folder\n")
    out = tmp_path / "out"
    assert runner.invoke(main, ["dedup", str(docs), "-o", f"{out}/", "-q"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    for interruption in (KeyboardInterrupt, OSError):
        with pytest.raises(interruption), FolderWriter(str(out), [str(docs)], overwrite=True) as w:
            w.write(Record(str(docs / "a.txt"), "new text", str(docs / "a.txt"), 1))
            raise interruption
        assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out"]


def test_a_temp_folder_left_by_a_killed_run_is_removed(runner: CliRunner, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("a text\n")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stale = tmp_path / f".out.{dead.stdout.strip()}.abcd.tmp"
    stale.mkdir()
    (stale / "half.txt").write_text("half written")
    assert (
        runner.invoke(main, ["dedup", str(docs), "-o", f"{tmp_path / 'out'}/", "-q"]).exit_code == 0
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out"]
