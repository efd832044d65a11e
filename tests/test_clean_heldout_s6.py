"""Held-out inputs of new users' tries (try5, try10c, session 6), by kind: unique text lost.

Each test holds the try's input and inputs of our own of the same kind; the controls are
copies with a real small edit, or pasted again, that still go.
"""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.verify import compare

# -- kind 1: a word added to a passage of two sentences or more is a fact --------------------------

ADDED_WORD = [
    # try5 p_a2_en_former, h_a05_two_sentences_qualifier
    (
        "The board meeting has moved to Thursday. The chair said that the treasurer will present"
        " the accounts for the clubhouse at the meeting.",
        "The board meeting has moved to Thursday. The chair said that the former treasurer will"
        " present the accounts for the clubhouse at the meeting.",
    ),
    (
        "The trial met its primary endpoint in adults over sixty. The company will apply for"
        " approval in Europe and Japan before the end of the year, it said on Monday.",
        "The trial met its primary endpoint in adults over sixty. The company will apply for"
        " conditional approval in Europe and Japan before the end of the year, it said on Monday.",
    ),
    # our own: a frequent word that is a fact ("only", "next"), a negation off every list
    # (Icelandic "ekki"), three sentences
    (
        "The pool reopens on Monday after the repairs. Members can book lanes online from"
        " Friday. The sauna stays closed until the new heater is fitted in March.",
        "The pool reopens on Monday after the repairs. Members can only book lanes online from"
        " Friday. The sauna stays closed until the new heater is fitted in March.",
    ),
    (
        "Sundlaugin opnar aftur á mánudag eftir viðgerðir. Gufubaðið er opið alla daga"
        " vikunnar frá morgni til kvölds.",
        "Sundlaugin opnar aftur á mánudag eftir viðgerðir. Gufubaðið er ekki opið alla daga"
        " vikunnar frá morgni til kvölds.",
    ),
    (
        "Rents will rise by two percent in April. The landlord said the tenants' association"
        " will be consulted at the meeting. Repairs to the roof start in May.",
        "Rents will rise by two percent in April. The landlord said the tenants' association"
        " will be consulted at the next meeting. Repairs to the roof start in May.",
    ),
]


@pytest.mark.parametrize(("a", "b"), ADDED_WORD)
def test_a_word_added_to_a_passage_of_sentences_keeps_both(a: str, b: str) -> None:
    assert not compare(a, b).near(0.9)
    for first, second in ((a, b), (b, a)):  # added or left out
        text = f"Note\n\n{first}\n\n{second}\n"
        result = clean(text)
        assert result.text == text, [r.reason for r in result.removals]
        assert result.removals == ()


def test_a_passage_with_a_small_edit_still_goes() -> None:
    # Controls: a fixed typo, a changed punctuation mark, a change of case: near copies.
    a = ADDED_WORD[0][0]
    for b in (
        a.replace("accounts", "acocunts"),
        a.replace("Thursday.", "Thursday!"),
        a.replace("The chair", "the chair"),
    ):
        assert compare(a, b).near(0.9), b
        text = f"Note\n\n{a}\n\n{b}\n"
        [removal] = clean(text).removals
        assert removal.kind == "near"
        assert clean(text).text == f"Note\n\n{a}\n"


def test_a_long_pasted_article_with_a_word_retouched_still_goes() -> None:
    # Case 09's kind: a copy of 100 words or more may carry one word added per 100 words.
    body = (
        "The town council voted on Tuesday to turn the disused rail yard behind the station into"
        " a public park with a playground, a skate area and a community garden. Work is expected"
        " to begin next spring, once the soil has been tested and cleaned, and the first section"
        " could open to the public by the end of the following year. Residents had campaigned"
        " for the change for almost a decade, collecting more than four thousand signatures and"
        " presenting three alternative plans to the planning committee."
    )
    assert len(body.split()) >= 80
    long_body = body + (
        " The council said the project would be paid for by a regional grant and by the sale of"
        " a small strip of land along the northern edge of the site to a housing association."
    )
    assert len(long_body.split()) >= 100
    edited = long_body.replace("and cleaned,", "and cleaned up,")
    assert compare(long_body, edited).near(0.9)
    # Under 100 words the same word is a fact.
    assert not compare(body, body.replace("and cleaned,", "and cleaned up,")).near(0.9)
    # Two words added in 100: a fact again.
    twice = edited.replace("public park", "public city park")
    assert not compare(long_body, twice).near(0.9)
