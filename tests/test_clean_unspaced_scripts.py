"""Scripts written without spaces between words (Javanese, Balinese, Tai Tham, ...) count
every letter as a word, as CJK and Thai do: a sentence of them glued after itself was
read as one or two "words", too short to be a copy, and the copy stayed (try7 D2).
The list lives in one place, textdedup.scripts, for shingles, word counts and clean."""

from __future__ import annotations

import random

import pytest

from textdedup import clean
from textdedup.segment import word_count

# (consonants, vowel signs, full stop) of each script.
_SCRIPTS = {
    "javanese": ("ꦏꦒꦔꦕꦗꦤꦠꦢꦥꦧꦩꦪꦫꦭꦮꦱꦲ", "ꦶꦸꦺꦼ", "꧉"),
    "balinese": ("ᬓᬕᬗᬘᬚᬢᬤᬦᬧᬩᬫᬬᬭᬮᬯᬲᬳ", "ᬶᬸᬾᭀ", "᭟"),
    "tai_tham": ("ᨠᨣᨤᨧᨩᨲᨴᨶᨷᨻᨾᨿᩁᩃᩅᩈᩉ", "ᩥᩩᩮ", "᪨"),
}


def _sentence(script: str, seed: int, syllables: int = 30) -> str:
    consonants, vowels, stop = _SCRIPTS[script]
    rng = random.Random(seed)
    text = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables))
    return text + stop


def test_each_letter_is_a_word() -> None:
    text = _sentence("javanese", 0, syllables=10)
    assert word_count(text) == 20  # 10 consonants and 10 vowel signs; the stop is no word


@pytest.mark.parametrize("script", sorted(_SCRIPTS))
def test_two_sentences_glued_twice_lose_the_copy(script: str) -> None:
    once = _sentence(script, 1) + " " + _sentence(script, 2)
    result = clean(f"{once} {once}\n")
    assert result.text == f"{once}\n"
    assert [r.kind for r in result.removals] == ["span"]


@pytest.mark.parametrize("script", sorted(_SCRIPTS))
def test_different_sentences_are_kept(script: str) -> None:
    text = " ".join(_sentence(script, seed) for seed in range(4)) + "\n"
    result = clean(text)
    assert result.text == text
    assert result.removals == ()
