"""Read what ``find``, ``dedup --stats`` and ``clean --report`` wrote, for the review page.

The first half of :mod:`textdedup.review`: it tells each input file's kind by its
content, streams a clusters file while counting (scores, sizes, reasons) and
keeping only the clusters the page will show (the largest and those closest to
the threshold) and a sample of pairs per score band, and reads from a corpus
the texts of the records shown. Memory holds the counts and the sample, never
the whole clusters file or corpus.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .errors import InputError
from .io import read_text

__all__ = [
    "Cluster",
    "Member",
    "ReviewConfig",
    "ReviewInputs",
    "load_inputs",
    "needed_ids",
    "read_texts",
    "shown_members",
]

T = TypeVar("T")

_BINS = 20  # score histogram: bins of width 0.05 on [0, 1]
_SIZE_BUCKETS = ((2, 2), (3, 3), (4, 5), (6, 10), (11, 100), (101, None))


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewConfig:
    """What the review page shows.

    Parameters
    ----------
    clusters:
        Clusters shown in full: half the largest, half the closest to the
        threshold (lowest score first when the threshold is unknown).
    members:
        Removed members shown per cluster.
    pairs_per_band:
        Accepted pairs sampled per score band of width 0.05.
    max_chars:
        Characters of one text shown and compared; longer texts are cut, and the
        page says so.
    max_document:
        A ``clean`` document longer than this (characters) is shown as excerpts
        around its removals, not whole.
    threshold:
        The threshold to mark, when the inputs do not record it; ``None`` uses the
        settings in a ``--stats`` file, if any.
    """

    clusters: int = 60
    members: int = 8
    pairs_per_band: int = 4
    max_chars: int = 20_000
    max_document: int = 2_000_000
    threshold: float | None = None

    def __post_init__(self) -> None:
        for name in ("clusters", "members", "pairs_per_band", "max_chars", "max_document"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}")
        t = self.threshold
        if t is not None and (isinstance(t, bool) or not 0.0 <= t <= 1.0):
            raise ValueError(f"threshold must be in [0, 1], got {t!r}")


@dataclass(frozen=True, slots=True)
class Member:
    """One record of a cluster: its id, whether it is kept, its verified score, and
    the removal reason ``find`` recorded (``exact``/``near``; ``None`` when the file
    has none)."""

    id: str
    kept: bool
    score: float | None
    preview: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Cluster:
    """One line of ``find`` output: the kept record and every member."""

    kept: str
    members: tuple[Member, ...]
    line: int

    @property
    def size(self) -> int:
        return len(self.members)

    def min_score(self) -> float | None:
        scores = [m.score for m in self.members if not m.kept and m.score is not None]
        return min(scores) if scores else None


class _Top(Generic[T]):
    """The ``k`` smallest items by key, kept while streaming (memory O(k))."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.items: list[tuple[Any, T]] = []

    def add(self, key: Any, item: T) -> None:
        self.items.append((key, item))
        if len(self.items) > 4 * self.k:
            self.trim()

    def trim(self) -> list[T]:
        self.items.sort(key=lambda kv: kv[0])
        del self.items[self.k :]
        return [c for _, c in self.items]


@dataclass(slots=True)
class ReviewInputs:
    """What the review read: counts over every cluster, and the clusters kept to show."""

    clusters_file: str | None = None
    stats: dict[str, Any] | None = None
    clean_report: dict[str, Any] | None = None
    clean_name: str | None = None
    cluster_count: int = 0
    clustered_records: int = 0
    removed_members: int = 0
    scores: list[int] = field(default_factory=lambda: [0] * _BINS)
    sizes: Counter[int] = field(default_factory=Counter)
    largest: list[Cluster] = field(default_factory=list)
    closest: list[Cluster] = field(default_factory=list)
    pairs: dict[int, list[tuple[str, Member]]] = field(default_factory=dict)
    band_counts: Counter[int] = field(default_factory=Counter)
    block_rows: list[dict[str, Any]] = field(default_factory=list)
    block_records: int = 0
    block_removed: int = 0
    block_reasons: Counter[str] = field(default_factory=Counter)
    #: A corpus ``clean --report`` (one line per record): counts, and the records shown.
    clean_rows: list[dict[str, Any]] = field(default_factory=list)
    clean_records: int = 0
    clean_changed: int = 0
    clean_kinds: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def candidate_sample(self) -> dict[str, Any] | None:
        """The ``candidate_pair_sample`` of a ``--stats`` file (near mode), if any:
        counts of verified and rejected candidate pairs per score band, and a few
        pairs of each."""
        sample = (self.stats or {}).get("candidate_pair_sample")
        if not isinstance(sample, dict):
            return None
        if not isinstance(sample.get("bands"), list) or not isinstance(sample.get("pairs"), list):
            return None
        return sample

    @property
    def threshold(self) -> float | None:
        settings = (self.stats or {}).get("settings") or {}
        t = settings.get("threshold")
        return float(t) if isinstance(t, (int, float)) and not isinstance(t, bool) else None


