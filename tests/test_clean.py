from __future__ import annotations

from pathlib import Path

import pytest

from textdedup import CleanConfig, clean


def expected(lines: list[str], sep: str = "\n") -> str:
    return sep.join(lines) + "\n"


def test_fixture_prints_the_article_once(article: str, article_lines: list[str]) -> None:
    result = clean(article)
    assert result.text == expected(article_lines)
    assert result.text.endswith(".\n") and not result.text.endswith("\n\n")
    [removal] = result.removals
    assert removal.kind == "repeated-run"
    assert removal.blocks == 9
    assert (removal.removed.line_start, removal.removed.line_end) == (11, 19)
    assert (removal.kept.line_start, removal.kept.line_end) == (2, 10)
    assert removal.score == 1.0
    assert (
        result.source[removal.removed.start : removal.removed.end]
        == result.source[removal.kept.start : removal.kept.end]
    )


def _doubled(lines: list[str], second: list[str], sep: str = "\n") -> str:
    return sep.join(lines) + sep + sep.join(second) + sep * 12


def test_second_copy_with_small_edits(article_lines: list[str]) -> None:
    body = article_lines[1:]
    edited = [
        body[0].replace("State Department", "State  Department"),  # doubled space
        body[1].replace("computer chips", "computer\u00a0chips"),  # NBSP
        body[2].replace("'foreign supply'", "\u2018foreign supply\u2019"),  # curly quotes
        body[3].replace("utilize", "utilise"),  # a fixed typo
        *body[4:7],
        body[7].replace("'Project Vault,'", "\u201cProject Vault,\u201d"),
        body[8].replace("welcomed", "welcommed"),
    ]
    result = clean(_doubled(article_lines, edited))
    assert result.text == expected(article_lines)
    [removal] = result.removals
    assert removal.kind == "repeated-run"
    assert (removal.removed.line_start, removal.removed.line_end) == (11, 19)
    assert (removal.kept.line_start, removal.kept.line_end) == (2, 10)
    assert 0.95 < removal.score < 1.0


def test_crlf_line_endings(article: str, article_lines: list[str]) -> None:
    result = clean(article.replace("\n", "\r\n"))
    assert result.text == expected(article_lines)
    [removal] = result.removals
    assert (removal.removed.line_start, removal.removed.line_end) == (11, 19)


def test_paragraphs_separated_by_blank_lines(article_lines: list[str]) -> None:
    text = _doubled(article_lines, article_lines[1:], sep="\n\n")
    result = clean(text)
    assert result.mode == "paragraph"
    assert result.text == expected(article_lines, sep="\n\n")
    [removal] = result.removals
    assert removal.kind == "repeated-run" and removal.blocks == 9
    assert (removal.removed.line_start, removal.removed.line_end) == (21, 37)
    assert (removal.kept.line_start, removal.kept.line_end) == (3, 19)


@pytest.mark.parametrize("glue", ["", " "])
def test_second_copy_starts_mid_line(article_lines: list[str], glue: str) -> None:
    body = article_lines[1:]
    text = "\n".join(article_lines) + glue + "\n".join(body) + "\n\n\n"
    result = clean(text)
    assert result.text == expected(article_lines)
    [removal] = result.removals
    assert removal.kind == "span"
    assert (removal.removed.line_start, removal.removed.line_end) == (10, 18)
    assert (removal.kept.line_start, removal.kept.line_end) == (2, 10)


def test_second_copy_starts_mid_line_with_partial_word_overlap() -> None:
    # The first copy's last word ends like the headline's: the cut must not split a word.
    head = "Markets rallied on strong exports."
    body = [
        "Shares in Asia rose for a third day as investors bet on a soft landing for the economy.",
        "Analysts said the rally could continue if inflation keeps cooling in the coming months.",
        "Bond yields fell while the dollar weakened against most major currencies on Tuesday.",
        "Traders will watch the central bank meeting next week for any sign of a policy change.",
    ]
    body[-1] += " Oil prices held steady despite the news of rising imports."
    text = head + "\n" + "\n".join(body) + "\n".join(body) + "\n"
    result = clean(text)
    assert result.text == head + "\n" + "\n".join(body) + "\n"


