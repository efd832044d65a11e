"""Where a copy may start and end: a full stop after an initial or a dotted abbreviation
with a lower-case word after it ("from 7 a.m. until") ends no sentence (the cut left
"... from 7 a.m." behind, try9 C1), and the sentence after a label opening a block
("Club news: ", "Update: ") starts one (a copy of text after a label was missed, try9 D1)."""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.clean import _stops

_S1 = "The harbour car park will be closed on Sunday for the regatta, from 7 a.m. until the last race ends."
_S2 = "Visitors are asked to use the park-and-ride at the leisure centre, with buses every ten minutes."
_D1 = "Die Bibliothek bleibt am Montag wegen einer Schulung der Mitarbeiter bis 12 Uhr geschlossen."
_D2 = "Bestellte Bücher können ab Dienstag wieder an der Ausleihe abgeholt werden, z.B. am Nachmittag."


@pytest.mark.parametrize(
    ("text", "stops"),
    [
        ("from 7 a.m. until the end. Next one.", ["end.", "one."]),
        ("the U.S. team won. Then we left.", ["won.", "eft."]),
        ("he met J.R.R.Tolkien there. Fine.", ["ere.", "ine."]),
        ("it was the end.The council met.", ["end.", "met."]),  # a glued copy's stop stays
        ("e.g. a map. Fine.", ["map.", "ine."]),
    ],
)
def test_initials_and_dotted_abbreviations_end_no_sentence(text: str, stops: list[str]) -> None:
    assert [text[m.end() - 4 : m.end()] for m in _stops(text, 0, len(text))] == stops


@pytest.mark.parametrize(
    ("before", "between", "s1", "s2"),
    [
        ("Entry is free for members. ", " ", _S1, _S2),
        ("Club news: ", " Entry is free for members. ", _S1, _S2),
        ("Club news: ", "\n\nEntry is free for members. ", _S1, _S2),
        ("Update: ", "\n\nMore about the season follows next week.\n\n", _S1, _S2),
        ("Hinweis: ", "\n\nWeitere Termine folgen.\n\n", _D1, _D2),
    ],
)
def test_a_copy_is_cut_whole_after_an_abbreviation_and_after_a_label(
    before: str, between: str, s1: str, s2: str
) -> None:
    text = f"{before}{s1} {s2}{between}{s1} {s2}\n"
    result = clean(text)
    kept = f"{before}{s1} {s2}{between}".rstrip() + "\n"
    assert result.text == kept
    assert len(result.removals) == 1


def test_two_different_sentences_after_labels_are_kept() -> None:
    text = f"Club news: {_S1}\n\nUpdate: {_S2}\n"
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
