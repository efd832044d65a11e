"""Unicode-aware text normalization, the first stage of the flow.

Two levels:

* The **cleaning** level (:class:`NormalizeConfig`, :func:`normalize`) changes the
  text that is written out: line endings, Unicode spaces, invisible characters,
  trailing whitespace, runs of blank lines, blank lines at the edges, NFC.
* The **key** level (:class:`KeyConfig`, :func:`normalize_key`) is used only to
  compare texts: case folding, NFKC, quote and dash variants, punctuation and
  whitespace. A key never replaces the text itself.

Each cleaning step has one name, used for its config field, its entry in
:data:`CLEANING_STEPS` and its function; the steps run in that fixed order and
:func:`normalize` is idempotent.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import regex

__all__ = [
    "CLEANING_STEPS",
    "KeyConfig",
    "NormalizeConfig",
    "blank_lines",
    "edge_blank_lines",
    "fold_accents",
    "identity_key",
    "invisible",
    "key_text",
    "key_text_and_key",
    "key_with_offsets",
    "line_endings",
    "longest_blank_run",
    "nfc",
    "normalize",
    "normalize_key",
    "normalize_keys_utf8",
    "spaces",
    "trailing_whitespace",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class NormalizeConfig:
    """Which cleaning steps to apply; each field names one step.

    The steps that keep line numbers (all but ``blank_lines`` and
    ``edge_blank_lines``) run first, so a line number in the normalized text is
    the line number in the input.
    """

    line_endings: bool = True
    invisible: bool = True
    spaces: bool = True
    nfc: bool = True
    trailing_whitespace: bool = True
    blank_lines: bool = True
    edge_blank_lines: bool = True
    max_blank_lines: int = 1

    def __post_init__(self) -> None:
        if isinstance(self.max_blank_lines, bool) or not isinstance(self.max_blank_lines, int):
            raise TypeError(f"max_blank_lines must be an int, got {self.max_blank_lines!r}")
        if self.max_blank_lines < 0:
            raise ValueError(f"max_blank_lines must be >= 0, got {self.max_blank_lines}")

    def line_preserving(self) -> NormalizeConfig:
        """This config without the steps that change line numbers."""
        return dataclasses.replace(self, blank_lines=False, edge_blank_lines=False)

    def layout_only(self) -> NormalizeConfig:
        """Only the steps that change line numbers (the rest switched off)."""
        return dataclasses.replace(
            self,
            line_endings=False,
            invisible=False,
            spaces=False,
            nfc=False,
            trailing_whitespace=False,
        )


# Every line break Python's str.splitlines() knows, so line numbers agree with it.
_LINE_BREAK = regex.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# What the ``invisible`` step removes: the format characters that are hints to layout,
# not spelling (The Unicode Standard 15.0, section 23.2 "Layout Controls" and 23.8
# "Specials"): the soft hyphen (a hyphenation point), the BOM (deprecated as a zero-width
# no-break space inside a text), and the zero-width space and word joiner (break
# opportunity / no break), except between two letters of a script written without spaces
# between words (Unicode line-break class SA, UAX #14: Thai, Lao, Khmer, Myanmar, Tai
# scripts), where section 23.2 makes the zero-width space the word boundary itself.
# Control characters other than tab, newline and carriage return go too. Kept, because
# they are spelling or meaning: ZWJ/ZWNJ (emoji, Persian, Indic scripts), the Mongolian
# vowel separator and free variation selectors (section 13.5: they choose a letter's
# form), bidi marks and the Arabic letter mark (right-to-left text), the combining
# grapheme joiner and variation selectors (category Mn, never touched), tag characters
# (UTS #51: the flags of Scotland, England, Wales), and the visible format characters
# (Arabic number sign, end of ayah).
_LAYOUT_HINTS = r"[\u00ad\ufeff]|(?<!\p{lb=SA})[\u200b\u2060]|[\u200b\u2060](?!\p{lb=SA})"
_INVISIBLE = regex.compile(_LAYOUT_HINTS + r"|[^\P{Cc}\t\n\r]")
_ASCII_INVISIBLE = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# Unicode space separators other than the ideographic space U+3000, which CJK
# typography uses on purpose.
_SPACES = regex.compile(r"[^\P{Zs} \u3000]")
# Linear time: a match starts only where a run of spaces starts, and the run is atomic.
# (A mail's signature delimiter "-- " keeps its space: RFC 3676, section 4.3, defines it
# as dash, dash, space, and mail clients look for exactly that line.)
_TRAILING = regex.compile(r"(?<![^\S\r\n])(?!(?<=^--) \r?$)(?>[^\S\r\n]+)(?=\r?$)", regex.MULTILINE)
# The ASCII characters of _LINE_BREAK, and those of [^\S\r\n] with what may follow them
# in a match of _TRAILING: screens that skip the regex on ASCII text with nothing to do.
_ASCII_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")
_ASCII_BLANKS = (" ", "\t", "\x0b", "\x0c")
_ASCII_TRAILING = tuple(c + e for c in _ASCII_BLANKS for e in "\r\n")
_ASCII_RARE = ("\t", "\x0b", "\x0c", "\r")  # blanks and line ends other than " " and "\n"
_LEADING_BLANK = regex.compile(r"\A(?:[^\S\n]*\n)+")


def line_endings(text: str) -> str:
    r"""Turn CRLF, CR and the other Unicode line breaks into ``\n``.

    >>> line_endings("a\r\nb\rc")
    'a\nb\nc'
    """
    if text.isascii() and not any(c in text for c in _ASCII_BREAKS):
        return text  # nothing to turn (a search per character is far faster than the regex)
    return _LINE_BREAK.sub("\n", text)


def invisible(text: str) -> str:
    r"""Remove the invisible characters that are layout hints, and control characters.

    Soft hyphens, BOMs, zero-width spaces and word joiners go (the last two are kept
    between two letters of Thai, Lao, Khmer, Myanmar and the other scripts written
    without spaces, where they mark the word boundary), and so do control characters
    other than tab, newline and carriage return. Format characters that are spelling
    stay: ZWJ, ZWNJ, the Mongolian vowel separator, bidi marks, tag characters; so do
    variation selectors and the combining grapheme joiner. Source: The Unicode Standard
    15.0, sections 23.2 (layout controls), 23.8 (specials), 13.5 (Mongolian), and
    UAX #14 (line-break class SA).

    >>> invisible("zero\u200bwidth\x00")
    'zerowidth'
    >>> mongolian = "\u1830\u1822\u1828\u180e\u1821"  # with a vowel separator
    >>> invisible(mongolian) == mongolian
    True
    >>> invisible("\u0e01\u0e34\u0e19\u200b\u0e02\u0e49\u0e32\u0e27")  # Thai word boundary
    'กิน\u200bข้าว'
    """
    if text.isascii():
        # The same characters, deleted by bytes.translate (the regex's property class is
        # slow, and even a plain class scans several times slower than this).
        raw = text.encode("ascii")
        kept = raw.translate(None, _ASCII_INVISIBLE)
        return text if len(kept) == len(raw) else kept.decode("ascii")
    return _INVISIBLE.sub("", text)


def spaces(text: str) -> str:
    r"""Turn NBSP and the other Unicode spaces into a plain space.

    >>> spaces("a\u00a0b\u2009c")
    'a b c'
    """
    if text.isascii():
        return text  # the only ASCII space separator is the plain space
    return _SPACES.sub(" ", text)


def nfc(text: str) -> str:
    r"""Compose the text to Unicode normal form C.

    >>> nfc("e\u0301") == "\u00e9"
    True
    """
    return unicodedata.normalize("NFC", text)


def trailing_whitespace(text: str) -> str:
    r"""Remove spaces and tabs at the end of every line.

    A mail's signature delimiter, ``-- `` on a line of its own, keeps its space
    (RFC 3676, section 4.3: mail clients find the signature by that exact line).

    >>> trailing_whitespace("a  \nb\t")
    'a\nb'
    >>> trailing_whitespace("Ana\n-- \nAna Berg\n--  \n")
    'Ana\n-- \nAna Berg\n--\n'
    """
    if text.isascii():
        # A match is a space or tab followed by a line end or the end of the text: with
        # none, the regex (which tries every position) would change nothing.
        if not any(c in text for c in _ASCII_RARE):
            # Only a space can be a blank and only \n a line end: one two-character
            # search (each of the eight pairs below costs as much as a pass).
            if not (text.endswith(" ") or " \n" in text):
                return text
        elif not (text.endswith(_ASCII_BLANKS) or any(p in text for p in _ASCII_TRAILING)):
            return text
    return _TRAILING.sub("", text)


def blank_lines(text: str, max_blank_lines: int = 1) -> str:
    r"""Collapse every run of blank lines to at most ``max_blank_lines``.

    >>> blank_lines("a\n\n\n\nb")
    'a\n\nb'
    """
    return _blank_run(max_blank_lines).sub("\n" * (max_blank_lines + 1), text)


@functools.lru_cache(maxsize=8)
def _blank_run(max_blank_lines: int) -> regex.Pattern[str]:
    # Compiled once per count: regex's own cache costs more per call than the sub.
    return regex.compile(rf"\n(?:[^\S\n]*\n){{{max_blank_lines + 1},}}")


def longest_blank_run(text: str, *, above: int = 0, at_most: int | None = None) -> int:
    r"""The longest run of blank lines between two lines of text (edges left out).

    Only runs longer than ``above`` and, with ``at_most``, no longer than it count
    (the result is at least ``above``), so a text whose runs are all short is passed
    over in one search.

    >>> longest_blank_run("\n\na\n\n\nb\n\nc\n\n\n\n\n")
    2
    >>> longest_blank_run("a\n\n\n\nb\n\n\nc", above=1, at_most=2)
    2
    """
    longest = above
    first = len(text) - len(text.lstrip())
    last = len(text.rstrip())
    for m in _blank_run(above).finditer(text, first, last):
        if m.start() >= first and m.end() <= last:
            run = m.group().count("\n") - 1
            if at_most is None or run <= at_most:
                longest = max(longest, run)
    return longest


def edge_blank_lines(text: str) -> str:
    r"""Remove blank lines at the start and end, keeping one final newline if there was one.

    >>> edge_blank_lines("\n\nbody\n\n\n")
    'body\n'
    """
    text = _LEADING_BLANK.sub("", text)
    end = len(text.rstrip())
    if end == 0:
        return ""
    newline = text.find("\n", end)
    return text if newline < 0 else text[: newline + 1]


CLEANING_STEPS: dict[str, Callable[[str], str]] = {
    "line_endings": line_endings,
    "invisible": invisible,
    "spaces": spaces,
    "nfc": nfc,
    "trailing_whitespace": trailing_whitespace,
    "blank_lines": blank_lines,
    "edge_blank_lines": edge_blank_lines,
}


def normalize(text: str, config: NormalizeConfig | None = None) -> str:
    r"""Apply the enabled cleaning steps, in their fixed order.

    >>> normalize("Caf\u00e9\u00a0au lait  \r\n\r\n\r\n\r\nNext\r\n\r\n")
    'Café au lait\n\nNext\n'
    """
    if not isinstance(text, str):
        raise TypeError(_type_error(text))
    config = config or NormalizeConfig()
    for name, step in CLEANING_STEPS.items():
        if getattr(config, name):
            if name == "blank_lines":
                text = blank_lines(text, config.max_blank_lines)
            else:
                text = step(text)
    return text


def _type_error(value: object) -> str:
    if isinstance(value, (bytes, bytearray)):
        return (
            "expected str, got bytes: decode it first, for example "
            "text = data.decode('utf-8'), or let the CLI read the file"
        )
    return f"expected str, got {type(value).__name__}"


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyConfig:
    """How texts are reduced to a comparison key; each field names one step."""

    nfkc: bool = True
    casefold: bool = True
    quotes: bool = True
    dashes: bool = True
    punctuation: bool = True
    whitespace: bool = True


_DEFAULT_KEY = KeyConfig()
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u00b4\u0060\uff07"), "'")
_QUOTES.update(dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02"), '"'))
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)


class _KeyTable(dict[int, str]):
    """A ``str.translate`` table that works out each character's key on first sight."""

    def __init__(self, config: KeyConfig) -> None:
        super().__init__()
        self.config = config

    def __missing__(self, code: int) -> str:
        config = self.config
        out = chr(code)
        if config.nfkc:
            out = unicodedata.normalize("NFKC", out)
        if config.casefold:
            out = out.casefold()
        pieces = []
        for ch in out:
            if config.quotes:
                ch = _QUOTES.get(ord(ch), ch)
            if config.dashes:
                ch = _DASHES.get(ord(ch), ch)
            category = unicodedata.category(ch)
            if category in ("Cc", "Cf") and not ch.isspace():
                ch = ""  # controls and format marks (ZWJ, bidi) do not change what a text says
            elif (config.whitespace and ch.isspace()) or (
                config.punctuation and category.startswith("P")
            ):
                ch = " "
            pieces.append(ch)
        out = "".join(pieces)
        self[code] = out
        return out


