"""Messages, MIME parts, chat messages, summary boxes and sub-sections are structure.

Session 8 (try7 A3b, A3c, A4, A4b, A5; try8 D1): text a document repeats in two of its
messages, in a summary box, or under a generic sub-heading of another parent is kept
(and reported as an isolated repeat); the same text pasted again is still cut.
Inputs named ``k1_*`` are the new users' (try7); the others are our own.
"""

from __future__ import annotations

import pytest

from textdedup import CleanConfig, clean
from textdedup.structure import heading_levels, message_units, summary_boxes

CANNED = (
    "Dear customer,\n\n"
    "Thank you for contacting us. We are sorry that your parcel has not arrived yet. Our "
    "carrier has confirmed that there are delays in your region because of the storm, and "
    "most parcels will be delivered within three working days.\n\n"
    "If your parcel has not arrived by then, please reply to this e-mail and we will send a "
    "replacement free of charge or refund your order in full, whichever you prefer.\n\n"
    "Kind regards,\nExample Shop Support\n"
)

ORDER = (
    "Thank you for your order. Unfortunately the item you ordered is out of stock at our "
    "central warehouse until the end of the month, because our supplier had to stop "
    "production for two weeks after a fire in its paint shop. We will ship your order as "
    "soon as the new stock arrives, and you can cancel it free of charge at any time before "
    "then from your account page."
)

REMINDER = (
    "Reminder: the quarterly security training is due by Friday. Everyone who has not "
    "finished the course yet will lose access to the production systems on Monday morning "
    "until it is done, so please set aside forty minutes this week."
)


def _kept(text: str) -> None:
    """The text comes back unchanged, and the repeat is reported as structure."""
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    assert len(result.isolated) >= 1


# -- 1. mail messages and MIME parts (try7 A3b, A3c) -----------------------------------


def test_k1_mbox_canned_reply_two_customers() -> None:
    text = (
        "From support@example-shop.de Mon Mar  2 09:14:00 2026\n"
        "From: Example Shop Support <support@example-shop.de>\n"
        "To: jonas.weber@example.com\nSubject: Re: Order 77120 not delivered\n\n"
        + CANNED
        + "\nFrom support@example-shop.de Mon Mar  2 09:31:00 2026\n"
        "From: Example Shop Support <support@example-shop.de>\n"
        "To: petra.lang@example.org\nSubject: Re: Where is my parcel? Order 77164\n\n" + CANNED
    )
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    assert [r.reason for r in result.isolated] == [
        "lines 20-27: run of 4 blocks repeating lines 6-13 (score 1.000)"
    ]


def test_k1_eml_multipart_alternative() -> None:
    paragraphs = [
        "Your table for four at Taberna do Largo is confirmed for Saturday 14 March at 20:30.",
        "If your plans change, please cancel at least 24 hours in advance so that we can "
        "offer the table to other guests.",
        "We look forward to welcoming you.",
    ]
    text = (
        "From: Taberna do Largo <reservas@tabernadolargo.example>\n"
        "To: maria.costa@example.com\nSubject: Booking confirmed: Saturday 14 March, 20:30\n"
        'MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b1_7f3a"\n\n'
        "--b1_7f3a\nContent-Type: text/plain; charset=utf-8\n\n"
        + "\n\n".join(paragraphs)
        + "\n\n--b1_7f3a\nContent-Type: text/html; charset=utf-8\n\n<html><body>\n"
        + "".join(f"<p>{p}</p>\n" for p in paragraphs)
        + "</body></html>\n\n--b1_7f3a--\n"
    )
    _kept(text)


