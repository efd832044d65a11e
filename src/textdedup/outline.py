"""The outline of line-structured text: which element a run of lines sits in.

Part of the decision stage of :mod:`textdedup.clean`. Config files, data files and
logs nest their lines: by indentation (YAML, JSON, XML, HCL, nginx, Python), under a
header line (a log event: a line that opens with a time or a log level, with its
trace under it), or by quoting (a CSV record whose field spans lines). Two questions
about a repeated run of whole lines are answered here, by shape alone:

- :func:`other_sections`: do the two copies sit inside two *different* elements (a
  play for the db hosts and one for the web hosts, ``production:`` and ``staging:``,
  two ``server {}`` blocks, two log events 30 s apart)? Then each copy is its own
  section's body, not a paste.
- :func:`one_record`: are the two copies one record of a list of records, repeated
  (two equal items of a JSON array, two ``<Line>`` elements, two YAML list entries, two
  CSV records with a multi-line field)? Then the repeat is a count, as a line
  repeated in a list is.

Every scan is bounded (``_LOOKAROUND`` lines), so a question costs little on a long
document; an element larger than that is not recognised and nothing is kept for it.
"""

from __future__ import annotations

import array
import bisect
import csv
import functools
import io

import regex

__all__ = ["EVENT", "one_record", "other_sections"]

# How many lines a scan looks back or ahead for an element's head or end.
_LOOKAROUND = 2000

# A line that records an event: it opens with a time of day with seconds (a date may
# come first: "2026-05-02T10:15:02Z", "2026/05/02 10:15:02", "May  2 10:15:02", the
# "03-14 10:22:31.118" of Android's logcat) or a log level ("WARN", "[ERROR]"); or it
# holds such a time within its first 40 characters, after a prefix of its own
# ("[14-Mar-2026 10:05:47 UTC] PHP Fatal error", Rails' "F, [2026-03-14T10:04:50.201
# #4415] FATAL", "web-1  | 2026-...": a level letter, a date in another order, a
# container's name); or it is a shell command after its prompt ("$ importer x.csv",
# "ana@box:~/src$ make"), whose output is under it; or a container's line in a Compose
# log ("api-1  | Waiting for database..."): each run or retry is an event of its own.
EVENT = regex.compile(
    r"[^\S\n]*(?:\[?(?:\d{4}-\d{2}-\d{2}[T ]|\d{2}-\d{2} |\d{4}/\d{2}/\d{2} "
    r"|\p{Lu}\p{Ll}{2}\s+\d{1,2} )?"
    r"\d{1,2}:\d{2}:\d{2}(?!\d)"
    r"|\[?(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE)\b"
    r"|[^\n]{1,40}?(?<![\d:])\d{1,2}:\d{2}:\d{2}(?![\d:])"
    r"|\$[^\S\n]+\S|[\w.-]+@[\w.-]+:[^\n$#]{0,80}[$#][^\S\n]+\S"
    r"|[\w.]+[-_]\d+[^\S\n]+\|[^\S\n])"
)
# A line that only closes what its element's head opened: brackets, a closing tag.
_CLOSER = regex.compile(
    r"[^\S\n]*(?:(?P<bracket>[\]})])[\]})]*[,;]?|</(?P<tag>[A-Za-z][\w:.-]*)[^\S\n]*>)[^\S\n]*"
)
# What a head line opens, for its closer: a bracket at its end, or a tag at its start.
_OPENS = regex.compile(
    r"[^\S\n]*(?:<(?P<tag>[A-Za-z][\w:.-]*)(?:\s[^<>\n]*)?>(?!.*</(?P=tag)>)"
    r"|[^\n]*(?P<bracket>[\[{(])[^\S\n]*(?:#[^\n]*)?$)"
)
_PAIRS = {"]": "[", "}": "{", ")": "("}
# An opening tag that names its element's own id: id="...", data-id, data-listing-id.
_OWN_ID = regex.compile(
    r"[^\S\n]*<[A-Za-z][\w:.-]*\b[^<>\n]*?\s(?:id|data-(?:[\w-]*-)?id)[^\S\n]*=", regex.IGNORECASE
)
# A line of data: a key with a value (JSON, YAML, TOML, INI, HCL), a line that opens
# with a tag, a bracket, a comment, or a scalar of a list (a string, a number).
_DATA_LINE = regex.compile(
    r"[^\S\n]*(?:-[^\S\n]+)?(?:"
    r"[\"']?[\w.$@/-]{1,80}[\"']?[^\S\n]*[:=](?:[^\S\n]|$)"
    r"|<[A-Za-z/!?]|[\[\]{}(),]|#|//|;"
    r"|(?:\"[^\"\n]*\"|'[^'\n]*'|-?\d[\d.eE+-]*|true|false|null|~)[^\S\n]*,?[^\S\n]*$"
    r")"
)
# A record that names itself a row of a table: an HTML row, a Markdown table row (one
# repeated right after itself was scraped twice, see clean._ROW_OR_TASK).
_TABLE_ROW = regex.compile(r"[^\S\n]*(?:<tr\b|\|)", regex.IGNORECASE)
# The header of an INI, TOML or git config section ("[cache]", '[branch "main"]'): one
# name, one section.
_SECTION_HEADER = regex.compile(r"[ \t]*\[(?!\[)[^\[\]\n]{1,80}\][ \t]*(?:[#;][^\n]*)?")
# The header of a TOML array of tables ("[[products]]"): each one opens a record.
_TABLE_ARRAY = regex.compile(r"\[\[[^\[\]\n]{1,80}\]\][^\S\n]*(?:#[^\n]*)?")
_INDENT = regex.compile(r"[ \t]*")
# How much of a record's first line _OWN_ID and _SECTION_HEADER read.
_HEAD_CHARS = 2000
# What may stand beside a copy of whole lines on its first line (a list marker, tags)
# and on its last (closing tags, a comma): a copy is compared without its markup.
_LEAD = regex.compile(r"[ \t]*(?:(?:[-*+>]|</?[A-Za-z][^<>\n]{0,200}>)[ \t]*)*")
_TAIL = regex.compile(r"[ \t]*(?:(?:</?[A-Za-z][^<>\n]{0,200}>|[,;])[ \t]*)*")


