"""Kinds of copy the cleaner must find, and kinds of repetition it must keep.

Each test is one kind of fault, written with inputs of our own (not the benchmark's):
the edges of the two copies, clause numbers, header lines, quotations, records,
re-cased copies, markup around a copy inside a line, and the report's counts.
"""

from __future__ import annotations

import re

from textdedup import CleanConfig, clean
from textdedup.clean import CleanResult, Location, Removal

SENTENCES = [
    "The harbour board met on Tuesday to discuss the state of the old grain quay.",
    "Divers found that two of the timber piles had rotted through at the waterline.",
    "Repairs are expected to take most of the summer and will close the quay to boats.",
    "Fishing crews will moor at the new pontoon on the north side until the work is done.",
    "The board thanked the volunteers who cleared the slipway after the winter storms.",
    "A public meeting about the plans will be held in the lifeboat station next month.",
]


def _described(result: object) -> str:
    """The source without the removed ranges, whitespace aside (what the report says)."""
    src = result.source  # type: ignore[attr-defined]
    keep = bytearray(b"\x01") * len(src)
    for r in result.removals:  # type: ignore[attr-defined]
        keep[r.removed.start : r.removed.end] = bytes(r.removed.end - r.removed.start)
    return re.sub(r"\s+", "", "".join(c for c, k in zip(src, keep, strict=True) if k))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- the edges of a stutter ----------------------------------------------------------


def test_stutter_whose_first_letter_follows_the_same_letter_is_cut_whole() -> None:
    # The title ends with "s" and so does the body: in the key, "s <body>" repeats
    # "s <body>", one letter before the copy. The copy starts at a word boundary.
    body = "\n".join(SENTENCES[:4])
    for title in ("Road works", "Harbour news", "### Notes on the quay works"):
        text = f"{title}\n{body}\n{body}\n"
        result = clean(text)
        assert result.text == f"{title}\n{body}\n", title
        [removal] = result.removals
        assert removal.reason == "lines 6-9: run of 4 blocks repeating lines 2-5 (score 1.000)"
        assert _described(result) == _squeeze(result.text)


def test_doubled_faq_whose_last_answer_ends_like_the_title_keeps_its_headings() -> None:
    # A FAQ pasted twice; the title and the last answer end with the same letter, so
    # in the key "s ### how do I..." repeats one letter before the copy starts. The
    # copy is cut whole (no "###" left behind), as a run, with its true kept lines.
    same = "Yes, see the section on accounts in the help centre, which explains each step."
    qa = [
        ("How do I contact support?", "Write to us through the contact form or call us."),
        ("Can I close my account?", same),
        ("Can I buy a gift card?", same),
        ("Can I cancel my order?", "You can cancel an order until it is packed and sent out."),
        (
            "Is my card information safe?",
            "Card details stay with our payment provider, not servers.",
        ),
    ]
    body = "\n\n".join(f"### {q}\n\n{a}" for q, a in qa)
    text = f"Frequently asked questions\n\n{body}\n\n{body}\n"
    result = clean(text)
    assert result.text == f"Frequently asked questions\n\n{body}\n"
    assert [r.reason for r in result.removals] == [
        # (the "###" of the first heading is markup, as ">" and "-" are: named)
        "lines 23-41: run of 10 blocks repeating lines 3-21 (score 1.000), "
        "with the markup it left empty (###)"
    ]
    assert _described(result) == _squeeze(result.text)


# -- clause numbers, header lines -------------------------------------------------------


def test_clause_pasted_without_its_number_into_another_clause_is_removed() -> None:
    pasted = (
        "No change to this contract is valid unless it is made in writing and signed by both "
        "parties. Either party may end this contract by giving three months of written notice."
    )
    text = (
        "SERVICE CONTRACT\n\n1. Scope\n\n1.1 The Supplier shall clean the offices every weekday "
        "evening after the staff have left.\n\n"
        f"2. Changes\n\n2.1 {pasted}\n\n"
        "3. Fees\n\n3.1 The Customer shall pay the monthly fee within thirty days of the invoice. "
        f"{pasted}\n"
    )
    result = clean(text)
    assert result.text == text[: -len(pasted) - 2] + "\n"
    assert result.text.endswith("thirty days of the invoice.\n")
    [removal] = result.removals
    assert removal.kind == "span" and removal.score == 1.0
    assert removal.kept.line_start == removal.kept.line_end == 9


