"""Held-out inputs of new users' tries (T10, T10b, session 5: /work/try10, /work/try10b), by kind.

Each test holds the try's input (or its pair of values) and inputs of our own of the same
kind; the controls are copies with a real small edit, or pasted again, that still go.
"""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.verify import compare


def _kept_lines(before: str, a: str, b: str, after: str = "") -> None:
    text = f"{before}\n{a}\n{b}\n{after}" if after else f"{before}\n{a}\n{b}\n"
    result = clean(text)
    assert result.text == text, [r.reason for r in result.removals]
    assert not compare(a, b).near(0.9)


# -- kind 2: a value quoted or bracketed is another value ---------------------------------------

QUOTED = [
    # the try's (f2_json_null, f2_sql_quoted_id, f2_accounting_parens, e3_shell_quotes)
    (
        '{"sku": "AB-7731", "discount": null, "note": "clearance item, final sale, no returns accepted"}',
        '{"sku": "AB-7731", "discount": "null", "note": "clearance item, final sale, no returns accepted"}',
    ),
    (
        "SELECT name FROM customers WHERE account_id = '42' AND status = 'active' ORDER BY name;",
        "SELECT name FROM customers WHERE account_id = 42 AND status = 'active' ORDER BY name;",
    ),
    (
        "Net cash from operating activities in the fourth quarter of fiscal 2025: (1,240,000)",
        "Net cash from operating activities in the fourth quarter of fiscal 2025: 1,240,000",
    ),
    (
        "echo '$HOME is not expanded inside single quotes in the shell'",
        'echo "$HOME is not expanded inside single quotes in the shell"',
    ),
    # our own
    (
        "retry_on_timeout: true   # the worker retries a request that timed out, once",
        'retry_on_timeout: "true"   # the worker retries a request that timed out, once',
    ),
    (
        "Operating profit for the second half of the year, after exceptional items: [350.5]",
        "Operating profit for the second half of the year, after exceptional items: 350.5",
    ),
    (
        "grep --recursive --line-number '\\bTODO\\b' src tests docs benchmarks",
        'grep --recursive --line-number "\\bTODO\\b" src tests docs benchmarks',
    ),
]


@pytest.mark.parametrize(("a", "b"), QUOTED, ids=range(len(QUOTED)))
def test_a_value_quoted_or_bracketed_is_another_value(a: str, b: str) -> None:
    _kept_lines("# fixtures for the lookup tests", a, b)


def test_prose_whose_quote_style_changed_is_still_a_copy() -> None:
    # the try's control (d5_quotes_changed_copy): curly double quotes against single ones
    tail = (
        " Residents of the lower streets were moved to the school hall; the council has opened"
        " a helpline for anyone whose home was flooded."
    )
    a = "The mayor said: \u201cThe river rose by two metres overnight.\u201d" + tail
    b = "The mayor said: 'The river rose by two metres overnight.'" + tail
    c = compare(a, b)
    assert c.near(0.9) and not c.exact
    result = clean(f"{a}\n\n{b}\n\nPhoto: the high street.\n")
    assert [r.kind for r in result.removals] == ["near"]
    assert result.text == f"{a}\n\nPhoto: the high street.\n"
    # an apostrophe is no quote mark
    d = "We don't open at weekends, and the O'Briens' shop next door doesn't either, they said."
    assert compare(d, d.replace("weekends", "weekedns")).near(0.9)


# -- kind 2: a letter changed for a far one is another word --------------------------------------

FAR = [
    # the try's (f2_dysphagia)
    ("dysphagia", "dysphasia"),
    # our own: one letter changed for a letter far from it on the keyboard
    ("ileum", "ilium"),
    ("abduction", "adduction"),
    ("chloride", "chlorite"),
    ("dilation", "dilution"),
]


@pytest.mark.parametrize(("x", "y"), FAR, ids=[f"{x}-{y}" for x, y in FAR])
def test_a_letter_changed_for_a_far_key_is_another_word(x: str, y: str) -> None:
    line = (
        "Bed 1: 78-year-old patient admitted after a left-sided stroke; presents with marked {}, "
        "referred to speech and language therapy today."
    )
    _kept_lines("Ward round notes, bay 4:", line.format(x), line.format(y))


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ("overnigth", "overnight"),  # two letters swapped
        ("agroud", "aground"),  # a letter left out
        ("housse", "house"),  # a letter doubled
        ("recommemd", "recommend"),  # the key next to it
        ("hiuse", "house"),
        ("caf\u00e9s", "cafes"),  # an accent dropped
    ],
)
def test_a_slip_of_the_hand_is_still_a_typo(x: str, y: str) -> None:
    line = (
        "The river rose by two metres {} after three days of heavy rain, and the council "
        "opened a helpline for anyone whose home was flooded."
    )
    c = compare(line.format(x), line.format(y))
    assert c.near(0.9) and not c.exact
