"""Which copy clean keeps, and the cuts around quote blocks, teasers and separators
(issue 10, session 8: try7 B3/C1/D1, try8 A0/B0/B2).

- A quotation, a teaser or a signature that repeats the original is kept as structure
  whichever copy ``keep`` prefers: with ``keep="last"`` the original is not cut to leave
  only its quotation.
- A teaser cut off with an ellipsis is kept whole when a link follows the ellipsis
  ("Read more") or when the article has captions between its paragraphs.
- A copy inside a quote block of a markup other than HTML (Jira, BBCode/Discourse,
  AsciiDoc, a wiki template) goes with its block's markup: no empty block is left.
- A copy glued after its original with a separator between them (" ▶ ", " | ", " / ",
  " » ", " · ", an en dash) goes with that separator; a Markdown table's cells are kept.
- A tag's attribute values are facts in the span stage too (a `<time datetime>`).

The inputs are this file's own (other places, other words than the try7/try8 suites).
"""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.config import CleanConfig

_S = (
    "The library on Quay Street will open at nine on weekdays from the first of June, "
    "an hour earlier than now, because the council has hired two more librarians. "
    "Readers can return books at the drop box by the side door at any hour of the day."
)
_T = (
    "Parking behind the town hall is free after six in the evening. "
    "The barrier stays open until midnight on market days."
)


def _clean(text: str, **options: str) -> tuple[str, list[str], list[str]]:
    result = clean(text, config=CleanConfig(**options))  # type: ignore[arg-type]
    return (
        result.text,
        [r.reason for r in result.removals],
        [r.reason for r in result.isolated],
    )


# -- keep="last": a quotation, a teaser or a signature never stands in for the original --

_MAIL = f"""From: Aoife Byrne <aoife@harbour.example>
Date: Thu, 4 Jun 2026 10:02:11 +0100
Subject: Opening hours

Dear Karl,

{_S}

The reading room upstairs stays closed during the works, and the lift is out of order until July.

Kind regards,
Aoife

From: Karl Lind <karl@lind.example>
Date: Thu, 4 Jun 2026 14:30:40 +0100
Subject: Re: Opening hours

Thanks, Aoife, I will pass this on to our members.

Karl

On Thu, 4 Jun 2026 at 10:02, Aoife Byrne <aoife@harbour.example> wrote:
> Dear Karl,
>
> {_S}
>
> The reading room upstairs stays closed during the works, and the lift is out of order until July.
>
> Kind regards,
> Aoife
"""

_ORIGINAL_MESSAGE = f"""From: Aoife Byrne <aoife@harbour.example>
Date: Thu, 4 Jun 2026 10:02:11 +0100
Subject: Opening hours

Dear Karl,

{_S}

The reading room upstairs stays closed during the works, and the lift is out of order until July.

Kind regards,
Aoife

From: Karl Lind <karl@lind.example>
Date: Thu, 4 Jun 2026 14:30:40 +0100
Subject: RE: Opening hours

Hello Aoife,

Thanks, that is clear. I will tell the members on Monday.

Karl

-----Original Message-----
From: Aoife Byrne <aoife@harbour.example>
Sent: Thursday, June 4, 2026 10:02 AM
To: Karl Lind <karl@lind.example>
Subject: Opening hours

Dear Karl,

{_S}

The reading room upstairs stays closed during the works, and the lift is out of order until July.

Kind regards,
Aoife
"""

_TEASER = f"""# Library opens earlier

{_S}

{_T}

More news

{_S} Parking behind the town hall is free after…
"""


_SIGNATURE = (
    "--\nAoife Byrne\nHarbour Library, Quay Street, Galway\nThis message and any "
    "attachment are confidential. If you received it by mistake, please tell the sender "
    "and delete it. Opinions expressed are the sender's own."
)
_SIGNED = (
    f"Hi all,\n\nThe new hours start on Monday.\n\n{_SIGNATURE}\n\n"
    f"Hi Karl,\n\nYes, the drop box stays where it is.\n\n{_SIGNATURE}\n"
)


