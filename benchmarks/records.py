"""Short texts and records: precision, recall and F1 on planted variants and hard negatives.

Run from the repository root::

    PYTHONPATH=src .venv/bin/python benchmarks/records.py          # ~30 s on 2 cores
    PYTHONPATH=src .venv/bin/python benchmarks/records.py --quick  # fewer records

Two seeded sets (nothing is read from disk; see :func:`make_records` and
:func:`make_sentences`):

* ``records``: bibliographic records (title, authors, journal, year, volume, issue,
  pages), each rendered as one citation line. Every work has a few copies with planted
  variants of one kind (``abbreviated`` first names, ``reordered`` authors,
  ``punctuation``, a ``missing`` field, ``diacritics`` dropped, ``typo``), and hard
  negatives: ``series`` items (same title and journal, another issue or year), an
  ``erratum`` of a work, numbered ``part`` s of one title, and monthly ``editorial``
  introductions (same title every issue).
* ``sentences``: news-like sentences with paraphrase-ish variants (``synonym``,
  ``dropped`` word, ``fronted`` clause, ``punctuation``, ``contraction``) and negatives
  that share the template but change a fact (``number``, ``entity``, ``place``).

A pair of items is a duplicate when they come from the same work or sentence. Methods:

* ``defaults``: :func:`textdedup.dedup_records` with ``DedupConfig()`` (word 5-gram
  Jaccard 0.7): what a user gets today;
* ``every_pair/<scorer>``: the score computed on every pair, >= threshold (the upper
  bound of any candidate generation), with and without the number rule;
* ``lsh/<scorer>``: the same score on the candidate pairs that share an LSH band, with
  the bands :meth:`textdedup.DedupConfig.lsh` chooses for that scorer (what ``dedup
  --verify <scorer>`` compares);
* ``dedup/...``: whole runs of :func:`textdedup.dedup_records` (pairs = items put in
  one cluster), with ``--shingle auto`` and, for records, ``--fields``.

Scores are pair counts: precision = true pairs found / pairs found, recall = true
pairs found / true pairs; per kind, the recall of each variant kind (share of its pairs
found) and the false merges of each negative kind. Results in
``benchmarks/results/records.json``. Nothing runs at import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import random
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from textdedup import dedup_records  # noqa: E402
from textdedup.engine import DedupConfig  # noqa: E402
from textdedup.lsh import band_keys, candidate_pairs  # noqa: E402
from textdedup.normalize import normalize_key  # noqa: E402
from textdedup.verify import (  # noqa: E402
    ShingleSets,
    ShortText,
    indel_qgram_jaccard,
    set_jaccard,
    short_texts_agree,
)

SEED = 1
Arr = npt.NDArray[Any]

# -- the records ------------------------------------------------------------------------

FIRST = [
    "Peter", "Maria", "José", "Zoë", "François", "Jürgen", "Ana", "Søren", "Łukasz",
    "Helena", "Chen", "Amélie", "Oskar", "Inês", "Dmitri", "Agnès", "Björn", "Lucía",
    "Tomás", "Ewa", "Hiroshi", "Nadia", "Pál", "Renée", "Mateo", "Ingrid",
]  # fmt: skip
LAST = [
    "Langhorne", "Müller", "García", "Šimůnek", "Nørgaard", "Dubois", "Kowalski", "Smith",
    "Okafor", "Brandão", "Lefèvre", "Hernández", "Østergaard", "Novák", "Zhang", "Rossi",
    "Jäger", "Fernández", "Björklund", "O'Neill", "Çelik", "Wójcik", "Castaño", "Brontë",
    "Petrović", "Yilmaz", "Moreau", "Schröder", "Haraldsson", "Iglesias",
]  # fmt: skip
TOPIC = [
    "stroke", "rehabilitation", "outcomes", "randomized", "trial", "information", "systems",
    "adoption", "supply", "chains", "coastal", "erosion", "protein", "folding", "urban",
    "mobility", "deep", "learning", "soil", "carbon", "dynamics", "hospital", "readmission",
    "graph", "algorithms", "migration", "policy", "wetland", "restoration", "teacher",
    "retention", "battery", "degradation", "language", "acquisition", "network", "security",
    "crop", "yields", "drought", "memory", "consolidation", "sleep", "fiscal", "federalism",
]  # fmt: skip
LINK = ["of", "in", "for", "and", "on", "under", "after", "with"]
LEAD = ["Effects", "A study", "Evidence", "Patterns", "The role", "Models", "Measuring"]
JOURNALS = [
    "MIS Quarterly", "The Lancet", "Journal of Applied Ecology", "Stroke",
    "Physical Review Letters", "Management Science", "Nature Climate Change",
    "Journal of Economic Perspectives", "BMJ", "Language Learning",
]  # fmt: skip
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
FIELDS = ("title", "authors", "journal", "year", "volume", "issue", "pages")


def _strip_accents(s: str) -> str:
    import unicodedata

    table = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O"})
    decomposed = unicodedata.normalize("NFKD", s.translate(table))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Item:
    """One text of a set: ``group`` names its work (duplicates share it)."""

    text: str
    group: int
    kind: str  # "original", a variant kind, or a negative kind
    fields: dict[str, str] = field(default_factory=dict)


def render(rec: dict[str, Any]) -> str:
    """A citation line: ``Authors (year). Title. Journal, vol(issue), pages.``"""
    names = "; ".join(f"{last}, {first}" for first, last in rec["authors"])
    head = f"{names} ({rec['year']})." if rec.get("year") else f"{names}."
    where = rec["journal"]
    if rec.get("volume"):
        where += f", {rec['volume']}"
        if rec.get("issue"):
            where += f"({rec['issue']})"
    if rec.get("pages"):
        where += f", {rec['pages']}"
    return f"{head} {rec['title']}. {where}."


def fields_of(rec: dict[str, Any]) -> dict[str, str]:
    out = {
        "title": rec["title"],
        "authors": "; ".join(f"{last}, {first}" for first, last in rec["authors"]),
        "journal": rec["journal"],
    }
    for name in ("year", "volume", "issue", "pages"):
        if rec.get(name):
            out[name] = str(rec[name])
    return out


def _title(rng: random.Random) -> str:
    words = rng.sample(TOPIC, rng.randint(3, 6))
    link = rng.choice(LINK)
    cut = rng.randint(1, len(words) - 1)
    return f"{rng.choice(LEAD)} {link} {' '.join(words[:cut])} {rng.choice(LINK)} " + " ".join(
        words[cut:]
    )


def _work(rng: random.Random) -> dict[str, Any]:
    first_page = rng.randint(1, 900)
    return {
        "title": _title(rng),
        "authors": [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(rng.randint(1, 4))],
        "journal": rng.choice(JOURNALS),
        "year": rng.randint(1985, 2024),
        "volume": rng.randint(1, 60),
        "issue": rng.randint(1, 12),
        "pages": f"{first_page}-{first_page + rng.randint(3, 30)}",
    }


def _variant(rec: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, dict[str, Any]]:
    """A copy of ``rec`` with one planted variant: its text and its (possibly changed) fields."""
    r = dict(rec)
    if kind == "abbreviated":
        r["authors"] = [(f"{first[0]}.", last) for first, last in rec["authors"]]
        return render(r), r
    if kind == "reordered":
        authors = list(rec["authors"])
        if len(authors) > 1:
            authors = authors[1:] + authors[:1]
        else:  # one author: "First Last" instead of "Last, First"
            first, last = authors[0]
            text = render(r).replace(f"{last}, {first}", f"{first} {last}", 1)
            return text, r
        r["authors"] = authors
        return render(r), r
    if kind == "punctuation":
        text = render(r).replace(". ", ", ", 1).replace("(", " (").rstrip(".")
        return text.replace(";", ",").replace("-", "\u2013"), r
    if kind == "missing":
        drop = rng.choice(["pages", "issue", "year"])
        r[drop] = None
        return render(r), r
    if kind == "diacritics":
        text = _strip_accents(render(r))
        r["authors"] = [(_strip_accents(f), _strip_accents(la)) for f, la in rec["authors"]]
        return text, r
    if kind == "typo":
        words = rec["title"].split()
        k = rng.randrange(len(words))
        w = words[k]
        if len(w) > 3:
            i = rng.randrange(1, len(w) - 1)
            words[k] = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        r["title"] = " ".join(words)
        return render(r), r
    raise ValueError(kind)


RECORD_VARIANTS = ("abbreviated", "reordered", "punctuation", "missing", "diacritics", "typo")


def make_records(works: int, seed: int = SEED) -> list[Item]:
    """Seeded records: ``works`` works with 1-2 variants each, plus the hard negatives."""
    rng = random.Random(seed)
    items: list[Item] = []
    group = 0
    for _ in range(works):
        rec = _work(rng)
        items.append(Item(render(rec), group, "original", fields_of(rec)))
        for kind in rng.sample(RECORD_VARIANTS, rng.randint(1, 2)):
            text, r = _variant(rec, kind, rng)
            items.append(Item(text, group, kind, fields_of(r)))
        group += 1
    # Hard negatives: every item below is its own work.
    for _ in range(works // 10):
        # A series: one title and journal, another issue or year each time.
        base = _work(rng)
        base["title"] = rng.choice(["Editor's Comments", "Research Commentary", "From the Editors"])
        for k in range(3):
            r = dict(base, issue=base["issue"] + k if k < 2 else base["issue"])
            if k == 2:
                r["year"] = base["year"] + 1
                r["volume"] = base["volume"] + 1
            items.append(Item(render(r), group, "series", fields_of(r)))
            group += 1
        # An erratum: the work and the correction of it are two records.
        rec = _work(rng)
        items.append(Item(render(rec), group, "erratum", fields_of(rec)))
        group += 1
        er = dict(
            rec, title=f"Erratum: {rec['title']}", pages=str(int(rec["pages"].split("-")[0]) + 40)
        )
        items.append(Item(render(er), group, "erratum", fields_of(er)))
        group += 1
        # Numbered parts of one title.
        rec = _work(rng)
        for part in (1, 2):
            r = dict(rec, title=f"{rec['title']}, Part {part}")
            if part == 2:
                a, b = rec["pages"].split("-")
                r["pages"] = f"{int(b) + 1}-{int(b) + 1 + int(b) - int(a)}"
            items.append(Item(render(r), group, "part", fields_of(r)))
            group += 1
    # Monthly editorials: one title, one journal, twelve issues of a year.
    for y in range(max(1, works // 50)):
        base = _work(rng)
        for month in range(1, 13):
            r = dict(
                base,
                title="Editorial Introduction",
                issue=month,
                pages=f"{month * 10}-{month * 10 + 1}",
            )
            r["year"] = base["year"] + y
            items.append(Item(render(r), group, "editorial", fields_of(r)))
            group += 1
    return items


# -- the sentences ------------------------------------------------------------------------

SUBJECTS = [
    "The city council", "The health ministry", "Shares of Acme Corp", "The central bank",
    "Police in the region", "The school board", "Farmers across the valley", "The airline",
    "Researchers at the university", "The national team", "Local residents", "The union",
]  # fmt: skip
VERBS = [
    ("approved", "passed"), ("rejected", "turned down"), ("announced", "unveiled"),
    ("reported", "disclosed"), ("postponed", "delayed"), ("criticized", "condemned"),
    ("launched", "started"), ("expanded", "widened"),
]  # fmt: skip
OBJECTS = [
    "a new budget", "the housing plan", "a pilot program", "the merger", "a vaccination drive",
    "the safety review", "a tax on sugar", "the rail project", "an emergency fund",
    "the water rules", "a hiring freeze", "the peace talks",
]  # fmt: skip
PLACES = ["Lyon", "Ohio", "Kerala", "Bavaria", "Ontario", "Porto", "Kyoto", "Manitoba", "Gdansk"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last week"]
SOURCES = ["officials said", "a spokesperson said", "the report said", "according to local media"]
SENTENCE_VARIANTS = ("synonym", "dropped", "fronted", "punctuation", "contraction")


def _sentence(parts: dict[str, Any]) -> str:
    return (
        f"{parts['subject']} {parts['verb']} {parts['object']} in {parts['place']} "
        f"{parts['day']}, worth {parts['amount']} million dollars, {parts['source']}."
    )


def _sentence_variant(parts: dict[str, Any], kind: str, rng: random.Random) -> str:
    p = dict(parts)
    if kind == "synonym":
        p["verb"] = p["verb_alt"]
        return _sentence(p)
    if kind == "dropped":
        return _sentence(p).replace(" million dollars", " million").replace(", worth", " worth")
    if kind == "fronted":
        s = _sentence(p)
        return f"{p['day'].capitalize()}, {s[0].lower()}{s[1:]}".replace(f" {p['day']},", ",")
    if kind == "punctuation":
        return _sentence(p).replace(",", "").replace(".", " .").upper()
    if kind == "contraction":
        return _sentence(p).replace(" million dollars", "m dollars").replace(" said", " says")
    raise ValueError(kind)


def make_sentences(count: int, seed: int = SEED) -> list[Item]:
    """Seeded sentences: ``count`` originals with 1-2 variants, plus fact-changing negatives."""
    rng = random.Random(seed + 1)
    items: list[Item] = []
    group = 0
    for n in range(count):
        verb = rng.choice(VERBS)
        parts = {
            "subject": rng.choice(SUBJECTS),
            "verb": verb[0],
            "verb_alt": verb[1],
            "object": rng.choice(OBJECTS),
            "place": rng.choice(PLACES),
            "day": rng.choice(DAYS),
            "amount": rng.randint(2, 900),
            "source": rng.choice(SOURCES),
        }
        items.append(Item(_sentence(parts), group, "original"))
        for kind in rng.sample(SENTENCE_VARIANTS, rng.randint(1, 2)):
            items.append(Item(_sentence_variant(parts, kind, rng), group, kind))
        group += 1
        if n % 3 == 0:  # a negative: the same sentence with one fact changed
            kind = rng.choice(["number", "entity", "place"])
            q = dict(parts)
            if kind == "number":
                q["amount"] = parts["amount"] + rng.randint(1, 9)
            elif kind == "entity":
                q["subject"] = rng.choice([s for s in SUBJECTS if s != parts["subject"]])
            else:
                q["place"] = rng.choice([s for s in PLACES if s != parts["place"]])
            items.append(Item(_sentence(q), group, kind))
            group += 1
    return items


# -- scoring ------------------------------------------------------------------------------


def truth_pairs(items: list[Item]) -> set[tuple[int, int]]:
    by: dict[int, list[int]] = {}
    for i, it in enumerate(items):
        by.setdefault(it.group, []).append(i)
    return {(a, b) for g in by.values() for x, a in enumerate(g) for b in g[x + 1 :]}


def cluster_pairs(labels: list[int]) -> set[tuple[int, int]]:
    by: dict[int, list[int]] = {}
    for i, g in enumerate(labels):
        by.setdefault(g, []).append(i)
    return {(a, b) for g in by.values() for x, a in enumerate(g) for b in g[x + 1 :]}


def evaluate(items: list[Item], found: set[tuple[int, int]]) -> dict[str, Any]:
    """Pair precision, recall, F1; recall per variant kind; false merges per negative kind."""
    truth = truth_pairs(items)
    tp = len(truth & found)
    p = tp / len(found) if found else 1.0
    r = tp / len(truth) if truth else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    kinds: dict[str, dict[str, int]] = {}
    for a, b in truth:
        kind = items[b].kind if items[b].kind != "original" else items[a].kind
        k = kinds.setdefault(kind, {"pairs": 0, "found": 0})
        k["pairs"] += 1
        k["found"] += (a, b) in found
    merges: dict[str, int] = {}
    for a, b in found - truth:
        for kind in {items[a].kind, items[b].kind} - {"original", *RECORD_VARIANTS,
                                                       *SENTENCE_VARIANTS}:  # fmt: skip
            merges[kind] = merges.get(kind, 0) + 1
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "found": len(found),
        "true": len(truth),
        "recall_by_kind": {
            k: round(v["found"] / v["pairs"], 4) for k, v in sorted(kinds.items()) if v["pairs"]
        },
        "false_merges_by_kind": dict(sorted(merges.items())),
        "false_merges": len(found - truth),
    }


def _upper(n: int) -> tuple[Arr, Arr]:
    left, right = np.triu_indices(n, k=1)
    return left.astype(np.int64), right.astype(np.int64)


def pair_scores(scorer: str, keys: list[str], left: Arr, right: Arr, unit: str, ngram: int) -> Arr:
    """``scorer``'s score of each pair of keys (symmetric scores; containment as max of both)."""
    if scorer in ("ratio", "token_sort_ratio"):
        from rapidfuzz import fuzz

        fn = fuzz.ratio if scorer == "ratio" else fuzz.token_sort_ratio
        out = np.empty(left.size)
        step = 1 << 18
        for lo in range(0, left.size, step):
            a = [keys[i] for i in left[lo : lo + step].tolist()]
            b = [keys[j] for j in right[lo : lo + step].tolist()]
            out[lo : lo + step] = process.cpdist(a, b, scorer=fn, workers=-1) / 100.0
        return out
    sets = ShingleSets.from_texts(keys, ngram=ngram, unit=unit)  # type: ignore[arg-type]
    if scorer == "jaccard":
        return set_jaccard(sets, left, right)
    from textdedup.verify import set_containment

    return np.maximum(set_containment(sets, left, right), set_containment(sets, right, left))


