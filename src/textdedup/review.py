"""A review page: what a run found and removed, as one self-contained HTML file.

Beside the flow, after it: it reads what ``find`` (clusters JSONL), ``find`` or
``dedup --stats`` (JSON) and ``clean --report`` (JSON) wrote, and draws one HTML
page with its styles and script inline (no server, no network; a Content
Security Policy forbids any fetch). The page shows a summary (records in and
out, removals by reason, a histogram of verified scores with the threshold
marked, cluster sizes, the LSH detection curve when the settings are known),
the largest clusters and those closest to the threshold, each removed member
beside its kept copy with the words that differ highlighted
(:func:`textdedup.explain.word_diff`), a sample of accepted pairs by score band,
and for ``clean`` the document with each removed span struck through and linked
to the kept text it repeats.

Reading and sampling the inputs is :mod:`textdedup.review_inputs`. Texts the
inputs do not hold (clusters name record ids only) are read from the corpus,
keeping only the records shown. The page samples: it
shows at most ``ReviewConfig.clusters`` clusters and ``max_chars`` characters of
a text, says so when it cuts, and never embeds the whole corpus. Every piece of
input text is escaped (:func:`html.escape`), so hostile text stays text.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from typing import Any

import regex

from .errors import InputError
from .explain import word_diff
from .normalize import NormalizeConfig, normalize
from .review_inputs import (
    _BINS,
    _SIZE_BUCKETS,
    Cluster,
    Member,
    ReviewConfig,
    ReviewInputs,
    load_inputs,
    needed_ids,
    read_texts,
    shown_members,
)

__all__ = [
    "Cluster",
    "Member",
    "ReviewConfig",
    "ReviewInputs",
    "clean_source",
    "diff_html",
    "load_inputs",
    "needed_ids",
    "read_texts",
    "render_review",
]

# -- HTML ---------------------------------------------------------------------------------

_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;color:#222}
h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:2em}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .6em;text-align:left}
.note{background:#fff8e0;border-left:4px solid #e0b000;padding:.4em .8em;margin:.5em 0}
details{border:1px solid #ddd;border-radius:4px;margin:.4em 0;padding:.3em .6em}
summary{cursor:pointer}.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em;margin:.5em 0}
.text{white-space:pre-wrap;font:13px/1.4 ui-monospace,monospace;background:#fafafa;
border:1px solid #eee;padding:.4em;max-height:30em;overflow:auto;word-break:break-word}
del.d{background:#ffd6d6;text-decoration:line-through}ins.i{background:#d6f5d6;text-decoration:none}
.c-a{background:#ffe6b3}.c-b{background:#ffe6b3;outline:1px dotted #c80}
del.rm{background:#ffd6d6}mark.kept{background:#e2ecff}a.to-kept{font-size:11px;margin-right:.3em}
.meta{color:#555;font-size:.9em}.bad{color:#a00}svg text{font:11px sans-serif}
#filter{margin:.5em 0;padding:.2em;width:20em}#document{max-height:60em}
"""