@pytest.mark.parametrize("keep", ["first", "last", "longest"])
@pytest.mark.parametrize(
    "text", [_MAIL, _ORIGINAL_MESSAGE, _TEASER, _SIGNED], ids=["gt", "om", "teaser", "sig"]
)
def test_a_quotation_or_teaser_is_kept_whichever_copy_keep_prefers(text: str, keep: str) -> None:
    out, removals, _ = _clean(text, keep=keep)
    assert out == text
    assert removals == []


def test_keep_last_still_removes_a_real_paste() -> None:
    # Two paragraphs pasted again at the end: with keep="last" the earlier copies go.
    body = f"# Notice\n\n{_S}\n\n{_T}\n\nQuestions to the front desk.\n\n{_S}\n\n{_T}\n"
    out, removals, _ = _clean(body, keep="last")
    assert out == f"# Notice\n\nQuestions to the front desk.\n\n{_S}\n\n{_T}\n"
    assert removals == ["lines 3-5: run of 2 blocks repeating lines 9-11 (score 1.000)"]


# -- teasers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "after", [" Read more", " Continue reading →", " [Read more](/news/library)", " [...]"]
)
def test_a_teaser_with_a_link_after_its_ellipsis_is_kept_whole(after: str) -> None:
    text = _TEASER.replace("after…\n", f"after…{after}\n")
    if after == " [...]":
        text = _TEASER.replace("after…\n", "after [...]\n")
    assert text != _TEASER
    out, removals, _ = _clean(text)
    assert out == text
    assert removals == []


def test_a_teaser_over_an_article_with_captions_is_kept_whole() -> None:
    a1, a2 = _S.split(". ")
    text = (
        f"# Library opens earlier\n\n{a1}.\n\nPhoto: The reading room on Quay Street.\n\n"
        f"{a2}\n\nPicture: The drop box by the side door.\n\n{_T}\n\n## Most read\n\n"
        f"Library opens earlier. {a1}. {a2} Parking behind the town hall is...\n"
    )
    out, removals, _ = _clean(text)
    assert out == text
    assert removals == []


def test_a_glued_copy_takes_its_read_more_link() -> None:
    link = '<a href="/news/library">Read more</a>'
    text = f"<h2>Parking</h2>\n<p>{_T} {link} {_T} {link}</p>\n"
    out, removals, _ = _clean(text)
    assert out == f"<h2>Parking</h2>\n<p>{_T} {link}</p>\n"
    assert len(removals) == 1


# -- quote blocks of other markups ------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "closing"),
    [
        ("{quote}", "{quote}"),
        ('[quote="karl, post:7, topic:120"]', "[/quote]"),
        ("[quote]", "[/quote]"),
        ("____", "____"),
    ],
)
def test_a_doubled_quote_block_goes_whole(opening: str, closing: str) -> None:
    block = f"{opening}\n{_S}\n{closing}"
    text = f"Notes from the meeting\n\n{block}\n{block}\n\nAgreed by all.\n"
    out, removals, _ = _clean(text)
    assert out == f"Notes from the meeting\n\n{block}\n\nAgreed by all.\n"
    assert len(removals) == 1
    assert closing in removals[0] or "markup" in removals[0]


def test_two_quote_blocks_with_other_text_between_keep_their_delimiters() -> None:
    # The delimiter lines around a cut are a pair only when the first opens a block.
    text = f"{{quote}}\n{_T}\n{{quote}}\n{_S}\n{_S}\n{{quote}}\nAgreed.\n{{quote}}\n"
    out, _, _ = _clean(text)
    assert out.count("{quote}") == 4


def test_the_same_words_quoted_from_another_author_are_kept() -> None:
    text = f'[quote="karl"]\n{_S}\n[/quote]\n[quote="ana"]\n{_S}\n[/quote]\nAgreed.\n'
    out, removals, _ = _clean(text)
    assert out == text
    assert removals == []


