from __future__ import annotations

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
    b = "The committee approved the budget for next year after a long debate on Tuesday night."
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
            "short version of the paragraph that repeats, longer\nmiddle line that is unique here\n",
        ),
    ],
)
def test_keep_policy(keep: str, want: str) -> None:
    if keep == "longest":
        text = (
            "short version of the paragraph that repeats\nmiddle line that is unique here\n"
            "short version of the paragraph that repeats, longer\n"
        )
        config = CleanConfig(keep="longest", min_span=0, threshold=0.85, isolated="remove")
        result = clean(text, config=config)
        assert (
            result.text
            == "middle line that is unique here\nshort version of the paragraph that repeats, longer\n"
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
        ({"mode": "word"}, "mode must be one of auto, paragraph, line, sentence, got 'word'"),
        ({"min_span": -1}, "min_span must be an int >= 0, got -1"),
    ],
)
def test_bad_config_names_the_argument(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CleanConfig(**kwargs)  # type: ignore[arg-type]