_TABLES: dict[KeyConfig, _KeyTable] = {}
# The standard re engine: the same matches as regex here, several times faster per call.
_SPACE_RUN = re.compile(r" {2,}")


def _table(config: KeyConfig) -> _KeyTable:
    table = _TABLES.get(config)
    if table is None:
        table = _TABLES[config] = _KeyTable(config)
    return table


def normalize_key(text: str, config: KeyConfig | None = None) -> str:
    r"""Reduce a text to the key used to compare it with others.

    Punctuation becomes a space and runs of spaces collapse, so only letters, digits
    and symbols decide equality. A text made only of punctuation keeps it (so
    ``"* * *"`` still equals ``"* * *"``), and no script is ever reduced to nothing.

    >>> normalize_key("\u201cHello,\u201d  she said \u2014 WORLD!")
    'hello she said world'
    >>> normalize_key("Привет, мир!")
    'привет мир'
    >>> normalize_key("* * *")
    '* * *'
    >>> normalize_key("\u200b\u200b")  # zero-width spaces only: nothing to compare
    ''
    """
    if not isinstance(text, str):
        raise TypeError(_type_error(text))
    config = config or _DEFAULT_KEY
    ascii_table = _ascii_table(config) if text.isascii() else None
    if ascii_table is not None:
        kernel = _compiled_key(len(text))
        if kernel is not None:
            # The same translation and space collapse in one compiled pass.
            codes = _ascii_codes(ascii_table, config.whitespace)
            key = str(kernel.ascii_key(text, codes, collapse=config.whitespace))
        else:
            # The same key through bytes.translate, for the common all-ASCII text: the
            # table is the key table's own ASCII half, so the result cannot differ.
            raw = text.encode("ascii").translate(*ascii_table)
            key = (b" ".join(raw.split()) if config.whitespace else raw).decode("ascii")
    else:
        key = text.translate(_table(config))
        if config.whitespace:
            # After the table every whitespace character is a space, so splitting on
            # whitespace and joining with one space collapses runs of spaces and strips
            # the edges (faster than a regular expression).
            key = " ".join(key.split())
    if not key and not text.isspace() and text:
        # Punctuation only: the text itself, without its invisible characters (format
        # and control characters, which the cleaning normalization drops too), so
        # "* * *" and "\u200b* * *" are one key; nothing visible, the empty key.
        visible = "".join(
            c for c in text.casefold() if unicodedata.category(c) not in _UNSEEN_CATEGORIES
        )
        key = " ".join(visible.split())
    return key


