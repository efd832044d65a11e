"""Copies in markup (try9 kinds 4 and 5, session 9): a delimited block pasted twice is cut
whole, open and close lines with its body, and the report names the delimiters; a
BBCode-wrapped sentence glued after itself is a stutter; a list pasted right after
itself leaves the blank line before the next paragraph."""

from __future__ import annotations

import pytest

from textdedup import CleanConfig, clean

_S1 = (
    "The harbour car park will be closed on Sunday for the regatta, from 7 a.m. until the "
    "last race ends."
)
_S2 = "Visitors are asked to use the park-and-ride at the leisure centre, with buses every ten minutes."
_SEVEN = (
    "The harbour car park will be closed on Sunday for the regatta, from seven in the morning "
    "until the last race ends."
)
_MODES = [
    ("paragraph", "first"),
    ("auto", "first"),
    ("auto", "last"),
    ("line", "first"),
    ("sentence", "first"),
]


def _run(text: str, blocks: str, keep: str) -> tuple[str, list[str]]:
    result = clean(text, config=CleanConfig(blocks=blocks, keep=keep))  # type: ignore[arg-type]
    return result.text, [r.reason for r in result.removals]


@pytest.mark.parametrize(("blocks", "keep"), _MODES)
@pytest.mark.parametrize(
    ("opener", "closer"),
    [
        ("****", "****"),  # AsciiDoc sidebar (try9 k4_asciidoc_sidebar_doubled)
        ("====", "===="),  # AsciiDoc example (try9 k4_asciidoc_example_doubled)
        ("....", "...."),  # AsciiDoc literal
        ("#+BEGIN_QUOTE", "#+END_QUOTE"),  # Org
        ("\\begin{quote}", "\\end{quote}"),  # LaTeX
        ("{info:title=Parking}", "{info}"),  # Confluence
    ],
)
def test_a_delimited_block_pasted_after_itself_goes_whole(
    opener: str, closer: str, blocks: str, keep: str
) -> None:
    block = f"{opener}\n{_S1}\n{_S2}\n{closer}\n"
    text = f"== Regatta\n\n{block}{block}\nResults will be posted on Monday.\n"
    out, reasons = _run(text, blocks, keep)
    assert out == f"== Regatta\n\n{block}\nResults will be posted on Monday.\n"
    assert len(reasons) == 1
    assert "(score 1.000)" in reasons[0]


@pytest.mark.parametrize("blocks", ["paragraph", "line", "sentence"])
@pytest.mark.parametrize("title", ["{panel:title=Maintenance}", "{panel}", "{note}"])
def test_a_jira_panel_pasted_twice_leaves_no_empty_panel(blocks: str, title: str) -> None:
    # try9 k4_jira_panel_doubled:sentence left "{panel:title=Maintenance}" / "{panel}".
    name = title[1:].split(":")[0].rstrip("}")
    panel = f"{title}\n{_S1} {_S2}\n{{{name}}}\n"
    text = f"h3. Release notes\n\n{panel}\n{panel}\nQuestions go to #ops.\n"
    out, reasons = _run(text, blocks, "first")
    assert out == f"h3. Release notes\n\n{panel}\nQuestions go to #ops.\n"
    assert len(reasons) == 1


def test_the_report_of_a_doubled_example_block_names_lines_alike() -> None:
    block = f"====\n{_S1}\n{_S2}\n====\n"
    text = f"== Regatta\n\n{block}{block}\nResults on Monday.\n"
    assert _run(text, "auto", "first")[1] == [
        "lines 7-10: repeated span of lines 3-6 (score 1.000), with the markup it left empty (====)"
    ]
    assert _run(text, "auto", "last")[1] == [
        "lines 3-6: repeated span of lines 7-10 (score 1.000), with the markup it left empty (====)"
    ]
    # Line by line the delimiters are blocks of the run, named as the markup it took.
    assert _run(text, "line", "first")[1] == [
        "lines 7-10: run of 4 blocks repeating lines 3-6 (score 1.000), "
        "with the markup it left empty (====)"
    ]