def test_numbered_clause_repeated_under_another_number_is_kept() -> None:
    clause = (
        "Any notice under this contract shall be in writing and delivered by hand or sent by "
        "recorded post to the address of the receiving party."
    )
    text = (
        "SERVICE CONTRACT\n"
        "1. General\n"
        f"1.1 The Supplier shall clean the offices every weekday evening.\n1.9 {clause}\n"
        "2. Fees\n"
        f"2.1 The Customer shall pay the monthly fee within thirty days.\n2.9 {clause}\n"
    )
    result = clean(text)
    assert result.text == text and result.removals == ()
    assert [r.kind for r in result.isolated] == ["span"]


def test_copy_of_a_post_after_its_header_line_is_found() -> None:
    # The original follows "ana wrote:" on the next line of the same paragraph: that
    # line start opens a unit as a sentence start does.
    post = (
        "I keep my tyres in the cellar on a wooden pallet, away from the boiler. "
        "Every spring I check the pressure before putting them back on the car."
    )
    text = (
        "Storing winter tyres\n\n"
        f"ana wrote:\n{post}\n\n"
        "ben wrote:\nMine hang on hooks in the garage, which works well enough for me.\n\n"
        f"{post}\n"
    )
    result = clean(text)
    assert result.text == text.replace(f"\n\n{post}\n", "\n")
    [removal] = result.removals
    assert removal.kept.line_start == 4


def test_copy_followed_by_a_header_with_another_name_is_still_found() -> None:
    # The span finder bridges the names in "ana wrote:" / "ben wrote:" after the copy;
    # the chained copies then differ in a name, and the exact pieces are tried instead.
    post = (
        "Mine are stacked on their sides because the racks take too much room. "
        "The rubber on the older set started to crack after seven winters, so I gave up."
    )
    quoted = 'As cal said, "Out of interest, does anyone mark which wheel each tyre came from?"'
    ana = f"{quoted} I write it on the sidewall with chalk."
    ben = f"{quoted} Never, they all look the same to me."
    text = (
        "Storing winter tyres\n\n"
        f"cal wrote:\nOut of interest, does anyone mark which wheel each tyre came from? {post}\n\n"
        f"ana wrote:\n{ana}\n\n"
        "dee wrote:\nI leave mine at the garage over the winter, it costs very little.\n\n"
        f"{post}\n\n"
        f"ben wrote:\n{ben}\n"
    )
    result = clean(text)
    assert result.text == text.replace(f"{post}\n\nben wrote", "ben wrote")
    assert [r.kind for r in result.removals] == ["span"]


# -- quotations -----------------------------------------------------------------------


def test_quotations_do_not_make_a_pasted_copy_a_refrain() -> None:
    # The post is quoted twice (on purpose, and marked as such) and pasted once more
    # as a paragraph of its own: the paste goes, the quotations stay.
    post = (
        "The shop told me the bags only matter if you store them near solvents. "
        "Has anyone tried the storage racks they sell at the hardware shop?"
    )
    text = (
        "Storing winter tyres\n\n"
        f"ana wrote:\n{post}\n\n"
        f"ben wrote:\n> {post}\nI have never used bags at all.\n\n"
        "cal wrote:\nI stack mine on a pallet in the shed.\n"
        f"{post}\n\n"
        f"dee wrote:\nQuote from ana: {post}\nRacks are too expensive for me.\n"
    )
    result = clean(text)
    assert result.text.count(post) == 3
    assert f"> {post}" in result.text and f"Quote from ana: {post}" in result.text
    assert "pallet in the shed.\n\ndee wrote:" in result.text
    assert len(result.removals) == 1


def test_a_repeat_inside_quotation_marks_is_never_cut() -> None:
    first = "The rubber on the older set started to crack after six winters, so I gave up on them."
    second = "I had the same problem last year and the dealer replaced the valve for free."
    text = (
        "Storing winter tyres\n\n"
        f"ana wrote:\n{first} {second} The manual says to check the pressure.\n\n"
        f'ben wrote:\nAs ana said, "{first} {second}" - a small dehumidifier helps too.\n\n'
        f'cal wrote:\nAs ana said, "{first} {second} The manual" - I never read it.\n'
    )
    result = clean(text)
    assert result.text == text and result.removals == ()
    assert result.text.count('"') == 4


# -- records, sentences, scripts ---------------------------------------------------------


