"""Tests for reflow: hard-wrapped prose is joined, everything else is left as written."""

from __future__ import annotations

import itertools
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from textdedup.reflow import is_hard_wrapped, reflow

PROSE = (
    "The council has approved a plan to repair the old harbour wall, which was damaged in "
    "the storms last winter, and the work is expected to take most of the spring and part "
    "of the summer. Fishing boats will use the north quay while the work goes on, and the "
    "harbour master has asked visitors to keep away from the south pier until it is safe "
    "again. The cost of the repairs will be shared between the council and the fishing "
    "association, which has raised part of the money from its members over the last two "
    "years through a levy on every landed catch."
)

POEM = """\
Shall I compare thee to a summer's day?
Thou art more lovely and more temperate:
Rough winds do shake the darling buds of May,
And summer's lease hath all too short a date;
Sometime too hot the eye of heaven shines,
And often is his gold complexion dimm'd;
"""

FREE_VERSE = """\
so much depends
upon

a red wheel
barrow

glazed with rain
water
"""

CODE = """\
def reflow(text: str) -> Reflowed:
    pieces = []
    for line in text.splitlines():
        if not line.strip():
            continue
        pieces.append(line.strip() + " " + other_function_with_a_long_name(line))
    return Reflowed(" ".join(pieces), offsets=None, joined=0)
"""

LIST = """\
- apples from the market on the corner of the street where we used to live
- pears that were picked too early in the season and never quite ripened
- a loaf of bread from the bakery that opened last year near the station
- milk, eggs and butter for the cake that we promised to bake for Sunday
"""

TABLE = """\
| city      | population | area km2 | founded in the year of our lord |
|-----------|------------|----------|---------------------------------|
| Harbour   | 12000      | 45       | 1204 by the monks of the abbey  |
| Northquay | 3400       | 12       | 1560 after the great storm came |
"""


def test_wrapped_prose_is_joined_at_every_width() -> None:
    for width in (50, 72, 80, 120, 180):
        wrapped = textwrap.fill(PROSE, width) + "\n"
        r = reflow(wrapped)
        assert r.text == PROSE + "\n", width
        assert r.joined == wrapped.count("\n") - 1


def test_wrapped_prose_detected() -> None:
    assert is_hard_wrapped(textwrap.wrap(PROSE, 70))


def test_poetry_code_lists_tables_are_not_reflowed() -> None:
    for text in (POEM, FREE_VERSE, CODE, LIST, TABLE):
        r = reflow(text)
        assert r.joined == 0, text
        assert r.text == text
        assert r.offsets.tolist() == list(range(len(text) + 1))


def test_own_poem_and_ragged_lines_are_not_reflowed() -> None:
    poem = (
        "The sea was grey and the harbour still,\n"
        "No boat went out beyond the hill;\n"
        "The gulls were quiet on the wall,\n"
        "And nobody came down at all.\n"
    )
    assert reflow(poem).joined == 0
    # A line per sentence, lengths all over the place: not wrapped by a filler.
    ragged = "One short sentence here.\nA much longer second sentence that goes on.\nEnd.\n"
    assert reflow(ragged).joined == 0


def test_capitalized_prose_and_formulas_are_still_prose() -> None:
    german = (
        "Der Rat hat einen Plan zur Reparatur der alten Hafenmauer genehmigt, die im letzten "
        "Winter durch die Stürme beschädigt wurde, und die Arbeiten sollen den größten Teil des "
        "Frühlings dauern. Die Fischerboote nutzen den Nordkai, solange die Arbeiten an der "
        "Mauer andauern, und der Hafenmeister bittet die Besucher, dem Südpier fernzubleiben."
    )
    assert reflow(textwrap.fill(german, 60)).text == german
    formula = PROSE.replace("Fishing boats", "By Bayes, P(A|B) = P(B|A) P(A) / P(B) and boats")
    assert reflow(textwrap.fill(formula, 70)).text == formula
    # One line that happens to start with "(a)" does not make a list.
    lines = textwrap.wrap(PROSE, 70)
    lines[3] = "(a) " + lines[3]
    assert reflow("\n".join(lines)).text == " ".join(lines)


def test_paragraph_breaks_and_headings_are_kept() -> None:
    para2 = textwrap.fill(PROSE.replace("harbour", "river"), 80)
    text = "Harbour repairs to start in May\n" + textwrap.fill(PROSE, 80) + "\n" + para2 + "\n"
    r = reflow(text)
    lines = r.text.splitlines()
    assert lines == ["Harbour repairs to start in May", PROSE, PROSE.replace("harbour", "river")]


def test_blank_line_paragraphs_reflowed_separately() -> None:
    text = textwrap.fill(PROSE, 60) + "\n\n" + POEM
    r = reflow(text)
    assert r.text == PROSE + "\n\n" + POEM


def test_offsets_map_back_exactly() -> None:
    text = "  " + textwrap.fill(PROSE, 66).replace("\n", "  \n   ") + "\n"
    r = reflow(text)
    assert r.joined > 0
    assert len(r.offsets) == len(r.text) + 1
    assert r.offsets[-1] == len(text)
    for i, ch in enumerate(r.text):
        src = text[r.offsets[i]]
        assert src == ch or (ch == " " and src.isspace())
    start = r.text.index("Fishing boats")
    a, b = r.span(start, start + len("Fishing boats"))
    assert text[a:b] == "Fishing boats"


def test_bad_input() -> None:
    import pytest

    with pytest.raises(TypeError, match="expected str"):
        reflow(b"bytes")  # type: ignore[arg-type]
    assert reflow("").text == ""
    assert reflow("").offsets.tolist() == [0]


WORD = st.sampled_from(
    ["the", "harbour", "wall,", "storm.", "boats", "a", "council", "Quay", "日本", "работа", "x;"]
)


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(WORD, min_size=1, max_size=120),
    width=st.integers(30, 120),
    blank=st.booleans(),
    indent=st.sampled_from(["", " ", "\t"]),
)
def test_offset_round_trip(words: list[str], width: int, blank: bool, indent: str) -> None:
    body = textwrap.fill(" ".join(words), width, subsequent_indent=indent)
    text = body + ("\n\n" + body if blank else "") + "\n"
    r = reflow(text)
    assert r.offsets.size == len(r.text) + 1
    assert np_monotonic(r.offsets.tolist())
    # Every reflowed character stands for the same character, or a joined break for
    # whitespace; nothing but whitespace between mapped characters is dropped.
    for i, ch in enumerate(r.text):
        src = text[r.offsets[i]]
        assert src == ch or (ch == " " and src.isspace())
    for i in range(len(r.text)):
        gap = text[r.offsets[i] + 1 : r.offsets[i + 1]]
        assert gap.strip() == ""
    assert " ".join(r.text.split()) == " ".join(text.split())
    # Any span maps to the same words in the original.
    for a in range(0, len(r.text), 7):
        b = min(len(r.text), a + 23)
        s, e = r.span(a, b)
        assert " ".join(text[s:e].split()) == " ".join(r.text[a:b].split())
    # Reflowing twice changes nothing more.
    assert reflow(r.text).text == r.text


def np_monotonic(values: list[int]) -> bool:
    return all(x < y for x, y in itertools.pairwise(values))
