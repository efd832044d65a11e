"""Copies ``clean`` missed and cuts that left ill-formed text (session 6, issue #10).

The kinds: a copy glued inside one line or one markup unit (bold, a task, brackets, an
Org quote, a CSV field, guillemets); a table row or task repeated right after itself;
copies in Korean, Amharic and Thai (the minimum means the same amount of text in every
script); a copy pasted after a label ("Read more: "); and the cuts of ``--blocks
sentence`` and ``--blocks paragraph``. The inputs of a new user's try are in
``tests/data/try10c_s6`` (see its README); each kind is also tested on inputs of our own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from textdedup import clean
from textdedup.clean import CleanResult
from textdedup.config import CleanConfig
from textdedup.normalize import identity_key

DATA = Path(__file__).parent / "data" / "try10c_s6"

# The try's inputs whose right output is in NAME.expected.txt.
TRY = [
    "w4_md_bold_copy_inside",
    "w4_task_list_glued",
    "w4_paren_closer_glued",
    "w4_csv_quoted_field",
    "w4_csv_quoted_long",
    "w4_org_quote_glued",
    "w4_guillemets_paired_copy",
    "w4_french_guillemets_spaced",
    "w4_curly_quoted_stutter",
    "w4_bracketed_stutter",
    "w4_single_curly_stutter",
    "d5_amharic_glued",
    "d5_korean_far_span",
    "d5_thai_far_span",
    "d5_copy_after_read_more",
    "w4_html_tr_stutter",
    "w4_task_list_stutter",
    "w4_md_table_row_stutter",
    # /work/try6 (T10d)
    "k4_wiki_paragraph_glued",
    "k4_html_b_lead_glued",
    "k4_html_link_lead_glued",
    "k4_wiki_italic_glued",
    "k4_html_p_copy_far_closing_tag",
    "k4_html_li_copy_far_closing_tag",
    "k5_tibetan_glued",
    "k5_santali_glued",
    "k5_wiki_citation_marker_glued",
]

# Leftovers a cut must never make: empty markup, a lone marker, an empty pair of marks.
ILL_FORMED = regex.compile(
    r"\*\*\s*\*\*|\(\s*\)|«\s*»|“\s*”|‘\s*’|\"\"|<(\w+)[^>]*>\s*</\1>|^\s*(?:[-*>]|- \[[ x]\])\s*$",
    regex.MULTILINE,
)


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _truthful(result: CleanResult) -> None:
    """Every removal is exact only for equal texts, and the kept copy survives."""
    src = result.source
    for r in result.removals:
        removed = src[r.removed.start : r.removed.end]
        kept = src[r.kept.start : r.kept.end]
        if r.kind == "exact" or r.score == 1.0:
            # Markup the cut took with it is named in the report, not in the kept copy.
            # (and a kept block may hold its list marker).
            strip = "".join(r.markup) + "-*+ "
            a = identity_key(regex.sub(r"</?\w+[^>]*>", " ", removed))
            b = identity_key(regex.sub(r"</?\w+[^>]*>", " ", kept))
            assert a.strip(strip) == b.strip(strip), (r.reason, removed, kept)
        for other in result.removals:
            assert not (other.removed.start <= r.kept.start and r.kept.end <= other.removed.end)


def _clean(text: str, **options: object) -> CleanResult:
    result = clean(text, config=CleanConfig(**options)) if options else clean(text)  # type: ignore[arg-type]
    _truthful(result)
    assert ILL_FORMED.search(result.text) is None or ILL_FORMED.search(text), result.text
    return result


@pytest.mark.parametrize("name", TRY)
def test_try_input_gives_the_right_output(name: str) -> None:
    text = _read(f"{name}.txt")
    result = _clean(text)
    assert result.text.strip("\n") == _read(f"{name}.expected.txt").strip("\n")
    assert len(result.removals) == 1
    assert result.removals[0].score == 1.0


# -- 1: a copy glued inside one line or one markup unit -------------------------------------

S1 = "The ferry to Lindholm leaves from pier four at ten past seven."  # 12 words
S2 = "Tickets are sold on board only."
S12 = f"{S1} {S2}"  # 18 words: under min_span (20)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("__{}__", "__{}__"),  # Markdown strong with underscores
        ("<b>{}</b>", "<b>{}</b>"),
        ("* [ ] {}", "* [ ] {}"),  # a task item with another bullet
        ("[{}]", "[{}]"),
        ("Note: {}", "Note: {}"),
        ('P-1;Ferry;"{}";12.50', 'P-1;Ferry;"{}";12.50'),  # a CSV field, semicolons
        ("„{}“ sagte er.", "„{}“ sagte er."),
    ],
)
def test_a_short_copy_glued_after_itself_inside_a_unit_goes(before: str, after: str) -> None:
    text = "Timetable\n\n" + before.format(S12 + " " + S12) + "\n\nEnd of notice.\n"
    result = _clean(text)
    assert result.text == "Timetable\n\n" + after.format(S12) + "\n\nEnd of notice.\n"
    assert [r.kind for r in result.removals] == ["span"]
    assert result.removals[0].score == 1.0


@pytest.mark.parametrize(
    "pair",
    ["«{}» «{}»", "« {} » « {} »", "“{}” “{}”", "({}) ({})", "**{}** **{}**", '"{}" "{}"'],
)
def test_a_quotation_glued_after_itself_goes_with_its_marks(pair: str) -> None:
    text = "He read it out: " + pair.format(S12, S12) + " Then he left.\n"
    result = _clean(text)
    once = pair.split(" ", 1)[0] if pair.count(" ") == 1 else " ".join(pair.split(" ")[:3])
    assert result.text == "He read it out: " + once.format(S12) + " Then he left.\n"
    assert len(result.removals) == 1


def test_a_phrase_said_twice_for_effect_stays() -> None:
    # A few words repeated are rhetoric, not a paste: far under the stutter minimum.
    text = "We will not give up. We will not give up. The vote is on Friday.\n"
    result = _clean(text)
    assert result.text == text
    assert result.removals == ()


def test_a_short_sentence_repeated_apart_stays() -> None:
    # The lower minimum is for a copy right after its original only.
    text = f"{S12}\n\nThe harbour office opens at six on weekdays.\n\n{S12}\n"
    result = _clean(text)
    assert result.text == text


LEAD = "Kalk Bay is a fishing village on the False Bay coast. It has a small harbour and a pier."


@pytest.mark.parametrize(
    "opening",
    ["<strong>{}</strong>", "<i>{}</i>", '<a href="/wiki/Kalk_Bay">{}</a>', "'''{}'''", "__{}__"],
)
def test_a_paragraph_opening_with_markup_glued_after_itself_takes_its_markup(opening: str) -> None:
    # The copy's opening markup goes with it: no lone <strong> or ''' is left.
    para = LEAD.replace("Kalk Bay", opening.format("Kalk Bay"), 1)
    text = f"{para} {para}\n\nSee also: Muizenberg.\n"
    result = _clean(text)
    assert result.text == f"{para}\n\nSee also: Muizenberg.\n"


@pytest.mark.parametrize("marker", ["[1]", "[^3]", "[12][13]", "\u00b9", "[citation needed]"])
def test_a_paragraph_ending_with_a_citation_marker_glued_after_itself_goes(marker: str) -> None:
    para = LEAD + marker
    text = f"{para} {para}\n"
    assert _clean(text).text == f"{para}\n"


@pytest.mark.parametrize("element", ["p", "li", "td", "blockquote"])
def test_a_copy_at_the_end_of_another_element_leaves_its_closing_tag(element: str) -> None:
    copy = (
        "The council approved the new cycle bridge over the river on Monday evening. Work"
        " starts in May and should take about a year."
    )
    first = f"<{element}>{copy}</{element}>\n<{element}>Nothing else changed.</{element}>\n"
    text = first + f"<{element}>Residents welcomed the news. {copy}</{element}>\n"
    result = _clean(text)
    assert result.text == first + f"<{element}>Residents welcomed the news.</{element}>\n"


@pytest.mark.parametrize(
    ("s1", "s2"),
    [
        # Tibetan (shad), Mongolian (full stop), Ol Chiki (mucaad): their own full stops
        ("ལྷ་སའི་གྲོང་ཁྱེར་དུ་དཔེ་མཛོད་ཁང་གསར་པ་ཞིག་བཙུགས་ཡོད།", "དཔེ་ཆ་སྟོང་ཕྲག་བཅུ་ཙམ་ཡོད།"),
        ("ᠬᠣᠲᠠ ᠶᠢᠨ ᠲᠥᠪ ᠲᠦ ᠰᠢᠨ ᠨᠣᠮ ᠤᠨ ᠰᠠᠩ ᠨᠡᠭᠡᠭᠡᠪᠡ᠃", "ᠨᠣᠮ ᠤᠨ ᠰᠠᠩ ᠳᠤ ᠮᠢᠩᠭᠠ ᠨᠣᠮ ᠪᠠᠢᠨᠠ᠃"),
        ("ᱥᱤᱧᱚᱛ ᱨᱮ ᱱᱟᱶᱟ ᱯᱚᱛᱚᱵ ᱚᱲᱟᱜ ᱮᱦᱚᱵ ᱦᱩᱭᱩᱜ ᱠᱟᱱᱟ ᱾", "ᱱᱚᱣᱟ ᱨᱮ ᱟᱹᱰᱤ ᱯᱚᱛᱚᱵ ᱢᱮᱱᱟᱜ ᱠᱚᱣᱟ ᱾"),
    ],
    ids=["tibetan", "mongolian", "ol_chiki"],
)
def test_a_copy_in_a_script_with_its_own_full_stop_glued_after_itself_goes(
    s1: str, s2: str
) -> None:
    text = f"{s1} {s2} {s1} {s2}\n"
    assert _clean(text).text == f"{s1} {s2}\n"


# -- 2: a stuttered row or item ------------------------------------------------------------

ROWS = [
    "| Code | Stop | Platform | Minutes |\n|---|---|---|---|\n"
    "| L-4 | Harbour gate | 2 | 11 |\n{row}{row}| L-6 | Town hall | 1 | 19 |\n",
    "<table>\n<tr><th>Code</th><th>Stop</th><th>Minutes</th></tr>\n"
    "<tr><td>L-4</td><td>Harbour gate</td><td>11</td></tr>\n{row}{row}</table>\n",
    "## Before the trip\n- [x] Pack the tent\n{row}{row}- [ ] Charge the lamp\n",
]
ROW = [
    "| L-5 | North pier, east steps | 3 | 14 |\n",  # 30 key characters: min_length
    "<tr><td>L-5</td><td>North pier</td><td>14</td></tr>\n",
    "- [ ] Buy ferry tickets for the whole group\n",
]


@pytest.mark.parametrize("k", range(len(ROWS)))
def test_a_row_or_task_twice_in_a_row_goes_once(k: int) -> None:
    text = ROWS[k].format(row=ROW[k])
    result = _clean(text)
    assert result.text == ROWS[k].format(row="").replace(
        ROWS[k].split("{row}")[0], ROWS[k].split("{row}")[0] + ROW[k]
    )
    assert [r.kind for r in result.removals] == ["exact"]


@pytest.mark.parametrize("k", range(len(ROWS)))
def test_a_row_or_task_repeated_with_another_between_stays(k: int) -> None:
    other = (
        ["| L-7 | Mill lane | 2 | 23 |\n", "<tr><td>L-7</td><td>Mill</td><td>23</td></tr>\n"][k]
        if k < 2
        else "- [ ] Book the campsite\n"
    )
    head, tail = ROWS[k].split("{row}{row}")
    text = head + ROW[k] + other + ROW[k] + tail
    result = _clean(text)
    assert result.text == text


def test_html_row_stutter_on_several_lines_takes_whole_rows() -> None:
    row = (
        "<tr>\n  <td>L-5</td>\n  <td>North pier, east steps</td>\n"
        "  <td>Every 20 minutes from 6:40 until the last ferry</td>\n</tr>\n"
    )
    head = "<table>\n<tr>\n  <td>L-4</td>\n  <td>Harbour gate</td>\n  <td>11</td>\n</tr>\n"
    text = head + row + row + "</table>\n"
    result = _clean(text)
    assert result.text == head + row + "</table>\n"


# -- 3: scripts --------------------------------------------------------------------------


def test_korean_two_sentences_glued_after_themselves_go() -> None:
    ko = "도서관은 이번 주 토요일에 문을 닫습니다. 반납은 무인 반납함을 이용해 주세요."
    text = f"공지\n{ko} {ko}\n감사합니다.\n"
    result = _clean(text)
    assert result.text == f"공지\n{ko}\n감사합니다.\n"


def test_thai_two_phrases_pasted_at_the_end_of_another_paragraph_go() -> None:
    a = "ห้องสมุดประชาชนจะปิดปรับปรุงตั้งแต่วันที่หนึ่งถึงวันที่สิบห้าของเดือนหน้า"
    b = "ผู้ใช้บริการสามารถคืนหนังสือได้ที่ตู้รับคืนหน้าอาคารตลอดยี่สิบสี่ชั่วโมง"
    other = "เทศบาลจะจัดกิจกรรมอ่านหนังสือสำหรับเด็กในสวนสาธารณะทุกวันอาทิตย์"
    text = f"ประกาศ\n\n{a} {b}\n\n{other} {a} {b}\n"
    result = _clean(text)
    assert result.text == f"ประกาศ\n\n{a} {b}\n\n{other}\n"


def test_thai_one_shared_closing_phrase_stays() -> None:
    # One phrase shared by two lines that differ before it is a clause, not a paste.
    tail = "ยกเว้นวันหยุดนักขัตฤกษ์และวันหยุดชดเชยตามประกาศของทางราชการ"
    text = (
        f"ประกาศ\n\nสำนักงานเปิดให้บริการทุกวันจันทร์ถึงวันศุกร์ {tail}\n\n"
        f"ห้องประชุมไม่สามารถจองล่วงหน้าได้เกินสามสิบวัน {tail}\n"
    )
    assert _clean(text).text == text


# -- 4: a copy after a label -------------------------------------------------------------


@pytest.mark.parametrize("label", ["See also", "Update", "Related story"])
def test_a_copy_pasted_after_a_label_goes_whole(label: str) -> None:
    p1 = (
        "The county council has approved plans for a new footbridge over the canal at"
        " Wellfield, linking the bus station with the hospital."
    )
    p2 = "Work is expected to start in May and take about a year. The bridge will be lit at night."
    text = f"{p1}\n{p2}\nShops near the canal expect more trade.\n{label}: {p1} {p2}\n"
    result = _clean(text)
    assert result.text == f"{p1}\n{p2}\nShops near the canal expect more trade.\n{label}:\n"


# -- 5: other block modes ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["f04_para_stutter", "n_f_li_md_stutter"])
def test_sentence_blocks_cut_keeps_the_line_break_after(name: str) -> None:
    text = _read(f"{name}.txt")
    result = _clean(text, blocks="sentence")
    assert result.removals
    # The copy goes with the space before it; the lines after it, and the final
    # newline, are as they were.
    assert result.text.endswith("\n")
    assert result.text.count("\n") == text.count("\n")
    assert _clean(text).text == result.text


def test_sentence_blocks_cut_right_output() -> None:
    text = "Exam weeks\n\nS one is here. S two is here too. S one is here. S two is here too.\n\nNext.\n"
    text = text.replace("S one is here", S1[:-1]).replace("S two is here too", S2[:-1])
    result = _clean(text, blocks="sentence")
    assert result.text == f"Exam weeks\n\n{S1} {S2}\n\nNext.\n"


def test_paragraph_blocks_take_the_list_element_left_empty() -> None:
    text = _read("n_f_ul_twice.txt")
    result = _clean(text, blocks="paragraph")
    assert result.text.count("<ul>") == 1 and result.text.count("</ul>") == 1
    assert "<ul>\n</ul>" not in result.text
    assert result.text == _clean(text).text
    (removal,) = result.removals
    assert {"<ul>", "</ul>"} <= set(removal.markup)


def test_a_mark_opening_a_line_is_no_sentence_end() -> None:
    # T10d's k1_nws_forecast_days with --blocks sentence: the "." of ".FRIDAY..." was read
    # as a stop, and a cut ending there joined Friday's line onto Thursday's.
    text = _read("k1_nws_forecast_days.txt")
    result = _clean(text, blocks="sentence")
    lines = result.text.split("\n")
    assert [line.split("...")[0] for line in lines if line.startswith(".")] == [
        line.split("...")[0] for line in text.split("\n") if line.startswith(".")
    ]
    assert all(r.removed.line_start == r.removed.line_end for r in result.removals)


def test_a_pull_quote_after_its_paragraph_stays() -> None:
    # T10d's k1_pullquote_two_sentences: a quotation element right after the paragraph it
    # quotes is no stutter, and the markup the cut would take is no text of the copy.
    text = _read("k1_pullquote_two_sentences.txt")
    result = _clean(text)
    assert result.text == text
    assert len(result.isolated) == 1
