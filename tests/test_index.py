from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from textdedup import DedupConfig, Index
from textdedup.engine import digest
from textdedup.index import IndexError_


def test_add_is_idempotent_and_rows_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    key = "the quick brown fox jumps over the lazy dog"
    with Index(path, DedupConfig()) as index:
        assert index.add([("a", key, 43), ("b", "another text entirely here", 26)]) == 2
        assert index.add([("a", key, 43)]) == 0
        assert len(index) == 2
        [row] = index.candidates(None, [digest(key)])
        assert (row.doc_id, row.key, row.length) == ("a", key, 43)
        assert row.signature is not None and row.signature.shape == (128,)


def test_a_file_that_is_not_an_index(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes, not a database\n" * 100)
    with pytest.raises(IndexError_, match="not a textdedup index"):
        Index(path, DedupConfig())


def test_a_damaged_settings_record(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    Index(path, DedupConfig()).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '[1, 2' WHERE name = 'settings'")
    with pytest.raises(IndexError_, match="its settings record is damaged"):
        Index(path, DedupConfig())


def test_missing_index_is_not_created_when_asked_not_to(tmp_path: Path) -> None:
    with pytest.raises(IndexError_, match="no such index"):
        Index(tmp_path / "none.sqlite", DedupConfig(), create=False)
    assert not (tmp_path / "none.sqlite").exists()
