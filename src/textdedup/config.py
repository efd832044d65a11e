"""The settings of cleaning and of corpus deduplication, checked at construction.

The shared vocabulary. :class:`MinHashConfig` holds the MinHash settings
(``num_perm``, ``ngram``, ``shingle``, ``seed``) that :class:`DedupConfig` (corpus
deduplication), :class:`CleanConfig` (one document) and
:class:`textdedup.minhash.MinHasher` share, with their bounds checked once
(:func:`textdedup.minhash.check_minhash_settings`). Both configs take it nested,
``DedupConfig(minhash=MinHashConfig(num_perm=256))``, or as the flat keywords they
always took, ``DedupConfig(num_perm=256)``, and give it back as
:attr:`DedupConfig.minhash_config`.

:class:`DedupConfig` is what every engine, the index, the tuning tools and the
command line read; it depends on the stage modules only (the scorer table, the keep
policies, LSH and MinHash), never on an engine. The words a setting takes are the
tuples :data:`LEVELS` (the CLI's ``--unit``), :data:`VERIFIERS`, :data:`SHINGLES` and
:data:`NUMBERS` (the CLI offers exactly these), and :data:`SCORER_OF` maps a
``verify`` word to its entry of :data:`textdedup.verify.SCORER_TABLE`.
"""

from __future__ import annotations

import functools
import os
import warnings
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field, replace
from typing import Any, Literal, TypeVar

from . import cluster
from .cluster import KeepPolicy
from .errors import IncompatibleSettingsError, literal
from .lsh import LSHParams, lsh_params, lsh_params_for_recall
from .minhash import MinHasher, check_minhash_settings
from .normalize import KeyConfig, NormalizeConfig
from .segment import SEGMENT_MODES, SegmentMode
from .verify import SCORER_TABLE, CandidateTarget, PairScorer, candidate_target

__all__ = [
    "AUTO_CHAR_NGRAM",
    "ISOLATED_POLICIES",
    "LEVELS",
    "MODES",
    "NUMBERS",
    "SCORER_OF",
    "SHINGLES",
    "SHORT_TEXT_WORDS",
    "UNITS",
    "VERIFIERS",
    "CleanConfig",
    "DedupConfig",
    "IsolatedPolicy",
    "Level",
    "MinHashConfig",
    "Mode",
    "Numbers",
    "Shingle",
    "Unit",
    "Verify",
    "resolve_workers",
]

Level = Literal["doc", "paragraph", "line", "sentence", "window"]
#: The old name of :data:`Level` (``DedupConfig.unit`` is ``DedupConfig.level``).
Unit = Level
Mode = Literal["exact", "near"]
Verify = Literal["jaccard", "containment", "ratio", "none"]
Shingle = Literal["word", "char", "auto"]
Numbers = Literal["auto", "agree", "ignore"]
SHINGLES: tuple[Shingle, ...] = ("word", "char", "auto")
NUMBERS: tuple[Numbers, ...] = ("auto", "agree", "ignore")
IsolatedPolicy = Literal["keep", "remove"]
ISOLATED_POLICIES: tuple[IsolatedPolicy, ...] = ("keep", "remove")
#: Items (documents) whose median key has fewer words than this are short texts:
#: ``shingle="auto"`` gives them character :data:`AUTO_CHAR_NGRAM`-grams, and with
#: ``numbers="auto"`` their pairs must agree in their numbers.
#: A one-word change leaves a 50-word text about 0.8 of its word 5-grams, a 30-word
#: text under 0.7 (the default threshold): below this length word 5-grams stop working.
SHORT_TEXT_WORDS = 50
#: The character n-gram that ``shingle="auto"`` gives short texts: 3-grams keep a
#: useful Jaccard bound for ``verify="ratio"`` (see textdedup.verify.candidate_target).
AUTO_CHAR_NGRAM = 3
LEVELS: tuple[Level, ...] = ("doc", "paragraph", "line", "sentence", "window")
#: The old name of :data:`LEVELS` (the CLI's ``--unit`` choices).
UNITS = LEVELS
MODES: tuple[Mode, ...] = ("exact", "near")
VERIFIERS: tuple[Verify, ...] = ("jaccard", "containment", "ratio", "none")
# The entry of textdedup.verify.SCORER_TABLE that each verify setting uses.
SCORER_OF: dict[str, str] = {
    "jaccard": "jaccard",
    "containment": "containment",
    "ratio": "ratio",
    "none": "estimate",
}


