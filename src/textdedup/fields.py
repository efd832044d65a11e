"""Records with fields: per-field rules that turn a record into a comparison key.

Beside the flow, before :mod:`textdedup.shingle`: a record with fields (a citation with
title, authors, journal, year, volume, issue, pages) becomes one key, compared as any
short text is, plus the values of its must-agree fields. Each field has a rule:

* ``fuzzy``: the value as it is (the key normalization still folds case and punctuation);
* ``folded``: diacritics folded too (``Müller`` and ``Muller`` compare equal);
* ``names``: person names, folded, each reduced to surname and initials and sorted
  (``Langhorne, Peter; Smith, J.`` and ``J Smith; P. Langhorne`` give the same key);
* ``exact``: a number or identifier that must agree when both records give it: two
  records whose values differ are never duplicates, whatever their score; a record
  without the field agrees with any value.

A field named without a rule gets one by its name (:data:`DEFAULT_RULES`): ``year``,
``volume``, ``issue``, ``pages``, identifiers and numbers ``exact``; ``author(s)``,
``editor(s)`` ``names``; any other ``folded``.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import regex

from .normalize import normalize_key

__all__ = [
    "DEFAULT_RULES",
    "RULES",
    "FieldRule",
    "exact_value",
    "fold",
    "name_key",
    "parse_fields",
    "record_agree",
    "record_digest_text",
    "record_key",
    "record_text",
    "records_agree",
    "values_agree",
]

FieldRule = Literal["fuzzy", "folded", "names", "exact"]
#: The rules a field may have.
RULES: tuple[FieldRule, ...] = ("fuzzy", "folded", "names", "exact")
#: The rule of a field named without one, by its name (case-folded).
DEFAULT_RULES: dict[str, FieldRule] = {
    **dict.fromkeys(
        (
            "year", "date", "month", "volume", "issue", "number", "no", "pages", "page",
            "edition", "part", "id", "doi", "isbn", "issn", "pmid", "arxiv", "url",
        ),
        "exact",
    ),
    **dict.fromkeys(
        ("author", "authors", "editor", "editors", "creator", "creators", "names"), "names"
    ),
}  # fmt: skip

# Letters that NFKD does not split into a base letter and a mark.
_FOLD = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae",
     "Æ": "AE", "œ": "oe", "Œ": "OE", "\u0131": "i", "þ": "th", "ð": "d"}
)  # fmt: skip
_NAME_SEP = regex.compile(r"\s*(?:;|&|\band\b)\s*", regex.IGNORECASE)
_NAME_PART = regex.compile(r"[\p{L}\p{M}'\u2019]+")


def parse_fields(fields: Sequence[str]) -> tuple[tuple[str, FieldRule], ...]:
    """``("title", "year:exact")`` as ``(name, rule)`` pairs, rules filled in by name.

    Raises
    ------
    ValueError
        An empty name, an unknown rule, or a field named twice.

    >>> parse_fields(["title", "authors", "year", "venue:fuzzy"])
    (('title', 'folded'), ('authors', 'names'), ('year', 'exact'), ('venue', 'fuzzy'))
    """
    out: list[tuple[str, FieldRule]] = []
    for spec in fields:
        if not isinstance(spec, str):
            raise TypeError(f"fields must be strings, got {spec!r}")
        name, _, rule = spec.partition(":")
        name = name.strip()
        if not name:
            raise ValueError(f"a field needs a name, got {spec!r}")
        if rule and rule not in RULES:
            raise ValueError(
                f"field {name!r}: rule must be one of {', '.join(RULES)}, got {rule!r}"
            )
        chosen = RULES[RULES.index(rule)] if rule else DEFAULT_RULES.get(name.casefold(), "folded")
        if any(n == name for n, _ in out):
            raise ValueError(f"field {name!r} is named twice")
        out.append((name, chosen))
    return tuple(out)


def fold(text: str) -> str:
    """``text`` without diacritics (NFKD, combining marks left out, a few letters spelled out).

    >>> fold("Šimůnek, Łukasz; Nørgaard")
    'Simunek, Lukasz; Norgaard'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# "et al." (and "et al", "and others") closes an author list: not a name.
