"""Issue #10, session 7 (H10d): normalization that is spelling, "exact" means identical,
layout of clean documents, near copies that are transliterations or OCR scans.

Each test asserts the right value; inputs named ``try6``/``try5`` come from the new-user
suites (/work/try6, /work/try5), the others are our own of the same kind.
"""

from __future__ import annotations

import pytest

from textdedup import clean
from textdedup.normalize import identity_key, invisible, normalize

# --- Kind 1: format characters that are spelling stay; layout hints go -----------------

MVS = "\u180e"  # MONGOLIAN VOWEL SEPARATOR
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


@pytest.mark.parametrize(
    "text",
    [
        f"\u1830\u1822\u1828{MVS}\u1821 news",  # Mongolian: MVS picks the final vowel form
        f"Flags: {SCOTLAND} and {ENGLAND}",  # tag characters (UTS #51)
        "\u05d0\u05b7\u034f\u05b0",  # Hebrew: a combining grapheme joiner keeps the marks apart
        "\u845b\U000e0100 and \u845b\U000e0101",  # ideographic variation selectors
        "snow \u2603\ufe0f and \u2603\ufe0e",  # emoji / text presentation selectors
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian ZWNJ
        "\u061c\u0661\u0662 \u0627\u0644\u0639\u062f\u062f",  # Arabic letter mark
        "\u0e01\u0e34\u0e19\u200b\u0e02\u0e49\u0e32\u0e27",  # Thai: ZWSP is the word boundary
        "\u1781\u17d2\u1789\u17bb\u17c6\u200b\u1791\u17c5\u200b\u1795\u17d2\u179f\u17b6\u179a",  # Khmer
        "\u1019\u1004\u103a\u1039\u1002\u101c\u102c\u2060\u1015\u102b",  # Myanmar, word joiner
    ],
)
def test_invisible_keeps_spelling(text: str) -> None:
    assert invisible(text) == text
    assert normalize(text) == text


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("zero\u200bwidth", "zerowidth"),
        ("soft\u00adhyphen", "softhyphen"),
        ("\ufeffBOM first", "BOM first"),
        ("word\u2060joiner", "wordjoiner"),
        ("Latin\u200b\u0e01", "Latin\u0e01"),  # a boundary of a Thai word with Latin: a hint
        ("\u0e01\u200b\u00ad\u0e02", "\u0e01\u0e02"),  # not between two Thai letters
    ],
)
def test_invisible_removes_layout_hints(text: str, want: str) -> None:
    assert invisible(text) == want
    assert invisible(want) == want


def test_mongolian_document_without_repeat_is_unchanged() -> None:
    # try6 n20_mongolian_script_mvs: the vowel separators were deleted from a clean text.
    text = (
        "\u182e\u1821\u1833\u1821\u182d\u1821\n\n"
        f"\u1830\u1822\u1828{MVS}\u1821 \u182c\u1825\u1832\u1825\u182f\u182a\u1825\u1837\u1822 "
        f"\u182a\u1820\u1832\u1824\u182f\u1820\u182a\u1820\u1803 \u182c\u1826\u1837\u1822\u1836{MVS}\u1821"
        " \u1833\u1826\u1803\n"
    )
    result = clean(text)
    assert result.text == text
    assert not result.removals


def test_two_flags_are_not_one_text() -> None:
    # The tags are the flag: Scotland's and England's are two facts, not an exact copy.
    assert identity_key(SCOTLAND) != identity_key(ENGLAND)
    line = "Supporters waved the flag {} outside the stadium before the match began."
    text = line.format(SCOTLAND) + "\n\n" + line.format(ENGLAND) + "\n"
    result = clean(text)
    assert result.text == text
    assert all(r.kind != "exact" for r in (*result.removals, *result.isolated))


def test_zwnj_spelling_is_not_exact() -> None:
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert identity_key(persian) != identity_key(persian.replace("\u200c", ""))
    # A zero-width space in Latin text is a layout hint: the same text.
    assert identity_key("zero\u200bwidth") == identity_key("zerowidth")