def test_a_doubled_fenced_note_goes_whole() -> None:
    text = f":::note\n{_S}\n:::\n:::note\n{_S}\n:::\n\nAgreed.\n"
    out, removals, _ = _clean(text)
    assert out == f":::note\n{_S}\n:::\n\nAgreed.\n"
    assert removals == [
        "lines 4-6: repeated span of lines 1-3 (score 1.000), "
        "with the markup it left empty (:::note :::)"
    ]


def test_a_quotation_line_doubled_inside_a_list_item() -> None:
    text = f"Notes:\n\n- From the notice:\n  > {_S}\n  > {_S}\n- Agreed by all.\n"
    out, _, _ = _clean(text)
    assert out == f"Notes:\n\n- From the notice:\n  > {_S}\n- Agreed by all.\n"


def test_a_copy_glued_inside_a_wiki_template_field() -> None:
    text = f"== Reception ==\n{{{{Quote|text={_S} {_S}|author=Harbour FM}}}}\nMore text.\n"
    out, removals, _ = _clean(text)
    assert out == f"== Reception ==\n{{{{Quote|text={_S}|author=Harbour FM}}}}\nMore text.\n"
    assert len(removals) == 1


def test_a_copy_glued_inside_a_latex_footnote() -> None:
    text = (
        f"Opening hours change in June.\\footnote{{{_S} {_S}}} Other branches stay as they are.\n"
    )
    out, _, _ = _clean(text)
    assert (
        out == f"Opening hours change in June.\\footnote{{{_S}}} Other branches stay as they are.\n"
    )


# -- separators ---------------------------------------------------------------------------


@pytest.mark.parametrize("sep", ["▶", "|", "/", "»", "·", "–", "—"])
def test_a_copy_glued_after_a_separator_goes_with_it(sep: str) -> None:
    text = f"Info {sep} {_S} {sep} {_S} {sep} Free entry.\n"
    out, removals, _ = _clean(text)
    assert out == f"Info {sep} {_S} {sep} Free entry.\n"
    assert len(removals) == 1


def test_a_separator_between_two_copies_at_the_line_end() -> None:
    out, _, _ = _clean(f"{_S} / {_S}\n")
    assert out == f"{_S}\n"


def test_equal_cells_of_a_table_row_are_kept() -> None:
    text = (
        "| Day | Morning | Evening |\n| --- | --- | --- |\n"
        f"| Mon | {_S} | {_S} |\n| Tue | Closed. | Closed. |\n"
    )
    out, removals, isolated = _clean(text)
    assert out == text
    assert removals == []
    assert isolated  # found and reported, not cut


def test_a_copy_glued_in_a_table_cell_takes_its_line_break() -> None:
    a, b = _S.split(". ")
    text = f"| Branch | Notes |\n| --- | --- |\n| Quay | {a}.<br>{b}<br>{a}.<br>{b} |\n"
    out, _, _ = _clean(text)
    assert out == f"| Branch | Notes |\n| --- | --- |\n| Quay | {a}.<br>{b} |\n"


# -- attribute values are facts ---------------------------------------------------------


def test_two_notices_with_other_datetimes_are_kept() -> None:
    text = (
        "<section>\n"
        f'<p><time datetime="2026-06-01">First Monday</time>: {_T}</p>\n'
        f'<p><time datetime="2026-07-06">First Monday</time>: {_T}</p>\n'
        "</section>\n"
    )
    out, removals, _ = _clean(text)
    assert out == text
    assert removals == []


def test_two_runs_with_other_datetimes_are_no_copies() -> None:
    # Line for line the same words twice, a run of two; but the first lines name other
    # dates: two notices, each with the same closing paragraph.
    text = (
        f'<p><time datetime="2026-06-01">First Monday</time> {_T}</p>\n<p>{_S}</p>\n'
        f'<p><time datetime="2026-07-06">First Monday</time> {_T}</p>\n<p>{_S}</p>\n'
    )
    out, removals, _ = _clean(text)
    assert out == text
    assert removals == []