_ET_AL = regex.compile(r"\s*,?\s*\b(?:et\.?\s+al\b\.?|and\s+others\b).*$", regex.IGNORECASE)
# Particles that belong to the surname: "Jan van der Berg" is "van der Berg, J.".
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "ten"}
)


def _is_initials(word: str) -> bool:
    """Medline initials: one to three capitals ("P", "JA"), maybe with periods."""
    bare = word.replace(".", "")
    return 1 <= len(bare) <= 3 and bare.isalpha() and bare.isupper()


def _split_names(names: str) -> list[tuple[str, list[str]]]:
    """``(surname, given names)`` of each name in a list written as text.

    Formats: ``Surname, Given; Surname, Given`` (also ``&``/``and``),
    ``Surname, Given, Surname, Given``, Medline ``Surname I, Surname I`` (also with
    ``;``), ``Given Surname, Given Surname``, a lone ``Surname, Given``.
    """
    text = _ET_AL.sub("", names)
    out: list[tuple[str, list[str]]] = []
    for part in _NAME_SEP.split(text):
        if not part.strip():
            continue
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        words = [_NAME_PART.findall(p) for p in pieces]
        if len(pieces) >= 2 and all(len(w) == 1 for w in words) and len(pieces) % 2 == 0:
            # "Surname, Given[, Surname, Given ...]": pairs of one word each.
            for k in range(0, len(pieces), 2):
                out.append(_with_particles(words[k], words[k + 1]))
        elif len(pieces) == 2 and words[0] and not _looks_like_full(words[0]):
            out.append(_with_particles(words[0], words[1]))
        else:
            out.extend(_one_name(w) for w in words if w)
    return out


def _looks_like_full(words: list[str]) -> bool:
    """Whether a comma-separated piece is a whole name ("Peter Langhorne", "Langhorne P")."""
    return len(words) >= 2 and not all(w.casefold() in _PARTICLES for w in words[:-1])


def _with_particles(surname: list[str], given: list[str]) -> tuple[str, list[str]]:
    """``Berg, Jan van der``: particles at the end of the given names go to the surname."""
    given = list(given)
    lead: list[str] = []
    while given and given[-1].casefold() in _PARTICLES:
        lead.insert(0, given.pop())
    return " ".join(lead + surname), given


def _one_name(words: list[str]) -> tuple[str, list[str]]:
    """A name without a comma: Medline ``Surname I`` or ``Given [particles] Surname``."""
    if len(words) >= 2 and _is_initials(words[-1]) and not _is_initials(words[0]):
        return " ".join(words[:-1]), list(words[-1].replace(".", ""))
    k = len(words) - 1
    while k > 1 and words[k - 1].casefold() in _PARTICLES:
        k -= 1
    if k == 1 and len(words) > 2 and words[0].casefold() in _PARTICLES:
        k = 0
    return " ".join(words[k:]), list(words[:k])


def _names(value: Any) -> list[tuple[str, list[str]]]:
    """``(surname, given names)`` of a names value: text, a list of strings, or CSL-JSON
    objects (``{"family": ..., "given": ...}``, ``{"literal": ...}``, ``{"name": ...}``)."""
    if isinstance(value, Mapping):
        value = [value]
    if isinstance(value, (list, tuple)):
        out: list[tuple[str, list[str]]] = []
        for v in value:
            if isinstance(v, Mapping):
                family = v.get("family") or v.get("last") or v.get("surname")
                if family:
                    particle = v.get("non-dropping-particle") or ""
                    surname = _NAME_PART.findall(fold(f"{particle} {family}"))
                    given = _NAME_PART.findall(fold(str(v.get("given") or v.get("first") or "")))
                    out.append((" ".join(surname), given))
                else:
                    literal = v.get("literal") or v.get("name")
                    if literal:
                        out.extend(_split_names(fold(str(literal))))
            elif v is not None and str(v).strip():
                out.extend(_split_names(fold(str(v))))
        return out
    return _split_names(fold(str(value)))