# --- Kind 2: the document's own layout of blank lines is kept -----------------------

TWO_FUNCS = (  # try5 e01_python_two_funcs: PEP 8's two blank lines between functions
    "def import_orders(rows, conn, logger):\n"
    "    for row in rows:\n"
    "        conn.execute(INSERT_ORDER_SQL, row)\n"
    '    logger.info("imported %d rows into the orders table", len(rows))\n'
    "    conn.commit()\n"
    "\n\n"
    "def import_returns(rows, conn, logger):\n"
    "    for row in rows:\n"
    "        conn.execute(INSERT_RETURN_SQL, row)\n"
    '    logger.info("imported %d rows into the orders table", len(rows))\n'
    "    conn.commit()\n"
)


def test_python_module_keeps_two_blank_lines() -> None:
    result = clean(TWO_FUNCS)
    assert result.text == TWO_FUNCS
    script = (  # our own: a short script, PEP 8 layout throughout
        "import sys\n\n\nUSAGE = 'usage: tool FILE'\n\n\nclass Tool:\n    pass\n\n\n"
        'if __name__ == "__main__":\n    sys.exit(Tool())\n'
    )
    assert clean(script).text == script


def test_longer_runs_collapse_to_the_documents_layout() -> None:
    # Prose whose only run is 3 blank lines: no style asks for it, it collapses to one.
    assert clean("First paragraph.\n\n\n\nSecond paragraph.\n").text == (
        "First paragraph.\n\nSecond paragraph.\n"
    )
    # Code that uses two blank lines: a run of five comes down to two, not one.
    code = "import os\n\n\ndef a():\n    return 1\n\n\n\n\n\ndef b():\n    return 2\n"
    assert clean(code).text == code.replace("\n\n\n\n\n\n", "\n\n\n")


def test_removal_in_code_keeps_its_layout() -> None:
    # Our own: a module pasted twice (a run of four blocks) keeps two blank lines
    # between its functions, and the blank lines the removal left at the end go.
    module = TWO_FUNCS.replace("import_returns", "export_returns").replace("INSERT_", "COPY_")
    doubled = TWO_FUNCS + "\n\n" + TWO_FUNCS + "\n\n\n\n"
    result = clean(doubled)
    assert result.text == TWO_FUNCS
    assert [r.kind for r in result.removals] == ["repeated-run"]
    assert clean(module).text == module


# --- Kind 3: "exact" names the markup in either order -------------------------------

STANDFIRST = (  # try6 k3_standfirst_heading_then_para / _para_then_heading
    "Volunteers counted 1,284 grey seal pups on the Farne Islands this winter, "
    "the highest number since the first count in 1952."
)
OWN = (  # our own: a lead kept as a bullet, a quotation, an HTML element
    "The council approved a budget of 4.2 million for the harbour wall repairs, "
    "which start in March and should last two years."
)


@pytest.mark.parametrize("para", [STANDFIRST, OWN])
@pytest.mark.parametrize(
    ("open_", "close"),
    [
        ("## ", ""),
        ("# ", ""),
        ("> ", ""),
        ("- ", ""),
        ("* ", ""),
        ("<p>", "</p>"),
        ("<h2>", "</h2>"),
    ],
)
def test_markup_pair_is_exact_with_its_markup_named_in_both_orders(
    para: str, open_: str, close: str
) -> None:
    marked = f"{open_}{para}{close}"
    outcomes = []
    for first, second in ((marked, para), (para, marked)):
        text = f"Seal pups\n\n{first}\n\n{second}\n\nThe colony has grown since the 1970s.\n"
        result = clean(text)
        [removal] = result.removals
        assert result.text == text.replace(f"\n\n{second}\n", "\n", 1)
        named = removal.markup if second == marked else removal.kept_markup
        assert open_.strip() in named
        assert open_.strip() in removal.reason
        outcomes.append((removal.kind, removal.score))
    assert outcomes == [("exact", 1.0), ("exact", 1.0)]