@pytest.mark.parametrize(
    "headers",
    [
        # Outlook's text export
        (
            "From: Orders <orders@example-store.com>\nSent: Monday, March 9, 2026 10:12 AM\n"
            "To: Mark Olsen <mark.olsen@example.com>\nSubject: Your order 5521\n",
            "From: Orders <orders@example-store.com>\nSent: Monday, March 9, 2026 10:14 AM\n"
            "To: Ines Duarte <ines.duarte@example.com>\nSubject: Your order 5523\n",
        ),
        # German Outlook
        (
            "Von: Bestellungen <orders@example-store.com>\nGesendet: Montag, 9. März 2026 10:12\n"
            "An: Mark Olsen <mark.olsen@example.com>\nBetreff: Ihre Bestellung 5521\n",
            "Von: Bestellungen <orders@example-store.com>\nGesendet: Montag, 9. März 2026 10:14\n"
            "An: Ines Duarte <ines.duarte@example.com>\nBetreff: Ihre Bestellung 5523\n",
        ),
        # Gmail's "Show original": more headers, one folded
        (
            "Received: from mail.example-store.com (mail.example-store.com [203.0.113.5])\n"
            "        by mx.example.com with ESMTPS id a1b2c3\nFrom: orders@example-store.com\n"
            "To: mark.olsen@example.com\nSubject: Your order 5521\n"
            "Message-ID: <5521@example-store.com>\n",
            "Received: from mail.example-store.com (mail.example-store.com [203.0.113.5])\n"
            "        by mx.example.com with ESMTPS id d4e5f6\nFrom: orders@example-store.com\n"
            "To: ines.duarte@example.com\nSubject: Your order 5523\n"
            "Message-ID: <5523@example-store.com>\n",
        ),
    ],
    ids=["outlook", "outlook-de", "gmail-original"],
)
def test_the_same_body_in_two_mails_is_each_mails_own(headers: tuple[str, str]) -> None:
    body = f"Hello,\n\n{ORDER}\n\nBest regards,\nThe Example Store team\n"
    _kept(f"{headers[0]}\n{body}\n{headers[1]}\n{body}")


def test_a_body_pasted_twice_inside_one_mail_is_cut() -> None:
    head = (
        "From: Orders <orders@example-store.com>\nSent: Monday, March 9, 2026 10:12 AM\n"
        "To: Mark Olsen <mark.olsen@example.com>\nSubject: Your order 5521\n\nHello,\n\n"
    )
    body = f"{ORDER}\n\nBest regards,\nThe Example Store team\n"
    result = clean(f"{head}{body}\n{body}")
    assert result.text == head + body
    assert [r.kind for r in result.removals] == ["repeated-run"]


def test_a_whole_message_again_headers_and_all_is_cut() -> None:
    message = (
        "From orders@example-store.com Mon Mar  9 10:12:00 2026\n"
        "From: Orders <orders@example-store.com>\nTo: Mark Olsen <mark.olsen@example.com>\n"
        f"Subject: Your order 5521\n\nHello,\n\n{ORDER}\n\nBest regards,\nThe Example Store team\n"
    )
    result = clean(f"{message}\n{message}")
    assert result.text == message
    assert [r.reason for r in result.removals] == [
        "lines 13-23: run of 4 blocks repeating lines 1-11 (score 1.000)"
    ]


def test_a_whole_multipart_mail_again_is_cut() -> None:
    message = (
        'From: a@example.org\nTo: b@example.org\nSubject: Test\nContent-Type: multipart/alternative; boundary="xyz"\n\n'
        f"--xyz\nContent-Type: text/plain\n\n{ORDER}\n\n"
        f"--xyz\nContent-Type: text/html\n\n<p>{ORDER}</p>\n\n--xyz--\n"
    )
    result = clean(f"{message}\n{message}")
    assert result.text == message
    assert [r.kind for r in result.removals] == ["repeated-run"]


# -- 2. a chat message posted again is an event (try7 A4) -------------------------------


def test_k1_bot_reminder_two_days() -> None:
    bot = (
        "[08:00] release-bot: Reminder: the change freeze for the spring release starts on "
        "Wednesday at 18:00 UTC. From then on only fixes approved by the release manager can "
        "be merged into the release branch.\n\nPlease make sure your open pull requests for "
        "the release are reviewed before the freeze, and label the ones that must go in with "
        "`release-blocker`.\n"
    )
    text = (
        "#ops-announcements\n\nMonday 9 March\n" + bot + "[08:14] ana.m: noted, thanks\n"
        "[09:31] petr: is the mobile app part of the freeze too?\n"
        "[09:33] ana.m: yes, same branch\n\nTuesday 10 March\n"
        + bot
        + "[08:40] lin: 3 PRs still waiting for review on the payments service\n"
    )
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    assert [r.reason for r in result.isolated] == [
        "lines 12-14: repeated span of lines 4-6 (score 1.000)"
    ]