def number_mask(texts: list[str], left: Arr, right: Arr) -> Arr:
    """Whether each pair passes the rule ``dedup`` applies to short texts (numbers agree...).

    Read from the texts as written, as ``dedup`` reads them."""
    found = [ShortText.of(t) for t in texts]
    return np.fromiter(
        (
            short_texts_agree(found[a], found[b])
            for a, b in zip(left.tolist(), right.tolist(), strict=True)
        ),
        dtype=bool,
        count=left.size,
    )


# Settings measured per scorer: (scorer, threshold, unit, ngram).
SCORER_SETTINGS = [
    ("jaccard", 0.7, "word", 5),  # today's default, for reference
    ("jaccard", 0.5, "char", 3),
    ("ratio", 0.9, "char", 3),
    ("ratio", 0.85, "char", 3),
    ("token_sort_ratio", 0.9, "char", 3),
    ("containment", 0.8, "char", 3),
]


def scorer_section(items: list[Item], *, seed: int) -> dict[str, Any]:
    keys = [normalize_key(it.text) for it in items]
    left, right = _upper(len(keys))
    agree = number_mask([it.text for it in items], left, right)
    out: dict[str, Any] = {}
    for scorer, threshold, unit, ngram in SCORER_SETTINGS:
        name = f"{scorer}@{threshold:g}/{unit}{ngram}"
        scores = pair_scores(scorer, keys, left, right, unit, ngram)
        hit = scores >= threshold
        every = {(a, b) for a, b in zip(left[hit].tolist(), right[hit].tolist(), strict=True)}
        both = hit & agree
        every_num = {(a, b) for a, b in zip(left[both].tolist(), right[both].tolist(), strict=True)}
        verify = {"token_sort_ratio": "ratio"}.get(scorer, scorer)  # bands: same bound
        config = DedupConfig(
            threshold=threshold,
            verify=verify,  # type: ignore[arg-type]
            ngram=ngram,
            shingle=unit,  # type: ignore[arg-type]
            seed=seed,
        )
        params = config.lsh()
        sig = config.hasher().signatures(keys)
        cand = candidate_pairs(band_keys(sig, params))
        cl, cr = np.minimum(cand.left, cand.right), np.maximum(cand.left, cand.right)
        cs = pair_scores(scorer, keys, cl, cr, unit, ngram)
        ok = (cs >= threshold) & number_mask(keys, cl, cr)
        lsh = {(a, b) for a, b in zip(cl[ok].tolist(), cr[ok].tolist(), strict=True)}
        bound = None
        if scorer == "ratio" and unit == "char":
            # The Indel q-gram bound on sets: share of the pairs at ratio >= threshold whose
            # char q-gram Jaccard is at least the bound (texts of 80+ characters in all).
            lengths = np.array([len(k) for k in keys])
            big = hit & (lengths[left] + lengths[right] >= 80)
            jac = pair_scores("jaccard", keys, left[big], right[big], unit, ngram)
            need = indel_qgram_jaccard(threshold, ngram)
            bound = {
                "pairs": int(big.sum()),
                "share_at_or_above": round(float((jac >= need - 1e-9).mean()), 4)
                if big.any()
                else None,
                "bound": round(need, 4),
                "min_jaccard": round(float(jac.min()), 4) if big.any() else None,
            }
        e_num = evaluate(items, every_num)
        via = evaluate(items, lsh)
        out[name] = {
            "bands": params.bands,
            "rows": params.rows,
            "lsh_jaccard": round(params.threshold, 4),
            "candidates": int(cl.size),
            "every_pair": evaluate(items, every),
            "every_pair_numbers": e_num,
            "lsh_numbers": via,
            "indel_bound_on_sets": bound,
            "lsh_share_of_every_pair_f1": round(via["f1"] / e_num["f1"], 4)
            if e_num["f1"]
            else None,
        }
    return out


