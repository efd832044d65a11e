"""Sentence stops of every script (Unicode's Sentence_Terminal property): a paragraph glued
after itself in Syriac (܀) or Meetei Mayek (꯫) is a copy, as in Latin or Devanagari (try7 D2:
they were missed, their stops not in the hand-made list)."""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.clean import _STOP

CASES = {
    "syriac": (
        "ܐܝܟ ܕܐܡܪ ܪܝܫ ܡܕܝܢܬܐ، ܒܝܬ ܣܦܪܐ ܚܕܬܐ ܢܬܦܬܚ ܒܝܪܚܐ ܕܐܝܠܘܠ ܘܢܩܒܠ ܬܠܡܝܕܐ ܡܢ ܟܠ ܩܘܪܝܐ ܕܐܬܪܐ܀ ܘܐܦ ܐܡܪ ܕܐܠܦܢܐ ܚܕܬܐ ܢܬܩܒܠܘܢ ܒܝܪܚܐ ܕܐܒ܀ ܐܝܟ ܕܐܡܪ ܪܝܫ ܡܕܝܢܬܐ، ܒܝܬ ܣܦܪܐ ܚܕܬܐ ܢܬܦܬܚ ܒܝܪܚܐ ܕܐܝܠܘܠ ܘܢܩܒܠ ܬܠܡܝܕܐ ܡܢ ܟܠ ܩܘܪܝܐ ܕܐܬܪܐ܀ ܘܐܦ ܐܡܪ ܕܐܠܦܢܐ ܚܕܬܐ ܢܬܩܒܠܘܢ ܒܝܪܚܐ ܕܐܒ܀\n",
        "ܐܝܟ ܕܐܡܪ ܪܝܫ ܡܕܝܢܬܐ، ܒܝܬ ܣܦܪܐ ܚܕܬܐ ܢܬܦܬܚ ܒܝܪܚܐ ܕܐܝܠܘܠ ܘܢܩܒܠ ܬܠܡܝܕܐ ܡܢ ܟܠ ܩܘܪܝܐ ܕܐܬܪܐ܀ ܘܐܦ ܐܡܪ ܕܐܠܦܢܐ ܚܕܬܐ ܢܬܩܒܠܘܢ ܒܝܪܚܐ ܕܐܒ܀\n",
    ),
    "meetei_mayek": (
        "ꯏꯝꯐꯥꯜ ꯃꯔꯨꯞ ꯁꯤꯡꯅ ꯅꯨꯡꯇꯤꯡ ꯄꯨꯝꯅꯃꯛ ꯂꯥꯏꯕ꯭ꯔꯦꯔꯤ ꯑꯅꯧꯕ ꯑꯃ ꯍꯥꯡꯗꯣꯛꯂꯒꯅꯤ꯫ ꯂꯥꯏꯕ꯭ꯔꯦꯔꯤ ꯑꯁꯤ ꯅꯨꯃꯤꯠ ꯈꯨꯗꯤꯡꯒꯤ ꯑꯌꯨꯛ ꯇꯔꯥꯗꯒꯤ ꯅꯨꯃꯤꯗꯥꯡ ꯃꯉꯥ ꯐꯥꯑꯣꯕ ꯍꯥꯡꯗꯣꯛꯀꯅꯤ꯫ ꯏꯝꯐꯥꯜ ꯃꯔꯨꯞ ꯁꯤꯡꯅ ꯅꯨꯡꯇꯤꯡ ꯄꯨꯝꯅꯃꯛ ꯂꯥꯏꯕ꯭ꯔꯦꯔꯤ ꯑꯅꯧꯕ ꯑꯃ ꯍꯥꯡꯗꯣꯛꯂꯒꯅꯤ꯫ ꯂꯥꯏꯕ꯭ꯔꯦꯔꯤ ꯑꯁꯤ ꯅꯨꯃꯤꯠ ꯈꯨꯗꯤꯡꯒꯤ ꯑꯌꯨꯛ ꯇꯔꯥꯗꯒꯤ ꯅꯨꯃꯤꯗꯥꯡ ꯃꯉꯥ ꯐꯥꯑꯣꯕ ꯍꯥꯡꯗꯣꯛꯀꯅꯤ꯫\n",
        "ꯏꯝꯐꯥꯜ ꯃꯔꯨꯞ ꯁꯤꯡꯅ ꯅꯨꯡꯇꯤꯡ ꯄꯨꯝꯅꯃꯛ ꯂꯥꯏꯕ꯭ꯔꯦꯔꯤ ꯑꯅꯧꯕ ꯑꯃ ꯍꯥꯡꯗꯣꯛꯂꯒꯅꯤ꯫ ꯂꯥꯏꯕ꯭ꯔꯦꯔꯤ ꯑꯁꯤ ꯅꯨꯃꯤꯠ ꯈꯨꯗꯤꯡꯒꯤ ꯑꯌꯨꯛ ꯇꯔꯥꯗꯒꯤ ꯅꯨꯃꯤꯗꯥꯡ ꯃꯉꯥ ꯐꯥꯑꯣꯕ ꯍꯥꯡꯗꯣꯛꯀꯅꯤ꯫\n",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_paragraph_glued_after_itself_is_removed(name: str) -> None:
    text, right = CASES[name]
    result = clean(text)
    assert result.text.rstrip() == right.rstrip()
    assert [r.kind for r in result.removals] == ["span"]


@pytest.mark.parametrize("stop", ["\ua9c9", "\u0700", "\u07f9", "\u1b5e", "\uabeb"])
def test_other_scripts_stops_are_stops(stop: str) -> None:
    assert [m.group() for m in _STOP.finditer(f"x{stop} y")] == [stop]


def test_ascii_marks_still_need_a_space_or_a_capital() -> None:
    assert [m.group() for m in _STOP.finditer("pi is 3.14 and e!x")] == []