@pytest.mark.parametrize(
    ("first", "second", "other"),
    [
        # Slack: the sender and the time on a line of their own
        ("security-bot  APP  9:00 AM\n", "security-bot  APP  9:00 AM\n", "ana  9:12 AM\n"),
        # Discord
        (
            "security-bot — 09/03/2026 09:00\n",
            "security-bot — 10/03/2026 09:00\n",
            "ana — 09/03/2026 09:12\n",
        ),
        # WhatsApp
        ("09/03/2026, 09:00 - Security Bot: ", "10/03/2026, 09:00 - Security Bot: ", ""),
        # IRC
        ("[09:00] <security-bot> ", "[09:00] <security-bot> ", ""),
    ],
    ids=["slack", "discord", "whatsapp", "irc"],
)
def test_a_message_posted_on_two_days_is_kept(first: str, second: str, other: str) -> None:
    reply = f"{other}done already\n" if other else "[09:12] <ana> done already\n"
    if first.startswith("09/03"):
        reply = "09/03/2026, 09:12 - Ana: done already\n"
    text = f"Monday\n{first}{REMINDER}\n{reply}\nTuesday\n{second}{REMINDER}\n{reply}"
    _kept(text)


def test_a_stretch_of_a_chat_pasted_again_is_cut() -> None:
    lines = [
        "[10:02] <mira> the build on main is red again since the last merge of the payments "
        "branch, can someone look at the failing integration tests?",
        "[10:03] <tomas> looking, it is the currency rounding test that compares against the "
        "old fixtures",
        "[10:05] <mira> thanks, please ping me when the fix is in so I can restart the release "
        "pipeline",
    ]
    stretch = "\n".join(lines) + "\n"
    text = stretch + "[10:06] <tomas> will do\n" + stretch + "[10:40] <tomas> fix merged\n"
    result = clean(text)
    assert result.text == stretch + "[10:06] <tomas> will do\n[10:40] <tomas> fix merged\n"
    assert [r.reason for r in result.removals] == [
        "lines 5-7: run of 3 blocks repeating lines 1-3 (score 1.000)"
    ]


def test_a_message_glued_twice_inside_itself_is_cut() -> None:
    text = f"[09:00] security-bot: {REMINDER} {REMINDER}\n[09:12] ana: done already\n"
    result = clean(text)
    assert result.text == f"[09:00] security-bot: {REMINDER}\n[09:12] ana: done already\n"
    assert [r.kind for r in result.removals] == ["span"]


# -- 3. summary boxes (try7 A4b) ---------------------------------------------------------

S1 = "The city council approved a new budget of 412 million euros for the coming year."
S2 = "Most of the increase will go to public transport and to three primary schools."
S3 = "The opposition voted against the plan, saying it relies on optimistic tax forecasts."


def test_k1_news_key_points_box() -> None:
    text = (
        "Minimum wage to rise by 6.1 per cent\n\nKey points\n"
        "- The government will raise the minimum wage by 6.1 per cent from January.\n"
        "- Around 1.2 million workers are expected to benefit from the increase.\n"
        "- Business groups warned that small shops could cut hours as a result.\n\n"
        "The government will raise the minimum wage by 6.1 per cent from January. Around 1.2 "
        "million workers are expected to benefit from the increase. Business groups warned "
        "that small shops could cut hours as a result.\n\n"
        "The finance minister said the rise would be paid for in part by the higher tax "
        "revenue it would bring. The opposition called it too little, too late.\n"
    )
    result = clean(text)
    assert result.text == text
    assert [r.reason for r in result.isolated] == [
        "lines 8: repeated span of lines 4-6 (score 0.975), differing in punctuation"
    ]


def test_k1_blog_tldr_and_conclusion() -> None:
    summary = (
        "Switching our build from Webpack to Vite cut the cold start of the dev server from 48 "
        "seconds to under two seconds. Production builds got about 30 per cent faster, and the "
        "bundle is slightly smaller because of better tree shaking. The migration took two "
        "developers a week, most of it spent on replacing a handful of old Webpack loaders."
    )
    text = (
        f"# Moving a large React app from Webpack to Vite\n\n**TL;DR:** {summary}\n\n"
        "## Why we moved\n\nOur dev server took almost a minute to start, and every change to "
        "a shared module rebuilt half of the app.\n\n## What we changed\n\nWe replaced the "
        "Webpack config with a 40-line `vite.config.ts`, moved environment variables to the "
        "`VITE_` prefix, and rewrote two custom loaders as Vite plugins.\n\n"
        f"## Conclusion\n\n{summary}\n"
    )
    result = clean(text)
    assert result.text == text
    assert [r.reason for r in result.isolated] == [
        "lines 15: repeated span of lines 3 (score 1.000)"
    ]


