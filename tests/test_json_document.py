"""A .json file that is one JSON document (an array) is named as such, never skipped line by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from textdedup.cli import main

RECORDS = [{"id": "a", "text": "hello there"}, {"id": "b", "text": "another record"}]


@pytest.mark.parametrize("indent", [2, None])
@pytest.mark.parametrize("command", ["clean", "dedup"])
def test_a_json_array_is_not_json_lines(tmp_path: Path, indent: int | None, command: str) -> None:
    src = tmp_path / "records.json"
    src.write_text(json.dumps(RECORDS, indent=indent) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    for extra in ([], ["--on-error", "skip"]):
        res = CliRunner().invoke(main, [command, str(src), "-o", str(out), *extra])
        assert res.exit_code == 1, res.output
        assert f"{src}, line 1: this is one JSON document" in res.stderr
        assert "jq -c '.[]'" in res.stderr and "--on-error skip would" not in res.stderr
        assert not out.exists()