_JS = """
(function(){
  function all(open){
    document.querySelectorAll('details.cluster').forEach(function(d){d.open=open;});}
  var e=document.getElementById('expand-all');
  if(e){e.addEventListener('click',function(){all(true);});}
  var c=document.getElementById('collapse-all');
  if(c){c.addEventListener('click',function(){all(false);});}
  var f=document.getElementById('filter');
  if(f){f.addEventListener('input',function(){
    var q=f.value.toLowerCase();
    document.querySelectorAll('details.cluster').forEach(function(d){
      d.style.display=d.textContent.toLowerCase().indexOf(q)>=0?'':'none';});
  });}
})();
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _e(text: object) -> str:
    """Escaped for HTML; lone surrogates (from JSON escapes or bad bytes) become U+FFFD."""
    s = str(text)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = regex.sub("[\ud800-\udfff]", "\ufffd", s)
    return html.escape(s, quote=True)


def _score(s: float | None) -> str:
    return "none" if s is None else f"{s:.3f}"


def diff_html(a: str, b: str) -> tuple[str, str]:
    """``a`` and ``b`` as escaped HTML, the words that differ marked.

    Words only in ``a`` are ``<del class="d">``, only in ``b`` ``<ins class="i">``,
    changed words ``<span class="c-a">`` / ``<span class="c-b">``.

    >>> diff_html("a <b> c", "a <b> d")
    ('a &lt;b&gt; <span class="c-a">c</span>', 'a &lt;b&gt; <span class="c-b">d</span>')
    """
    out_a, out_b, pa, pb = [], [], 0, 0
    for op in word_diff(a, b):
        out_a.append(_e(a[pa : op.a_start]))
        out_b.append(_e(b[pb : op.b_start]))
        wa, wb = _e(a[op.a_start : op.a_end]), _e(b[op.b_start : op.b_end])
        if op.tag == "equal":
            out_a.append(wa)
            out_b.append(wb)
        elif op.tag == "delete":
            out_a.append(f'<del class="d">{wa}</del>')
        elif op.tag == "insert":
            out_b.append(f'<ins class="i">{wb}</ins>')
        else:
            out_a.append(f'<span class="c-a">{wa}</span>' if wa else "")
            out_b.append(f'<span class="c-b">{wb}</span>' if wb else "")
        pa, pb = op.a_end, op.b_end
    out_a.append(_e(a[pa:]))
    out_b.append(_e(b[pb:]))
    return "".join(out_a), "".join(out_b)


def _histogram(counts: Sequence[int], threshold: float | None) -> str:
    width, height, pad = 520, 160, 28
    top = max(counts) or 1
    bar = (width - 2 * pad) / len(counts)
    parts = [f'<svg id="score-histogram" width="{width}" height="{height + 30}" role="img">']
    for i, n in enumerate(counts):
        h = (height - pad) * n / top
        x = pad + i * bar
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
            f'fill="#6a8fd8"><title>{i / len(counts):.2f}-{(i + 1) / len(counts):.2f}: '
            f"{n}</title></rect>"
        )
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = pad + t * (width - 2 * pad)
        parts.append(f'<text x="{x:.1f}" y="{height + 14}" text-anchor="middle">{t:g}</text>')
    if threshold is not None:
        x = pad + threshold * (width - 2 * pad)
        parts.append(
            f'<line id="threshold-line" x1="{x:.1f}" x2="{x:.1f}" y1="10" y2="{height}" '
            f'stroke="#c00" stroke-width="2"/><text x="{x + 4:.1f}" y="20" fill="#c00">'
            f"threshold {threshold:g}</text>"
        )
    parts.append(f'<text x="{pad}" y="{height + 28}">verified score (removed members)</text>')
    parts.append("</svg>")
    return "".join(parts)


def _curve(bands: int, rows: int, threshold: float | None) -> str:
    """The detection curve 1 - (1 - s^r)^b (Leskovec, Rajaraman, Ullman, *MMDS*, ch. 3)."""
    width, height, pad = 360, 160, 28
    points = []
    for i in range(101):
        s = i / 100
        p = 1 - (1 - s**rows) ** bands
        points.append(f"{pad + s * (width - 2 * pad):.1f},{height - p * (height - pad):.1f}")
    mark = ""
    if threshold is not None:
        x = pad + threshold * (width - 2 * pad)
        mark = f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad}" y2="{height}" stroke="#c00"/>'
    return (
        f'<svg id="detection-curve" width="{width}" height="{height + 30}" role="img">'
        f'<polyline fill="none" stroke="#333" stroke-width="2" points="{" ".join(points)}"/>'
        f'{mark}<text x="{pad}" y="{height + 16}">Jaccard similarity 0 to 1; '
        f"P(candidate) with {bands} bands x {rows} rows</text></svg>"
    )


def _text_block(texts: dict[str, tuple[str, int]], rid: str, body: str | None = None) -> str:
    if rid not in texts:
        return '<div class="text meta">(text not available)</div>'
    text, full = texts[rid]
    cut = (
        f'<div class="meta">first {len(text)} of {full} characters</div>'
        if full > len(text)
        else ""
    )
    return f'<div class="text">{body if body is not None else _e(text)}</div>{cut}'


def _reason(m: Member, threshold: float | None) -> str:
    if m.score is None:
        return "no score recorded"
    against = f"verified score {m.score:.3f} against the kept record"
    if threshold is not None:
        against += f" (threshold {threshold:g})"
    if m.reason == "exact":
        return f"{against}: exact duplicate (the same text after normalization)"
    if m.reason == "near":
        return f"{against}: near duplicate"
    # Older clusters files carry no reason; it is not guessed from the score.
    return f"{against}; the file does not record the reason"


def _pair_html(
    kept: str, m: Member, texts: dict[str, tuple[str, int]], threshold: float | None
) -> str:
    head = (
        f'<div class="meta">removed <b>{_e(m.id)}</b> duplicates kept <b>{_e(kept)}</b>: '
        f"{_e(_reason(m, threshold))}</div>"
    )
    if kept in texts and m.id in texts:
        ta, tb = texts[kept][0], texts[m.id][0]
        a, b = diff_html(ta, tb)
        if ta != tb and ta.split() == tb.split():
            head += '<div class="meta">the same words; only the whitespace differs</div>'
        elif ta == tb:
            head += '<div class="meta">the same text</div>'
        return (
            f'{head}<div class="pair"><div><div class="meta">kept</div>'
            f"{_text_block(texts, kept, a)}</div>"
            f'<div><div class="meta">removed</div>{_text_block(texts, m.id, b)}</div></div>'
        )
    preview = f'<div class="text">{_e(m.preview)}</div>' if m.preview else ""
    return head + preview


def _cluster_html(
    n: int, c: Cluster, texts: dict[str, tuple[str, int]], t: float | None, cfg: ReviewConfig
) -> str:
    shown = shown_members(c, cfg)
    removed = sum(1 for m in c.members if not m.kept)
    more = (
        f'<div class="note">showing {len(shown)} of {removed} removed members</div>'
        if removed > len(shown)
        else ""
    )
    pairs = "".join(_pair_html(c.kept, m, texts, t) for m in shown)
    return (
        f'<details class="cluster" id="cluster-{n}"><summary>{c.size} records; kept '
        f"<b>{_e(c.kept)}</b>; lowest score {_score(c.min_score())}</summary>{more}{pairs}"
        "</details>"
    )


def _summary_html(inputs: ReviewInputs, threshold: float | None) -> str:
    rows: list[tuple[str, object]] = []
    s = inputs.stats
    if s is not None:
        rows += [("records in", s.get("records")), ("records kept", s.get("kept"))]
        rows += [("records removed", s.get("removed")), ("clusters", s.get("clusters"))]
        for k, v in (s.get("removed_by_reason") or {}).items():
            rows.append((f"removed: {k}", v))
    if inputs.clusters_file is not None and not (inputs.block_records or inputs.clean_records):
        rows += [
            ("clusters in the clusters file", inputs.cluster_count),
            ("records in clusters", inputs.clustered_records),
            ("removed members (scored)", inputs.removed_members),
        ]
        rows += [(f"removed members: {k}", v) for k, v in sorted(inputs.reasons.items())]
    if inputs.block_records:
        rows += [
            ("records with removed blocks", inputs.block_records),
            ("removed blocks", inputs.block_removed),
        ]
        rows += [(f"removed blocks: {k}", v) for k, v in sorted(inputs.block_reasons.items())]
    if inputs.clean_records:
        rows += [
            ("records in the clean report", inputs.clean_records),
            ("records changed", inputs.clean_changed),
        ]
        rows += [(f"removals: {k}", v) for k, v in sorted(inputs.clean_kinds.items())]
    r = inputs.clean_report
    if r is not None:
        rows += [
            ("input characters", r.get("input_chars")),
            ("output characters", r.get("output_chars")),
            ("removed characters", r.get("removed_chars")),
            ("blocks", f"{r.get('blocks')} {r.get('mode')}"),
        ]
        kinds = Counter(str(x.get("kind")) for x in r.get("removals", []))
        rows += [(f"removals: {k}", v) for k, v in sorted(kinds.items())]
    table = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    out = [f'<table id="summary-table">{table}</table>']
    if inputs.cluster_count or inputs.block_records:
        what = "removed blocks" if inputs.block_records and not inputs.cluster_count else ""
        out.append(
            f"<h3>Verified scores{' of ' + what if what else ''}</h3>"
            + _histogram(inputs.scores, threshold)
        )
        if threshold is None:
            out.append(
                '<p class="note">The threshold is not known: pass --threshold or a '
                "--stats file that records it.</p>"
            )
    if inputs.cluster_count:
        sizes = Counter[str]()
        for size, count in inputs.sizes.items():
            for lo, hi in _SIZE_BUCKETS:
                if size >= lo and (hi is None or size <= hi):
                    sizes[f"{lo}" if lo == hi else f"{lo}-{hi}" if hi else f"{lo}+"] += count
        cells = "".join(
            f"<tr><td>{_e(k)}</td><td>{v}</td></tr>"
            for k, v in sorted(sizes.items(), key=lambda kv: int(kv[0].split("-")[0].rstrip("+")))
        )
        out.append(
            f'<h3>Cluster sizes</h3><table id="cluster-sizes"><tr><th>records</th>'
            f"<th>clusters</th></tr>{cells}</table>"
        )
    settings = (s or {}).get("settings") or {}
    if isinstance(settings.get("bands"), int) and isinstance(settings.get("rows"), int):
        # The curve is over Jaccard: mark the Jaccard the bands were tuned for when the
        # verifier's threshold is another score (ratio on char q-grams: a bound).
        at = settings.get("lsh_jaccard")
        mark = float(at) if isinstance(at, (int, float)) and not isinstance(at, bool) else threshold
        out.append(
            "<h3>LSH detection curve</h3>" + _curve(settings["bands"], settings["rows"], mark)
        )
    if settings:
        out.append(
            '<p class="meta">settings: '
            + _e(", ".join(f"{k} {v}" for k, v in sorted(settings.items())))
            + "</p>"
        )
    for w in (s or {}).get("warnings") or []:
        out.append(f'<p class="note">warning: {_e(w)}</p>')
    return "".join(out)


def _pairs_html(inputs: ReviewInputs, texts: dict[str, tuple[str, int]], t: float | None) -> str:
    sample = inputs.candidate_sample
    if sample is not None:
        return _candidates_html(sample, texts, t)
    out = [
        '<p class="note">The inputs hold accepted pairs only (give the run\'s --stats file, '
        "which samples the rejected candidate pairs too), so this shows how the accepted "
        "pairs look near the threshold, not what was rejected.</p>"
    ]
    for band in sorted(inputs.pairs, reverse=True):
        pairs = inputs.pairs[band]
        lo, hi = band / _BINS, (band + 1) / _BINS
        out.append(
            f'<details class="band"><summary>score {lo:.2f}-{hi:.2f}: {len(pairs)} of '
            f"{inputs.band_counts[band]} pairs</summary>"
            + "".join(_pair_html(k, m, texts, t) for k, m in pairs)
            + "</details>"
        )
    return "".join(out)


def _candidate_html(pair: dict[str, Any], texts: dict[str, tuple[str, int]]) -> str:
    a, b = str(pair.get("a")), str(pair.get("b"))
    score = pair.get("score")
    shown = "not scored" if not isinstance(score, (int, float)) else f"{score:.3f}"
    verdict = {
        "verified": "verified: at or above the threshold",
        "below threshold": "rejected: below the threshold",
        "vetoed": "rejected: must-agree fields or the numbers of short texts differ",
    }.get(str(pair.get("why")), str(pair.get("why")))
    cls = "verified" if pair.get("verified") else "rejected"
    head = (
        f'<div class="meta candidate {cls}"><b>{_e(a)}</b> and <b>{_e(b)}</b>: score '
        f"{_e(shown)}, {_e(verdict)}</div>"
    )
    if a in texts and b in texts:
        da, db = diff_html(texts[a][0], texts[b][0])
        return (
            f'{head}<div class="pair"><div>{_text_block(texts, a, da)}</div>'
            f"<div>{_text_block(texts, b, db)}</div></div>"
        )
    return head + '<div class="text meta">(texts not available: give --corpus)</div>'


def _candidates_html(
    sample: dict[str, Any], texts: dict[str, tuple[str, int]], t: float | None
) -> str:
    """Every candidate pair counted by score band, verified and rejected, with a few of
    each: what a person reads to judge precision near the threshold before trusting it."""
    pairs: dict[tuple[float, bool], list[dict[str, Any]]] = {}
    for p in sample["pairs"]:
        if isinstance(p, dict):
            score = p.get("score")
            low = min(
                int((score if isinstance(score, (int, float)) else 0.0) * _BINS + 1e-9), _BINS - 1
            )
            pairs.setdefault((low / _BINS, bool(p.get("verified"))), []).append(p)
    mark = f" (threshold {t:g})" if t is not None else ""
    out = [
        '<p class="note">Every candidate pair LSH proposed was verified; the counts are over '
        f"all of them, the pairs shown a sample of each band{_e(mark)}. Read the rejected "
        "pairs just below the threshold and the verified ones just above it.</p>",
        '<table id="candidate-bands"><tr><th>score</th><th>verified</th><th>rejected</th></tr>',
    ]
    bands = sorted(
        (b for b in sample["bands"] if isinstance(b, dict)), key=lambda b: -float(b.get("low", 0))
    )
    for b in bands:
        out.append(
            f"<tr><td>{float(b.get('low', 0)):.2f}-{float(b.get('high', 0)):.2f}</td>"
            f"<td>{_e(b.get('verified'))}</td><td>{_e(b.get('rejected'))}</td></tr>"
        )
    out.append("</table>")
    for b in bands:
        start = round(float(b.get("low", 0)) * _BINS) / _BINS
        for verified, word in ((True, "verified"), (False, "rejected")):
            shown = pairs.get((start, verified), [])
            total = b.get(word, 0)
            if not shown:
                continue
            out.append(
                f'<details class="band {word}"><summary>score {start:.2f}-'
                f"{float(b.get('high', 0)):.2f}, {word}: {len(shown)} of {_e(total)} pairs"
                "</summary>" + "".join(_candidate_html(p, texts) for p in shown) + "</details>"
            )
    return "".join(out)


def _slice(
    texts: dict[str, tuple[str, int]], rid: object, start: object, end: object
) -> str | None:
    """``texts[rid][start:end]`` when the shown (possibly cut) text holds all of it."""
    if not isinstance(start, int) or not isinstance(end, int) or str(rid) not in texts:
        return None
    text, _ = texts[str(rid)]
    return text[start:end] if 0 <= start <= end <= len(text) else None


def _blocks_html(inputs: ReviewInputs, texts: dict[str, tuple[str, int]]) -> str:
    """Removed blocks of the records shown (lowest score first), each beside its kept copy."""
    out = []
    for obj in inputs.block_rows:
        rid = obj.get("id")
        blocks = [b for b in obj["removed_blocks"] if isinstance(b, dict)]
        items = []
        for b in blocks:
            kept: dict[str, Any] = b["kept"] if isinstance(b.get("kept"), dict) else {}
            head = (
                f'<div class="meta">characters {_e(b.get("start"))}-{_e(b.get("end"))} '
                f"duplicate <b>{_e(b.get('duplicate_of'))}</b>"
                f" (characters {_e(kept.get('start'))}-{_e(kept.get('end'))}): "
                f"{_e(b.get('reason'))}, score {_score(b.get('score'))}</div>"
            )
            removed = _slice(texts, rid, b.get("start"), b.get("end"))
            original = _slice(texts, kept.get("id"), kept.get("start"), kept.get("end"))
            if removed is not None and original is not None:
                ka, kb = diff_html(original, removed)
                head += (
                    f'<div class="pair"><div><div class="meta">kept</div><div class="text">{ka}'
                    f'</div></div><div><div class="meta">removed</div><div class="text">{kb}'
                    "</div></div></div>"
                )
            elif removed is not None:
                head += f'<div class="text">{_e(removed)}</div>'
            items.append(head)
        low = min(
            (float(b["score"]) for b in blocks if isinstance(b.get("score"), (int, float))),
            default=None,
        )
        out.append(
            f'<details class="cluster block-record"><summary><b>{_e(rid)}</b>: {len(blocks)} '
            f"block(s) removed; lowest score {_score(low)}</summary>{''.join(items)}</details>"
        )
    note = (
        f'<p class="note">Sampled: {len(inputs.block_rows)} of {inputs.block_records} records '
        "are shown, those with the lowest block scores first.</p>"
        if inputs.block_records > len(inputs.block_rows)
        else ""
    )
    return (
        f'{note}<p class="meta">Offsets index each record as read; give --corpus to see the '
        "blocks beside the copies they repeat.</p>" + "".join(out)
    )


def _clean_rows_html(
    inputs: ReviewInputs, texts: dict[str, tuple[str, int]], cfg: ReviewConfig
) -> str:
    """Records of a corpus ``clean --report``: near copies first, each with its removals
    struck through in the record's text (with --corpus), or their previews."""
    out = []
    for row in inputs.clean_rows:
        rid = str(row.get("id"))
        removals = sorted(
            (r for r in row["removals"] if isinstance(r, dict)),
            key=lambda r: (r["removed"]["start"], r["removed"]["end"]),
        )
        kinds = Counter(str(r.get("kind")) for r in removals)
        changes = row.get("changes") if isinstance(row.get("changes"), list) else []
        what = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no removal"
        if changes:
            what += "; also " + ", ".join(sorted({str(c.get("kind")) for c in changes}))
        reasons = "".join(
            f'<div class="meta">{_e(r.get("kind"))}: {_e(r.get("reason"))}</div>' for r in removals
        )
        text = texts.get(rid)
        if text is not None and text[1] == row.get("input_chars") and len(text[0]) == text[1]:
            body = f'<div class="text">{_document_html(text[0], removals)}</div>'
        else:
            body = "".join(
                f'<div class="text"><s>{_e(r.get("preview", ""))}</s></div>' for r in removals
            )
            body += '<p class="note">Give --corpus to see the record with its removals.</p>'
        out.append(
            f'<details class="cluster clean-record"><summary><b>{_e(rid)}</b>: {_e(what)}'
            f"</summary>{reasons}{body}</details>"
        )
    note = (
        f'<p class="note">Sampled: {len(inputs.clean_rows)} of {inputs.clean_changed} changed '
        "records are shown, those with the lowest removal scores (near copies) first.</p>"
        if inputs.clean_changed > len(inputs.clean_rows)
        else ""
    )
    return note + "".join(out)


