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


# -- kind 1: a body under another heading is that section's own ---------------------------------

ANSWER = [
    "Yes. Items bought in a sale can be returned within 30 days, as long as they are unused"
    " and in their original packaging with the labels still attached.",
    "We refund the price you paid, not the original price, to the card you paid with; the"
    " refund reaches your account within five working days of our receiving the item.",
]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # the try's (k1_faq_two_para_answer)
        ("### Can I return an item bought in a sale?", "### Can I return an item I received as a gift?"),
        # our own: a mail merge (k1_mail_merge's kind), and Q: headings
        ("Dear Mr Jones,", "Dear Ms Patel,"),
        ("Q: Can I pay by invoice?", "Q: Can I pay in instalments?"),
    ],
)  # fmt: skip
def test_a_two_paragraph_body_under_two_headings_stays(first: str, second: str) -> None:
    blocks = ["Returns", first, *ANSWER, second, *ANSWER, "### How do I contact you?", "Call us."]
    text = "\n\n".join(blocks) + "\n"
    result = clean(text)
    assert result.text == text, [r.reason for r in result.removals]
    assert result.isolated


def test_the_same_parameters_under_two_endpoints_stay() -> None:
    # The try's k1_api_params: each endpoint is one paragraph, its heading on its
    # first line; the three parameter lines repeat under the second endpoint.
    params = (
        "page: the page of results to return, starting at 1; pages hold at most one hundred"
        " items each.\nsort: the field to sort by, one of created, updated or total; prefix"
        " it with a minus sign to reverse.\nfields: a comma-separated list of fields to"
        " return; leave it out to return every field of the item."
    )
    text = (
        f"## GET /v1/orders\nReturns the orders of the account.\n{params}\n\n"
        f"## GET /v1/invoices\nReturns the invoices of the account.\n{params}\n"
    )
    result = clean(text)
    assert result.text == text


def test_a_section_pasted_again_under_the_same_heading_still_goes() -> None:
    # The control: the same question with its answer appended again at the end.
    blocks = ["Returns", "### Can I return an item bought in a sale?", *ANSWER]
    result = clean("\n\n".join([*blocks, *blocks[1:]]) + "\n")
    assert result.text == "\n\n".join(blocks) + "\n"


# -- kind 5: sentence ends of every script; kind 4: a stop glued to "[" -----------------------

HINDI = (
    "नगर निगम ने घोषणा की है कि अगले महीने से सार्वजनिक पुस्तकालय हर बुधवार को एक घंटा देर से"
    " खुलेगा। इस एक घंटे का उपयोग कर्मचारियों के प्रशिक्षण के लिए किया जाएगा। शाम के समय में"
    " कोई बदलाव नहीं होगा और वाचनालय सामान्य रूप से खुला रहेगा।"
)
ARMENIAN = (
    "Քաղաքային գրադարանը հաջորդ ամսից յուրաքանչյուր չորեքշաբթի կբացվի մեկ ժամ ուշ։ Այդ"
    " ժամը կօգտագործվի աշխատակիցների վերապատրաստման համար։ Երեկոյան ժամերը չեն"
    " փոխվում, և ընթերցասրահը կաշխատի սովորականի պես։"
)
URDU = (
    "شہر کی لائبریری اگلے مہینے سے ہر بدھ کو ایک گھنٹہ دیر سے کھلے گی۔ اس گھنٹے میں عملے"
    " کی تربیت ہوگی اور نئے نظام کی مشق کی جائے گی۔ شام کے اوقات میں کوئی تبدیلی نہیں ہوگی"
    " اور مطالعہ کا کمرہ معمول کے مطابق کھلا رہے گا۔"
)


@pytest.mark.parametrize("body", [HINDI, ARMENIAN, URDU], ids=["hindi", "armenian", "urdu"])
@pytest.mark.parametrize("glue", [" ", ""], ids=["space", "glued"])
def test_a_copy_in_a_script_with_its_own_full_stop_is_found(body: str, glue: str) -> None:
    # d5_hindi_glued, d5_armenian_glued (the try's), Urdu (ours): their own stops (U+0964, U+0589, U+06D4) end sentences.
    tail = "\n\nअधिक जानकारी के लिए स्वागत कक्ष से संपर्क करें।\n"
    result = clean(f"{body}{glue}{body}{tail}")
    assert result.text == f"{body}{tail}"
    [removal] = result.removals
    assert removal.score == 1.0


S3 = (
    "The river rose by two metres overnight after three days of heavy rain. Residents of the"
    " lower streets were moved to the school hall. The council has opened a helpline for"
    " anyone whose home was flooded."
)