def test_the_same_notice_pasted_again_is_still_removed() -> None:
    notice = f'<p><time datetime="2026-06-01">First Monday</time>: {_T} {_S}</p>'
    text = f"<section>\n{notice}\n{notice}\n</section>\n"
    out, removals, _ = _clean(text)
    assert out == f"<section>\n{notice}\n</section>\n"
    assert len(removals) == 1


# -- keep="last" and a copy whose original has captions between its paragraphs --------

_A = [
    "The ferry to the island will run twice a day from Monday, the operator said after a "
    "meeting with the council on Friday evening.",
    "Tickets bought for the cancelled sailings can be used on any crossing until the end of "
    "the month, or refunded at the harbour office.",
    "Islanders had asked for a second daily crossing for years, as the single morning boat "
    "made day trips to the mainland impossible.",
]
_CHAINED = (
    f"# Ferry to run twice a day\n\n{_A[0]}\n\nPhoto: The ferry at the north pier.\n\n"
    f"{_A[1]}\n\nPicture: The harbour office.\n\n{_A[2]}\n\nShare this article\n\n"
    + "\n\n".join(_A)
    + "\n"
)


@pytest.mark.parametrize("keep", ["first", "last"])
def test_an_article_pasted_again_without_its_captions_under_either_keep(keep: str) -> None:
    out, removals, _ = _clean(_CHAINED, keep=keep)
    assert len(removals) == 3
    assert out.count(_A[0]) == out.count(_A[1]) == out.count(_A[2]) == 1
    assert "Photo: The ferry at the north pier." in out
    if keep == "last":
        assert out.endswith("\n\n".join(_A) + "\n")
    else:
        assert out.endswith("Share this article\n")


# -- the element a run stands in names other values: another element ---------------------


def _card(code: str) -> str:
    return (
        f'<article class="listing" data-id="{code}">\n'
        "  <h3>Two-bedroom flat near the harbour</h3>\n"
        f"  <p>{_T}</p>\n"
        "</article>\n"
    )


def test_two_cards_with_other_ids_and_the_same_content_are_kept() -> None:
    text = _card("QS-118") + _card("QS-121")
    out, removals, _ = _clean(text)
    assert out == text
    assert removals == []


def test_a_card_pasted_again_whole_is_still_removed() -> None:
    text = _card("QS-118") + _card("QS-118")
    out, removals, _ = _clean(text)
    assert out == _card("QS-118")
    assert len(removals) == 1


# -- a copy glued inside a string with escaped line breaks -----------------------------


def test_a_copy_doubled_inside_a_json_string() -> None:
    body = f"{_S}\\n\\n{_T}"
    text = f'{{\n  "id": "n-7",\n  "body": "{body}\\n\\n{body}"\n}}\n'
    out, removals, _ = _clean(text)
    assert out == f'{{\n  "id": "n-7",\n  "body": "{body}"\n}}\n'
    assert len(removals) == 1


def test_escaped_breaks_between_other_sentences_stay() -> None:
    text = f'{{"body": "{_S}\\n\\n{_T}\\n\\nSee you there."}}\n'
    out, removals, _ = _clean(text)
    assert out == text
    assert removals == []


def test_a_copy_opening_its_line_takes_the_separator_after_it() -> None:
    out, removals, _ = _clean(f"{_S}\n\n{_S} | {_T}\n")
    assert out == f"{_S}\n\n{_T}\n"
    assert removals == [
        "lines 3: repeated span of lines 1 (score 1.000), with the markup it left empty (|)"
    ]


@pytest.mark.parametrize("sep", ["|", "▶"])
def test_a_line_of_two_copies_and_a_separator_goes_whole(sep: str) -> None:
    # (With " / " or " · " between them the copies are not found yet: nothing is cut.)
    out, _, _ = _clean(f"{_S}\n\n{_S} {sep} {_S}\n\nEnd.\n")
    assert out == f"{_S}\n\nEnd.\n"