# Unicode categories of characters no reader sees: format (zero-width space, BOM, soft
# hyphen) and control characters.
_UNSEEN_CATEGORIES = frozenset({"Cf", "Cc"})


def normalize_keys_utf8(texts: list[str], config: KeyConfig | None = None) -> list[bytes]:
    """:func:`normalize_key` of every text, encoded as UTF-8 (lone surrogates passed).

    The same keys, for a batch: the ASCII texts go through one compiled pass together
    (:func:`textdedup._kernel.ascii_keys`) once numba is in use (as for
    :func:`normalize_key`), so the per-call cost is paid once per batch, not per text.

    >>> normalize_keys_utf8(["Hello,  World!", "Ça, va!", "* * *", ""])
    [b'hello world', b'\xc3\xa7a va', b'* * *', b'']
    """
    config = config or _DEFAULT_KEY
    ascii_table = _ascii_table(config)
    out: list[bytes] = []
    if ascii_table is not None:
        plain = [t for t in texts if type(t) is str and t.isascii()]
        kernel = _compiled_key(sum(map(len, plain))) if plain else None
        if kernel is not None:
            codes = _ascii_codes(ascii_table, config.whitespace)
            joined, ends = kernel.ascii_keys(plain, codes, collapse=config.whitespace)
            at = 0
            for text in texts:
                if type(text) is str and text.isascii():
                    key = joined[ends[at] : ends[at + 1]]
                    at += 1
                    # An empty key from a text with something in it: normalize_key's
                    # fallback (a text of punctuation keeps it).
                    empty = not key and text and not text.isspace()
                    out.append(_utf8_key(text, config) if empty else key)
                else:
                    out.append(_utf8_key(text, config))
            return out
    return [_utf8_key(text, config) for text in texts]