LANGUAGES = {
    "chinese": [
        "全球关键矿产部长级会议周三在华盛顿举行，多个国家和组织的代表出席了会议。",
        "与会代表讨论了制造芯片和电动汽车电池所需矿产的供应与获取问题。",
        "美国计划利用关税防止关键矿产价格过低，以鼓励对采矿业的投资。",
        "业内人士对这一举措表示欢迎，认为这对保障技术进步和国家安全至关重要。",
    ],
    "japanese": [
        "水曜日、国務省は初の重要鉱物閣僚会合を開催し、多くの国と組織が参加した。",
        "代表団は半導体や電気自動車の電池の製造に欠かせない鉱物の供給について議論した。",
        "米国は重要鉱物の価格が下がりすぎないよう関税を活用する計画だという。",
        "業界関係者はこの取り組みを歓迎し、供給の安定が国家安全保障に重要だと述べた。",
    ],
    "russian": [
        "В среду Государственный департамент провёл первую встречу министров по критически важным минералам.",
        "Делегаты обсудили доступ к минералам, необходимым для производства микросхем и аккумуляторов.",
        "США планируют использовать пошлины, чтобы цены на критически важные минералы не падали слишком низко.",
        "Представители отрасли приветствовали эту инициативу и отметили важность надёжных поставок.",
    ],
    "arabic": [
        "استضافت وزارة الخارجية يوم الأربعاء أول اجتماع وزاري بشأن المعادن الحيوية بمشاركة دول ومنظمات عديدة.",
        "ناقش المندوبون توافر المعادن الضرورية لصناعة الرقائق الإلكترونية وبطاريات السيارات الكهربائية.",
        "تخطط الولايات المتحدة لاستخدام الرسوم الجمركية لمنع انخفاض أسعار المعادن الحيوية أكثر من اللازم.",
        "رحب ممثلو الصناعة بهذه المبادرة وأكدوا أهمية تأمين الإمدادات من أجل الأمن القومي.",
    ],
}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("layout", ["lines", "paragraphs", "mid-line"])
def test_doubled_text_in_other_scripts(language: str, layout: str) -> None:
    body = LANGUAGES[language]
    head = body[0][:12]
    if layout == "lines":
        text = head + "\n" + "\n".join(body) + "\n" + "\n".join(body) + "\n\n\n"
        want = head + "\n" + "\n".join(body) + "\n"
    elif layout == "paragraphs":
        text = head + "\n\n" + "\n\n".join(body) + "\n\n" + "\n\n".join(body) + "\n\n\n"
        want = head + "\n\n" + "\n\n".join(body) + "\n"
    else:
        text = head + "\n" + "\n".join(body) + "\n".join(body) + "\n"
        want = head + "\n" + "\n".join(body) + "\n"
    result = clean(text)
    assert result.text == want
    assert len(result.removals) == 1


def test_short_blocks_only_go_inside_a_run() -> None:
    p1 = "The first paragraph of the story is long enough to count on its own."
    p2 = "The second paragraph is also long enough to stand as a block by itself."
    p3 = "A third paragraph that appears only once and must always survive."
    text = (
        "\n".join([p1, "Advertisement", p3, "Advertisement", p2, "* * *", p1, "Advertisement", p3])
        + "\n"
    )
    result = clean(text, config=CleanConfig(min_span=0, isolated="remove"))
    # Lines 7-9 repeat lines 1-3 (the lone "Advertisement" on line 8 goes with them);
    # "Advertisement" on line 4 is not part of any run and stays. The run is shorter
    # than min_copy and not adjacent to its earlier copy: by default it is kept.
    assert result.text == "\n".join([p1, "Advertisement", p3, "Advertisement", p2, "* * *"]) + "\n"
    [removal] = result.removals
    assert removal.kind == "repeated-run"
    assert (removal.removed.line_start, removal.removed.line_end) == (7, 9)
    kept = clean(text, config=CleanConfig(min_span=0))
    assert kept.text == text and kept.removals == ()
    assert [r.reason for r in kept.isolated] == [
        "lines 7-9: run of 3 blocks repeating lines 1-3 (score 1.000)"
    ]


