"""Near copies the cleaner must find (issue #10, kind 5): a copy with its accents
stripped, an OCR rescan, a copy that lost its inline markup, a glued copy with a typo
fixed, a config section pasted again in line mode, a string's paragraphs doubled behind
``\\n\\n`` escapes. And the real differences it must keep: real words, another link
target, another number. The inputs are our own, of the kinds new users' tries found
(try6/try7/try8), not theirs."""

from __future__ import annotations

import json
import unicodedata

import pytest

from textdedup import clean
from textdedup.config import CleanConfig
from textdedup.normalize import fold_accents
from textdedup.verify import compare

TAIL = "\n\nOther news from the region.\n"


def _stripped(text: str) -> str:
    """What a scraper without accents leaves: NFD without combining marks, stroked letters
    written plain."""
    text = text.translate(str.maketrans("łŁđĐıøØ", "lLdDioO"))
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _reasons(result: object) -> list[str]:
    return [r.reason for r in result.removals]  # type: ignore[attr-defined]


# -- accents stripped -------------------------------------------------------------------

ACCENTED = {
    "pt": "A câmara municipal de Évora aprovou ontem o orçamento para a reabilitação da praça "
    "e das ruas à volta da Sé. As obras começam em março e vão durar até ao verão.",
    "vi": "Thành phố Hà Nội sẽ mở thêm ba tuyến xe buýt điện vào tháng tới, nối trung tâm với "
    "các khu đô thị mới ở phía tây. Giá vé vẫn giữ nguyên như hiện nay.",
    "pl": "Rada miasta Łodzi przyjęła wczoraj budżet na remont dworca i ulic wokół rynku. Prace "
    "rozpoczną się w marcu i potrwają do końca lata, jak powiedział zastępca prezydenta.",
    "cs": "Městská rada v Příbrami včera schválila rozpočet na opravu nádraží a ulic kolem "
    "náměstí. Práce začnou v březnu a potrvají až do konce léta, řekl místostarosta.",
    "tr": "Iğdır belediye meclisi dün çarşı çevresindeki sokakların onarımı için bütçeyi "
    "onayladı. Çalışmalar mart ayında başlayacak ve yaz sonuna kadar sürecek.",
}


@pytest.mark.parametrize("language", sorted(ACCENTED))
def test_a_copy_with_its_accents_stripped_is_removed_as_near(language: str) -> None:
    para = ACCENTED[language]
    result = clean(para + "\n\n" + _stripped(para) + TAIL)
    assert result.text == para + TAIL
    [removal] = result.removals
    assert removal.kind == "near"
    assert 0.95 < removal.score < 1.0
    assert removal.reason.startswith("lines 3: near duplicate of lines 1 (score 0.9")


def test_a_stripped_copy_far_apart_among_many_blocks_is_found_by_lsh() -> None:
    # More blocks than _ALL_PAIRS: the MinHash/LSH search signs keys without accents.
    para = ACCENTED["vi"]
    filler = [
        f"Item {i}: the stall number {i} sells fresh bread and coffee every day."
        for i in range(140)
    ]
    text = "\n\n".join([para, *filler, _stripped(para)]) + "\n"
    result = clean(text)
    # Found (a lone block far from its original is kept as an isolated repeat).
    assert [(r.kind, r.kept.line_start) for r in result.isolated + result.removals] == [("near", 1)]


def test_fold_accents_keeps_other_scripts_marks() -> None:
    assert fold_accents("Ελληνικά και Русский й") == "Ελληνικα και Русскии и"
    assert fold_accents("हिन्दी") == "हिन्दी"  # vowel signs are letters of the word
    assert fold_accents("שָׁלוֹם") == "שָׁלוֹם"


# -- OCR rescans ------------------------------------------------------------------------

OCR_ORIGINAL = (
    "The old timber bridge at Corran was modernised in 1924, when the county replaced its "
    "deck with steel girders and widened the road for motor traffic. The original oak piers "
    "were kept and can still be seen at low water."
)


@pytest.mark.parametrize(
    "misread",
    [
        {"timber": "tirnber", "modernised": "rnodernised", "widened": "wiclened"},
        {"the county": "tlie county", "still": "stil1", "girders": "girclers"},
        {"original": "0riginal", "water": "vvater", "motor": "m0tor"},
    ],
)
def test_an_ocr_rescan_is_removed_as_near(misread: dict[str, str]) -> None:
    copy = OCR_ORIGINAL
    for a, b in misread.items():
        copy = copy.replace(a, b)
    result = clean(OCR_ORIGINAL + "\n\n" + copy + "\n\nPage 14\n")
    assert result.text == OCR_ORIGINAL + "\n\nPage 14\n"
    assert [r.kind for r in result.removals] == ["near"]
    assert result.removals[0].score < 1.0


def test_a_british_spelling_is_a_word_for_the_ocr_rule() -> None:
    c = compare("It was modernised in 1924.", "It was rnodernised in 1924.")
    assert c.other_words == 0