def clean_source(report: dict[str, Any], document: str, *, name: str) -> str:
    """The text a ``clean --report`` indexes: ``document`` after clean's normalization.

    Raises
    ------
    InputError
        When the report's lengths or previews do not match the document (another
        file, or a file changed since the report was written).
    """
    source = normalize(document, NormalizeConfig().line_preserving())
    expected = report.get("input_chars")
    if isinstance(expected, int) and expected != len(source):
        raise InputError(
            f"the report is about a text of {expected} characters, this one has {len(source)}",
            path=name,
        )
    for r in report.get("removals", []):
        loc = r.get("removed") or {}
        start, end = loc.get("start"), loc.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end:
            raise InputError("a removal without start and end offsets", path=name)
        preview = r.get("preview")
        if isinstance(preview, str) and source[start:end][: len(preview)] != preview:
            raise InputError(
                f"the report's removal at characters {start}-{end} does not match this text",
                path=name,
            )
    return source


def _clean_html(report: dict[str, Any], source: str | None, cfg: ReviewConfig) -> str:
    removals = sorted(
        report.get("removals", []), key=lambda r: (r["removed"]["start"], r["removed"]["end"])
    )
    head = (
        '<p class="meta">Struck-through text is removed; its link (&#8599;) jumps to the kept '
        "text it repeats, shaded blue. Offsets and lines are those of the report.</p>"
    )
    for w in report.get("warnings") or []:
        head += f'<p class="note">warning: {_e(w)}</p>'
    items = []
    for i, r in enumerate(removals[: cfg.clusters]):
        body = f'<div class="text">{_e(r.get("preview", ""))}</div>'
        if source is not None:
            k, d = r["kept"], r["removed"]
            a, b = diff_html(
                source[k["start"] : k["end"]][: cfg.max_chars],
                source[d["start"] : d["end"]][: cfg.max_chars],
            )
            body = (
                f'<div class="pair"><div><div class="meta">kept</div><div class="text">{a}</div>'
                f'</div><div><div class="meta">removed</div><div class="text">{b}</div></div></div>'
            )
        items.append(
            f'<details class="cluster" id="removal-{i}"><summary>{_e(r.get("kind"))}: '
            f"{_e(r.get('reason'))}</summary>{body}</details>"
        )
    more = (
        f'<p class="note">showing {cfg.clusters} of {len(removals)} removals</p>'
        if len(removals) > cfg.clusters
        else ""
    )
    if source is None:
        doc = '<p class="note">The document is not available: pass --document FILE.</p>'
    elif len(source) > cfg.max_document:
        doc = (
            f'<p class="note">The document has {len(source)} characters, more than '
            f"{cfg.max_document}: it is not shown whole; see the removals above.</p>"
        )
    else:
        doc = f'<div class="text" id="document">{_document_html(source, removals)}</div>'
    return head + more + "".join(items) + "<h3>The document</h3>" + doc


