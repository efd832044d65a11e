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

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import regex

from .normalize import normalize_key

__all__ = [
    "DEFAULT_RULES",
    "RULES",
    "FieldRule",
    "fold",
    "name_key",
    "parse_fields",
    "record_agree",
    "record_key",
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


def name_key(names: str) -> str:
    """Person names as sorted ``surname initials``, folded.

    Names are separated by ``;``, ``&`` or ``and``; a name with a comma is
    ``Surname, Given names``, one without is ``Given names Surname``.

    >>> name_key("Langhorne, Peter; Müller, J.")
    'langhorne p; muller j'
    >>> name_key("J. Muller and P. Langhorne")
    'langhorne p; muller j'
    """
    out = []
    for name in _NAME_SEP.split(fold(names)):
        if not name.strip():
            continue
        if "," in name:
            last, _, given = name.partition(",")
            surname = " ".join(_NAME_PART.findall(last))
            given_parts = _NAME_PART.findall(given)
        else:
            parts = _NAME_PART.findall(name)
            if not parts:
                continue
            surname, given_parts = parts[-1], parts[:-1]
        initials = " ".join(p[0] for p in given_parts)
        out.append(f"{surname} {initials}".strip().casefold())
    return "; ".join(sorted(out))


def _value(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = str(value).strip()
    return text or None


def _apply(rule: FieldRule, value: str) -> str:
    if rule == "names":
        return name_key(value)
    if rule in ("folded", "exact"):
        return normalize_key(fold(value))
    return normalize_key(value)


def record_key(record: Mapping[str, Any], fields: Sequence[str]) -> str:
    """The comparison key of a record: its fields' values, each by its rule, in order.

    >>> record_key({"title": "Über Wellen", "authors": "Müller, Jürgen", "year": 2002},
    ...            ["title", "authors", "year"])
    'uber wellen muller j 2002'
    """
    parts = []
    for name, rule in parse_fields(fields):
        value = _value(record, name)
        if value is not None:
            parts.append(_apply(rule, value))
    return normalize_key(" ".join(parts))


def record_agree(record: Mapping[str, Any], fields: Sequence[str]) -> tuple[str | None, ...]:
    """The values of the record's ``exact`` fields (``None`` where missing), normalized.

    >>> record_agree({"title": "x", "issue": "2", "pages": "1-9"}, ["title", "issue", "pages"])
    ('2', '1 9')
    """
    out: list[str | None] = []
    for name, rule in parse_fields(fields):
        if rule == "exact":
            value = _value(record, name)
            out.append(None if value is None else _apply("exact", value))
    return tuple(out)
