"""Clean one document: remove what was pasted again, keep what repeats as structure.

The single-document pipeline. It composes the stages (normalize, segment, the
span finder, MinHash/LSH, verification, clustering) and turns their output into
decisions, :class:`Removal` records and the cleaned text:

1. Normalize the text with the line-preserving cleaning steps, so offsets and line
   numbers in the report refer to the input's lines.
2. Repeated spans at character level (:mod:`textdedup.repeats`), at least
   ``min_span`` words long. Their edges move to the nearest whole sentences or
   lines inside them (a cut never ends inside a sentence that goes on), and the
   two copies are verified with :func:`textdedup.verify.compare`.
3. Blocks not touched by a span: exact duplicates by identity key, near duplicates
   by MinHash/LSH candidates verified with :func:`~textdedup.verify.compare`,
   clustered, one keeper per cluster by the keep policy. Consecutive repeated blocks
   whose keepers are consecutive form a run.
4. Each repeat found is a *copy* (removed) or *structure* (kept and reported in
   :attr:`CleanResult.isolated`): see :func:`clean` and docs/concepts.md.
5. Cut the removals out, with the markup or quote markers a cut leaves empty, and
   apply the layout steps (blank lines, edges).
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import functools
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import numpy as np
import regex
from rapidfuzz import fuzz, process

from . import outline
from .cluster import choose_keepers, connected_components
from .config import ISOLATED_POLICIES, CleanConfig
from .lsh import band_keys, candidate_pairs, lsh_params
from .minhash import MinHasher
from .normalize import (
    KeyConfig,
    NormalizeConfig,
    fold_accents,
    identity_key,
    key_text_and_key,
    longest_blank_run,
    normalize,
    normalize_key,
    trailing_whitespace,
)
from .repeats import Repeat, find_repeats
from .scripts import SYLLABIC, UNSPACED
from .segment import Block, LineIndex, SegmentMode, resolve_mode, segment, tokens, word_count
from .shingle import compiled
from .structure import MessageUnits, heading_levels, message_units, summary_boxes
from .verify import _ABBREVIATIONS, Comparison, _attribute_values, _plain, compare

__all__ = ["ISOLATED_POLICIES", "CleanConfig", "CleanResult", "Location", "Removal", "clean"]

RemovalKind = Literal["exact", "near", "repeated-run", "span"]

_CONTENT = regex.compile(r"[\p{L}\p{N}]")
_PUNCT = regex.compile(r"\p{P}")
_DIGIT = regex.compile(r"\p{Nd}")
# A record's own lines of facts between its title and its body (see
# _Cleaner._under_other_record_head): at most this many, each one line of at most this
# many words, with a digit.
_RECORD_FACT_LINES = 2
_FACT_LINE_WORDS = 12
# A record's field without a digit ("Stock: none", "Colour: walnut", "Status: sold"): a
# label of up to three words opening with a capital, a colon, a value.
_FIELD_LINE = regex.compile(
    r"[^\S\n]*\p{Lu}[\p{L}'\u2019-]*(?:[^\S\n]+[\p{L}'\u2019-]+){0,2}:[^\S\n]+\S[^\n]*"
)
# In sentence mode a record's title or line of facts is a paragraph of at most this many
# sentences (see _Cleaner._record_unit).
_PARAGRAPH_SENTENCES = 4
# The banding for a threshold is an optimisation over (bands, rows): work it out once.
_lsh_params = functools.lru_cache(maxsize=16)(lsh_params)
_COLLAPSE_MIN = 10_000  # characters; shorter texts are not warned about
# Detection passes after the first, over what the cuts left (see _Cleaner.run).
_MAX_PASSES = 4
_NEVER = 1 << 30  # words: a length no copy reaches
# Up to this many blocks, pairs are screened with one rapidfuzz ratio each before the
# MinHash/LSH search (see _Cleaner._may_be_near); above, LSH is cheaper.
_SCREEN_BLOCKS = 32
# Up to this many blocks of at least min_length, every pair of them is a candidate
# (through the same ratio screen), not only the pairs MinHash/LSH proposes: banding
# proposes a pair of 5-gram Jaccard 0.5 half the time, and a copy with its accents
# stripped, an OCR rescan or a copy that lost its markup can share fewer 5-grams than
# that and still verify (see _Cleaner._near_pairs). 8,128 ratios at most.
_ALL_PAIRS = 128
# From this many characters on, a text's repeated spans are found before its blocks are
# made (see _clean): the suffix array and the blocks do not sit in memory together.
_SPANS_FIRST = 1 << 20
# Texts signed at once by _Cleaner._near_pairs (bounds the signatures' memory).
_SIGNATURE_ROWS = 1 << 16
# The full stops that end a sentence whatever follows: CJK, then the other scripts'.
_FULL_STOPS = (
    r"\u3002\uff01\uff1f\u0964\u0965\u06d4\u061f\u0589\u1362\u104b"
    r"\u0f0d\u0f0e\u1803\u1809\u1c7e\u1c7f"
    # Every other script's sentence stop (Unicode's Sentence_Terminal property, UAX #29:
    # Javanese ꧉, Syriac ܀, N'Ko ߹, Balinese ᭞, Meetei Mayek ꯫ …), not a hand-made list.
    r"\p{Sentence_Terminal}"
)
# Where a sentence stops: . ! ? or an ellipsis (not opening a line: ".FRIDAY...")
# followed by a space, a line end, a tag
# or a capital (a copy glued on with no space), or a CJK full stop; closers stay with it.
# Also before "[" (a BBCode tag "[/quote]", a footnote "[1]") or a superscript digit (a
# footnote "¹"), after a closing quote or
# bracket before a comma or semicolon (a CSV field "S1. S2.",19.99), after the German
# closing quotes (U+201C, U+2018) before a space, and the full stops of
# other scripts, which end a sentence whatever follows: Devanagari danda and double
# danda, Urdu, Arabic question mark, Armenian, Ethiopic, Myanmar, the Tibetan shad,
# the Mongolian full stop and four dots, the Ol Chiki mucaad.
# In scripts written without spaces between words and without full stops (Thai, Lao,
# Khmer), a space ends a phrase or sentence: the stop is the end of the last letter (and
# a line end, see _Cleaner._sentences).
_SPACED_STOP = (
    r"(?<![.!?\u2026])[.!?\u2026]++"
    r"(?:[\"'\u201d\u2019\u00bb)\]]++(?=[,;])"
    r"|(?:[\"'\u201d\u2019\u00bb)\]]|\*\*?|__?)*+"
    # (Or a template's field separator or end: "office.|author=", "office.}}"; or an
    # escaped line break of a JSON or code string: "quay.\n\nEntry".)
    r"(?:(?=\s|$|<|\[|\||\}|\\[nrt]|[\u00b9\u00b2\u00b3\u2070-\u2079])"
    # Glued to a capital ("…century.Kalk Bay"), unless the word before the stop is a
    # part of a dotted name ("c.e.shop.OrderController", "etl.jobs.ImportOrders").
    r"|(?<!\.\w{1,64}[.!?\u2026]{1,3})(?=\p{Lu}|\p{Lo}))"
    r"|[\u201c\u2018]++(?=\s|$))"
    rf"|(?:(?![.!?])[{_FULL_STOPS}])+"
    r"[\u300d\u300f\uff09\"'\u201d\u2019]*+"
)
_STOP = regex.compile(
    rf"(?:{_SPACED_STOP}"
    r"|(?<=[\p{Thai}\p{Lao}\p{Khmer}])(?=[^\S\n]+[\p{Thai}\p{Lao}\p{Khmer}]))"
)
# _STOP less its last alternative, for a text with no Thai, Lao or Khmer letter, where
# that alternative cannot match: the same matches, found about four times faster (a
# zero-width alternative is tried at every position of the text).
_STOP_SPACED = regex.compile(f"(?:{_SPACED_STOP})")
# A letter, and two letters, of a script written without spaces between words or full
# stops.
_UNSPACED_LETTER = regex.compile(r"[\p{Thai}\p{Lao}\p{Khmer}]")
_UNSPACED_SEAM = regex.compile(r"[\p{Thai}\p{Lao}\p{Khmer}]{2}")
# A markup tag, opening or closing (a loose start passes it whole).
_TAG = regex.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
# The punctuation (and spaces between it) that ends a copy, and a sentence mark.
_TRAILING_CHAR = regex.compile(r"[\p{P}\p{S}\s]")
_SENTENCE_MARK = regex.compile(rf"\s*[.!?\u2026{_FULL_STOPS}]")
# Markup and quote markers that open a line (<p>, >, a bullet, a clause number "1.",
# "4.2", "3)") or close it (</p>).
_OPENERS = regex.compile(
    r"[^\S\n]*(?:(?:<[A-Za-z][^<>\n]{0,200}>|>+|[-*\u2022+](?=\s)|#{1,6}(?=[^\S\n])"
    r"|\[\^[\w-]{1,20}\]:(?=\s)|(?:#|\.{1,5})\.?(?=[^\S\n])|\*{2,5}(?=[^\S\n])"
    r"|\d{1,3}(?:[.)]|(?:\.\d{1,3})+[.)]?)(?=\s))[^\S\n]*)*"
)
# The closing tag of a block element (see _Cleaner._units).
_ELEMENT_END = regex.compile(
    r"</(?:p|li|div|h[1-6]|td|th|dd|dt|blockquote|figcaption)>", regex.IGNORECASE
)
# A label opening a block before its first sentence, on the same line ("Club news: ",
# "Update: ", "BREAKING: "): up to four words, the first capitalized, then a colon and a
# capital. The sentence after it starts a unit, as after a full stop.
_LABEL = regex.compile(
    r"\p{Lu}[\p{L}\p{M}'\u2019-]*(?:[^\S\n]+[\p{L}\p{M}'\u2019-]+){0,3}:[^\S\n]+"
    r"(?=[\"'\u201c\u2018(]?[\p{Lu}\p{Lt}])"
)
# What stands before the stop of a list or clause number opening a line ("2.", "4.2.").
_LIST_NUMBER = regex.compile(r"[^\S\n]*\d{1,3}(?:\.\d{1,3})*")
# A clause or list number ("4.2", "1.", "3)") among the openers of a line.
_NUMBERING = regex.compile(r"\d{1,3}(?:[.)]|(?:\.\d{1,3})+[.)]?)(?=\s)")
# A line that ends with a colon heads what follows ("ana wrote:", "Q:", "Notes:"): the
# next line starts a unit, as after a full stop. Not in code, where the next line is
# indented ("for value in values:").
_HEADER_END = regex.compile(r":[^\S\n]*\n(?=\S)")
# An opening tag right before a span, on its line.
_OPEN_TAG_BEFORE = regex.compile(r"<(?P<name>[A-Za-z][\w-]*)(?:\s[^<>\n]{0,200})?>[^\S\n]*\Z")
# How far before a position _OPEN_TAG_BEFORE is tried (a tag with 200 characters of
# attributes, and spaces): a search from the line's start read a long line per call.
_TAG_BEFORE = 300
# A closing tag; a line break tag (<br>, <br/>, <hr>) right before a cut and right after.
_CLOSING_TAG = regex.compile(r"</[A-Za-z][^<>\n]{0,200}>")
_BREAK_BEFORE = regex.compile(r"<(?P<tag>br|hr)\s*/?>[^\S\n]*\Z", regex.IGNORECASE)
_BREAK = regex.compile(r"[^\S\n]*<(?P<tag>br|hr)\s*/?>[^\S\n]*", regex.IGNORECASE)
# A line that is an item of a list: a list number of one level or a bullet opens it.
_LIST_MARKER = regex.compile(r"\d{1,3}[.)]|[-\u2022+]|\*{1,5}|\.{1,5}|#\.")
# (AsciiDoc's ". item" and "** item", reST's "#. item" too.)
_LIST_ITEM = regex.compile(r"[^\S\n]*(?:\d{1,3}[.)]|[-\u2022+]|\*{1,5}|\.{1,5}|#\.)[^\S\n]+\S")
_NONBLANK = regex.compile(r"\S")
# Opening marks and the mark that closes what each opens.
_OPENING_MARKS = {
    "\u00bf": "?", "\u00a1": "!", "\u00ab": "\u00bb", "\u201c": "\u201d", "\u2018": "\u2019",
    "\u201e": "\u201c", "(": ")", "[": "]", "{": "}", "\u300c": "\u300d", "\u300e": "\u300f",
}  # fmt: skip


def _bracket_pairs() -> dict[str, str]:
    """Opening brackets (Unicode category Ps) of the punctuation, CJK and full-width
    blocks, each with the closer (Pe) that follows it in the code chart: U+3010/3011,
    U+300A/300B, U+FF3B/FF3D, U+3014/3015, U+27E8/27E9 … (The code charts place each
    pair's closer one or two code points after its opener; a Ps without a Pe there is
    left out.)"""
    pairs: dict[str, str] = {}
    for lo, hi in ((0x2000, 0x2E80), (0x3000, 0x3040), (0xFE10, 0xFF70)):
        for cp in range(lo, hi):
            if unicodedata.category(chr(cp)) != "Ps":
                continue
            for step in (1, 2):
                if unicodedata.category(chr(cp + step)) == "Pe":
                    pairs[chr(cp)] = chr(cp + step)
                    break
    return pairs


_OPENING_MARKS.update({k: v for k, v in _bracket_pairs().items() if k not in _OPENING_MARKS})
# Spaces between a mark and the text it wraps ("« S »"), and marks that open and close
# alike ("S", **S**, _S_, MediaWiki '''S''' and ''S''), longest first (see
# _Cleaner._with_marks).
_MARK_SPACE = " \t\u00a0\u202f"
_SYMMETRIC_MARKS = ("'''", "''", "**", "__", "*", "_", '"')
# A short label that opens a line, up to where a pasted copy starts ("Read more: ",
# "See also: "; see _Cleaner._spans).
_LABEL_BEFORE = regex.compile(r"[^\S\n]*(?:[\p{L}\p{N}]+[^\S\n]+){0,2}[\p{L}\p{N}]+:[^\S\n]+\Z")
# Where a copy of whole sentences may end (see _Cleaner._stutters): after a sentence
# mark ("mark"), or after the closing marks that follow it ("S.»", "S. »", "S.)").
_STUTTER_END = regex.compile(
    rf"(?P<mark>[.!?\u2026{_FULL_STOPS}]+)"
    r"(?:[^\S\n]?[\"'\u201c\u201d\u2018\u2019\u00bb)\]\u300d\u300f*_]"
    r"|\[\^?\d{1,3}\]|\[citation needed\]|[\u00b9\u00b2\u00b3\u2070-\u2079])*"
    r"(?![\p{L}\p{N}])"
)
_SPACES = regex.compile(r"[^\S\n]+")
# What separates items of a line (a symbol, a bullet, a dot, a dash, a guillemet, a bar
# or a slash): the bullets before a glued copy and the separators between copies.
_SEPARATOR_CHARS = r"\p{So}\u2022\u00b7\u25aa\u2023\u25e6\u2013\u2014\u00bb\u203a|/"
# A bullet standing before a glued copy on its line: a symbol (✅ ▶), a dash, a dot, a
# BBCode or Markdown item marker, then spaces up to the copy.
_BULLET_BEFORE = regex.compile(
    rf"(?<![^\s.!?\u2026])(?P<mark>[{_SEPARATOR_CHARS}]"
    r"|\[\*\]|[*+-])[^\S\n]*\Z"
)
# Closing marks, and the spaces after them, at the start of a sentence a stop found
# (the spaced French "S. » « S. »": the stop ends before " »").
_STUTTER_CLOSER = regex.compile(r"[\u201d\u2019\u00bb)\]]+[^\S\n]*")
# Citation markers right after a sentence's stop ("[1]", "[^2]", "[12][13]", "¹",
# "[citation needed]"; see _Cleaner._units).
_CITATION = regex.compile(
    r"(?:\[\^?\d{1,3}\]|\[citation needed\]|[\u00b9\u00b2\u00b3\u2070-\u2079])+"
)
# An element that quotes ("<blockquote class=pullquote>", "<q>"): a copy that opens one
# right after its original is a pull quote, not a stutter (see _Cleaner._spans).
_QUOTATION_TAG = regex.compile(r"<(?:blockquote|q)\b", regex.IGNORECASE)
# A line of opening tags only ("<tr>", "<li><p>"; see _Cleaner._tags_first).
_OPEN_TAGS_LINE = regex.compile(r"[^\S\n]*(?:<[A-Za-z][^<>\n]{0,200}>[^\S\n]*)+")
# The closing tags a text ends with, and the spaces around them.
_TRAILING_CLOSERS = regex.compile(r"(?:\s*</[A-Za-z][^<>\n]{0,200}>)+\s*\Z")
# The closing tag a text ends with (see _Cleaner._open_end).
_LAST_CLOSING_TAG = regex.compile(r"</(?P<name>[A-Za-z][\w-]*)\s*>\s*\Z")
# A line of closing tags only ("</ul>"; see _Cleaner._expand).
_CLOSE_TAGS_LINE = regex.compile(r"[^\S\n]*(?:</[A-Za-z][^<>\n]{0,200}>[^\S\n]*)+")
# A tag's name, and whether it closes (see _Cleaner._lead_lines).
_TAG_NAME = regex.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][\w-]*)[^<>\n]{0,200}>")
# A line of quote markers only (">", "> >"), and a line of quoted text ("> text").
_QUOTE_MARKERS = regex.compile(r"[^\S\n]*(?:>[^\S\n]*)+")
_QUOTED_TEXT = regex.compile(r"[^\S\n]*>[>\s]*[^\s>]")
_CLOSE_TAIL = regex.compile(r"(?:[^\S\n]*</[A-Za-z][^<>\n]{0,200}>)*[^\S\n]*")
_TAIL_CLOSERS = regex.compile(
    r"(?:[^\S\n]*(?:</[A-Za-z][^<>\n]{0,200}>"
    r"|\[/(?:b|i|u|s|color|colour|size|font|url|center|left|right|sup|sub|highlight)\]))+"
    r"[^\S\n]*$",
    regex.IGNORECASE,
)
# A line of a quotation: it opens with a quote marker (">", "> >") or an attribution
# ("Quote from ana:", "Quoting ana:", "ana wrote:") followed by the quoted text.
_QUOTE_LINE = regex.compile(
    r"[^\S\n]*(?:>|(?:quote|quoting)\b[^\n:]{0,80}:[^\S\n]*\S|[^\n:]{1,80}\bwrote:[^\S\n]*\S)",
    regex.IGNORECASE,
)
# An attribution on a line of its own, the quoted text on the lines after it ("ana
# wrote:", "On Tue, 3 Mar 2026 at 10:15, Ana <ana@example.org> wrote:", "Quote from
# ana:", "Quoting ana:", "ana said:"). Group ``post``: the form a forum also uses as the
# header of a post ("ana wrote:"), a quotation's attribution only under another header.
_ATTRIBUTION_LINE = regex.compile(
    r"[^\S\n]*(?:(?:quote|quoting)\b[^\n]{0,80}|on\b[^\n]{0,160}\bwrote|[^\n]{0,80}\b(?:said|says)"
    r"|(?P<post>[^\n:]{1,80}\b(?:wrote|writes)))[^\S\n]*:[^\S\n]*$",
    regex.IGNORECASE,
)
# A line that ends with a colon: a header ("pete wrote:", "sally posted:").
_COLON_LINE = regex.compile(r"[^\n]*:[^\S\n]*$")
# A mail quotation's opener (see _Cleaner._quotations): an attribution line that names
# a date, a time or an address ("On Tue, 10 Mar 2026 at 16:12, Lena <lena@example.de>
# wrote:", "Am 10.03.2026 um 16:12 schrieb Lena Vogt <lena@example.de>:", "Le 10 mars
# 2026 à 16:12, Lena a écrit :"), or a separator line of dashes around a few words or of
# underscores ("-----Original Message-----", "---------- Forwarded message ---------",
# "________________") with mail header lines right under it. A forum's "ana wrote:"
# names none of these: a post header, not a mail quotation.
_MAIL_ATTRIBUTION = regex.compile(
    r"^[^\S\n]*(?=[^\n]*(?:\d:\d\d|\b(?:19|20)\d\d\b|@\w))[^\n]{0,240}?"
    r"(?:\b(?:wrote|writes|schrieb|schreibt|a[^\S\n]+écrit|écrit|escribió|escribe"
    r"|ha[^\S\n]+scritto|scrive|schreef|schrijft|escreveu|escreve|skrev|skriver|kirjoitti"
    r"|kirjoittaa|napisał|napisała|pisze|написал|написала|пишет)\b[^\n]{0,120}?"
    # Gmail's Russian and Japanese openers have no verb: a time, then the sender's
    # address last (Russian: "…, 6 … 2026 … 09:12, Irene <irene@example.org>:").
    r"|(?<=\d:\d\d\D[^\n]{0,200}?)<[^<>\s@]{1,64}@[^<>\s]{1,255}>)[^\S\n]?:[^\S\n]*$",
    regex.MULTILINE | regex.IGNORECASE,
)
# Hints of a quotation opener, found by the standard re engine before the line is
# matched (a scan of every line with _MAIL_ATTRIBUTION or _MAIL_SEPARATOR takes seconds
# on 10 MB): a line that ends with a colon, a run of dashes or underscores.
_OPENER_HINTS = (
    re.compile(r":[ \t]*(?:\n|\Z)"),
    re.compile(r"---"),
    re.compile(r"________"),
)
# A mail header line ("From: Lena <lena@example.de>", "Sent: Tuesday, March 10, 2026",
# "De : Lena", "Betreff: Mietvertrag").
_MAIL_HEADER = r"[^\S\n]*\p{Lu}[\p{L}-]{0,24}[^\S\n]?:[^\S\n]+\S[^\n]*"
_MAIL_SEPARATOR = regex.compile(
    r"^[^\S\n]*(?:-{3,}[^\S\n]*\p{L}[\p{L}'\u2019 ]{1,40}?[^\S\n]*-{3,}|_{8,})[^\S\n]*\n"
    rf"(?={_MAIL_HEADER}\n{_MAIL_HEADER})",
    regex.MULTILINE,
)
# The header lines right under a separator, and a blank line opening the next message
# of an archive (two header lines after it).
_MAIL_HEADERS = regex.compile(rf"(?:{_MAIL_HEADER}(?:\n|\Z))+")
_NEXT_MESSAGE = regex.compile(rf"\n[^\S\n]*\n(?={_MAIL_HEADER}\n{_MAIL_HEADER})")
# The signature delimiter of a mail ("-- " on a line of its own; often written "--").
_SIGNATURE = regex.compile(r"[^\S\n]*--[^\S\n]?(?:\n|\Z)")
# The rest of a word and the spaces after it (a word skipped to bridge an edit).
_WORD_REST = regex.compile(r"\S*\s*")
# Characters that must agree after a bridged edit.
_BRIDGE_AGREE = 12
# A line that records an event: it opens with a time of day with seconds (a date may
# come first: "2026-05-02T10:15:02Z", "10:15:02", "May  2 10:15:02", logcat's "03-14
# 10:15:02.118") or a log level ("WARN", "[ERROR]"). Logged again, such a line is
# another event, not a paste (see _Cleaner._events).
_EVENT = outline.EVENT
# A Markdown table row of three cells or more, an HTML row of three cells or more on
# one line, or a Markdown task-list item ("- [ ] task"; see _Cleaner._one_line_again).
_ROW_OR_TASK = regex.compile(
    r"[^\S\n]*(?:\|(?:[^|\n]*\|){3}"
    r"|<tr\b(?:[^\n]*?<t[dh]\b){3}"
    r"|[-*+][^\S\n]+\[[ xX]\][^\S\n]+\S)",
    regex.IGNORECASE,
)
# A blank line (paragraphs), and a line that ends a sentence: its last mark, before any
# closing quote, bracket or tag, is a full stop of some script (see
# _Cleaner._one_line_again).
_BLANK_LINE = regex.compile(r"\n[^\S\n]*\n")
_SENTENCE_LINE = regex.compile(
    rf"[.!?\u2026{_FULL_STOPS}][\"'\u201d\u2019\u00bb)\]*_]*(?:</[A-Za-z][^<>\n]{{0,200}}>)*\s*$"
)
# A section number of two levels or more opening a block ("3.1 ", "4.2.1. ").
_SECTION = regex.compile(r"[^\S\n]*(\d{1,3}(?:\.\d{1,3})+)\.?[^\S\n]")
# A line that heads a section: a Markdown heading, a question (an FAQ entry, also in
# <summary> or <dt>), a function or class definition, a salutation; since session 5
# an HTML heading (<h1>-<h6>, <summary>, <dt>) and a title that opens with a word in
# capitals and has no sentence end ("PART B: ECOLOGY (40 marks)", "SCHEDULE 4: FORM OF
# MAINTENANCE AGREEMENT", "1. INTERPRETATION").
_HEADING = regex.compile(
    r"[^\S\n]*(?:#{1,6}[^\S\n]+\S.*|(?:Q:[^\S\n]*)?\S[^\n]{0,200}\?(?:</[A-Za-z][^<>\n]{0,200}>)*"
    r"|(?:async[^\S\n]+)?def[^\S\n]+\w+\(.*|class[^\S\n]+\w+.*"
    r"|(?:Dear|Hello|Hi|To)\b[^\n]{1,80},"
    r"|<(?P<h>h[1-6]|summary|dt)\b[^<>\n]{0,200}>[^\n]{1,200}</(?P=h)>"
    r"|(?:\d{1,3}(?:\.\d{1,3})*\.?[^\S\n]+)?\p{Lu}{3,}\b(?:[^\S\n]+[^\s.!?]+){0,11}?"
    # A title in bold, a setext or reStructuredText title (its underline), a numbered
    # title or a title with a colon (short, no sentence mark), a numbered part of a
    # text ("Section 4: ...", "Article 7 - ...").
    r"|(?:\*\*|__)[^\n*_]{1,120}(?:\*\*|__):?"
    r"|<(?P<bold>strong|b)>[^<>\n]{1,200}</(?P=bold)>:?"
    r"|[^\n]{1,120}\n[=\-~^*#]{3,}"
    r"|\d{1,3}[.)][^\S\n]+\p{Lu}[^\n.!?,;:]{0,60}"
    r"|\p{Lu}[^\n.!?:]{0,60}:"
    r"|(?:Section|Chapter|Article|Part|Appendix|Annex|Schedule|Clause|Lesson|Unit|Module)"
    r"[^\S\n]+[\dIVXLC]{1,6}[A-Za-z]?\b(?:[^\S\n]*[:.)\-\u2013\u2014][^\n.!?]{0,100})?"
    r")[^\S\n]*"
)
# A run of at least this many records (rows, cues) repeated at the very end of a
# document is a paste wherever its original is (see _Cleaner._records).
_CLOSING_RECORDS = 3
# The longest copy, in blocks, looked for right before a repeated block (see
# _Cleaner._point_at_copy_before).
_STUTTER_BLOCKS = 16
# How far back (in blocks) from a copy its section's title is looked for.
_SECTION_LOOKBACK = 6
# The rest of a line that goes on with a few words, then an ellipsis: a teaser's cut
# (see _Cleaner._teaser).
# The ellipsis may be bracketed ("[…]", "(...)") and followed by a link to the
# article ("Read more", "Continue reading →", "[Read more](/ferry)", "<a …>More</a>").
_ELLIPSIS_END = regex.compile(
    r"[^\S\n]*(?P<fragment>\S[^\n]{0,200}?)[^\S\n]*"
    r"(?:\u2026|\.\.\.|\[(?:\u2026|\.\.\.)\]|\((?:\u2026|\.\.\.)\))"
    r"(?:[^\S\n]*(?:\[[^\]\n]{1,40}\]\([^)\s]*\)|<a\b[^>\n]*>[^<\n]{1,40}</a>"
    r"|[^\s.!?\u2026](?:[^\n.!?\u2026]{0,39}[^\s.!?\u2026])?))?[^\S\n]*"
)
# A record's label: a word in capitals and a number opening a block ("Flat 2,", "Lot
# 17:", "Route 4101 (CR 4101)"); a preposition or article before a number ("In 2024,")
# opens prose, not a record (see _Cleaner._same_record_label).
_RECORD_LABEL = regex.compile(
    r"[^\S\n]*(?!(?:In|On|At|By|For|From|Since|Until|Till|Before|After|During|About|Around"
    r"|Over|Under|Of|To|The|An?|Between|Within|Up|And|Or|But|As|Than)\b)"
    r"(?P<label>\p{Lu}\p{L}{1,20})[^\S\n]+(?:No\.?[^\S\n]*|#)?\d{1,6}[A-Za-z]?\b(?![.,]\d)"
)
# A line that opens or closes a quote block of a markup other than HTML (see
# _delimiter_pair): Jira's "{quote}", "{noformat}", "{panel:title=X}"; BBCode's and
# Discourse's '[quote="ana, post:3"]' and "[/quote]"; AsciiDoc's "____" (and its
# "[quote, author]" attribute line); a ":::note" fence. No copy starts or ends with one
# (see _Cleaner._snap): it is the block's markup, which a cut takes whole or leaves.
_DELIMITER_LINE = regex.compile(
    r"[^\S\n]*(?:\{(?:quote|noformat|panel|code|info|note|tip|warning|expand)(?::[^{}\n]*)?\}"
    r"|\[/?(?:quote|blockquote|spoiler)(?:[= ][^\]\n]*)?\]|\[quote,[^\]\n]*\]"
    r"|\#\+(?:begin|end)_\w+(?:[^\S\n]+[^\n]*)?|\\(?:begin|end)\{\w+\*?\}"
    r"|_{4,}|\*{4,}|={4,}|\.{4,}|\+{4,}|:::+(?:[^\S\n]*\w[\w-]*)?)[^\S\n]*",
    regex.IGNORECASE,
)
# The most words of a link or credit that two glued copies each end with (see
# _Cleaner._with_same_tail), and what may follow the later one's: closing tags, then
# the end of the line.
_TAIL_WORDS = 6
_CLOSING_TAGS_TO_EOL = regex.compile(r"(?:[^\S\n]*</\w+>)*[^\S\n]*(?:\n|\Z)")
# The quote blocks of forum, tracker and HTML markup (see _Cleaner._quote_blocks):
# (opener, closer) pairs; Jira's {quote} is both.
_JIRA_QUOTE = regex.compile(r"\{quote\}", regex.IGNORECASE)
_QUOTE_BLOCK_MARKUP = (
    (
        regex.compile(r"\[quote\b[^\]\n]{0,200}\]", regex.IGNORECASE),
        regex.compile(r"\[/quote\]", regex.IGNORECASE),
    ),
    (_JIRA_QUOTE, _JIRA_QUOTE),
    (
        regex.compile(r"<blockquote\b[^<>\n]{0,200}>", regex.IGNORECASE),
        regex.compile(r"</blockquote\s*>", regex.IGNORECASE),
    ),
)
# A config section header on a line of its own (see _Cleaner._ini_names).
_INI_HEADER_LINE = re.compile(r"^[ \t]*\[(?!\[)([^\[\]\n]{1,80})\][ \t]*$", re.MULTILINE)
# Runs of a copy whose original is interrupted by short blocks (captions, ad lines):
# at most this many blocks between two pieces, each under this many words
# (see _Cleaner._chained_runs).
_CHAIN_GAP = 2
_CHAIN_GAP_WORDS = 25
# The section header of an INI, TOML, systemd or git config file ("[cache]", '[remote
# "origin"]') with a "key = value" line under it (comment lines aside). Such a file
# names each section once ("[[array]]" tables of TOML repeat by design and are not
# matched; a "[Chorus]" label of lyrics has no key line under it).
_INI_SECTION = regex.compile(
    r"[^\S\n]*\[(?!\[)(?P<name>[^\[\]\n]{1,80})\][^\S\n]*\n"
    r"(?:[^\S\n]*[;#][^\n]*\n)*[^\S\n]*[\w.\-\"' ]{1,80}?[^\S\n]*="
)
# How far _INI_SECTION may read from a block's start (a header, comment lines, a key):
# a match with no end given costs time in proportion to the rest of the text with the
# regex module (0.75 ms a call at 4 MB), which made a long text's run stage quadratic.
_INI_REACH = 4096
# A plain title: a line that opens with a letter or digit and ends without a sentence
# mark or a comma (see _Cleaner._title).
_PLAIN_TITLE = regex.compile(r"[^\S\n]*[\p{Lu}\p{Lt}\p{N}][^\n]*[^\s.!?\u2026,;:\u3002][^\S\n]*")
# One separator between the items of a line, spaces around it, closing tags or a
# sentence's closing marks before it (see _Cleaner._gap).
_SEPARATOR_GAP = regex.compile(
    r"(?:</[A-Za-z][^<>\n]{0,200}>)*[^\S\n]*"
    rf"(?P<sep>[{_SEPARATOR_CHARS}\\~:]|::|->|=>|>>)"
    r"[^\S\n]+(?:<[A-Za-z][^<>\n]{0,200}>)*"
)
_TABLE_ROW = regex.compile(r"[^\S\n]*\|")
# A separator after a copy that opens its line, text after it (see _Cleaner._expand).
_SEPARATOR_AFTER = regex.compile(
    rf"[^\S\n]+(?P<sep>[{_SEPARATOR_CHARS}~]"
    r"|->|=>|>>)[^\S\n]+(?=[^\s])"
)
# An escaped line break or tab of a JSON or code string (see _GAP).
_ESCAPED_BREAK = regex.compile(r"(?<!\\)\\[nrt]")
# The end of a Markdown table cell: spaces, then its "|".
_CELL_END = regex.compile(r"[^\S\n]*\|")
# A table row up to the start of one of its cells.
_CELL_START = regex.compile(r"[^\n]*\|[^\S\n]*")
# A BBCode tag of inline markup (a forum post's "[b]", "[/color]", "[size=4]").
_BBCODE_TAG = (
    r"\[/?(?:b|i|u|s|color|colour|size|font|url|center|left|right|sup|sub|highlight)"
    r"(?:=[^\]\n]{0,60})?\]"
)
_BBCODE_CLOSER = regex.compile(
    r"\[/(?P<name>b|i|u|s|color|colour|size|font|url|center|left|right|sup|sub|highlight)\]",
    regex.IGNORECASE,
)
_GAP = regex.compile(
    rf"(?:\s|</?[A-Za-z][^<>\n]{{0,200}}>|{_BBCODE_TAG}|>+(?=\s|$)|[-*\u2022+](?=\s)"
    r"|#{1,6}(?=[^\S\n])|\[\^[\w-]{1,20}\]:(?=\s)|(?<=\n[^\S\n]*)(?:#\.|\.{1,5}|\*{2,5})(?=[^\S\n])"
    # (The line breaks of a string in JSON or code, written as escapes: "quay.\n\nEntry".)
    r"|\\[nrt](?![\p{L}\p{N}]))*"
)


@dataclass(frozen=True, slots=True)
class Location:
    """A span of the normalized input: characters ``[start, end)``, lines 1-based inclusive."""

    start: int
    end: int
    line_start: int
    line_end: int

    def lines(self) -> str:
        """``"11-19"``, or ``"4"`` for one line."""
        if self.line_start == self.line_end:
            return str(self.line_start)
        return f"{self.line_start}-{self.line_end}"


@dataclass(frozen=True, slots=True)
class Removal:
    """One repeat :func:`clean` found, and the kept text it duplicates.

    ``kind`` is ``exact`` (one block, identical after the cleaning normalization),
    ``near`` (one block, verified similar), ``repeated-run`` (consecutive blocks
    repeating as many consecutive blocks) or ``span`` (a repeated stretch of text
    that does not start or end on a block boundary). ``score`` is
    :func:`textdedup.verify.compare`'s score of removed and kept text in [0, 1]
    (1.0 only when identical). ``markup`` lists the markup or quote markers that the
    cut took with it because it left them empty (``<p>``, ``</p>``, ``>``);
    ``kept_markup`` those the kept block has around the same text and the removed one
    has not (a heading ``## S`` kept, its text ``S`` removed as a paragraph): the
    score compares the texts, and the reason names the markup either way.
    """

    kind: RemovalKind
    removed: Location
    kept: Location
    score: float
    blocks: int
    markup: tuple[str, ...] = ()
    kept_markup: tuple[str, ...] = ()
    # What the removed text changes against the kept one, for a ``near`` block or a
    # ``span`` under 1.0 (see _what_differs): "accents", "case", "markup", the words.
    differs: str = ""
    # The label that opened the removed text's line and went with it ("Update:").
    label: str = ""

    @property
    def reason(self) -> str:
        """One line saying what was removed and why."""
        what = {
            "exact": "exact duplicate of",
            "near": "near duplicate of",
            "repeated-run": f"run of {self.blocks} blocks repeating",
            "span": "repeated span of",
        }[self.kind]
        text = (
            f"lines {self.removed.lines()}: {what} lines {self.kept.lines()} "
            f"(score {self.score:.3f})"
        )
        if self.differs:
            text += f", differing in {self.differs}"
        if self.markup:
            text += f", with the markup it left empty ({' '.join(self.markup)})"
        if self.kept_markup:
            text += f", kept with its markup ({' '.join(self.kept_markup)})"
        if self.label:
            text += f", with the label it left alone ({self.label})"
        return text

    def to_dict(self, source: str) -> dict[str, Any]:
        """A JSON-ready description, with a short preview of the removed text."""
        text = source[self.removed.start : self.removed.end]
        return {
            "kind": self.kind,
            "removed": _loc_dict(self.removed),
            "kept": _loc_dict(self.kept),
            "score": round(self.score, 6),
            "blocks": self.blocks,
            "chars": len(text),
            "markup": list(self.markup),
            "kept_markup": list(self.kept_markup),
            "label": self.label,
            "preview": text[:80],
            "reason": self.reason,
        }


def _loc_dict(loc: Location) -> dict[str, int]:
    return {
        "start": loc.start,
        "end": loc.end,
        "line_start": loc.line_start,
        "line_end": loc.line_end,
    }


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The cleaned text, what was removed, and the repeats that were kept.

    ``source`` is the input after the line-preserving normalization; every
    :class:`Location` points into it, and its line numbers are the input's.
    ``isolated`` holds the repeats found and kept as structure (a refrain, a
    repeated answer or clause); with ``isolated="remove"`` they are in ``removals``.
    ``warnings`` flag results worth a look, such as a long text that was almost all
    one stretch repeated.
    """

    text: str
    removals: tuple[Removal, ...]
    source: str
    mode: str
    blocks: int
    warnings: tuple[str, ...] = ()
    isolated: tuple[Removal, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether any block, run or span was removed."""
        return bool(self.removals)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready report; ``isolated`` lists the repeats kept as structure.

        ``removed_chars`` counts each character of the source inside a removal once (a
        removal found in a later pass can span an earlier cut).
        """
        return {
            "mode": self.mode,
            "blocks": self.blocks,
            "removed": len(self.removals),
            "removed_chars": _union_length(
                [(r.removed.start, r.removed.end) for r in self.removals]
            ),
            "input_chars": len(self.source),
            "output_chars": len(self.text),
            "removals": [r.to_dict(self.source) for r in self.removals],
            "isolated": [r.to_dict(self.source) for r in self.isolated],
            "warnings": list(self.warnings),
        }


def clean(text: str, *, config: CleanConfig | None = None) -> CleanResult:
    """Remove what was pasted again from one document, and say why.

    A repeat is removed as a copy when it directly follows its earlier copy (a
    stutter: a block, a run of blocks or a span, with only whitespace or markup
    between), or when it is at least ``min_copy`` words long, is more than one
    block, and occurs only twice; so are three record rows or more, or a section
    with its heading, appended again at the very end, and a clause repeated under
    its own section number (``3.1``). One event line logged again (``WARN ...
    retrying``) is not a stutter. Any other repeat (a refrain, an answer given under
    two questions, a repeated clause) is structure: it is kept and reported in
    :attr:`CleanResult.isolated`, unless ``isolated="remove"``. See
    docs/concepts.md for each rule and its reason.

    Examples
    --------
    >>> body = "First paragraph of the story, long enough to count.\\n"
    >>> body += "Second one, also long enough.\\n"
    >>> result = clean("Headline\\n" + body + body + "\\n\\n\\n")
    >>> print(result.text, end="")
    Headline
    First paragraph of the story, long enough to count.
    Second one, also long enough.
    >>> [r.reason for r in result.removals]
    ['lines 4-5: run of 2 blocks repeating lines 2-3 (score 1.000)']
    >>> chorus = "Ride on, ride on, the morning train is calling me."
    >>> song = f"A first verse line.\\n\\n{chorus}\\n\\nA second verse line.\\n\\n{chorus}\\n"
    >>> result = clean(song)
    >>> result.text == song, [r.reason for r in result.isolated]
    (True, ['lines 7: exact duplicate of lines 3 (score 1.000)'])
    """
    return _clean(text, config).result


class _Screened(NamedTuple):
    """What :func:`_clean` found: the result, and for an unchanged text its blocks."""

    result: CleanResult
    # When the screen passed and the output is the normalized source, the source's
    # blocks (segmented in result.mode) and, if the screen made them, their
    # normalize_key keys under config.key; else None.
    blocks: list[Block] | None
    keys: list[str] | None


def _clean(text: str, config: CleanConfig | None) -> _Screened:
    """:func:`clean`, also handing back the blocks the screen segmented (for the pipeline)."""
    if not isinstance(text, str):
        normalize(text)  # raises the friendly TypeError
    config = config or CleanConfig()
    source = normalize(text, _line_preserving(config.normalize))
    ends_with_newline = text.endswith(("\n", "\r"))
    if "\\" in source and _ESCAPED_PARAGRAPH.search(source):
        escaped = _clean_escaped(source, config, ends_with_newline)
        if escaped is not None:
            return _Screened(escaped, None, None)
    mode = resolve_mode(source, config.blocks)
    repeats = None
    if config.min_span and len(source) >= _SPANS_FIRST:
        # The span stage starts from these repeats and nothing else. On a long text
        # they are found before the blocks are made: the suffix array is the memory
        # peak, and the blocks and their keys would sit beside it.
        repeats = _find_repeats(source, config)
    blocks = segment(source, mode)
    # The keys the screen worked out, for the block stage when the screen fails.
    keyed: dict[str, tuple[str, str]] = {}
    screen = _screen_blocks(blocks, config, keyed=keyed)
    keys = None if screen is None else screen.keys
    if repeats is None and screen is not None and config.min_span:
        keyed.clear()  # (the span search's peak comes next; the keys are soon made again)
        repeats = _find_repeats(source, config, keytext=screen.keytext)
    if repeats:
        keys = None
    if keys is None:
        cleaner = _Cleaner(source, config, segmented=(mode, blocks), repeats=repeats, keyed=keyed)
        return _Screened(cleaner.run(ends_with_newline=ends_with_newline), None, None)
    # Nothing the search could find (nearly every record of a corpus): the result
    # is what _Cleaner.run gives when it cuts nothing.
    norm = config.normalize
    if norm.trailing_whitespace and "\r" not in source:
        # trailing_whitespace was the last step that made ``source``, and without a CR
        # (which a removal could bring before a line end) a second pass changes nothing.
        norm = _layout_only(norm)
    out = _finish(source, norm, ends_with_newline, source)
    result = CleanResult(
        text=out,
        removals=(),
        source=source,
        mode=mode,
        blocks=len(blocks),
        warnings=_collapse_warnings(source, out),
    )
    if out != source:
        return _Screened(result, None, None)
    return _Screened(result, blocks, keys or None)


# A paragraph break written as escapes inside a quoted string: a JSON, CSV or SQL dump
# of a text ("...at nine.\\n\\nThe harbour..."), and the escapes themselves.
_ESCAPED_PARAGRAPH = re.compile(r"(?<!\\)(?:\\r)?\\n(?:\\r)?\\n(?=\S)")
_ESCAPE = re.compile(r"(?<!\\)\\[nrt]")
_ESCAPES_AFTER = re.compile(r"[ ]*(?:(?<!\\)\\[nrt][ ]*)+")
_STRING_END = re.compile(r"\n|(?<!\\)\"")
_TEXT_NEXT = re.compile(r"[^\"'\n]")
_ESCAPES_LEADING = re.compile(r"(?:[ ]|(?<!\\)\\[nrt])*")
_ESCAPES_TRAILING = re.compile(r"(?:[ ]|(?<!\\)\\[nrt])*\Z")
_ESCAPES_BEFORE = re.compile(r"(?:(?<!\\)\\[nrt][ ]*)+\Z")


def _clean_escaped(source: str, config: CleanConfig, ends_with_newline: bool) -> CleanResult | None:
    """:func:`clean` of a text whose paragraphs are broken by escapes (``\\n\\n``).

    The search works on a view of ``source`` of the same length in which each escaped
    line break is a space and a line break and each escaped tab two spaces, so that the
    string's paragraphs are blocks and its words are words ("nine.\\n\\nThe" is
    "nine." and "The", not "nnThe"); the cuts, at the same offsets, are made in the
    source, escapes and all. ``None`` (search the source as it is) when no cut is
    made or a cut would split an escape.
    """
    view = _ESCAPE.sub(lambda m: "  " if m.group()[1] == "t" else " \n", source)
    cleaner = _Cleaner(view, config)
    result = cleaner.run(ends_with_newline=ends_with_newline)
    if not cleaner.cuts:
        return None
    inside = {m.start() + 1 for m in _ESCAPE.finditer(source)}
    if any(a in inside or b in inside for a, b in cleaner.cuts):
        return None
    cuts = []
    for a, b in sorted(cleaner.cuts):
        # A cut stays inside its string: in the view a copy's last block can run on
        # past the string's end (its closing quote, a brace), which is no copy.
        end = _STRING_END.search(source, a, b)
        if end is not None:
            b = end.start()
        trailing = _ESCAPES_TRAILING.search(source, a, b)
        b -= len(trailing.group()) if trailing is not None else 0
        a = _ESCAPES_LEADING.match(source, a, b).end()  # type: ignore[union-attr]
        if a >= b:
            continue
        # The escaped break between the copy and its neighbour goes with the copy (in
        # the view it was layout, which the cut leaves and _finish folds): the one
        # after it when text follows, else the one before it (the copy closes the
        # string).
        after = _ESCAPES_AFTER.match(source, b)
        before = _ESCAPES_BEFORE.search(source, max(0, a - 1024), a)
        if after is not None and after.end() > b and _TEXT_NEXT.match(source, after.end()):
            b = after.end()
        elif before is not None and before.end() == a:
            a = before.start()
        elif after is not None:
            b = after.end()
        cuts.append((a, b))
    if not cuts:
        return None
    pieces, pos = [], 0
    for a, b in cuts:
        if a > pos:
            pieces.append(source[pos:a])
        pos = max(pos, b)
    pieces.append(source[pos:])
    lines = LineIndex(source)

    def loc(x: Location) -> Location:
        return Location(
            x.start, x.end, lines.line_of(x.start), lines.line_of(max(x.start, x.end - 1))
        )

    def moved(r: Removal) -> Removal:
        # In the view a copy's block can run on past the string (its closing quote and
        # brace were on the block's last line): the removal is reported as what was cut.
        a, b = r.removed.start, r.removed.end
        for x, y in cuts:
            if x < b and a < y:
                a, b = max(a, x), min(b, y)
                a = _ESCAPES_LEADING.match(source, a, b).end()  # type: ignore[union-attr]
                trailing = _ESCAPES_TRAILING.search(source, a, b)
                b -= len(trailing.group()) if trailing is not None else 0
                break
        removed = Location(a, b, 0, 0)
        return dataclasses.replace(r, removed=loc(removed), kept=loc(r.kept))

    out = _finish("".join(pieces), config.normalize, ends_with_newline, source)
    return CleanResult(
        text=out,
        removals=tuple(map(moved, result.removals)),
        source=source,
        mode=result.mode,
        blocks=result.blocks,
        warnings=_collapse_warnings(source, out),
        isolated=tuple(map(moved, result.isolated)),
    )


def _unrepeated_blocks(blocks: list[Block], config: CleanConfig) -> list[str] | None:
    """Whether the block stage of :class:`_Cleaner` is sure to find nothing (a screen, exact).

    It is when the search would come back empty for the reason the stage itself
    would give:

    * no two blocks share an identity key (no exact duplicate block, not even a
      short one, so no cluster, no run and no isolated repeat of blocks);
    * with ``near``, at most :data:`_SCREEN_BLOCKS` blocks are at least
      ``min_length`` key characters long and no two of them pass
      :meth:`_Cleaner._may_be_near`'s ratio screen (so ``_near_pairs`` is empty).

    If besides :func:`~textdedup.repeats.find_repeats` finds no span (see
    :func:`_clean`), nothing is removed and nothing is kept as structure, and as
    nothing is cut there is no later pass.

    Returns
    -------
    list of str or None
        ``None`` when the block stage may find something (it may still find
        nothing); else the blocks' :func:`~textdedup.normalize.normalize_key` keys
        under ``config.key`` when ``near`` made them, or an empty list.
    """
    screen = _screen_blocks(blocks, config)
    return None if screen is None else screen.keys


class _Screen(NamedTuple):
    """What :func:`_screen_blocks` worked out for blocks the block stage cannot act on."""

    keys: list[str]  # normalize_key of each block under config.key (near), else []
    # key_text of the segmented text under config.key, when the blocks' keys give it
    # (see _screen_blocks), else None.
    keytext: str | None


# The keys of recently screened blocks, by text, per key config: a corpus repeats
# paragraphs across records (syndicated news, quoted posts; a third of the paragraphs
# of issue #12's overlapping corpus repeat one met among the last few thousand). Only
# texts of few blocks use it, and only blocks up to _KEYS_CACHED_CHARS long are kept;
# the cache is emptied when it holds _KEYS_CACHED texts (a few MB at most). An entry is
# (key_text, normalize_key, identity_key or None until needed).
_KEYS_CACHE: dict[KeyConfig, dict[str, tuple[str, str, str | None]]] = {}
_KEYS_CACHED = 4096
_KEYS_CACHED_CHARS = 2048
_KEYS_CACHED_BLOCKS = 64


def _screen_blocks(
    blocks: list[Block],
    config: CleanConfig,
    *,
    keyed: dict[str, tuple[str, str]] | None = None,
) -> _Screen | None:
    """:func:`_unrepeated_blocks`, also giving the key text of the segmented text.

    The key text (:func:`~textdedup.normalize.key_text`, what the span search hashes)
    is the blocks' own key texts joined by one space when ``config.key`` folds
    whitespace and every two blocks have a gap between them: the key table maps each
    character on its own, a text outside the blocks is whitespace (``segment`` strips
    only whitespace), which the table turns into spaces, and the fold makes any run of
    them one space, none at the edges. A block of punctuation alone adds nothing.

    Identity keys are not needed when every block is ASCII with a key text of its own
    and the keys are all different, with ``quotes`` and ``whitespace`` on: on ASCII text
    the identity key only turns a backtick into an apostrophe (which the key table maps
    alike), drops control characters (which the table drops) and folds whitespace (as
    the key does), so the key is a function of the identity key, and two blocks with the
    same identity key would have the same key.

    ``keyed``, if given, receives each block text's ``(normalize_key, identity_key)``
    under ``config.key`` when the screen worked both out (for :class:`_Cleaner`).
    """
    if not config.near:
        ikeys = [identity_key(b.text) for b in blocks]
        return None if len(set(ikeys)) < len(ikeys) else _Screen([], None)
    kconfig = config.key
    cache = None
    if len(blocks) <= _KEYS_CACHED_BLOCKS:
        cache = _KEYS_CACHE.get(kconfig)
        if cache is None:
            cache = _KEYS_CACHE.setdefault(kconfig, {})
    found: list[tuple[str, str, str | None]] = []
    plain = kconfig.quotes and kconfig.whitespace
    # Copies of a block (a file of repeated lines) are keyed once.
    local: dict[str, tuple[str, str, str | None]] = {}
    for block in blocks:
        text = block.text
        entry = local.get(text) if cache is None else cache.get(text)
        if entry is None:
            entry = (*key_text_and_key(text, kconfig), None)
            if cache is None:
                local[text] = entry
            elif len(text) <= _KEYS_CACHED_CHARS:
                if len(cache) >= _KEYS_CACHED:
                    cache.clear()
                cache[text] = entry
        if plain and not (entry[0] and text.isascii()):
            plain = False
        found.append(entry)
    keys = [e[1] for e in found]
    if not (plain and len(set(keys)) == len(keys)):
        ikeys = []
        local_ikeys: dict[str, str] = {}
        for block, entry in zip(blocks, found, strict=True):
            ikey = entry[2]
            text = block.text
            if ikey is None:
                ikey = local_ikeys.get(text)
                if ikey is None:
                    ikey = local_ikeys[text] = _identity_key_of(text)
                    if cache is not None and len(text) <= _KEYS_CACHED_CHARS:
                        cache[text] = (entry[0], entry[1], ikey)
            if keyed is not None and text not in keyed:
                keyed[text] = (entry[1], ikey)
            ikeys.append(ikey)
        del local, local_ikeys
        if len(set(ikeys)) < len(ikeys):
            return None
    long = [key for key in keys if len(key) >= config.min_length]
    if len(long) > 1:
        cutoff = 100.0 * config.threshold - 1.0
        if len(long) > _SCREEN_BLOCKS or cutoff <= 0.0:
            return None  # _near_pairs would run the MinHash/LSH search
        folded = [k.casefold() for k in long]
        # (and without accents, see _screen_ratio: each key folded once)
        unaccented = [fold_accents(k) for k in folded]
        for forms in (folded, unaccented) if unaccented != folded else (folded,):
            sizes = [len(k) for k in forms]
            for i, a in enumerate(forms):
                for j in range(i + 1, len(forms)):
                    # ratio = 100 (1 - indel / (la + lb)) and indel >= |la - lb|: a pair
                    # of lengths this far apart cannot reach the cutoff (most pairs).
                    la, lb = sizes[i], sizes[j]
                    if 200.0 * min(la, lb) / (la + lb) < cutoff - 1e-6:
                        continue
                    if fuzz.ratio(a, forms[j], score_cutoff=cutoff):
                        return None
    joined = kconfig.whitespace and all(a.end < b.start for a, b in itertools.pairwise(blocks))
    return _Screen(keys, " ".join(e[0] for e in found if e[0]) if joined else None)


def _words_of(text: str) -> list[str]:
    """The words of ``text`` without its markup, case-folded (for _near_stutters)."""
    return [t for t in tokens(_plain(identity_key(text)).casefold()) if _CONTENT.search(t)]


# At most this many changed words are named in a removal's reason; more are counted.
_NAMED_WORDS = 3


def _what_differs(removed: str, kept: str) -> str:
    """What ``removed`` changes against ``kept``, in words for a removal's reason.

    The first that holds: "case", "accents" (or "accents and case": the texts are the
    same without them, :func:`~textdedup.normalize.fold_accents`), "markup" (the same
    without their inline markup: emphasis, links, tags), "punctuation"; else the words
    changed, named when few (``1 word: "receive" for "recieve"``, the removed copy's
    word first) and counted when more. Empty when the identity keys are equal.

    >>> _what_differs("Le cafe a ferme.", "Le café a fermé.")
    'accents'
    >>> _what_differs("the most residents", "the *most* residents")
    'markup'
    >>> _what_differs("Members will receive cards.", "Members will recieve cards.")
    '1 word: "receive" for "recieve"'
    """
    ka, kb = identity_key(removed), identity_key(kept)
    if ka == kb:
        return ""
    if ka.casefold() == kb.casefold():
        return "case"
    fa, fb = fold_accents(ka), fold_accents(kb)
    if fa == fb:
        return "accents"
    if fa.casefold() == fb.casefold():
        return "accents and case"
    pa, pb = " ".join(_plain(ka).split()), " ".join(_plain(kb).split())
    if pa == pb or pa.casefold() == pb.casefold():
        return "markup"
    ta, tb = tokens(pa.casefold()), tokens(pb.casefold())
    words_a = [t for t in ta if _CONTENT.search(t)]
    words_b = [t for t in tb if _CONTENT.search(t)]
    if words_a == words_b:
        return "punctuation"
    ops = difflib.SequenceMatcher(a=words_a, b=words_b, autojunk=False).get_opcodes()
    changes = [(words_a[i1:i2], words_b[j1:j2]) for op, i1, i2, j1, j2 in ops if op != "equal"]
    count = sum(max(len(x), len(y)) for x, y in changes)
    if count > _NAMED_WORDS:
        return f"{count} words"
    named = "; ".join(
        f'"{" ".join(x)}" for "{" ".join(y)}"'
        if x and y
        else f'"{" ".join(x or y)}" ' + ("added" if x else "left out")
        for x, y in changes
    )
    return f"{count} word{'s' if count > 1 else ''}: {named}"


def _screen_ratio(a: str, b: str, cutoff: float) -> float:
    """rapidfuzz's ``ratio`` of case-folded identity keys ``a`` and ``b`` (0 under
    ``cutoff``), or of the two without their accents when that is higher: the bound on
    :func:`~textdedup.verify.compare`'s score that the near-duplicate screens use. A
    copy with its accents stripped scores as a change of case does (a tenth of a
    change), far above its ratio as written (see :func:`_screen_matrix`)."""
    ratio = fuzz.ratio(a, b, score_cutoff=cutoff)
    if not ratio and not (a.isascii() and b.isascii()):
        ratio = fuzz.ratio(fold_accents(a), fold_accents(b), score_cutoff=cutoff)
    return float(ratio)


def _screen_matrix(keys: list[str], cutoff: float) -> np.ndarray:
    """:func:`_screen_ratio` of every two of ``keys``, shape ``(n, n)``, float64."""
    ratios = process.cdist(
        keys, keys, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float64, workers=1
    )
    plain = [fold_accents(k) for k in keys]
    if plain != keys:
        ratios = np.maximum(
            ratios,
            process.cdist(
                plain, plain, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float64, workers=1
            ),
        )
    return np.asarray(ratios)


def _identity_key_of(text: str) -> str:
    """:func:`~textdedup.normalize.identity_key` of a block text, as the text itself
    when they are equal (most blocks): the blocks and their keys then share one
    string (45 MB less on a file of 1M short lines)."""
    key = identity_key(text)
    return text if key == text else key


def _stutter_span(config: CleanConfig) -> int:
    """The least amount of text (words, see :func:`_amount`) a span copy glued right
    after its original needs: three fifths of ``min_span`` (12 words by default).

    A stutter ("S1. S2. S1. S2." inside one line, one bold run, one CSV field) is a
    paste however short its sentences; a phrase repeated for effect ("Never give up.
    Never give up.") is a few words, far under this.
    """
    return max(1, config.min_span * 3 // 5)


# A common abbreviation right before a full stop (verify's list as written, its lowercase
# ones also capitalized: "approx." and "Approx."; not "mar." or "no.", words of their own).
_ABBREVIATION_BEFORE = regex.compile(
    r"(?<![\p{L}\p{N}])(?:"
    + "|".join(
        dict.fromkeys(w for a in _ABBREVIATIONS.split("|") for w in (a, a[:1].upper() + a[1:]))
    )
    + r")\Z"
)


# An initial or a dotted abbreviation right before a full stop ("a.m", "U.S", "e.g",
# "J"), and after it a word in lower case on the same line or a letter with no space
# ("U.S", "J.R.R."): the stop ends no sentence (concepts.md; verify._SENTENCE_END reads
# the same way). A glued copy ("...the end.The council") has a word before its stop.
_DOTTED_BEFORE = regex.compile(r"(?<![\p{L}\p{N}.])(?:\p{L}\.)*\p{L}\Z")
_LOWER_WORD_AFTER = regex.compile(r"[^\S\n]+\p{Ll}|\p{L}")
# How far before a stop the two patterns above look: the longest abbreviation has 6
# letters, and a dotted one of 32 initials is longer than any in use.
_BEFORE_STOP = 64
# The characters _LIST_NUMBER and a line's blank start are made of.
_SPACES_OR_NUMBER = regex.compile(r"[\s\d.]*")


def _stops(src: str, start: int, end: int) -> Iterator[regex.Match[str]]:
    """The sentence stops in ``src[start:end]`` (see :meth:`_Cleaner._stops`)."""
    # The last alternative of _STOP looks one character behind ``start``.
    unspaced = not src.isascii() and _UNSPACED_LETTER.search(src, max(start - 1, 0), end)
    for m in (_STOP if unspaced else _STOP_SPACED).finditer(src, start, end):
        # What is read before a stop is at most _BEFORE_STOP characters of its line
        # (a line read from its start per stop is quadratic in a text on one line).
        near = max(m.start() - _BEFORE_STOP, 0)
        line = src.rfind("\n", near, m.start()) + 1
        if not line and near and _SPACES_OR_NUMBER.fullmatch(src, near, m.start()):
            line = src.rfind("\n", 0, m.start()) + 1  # the checks below need its start
        elif not line and near:
            line = -1  # words since the line's start, further back: none of them holds
        if line >= 0:
            if m.group() == "." and _LIST_NUMBER.fullmatch(src, line, m.start()):
                continue
            if m.start() == line or (
                src[m.start() - 1] in " \t" and not src[line : m.start()].strip()
            ):
                continue  # a mark opening a line (".FRIDAY...") ends no sentence
        near = max(line, near)
        # The two patterns end at the stop: they are tried on the characters right
        # before it (a search from the line's start tried every position of a long line).
        if m.group()[:1] == "." and _ABBREVIATION_BEFORE.search(src, near, m.start()):
            continue  # "St. Mary's", "Dr. Okafor", "approx. 40": no sentence ends there
        if (
            m.group() == "."
            and _LOWER_WORD_AFTER.match(src, m.end())
            and _DOTTED_BEFORE.search(src, near, m.start())
        ):
            continue  # "from 7 a.m. until", "the U.S. team", "e.g. a map": one sentence
        yield m


def _stutters(
    src: str, repeats: list[Repeat], *, stops: list[regex.Match[str]] | None = None
) -> list[Repeat]:
    """Copies of whole sentences glued right after the same text, shorter than the
    span finder looks for (under ``min_span`` words): "S1. S2. S1. S2." inside one
    line, one bold run, one CSV field, «S» «S».

    At each sentence start (and after a closing mark that follows one), the text
    from there to one of the next eight sentence marks is compared with the text
    that ends right before it (spaces aside); the longest that matches is a repeat.
    Those inside a repeat the finder gave are left to it; the span stage measures
    them (:func:`_stutter_span`).

    >>> s = "Bins go out on Monday. Glass goes out on Friday."
    >>> [(r.start, r.end, r.source_start, r.source_end) for r in _stutters(s + " " + s, [])]
    [(49, 97, 0, 48)]
    """
    taken = sorted((r.start, r.end) for r in repeats)
    taken_starts = [a for a, _ in taken]
    reach = list(itertools.accumulate((b for _, b in taken), max))
    marks: list[int] = []
    for m in _STUTTER_END.finditer(src):
        marks.append(m.start() + len(m["mark"]))
        if m.end() > marks[-1]:
            marks.append(m.end())
    if len(marks) < 2:
        return []
    # Where a copy may start: after a sentence stop and the markup after it, or after
    # a sentence mark, its closing marks and a space.
    seams: set[int] = set()
    for stop in _stops(src, 0, len(src)) if stops is None else stops:
        gap = _GAP.match(src, stop.end())
        seam = gap.end() if gap is not None else stop.end()
        if seam > stop.end():
            seams.add(seam)
            closer = _STUTTER_CLOSER.match(src, seam)
            if closer is not None and closer.end() > seam:
                seams.add(closer.end())
    for m in _STUTTER_END.finditer(src):
        space = _SPACES.match(src, m.end())
        if space is not None:
            seams.add(space.end())
    out: list[Repeat] = []
    last_end = 0
    for s in sorted(seams):
        if s < last_end or s >= len(src):
            continue
        pre = s
        while pre > 0 and src[pre - 1].isspace():
            pre -= 1
        k = bisect.bisect_right(marks, s)
        best = None
        for e in marks[k : k + 16]:
            n = e - s
            if n > pre:
                break
            if (
                src[pre - n] == src[s]
                and src.startswith(src[s:e], pre - n)
                and "\n\n" not in src[s:e]
            ):
                best = e
        if best is None:
            continue
        i = bisect.bisect_left(taken_starts, best)
        if i and reach[i - 1] > s:
            continue  # overlaps a repeat the finder gave
        n = best - s
        out.append(Repeat(s, best, pre - n, pre, n, n))
        last_end = best
    return out


def _find_repeats(source: str, config: CleanConfig, *, keytext: str | None = None) -> list[Repeat]:
    """The repeated spans the span stage starts from.

    The finder counts words; a copy in a script of long words (Russian) holds as much
    text in fewer of them, so it looks a little lower (three quarters of ``min_span``)
    and :func:`_amount` decides. ``keytext``: ``key_text(source, config.key)``, if known.
    Shorter copies glued right after their original are found by :func:`_stutters`.
    """
    repeats = find_repeats(
        source,
        min_words=max(1, config.min_span * 3 // 4),
        max_gap=32 if config.near else 0,
        key=config.key,
        keytext=keytext,
    )
    near = config.near and len(source) <= _NEAR_STUTTERS_MAX
    stops = list(_stops(source, 0, len(source))) if near else None
    stutters = _stutters(source, repeats, stops=stops)
    if near:
        exact = sorted((r.start, r.end) for r in repeats + stutters)
        stutters += [
            r
            for r in _near_stutters(source, repeats + stutters, config.threshold, stops=stops)
            # A near copy a character or a markup line wider than an exact repeat (nine
            # tenths of it or more) is that repeat: the exact one is judged, and cut
            # with its markup.
            if not any(10 * _overlap((r.start, r.end), x) >= 9 * (r.end - r.start) for x in exact)
        ]
    return sorted(repeats + stutters, key=lambda r: r.start) if stutters else repeats


# Texts up to this many characters are searched for copies glued right after their
# original with small edits (_near_stutters); a longer one only for exact ones.
_NEAR_STUTTERS_MAX = 1 << 20
# The sentences a glued near copy may hold, and how much its length may differ from
# its original's (a link or emphasis lost, a typo fixed, accents stripped).
_NEAR_STUTTER_SENTENCES = 8
_NEAR_STUTTER_LENGTH = 1.5
_FIRST_WORD = regex.compile(r"(?:\s|</?[A-Za-z][^<>\n]{0,200}>|[\p{P}\p{S}])*([\p{L}\p{N}]+)")
# (matched backwards from the position: the word nearest before it)
_LAST_WORD = regex.compile(
    r"([\p{L}\p{N}]+)(?:\s|</?[A-Za-z][^<>\n]{0,200}>|[\p{P}\p{S}])*", regex.REVERSE
)


def _near_stutters(
    src: str,
    repeats: list[Repeat],
    threshold: float,
    *,
    stops: list[regex.Match[str]] | None = None,
) -> list[Repeat]:
    """Copies of whole sentences glued right after their original with small edits:
    a typo fixed ("S' S"), a link or emphasis lost ("<a href=...>old observatory</a>" /
    "old observatory", "*most*" / "most"), accents stripped, an OCR misreading.

    The exact search (:func:`_stutters`, :func:`~textdedup.repeats.find_repeats`)
    needs the copies to agree character for character. Here each sentence or line
    start ``s`` is tried as a copy's start, against originals that end right before it
    (spaces aside) and start at a sentence or line start, of a length within
    :data:`_NEAR_STUTTER_LENGTH` of the copy's and at most
    :data:`_NEAR_STUTTER_SENTENCES` sentences, in the same paragraph; the two must open
    and close with the same words (case and accents aside), pass rapidfuzz's ratio
    screen, verify with :func:`~textdedup.verify.compare` as near duplicates at
    ``threshold`` and hold as many words (markup aside): an edit changes words, it
    adds none (a quotation's "X wrote:", a refrain sung before the copy). The span
    stage then judges each like any stutter (its length, what it shares).

    >>> s = "Members will recieve the new cards by post before the end of the month."
    >>> t = "Club news. " + s + " " + s.replace("recieve", "receive")
    >>> [(r.start, r.end, r.source_start, r.source_end) for r in _near_stutters(t, [], 0.9)]
    [(83, 154, 11, 82)]
    """
    taken = sorted((r.start, r.end) for r in repeats)
    taken_starts = [a for a, _ in taken]
    reach = list(itertools.accumulate((b for _, b in taken), max))
    marks = sorted({m.start() + len(m["mark"]) for m in _STUTTER_END.finditer(src)})
    if len(marks) < 2:
        return []
    starts: set[int] = set()
    for stop in _stops(src, 0, len(src)) if stops is None else stops:
        gap = _GAP.match(src, stop.end())
        starts.add(gap.end() if gap is not None else stop.end())
    for m in _LINE_TEXT_START.finditer(src):
        starts.add(m.end())
    seams = sorted(x for x in starts if x < len(src))
    cutoff = max(100.0 * threshold - 1.0, 0.0)

    @functools.cache
    def first_word(pos: int) -> str:
        m = _FIRST_WORD.match(src, pos, min(len(src), pos + 400))
        return fold_accents(m.group(1).casefold()) if m else ""

    @functools.cache
    def last_word(pos: int) -> str:
        m = _LAST_WORD.match(src, max(0, pos - 400), pos)
        return fold_accents(m.group(1).casefold()) if m else ""

    out: list[Repeat] = []
    last_end = 0
    for k, s in enumerate(seams):
        if s < last_end:
            continue
        pre = s
        while pre > 0 and src[pre - 1].isspace():
            pre -= 1
        if pre == s and pre > 0 and not _TRAILING_CHAR.match(src, pre - 1):
            continue  # a start inside a word
        if "\n\n" in src[pre:s] or src.count("\n", pre, s) > 1:
            continue  # another paragraph: not glued to what ends before it
        i = bisect.bisect_left(taken_starts, s + 1)
        if i and reach[i - 1] > s:
            continue  # inside a repeat found already
        first = first_word(s)
        if not first:
            continue
        found = None
        lo = max(0, k - _NEAR_STUTTER_SENTENCES)
        for s0 in reversed(seams[lo:k]):
            n0 = pre - s0
            if n0 <= 0 or first_word(s0) != first or "\n\n" in src[s0:pre]:
                continue
            a = bisect.bisect_left(marks, s + int(n0 / _NEAR_STUTTER_LENGTH))
            b = bisect.bisect_right(marks, s + int(n0 * _NEAR_STUTTER_LENGTH))
            for e in marks[a:b]:
                if "\n\n" in src[s:e]:
                    break
                if last_word(pre) != last_word(e) or src[pre - 1] != src[e - 1]:
                    continue  # (another word, or another mark, closes them)
                x, y = src[s0:pre], src[s:e]
                if x == y or not fuzz.ratio(x.casefold(), y.casefold(), score_cutoff=cutoff):
                    continue
                if compare(x, y, score_cutoff=threshold).near(threshold, passages=False) and len(
                    _words_of(x)
                ) == len(_words_of(y)):
                    found = (s0, e)
            if found is not None:
                break
        if found is None:
            continue
        s0, e = found
        out.append(Repeat(s, e, s0, pre, e - s, 0))
        last_end = e
    return out


# Where the text of a line starts, past its indent and its markup (tags, quote and
# list markers, a heading's hashes).
_LINE_TEXT_START = regex.compile(
    r"(?:^|(?<=\n))" + _GAP.pattern.replace("\\s", "[^\\S\\n]"), regex.MULTILINE
)


@functools.lru_cache(maxsize=16)
def _line_preserving(config: NormalizeConfig) -> NormalizeConfig:
    # Cached: the same few configs serve every record of a corpus (they are frozen).
    return config.line_preserving()


@functools.lru_cache(maxsize=16)
def _layout_only(config: NormalizeConfig) -> NormalizeConfig:
    return config.layout_only()


def _collapse_warnings(source: str, out: str) -> tuple[str, ...]:
    """The warning for a long text that came down to almost nothing."""
    if len(source) >= _COLLAPSE_MIN and len(out) < 0.01 * len(source):
        return (
            f"{len(source)} characters came down to {len(out)}: the text is almost all "
            "one stretch repeated (a template or a generated page?)",
        )
    return ()


@dataclass(frozen=True, slots=True)
class _Span:
    removal: Removal
    cut: tuple[int, int]  # the text to cut out
    shown: tuple[int, int]  # the removed text as reported
    earlier: tuple[int, int]  # the kept copy
    blocks: tuple[int, int]  # the blocks the cut touches: first, last + 1
    text: tuple[int, int]  # the repeated text, without the markup the cut takes
    # A stutter whose leading refrain was left out of both copies: only that refrain
    # stands between them (see _Cleaner._spans).
    after_refrain: bool = False


class _Cleaner:
    def __init__(
        self,
        source: str,
        config: CleanConfig,
        *,
        segmented: tuple[SegmentMode, list[Block]] | None = None,
        repeats: list[Repeat] | None = None,
        keyed: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        """``keyed``: block texts' ``(normalize_key, identity_key)`` under ``config.key``
        known already (from :func:`_screen_blocks`); used, then emptied."""
        self.source = source
        self.config = config
        # The spans _find_repeats found in this source, if clean() looked already.
        self._repeats = repeats
        # ``segmented``: the mode and blocks clean() found already for this source.
        if segmented is None:
            mode = resolve_mode(source, config.blocks)
            segmented = (mode, segment(source, mode))
        self.mode, self.blocks = segmented
        self.lines = LineIndex(source)
        # The loose key finds candidates and measures min_length; the identity key
        # decides what is exact.
        # Keys depend on the text alone: each distinct block text is keyed once, and its
        # copies share the key strings.
        keyed = {} if keyed is None else keyed
        for b in self.blocks:
            if b.text not in keyed:
                keyed[b.text] = (normalize_key(b.text, config.key), _identity_key_of(b.text))
        self.keys = [keyed[b.text][0] for b in self.blocks]
        self.ikeys = [keyed[b.text][1] for b in self.blocks]
        keyed.clear()
        self.key_counts = Counter(self.ikeys)
        self.starts = np.array([b.start for b in self.blocks], dtype=np.int64)
        self.ends = np.array([b.end for b in self.blocks], dtype=np.int64)
        self.covered = np.zeros(len(self.blocks), dtype=bool)
        self._block_words_cache: dict[int, tuple[int, bool]] = {}
        self.cuts: list[tuple[int, int]] = []
        # The span stage's cuts (which never overlap), sorted, for bisection.
        self._span_cuts: list[tuple[int, int]] = []
        self.removals: list[Removal] = []
        self.isolated: list[Removal] = []

    def run(self, *, ends_with_newline: bool) -> CleanResult:
        self._detect()
        # A cut can bring together copies that were apart (A B A' B' with a stutter cut
        # out of the middle), so detection runs again on what is left until it finds
        # nothing more; then cleaning the output again changes nothing. What a later
        # pass finds is mapped back to offsets and lines of the source. With no cut the
        # rest is the source itself, and detection on it would find the same nothing.
        for _ in range(_MAX_PASSES if self.cuts else 0):
            rest, pieces = self._remaining()
            early = None
            if self.config.min_span and len(rest) >= _SPANS_FIRST:
                early = _find_repeats(rest, self.config)  # before the blocks, as in _clean
            again = _Cleaner(rest, self.config, repeats=early)
            again._detect()
            if not again.cuts:
                break
            self.cuts += [self._to_source(pieces, a, b) for a, b in again.cuts]
            self.removals += [
                dataclasses.replace(
                    r,
                    removed=self._loc(*self._to_source(pieces, r.removed.start, r.removed.end)),
                    kept=self._loc(*self._to_source(pieces, r.kept.start, r.kept.end)),
                )
                for r in again.removals
            ]
        removals = self._point_at_kept(self.removals)
        removals = [self._described(r) for r in removals]
        # A repeat kept as structure in one pass and cut in a later one (its copy came
        # together once a stutter between was cut) is a removal, not kept; and a
        # repeat kept cut nothing, so it took no markup with it.
        isolated = self._point_at_kept(
            [
                dataclasses.replace(r, markup=()) if r.markup else r
                for r in self.isolated
                if not any(
                    _overlap((r.removed.start, r.removed.end), (x.removed.start, x.removed.end))
                    for x in removals
                )
            ],
            removals,
        )
        # A repeat found both as a run of blocks and as a block or span inside it
        # (two stages, or two alignments) is reported once, by its widest finding.
        isolated = list({(r.removed, r.kept): r for r in reversed(isolated)}.values())[::-1]
        isolated = _widest_findings(isolated)
        isolated = [self._described(r) for r in isolated]
        text = self._cut()
        out = _finish(text, self.config.normalize, ends_with_newline, self.source)
        return CleanResult(
            text=out,
            removals=tuple(sorted(removals, key=lambda r: r.removed.start)),
            source=self.source,
            mode=self.mode,
            blocks=len(self.blocks),
            warnings=_collapse_warnings(self.source, out),
            isolated=tuple(sorted(isolated, key=lambda r: r.removed.start)),
        )

    def _point_at_kept(
        self, items: list[Removal], removals: list[Removal] | None = None
    ) -> list[Removal]:
        """Point every repeat at a copy that is in the output.

        Two copies pasted after the original (``A A' A''``) are two stutters, each
        found against the copy before it; once both are cut, ``A''`` must name ``A``,
        the copy that stays. A kept copy that lies inside a removal is followed to
        what that removal kept (the same place in an identical copy, or the whole kept
        copy when it is the whole removed one), and unless the text found there is the
        same, the score is computed again on the two texts. A copy that cannot be
        followed so (a near copy of a near copy that no longer verifies against the
        first) keeps its pointer.
        """
        removals = items if removals is None else removals
        src = self.source
        out = []
        for r in items:
            kept, seen = r.kept, 0
            while seen < len(removals):
                seen += 1
                into = next(
                    (
                        a
                        for a in removals
                        if a is not r
                        and a.removed.start <= kept.start
                        and kept.end <= a.removed.end
                        and (a.removed.start, a.removed.end) != (r.removed.start, r.removed.end)
                    ),
                    None,
                )
                if into is None:
                    break
                gone, stays = into.removed, into.kept
                if (gone.start, gone.end) == (kept.start, kept.end):
                    kept = stays
                elif src[gone.start : gone.end] == src[stays.start : stays.end]:
                    shift = stays.start - gone.start
                    kept = self._loc(kept.start + shift, kept.end + shift)
                else:
                    break
            if kept == r.kept or src[kept.start : kept.end] == src[r.kept.start : r.kept.end]:
                # The same text elsewhere: the score of the two texts is the same.
                out.append(r if kept == r.kept else dataclasses.replace(r, kept=kept))
                continue
            c = compare(
                self._inner(r.removed.start, r.removed.end), self._inner(kept.start, kept.end)
            )
            if not (c.exact or c.near(self.config.threshold, passages=False)):
                out.append(r)
                continue
            kind = r.kind
            if kind in ("exact", "near"):
                kind = "exact" if c.exact else "near"
            out.append(dataclasses.replace(r, kind=kind, kept=kept, score=c.score))
        return out

    # -- locations -------------------------------------------------------------------
    def _described(self, r: Removal) -> Removal:
        """``r`` with what its removed text changes against its kept one (a ``near``
        block or a ``span`` scored under 1.0)."""
        if r.kind not in ("near", "span") or r.score >= 1.0 or r.differs:
            return r
        src = self.source
        differs = _what_differs(
            src[r.removed.start : r.removed.end], src[r.kept.start : r.kept.end]
        )
        return dataclasses.replace(r, differs=differs) if differs else r

    def _loc(self, start: int, end: int) -> Location:
        return Location(
            start, end, self.lines.line_of(start), self.lines.line_of(max(start, end - 1))
        )

    def _block_loc(self, first: int, last: int) -> Location:
        # segment() numbered the blocks' lines on this same source: no search needed
        # (blocks are in order, non-empty and apart, so this is what _loc would say).
        if last < first:
            return self._loc(self.blocks[first].start, self.blocks[last].end)
        a, b = self.blocks[first], self.blocks[last]
        return Location(a.start, b.end, a.line_start, b.line_end)

    @functools.cached_property
    def unit_starts(self) -> list[int]:
        """Where a cut may start (sorted offsets); worked out when a span is first snapped."""
        return self._units[0]

    @functools.cached_property
    def unit_ends(self) -> list[int]:
        """Where a cut may end (sorted offsets)."""
        return self._units[1]

    @functools.cached_property
    def _block_starts(self) -> list[int]:
        """``self.starts`` as a list, for bisection (sorted: blocks are in order)."""
        return [b.start for b in self.blocks]

    @functools.cached_property
    def _block_ends(self) -> list[int]:
        """``self.ends`` as a list, for bisection (sorted: blocks are in order and apart)."""
        return [b.end for b in self.blocks]

    @functools.cached_property
    def _unit_end_set(self) -> set[int]:
        return set(self.unit_ends)

    @functools.cached_property
    def _units(self) -> tuple[list[int], list[int]]:
        """Where a cut may start and end: block edges (inside markup) and sentence edges."""
        src = self.source
        starts: set[int] = set()
        ends: set[int] = set()
        for b in self.blocks:
            starts.add(b.start)
            ends.add(b.end)
            opened = _OPENERS.match(src, b.start, b.end)
            if opened is not None and opened.end() < b.end:
                starts.add(opened.end())
            label = _LABEL.match(src, opened.end() if opened is not None else b.start, b.end)
            if label is not None and label.end() < b.end:
                starts.add(label.end())
            if b.line_end > b.line_start and _LIST_ITEM.match(src, b.start, b.end):
                self._list_units(b.start, b.end, starts, ends)
            line = src.rfind("\n", b.start, b.end) + 1 or b.start
            tail = _tail_closers(src, line, b.end)
            if tail is not None and tail.start() > b.start:
                ends.add(tail.start())
        for m in self._stops(0, len(src)):
            ends.add(m.end())
            stop = m.end()
            cite = _CITATION.match(src, stop)
            if cite is not None:
                # A citation marker after the stop ("flooded.[1] The"): the sentence
                # ends before it or after it (a copy may hold it or not).
                stop = cite.end()
                ends.add(stop)
            gap = _GAP.match(src, stop)
            nxt = gap.end() if gap is not None else stop
            if nxt < len(src):
                starts.add(nxt)
                # A numbered clause ("4.2 ", "1. ") opens the sentence after a line break.
                if "\n" in src[m.end() : nxt]:
                    starts.add(_opened(src, nxt))
        if "</" in src:
            # An element closed inside a line ("<p>Thanks, Priya</p><p>Hi") ends a unit
            # before its closing tag: a body of paragraphs glued twice on one line is
            # cut a whole number of periods, its last paragraph with it.
            for m in _ELEMENT_END.finditer(src):
                if m.start() and src[m.start() - 1] not in " \t\n>":
                    ends.add(m.start())
        for m in _HEADER_END.finditer(src):
            ends.add(m.start() + 1)
            nxt = _opened(src, m.end())
            if nxt < len(src):
                starts.add(nxt)
        # Lists, searched with bisect: a search per call costs a tenth of np.searchsorted's.
        return sorted(starts), sorted(ends)

    def _list_units(self, lo: int, hi: int, starts: set[int], ends: set[int]) -> None:
        """Add the items of a list block ``source[lo:hi]`` to the units: an item's line
        starts and ends one, punctuated or not (a list of items without full stops
        pasted right after itself is a copy of whole items)."""
        src = self.source
        pos = lo
        while pos < hi:
            end = src.find("\n", pos, hi)
            end = hi if end < 0 else end
            if _LIST_ITEM.match(src, pos, end):
                starts.add(pos)
                starts.add(_opened(src, pos, end))
                if pos > lo:
                    stop = pos - 1
                    while stop > lo and src[stop - 1].isspace():
                        stop -= 1
                    ends.add(stop)
            pos = end + 1
        ends.add(hi)

    def _widen(self, ls: int, le: int, es: int, ee: int) -> tuple[int, int, int, int]:
        """Grow both copies while the characters around them agree.

        The span finder takes repeats greedily, so a repeat may begin a word late,
        its first words taken by the repeat before it; snapping would then drop the
        whole first sentence.
        """
        src = self.source
        limit = 200
        while limit and es > 0 and ls > ee and src[ls - 1] == src[es - 1]:
            ls, es, limit = ls - 1, es - 1, limit - 1
        le, ee = self._grow(le, ee, ls)
        return ls, le, es, ee

    def _rotate(self, ls: int, le: int, es: int, ee: int) -> tuple[int, int, int, int]:
        """Move two copies that follow each other back together to a start of a unit.

        A copy right after its original may be found a word late: the earlier copy
        then ends with the later's first word (``...County line.\nRoute`` against
        ``5079 (CR 5079) runs...``), and as the copies follow each other, growing
        the later one back would overlap the earlier. The text is the same shifted by
        the distance between the copies, so both copies move back together, starts
        and ends, while the characters before them agree, to the nearest sentence,
        line or block start: the cut then starts and ends where a unit does, not
        inside a line. Unchanged when no unit start is reached.
        """
        src = self.source
        if self._unit_start(ls):
            return ls, le, es, ee
        d, limit = 0, min(200, es)
        while d < limit and src[ls - d - 1] == src[es - d - 1]:
            d += 1
            if self._unit_start(ls - d):
                return ls - d, le - d, es - d, ee - d
        return ls, le, es, ee

    def _unit_start(self, pos: int) -> bool:
        i = bisect.bisect_left(self.unit_starts, pos)
        return i < len(self.unit_starts) and self.unit_starts[i] == pos

    def _grow(self, le: int, ee: int, stop: int) -> tuple[int, int]:
        """Grow the ends of two copies (``le`` later, ``ee`` earlier, which stays before
        ``stop``) while their text agrees, whitespace aside, across up to two small
        edits: a word added in one copy, or a word changed in both.

        The span finder needs a run of 25 key characters after an edit to go on, so
        an edit a few words before a copy's end ("within 17 still working days.")
        would end it there, and snapping would drop the whole last sentence.
        """
        src = self.source
        n = len(src)
        ends = self._unit_end_set
        limit, bridges, blank = 200, 0, False
        while limit > 0 and le < n and ee < stop:
            if bridges and le in ends:
                # An edit was bridged: go no further than the sentence it is in.
                break
            a, b = src[le], src[ee]
            if a.isspace() and b.isspace():
                at = le
                while le < n and src[le].isspace():
                    le += 1
                while ee < stop and src[ee].isspace():
                    ee += 1
                blank = blank or src.count("\n", at, le) > 1
                limit -= 1
                continue
            if a == b:
                le, ee, limit = le + 1, ee + 1, limit - 1
                continue
            if bridges >= 2 or blank:
                # Past a blank line the text is the next paragraph's, not an edit.
                break
            bridges += 1
            word_l, word_e = _word_end(src, le), _word_end(src, ee)
            # A word changed in both must be a typo of it, not another word ("fox
            # wrote:" against "birch wrote:" names another poster).
            wl, we = src[le:word_l].strip(), src[ee:word_e].strip()
            typo = fuzz.ratio(wl.casefold(), we.casefold()) >= 75
            for nl, ne in ((word_l, ee), (le, word_e), (word_l, word_e) if typo else (le, ee)):
                if (nl, ne) != (le, ee) and _agree(src, nl, ne, stop, _BRIDGE_AGREE):
                    le, ee = nl, ne
                    break
            else:
                break
        return le, ee

    def _snap_loss(self, later: tuple[int, int], earlier: tuple[int, int], loose: bool) -> float:
        """Words two copies lose to :meth:`_snap` (infinite if one has no sentence left)."""
        lost = 0
        for start, end in (later, earlier):
            snapped = self._snap(start, end, loose=loose)
            if snapped is None:
                return float("inf")
            lost += word_count(self.source, start, snapped[0]) + word_count(
                self.source, snapped[1], end
            )
        return lost

    def _periods(
        self, start: int, period: int, end: int
    ) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """For text repeating with ``period`` from ``start`` to ``end``: the copies to
        cut (a whole number of periods ending at ``end``, so nothing else goes) and the
        same text one period earlier. At least one period stays."""
        k = (end - start - period + 1) // period
        if k < 1:
            return None, None
        a = end - k * period
        while a < end and self.source[a].isspace():
            a += 1
        return (a, end), (a - period, end - period)

    def _finish_sentence(
        self,
        later: tuple[int, int],
        earlier: tuple[int, int],
        le: int,
        ee: int,
        threshold: float,
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """Two snapped copies whose repeat ended inside the next sentence or line of each
        (at ``le`` and ``ee``: a misreading or a typo in its last words, "...from the
        vi1lage." / "...from the village."), taken to that sentence's end when the two
        sentences are near copies (:func:`~textdedup.verify.compare`). Unchanged else:
        :meth:`_snap` shrank them to whole sentences, and a sentence left out of both is
        no loss, but a copy's last sentence left behind is. Only under a ``keep`` policy
        by position (``first``, ``last``), which spans follow: one that chooses among
        near copies by their text (``longest``) is the block stage's to apply.
        """
        if self.config.keep not in ("first", "last"):
            return later, earlier
        ends = self.unit_ends
        i, j = bisect.bisect_left(ends, le), bisect.bisect_left(ends, ee)
        if i >= len(ends) or j >= len(ends) or i == 0 or j == 0:
            return later, earlier
        lend, eend = ends[i], ends[j]
        # One sentence more in each, the one the repeat ended in; the earlier copy
        # still ends before the later one starts.
        if ends[i - 1] != later[1] or ends[j - 1] != earlier[1] or eend > later[0]:
            return later, earlier
        if not (later[1] < le < lend and earlier[1] < ee < eend):
            return later, earlier
        src = self.source
        if compare(src[later[1] : lend], src[earlier[1] : eend], score_cutoff=threshold).near(
            threshold
        ):
            return (later[0], lend), (earlier[0], eend)
        return later, earlier

    def _snap(self, start: int, end: int, *, loose: bool = False) -> tuple[int, int] | None:
        """Shrink a span to the whole sentences or lines inside it (``None`` if none).

        With ``loose``, the start only moves to a word boundary.
        """
        src = self.source
        # The key left out punctuation at the edges: take it back before shrinking.
        while start > 0 and _PUNCT.match(src, start - 1):
            start -= 1
        while end < len(src) and _PUNCT.match(src, end):
            end += 1
        j = bisect.bisect_right(self.unit_ends, end) - 1
        if j < 0:
            return None
        b = self.unit_ends[j]
        if loose:
            while start < b and _inside_word(src, start):
                start += 1
            # Nor inside a tag: "td>" of "</td>" is markup, not a word to start at.
            opened = src.rfind("<", 0, start)
            if opened >= 0 and src.rfind(">", opened, start) < 0:
                tag = _TAG.match(src, opened)
                if tag is not None and tag.end() > start:
                    start = min(tag.end(), b)
            while start < b and not _CONTENT.match(src, start):
                # A tag is passed whole: "<p>" is markup, its "p" no word to start at
                # (a cut from there left "<</p>" behind).
                tag = _TAG.match(src, start, b)
                start = tag.end() if tag is not None else start + 1
            # Nor inside what opens its line: "1" of a footnote's "[^1]: " is markup.
            line = src.rfind("\n", 0, start) + 1
            opener = _OPENERS.match(src, line, b)
            if opener is not None and line < start < opener.end():
                start = opener.end()
            a = start
        else:
            i = bisect.bisect_left(self.unit_starts, start)
            if i >= len(self.unit_starts):
                return None
            a = self.unit_starts[i]
        a, b = _without_delimiter_lines(src, a, b)
        if a >= b or not _CONTENT.search(src, a, b):
            return None
        if loose:
            a, b = self._with_marks(a, b)
        return a, b

    def _tags_first(
        self, later: tuple[int, int], earlier: tuple[int, int]
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """Two copies of a stutter that end with a line of opening tags, moved back so
        that they start with it: ``<td>S</td></tr><tr>`` found twice in a row is
        ``<tr><td>S</td></tr>`` twice, and the cut then takes whole elements.

        Unchanged unless both copies end with the same line of opening tags and the
        same tags stand right before each copy.
        """
        src = self.source
        moved = []
        for a, b in (later, earlier):
            line = src.rfind("\n", a, b) + 1
            if line <= a or not _OPEN_TAGS_LINE.fullmatch(src, line, b):
                return later, earlier
            tags = src[line:b].strip()
            p = a
            while p > 0 and src[p - 1].isspace():
                p -= 1
            if not src.startswith(tags, p - len(tags)):
                return later, earlier
            end = line - 1
            while end > a and src[end - 1].isspace():
                end -= 1
            moved.append((p - len(tags), end))
        return moved[0], moved[1]

    def _open_end(self, a: int, b: int) -> tuple[int, int]:
        """``source[a:b]`` less the closing tags it ends with whose opening tags it does
        not hold and that do not open right before it: they close the element the copy
        was pasted into (``<p>Own text. C</p>``), not the copy."""
        src = self.source
        before = None
        if src[a - 1 : a] == ">":
            before = _OPEN_TAG_BEFORE.search(src, max(0, a - _TAG_BEFORE), a)
        while True:
            tail = _LAST_CLOSING_TAG.search(src, a, b)
            if tail is None or regex.search(rf"<{tail['name']}\b", src[a:b], regex.IGNORECASE):
                return a, b
            if before is not None and before["name"].lower() == tail["name"].lower():
                return a, b  # the copy's own element (<p>C</p> right after <p>C</p>)
            end = tail.start()
            while end > a and src[end - 1].isspace():
                end -= 1
            if not _CONTENT.search(src, a, end):
                return a, b
            b = end

    def _bbcode_closed(self, a: int, b: int) -> tuple[int, int]:
        """``source[a:b]`` with the BBCode closing tags right after it whose opening
        tags it holds: ``[b]S.`` of ``[b]S.[/b] [b]S.[/b]`` is ``[b]S.[/b]``, as the
        copy after it is (a sentence ends before ``[/b]``, a line after it).

        >>> c = _Cleaner("[b]S.[/b] [b]S.[/b]", CleanConfig())
        >>> c._bbcode_closed(0, 5)
        (0, 9)
        """
        src = self.source
        while src.startswith("[/", b):
            m = _BBCODE_CLOSER.match(src, b)
            if m is None:
                break
            name = m["name"].lower()
            inner = src[a:b].lower()
            if inner.count(f"[{name}") <= inner.count(f"[/{name}]"):
                break
            b = m.end()
        return a, b

    def _with_same_tail(
        self, later: tuple[int, int], earlier: tuple[int, int]
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """Two copies glued one after the other whose sentences each end with the same
        few words that are no sentence (a link, ``<a href="/news/x">Read more</a>``, a
        credit, ``(AP)``), taken with them: ``S <a>Read more</a> S <a>Read more</a>``
        is ``S <a>Read more</a>`` twice, and a cut of ``S`` alone left a second link.

        Unchanged unless the text between the copies (at most ``_TAIL_WORDS`` words)
        stands again right after the later copy, before the end of its line or the
        closing tags that end it.
        """
        src = self.source
        # (Six words are a few hundred characters at most: a longer gap is no tail, and
        # reading it whole per repeat made a long text's span stage quadratic.)
        if earlier[1] > later[0] or later[0] - earlier[1] > 64 * _TAIL_WORDS:
            return later, earlier
        tail = src[earlier[1] : later[0]].strip()
        if not tail or not _CONTENT.search(tail) or len(tail.split()) > _TAIL_WORDS:
            return later, earlier
        p = later[1]
        while p < len(src) and src[p] in " \t":
            p += 1
        if not src.startswith(tail, p):
            return later, earlier
        end = p + len(tail)
        if _CLOSING_TAGS_TO_EOL.match(src, end) is None:
            return later, earlier
        return (later[0], end), (earlier[0], src.index(tail, earlier[1]) + len(tail))

    def _with_marks(self, a: int, b: int) -> tuple[int, int]:
        """``source[a:b]`` with the marks that wrap it: an opening mark right before it
        whose closer it ends with, or a pair around it («S», “S”, (S), **S**, "S").

        A copy glued after its original with its own marks ("«S» «S»") snaps to its
        words; with its marks, the two copies are whole quotations with only a space
        between (a stutter), and the cut takes the copy's marks with it.
        """
        src = self.source
        while True:
            p = a
            while p > 0 and src[p - 1] in _MARK_SPACE:
                p -= 1
            q = b
            while q < len(src) and src[q] in _MARK_SPACE:
                q += 1
            mark = next((m for m in _SYMMETRIC_MARKS if src.startswith(m, p - len(m))), "")
            if mark:
                if src.count(mark, a, b) % 2:
                    a = p - len(mark)  # the span ends with the closing mark
                    continue
                if src.startswith(mark, q):
                    a, b = p - len(mark), q + len(mark)
                    continue
                break
            tag = None
            if src[p - 1 : p] == ">":
                tag = _OPEN_TAG_BEFORE.search(src, max(0, p - _TAG_BEFORE), p)
            if tag is not None:
                # An inline element the copy opens with (<b>Title</b> is ...): the span
                # holds its closing tag, not its opening one.
                # (Closing tags that end the span close an element _expand takes whole.)
                name = tag["name"].lower()
                inner = _TRAILING_CLOSERS.sub("", src[a:b].lower())
                if inner.count(f"</{name}>") > len(regex.findall(rf"<{name}\b", inner)):
                    a = tag.start()
                    continue
                break
            if p == 0 or src[p - 1] not in _OPENING_MARKS:
                break
            opener = src[p - 1]
            closer = _OPENING_MARKS[opener]
            opened, closed = src.count(opener, a, b), src.count(closer, a, b)
            if closed > opened:
                a = p - 1  # the span holds the closer ("?" of "¿"): it takes its opener
            elif closed == opened and q < len(src) and src[q] == closer and closer not in "?!":
                a, b = p - 1, q + 1
            else:
                break
        return a, b

    def _align(
        self,
        lrep: tuple[int, int],
        later: tuple[int, int],
        erep: tuple[int, int],
        earlier: tuple[int, int],
    ) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """Shrink two snapped copies further until they hold the same sentences.

        Each copy is snapped on its own, and a sentence or line start in one need not
        be one in the other (``4.2 No variation...`` against ``...Specification. No
        variation...``): the one that dropped fewer words moves on to its next start
        (its previous end) until both dropped as many words from the repeat's edges,
        give or take two words for an edit.
        """
        src = self.source
        (la, lb), (ea, eb) = later, earlier
        for _ in range(64):
            dl = word_count(src, lrep[0], la)
            de = word_count(src, erep[0], ea)
            if abs(dl - de) <= 2:
                break
            if dl < de:
                la = self._next_start(la, lb)
            else:
                ea = self._next_start(ea, eb)
            if la >= lb or ea >= eb:
                return None, None
        for _ in range(64):
            dl = word_count(src, lb, lrep[1])
            de = word_count(src, eb, erep[1])
            if abs(dl - de) <= 2:
                break
            if dl < de:
                lb = self._prev_end(la, lb)
            else:
                eb = self._prev_end(ea, eb)
            if la >= lb or ea >= eb:
                return None, None
        return (la, lb), (ea, eb)

    def _drop_other_clauses(
        self, later: tuple[int, int], earlier: tuple[int, int]
    ) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """Leave out leading sentences of two copies that open differently numbered clauses.

        ``8.9 The Supplier shall deliver...`` and ``5.9 The Supplier shall deliver...``
        are two clauses that say the same thing (a contract repeats a clause under
        each section): the clause number is not markup there but what tells them
        apart, so a copy pasted right after ``8.9`` does not take it along. A clause
        number on one copy only is kept (a paste does not carry the number). When
        nothing follows the clause, the copies are returned as they are.
        """
        (la, lb), (ea, eb) = later, earlier
        for _ in range(64):
            nl, ne = self._clause_number(la), self._clause_number(ea)
            if not nl or not ne or nl == ne:
                return (la, lb), (ea, eb)
            la, ea = self._next_sentence(la, lb), self._next_sentence(ea, eb)
            if la >= lb or ea >= eb:
                break
        # Nothing after the clause: the repeat is the clause itself, judged (and
        # reported) as such.
        return later, earlier

    def _same_tails(
        self, later: tuple[int, int], earlier: tuple[int, int]
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """End both copies at the punctuation they share.

        Snapping takes back the punctuation after a copy's last word, and a copy glued
        on inside quotes or brackets (``“BODY BODY”``, ``(BODY BODY)``, ``BODY BODY —``)
        would take the closer that belongs to the text around it: the later copy ends
        where its trailing run of punctuation stops agreeing with the earlier copy's.
        A full stop, question or exclamation mark is never left behind alone, unless
        the punctuation the copies share already ends their sentence: then what
        follows it is the writer's own (``BODY. BODY.!!``: the ``!!`` stays).
        """
        src = self.source
        (la, lb), (ea, eb) = later, earlier
        tl, te = _trailing_run(src, la, lb), _trailing_run(src, ea, eb)
        if tl == lb or te == eb:
            return later, earlier
        a, b = src[tl:lb], src[te:eb]
        k = 0
        while k < min(len(a), len(b)) and a[k] == b[k]:
            k += 1
        out = []
        for (start, end), run, at in (((la, lb), a, tl), ((ea, eb), b, te)):
            extra = run[k:]
            ended = _SENTENCE_MARK.search(run[:k]) is not None
            if extra and (ended or not _SENTENCE_MARK.match(extra)) and k and not run[:k].isspace():
                end = at + len(run[:k].rstrip())
            out.append((start, end))
        return out[0], out[1]

    def _shares_both(self, span: Any, *, middle: bool = False) -> bool:
        """Whether both copies of ``span`` sit inside a block with other text beside them
        (with ``middle``, on both sides)."""
        for start, end in (span.shown, span.earlier):
            i = bisect.bisect_right(self._block_ends, start)
            if i >= len(self.blocks):
                return False
            b = self.blocks[i]
            if b.start > start or b.end < end:
                return False  # across blocks
            # Text of its own, not markup (a copy in "<p>...</p>" has none beside it).
            before = _has_own_text(self.source, b.start, start)
            after = _has_own_text(self.source, end, b.end)
            if not (before and after if middle else before or after):
                return False
        return True

    def _template_edge(self, span: Any) -> bool:
        """Whether both copies of ``span`` close their blocks after text of their own
        (or both open their blocks, text of their own after them): two records of one
        template that share their closing (or opening) sentences.

        ``Saturday: ... Kick-off is at 3pm. Tickets cost £12.`` and ``Sunday: ...
        Kick-off is at 3pm. Tickets cost £12.``: each record states its own subject
        first, then the page's template tells the same facts about it. A paste of a
        whole paragraph at the end of another has an original that is no edge (it is
        its whole block), and a copy right after its original is a stutter, taken
        before this rule is asked. The text of its own is as many sentences at both
        places (one sentence naming the match, the flat): a paste at the end of
        another paragraph follows that paragraph's own text, of whatever length. And
        the copies are identical: a template renders its sentences the same, an
        edited copy (a typo, a comma added) was pasted and touched.
        """
        if span.removal.score < 1.0:
            return False  # a template renders its text the same: an edited copy is a paste
        src = self.source
        sides = set()
        own = []
        leads = []
        for start, end in (span.shown, span.earlier):
            i = bisect.bisect_right(self._block_ends, start)
            if i >= len(self.blocks):
                return False
            b_start, b_end = self.blocks[i].start, self.blocks[i].end
            if b_start > start or b_end < end:
                # Across blocks: with blocks smaller than a line (--blocks sentence), the
                # record is the line that holds the copy.
                b_start = src.rfind("\n", 0, start) + 1
                b_end = _line_end(src, start)
                if end > b_end:
                    return False
            # (A clause number or markup opening the block is not text of its own.)
            lead = min(_opened(src, b_start, start), start)
            before = _has_own_text(src, lead, start)
            after = _has_own_text(src, end, b_end)
            sides.add((before, after))
            mine = (lead, start) if before else (end, b_end)
            stops = [m.end() for m in self._stops(*mine)]
            # The own sentence next to the copy.
            if before:
                next_to = src[stops[-2] if len(stops) > 1 else lead : start]
            else:
                next_to = src[end : stops[0] if stops else b_end]
            # Its size: in sentences, or in lines for verse (a stanza's own lines before
            # its refrain, however many sentences they make).
            lines = src.count("\n", *mine)
            size = -lines if lines and _verse(src[mine[0] : mine[1]]) else len(stops)
            own.append((size, " ".join(next_to.split()).casefold()))
            leads.append(lead)
        if len(sides) != 1 or sides.pop() not in ((True, False), (False, True)):
            return False
        # Records of one template have one shape: each states its own subject in as
        # many sentences. A paste at the end of another paragraph lands after that
        # paragraph's own text, of whatever length.
        (n1, s1), (n2, s2) = own
        if n1 != n2 and not (before and self._same_record_label(*leads)):
            return False
        # And that subject differs: when the sentence next to one copy ends (or
        # opens) with the sentence next to the other, the copies are the rest of a
        # longer repeat (a paragraph pasted after a heading on its line).
        glued = str.endswith if before else str.startswith
        return not (glued(s1, s2) or glued(s2, s1))

    def _same_record_label(self, a: int, b: int) -> bool:
        """Whether the blocks' own texts at ``a`` and ``b`` open with the same label and a
        number (:data:`_RECORD_LABEL`: ``Flat 2, 14 Albion Street.`` and ``Flat 5, 9
        Quarry Road.``): records of one template, whatever their own texts' lengths (a
        flat with a sentence more about its kitchen). A paragraph that a paste lands
        after opens as prose does, with no label and number of the record it repeats."""
        m1, m2 = _RECORD_LABEL.match(self.source, a), _RECORD_LABEL.match(self.source, b)
        return m1 is not None and m2 is not None and m1["label"] == m2["label"]

    def _clause_number(self, start: int) -> str:
        """The clause or list number opening the line of ``start``, if only it (and
        markup) stands before ``start`` there; else ``""``."""
        src = self.source
        line = src.rfind("\n", 0, start) + 1
        if _opened(src, line, start) < start:
            return ""
        m = _NUMBERING.search(src, line, start)
        return m.group() if m is not None else ""

    def _next_sentence(self, start: int, end: int) -> int:
        """Where the sentence after the one at ``start`` starts (``end`` if none before).

        By sentence stops, not line starts: a clause wrapped over lines is one sentence.
        """
        stop = next(self._stops(start, end), None)
        if stop is None:
            return end
        i = bisect.bisect_left(self.unit_starts, stop.end())
        return self.unit_starts[i] if i < len(self.unit_starts) else end

    def _next_start(self, start: int, end: int) -> int:
        i = bisect.bisect_right(self.unit_starts, start)
        return self.unit_starts[i] if i < len(self.unit_starts) else end

    def _prev_end(self, start: int, end: int) -> int:
        j = bisect.bisect_left(self.unit_ends, end) - 1
        return self.unit_ends[j] if j >= 0 else start

    def _aligned(self, start: int, end: int) -> tuple[int | None, int | None]:
        """First and last block of a span that covers whole blocks, else ``None``."""
        src = self.source
        i = bisect.bisect_right(self._block_ends, start)
        j = bisect.bisect_left(self._block_starts, end) - 1
        if i >= len(self.blocks) or j < i:
            return None, None
        if _CONTENT.search(src, self.blocks[i].start, start) or _CONTENT.search(
            src, end, self.blocks[j].end
        ):
            return None, None
        return i, j

    def _aligned_in_markup(self, start: int, end: int) -> tuple[int | None, int | None]:
        """As :meth:`_aligned`, with markup, quote markers or a list number allowed
        between the blocks' edges and the span (``<p>S</p>``, ``1. S``, ``## S``)."""
        src = self.source
        i = bisect.bisect_right(self._block_ends, start)
        j = bisect.bisect_left(self._block_starts, end) - 1
        if i >= len(self.blocks) or j < i:
            return None, None
        if _opened(src, self.blocks[i].start, start) < start or not _GAP.fullmatch(
            src, end, self.blocks[j].end
        ):
            return None, None
        return i, j

    def _inner(self, start: int, end: int) -> str:
        """The text of a span without the markup or numbering that opens or closes it.

        One copy's edge may hold its line's ``<p>`` or clause number and the other's
        not: that is layout, and the score is that of the text.
        """
        src = self.source
        inner = _OPENERS.match(src, start, end)
        start = inner.end() if inner is not None else start
        tail = _tail_closers(src, start, end)
        return src[start : tail.start() if tail is not None else end]

    def _sentences(self, start: int, end: int) -> int:
        """Sentences ending in ``source[start:end]`` (counting stops at 2).

        In a script without full stops (Thai), a line end ends a sentence too.
        """
        src = self.source
        n = sum(1 for _ in itertools.islice(self._stops(start, end), 2))
        if n < 2 and start < end and _UNSPACED_LETTER.match(src, end - 1):
            n += not src[end : _line_end(src, end)].strip()
        return n

    def _stops(self, start: int, end: int) -> Iterator[regex.Match[str]]:
        """The sentence stops in ``source[start:end]``: :data:`_STOP`, less the stop of
        a list or clause number opening a line ("2." is the number of the item after
        it, not a sentence: a cut that ended there took that number)."""
        return _stops(self.source, start, end)

    def _records(self, first: int, last: int, kfirst: int | None, klast: int | None) -> bool:
        """Whether blocks first..last are records repeating blocks kfirst..klast right
        after them: every block states a number (a record, a row, a cue).

        A clause number or list number opening a block is not one of its facts.

        Two or more such blocks repeated in the same order, directly after their
        original (a stutter), state the same facts twice: such a run is a copy at any
        length. So is a run of ``_CLOSING_RECORDS`` (3) or more that closes the
        document (nothing but layout or cut text after the later copy): rows appended
        again at the end of a table, a CSV file or a subtitle file. Elsewhere they may
        be the shared rows of another list, timetable or invoice (the Saturday
        timetable calls at two of the weekday stops at the same times, then goes on),
        so they need ``min_copy`` words like any run (see docs/concepts.md).
        """
        if kfirst is None or klast is None:
            return False
        if not (klast + 1 == first or last + 1 == kfirst):
            closing = max(last, klast)
            if last - first + 1 < _CLOSING_RECORDS or not self._only_layout(
                self.blocks[closing].end, len(self.source)
            ):
                return False
        src = self.source
        return all(
            _DIGIT.search(src, _opened(src, b.start, b.end), b.end)
            for b in self.blocks[first : last + 1]
        )

    def _under_other_heading(self, first: int, kfirst: int) -> bool:
        """Whether blocks ``first`` and ``kfirst`` each follow a heading, and the two
        headings differ (:data:`_HEADING`): the same answer under two questions.

        Such a block belongs to its own section, so a copy that follows it (the next
        entry pasted again) does not start with it.
        """
        if self.mode == "sentence":
            first, kfirst = self._paragraph_openings(first, kfirst)
        if first < 1 or kfirst < 1:
            return False
        a, b = self.blocks[first - 1], self.blocks[kfirst - 1]
        if (
            self.ikeys[first - 1] != self.ikeys[kfirst - 1]
            and _HEADING.fullmatch(self.source, a.start, a.end) is not None
            and _HEADING.fullmatch(self.source, b.start, b.end) is not None
        ):
            return True
        return self._under_other_record_head(first, kfirst)

    def _under_other_record_head(self, first: int, kfirst: int) -> bool:
        """Whether blocks ``first`` and ``kfirst`` each follow a title (:meth:`_title`)
        and one or two short lines of facts of their own (a price, a date, a place:
        ``£649 - ships in 2 weeks``, ``Updated 3 February 2026``), and those lines
        differ: the same description in two product cards, the same answer under two
        FAQ entries dated apart, the same offer in two job ads. Each is its record's
        own body, as an answer right under another question is.

        The head is read by paragraphs in sentence mode (:meth:`_record_unit`): there a
        line of facts may be two sentences (``Location: Leeds. Salary: …``), two
        blocks, and the first without a digit.
        """
        head, khead = self._record_head(first, min_facts=1), self._record_head(kfirst, min_facts=1)
        if head is None or khead is None:
            return False
        (title, facts), (ktitle, kfacts) = head, khead
        return title != ktitle and len(facts) == len(kfacts) and facts != kfacts

    def _paragraph_openings(self, i: int, k: int) -> tuple[int, int]:
        """In sentence mode, the first blocks of the paragraphs of blocks ``i`` and ``k``
        when the sentences before them in their paragraphs are the same (a list number
        ``1.`` is a sentence of its own there): the copies are judged by where their
        paragraphs stand, as in paragraph mode. Else ``i`` and ``k``."""
        for step in range(1, _PARAGRAPH_SENTENCES + 1):
            a, b = i - step + 1, k - step + 1
            if a < 1 or b < 1:
                return (a, b) if a == 0 and b == 0 else (i, k)
            if self._blank_between(a - 1) and self._blank_between(b - 1):
                return a, b
            if self._blank_between(a - 1) or self._blank_between(b - 1):
                return i, k
            if self.ikeys[a - 1] != self.ikeys[b - 1]:
                return i, k
        return i, k

    def _paragraph_closings(self, i: int, k: int) -> tuple[int, int]:
        """In sentence mode, the last blocks of the paragraphs before those of blocks
        ``i`` and ``k`` when the sentences of those paragraphs up to ``i`` and ``k`` are
        the same: two copies that run on into the facts they share the start of end
        where their whole paragraphs end. Else ``i`` and ``k``."""
        n = len(self.blocks)
        if (i + 1 == n or self._blank_between(i)) and (k + 1 == n or self._blank_between(k)):
            return i, k  # (they close their paragraphs already)
        for step in range(_PARAGRAPH_SENTENCES):
            a, b = i - step, k - step
            if a < 1 or b < 1 or self.ikeys[a] != self.ikeys[b]:
                return i, k
            if self._blank_between(a - 1) and self._blank_between(b - 1):
                return a - 1, b - 1
            if self._blank_between(a - 1) or self._blank_between(b - 1):
                return i, k
        return i, k

    def _record_between_facts(
        self, first: int | None, last: int | None, kfirst: int | None, klast: int | None
    ) -> bool:
        """Whether blocks first..last and their twin kfirst..klast are the body of two
        records of one template with their facts after it: each copy follows a title
        (a line in a title's form will do: :meth:`_title_unit`) and up to two lines of
        facts, the title opens a record (the document's start, a title or another
        record's facts before it), and each copy is followed by one or two lines of
        facts (:meth:`_fact_unit`: a price, a date, ``Apply by 6 April.``, a field
        ``Stock: none``) and then a title, the document's end or its last paragraph,
        and those lines differ between the two.

        Two product cards (title, the same description, ``Price: £549`` and ``Price:
        £649``), two rooms of a hotel, two courses of a catalogue, two events with
        their dates after the text: each card keeps its description. A record pasted
        again whole has the same facts after it, and a paste elsewhere follows the
        document's text, not a title.
        """
        if first is None or last is None or kfirst is None or klast is None:
            return False
        if self.mode == "sentence":
            first, kfirst = self._paragraph_openings(first, kfirst)
            last, klast = self._paragraph_closings(last, klast)
            if last < first or klast < kfirst:
                return False
        # Two records have two titles: their form is enough, with facts on both sides,
        # when each title opens a record (the document's or a section's start, or
        # another record's facts before it: a line of facts after a paste is no title).
        for i in (first, kfirst):
            head = self._record_head(i, min_facts=0, shaped=True)
            if head is None:
                return False
            title = i - 1 - sum(len(f) for f in head[1])
            if title == 0:
                continue
            before = self._record_unit(title, -1)
            if before is None or not (
                self._fact_unit(before) or self._title_unit(before, shaped=True)
            ):
                return False
        tail, ktail = self._record_tail(last), self._record_tail(klast)
        return tail is not None and ktail is not None and tail != ktail

    def _record_span_between_facts(self, span: _Span) -> bool:
        """:meth:`_record_between_facts` for the blocks inside each copy of a span: a
        span may run on into the facts the two records share the start of
        (``Credits: 6. Term: autumn.`` and ``Credits: 6. Term: spring.``)."""
        starts, ends = self._block_starts, self._block_ends
        inside = []
        for a, b in (span.shown, span.earlier):
            i, j = bisect.bisect_left(starts, a), bisect.bisect_right(ends, b) - 1
            if j < i:
                return False
            inside += [i, j]
        return self._record_between_facts(*inside)

    def _record_head(
        self, i: int, *, min_facts: int, shaped: bool = False
    ) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]] | None:
        """The title and the lines of facts right before block ``i`` (the fewest, at
        least ``min_facts`` and at most ``_RECORD_FACT_LINES``, with a title before
        them: a fact line may look like a plain title itself), as identity keys; or
        ``None``. ``shaped``: see :meth:`_title_unit`."""
        facts: list[tuple[str, ...]] = []
        pos = i
        while True:
            unit = self._record_unit(pos, -1)
            if unit is None:
                return None
            if len(facts) >= min_facts and self._title_unit(unit, shaped=shaped):
                return self._unit_key(unit), tuple(facts[::-1])
            if len(facts) == _RECORD_FACT_LINES or not self._fact_unit(unit):
                return None
            facts.append(self._unit_key(unit))
            pos = unit[0]

    def _record_tail(self, i: int) -> tuple[tuple[str, ...], ...] | None:
        """The one or two lines of facts right after block ``i`` when a title, the
        document's end or its last paragraph (a footer) follows them, as identity keys;
        or ``None``."""
        facts: list[tuple[str, ...]] = []
        pos = i
        while True:
            if pos + 1 == len(self.blocks):
                return tuple(facts) if facts else None
            unit = self._record_unit(pos, 1)
            if unit is None:
                return None
            if facts and (self._title_unit(unit, shaped=True) or unit[1] + 1 == len(self.blocks)):
                return tuple(facts)  # (a title, or the document's footer: one last unit)
            if len(facts) == _RECORD_FACT_LINES or not self._fact_unit(unit):
                return None
            facts.append(self._unit_key(unit))
            pos = unit[1]

    def _record_unit(self, i: int, step: int) -> tuple[int, int] | None:
        """The first and last block of the unit of a record next to block ``i``, before
        it (``step`` -1) or after it (1): the block there; in sentence mode, the
        paragraph there, when block ``i`` opens (closes) its own paragraph. ``None`` at
        the document's edge or inside a paragraph."""
        j = i + step
        n = len(self.blocks)
        if not 0 <= j < n:
            return None
        if self.mode != "sentence":
            return j, j
        if not self._blank_between(min(i, j)):
            return None
        k = j
        for _ in range(_PARAGRAPH_SENTENCES):
            after = k + step
            if not 0 <= after < n or self._blank_between(min(k, after)):
                return min(j, k), max(j, k)
            k = after
        return None  # (a paragraph longer than any title or line of facts)

    def _blank_between(self, i: int) -> bool:
        """Whether a blank line separates block ``i`` from block ``i + 1``."""
        return self.source.count("\n", self.blocks[i].end, self.blocks[i + 1].start) >= 2

    def _unit_key(self, unit: tuple[int, int]) -> tuple[str, ...]:
        return tuple(self.ikeys[unit[0] : unit[1] + 1])

    def _title_unit(self, unit: tuple[int, int], *, shaped: bool = False) -> bool:
        """Whether the unit is one block, a title (:meth:`_title`); with ``shaped``, or
        a line in the form of a plain title, however few the document has (and, in a
        text without blank lines, with none around it)."""
        if unit[0] != unit[1]:
            return False
        i = unit[0]
        if self._title(i) or (shaped and i in self._title_lines):
            return True
        # In a text with no blank line between its lines (a block a line), a title has
        # no blank lines around it: its form alone.
        if not shaped or self.mode != "line" or self.config.blocks != "auto":
            return False
        text = self.blocks[i].text
        return len(text.split()) <= 8 and _PLAIN_TITLE.fullmatch(text) is not None

    def _fact_unit(self, unit: tuple[int, int]) -> bool:
        """Whether the unit is one or two lines (``_RECORD_FACT_LINES``) of facts, each
        of at most ``_FACT_LINE_WORDS`` words with a digit, or a field (``Stock:
        none``, ``Colour: walnut``)."""
        text = self.source[self.blocks[unit[0]].start : self.blocks[unit[1]].end]
        lines = text.split("\n")
        return len(lines) <= _RECORD_FACT_LINES and all(
            len(line.split()) <= _FACT_LINE_WORDS
            and (_DIGIT.search(line) is not None or _FIELD_LINE.fullmatch(line) is not None)
            for line in lines
        )

    def _title(self, i: int) -> bool:
        """Whether block ``i`` is a heading (:data:`_HEADING`) or a plain title: a line
        of its own between blank lines, of at most eight words with no sentence mark at
        its end, in a document that has three such lines or more (its sections)."""
        b = self.blocks[i]
        if _HEADING.fullmatch(self.source, b.start, b.end) is not None:
            return True
        return i in self._plain_titles

    @functools.cached_property
    def _plain_titles(self) -> frozenset[int]:
        """Blocks that are plain titles (see :meth:`_title`), when there are three or more.

        A line such as ``Mexico`` or ``Opening hours`` heads a section only by its place:
        a short line alone between blank lines, followed by text. One or two of them can
        be separators (``Advertisement``) as well as titles; a document whose sections
        have such titles has three or more (two sections with their own and another).
        """
        found = self._title_lines
        return found if len(found) >= 3 else frozenset()

    @functools.cached_property
    def _title_lines(self) -> frozenset[int]:
        """Blocks in the form of a plain title (see :meth:`_title`), however few."""
        src, blocks = self.source, self.blocks
        found = []
        for i, b in enumerate(blocks):
            text = src[b.start : b.end]
            if "\n" in text or len(text.split()) > 8 or not _PLAIN_TITLE.fullmatch(text):
                continue
            before = blocks[i - 1].end if i else 0
            after = blocks[i + 1].start if i + 1 < len(blocks) else -1
            if (i and not _BLANK_LINE.search(src, before, b.start + 1)) or after < 0:
                continue
            if not _BLANK_LINE.search(src, b.end - 1, after):
                continue
            found.append(i)
        return frozenset(found)

    def _same_place_in_sections(
        self, first: int | None, last: int | None, kfirst: int | None, klast: int | None
    ) -> bool:
        """Whether blocks first..last and their twin kfirst..klast stand at the same place
        in two sections under different titles: each copy ends its section (a title or
        the document's end after it), and going back from each copy past as many blocks
        (the section's own text, or titles they share), the first titles met differ.

        Two products with the same warranty paragraphs after a line of their own, two
        agreement forms with the same interpretation clauses, two countries with the
        same delivery terms: the body is each section's own. A paste does not sit at
        the same place in another section: a body pasted after a separator follows text
        of the document where its original follows a title.
        """
        if first is None or last is None or kfirst is None or klast is None:
            return False
        if kfirst > first:
            first, last, kfirst, klast = kfirst, klast, first, last
        # The same blocks in the same form (a clause number, markup): a block without
        # the number its original carries is no clause of another section.
        if (
            last - first != klast - kfirst
            or self.ikeys[first : last + 1] != self.ikeys[kfirst : klast + 1]
        ):
            return False
        n = len(self.blocks)
        for end in (last, klast):
            if (
                end + 1 < n
                and not self._title(end + 1)
                and not self._only_layout(self.blocks[end].end, len(self.source))
            ):
                return False
        # Once past a title (the copy's own first block, or one met going back), only
        # titles may follow (the headings above it): a copy that opens with its title
        # is a whole section, and the text before it is another section's.
        titles = self._title(first) or self._title(kfirst)
        for step in range(1, _SECTION_LOOKBACK + 1):
            i, k = first - step, kfirst - step
            if k < 0 or i <= klast:
                return False
            ti, tk = self._title(i), self._title(k)
            if ti != tk or (titles and not ti):
                return False
            if ti and self.ikeys[i] != self.ikeys[k]:
                return True
            titles = titles or ti
        return False

    def _closing_section(
        self, first: int | None, last: int | None, kfirst: int | None, klast: int | None
    ) -> bool:
        """Whether blocks first..last are a section, heading and all, pasted again at
        the end of the document: two blocks or more, the later copy closing the
        document (nothing but layout or cut text after it), the first block a heading
        (:data:`_HEADING`: a Markdown heading, a question line, a ``def`` or
        ``class`` line; or a config file's ``[section]`` header, :data:`_INI_SECTION`).

        A document repeats an answer under another question, a statement in another
        function, rows in another list: the heading that names them differs. The
        same question with the same answer, or the same function whole, appended
        again is the section pasted again.
        """
        if first is None or last is None or kfirst is None or klast is None or last == first:
            return False
        if not self._only_layout(self.blocks[max(last, klast)].end, len(self.source)):
            return False
        block = self.blocks[first]
        line_end = self.source.find("\n", block.start, block.end)
        return _HEADING.fullmatch(
            self.source, block.start, line_end if line_end >= 0 else block.end
        ) is not None or (
            (ini := _INI_SECTION.match(self.source, block.start, block.start + _INI_REACH))
            is not None
            and self._one_config(ini["name"].strip())
        )

    # -- structure kept: messages, summary boxes, sub-sections -------------------------
    def _own_structure(self, later: tuple[int, int], earlier: tuple[int, int]) -> bool:
        """Whether two copies (source ranges) are structure a document repeats by design:
        each in its own message (:meth:`_in_other_messages`), one in a summary box
        (:meth:`_summary_box_copy`), or each opening a sub-section under another parent
        heading (:meth:`_subsection_of_other_parent`). Kept and reported, however long."""
        return (
            self._in_other_messages(later, earlier)
            or self._quotation_of_the_message(later, earlier)
            or self._summary_box_copy(later, earlier)
            or self._subsection_of_other_parent(later, earlier)
        )

    def _own_structure_blocks(self, first: int, last: int, kfirst: int, klast: int) -> bool:
        """:meth:`_own_structure` for blocks first..last repeating kfirst..klast."""
        blocks = self.blocks
        return self._own_structure(
            (blocks[first].start, blocks[last].end), (blocks[kfirst].start, blocks[klast].end)
        )

    @functools.cached_property
    def _messages(self) -> MessageUnits:
        """The mail messages, MIME parts and chat messages of the source."""
        return message_units(self.source)

    def _in_other_messages(self, later: tuple[int, int], earlier: tuple[int, int]) -> bool:
        """Whether the two copies stand in two messages, each inside one message's own
        text (:func:`textdedup.structure.message_units`), under different headers.

        A canned reply sent to two customers (an mbox: each message with its own
        ``From``/``To``/``Subject``), the plain and HTML alternatives of one mail (two
        MIME parts), a reminder a bot posts on two days (``[08:00] release-bot: …``):
        each message is its own record. A mail's headers name its body as a heading
        names its section, so there both copies open their bodies (only layout between
        the headers and the copy): a reply with another mail's text pasted after its
        own words is a paste. A message pasted again whole, headers and all, is no
        message's own text; nor is a copy inside one message (a body pasted twice), nor
        a stretch across messages (a chat log pasted again).
        """
        units = self._messages
        if len(units.starts) < 2:
            return False
        i, k = units.unit(*later), units.unit(*earlier)
        if i is None or k is None or i == k or units.keys[i] == units.keys[k]:
            return False
        src = self.source
        return all(
            not units.mails[u] or _GAP.fullmatch(src, units.bodies[u], start) is not None
            for u, start in ((i, later[0]), (k, earlier[0]))
        )

    def _quotation_of_the_message(self, later: tuple[int, int], earlier: tuple[int, int]) -> bool:
        """Whether the earlier copy stands in a mail quotation (:meth:`_quoted`: under
        ``On …, Owen <owen@…> wrote:``, an Outlook or Thunderbird separator and its
        header lines, or ``>`` markers) and the later one is a mail message's own text
        under its own headers: the message whole, headers and all, or text of it.

        An archive sorted newest first (an mbox export, a mail thread saved as text)
        lists a reply, quoting the original, before the original itself. The quotation
        is kept on purpose and the message is a message: neither is a paste of the
        other, in either order (the quotation after its original is :meth:`_quoted`).
        A message whose headers an earlier message outside every quotation has too is
        that message again, and still a copy.
        """
        if not (
            self._quoted(earlier[0]) and self._quoted(max(earlier[0], earlier[1] - 1))
        ) or self._quoted(later[0]):
            return False
        units = self._messages
        i = bisect.bisect_right(units.starts, later[0]) - 1
        if i < 0 or not units.mails[i] or units.starts[i] < earlier[1]:
            return False
        if i + 1 < len(units.starts) and units.starts[i + 1] < later[1]:
            return False
        # (With keep="last" the quotation is the copy the run cuts: it stays whatever
        # the message is.)
        return self.config.keep == "last" or self._first_messages.get(units.keys[i]) == i

    @functools.cached_property
    def _first_messages(self) -> dict[str, int]:
        """Each mail header block's first message outside every mail quotation (a
        header block quoted under an Outlook separator is no message of its own)."""
        units = self._messages
        first: dict[str, int] = {}
        for i, (start, key) in enumerate(zip(units.starts, units.keys, strict=True)):
            if units.mails[i] and key not in first and not self._quoted(start):
                first[key] = i
        return first

    @functools.cached_property
    def _summary_boxes(self) -> list[tuple[int, int]]:
        """The summary boxes of the source, sorted ranges of their text."""
        return summary_boxes(self.source)

    def _summary_box_copy(self, later: tuple[int, int], earlier: tuple[int, int]) -> bool:
        """Whether one of the two copies stands in a summary box and the other does not
        (:func:`textdedup.structure.summary_boxes`).

        ``Key points`` bullets repeat the article's lead, a ``**TL;DR:**`` repeats the
        ``## Conclusion``, a standfirst repeats the first paragraph: the page says
        its point twice on purpose, and a reader skips the box, not the article. A
        copy inside the box itself is still a copy, and so is a page pasted again
        whole (its copy holds the box and more).
        """
        boxes = self._summary_boxes
        if not boxes:
            return False
        src = self.source

        def in_box(start: int, end: int) -> bool:
            # (Spaces at a copy's edges are no part of it.)
            while start < end and src[start].isspace():
                start += 1
            while end > start and src[end - 1].isspace():
                end -= 1
            k = bisect.bisect_right(boxes, (start, len(src))) - 1
            return any(a <= start and end <= b for a, b in boxes[max(k - 2, 0) : k + 1])

        return in_box(*later) != in_box(*earlier)

    @functools.cached_property
    def _heading_levels(self) -> tuple[list[int], list[int], list[int]]:
        """The line starts of the headings that have a level, their levels, and each
        one's parent (the nearest heading before it of a higher level; -1 for none)."""
        levels = heading_levels(self.source)
        parents: list[int] = []
        stack: list[int] = []  # headings whose levels rise from bottom to top
        values = list(levels.values())
        for k, level in enumerate(values):
            while stack and values[stack[-1]] >= level:
                stack.pop()
            parents.append(stack[-1] if stack else -1)
            stack.append(k)
        return list(levels), values, parents

    def _subsection_of_other_parent(self, later: tuple[int, int], earlier: tuple[int, int]) -> bool:
        """Whether each copy opens a sub-section under the same sub-heading (in the copy,
        or right above it), and the headings above the two (the parents, each level up)
        differ.

        A generic sub-heading (``#### Errors``, ``### For the glaze``, ``Parameters``
        over an underline, Javadoc's ``<dt>Throws:</dt>``) names its section only with
        its parent: ``## POST /v2/refunds`` with the same error table as ``## POST
        /v2/orders``, the orange loaf with the same glaze as the lemon loaf, ``<h3>
        deleteUser</h3>`` with the same exceptions as ``<h3>getUser</h3>``. The same
        sub-section pasted again under the same parent (the last endpoint's errors
        appended again) is a copy. The parents are headings with a level (Markdown,
        HTML, underlined titles); a sub-heading without one (:meth:`_title`'s heading
        lines) sits one level under the nearest of them.
        """
        starts, levels, up = self._heading_levels
        if len(starts) < 2:
            return False  # a parent for each copy at least
        src = self.source
        heads = []
        for start, end in (later, earlier):
            t = self._sub_heading(start, end)
            if t is None:
                return False
            line = src.rfind("\n", 0, self.blocks[t].start) + 1
            h = bisect.bisect_right(starts, line) - 1
            if h < 0:
                return False
            leveled = starts[h] == line
            # The copy stays in its sub-section: no heading of its level or above (of
            # any level, under a sub-heading without one) starts inside it.
            inside = range(h + 1, bisect.bisect_left(starts, end))
            if any(not leveled or levels[m] <= levels[h] for m in inside):
                return False
            parents = []
            m = up[h] if leveled else h
            while m >= 0:
                parents.append(identity_key(src[starts[m] : _line_end(src, starts[m])]))
                m = up[m]
            if not parents:
                return False
            heads.append((t, identity_key(src[line : _line_end(src, line)]), parents))
        (t1, key1, parents1), (t2, key2, parents2) = heads
        return t1 != t2 and key1 == key2 and parents1 != parents2

    def _sub_heading(self, start: int, end: int) -> int | None:
        """The block that heads the copy ``source[start:end]``: its first block when that
        opens with a heading line (or its second, when the first is only markup: ``<dl
        class="notes">`` over ``<dt>Throws:</dt>``), or the heading right above it; else
        ``None``. The copy starts where its block does (markup aside)."""
        src, blocks = self.source, self.blocks
        i = bisect.bisect_right(self._block_ends, start)
        if i >= len(blocks) or _GAP.fullmatch(src, min(blocks[i].start, start), start) is None:
            return None

        starts = self._heading_levels[0]

        def heading(k: int) -> bool:
            b = blocks[k]
            line = src.rfind("\n", 0, b.start) + 1
            h = bisect.bisect_left(starts, line)
            return (
                (h < len(starts) and starts[h] == line)
                or k in self._plain_titles
                or _HEADING.fullmatch(src, b.start, _line_end(src, b.start)) is not None
            )

        if heading(i):
            return i
        if (
            i + 1 < len(blocks)
            and blocks[i + 1].end <= end
            and not _has_own_text(src, blocks[i].start, blocks[i].end)
            and heading(i + 1)
        ):
            return i + 1
        return i - 1 if i > 0 and heading(i - 1) else None

    def _chorus(
        self, first: int | None, last: int | None, kfirst: int | None, klast: int | None
    ) -> bool:
        """Whether blocks first..last, repeating kfirst..klast elsewhere, are a chorus:
        verse (:func:`_verse`) sung again between two other stanzas, with more of the
        song after the later copy.

        A song sings its chorus, one stanza or several, after each verse; a run of
        stanzas found twice with other verses around each copy is that chorus, however
        long (a two-stanza chorus is 50 words or more). Stanzas pasted again at the end
        of a song (nothing after them) are still a copy, as are stanzas right after
        their original (a stutter, decided before this).
        """
        if first is None or last is None or kfirst is None or klast is None:
            return False
        blocks = self.blocks
        if self._only_layout(blocks[max(last, klast)].end, len(self.source)):
            return False
        return _verse(self.source[blocks[first].start : blocks[last].end])

    def _section_at(self, start: int) -> str:
        """The section number (two levels or more) a copy at ``start`` opens with, or
        that opens its line right before it; else ``""``."""
        m = _SECTION.match(self.source, start, _line_end(self.source, start))
        if m is None:
            m = _SECTION.fullmatch(self._clause_number(start) + " ")
        return m.group(1) if m is not None else ""

    def _same_clause(self, first: int | None, kfirst: int | None) -> bool:
        """Whether blocks ``first`` and ``kfirst`` open with the same section number.

        A section number of two levels or more (``3.1``, ``4.2.1``) names one clause of
        a document: a contract repeats a clause under another number (``1.9`` and
        ``2.9``, kept as structure), never under the same one, so a clause repeated
        with its own number is a paste. One level (``1.``, ``3)``) is also how a list
        counts its items, which lists repeat. The same for a config file's section
        header with its keys (``[cache]``, :data:`_INI_SECTION`).
        """
        if first is None or kfirst is None or first == kfirst:
            return False
        src = self.source
        at, kat = self.blocks[first].start, self.blocks[kfirst].start
        a = _SECTION.match(src, at, _line_end(src, at))
        if a is not None:
            b = _SECTION.match(src, kat, _line_end(src, kat))
            if b is not None and a.group(1) == b.group(1):
                return True
        # A config file's section under the same header ("[cache]" and its keys): a
        # file names each section once, so the same section again is a paste.
        c = _INI_SECTION.match(src, at, at + _INI_REACH)
        d = _INI_SECTION.match(src, kat, kat + _INI_REACH)
        return (
            c is not None
            and d is not None
            and c["name"].strip() == d["name"].strip()
            and self._one_config(c["name"].strip())
        )

    def _section_of_lines(self, run: list[int], keeper: np.ndarray) -> bool:
        """Whether the run of short blocks ``run`` is a config file's section, its
        ``[name]`` header line and key lines, repeating the same section (see
        :meth:`_same_clause`): in ``--blocks line`` (or a file without blank lines)
        each line is a block too short to count, but the section is one copy, as the
        whole section is one block in paragraph mode.
        """
        return self.mode == "line" and self._same_clause(run[0], int(keeper[run[0]]))

    def _one_config(self, name: str) -> bool:
        """Whether the source reads as one config file: no section header but ``name``
        occurs twice. Two unit files one after the other each have their ``[Unit]``
        and ``[Install]``: there a section found again is the next file's own."""
        return all(n == name or k == 1 for n, k in self._ini_names.items())

    @functools.cached_property
    def _ini_names(self) -> Counter[str]:
        """How often each config section header (``[name]`` on a line of its own)
        occurs in the source."""
        return Counter(m.group(1).strip() for m in _INI_HEADER_LINE.finditer(self.source))

    def _events(
        self, first: int | None, last: int | None, kfirst: int | None, klast: int | None
    ) -> bool:
        """Whether blocks first..last repeat one line, kfirst..klast, again and again,
        as a list, a program or a log does (see :meth:`_one_line_again`)."""
        if first is None or last is None or kfirst is None or klast is None:
            return False
        blocks = self.blocks
        run = [*range(first, last + 1), *range(kfirst, klast + 1)]
        return self._one_line_again([(blocks[i].start, blocks[i].end) for i in run])

    def _structured_run(
        self, first: int | None, last: int | None, kfirst: int | None, klast: int | None
    ) -> bool:
        """:meth:`_in_structure` for blocks first..last repeating kfirst..klast."""
        if first is None or last is None or kfirst is None or klast is None:
            return False
        blocks = self.blocks
        return self._in_structure(
            (blocks[first].start, blocks[last].end), (blocks[kfirst].start, blocks[klast].end)
        )

    def _in_structure(self, copy: tuple[int, int], twin: tuple[int, int]) -> bool:
        """Whether two copies of whole lines are structure by their shape
        (:mod:`textdedup.outline`): each the body of another section (a play for other
        hosts, ``production:`` and ``staging:``, another ``server {}``, a log event at
        another time), or one record of a list repeated (two equal items of a JSON
        array, ``<Line>`` elements, YAML list entries, CSV records with a field that
        spans lines). A count or a section's own text, not a paste, however long."""
        if self.config.isolated == "remove":
            return False
        return outline.other_sections(self.source, copy, twin) or outline.one_record(
            self.source, copy, twin
        )

    def _one_line_again(self, ranges: list[tuple[int, int]]) -> bool:
        """Whether the source text in ``ranges`` is whole lines, all one line repeated,
        that is short (under ``min_span`` words) or records an event.

        One line, not a sentence, repeated as itself among lines (no blank line
        between the copies) is the unit of a list, a program, a form or a log: a
        statement run three times (``queue.pop()``), a receipt's line for each item
        bought, a form's line for each child, a ping's reply for each packet, a sung
        line ending with a comma; and so is a log line for each event (one that opens
        with a time of day or a log level, :data:`_EVENT`, at any length, sentence or
        not). Merging them loses the count, so they are kept and reported as isolated
        repeats, however often they repeat. Pastes are still: a sentence (a line that
        ends with a full stop, ``!``, ``?`` or ``…``: prose does not say a sentence
        twice in a row), a paragraph, a line of ``min_span`` words or more (a
        paragraph written on one line), and a stretch of several different lines (a
        log pasted again).
        """
        src = self.source
        line: str | None = None
        ranges = sorted(ranges)
        lo, hi = ranges[0][0], max(end for _, end in ranges)
        if _BLANK_LINE.search(src, lo, hi):
            return False  # paragraphs: a paragraph repeated directly is a paste
        for start, end in ranges:
            lo, hi = src.rfind("\n", 0, start) + 1, _line_end(src, end)
            if src[lo:start].strip() or src[end:hi].strip():
                return False
            for text in src[start:end].split("\n"):
                key = identity_key(text)
                if not key:
                    continue
                if line is None:
                    line = key
                elif key != line:
                    return False
        if line is None:
            return False
        if _ROW_OR_TASK.match(line):
            # A table row of three cells or more, or a Markdown task, names its own
            # record or task: the same one twice in a row was scraped or pasted twice.
            return False
        return _EVENT.match(line) is not None or (
            _SENTENCE_LINE.search(line) is None
            and _amount(line, 0, len(line), limit=self.config.min_span) < self.config.min_span
        )

    def _same_blocks(self, later: tuple[int, int], earlier: tuple[int, int]) -> int:
        """How many blocks two copies are made of, when they are whole blocks block for
        block (as many blocks, of as many words give or take an edit); else 0."""
        first, last = self._whole_blocks(*later)
        kfirst, klast = self._whole_blocks(*earlier)
        if first is None or last is None or kfirst is None or klast is None:
            return 0
        if last - first != klast - kfirst:
            return 0
        for i, k in zip(range(first, last + 1), range(kfirst, klast + 1), strict=True):
            (wi, oi), (wk, ok) = self._block_words(i), self._block_words(k)
            if abs(wi - wk) > 2 or oi != ok:
                return 0
        return last - first + 1

    def _block_words(self, i: int) -> tuple[int, bool]:
        """Words of a block after its markup or clause number, and whether it has one.

        A numbered clause and the same text without a number are not the same block:
        the number is what makes the clause a clause, and a paste does not carry it.
        """
        # A block is compared with each of its copies' blocks in turn: counted once.
        words = self._block_words_cache.get(i)
        if words is None:
            b = self.blocks[i]
            opened = _opened(self.source, b.start, b.end)
            words = self._block_words_cache[i] = (
                word_count(self.source, opened, b.end),
                opened > b.start,
            )
        return words

    def _whole_blocks(self, start: int, end: int) -> tuple[int | None, int | None]:
        """As :meth:`_aligned`, with the markup or numbering around the span left aside."""
        src = self.source
        line_start = src.rfind("\n", 0, start) + 1
        line_end = src.find("\n", end)
        line_end = len(src) if line_end < 0 else line_end
        if _OPENERS.fullmatch(src, line_start, start):
            start = line_start
        if _CLOSE_TAIL.fullmatch(src, end, line_end):
            end = line_end
        return self._aligned(start, end)

    def _block_cut(self, first: int, last: int) -> tuple[int, int]:
        """The text to cut for blocks first..last: the blocks and the space after them.

        A block is stripped of its indentation, so the cut runs from the start of the
        first block's line (when only indentation comes before it there) to the start
        of the next block's line (likewise): the next block keeps its own indentation,
        and the first block's is not left in front of it (in YAML or a nested list,
        an indentation is structure: ``  db:`` must not become ``    db:``).
        """
        src = self.source
        start = self.blocks[first].start
        line = src.rfind("\n", 0, start) + 1
        if src[line:start].isspace():
            start = line
        nxt = last + 1
        stop = self.blocks[last].end
        if (line < start and not src[line:start].isspace()) and (
            nxt >= len(self.blocks) or "\n" in src[stop : self.blocks[nxt].start]
        ):
            # Blocks that start inside a line (sentences): when a line break follows
            # them, or the text ends, the cut takes the spaces before them and leaves
            # the break (a paragraph's end, the next bullet, the final newline).
            while start > line and src[start - 1] in " \t":
                start -= 1
            return start, stop
        if nxt >= len(self.blocks):
            return start, max(stop, len(src))
        end = self.blocks[nxt].start
        line = src.rfind("\n", 0, end) + 1
        if line > start and src[line:end].isspace():
            end = line
        if (
            first > 0
            and _BLANK_LINE.search(src, stop, end)
            and not _BLANK_LINE.search(src, self.blocks[first - 1].end, start + 1)
        ):
            # Lines glued to the text before them and apart from the text after them
            # (a list pasted right after itself, then a blank line and a paragraph):
            # the cut ends with their last line and leaves the blank line, or the
            # paragraph would join the list (a lazy continuation of its last item).
            end = src.find("\n", stop, end) + 1
        return start, end

    def _quoted(self, start: int) -> bool:
        """Whether the line holding ``start`` is a line of a quotation.

        It opens with ``>`` or with an attribution followed on the same line by the
        quoted text (``Quote from ana: ...``, ``ana wrote: ...``), or the line right
        above it is an attribution of its own (``ana wrote:``, ``On Tue, ana
        wrote:``, ``Quote from ana:``, ``ana said:``), the quoted text below it.

        A reply that quotes an earlier post says whom it answers: the quotation is
        not a pasted copy, and cutting it (or part of it) would change the reply.
        """
        src = self.source
        line = src.rfind("\n", 0, start) + 1
        if _QUOTE_LINE.match(src, line) is not None:
            return True
        if self._quotations:
            k = bisect.bisect_right(self._quotations, (start, len(src))) - 1
            if k >= 0 and self._quotations[k][0] <= start < self._quotations[k][1]:
                return True
        # Only the line right above: "cal wrote:" heading a post whose own text comes
        # first and a paste after it is a post header, not a quotation's attribution.
        if line == 0:
            return False
        above = src.rfind("\n", 0, line - 1) + 1
        attribution = _ATTRIBUTION_LINE.match(src, above, line - 1)
        if attribution is None:
            return False
        if attribution.group("post") is None:
            return True
        # "ana wrote:" is a quotation's attribution when it stands under another header
        # ("pete wrote:" / "ana wrote:" / the quoted text), or when the span starts
        # with the attribution it repeats.
        end = src.find("\n", line)
        top = src.rfind("\n", 0, max(above - 1, 0)) + 1
        return (above > 0 and _COLON_LINE.match(src, top, above - 1) is not None) or (
            _ATTRIBUTION_LINE.match(src, line, len(src) if end < 0 else end) is not None
        )

    @functools.cached_property
    def _quotations(self) -> list[tuple[int, int]]:
        """The mail quotations of the source, sorted ``(start, end)`` ranges.

        A quotation opens with an attribution line that names a date, time or address
        (``On Tue, 10 Mar 2026 at 16:12, Lena <lena@example.de> wrote:``), or with a
        separator line with mail header lines under it (``-----Original Message-----``
        + ``From:``/``Sent:``/``To:``/``Subject:``, ``---------- Forwarded message
        ---------`` + ``From:``/``Date:``…), and runs to the next message of an archive
        (a blank line, then two header lines) or the end. A mail quoted under such an
        opener without ``>`` markers (an HTML mail an archive rendered as text) is the
        reply's quotation of its whole: cutting it, or all of it after its first block,
        would leave an attribution or a header with a truncated or empty body.
        """
        src = self.source
        openers = []
        lines = {
            src.rfind("\n", 0, m.start()) + 1 for hint in _OPENER_HINTS for m in hint.finditer(src)
        }
        for line in sorted(lines):
            end = _line_end(src, line)
            m = _MAIL_ATTRIBUTION.match(src, line, end) or _MAIL_SEPARATOR.match(src, line)
            if m is not None:
                openers.append(m)
        if not openers:
            return []
        # Where messages start, found once: a search from each opener would read the
        # rest of the text per opener.
        starts = [m.start() for m in _NEXT_MESSAGE.finditer(src)]
        found = []
        for m in openers:
            body = m.end()
            headers = _MAIL_HEADERS.match(src, body)
            if headers is not None and m.re is _MAIL_SEPARATOR:
                body = headers.end()
            k = bisect.bisect_left(starts, body)
            found.append((m.start(), starts[k] if k < len(starts) else len(src)))
        return sorted(found)

    @functools.cached_property
    def _quote_blocks(self) -> list[tuple[int, int]]:
        """The quote blocks of forum, tracker and HTML markup, sorted ``(start, end)``
        ranges from the opening mark's start to the closing mark's end:
        ``[quote="ana"]…[/quote]`` (BBCode, Discourse, vBulletin), ``{quote}…{quote}``
        (Jira), ``<blockquote>…</blockquote>`` (HTML)."""
        src = self.source
        if "quote" not in src and "QUOTE" not in src:
            return []
        found = []
        for opener, closer in _QUOTE_BLOCK_MARKUP:
            depth, start = 0, 0
            marks = [(m.start(), m.end(), 1) for m in opener.finditer(src)]
            if closer is not opener:
                marks = sorted(marks + [(m.start(), m.end(), -1) for m in closer.finditer(src)])
            for a, b, step in marks:
                if closer is opener:  # the same mark opens and closes ({quote})
                    step = 1 if depth == 0 else -1
                if step == 1:
                    if depth == 0:
                        start = a
                    depth += 1
                elif depth > 0:
                    depth -= 1
                    if depth == 0:
                        found.append((start, b))
        return sorted(found)

    def _one_in_quote_block(self, copy: tuple[int, int], twin: tuple[int, int]) -> bool:
        """Whether exactly one of two copies lies inside a quote block
        (:attr:`_quote_blocks`): a reply quoting a post whole, which is kept as a ``>``
        quotation is. Both inside one (a quote block pasted twice) is a paste."""
        blocks = self._quote_blocks
        if not blocks:
            return False

        def inside(span: tuple[int, int]) -> bool:
            # By the copy's middle: its edges may take the block's markup or not.
            mid = (span[0] + span[1]) // 2
            k = bisect.bisect_right(blocks, (mid, len(self.source))) - 1
            return k >= 0 and blocks[k][0] <= mid < blocks[k][1]

        return inside(copy) != inside(twin)

    def _in_other_elements(self, first: int, kfirst: int) -> bool:
        """Whether the blocks right before blocks ``first`` and ``kfirst`` are lines of
        opening tags whose attribute values differ (:meth:`_same_attributes`): two
        product cards, ``<div data-sku="LMP-4410-BRS">`` and ``<div
        data-sku="LMP-4410-BLK">``, with the same title and text are two products, and
        a cut of the second's content would leave its ``<div>`` empty and open."""
        if first < 1 or kfirst < 1:
            return False
        src = self.source
        a, b = self.blocks[first - 1], self.blocks[kfirst - 1]
        if not (
            _OPEN_TAGS_LINE.fullmatch(src, a.start, a.end)
            and _OPEN_TAGS_LINE.fullmatch(src, b.start, b.end)
        ):
            return False
        va, vb = _attribute_values(a.text), _attribute_values(b.text)
        return bool(va) and bool(vb) and va != vb

    def _signature(self, first: int, kfirst: int) -> bool:
        """Whether blocks ``first`` and ``kfirst`` each open with a mail's signature
        delimiter (``-- `` on a line of its own): the sender's signature (and the
        disclaimer after it) closing two messages of one thread, each its own."""
        src = self.source
        return all(
            _SIGNATURE.match(src, self.blocks[i].start, self.blocks[i].end) is not None
            for i in (first, kfirst)
        )

    def _teaser(self, span: _Span) -> bool:
        """Whether the later copy of ``span`` is an excerpt cut off with an ellipsis: the
        rest of its line is the start of the text after the earlier copy, then ``…``.

        A "Most read" box repeats an article's title and first sentences, truncated
        (``… in Port Glasgow. Design changes, the…``): a site's teaser of the article,
        kept whole. Cutting the whole sentences it repeats would leave the headless
        fragment (``Design changes, the…``).
        """
        src = self.source
        end = span.shown[1]
        m = _ELLIPSIS_END.fullmatch(src, end, _line_end(src, end))
        if m is None:
            return False
        return self._goes_on_with(span.earlier[1], m["fragment"].split())

    def _goes_on_with(self, pos: int, fragment: list[str]) -> bool:
        """Whether the text from ``pos`` on goes on with the words ``fragment`` (its last
        word possibly cut short: "the yar…"), block after block, passing over up to
        ``_CHAIN_GAP`` short blocks (under ``_CHAIN_GAP_WORDS`` words: a photo caption,
        an ad line) that a teaser leaves out, as :meth:`_chained_runs` does."""
        src = self.source
        n = len(fragment)
        k = bisect.bisect_right(self._block_ends, pos)
        pieces = [src[pos : self.blocks[k].end if k < len(self.blocks) else len(src)]]
        pieces += [self.blocks[i].text for i in range(k + 1, min(k + 2 * n + 3, len(self.blocks)))]
        i = skipped = 0
        for piece in pieces:
            words = piece.split()
            if not words:
                continue
            j = 0
            while j < len(words) and i + j < n - 1 and words[j] == fragment[i + j]:
                j += 1
            if i + j == n - 1 and j < len(words) and words[j].startswith(fragment[-1]):
                return True
            if j == len(words):
                i += j  # the whole block, and the fragment goes on
                continue
            if j > 0 or skipped == _CHAIN_GAP or len(words) >= _CHAIN_GAP_WORDS:
                return False
            skipped += 1
        return False

    def _table_cells(self, span: _Span) -> bool:
        """Whether both copies of ``span`` are whole cells of Markdown table rows
        (``| Mon | S | S |``): two columns with the same entry, the table's structure;
        a cut would leave an empty cell."""
        src = self.source
        if any(_CELL_END.match(src, b) is None for _, b in (span.text, span.earlier)):
            return False
        for a, b in (span.text, span.earlier):
            line = src.rfind("\n", 0, a) + 1
            if (
                _TABLE_ROW.match(src, line) is None
                or _CELL_START.fullmatch(src, line, a) is None
                or _CELL_END.match(src, b) is None
            ):
                return False
        return True

    def _signature_span(self, span: _Span) -> bool:
        """Whether both copies of ``span`` are whole blocks that open with a mail's
        signature delimiter (see :meth:`_signature`)."""
        first, _ = self._whole_blocks(*span.shown)
        kfirst, _ = self._whole_blocks(*span.earlier)
        return first is not None and kfirst is not None and self._signature(first, kfirst)

    def _quoted_span(self, start: int, end: int) -> bool:
        """Whether ``source[start:end]`` is (part of) a quotation.

        On a quotation line (:meth:`_quoted`), or inside quotation marks: the line
        before it leaves a quotation open, or it holds half a pair of them
        (``As ana said, "the copy ... here" - my answer``). Cutting it would change
        what the reply quotes, or leave a dangling quote mark. Brackets the same way:
        the line before it leaves a ``(``, ``[`` or ``{`` open, or it holds half a pair
        (``…disruption (see the earlier report: the copy) and said…``): the cut would
        leave a dangling bracket in a sentence that goes on.
        """
        if self._quoted(start):
            return True
        src = self.source
        line = src.rfind("\n", 0, start) + 1
        inside = src[start:end]
        if _open_quotes(inside) or _open_brackets(inside):
            return True
        if start - line <= _LONG_LINE:
            before = src[line:start]
            return bool(_open_quotes(before) or _open_brackets(before) > 0)
        # A long line (a text on one line, a JSON string): the marks before the span
        # are counted from where they stand, not by reading the line again per span.
        marks = self._quote_marks

        def count(mark: str) -> int:
            at = marks[mark]
            return bisect.bisect_left(at, start) - bisect.bisect_left(at, line)

        return bool(_quotes_left_open(count) or _brackets_left_open(count) > 0)

    @functools.cached_property
    def _quote_marks(self) -> dict[str, list[int]]:
        """The offsets (increasing) of each quotation mark and bracket that
        :func:`_open_quotes` and :func:`_open_brackets` count, in the source."""
        marks: dict[str, list[int]] = {m: [] for m in _QUOTE_MARK_CHARS}
        for m in _QUOTE_MARK.finditer(self.source):
            marks[m.group()].append(m.start())
        return marks

    def _only_layout(self, lo: int, hi: int) -> bool:
        """Whether ``source[lo:hi]`` holds only whitespace, markup, or text already cut."""
        pos = lo
        cuts = self._span_cuts
        if len(cuts) != len(self.cuts):
            cuts = sorted(self.cuts)  # cuts made outside the span stage: no bisection
            k = 0
        else:
            # The span stage's cuts do not overlap, so sorted by start their ends are in
            # order too: the first one that ends after lo is found by bisection.
            k = bisect.bisect_right(cuts, lo, key=lambda c: c[1])
        for a, b in itertools.islice(cuts, k, None):
            if a >= hi:
                break
            if b <= pos:
                continue
            if a > pos and not _GAP.fullmatch(self.source, pos, a):
                return False
            pos = max(pos, b)
        return pos >= hi or self._gap(pos, hi)

    def _gap(self, lo: int, hi: int) -> bool:
        """Whether ``source[lo:hi]`` is layout only: whitespace and markup (``_GAP``), or
        one separator between items of a line (``_SEPARATOR_GAP``: " ▶ ", " | ", " · ",
        " / ", " » ", " — "), unless the line is a table row, whose cells ``|``
        separates: two equal cells side by side are two columns."""
        src = self.source
        if _GAP.fullmatch(src, lo, hi) is not None:
            return True
        m = _SEPARATOR_GAP.fullmatch(src, lo, hi)
        if m is None:
            return False
        line = src.rfind("\n", 0, lo) + 1
        return not (m["sep"] == "|" and _TABLE_ROW.match(src, line, _line_end(src, line)))

    # -- stage 2: spans ----------------------------------------------------------------
    def _spans(self) -> None:
        cfg = self.config
        src = self.source
        threshold = cfg.threshold if cfg.near else 1.0
        found: list[_Span] = []
        to_cut: list[_Span] = []  # found[k] as the keep policy cuts it
        repeats = _find_repeats(src, cfg) if self._repeats is None else self._repeats
        # A chained repeat whose copies fail verification is tried again as its exact
        # pieces: a bridged gap may hold other facts (a header line with another
        # name between two pasted sentences), the pieces are copies all the same.
        k = 0
        while k < len(repeats):
            rep = repeats[k]
            k += 1
            ls, le, es, ee = self._widen(rep.start, rep.end, rep.source_start, rep.source_end)
            overlapped = False
            # A copy that directly follows its original (or overlaps it: the text
            # repeats with a period, "spam spam spam") may start inside a sentence:
            # what stays before the cut is the same text. Any other must start at a
            # sentence, line or block start, so a quotation is never cut out.
            if ls < ee < ls + (ls - es) // 2:
                # Copies that overlap by a few characters only (a word the first
                # copy ends with starts the second): not a period, the copy follows.
                # When the overlap is words (a refrain after a pasted verse), both
                # copies lose it, so they stay the same text: the later one does not
                # take what follows the earlier's end; and as the copies' edges are
                # then a guess, the cut starts at a sentence, line or block start.
                if word_count(src, ls, ee, limit=3) >= 3:
                    le -= ee - ls
                    overlapped = True
                # The overlap may instead be words the text before the earlier copy
                # ends with as the copy does (a headline ending with the body's last
                # word): the copies are then a word later, the overlap the earlier's
                # end. Of the two alignments, the one whose copies snap to whole
                # sentences losing fewer words is taken.
                shift = ee - ls
                later_b = (ee, le + shift if overlapped else le)
                earlier_b = (es + shift, ee)
                loose_b = not overlapped
                if self._snap_loss(later_b, earlier_b, loose_b) < self._snap_loss(
                    (ls, le), (es, ls), loose_b
                ):
                    (ls, le), es = later_b, earlier_b[0]
                else:
                    ee = ls
            stutter = ee > ls or self._only_layout(ee, ls)
            if stutter and not overlapped and ee <= ls:
                ls, le, es, ee = self._rotate(ls, le, es, ee)
            loose = stutter and not overlapped
            later = self._snap(ls, le, loose=loose)
            earlier: tuple[int, int] | None
            if (ee > ls or (ee == ls and _UNSPACED_SEAM.match(src, ls - 1))) and later is not None:
                # (A copy glued to its original in a script without spaces or full
                # stops, Thai: the seam is the only place the first copy can end.)
                later, earlier = self._periods(es, ls - es, later[1])
            else:
                earlier = self._snap(es, ee, loose=loose)
                if later is not None and earlier is not None:
                    later, earlier = self._finish_sentence(later, earlier, le, ee, threshold)
                if (
                    later is not None
                    and earlier is not None
                    and later[0] > ls
                    and earlier[0] <= es
                    and _LABEL_BEFORE.match(src, src.rfind("\n", 0, ls) + 1, ls)
                ):
                    # A copy pasted after a short label that opens its line ("Read
                    # more: S1 S2") starts where the label ends, as its original
                    # starts a sentence: the copy's first sentence is no quotation.
                    later = self._snap(ls, le, loose=True) or later
                if later is not None and earlier is not None:
                    later, earlier = self._align((ls, le), later, (es, ee), earlier)
                if later is not None and earlier is not None:
                    later, earlier = self._drop_other_clauses(later, earlier)
                if later is not None and earlier is not None:
                    later, earlier = self._same_tails(later, earlier)
                if later is not None and earlier is not None and stutter:
                    later, earlier = self._tags_first(later, earlier)
                if later is not None and earlier is not None:
                    later, earlier = self._open_end(*later), self._open_end(*earlier)
                    later, earlier = self._bbcode_closed(*later), self._bbcode_closed(*earlier)
                if later is not None and earlier is not None:
                    later, earlier = self._with_same_tail(later, earlier)
            if later is None or earlier is None or earlier[0] >= later[0]:
                repeats += rep.split()
                continue
            if not stutter and earlier[1] <= later[0]:
                # The finder names a copy's earliest copy; another may stand right
                # before it (a refrain sung twice in a row, "R R", after other Rs):
                # then the copy follows its original, a stutter.
                before = self._copy_before(*later)
                if before is not None:
                    earlier, stutter = before, True
            after_refrain = False
            if earlier[1] <= later[0]:
                # A refrain does not start a copy, not even one that follows its
                # original: "v2 R v3 R v4 R" with "v3 R v4" pasted at the end reads as
                # "R v3 R v4" twice, and cutting that would take the song's last R.
                # Without its leading refrain the copy follows its original with only
                # that refrain between: still a stutter.
                dropped = self._drop_leading_refrains(later, earlier, refrains_only=stutter)
                after_refrain = stutter and dropped[0] != later
                later, earlier = dropped
            # A copy glued right after its original (only layout between) is a
            # stutter at three fifths of min_span; any other needs min_span.
            need = (
                _stutter_span(cfg)
                if stutter or (earlier[1] <= later[0] and self._only_layout(earlier[1], later[0]))
                else cfg.min_span
            )
            if _amount(src, *later, limit=need) < need:
                continue
            c = compare(self._inner(*later), self._inner(*earlier))
            if not c.near(threshold, passages=False) or (earlier[1] > later[0] and not c.exact):
                repeats += rep.split()
                continue
            # The rules below judge the copies in the order of the text (a quotation, a
            # teaser or a signature is the later copy, whichever copy the user keeps);
            # the keep policy only says which copy a removal cuts.
            span = self._span(later, earlier, c, after_refrain=after_refrain)
            cut_span = span
            if cfg.keep == "last" and earlier[1] <= later[0]:
                # Overlapping copies (X X X) keep their first period whatever the policy:
                # the later ones are made of it.
                cut_span = self._span(earlier, later, c, after_refrain=after_refrain)
            if not (self._same_attributes(span) and self._same_attributes(cut_span)):
                continue
            found.append(span)
            to_cut.append(cut_span)
        # Stutters first (a copy right after its original), then the other repeats,
        # counting only the copies still there: a refrain found three times is two
        # repeats that share a copy.
        done = [False] * len(found)
        # One line repeated again and again (a statement, an item, an event) is a
        # count, not a paste.
        events = [
            cfg.isolated == "keep"
            and (
                self._one_line_again([span.shown, span.earlier])
                or self._in_structure(span.text, span.earlier)
            )
            for span in found
        ]
        # (So are a message's own text, a summary box, a sub-section under another parent.)
        events = [
            e or (cfg.isolated == "keep" and self._own_structure(s.shown, s.earlier))
            for e, s in zip(events, found, strict=True)
        ]
        sung = [False] * len(found)
        for k, span in enumerate(found):
            # Between the copies, only layout: a clause number ("2.9 ") is not, as
            # the number makes the repeat a clause of its own. A refrain sung twice
            # in a row is the song's.
            a, b = sorted((span.earlier, span.text))
            if cfg.isolated == "remove":
                done[k] = self._take(to_cut[k])
            elif (
                span.after_refrain
                or (
                    self._only_layout(a[1], b[0])
                    # (a pull quote: the copy opens a quotation element)
                    and not _QUOTATION_TAG.search(self.source, a[1], b[0])
                )
            ) and not events[k]:
                # Rows right after their twin that a song or a log repeats are kept
                # here and below (records right after their original are otherwise
                # taken below at any length), as in the run decisions.
                sung[k] = self._sung_again(
                    *self._whole_blocks(*span.shown), *self._whole_blocks(*span.earlier)
                )
                if not sung[k]:
                    done[k] = self._take(to_cut[k])
        # A quotation repeats on purpose, and says so: it is no evidence that the text
        # it quotes is a refrain, so it does not count as another occurrence.
        quoted = [
            self._quoted_span(*span.shown) or self._one_in_quote_block(span.shown, span.earlier)
            for span in found
        ]
        for k, span in enumerate(found):
            if done[k] or sung[k]:
                if sung[k]:
                    self.isolated.append(to_cut[k].removal)
                continue

            # Another repeat counts as another occurrence of this text when it holds
            # most of one of its copies: a clause repeated inside a pasted section
            # does not make the section a refrain.
            # (Asked last, as it looks at every other repeat.)
            def alone(k: int = k, span: _Span = span) -> bool:
                return not any(
                    m != k
                    and not done[m]
                    and not quoted[m]
                    and any(
                        2 * _overlap(x, y) >= y[1] - y[0]
                        for x in (other.shown, other.earlier)
                        for y in (span.shown, span.earlier)
                    )
                    for m, other in enumerate(found)
                )

            # A repeat of whole blocks, block for block (markup and clause numbers
            # aside), is judged as blocks: one block is structure, two or more need
            # min_copy words. A copy of part of a paragraph, or across other line
            # wrapping, needs min_copy_span.
            blocks = self._same_blocks(span.shown, span.earlier)
            need = cfg.min_copy if blocks else cfg.min_copy_span
            sentences = 0 if blocks else self._sentences(*span.shown)
            if (
                blocks > 1
                and self.mode == "sentence"
                and self._inside_paragraph(span)
                and not self._paragraph_copies(span)
            ):
                # Sentence blocks are sentences: two of them inside a paragraph of other
                # text are a passage of two sentences, judged as in paragraph mode, not
                # as two paragraphs (a whole paragraph again is judged as blocks, and so
                # are copies that are whole paragraphs once grown over the same
                # sentences around them).
                sentences = self._sentences(*span.shown)
            if sentences >= 2:
                # Two sentences or more repeated in the same order inside different
                # paragraphs are a pasted passage (a clause a contract repeats is one
                # sentence): four fifths of min_copy_span suffice (20 words).
                need = 4 * cfg.min_copy_span // 5
                if self._shares_both(span, middle=True) or self._template_edge(span):
                    # Unless both copies stand in the middle of a paragraph, the
                    # document's own text before and after each: a clause that two
                    # clauses of a contract both hold. A paste lands at a paragraph's
                    # end or on its own, or copies the end of one. Nor when both
                    # close (or both open) their paragraphs after text of their own:
                    # two records of a template (two flats, two fixtures) that end
                    # with the same sentences.
                    need = _NEVER
            elif sentences == 1 and self._shares_both(span):
                # One sentence that shares a paragraph with other text at both places
                # (the liability clause closing two sections) is a clause the document
                # repeats, however long: structure.
                need = _NEVER
            if not blocks and self._list_items(span.shown) and self._list_items(span.earlier):
                # Items of a list found again in another list (two recipes that share
                # steps): the list's structure, like a repeated item. A list pasted
                # right after itself was a stutter above.
                need = _NEVER
            first, last = self._whole_blocks(*span.shown)
            if (
                blocks > 1
                and first is not None
                and last is not None
                and (
                    self._records(first, last, *self._whole_blocks(*span.earlier))
                    or self._closing_section(first, last, *self._whole_blocks(*span.earlier))
                )
            ):
                need = 0
            if (
                blocks > 1
                and first is not None
                and not self._only_layout(span.earlier[1], span.text[0])
                and self._chorus(first, last, *self._whole_blocks(*span.earlier))
            ):
                need = _NEVER  # a chorus of several stanzas sung again between verses
            # A clause that carries its section number ("3.1 ...") twice is one clause
            # pasted again: a document numbers each clause once.
            number = self._section_at(span.text[0])
            numbered = bool(number) and number == self._section_at(span.earlier[0])
            if (
                (numbered or (blocks != 1 and _amount(src, *span.text, limit=need) >= need))
                and not quoted[k]
                and not events[k]
                and not self._signature_span(span)
                and not self._teaser(span)
                and not self._table_cells(span)
                and not self._section_bodies(span)
                and not self._same_place_in_sections(
                    first, last, *self._whole_blocks(*span.earlier)
                )
                and not self._record_span_between_facts(span)
                and (numbered or alone())
            ):
                done[k] = self._take(to_cut[k])
            if not done[k]:
                self.isolated.append(to_cut[k].removal)

    def _inside_paragraph(self, span: _Span) -> bool:
        """Whether both copies of ``span`` lie inside one paragraph each, and either
        shares its paragraph with text before or after it (two sentences pasted at the
        end of another paragraph)."""
        src = self.source
        if any(_BLANK_LINE.search(src, a, b) for a, b in (span.shown, span.earlier)):
            return False  # a copy of more than one paragraph is judged as blocks
        for a, b in (span.shown, span.earlier):
            # Only the text next to each copy is read: up to a blank line, or the next
            # or previous word (a bounded look, not the whole paragraph).
            before = src[max(0, a - 200) : a].rsplit("\n\n", 1)[-1]
            after = src[b : b + 200].split("\n\n", 1)[0]
            if _CONTENT.search(before) or _CONTENT.search(after):
                return True
        return False

    def _paragraph_copies(self, span: _Span) -> bool:
        """In sentence mode, whether both copies of ``span`` (whole sentence blocks) are
        whole paragraphs once grown over the same sentences around them in their
        paragraphs: paragraph mode sees such copies as whole blocks, and so judges them.

        A copy's leading sentences may have been left out as another record's own
        (:meth:`_drop_leading_refrains`: the same description under two product titles,
        the same steps under two recipes); what is left of the paragraphs is no
        passage pasted inside other text, and paragraph mode keeps it as structure.
        """
        first, last = self._whole_blocks(*span.shown)  # (the later copy)
        kfirst, klast = self._whole_blocks(*span.earlier)
        if first is None or last is None or kfirst is None or klast is None:
            return False
        n, keys = len(self.blocks), self.ikeys
        # Back over the same sentences (the later copy not into the earlier one).
        a, b = first, kfirst
        while (
            a > 0
            and b > 0
            and not self._blank_between(a - 1)
            and not self._blank_between(b - 1)
            and keys[a - 1] == keys[b - 1]
            and a - 1 > klast
        ):
            a, b = a - 1, b - 1
        if not ((a == 0 or self._blank_between(a - 1)) and (b == 0 or self._blank_between(b - 1))):
            return False
        # On over the same sentences (the earlier copy not into the later one).
        c, d = last, klast
        while (
            c + 1 < n
            and d + 1 < n
            and not self._blank_between(c)
            and not self._blank_between(d)
            and keys[c + 1] == keys[d + 1]
            and d + 1 < a
        ):
            c, d = c + 1, d + 1
        return (c + 1 == n or self._blank_between(c)) and (d + 1 == n or self._blank_between(d))

    def _sung_again(
        self, first: int | None, last: int | None, kfirst: int | None, klast: int | None
    ) -> bool:
        """Whether blocks first..last, right after the same blocks kfirst..klast, are a
        refrain sung again: every block is found three times or more, and the row also
        stands elsewhere between two other blocks than those around this row of copies.
        "X A X A", then a verse, then "X A" opens a folk song; "A A A", a paragraph
        pasted twice after itself and nowhere else, is a stutter, and so is "E E" in a
        copy "A B E E C D" of "A B E C D"."""
        if first is None or last is None or kfirst is None or klast is None:
            return False
        n = last - first + 1
        keys, counts = self.ikeys, self.key_counts
        if klast - kfirst + 1 != n or keys[kfirst : klast + 1] != keys[first : last + 1]:
            return False
        if any(counts[keys[i]] < 3 for i in range(first, last + 1)):
            return False
        row = keys[first : last + 1]
        a, b = kfirst, last + 1
        while a - n >= 0 and keys[a - n : a] == row:
            a -= n
        while keys[b : b + n] == row:
            b += n
        if self._state_lines(kfirst, last) and all(
            any(not a <= p < b for p in self._positions[k]) for k in row
        ):
            # Lines that record states or events (each short, no sentence), every one
            # of them found outside this row of copies too: a link going up and down,
            # a switch flapping ("Link is Up", "Link is Down", up, down, ...). The log
            # says how often it happened; a pasted stretch of a log repeats lines that
            # occur only in its two copies.
            return True
        # Elsewhere between other blocks than the row's: a copy of the row's context
        # ("A B E C D" and "A B E E C D") is no refrain.
        around = (keys[a - 1] if a else None, keys[b] if b < len(keys) else None)
        for p in self._positions.get(row[0], ()):
            if a <= p < b or keys[p : p + n] != row:
                continue
            before = keys[p - 1] if p else None
            after = keys[p + n] if p + n < len(keys) else None
            if before != around[0] and after != around[1]:
                return True
        return False

    def _state_lines(self, lo: int, hi: int) -> bool:
        """Whether blocks lo..hi are lines among lines (no blank line between them), each
        a single line under ``min_span`` words that is no sentence (see
        :meth:`_one_line_again`)."""
        src, blocks = self.source, self.blocks
        if _BLANK_LINE.search(src, blocks[lo].start, blocks[hi].end):
            return False
        for i in range(lo, hi + 1):
            text = identity_key(src[blocks[i].start : blocks[i].end])
            if "\n" in text or _SENTENCE_LINE.search(text) is not None:
                return False
            if _amount(text, 0, len(text), limit=self.config.min_span) >= self.config.min_span:
                return False
        return True

    @functools.cached_property
    def _positions(self) -> dict[str, list[int]]:
        """The blocks of each identity key, in order."""
        out: dict[str, list[int]] = defaultdict(list)
        for i, k in enumerate(self.ikeys):
            out[k].append(i)
        return out

    def _refrain_heads(self, first: int, last: int) -> bool:
        """Whether blocks first..last, a copy right after its original, open with a
        refrain that does not also follow them.

        A refrain (a block found three times or more) at the head of such a copy
        closes the unique text before it and tells nothing of where the paste
        begins: "v3 R v4 R" with "v3 R v4" pasted at the end reads as "R v3 R v4"
        twice, and cutting that takes the song's last R. A copy made only of
        refrains ("R R", the refrain sung twice) is a stutter all the same; and when
        the refrain also follows the copy ("R v2 R v3" pasted right after itself,
        then the song's last R), the stretch goes on repeating and cutting the copy
        as found leaves that R, as cutting "v2 R v3 R" would.
        """
        keys, counts = self.ikeys, self.key_counts
        head = first
        while head <= last and counts[keys[head]] >= 3:
            head += 1
        if head == first or head > last:
            return False
        return keys[last + 1 : last + 1 + head - first] != keys[first:head]

    def _section_bodies(self, span: _Span) -> bool:
        """Whether the two copies of ``span`` close blocks that open with two different
        headings (:data:`_HEADING`): the same parameters under two endpoints, the
        same steps under two recipes' headings, each the body of its own section."""
        src = self.source
        heads = []
        for start, end in (span.shown, span.earlier):
            i = int(np.searchsorted(self.ends, start, side="right"))
            if i >= len(self.blocks):
                return False
            b = self.blocks[i]
            line_end = src.find("\n", b.start, b.end)
            if line_end < 0 or line_end >= start or _CONTENT.search(src, end, b.end):
                return False
            if _HEADING.fullmatch(src, b.start, line_end) is None:
                return False
            heads.append(identity_key(src[b.start : line_end]))
        return heads[0] != heads[1]

    def _copy_before(self, start: int, end: int) -> tuple[int, int] | None:
        """The same text as ``source[start:end]`` right before it, with only whitespace
        between, if there is one."""
        src = self.source
        n = end - start
        pos = start
        while pos > 0 and src[pos - 1].isspace():
            pos -= 1
        if pos == start or pos < n or src[pos - n : pos] != src[start:end]:
            return None
        return pos - n, pos

    def _drop_leading_refrains(
        self, later: tuple[int, int], earlier: tuple[int, int], *, refrains_only: bool = False
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """Leave out the leading blocks of two copies that are refrains.

        A block found three times or more is structure (a refrain, a repeated
        heading). At the head of a copy it also closes the unique text before it, as
        every refrain does, so it tells nothing about where the pasted text begins:
        in "verse1 R verse2 R verse3 R verse2 R" only "verse2 R" was pasted again.
        So is an answer that follows another question than its twin, unless
        ``refrains_only`` (a stutter: the copies' headings are the same text); then
        a copy made only of refrains ("R R", the refrain sung twice) stays whole.
        """
        if refrains_only:
            first, last = self._aligned(*later)
            if first is None or last is None or not self._refrain_heads(first, last):
                return later, earlier
        while True:
            first, last = self._aligned(*later)
            kfirst, klast = self._aligned(*earlier)
            if first is None or last is None or kfirst is None or klast is None:
                break
            if last - first != klast - kfirst or last == first:
                break
            if self.key_counts[self.ikeys[first]] < 3 and (
                refrains_only or not self._under_other_heading(first, kfirst)
            ):
                break
            later = (int(self.starts[first + 1]), later[1])
            earlier = (int(self.starts[kfirst + 1]), earlier[1])
        return later, earlier

    def _take(self, span: _Span) -> bool:
        """Cut a span unless it overlaps a cut already made."""
        cuts = self._span_cuts
        start, end = span.cut
        if len(cuts) != len(self.cuts):
            # Cuts made outside the span stage: no bisection.
            if any(a < end and start < b for a, b in self.cuts):
                return False
        else:
            # The cuts so far do not overlap: sorted by start, their ends are in order,
            # so of those before this one only the last can reach past its start; after
            # it, those that start before its end are looked at.
            k = bisect.bisect_left(cuts, span.cut)
            if k > 0 and cuts[k - 1][0] < end and start < cuts[k - 1][1]:
                return False
            for a, b in itertools.islice(cuts, k, None):
                if a >= end:
                    break
                if start < b:
                    return False
        self.covered[span.blocks[0] : span.blocks[1]] = True
        self.removals.append(span.removal)
        self.cuts.append(span.cut)
        if len(cuts) == len(self.cuts) - 1:
            bisect.insort(cuts, span.cut)
        return True

    def _with_bullet(
        self,
        cut: tuple[int, int],
        shown: tuple[int, int],
        markup: tuple[str, ...],
        earlier: tuple[int, int],
    ) -> tuple[tuple[int, int], tuple[int, int], tuple[str, ...]]:
        """The cut with the bullet the copy opens with, when its original opens with the
        same one: a flattened list glued after itself ("✅ S. ✅ S.", "[*]S [*]S",
        "• S • S • T") left its copy's bullet at the seam (try7 C1)."""
        src = self.source
        if cut[0] != shown[0]:
            return cut, shown, markup
        line = src.rfind("\n", 0, cut[0]) + 1
        mine = _BULLET_BEFORE.search(src, max(line, cut[0] - _BEFORE_STOP), cut[0])
        if mine is None or mine.start() == line:
            return cut, shown, markup  # a bullet opening the line is the line's markup
        theirs_line = src.rfind("\n", 0, earlier[0]) + 1
        theirs = _BULLET_BEFORE.search(src, max(theirs_line, earlier[0] - _BEFORE_STOP), earlier[0])
        # (Or the mark is the only thing between the copies: "A / A / B" is "A / B".)
        between = earlier[1] <= mine.start() and self._gap(earlier[1], cut[0])
        if not between and (theirs is None or theirs["mark"] != mine["mark"]):
            return cut, shown, markup
        if mine["mark"] == "|" and _TABLE_ROW.match(src, line):
            return cut, shown, markup  # a table's cell separator, not an item's
        lead = mine.start("mark")
        if cut[1] < len(src) and src[cut[1] - 1] not in " \t":
            # The cut takes no space after it: it takes the spaces before the bullet.
            while lead > line and src[lead - 1] in " \t":
                lead -= 1
        return (lead, cut[1]), (mine.start("mark"), shown[1]), (*markup, mine["mark"])

    def _same_attributes(self, span: _Span) -> bool:
        """Whether the markup the cut takes names no value the kept copy does not hold.

        A tag's attribute values say which element it is (a card's ``data-sku``, an
        office's ``mailto:`` link, an article's ``href``): a copy whose markup holds one
        the kept copy lacks is another element with the same words, not a paste
        (:func:`textdedup.verify._attribute_values`; presentation attributes aside).
        """
        src = self.source
        # The copies' own tags first: "<time datetime=A>Monday</time>: S" and the same
        # with datetime=B are two notices (a copy that only lost its markup gives none).
        mine = _attribute_values(src[span.text[0] : span.text[1]])
        theirs = _attribute_values(src[span.earlier[0] : span.earlier[1]])
        if mine and theirs and mine != theirs:
            return False
        # A quote block's opening line that names its author ('[quote="ana"]') the same
        # way: the same words quoted from another person are that person's.
        opening = _short_line(src, span.cut[0])
        first = src[opening[0] : opening[1]].strip() if opening is not None else ""
        if first and _DELIMITER_LINE.fullmatch(first) and regex.search(r"[=:,]", first):
            end = src.rfind("\n", 0, span.earlier[0])  # the line above the kept copy
            if end < 0 or src[src.rfind("\n", 0, end) + 1 : end].strip() != first:
                return False
        taken = _attribute_values(" ".join(span.removal.markup))
        if not taken:
            return True
        kept = span.removal.kept
        # The kept copy and its line up to it (its element may open before the copy).
        line = src.rfind("\n", 0, min(kept.start, span.earlier[0])) + 1
        held = set(_attribute_values(src[line : kept.end]))
        return all(v in held for v in taken)

    def _span(
        self,
        later: tuple[int, int],
        earlier: tuple[int, int],
        c: Comparison,
        *,
        after_refrain: bool = False,
    ) -> _Span:
        # The copies overlap (with keep="last" the kept copy can come after the cut one).
        periodic = earlier[0] < later[0] < earlier[1]
        if periodic:
            # Overlapping copies (a text repeated back to back, X X X): the later one
            # equals the text one period earlier; what stays is the first period.
            earlier = (earlier[0], later[0])
            while earlier[1] > earlier[0] and _is_space(self.source, earlier[1] - 1):
                earlier = (earlier[0], earlier[1] - 1)
        # A label that opens the line of a copy cut in favour of a later one (--keep
        # last) goes with it when the kept copy is whole blocks of its own: the text it
        # labels stays below, the label alone would head nothing. (A label before a
        # later paste, "Read more: S", stays: it is the line's own text.)
        whole = later[1] <= earlier[0] and self._aligned(*earlier)[0] is not None
        cut, shown, markup = self._expand(*later, label=whole)
        cut, shown, markup = self._with_bullet(cut, shown, markup, earlier)
        label = ""
        lead = self.source.rfind("\n", 0, later[0]) + 1
        if shown[0] <= lead < later[0] and _LABEL_BEFORE.fullmatch(self.source, lead, later[0]):
            # The label the cut took with its line ("Update: S1 S2"): no markup, and
            # the removed text is the labelled copy, not a block equal to the kept one.
            label = self.source[lead : later[0]].strip()
            markup = tuple(m for m in markup if m not in label.split())
        if markup and self._list_items(shown) and self._list_items(earlier):
            # Whole items of a list pasted as items: their bullets go with them, none
            # is left empty (the kept copy has them too).
            markup = tuple(m for m in markup if not _LIST_MARKER.fullmatch(m))
        first, last = self._aligned(*shown)
        # The kept copy is reported with the same markup around it as the removed one
        # has, when its original has it too (<li>S</li> removed, <li>S</li> kept), so
        # a score of 1.000 names two identical texts.
        head, tail = self.source[shown[0] : later[0]], self.source[later[1] : shown[1]]
        mirrored = earlier
        e0, e1 = earlier
        if head and periodic:
            # A copy glued to its original ("<p>S</p><p>S</p>"): the earlier period
            # ends with the markup the later copy opens with.
            while e1 > e0 and _is_space(self.source, e1 - 1):
                e1 -= 1
            if self.source.endswith(head.strip(), e0, e1):
                e1 -= len(head.strip())
            if self.source.endswith(tail.strip(), e0, e1):
                e1 -= len(tail.strip())
        removed_text = self.source[shown[0] : shown[1]]
        if head or tail:
            if (
                e0 >= len(head)
                and self.source.startswith(head, e0 - len(head))
                and self.source.startswith(tail, e1)
                and (e1 + len(tail) <= shown[0] or e0 - len(head) >= shown[1])
            ):
                mirrored = (e0 - len(head), e1 + len(tail))
            # The later copy may hold a closing tag of its own: the same text with the
            # same markup before the earlier copy.
            k0 = e0 - len(head)
            if (
                k0 >= 0
                and (k0 + len(removed_text) <= shown[0] or k0 >= shown[1])
                and self.source.startswith(removed_text, k0)
            ):
                mirrored = (k0, k0 + len(removed_text))
        kfirst, klast = self._aligned(*mirrored)
        if kfirst is None and first is not None and not markup:
            # The kept copy may be the whole text of blocks that wrap it in markup the
            # removed one, bare text, has not (<p>S</p> or "1. S" kept, S removed): the
            # same blocks. (Two clauses under two numbers, "1.9 S" and "2.9 S", stay a
            # span: each has markup of its own.)
            kfirst, klast = self._aligned_in_markup(*mirrored)
        kept = (
            self._block_loc(kfirst, klast)
            if kfirst is not None and klast is not None
            else self._loc(*mirrored)
        )
        # Blocks are in order, non-empty and apart: those the span touches are a range.
        touched = (
            bisect.bisect_right(self._block_ends, shown[0]),
            bisect.bisect_left(self._block_starts, shown[1]),
        )
        if label:
            removed = self._loc(later[0], shown[1])  # the copy; the label is named apart
        elif first is not None and last is not None:
            removed = self._block_loc(first, last)
        else:
            removed = self._loc(*shown)
        kind: RemovalKind = "span"
        kept_markup: tuple[str, ...] = ()
        count = max(0, touched[1] - touched[0])
        if (
            first is not None
            and last is not None
            and kfirst is not None
            and klast is not None
            and (last - first == klast - kfirst or periodic)
            and not label
        ):
            kind = "repeated-run" if last > first else "exact" if c.exact else "near"
            cut = self._block_cut(first, last)
            kept_markup = _extra_markup(
                self.source[kept.start : mirrored[0]], self.source[mirrored[1] : kept.end], markup
            )
        removal = Removal(kind, removed, kept, c.score, count, markup, kept_markup, label=label)
        return _Span(removal, cut, shown, earlier, touched, later, after_refrain)

    def _expand(
        self, start: int, end: int, *, label: bool = False
    ) -> tuple[tuple[int, int], tuple[int, int], tuple[str, ...]]:
        """The cut for a span, the span to report, and the markup the cut takes with it.

        A span that leaves only markup or quote markers on its first and last lines
        takes those lines whole (and, with ``label``, a label that opens its line:
        ``Update:``); otherwise the spaces after it go with it.
        """
        src = self.source
        line_start = src.rfind("\n", 0, start) + 1
        line_end = src.find("\n", end)
        line_end = len(src) if line_end < 0 else line_end
        if (
            _OPENERS.fullmatch(src, line_start, start)
            # A label that opens the line ("Update: S1 S2" cut whole with --keep last):
            # the label goes with the text it labels, not left alone on its line.
            or (label and start > line_start and _LABEL_BEFORE.fullmatch(src, line_start, start))
        ) and _CLOSE_TAIL.fullmatch(src, end, line_end):
            lead, taken = self._lead_lines(line_start, line_end)
            # An element whose opening and closing tags stand on lines of their own
            # right around the cut (<ul> / pasted items / </ul>) is left empty: the
            # cut takes both lines.
            tail = ""
            while lead > 0 and line_end < len(src):
                prev = src.rfind("\n", 0, lead - 1) + 1
                below = _line_end(src, line_end + 1)
                opening, closing = src[prev : lead - 1], src[line_end + 1 : below]
                if not (
                    _OPEN_TAGS_LINE.fullmatch(opening)
                    and _CLOSE_TAGS_LINE.fullmatch(closing)
                    and [m["name"].lower() for m in _TAG_NAME.finditer(opening)][::-1]
                    == [m["name"].lower() for m in _TAG_NAME.finditer(closing)]
                ) and not _delimiter_pair(src, prev, opening, closing):
                    break
                taken = opening.strip() + " " + taken
                tail += " " + closing.strip()
                lead, line_end = prev, below
            markup = tuple(
                dict.fromkeys(
                    (taken + " " + src[line_start:start] + " " + src[end:line_end] + tail).split()
                )
            )
            return (lead, min(line_end + 1, len(src))), (lead, line_end), markup
        # A copy wrapped in its own element inside a line (<p>copy</p> pasted into
        # another paragraph): the cut takes the pair of tags it leaves empty.
        opened = _OPEN_TAG_BEFORE.search(src, max(line_start, start - _TAG_BEFORE), start)
        if opened is not None:
            name = regex.escape(opened["name"])
            closed = regex.compile(rf"[^\S\n]*</{name}\s*>").match(src, end)
            if closed is None and not regex.search(rf"<{name}\b", src[start:end]):
                # The span took the element's closing tag already (it ends a line):
                # the opening tag it leaves empty goes with it.
                closed = regex.compile(rf"</{name}\s*>[^\S\n]*\Z").search(src, start, end)
            if closed is not None:
                markup = (opened.group().strip(), closed.group().strip())
                lead = opened.start()
                while lead > line_start and src[lead - 1] in " \t":
                    lead -= 1
                return (lead, closed.end()), (opened.start(), closed.end()), markup
        # An inline element the copy opens with, whose closing tag the cut holds and
        # whose opening tag stands right before it ("<b>Kalk Bay</b> is ..." glued
        # after its original), goes with it: "century.<b>" was left.
        while opened is not None and start > line_start:
            name = opened["name"].lower()
            inner = src[start:end].lower()
            if inner.count(f"</{name}>") <= len(regex.findall(rf"<{name}\b", inner)):
                break
            start = opened.start()
            opened = _OPEN_TAG_BEFORE.search(src, max(line_start, start - _TAG_BEFORE), start)
        # An opening mark right before the cut whose closer the cut holds ("¿" of a
        # question, "¡", "«", an opening quote or bracket; the key skipped it) goes
        # with it: "¿S? ¿S?" left "S? ¿", "«S» «S»" left "«S» «".
        while start > line_start and src[start - 1] in _OPENING_MARKS:
            closer = _OPENING_MARKS[src[start - 1]]
            if src.count(closer, start, end) <= src.count(src[start - 1], start, end):
                break
            start -= 1
        stop = end
        if start == line_start:
            # A copy that opens its line before a separator and the line's own text
            # ("S | T" after S): the separator goes with it ("| T" was left).
            sep = _SEPARATOR_AFTER.match(src, end)
            if sep is not None and not (sep["sep"] == "|" and _TABLE_ROW.match(src, line_start)):
                return (start, sep.end()), (start, end), (sep["sep"],)
        # The spaces after the cut go with it when spaces lead up to it, or when it
        # starts a line: what the line keeps after it must not start with a space.
        if start == line_start or src[start - 1] in " \t":
            while stop < len(src) and src[stop] in " \t":
                stop += 1
        # Punctuation or a closing tag right after the cut (a closing quote, bracket or
        # </em> around a glued copy) closes what comes before it: the spaces leading
        # up to the cut go.
        lead = start
        if (
            stop == end
            and end < len(src)
            and (_PUNCT.match(src, end) or _CLOSING_TAG.match(src, end) or src[end] in "|}")
        ):
            while lead > line_start:
                if src[lead - 1] in " \t":
                    lead -= 1
                elif lead - 2 > line_start and _ESCAPED_BREAK.match(src, lead - 2):
                    lead -= 2  # an escaped line break of a string ("nine.\n\nS")
                else:
                    break
        # A copy between two equal line breaks ("S<br>S<br>more") takes one of them:
        # otherwise "<br><br>" is left, an empty line added to the text.
        before = _BREAK_BEFORE.search(src, line_start, lead)
        after = _BREAK.match(src, stop)
        if (
            before is not None
            and after is not None
            and before["tag"].lower() == after["tag"].lower()
        ):
            stop = after.end()
            return (lead, stop), (start, stop), (after.group().strip(),)
        if before is not None and (
            _CLOSE_TAIL.fullmatch(src, stop, _line_end(src, stop))
            or _CELL_END.match(src, stop) is not None
        ):
            # A copy after a line break that ends its element, line or table cell
            # ("S<br>S</p>", "| S<br>S |"): the break separated the copy from its
            # original, and would end the element.
            return (before.start(), stop), (before.start(), end), (before.group().strip(),)
        return (lead, stop), (start, end), ()

    def _list_items(self, span: tuple[int, int]) -> bool:
        """Whether every line that ``span`` touches opens with a list number of one
        level (``2.``, ``3)``) or a bullet: items of a list."""
        src = self.source
        a, hi = src.rfind("\n", 0, span[0]) + 1, _line_end(src, span[1])
        while a <= hi:
            b = _line_end(src, a)
            # An item's marker opens its line: a long line is not read to its end.
            if _NONBLANK.search(src, a, b) and not _LIST_ITEM.match(src, a, min(b, a + 200)):
                return False
            a = b + 1
        return True

    def _lead_lines(self, start: int, end: int) -> tuple[int, str]:
        """Where a cut of whole lines ``start``..``end`` starts once it takes the lines
        before it that it leaves empty, and the markup of those lines.

        An element's opening tag on a line of its own before the cut, whose closing tag
        the cut takes (``<blockquote>`` / ``<p>copy</p>`` / ``</blockquote>``, a
        ``<ul>`` of pasted items), goes with it: otherwise an element is left open. And
        a bare quote marker line (``>``, the blank line of a quotation) before the cut
        goes with it when no quoted text follows the cut: it separated the paragraph
        cut from the one before, and would be left alone at the quotation's end.
        """
        src = self.source
        open_names: list[str] = []
        unmatched: list[str] = []
        for m in _TAG_NAME.finditer(src, start, end):
            name = m["name"].lower()
            if not m["close"]:
                open_names.append(name)
            elif name in open_names:
                del open_names[len(open_names) - 1 - open_names[::-1].index(name)]
            else:
                unmatched.append(name)
        taken: list[str] = []
        while start > 0:
            prev = src.rfind("\n", 0, start - 1) + 1
            line = src[prev : start - 1]
            names = [m["name"].lower() for m in _TAG_NAME.finditer(line)]
            if (
                names
                and not _TAG.sub("", line).strip()
                and not any(m["close"] for m in _TAG_NAME.finditer(line))
                and names[::-1] == unmatched[: len(names)]
            ):
                del unmatched[: len(names)]
            elif (
                not unmatched
                and _QUOTE_MARKERS.fullmatch(line)
                and not _QUOTED_TEXT.match(src, end + 1, _line_end(src, end + 1))
            ):
                pass
            else:
                break
            taken.append(line)
            start = prev
        return start, " ".join(taken[::-1])

    # -- stage 3: blocks ---------------------------------------------------------------
    def _blocks(self) -> None:
        cfg = self.config
        n = len(self.blocks)
        live = np.flatnonzero(~self.covered)
        if live.size < 2:
            return
        long = np.array([len(self.keys[i]) >= cfg.min_length for i in range(n)], dtype=bool)
        left: list[int] = []
        right: list[int] = []
        groups: dict[str, list[int]] = defaultdict(list)
        for i in live.tolist():
            groups[self.ikeys[i]].append(i)
        for members in groups.values():
            left += members[:-1]
            right += members[1:]
        near_ok: dict[tuple[int, int], float] = {}
        if cfg.near:
            cand = live[long[live]]
            if cand.size > 1:
                near_ok = self._near_pairs(cand)
                for i, j in near_ok:
                    left.append(i)
                    right.append(j)
        labels = connected_components(n, left, right)

        def similar(member: int, head: int) -> float | None:
            pair = (min(member, head), max(member, head))
            return near_ok[pair] if pair in near_ok else self._matches(member, head, long)

        lengths = [len(b.text) for b in self.blocks]
        keeper, score = choose_keepers(labels, keep=cfg.keep, lengths=lengths, similar=similar)
        keeper[self.covered] = np.flatnonzero(self.covered)
        self._point_at_copy_before(keeper, score)
        removed = keeper != np.arange(n)
        self._extend_runs(keeper, score, removed, long)
        self._decide_runs(keeper, score, removed, long)

    def _near_pairs(self, cand: np.ndarray) -> dict[tuple[int, int], float]:
        cfg = self.config
        if cand.size <= _SCREEN_BLOCKS and not self._may_be_near(cand):
            return {}
        if cand.size <= _ALL_PAIRS:
            return self._all_near_pairs(cand)
        hasher = MinHasher(
            num_perm=cfg.num_perm, ngram=cfg.ngram, unit="char", seed=cfg.seed, key=None, workers=1
        )
        # A signature depends on the text alone: each distinct key is signed once (a
        # column), and the pairs of blocks are worked out from the pairs of columns.
        rows = cand.tolist()
        # Signed without accents: a copy whose accents a scraper stripped shares few
        # 5-grams with its original in accent-dense text (Portuguese, Vietnamese); the
        # pairs are verified on the texts as written.
        keys = list(map(fold_accents, map(self.keys.__getitem__, rows)))
        texts = list(dict.fromkeys(keys))
        column = {k: u for u, k in enumerate(texts)}
        which = np.fromiter(map(column.__getitem__, keys), dtype=np.int64, count=cand.size)
        del keys, column
        # Blocks of one identity key are joined by the exact stage already, and for
        # them _matches says what compare() would, 1.0: their pairs are not needed.
        ikeys = list(map(self.ikeys.__getitem__, rows))
        identities = list(dict.fromkeys(ikeys))
        number = {k: t for t, k in enumerate(identities)}
        ids = np.fromiter(map(number.__getitem__, ikeys), dtype=np.int64, count=cand.size)
        del ikeys, number, rows
        params = _lsh_params(cfg.lsh_threshold, cfg.num_perm)
        # Signatures exist one chunk at a time (band keys are a fifth of their size), and
        # the candidate pairs are those of each band's buckets, united: the same pairs
        # as candidate_pairs over all bands at once, in a fraction of the memory.
        unique_keys = np.empty((params.bands, len(texts)), dtype=np.uint64)
        # The engine is chosen for all the texts at once, not chunk by chunk: a chunk of
        # short keys is under AUTO_COMPILE_MIN_CHARS though the whole is worth the
        # compiled kernel (1M short lines: 4.9 s against 8.1 s); the same signatures.
        compiled(hasher.engine, work=sum(map(len, texts)))
        for lo in range(0, len(texts), _SIGNATURE_ROWS):
            chunk = texts[lo : lo + _SIGNATURE_ROWS]
            unique_keys[:, lo : lo + len(chunk)] = band_keys(hasher.signatures(chunk), params).T
        del texts
        left, right = _copy_band_pairs(unique_keys, which, ids)
        del unique_keys, which
        cutoff = 100.0 * cfg.threshold - 1.0
        if cutoff > 0.0 and left.size:
            # The screen of _may_be_near, for all pairs at once: keys this far apart
            # never verify (most candidate pairs of many short lines), so compare() is
            # not asked. ratio = 100 (1 - indel / (la + lb)) and indel >= |la - lb|, so
            # pairs of lengths this far apart cannot reach the cutoff; the rest go
            # through rapidfuzz's ratio pair by pair (cpdist: the same scores).
            id_l, id_r = ids[left], ids[right]
            involved = np.unique(np.concatenate([id_l, id_r])).tolist()
            folded = {t: identities[t].casefold() for t in involved}
            sizes = np.zeros(len(identities), dtype=np.float64)
            sizes[involved] = [len(folded[t]) for t in involved]
            la, lb = sizes[id_l], sizes[id_r]
            near = 200.0 * np.minimum(la, lb) / (la + lb) >= cutoff - 1e-6
            plain = {t: fold_accents(k) for t, k in folded.items()}
            if any(plain[t] != k for t, k in folded.items()):
                near |= np.array([not folded[t].isascii() for t in id_l.tolist()], dtype=bool)
            left, right, id_l, id_r = left[near], right[near], id_l[near], id_r[near]
            ratios = process.cpdist(
                [folded[t] for t in id_l.tolist()],
                [folded[t] for t in id_r.tolist()],
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                dtype=np.float64,
                workers=1,
            )
            if any(plain[t] != k for t, k in folded.items()):
                ratios = np.maximum(
                    ratios,
                    process.cpdist(
                        [plain[t] for t in id_l.tolist()],
                        [plain[t] for t in id_r.tolist()],
                        scorer=fuzz.ratio,
                        score_cutoff=cutoff,
                        dtype=np.float64,
                        workers=1,
                    ),
                )
            near = np.asarray(ratios) > 0.0
            left, right = left[near], right[near]
        del ids, identities
        if not left.size:
            return {}
        return self._verified(zip(cand[left].tolist(), cand[right].tolist(), strict=True))

    def _all_near_pairs(self, cand: np.ndarray) -> dict[tuple[int, int], float]:
        """:meth:`_near_pairs` over every pair of the blocks ``cand`` (few of them).

        Each pair of differing identity keys whose case-folded keys reach the ratio
        screen of :meth:`_may_be_near` is verified with
        :func:`~textdedup.verify.compare`: the pairs that verify, whatever 5-grams
        they share, with their scores.
        """
        cfg = self.config
        rows = cand.tolist()
        folded = [self.ikeys[i].casefold() for i in rows]
        cutoff = max(100.0 * cfg.threshold - 1.0, 0.0)
        ratios = _screen_matrix(folded, cutoff)
        passed = np.triu(ratios > 0.0 if cutoff > 0.0 else ratios >= 0.0, 1)
        pairs = ((rows[int(a)], rows[int(b)]) for a, b in zip(*np.nonzero(passed), strict=True))
        # (Pairs with equal identity keys were joined by the exact stage already.)
        return self._verified((i, j) for i, j in pairs if self.ikeys[i] != self.ikeys[j])

    def _verified(self, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], float]:
        """The block pairs ``(i, j)`` that verify as near duplicates
        (:func:`~textdedup.verify.compare` at the threshold), keyed ``(min, max)``, with
        their scores; the same two texts (copies of two paragraphs) are compared once."""
        threshold = self.config.threshold
        out: dict[tuple[int, int], float] = {}
        seen: dict[tuple[str, str], float | None] = {}
        for i, j in pairs:
            texts_ij = (self.blocks[i].text, self.blocks[j].text)
            if texts_ij not in seen:
                c = compare(*texts_ij, score_cutoff=threshold)
                seen[texts_ij] = c.score if c.near(threshold) else None
            score = seen[texts_ij]
            if score is not None:
                out[(min(i, j), max(i, j))] = score
        return out

    def _may_be_near(self, cand: np.ndarray) -> bool:
        """Whether any two of the blocks ``cand`` can be near duplicates (a screen).

        ``compare(a, b).near(t)`` holds only when the identity keys are equal or when
        the score is at least ``t``; the score is at most the character score, which is
        at most rapidfuzz's ``ratio`` of the case-folded identity keys (see
        :func:`textdedup.verify.compare`). So when no two case-folded keys reach a ratio
        of ``100 t - 1`` (a point of margin for rounding), no candidate pair LSH could
        propose verifies, and :meth:`_near_pairs` finds nothing: the MinHash signatures
        are not needed. At ``t <= 0.01`` the screen would prove nothing and is not used.
        """
        cutoff = 100.0 * self.config.threshold - 1.0
        if cutoff <= 0.0:
            return True
        keys = [self.ikeys[i].casefold() for i in cand.tolist()]
        return bool(np.triu(_screen_matrix(keys, cutoff), 1).any())

    def _matches(self, a: int, b: int, long: np.ndarray) -> float | None:
        if self.ikeys[a] == self.ikeys[b]:
            return 1.0
        if self.config.near and long[a] and long[b]:
            threshold = self.config.threshold
            # A screen, as in _may_be_near: keys this far apart never verify.
            cutoff = 100.0 * threshold - 1.0
            if cutoff > 0.0 and not _screen_ratio(
                self.ikeys[a].casefold(), self.ikeys[b].casefold(), cutoff
            ):
                return None
            c = compare(self.blocks[a].text, self.blocks[b].text, score_cutoff=threshold)
            if c.near(threshold):
                return c.score
        return None

    def _point_at_copy_before(self, keeper: np.ndarray, score: np.ndarray) -> None:
        """Point blocks that repeat the blocks right before them at those blocks.

        A cluster's keeper is its first block, so the second of two copies in a row
        ("E E" inside a near copy, a refrain sung twice after other refrains) named a
        block far back and was no stutter. Where the blocks right before equal these
        (identity keys, up to ``_STUTTER_BLOCKS`` blocks), they are the original. Not
        when the blocks before already form a run whose keepers lead up to them (A A A:
        the third copy is found against the first once the second is cut).
        """
        if self.config.keep != "first":
            return
        n = len(self.blocks)
        ikeys, covered = self.ikeys, self.covered.tolist()
        # Covered blocks before each index: whether a window holds one is a subtraction
        # (a numpy call per window cost more than the rest of this loop on 1M lines).
        before = [0, *itertools.accumulate(covered)]
        j = 1
        while j < n:
            if covered[j] or keeper[j] == j:
                j += 1
                continue
            for w in range(1, min(j, n - j, _STUTTER_BLOCKS) + 1):
                if (
                    before[j + w] != before[j - w]
                    or ikeys[j - w] != ikeys[j]
                    or ikeys[j - w : j] != ikeys[j : j + w]
                ):
                    continue
                if int(keeper[j]) == j - w or int(keeper[j - 1]) + 1 == j - w:
                    break
                if self._refrain_heads(j, j + w - 1):
                    # "v4 R" then "R v4" pasted at the end: a refrain does not start a
                    # copy (see _drop_leading_refrains), so "R v4" is no stutter.
                    break
                for t in range(w):
                    keeper[j + t], score[j + t] = j - w + t, 1.0
                j += w - 1
                break
            j += 1

    def _extend_runs(
        self, keeper: np.ndarray, score: np.ndarray, removed: np.ndarray, long: np.ndarray
    ) -> None:
        """Grow runs over neighbours that repeat the kept blocks' neighbours (short ones too)."""
        n = len(self.blocks)
        is_keeper = np.zeros(n, dtype=bool)
        is_keeper[keeper[removed]] = True
        for j in np.flatnonzero(removed & long).tolist():
            for step in (1, -1):
                t = 1
                grown: list[tuple[int, int]] = []
                while True:
                    jj, kk = j + step * t, int(keeper[j]) + step * t
                    if not (0 <= jj < n and 0 <= kk < n) or jj == kk:
                        break
                    if self.covered[jj] or self.covered[kk] or removed[kk] or is_keeper[jj]:
                        break
                    if (
                        removed[jj]
                        or (self.config.keep == "first" and kk > jj)
                        or (self.config.keep == "last" and kk < jj)
                    ):
                        break
                    if step == -1 and self._under_other_heading(jj, kk):
                        # The same answer under another question: that question's.
                        break
                    s = self._matches(jj, kk, long)
                    if s is None:
                        break
                    keeper[jj], score[jj], removed[jj] = kk, s, True
                    is_keeper[kk] = True
                    grown.append((jj, kk))
                    t += 1
                # A refrain at the head of a run closes the unique text before it:
                # it is no evidence of where the pasted text begins (see
                # _drop_leading_refrains).
                while step == -1 and grown and self.key_counts[self.ikeys[grown[-1][0]]] >= 3:
                    jj, kk = grown.pop()
                    keeper[jj], removed[jj] = jj, False
                    is_keeper[kk] = bool((keeper[removed] == kk).any())

    def _runs(
        self, keeper: np.ndarray, removed: np.ndarray, gone: np.ndarray | None = None
    ) -> list[list[int]]:
        """Removed blocks grouped into runs: consecutive blocks with consecutive keepers.

        Keepers count as consecutive when only blocks already ``gone`` (cut) lie
        between them, so a run is seen the same way before and after a stutter is cut.
        """
        runs: list[list[int]] = []
        # Blocks not gone up to each block: "all gone strictly between a and b" in O(1).
        kept_upto = np.cumsum(~gone) if gone is not None else None
        for j in np.flatnonzero(removed & ~self.covered).tolist():
            if gone is not None and gone[j]:
                continue
            if runs and runs[-1][-1] == j - 1:
                a, b = int(keeper[j - 1]), int(keeper[j])
                if b == a + 1 or (
                    kept_upto is not None and a < b and kept_upto[b - 1] == kept_upto[a]
                ):
                    runs[-1].append(j)
                    continue
            runs.append([j])
        return runs

    def _decide_runs(
        self, keeper: np.ndarray, score: np.ndarray, removed: np.ndarray, long: np.ndarray
    ) -> None:
        """Remove the runs that are copies; report the others as isolated repeats."""
        cfg = self.config
        for run in self._runs(keeper, removed):
            if len(run) < 2 or not (long[run].any() or self._section_of_lines(run, keeper)):
                removed[[j for j in run if not long[j]]] = False
        gone = self.covered.copy()
        # Stutters first: runs whose kept copy comes first front to back, the others
        # back to front, so a stutter of three (A A A) is two adjacent copies; and
        # again after each cut, which can join runs. Then the other runs, counting
        # only the copies still there.
        while True:
            runs = self._runs(keeper, removed, gone)
            before = [r for r in runs if keeper[r[0]] < r[0]]
            after = [r for r in runs if keeper[r[0]] > r[0]][::-1]
            rest = []
            for run in before + after:
                first, last = run[0], run[-1]
                kfirst, klast = int(keeper[first]), int(keeper[last])
                between = range(klast + 1, first) if klast < first else range(last + 1, kfirst)
                pair = _in_text_order(first, last, kfirst, klast)
                if cfg.isolated == "remove" or (
                    all(gone[k] for k in between)
                    and not self._events(*pair)
                    and not self._structured_run(*pair)
                    and not self._sung_again(*pair)
                    and not self._own_structure_blocks(*pair)
                ):
                    gone[run] = True
                    self._take_run(run, keeper, score)
                else:
                    rest.append(run)
            if len(rest) == len(runs):
                break
        sources: dict[tuple[int, int], int] = defaultdict(int)
        for run in rest:
            sources[(int(keeper[run[0]]), int(keeper[run[-1]]))] += 1
        # The repeats the span stage reported, sorted, with the furthest end so far: a
        # removal lies inside one of them when the furthest end of those that start at
        # or before it reaches its end.
        reported = sorted((r.removed.start, r.removed.end) for r in self.isolated)
        reported_starts = [a for a, _ in reported]
        reach = list(itertools.accumulate((b for _, b in reported), max))
        chained = self._chained_runs(sorted(rest), keeper, sources)
        for run in sorted(rest):
            # The rules judge the copies in the order of the text (a quotation or a
            # signature is the later copy, whichever copy the keep policy cuts): with
            # keep="last" the run is the earlier copy, its keepers the later one.
            first, last, *kept = _in_text_order(
                run[0], run[-1], int(keeper[run[0]]), int(keeper[run[-1]])
            )
            source = (kept[0], kept[1])
            if (
                (
                    (
                        len(run) > 1
                        and (
                            # (measured only for a run of blocks: most are single lines)
                            _amount(
                                self.source,
                                self.blocks[first].start,
                                self.blocks[last].end,
                                limit=cfg.min_copy,
                            )
                            >= cfg.min_copy
                            or self._records(first, last, *source)
                            or self._closing_section(first, last, *source)
                        )
                    )
                    or self._same_clause(first, source[0])
                    or run[0] in chained
                )
                and sources[(int(keeper[run[0]]), int(keeper[run[-1]]))] == 1
                and not self._quoted(self.blocks[first].start)
                and not self._one_in_quote_block(
                    (self.blocks[first].start, self.blocks[last].end),
                    (self.blocks[source[0]].start, self.blocks[source[1]].end),
                )
                and not self._in_other_elements(first, source[0])
                and not self._signature(first, source[0])
                and not self._events(first, last, *source)
                and not self._structured_run(first, last, *source)
                # The same body under another heading (an answer under two
                # questions, one letter to two people) is each section's own.
                and not self._under_other_heading(first, source[0])
                # The same body at the same place in two sections under other titles
                # (unless it is a piece of one copy of pieces from several of them).
                and (run[0] in chained or not self._same_place_in_sections(first, last, *source))
                # The same body in two records with other facts after it (a price).
                and not self._record_between_facts(first, last, *source)
                # A chorus of several stanzas sung again between verses.
                and not self._chorus(first, last, *source)
                # Rows right after their twin that a song or a log repeats (records
                # right after their original are otherwise a stutter at any length).
                and not (source[1] + 1 == first and self._sung_again(first, last, *source))
                # A message's own text, a summary box, a sub-section under another parent.
                and not self._own_structure_blocks(first, last, *source)
            ):
                self._take_run(run, keeper, score)
                continue
            removal = self._run_removal(run, keeper, score)
            k = bisect.bisect_right(reported_starts, removal.removed.start)
            if not (k and reach[k - 1] >= removal.removed.end):
                self.isolated.append(removal)

    def _chained_runs(
        self, runs: list[list[int]], keeper: np.ndarray, sources: dict[tuple[int, int], int]
    ) -> set[int]:
        """First blocks of runs that chain into one copy of ``min_copy`` words or more.

        An article pasted again without its photo captions (or the ads between its
        paragraphs) is one run of blocks in the later text, but its original is
        interrupted: block for block it is several runs, each under ``min_copy``. Runs
        that follow each other block for block in the later text, whose originals come
        in the same order with at most ``_CHAIN_GAP`` (2) short blocks between them
        (under ``_CHAIN_GAP_WORDS``, 25 words: a caption, an ad line) and all before the
        copy, are judged together, each original repeated only there.
        """
        src = self.source
        out: set[int] = set()
        chain: list[list[int]] = []  # the later copies' blocks
        chain_sources: list[tuple[int, int]] = []  # their earlier copies
        chain_runs: list[list[int]] = []  # the runs, as the keep policy cuts them

        def close() -> None:
            if len(chain) > 1:
                total = sum(
                    _amount(
                        src,
                        self.blocks[r[0]].start,
                        self.blocks[r[-1]].end,
                        limit=self.config.min_copy,
                    )
                    for r in chain
                )
                if total >= self.config.min_copy:
                    out.update(r[0] for r in chain_runs)
            chain.clear()
            chain_sources.clear()
            chain_runs.clear()

        # In the order of the text, whichever copy the keep policy cuts: the later
        # copy's blocks, then the earlier copy's (see _in_text_order).
        ordered = []
        for run in runs:
            source = (int(keeper[run[0]]), int(keeper[run[-1]]))
            first, last, kfirst, klast = _in_text_order(run[0], run[-1], *source)
            ordered.append(([*range(first, last + 1)], (kfirst, klast), run, source))
        ordered.sort()
        for later, source, run, key in ordered:
            fits = sources[key] == 1 and source[1] < later[0] and source[0] <= source[1]
            if chain and fits:
                prev = chain[-1]
                pk = chain_sources[-1][1]
                gap = range(pk + 1, source[0])
                if (
                    later[0] == prev[-1] + 1
                    and 0 < len(gap) <= _CHAIN_GAP
                    and source[1] < chain[0][0]
                    and all(
                        _amount(
                            src, self.blocks[g].start, self.blocks[g].end, limit=_CHAIN_GAP_WORDS
                        )
                        < _CHAIN_GAP_WORDS
                        for g in gap
                    )
                ):
                    chain.append(later)
                    chain_sources.append(source)
                    chain_runs.append(run)
                    continue
            close()
            if fits:
                chain.append(later)
                chain_sources.append(source)
                chain_runs.append(run)
        close()
        return out

    def _run_removal(self, run: list[int], keeper: np.ndarray, score: np.ndarray) -> Removal:
        first, last = run[0], run[-1]
        kfirst, klast = int(keeper[first]), int(keeper[last])
        if len(run) > 1:
            kind: RemovalKind = "repeated-run"
        else:
            kind = "exact" if self.ikeys[first] == self.ikeys[kfirst] else "near"
        return Removal(
            kind,
            self._block_loc(first, last),
            self._block_loc(kfirst, klast),
            # (one block, most runs: its score without an array made for the minimum)
            float(score[first] if len(run) == 1 else score[run].min()),
            len(run),
        )

    def _take_run(self, run: list[int], keeper: np.ndarray, score: np.ndarray) -> None:
        self.removals.append(self._run_removal(run, keeper, score))
        self.cuts.append(self._block_cut(run[0], run[-1]))

    # -- stage 4: output ---------------------------------------------------------------
    def _detect(self) -> None:
        if self.config.min_span:
            self._spans()
        self._blocks()

    def _remaining(self) -> tuple[str, list[tuple[int, int, int]]]:
        """The source without the cuts, and its pieces ``(rest_start, source_start, length)``."""
        pieces: list[tuple[int, int, int]] = []
        pos = at = 0
        for a, b in [*sorted(self.cuts), (len(self.source), len(self.source))]:
            if a > pos:
                pieces.append((at, pos, a - pos))
                at += a - pos
            pos = max(pos, b)
        return "".join(self.source[s : s + n] for _, s, n in pieces), pieces

    @staticmethod
    def _to_source(pieces: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` of the remaining text back to the source."""

        def at(pos: int) -> int:
            k = bisect.bisect_right(pieces, pos, key=lambda p: p[0]) - 1
            rest_start, src_start, _ = pieces[max(k, 0)]
            return src_start + pos - rest_start

        return (at(start), at(end - 1) + 1) if end > start else (at(start), at(start))

    def _cut(self) -> str:
        pieces, pos = [], 0
        for a, b in sorted(self.cuts):
            if a > pos:
                pieces.append(self.source[pos:a])
            pos = max(pos, b)
        pieces.append(self.source[pos:])
        return "".join(pieces)


_WORD_CHAR = regex.compile(rf"(?![{UNSPACED}])[\p{{L}}\p{{N}}]")


def _band_pairs(
    keys: np.ndarray, which: np.ndarray | None = None, *, max_bucket: int = 200
) -> tuple[np.ndarray, np.ndarray]:
    """``candidate_pairs`` of band keys given band by band, shape ``(bands, n_texts)``.

    A bucket lies within one band, so the pairs of all bands are the union of each
    band's pairs: the same sorted ``(left, right)`` arrays as
    ``candidate_pairs(keys.T)``, with one band's working arrays in memory at a time.
    With ``which``, text ``t`` has the keys of column ``which[t]`` (copies of a text
    share its column): the pairs of ``keys[:, which]``, one band expanded at a time.
    """
    n = keys.shape[1] if which is None else which.size
    codes = np.zeros(0, dtype=np.uint64)
    for row in keys:
        if which is not None:
            row = row[which]
        p = candidate_pairs(row[:, None], max_bucket=max_bucket)
        if len(p):
            new = p.left.astype(np.uint64) * np.uint64(n) + p.right.astype(np.uint64)
            # Two sorted runs: a stable sort (timsort) merges them in linear time.
            merged = np.sort(np.concatenate([codes, new]), kind="stable")
            first = np.ones(merged.size, dtype=bool)
            first[1:] = merged[1:] != merged[:-1]
            codes = merged[first]
    return (codes // np.uint64(n)).astype(np.int64), (codes % np.uint64(n)).astype(np.int64)


def _copy_band_pairs(
    keys: np.ndarray, which: np.ndarray, ids: np.ndarray, *, max_bucket: int = 200
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of :func:`_band_pairs` ``(keys, which)`` whose texts' ``ids`` differ.

    ``keys`` holds the band keys of each column, shape ``(bands, columns)``; text
    ``t`` has column ``which[t]`` and identity ``ids[t]`` (int64 arrays). A bucket whose
    keys are those of one column only holds texts of one key, and when they share one
    identity (on a text of many repeated lines nearly every bucket) gives no pair
    with differing ids, however it is paired: so each band's pairs are those of
    :func:`textdedup.lsh.candidate_pairs` (``max_bucket`` as there) over the texts of
    the other buckets only — those of two columns or more, or of a column with
    several identities. Returns the sorted ``(left, right)`` pairs, ``left < right``.
    """
    n = which.size
    empty = np.zeros(0, dtype=np.int64)
    if n < 2:
        return empty, empty
    counts = np.bincount(which, minlength=keys.shape[1])
    present = np.flatnonzero(counts)
    # Columns whose texts have more than one identity.
    order = np.argsort(which, kind="stable")
    sorted_ids = ids[order]
    starts = (np.cumsum(counts) - counts)[present]
    mixed = np.zeros(counts.size, dtype=bool)
    mixed[present] = np.minimum.reduceat(sorted_ids, starts) != np.maximum.reduceat(
        sorted_ids, starts
    )
    del order, sorted_ids
    found: list[np.ndarray] = []
    for row in keys:
        columns = present[np.argsort(row[present], kind="stable")]
        sorted_row = row[columns]
        shared = np.zeros(columns.size, dtype=bool)
        same = sorted_row[1:] == sorted_row[:-1]
        shared[1:] |= same
        shared[:-1] |= same
        wanted = mixed.copy()
        wanted[columns[shared]] = True
        texts = np.flatnonzero(wanted[which])
        if texts.size < 2:
            continue
        p = candidate_pairs(row[which[texts]][:, None], max_bucket=max_bucket)
        left, right = texts[p.left], texts[p.right]
        keep = ids[left] != ids[right]
        found.append(left[keep] * n + right[keep])
    if not found:
        return empty, empty
    # Sorted, one of each run of equal codes (np.unique builds a hash table first).
    codes = np.sort(np.concatenate(found))
    codes = codes[np.concatenate(([True], codes[1:] != codes[:-1]))]
    return codes // n, codes % n


def _without_delimiter_lines(src: str, a: int, b: int) -> tuple[int, int]:
    """``src[a:b]`` less the quote block delimiter lines (``_DELIMITER_LINE``) it starts
    or ends with: ``{quote}`` / S / ``{quote}`` pasted after ``{quote}`` / S is S, the
    delimiters the block's markup that the cut takes or leaves whole."""
    while a < b:
        line = _short_line(src, a)
        if line is None or line[1] >= b or not _DELIMITER_LINE.fullmatch(src, *line):
            break
        a = line[1] + 1
        while a < b and src[a].isspace():
            a += 1
    while a < b:
        line = _short_line(src, b - 1)
        if line is None or line[0] <= a or not _DELIMITER_LINE.fullmatch(src, *line):
            break
        b = line[0] - 1
        while b > a and src[b - 1].isspace():
            b -= 1
    return a, b


def _short_line(src: str, pos: int, limit: int = 200) -> tuple[int, int] | None:
    """``(start, end)`` of the line holding ``pos`` when it is at most ``limit``
    characters long, else ``None`` (found without reading a long line to its ends)."""
    lo = max(0, pos - limit)
    start = src.rfind("\n", lo, pos) + 1
    if start == 0 and lo > 0:
        return None
    end = src.find("\n", pos, start + limit + 1)
    if end < 0:
        if start + limit < len(src):
            return None
        end = len(src)
    return start, end


def _delimiter_pair(src: str, at: int, opening: str, closing: str) -> bool:
    """Whether the lines ``opening`` (at ``src[at]``) and ``closing`` open and close one
    quote block of a markup other than HTML: ``{quote}`` / ``{quote}`` (Jira),
    ``[quote="ana"]`` / ``[/quote]`` (BBCode, Discourse), ``____`` / ``____``
    (AsciiDoc), ``:::note`` / ``:::``. A delimiter that both opens and closes opens
    a block after an even number of its kind (``{quote}`` / S / ``{quote}`` /
    ``{quote}``: the third line opens the second block).

    >>> _delimiter_pair("", 0, '[quote="ana, post:3"]', "[/quote]")
    True
    >>> _delimiter_pair("", 0, "{quote}", "[/quote]"), _delimiter_pair("____", 4, "____", "____")
    (False, False)
    """
    a, b = opening.strip(), closing.strip()
    if _DELIMITER_LINE.fullmatch(a) is None or _DELIMITER_LINE.fullmatch(b) is None:
        return False
    if a.startswith("["):
        name = regex.match(r"\[(\w+)", a)
        return name is not None and b.lower() == f"[/{name[1].lower()}]"
    if a.startswith(":::"):
        return b == ":::"
    if a.startswith("#+"):
        return (
            a[2:].lower().startswith("begin_")
            and b[2:].lower() == "end_" + a[8:].split()[0].lower()
        )
    if a.startswith("\\"):
        return a.startswith("\\begin") and b == "\\end" + a[6:]
    if a.startswith("{"):
        # Jira's and Confluence's macros open with parameters and close bare:
        # "{panel:title=X}" / "{panel}"; the same line both opens and closes.
        name = regex.match(r"\{(\w+)", a)
        if name is None or b.lower() != f"{{{name[1].lower()}}}":
            return False
        same = regex.compile(
            rf"^[^\S\n]*\{{{name[1]}(?::[^{{}}\n]*)?\}}[^\S\n]*$",
            regex.MULTILINE | regex.IGNORECASE,
        )
        return sum(1 for _ in same.finditer(src, 0, at)) % 2 == 0
    if a.lower() != b.lower() or a.startswith("[/"):
        return False
    same = regex.compile(
        rf"^[^\S\n]*{regex.escape(a)}[^\S\n]*$", regex.MULTILINE | regex.IGNORECASE
    )
    return sum(1 for _ in same.finditer(src, 0, at)) % 2 == 0


def _inside(a: Location, b: Location) -> bool:
    """Whether span ``a`` lies within span ``b``."""
    return b.start <= a.start and a.end <= b.end


def _widest_findings(items: list[Removal]) -> list[Removal]:
    """``items`` less those whose removed and kept spans both lie within another
    item's (the same repeat found as a run and as a block inside it), in their order.

    One pass over the items sorted by start (widest first): each is compared with the
    item reaching furthest among those before it, so the cost is ``n log n``, not ``n**2``.
    """
    order = sorted(range(len(items)), key=lambda i: (items[i].removed.start, -items[i].removed.end))
    dropped = set()
    widest: Removal | None = None
    for i in order:
        r = items[i]
        if (
            widest is not None
            and _inside(r.removed, widest.removed)
            and _inside(r.kept, widest.kept)
        ):
            dropped.add(i)
            continue
        if widest is None or r.removed.end > widest.removed.end:
            widest = r
    return [r for i, r in enumerate(items) if i not in dropped]


def _in_text_order(first: int, last: int, kfirst: int, klast: int) -> tuple[int, int, int, int]:
    """A removed run ``first..last`` and its kept copy ``kfirst..klast`` as ``(later
    first, later last, earlier first, earlier last)``: the later copy first, as the
    rules that keep a repeat as structure (a quotation, a signature, a teaser) read it
    whichever copy ``keep`` cuts."""
    if kfirst > first:
        return kfirst, klast, first, last
    return first, last, kfirst, klast


def _tail_closers(src: str, start: int, end: int) -> regex.Match[str] | None:
    """:data:`_TAIL_CLOSERS` in ``src[start:end]``, tried only when the text ends with
    a tag or a BBCode closer (the pattern's alternatives are tried at every position:
    a search per span was 5 s of a 10 MB text's clean).

    >>> _tail_closers("<p>Hi</p> ", 0, 10).start(), _tail_closers("Hi.", 0, 3)
    (5, None)
    """
    last = end - (end > start and src[end - 1] == "\n")  # "$" matches before a last "\n"
    while last > start and src[last - 1] in " \t":
        last -= 1
    if last == start or src[last - 1] not in ">]":
        return None
    return _TAIL_CLOSERS.search(src, start, end)


def _has_own_text(src: str, start: int, end: int) -> bool:
    """Whether ``src[start:end]`` holds a letter or digit outside markup tags: what
    ``_CONTENT.search(_TAG.sub("", src[start:end]))`` tells, read from the start and
    stopped at the first one (a block on one long line is not copied per call).

    >>> _has_own_text("<p><b>Hi</b></p>", 0, 16), _has_own_text("<p></p> <br>", 0, 12)
    (True, False)
    """
    pos = start
    while pos < end:
        lt = src.find("<", pos, end)
        stop = end if lt < 0 else lt
        if _CONTENT.search(src, pos, stop) is not None:
            return True
        if lt < 0:
            return False
        tag = _TAG.match(src, lt, min(end, lt + _TAG_LENGTH))
        pos = tag.end() if tag is not None else lt + 1
    return False


# The longest text _TAG matches: "</", a letter, 200 characters, ">".
_TAG_LENGTH = 204


def _line_end(src: str, pos: int) -> int:
    """Where the line holding ``pos`` ends (the next ``\\n``, or the end of ``src``).

    The end to give a match that cannot cross a line (:data:`_SECTION`): without one,
    ``regex`` first looks for the pattern's required ``.`` in all the rest of the
    text, a scan of the whole document per call when there is none (quadratic on a
    file of lines without full stops: 1M lines would take hours).
    """
    end = src.find("\n", pos)
    return len(src) if end < 0 else end


def _trailing_run(src: str, start: int, end: int) -> int:
    """Where the run of punctuation, symbols and space that ends ``src[start:end]`` begins.

    ``end`` when there is none. The same as the start of ``[\\p{P}\\p{S}\\s]+\\Z``
    searched in ``src[start:end]``, found from the end: the search tries every
    position from ``start`` on, which cost a scan of the whole span per copy.
    """
    pos = end
    while pos > start and _TRAILING_CHAR.match(src, pos - 1):
        pos -= 1
    return pos


# Letters of an average word of English prose (4.5 in the clean benchmark's news, 4.7
# in its contracts; Russian 6.0), and the most letters one word counts for (a hash or
# a URL is one word, not ten).
_LETTERS_PER_WORD = 5
_LONG_WORD = 15
_LETTER_RUN = regex.compile(rf"(?:(?![{UNSPACED}])[\p{{L}}\p{{N}}\p{{M}}])+")


# _LETTER_RUN restricted to ASCII: \p{L} and \p{N} are A-Z a-z 0-9 there, \p{M} is empty.
_ASCII_LETTER_RUN = re.compile(r"[A-Za-z0-9]+")


_SYLLABIC = regex.compile(rf"[{SYLLABIC}]")
# Letters that are syllables, each worth two and a half Latin letters (see _amount).
_DENSE_SYLLABLE = regex.compile(r"[\p{Hangul}\p{Ethiopic}]")


def _amount(src: str, start: int, end: int, *, limit: int) -> int:
    """How much text ``src[start:end]`` holds, in words (counting stops near ``limit``).

    The larger of its words (:func:`textdedup.segment.word_count`: a CJK character is
    one word) and its letters over ``_LETTERS_PER_WORD`` (5), each word counting for
    at most ``_LONG_WORD`` (15) letters. A minimum in words alone asks more text of a
    language of long words: Russian says in 9 words ("Подрядчик будет выбран на
    открытом конкурсе до конца апреля.") what English says in 14, so two Russian
    sentences of 17 words, 105 letters, hold as much as 21 English words; and English
    prose, 4.5 letters a word, is measured by its words as before. A Hangul or
    Ethiopic letter, a syllable, counts as two and a half letters.

    >>> _amount("Two words.", 0, 10, limit=20)
    2
    >>> _amount("Подрядчик будет выбран на открытом конкурсе до конца апреля.", 0, 61, limit=20)
    10
    >>> _amount("출퇴근 시간대에는 배차 간격이 오 분으로 줄어든다.", 0, 28, limit=20)
    10
    """
    # Thai, Javanese and the other syllabic scripts of scripts.SYLLABIC write words of
    # several letters without spaces:
    # word_count counts each letter as a word (as for CJK), five times too much here.
    # Their letters count as letters, five to a word.
    syllabic = 0 if src.isascii() else len(_SYLLABIC.findall(src, start, end))
    if syllabic:
        words = word_count(src, start, end) - syllabic + syllabic // _LETTERS_PER_WORD
    else:
        words = word_count(src, start, end, limit=limit)
    if words >= limit:
        return words
    if src.isascii():
        # _LETTER_RUN on ASCII text, run by the standard re engine (tests/test_clean_fast.py).
        runs = _ASCII_LETTER_RUN.findall(src, start, end)
        letters = sum(map(min, map(len, runs), itertools.repeat(_LONG_WORD)))
    else:
        letters = sum(
            min(m.end() - m.start(), _LONG_WORD) for m in _LETTER_RUN.finditer(src, start, end)
        )
        # A Hangul or Ethiopic letter is a syllable: two or three Latin letters' worth
        # (a Korean two-sentence copy of 14 spaced words, 55 syllables, says what
        # English says in 27 words).
        letters += len(_DENSE_SYLLABLE.findall(src, start, end)) * 3 // 2
    return max(words, letters // _LETTERS_PER_WORD)


# A line of verse ends with a mark (a comma, a full stop...) or a word, holds no digit
# and no sign of code, and is at most this many words long.
_VERSE_WORDS = 12
_VERSE_END = regex.compile(r"[,;:.!?\u2026\u2014-][\"'\u201d\u2019]*$")
_NOT_VERSE = regex.compile(r"[\p{Nd}=(){}<>\[\]|_#@/\\]")


def _verse(text: str) -> bool:
    """Whether ``text`` reads as verse: two lines or more, each of at most
    :data:`_VERSE_WORDS` words, with no digit and no sign of code or markup, and at
    least half of them ending with a punctuation mark (a verse line ends a phrase;
    prose wrapped at a width breaks inside one: a quarter of its lines end with a mark).

    >>> _verse("So sing it loud, sing it from the roof,\\nsing it to the trains that never stop,")
    True
    >>> _verse("The harbour authority has approved plans to dredge the\\neastern channel before")
    False
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return False
    ends = 0
    for line in lines:
        if _NOT_VERSE.search(line) or len(line.split()) > _VERSE_WORDS:
            return False
        ends += _VERSE_END.search(line) is not None
    return 2 * ends >= len(lines)


def _inside_word(src: str, pos: int) -> bool:
    """Whether ``pos`` falls between two characters of one word (CJK characters are words).

    Not after an escaped line break of a JSON or code string (``quay.\\n\\nThe``): the
    ``n`` is the escape's, and a word starts after it.
    """
    return (
        0 < pos < len(src)
        and bool(_WORD_CHAR.match(src, pos - 1) and _WORD_CHAR.match(src, pos))
        and not (pos > 1 and src[pos - 2] == "\\" and src[pos - 1] in "nrt")
    )


def _open_quotes(text: str) -> int:
    """Quotations ``text`` opens and does not close (negative: closes more than it opens).

    Straight double quotes pair up in turn; curly ones and CJK corner brackets
    (「」, 『』) by direction.

    >>> _open_quotes('As ana said, "the bags'), _open_quotes('bags" - and'), _open_quotes('a "b" c')
    (1, 1, 0)
    >>> _open_quotes("\u201cone\u201d and \u201ctwo"), _open_quotes("one\u201d two")
    (1, -1)
    >>> _open_quotes("记者所写「一。"), _open_quotes("二。」")
    (1, -1)
    """
    return _quotes_left_open(text.count)


def _quotes_left_open(count: Callable[[str], int]) -> int:
    """:func:`_open_quotes` from ``count(mark)``, the number of each mark in the text."""
    return count('"') % 2 + sum(count(o) - count(c) for o, c in _QUOTE_PAIRS)


def _brackets_left_open(count: Callable[[str], int]) -> int:
    """:func:`_open_brackets` from ``count(mark)``, the number of each mark in the text."""
    return sum(count(o) - count(c) for o, c in _BRACKET_PAIRS)


# Quotation marks that open and close by direction: curly, CJK corner brackets.
_QUOTE_PAIRS = (("\u201c", "\u201d"), ("\u300c", "\u300d"), ("\u300e", "\u300f"))
# Brackets: a cut must not leave one of a pair behind.
_BRACKET_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"))
# Every mark of the pairs above and the straight double quote, for _Cleaner._quote_marks.
_QUOTE_MARK_CHARS = '"' + "".join(o + c for o, c in (*_QUOTE_PAIRS, *_BRACKET_PAIRS))
_QUOTE_MARK = re.compile("[" + re.escape(_QUOTE_MARK_CHARS) + "]")
# Lines longer than this (characters before a span) have their marks counted from
# _Cleaner._quote_marks rather than read again per span.
_LONG_LINE = 4096


def _open_brackets(text: str) -> int:
    """Brackets ``text`` opens and does not close (negative: closes more than it opens).

    >>> _open_brackets("the disruption (see the report: "), _open_brackets("Sunday.) and")
    (1, -1)
    """
    return _brackets_left_open(text.count)


def _is_space(src: str, pos: int) -> bool:
    return src[pos].isspace()


def _union_length(ranges: list[tuple[int, int]]) -> int:
    """Characters covered by ``ranges``, each counted once.

    A removal found in a later pass is mapped back to the source, where it can span
    an earlier cut: summing the lengths would count those characters twice.

    >>> _union_length([(0, 10), (5, 20), (30, 31)])
    21
    """
    total = pos = 0
    for a, b in sorted(ranges):
        a = max(a, pos)
        if b > a:
            total += b - a
            pos = b
    return total


def _word_end(src: str, pos: int) -> int:
    """Where the rest of the word at ``pos``, and the spaces after it, end."""
    m = _WORD_REST.match(src, pos)
    return m.end() if m is not None else pos


def _opened(src: str, pos: int, end: int | None = None) -> int:
    """Where the markup, quote markers or clause number opening a line at ``pos`` end."""
    m = _OPENERS.match(src, pos, len(src) if end is None else end)
    return m.end() if m is not None else pos


def _agree(src: str, i: int, j: int, stop: int, length: int) -> bool:
    """Whether ``length`` characters from ``i`` and from ``j`` (before ``stop``) agree.

    Fewer will do when the text ends first after ``i`` (a copy at the very end).
    """
    k = min(length, len(src) - i)
    if k < min(length, 4) or j + k > stop:
        return False
    return src[i : i + k] == src[j : j + k]


def _extra_markup(head: str, tail: str, markup: tuple[str, ...]) -> tuple[str, ...]:
    """The markup, quote markers or list number of the kept block before (``head``) and
    after (``tail``) the kept copy's text that the cut's ``markup`` does not name: what
    the kept block has and the removed one has not. Text there gives nothing (the score
    says it)."""
    if not (_OPENERS.fullmatch(head) and _GAP.fullmatch(tail)):
        return ()
    return tuple(m for m in dict.fromkeys((head + " " + tail).split()) if m not in markup)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


# The most blank lines a layout of its own asks for: two, around the top-level
# definitions of a Python module (PEP 8, "Blank Lines"; Black keeps at most two at
# module level). A longer run is no style's layout.
_LAYOUT_BLANK_LINES = 2


def _finish(text: str, config: NormalizeConfig, ends_with_newline: bool, source: str) -> str:
    """The cut ``text`` of ``source`` with its layout tidied: trailing spaces a cut left,
    blank lines at the edges, and the runs of blank lines longer than the document's.

    The document's layout is content: a run of up to :data:`_LAYOUT_BLANK_LINES` blank
    lines that ``source`` has between two lines of text (two blank lines between the
    functions of a Python module) is kept, and longer runs collapse to it, or to
    ``max_blank_lines`` when the document has no such run. So a clean document keeps
    its layout, and a removal never leaves a gap wider than the document's own.
    """
    if config.trailing_whitespace:
        text = trailing_whitespace(text)
    layout = _layout_only(config)
    if layout.blank_lines and layout.max_blank_lines < _LAYOUT_BLANK_LINES:
        keep = longest_blank_run(source, above=layout.max_blank_lines, at_most=_LAYOUT_BLANK_LINES)
        if keep > layout.max_blank_lines:
            layout = dataclasses.replace(layout, max_blank_lines=keep)
    text = normalize(text, layout)
    if text and ends_with_newline and not text.endswith("\n"):
        text += "\n"
    elif not ends_with_newline:
        text = text.rstrip("\n")
    return text
