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


# -- kind 4: a body at the same place in sections under other titles -------------------------------

_WARRANTY = (
    "The warranty covers defects in materials and workmanship for two years from the date of"
    " purchase. Keep your receipt: we need it to process any claim.\n\n"
    "The warranty does not cover wear parts such as brake pads, tyres and chains, or damage"
    " caused by accidents, misuse or unauthorised repairs."
)
_TERMS = (
    "Orders placed before two in the afternoon leave our warehouse the same day, and a"
    " tracking link is sent by e-mail as soon as the parcel is handed to the carrier.\n\n"
    "If a parcel has not arrived after ten working days, write to us with your order number"
    " and we will send a replacement or refund the full price, including the delivery charge."
)

SECTIONS = [
    # try5 k_c_plain: plain titles, a third section after
    f"Canada\n\n{_TERMS}\n\nMexico\n\n{_TERMS}\n\nReturns\n\nUnused items can be returned within"
    " thirty days.\n",
    # try10c k1_html_h3_sections: a line of each section's own between title and body
    "<h2>Product information</h2>\n\n<h3>City bike Model C3</h3>\n\n<p>Aluminium frame, 7 gears,"
    " hub dynamo lights.</p>\n\n"
    + "\n\n".join(f"<p>{p}</p>" for p in _WARRANTY.split("\n\n"))
    + "\n\n<h3>Cargo bike Model K1</h3>\n\n<p>Steel frame, 8 gears, box for two children.</p>\n\n"
    + "\n\n".join(f"<p>{p}</p>" for p in _WARRANTY.split("\n\n"))
    + "\n",
    # try10c k1_two_agreements_same_clauses: numbered clauses under two schedule titles
    "SCHEDULE 3: FORM OF SUPPLY AGREEMENT\n\n1. INTERPRETATION\n\n1.1 In this Agreement,"
    ' "Business Day" means a day other than a Saturday, Sunday or public holiday in England when'
    " banks in London are open for business.\n\n1.2 Clause headings do not affect the"
    " interpretation of this Agreement. A reference to a statute is a reference to it as amended"
    " from time to time.\n\n2. SUPPLY\n\n2.1 The Supplier shall supply the Goods to the Customer"
    " in accordance with the Orders.\n\nSCHEDULE 4: FORM OF MAINTENANCE AGREEMENT\n\n1."
    ' INTERPRETATION\n\n1.1 In this Agreement, "Business Day" means a day other than a Saturday,'
    " Sunday or public holiday in England when banks in London are open for business.\n\n1.2"
    " Clause headings do not affect the interpretation of this Agreement. A reference to a"
    " statute is a reference to it as amended from time to time.\n\n2. SERVICES\n\n2.1 The"
    " Contractor shall maintain the Equipment in good working order.\n",
    # our own: three shops with plain titles, each with a line of its own before the terms
    f"Opening hours\n\nMonday to Friday from nine to six.\n\nLeeds shop\n\nThe shop is on the"
    f" ground floor.\n\n{_TERMS}\n\nYork shop\n\nThe shop is above the bakery.\n\n{_TERMS}\n",
    # our own: two bikes in Markdown with a spec line each, the warranty at the end of both
    f"## Road bike\n\nCarbon frame, 22 gears.\n\n{_WARRANTY}\n\n## Gravel bike\n\nSteel frame, 11"
    f" gears.\n\n{_WARRANTY}\n\n## Delivery\n\nFree in the city.\n",
]


@pytest.mark.parametrize("text", SECTIONS)
def test_a_body_at_the_same_place_in_sections_under_other_titles_stays(text: str) -> None:
    result = clean(text)
    assert result.text == text, [r.reason for r in result.removals]
    assert result.isolated  # found, kept and reported