def resolve_workers(workers: int | None, *, cap: int | None = None) -> int:
    """The one rule for ``workers`` in every function and command: how many to run.

    ``0`` (or ``None``) means every core this process may run on (its CPU affinity),
    at most ``cap``; ``N > 0`` means ``N``. The CLI's ``--workers`` follows it too.

    Returns
    -------
    int
        The number of workers, >= 1.

    Raises
    ------
    ValueError
        ``workers`` is negative or not an int.

    >>> resolve_workers(3)
    3
    >>> resolve_workers(0) >= 1
    True
    """
    if workers is None:
        workers = 0
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise ValueError(f"workers must be an int >= 0 (0: every core), got {workers!r}")
    if workers:
        return workers
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, cap) if cap else cores)


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")


def _fraction(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a float in [0, 1], got {value!r}")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {value}")


def _count(name: str, value: object, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be an int >= {low}, got {value!r}")


_C = TypeVar("_C")


def _deprecated(old: str, new: str, stacklevel: int = 2) -> None:
    """Warn that ``old`` is renamed ``new``; ``stacklevel`` 2 points at the line that called
    the function calling this one."""
    warnings.warn(
        f"{old} is deprecated and will be removed in the next release; use {new}",
        DeprecationWarning,
        stacklevel=stacklevel + 1,
    )


def _renamed_keywords(
    renames: dict[str, tuple[str, Callable[[Any], Any]]],
) -> Callable[[type[_C]], type[_C]]:
    """Let a config's ``__init__`` take old keyword names, with a DeprecationWarning.

    ``renames`` maps an old keyword to the new field and a function turning the old
    value into the new one (``mode="exact"`` is ``near=False``). Given with the new
    keyword too (as :func:`dataclasses.replace` does), the old one wins: it is the
    one the caller wrote.
    """

    def wrap(cls: type[_C]) -> type[_C]:
        init = cls.__init__

        @functools.wraps(init)
        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            for old, (new, convert) in renames.items():
                if old in kwargs:
                    _deprecated(f"{cls.__name__}({old}=...)", f"{new}=...")
                    kwargs[new] = convert(kwargs.pop(old))
            init(self, *args, **kwargs)

        cls.__init__ = __init__  # type: ignore[method-assign]
        return cls

    return wrap


def _near_of_mode(mode: object) -> bool:
    _choice("mode", mode, MODES)
    return mode == "near"


@dataclass(frozen=True, slots=True, kw_only=True)
class MinHashConfig:
    """The MinHash settings: what two signatures must share to be comparable.

    Parameters
    ----------
    num_perm : int, default=128
        Signature length (permutations), in [1, 4096].
    ngram : int, default=5
        Tokens per shingle, in [1, 64].
    shingle : {"word", "char", "auto"}, default="word"
        Word or character tokens; ``"auto"`` is decided from the items
        (:meth:`DedupConfig.resolved`) and cannot build a hasher until then.
    seed : int, default=1
        Derives the permutations, in [0, 2**64).

    Raises
    ------
    ValueError
        At construction, naming the setting, for a value out of its bounds.

    Examples
    --------
    >>> MinHashConfig(num_perm=64).hasher().signatures(["a b c d e f"]).shape
    (1, 64)
    >>> MinHashConfig(ngram=0)
    Traceback (most recent call last):
    ...
    ValueError: ngram must be an int in [1, 64], got 0
    """

    num_perm: int = 128
    ngram: int = 5
    shingle: Shingle = "word"
    seed: int = 1

    def __post_init__(self) -> None:
        check_minhash_settings(num_perm=self.num_perm, ngram=self.ngram, seed=self.seed)
        _choice("shingle", self.shingle, SHINGLES)

    def hasher(
        self,
        *,
        key: KeyConfig | None = None,
        workers: int = 0,
        backend: str = "auto",
        engine: str | None = None,
    ) -> MinHasher:
        """The :class:`~textdedup.minhash.MinHasher` for these settings.

        ``backend`` is the implementation of the signature kernel (``"numpy"``,
        ``"numba"`` or ``"auto"``); ``engine`` is its old name, still accepted with a
        DeprecationWarning (an engine, in textdedup, is where deduplication runs:
        :mod:`textdedup.engines`).

        Returns
        -------
        MinHasher
            ``key`` normalizes texts first (``None``: they are keys already);
            ``workers`` and ``backend`` do not change the signatures.

        Raises
        ------
        ValueError
            For ``shingle="auto"``, which is not decided yet.
        """
        if self.shingle == "auto":
            raise ValueError(
                "shingle='auto' is decided from the items: use DedupConfig.resolved(median_words) "
                "(the Engine does it when it has the items)"
            )
        return MinHasher(
            num_perm=self.num_perm,
            ngram=self.ngram,
            unit=self.shingle,
            seed=self.seed,
            key=key,
            workers=workers,
            engine=backend if engine is None else _old_engine(engine),  # type: ignore[arg-type]
        )


def _old_engine(engine: str) -> str:
    _deprecated("MinHashConfig.hasher(engine=...)", "backend=...", stacklevel=3)
    return engine


_MINHASH_DEFAULTS = MinHashConfig()


def _take_minhash(config: Any, minhash: MinHashConfig | None, names: tuple[str, ...]) -> None:
    """Copy a nested ``minhash`` into the flat fields of ``config``.

    A setting left at its default on one side takes the other side's value; given
    on both sides it must agree: ``num_perm=256`` beside
    ``minhash=MinHashConfig(num_perm=64)`` is an error, not a silent choice.
    """
    if minhash is None:
        return
    if not isinstance(minhash, MinHashConfig):
        raise TypeError(f"minhash must be a MinHashConfig, got {minhash!r}")
    for name in names:
        flat, nested = getattr(config, name), getattr(minhash, name)
        default = getattr(_MINHASH_DEFAULTS, name)
        if flat == nested or nested == default:
            continue  # nothing to take, or the flat keyword says more
        if flat != default:
            raise ValueError(
                f"{name} is given twice: {name}={flat!r} and minhash.{name}={nested!r}; "
                "give the MinHash settings once"
            )
        object.__setattr__(config, name, nested)


@_renamed_keywords({"mode": ("blocks", lambda v: v)})
@dataclass(frozen=True, slots=True, kw_only=True)
class CleanConfig:
    """Options of :func:`textdedup.clean.clean`.

    Parameters
    ----------
    blocks : {"auto", "paragraph", "line", "sentence"}, default="auto"
        How blocks are cut (the CLI's ``clean --blocks``). Its old name ``mode`` is
        still accepted, with a DeprecationWarning, for one release.
    keep : {"first", "last", "longest"}, default="first"
        Which copy stays.
    threshold : float, default=0.9
        Verified similarity (:func:`textdedup.verify.compare` score, in [0, 1]) at
        which two texts with the same numbers count as near duplicates.
    min_length : int, default=30
        Blocks whose key is shorter than this many characters are removed only as
        part of a repeated run.
    min_span : int, default=20
        Shortest repeated span looked for at character level, in words (a CJK
        character counts as one word); ``0`` turns the span search off.
    min_copy : int, default=50
        Shortest repeated run or span, in words, removed as a copy when it does not
        follow its earlier copy directly (see ``isolated``).
    min_copy_span : int, default=25
        The same for a span that does not cover whole blocks (a few sentences pasted
        inside or after another paragraph, or across other line wrapping), in words.
        Lower than ``min_copy`` because whole blocks repeated far apart are the
        structure of lists, FAQs and songs, while a repeated run of sentences inside
        different paragraphs is rarely anything but a paste (see docs/concepts.md).
    isolated : {"keep", "remove"}, default="keep"
        ``"keep"`` keeps repetition that is structure: a single block that
        repeats an earlier one between different neighbours, and a repeat that is
        not adjacent to its earlier copy and is either shorter than ``min_copy``
        words or occurs three times or more (a refrain). They are reported in
        :attr:`textdedup.clean.CleanResult.isolated`. ``"remove"`` removes them too.
    near : bool, default=True
        Look for near-duplicate blocks (exact ones are always found).
    lsh_threshold : float, default=0.5
        Jaccard similarity of character n-grams that LSH aims to catch as candidates.
    num_perm, ngram, seed : int
        MinHash settings for the near-duplicate search (character n-grams, so the
        nested config's ``shingle`` is ignored), bounds as in :class:`MinHashConfig`.
    minhash : MinHashConfig, optional
        The same three settings nested (init only; read them back as
        :attr:`minhash_config`).
    normalize, key : NormalizeConfig, KeyConfig
        Cleaning normalization, and the loose key used to find candidates.

    Raises
    ------
    ValueError, TypeError
        At construction, naming the setting and the value.
    """

    blocks: SegmentMode = "auto"
    keep: KeepPolicy = "first"
    threshold: float = 0.9
    min_length: int = 30
    min_span: int = 20
    min_copy: int = 50
    min_copy_span: int = 25
    isolated: IsolatedPolicy = "keep"
    near: bool = True
    lsh_threshold: float = 0.5
    num_perm: int = 128
    ngram: int = 5
    seed: int = 1
    normalize: NormalizeConfig = field(default_factory=NormalizeConfig)
    key: KeyConfig = field(default_factory=KeyConfig)
    minhash: InitVar[MinHashConfig | None] = None

    def __post_init__(self, minhash: MinHashConfig | None) -> None:
        _take_minhash(self, minhash, ("num_perm", "ngram", "seed"))
        _choice("blocks", self.blocks, SEGMENT_MODES)
        _choice("keep", self.keep, cluster.KEEP_POLICIES)  # read per call: one registry
        _choice("isolated", self.isolated, ISOLATED_POLICIES)
        for name in ("threshold", "lsh_threshold"):
            _fraction(name, getattr(self, name))
        for name in ("min_length", "min_span", "min_copy", "min_copy_span"):
            _count(name, getattr(self, name), 0)
        check_minhash_settings(num_perm=self.num_perm, ngram=self.ngram, seed=self.seed)

    @property
    def mode(self) -> SegmentMode:
        """The old name of :attr:`blocks` (DeprecationWarning)."""
        _deprecated("CleanConfig.mode", "CleanConfig.blocks")
        return self.blocks

    @property
    def minhash_config(self) -> MinHashConfig:
        """The MinHash settings nested: character shingles.

        >>> CleanConfig(num_perm=64).minhash_config
        MinHashConfig(num_perm=64, ngram=5, shingle='char', seed=1)
        """
        return MinHashConfig(
            num_perm=self.num_perm, ngram=self.ngram, shingle="char", seed=self.seed
        )


@_renamed_keywords({"unit": ("level", lambda v: v), "mode": ("near", _near_of_mode)})
@dataclass(frozen=True, slots=True, kw_only=True)
class DedupConfig:
    """Options of corpus deduplication.

    One meaning per word: ``level`` is the granularity (what an item is), ``unit``
    stays the token of a shingle (:class:`textdedup.minhash.MinHasher`). The old
    keywords ``unit=`` (now ``level``) and ``mode="exact"|"near"`` (now ``near``)
    are still accepted, and ``.unit`` and ``.mode`` still read, with a
    DeprecationWarning, for one release. The CLI keeps ``--unit`` and ``--mode``.

    Parameters
    ----------
    level:
        What is deduplicated: whole documents, paragraphs, lines, sentences (of
        the reflowed text) or overlapping word windows (:mod:`textdedup.windows`).
    near:
        ``True``: near duplicates too (MinHash/LSH candidates, verified); ``False``:
        exact duplicates only (same key).
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
    minhash:
        The same four settings nested, a :class:`MinHashConfig` (init only: read
        them back as :attr:`minhash_config`); a setting given both ways must agree.
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

    level: Level = "doc"
    near: bool = True
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
    minhash: InitVar[MinHashConfig | None] = None

    def __post_init__(self, minhash: MinHashConfig | None) -> None:
        _take_minhash(self, minhash, ("num_perm", "ngram", "shingle", "seed"))
        if not isinstance(self.near, bool):
            raise TypeError(f"near must be True or False, got {self.near!r}")
        for name, allowed in (
            ("level", LEVELS),
            ("keep", cluster.KEEP_POLICIES),  # read per call: one registry
            ("verify", VERIFIERS),
            ("shingle", SHINGLES),
            ("numbers", NUMBERS),
        ):
            _choice(name, getattr(self, name), allowed)
        _fraction("threshold", self.threshold)
        _count("batch_size", self.batch_size, 1)
        for name in ("min_length", "max_cluster_size"):
            _count(name, getattr(self, name), 0)
        if isinstance(self.fields, str) or not isinstance(self.fields, tuple):
            raise TypeError(f"fields must be a tuple of field names, got {self.fields!r}")
        if self.fields:
            from .fields import parse_fields

            parse_fields(self.fields)  # raises ValueError naming a bad rule
            if self.level != "doc":
                raise IncompatibleSettingsError(
                    "{fields} compare whole records: {level} must be 'doc', got "
                    + literal(repr(self.level))
                )
        # The MinHash bounds are checked here, at construction, not mid-run (with
        # shingle="auto" too): the nested config's check, the only one.
        self.minhash_config  # noqa: B018

    @property
    def unit(self) -> Level:
        """The old name of :attr:`level` (DeprecationWarning)."""
        _deprecated("DedupConfig.unit", "DedupConfig.level")
        return self.level

    @property
    def mode(self) -> Mode:
        """The old spelling of :attr:`near`: ``"near"`` or ``"exact"`` (DeprecationWarning)."""
        _deprecated("DedupConfig.mode", "DedupConfig.near")
        return "near" if self.near else "exact"

    @property
    def minhash_config(self) -> MinHashConfig:
        """The MinHash settings nested (``shingle`` may still be ``"auto"``).

        >>> DedupConfig(minhash=MinHashConfig(num_perm=64)).num_perm
        64
        >>> DedupConfig(seed=7).minhash_config
        MinHashConfig(num_perm=128, ngram=5, shingle='word', seed=7)
        """
        return MinHashConfig(
            num_perm=self.num_perm, ngram=self.ngram, shingle=self.shingle, seed=self.seed
        )

    def resolved(self, median_words: float) -> DedupConfig:
        """These settings with ``shingle="auto"`` decided for items of ``median_words`` words.

        >>> DedupConfig(shingle="auto").resolved(12).shingle
        'char'
        >>> DedupConfig(shingle="auto").resolved(400).ngram
        5
        """
        if self.shingle != "auto":
            return self
        if self.level == "doc" and median_words < SHORT_TEXT_WORDS:
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
        return self.minhash_config.hasher(key=None)

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