@pytest.mark.parametrize(
    "text",
    [
        f"<h1>Council approves record budget</h1>\n"
        f'<p class="standfirst">{S1} {S2}</p>\n<p>{S1} {S2} {S3}</p>\n'
        "<p>The mayor said the schools would be finished by the autumn of next year.</p>\n",
        f"# Council approves record budget\n\n## At a glance\n\n- {S1}\n- {S2}\n- {S3}\n\n"
        f"{S1} {S2}\n\n{S3} The mayor said the schools would be finished next year.\n",
        f"Council approves record budget\n\nIn brief: {S1} {S2} {S3}\n\n"
        f"The vote took four hours. {S1} {S2} {S3}\n",
    ],
    ids=["standfirst", "at-a-glance", "in-brief"],
)
def test_a_summary_box_repeating_the_article_is_kept(text: str) -> None:
    _kept(text)


def test_an_article_with_its_box_pasted_again_is_cut() -> None:
    article = (
        f"# Council approves record budget\n\nKey points\n- {S1}\n- {S2}\n\n{S1} {S2} {S3}\n\n"
        "The mayor said the schools would be finished by the autumn of next year.\n"
    )
    result = clean(f"{article}\n{article}")
    assert result.text == article
    assert [r.kind for r in result.removals] == ["repeated-run"]


# -- 4. a generic sub-section under another parent heading (try7 A5) -------------------

TABLE = (
    "| status | code | meaning |\n| --- | --- | --- |\n"
    "| 400 | invalid_request | The body is not valid JSON or a required field is missing. |\n"
    "| 401 | unauthorized | The access token is missing, expired or revoked. |\n"
    "| 409 | conflict | An order with the same idempotency key already exists. |\n"
    "| 429 | rate_limited | More than 100 requests in one minute from this client. |\n"
)


THROWS = (
    "<dt>Throws:</dt>\n<dd><code>NotFoundException</code> - if no user with this id exists in "
    "the directory of the current tenant, or if the user was deleted and the retention "
    "period of thirty days has passed.</dd>\n<dd><code>AccessDeniedException</code> - if the "
    "caller lacks the directory read permission.</dd>\n"
)
JAVADOC = (
    '<h2>Method Details</h2>\n<section class="detail" id="getUser(java.lang.String)">\n'
    '<h3>getUser</h3>\n<div class="block">Returns the user with the given id.</div>\n'
    f'<dl class="notes">\n{THROWS}</dl>\n</section>\n'
    '<section class="detail" id="deleteUser(java.lang.String)">\n<h3>deleteUser</h3>\n'
    f'<div class="block">Deletes the user with the given id.</div>\n<dl class="notes">\n{THROWS}'
    "</dl>\n</section>\n"
)


def test_k1_api_docs_same_errors_table_last() -> None:
    text = (
        "# Orders API\n\n## POST /v2/orders\n\nCreates an order from the current basket.\n\n"
        f"#### Errors\n\n{TABLE}\n## POST /v2/refunds\n\nRefunds an order in full or in part.\n\n"
        f"#### Errors\n\n{TABLE}"
    )
    result = clean(text)
    assert result.text == text
    assert [r.reason for r in result.isolated] == [
        "lines 20-27: run of 2 blocks repeating lines 7-14 (score 1.000)"
    ]


def test_k1_two_recipes_same_glaze_steps_headed() -> None:
    glaze = (
        "### For the glaze\n\nMix the icing sugar with the lemon juice until smooth and pour it "
        "over the cake while it is still warm, so that it soaks in and sets as a thin crisp "
        "crust.\n"
    )
    text = (
        "## Lemon drizzle loaf\n\nBake the loaf for 45 minutes at 170 °C.\n\n"
        f"{glaze}\n## Orange and almond loaf\n\nBake the loaf for 50 minutes at 160 °C.\n\n{glaze}"
    )
    result = clean(text)
    assert result.text == text
    assert [r.reason for r in result.isolated] == [
        "lines 13-15: run of 2 blocks repeating lines 5-7 (score 1.000)"
    ]


