"""The corpus engine: items (keys) in, one decision per item out.

Composes the comparison core for a corpus: MinHash signatures in batches, LSH
candidates, verification, clustering with chain splitting, the keep policy and the
guards against over-removal. Items are plain keys; :mod:`textdedup.pipeline` turns
records (documents, paragraphs or lines) into items and decisions back into
records. Keys are spilled to disk as they come, so memory holds only signatures,
digests and lengths.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from .cluster import KEEP_POLICIES, KeepPolicy, connected_components
from .lsh import LSHParams, band_keys, candidate_pairs, lsh_params
from .minhash import MinHasher
from .normalize import KeyConfig
from .shingle import shingle_hashes
from .store import SpillStore
from .verify import fuzzy_scores

__all__ = ["Decisions", "DedupConfig", "Engine", "digest"]

Unit = Literal["doc", "paragraph", "line"]
Mode = Literal["exact", "near"]
Verify = Literal["jaccard", "ratio", "none"]
UNITS: tuple[Unit, ...] = ("doc", "paragraph", "line")
MODES: tuple[Mode, ...] = ("exact", "near")
VERIFIERS: tuple[Verify, ...] = ("jaccard", "ratio", "none")


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupConfig:
    """Options of corpus deduplication.

    Parameters
    ----------
    unit:
        What is deduplicated: whole documents, paragraphs or lines.
    mode:
        ``exact`` (same key) or ``near`` (MinHash/LSH candidates, verified).
    threshold:
        Similarity in [0, 1] at which two items are duplicates: the exact Jaccard
        similarity of their shingle sets with ``verify="jaccard"`` (default),
        rapidfuzz ``ratio`` with ``"ratio"``, the MinHash estimate with ``"none"``.
    keep:
        Which item of a cluster stays: ``first``, ``last`` or ``longest``.
    num_perm, ngram, shingle, seed:
        MinHash settings: signature length, tokens per shingle, ``word`` or
        ``char`` tokens, and the seed of the permutations.
    min_length:
        With paragraph and line units, blocks whose key is shorter than this are
        never removed across documents.
    max_cluster_size:
        A cluster with more members is left alone (nothing removed) and reported;
        ``0`` means no limit.
    """

    unit: Unit = "doc"
    mode: Mode = "near"
    threshold: float = 0.7
    keep: KeepPolicy = "first"
    verify: Verify = "jaccard"
    num_perm: int = 128
    ngram: int = 5
    shingle: Literal["word", "char"] = "word"
    seed: int = 1
    min_length: int = 30
    max_cluster_size: int = 0
    key: KeyConfig = field(default_factory=KeyConfig)
    batch_size: int = 8192

    def __post_init__(self) -> None:
        for name, allowed in (
            ("unit", UNITS),
            ("mode", MODES),
            ("keep", KEEP_POLICIES),
            ("verify", VERIFIERS),
            ("shingle", ("word", "char")),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, (int, float)):
            raise TypeError(f"threshold must be a float in [0, 1], got {self.threshold!r}")
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be in [0, 1], got {self.threshold}")
        for name in ("num_perm", "ngram", "batch_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}")
        for name in ("min_length", "max_cluster_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an int >= 0, got {value!r}")

    def hasher(self) -> MinHasher:
        """The MinHasher for these settings (items are keys already)."""
        return MinHasher(
            num_perm=self.num_perm, ngram=self.ngram, unit=self.shingle, seed=self.seed, key=None
        )

    def lsh(self) -> LSHParams:
        """Bands and rows for the threshold.

        With verification a false positive costs one verified pair while a false
        negative is a missed duplicate, so the optimizer weighs misses 9:1; without
        verification the LSH decides alone and both weigh the same.
        """
        if self.verify == "none":
            return lsh_params(self.threshold, self.num_perm)
        return lsh_params(
            self.threshold, self.num_perm, false_positive_weight=0.1, false_negative_weight=0.9
        )


def digest(key: str) -> bytes:
    """A stable 128-bit digest of a key, for exact matching.

    >>> digest("abc").hex()
    'cf4ab791c62b8d2b2109c90275287816'
    """
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass(frozen=True, slots=True)
class Decisions:
    """One decision per item.

    ``keeper[i] == i`` for kept items; otherwise the item it duplicates, with the
    verified ``score``. ``cluster[i]`` is the keeper of ``i``'s cluster, or ``-1``
    for an item that duplicates nothing. ``candidates`` and ``verified`` count pairs;
    ``warnings`` say where a guard stepped in.
    """

    keeper: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    cluster: npt.NDArray[np.int64]
    candidates: int
    verified: int
    warnings: tuple[str, ...]

    @property
    def removed(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.keeper != np.arange(self.keeper.size))


class Engine:
    """Collects items, then decides which duplicate which.

    Items added with ``prior=True`` (for example, from an index) are preferred as
    keepers, so they are never removed by a new item.
    """

    def __init__(self, config: DedupConfig) -> None:
        self.config = config
        self.hasher = config.hasher()
        self.store = SpillStore()
        self._digests: list[bytes] = []
        self._lengths: list[int] = []
        self._prior: list[bool] = []
        self._sigs: list[np.ndarray] = []
        self._pending: list[str] = []
        self._pending_sigs: list[tuple[int, np.ndarray]] = []

    def __len__(self) -> int:
        return len(self._digests)

    def add(
        self,
        key: str,
        *,
        length: int | None = None,
        prior: bool = False,
        signature: np.ndarray | None = None,
    ) -> int:
        """Add one item (its key); returns its number."""
        i = self.store.append(key.encode("utf-8", "surrogatepass"))
        self._digests.append(digest(key))
        self._lengths.append(len(key) if length is None else length)
        self._prior.append(prior)
        if self.config.mode == "near":
            if signature is not None:
                self._flush()
                self._sigs.append(np.asarray(signature, dtype=np.uint32)[None, :])
            else:
                self._pending.append(key)
                if len(self._pending) >= self.config.batch_size:
                    self._flush()
        return i

    def _flush(self) -> None:
        if self._pending:
            self._sigs.append(np.asarray(self.hasher.signatures(self._pending)))
            self._pending = []

    def signatures(self) -> npt.NDArray[np.uint32]:
        """The signature matrix of every item so far."""
        self._flush()
        if not self._sigs:
            return np.zeros((0, self.config.num_perm), dtype=np.uint32)
        if len(self._sigs) > 1:
            self._sigs = [np.concatenate(self._sigs)]
        return self._sigs[0]

    def key(self, i: int) -> str:
        """The key of item ``i``."""
        return self.store.get(i).decode("utf-8", "surrogatepass")

    def length(self, i: int) -> int:
        """The length of item ``i`` (of its text, not its key)."""
        return self._lengths[i]

    @property
    def digests(self) -> list[bytes]:
        """Exact digests of the items so far."""
        return self._digests

    # -- deciding --------------------------------------------------------------------
    def solve(self) -> Decisions:
        n = len(self)
        cfg = self.config
        left, right = self._exact_pairs()
        candidates = verified = 0
        scores: dict[tuple[int, int], float] = {}
        notes: list[str] = []
        if cfg.mode == "near" and n > 1:
            sig = self.signatures()
            valid = np.array([d != _EMPTY for d in self._digests])
            pairs = candidate_pairs(band_keys(sig, cfg.lsh()), valid=valid)
            candidates = len(pairs)
            if pairs.giant_buckets:
                notes.append(
                    f"{pairs.giant_buckets} LSH bucket(s) held more than 200 items (boilerplate or "
                    "near-empty texts?); their members were linked to one member only"
                )
            ok, s = self._verify(pairs.left, pairs.right, sig)
            verified = int(ok.sum())
            for i, j, v in zip(
                pairs.left[ok].tolist(), pairs.right[ok].tolist(), s[ok].tolist(), strict=True
            ):
                scores[(i, j)] = v
            left = np.concatenate([left, pairs.left[ok]])
            right = np.concatenate([right, pairs.right[ok]])
        labels = connected_components(n, left, right)
        keeper, score, cluster = self._split_and_keep(labels, left, right, scores)
        keeper, warnings = self._guard(keeper)
        return Decisions(keeper, score, cluster, candidates, verified, tuple(notes + warnings))

    def _similar(self, a: int, b: int, scores: dict[tuple[int, int], float]) -> float | None:
        """Verified similarity of two items, or ``None`` below the threshold."""
        a, b = min(a, b), max(a, b)
        if a == b or self._digests[a] == self._digests[b]:
            return 1.0
        if self.config.mode == "exact":
            return None
        if (a, b) not in scores:
            ok, s = self._verify(np.array([a]), np.array([b]), self.signatures())
            scores[(a, b)] = float(s[0]) if ok[0] else -1.0
        v = scores[(a, b)]
        return v if v >= 0 else None

    def _split_and_keep(
        self,
        labels: npt.NDArray[np.int64],
        left: npt.NDArray[np.int64],
        right: npt.NDArray[np.int64],
        scores: dict[tuple[int, int], float],
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
        n = labels.size
        keeper = np.arange(n, dtype=np.int64)
        score = np.ones(n, dtype=np.float64)
        cluster = np.full(n, -1, dtype=np.int64)
        degree = np.bincount(left, minlength=n) + np.bincount(right, minlength=n)
        order = np.argsort(labels, kind="stable")
        bounds = np.flatnonzero(np.diff(labels[order])) + 1
        for group in np.split(order, bounds):
            if group.size < 2:
                continue
            members = group.tolist()
            for m, k, s, c in split_and_keep(
                members,
                digests=[self._digests[m] for m in members],
                lengths=[self._lengths[m] for m in members],
                degrees=degree[group].tolist(),
                prior=[self._prior[m] for m in members],
                keep=self.config.keep,
                similar=lambda a, b: self._similar(a, b, scores),
            ):
                keeper[m], score[m], cluster[m] = k, s, c
        return keeper, score, cluster

    def _exact_pairs(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        n = len(self)
        if n < 2:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        arr = np.frombuffer(b"".join(self._digests), dtype="S16")
        order = np.argsort(arr, kind="stable")
        srt = arr[order]
        same = srt[1:] == srt[:-1]
        return order[:-1][same].astype(np.int64), order[1:][same].astype(np.int64)

    def _verify(
        self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64], sig: npt.NDArray[np.uint32]
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
        cfg = self.config
        if left.size == 0:
            return np.zeros(0, dtype=bool), np.zeros(0)
        if cfg.verify == "none":
            s = (sig[left] == sig[right]).mean(axis=1)
        else:
            # Chunks of pairs whose texts add up to a bounded size: verification loads
            # and shingles the texts of a chunk at once.
            lengths = np.asarray(self._lengths, dtype=np.int64)
            cost = np.cumsum(lengths[left] + lengths[right])
            bounds = np.searchsorted(cost, np.arange(_VERIFY_CHARS, int(cost[-1]), _VERIFY_CHARS))
            cuts = np.unique(np.concatenate([[0], np.maximum(bounds, 1), [left.size]]))
            s = np.empty(left.size)
            for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
                s[lo:hi] = self._scores(left[lo:hi], right[lo:hi])
        return s >= cfg.threshold, s

    def _scores(
        self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.float64]:
        ids = np.unique(np.concatenate([left, right]))
        keys = [k.decode("utf-8", "surrogatepass") for k in self.store.get_many(ids)]
        pos = {int(i): k for k, i in enumerate(ids.tolist())}
        return pair_scores(
            keys, [pos[int(i)] for i in left], [pos[int(j)] for j in right], self.config
        )

    def _guard(self, keeper: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], list[str]]:
        n = keeper.size
        warnings: list[str] = []
        sizes = np.bincount(keeper, minlength=n)
        limit = self.config.max_cluster_size
        if limit:
            big = np.flatnonzero(sizes > limit)
            if big.size:
                undo = np.isin(keeper, big)
                keeper = np.where(undo, np.arange(n), keeper)
                warnings.append(
                    f"{big.size} cluster(s) larger than max_cluster_size={limit} were left "
                    f"alone ({int(undo.sum())} items kept)"
                )
        top = int(sizes.max()) if n else 0
        if n >= 50 and top > 0.1 * n and not (limit and top > limit):
            warnings.append(
                f"one cluster holds {top} of {n} items ({top / n:.0%}); check the threshold, "
                "or set max_cluster_size"
            )
        return keeper, warnings

    def close(self) -> None:
        self.store.close()


_EMPTY = digest("")
_VERIFY_CHARS = 1 << 24  # text characters verified at once


def pair_scores(
    keys: Sequence[str], left: Sequence[int], right: Sequence[int], config: DedupConfig
) -> npt.NDArray[np.float64]:
    """Verified similarity of ``keys[left[k]]`` and ``keys[right[k]]`` for every ``k``.

    Exact Jaccard of the shingle sets (``verify="jaccard"``) or rapidfuzz ``ratio``
    (``"ratio"``). A pure function of its inputs, shared by every engine.

    >>> round(float(pair_scores(["a b c d", "a b c e"], [0], [1], DedupConfig(ngram=1))[0]), 2)
    0.6
    """
    if config.verify == "ratio":
        return fuzzy_scores([keys[i] for i in left], [keys[j] for j in right])
    used = sorted(set(left) | set(right))
    sh = shingle_hashes([keys[i] for i in used], ngram=config.ngram, unit=config.shingle)
    sets = {i: np.unique(sh.hashes[sh.offsets[k] : sh.offsets[k + 1]]) for k, i in enumerate(used)}
    out = np.empty(len(left))
    for k, (i, j) in enumerate(zip(left, right, strict=True)):
        a, b = sets[i], sets[j]
        inter = np.intersect1d(a, b, assume_unique=True).size
        union = a.size + b.size - inter
        out[k] = inter / union if union else 1.0
    return out


def split_and_keep(
    members: list[int],
    *,
    digests: list[bytes],
    lengths: list[int],
    degrees: list[int],
    prior: list[bool],
    keep: KeepPolicy,
    similar: Callable[[int, int], float | None],
) -> list[tuple[int, int, float, int]]:
    """Decide one connected component: ``(member, keeper, score, cluster)`` for each member.

    A component can be a chain (A~B~C with A and C unlike). Its representative is the
    member with the most verified links (ties go to the smallest digest), a choice
    that depends on the texts only, not on their order, so clusters are the same
    whatever the order of the input. The members verified against the
    representative form one cluster; the rest are split again. The keep policy then
    picks the kept item of each cluster (prior items, say from an index, first), and
    each other member is verified against the kept item: it is removed only if it
    matches it, with that score, and otherwise stays. ``similar(a, b)`` returns the
    verified similarity of two members, or ``None`` below the threshold. A pure
    function of its inputs, shared by every engine.

    >>> split_and_keep(
    ...     [0, 1, 2], digests=[b"a", b"b", b"c"], lengths=[5, 5, 5], degrees=[1, 2, 1],
    ...     prior=[False] * 3, keep="first",
    ...     similar=lambda a, b: 1.0 if abs(a - b) < 2 else None,
    ... )
    [(0, 0, 1.0, 0), (1, 0, 1.0, 0), (2, 2, 1.0, 0)]
    """
    info = {m: k for k, m in enumerate(members)}
    out: dict[int, tuple[int, int, float, int]] = {m: (m, m, 1.0, -1) for m in members}
    pending = list(members)
    while len(pending) > 1:
        rep = max(pending, key=lambda i: (degrees[info[i]], _neg(digests[info[i]])))
        cluster = [m for m in pending if similar(m, rep) is not None]
        taken = set(cluster)
        pending = [m for m in pending if m not in taken]
        pool = [m for m in cluster if prior[info[m]]] or cluster
        if keep == "first":
            head = min(pool)
        elif keep == "last":
            head = max(pool)
        else:
            head = min(pool, key=lambda i: (-lengths[info[i]], i))
        label = head if len(cluster) > 1 else -1
        for m in cluster:
            s = similar(m, head) if m != head else None
            out[m] = (m, head, s, label) if s is not None else (m, m, 1.0, label)
    return [out[m] for m in members]


def _neg(data: bytes) -> bytes:
    """A key that sorts byte strings in reverse, so ``max`` picks the smallest."""
    return bytes(255 - b for b in data)
