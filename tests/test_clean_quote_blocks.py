"""A reply that quotes a post whole in a forum's, a tracker's or HTML's quote block
keeps its quotation, as a ``>`` quotation is kept (try9 A2: the quote was cut to its
first sentence, and with ``--keep last`` the original post lost its body). A quote
block pasted twice is still a paste."""

from __future__ import annotations

import pytest

from textdedup import CleanConfig, clean

_P1 = (
    "Since the firmware update last week my boiler shows error E119 every morning, and the "
    "pressure drops from 1.5 to 0.6 bar overnight. The engineer who fitted it in 2021 has "
    "retired, and the manufacturer's hotline only offers a visit in three weeks."
)
_P2 = (
    "I have bled the radiators twice and checked the expansion vessel, which holds its charge, "
    "so I do not think it is the vessel. There is no water under the boiler or near the "
    "radiators, and the pipes in the loft are dry as far as I can see with a torch."
)
_ANSWER = "Check the filling loop valve: a valve that does not close fully lets the pressure creep."


@pytest.mark.parametrize(
    ("opener", "closer"),
    [
        ('[quote="heating_hannah"]', "[/quote]"),
        ("[QUOTE=heating_hannah;48213]", "[/QUOTE]"),
        ("{quote}", "{quote}"),
        ('<blockquote class="post-quote">', "</blockquote>"),
    ],
)
@pytest.mark.parametrize("keep", ["first", "last"])
def test_a_post_quoted_whole_is_kept(opener: str, closer: str, keep: str) -> None:
    text = (
        f"Post #1 by heating_hannah, 3 March\n\n{_P1}\n\n{_P2}\n\n"
        f"Post #2 by plumber_pete, 4 March\n\n{opener}\n{_P1}\n\n{_P2}\n{closer}\n\n{_ANSWER}\n"
    )
    result = clean(text, config=CleanConfig(keep=keep))  # type: ignore[arg-type]
    assert result.text == text
    assert result.removals == ()


@pytest.mark.parametrize(
    ("opener", "closer"), [('[quote="pete"]', "[/quote]"), ("{quote}", "{quote}")]
)
def test_a_quote_block_pasted_twice_still_goes(opener: str, closer: str) -> None:
    block = f"{opener}\n{_P1} {_P2}\n{closer}\n"
    text = f"{block}{block}\n{_ANSWER}\n"
    result = clean(text)
    assert result.text == f"{block}\n{_ANSWER}\n"
    assert len(result.removals) == 1
