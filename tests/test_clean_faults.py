"""Faults of ``clean`` found on held-out seeds of ``benchmarks/clean_quality.py``, by kind.

Each test asserts the right result on the input the benchmark showed and on inputs of
our own of the same kind:

* a copy pasted after a song's last refrain, that reads as "R v3 R v4" twice;
* a block stuttered inside a near copy (``A B E C D ... A B E E C D``) and a refrain
  sung twice in a row after other refrains;
* a stutter cut inside a line (a copy found one word late);
* punctuation of the writer's own after a glued copy (``BODY BODY!!``);
* a clause a contract repeats three times, and short Russian copies.
"""

from __future__ import annotations

import pytest

from textdedup import clean

# -- a copy pasted after a song's last refrain --------------------------------------------

REFRAIN = (
    "Ride on, ride on, the river is calling me,\nride on, ride on, across the hills and to the sea."
)
VERSES = [
    "I kept a distant winter in a distant station,\nwe dreamed together until the lights went out.",
    "the lantern was quiet and the station was cold,\nand when the night was long I whispered alone.",
    "you listened beside me by the gentle ocean,\nand every shadow I passed had a story to be told.",
    "I danced along the empty letter all the summer through,\nthey sang through the river until the lights went out.",
]


def _song(blocks: list[str], sep: str) -> str:
    return sep.join(["Narrow Window", *blocks]) + "\n"


@pytest.mark.parametrize("sep", ["\n\n", "\n"], ids=["stanzas", "lines"])
def test_a_copy_pasted_after_the_last_refrain_keeps_that_refrain(sep: str) -> None:
    # v1 R v2 R v3 R v4 R, then "v3 R v4" pasted at the end: the tail reads as
    # "R v3 R v4" twice, and cutting that took the song's last R (seed 2, docs 419, 469).
    v = VERSES
    song = [v[0], REFRAIN, v[1], REFRAIN, v[2], REFRAIN, v[3], REFRAIN]
    pasted = [v[2], REFRAIN, v[3]]
    text = _song(song + pasted, sep)
    result = clean(text)
    assert result.text == _song(song, sep)
    [removal] = result.removals
    assert removal.kind == "repeated-run" and removal.score == 1.0
    assert text[removal.removed.start : removal.removed.end] == sep.join(pasted)
    assert text[removal.kept.start : removal.kept.end] == sep.join(pasted)


def test_a_poem_with_a_refrain_line_keeps_its_last_refrain() -> None:
    # Our own: a poem without blank lines, a one-line refrain X after every stanza,
    # the last two stanzas and the X between them pasted at the end.
    x = "Sing it low and sing it slow,"
    stanzas = [
        "I whispered along the endless window when the night was long,\n"
        "and every shadow I passed had a story to be told.",
        "with nothing in my pockets but a broken mountain,\n"
        "with nothing in my pockets but a faded lantern.",
        "you dreamed beside me by the silver lantern,\n"
        "they travelled through the winter all the summer through.",
        "with nothing in my pockets but a empty station,\n"
        "the morning remembers what the morning forgot.",
    ]
    poem = "\n".join(f"{s}\n{x}" for s in stanzas)
    pasted = f"{stanzas[2]}\n{x}\n{stanzas[3]}"
    text = f"Golden Garden\n{poem}\n{pasted}\n"
    result = clean(text)
    assert result.text == f"Golden Garden\n{poem}\n"
    [removal] = result.removals
    assert text[removal.removed.start : removal.removed.end] == pasted


def test_a_stutter_that_ends_with_the_refrain_is_cut_whole() -> None:
    # "R v2 R v3" pasted right after itself, the song's own last R after it: one cut.
    v = VERSES
    song = [v[0], REFRAIN, v[1], REFRAIN, v[2]]
    text = _song([*song, *song[1:], REFRAIN], "\n\n")
    result = clean(text)
    assert result.text == _song([*song, REFRAIN], "\n\n")
    assert len(result.removals) == 1


def test_a_song_that_doubles_its_body_loses_only_the_copy() -> None:
    v = VERSES
    body = [v[0], REFRAIN, v[1], REFRAIN]
    result = clean(_song(body + body, "\n\n"))
    assert result.text == _song(body, "\n\n")


# -- a stutter inside a near copy -----------------------------------------------------------

A = "The ferry company announced new winter timetables for the island routes on Monday."
B = "Sailings to the northern isles will drop from four a day to two until the end of March."
E = "Passengers with cars are asked to book at least two days ahead of travel."
C = "The company said the change follows a fall in bookings over the last three winters."
D = "Island councils have asked for a meeting with the operator before the new year."
X = "Local shops expect fewer visitors this season."
Y = "A harbour official declined to comment on the plans."


