"""Paragraph and line units remove blocks of earlier records, never a record's own structure."""

from __future__ import annotations

import pytest

from textdedup.pipeline import DedupConfig, DedupStats, dedup_records

CHORUS = "Chorus: we sing along, we sing along, all night long under the stars."
SONG = "\n\n".join(
    [
        "Verse one line here about the road and the rain falling down.",
        CHORUS,
        "Verse two about the river and the hills we used to climb.",
        CHORUS,
        "Verse three about the end of summer and the long way home.",
        CHORUS,
    ]
)
FAQ = "\n".join(
    [
        "Q: Can I return a gift I received from someone else?",
        "A: Yes, within thirty days of delivery, with the original receipt attached.",
        "Q: Can I return an item I bought in the sale last week?",
        "A: Yes, within thirty days of delivery, with the original receipt attached.",
    ]
)


@pytest.mark.parametrize(("unit", "text"), [("paragraph", SONG), ("line", FAQ)])
def test_a_records_own_repeats_are_kept(unit: str, text: str) -> None:
    stats = DedupStats()
    records = [{"id": "r", "text": text}]
    [out] = list(dedup_records(records, config=DedupConfig(level=unit), stats=stats))  # type: ignore[arg-type]
    assert out.kept and out.text == text and out.removed_blocks == ()
    assert stats.removed_items == 0 and "corpus-block" not in stats.reasons


def test_the_same_block_in_a_later_record_still_goes() -> None:
    later = CHORUS + "\n\nA new paragraph that is unique to this record and nothing else at all."
    records = [{"id": "song", "text": SONG}, {"id": "other", "text": later}]
    stats = DedupStats()
    song, other = list(dedup_records(records, config=DedupConfig(level="paragraph"), stats=stats))
    assert song.text == SONG and song.removed_blocks == ()
    assert other.text == "A new paragraph that is unique to this record and nothing else at all."
    [block] = other.removed_blocks
    assert (block["start"], block["end"], block["duplicate_of"]) == (0, len(CHORUS), "song")
    # It names the first chorus of the song, as written there.
    kept = block["kept"]
    assert SONG[kept["start"] : kept["end"]] == CHORUS and kept["start"] == SONG.index(CHORUS)
    assert stats.reasons["corpus-block"] == 1 and stats.removed_items == 1