def dedup_section(
    items: list[Item], configs: dict[str, DedupConfig], records: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, config in configs.items():
        if records and config.fields:
            data: list[Any] = [{"id": str(i), **it.fields} for i, it in enumerate(items)]
        else:
            data = [{"id": str(i), "text": it.text} for i, it in enumerate(items)]
        t0 = time.perf_counter()
        decided = list(dedup_records(data, config=config))
        seconds = time.perf_counter() - t0
        labels = []
        for d in decided:
            labels.append(int(d.cluster) if d.cluster is not None else int(d.record.id))
        result = evaluate(items, cluster_pairs(labels))
        result["seconds"] = round(seconds, 2)
        result["config"] = {
            "threshold": config.threshold,
            "verify": config.verify,
            "shingle": config.shingle,
            "ngram": config.ngram,
            "fields": list(config.fields),
        }
        out[name] = result
    return out


def run(works: int, sentences: int, seed: int) -> dict[str, Any]:
    recs = make_records(works, seed)
    sents = make_sentences(sentences, seed)
    base = DedupConfig(seed=seed)
    auto = replace(base, shingle="auto")
    record_configs = {
        "defaults": base,
        "cli-default (auto, jaccard@0.7)": auto,
        "auto/jaccard@0.5": replace(auto, threshold=0.5),
        "auto/ratio@0.9": replace(auto, verify="ratio", threshold=0.9),
        "auto/ratio@0.85": replace(auto, verify="ratio", threshold=0.85),
        "fields/jaccard@0.5": replace(auto, threshold=0.5, fields=FIELDS),
        "fields/ratio@0.85": replace(auto, verify="ratio", threshold=0.85, fields=FIELDS),
    }
    sentence_configs = {k: v for k, v in record_configs.items() if not v.fields}
    return {
        "records": {
            "items": len(recs),
            "scorers": scorer_section(recs, seed=seed),
            "dedup": dedup_section(recs, record_configs, records=True),
        },
        "sentences": {
            "items": len(sents),
            "scorers": scorer_section(sents, seed=seed),
            "dedup": dedup_section(sents, sentence_configs, records=False),
        },
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer records and sentences")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=HERE / "results" / "records.json")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    works, sentences = (100, 100) if args.quick else (300, 300)
    results: dict[str, Any] = {
        "command": "PYTHONPATH=src .venv/bin/python benchmarks/records.py"
        + (" --quick" if args.quick else ""),
        "date": dt.date.today().isoformat(),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "seed": args.seed,
        "works": works,
        "sentences": sentences,
        **run(works, sentences, args.seed),
    }
    results["seconds"] = round(time.perf_counter() - t0, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    for part in ("records", "sentences"):
        print(part, results[part]["items"], "items")
        for name, r in results[part]["scorers"].items():
            e, v = r["every_pair_numbers"], r["lsh_numbers"]
            print(
                f"  {name:28s} every pair F1 {r['every_pair']['f1']:.3f}, "
                f"with numbers {e['f1']:.3f}"
                f" (P {e['precision']:.3f}); via LSH {v['f1']:.3f} (P {v['precision']:.3f}, "
                f"{r['bands']}x{r['rows']}, {r['candidates']} candidates)"
            )
        for name, r in results[part]["dedup"].items():
            print(
                f"  dedup {name:22s} P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}"
                f"  {r['recall_by_kind']}  merges {r['false_merges_by_kind']}"
            )
    print(f"wrote {args.out} in {results['seconds']}s", file=sys.stderr)


if __name__ == "__main__":
    main()