@pytest.mark.parametrize(
    ("a", "b"), [("marital", "martial"), ("casual", "causal"), ("modern", "modem"), ("clam", "dam")]
)
def test_real_words_stay_two_words(a: str, b: str) -> None:
    s = "The committee discussed the {} question at length before the vote on the new rules."
    text = s.format(a) + "\n\n" + s.format(b) + "\n\nMinutes taken by the clerk.\n"
    result = clean(text)
    assert result.text == text
    assert not result.removals


# -- a copy that lost its inline markup -------------------------------------------------

SENTENCE = (
    "Opening hours change on public holidays, when the reading room closes at noon and the "
    "café stays shut for the afternoon."
)


@pytest.mark.parametrize(
    "marked",
    [
        f"**{SENTENCE}**",
        f"<b>{SENTENCE}</b>",
        f"[b]{SENTENCE}[/b]",
        SENTENCE.replace("reading room", "*reading room*"),
        SENTENCE.replace("reading room", "[reading room](/library/reading-room)"),
        SENTENCE.replace("reading room", "`reading room </library/reading-room>`_"),
        SENTENCE.replace("at noon", "_at noon_"),
    ],
)
def test_a_copy_without_its_markup_is_removed_as_near(marked: str) -> None:
    bare = SENTENCE
    text = "Visitor page.\n\n" + marked + "\n\n" + bare + "\n\nThanks for visiting.\n"
    result = clean(text)
    assert result.text == "Visitor page.\n\n" + marked + "\n\nThanks for visiting.\n"
    [removal] = result.removals
    if marked.startswith("<b>"):
        # HTML around a whole block: the texts are the same, the markup is named.
        assert removal.kind == "exact" and "kept with its markup (<b>" in removal.reason
    else:
        assert removal.kind == "near" and removal.score < 1.0


def test_a_link_to_another_target_is_another_fact() -> None:
    a = "See [the route map](/maps/route-3) for the way to the harbour car park and the ferry."
    b = a.replace("route-3", "route-4")
    assert not compare(a, b).near(0.9)
    text = a + "\n\n" + b + "\n\nEnd of the notice.\n"
    assert clean(text).text == text


def test_code_operators_are_no_emphasis() -> None:
    a = "result = compute(*args, **kwargs) * scale_factor * weight_of_the_item_in_the_list"
    b = "result = compute(args, kwargs) * scale_factor * weight_of_the_item_in_the_list"
    assert not compare(a, b).near(0.9)


# -- glued copies with small edits -------------------------------------------------------


def test_a_glued_copy_with_a_typo_fixed_is_removed() -> None:
    s = (
        "Members will recieve the new membership cards by post before the end of the month, "
        "together with the programme for the summer season."
    )
    text = "Club news. " + s + " " + s.replace("recieve", "receive") + "\n"
    result = clean(text)
    assert result.text == "Club news. " + s + "\n"
    [removal] = result.removals
    assert removal.score < 1.0


def test_a_glued_copy_that_lost_its_link_is_removed() -> None:
    s1 = (
        'The museum opens a new wing on <a href="/en/history">local history</a> next Saturday, '
        "with free entry for the first week."
    )
    s2 = "Guided tours start every hour from the main hall."
    plain = s1.replace('<a href="/en/history">', "").replace("</a>", "")
    text = f"<p>{s1} {s2} {plain} {s2}</p>\n"
    result = clean(text)
    assert result.text == f"<p>{s1} {s2}</p>\n"
    assert [r.score < 1.0 for r in result.removals] == [True]


def test_a_line_that_lost_its_emphasis_is_removed() -> None:
    s = (
        "The survey found that *nearly all* traders in the market hall would accept later "
        "opening hours on Fridays, as long as the car park stays open."
    )
    text = "Survey\n\n" + s + "\n" + s.replace("*", "") + "\n\nThe vote is in May.\n"
    result = clean(text)
    assert result.text == "Survey\n\n" + s + "\n\nThe vote is in May.\n"


def test_a_glued_sentence_with_another_number_is_kept() -> None:
    s = "The ferry to the island leaves the harbour at 9:15 every weekday from April to October."
    text = "Timetable. " + s + " " + s.replace("9:15", "10:45") + "\n"
    result = clean(text)
    assert result.text == text


def test_a_glued_sentence_with_another_name_is_kept() -> None:
    s = "The award for the best stall at the summer fair went to Marta Kowalska from Gdańsk."
    text = "Results. " + s + " " + s.replace("Marta Kowalska", "Anna Nowak") + "\n"
    assert clean(text).text == text


# -- config sections in line mode --------------------------------------------------------

INI = (
    "[general]\nname = tile-sync\nlog_level = info\n\n"
    "[storage]\npath = /var/lib/tiles\nmax_size = 40GB\nkeep_days = 30\n\n"
    "[http]\nport = 8081\nworkers = 4\n"
)
STORAGE = "[storage]\npath = /var/lib/tiles\nmax_size = 40GB\nkeep_days = 30\n"


@pytest.mark.parametrize("blocks", ["line", "paragraph", "auto"])
def test_an_ini_section_pasted_at_the_end_is_removed_in_every_mode(blocks: str) -> None:
    result = clean(INI + "\n" + STORAGE, config=CleanConfig(blocks=blocks))  # type: ignore[arg-type]
    assert result.text == INI
    assert len(result.removals) == 1