def _document_html(source: str, removals: list[dict[str, Any]]) -> str:
    """The source, each removed span struck through and linked to an anchor at its kept copy."""
    spans: list[tuple[int, int, str, int]] = []  # start, end, kind, removal number
    for i, r in enumerate(removals):
        spans.append((r["removed"]["start"], r["removed"]["end"], "rm", i))
    marks: list[tuple[int, int, str, int]] = []
    for i, r in enumerate(removals):
        ks, ke = r["kept"]["start"], r["kept"]["end"]
        if all(ke <= s or ks >= e for s, e, _, _ in spans + marks):
            marks.append((ks, ke, "kept", i))
    anchors: dict[int, list[int]] = {}
    for i, r in enumerate(removals):
        anchors.setdefault(r["kept"]["start"], []).append(i)

    def plain(lo: int, hi: int) -> str:
        out, pos = [], lo
        for at in sorted(p for p in anchors if lo <= p < hi):
            out.append(_e(source[pos:at]))
            out += [f'<span class="anchor" id="kept-{i}"></span>' for i in anchors[at]]
            pos = at
        out.append(_e(source[pos:hi]))
        return "".join(out)

    out, pos = [], 0
    for s, e, kind, i in sorted(spans + marks):
        if s < pos:  # overlapping removal: already struck through
            continue
        out.append(plain(pos, s))
        r = removals[i]
        if kind == "rm":
            out.append(
                f'<del class="rm" id="removed-{i}"><a class="to-kept" href="#kept-{i}" '
                f'title="{_e(r.get("reason"))}">&#8599;lines {r["kept"]["line_start"]}</a>'
                f"{_e(source[s:e])}</del>"
            )
        else:
            out.append(f'<mark class="kept">{plain(s, e)}</mark>')
        pos = e
    out.append(plain(pos, len(source)))
    return "".join(out)