@pytest.mark.parametrize(("blocks", "keep"), _MODES)
@pytest.mark.parametrize(
    ("opener", "closer"),
    [
        ("[b]", "[/b]"),
        ("[color=red]", "[/color]"),
        ("[i]", "[/i]"),
        ("[u]", "[/u]"),
        ("[size=4]", "[/size]"),
    ],
)
def test_a_bbcode_sentence_glued_after_itself_is_a_stutter(
    opener: str, closer: str, blocks: str, keep: str
) -> None:
    # try9 k4_bbcode_b_glued, k4_bbcode_color_glued: nothing was removed.
    one = f"{opener}{_SEVEN}{closer}"
    text = f"Notice: {one} {one}\n{_S2}\n"
    out, reasons = _run(text, blocks, keep)
    assert " ".join(out.split()) == " ".join(f"Notice: {one}\n{_S2}\n".split())
    assert reasons == ["lines 1: repeated span of lines 1 (score 1.000)"]


@pytest.mark.parametrize("keep", ["first", "last"])
def test_a_bbcode_paragraph_of_two_sentences_glued_after_itself(keep: str) -> None:
    one = f"[b]{_SEVEN} {_S2}[/b]"
    out, reasons = _run(f"Notice: {one} {one}\n", "auto", keep)
    assert " ".join(out.split()) == f"Notice: {one}"
    assert len(reasons) == 1


def test_a_bracketed_word_between_two_equal_sentences_is_no_markup() -> None:
    # "[note]" is no BBCode tag: the sentences are not glued, they are apart.
    text = f"Notice: {_SEVEN} [note] {_SEVEN}\n{_S2}\n"
    out, _ = _run(text, "auto", "first")
    assert "[note]" in out


@pytest.mark.parametrize("blocks", ["line", "sentence"])
@pytest.mark.parametrize(
    "items",
    [
        [
            "- Passport valid for at least six months after the return date",
            "- Printed booking confirmation with the reference number",
            "- Travel insurance certificate that covers medical evacuation",
            "- Two passport photos for the visa on arrival",
        ],
        [
            "1. Download the installer from the releases page.",
            "2. Run it and accept the licence.",
            "3. Sign in with your company account.",
            "4. Choose the folder to sync.",
        ],
        [
            "* Bring a towel and a spare pair of dry socks for the evening walk",
            "* Leave the dogs at home, the campsite does not allow any pets",
            "* Pack the tent poles in the long bag with the ground sheet",
        ],
    ],
)
def test_a_list_pasted_right_after_itself_keeps_the_blank_line_after_it(
    blocks: str, items: list[str]
) -> None:
    # try9 k5_md_list_pasted_after_itself, k5_numbered_steps_pasted_after_itself (line,
    # sentence): the blank line went with the copy, so the paragraph joined the list.
    lst = "\n".join(items) + "\n"
    text = f"## What to bring\n\n{lst}{lst}\nThe bus leaves at 6:30 from the station.\n"
    out, reasons = _run(text, blocks, "first")
    assert out == f"## What to bring\n\n{lst}\nThe bus leaves at 6:30 from the station.\n"
    assert len(reasons) == 1
    assert "markup" not in reasons[0]


@pytest.mark.parametrize(("blocks", "keep"), _MODES)
@pytest.mark.parametrize("label", ["[^1]:", "[^note-2]:"])
def test_a_footnote_definition_doubled_is_a_stutter(label: str, blocks: str, keep: str) -> None:
    # try9 k4_md_footnote_def_doubled: kept as an isolated repeat; the loose snap started
    # the copies at "1]: " inside the label, so the label stood between them as text.
    line = f"{label} {_S1} {_S2}\n"
    text = f"The regatta has run since 1887.{label[:-1]}\n\n{line}{line}[^x]: The old course.\n"
    out, reasons = _run(text, blocks, keep)
    assert out == f"The regatta has run since 1887.{label[:-1]}\n\n{line}[^x]: The old course.\n"
    assert len(reasons) == 1
    assert reasons[0].endswith(f"(score 1.000), with the markup it left empty ({label})")


_BODY = (
    "Could you send me the signed delivery notes for the March pallets by Friday? The "
    "auditors want to see every note for the quarter, including the two that came back "
    "damaged, before they close the file."
)


