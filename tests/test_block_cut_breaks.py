"""A removed line or paragraph takes the weaker separator with it: paragraph breaks stay."""

from __future__ import annotations

import pytest

from textdedup import DedupConfig, dedup_records

SHARED = "The shared line that appears in both records of this corpus."
FIRST = "First paragraph, first line, unique to record two here."
SECOND = "Second paragraph starts here with its own unique line."
THIRD = "And the second paragraph goes on with another line."


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # The line before a blank line: the break stays (was: the paragraphs merged).
        (f"{FIRST}\n{SHARED}\n\n{SECOND}\n{THIRD}", f"{FIRST}\n\n{SECOND}\n{THIRD}"),
        # Inside a paragraph: no blank line appears.
        (f"{FIRST}\n{SHARED}\n{SECOND}\n\n{THIRD}", f"{FIRST}\n{SECOND}\n\n{THIRD}"),
        # After a blank line, at the start of a paragraph.
        (f"{FIRST}\n\n{SHARED}\n{SECOND}\n{THIRD}", f"{FIRST}\n\n{SECOND}\n{THIRD}"),
        # First and last lines.
        (f"{SHARED}\n\n{SECOND}\n{THIRD}\n", f"{SECOND}\n{THIRD}\n"),
        (f"{SECOND}\n{THIRD}\n\n{SHARED}\n", f"{SECOND}\n{THIRD}\n"),
    ],
)
def test_a_removed_line_keeps_the_paragraph_breaks(text: str, want: str) -> None:
    records = [
        {"id": "r1", "text": f"{SHARED}\nAnother line only in the first record, long enough."},
        {"id": "r2", "text": text},
    ]
    out = list(dedup_records(records, config=DedupConfig(level="line")))
    assert out[1].kept and [b["duplicate_of"] for b in out[1].removed_blocks] == ["r1"]
    assert out[1].text == want