def render_review(
    inputs: ReviewInputs,
    *,
    texts: dict[str, tuple[str, int]] | None = None,
    clean_document: str | None = None,
    notes: Sequence[str] = (),
    config: ReviewConfig | None = None,
) -> str:
    """The review page, as one HTML string.

    Parameters
    ----------
    inputs:
        What :func:`load_inputs` read.
    texts:
        Record id to (text cut to ``max_chars``, full length), for the records
        shown; see :func:`read_texts`.
    clean_document:
        The normalized text a clean report indexes (:func:`clean_source`).
    notes:
        Lines shown at the top (what was sampled, what is missing).
    """
    config = config or ReviewConfig()
    texts = texts or {}
    t = config.threshold if config.threshold is not None else inputs.threshold
    body = ["<h1>textdedup review</h1>"]
    body += [f'<p class="note">{_e(n)}</p>' for n in notes]
    body.append('<h2 id="summary">Summary</h2>' + _summary_html(inputs, t))
    only_rows = inputs.cluster_count == 0 and (inputs.block_records or inputs.clean_records)
    if inputs.clusters_file is not None and not only_rows:
        body.append(
            '<h2 id="clusters">Clusters</h2><button id="expand-all">Expand all</button> '
            '<button id="collapse-all">Collapse all</button> '
            '<input id="filter" placeholder="filter by id or text">'
        )
        shown = len(inputs.largest) + len(inputs.closest)
        if inputs.cluster_count > shown:
            body.append(
                f'<p class="note">Sampled: {shown} of {inputs.cluster_count} clusters are shown '
                f"({len(inputs.largest)} largest, {len(inputs.closest)} closest to the "
                "threshold).</p>"
            )
        n = 0
        for title, group in (
            ("Largest", inputs.largest),
            ("Closest to the threshold", inputs.closest),
        ):
            body.append(f"<h3>{title}</h3>")
            if not group:
                body.append('<p class="meta">none besides those above</p>')
            for c in group:
                body.append(_cluster_html(n, c, texts, t, config))
                n += 1
    if inputs.clusters_file is not None or inputs.candidate_sample is not None:
        body.append(
            '<h2 id="pairs">Candidate pairs by score band</h2>' + _pairs_html(inputs, texts, t)
        )
    if inputs.block_records:
        body.append(
            '<h2 id="blocks">Blocks removed inside records</h2>' + _blocks_html(inputs, texts)
        )
    if inputs.clean_records:
        body.append(
            '<h2 id="clean-records">clean: records changed</h2>'
            + _clean_rows_html(inputs, texts, config)
        )
    if inputs.clean_report is not None:
        body.append(
            f'<h2 id="clean">clean: {_e(inputs.clean_report.get("input", inputs.clean_name))}</h2>'
            + _clean_html(inputs.clean_report, clean_document, config)
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>textdedup review</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + f"<script>{_JS}</script></body></html>\n"
    )
