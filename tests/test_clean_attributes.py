"""A tag's attribute values are facts (try7 A6): two elements with the same words and another
photo, mirror, option, address or article are two elements, not a copy."""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.verify import _attribute_values, compare

_SAME_WORDS = [
    (
        '<img src="/media/kayak-front.jpg" alt="Sea kayak on the beach at low tide near the pier">',
        '<img src="/media/kayak-side.jpg" alt="Sea kayak on the beach at low tide near the pier">',
    ),
    (
        '<li><a href="https://eu.mirror.example.net/os-9.1.iso">Get the installer for 64-bit PCs '
        "(signed)</a></li>",
        '<li><a href="https://us.mirror.example.net/os-9.1.iso">Get the installer for 64-bit PCs '
        "(signed)</a></li>",
    ),
    (
        '<option value="express-ups">Express delivery to your door, tracked, signed for</option>',
        '<option value="express-dhl">Express delivery to your door, tracked, signed for</option>',
    ),
    (
        '<p><a href="mailto:graz@example.at">Write to our office for a quote on your trip</a></p>',
        '<p><a href="mailto:linz@example.at">Write to our office for a quote on your trip</a></p>',
    ),
]


@pytest.mark.parametrize(("a", "b"), _SAME_WORDS)
def test_elements_with_other_attribute_values_are_not_near_duplicates(a: str, b: str) -> None:
    assert not compare(a, b).near(0.8)
    text = f"<div>\n{a}\n{b}\n</div>\n"
    assert clean(text).text == text


@pytest.mark.parametrize(("a", "b"), _SAME_WORDS)
def test_elements_glued_on_one_line_are_kept(a: str, b: str) -> None:
    text = f"Links: {a} {b}\n"
    assert clean(text).text == text


def test_the_same_element_twice_is_still_a_copy() -> None:
    a = _SAME_WORDS[1][0]
    assert compare(a, a).exact
    text = f"<ul>\n{a}\n{a}\n</ul>\n"
    assert clean(text).text == f"<ul>\n{a}\n</ul>\n"


def test_markup_gained_or_lost_is_not_a_fact() -> None:
    plain = "The harbour office opens at eight and closes at noon on Saturdays in winter."
    # (The markup costs characters, not a fact: no word or value counts against it.)
    assert compare(plain, f'<p class="lead">{plain}</p>').other_words == 0
    assert compare(f'<p class="x">{plain}</p>', f'<p class="lead">{plain}</p>').other_words == 0
    assert _attribute_values(f'<p class="lead" style="x">{plain}</p>') == []