def test_clauses_under_two_numbers_are_not_exact() -> None:
    # "1.9 S" and "2.9 S": each block has markup of its own, so they are no exact pair.
    clause = "Any notice shall be in writing and delivered by hand to the receiving party."
    text = f"1. General\n\n1.9 {clause}\n\n2. Fees\n\n2.9 {clause}\n"
    result = clean(text)
    assert all(r.kind != "exact" for r in (*result.removals, *result.isolated))


# --- Kind 4: a copy with its accents dropped is a near copy --------------------------


def _unaccented(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    )


COUNCIL = (  # our own: a French news paragraph, about 3% accented letters
    "Le conseil municipal a voté mardi soir le budget de la commune pour l'année prochaine. "
    "Les travaux du port commenceront en mars et dureront deux ans, selon le maire, qui a "
    "rappelé que la digue avait été endommagée par la tempête de l'hiver dernier."
)


def test_accents_dropped_copy_is_near() -> None:
    from textdedup.verify import compare

    c = compare(COUNCIL, _unaccented(COUNCIL))
    assert not c.exact and 0.99 < c.score < 1.0 and c.near(0.9)
    text = f"Brèves\n\n{COUNCIL}\n\n{_unaccented(COUNCIL)}\n\nMétéo : beau temps.\n"
    result = clean(text)
    assert result.text == f"Brèves\n\n{COUNCIL}\n\nMétéo : beau temps.\n"
    [removal] = result.removals
    assert removal.kind == "near" and removal.score < 1.0


def test_accents_dropped_with_another_fact_is_not_near() -> None:
    from textdedup.verify import compare

    other = _unaccented(COUNCIL).replace("deux ans", "trois ans")
    assert not compare(COUNCIL, other).near(0.9)
    number = _unaccented(COUNCIL).replace("mars", "mars 2027")
    assert not compare(COUNCIL, number).near(0.9)
    # Accents moved, not dropped: not a transliteration (each costs a whole letter).
    from textdedup.verify import _accents_dropped

    assert _accents_dropped("Le café a fermé.", "Le cafe a fermè.") == 0
    assert not compare("Le café a fermé.", "Le cafe a fermè.").near(0.9)


# --- Kind 5: one slip between two real words is a word replaced ----------------------


def test_casual_causal_both_kept() -> None:
    # try10c f2_casual_causal: two statements, not a typo fixed.
    line = (
        "Pearl and Mackenzie argue that {} claims can be tested from observational data "
        "if the assumptions are written down as a graph."
    )
    text = f"Reading list, week 6\n{line.format('causal')}\n{line.format('casual')}\n"
    result = clean(text)
    assert result.text == text
    assert not result.removals


@pytest.mark.parametrize(
    ("word", "other"),
    [("quiet", "quite"), ("trial", "trail"), ("form", "from"), ("united", "untied")],
)
def test_one_slip_between_two_words_is_not_near(word: str, other: str) -> None:
    from textdedup.verify import compare

    # our own: the sentence says another thing with the other word
    s = "The committee said the {} vote on the harbour plan was held on Tuesday evening."
    c = compare(s.format(word), s.format(other))
    assert not c.near(0.9) and c.other_words == 1


@pytest.mark.parametrize(("word", "typo"), [("received", "recieved"), ("line", "lnie")])
def test_a_misspelling_is_still_a_typo(word: str, typo: str) -> None:
    from textdedup.verify import compare

    s = "The council {} the letter about the new bus {} on Monday morning at nine."
    assert compare(s.format(word, "route"), s.format(typo, "route")).near(0.9)


# --- Kind 6: a glued copy after <br> takes its opening tag and the break --------------

KALK = (
    "<b>Kalk Bay</b> is a fishing village on the False Bay coast of the Cape Peninsula in "
    "South Africa. It is named after the lime kilns that burned shells there in the 17th "
    "century."
)
HARBOUR = (  # our own: a dateline in <strong>, and <em>
    "<strong>HOUT BAY</strong> The harbour master said on Monday that the new slipway "
    "will open in May, after two years of work on the old quay wall. Boats will be "
    "<em>lifted</em> out by the new crane from the same week."
)


