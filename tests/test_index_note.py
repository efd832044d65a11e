"""A new index says which shingles ``--shingle auto`` (the default) became."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from textdedup.cli import main


def test_new_index_names_its_shingles_once(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "a short text of a few words"}) + "\n")
    index = tmp_path / "i.sqlite"
    args = ["dedup", str(src), "--index", str(index)]
    first = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "o1.jsonl")])
    assert first.exit_code == 0, first.output
    assert f"note: shingles: word 5-grams for the new index {index}" in first.stderr
    assert "--shingle char --ngram 3" in first.stderr
    # The index exists now: its settings are used, and nothing new is said.
    second = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "o2.jsonl")])
    assert second.exit_code == 0 and "note: shingles" not in second.stderr
    quiet = CliRunner().invoke(
        main,
        [*args[:2], "--index", str(tmp_path / "j.sqlite"), "-o", str(tmp_path / "o3.jsonl"), "-q"],
    )
    assert quiet.exit_code == 0 and quiet.stderr == ""