@pytest.mark.parametrize("sep", ["\n\n", "\n"], ids=["paragraphs", "lines"])
def test_a_stutter_inside_a_copy_goes_with_the_copy(sep: str) -> None:
    # A B E C D ... A B E E C D: the copy, its stuttered E included, goes. Before, the
    # second E named the first E (its cluster's first block), was no stutter, and the
    # copy split into two short runs kept as structure.
    text = sep.join([A, B, E, C, D, X, Y, A, B, E, E, C, D]) + "\n"
    result = clean(text)
    assert result.text == sep.join([A, B, E, C, D, X, Y]) + "\n"
    stutter = [r for r in result.removals if r.kind == "exact"]
    assert len(stutter) == 1 and stutter[0].score == 1.0
    assert text[stutter[0].removed.start : stutter[0].removed.end] == E


def test_a_stutter_inside_a_near_copy_goes_with_the_copy() -> None:
    # The copy also has a typo fixed ("nothern"): a near copy, with E doubled in it.
    b_typo = B.replace("northern", "nothern")
    text = "\n\n".join([A, b_typo, E, C, D, X, Y, A, B, E, E, C, D]) + "\n"
    result = clean(text)
    assert result.text == "\n\n".join([A, b_typo, E, C, D, X, Y]) + "\n"


def test_a_refrain_sung_twice_in_a_row_is_the_songs() -> None:
    # After other refrains, "R R" at the end: the refrain also stands between verses,
    # so two in a row are the song's (a new user's try, k1_folk_XAXA), kept and reported.
    v = VERSES
    song = [v[0], REFRAIN, v[1], REFRAIN, v[2], REFRAIN, REFRAIN]
    text = _song(song, "\n")
    result = clean(text)
    assert result.text == text and not result.removals
    assert result.isolated


def test_a_folk_song_that_opens_with_its_refrain_twice_keeps_it() -> None:
    x = "Down by the mill where the water runs slow,\nI will be waiting when the evening bells ring."
    verse = (
        "Bring me the letter you wrote in the snow,\ntell me the names of the birds in the spring."
    )
    text = f"{x}\n{x}\n{verse}\n{x}\n"
    result = clean(text)
    assert result.text == text and not result.removals


def test_a_paragraph_pasted_twice_after_itself_is_still_a_stutter() -> None:
    # A A A with A nowhere else: every A is in the row, so it is no refrain.
    text = "\n\n".join(["Notice", A, A, A, X]) + "\n"
    result = clean(text)
    assert result.text == "\n\n".join(["Notice", A, X]) + "\n"


def test_a_refrain_between_verses_is_still_kept() -> None:
    v = VERSES
    text = _song([v[0], REFRAIN, v[1], REFRAIN, v[2], REFRAIN], "\n\n")
    result = clean(text)
    assert result.text == text and not result.removals


# -- a stutter cut inside a line ---------------------------------------------------------------

ROUTES = [
    "Route 5078 (CR 5078) runs from Millbrook to the Oakfield County line.",
    "Route 5079 (CR 5079) runs from Oakfield to the Northam County line.",
    "Route 5080 (CR 5080) runs from Northam to the Millbrook County line.",
    "Route 5076 (CR 5076) runs from Oakfield to the Northam County line.",
    "Route 5077 (CR 5077) runs from Northam to the Millbrook County line.",
]


def test_a_stutter_found_a_word_late_is_cut_at_its_line_start() -> None:
    # Lines 3-5 pasted again right after themselves. The line after the copy starts
    # with "Route" too, so the finder took the copy a word late ("5079 (CR 5079)...
    # line.\nRoute") and the cut kept "Route " on line 6 (seed 2, doc 84).
    head = "County routes in the northern district"
    lines = [head, *ROUTES[:4], *ROUTES[1:4], ROUTES[4]]
    text = "\n".join(lines) + "\n"
    result = clean(text)
    assert result.text == "\n".join([head, *ROUTES]) + "\n"
    [removal] = result.removals
    assert removal.kind == "repeated-run" and removal.removed.lines() == "6-8"
    assert removal.kept.lines() == "3-5"
    assert text[removal.removed.start : removal.removed.end] == "\n".join(ROUTES[1:4])


