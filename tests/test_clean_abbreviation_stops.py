"""A full stop after a common abbreviation ends no sentence for `clean` either ("14 St. Anne's
Road", "Dr. Patel", "Approx. 48"): two ads of one template kept their shared closing sentences
only when neither ad's own text held one (a new user's try8)."""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.clean import _stops

_TAIL = (
    "Viewings are by appointment on weekday evenings. A deposit of five weeks' rent is due at"
    " signing, and pets are considered on request."
)


@pytest.mark.parametrize(
    "own",
    [
        "A two-bedroom flat on 14 St. Anne's Road with a view of the park.",
        "A studio above Dr. Patel's surgery with its own entrance.",
        "Approx. 48 square metres on the first floor with a balcony.",
    ],
)
def test_template_ads_with_an_abbreviation_keep_their_shared_tail(own: str) -> None:
    text = (
        f"Flat 1: A one-bedroom flat near the station with a new kitchen. {_TAIL}\n\n"
        f"Flat 2: {own} {_TAIL}\n"
    )
    result = clean(text)
    assert result.text == text
    assert result.removals == ()


def test_no_stop_after_an_abbreviation() -> None:
    text = "Meet Dr. Okafor at St. Mary's at approx. ten. Then lunch."
    stops = [text[: m.end()].split()[-1] for m in _stops(text, 0, len(text))]
    assert stops == ["ten.", "lunch."]


def test_words_that_look_like_abbreviations_still_end_sentences() -> None:
    text = "Tiene vistas al mar. La entrada es libre. The answer was no. Then we left."
    stops = [text[: m.end()].split()[-1] for m in _stops(text, 0, len(text))]
    assert stops == ["mar.", "libre.", "no.", "left."]