@pytest.mark.parametrize(
    "text",
    [
        # reStructuredText (Sphinx): levels by the order of the underlines
        "Orders API\n==========\n\nCreate an order\n---------------\n\nCreates an order.\n\n"
        f"Errors\n~~~~~~\n\n{TABLE}\nCancel an order\n---------------\n\n"
        f"Cancels an order that has not shipped yet.\n\nErrors\n~~~~~~\n\n{TABLE}",
        # HTML headings
        "<h1>Orders API</h1>\n\n<h2>POST /v2/orders</h2>\n\n<p>Creates an order.</p>\n\n"
        f"<h4>Errors</h4>\n\n{TABLE}\n<h2>POST /v2/cancel</h2>\n\n<p>Cancels an order.</p>\n\n"
        f"<h4>Errors</h4>\n\n{TABLE}",
        # a level between: the parents differ two levels up
        "# Orders API\n\n## POST /v2/orders\n\n### Responses\n\nJSON.\n\n"
        f"#### Errors\n\n{TABLE}\n## POST /v2/refunds\n\n### Responses\n\nJSON.\n\n"
        f"#### Errors\n\n{TABLE}",
        # Javadoc: a sub-heading without a level (<dt>) under two methods' <h3>
        JAVADOC,
    ],
    ids=["rst", "html", "grandparent", "javadoc"],
)
def test_a_sub_section_under_another_parent_is_kept(text: str) -> None:
    _kept(text)


def test_a_sub_section_pasted_again_under_its_own_parent_is_cut() -> None:
    text = (
        "# Orders API\n\n## POST /v2/orders\n\nCreates an order.\n\n## POST /v2/cancel\n\n"
        f"Cancels an order.\n\n#### Errors\n\n{TABLE}\n#### Example\n\n"
        "Send the order id in the path; the body is empty.\n\n"
    )
    result = clean(f"{text}#### Errors\n\n{TABLE}")
    assert result.text == text.rstrip("\n") + "\n"
    assert [r.kind for r in result.removals] == ["repeated-run"]


# -- the recognisers ---------------------------------------------------------------------


def test_message_units_of_a_mailbox_and_a_chat() -> None:
    mbox = (
        "From a@x.org Mon Mar  2 09:14:00 2026\nFrom: a@x.org\nTo: b@x.org\n\nHi.\n\n"
        "From a@x.org Mon Mar  2 09:20:00 2026\nFrom: a@x.org\nTo: c@x.org\n\nHi.\n"
    )
    units = message_units(mbox)
    assert units.starts == [0, mbox.index("From a@x.org Mon Mar  2 09:20")]
    assert units.keys[0] != units.keys[1]
    # A YAML mapping's "from:"/"to:" and a note's "Subject:" alone are no mail.
    assert message_units("from: 2020\nto: 2021\n\nSubject: maths\n\nText.\n").starts == []
    # One line with a time and a sender is no chat; two are.
    assert message_units("08:00 Doors: open\n\nText.\n").starts == []
    assert message_units("[08:00] ana: hi\n[08:01] bo: hello\n").starts == [0, 16]


def test_summary_boxes_and_heading_levels() -> None:
    text = "Summary - It works.\n\nMore.\n\n<div class='key-points'><p>A.</p></div>\n"
    assert [text[a:b] for a, b in summary_boxes(text)] == ["It works.", "<p>A.</p>"]
    # "In short," opening a sentence is prose, not a box.
    assert summary_boxes("In short, it works.\n") == []
    levels = heading_levels("Title\n=====\n\nPart\n----\n\n### Three\n\n<h2>Two</h2>\n")
    assert list(levels.values()) == [1, 2, 3, 2]


# -- 5. the signature delimiter keeps its space (try8 D1) -------------------------------


def test_t2_signature_twice_keeps_dash_dash_space() -> None:
    signature = (
        "-- \nDr. Anneke de Vries\nHead of Research Data, Noordkaap Institute\n+31 20 555 0142\n\n"
        "This message may contain confidential information. If you received it in error, "
        "please tell the sender and delete it. The Noordkaap Institute accepts no liability "
        "for changes made to this message after it was sent.\n"
    )
    text = (
        "Subject: Data access request 2026-17\n\nHello Sam,\n\nYour request for the coastal "
        "survey data is approved. The files are on the shared drive under /survey/2025.\n\n"
        + signature
        + "\nSubject: Re: Data access request 2026-17\n\nHello Sam,\n\nThe password for the "
        "archive is in a separate message. It expires in 14 days.\n\n" + signature
    )
    result = clean(text)
    assert result.text == text
    assert result.text.count("\n-- \n") == 2
    assert [r.reason for r in result.isolated] == [
        "lines 20-25: run of 2 blocks repeating lines 7-12 (score 1.000)"
    ]
    # Other trailing spaces still go, a longer run after "--" too.
    assert clean("Hi.  \n--  \nAna\n").text == "Hi.\n--\nAna\n"


