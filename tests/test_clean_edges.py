"""Copies whose edge word is also the word next to them (issues #10, #17).

A headline that ends with the word the body ends with ("... applications he" over a
body ending "... disagreement he."), then the body pasted again: the key reads
"he BODY he BODY he", and two alignments a word apart are equally good, the copies
"he BODY" and "BODY he". The one taken must be the one whose copies are whole
sentences: the removal is the whole second copy and what is kept the whole first,
not both shifted by a word (which kept the second copy's last sentence twice).
"""

from __future__ import annotations

import pytest

from textdedup import clean

BODY = (
    "The committee met on Tuesday to review the budget for the coming year and the "
    "plans. Members asked for more detail on the repair costs of the old bridge near "
    "the harbour.\n\nA final vote is expected next month after the public hearing on "
    "the matter of the bridge."
)

# Record 3521 of benchmarks/clean_corpus.py (seed 0, doubled 0.5), the first of the
# benchmark's records with this fault.
HEADLINE_3521 = "Council fit meaningful accepting compensation requested enclose applications he"
BODY_3521 = "\n\n".join(
    [
        (
            "Termination detail appropriate definitions iii allow providing regents "
            "foundation differential modifications retitle come vii termination. Reason "
            "lying participant rom dedications contains impossible from incompatible "
            "publicly compilation before producing infringed databases standard. Additions "
            "find judgment operator device reasonable ordinary identifiable."
        ),
        (
            "Share netscape notice combined protect remaining reputation uu ethical "
            "president permissions servicing annotations contravention suitable present "
            "retain submitted measures systems threshold anyone. Normal rights operates "
            "fulfilled include show supply unrestricted operator incorporated disclaimers "
            "irreversible artistic rare independent treated claim extracted programming "
            "computing include notice. Stand offered whole existing incompatible sole "
            "header titled produce insert. Larger do fair allowed federal transferred "
            "language don annotations lawsuit disagreement he."
        ),
    ]
)


def _check(head: str, body: str, glue: str) -> None:
    text = f"{head}\n\n{body}{glue}{body}\n"
    first = len(head) + 2
    second = first + len(body) + len(glue)
    result = clean(text)
    assert result.text == f"{head}\n\n{body}\n"
    assert len(result.removals) == 1
    (removal,) = result.removals
    assert (removal.kept.start, removal.kept.end) == (first, first + len(body))
    assert removal.removed.start == second
    assert text[removal.removed.start : removal.removed.end].strip() == body


@pytest.mark.parametrize("glue", ["\n\n", " "], ids=["blank-line", "glued"])
@pytest.mark.parametrize(
    "head",
    [
        "Town news on the bridge",  # one word
        "Town news the bridge",  # two words
        "Town news on the matter of the bridge",  # a whole clause
        "Town news",  # no shared word: the ordinary case
    ],
)
def test_headline_ending_with_the_bodys_last_words(head: str, glue: str) -> None:
    _check(head, BODY, glue)


@pytest.mark.parametrize("glue", ["\n\n", " "], ids=["blank-line", "glued"])
def test_record_3521(glue: str) -> None:
    assert HEADLINE_3521.endswith(" he") and BODY_3521.endswith(" he.")
    _check(HEADLINE_3521, BODY_3521, glue)


def test_footer_opening_with_the_bodys_first_word() -> None:
    # The mirror case: the word after the second copy is the copy's first word.
    text = f"Town news\n\n{BODY}\n\n{BODY}\n\nThe end of the news for today.\n"
    result = clean(text)
    assert result.text == f"Town news\n\n{BODY}\n\nThe end of the news for today.\n"
    (removal,) = result.removals
    assert text[removal.removed.start : removal.removed.end].strip() == BODY


BODY_GLUED = (
    "The council approved the new budget on Tuesday after a long debate about road "
    "repairs in the northern districts. Members agreed to revisit the library funding in "
    "the spring session, once the auditors have reported on last year's accounts."
)


@pytest.mark.parametrize(
    ("opener", "closer"),
    [("(", ")"), ("\u201c", "\u201d"), ('"', '"'), ("[", "]"), ("", " \u2014"), ("", " ***")],
)
def test_a_glued_copy_leaves_the_closer_around_it(opener: str, closer: str) -> None:
    # The copy is glued on inside quotes or brackets: the closer belongs to the text
    # around both copies, not to the copy, and stays, with no space before it.
    text = f"Headline\n{opener}{BODY_GLUED} {BODY_GLUED}{closer}\n"
    result = clean(text)
    assert result.text == f"Headline\n{opener}{BODY_GLUED}{closer}\n"
    [removal] = result.removals
    assert text[removal.removed.start : removal.removed.end] == BODY_GLUED


def test_quotes_stay_balanced_when_each_copy_is_quoted() -> None:
    # Each copy is quoted: whatever is cut, no quote is left without its partner.
    quoted = f"\u201c{BODY_GLUED}\u201d"
    result = clean(f"Headline\n{quoted} {quoted}\n")
    assert result.text.count("\u201c") == result.text.count("\u201d") >= 1
    assert BODY_GLUED in result.text


CLAUSE = (
    "Notwithstanding anything to the contrary in this Agreement, neither party shall be "
    "liable to the other for any indirect, incidental, special or consequential damages "
    "arising out of or relating to this Agreement."
)


def test_a_long_clause_closing_two_sections_is_structure() -> None:
    # One sentence of 33 words repeated inside two different paragraphs, each with text
    # of its own beside it: a clause the contract repeats, kept and reported.
    text = (
        "1. Definitions. The terms below apply to every schedule attached to it.\n\n"
        "2. Services. The Supplier shall provide the Services with reasonable skill and "
        f"care. {CLAUSE}\n\n"
        "3. Fees. The Customer shall pay the fees within thirty days of each invoice.\n\n"
        "4. Warranties. Each party warrants that it has full power to enter into this "
        f"Agreement. {CLAUSE}\n"
    )
    result = clean(text)
    assert result.text == text and result.removals == ()
    [kept] = result.isolated
    assert text[kept.removed.start : kept.removed.end] == CLAUSE


def test_two_sentences_pasted_inside_another_paragraph_still_go() -> None:
    two = (
        "The storm closed the coastal road for most of the afternoon on Friday. "
        "Crews cleared fallen trees near the harbour before the evening traffic."
    )
    text = (
        f"Weather report\n\n{two} Schools stayed open.\n\n"
        f"Local news. The market reopened after repairs. {two}\n"
    )
    result = clean(text)
    assert result.text.count(two) == 1
    [removal] = result.removals
    assert text[removal.removed.start : removal.removed.end] == two
