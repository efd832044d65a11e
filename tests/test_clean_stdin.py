"""``clean`` on stdin: one text, unless it is JSONL records (refused without --format)."""

from __future__ import annotations

import gzip
import json

from click.testing import CliRunner

from textdedup.cli import main

BODY = (
    "The council approved the budget on Tuesday after a long debate about road repairs. "
    "Members agreed to revisit the library funding in the spring session next year."
)
RECORDS = [{"id": "a", "text": f"Title\n\n{BODY} {BODY}\n"}, {"id": "b", "text": "short"}]
JSONL = "".join(json.dumps(r) + "\n" for r in RECORDS)


def test_jsonl_on_stdin_is_refused_not_cut() -> None:
    result = CliRunner().invoke(main, ["clean"], input=JSONL)
    assert result.exit_code == 1
    assert "<stdin>, line 1: stdin looks like JSONL records" in result.stderr
    assert "--format jsonl" in result.stderr and result.stdout == ""


def test_jsonl_on_stdin_with_format_jsonl_cleans_each_record() -> None:
    result = CliRunner().invoke(main, ["clean", "--format", "jsonl", "-q"], input=JSONL)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in out] == ["a", "b"]
    assert out[0]["text"] == f"Title\n\n{BODY}\n" and out[1]["text"] == "short"


def test_compressed_stdin_says_how() -> None:
    data = gzip.compress(JSONL.encode())
    result = CliRunner().invoke(main, ["clean"], input=data)
    assert result.exit_code == 1 and "pass --format jsonl" in result.stderr
    ok = CliRunner().invoke(main, ["clean", "--format", "jsonl", "-q"], input=data)
    assert ok.exit_code == 0 and json.loads(ok.stdout.splitlines()[0])["text"].count(BODY) == 1


def test_plain_text_and_text_format_are_one_document() -> None:
    text = "{not json} but text\n\nA paragraph.\n"
    result = CliRunner().invoke(main, ["clean", "-q"], input=text)
    assert result.exit_code == 0 and result.stdout == text
    # --format text: the user asked for one document; it is cleaned as one.
    forced = CliRunner().invoke(main, ["clean", "--format", "text", "-q"], input=JSONL)
    assert forced.exit_code == 0 and forced.stdout.startswith('{"id": "a"')