def test_a_toml_section_without_blank_lines_pasted_again_is_removed() -> None:
    toml = (
        '[tool.ruff]\nline-length = 100\ntarget-version = "py311"\n'
        '[tool.mypy]\nstrict = true\nfiles = ["src"]\n'
        '[tool.pytest.ini_options]\naddopts = "-q"\n'
    )
    again = '[tool.mypy]\nstrict = true\nfiles = ["src"]\n'
    result = clean(toml + again)
    assert result.mode == "line"
    assert result.text == toml


def test_a_systemd_section_pasted_again_in_line_mode_is_removed() -> None:
    unit = (
        "[Unit]\nDescription=Tile renderer\nAfter=network-online.target\n\n"
        "[Service]\nExecStart=/opt/tiles/bin/render --port 8081\nRestart=on-failure\n\n"
        "[Install]\nWantedBy=multi-user.target\n"
    )
    again = "\n[Service]\nExecStart=/opt/tiles/bin/render --port 8081\nRestart=on-failure\n"
    result = clean(unit + again, config=CleanConfig(blocks="line"))
    assert result.text == unit


def test_two_unit_files_keep_their_own_sections_in_line_mode() -> None:
    one = "[Unit]\nDescription=Tile {}\n\n[Install]\nWantedBy=multi-user.target\n"
    text = one.format("renderer") + "\n" + one.format("cache")
    result = clean(text, config=CleanConfig(blocks="line"))
    assert result.text == text


# -- paragraphs behind escapes -----------------------------------------------------------

P1 = "The harbour festival returns on 20 June with boat races and a fish market on the quay."
P2 = "Entry is free for children under twelve, and the evening concert starts at nine."


def test_a_json_string_holding_its_paragraphs_twice_loses_the_copy() -> None:
    body = "\\n\\n".join([P1, P2, P1, P2])
    text = '{\n  "id": "post-7",\n  "body": "' + body + '"\n}\n'
    result = clean(text)
    assert result.text == '{\n  "id": "post-7",\n  "body": "' + P1 + "\\n\\n" + P2 + '"\n}\n'
    json.loads(result.text)
    [removal] = result.removals
    assert result.source[removal.removed.start : removal.removed.end] == P1 + "\\n\\n" + P2
    assert removal.removed.line_start == removal.removed.line_end == 3


def test_an_escaped_copy_in_the_middle_of_a_string_takes_its_break() -> None:
    p3 = "Parking on the quay is closed from noon, so visitors should come by bus or by bike."
    body = "\\n\\n".join([P1, P2, P1, P2, p3])
    text = '{"body": "' + body + '"}\n'
    result = clean(text)
    assert result.text == '{"body": "' + "\\n\\n".join([P1, P2, p3]) + '"}\n'
    json.loads(result.text)


def test_escaped_text_without_a_copy_is_unchanged() -> None:
    text = '{"body": "' + P1 + "\\n\\n" + P2 + '", "path": "C:\\\\new\\\\tiles"}\n'
    result = clean(text)
    assert result.text == text and not result.removals


def test_a_quotation_glued_to_the_post_it_quotes_is_kept() -> None:
    post = (
        "I keep mine in the garage on a wooden pallet, away from the boiler and out of "
        "direct sunlight. The rubber has not cracked in eight winters."
    )
    text = f"{post}\nuser_fox wrote: Quote from user_quill: {post} Thanks, I will try it.\n"
    result = clean(text)
    assert "Thanks, I will try it." in result.text
    assert result.text.count("wooden pallet") == 2


# -- the reason names what differs -------------------------------------------------------


@pytest.mark.parametrize(
    ("copy", "differs"),
    [
        (_stripped(ACCENTED["pt"]), "accents"),
        (ACCENTED["pt"].replace("câmara", "*câmara*"), "markup"),
        (ACCENTED["pt"].replace("obras", "obars"), '1 word: "obars" for "obras"'),
    ],
)
def test_the_reason_names_what_differs(copy: str, differs: str) -> None:
    result = clean(ACCENTED["pt"] + "\n\n" + copy + TAIL)
    [removal] = result.removals
    assert removal.differs == differs
    assert removal.reason.endswith(f", differing in {differs}")
    assert removal.to_dict(result.source)["reason"] == removal.reason


def test_an_exact_copy_names_no_difference() -> None:
    result = clean(ACCENTED["pt"] + "\n\n" + ACCENTED["pt"] + TAIL)
    [removal] = result.removals
    assert removal.kind == "exact" and removal.differs == ""
    assert removal.reason == "lines 3: exact duplicate of lines 1 (score 1.000)"


def test_two_records_sharing_an_escaped_paragraph_keep_it() -> None:
    # Each record's own string: the shared opening is each record's, no paste.
    rows = [
        {"id": 0, "body": P1 + "\n\n" + P2},
        {"id": 1, "body": P1 + "\n\nTickets for the concert cost 12 euros at the door."},
    ]
    text = "\n".join(json.dumps(r) for r in rows) + "\n"
    result = clean(text)
    assert result.text == text and not result.removals