def test_a_body_pasted_after_other_text_still_goes() -> None:
    # Controls: the same titles, but the copy follows another section's text where its
    # original follows a title (a paste at the end), or the copy carries no title at
    # all after a separator (two plain lines are no sections).
    head = f"## Canada\n\n{_TERMS}\n\n## Mexico\n\nShipping to Mexico takes a week.\n"
    assert clean(f"{head}\n{_TERMS}\n").text == head
    text = f"Parcels and delivery\n\n{_TERMS}\n\nAdvertisement\n\n{_TERMS}\n"
    assert clean(text).text == f"Parcels and delivery\n\n{_TERMS}\n\nAdvertisement\n"
    # A whole section, title and all, pasted again at the end still goes.
    text = f"## Road bike\n\nCarbon frame.\n\n{_WARRANTY}\n\n## Delivery\n\nFree in the city.\n"
    pasted = text + f"\n## Road bike\n\nCarbon frame.\n\n{_WARRANTY}\n"
    assert clean(pasted).text == text


# -- kind 5: lines that record states, found again outside the row, are events ---------------------

_UP = "e1000e 0000:00:1f.6 enp0s31f6: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None"
_DOWN = "e1000e 0000:00:1f.6 enp0s31f6: NIC Link is Down"
_PUMP = "pump 2 (north well, 400 V supply): switched "
FLAPS = [
    # try10c k1_link_flap_log
    "\n".join(
        [
            _UP,
            _DOWN,
            _UP,
            _DOWN,
            _UP.replace("1000 Mbps", "100 Mbps"),
            "IPv6: ADDRCONF(NETDEV_CHANGE): enp0s31f6: link becomes ready",
            _DOWN,
            _UP,
        ]
    )
    + "\n",
    # our own: a door sensor and a pump switching, states without a time
    "\n".join(
        [
            "zone 12 front door contact, ground floor: OPEN",
            "zone 12 front door contact, ground floor: CLOSED",
            "zone 12 front door contact, ground floor: OPEN",
            "zone 12 front door contact, ground floor: CLOSED",
            "zone 7 garage door contact, basement: OPEN",
            "zone 12 front door contact, ground floor: OPEN",
            "zone 7 garage door contact, basement: CLOSED",
            "zone 12 front door contact, ground floor: CLOSED",
        ]
    )
    + "\n",
    "\n".join(
        [
            _PUMP + "ON",
            _PUMP + "OFF",
            _PUMP + "ON",
            _PUMP + "OFF",
            "valve 4 (tank 1): OPEN",
            _PUMP + "ON",
            "valve 4 (tank 1): CLOSED",
            _PUMP + "OFF",
        ]
    )
    + "\n",
]


@pytest.mark.parametrize("text", FLAPS)
def test_state_lines_that_recur_outside_the_row_are_events(text: str) -> None:
    result = clean(text)
    assert result.text == text, [r.reason for r in result.removals]


def test_a_stretch_of_a_log_pasted_again_still_goes() -> None:
    # Control: lines found only in the two copies are a stretch pasted again.
    log = [
        "eth0: renamed from veth3a1b",
        "br0: port 2(veth9c) entered blocking state",
        "br0: port 2(veth9c) entered forwarding state",
    ]
    text = "\n".join(log + log + ["systemd: Started container"]) + "\n"
    assert clean(text).text == "\n".join([*log, "systemd: Started container"]) + "\n"


# try6 (T10d) A1: the same kind in a span far away and in Russian; both copies stay
TRY6_ADDED = [
    "Roads update\n\nThe bridge on the coast road is closed to lorries over 7.5 tonnes while the"
    " bearings are replaced. Cars and buses can still cross, but there are traffic lights and"
    " delays of up to twenty minutes at peak times.\n\nWeather: showers in the afternoon, clearing"
    " in the evening, with a light breeze from the west.\n\nIn brief. The bridge on the coast road"
    " is partly closed to lorries over 7.5 tonnes while the bearings are replaced. Cars and buses"
    " can still cross, but there are traffic lights and delays of up to twenty minutes at peak"
    " times.\n",
    "Новости\n\nМинистр транспорта Игорь Петров открыл в понедельник новый мост через Волгу."
    " Строительство обошлось в 9 миллиардов рублей и заняло три года.\n\nБывший министр"
    " транспорта Игорь Петров открыл в понедельник новый мост через Волгу. Строительство"
    " обошлось в 9 миллиардов рублей и заняло три года.\n\nКонец.\n",
]


@pytest.mark.parametrize("text", TRY6_ADDED)
def test_a_qualifier_added_in_a_far_span_or_another_language_keeps_both(text: str) -> None:
    result = clean(text)
    assert result.text == text, [r.reason for r in result.removals]
