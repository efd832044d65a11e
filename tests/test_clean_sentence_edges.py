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


_DESK = (
    "Solid oak top on a steel frame with two motors, so the desk rises quietly even when it "
    "carries two monitors and a laptop. The memory panel stores four heights.\n\n"
    "Every desk comes with a ten-year guarantee on the frame and a five-year guarantee on the "
    "motors and the control box, and we collect your old desk for free."
)
_REFUND = (
    "Refunds go back to the card you paid with. Your bank may take up to five working days "
    "to show the money on your statement after we have sent it.\n\n"
    "If you paid with a gift card, the refund comes as a new gift card by e-mail, valid for "
    "two years from the day it is issued, and you can use it online or in any shop."
)


@pytest.mark.parametrize(
    ("head1", "facts1", "head2", "facts2", "body"),
    [
        (
            "### Oak desk, 120 x 70 cm",
            "£549 - in stock",
            "### Oak desk, 160 x 80 cm",
            "£649 - ships in 2 weeks",
            _DESK,
        ),
        (
            "## How do I get a refund?",
            "Updated 12 March 2026",
            "## How long does a refund take?",
            "Updated 3 February 2026",
            _REFUND,
        ),
        (
            "Eichentisch, 120 x 70 cm",
            "549 € · sofort lieferbar",
            "Eichentisch, 160 x 80 cm",
            "649 € · Lieferzeit 2 Wochen",
            _DESK,
        ),
    ],
)
def test_the_same_body_after_other_titles_and_facts_is_each_records_own(
    head1: str, facts1: str, head2: str, facts2: str, body: str
) -> None:
    text = f"{head1}\n\n{facts1}\n\n{body}\n\n{head2}\n\n{facts2}\n\n{body}\n\nFree delivery.\n"
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    assert len(result.isolated) >= 1


def test_a_record_pasted_again_with_its_title_and_facts_still_goes() -> None:
    once = f"### Oak desk, 120 x 70 cm\n\n£549 - in stock\n\n{_DESK}\n\n"
    result = clean(f"{once}{once}\n")
    assert result.text == once.rstrip() + "\n"
    assert len(result.removals) == 1