def _lines(path: str) -> Iterator[tuple[int, str]]:
    opener: Any = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        yield from enumerate(fh, 1)


def _bad(path: str, line: int | None, what: str) -> InputError:
    return InputError(
        f"{what}; review reads find's clusters (JSONL), a --stats JSON or a clean --report JSON",
        path=path,
        line=line,
    )


def _member(obj: Any, path: str, line: int) -> Member:
    if not isinstance(obj, dict) or "id" not in obj:
        raise _bad(path, line, "a cluster member without an id")
    score = obj.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
        raise _bad(path, line, f"a member score is not a number: {score!r}")
    preview = obj.get("preview")
    reason = obj.get("reason")
    return Member(
        str(obj["id"]),
        bool(obj.get("kept")),
        None if score is None else float(score),
        preview if isinstance(preview, str) else None,
        reason if isinstance(reason, str) else None,
    )


def load_inputs(paths: Sequence[str], *, config: ReviewConfig | None = None) -> ReviewInputs:
    """Read the outputs of ``find``, ``dedup --stats`` and ``clean --report``.

    Each file's kind is told by its content: a JSON object with ``removals`` is a
    clean report, one with ``records`` and ``kept`` is a stats file; otherwise it
    is read as JSONL, one cluster (``members``) or one record with
    ``removed_blocks`` a line. Clusters are streamed: memory holds the counts and
    the clusters to show, not the file.

    Raises
    ------
    InputError
        A file that is none of these, naming the file and line.
    """
    config = config or ReviewConfig()
    inputs = ReviewInputs()
    jsonl: list[str] = []
    for path in paths:
        if _is_json_document(path):
            try:
                obj = json.loads(read_text(path))
            except json.JSONDecodeError as exc:
                raise _bad(path, exc.lineno, f"not JSON ({exc.msg})") from None
            if isinstance(obj, dict) and "removals" in obj:
                if inputs.clean_report is not None:
                    raise _bad(path, None, "a second clean report (review one at a time)")
                inputs.clean_report, inputs.clean_name = obj, path
                continue
            if isinstance(obj, dict) and "records" in obj and "kept" in obj:
                inputs.stats = obj
                continue
            raise _bad(path, None, "a JSON document that is neither a report nor stats")
        jsonl.append(path)
    threshold = config.threshold if config.threshold is not None else inputs.threshold
    half = max(1, config.clusters // 2)
    largest: _Top[Cluster] = _Top(half)
    closest: _Top[Cluster] = _Top(config.clusters)
    # Records shown: those whose lowest score is lowest first (the ones to check).
    block_top: _Top[dict[str, Any]] = _Top(config.clusters)
    clean_top: _Top[dict[str, Any]] = _Top(config.clusters)
    for path in jsonl:
        inputs.clusters_file = path
        for n, raw in _lines(path):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise _bad(path, n, f"not JSON ({exc.msg})") from None
            if isinstance(obj, dict) and isinstance(obj.get("members"), list):
                _add_cluster(inputs, obj, path, n, largest, closest, threshold, config)
            elif isinstance(obj, dict) and isinstance(obj.get("removed_blocks"), list):
                if not obj["removed_blocks"]:
                    continue  # only in-document removals: the page's clean view shows those
                inputs.block_records += 1
                inputs.block_removed += len(obj["removed_blocks"])
                scores = []
                for b in obj["removed_blocks"]:
                    score = b.get("score") if isinstance(b, dict) else None
                    if isinstance(score, (int, float)) and not isinstance(score, bool):
                        inputs.scores[min(int(score * _BINS + 1e-9), _BINS - 1)] += 1
                        scores.append(float(score))
                    if isinstance(b, dict):
                        inputs.block_reasons[str(b.get("reason") or "not recorded")] += 1
                block_top.add((min(scores, default=2.0), n), obj)
            elif (
                isinstance(obj, dict) and isinstance(obj.get("removals"), list) and "changed" in obj
            ):  # a line of a corpus clean --report
                inputs.clean_records += 1
                inputs.clean_changed += bool(obj["changed"])
                for r in obj["removals"]:
                    inputs.clean_kinds[str(r.get("kind") if isinstance(r, dict) else "?")] += 1
                if obj["changed"]:
                    scores = [
                        float(r["score"])
                        for r in obj["removals"]
                        if isinstance(r, dict) and isinstance(r.get("score"), (int, float))
                    ]
                    # Near copies first (lowest score), then exact ones, then the rest.
                    clean_top.add((min(scores, default=2.0), n), obj)
            else:
                raise _bad(
                    path,
                    n,
                    "neither a cluster, a record with removed blocks nor a clean report line",
                )
    inputs.block_rows = block_top.trim()
    inputs.clean_rows = clean_top.trim()
    inputs.largest = largest.trim()
    shown = {c.line for c in inputs.largest}
    inputs.closest = [c for c in closest.trim() if c.line not in shown][:half]
    return inputs


def _is_json_document(path: str) -> bool:
    """Whether ``path`` holds one JSON document (a report, stats) rather than JSONL.

    JSONL's first non-blank line is a whole JSON value; an indented document's is not.
    """
    for _, raw in _lines(path):
        if raw.strip():
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError:
                return True
            # A corpus clean report is JSONL: each line has "changed" (and an "id").
            return isinstance(obj, dict) and (
                ("removals" in obj and "changed" not in obj) or ("kept" in obj and "records" in obj)
            )
    return False


def _add_cluster(
    inputs: ReviewInputs,
    obj: dict[str, Any],
    path: str,
    n: int,
    largest: _Top[Cluster],
    closest: _Top[Cluster],
    threshold: float | None,
    config: ReviewConfig,
) -> None:
    members = tuple(_member(m, path, n) for m in obj["members"])
    cluster = Cluster(str(obj.get("kept", obj.get("cluster"))), members, n)
    inputs.cluster_count += 1
    inputs.clustered_records += cluster.size
    inputs.sizes[cluster.size] += 1
    for m in members:
        if m.kept or m.score is None:
            continue
        inputs.removed_members += 1
        # The reason find computed; never guessed from the score (a score of 1.0 can be
        # a near duplicate that differs only in case or punctuation).
        inputs.reasons[m.reason or "not recorded"] += 1
        # 1e-9: a score of 0.7 belongs to the band that starts at 0.7 (0.7 * 20 < 14).
        band = min(int(m.score * _BINS + 1e-9), _BINS - 1)
        inputs.scores[band] += 1
        inputs.band_counts[band] += 1
        sample = inputs.pairs.setdefault(band, [])
        if len(sample) < config.pairs_per_band:
            sample.append((cluster.kept, m))
    largest.add((-cluster.size, n), cluster)
    low = cluster.min_score()
    if low is not None:
        distance = abs(low - threshold) if threshold is not None else low
        closest.add((distance, n), cluster)


def needed_ids(inputs: ReviewInputs, config: ReviewConfig) -> set[str]:
    ids: set[str] = set()
    for c in inputs.largest + inputs.closest:
        ids.add(c.kept)
        ids.update(m.id for m in shown_members(c, config))
    for sample in inputs.pairs.values():
        for kept, m in sample:
            ids.update((kept, m.id))
    for row in inputs.block_rows:
        ids.add(str(row.get("id")))
        for b in row.get("removed_blocks", []):
            copy = b.get("kept") if isinstance(b, dict) else None
            if isinstance(copy, dict) and copy.get("id") is not None:
                ids.add(str(copy["id"]))
    ids.update(str(row.get("id")) for row in inputs.clean_rows)
    for pair in (inputs.candidate_sample or {}).get("pairs", []):
        if isinstance(pair, dict):
            ids.update(str(pair.get(k)) for k in ("a", "b") if pair.get(k) is not None)
    return ids


def shown_members(c: Cluster, config: ReviewConfig) -> list[Member]:
    removed = [m for m in c.members if not m.kept]
    # Lowest score first: the members a person most needs to check.
    removed.sort(key=lambda m: (m.score if m.score is not None else 2.0, m.id))
    return removed[: config.members]


def read_texts(
    records: Iterable[Any], ids: set[str], *, max_chars: int
) -> dict[str, tuple[str, int]]:
    """Texts of the records named in ``ids``, cut to ``max_chars``, with their full length.

    ``records`` yields objects with ``id`` and ``text`` (:class:`textdedup.records.Record`).
    """
    out: dict[str, tuple[str, int]] = {}
    for r in records:
        if r.id in ids and r.id not in out:
            out[r.id] = (r.text[:max_chars], len(r.text))
    return out