def test_min_length_zero_removes_short_exact_duplicates() -> None:
    text = "Advertisement\nA long and unique paragraph about something.\nAdvertisement\n"
    assert clean(text).text == text
    assert clean(text, config=CleanConfig(min_length=0)).text == text  # isolated: kept
    result = clean(text, config=CleanConfig(min_length=0, isolated="remove"))
    assert result.text == "Advertisement\nA long and unique paragraph about something.\n"
    assert [r.kind for r in result.removals] == ["exact"]


def test_near_duplicate_block_is_reported_with_its_score() -> None:
    a = "The committee approved the budget for next year after a long debate on Tuesday evening."
    b = "The comittee approved the budget for next year, after a long debate on tuesday evening!"
    # Another word in place of one (evening / night) is another fact, not a near duplicate.
    c = a.replace("evening", "night")
    assert (
        clean(f"{a}\nSomething else.\n{c}\n", config=CleanConfig(isolated="remove")).removals == ()
    )
    text = f"{a}\nSomething else entirely, with its own words.\n{b}\n"
    [isolated] = clean(text, config=CleanConfig(min_span=0)).isolated
    assert isolated.kind == "near" and 0.9 <= isolated.score < 1.0
    result = clean(text, config=CleanConfig(min_span=0, isolated="remove"))
    [removal] = result.removals
    assert removal.kind == "near"
    assert removal.removed.line_start == 3 and removal.kept.line_start == 1
    assert 0.9 <= removal.score < 1.0
    assert result.text == f"{a}\nSomething else entirely, with its own words.\n"


@pytest.mark.parametrize(
    ("keep", "want"),
    [
        ("first", "short version of the paragraph that repeats\nmiddle line that is unique here\n"),
        (
            "last",
            "middle line that is unique here\nshort version of the paragraph that repeats!!\n",
        ),
        (
            "longest",
            "short version of the paragraph that repeats (!!!)\nmiddle line that is unique here\n",
        ),
    ],
)
def test_keep_policy(keep: str, want: str) -> None:
    if keep == "longest":
        text = (
            "short version of the paragraph that repeats\nmiddle line that is unique here\n"
            "short version of the paragraph that repeats (!!!)\n"
        )
        config = CleanConfig(keep="longest", min_span=0, threshold=0.85, isolated="remove")
        result = clean(text, config=config)
        assert (
            result.text
            == "middle line that is unique here\nshort version of the paragraph that repeats (!!!)\n"
        )
        return
    text = (
        "short version of the paragraph that repeats\nmiddle line that is unique here\n"
        "short version of the paragraph that repeats!!\n"
    )
    config = CleanConfig(keep=keep, min_span=0, isolated="remove")  # type: ignore[arg-type]
    result = clean(text, config=config)
    assert result.text == want


def test_empty_and_blank_input() -> None:
    assert clean("").text == ""
    assert clean("\n\n \n").text == ""
    assert clean("").removals == ()


def test_no_repetition_only_normalizes() -> None:
    text = "Caf\u00e9\u00a0society  \r\n\r\n\r\n\r\nSecond\u200b paragraph.\r\n"
    assert clean(text).text == "Café society\n\nSecond paragraph.\n"


def test_missing_final_newline_is_not_added() -> None:
    assert clean("one line").text == "one line"