def _utf8_key(text: str, config: KeyConfig) -> bytes:
    return normalize_key(text, config).encode("utf-8", "surrogatepass")


#: ASCII characters :func:`normalize_key` takes through Python (``bytes.translate`` and
#: ``split``) before it switches to the compiled pass (:func:`textdedup._kernel.ascii_key`),
#: which it uses at once when numba is loaded already: the same threshold as
#: ``engine="auto"`` (:data:`textdedup.shingle.AUTO_COMPILE_MIN_CHARS`), so a few small
#: texts never wait for numba to load.
COMPILED_KEY_AFTER_CHARS = 1 << 23
_KEY_CHARS = [0]  # ASCII characters normalized in Python so far
_KEY_KERNEL: list[Any] = []  # the loaded kernels, or None when numba does not import


def _compiled_key(chars: int) -> Any:
    """The compiled kernels for :func:`normalize_key`'s ASCII path, or ``None`` (Python)."""
    if _KEY_KERNEL:
        return _KEY_KERNEL[0]
    from . import _kernel

    if not _kernel.is_loaded():
        _KEY_CHARS[0] += chars
        if _KEY_CHARS[0] < COMPILED_KEY_AFTER_CHARS:
            return None
    try:
        _kernel.load()
    except ImportError:
        _KEY_KERNEL.append(None)
        return None
    _KEY_KERNEL.append(_kernel)
    return _kernel


