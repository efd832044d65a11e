"""The settings of corpus deduplication, checked at construction: the shared vocabulary.

:class:`DedupConfig` is what every engine, the index, the tuning tools and the
command line read; it depends on the stage modules only (the scorer table, the keep
policies, LSH and MinHash), never on an engine. The words a setting takes are the
tuples :data:`UNITS`, :data:`MODES` and :data:`VERIFIERS` (the CLI offers exactly
these), and :data:`SCORER_OF` maps a ``verify`` word to its entry of
:data:`textdedup.verify.SCORER_TABLE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .cluster import KEEP_POLICIES, KeepPolicy
from .lsh import LSHParams, lsh_params
from .minhash import MinHasher
from .normalize import KeyConfig
from .verify import SCORER_TABLE, PairScorer

__all__ = ["MODES", "SCORER_OF", "UNITS", "VERIFIERS", "DedupConfig", "Mode", "Unit", "Verify"]

Unit = Literal["doc", "paragraph", "line"]
Mode = Literal["exact", "near"]
Verify = Literal["jaccard", "containment", "ratio", "none"]
UNITS: tuple[Unit, ...] = ("doc", "paragraph", "line")
MODES: tuple[Mode, ...] = ("exact", "near")
VERIFIERS: tuple[Verify, ...] = ("jaccard", "containment", "ratio", "none")
# The entry of textdedup.verify.SCORER_TABLE that each verify setting uses.
SCORER_OF: dict[str, str] = {
    "jaccard": "jaccard",
    "containment": "containment",
    "ratio": "ratio",
    "none": "estimate",
}


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
        similarity of their shingle sets with ``verify="jaccard"`` (default), the
        share of a record's shingles found in an earlier kept record with
        ``"containment"``, rapidfuzz ``ratio`` with ``"ratio"``, the MinHash estimate
        with ``"none"`` (see :data:`textdedup.verify.SCORER_TABLE`).
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
        # The MinHash settings are checked where they are used, at construction:
        # MinHasher's bounds (num_perm in [1, 4096], ngram in [1, 64], seed in
        # [0, 2**64)) are the only ones, and a bad seed fails here, not mid-run.
        self.hasher()

    def hasher(self) -> MinHasher:
        """The MinHasher for these settings (items are keys already): the nested MinHash config.

        Raises
        ------
        ValueError
            For a ``num_perm``, ``ngram`` or ``seed`` out of MinHasher's bounds.
        """
        return MinHasher(
            num_perm=self.num_perm, ngram=self.ngram, unit=self.shingle, seed=self.seed, key=None
        )

    def scorer(self) -> PairScorer:
        """The entry of :data:`textdedup.verify.SCORER_TABLE` that ``verify`` names.

        >>> DedupConfig(verify="none").scorer().name
        'estimate'
        """
        return SCORER_TABLE[SCORER_OF[self.verify]]

    def lsh(self) -> LSHParams:
        """Bands and rows for the threshold.

        With verification a false positive costs one verified pair while a false
        negative is a missed duplicate, so the optimizer weighs misses 9:1; without
        verification the LSH decides alone and both weigh the same.
        """
        jaccard = self.scorer().lsh_jaccard(self.threshold)
        if self.verify == "none":
            return lsh_params(jaccard, self.num_perm)
        return lsh_params(
            jaccard, self.num_perm, false_positive_weight=0.1, false_negative_weight=0.9
        )