def test_records_are_a_copy_at_any_length_only_right_after_their_original() -> None:
    rows = [f"2026-03-0{d},Northam North,{17 + d}.5,{60 + d},cloudy" for d in range(1, 8)]
    head = "date,station,temp,humidity,sky\n"
    # Two rows directly after themselves: a stutter, removed however short.
    text = head + "\n".join(rows[:4] + rows[2:4] + rows[4:]) + "\n"
    result = clean(text)
    assert result.text == head + "\n".join(rows) + "\n"
    [removal] = result.removals
    assert removal.reason == "lines 6-7: run of 2 blocks repeating lines 4-5 (score 1.000)"
    # The same two rows far away: short, so kept and reported, like any short run.
    text = head + "\n".join(rows + rows[2:4]) + "\n"
    result = clean(text)
    assert result.text == text and result.removals == ()
    [isolated] = result.isolated
    assert isolated.reason == "lines 9-10: run of 2 blocks repeating lines 4-5 (score 1.000)"


def test_rows_shared_by_two_lists_stay() -> None:
    # A second timetable, recipe or order that shares two rows with the first is not a
    # paste: the second list would lose them (try10 finding 1).
    docs = [
        "Weekday service, route 12\n07:05 Mill Lane\n07:15 Station Road\n07:32 Market"
        " Square\n07:50 Hospital\nSaturday service, route 12\n07:15 Station Road\n"
        "07:32 Market Square\n08:10 Retail Park\n",
        "Sponge\n225 g softened unsalted butter, plus extra for the tin\n225 g golden caster"
        " sugar\n4 large eggs\nCrumble topping\n225 g softened unsalted butter, plus extra"
        " for the tin\n225 g golden caster sugar\n150 g plain flour\n",
        "Order 1\n2 x semi-skimmed milk 1 l, 1.10 each\n1 x wholemeal bread 800 g, 1.45\n"
        "3 x apples, 0.40 each\nOrder 2\n2 x semi-skimmed milk 1 l, 1.10 each\n"
        "1 x wholemeal bread 800 g, 1.45\n1 x cheddar 400 g, 3.20\n",
    ]
    for text in docs:
        result = clean(text)
        assert result.text == text and result.removals == (), text


def test_lines_without_numbers_repeated_far_away_stay_structure() -> None:
    # A two-line refrain (no facts, short) sung twice: the same shape as the rows
    # above, but a song's structure.
    refrain = "Hold the garden, hold the light,\nwe will be dancing through the night."
    text = (
        "Oh the river runs so wide and slow,\nand the willows bend where the lanterns glow.\n"
        f"{refrain}\n"
        "I walked the road from town to town,\nwith a borrowed coat and a hat of brown.\n"
        f"{refrain}\n"
    )
    result = clean(text)
    assert result.text == text and result.removals == ()


def test_two_sentences_pasted_inside_another_paragraph_are_a_copy() -> None:
    # Two sentences, 20 words: under min_copy_span (25) for one sentence, but two
    # sentences repeated in order inside other paragraphs are a paste.
    pasted = (
        "Власти обещают регулярно сообщать о ходе работ на официальном сайте. "
        "Экологи просят провести обследование берега реки до начала вырубки деревьев."
    )
    text = (
        "Новости района\n\n"
        f"Городской совет одобрил план строительства нового моста. {pasted}\n\n"
        "Работы должны начаться весной и продлиться около года.\n\n"
        "Жители собрали много подписей в поддержку проекта. "
        f"Петицию передали в мэрию в пятницу. {pasted}\n"
    )
    # (The paste follows two sentences of that paragraph's own, the original one: with
    # one own sentence at both places the two paragraphs would be two records of one
    # template that end alike, kept; see test_clean_heldout_s7.py.)
    result = clean(text)
    assert result.text == text[: -len(pasted) - 2] + "\n"
    assert result.text.count(pasted) == 1
    [removal] = result.removals
    assert removal.kind == "span" and removal.removed.line_start == 7
    # One sentence of the same length repeated inside two paragraphs is a clause.
    one = "Власти обещают регулярно сообщать о ходе работ на официальном сайте городского совета."
    text = (
        f"Новости\n\nСовет одобрил план. {one}\n\nРаботы начнутся весной.\n\nЖители рады. {one}\n"
    )
    assert clean(text).text == text