@pytest.mark.parametrize(
    ("before", "after"),
    [("[quote]", "[/quote]"), ("", "[1]"), ("[b]", "[/b]"), ("", "[citation needed]")],
)
def test_a_copy_whose_last_stop_is_glued_to_a_bracket_goes_whole(before: str, after: str) -> None:
    # w4_bbcode, w4_footnote: "S1 S2 S3 S1 S2 S3[/quote]" came out as "S1 S2 S3 S3[/quote]",
    # a sentence doubled, as a stop before "[" did not end a sentence.
    text = f"{before}{S3} {S3}{after}\nThanks for posting this, my street was one of them.\n"
    result = clean(text)
    assert (
        result.text == f"{before}{S3}{after}\nThanks for posting this, my street was one of them.\n"
    )


# -- kind 1/4: a list number is no sentence end -------------------------------------------------


def test_steps_shared_by_two_recipes_stay_with_their_numbers() -> None:
    # k1_recipe_steps: steps 1 and 3 of the second recipe are the first's. The cut ended
    # after "2." (taken for a sentence end), so the unique step 2 lost its number, and
    # "1. step" plus "2." counted as two sentences, a pasted passage.
    one = (
        "Soften the onion and garlic in olive oil over a low heat for ten minutes, stirring"
        " now and then so nothing catches."
    )
    three = (
        "Stir well and simmer for ten minutes until the sauce thickens and the tomatoes have"
        " broken down completely."
    )
    soup = f"1. {one}\n2. Add the tomatoes and the stock.\n3. {three}\n4. Blend until smooth."
    sauce = (
        f"1. {one}\n2. Add the basil and a pinch of sugar.\n3. {three}\n4. Stir through the pasta."
    )
    text = f"Tomato soup\n\n{soup}\n\nTomato sauce for pasta\n\n{sauce}\n"
    result = clean(text)
    assert result.text == text
    assert result.isolated


# A new user's second try (T10b): a value holding a digit is no typo, and a cut of
# indented lines leaves the next line's indentation as it was.


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("sha256: 9f2c4e1a7b3d5f60a1c2e3d4b5a69788", "sha256: 9f2c4e1a7b3d5f60a1c2e3d4b5a69789"),
        ("Brand colour for the header: #3a7bd5", "Brand colour for the header: #3a7be5"),
        ("Enable flag ff-checkout-7b2e for the beta group", "Enable flag ff-checkout-7b2f for the beta group"),
    ],
)  # fmt: skip
def test_a_value_holding_a_digit_changed_is_another_fact(a: str, b: str) -> None:
    text = f"{a}\n{b}\n"
    assert clean(text).text == text


def test_a_cut_of_indented_lines_keeps_the_next_lines_indentation() -> None:
    env = (
        "    environment:\n      - DATABASE_URL=postgres://shop@db/shop\n"
        "      - REDIS_URL=redis://cache:6379/0\n      - SENTRY_ENVIRONMENT=production\n"
    )
    text = f"services:\n  api:\n    image: api:2.4.1\n{env}{env}  db:\n    image: postgres:16\n"
    out = clean(text)
    assert (
        out.text == f"services:\n  api:\n    image: api:2.4.1\n{env}  db:\n    image: postgres:16\n"
    )
    assert [r.kind for r in out.removals] == ["repeated-run"]
    # (Two items pasted again: one list item repeated as itself is the list's, see
    # test_clean_heldout_s5.)
    items = "  - Book the train to Leeds for the team offsite\n  - Reserve two rooms at the hotel\n"
    nested = f"- Travel\n{items}"
    text = f"{nested}{items}- Food\n  - Order lunch\n"
    assert clean(text).text == f"{nested}- Food\n  - Order lunch\n"


# Two equal elements on one line (a new user's try, T10): the cut started one character
# into the second element's tag ("<</p>" was left) or left its opening tag empty.

_NOTICE = (
    "Our office will be closed on Friday for the staff training day. Orders placed "
    "after noon on Thursday will be sent on Monday. We are sorry for any delay this causes."
)


@pytest.mark.parametrize(
    ("open_", "close"), [("<p>", "</p>"), ("<li>", "</li>"), ('<div class="notice">', "</div>")]
)
def test_a_copy_in_its_own_element_on_the_same_line_goes_with_its_tags(
    open_: str, close: str
) -> None:
    element = f"{open_}{_NOTICE}{close}"
    for after in ("<p>Returns are free within 30 days.</p>", "\n<p>Returns are free.</p>"):
        out = clean(f"{element}{element}{after}\n")
        assert out.text == f"{element}{after}\n"
        assert [r.markup for r in out.removals] == [(open_, close)]