@pytest.mark.parametrize("keep", ["first", "last"])
@pytest.mark.parametrize(
    ("wrap", "greeting", "sign_off"),
    [
        ('<div dir="ltr">{}</div>', "<p>Hi Sam,</p>", "<p>Thanks, Priya</p>"),
        ("<div>{}</div>", "<p>Hello team,</p>", "<p>Best regards, Ana Lima</p>"),
        ("<ul>{}</ul>", "<li>Dear all,</li>", "<li>Cheers, Tom</li>"),
    ],
)
def test_a_mail_body_glued_twice_is_cut_a_whole_number_of_periods(
    wrap: str, greeting: str, sign_off: str, keep: str
) -> None:
    # try9 k5_html_mail_body_glued: the cut took "Hi Sam, P" of the second copy and left
    # "<p>Thanks, Priya</p><p>Thanks, Priya</p>" (a sign-off without a full stop ended
    # no unit, so the first period could not end after it).
    tag = greeting[1 : greeting.index(">")]
    body = f"{greeting}<{tag}>{_BODY}</{tag}>{sign_off}"
    out, reasons = _run(wrap.format(body + body) + "\n", "auto", keep)
    assert out == wrap.format(body) + "\n"
    assert len(reasons) == 1


@pytest.mark.parametrize("label", ["Update:", "UPDATE:", "Breaking news:"])
def test_keep_last_takes_the_label_with_the_text_it_labels(label: str) -> None:
    # try9 k5_update_label_then_copy_para:last left "Update:" alone on its line.
    para = f"{_SEVEN} {_S2}"
    text = f"# Regatta\n\n{label} {para}\n\nEntry is free for members.\n\n{para}\n"
    result = clean(text, config=CleanConfig(keep="last"))
    assert result.text == f"# Regatta\n\nEntry is free for members.\n\n{para}\n"
    [removal] = result.removals
    assert removal.kind == "span"
    assert removal.label == label
    assert removal.reason == (
        f"lines 3: repeated span of lines 7 (score 1.000), with the label it left alone ({label})"
    )
    assert text[removal.removed.start : removal.removed.end] == para
    # Kept first, the labelled paragraph stays whole.
    assert clean(text).text == f"# Regatta\n\n{label} {para}\n\nEntry is free for members.\n"


def test_a_label_heading_a_paragraph_the_copy_is_part_of_stays() -> None:
    # try9 k4_abbrev_am_copy_end_of_next_para:last: the kept copy ends another
    # paragraph, so the label heads its own paragraph, which stays.
    para = f"{_S1} {_S2}"
    text = f"Club news: {para}\n\nEntry is free for members. {para}\n"
    assert clean(text, config=CleanConfig(keep="last")).text.startswith("Club news:\n")


_PARAS = {
    "ru": (
        "Ремонт набережной",
        "Мэрия объявила о ремонте набережной.",
        "Подрядчик будет выбран на открытом конкурсе до конца апреля. Работы оплатят из городского бюджета и из средств области.",
        "Горожане смогут предложить свои идеи для благоустройства на сайте мэрии до 1 апреля. Лучшие предложения обсудят на публичных слушаниях.",
    ),
    "uk": (
        "Ремонт набережної",
        "Мерія оголосила про ремонт набережної.",
        "Підрядника оберуть на відкритому конкурсі до кінця квітня. Роботи оплатять з міського бюджету та з коштів області.",
        "Містяни зможуть запропонувати свої ідеї для благоустрою на сайті мерії до першого квітня. Найкращі пропозиції обговорять на публічних слуханнях.",
    ),
    "el": (
        "Ανακαίνιση της προκυμαίας",
        "Ο δήμος ανακοίνωσε την ανακαίνιση της προκυμαίας.",
        "Ο ανάδοχος θα επιλεγεί με ανοιχτό διαγωνισμό έως το τέλος Απριλίου. Τα έργα θα χρηματοδοτηθούν από τον δημοτικό προϋπολογισμό και από την περιφέρεια.",
        "Οι πολίτες μπορούν να προτείνουν ιδέες για τη διαμόρφωση στον ιστότοπο του δήμου έως την πρώτη Απριλίου. Οι καλύτερες προτάσεις θα συζητηθούν σε δημόσια ακρόαση.",
    ),
    "ar": (
        "ترميم الكورنيش",
        "أعلنت البلدية عن ترميم الكورنيش.",
        "سيتم اختيار المقاول في مناقصة مفتوحة قبل نهاية شهر أبريل. وستمول الأعمال من ميزانية المدينة ومن أموال المحافظة.",
        "يمكن للسكان تقديم أفكارهم لتحسين المكان على موقع البلدية حتى الأول من أبريل. وستناقش أفضل المقترحات في جلسات استماع عامة.",
    ),
    "hi": (
        "तटबंध की मरम्मत",
        "नगर निगम ने तटबंध की मरम्मत की घोषणा की।",
        "ठेकेदार का चयन अप्रैल के अंत तक खुली निविदा के माध्यम से किया जाएगा। काम का खर्च शहर के बजट और जिले के कोष से उठाया जाएगा।",
        "नागरिक एक अप्रैल तक नगर निगम की वेबसाइट पर सुधार के लिए अपने सुझाव दे सकेंगे। सबसे अच्छे सुझावों पर सार्वजनिक सुनवाई में चर्चा होगी।",
    ),
}


