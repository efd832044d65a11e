"""A run against an index that holds its input already keeps that input (a rerun is safe)."""

from __future__ import annotations

from pathlib import Path

import pytest

import textdedup
from textdedup import DedupConfig, DedupStats
from textdedup.index import Index

POOL = "the swimming pool on mill lane will close for two weeks in august for repairs"
BUS = "a new bus route will link the station with the hospital from the first of june"


@pytest.mark.parametrize("unit", ["doc", "paragraph"])
def test_a_second_run_against_the_same_index_says_so(tmp_path: Path, unit: str) -> None:
    config = DedupConfig(level=unit)
    records = [
        {"id": "a", "text": POOL},
        {"id": "b", "text": POOL},  # a copy of a
        {"id": "c", "text": BUS},
    ]
    with Index(tmp_path / "i.sqlite", config) as index:

        def add(item_id: str, key: str, length: int) -> None:
            index.add([(item_id, key, length)])

        first = DedupStats()
        once = list(
            textdedup.dedup_records(records, index=index, config=config, stats=first, on_kept=add)
        )
        assert [d.kept for d in once] == [True, False, True]
        assert first.warnings == []
        again = DedupStats()
        twice = list(textdedup.dedup_records(records, index=index, config=config, stats=again))
        assert [d.kept for d in twice] == [False, False, False]  # the greedy rule: the index keeps
        assert any(
            "2 of 3 items were removed as copies of indexed items with the same id and text" in w
            for w in again.warnings
        )
        # The same texts under other ids are ordinary copies of the indexed records.
        other = DedupStats()
        moved = [{"id": f"s{i}", "text": r["text"]} for i, r in enumerate(records)]
        out = list(textdedup.dedup_records(moved, index=index, config=config, stats=other))
        assert [d.kept for d in out] == [False, False, False]
        assert other.warnings == []


def test_an_interrupt_just_after_the_commit_is_the_interrupt(tmp_path: Path) -> None:
    """A Ctrl-C that lands after COMMIT returned: the add is done, and the interrupt is
    what the caller sees (was: "cannot rollback - no transaction is active")."""

    class Late:
        def __init__(self, db: object) -> None:
            self.db = db

        def execute(self, sql: str, *args: object) -> object:
            out = self.db.execute(sql, *args)  # type: ignore[attr-defined]
            if sql == "COMMIT":
                raise KeyboardInterrupt
            return out

        def __getattr__(self, name: str) -> object:
            return getattr(self.db, name)

    with Index(tmp_path / "i.sqlite", DedupConfig()) as index:
        real = index.db
        index.db = Late(real)  # type: ignore[assignment]
        with pytest.raises(KeyboardInterrupt):
            index.add([("a", POOL, len(POOL))])
        index.db = real
    with Index(tmp_path / "i.sqlite") as index:
        assert len(index) == 1  # committed


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["index", "add", "{f}", "{f}"], "INDEX_PATH"),
        (["check", "{f}", "--against", "{f}"], "--against"),
    ],
)
def test_an_index_path_that_is_an_input_is_named_as_what_it_is(
    tmp_path: Path, args: list[str], name: str
) -> None:
    from click.testing import CliRunner

    from textdedup.cli import main

    f = tmp_path / "a.jsonl"
    f.write_text('{"id": "a", "text": "one line of text"}\n')
    result = CliRunner().invoke(main, [a.format(f=f) for a in args])
    assert result.exit_code == 2
    assert f"{name} {f} is also an input; {name} names a textdedup index" in result.stderr
    assert f.read_text() == '{"id": "a", "text": "one line of text"}\n'