def name_key(names: Any) -> str:
    """Person names as sorted ``surname initials``, folded.

    ``names`` is text (names separated by ``;``, ``&``, ``and`` or commas, each
    ``Surname, Given``, ``Surname I`` or ``Given Surname``; "et al." dropped), a list of
    such strings, or a list of CSL-JSON name objects. Particles stay with the surname.

    >>> name_key("Langhorne, Peter; Müller, J.")
    'langhorne p; muller j'
    >>> name_key("J. Muller and P. Langhorne")
    'langhorne p; muller j'
    >>> name_key("Langhorne P, Bernhardt J") == name_key("Bernhardt, J.; Langhorne, Peter")
    True
    >>> name_key([{"given": "Jan", "family": "Berg", "non-dropping-particle": "van der"}])
    'van der berg j'
    >>> name_key("Jan van der Berg, Smith J et al.")
    'smith j; van der berg j'
    """
    out = []
    for surname, given in _names(names):
        initials = " ".join(p[0] for p in given)
        out.append(f"{surname} {initials}".strip().casefold())
    return "; ".join(sorted(x for x in out if x))


def _given_names(value: Any) -> str:
    """``surname initials=first given name`` of each author whose first given name is
    spelled out (more than one letter), for the names check of :func:`values_agree`."""
    out = []
    for surname, given in _names(value):
        if given and len(given[0]) > 1:
            initials = " ".join(p[0] for p in given)
            out.append(f"{surname} {initials}".strip().casefold() + "=" + given[0].casefold())
    return "\n".join(sorted(out))


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, (list, tuple, dict)) and not value:
        return True
    return isinstance(value, str) and value.strip().casefold() in ("", "nan", "null", "none", "n/a")


def _value(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if _missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value if not _missing(v))
    text = str(value).strip()
    return text or None


# Labels written before a number: "Vol. 377", "No. 9778", "pp. 1693-702", "Issue 4".
_LABEL = regex.compile(
    r"^(?:vol(?:ume)?|no|nr|num(?:ber)?|issue|iss|pp|pages?|p|part|pt|ed(?:ition)?)\.?\s*",
    regex.IGNORECASE,
)
_RANGE = regex.compile(r"^(\p{L}*)(\d+)\s*[-\u2010-\u2015\u2212]+\s*(\p{L}*)(\d+)$")
_YEAR = regex.compile(r"(?<!\d)(1\d{3}|20\d{2})(?!\d)")
_LEADING_ZEROS = regex.compile(r"(?<![\d.])0+(?=\d)")


def exact_value(name: str, value: Any) -> str | None:
    """A must-agree value, normalized: ``None`` when missing (``None``, NaN, ``""``, "null").

    A whole float is an int (``2011.0`` is ``2011``); labels go (``Vol. 377`` is ``377``,
    ``No. 9778`` is ``9778``, ``pp. 1693-702`` is ``1693-1702``); leading zeros go
    (``01`` is ``1``); a page range gets its full end page; a year is its four digits
    (``2011-05-12`` is ``2011``). Compare values with :func:`values_agree`.

    >>> [exact_value("pages", v) for v in ("pp. 1693-702", "1693\u20131702", "e101-e109")]
    ['1693-1702', '1693-1702', 'e101-e109']
    >>> [exact_value("year", v) for v in (2011.0, "2011-05-12", float("nan"))]
    ['2011', '2011', None]
    >>> exact_value("issue", "No. 09")
    '9'
    """
    record = {name: value}
    text = _value(record, name)
    if text is None:
        return None
    text = fold(text).strip().casefold()
    if (
        name.casefold() in ("year", "date")
        and (m := _YEAR.search(text))
        and name.casefold() == "year"
    ):
        return m.group(1)
    text = _LABEL.sub("", text).strip()
    if (m := _RANGE.match(text)) is not None:
        p1, start, p2, end = m.groups()
        start, end = str(int(start)), str(int(end))
        if len(end) < len(start):
            end = start[: len(start) - len(end)] + end
        return f"{p1}{start}-{p2 or p1}{end}"
    text = _LEADING_ZEROS.sub("", text)
    return normalize_key(text) or None