@pytest.mark.parametrize(
    ("para", "brk", "end"),
    [
        (KALK, "<br>", "</p>"),
        (HARBOUR, "<br>", "</p>"),
        (HARBOUR, "<br/>", ""),
        (KALK, "<br />", "</div>"),
    ],
)
def test_glued_copy_after_a_break_leaves_no_tag(para: str, brk: str, end: str) -> None:
    # try6 k4_html_br_bold_glued: "… century.<br><b></p>" was left.
    start = {"</p>": "<p>", "</div>": "<div>", "": ""}[end]
    text = f"{start}{para}{brk}{para}{end}\n<p>The harbour was built in 1913.</p>\n"
    result = clean(text)
    assert result.text == f"{start}{para}{end}\n<p>The harbour was built in 1913.</p>\n"
    [removal] = result.removals
    assert brk.strip() in removal.markup
    assert result.source[removal.removed.start : removal.removed.end].startswith(brk)


# --- Kind 4: an OCR page scanned twice is a near copy ---------------------------------

PAGE = (
    "The harbour at Mousehole was rebuilt in 1870 after a winter storm destroyed\n"
    "most of the old wall. The new wall was built of granite from the quarries\n"
    "at Lamorna and was designed to close the harbour in bad weather with heavy\n"
    "timber baulks. Fishing boats could then shelter inside while the sea broke\n"
    "over the outer wall. The modern harbour still uses the same method, and the\n"
    "baulks are lowered every autumn by volunteers from the village.\n"
)


def test_ocr_page_scanned_twice_is_removed_as_near() -> None:
    # try6 k5_ocr_page_scanned_twice: rn/m and 1/l misreadings in the second scan.
    scan = PAGE.replace("timber", "tirnber").replace("modern", "rnodern")
    scan = scan.replace("village", "vi1lage")
    text = f"THE CORNISH COAST 41\n\n{PAGE}\nTHE CORNISH COAST 41\n\n{scan}\n"
    text += "42 THE CORNISH COAST\n\nThe lifeboat station was opened in 1913.\n"
    result = clean(text)
    assert result.text == (
        f"THE CORNISH COAST 41\n\n{PAGE}\n42 THE CORNISH COAST\n\n"
        "The lifeboat station was opened in 1913.\n"
    )
    [removal] = result.removals
    assert removal.kind == "repeated-run" and 0.9 < removal.score < 1.0


def test_ocr_misreadings_are_edits_and_facts_are_not() -> None:
    from textdedup.verify import compare

    # our own: cl/d, 0/o and vv/w misread in a scanned letter
    line = (
        "The old mill road was closed in winter, and the widow who owned the land "
        "would not sell it to the council for any price."
    )
    scan = line.replace("old", "olcl").replace("widow", "vvidow")
    scan = scan.replace("council", "c0uncil")
    c = compare(line, scan)
    assert c.near(0.9) and c.same_numbers and c.score < 1.0
    # Two words (modern / modem) and two numbers (1870 / 1970) stay different.
    assert not compare(line, line.replace("mill", "mi11") + " 1870").near(0.9)
    assert not compare(PAGE, PAGE.replace("1870", "1970")).near(0.9)
    modem = "The modern harbour still uses the same method every autumn, the harbour master said."
    assert not compare(modem, modem.replace("modern", "modem")).near(0.9)


def test_emoji_presentation_selector_is_no_other_symbol() -> None:
    # try6 k3_emoji_variation_selector: a copy that lost the U+FE0F after the heart is
    # a near copy (the same symbol drawn as text), unlike another flag (tags, above).
    from textdedup.verify import compare

    line = "Sunny all week at the harbour {} and the ferry runs to its summer timetable again."
    c = compare(line.format("\u2600\ufe0f"), line.format("\u2600"))
    assert c.near(0.9) and not c.exact and c.score < 1.0
    assert not compare(line.format(SCOTLAND), line.format(ENGLAND)).near(0.9)