# -- 6. a mail quoted under an opener with no verb or a verb in the present (try8 A2) -----

IRENE = (
    "Hi Tomasz,\n\nThe invoice for the March workshop is attached. Please check the VAT number "
    "on page two, as our finance team changed it in February.\n\nThe payment is due within 30 "
    "days of the invoice date.\n\nBest,\nIrene\n"
)


@pytest.mark.parametrize(
    "opener",
    [
        # Gmail, Russian and Japanese: no verb, the time and the address say it
        "пн, 6 апр. 2026 г. в 09:12, Irene Walsh <irene@ortolan.example>:",
        "2026年4月6日(月) 9:12 Irene Walsh <irene@ortolan.example>:",
        # Thunderbird, Polish, in the present tense; and German, French the same way
        "W dniu 6.04.2026 o 09:12, Irene Walsh pisze:",
        "Am 06.04.2026 um 09:12 schreibt Irene Walsh:",
        "Le 6 avril 2026 à 09:12, Irene Walsh écrit :",
    ],
)
def test_a_mail_quoted_under_an_opener_is_kept(opener: str) -> None:
    text = (
        "From: Irene Walsh <irene@ortolan.example>\nDate: Mon, 6 Apr 2026 09:12:44 +0200\n"
        f"Subject: March invoice\n\n{IRENE}\n"
        "From: Tomasz Nowak <tomasz@ferrum.example>\nDate: Tue, 7 Apr 2026 15:40:02 +0200\n"
        "Subject: Re: March invoice\n\nHi Irene,\n\nThanks, we will pay by the end of the month."
        f"\n\nTomasz\n\n{opener}\n\n{IRENE}"
    )
    _kept(text)


def test_a_line_ending_with_an_address_and_no_time_opens_no_quotation() -> None:
    body = f"{ORDER}\n\nBest regards,\nThe Example Store team\n"
    text = f"Order 5521\n\n{body}\nPlease forward to Ines <ines@example.com>:\n\n{body}"
    result = clean(text)
    assert [r.kind for r in result.removals] == ["repeated-run"]


def test_a_titled_box_inside_a_summary_element_ends_with_it() -> None:
    # The title's box ("At a glance") ran on past </div> into the article, so both
    # copies were "in a box" and the lead paragraph was cut (try9 A5, HTML form).
    s1 = "The city will close the old bridge to cars from 1 May while its deck is replaced."
    s2 = "Buses and bicycles can still cross on a temporary lane next to the works."
    text = (
        "<h1>Old bridge closes to cars</h1>\n"
        '<div class="key-points">\n<h3>At a glance</h3>\n<ul>\n'
        f"<li>{s1}</li>\n<li>{s2}</li>\n</ul>\n</div>\n"
        f"<p>{s1} {s2}</p>\n"
        "<p>The works are expected to take eleven months and cost 14 million euros.</p>\n"
    )
    result = clean(text)
    assert result.text == text
    assert result.removals == ()


# -- 5. an archive that lists the reply before the original (try9 A6) --------------------
# Session 9: a quotation of a mail (under a reply opener, an Outlook, Thunderbird or
# forward separator with its header lines, or ``>``) and the mail itself under its own
# headers later in the archive: neither is a paste of the other, in either order and
# with every keep policy. A message pasted again with its headers is still a paste.

