"""The settings of corpus deduplication, checked at construction: the shared vocabulary.

:class:`DedupConfig` is what every engine, the index, the tuning tools and the
command line read; it depends on the stage modules only (the scorer table, the keep
policies, LSH and MinHash), never on an engine. The words a setting takes are the
tuples :data:`UNITS`, :data:`MODES`, :data:`VERIFIERS`, :data:`SHINGLES` and
:data:`NUMBERS` (the CLI offers exactly these), and :data:`SCORER_OF` maps a
``verify`` word to its entry of :data:`textdedup.verify.SCORER_TABLE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from .cluster import KEEP_POLICIES, KeepPolicy
from .lsh import LSHParams, lsh_params, lsh_params_for_recall
from .minhash import MinHasher
from .normalize import KeyConfig
from .verify import SCORER_TABLE, CandidateTarget, PairScorer, candidate_target

__all__ = [
    "AUTO_CHAR_NGRAM",
    "MODES",
    "NUMBERS",
    "SCORER_OF",
    "SHINGLES",
    "SHORT_TEXT_WORDS",
    "UNITS",
    "VERIFIERS",
    "DedupConfig",
    "Mode",
    "Numbers",
    "Shingle",
    "Unit",
    "Verify",
]

Unit = Literal["doc", "paragraph", "line", "sentence", "window"]
Mode = Literal["exact", "near"]
Verify = Literal["jaccard", "containment", "ratio", "none"]
Shingle = Literal["word", "char", "auto"]
Numbers = Literal["auto", "agree", "ignore"]
SHINGLES: tuple[Shingle, ...] = ("word", "char", "auto")
NUMBERS: tuple[Numbers, ...] = ("auto", "agree", "ignore")
#: Items (documents) whose median key has fewer words than this are short texts:
#: ``shingle="auto"`` gives them character :data:`AUTO_CHAR_NGRAM`-grams, and with
#: ``numbers="auto"`` their pairs must agree in their numbers.
#: A one-word change leaves a 50-word text about 0.8 of its word 5-grams, a 30-word
#: text under 0.7 (the default threshold): below this length word 5-grams stop working.
SHORT_TEXT_WORDS = 50
#: The character n-gram that ``shingle="auto"`` gives short texts: 3-grams keep a
#: useful Jaccard bound for ``verify="ratio"`` (see textdedup.verify.candidate_target).
AUTO_CHAR_NGRAM = 3
UNITS: tuple[Unit, ...] = ("doc", "paragraph", "line", "sentence", "window")
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
        What is deduplicated: whole documents, paragraphs, lines, sentences (of
        the reflowed text) or overlapping word windows (:mod:`textdedup.windows`).
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
        ``char`` tokens (or ``auto``, see below), and the seed of the permutations.
        ``shingle="auto"`` chooses by length when the items are known (whole
        documents only; paragraph and line units get word shingles): word
        ``ngram``-grams when the median item has :data:`SHORT_TEXT_WORDS` words or
        more, character :data:`AUTO_CHAR_NGRAM`-grams for shorter ones
        (:meth:`resolved`).
    numbers:
        ``agree``: a pair is a duplicate only if the short-text rule lets it pass
        (:func:`textdedup.verify.short_texts_differ`): its numbers agree, in order
        (``26(1)`` and ``26(2)``, ``0.5`` and ``5`` differ, a number left out does
        not), it is not a correction, retraction or numbered part of the other, and,
        when one has fewer than :data:`textdedup.verify.SHORT_WORDS` words, no word is
        replaced by an unlike word and no negation or model word is added; ``ignore``:
        numbers and words are text like any other;
        ``auto`` (default): ``agree`` for short texts, decided for each pair by
        length whatever the shingles (the shorter text under :data:`SHORT_TEXT_WORDS`
        words, or records with ``fields``), ``ignore`` otherwise, so documents compare
        as they always did. The rule reads numbers from the texts as written (signs
        and decimal points kept) when the caller gives them
        (:meth:`textdedup.engine.Engine.add`).
    fields:
        Records with fields (see :mod:`textdedup.fields`): the names of the fields
        compared, each with an optional rule, ``"title"``, ``"authors:names"``,
        ``"year:exact"``. Empty: records are compared on their text field.
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
    shingle: Shingle = "word"
    seed: int = 1
    min_length: int = 30
    max_cluster_size: int = 0
    key: KeyConfig = field(default_factory=KeyConfig)
    batch_size: int = 8192
    numbers: Numbers = "auto"
    fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name, allowed in (
            ("unit", UNITS),
            ("mode", MODES),
            ("keep", KEEP_POLICIES),
            ("verify", VERIFIERS),
            ("shingle", SHINGLES),
            ("numbers", NUMBERS),
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
        if isinstance(self.fields, str) or not isinstance(self.fields, tuple):
            raise TypeError(f"fields must be a tuple of field names, got {self.fields!r}")
        if self.fields:
            from .fields import parse_fields

            parse_fields(self.fields)  # raises ValueError naming a bad rule
            if self.unit != "doc":
                raise ValueError(
                    f"fields compare whole records: unit must be 'doc', got {self.unit!r}"
                )
        # The MinHash settings are checked where they are used, at construction:
        # MinHasher's bounds (num_perm in [1, 4096], ngram in [1, 64], seed in
        # [0, 2**64)) are the only ones, and a bad seed fails here, not mid-run
        # (with shingle="auto" too: its word and char choices share these bounds).
        self._minhasher("char" if self.shingle == "char" else "word")

    def resolved(self, median_words: float) -> DedupConfig:
        """These settings with ``shingle="auto"`` decided for items of ``median_words`` words.

        >>> DedupConfig(shingle="auto").resolved(12).shingle
        'char'
        >>> DedupConfig(shingle="auto").resolved(400).ngram
        5
        """
        if self.shingle != "auto":
            return self
        if self.unit == "doc" and median_words < SHORT_TEXT_WORDS:
            return replace(self, shingle="char", ngram=AUTO_CHAR_NGRAM)
        return replace(self, shingle="word")

    @property
    def numbers_agree(self) -> bool:
        """Whether the short-text rule can apply to a pair (see ``numbers``; with
        ``auto`` it applies to the pairs :meth:`numbers_apply` finds short)."""
        return self.numbers != "ignore"

    def numbers_apply(self, words: int) -> bool:
        """Whether the short-text rule applies to a pair whose shorter text has ``words``
        words: always with ``agree``, never with ``ignore``, under
        :data:`SHORT_TEXT_WORDS` words (or with ``fields``) with ``auto``.

        >>> DedupConfig().numbers_apply(12), DedupConfig().numbers_apply(400)
        (True, False)
        """
        if self.numbers == "auto":
            return bool(self.fields) or words < SHORT_TEXT_WORDS
        return self.numbers == "agree"

    def hasher(self) -> MinHasher:
        """The MinHasher for these settings (items are keys already): the nested MinHash config.

        Raises
        ------
        ValueError
            For ``shingle="auto"`` (not decided yet, see :meth:`resolved`); for a
            ``num_perm``, ``ngram`` or ``seed`` out of MinHasher's bounds (checked at
            construction already).
        """
        self._check_resolved()
        return self._minhasher(self.shingle_unit)

    def _minhasher(self, unit: Literal["word", "char"]) -> MinHasher:
        return MinHasher(
            num_perm=self.num_perm, ngram=self.ngram, unit=unit, seed=self.seed, key=None
        )

    def scorer(self) -> PairScorer:
        """The entry of :data:`textdedup.verify.SCORER_TABLE` that ``verify`` names.

        >>> DedupConfig(verify="none").scorer().name
        'estimate'
        """
        return SCORER_TABLE[SCORER_OF[self.verify]]

    @property
    def shingle_unit(self) -> Literal["word", "char"]:
        """``shingle`` once decided: ``"word"`` or ``"char"`` (``ValueError`` for ``"auto"``)."""
        self._check_resolved()
        return "char" if self.shingle == "char" else "word"

    def _check_resolved(self) -> None:
        if self.shingle == "auto":
            raise ValueError(
                "shingle='auto' is decided from the items: use DedupConfig.resolved(median_words) "
                "(the Engine does it when it has the items)"
            )

    def lsh(self) -> LSHParams:
        """Bands and rows for the threshold.

        The Jaccard the bands are tuned for comes from the verifier
        (:func:`textdedup.verify.candidate_target`). With a bound (``ratio`` on
        character q-grams) the bands make a pair at the bound a candidate with chance
        :data:`textdedup.verify.TARGET_RECALL` (:func:`textdedup.lsh.lsh_params_for_recall`).
        Otherwise, with verification a false positive costs one verified pair while a
        false negative is a missed duplicate, so the optimizer weighs misses 9:1;
        without verification the LSH decides alone and both weigh the same.
        """
        target = self.candidate_target()
        if target.recall is not None:
            return lsh_params_for_recall(target.jaccard, self.num_perm, target.recall)
        if self.verify == "none":
            return lsh_params(target.jaccard, self.num_perm)
        return lsh_params(
            target.jaccard, self.num_perm, false_positive_weight=0.1, false_negative_weight=0.9
        )

    def candidate_target(self) -> CandidateTarget:
        """The Jaccard the bands catch for this verifier and shingles (see :meth:`lsh`)."""
        self._check_resolved()
        unit: Literal["word", "char"] = "char" if self.shingle == "char" else "word"
        return candidate_target(SCORER_OF[self.verify], self.threshold, unit=unit, ngram=self.ngram)