def test_cjk_characters_count_as_words_for_the_copy_length() -> None:
    # 37 characters of Japanese, two sentences: 37 words, not two.
    pasted = "東京都は火曜日に新しい博物館を建設すると発表した。総投資額は五億円の見込みだ。"
    text = (
        f"ニュース\n\n市民は歓迎している。{pasted}\n\n"
        "専門家は維持費を考える必要があると指摘した。\n\n"
        f"地元の報道によると多くの市民が利用する。駅からも近い。{pasted}\n"
    )
    # (Two sentences of its own before the paste, one before the original: with as
    # many at both places, two records of one template ending alike, kept.)
    result = clean(text)
    assert result.text == text[: -len(pasted) - 1] + "\n"
    assert [r.reason for r in result.removals] == [
        "lines 7: repeated span of lines 3 (score 1.000)"
    ]


# -- small edits ---------------------------------------------------------------------------


def test_title_case_copy_right_after_its_original_is_a_near_duplicate() -> None:
    line = "Road works on the main street will close two lanes from Monday until the end of May"
    for sep in ("\n", "\n\n"):
        text = f"Town news{sep}{line}{sep}{line.title()}{sep}Other news follows below.\n"
        result = clean(text)
        assert result.text == f"Town news{sep}{line}{sep}Other news follows below.\n"
        [removal] = result.removals
        assert removal.kind == "near" and 0.9 <= removal.score < 1.0


def test_a_typo_with_a_change_of_case_is_an_edit_but_a_changed_name_is_not() -> None:
    from textdedup.verify import compare

    a = "My neighbour swears by covering them with an old blanket, but I have never tried it."
    assert compare(a, a.replace("never", "Nveer")).near(0.9)
    assert not compare(a, a.replace("My neighbour", "My Neighbour Smith")).near(0.9)
    b = "The parcel went to Mr Smith at the depot on the corner of the high street today."
    assert not compare(b, b.replace("Smith", "Smyth")).near(0.9)


# -- markup and the report ------------------------------------------------------------------


def test_copy_in_its_own_element_inside_a_paragraph_takes_its_tags() -> None:
    a = (
        "The council approved the new harbour plans on Monday after a long debate. "
        "Engineers expect the steel deck to be lifted into place next spring."
    )
    text = (
        f"<h1>Harbour</h1>\n<p>{a}</p>\n<p>Residents asked for parking near the ferry.</p>\n"
        f"<p>Work starts in March. <p>{a}</p></p>\n"
    )
    result = clean(text)
    assert result.text == text.replace(f" <p>{a}</p></p>", "</p>")
    assert result.text.endswith("<p>Work starts in March.</p>\n")
    [removal] = result.removals
    assert removal.markup == ("<p>", "</p>") and removal.score == 1.0
    assert "<p></p>" not in result.text


def test_removed_chars_counts_each_character_once() -> None:
    # A B A B with a stutter cut out of the middle brings the copies together; what
    # a later pass finds is mapped back over the earlier cut.
    a, b = SENTENCES[0] + " " + SENTENCES[1], SENTENCES[2] + " " + SENTENCES[3]
    text = f"Title\n\n{a}\n\n{b}\n\n{b}\n\n{a}\n\n{b}\n"
    result = clean(text)
    report = result.to_dict()
    covered = bytearray(len(result.source))
    for r in result.removals:
        covered[r.removed.start : r.removed.end] = b"\x01" * (r.removed.end - r.removed.start)
    assert report["removed_chars"] == sum(covered)
    assert report["removed_chars"] <= len(result.source) - len(result.text)
    assert clean(result.text).text == result.text
    # A removal of a later pass mapped back over an earlier cut covers it again.
    source = "Title\n" + "x" * 100 + "\n"
    first = Removal("span", Location(10, 40, 2, 2), Location(0, 5, 1, 1), 1.0, 1)
    second = Removal("span", Location(6, 60, 2, 2), Location(0, 5, 1, 1), 1.0, 1)
    both = CleanResult(
        text=source[:6] + source[60:],
        removals=(first, second),
        source=source,
        mode="line",
        blocks=2,
    )
    assert both.to_dict()["removed_chars"] == 54


def test_settings_do_not_change_a_document_with_no_repeats() -> None:
    text = "\n\n".join(SENTENCES) + "\n"
    for config in (CleanConfig(), CleanConfig(min_copy_span=40), CleanConfig(isolated="remove")):
        assert clean(text, config=config).text == text