def test_bytes_get_a_friendly_error() -> None:
    with pytest.raises(TypeError, match="decode it first"):
        clean(b"bytes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 1.5}, r"threshold must be in \[0, 1\], got 1.5"),
        ({"keep": "middle"}, "keep must be one of first, last, longest, got 'middle'"),
        ({"blocks": "word"}, "blocks must be one of auto, paragraph, line, sentence, got 'word'"),
        ({"min_span": -1}, "min_span must be an int >= 0, got -1"),
    ],
)
def test_bad_config_names_the_argument(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CleanConfig(**kwargs)  # type: ignore[arg-type]


# -- legitimate repetition is structure; copies are removed --------------------------

VERSES = [
    ["I woke before the sun came up and walked the empty road,", "my pockets full of time."],
    [
        "The station clock was running slow, the platform cold and grey,",
        "a stranger held the door.",
    ],
    ["And when the city lights go out I'll find my way back home,", "with every mile a story."],
]
REFRAIN = [
    "Ride on, ride on, the morning train is calling me,",
    "ride on, ride on, across the hills and to the sea.",
]


@pytest.mark.parametrize("sep", ["\n", "\n\n"])
def test_refrain_is_kept_with_and_without_blank_lines(sep: str) -> None:
    stanzas = ["\n".join(verse + REFRAIN) for verse in VERSES]
    text = "Morning Train" + sep + sep.join(stanzas) + "\n"
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    assert len(result.isolated) == 2
    removed = clean(text, config=CleanConfig(isolated="remove"))
    assert removed.text.count("Ride on, ride on, the morning train") == 1


def test_long_chorus_sung_three_times_is_kept() -> None:
    chorus = [
        "Oh the river runs down to the harbour and the harbour opens wide to the sea,",
        "and the boats that go out in the morning come home in the evening to me,",
        "so I wait by the light on the jetty while the gulls and the fishermen call,",
        "and I know that the tide will return them, the tide that returns to us all.",
    ]
    verses = [
        "First verse about a town on the coast.",
        "Second verse about the winter storms.",
        "Third verse about the long summer days.",
    ]
    text = "\n".join(line for v in verses for line in [v, *chorus]) + "\n"
    assert len(" ".join(chorus).split()) > 50  # longer than min_copy: it is the count that keeps it
    result = clean(text)
    assert result.text == text
    assert result.removals == ()


@pytest.mark.parametrize("sep", ["\n", "\n\n"])
def test_faq_with_the_same_answer_twice_is_kept(sep: str) -> None:
    answer = [
        "Yes. You can return any item within 30 days of delivery for a full refund.",
        "Write to our support team with your order number and we will send a label.",
    ]
    text = (
        sep.join(
            [
                "Frequently asked questions",
                "Can I return a gift?",
                *answer,
                "How do I get a shipping label?",
                "Use the form on the orders page, or ask support by mail.",
                "Can I return a sale item?",
                *answer,
            ]
        )
        + "\n"
    )
    result = clean(text)
    assert result.text == text
    assert result.isolated  # found and reported


def test_table_rows_and_cells_that_repeat_are_kept() -> None:
    rows = [
        "date,station,reading,status",
        "2024-01-01,Oakfield North weather station,12.5,ok",
        "2024-01-02,Oakfield North weather station,12.5,ok",
        "2024-01-03,Oakfield North weather station,-12.5,ok",
        "2024-01-04,Brook County weather station,12.5,ok",
        "| Oakfield North weather station | reading pending review |",
        "| Brook County weather station | reading pending review |",
        "| Oakfield North weather station | reading pending review |",
    ]
    text = "\n".join(rows) + "\n"
    result = clean(text)
    assert result.text == text
    assert result.removals == ()


def test_code_with_repeated_statements_is_kept() -> None:
    code = (
        "\n".join(
            [
                "def test_add():",
                "    result = calculator.evaluate(expression, precision=10)",
                "    assert result == expected_value_for_the_expression",
                "",
                "def test_sub():",
                "    result = calculator.evaluate(expression, precision=10)",
                "    assert result == expected_value_for_the_expression",
                "    assert result.total_value == expected.total_value",
                "    assert result.total_values == expected.total_values",
                "    assert result.total[value] == expected.total[value]",
            ]
        )
        + "\n"
    )
    assert clean(code).text == code


def test_contract_clause_repeated_is_kept() -> None:
    clause = (
        "The Supplier shall indemnify the Buyer against all losses arising from any breach "
        "of this Agreement, including reasonable legal costs, and this obligation shall "
        "survive the termination or expiry of this Agreement for a period of six years."
    )
    text = (
        "\n\n".join(
            [
                "1. Supply. The Supplier shall deliver the Goods to the Buyer's premises.",
                clause,
                "2. Services. The Supplier shall perform the Services with reasonable skill.",
                clause,
                "3. Payment. The Buyer shall pay each invoice within thirty days.",
            ]
        )
        + "\n"
    )
    result = clean(text)
    assert result.text == text
    [isolated] = result.isolated
    assert isolated.kind == "exact" and isolated.removed.line_start == 7


def test_stutter_is_removed() -> None:
    line = "The committee approved the budget after a long debate on Tuesday."
    text = f"Budget news\n{line}\n{line}\n{line}\nThe vote was close.\n"
    result = clean(text)
    assert result.text == f"Budget news\n{line}\nThe vote was close.\n"
    # Lines 3-4 repeat the text one period earlier: one run of two blocks, kept line 2.
    [removal] = result.removals
    assert removal.kind == "repeated-run" and removal.blocks == 2
    assert (removal.removed.lines(), removal.kept.lines()) == ("3-4", "2")
    assert removal.score == 1.0
    assert clean(result.text).text == result.text


def test_blocks_whose_numbers_differ_are_not_near_duplicates() -> None:
    a = (
        "The regional grant of 4.2 million will pay for the new park, the playground "
        "and the community garden behind the station."
    )
    b = a.replace("4.2", "4.7")
    c = a.replace("4.2", "-4.2")
    text = "\n".join([a, "Something else in between, long enough.", b, c, b]) + "\n"
    result = clean(text, config=CleanConfig(isolated="remove"))
    # Only the exact copy of b goes; a, b and c state different facts.
    assert [(r.kind, r.removed.line_start, r.kept.line_start) for r in result.removals] == [
        ("exact", 5, 3)
    ]


def test_a_substituted_word_counts_by_its_weight_on_short_blocks() -> None:
    a = "Route 12 runs from Oakfield to the Marsh County line."
    b = "Route 12 runs from Elmwood to the Marsh County line."
    text = f"{a}\nA line in between that says something else.\n{b}\n"
    assert clean(text, config=CleanConfig(isolated="remove")).removals == ()


def test_chinese_paragraph_pasted_twice_on_one_line() -> None:
    para = (
        "全球关键矿产部长级会议周三在华盛顿举行，多个国家和组织的代表出席了会议。"
        "与会代表讨论了制造芯片和电动汽车电池所需矿产的供应与获取问题。"
        "美国计划利用关税防止关键矿产价格过低，以鼓励对采矿业的投资。"
        "业内人士对这一举措表示欢迎，认为这对保障技术进步和国家安全至关重要。"
    )
    assert len(para) > 120
    text = "关键矿产\n" + para + para + "\n"
    result = clean(text)
    assert result.text == "关键矿产\n" + para + "\n"
    [removal] = result.removals
    assert removal.kind == "span" and removal.score == 1.0


def test_short_copy_rewrapped_is_one_run() -> None:
    sentences = [
        "Shares in Asia rose for a third day as investors bet on a soft landing.",
        "Analysts said the rally could continue if inflation keeps cooling.",
    ]
    first = "\n".join(sentences)
    words = " ".join(sentences).split()
    second = " ".join(words[:9]) + "\n" + " ".join(words[9:])
    text = "Markets\n" + first + "\n" + second + "\nThe end of the report, unique.\n"
    result = clean(text)
    assert result.text == "Markets\n" + first + "\nThe end of the report, unique.\n"
    [removal] = result.removals
    assert removal.kind == "repeated-run" and removal.score == 1.0


def test_quoted_copy_takes_its_quote_markers() -> None:
    body = [
        "The council voted to turn the old rail yard into a park with a playground.",
        "Work will begin next spring once the soil has been tested and cleaned.",
    ]
    text = "\n".join(["Park news", *body, *[f"> {line}" for line in body], "Share"]) + "\n"
    result = clean(text)
    assert result.text == "\n".join(["Park news", *body, "Share"]) + "\n"
    [removal] = result.removals
    assert removal.markup == (">",)
    assert ">" in removal.reason


def test_cut_never_ends_inside_a_sentence_that_goes_on() -> None:
    quoted = (
        "I keep mine stacked flat in the garage on a wooden pallet, away from the boiler "
        "and out of direct sunlight, and I rotate the stack every couple of months"
    )
    text = (
        f"river wrote:\n{quoted}.\n\nstone wrote:\n"
        f'As river said, "{quoted}" - but I would skip that, it traps moisture.\n'
    )
    result = clean(text)
    assert result.text == text


def test_isolated_option_is_validated() -> None:
    with pytest.raises(ValueError, match="isolated must be one of keep, remove, got 'drop'"):
        CleanConfig(isolated="drop")  # type: ignore[arg-type]


def test_csv_rows_that_differ_in_a_reading_are_kept() -> None:
    # Numbers glued to commas (CSV fields) are numbers too: a row is not a typo of
    # the row before it when one reading differs.
    rows = [
        "date,site,flow,level,status",
        "2025-07-01,Upper Weir Gauge,118.4,2.31,normal",
        "2025-07-01,Upper Weir Gauge,118.9,2.31,normal",
        "2025-07-02,Lower Weir Gauge,97.0,-0.42,normal",
        "2025-07-02,Lower Weir Gauge,97.0,0.42,normal",
        "2025-07-03,Mill Race Sluice,12.5,1.07,closed",
    ]
    text = "\n".join(rows) + "\n"
    for isolated in ("keep", "remove"):
        result = clean(text, config=CleanConfig(isolated=isolated))
        assert result.text == text and result.removals == ()


def test_functions_that_differ_in_a_name_or_operator_are_kept() -> None:
    def body(name: str, op: str) -> str:
        return (
            f"def {name}(items, step):\n"
            "    totals = []\n"
            "    for item in items:\n"
            f"        totals.append(item {op} step)\n"
            "    return totals"
        )

    variants = [("shift_totals", "-"), ("shift_totals", "/"), ("shrink_totals", "/")]
    for name, op in variants:
        text = body("grow_totals", "*") + "\n\n" + body(name, op) + "\n"
        result = clean(text, config=CleanConfig(isolated="remove"))
        assert result.text == text and result.removals == (), (name, op)
    # getUser and setUser name different functions, however close the letters.
    a = "    user = getUser(request.session, default_role, audit_log)"
    text = f"{a}\n    print('between', flush=True)\n{a.replace('getUser', 'setUser')}\n"
    assert clean(text, config=CleanConfig(isolated="remove", min_length=10)).removals == ()
    # A typo fixed in prose is still a near duplicate.
    p = "The committee will publish its final recommendations on the harbour early next year."
    text = f"{p}\nSomething else in between.\n{p.replace('harbour', 'hrabour')}\n"
    [removal] = clean(text, config=CleanConfig(isolated="remove")).removals
    assert removal.kind == "near"


@pytest.mark.parametrize("layout", ["one line", "wrapped", "paragraphs"])
def test_quotation_of_an_earlier_post_is_kept_whole(layout: str) -> None:
    sentences = [
        "The ferry from Carrick left forty minutes late because the ramp would not lower.",
        "Nobody on board told us why, and the cafe closed before we had even sailed.",
        "On the way back the crossing was calm and the crew handed out free tea to everyone.",
        "I would still take it again, but only on a weekday when the queues are shorter.",
        "The return ticket was cheaper online than at the harbour office, by about a third.",
    ]
    if layout == "one line":
        post, quote = " ".join(sentences), "> " + " ".join(sentences)
    elif layout == "wrapped":
        post = "\n".join(sentences)
        quote = "\n".join(f"> {s}" for s in sentences)
    else:
        post = "\n\n".join(sentences)
        quote = "\n>\n".join(f"> {s}" for s in sentences)
    text = (
        f"Ferry delays this summer\n\nuser_heron wrote:\n{post}\n\n"
        f"user_wren wrote:\n{quote}\n"
        "Same here last Tuesday. They blamed the tide, which seemed odd to me.\n"
    )
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
    assert result.isolated  # found, and reported as kept


@pytest.mark.parametrize("min_span", [20, 0])
def test_pasted_verse_and_refrain_leave_the_refrain_before_them(min_span: int) -> None:
    # verse1 R verse2 R verse3 R, then "verse2 R" pasted again at the end: the R after
    # verse3 belongs to verse3, only "verse2 R" goes (min_span=0: the block path).
    refrain = "Roll the barrel down the hill, boys,\nroll it down and drink your fill."
    verses = [
        "The miller had a daughter fair who walked the river road,\n"
        "she carried bread to every door and never felt the load.",
        "The soldier came from Westmoor town with ribbons on his coat,\n"
        "he sold his boots to buy a horse and then he sold the boat,\n"
        "he rode it down to Carrow fair and traded it for wine,\n"
        "and came back singing through the rain at half past nine.",
        "The winter came and froze the wheel, the millstones did not turn,\n"
        "and all the village gathered round to watch the haystacks burn.",
    ]
    song = "\n\n".join(x for v in verses for x in (v, refrain))
    text = f"The Barrel Song\n\n{song}\n\n{verses[1]}\n\n{refrain}\n"
    result = clean(text, config=CleanConfig(min_span=min_span))
    assert result.text == f"The Barrel Song\n\n{song}\n"
    [removal] = result.removals
    assert removal.kind == "repeated-run" and removal.blocks == 2
    if min_span:
        assert removal.removed.lines() == "23-29" and removal.kept.lines() == "9-15"
    else:
        # Blocks pair each refrain with the first one: "R verse2" at 20-26 repeats
        # lines 6-12 just as truly, and the same text stays.
        assert removal.removed.lines() == "20-26" and removal.kept.lines() == "6-12"
    assert len(result.isolated) == 2


def test_stuttered_verses_do_not_take_the_refrain_after_them() -> None:
    # "R v2 R v3" pasted right after itself: the R that ends the song stays.
    refrain = (
        "Sing low, sing slow, the lanterns on the water,\nsing low, the tide will bring them home."
    )
    v = [
        "I left the harbour early with the gulls above the pier.",
        "The nets were heavy with the silver of the year,\n"
        "my father counted every fish and sold them at the fair,\n"
        "and bought my mother ribbons for her long and yellow hair.",
        "Now the boats lie on the shingle and the sheds are full of rust,\n"
        "the fair has gone to Dunmore and the ribbons gone to dust.",
    ]
    song = [v[0], refrain, v[1], refrain, v[2]]
    pasted = song[1:]
    text = "\n\n".join(["The Lanterns", *song, *pasted, refrain]) + "\n"
    result = clean(text)
    assert result.text == "\n\n".join(["The Lanterns", *song, refrain]) + "\n"
    [removal] = result.removals
    assert removal.kind == "repeated-run" and removal.score == 1.0


@pytest.mark.parametrize(
    "lead", ["Quote from user_heron: ", "user_heron wrote: ", "Quoting heron: "]
)
def test_quotation_after_an_attribution_on_the_same_line_is_kept(lead: str) -> None:
    post = (
        "The ferry from Carrick left forty minutes late because the ramp would not lower. "
        "Nobody on board told us why, and the cafe closed before we had even sailed. "
        "On the way back the crossing was calm and the crew handed out free tea to everyone. "
        "I would still take it again, but only on a weekday when the queues are shorter. "
        "The return ticket was cheaper online than at the harbour office, by about a third."
    )
    text = (
        f"Ferry delays\n\nuser_heron wrote:\n{post}\n\nuser_wren wrote:\n{lead}{post}\n"
        "Same here last Tuesday. They blamed the tide, which seemed odd to me.\n"
    )
    result = clean(text)
    assert result.text == text and result.removals == ()


def test_a_block_with_a_sentence_of_its_own_is_not_a_near_duplicate() -> None:
    # The reply holds the whole earlier post plus a sentence of its own: removing it
    # as a near duplicate (score above the threshold) would lose that sentence.
    post = (
        "The library on Mill Street will close for repairs from the first of June. "
        "Books can be returned at the town hall, and the mobile library will visit "
        "the school on Tuesdays and Thursdays until the work is finished in the autumn."
    )
    text = f"Notices\n\n{post}\n\n{post} Bring your card.\n"
    result = clean(text, config=CleanConfig(isolated="remove", min_span=0))
    assert result.text == text and result.removals == ()
    # A word added to a passage of fewer than 100 words (verify._EDIT_WORDS) is a fact
    # of its own too (since session 6); a changed punctuation mark is an edit.
    edited = post.replace("will close", "will also close")
    text = f"Notices\n\n{post}\n\nSomething else.\n\n{edited}\n"
    result = clean(text, config=CleanConfig(isolated="remove", min_span=0))
    assert result.text == text and result.removals == ()
    edited = post.replace("the first of June.", "the first of June!")
    text = f"Notices\n\n{post}\n\nSomething else.\n\n{edited}\n"
    [removal] = clean(text, config=CleanConfig(isolated="remove", min_span=0)).removals
    assert removal.kind == "near"


def test_short_copy_pasted_inside_another_paragraph_is_removed() -> None:
    copied = (
        "The new bridge will carry two lanes of traffic and a cycle path across the estuary. "
        "Engineers expect the steel deck to be lifted into place next spring."
    )
    paragraphs = [
        "Harbour works",
        "The council approved the plans on Monday after a long debate. " + copied,
        "Residents asked for more parking near the ferry terminal and a new bus stop.",
        "Work on the quay wall starts in March. " + copied + " The old pier stays open.",
    ]
    text = "\n\n".join(paragraphs) + "\n"
    result = clean(text)
    assert result.text == text.replace(copied + " The old pier", "The old pier")
    [removal] = result.removals
    assert removal.kind == "span" and removal.score == 1.0
    # Shorter than min_copy_span words (here 30): kept, and reported.
    kept = clean(text, config=CleanConfig(min_copy_span=40))
    assert kept.text == text and kept.isolated


def test_clause_repeated_inside_two_paragraphs_is_kept() -> None:
    clause = "Nothing in this Agreement limits either Party's liability for fraud or for death caused by negligence."
    text = (
        f"1. Liability\n\n1.1 The Supplier's total liability is capped at the fees paid. {clause}\n\n"
        f"2. Indemnity\n\n2.1 The Customer shall indemnify the Supplier against claims. {clause}\n"
    )
    result = clean(text)
    assert result.text == text and result.removals == ()


def test_a_sentence_of_its_own_after_a_stutter_is_not_bridged_into_the_copy() -> None:
    # The span search bridges small edits between pieces of a copy; a sentence that only
    # the later text has (a reply after a pasted stutter) is not an edit and must stay.
    x = (
        "The measure passed the Senate 15-6 and the Assembly 30-12, largely along party "
        "lines. State lawmakers on Tuesday approved a two-year budget that raises teacher "
        "pay by 8 percent and sets aside $120 million for road repairs. "
    )
    text = "Intro line of this document.\n\n" + x + x + "Critics called it reckless. " + x[:86]
    out = clean(text).text
    assert "Critics called it reckless." in out
    assert out.count("State lawmakers on Tuesday") == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "The account for alice is locked after five failed logins.",
            "The account for alice is unlocked after five failed logins.",
        ),
        (
            "Version two of the library is compatible with Python three.",
            "Version two of the library is incompatible with Python three.",
        ),
        (
            "Jonathan Smith was elected chair of the planning committee.",
            "Jonathan Smyth was elected chair of the planning committee.",
        ),
    ],
)
def test_a_negation_or_another_name_is_a_new_fact_not_a_typo(first: str, second: str) -> None:
    text = f"{first}\n{second}\n"
    assert clean(text).text == text