PABLO = (
    "Hola Carmen:\n\nTe adjunto el presupuesto revisado para la reforma de la cocina. He "
    "quitado la encimera de granito y he añadido la instalación eléctrica nueva, que el técnico "
    "considera obligatoria. El plazo sigue siendo de cuatro semanas.\n\nUn saludo,\nPablo\n"
)
PABLO_HEADERS = (
    "De: Pablo Ortega <pablo@reformas-ortega.example>\nEnviado: lunes, 16 de marzo de 2026 "
    "10:05\nPara: Carmen Vidal <carmen.vidal@example.es>\nAsunto: Presupuesto cocina\n"
)
OWEN = (
    "Hi Ana,\n\nthe venue for the April workshop is confirmed: Room 2.14 in the Hartley "
    "Building, from 9:30 to 16:00 on Thursday 9 April. Lunch is provided; please tell me about "
    "dietary needs by Friday.\n\nThe agenda and the reading list will follow next week, together "
    "with the map of the campus and the parking permits for those who come by car.\n\n"
    "Best,\nOwen\n"
)
OWEN_HEADERS = (
    "From: Owen Reid <owen@uni.example>\nTo: Ana Costa <ana@uni.example>\n"
    "Date: Mon, 16 Mar 2026 10:05:12 +0000\nSubject: April workshop\n"
)
ANA_REPLY = (
    "From: Ana Costa <ana@uni.example>\nTo: Owen Reid <owen@uni.example>\n"
    "Date: Mon, 16 Mar 2026 11:02:40 +0000\nSubject: Re: April workshop\n\n"
    "Thanks Owen, no dietary needs here. See you on the 9th.\n\nAna\n\n"
)
QUOTED_HEADERS = (
    "From: Owen Reid <owen@uni.example>\nSent: Monday, March 16, 2026 10:05 AM\n"
    "To: Ana Costa <ana@uni.example>\nSubject: April workshop\n"
)


@pytest.mark.parametrize("keep", ["first", "last", "longest"])
def test_k1_outlook_reply_spanish(keep: str) -> None:
    # The original lost its whole body, its four header lines left over nothing;
    # with --keep last the reply lost its quotation and the ____ line.
    text = (
        "De: Carmen Vidal <carmen.vidal@example.es>\nEnviado: lunes, 16 de marzo de 2026 12:40\n"
        "Para: Pablo Ortega <pablo@reformas-ortega.example>\nAsunto: RE: Presupuesto cocina\n\n"
        "Gracias, Pablo. Lo reviso esta noche con mi pareja y te digo algo mañana.\n\nCarmen\n\n"
        f"________________________________\n{PABLO_HEADERS}\n{PABLO}\n{PABLO_HEADERS}\n{PABLO}"
    )
    result = clean(text, config=CleanConfig(keep=keep))  # type: ignore[arg-type]
    assert result.text == text
    assert result.removals == ()
    assert len(result.isolated) == 1


@pytest.mark.parametrize("keep", ["first", "last"])
def test_k1_gmail_archive_reply_first(keep: str) -> None:
    body = (
        "Hi Ana,\n\nthe venue for the April workshop is confirmed: Room 2.14 in the Hartley "
        "Building, from 9:30 to 16:00 on Thursday 9 April. Lunch is provided; please tell me "
        "about dietary needs by Friday.\n\nBest,\nOwen\n"
    )
    text = (
        f"{ANA_REPLY}On Mon, 16 Mar 2026 at 10:05, Owen Reid <owen@uni.example> wrote:\n\n"
        f"{body}\n{OWEN_HEADERS}\n{body}"
    )
    result = clean(text, config=CleanConfig(keep=keep))  # type: ignore[arg-type]
    assert result.text == text
    assert result.removals == ()


def _quoted(lines: str) -> str:
    return "".join(f"> {line}\n" if line else ">\n" for line in lines.rstrip("\n").split("\n"))


@pytest.mark.parametrize(
    "quotation",
    [
        # Apple Mail, French; Gmail in German, Portuguese, Japanese
        f"Le 16 mars 2026 à 10:05, Owen Reid <owen@uni.example> a écrit :\n\n{OWEN}",
        f"Am Mo., 16. März 2026 um 10:05 Uhr schrieb Owen Reid <owen@uni.example>:\n\n{OWEN}",
        f"Em seg., 16 de mar. de 2026 às 10:05, Owen Reid <owen@uni.example> escreveu:\n\n{OWEN}",
        f"2026年3月16日(月) 10:05 Owen Reid <owen@uni.example>:\n\n{OWEN}",
        # Outlook, Thunderbird, a forward: a separator and the quoted header lines
        f"-----Original Message-----\n{QUOTED_HEADERS}\n{OWEN}",
        f"________________________________\n{QUOTED_HEADERS}\n{OWEN}",
        f"-------- Original Message --------\n{OWEN_HEADERS}\n{OWEN}",
        f"---------- Forwarded message ---------\n{OWEN_HEADERS}\n{OWEN}",
        # quoted with ">" markers
        f"On Mon, 16 Mar 2026 at 10:05, Owen Reid <owen@uni.example> wrote:\n\n{_quoted(OWEN)}",
    ],
    ids=[
        "apple-fr",
        "gmail-de",
        "gmail-pt",
        "gmail-ja",
        "outlook",
        "outlook-underscores",
        "thunderbird",
        "forward",
        "gt-quoted",
    ],
)
@pytest.mark.parametrize(
    ("keep", "blocks"),
    [("first", "auto"), ("last", "auto"), ("first", "line"), ("first", "sentence")],
)
def test_a_reply_listed_before_its_original_keeps_both(
    quotation: str, keep: str, blocks: str
) -> None:
    text = f"{ANA_REPLY}{quotation}\n{OWEN_HEADERS}\n{OWEN}"
    result = clean(text, config=CleanConfig(keep=keep, blocks=blocks))  # type: ignore[arg-type]
    assert result.text == text
    assert result.removals == ()
    assert len(result.isolated) >= 1


