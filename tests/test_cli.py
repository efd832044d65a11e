from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from textdedup.cli import main

from .conftest import FIXTURE


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_clean_fixture_to_stdout(runner: CliRunner, article_lines: list[str]) -> None:
    result = runner.invoke(main, ["clean", str(FIXTURE)])
    assert result.exit_code == 0
    assert result.stdout == "\n".join(article_lines) + "\n"
    assert result.stderr == (
        f"{FIXTURE}: removed 1 (1 repeated-run), 2390 characters\n"
        "  lines 11-19: run of 9 blocks repeating lines 2-10 (score 1.000)\n"
    )


def test_report_json(runner: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = runner.invoke(main, ["clean", str(FIXTURE), "--report", str(report), "-q"])
    assert result.exit_code == 0 and result.stderr == ""
    data = json.loads(report.read_text())
    [removal] = data["removals"]
    assert removal["kind"] == "repeated-run" and removal["blocks"] == 9
    assert (removal["removed"]["line_start"], removal["removed"]["line_end"]) == (11, 19)
    assert (removal["kept"]["line_start"], removal["kept"]["line_end"]) == (2, 10)


def test_stdin_to_stdout(runner: CliRunner) -> None:
    text = "A line that is long enough to count.\nA line that is long enough to count.\n"
    result = runner.invoke(main, ["clean", "-q"], input=text)
    assert result.exit_code == 0
    assert result.stdout == "A line that is long enough to count.\n"


def test_empty_input_is_empty_output(runner: CliRunner) -> None:
    result = runner.invoke(main, ["clean", "-q", "-"], input="")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_check_exits_1_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    result = runner.invoke(main, ["clean", str(FIXTURE), "--check", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert not out.exists()
    clean_file = tmp_path / "clean.txt"
    clean_file.write_text("nothing repeats here\n")
    assert runner.invoke(main, ["clean", str(clean_file), "--check", "-q"]).exit_code == 0


def test_in_place_rewrites_atomically(
    runner: CliRunner, tmp_path: Path, article_lines: list[str]
) -> None:
    target = tmp_path / "doc.txt"
    target.write_bytes(FIXTURE.read_bytes())
    target.chmod(0o640)
    result = runner.invoke(main, ["clean", str(target), "--in-place", "-q"])
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text() == "\n".join(article_lines) + "\n"
    assert target.stat().st_mode & 0o777 == 0o640
    # The original is kept beside it, byte for byte: an in-place run loses nothing.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt", "doc.txt.orig"]
    assert (tmp_path / "doc.txt.orig").read_bytes() == FIXTURE.read_bytes()


def test_output_over_input_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "doc.txt"
    target.write_text("hello\n")
    result = runner.invoke(main, ["clean", str(target), "-o", str(target)])
    assert result.exit_code == 2
    assert f"output {target} is the input file; use --in-place to overwrite it" in result.stderr
    assert target.read_text() == "hello\n"


def test_binary_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "image.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = tmp_path / "out.txt"
    result = runner.invoke(main, ["clean", str(path), "-o", str(out)])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {path}, line 3, byte 8: looks like binary data (NUL byte), not text\n"
    )
    assert not out.exists()


def test_invalid_utf8_names_file_and_byte(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("first line\ncafé au lait\n".encode("latin-1"))
    result = runner.invoke(main, ["clean", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {path}, line 2, byte 14: invalid utf-8 (byte 0xe9); use --encoding to name "
        "the right encoding, or --errors replace|surrogateescape\n"
    )
    ok = runner.invoke(main, ["clean", str(path), "--encoding", "latin-1", "-q"])
    assert ok.exit_code == 0 and ok.stdout_bytes == "first line\ncafé au lait\n".encode("latin-1")
    replaced = runner.invoke(main, ["clean", str(path), "--errors", "replace", "-q"])
    assert replaced.exit_code == 0 and replaced.stdout == "first line\ncaf\ufffd au lait\n"
    kept = runner.invoke(main, ["clean", str(path), "--errors", "surrogateescape", "-q"])
    assert kept.exit_code == 0 and kept.stdout_bytes == path.read_bytes()


def test_directory_and_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    # A folder is a corpus of text files (issue #17): each one cleaned, JSONL out.
    (tmp_path / "a.txt").write_text("one line\n", encoding="utf-8")
    result = runner.invoke(main, ["clean", str(tmp_path), "-q", "--workers", "1"])
    assert result.exit_code == 0
    assert result.stdout == json.dumps({"id": str(tmp_path / "a.txt"), "text": "one line\n"}) + "\n"
    missing = tmp_path / "nope.txt"
    result = runner.invoke(main, ["clean", str(missing)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {missing}: no such file\n"


def test_bad_threshold_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["clean", "--threshold", "1.5"], input="x")
    assert result.exit_code == 2
    assert "must be in [0, 1], got 1.5" in result.stderr


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and "textdedup, version" in result.stdout


# -- one meaning per word: renamed options, their old names hidden but working ------------


def _commands() -> list[tuple[str, object]]:
    import click

    found: list[tuple[str, object]] = []

    def walk(cmd: click.Command, name: str) -> None:
        if isinstance(cmd, click.Group):
            for sub_name, sub in sorted(cmd.commands.items()):
                walk(sub, f"{name} {sub_name}".strip())
        else:
            found.append((name, cmd))

    walk(main, "")
    return found


@pytest.mark.parametrize(("new", "old"), [("--blocks", "--mode"), ("--text-field", "--field")])
def test_clean_renamed_options_take_both_spellings(
    runner: CliRunner, tmp_path: Path, new: str, old: str
) -> None:
    doc = tmp_path / "doc.txt"
    line = "A line of text long enough to count as a block of its own, surely."
    doc.write_text(f"{line}\n{line}\nAnother line that stays where it is in the text.\n")
    value = {"--blocks": "line", "--text-field": "text"}[new]
    outs = [runner.invoke(main, ["clean", str(doc), flag, value, "-q"]) for flag in (new, old)]
    assert [r.exit_code for r in outs] == [0, 0]
    assert outs[0].stdout == outs[1].stdout
    if new == "--blocks":
        assert outs[0].stdout.count(line) == 1  # cut into lines: the stutter went
    help_text = runner.invoke(main, ["clean", "--help"]).stdout
    options = [line.split()[0] for line in help_text.splitlines() if line.startswith("  -")]
    assert new in options and old not in options


def test_old_option_name_gives_the_same_usage_error(runner: CliRunner) -> None:
    for flag in ("--blocks", "--mode"):
        result = runner.invoke(main, ["clean", "-", flag, "chapter"], input="x\n")
        assert result.exit_code == 2
        assert "Invalid value for '--blocks' / '--mode': 'chapter' is not one of" in result.stderr


def test_review_max_clusters_keeps_its_old_name(runner: CliRunner) -> None:
    [review] = [cmd for name, cmd in _commands() if name == "review"]
    [option] = [p for p in review.params if p.name == "max_clusters"]  # type: ignore[attr-defined]
    assert option.opts == ["--max-clusters", "--clusters"]
    help_text = runner.invoke(main, ["review", "--help"]).stdout
    options = [line.split()[0] for line in help_text.splitlines() if line.startswith("  -")]
    assert "--max-clusters" in options and "--clusters" not in options


def test_same_option_same_name_help_and_default_everywhere() -> None:
    """--text-field, --id-field, --format, --on-error, --workers: one definition each."""
    import click

    seen: dict[str, set[tuple[object, ...]]] = {}
    for name, cmd in _commands():
        for p in cmd.params:  # type: ignore[attr-defined]
            if isinstance(p, click.Option) and p.opts[0] in (
                "--format",
                "--on-error",
                "--workers",
                "--text-field",
            ):
                choices = getattr(p.type, "choices", None)
                seen.setdefault(p.opts[0], set()).add((p.default, tuple(choices or ()), name))
    for opt, variants in seen.items():
        assert len({v[:2] for v in variants}) == 1, (opt, variants)
    assert {"--format", "--text-field"} <= set(seen)


def test_every_command_has_help_and_a_docs_section(runner: CliRunner) -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text()
    headings = set(re.findall(r"^## `textdedup ([a-z ]+)`", docs, re.MULTILINE))
    for name, cmd in _commands():
        result = runner.invoke(main, [*name.split(), "--help"])
        assert result.exit_code == 0, name
        assert cmd.help and cmd.get_short_help_str().strip(), name  # type: ignore[attr-defined]
        assert name in headings, f"docs/cli.md has no section '## `textdedup {name}`'"


# -- a thin CLI: find is a call of pipeline.find_clusters ---------------------------------


def test_find_writes_what_find_clusters_returns(runner: CliRunner, tmp_path: Path) -> None:
    from textdedup.config import DedupConfig
    from textdedup.pipeline import find_clusters

    base = " ".join(f"word{i}" for i in range(60))
    docs = [
        {"id": "a", "text": base},
        {"id": "b", "text": "unrelated text about something else entirely " * 3},
        {"id": "c", "text": base.replace("word7 ", "word7 extra ")},
        {"id": "d", "text": base},
    ]
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs))
    result = runner.invoke(main, ["find", str(corpus), "--shingle", "word", "-q"])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows == list(find_clusters(docs, config=DedupConfig()))
    [cluster] = rows
    assert (cluster["kept"], cluster["size"]) == ("a", 3)
    assert [(m["id"], m["kept"]) for m in cluster["members"]] == [
        ("a", True),
        ("c", False),
        ("d", False),
    ]
    assert cluster["members"][2]["score"] == 1.0


def test_find_clusters_rows_for_paragraph_units() -> None:
    from textdedup.config import DedupConfig
    from textdedup.pipeline import find_clusters

    para = "A paragraph that two documents share, long enough to be a block of its own."
    docs = [f"First document opens.\n\n{para}", f"Second document opens here.\n\n{para}"]
    rows = list(find_clusters(docs, config=DedupConfig(level="paragraph")))
    [row] = rows
    assert row["id"] == "1" and row["kept"] is True
    [block] = row["removed_blocks"]
    assert docs[1][block["start"] : block["end"]] == para
    assert block["duplicate_of"] == "0" and block["reason"] == "exact"


def test_dedup_to_output_commits_the_index_only_after_the_output(tmp_path: Path) -> None:
    from textdedup.config import DedupConfig
    from textdedup.errors import InputError
    from textdedup.index import Index
    from textdedup.pipeline import dedup_to_output
    from textdedup.records import Record, RecordWriter

    base = " ".join(f"word{i}" for i in range(40))
    out, index_path = tmp_path / "kept.jsonl", str(tmp_path / "i.sqlite")
    out.write_text("the previous output\n")
    config = DedupConfig(shingle="word")

    def records(fail: bool) -> Any:
        yield Record(id="a", text=base, path="in.jsonl", line=1)
        yield Record(
            id="b", text="a text of its own, unlike the first one at all", path="in", line=2
        )
        if fail:
            raise InputError("broken record", path="in.jsonl", line=3)
        yield Record(id="c", text=base, path="in.jsonl", line=3)

    with pytest.raises(InputError, match="broken record"):
        dedup_to_output(records(True), RecordWriter(str(out)), config=config, index_path=index_path)
    assert out.read_text() == "the previous output\n"  # not replaced
    with Index(index_path, config) as index:
        assert len(index) == 0  # nothing committed
    removals = tmp_path / "removals.jsonl"
    added = dedup_to_output(
        records(False),
        RecordWriter(str(out)),
        config=config,
        index_path=index_path,
        removals_path=str(removals),
    )
    assert added == 2
    with Index(index_path, config) as index:
        assert len(index) == 2
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b"]
    [removal] = [json.loads(line) for line in removals.read_text().splitlines()]
    assert (removal["id"], removal["duplicate_of"], removal["reason"]) == ("c", "a", "exact")