CSV_149 = [
    "date,station,temperature_c,humidity_pct,sky",
    "2026-03-02,Fairport North,-1.9,56,clear",
    "2026-03-03,Fairport North,23.4,56,rain",
    "2026-03-03,Eastwick North,23.2,44,cloudy",
    "2026-03-03,Eastwick North,23.1,44,cloudy",
    "2026-03-03,Eastwick North,5.2,66,cloudy",
    "2026-03-03,Eastwick North,5.4,66,cloudy",
    "2026-03-03,Eastwick North,5.6,66,cloudy",
    "2026-03-03,Eastwick North,23.1,44,cloudy",
    "2026-03-03,Eastwick North,5.2,66,cloudy",
    "2026-03-03,Eastwick North,5.4,66,cloudy",
    "2026-03-03,Eastwick North,5.6,66,cloudy",
    "2026-03-04,Eastwick North,1.9,80,rain",
]
CSV_523 = [
    "date,station,temperature_c,humidity_pct,sky",
    "2026-03-17,Dunmore North,23.1,88,fog",
    "2026-03-17,Westhaven North,-4.0,44,rain",
    "2026-03-17,Westhaven North,-3.8,44,rain",
    "2026-03-18,Dunmore North,17.6,81,rain",
    "2026-03-18,Dunmore North,17.5,81,rain",
    "2026-03-18,Dunmore North,17.4,81,rain",
    "2026-03-18,Dunmore North,17.2,81,rain",
    "2026-03-19,Dunmore North,18.9,71,cloudy",
    "2026-03-19,Dunmore North,4.7,51,fog",
    "2026-03-20,Westhaven North,20.9,91,cloudy",
    "2026-03-20,Westhaven North,6.3,72,clear",
    "2026-03-20,Westhaven North,7.5,67,fog",
    "2026-03-20,Westhaven North,7.6,67,fog",
    "2026-03-21,Westhaven North,-2.8,67,clear",
    "2026-03-20,Westhaven North,6.3,72,clear",
    "2026-03-20,Westhaven North,7.5,67,fog",
    "2026-03-20,Westhaven North,7.6,67,fog",
    "2026-03-21,Westhaven North,-2.8,67,clear",
    "2026-03-21,Westhaven North,-3.0,67,clear",
    "2026-03-22,Westhaven North,-3.2,70,rain",
    "2026-03-22,Millbrook North,21.0,64,fog",
    "2026-03-22,Millbrook North,21.1,64,fog",
]


@pytest.mark.parametrize(
    ("rows", "copy", "kept"),
    [(CSV_149, (8, 12), "5-8"), (CSV_523, (15, 19), "12-15")],
    ids=["seed2-doc149", "seed3-doc523"],
)
def test_csv_rows_stuttered_are_cut_at_the_row_start(
    rows: list[str], copy: tuple[int, int], kept: str
) -> None:
    # Rows pasted again right after themselves, every row starting with the same date:
    # the cut started after "2026-03-" (seed 2, doc 149) or "2026-03-20," (seed 3).
    text = "\n".join(rows) + "\n"
    result = clean(text)
    a, b = copy
    assert result.text == "\n".join(rows[:a] + rows[b:]) + "\n"
    [removal] = result.removals
    assert removal.kind == "repeated-run"
    assert removal.removed.lines() == f"{a + 1}-{b}" and removal.kept.lines() == kept


def test_sentences_stuttered_inside_a_paragraph_are_cut_at_a_sentence_start() -> None:
    # Our own: sentences that all start alike ("The board ...") doubled in a paragraph.
    s = [
        "The board met on Tuesday to discuss the state of the old grain quay.",
        "The board heard that two of the timber piles had rotted through at the waterline.",
        "The board agreed that repairs will close the quay to all boats from June.",
        "The board will meet again in the autumn.",
    ]
    text = " ".join([s[0], s[1], s[2], s[1], s[2], s[3]]) + "\n"
    result = clean(text)
    assert result.text == " ".join(s) + "\n"
    [removal] = result.removals
    assert text[removal.removed.start : removal.removed.end] == f"{s[1]} {s[2]}"


# -- punctuation of the writer's own after a glued copy ---------------------------------------

BODY = (
    "The council approved the new budget on Tuesday after a long debate about road "
    "repairs in the northern districts. Members agreed to revisit the library funding in "
    "the spring session, once the auditors have reported on last year's accounts."
)


@pytest.mark.parametrize("tail", ["!!", "?!", "..", ")!!", "\u201d!!"])
def test_the_writers_punctuation_after_a_glued_copy_stays(tail: str) -> None:
    # "BODY. BODY.!!": the copy ends with its own full stop; the "!!" after it is the
    # writer's and stays. Before, it went with the copy, scored 0.979 as a near copy.
    opener = {")": "(", "\u201d": "\u201c"}.get(tail[0], "")
    text = f"Headline\n{opener}{BODY} {BODY}{tail}\n"
    result = clean(text)
    assert result.text == f"Headline\n{opener}{BODY}{tail}\n"
    [removal] = result.removals
    assert text[removal.removed.start : removal.removed.end] == BODY
    assert removal.score == 1.0


