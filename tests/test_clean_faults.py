"""Faults of ``clean`` found on held-out seeds of ``benchmarks/clean_quality.py``, by kind.

Each test asserts the right result on the input the benchmark showed and on inputs of
our own of the same kind:

* a copy pasted after a song's last refrain, that reads as "R v3 R v4" twice;
* a block stuttered inside a near copy (``A B E C D ... A B E E C D``) and a refrain
  sung twice in a row after other refrains;
* a stutter cut inside a line (a copy found one word late);
* punctuation of the writer's own after a glued copy (``BODY BODY!!``);
* a clause a contract repeats three times, and short Russian copies.
"""

from __future__ import annotations

import pytest

from textdedup import clean

# -- a copy pasted after a song's last refrain --------------------------------------------

REFRAIN = (
    "Ride on, ride on, the river is calling me,\nride on, ride on, across the hills and to the sea."
)
VERSES = [
    "I kept a distant winter in a distant station,\nwe dreamed together until the lights went out.",
    "the lantern was quiet and the station was cold,\nand when the night was long I whispered alone.",
    "you listened beside me by the gentle ocean,\nand every shadow I passed had a story to be told.",
    "I danced along the empty letter all the summer through,\nthey sang through the river until the lights went out.",
]


def _song(blocks: list[str], sep: str) -> str:
    return sep.join(["Narrow Window", *blocks]) + "\n"


@pytest.mark.parametrize("sep", ["\n\n", "\n"], ids=["stanzas", "lines"])
def test_a_copy_pasted_after_the_last_refrain_keeps_that_refrain(sep: str) -> None:
    # v1 R v2 R v3 R v4 R, then "v3 R v4" pasted at the end: the tail reads as
    # "R v3 R v4" twice, and cutting that took the song's last R (seed 2, docs 419, 469).
    v = VERSES
    song = [v[0], REFRAIN, v[1], REFRAIN, v[2], REFRAIN, v[3], REFRAIN]
    pasted = [v[2], REFRAIN, v[3]]
    text = _song(song + pasted, sep)
    result = clean(text)
    assert result.text == _song(song, sep)
    [removal] = result.removals
    assert removal.kind == "repeated-run" and removal.score == 1.0
    assert text[removal.removed.start : removal.removed.end] == sep.join(pasted)
    assert text[removal.kept.start : removal.kept.end] == sep.join(pasted)


def test_a_poem_with_a_refrain_line_keeps_its_last_refrain() -> None:
    # Our own: a poem without blank lines, a one-line refrain X after every stanza,
    # the last two stanzas and the X between them pasted at the end.
    x = "Sing it low and sing it slow,"
    stanzas = [
        "I whispered along the endless window when the night was long,\n"
        "and every shadow I passed had a story to be told.",
        "with nothing in my pockets but a broken mountain,\n"
        "with nothing in my pockets but a faded lantern.",
        "you dreamed beside me by the silver lantern,\n"
        "they travelled through the winter all the summer through.",
        "with nothing in my pockets but a empty station,\n"
        "the morning remembers what the morning forgot.",
    ]
    poem = "\n".join(f"{s}\n{x}" for s in stanzas)
    pasted = f"{stanzas[2]}\n{x}\n{stanzas[3]}"
    text = f"Golden Garden\n{poem}\n{pasted}\n"
    result = clean(text)
    assert result.text == f"Golden Garden\n{poem}\n"
    [removal] = result.removals
    assert text[removal.removed.start : removal.removed.end] == pasted


def test_a_stutter_that_ends_with_the_refrain_is_cut_whole() -> None:
    # "R v2 R v3" pasted right after itself, the song's own last R after it: one cut.
    v = VERSES
    song = [v[0], REFRAIN, v[1], REFRAIN, v[2]]
    text = _song([*song, *song[1:], REFRAIN], "\n\n")
    result = clean(text)
    assert result.text == _song([*song, REFRAIN], "\n\n")
    assert len(result.removals) == 1


def test_a_song_that_doubles_its_body_loses_only_the_copy() -> None:
    v = VERSES
    body = [v[0], REFRAIN, v[1], REFRAIN]
    result = clean(_song(body + body, "\n\n"))
    assert result.text == _song(body, "\n\n")


# -- a stutter inside a near copy -----------------------------------------------------------

A = "The ferry company announced new winter timetables for the island routes on Monday."
B = "Sailings to the northern isles will drop from four a day to two until the end of March."
E = "Passengers with cars are asked to book at least two days ahead of travel."
C = "The company said the change follows a fall in bookings over the last three winters."
D = "Island councils have asked for a meeting with the operator before the new year."
X = "Local shops expect fewer visitors this season."
Y = "A harbour official declined to comment on the plans."


@pytest.mark.parametrize("sep", ["\n\n", "\n"], ids=["paragraphs", "lines"])
def test_a_stutter_inside_a_copy_goes_with_the_copy(sep: str) -> None:
    # A B E C D ... A B E E C D: the copy, its stuttered E included, goes. Before, the
    # second E named the first E (its cluster's first block), was no stutter, and the
    # copy split into two short runs kept as structure.
    text = sep.join([A, B, E, C, D, X, Y, A, B, E, E, C, D]) + "\n"
    result = clean(text)
    assert result.text == sep.join([A, B, E, C, D, X, Y]) + "\n"
    stutter = [r for r in result.removals if r.kind == "exact"]
    assert len(stutter) == 1 and stutter[0].score == 1.0
    assert text[stutter[0].removed.start : stutter[0].removed.end] == E


def test_a_stutter_inside_a_near_copy_goes_with_the_copy() -> None:
    # The copy also has a typo fixed ("nothern"): a near copy, with E doubled in it.
    b_typo = B.replace("northern", "nothern")
    text = "\n\n".join([A, b_typo, E, C, D, X, Y, A, B, E, E, C, D]) + "\n"
    result = clean(text)
    assert result.text == "\n\n".join([A, b_typo, E, C, D, X, Y]) + "\n"


def test_a_refrain_sung_twice_in_a_row_is_a_stutter() -> None:
    # After other refrains, "R R" at the end: the second R named the first R of the
    # song and stayed; it repeats the R right before it.
    v = VERSES
    song = [v[0], REFRAIN, v[1], REFRAIN, v[2], REFRAIN]
    result = clean(_song([*song, REFRAIN], "\n"))
    assert result.text == _song(song, "\n")
    [removal] = result.removals
    assert removal.removed.lines() == "14-15" and removal.kept.lines() == "12-13"


def test_a_refrain_between_verses_is_still_kept() -> None:
    v = VERSES
    text = _song([v[0], REFRAIN, v[1], REFRAIN, v[2], REFRAIN], "\n\n")
    result = clean(text)
    assert result.text == text and not result.removals