@functools.lru_cache(maxsize=2)
def _line_breaks(text: str) -> array.array[int]:
    """The offsets of the line breaks of ``text``, increasing, 8 bytes each (kept for
    the text at hand: every copy of one text asks again)."""
    out = array.array("q")
    pos = text.find("\n")
    while pos >= 0:
        out.append(pos)
        pos = text.find("\n", pos + 1)
    return out


class _Lines:
    """Whole lines of a text, each named by the offset where it starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Where each line break stands: a line's start and end are looked up, not
        # searched for (a search per call read a long line again each time).
        self._breaks = _line_breaks(text)

    def start(self, pos: int) -> int:
        i = bisect.bisect_left(self._breaks, pos)
        return self._breaks[i - 1] + 1 if i else 0

    def end(self, line: int) -> int:
        i = bisect.bisect_left(self._breaks, line)
        return self._breaks[i] if i < len(self._breaks) else len(self.text)

    def prev(self, line: int) -> int:
        return -1 if line <= 0 else self.start(line - 1)

    def next(self, line: int) -> int:
        e = self.end(line)
        return -1 if e >= len(self.text) or e + 1 >= len(self.text) else e + 1

    def indent(self, line: int) -> int:
        """The line's indentation in characters (a tab is one), or -1 for a blank line."""
        e = _INDENT.match(self.text, line).end()  # type: ignore[union-attr]
        return -1 if e >= len(self.text) or self.text[e] == "\n" else e - line

    def closer(self, line: int) -> bool:
        return _CLOSER.fullmatch(self.text, line, self.end(line)) is not None

    def between(self, a: int, b: int) -> list[int]:
        """Lines ``a`` to ``b`` (both line starts), at most ``_LOOKAROUND`` + 1 of them."""
        out = [a]
        while out[-1] < b and len(out) <= _LOOKAROUND:
            nxt = self.next(out[-1])
            if nxt < 0:
                break
            out.append(nxt)
        return out

    def widened(
        self, copy: tuple[int, int], twin: tuple[int, int]
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """The lines that hold ``copy`` and ``twin`` when those lines are the same text at
        both places (a repeat found from inside a line, as sentence blocks find it);
        else the two as they are."""
        text = self.text
        wide = [(self.start(a), self.end(self.start(max(a, b - 1)))) for a, b in (copy, twin)]
        (a1, b1), (a2, b2) = wide
        if b1 - a1 == b2 - a2 and text[a1:b1] == text[a2:b2]:
            return wide[0], wide[1]
        return copy, twin

    def whole_pair(
        self, copy: tuple[int, int], twin: tuple[int, int]
    ) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """The first and last lines of ``copy`` and of ``twin`` (:meth:`widened`, then
        :meth:`whole`), or ``None`` unless both are whole lines."""
        copy, twin = self.widened(copy, twin)
        one, other = self.whole(*copy), self.whole(*twin)
        return None if one is None or other is None else (one, other)

    def whole(self, start: int, end: int) -> tuple[int, int] | None:
        """The first and last lines of ``text[start:end]`` when it is whole lines (only
        whitespace or markup beside it on its first and last lines), else ``None``."""
        text = self.text
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            return None
        a, b = self.start(start), self.start(end - 1)
        if not _LEAD.fullmatch(text, a, start) or not _TAIL.fullmatch(text, end, self.end(b)):
            return None
        return a, b


def _element_end(lines: _Lines, head: int) -> int | None:
    """The end offset of the element ``head`` opens: the lines after it indented deeper,
    and a closing line at its own indentation (``}``, ``</Line>``); ``None`` when that
    is more than ``_LOOKAROUND`` lines away."""
    level = lines.indent(head)
    last, line = head, lines.next(head)
    for _ in range(_LOOKAROUND):
        if line < 0:
            return lines.end(last)
        i = lines.indent(line)
        if i >= 0:
            if i <= level:
                if i == level and _closes(lines, head, line):
                    last = line
                return lines.end(last)
            last = line
        line = lines.next(line)
    return None


def _closes(lines: _Lines, head: int, line: int) -> bool:
    """Whether ``line`` only closes what ``head`` opens (``}`` after ``server {``,
    ``</Line>`` after ``<Line>``)."""
    close = _CLOSER.fullmatch(lines.text, line, lines.end(line))
    opens = _OPENS.match(lines.text, head, lines.end(head))
    if close is None or opens is None:
        return False
    if close["tag"] is not None:
        return close["tag"] == opens["tag"]
    return opens["bracket"] is not None and _PAIRS[close["bracket"]] == opens["bracket"]


def _chain(
    lines: _Lines, span: tuple[int, int], *, events: bool = True
) -> list[tuple[int, int]] | None:
    """The elements that enclose the whole lines ``span`` (first and last line), the
    innermost first, as ``(head line, end offset)``: by indentation, then (with
    ``events``) the log event they belong to. ``None`` when ``span`` is too long to
    look at."""
    a, b = span
    body = lines.between(a, b)
    if body[-1] != b:
        return None
    levels = [lines.indent(x) for x in body if lines.indent(x) >= 0 and not lines.closer(x)]
    chain: list[tuple[int, int]] = []
    if levels:
        need, line, steps = min(levels), a, 0
        while need > 0 and steps < _LOOKAROUND:
            head = lines.prev(line)
            while head >= 0 and steps < _LOOKAROUND:
                i = lines.indent(head)
                if 0 <= i < need:
                    break
                head, steps = lines.prev(head), steps + 1
            if head < 0 or steps >= _LOOKAROUND:
                break
            end = _element_end(lines, head)
            if end is None or end < lines.end(b):
                break
            chain.append((head, end))
            need, line = lines.indent(head), head
    event = _event(lines, body) if events else None
    if event is not None:
        chain.append(event)
    return chain


def _event(lines: _Lines, body: list[int]) -> tuple[int, int] | None:
    """The log event whose trace holds all of ``body``: the nearest line before it that
    opens with a time or a log level (:data:`EVENT`), with no blank line and no other
    event between; it ends before the next event or blank line."""
    text = lines.text
    for x in body:
        if lines.indent(x) < 0 or EVENT.match(text, x, lines.end(x)):
            return None
    head = lines.prev(body[0])
    for _ in range(_LOOKAROUND):
        if head < 0 or lines.indent(head) < 0:
            return None
        if EVENT.match(text, head, lines.end(head)):
            break
        head = lines.prev(head)
    else:
        return None
    last = body[-1]
    for _ in range(_LOOKAROUND):
        nxt = lines.next(last)
        if nxt < 0 or lines.indent(nxt) < 0 or EVENT.match(text, nxt, lines.end(nxt)):
            break
        last = nxt
    return head, lines.end(last)


def other_sections(text: str, copy: tuple[int, int], twin: tuple[int, int]) -> bool:
    """Whether the whole lines ``text[copy]`` and ``text[twin]`` (offsets) sit in two
    different elements: heads on other lines, neither inside the other, and their
    texts differ (at the innermost level where they do not match).

    >>> y = "web:\\n  a: 1\\n  b: 2\\ndb:\\n  a: 1\\n  b: 2\\n"
    >>> other_sections(y, (y.index("a", 20), len(y)), (5, 19))
    True
    >>> z = "web:\\n  a: 1\\n  b: 2\\n  a: 1\\n  b: 2\\n"
    >>> other_sections(z, (19, len(z)), (5, 19))
    False
    """
    lines = _Lines(text)
    pair = lines.whole_pair(copy, twin)
    if pair is None:
        return False
    one, other = pair
    c1, c2 = _chain(lines, one), _chain(lines, other)
    if c1 is None or c2 is None or not c1:
        return False
    # The same lines twice in the copy's own element (its body pasted again inside
    # it) are a paste there, whatever other element holds them too.
    own = text[one[0] : lines.end(one[1])]
    if text.count(own, c1[0][0], c1[0][1]) > 1:
        return False
    for (h1, e1), (h2, e2) in zip(c1, c2, strict=False):
        if h1 == h2 or h1 < h2 <= e1 or h2 < h1 <= e2:
            return False  # one element, or one inside the other
        if text[h1:e1] != text[h2:e2]:
            return True
    return False


def one_record(text: str, copy: tuple[int, int], twin: tuple[int, int]) -> bool:
    """Whether the whole lines ``text[copy]`` and ``text[twin]`` (offsets) are one
    record of a list of records, repeated: both in the same list, each holding at most
    one record's start, and every record they touch spans two lines or more, all of
    them data (keys and values, tags, brackets), or is a CSV record with a field that
    spans lines.

    >>> j = '[\\n  {\\n    "a": 1\\n  },\\n  {\\n    "a": 1\\n  }\\n]\\n'
    >>> second = j.index("{", 10) - 2
    >>> one_record(j, (second, len(j) - 2), (2, second))
    True
    """
    lines = _Lines(text)
    pair = lines.whole_pair(copy, twin)
    if pair is None:
        return False
    one, other = pair
    head = (lines.start(one[0]), lines.end(one[0]))
    # A tag's id stands in its first characters, and a section header is a short line:
    # a long line is not read to its end (``regex`` reads up to the end it is given).
    if _OWN_ID.match(text, head[0], min(head[1], head[0] + _HEAD_CHARS)) or (
        head[1] - head[0] <= _HEAD_CHARS and _SECTION_HEADER.fullmatch(text, *head)
    ):
        # An element that names its own id (<article data-id="QS-118">), or a config
        # section under its name ([branch "main"]), twice is the same record twice:
        # scraped or pasted again, not a count.
        return False
    c1, c2 = _chain(lines, one, events=False), _chain(lines, other, events=False)
    if c1 is None or c2 is None:
        return False
    for k, ((h1, _), (h2, _)) in enumerate(zip(c1, c2, strict=False)):
        if h1 != h2:
            continue
        # Both in the list P opens: each copy holds at most one of its items, or lies
        # inside one (the items one level down, when the copies are inside them).
        level = _child_level(lines, h1)
        if k == 0:
            return all(_indented_records(lines, span, level) for span in (one, other))
        items = [(c[k - 1][0], lines.start(c[k - 1][1])) for c in (c1, c2)]
        return all(_indented_records(lines, item, level) for item in items)
    if len(c1) != len(c2):
        return False
    if c1:
        # Inside two items of a list that is the text itself (a YAML list at the root).
        items = [(c[-1][0], lines.start(c[-1][1])) for c in (c1, c2)]
        return all(_indented_records(lines, item, 0) for item in items)
    if all(_indented_records(lines, span, 0) for span in (one, other)):
        return True
    return _root_records(lines, one, other)


def _child_level(lines: _Lines, head: int) -> int:
    """The indentation of the first line under ``head`` (its items' level)."""
    line = lines.next(head)
    while line >= 0:
        level = lines.indent(line)
        if level >= 0:
            return level
        line = lines.next(line)
    return -1


def _indented_records(lines: _Lines, span: tuple[int, int], level: int) -> bool:
    """Whether ``span`` holds at most one start of a child element at ``level`` and
    every child it touches is a record of two lines or more, all of them data."""
    a, b = span
    body = lines.between(a, b)
    starts = [x for x in body if lines.indent(x) == level and not lines.closer(x)]
    if len(starts) > 1:
        return False
    first = a
    for _ in range(_LOOKAROUND):
        if lines.indent(first) == level and not lines.closer(first):
            break
        first = lines.prev(first)
        if first < 0 or 0 <= lines.indent(first) < level:
            return False
    else:
        return False
    for child in [first, *(x for x in starts if x != first)]:
        end = _element_end(lines, child)
        if end is None or end <= lines.end(child):
            return False  # one line: the "lines that are a count" rule's
        if _TABLE_ROW.match(lines.text, child, lines.end(child)):
            return False
        for x in lines.between(child, lines.start(end)):
            if lines.indent(x) >= 0 and not _DATA_LINE.match(lines.text, x, lines.end(x)):
                return False
    return True


def _root_records(lines: _Lines, copy: tuple[int, int], twin: tuple[int, int]) -> bool:
    """:func:`one_record` for records not indented: TOML tables of one array
    (``[[products]]``), or CSV records with a quoted field that spans lines."""
    text = lines.text
    if not any(
        '"' in text[a : lines.end(b)] or _TABLE_ARRAY.match(text, a) for a, b in (copy, twin)
    ):
        return False  # (no quoted field, no table header: the cheap answer first)
    lo, hi = min(copy[0], twin[0]), max(copy[1], twin[1])
    # The records' list: the lines around both copies up to a blank line (or, for
    # TOML, the whole stretch of tables).
    first, last = lo, hi
    for _ in range(_LOOKAROUND):
        p = lines.prev(first)
        if p < 0 or lines.indent(p) < 0:
            break
        first = p
    for _ in range(_LOOKAROUND):
        n = lines.next(last)
        if n < 0 or lines.indent(n) < 0:
            break
        last = n
    if _TABLE_ARRAY.fullmatch(text, first, lines.end(first)) or any(
        _TABLE_ARRAY.fullmatch(text, x, lines.end(x)) for x in (copy[0], twin[0])
    ):
        return _table_array_records(lines, copy) and _table_array_records(lines, twin)
    region = text[first : lines.end(last)]
    if '"' not in region:
        return False
    try:
        rows = list(csv.reader(io.StringIO(region), strict=True))
    except csv.Error:
        return False
    if len(rows) < 2 or len(rows[0]) < 2 or any(len(r) != len(rows[0]) for r in rows):
        return False
    # Record starts: a line starts a record when the quotes before it are balanced.
    starts: list[int] = []
    balanced = True
    for x in lines.between(first, last):
        if balanced:
            starts.append(x)
        if text.count('"', x, lines.end(x)) % 2:
            balanced = not balanced
    ends = [lines.prev(s) for s in starts[1:]] + [last]
    for a, b in (copy, twin):
        inside = [s for s in starts if a <= s <= b]
        if len(inside) > 1:
            return False
        touched = [k for k, s in enumerate(starts) if s <= b and ends[k] >= a]
        if not touched or any(starts[k] == ends[k] for k in touched):
            return False  # one line: the "lines that are a count" rule's
    return True


def _table_array_records(lines: _Lines, span: tuple[int, int]) -> bool:
    """Whether ``span`` is one table of a TOML array of tables (its ``[[name]]`` header
    and key lines), or part of one."""
    text = lines.text
    a, b = span
    body = lines.between(a, b)
    heads = [x for x in body if _TABLE_ARRAY.fullmatch(text, x, lines.end(x))]
    if len(heads) > 1 or (heads and heads[0] != a):
        return False
    line = a
    for _ in range(_LOOKAROUND):
        if _TABLE_ARRAY.fullmatch(text, line, lines.end(line)):
            break
        if text.startswith("[", line) or line == 0:
            return False
        line = lines.prev(line)
    else:
        return False
    return all(lines.indent(x) < 0 or _DATA_LINE.match(text, x, lines.end(x)) for x in body)
