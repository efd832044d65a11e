"""Units of a document that repeat on purpose: messages, summary boxes, headings' levels.

Used by the single-document cleaner (:mod:`textdedup.clean`) when it decides whether a
repeat is a copy or structure. Each function reads the normalized source text and
finds one kind of unit, by its form alone:

* :func:`message_units`: the messages of a mail archive (mbox, an ``.eml``, an Outlook
  or Gmail text export: each opens with a block of header lines), the parts of a MIME
  message (each after a boundary line), and the messages of a chat export (Slack,
  Teams, Discord, IRC, WhatsApp, Telegram: each opens with a time and a sender). Text
  that stands in two of them is each message's own (a canned reply sent to two
  customers, a reminder a bot posts each day, the plain and HTML alternatives of one
  mail).
* :func:`summary_boxes`: the boxes of a page that summarise it (``Key points``,
  ``TL;DR``, ``Summary``, ``At a glance``, ``In brief``, a ``standfirst``): they repeat
  the article's sentences by design.
* :func:`heading_levels`: the headings that have a level (Markdown ``#``, HTML
  ``<h1>``-``<h6>``, setext and reStructuredText underlines), to tell a generic
  sub-section (``#### Errors``, ``### For the glaze``) under two parents apart.

Each is a pure function of the text, found with the standard :mod:`re` engine (a
scan of 10 MB takes a fraction of a second).
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

__all__ = ["MessageUnits", "heading_levels", "message_units", "summary_boxes"]

# -- messages ---------------------------------------------------------------------------
# A header line of a mail ("From: Lena <lena@example.de>", "Subject: Re: Order 77120",
# "Betreff: Mietvertrag"): a name that opens with a capital, a colon, the value. Only
# lines of such names, their folded continuations (spaces first) and an mbox "From "
# line make a header block.
_HEADER_LINE = re.compile(r"(?P<name>[^\W\d_][\w-]{0,40})[ \t]?:(?:[ \t][^\n]*)?")
_FOLDED_LINE = re.compile(r"[ \t]+\S[^\n]*")
# The "From " line that opens each message of an mbox (RFC 4155): the sender and the
# date in the asctime form ("From support@example-shop.de Mon Mar  2 09:14:00 2026").
_MBOX_FROM = re.compile(r"From \S+[ \t]+[^\n]*\d{1,2}:\d{2}[^\n]*\d{4}[^\n]*")
# The headers a mail opens with (RFC 5322, and the labels of the text exports of
# Outlook and Gmail in several languages), casefolded. A block of header lines names
# two of them or more: a "Note: ..." line or a "Key: value" list names none.
_MAIL_HEADER_NAMES = frozenset(
    [
        "from",
        "to",
        "cc",
        "bcc",
        "subject",
        "date",
        "sent",
        "reply-to",
        "message-id",
        "in-reply-to",
        "references",
        "return-path",
        "received",
        "delivered-to",
        "mime-version",
        "x-mailer",
        "user-agent",
        "importance",
        "von",
        "an",
        "betreff",
        "datum",
        "gesendet",
        "kopie",
        "objet",
        "envoyé",
        "envoye",
        "para",
        "asunto",
        "enviado",
        "fecha",
        "oggetto",
        "inviato",
        "van",
        "aan",
        "onderwerp",
        "verzonden",
        "från",
        "till",
        "ämne",
        "skickat",
        "temat",
        "wysłano",
        "od",
        "от",
        "кому",
        "тема",
        "отправлено",
        "дата",
    ]
)
# A line that may be a mail header, found fast: only these lines start a look.
_HEADER_HINT = re.compile(
    r"^(?:From|To|Subject|Date|Sent|Von|An|Betreff|De|Objet|Para|Asunto|Van|Aan|Onderwerp"
    r"|Från|Till|Ämne|Od|Do|Temat|От|Кому|Тема|Oggetto|Da)[ \t]?:",
    re.MULTILINE,
)
# The boundary a multipart message declares, and a line that opens a part of it: the
# boundary after "--" (with "--" after it, the end of the parts). A line of "--" and a
# word right above a Content-Type header opens a part too (the declaration was cut).
_BOUNDARY = re.compile(r"""\bboundary[ \t]*=[ \t]*(?:"([^"\n]{1,200})"|([^\s;"]{1,200}))""", re.I)
_PART_BY_FORM = re.compile(r"^--([^\s-][^\s]{0,199})[ \t]*\n(?=Content-[\w-]+[ \t]?:)", re.M | re.I)
# A chat message opening its line: a time (with a date before it, in brackets or not),
# then the sender ("<nick>", or a name and a colon), then the text. "[08:00]
# release-bot: ...", "[09/03/2026, 08:00:12] Ana: ...", "09/03/2026, 08:00 - Ana: ...",
# "[08:00] <ana> ...", "08:00 <ana> ...".
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?:[ \t]?[AaPp]\.?[Mm]\.?)?"
_DATE = r"\d{1,4}[./-]\d{1,2}(?:[./-]\d{1,4})?"
_CHAT_INLINE = re.compile(
    rf"[ \t]*(?:\[[^\]\n]{{0,24}}?\b{_TIME}\][ \t]*(?:[-\u2013\u2014][ \t]*)?"
    rf"|(?:{_DATE},?[ \t]+)?{_TIME}[ \t]+(?:[-\u2013\u2014][ \t]+)?)"
    r"(?:<[^<>\n]{1,40}>|[^\s:<>\[\]][^:\n]{0,40}?:)(?=[ \t]|$)"
)
# A chat message's header on a line of its own, the text on the lines under it: a
# sender and a time ("release-bot  8:00 AM" of Slack, "release-bot — Today at 08:00"
# of Discord, "Ana, [09.03.2026 08:00]" of Telegram, "[09/03/2026 08:00] Ana" of
# Teams).
_CHAT_OWN_LINE = re.compile(
    rf"[ \t]*(?:\[[^\]\n]{{0,24}}?\b{_TIME}\][ \t]*[^\s\[][^\n]{{0,40}}"
    rf"|[^\s\[][^\n]{{0,40}}?(?:[ \t]{{2,}}|[ \t]+[\u2013\u2014][ \t]+|,[ \t]+\[?)"
    rf"(?:(?:Today|Yesterday)[ \t]+at[ \t]+|{_DATE},?[ \t]+)?{_TIME}\]?)[ \t]*"
)
# A line with a time in it: only these lines are looked at for a chat header.
_TIME_HINT = re.compile(r"^[^\n]{0,80}?\d:\d\d", re.MULTILINE)


class MessageUnits(NamedTuple):
    """The messages of a text, in order: where each starts (``starts``), where its own
    text starts after its header block (``bodies``: a chat message's header is part of
    its line, so there it is its start), what names it (``keys``: a mail's header
    block, whitespace collapsed; a MIME part or a chat message is named by its place),
    and whether it is a mail (``mails``: its body is named by its headers as a section
    by its heading, so only text right under them is the mail's own)."""

    starts: list[int]
    bodies: list[int]
    keys: list[str]
    mails: list[bool]

    def unit(self, start: int, end: int) -> int | None:
        """The message that holds ``[start, end)`` (its own text: no header, and no
        other message's start inside), or ``None``."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0 or start < self.bodies[i]:
            return None
        if i + 1 < len(self.starts) and self.starts[i + 1] < end:
            return None
        return i


def _line_end(src: str, pos: int) -> int:
    end = src.find("\n", pos)
    return len(src) if end < 0 else end


def _header_block(src: str, line: int) -> tuple[int, int, str] | None:
    """The mail header block around the line at ``line``, as ``(start, end, key)``, if
    it names two mail headers or more (or opens with an mbox ``From`` line)."""
    # Up: header lines, folded lines, and an mbox "From " line on top.
    start = line
    while start > 0:
        above = src.rfind("\n", 0, start - 1) + 1
        text = src[above : start - 1]
        if _HEADER_LINE.fullmatch(text) or _FOLDED_LINE.fullmatch(text):
            start = above
        elif _MBOX_FROM.fullmatch(text):
            start = above
            break
        else:
            break
    names = set()
    end = pos = start
    mbox = False
    while pos < len(src):
        stop = _line_end(src, pos)
        text = src[pos:stop]
        m = _HEADER_LINE.fullmatch(text)
        if m is not None:
            names.add(m["name"])
        elif pos == start and _MBOX_FROM.fullmatch(text):
            mbox = True
        elif not (pos > start and _FOLDED_LINE.fullmatch(text)):
            break
        end = stop
        pos = stop + 1
    # (Mail headers are capitalized: a YAML mapping's "from:" and "to:" are no mail.)
    known = len({n.casefold() for n in names if n[:1].isupper()} & _MAIL_HEADER_NAMES)
    if known >= 2 or (mbox and known >= 1):
        return start, end, " ".join(src[start:end].split())
    return None


def message_units(src: str) -> MessageUnits:
    """The mail messages, MIME parts and chat messages of ``src`` (see :class:`MessageUnits`).

    A mail opens with a block of header lines naming two mail headers or more
    (``From:``, ``To:``, ``Subject:``, ``Date:``, ``Sent:``…, in several languages),
    or with an mbox ``From`` line; its text runs to the next unit. A MIME part opens
    with its boundary line (``--b1_7f3a``, declared by ``boundary=`` or followed by a
    ``Content-`` header) and its part headers. A chat message opens with a time and a
    sender, on its line (``[08:00] release-bot: …``) or on a line of its own
    (``release-bot  8:00 AM``); a text has two such lines or more, else it has no chat.

    >>> text = "From: a@x.org\\nTo: b@x.org\\n\\nHi.\\n\\nFrom: a@x.org\\nTo: c@x.org\\n\\nHi.\\n"
    >>> units = message_units(text)
    >>> units.starts, units.bodies
    ([0, 32], [25, 57])
    >>> first, second = text.index("Hi."), text.rindex("Hi.")
    >>> units.unit(first, first + 3), units.unit(second, second + 3), units.unit(0, 3)
    (0, 1, None)
    >>> message_units("[08:00] bot: Up.\\n[09:00] ana: ok\\n").starts
    [0, 17]
    """
    found: dict[int, tuple[int, str]] = {}
    done = -1
    for m in _HEADER_HINT.finditer(src):
        if m.start() <= done:
            continue
        block = _header_block(src, m.start())
        if block is not None:
            start, end, key = block
            found[start] = (end, key)
            done = end
        else:
            done = _line_end(src, m.start())
    boundaries = {a or b for a, b in _BOUNDARY.findall(src)}
    boundaries |= {m.group(1) for m in _PART_BY_FORM.finditer(src)}
    for boundary in sorted(boundaries):
        for m in re.finditer(rf"^--{re.escape(boundary)}(?:--)?[ \t]*$", src, re.MULTILINE):
            # The part's headers (Content-Type, Content-Transfer-Encoding) are its own.
            pos = body = m.end()
            while pos + 1 < len(src):
                stop = _line_end(src, pos + 1)
                if not _HEADER_LINE.fullmatch(src, pos + 1, stop):
                    break
                body = pos = stop
            # (Each part is named by its place: two parts are two renderings, never
            # one message again.)
            found[m.start()] = (body, f"\x00part {m.start()}")
    chats: dict[int, tuple[int, str]] = {}
    for m in _TIME_HINT.finditer(src):
        line = m.start()
        if line in found:
            continue
        stop = _line_end(src, line)
        if _CHAT_INLINE.match(src, line, stop):
            chats[line] = (line, f"\x00chat {line}")
        elif _CHAT_OWN_LINE.fullmatch(src, line, stop) and stop + 1 < len(src):
            nxt = _line_end(src, stop + 1)
            if src[stop + 1 : nxt].strip():
                chats[line] = (line, f"\x00chat {line}")
    if len(chats) >= 2:
        found.update(chats)
    starts = sorted(found)
    keys = [found[s][1] for s in starts]
    return MessageUnits(
        starts, [found[s][0] for s in starts], keys, [not k.startswith("\x00") for k in keys]
    )


# -- summary boxes ----------------------------------------------------------------------
# The titles of a box that summarises a page, in several languages.
_SUMMARY_WORDS = (
    "key points|key takeaways|key takeaway|takeaways|key facts|key findings|tl;dr|tl; dr|tldr"
    "|tl/dr|summary|executive summary|in brief|in short|at a glance|highlights|the short version"
    "|bottom line|the bottom line|what you need to know|abstract|synopsis|zusammenfassung"
    "|das wichtigste in kürze|das wichtigste|auf einen blick|kurz gesagt|en bref|l'essentiel"
    "|l\u2019essentiel|résumé|en resumen|resumen|lo esencial|in breve|riassunto|in sintesi"
    "|samenvatting|in het kort|sammanfattning|i korthet|podsumowanie|w skrócie|кратко"
    "|главное|резюме|要点|まとめ|概要|摘要|요약"
)
_SUMMARY = "(?:" + re.escape(_SUMMARY_WORDS).replace(r"\|", "|").replace(r"\ ", r"[ \t]+") + ")"
_OPEN_MARK = r"(?:\*\*|__|\*|_)?"
# The title on a line of its own, the box under it ("Key points", "## TL;DR",
# "**Summary**", "<h3>At a glance</h3>", "In brief:").
_SUMMARY_TITLE_LINE = re.compile(
    rf"[ \t]*(?:#{{1,6}}[ \t]+)?(?:<[A-Za-z][\w-]*[^<>\n]{{0,200}}>[ \t]*)*{_OPEN_MARK}"
    rf"{_SUMMARY}{_OPEN_MARK}[ \t]*:?[ \t]*(?:</[A-Za-z][\w-]*>[ \t]*)*{_OPEN_MARK}:?[ \t]*",
    re.IGNORECASE,
)
# The title opening a paragraph, then a colon or dash or bold end, then the box's text
# ("**TL;DR:** ...", "TL;DR: ...", "Summary - ...", "<strong>Key points</strong> ...").
_SUMMARY_LABEL = re.compile(
    rf"[ \t]*(?:<[A-Za-z][\w-]*[^<>\n]{{0,200}}>[ \t]*)*(?P<open>\*\*|__|<(?:strong|b)>)?"
    rf"{_SUMMARY}[ \t]*(?P<sep>[:\-\u2013\u2014])?[ \t]*(?P<close>\*\*|__|</(?:strong|b)>)?"
    r"[ \t]*(?P<sep2>[:\-\u2013\u2014])?[ \t]+(?=\S)",
    re.IGNORECASE,
)
# An element a page marks as its summary: by class or id ("<p class="standfirst">",
# "<div class="key-points">", "<aside id="tldr">").
_SUMMARY_ELEMENT = re.compile(
    r"<(?P<name>[A-Za-z][\w-]*)\b[^<>]{0,200}?\b(?:class|id)[ \t]*=[ \t]*[\"'][^\"'<>]*?"
    r"(?:standfirst|summary|tl-?dr|key-?points|key-?takeaways|takeaways|highlights|at-a-glance"
    r"|in-brief|abstract|synopsis|lede|dek)[^\"'<>]*[\"'][^<>]{0,200}>",
    re.IGNORECASE,
)
_SUMMARY_HINT = re.compile(_SUMMARY + r"|\b(?:class|id)[ \t]*=", re.IGNORECASE)
# The same hints as plain strings, looked for in the lower-cased text (an alternation
# of 50 words tried at every position takes seconds on 10 MB; ``str.find`` does not).
_SUMMARY_NEEDLES = (*_SUMMARY_WORDS.split("|"), "class", "id=", "id =")
_SPACE_RUN = re.compile(r"\s*")
_UNDERLINE = re.compile(r"[ \t]*([=\-~^*#+`:.'\"_])\1{2,}[ \t]*")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+\u2022\u25aa\u25cf]|\d{1,3}[.)])[ \t]+\S")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _block_end(src: str, pos: int) -> int:
    """Where the paragraph at ``pos`` ends (its last line's end)."""
    m = _BLANK_LINE.search(src, pos)
    return len(src) if m is None else m.start()


def _skip_space(src: str, pos: int) -> int:
    m = _SPACE_RUN.match(src, pos)
    return pos if m is None else m.end()


def _box_under(src: str, stop: int) -> tuple[int, int] | None:
    """The box under a title line that ends at ``stop``: the rest of its paragraph, or
    the next paragraph (and the list items right after it: a list with blank lines)."""
    pos = stop
    if pos < len(src) and _UNDERLINE.fullmatch(src, pos + 1, _line_end(src, pos + 1)):
        pos = _line_end(src, pos + 1)  # (a setext or reStructuredText title's underline)
    if pos + 1 >= len(src):
        return None
    if src[pos + 1 : _line_end(src, pos + 1)].strip():
        return pos + 1, _block_end(src, pos + 1)
    first = start = _skip_space(src, pos)
    if start >= len(src):
        return None
    end = _block_end(src, start)
    while _LIST_ITEM.match(src, start):
        after = _skip_space(src, end)
        if after >= len(src) or not _LIST_ITEM.match(src, after):
            break
        start, end = after, _block_end(src, after)
    return first, end


def _element_end(src: str, name: str, pos: int) -> int:
    """Where the element ``name`` opened right before ``pos`` closes (nesting counted)."""
    tags = re.compile(rf"<(/?){re.escape(name)}\b[^<>]*>", re.IGNORECASE)
    depth = 1
    for m in tags.finditer(src, pos, min(len(src), pos + 100_000)):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start()
    return _block_end(src, pos)


def summary_boxes(src: str) -> list[tuple[int, int]]:
    """The boxes of ``src`` that summarise it, sorted ``(start, end)`` ranges of their text.

    A box is the text under a summary title on a line of its own (``Key points``,
    ``## TL;DR``, ``**Summary**``, ``<h3>At a glance</h3>``, ``In brief:``): the rest of
    its paragraph, or the next paragraph, or the items of the list under it; the text
    after a summary label opening a paragraph (``**TL;DR:** …``, ``Summary: …``) to
    the paragraph's end; or an element marked as a summary by its class or id
    (``<p class="standfirst">``, ``<div class="key-points">``).

    >>> text = "Title\\n\\nKey points\\n- A.\\n- B.\\n\\nA. B.\\n"
    >>> [text[a:b] for a, b in summary_boxes(text)]
    ['- A.\\n- B.']
    >>> text = "**TL;DR:** It works.\\n\\nMore.\\n"
    >>> [text[a:b] for a, b in summary_boxes(text)]
    ['It works.']
    """
    boxes: list[tuple[int, int]] = []
    low = src.lower()
    hits: set[int] = set()
    if len(low) == len(src):
        for needle in _SUMMARY_NEEDLES:
            at = low.find(needle)
            while at >= 0:
                hits.add(at)
                at = low.find(needle, low.find("\n", at) + 1 or len(low))
    else:  # (lower-casing changed the length: offsets would not agree)
        hits = {m.start() for m in _SUMMARY_HINT.finditer(src)}
    lines = sorted({src.rfind("\n", 0, at) + 1 for at in hits})
    for line in lines:
        stop = _line_end(src, line)
        if _SUMMARY_TITLE_LINE.fullmatch(src, line, stop):
            box = _box_under(src, stop)
            if box is not None:
                boxes.append(box)
            continue
        m = _SUMMARY_LABEL.match(src, line, stop)
        if m is not None and (m["sep"] or m["sep2"] or (m["open"] and m["close"])):
            boxes.append((m.end(), _block_end(src, m.end())))
            continue
        for e in _SUMMARY_ELEMENT.finditer(src, line, stop):
            boxes.append((e.end(), _element_end(src, e["name"], e.end())))
    # A box found inside another (the title "In short" inside <aside class="summary">)
    # ends where its container does: the title's box would run on into the article.
    boxes = sorted(set(boxes))
    clipped = []
    for a, b in boxes:
        for ca, cb in boxes:
            if ca < a < cb < b:
                b = cb
        clipped.append((a, b))
    return sorted(set(clipped))


# -- headings' levels -------------------------------------------------------------------
_ATX = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+\S", re.MULTILINE)
_HTML_HEADING = re.compile(r"^[ \t]*<[hH]([1-6])\b", re.MULTILINE)
# An underline (with an optional overline of the same mark): a setext or
# reStructuredText title; its level is the order its style first appears in
# (reStructuredText's rule; setext's "=" then "-" give 1 and 2 that way too).
_UNDERLINED = re.compile(
    r"^(?:(?P<over>([=\-~^*#+`:.'\"_])\2{2,})[ \t]*\n)?"
    r"(?P<title>[ \t]*[^\s=\-~^*#+`:.'\"_][^\n]{0,119})\n"
    r"(?P<under>([=\-~^*#+`:.'\"_])\5{2,})[ \t]*$",
    re.MULTILINE,
)


def heading_levels(src: str) -> dict[int, int]:
    """The headings of ``src`` that have a level: their line's start offset mapped to
    the level (1 is the top).

    Markdown ``#`` to ``######``, HTML ``<h1>`` to ``<h6>`` opening a line, and titles
    over an underline (setext, reStructuredText: the order in which each underline
    style first appears gives its level).

    >>> heading_levels("# A\\n\\n## B\\n\\nText\\n\\nC\\n===\\n")
    {0: 1, 5: 2, 17: 1}
    """
    levels = {m.start(): len(m.group(1)) for m in _ATX.finditer(src)}
    levels.update({m.start(): int(m.group(1)) for m in _HTML_HEADING.finditer(src)})
    styles: dict[tuple[bool, str], int] = {}
    for m in _UNDERLINED.finditer(src):
        style = (m["over"] is not None, m["under"][0])
        if m["over"] is not None and m["over"][0] != m["under"][0]:
            continue
        # (Keyed by the title's line, also under an overline: the title names it.)
        levels.setdefault(m.start("title"), styles.setdefault(style, len(styles) + 1))
    return dict(sorted(levels.items()))