def test_an_mbox_sorted_newest_first_keeps_every_message() -> None:
    # Three messages, newest first: each reply quotes the one before it.
    owen2 = (
        "From: Owen Reid <owen@uni.example>\nTo: Ana Costa <ana@uni.example>\n"
        "Date: Mon, 16 Mar 2026 12:30:00 +0000\nSubject: Re: Re: April workshop\n\n"
        "Great, see you then. I booked a table for lunch too.\n\nOwen\n\n"
    )
    ana = "Thanks Owen, no dietary needs here. See you on the 9th.\n\nAna\n"
    opener = "On Mon, 16 Mar 2026 at {}, {} wrote:\n\n"
    text = (
        "From owen@uni.example Mon Mar 16 12:30:00 2026\n"
        + owen2
        + opener.format("11:02", "Ana Costa <ana@uni.example>")
        + ana
        + "\n"
        + opener.format("10:05", "Owen Reid <owen@uni.example>")
        + OWEN
        + "\n"
        + "From ana@uni.example Mon Mar 16 11:02:40 2026\n"
        + ANA_REPLY
        + opener.format("10:05", "Owen Reid <owen@uni.example>")
        + OWEN
        + "\n"
        + "From owen@uni.example Mon Mar 16 10:05:12 2026\n"
        + OWEN_HEADERS
        + "\n"
        + OWEN
    )
    for keep in ("first", "last"):
        result = clean(text, config=CleanConfig(keep=keep))  # type: ignore[arg-type]
        assert result.text == text
        assert result.removals == ()


def test_the_original_pasted_again_after_a_reply_quoting_it_is_cut() -> None:
    # Reply (quoting Owen), Owen's message, and Owen's message again, headers and all:
    # the quotation stays, the second copy of the message goes, with either policy.
    opener = "On Mon, 16 Mar 2026 at 10:05, Owen Reid <owen@uni.example> wrote:\n\n"
    message = f"{OWEN_HEADERS}\n{OWEN}"
    text = f"{ANA_REPLY}{opener}{OWEN}\n{message}\n{message}"
    result = clean(text)
    assert result.text == f"{ANA_REPLY}{opener}{OWEN}\n{message}"
    assert [r.reason for r in result.removals] == [
        "lines 35-47: run of 5 blocks repeating lines 21-33 (score 1.000)"
    ]
    result = clean(text, config=CleanConfig(keep="last"))
    assert result.text == f"{ANA_REPLY}{opener}{OWEN}\n{message}"
    assert [r.reason for r in result.removals] == [
        "lines 21-33: run of 5 blocks repeating lines 35-47 (score 1.000)"
    ]


def test_a_message_then_a_reply_quoting_it_then_the_message_again() -> None:
    # With --keep last, the message's earlier copy goes and the reply keeps its quotation
    # (before, the quotation was cut too, as a copy of the message's last copy).
    opener = "On Mon, 16 Mar 2026 at 10:05, Owen Reid <owen@uni.example> wrote:\n\n"
    message = f"{OWEN_HEADERS}\n{OWEN}"
    text = f"{message}\n{ANA_REPLY}{opener}{OWEN}\n{message}"
    result = clean(text)
    assert result.text == f"{message}\n{ANA_REPLY}{opener}{OWEN}"
    assert [r.kind for r in result.removals] == ["repeated-run"]
    result = clean(text, config=CleanConfig(keep="last"))
    assert result.text == f"{ANA_REPLY}{opener}{OWEN}\n{message}"
    assert [r.reason for r in result.removals] == [
        "lines 1-13: run of 5 blocks repeating lines 35-47 (score 1.000)"
    ]