def test_an_edit_a_few_words_before_a_copys_end_does_not_cut_its_last_sentence_off() -> None:
    # The span finder needs 25 matching key characters after an edit to go on; the
    # copy's end grows across a comma added (or a typo) and ends at the sentence end. (A
    # word added to a passage this short is a fact: verify._EDIT_WORDS.)
    a = (
        "Orders placed before three in the afternoon leave our warehouse the same day. "
        "Parcels to the islands usually arrive within four working days."
    )
    edited = a.replace("usually arrive within", "usually arrive, within")
    typo = a.replace("working days", "wroking days")
    for copy in (edited, typo):
        text = (
            f"Delivery\n\nWe ship from our own warehouse. {a}\n\n"
            f"Returns are free for thirty days.\n\nWe answer within a day. {copy}\n"
        )
        result = clean(text)
        assert result.text == text.replace(f" {copy}\n", "\n"), copy
        [removal] = result.removals
        assert removal.kind == "span" and 0.9 <= removal.score < 1.0
    # A word that is not a typo of the other copy's ends the copy there: another
    # name after the end is the next post's header, not an edit.
    changed = a.replace("within four working", "within four calendar")
    text = (
        f"Delivery\n\nWe ship from our own warehouse. {a}\n\n"
        f"Returns are free for thirty days.\n\nWe answer within a day. {changed}\n"
    )
    assert clean(text).text == text


def test_numbered_clause_restating_the_sentence_before_it_is_not_a_stutter() -> None:
    # "2.9 X" right after a clause that ends with X: the number between the copies
    # makes the repeat a clause of its own, not a paste.
    x = (
        "Nothing in this contract shall limit the liability of either party for death or "
        "personal injury caused by its negligence."
    )
    for sep in ("\n\n", "\n"):
        text = (
            f"1. General{sep}1.1 Interest on late payments shall accrue at four percent per "
            f"year. {x}{sep}1.9 {x}{sep}2. Fees{sep}2.1 The fee is due monthly.\n"
        )
        result = clean(text)
        assert result.text == text and result.removals == (), sep


def test_a_clause_repeated_under_another_number_does_not_join_the_copy_after_it() -> None:
    # "5.9 X" ends section 5 and section 6 follows; "8.9 X" ends the contract and
    # section 6 is pasted after it. The copy is section 6; 8.9 is a clause of its own.
    x = "The Supplier shall deliver the Goods to the Premises on the dates in Schedule 12."
    six = (
        "6.1 The Supplier warrants that the Services will be performed with reasonable "
        "skill and care. The Customer may inspect the Goods within five working days of "
        "delivery and reject any that do not conform to the Specification. Time shall be "
        "of the essence for the performance of this obligation."
    )
    text = (
        "5. Disputes\n\n5.1 Neither Party shall be liable for any delay beyond its control.\n\n"
        f"5.9 {x}\n\n6. Delivery\n\n{six}\n\n"
        "8. Definitions\n\n8.1 Either Party may end this Agreement by written notice.\n\n"
        f"8.9 {x}\n\n6. Delivery {six}\n"
    )
    result = clean(text)
    assert result.text == text.replace(f"\n\n6. Delivery {six}\n", "\n")
    assert result.text.endswith(f"8.9 {x}\n")


def test_a_clause_found_three_times_in_a_wrapped_contract_stays() -> None:
    # X (25 words) as clause 1.9, at the end of 3.2, and as clause 3.9, hard-wrapped
    # with no blank lines (one block per line): three occurrences, structure.
    x = (
        "Any notice under this Agreement shall be in writing and delivered by hand or "
        "sent by recorded post to the address of the receiving Party."
    )
    body = (
        "1. General\n1.1 The Supplier shall deliver the Goods on the dates in Schedule 11.\n"
        f"1.9 {x}\n"
        "2. Fees\n2.1 The Customer shall pay each invoice within thirty days.\n"
        f"3. Notices\n3.2 If any provision is found invalid, the others remain in force. {x}\n"
        f"3.9 {x}\n"
        "4. Law\n4.1 This Agreement is governed by the laws of Ontario.\n"
    )
    text = "\n".join(line for para in body.splitlines() for line in _wrap(para, 60)) + "\n"
    result = clean(text)
    assert result.text == text and result.removals == ()


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


# -- copies that say the opposite --------------------------------------------------------


