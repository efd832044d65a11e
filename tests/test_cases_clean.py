"""The clean cases of ../shared/cases: each asserts the right result from its expected.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from textdedup import CleanResult, clean, normalize

from .conftest import SHARED

CASES = SHARED / "cases"


def run(case: str, name: str) -> tuple[str, CleanResult]:
    text = (CASES / case / name).read_text(encoding="utf-8")
    return text, clean(text)


def lines(result: CleanResult) -> list[str]:
    return [r.removed.lines() for r in result.removals]


def test_01_song_refrain_is_kept_and_reported() -> None:
    text, result = run("01-song-refrain", "song.txt")
    assert result.text == text
    assert result.removals == ()
    # Both later refrains are found, reported as isolated repeats, and kept.
    assert [r.removed.lines() for r in result.isolated] == ["12-13", "18-19"]
    assert all(r.kind == "exact" and r.score == 1.0 for r in result.isolated)


def test_03_numbered_records_are_all_kept() -> None:
    text, result = run("03-numbered-records-list", "routes.txt")
    assert result.text == text
    assert result.removals == () and result.isolated == ()


def test_05_subtitle_line_spoken_again_is_kept() -> None:
    text, result = run("05-subtitle-repeated-line", "episode.srt")
    # Cue 216 (lines 21-23) has its own number and time: it stays. Cue 214 repeats
    # cue 213's text and time but not its number: keeping it is acceptable.
    assert "216\n00:12:41,480 --> 00:12:43,020\nWhere were you last night?" in result.text
    assert all(r.removed.line_start != 21 for r in result.removals)
    assert result.text == text


def test_06_code_lines_differing_in_punctuation_are_kept() -> None:
    text, result = run("06-code-punctuation-keys", "settings.py")
    assert result.text == text
    assert result.removals == () and result.isolated == ()


def test_08_quotation_inside_a_sentence_is_kept() -> None:
    text, result = run("08-inline-quotation-cut", "thread.txt")
    assert result.text == text
    assert result.removals == ()
    assert 'heavy bag" - but I would skip the bags' in result.text


def test_09_html_copy_goes_with_its_tags() -> None:
    text, result = run("09-html-copy-leftover-tags", "page.txt")
    [removal] = result.removals
    assert removal.removed.lines() == "13-16"
    assert removal.kept.lines() == "3-9"
    assert removal.markup == ("<p>", "</p>")
    assert "markup" in removal.reason
    assert 0.9 <= removal.score < 1.0  # lightly edited copy: near, not exact
    assert "<p>" not in result.text and "</p>" not in result.text
    assert result.text.endswith("Read more:\n\nShare this article\n")
    assert result.text == "\n".join([*text.splitlines()[:11], "", "Share this article"]) + "\n"


def test_11_rewrapped_short_copy_is_one_run() -> None:
    text, result = run("11-rewrapped-short-copy", "article.txt")
    [removal] = result.removals
    assert removal.kind == "repeated-run"
    assert (removal.removed.lines(), removal.kept.lines()) == ("5-7", "2-4")
    assert removal.score == 1.0  # identical after whitespace normalization
    assert result.text == "\n".join(text.splitlines()[:4]) + "\n"


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for p in CASES.glob("*/*")
        if p.parent.name[:2] in {"01", "03", "05", "06", "08", "09", "11"}
        and p.name not in {"cmd", "expected.md"}
    ),
    ids=lambda p: p.parent.name,
)
def test_cases_are_idempotent_and_never_longer(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = clean(text).text
    assert clean(once).text == once
    assert len(once) <= len(normalize(text))


def test_cli_reports_isolated_repeats_and_check_passes(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from textdedup.cli import main

    song = CASES / "01-song-refrain" / "song.txt"
    report = tmp_path / "report.json"
    result = CliRunner().invoke(main, ["clean", str(song), "--check", "--report", str(report)])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"{song}: nothing to remove (7 paragraph blocks)",
        f"{song}: kept 2 isolated repeats (structure; --isolated remove removes them)",
        "  lines 12-13: exact duplicate of lines 6-7 (score 1.000)",
        "  lines 18-19: exact duplicate of lines 12-13 (score 1.000)",
    ]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["removed"] == 0
    assert [r["removed"]["line_start"] for r in data["isolated"]] == [12, 18]

    removed = CliRunner().invoke(main, ["clean", str(song), "--isolated", "remove", "-q"])
    assert removed.exit_code == 0
    assert removed.stdout.count("Ride on, ride on, the morning train") == 1


def test_cli_check_fails_on_a_copy() -> None:
    from click.testing import CliRunner

    from textdedup.cli import main

    page = CASES / "09-html-copy-leftover-tags" / "page.txt"
    result = CliRunner().invoke(main, ["clean", str(page), "--check"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[1] == (
        "  lines 13-16: repeated span of lines 3-9 (score 0.982), "
        'differing in 1 word: "up" added, with the markup it left empty (<p> </p>)'
    )