def test_an_exclamation_ending_both_copies_stays_with_the_writers_own() -> None:
    body = (
        "The match at the old ground was called off at half time. The fans were sent"
        " home in the rain after waiting for more than an hour!"
    )
    text = f"Sports\n{body} {body}!!\n"
    result = clean(text)
    assert result.text == f"Sports\n{body}!!\n"


def test_a_refrain_and_verse_pasted_after_the_last_refrain_keep_that_refrain() -> None:
    # "... v4 R" then "R v4" pasted at the end (seed 4, doc 214): before this rule's
    # block half, the cut took "R v4" after "v4", the song's own last R with it. Now
    # "R R" is a refrain sung twice (kept), and the song stays whole.
    v = VERSES
    song = [v[0], REFRAIN, v[1], REFRAIN, v[2], REFRAIN, v[3], REFRAIN]
    result = clean(_song([*song, REFRAIN, v[3]], "\n\n"))
    assert result.text.startswith(_song(song, "\n\n"))
    short = "I kept a endless shadow in a gentle lantern,\nthey waited all the summer."
    song[-2] = short
    result = clean(_song([*song, REFRAIN, short], "\n\n"))
    assert result.text.startswith(_song(song, "\n\n"))


# -- short copies in a script of long words ----------------------------------------------------

RU = [
    "Власти обещают регулярно сообщать о ходе работ на официальном сайте.",
    "Первая очередь строительства займёт около 3 месяцев.",
    "Работы должны начаться весной, а стоимость проекта оценивается в 9 миллионов рублей.",
    "Подрядчик будет выбран на открытом конкурсе до конца апреля.",
    "Критики считают, что деньги лучше потратить на ремонт дорог.",
    "Часть средств выделит региональный бюджет, остальное добавят частные инвесторы.",
    "Местные предприниматели надеются, что стройка оживит торговлю в районе.",
    "Похожий проект в соседнем городе был завершён с опозданием на 15 месяцев.",
]


def test_two_russian_sentences_pasted_at_a_paragraphs_end_are_found() -> None:
    # Two sentences of 18 words glued at the end of their own paragraph (seed 2, doc
    # 276): 109 letters, as much text as 21 English words, were under the 20-word
    # minimum and missed.
    head = "Новости: в Иркутске построят здание городского парка"
    copy = f"{RU[3]} {RU[4]}"
    text = f"{head}\n{RU[0]} {RU[1]} {RU[2]}\n{RU[3]} {RU[4]} {RU[6]} {copy}\n"
    result = clean(text)
    assert result.text == f"{head}\n{RU[0]} {RU[1]} {RU[2]}\n{RU[3]} {RU[4]} {RU[6]}\n"
    [removal] = result.removals
    assert removal.kind == "span" and removal.score == 1.0
    assert text[removal.removed.start : removal.removed.end] == copy


def test_two_russian_sentences_pasted_into_a_later_paragraph_are_found() -> None:
    # Our own: 17 words from the first paragraph pasted at the end of the third.
    copy = f"{RU[4]} {RU[5]}"
    paras = [f"{RU[0]} {RU[4]} {RU[5]}", f"{RU[1]} {RU[2]}", f"{RU[3]} {RU[6]}"]
    text = "\n\n".join([*paras[:2], f"{paras[2]} {copy}", RU[7]]) + "\n"
    result = clean(text)
    assert result.text == "\n\n".join([*paras, RU[7]]) + "\n"
    [removal] = result.removals
    assert text[removal.removed.start : removal.removed.end] == copy


def test_two_short_english_sentences_repeated_elsewhere_stay() -> None:
    # The same place in English: 17 words, 75 letters, less text than the minimum
    # (20 words), so a pair of short sentences a document repeats stays.
    pair = "The gates open at nine. Visitors must sign in at the front desk before going upstairs."
    text = (
        f"Opening hours\n\nThe museum is free on Sundays. {pair}\n\n"
        f"Groups of ten or more should book a guide in advance.\n\nSchool visits. {pair}\n"
    )
    result = clean(text)
    assert result.text == text and not result.removals


def test_a_long_token_repeated_is_not_a_long_text() -> None:
    # A hash is one word: it counts for at most 15 letters, 3 words.
    digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    text = (
        f"Release 1.2 was signed with {digest} on Monday.\n\n"
        "The mirrors were updated in the evening.\n\n"
        f"To check a download, compare its digest with {digest} first.\n"
    )
    result = clean(text)
    assert result.text == text and not result.removals