def test_a_copy_that_says_the_opposite_is_not_a_near_duplicate() -> None:
    # A negation added or left out, "n't", or a word of the opposite direction
    # (increased / decreased, internal / external) states another fact at any length.
    base = (
        "The water level in the northern reservoir {w} by four centimetres during the"
        " second week of the month, according to the figures the utility published today."
    )
    pairs = [
        ("rose", "fell"),
        ("increased", "decreased"),
        ("has risen", "has not risen"),
        ("has risen", "hasn't risen"),
        ("was measured", "was never measured"),
        ("rose sharply", "rose sharply without rain"),
    ]
    for first, second in pairs:
        one, two = base.format(w=first), base.format(w=second)
        for sep in ("\n", "\n\n"):
            text = f"Reservoir report{sep}{one}{sep}{two}{sep}End of report.\n"
            result = clean(text)
            assert result.text == text and result.removals == (), (first, second, sep)
    # A typo or a changed punctuation mark is still an edit.
    one = base.format(w="increased")
    text = f"Reservoir report\n{one}\n{one.replace('increased', 'incresaed')}\n"
    assert [r.kind for r in clean(text).removals] == ["near"]
    # The reproductions: sales increased / decreased, "has been given" / "has not".
    sales = (
        "Sales of the new bicycle model in the northern region {w} steadily over the"
        " first quarter, the regional manager told the board at the meeting on Friday."
    )
    text = f"{sales.format(w='increased')}\n\n{sales.format(w='decreased')}\n"
    assert clean(text).removals == ()
    dose = (
        "The patient in bed twelve has {w} given the evening dose of the antibiotic"
        " before ten, as the consultant asked on the ward round this morning."
    )
    text = f"Handover\n\n{dose.format(w='been')}\n\n{dose.format(w='not been')}\n"
    assert clean(text).removals == ()


# -- quotations under an attribution line of their own -------------------------------------


def test_a_quotation_under_an_attribution_line_of_its_own_is_kept() -> None:
    post = (
        "We moved the allotment shed to the north corner last spring, laid a gravel base"
        " under it and fitted a gutter that fills two water butts, so the beds never"
        " dried out during the heatwave in July."
    )
    reply = "Did the gravel base need a membrane under it?"
    for attribution in (
        "tom_h wrote:",
        "On Tue, 3 Mar 2026 at 10:15, Tom Hart <tom@example.org> wrote:",
        "Quote from tom_h:",
        "Tom said:",
    ):
        text = (
            f"Thread: Moving a shed\n\ntom_h posted:\n{post}\n\nsally posted:\n"
            f"{attribution}\n{post}\n\n{reply}\n"
        )
        result = clean(text)
        assert result.text == text and result.removals == (), attribution
    # The reproduction: a nested attribution ("pete_77 wrote:" / "mara_k wrote:").
    text = f"mara_k wrote:\n{post}\n\npete_77 wrote:\nmara_k wrote:\n{post}\n\n{reply}\n"
    assert clean(text).removals == ()
    # A header that is no attribution does not make a paste a quotation.
    text = f"{post}\n\nRead more:\n{post}\n"
    assert clean(text).text == f"{post}\n\nRead more:\n"


# -- brackets and corner quotes around a copy ---------------------------------------------


def test_a_cut_never_leaves_an_unbalanced_bracket_or_corner_quote() -> None:
    # A paragraph pasted inside brackets in a sentence that goes on: cutting it would
    # leave "(see the earlier report: Divers … waterline. and said that …".
    copy = " ".join(SENTENCES[1:4])
    pairs = ("()", "[]", "{}", "\u300c\u300d", "\u300e\u300f")
    for opener, closer in pairs:
        later = (
            f"The board repeated its warning {opener}see the earlier report: {copy}{closer}"
            " and said that the quay will reopen."
        )
        text = f"Harbour news\n\n{SENTENCES[0]}\n\n{copy}\n\n{SENTENCES[4]}\n\n{later}\n"
        result = clean(text)
        assert result.text == text and result.removals == (), opener
    # The reproduction, with CJK text: the quotation stays whole.
    s1 = "工程师周日检查了码头,钢架已经扭曲,两根桩柱发生了移动,需要更换。"
    s2 = "临时浮桥正在建造之中,预计两周内拖到岛上,届时渡轮恢复运营。"
    text = f"渡轮停运\n\n{s1}{s2}\n\n正如记者所写:\u300c{s1}{s2}\u300d我们也这样认为。\n"
    result = clean(text)
    assert result.text.count("\u300c") == result.text.count("\u300d")
    # Between sentences, outside any bracket, the copy still goes.
    text = f"Harbour news\n\n{copy}\n\n{SENTENCES[4]} {copy} {SENTENCES[5]}\n"
    assert [r.kind for r in clean(text).removals] == ["span"]
