"""clean --check and --diff: every change, with its reason, and a unified diff."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup import clean
from textdedup.changes import changes, unified_diff
from textdedup.cli import main

FIXTURE = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "doubled_article.txt"
LONG = "A paragraph that is long enough to count as a block of its own."


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_check_lists_each_kind_of_change(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_bytes(f"Title  \r\n{LONG}\r\n{LONG}\r\nzero\u200bwidth here\r\n\r\n\r\n\r\n".encode())
    result = runner.invoke(main, ["clean", str(doc), "--check"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{doc}: removed 1 (1 exact), {len(LONG)} characters",
        "  lines 3: exact duplicate of lines 2 (score 1.000)",
        "  line-endings: line endings changed to LF (7 CRLF)",
        "  whitespace: line 1: whitespace changed",
        "  invisible: line 4: invisible characters removed (U+200B ZERO WIDTH SPACE)",
        "  layout: line 4: 3 blank lines removed",
    ]


def test_check_fails_on_whitespace_alone(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("nothing repeats here   \n")
    result = runner.invoke(main, ["clean", str(doc), "--check"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == ["  whitespace: line 1: whitespace changed"]
    doc.write_text("nothing repeats here\n")
    result = runner.invoke(main, ["clean", str(doc), "--check"])
    assert result.exit_code == 0
    assert result.stderr == f"{doc}: nothing to remove (1 line blocks)\n"


def test_diff_prints_a_unified_diff_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_bytes(FIXTURE.read_bytes())
    result = runner.invoke(main, ["clean", str(doc), "--diff", "-q"])
    assert result.exit_code == 0
    text = FIXTURE.read_text()
    cleaned = clean(text).text
    expected = "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True),
            cleaned.splitlines(keepends=True),
            fromfile=f"a/{doc}",
            tofile=f"b/{doc}",
        )
    )
    assert result.stdout == expected
    assert result.stdout.startswith(f"--- a/{doc}\n+++ b/{doc}\n@@ -8,")
    assert doc.read_bytes() == FIXTURE.read_bytes()
    # Applying the diff's lines gives the cleaned text: every - line is gone, + added.
    removed = [ln[1:] for ln in result.stdout.splitlines()[2:] if ln.startswith("-")]
    assert FIXTURE.read_text().splitlines()[10] in removed
    # --diff with --check: the same diff, and exit 1.
    both = runner.invoke(main, ["clean", str(doc), "--diff", "--check", "-q"])
    assert (both.exit_code, both.stdout) == (1, expected)


def test_diff_of_an_unchanged_text_is_empty(runner: CliRunner) -> None:
    result = runner.invoke(main, ["clean", "--diff", "-q", "-"], input="only once\n")
    assert (result.exit_code, result.stdout) == (0, "")


def test_diff_refuses_output_options(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("x\n")
    result = runner.invoke(main, ["clean", str(doc), "--diff", "--in-place"])
    assert result.exit_code == 2
    assert "--diff prints to stdout; it cannot be used with --in-place or -o" in result.stderr


def test_unified_diff_marks_a_missing_final_newline() -> None:
    assert unified_diff("a\nb", "a\n", name="x").splitlines()[-2:] == [
        "-b",
        "\\ No newline at end of file",
    ]


texts = st.lists(
    st.sampled_from(
        [LONG, "short", "", "  ", "tab\there ", "zero\u200bwidth", "x" * 40, LONG + "  "]
    ),
    max_size=8,
).map("\n".join)


@settings(max_examples=40, deadline=None)
@given(texts, st.booleans())
def test_no_change_exactly_when_text_is_unchanged(text: str, crlf: bool) -> None:
    if crlf:
        text = text.replace("\n", "\r\n")
    result = clean(text)
    found = changes(text, result)
    assert (found == []) == (result.text == text)
    assert sum(c.kind == "removal" for c in found) == len(result.removals)
