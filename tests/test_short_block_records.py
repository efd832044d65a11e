"""A record whose blocks are all under min_length is one block: its exact copy goes."""

from __future__ import annotations

import pytest

from textdedup import DedupConfig, dedup_records
from textdedup.engines.batches import record_rows


@pytest.mark.parametrize("unit", ["paragraph", "line"])
def test_a_record_of_short_blocks_is_compared_whole(unit: str) -> None:
    sep = "\n\n" if unit == "paragraph" else "\n"
    records = [
        {"id": "a", "text": f"ok{sep}thanks!"},
        {"id": "b", "text": f"ok{sep}thanks!"},  # an exact copy of a: removed (was kept)
        {"id": "c", "text": f"ok{sep}see you"},  # shares a short block only: kept
        {"id": "d", "text": f"A line that is long enough to count here.{sep}ok"},
    ]
    out = list(dedup_records(records, config=DedupConfig(level=unit)))
    assert [d.kept for d in out] == [True, False, True, True]
    assert out[1].duplicate_of == "a" and out[1].removed_blocks[0]["reason"] == "exact"
    # The same as the doc unit decides for these records.
    doc = list(dedup_records(records, config=DedupConfig(level="doc")))
    assert [d.kept for d in doc] == [d.kept for d in out]


def test_record_rows_give_the_whole_record_as_its_one_item() -> None:
    rows = record_rows("ok\nthanks!", DedupConfig(level="line"))
    assert rows.spans == [(0, 10)]
    assert [(i.block, i.key, i.start, i.end) for i in rows.items] == [(0, "ok thanks", 0, 10)]
    # A record with a block long enough keeps its blocks as they were.
    rows = record_rows("A line that is long enough to count.\nshort", DedupConfig(level="line"))
    assert [i.block for i in rows.items] == [0] and len(rows.spans) == 2
