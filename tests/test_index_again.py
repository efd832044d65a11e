"""A run against an index that already holds its input says so (it removes it all)."""

from __future__ import annotations

from pathlib import Path

import pytest

import textdedup
from textdedup import DedupConfig, DedupStats
from textdedup.index import Index

TEXTS = [
    "the swimming pool on mill lane will close for two weeks in august for repairs",
    "a new bus route will link the station with the hospital from the first of june",
]


@pytest.mark.parametrize("unit", ["doc", "paragraph"])
def test_a_second_run_against_the_same_index_warns(tmp_path: Path, unit: str) -> None:
    config = DedupConfig(level=unit)
    records = [{"id": f"r{i}", "text": t} for i, t in enumerate(TEXTS)]
    with Index(tmp_path / "i.sqlite", config) as index:
        first = DedupStats()
        kept = list(
            textdedup.dedup_records(
                records,
                index=index,
                config=config,
                stats=first,
                on_kept=lambda i, k, n: index.add([(i, k, n)]),
            )
        )
        assert [d.kept for d in kept] == [True, True]
        assert first.warnings == []
        again = DedupStats()
        second = list(textdedup.dedup_records(records, index=index, config=config, stats=again))
        assert [d.kept for d in second] == [False, False]  # the greedy rule: the index keeps
        assert any(
            "2 of 2 items were removed as copies of indexed items with the same id" in w
            for w in again.warnings
        )
        # Other records that match the index (other ids) are ordinary removals: no warning.
        other = DedupStats()
        moved = [{"id": f"s{i}", "text": t} for i, t in enumerate(TEXTS)]
        assert not any(
            d.kept for d in textdedup.dedup_records(moved, index=index, config=config, stats=other)
        )
        assert other.warnings == []
