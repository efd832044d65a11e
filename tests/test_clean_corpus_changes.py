"""A corpus ``clean --check`` / ``--report`` says which records change and why."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from textdedup.cli import main

BODY = (
    "The council approved the budget on Tuesday after a long debate about road repairs. "
    "Members agreed to revisit the library funding in the spring session next year."
)
RECORDS = [
    {"id": "ws", "text": "A line with a zero\u200bwidth space.\n\n\n\n\nEnd.   \n"},
    {"id": "same", "text": "Nothing to change here.\n"},
    {"id": "doubled", "text": f"Title\n\n{BODY}\n\n{BODY}\n"},
]


def _corpus(tmp_path: Path) -> Path:
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def test_check_names_each_changed_record_and_its_kinds(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["clean", str(_corpus(tmp_path)), "--check"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "  ws: invisible, whitespace, layout" in lines
    assert any(line.startswith("  doubled: exact") for line in lines)
    assert not any("same" in line for line in lines)
    assert lines[-1].startswith("--check: 2 of 3 records would change (records by kind")
    assert "exact: 1, invisible: 1" in lines[-1]


def test_report_lists_changes_besides_removals(tmp_path: Path) -> None:
    report = tmp_path / "r.jsonl"
    args = [
        "clean",
        str(_corpus(tmp_path)),
        "--report",
        str(report),
        "-o",
        str(tmp_path / "o.jsonl"),
    ]
    assert CliRunner().invoke(main, [*args, "-q"]).exit_code == 0
    rows = {r["id"]: r for r in map(json.loads, report.read_text().splitlines())}
    ws = rows["ws"]["changes"]
    assert {k: ws[0][k] for k in ("kind", "line")} == {"kind": "invisible", "line": 1}
    assert "U+200B ZERO WIDTH SPACE" in ws[0]["detail"]
    assert {c["kind"] for c in ws} == {"invisible", "whitespace", "layout"}
    assert rows["same"]["changes"] == [] and rows["same"]["changed"] is False
    # The removal is in "removals"; "changes" holds what else changes (nothing here).
    assert rows["doubled"]["removed"] == 1
    assert all(c["kind"] != "removal" for c in rows["doubled"]["changes"])


def test_output_format_names_the_format_of_an_output_without_suffix(tmp_path: Path) -> None:
    out = tmp_path / "cleaned"
    args = ["clean", str(_corpus(tmp_path)), "-o", str(out), "-q"]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2 and "give --output-format" in refused.stderr
    done = CliRunner().invoke(main, [*args, "--output-format", "jsonl"])
    assert done.exit_code == 0, done.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == [
        "ws",
        "same",
        "doubled",
    ]
    one = tmp_path / "one.txt"
    one.write_text("A text.\n")
    text = CliRunner().invoke(main, ["clean", str(one), "--output-format", "jsonl"])
    assert text.exit_code == 2 and "--output-format is for records" in text.stderr
