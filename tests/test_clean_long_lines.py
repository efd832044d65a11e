"""Reads bounded to the characters near a position agree with reads of the whole line.

``clean`` once read a span's or a stop's whole line per call (a search from the line's
start, a count of its quotation marks): on a text written on one line (a scraped page, a
JSON string) that was quadratic (a 2 MB line took 112 s of CPU). The bounded reads must
give what the whole-line reads gave; each test below holds the whole-line form as the
reference and compares on random lines, with the edge cases (long indentation, a list
number after many spaces, a quotation opened far back on the line) drawn on purpose.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import regex

from textdedup.clean import (
    _ABBREVIATION_BEFORE,
    _DOTTED_BEFORE,
    _LIST_NUMBER,
    _LONG_LINE,
    _LOWER_WORD_AFTER,
    _STOP,
    _STOP_SPACED,
    _UNSPACED_LETTER,
    _Cleaner,
    _open_brackets,
    _open_quotes,
    _stops,
)
from textdedup.config import CleanConfig

_PIECES = (
    "The council met. ",
    "Dr. Okafor spoke at 7 a.m. until noon. ",
    "She said \u201cthe bags ",
    "were late\u201d and left. ",
    '"quoted ',
    'words" here. ',
    "(see the report: ",
    "page 4) and more. ",
    "  12. ",
    " " * 70,
    "e.g. a map. ",
    "U.S. team won. ",
    "\n",
    "\n  3. Item three. ",
    "wörter über alles. ",
)


def _stops_whole_line(src: str, start: int, end: int) -> Iterator[regex.Match[str]]:
    """The stops as found by reading each stop's line from its start (the reference)."""
    unspaced = not src.isascii() and _UNSPACED_LETTER.search(src, max(start - 1, 0), end)
    for m in (_STOP if unspaced else _STOP_SPACED).finditer(src, start, end):
        line = src.rfind("\n", 0, m.start()) + 1
        if m.group() == "." and _LIST_NUMBER.fullmatch(src, line, m.start()):
            continue
        if m.start() == line or (src[m.start() - 1] in " \t" and not src[line : m.start()].strip()):
            continue
        if m.group()[:1] == "." and _ABBREVIATION_BEFORE.search(src, line, m.start()):
            continue
        if (
            m.group() == "."
            and _LOWER_WORD_AFTER.match(src, m.end())
            and _DOTTED_BEFORE.search(src, line, m.start())
        ):
            continue
        yield m


def _random_text(rng: random.Random, pieces: int) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(pieces))


def test_stops_read_near_the_stop_agree_with_the_whole_line() -> None:
    rng = random.Random(7)
    for _ in range(300):
        src = _random_text(rng, rng.randrange(1, 60))
        start = rng.randrange(0, len(src))
        got = [m.span() for m in _stops(src, start, len(src))]
        want = [m.span() for m in _stops_whole_line(src, start, len(src))]
        assert got == want, src


def test_a_list_number_after_long_indentation_still_opens_its_line() -> None:
    src = "Intro text here.\n" + " " * 90 + "12. The twelfth item.\n"
    stops = [src[m.start() : m.end()] for m in _stops(src, 0, len(src))]
    assert len(stops) == 2  # "here." and "item."; not the "." of "12."


def _quoted_whole_line(cleaner: _Cleaner, start: int, end: int) -> bool:
    src = cleaner.source
    if cleaner._quoted(start):
        return True
    before = src[src.rfind("\n", 0, start) + 1 : start]
    inside = src[start:end]
    return bool(
        _open_quotes(before)
        or _open_quotes(inside)
        or _open_brackets(before) > 0
        or _open_brackets(inside)
    )


def test_quotation_marks_counted_from_where_they_stand_agree_on_long_lines() -> None:
    rng = random.Random(11)
    checked_long = 0
    for _ in range(40):
        src = _random_text(rng, 400).replace("\n", " ")  # one line, ~10k characters
        cleaner = _Cleaner(src, CleanConfig(), repeats=[])
        for _ in range(25):
            start = rng.randrange(0, len(src) - 10)
            end = min(len(src), start + rng.randrange(1, 300))
            checked_long += start > _LONG_LINE
            assert cleaner._quoted_span(start, end) == _quoted_whole_line(cleaner, start, end)
    assert checked_long > 100  # the long-line path ran


def test_own_text_read_from_the_start_agrees_with_removing_the_tags() -> None:
    from textdedup.clean import _CONTENT, _TAG, _has_own_text

    rng = random.Random(5)
    parts = ("<p>", "</p>", "<br>", " ", "<b>", "x", "7", "<a href='u'>", "<", ">", ".", "\n")
    for _ in range(2000):
        src = "".join(rng.choice(parts) for _ in range(rng.randrange(0, 30)))
        a = rng.randrange(0, len(src) + 1)
        b = rng.randrange(a, len(src) + 1)
        want = _CONTENT.search(_TAG.sub("", src[a:b])) is not None
        assert _has_own_text(src, a, b) == want, (src, a, b)


def test_tail_closers_tried_only_before_a_closer_agree_with_the_search() -> None:
    from textdedup.clean import _TAIL_CLOSERS, _tail_closers

    rng = random.Random(9)
    parts = ("</p>", "[/b]", "[/COLOR]", " ", "\t", "\n", "x.", "<b>", ">", "]", "</td >")
    for _ in range(3000):
        src = "".join(rng.choice(parts) for _ in range(rng.randrange(0, 12)))
        a = rng.randrange(0, len(src) + 1)
        b = rng.randrange(a, len(src) + 1)
        want = _TAIL_CLOSERS.search(src, a, b)
        got = _tail_closers(src, a, b)
        assert (got and got.span()) == (want and want.span()), (src, a, b)