def values_agree(a: str | None, b: str | None) -> bool:
    """Whether two must-agree values (from :func:`record_agree`) agree.

    A missing value agrees with any; a page range agrees with a start page alone when
    the start pages are equal; names agree unless an author's spelled-out first given
    name differs ("Peter" and "Paul"; "P" agrees with both).

    >>> values_agree("1693-1702", "1693"), values_agree("1693-1702", "1694")
    (True, False)
    """
    if a is None or b is None or a == b:
        return True
    if a.startswith(_NAMES_TAG) or b.startswith(_NAMES_TAG):
        given_a = dict(x.split("=", 1) for x in a[len(_NAMES_TAG) :].splitlines())
        given_b = dict(x.split("=", 1) for x in b[len(_NAMES_TAG) :].splitlines())
        return all(given_b.get(k, v) == v for k, v in given_a.items())
    ra, rb = _RANGE.match(a), _RANGE.match(b)
    if (ra is None) != (rb is None):
        start = (ra or rb).group(1) + (ra or rb).group(2)  # type: ignore[union-attr]
        return (b if ra is not None else a) == start
    return False


_NAMES_TAG = "\x00names\n"


def _apply(rule: FieldRule, value: Any, name: str = "") -> str:
    if rule == "names":
        return name_key(value)
    if rule == "exact":
        return exact_value(name, value) or ""
    text = value if isinstance(value, str) else _value({"v": value}, "v") or ""
    if rule == "folded":
        return normalize_key(fold(text))
    return normalize_key(text)


def record_key(record: Mapping[str, Any], fields: Sequence[str]) -> str:
    """The comparison key of a record: its fields' values, each by its rule, in order.

    >>> record_key({"title": "Über Wellen", "authors": "Müller, Jürgen", "year": 2002},
    ...            ["title", "authors", "year"])
    'uber wellen muller j 2002'
    """
    parts = []
    for name, rule in parse_fields(fields):
        raw = record.get(name)
        if _missing(raw):
            continue
        value = raw if rule == "names" else _value(record, name)
        if value is not None:
            parts.append(_apply(rule, value, name))
    return normalize_key(" ".join(parts))


def record_text(record: Mapping[str, Any], fields: Sequence[str]) -> str:
    """The text of a record's compared fields that are not ``exact`` or ``names`` (title,
    journal), as written: what the short-text rule reads numbers and words from.

    >>> record_text({"title": "Dose 0.5 mg", "journal": "BMJ", "year": 2002},
    ...             ["title", "journal", "year"])
    'Dose 0.5 mg ; BMJ'
    """
    parts = []
    for name, rule in parse_fields(fields):
        if rule in ("fuzzy", "folded"):
            value = _value(record, name)
            if value is not None:
                parts.append(value)
    return " ; ".join(parts)


def record_digest_text(record: Mapping[str, Any], fields: Sequence[str]) -> str:
    """The compared fields as written (JSON): records are ``exact`` duplicates only when
    this is equal.

    >>> record_digest_text({"title": "x", "year": 2002, "n": 1}, ["title", "year"])
    '["x", 2002]'
    """
    return json.dumps(
        [record.get(name) for name, _ in parse_fields(fields)], ensure_ascii=False, default=str
    )


def record_agree(record: Mapping[str, Any], fields: Sequence[str]) -> tuple[str | None, ...]:
    """The values of the record's must-agree fields, normalized (``None`` where missing):
    each ``exact`` field (:func:`exact_value`), and each ``names`` field's spelled-out
    given names. Compare two with :func:`values_agree`, field by field.

    >>> record_agree({"title": "x", "issue": "02", "pages": "1-9"}, ["title", "issue", "pages"])
    ('2', '1-9')
    """
    out: list[str | None] = []
    for name, rule in parse_fields(fields):
        if rule == "exact":
            out.append(exact_value(name, record.get(name)))
        elif rule == "names":
            raw = record.get(name)
            given = None if _missing(raw) else _given_names(raw)
            out.append(_NAMES_TAG + given if given else None)
    return tuple(out)


def records_agree(a: Sequence[str | None], b: Sequence[str | None]) -> bool:
    """Whether two :func:`record_agree` tuples agree in every field (:func:`values_agree`)."""
    return all(values_agree(x, y) for x, y in zip(a, b, strict=True))