@functools.lru_cache(maxsize=8)
def _ascii_codes(ascii_table: tuple[bytes, bytes], collapse: bool) -> npt.NDArray[np.uint8]:
    """``bytes.translate``'s ``(table, delete)`` as one uint8 table for the compiled pass,
    ``_kernel.DROP`` for deleted bytes; with ``collapse``, the bytes that
    ``bytes.split`` splits at map to a space."""
    codes = np.frombuffer(ascii_table[0], dtype=np.uint8).copy()
    if collapse:
        codes[np.isin(codes, np.frombuffer(b" \t\n\r\x0b\x0c", dtype=np.uint8))] = 32
    codes[list(ascii_table[1])] = 255  # _kernel.DROP (not imported: it loads lazily)
    codes.flags.writeable = False
    return codes


_ASCII_TABLES: dict[KeyConfig, tuple[bytes, bytes] | None] = {}
_ASCII_LAST: tuple[KeyConfig | None, tuple[bytes, bytes] | None] = (None, None)


def _ascii_table(config: KeyConfig) -> tuple[bytes, bytes] | None:
    """The key table's ASCII half as ``bytes.translate`` arguments ``(table, delete)``.

    ``None`` when some ASCII character's key is not one ASCII character or nothing
    (no such character with any :class:`KeyConfig` today; checked, not assumed).
    """
    global _ASCII_LAST
    last = _ASCII_LAST  # one read: another thread may replace it
    if last[0] is config:
        # Every text of a run comes with the same config object: no dataclass hash.
        return last[1]
    if config in _ASCII_TABLES:
        _ASCII_LAST = (config, _ASCII_TABLES[config])
        return _ASCII_LAST[1]
    table = _table(config)
    mapping, delete = bytearray(range(256)), bytearray()
    found: tuple[bytes, bytes] | None = None
    for code in range(128):
        out = table[code]
        if out == "":
            delete.append(code)
        elif len(out) == 1 and ord(out) < 128:
            mapping[code] = ord(out)
        else:
            break
    else:
        found = (bytes(mapping), bytes(delete))
    _ASCII_TABLES[config] = found
    _ASCII_LAST = (config, found)
    return found


def key_text(text: str, config: KeyConfig | None = None) -> str:
    """The key :func:`key_with_offsets` returns, without working out the offsets.

    Unlike :func:`normalize_key`, a text made only of punctuation or spaces has an
    empty key here.

    >>> key_text("A  b!")
    'a b'
    >>> key_text("A  b!") == key_with_offsets("A  b!")[0]
    True
    """
    config = config or KeyConfig()
    ascii_table = _ascii_table(config) if text.isascii() else None
    if ascii_table is not None:
        # The key table's own ASCII half through bytes.translate (as normalize_key), about
        # ten times faster than str.translate with the table; every whitespace byte is a
        # space after it, so split-and-join folds runs and strips the edges as below.
        raw = text.encode("ascii").translate(*ascii_table)
        return (b" ".join(raw.split()) if config.whitespace else raw).decode("ascii")
    key = text.translate(_table(config))
    if config.whitespace:
        # The same key as key_with_offsets: runs of spaces fold to one, none at the edges.
        key = _SPACE_RUN.sub(" ", key).strip(" ")
    return key


