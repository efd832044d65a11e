"""Scripts written without spaces between words: one list, read by every module.

Word-based measures (shingles, word counts, passage tokens) need words. In the
scripts below a text has no space between its words, so a "word" found between
spaces would be a whole clause or paragraph: every letter of these scripts counts
as a word of its own instead, as CJK characters do in most dedup tools.

Sources: the Unicode Standard 15.0 (chapter 16, "Southeast Asia", and chapter 17,
"Indonesia and Oceania": Javanese, Balinese and Buginese are written in scriptio
continua), and UAX #14's line-break class SA ("complex context": Thai, Lao, Khmer,
Myanmar, Tai Le, New Tai Lue, Tai Tham, Tai Viet), whose lines break only at word
boundaries found by a dictionary. Tibetan marks syllables with a tsheg, not words.
"""

from __future__ import annotations

# The letters counted as a word each (a ``regex`` character-class body: wrap it in [ ]).
# Changing it changes the shingles, signatures and word counts of texts in these
# scripts: a stored index of such texts must be rebuilt.
UNSPACED = (
    r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}"
    r"\p{Tai_Le}\p{New_Tai_Lue}\p{Tai_Tham}\p{Tai_Viet}\p{Javanese}\p{Balinese}\p{Buginese}"
)

# The alphabetic (syllabic) scripts among them, whose words are several letters long:
# a measure of amount counts their letters, about five to a word, rather than each
# letter as a word (Han and kana characters are closer to a word each).
SYLLABIC = (
    r"\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
    r"\p{Tai_Le}\p{New_Tai_Lue}\p{Tai_Tham}\p{Tai_Viet}\p{Javanese}\p{Balinese}\p{Buginese}"
)