def test_superscripts_are_content_not_presentation() -> None:
    # NFKC folds 10² into 102; the identity key keeps superscripts and subscripts.
    text = (
        "The sample grew to 10² cells in the first hour of the experiment.\n\n"
        "The sample grew to 102 cells in the first hour of the experiment.\n"
    )
    result = clean(text)
    assert result.text == text
    assert not result.removals


def test_keep_last_reports_the_kept_copy_where_it_is() -> None:
    body = (
        "State lawmakers on Tuesday approved a two-year budget that raises teacher pay by "
        "8 percent.\nThe measure passed the Senate and the Assembly, largely along party "
        "lines, after a long debate.\nCritics said the plan leaves too little for roads "
        "and bridges across the state.\n"
    )
    text = body + "\n" + body
    first = clean(text)
    last = clean(text, config=CleanConfig(keep="last"))
    assert first.text == last.text
    (r,) = last.removals
    assert (r.removed.line_start, r.removed.line_end) == (1, 3)
    assert (r.kept.line_start, r.kept.line_end) == (5, 7)
    assert r.kept.start < r.kept.end and r.kept.start >= r.removed.end


def test_min_copy_span_on_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from textdedup.cli import main

    copied = (
        "The new bridge will carry two lanes of traffic and a cycle path across the estuary. "
        "Engineers expect the steel deck to be lifted into place next spring."
    )
    text = (
        "Harbour works\n\nThe council approved the plans on Monday after a long debate. "
        f"{copied}\n\nResidents asked for more parking near the ferry terminal.\n\n"
        f"Work on the quay wall starts in March. {copied} The old pier stays open.\n"
    )
    doc = tmp_path / "doc.txt"
    doc.write_text(text, encoding="utf-8")
    default = CliRunner().invoke(main, ["clean", str(doc), "-q"])
    assert default.exit_code == 0 and default.stdout.count("steel deck") == 1
    longer = CliRunner().invoke(main, ["clean", str(doc), "-q", "--min-copy-span", "40"])
    assert longer.exit_code == 0 and longer.stdout == text
