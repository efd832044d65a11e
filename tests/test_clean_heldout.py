"""Held-out inputs of a new user's try (T10, session 4, /work/try10), by kind.

Kind 2, facts differ: two lines that differ in one word, address or symbol state two
facts, and both stay. Each row is the try's input (or its pair of words) and inputs of
our own of the same kind; the controls are copies with a real small edit, still found.
"""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.verify import compare


def _pair(a: str, b: str) -> str:
    return f"{a}\n\n{b}\n"


def _kept(a: str, b: str) -> None:
    text = _pair(a, b)
    result = clean(text)
    assert result.text == text, [r.reason for r in result.removals]
    assert not compare(a, b).near(0.9)


# -- a real word one letter or a prefix away is another word ----------------------------------

WORDS = [
    # the try's (f2_drug_names, f2_hypo_hyper, f2_hypertension, f2_male_female, ...)
    ("prednisone", "prednisolone"),
    ("hypothyroidism", "hyperthyroidism"),
    ("hypertension", "hypotension"),
    ("male", "female"),
    ("million", "billion"),
    ("mcg", "mg"),
    ("intrastate", "interstate"),
    ("microeconomic", "macroeconomic"),
    ("typical", "atypical"),
    ("ethanol", "methanol"),
    ("northeast", "northwest"),
    ("southbound", "northbound"),
    ("seventeen", "seventy"),
    # our own
    ("hypoglycaemia", "hyperglycaemia"),
    ("thousand", "hundred"),
    ("southeast", "southwest"),
    ("intranet", "internet"),
    ("symmetric", "asymmetric"),
]


@pytest.mark.parametrize(("x", "y"), WORDS, ids=[f"{x}-{y}" for x, y in WORDS])
def test_a_word_that_is_another_word_is_another_fact(x: str, y: str) -> None:
    line = (
        "The report for the regional office lists {} as the main finding of the review, "
        "and the board will discuss it at the next meeting."
    )
    _kept(line.format(x), line.format(y))


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ("recieved", "received"),
        ("travelled", "traveled"),
        ("colour", "color"),
        ("deliverd", "delivered"),
    ],
)
def test_a_typo_or_spelling_variant_is_still_an_edit(x: str, y: str) -> None:
    line = (
        "The parcel was {} at the depot on Monday morning and will reach the customer by "
        "the end of the week, the courier said."
    )
    a, b = line.format(x), line.format(y)
    c = compare(a, b)
    assert c.near(0.9) and not c.exact


# -- addresses and symbols are compared whole ----------------------------------------------------

FACTS = [
    # the try's
    ("Send the forms to ana.berg@example.org by Friday", "Send the forms to anna.berg@example.org by Friday"),
    ("The webhook posts to http://api.example.org/hooks", "The webhook posts to https://api.example.org/hooks"),
    ("Questions about the release go to @jsmith on the forum", "Questions about the release go to @jsmyth on the forum"),
    ("the Standard plan costs $49.99 per month", "the Standard plan costs \u20ac49.99 per month"),
    ("move the balance from the current account \u2192 the deposit account", "move the balance from the current account \u2190 the deposit account"),
    ("The customer rated the delivery and the packaging \U0001f44d", "The customer rated the delivery and the packaging \U0001f44e"),
    # our own
    ("Tickets cost \u00a325 for adults at the door", "Tickets cost \u00a525 for adults at the door"),
    ("Write to support@shop.example.com for a refund", "Write to support@shop.example.net for a refund"),
    ("The tolerance is \u00b10.5 mm on every part", "The tolerance is \u22130.5 mm on every part"),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b"), FACTS, ids=range(len(FACTS)))
def test_an_address_or_symbol_changed_is_another_fact(a: str, b: str) -> None:
    tail = ", as the notice to all members of the club said on Monday."
    _kept(a + tail, b + tail)


# -- negations of other languages --------------------------------------------------------------

NEGATIONS = [
    # the try's
    (
        "Der Zug hält heute wegen Bauarbeiten in Oberhausen, bitte steigen Sie dort in den"
        " Regionalexpress nach Duisburg um und beachten Sie die Durchsagen.",
        "Der Zug hält heute wegen Bauarbeiten nicht in Oberhausen, bitte steigen Sie dort in"
        " den Regionalexpress nach Duisburg um und beachten Sie die Durchsagen.",
    ),
    (
        "Поезд сегодня из-за ремонтных работ останавливается на станции Лесная, пассажиров"
        " просят пересесть там на автобус до центра города.",
        "Поезд сегодня из-за ремонтных работ не останавливается на станции Лесная, пассажиров"
        " просят пересесть там на автобус до центра города.",
    ),
    (
        "Le train de ce soir, à cause des travaux sur la voie, s'arrête à la gare de Melun,"
        " et les voyageurs doivent prendre le bus pour rejoindre le centre.",
        "Le train de ce soir, à cause des travaux sur la voie, ne s'arrête pas à la gare de"
        " Melun, et les voyageurs doivent prendre le bus pour rejoindre le centre.",
    ),
    # our own
    (
        "De veerboot vaart vandaag wegens storm naar Texel, reizigers worden gevraagd de"
        " website te volgen voor de laatste berichten over de dienstregeling.",
        "De veerboot vaart vandaag wegens storm niet naar Texel, reizigers worden gevraagd de"
        " website te volgen voor de laatste berichten over de dienstregeling.",
    ),
]


@pytest.mark.parametrize(("a", "b"), NEGATIONS, ids=["de", "ru", "fr", "nl"])
def test_a_negation_in_another_language_is_another_fact(a: str, b: str) -> None:
    _kept(a, b)


# -- brackets in code are content --------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "    total = weights[index] * prices(index) + offsets[index]",
            "    total = weights[index] * prices[index] + offsets[index]",
        ),
        ("    result = handler.dispatch(event, {retry})", "    result = handler.dispatch(event, [retry])"),
    ],
)  # fmt: skip
def test_a_bracket_changed_in_code_is_another_statement(a: str, b: str) -> None:
    text = f"def update(weights, prices, offsets, index):\n{a}\n{b}\n    return total\n"
    result = clean(text)
    assert result.text == text