@pytest.mark.parametrize("lang", sorted(_PARAS))
def test_sentence_mode_removes_what_paragraph_mode_removes(lang: str) -> None:
    # try9 k5_russian_two_sentences_end_of_para:sentence: two sentences pasted at the
    # end of the next paragraph were a run of two sentence blocks, held to min_copy as
    # two paragraphs would be (kept as an isolated repeat); paragraph mode removes them.
    title, lead, pasted, other = _PARAS[lang]
    text = f"{title}\n\n{lead} {pasted}\n\n{other} {pasted}\n"
    by_paragraph = clean(text, config=CleanConfig(blocks="paragraph"))
    by_sentence = clean(text, config=CleanConfig(blocks="sentence"))
    assert by_sentence.text.split() == by_paragraph.text.split()
    if lang in ("ru", "el", "hi"):  # 20 words or more: a pasted passage
        assert by_sentence.text == f"{title}\n\n{lead} {pasted}\n\n{other}\n"


@pytest.mark.parametrize("keep", ["first", "last"])
@pytest.mark.parametrize("marker", [".", "#.", "**"])
def test_an_asciidoc_or_rst_list_pasted_after_itself_goes(marker: str, keep: str) -> None:
    # Our own: AsciiDoc ". item" / "** item" and reST "#. item" lists, as the Markdown
    # list of try9 k5_md_list_pasted_after_itself (kept as an isolated repeat).
    items = [
        "Download the installer from the releases page.",
        "Run it and accept the licence.",
        "Sign in with your company account.",
    ]
    lst = "".join(f"{marker} {item}\n" for item in items)
    text = f"Steps\n\n{lst}{lst}\nThat is it.\n"
    out, reasons = _run(text, "auto", keep)
    assert out == f"Steps\n\n{lst}\nThat is it.\n"
    assert len(reasons) == 1
    assert "markup" not in reasons[0]


def test_a_rst_directive_doubled_in_sentence_mode_leaves_no_dots() -> None:
    # Our own: ".. note::" splits into the sentences ".." and "note::"; a run of whole
    # sentence blocks takes both (a span cut of the passage left "..").
    body = f"   {_S1}\n   {_S2}\n"
    block = f".. note::\n\n{body}\n"
    text = f"Regatta\n=======\n\n{block}{block}Results on Monday.\n"
    out, _ = _run(text, "sentence", "first")
    assert out == f"Regatta\n=======\n\n{block}Results on Monday.\n"


def test_sentence_mode_keeps_the_same_description_of_two_products() -> None:
    # try9 k1_product_cards_same_desc_h3:sentence went wrong with the passage rule: a
    # copy of more than one paragraph is judged as blocks, as paragraph mode does.
    p1 = (
        "Solid oak top with a hard-wax oil finish and a powder-coated steel frame. The height "
        "adjusts from 65 to 128 cm with two quiet motors and four memory presets."
    )
    p2 = (
        "Delivered flat-packed in two boxes; assembly takes about 40 minutes with the tools "
        "supplied. The frame carries up to 120 kg and has a 10 year guarantee; the motors "
        "have 5 years."
    )
    text = (
        f"## Standing desks\n\n### Oak standing desk, 120 x 70 cm\n\n£549 - in stock\n\n{p1}\n\n"
        f"{p2}\n\n### Oak standing desk, 160 x 80 cm\n\n£649 - ships in 2 weeks\n\n{p1}\n\n"
        f"{p2}\n\nFree delivery on all desks.\n"
    )
    assert clean(text, config=CleanConfig(blocks="sentence")).text == text