def key_text_and_key(text: str, config: KeyConfig | None = None) -> tuple[str, str]:
    """``(key_text(text, config), normalize_key(text, config))``, sharing the work.

    The two differ only for a text of punctuation alone, which keeps it in
    :func:`normalize_key` and has an empty :func:`key_text`. On ASCII text one
    ``bytes.translate`` serves both.

    >>> key_text_and_key("A  b!")
    ('a b', 'a b')
    >>> key_text_and_key("* * *")
    ('', '* * *')
    """
    config = config or _DEFAULT_KEY
    ascii_table = _ascii_table(config) if text.isascii() else None
    if ascii_table is None:
        return key_text(text, config), normalize_key(text, config)
    raw = text.encode("ascii").translate(*ascii_table)
    keytext = (b" ".join(raw.split()) if config.whitespace else raw).decode("ascii")
    if keytext or not text or text.isspace():
        return keytext, keytext
    return keytext, normalize_key(text, config)


def key_with_offsets(
    text: str, config: KeyConfig | None = None, *, compact: bool = False
) -> tuple[str, npt.NDArray[np.signedinteger[Any]]]:
    """The key of ``text`` and, for each key character, the source offset it came from.

    ``offsets`` has ``len(key) + 1`` entries; the last one is ``len(text)``, so a key
    span ``[a, b)`` maps back to the source span ``[offsets[a], offsets[b - 1] + 1)``.
    Offsets are int64, or with ``compact`` int32 when the text is shorter than 2**31
    characters. Time and memory are linear in the length of the text.

    >>> key, offsets = key_with_offsets("A  b!")
    >>> key, offsets.tolist()
    ('a b', [0, 1, 3, 5])
    """
    config = config or KeyConfig()
    table = _table(config)
    n = len(text)
    dtype = np.int32 if compact and n < 2**31 - 1 else np.int64
    if n == 0:
        return "", np.zeros(1, dtype=dtype)
    raw = text.translate(table)
    if len(raw) == n and all(len(table[ord(c)]) == 1 for c in set(text)):
        # Every character has a one-character key (almost every text): no lookup table.
        offsets = np.arange(n, dtype=dtype)
    else:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        present = np.zeros(int(codes.max()) + 1, dtype=bool)
        present[codes] = True
        lengths = np.zeros(present.size, dtype=np.int64)
        for c in np.flatnonzero(present).tolist():
            lengths[c] = len(table[c])
        offsets = np.repeat(np.arange(n, dtype=dtype), lengths[codes])
        del codes
    key = raw
    if config.whitespace and raw:
        # One byte per character when the key is ASCII (a quarter of the memory).
        ascii_key = raw.isascii()
        kc = (
            np.frombuffer(raw.encode("ascii"), dtype=np.uint8)
            if ascii_key
            else np.frombuffer(raw.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        )
        space = kc == 32
        keep = ~space
        # A space is kept when it follows a non-space and some non-space follows it.
        keep[1:] |= space[1:] & ~space[:-1]
        first = int(np.argmin(space)) if not space.all() else space.size
        if first == space.size:
            keep[:] = False
        else:
            last = space.size - 1 - int(np.argmin(space[::-1]))
            keep[:first] = False
            keep[last + 1 :] = False
        del space
        key = kc[keep].tobytes().decode("ascii" if ascii_key else "utf-32-le", "surrogatepass")
        offsets = offsets[keep]
    out: npt.NDArray[np.signedinteger[Any]] = np.empty(offsets.size + 1, dtype=dtype)
    out[:-1] = offsets
    out[-1] = n
    return key, out


_IDENTITY_TABLE = {**_QUOTES, **_DASHES}
# What identity_key drops: what the ``invisible`` step removes (whitespace aside, which
# it collapses), so "exact" means equal after the cleaning normalization. A format
# character that step keeps (ZWNJ, a tag character, the Mongolian vowel separator) is
# part of the text: "\U0001f3f4" with Scotland's tags is not England's flag.
_FORMAT = regex.compile(_LAYOUT_HINTS + r"|[\p{Cc}--\s]", regex.V1)


@functools.cache
def _super_sub() -> regex.Pattern[str]:
    """Superscript and subscript characters (BMP): NFKC would fold ``10²`` into ``102``."""
    chars = [
        chr(c)
        for c in range(0x80, 0x10000)
        if unicodedata.decomposition(chr(c)).startswith(("<super>", "<sub>"))
    ]
    return regex.compile("[" + regex.escape("".join(chars)) + "]")


def _nfkc_keeping_scripts(text: str) -> str:
    """NFKC, except superscripts and subscripts, which say something (``x²``, ``H₂O``)."""
    if text.isascii():
        return text  # NFKC leaves ASCII as it is, and it holds no superscript
    keep = _super_sub()
    if not keep.search(text):
        return unicodedata.normalize("NFKC", text)
    parts, pos = [], 0
    for m in keep.finditer(text):
        parts += [unicodedata.normalize("NFKC", text[pos : m.start()]), m.group()]
        pos = m.end()
    parts.append(unicodedata.normalize("NFKC", text[pos:]))
    return "".join(parts)


def identity_key(text: str) -> str:
    r"""The strict comparison key: equal keys mean the texts are the same text.

    Only what the cleaning normalization treats as presentation is unified: Unicode
    compatibility forms (NFKC; superscripts and subscripts excepted, since ``10²`` is not
    ``102``), quote and dash variants, the invisible characters the ``invisible``
    step removes (format characters it keeps, such as ZWNJ or the tags of a flag, are
    spelling and stay), and whitespace (runs collapse to one space, edges are stripped).
    Case, punctuation, signs, decimal points and brackets are content and stay, unlike
    in :func:`normalize_key`, which is a loose key for finding candidates.

    >>> identity_key("\u201cHello,\u201d  she said\n\u2014 twice.")
    '"Hello," she said - twice.'
    >>> identity_key("config.user_values") == identity_key('config["user_values"]')
    False
    >>> identity_key("-4.2") == identity_key("4.2")
    False
    >>> identity_key("mi\u200cxwaham") == identity_key("mixwaham")  # ZWNJ spells a word
    False
    """
    if not isinstance(text, str):
        raise TypeError(_type_error(text))
    if text.isascii():
        # NFKC leaves ASCII as it is, and the backtick is the table's one ASCII character.
        if "`" in text:
            text = text.replace("`", "'")
        text = " ".join(text.split())
    else:
        text = " ".join(_nfkc_keeping_scripts(text).translate(_IDENTITY_TABLE).split())
    if not text.isprintable():
        text = " ".join(_FORMAT.sub("", text).split())
    return text


# Letters whose stroke, bar or missing dot is part of the letter, not a combining mark,
# so that NFD leaves them whole: Polish and Croatian l/d with a stroke, Vietnamese d with
# a bar, Turkish dotless i, Danish/Norwegian o with a stroke, Maltese h with a bar.
_STROKED = str.maketrans("\u0142\u0141\u0111\u0110\u0131\u00f8\u00d8\u0127\u0126", "lLdDioOhH")
# A letter of an alphabet (Latin, Greek, Cyrillic) and the combining marks on it: the
# marks of other scripts (Devanagari vowel signs, Arabic and Hebrew points) are letters
# of their words, not accents.
_ACCENTED = regex.compile(r"([\p{Latin}\p{Greek}\p{Cyrillic}])\p{Mn}+")


def fold_accents(text: str) -> str:
    """``text`` with the accents of its Latin, Greek and Cyrillic letters dropped.

    What a scraper or a keyboard without them leaves of a text ("a câmara de Évora" ->
    "a camara de Evora", "Hà Nội" -> "Ha Noi", "Łódź" -> "Lodz"): the canonical
    decomposition (NFD) without its combining marks (category Mn), plus the letters
    whose stroke is no combining mark (``ł``, ``đ``, ``ø``, ``ħ``, dotless i), composed again
    (NFC). Other scripts keep their marks. Only the near-duplicate search uses it, to
    find a copy whose accents were stripped as a candidate; the comparison that
    verifies the pair sees the texts as written.

    >>> fold_accents("A câmara de Évora, Hà Nội, Łódź, Příbram, Đà Nẵng")
    'A camara de Evora, Ha Noi, Lodz, Pribram, Da Nang'
    >>> fold_accents("plain ASCII is returned as it is")
    'plain ASCII is returned as it is'
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKED))
    return unicodedata.normalize("NFC", _ACCENTED.sub(r"\1", decomposed))
