"""textdedup: find and remove exact and near-duplicate text, and explain every removal.

>>> import textdedup
>>> line = "The same line, long enough to count as a block.\\n"
>>> textdedup.clean(line + line).text
'The same line, long enough to count as a block.\\n'
"""

from __future__ import annotations

from .clean import CleanConfig, CleanResult, Location, Removal, clean
from .clean_corpus import CleanedRecord, CleanStats, clean_files, clean_records
from .cluster import choose_keepers, connected_components
from .config import DedupConfig, MinHashConfig
from .contamination import Contamination, SourceSpan, contamination
from .errors import (
    BinaryInputError,
    DecodeError,
    IncompatibleSettingsError,
    InputError,
    MissingDependencyError,
    OutputError,
    TextdedupError,
)
from .index import Index
from .lsh import CandidatePairs, LSHParams, band_keys, candidate_pairs, lsh_params
from .minhash import MinHasher, SignatureArray, jaccard_estimate
from .normalize import KeyConfig, NormalizeConfig, normalize, normalize_key
from .passages import DocumentPassage, Passage, align, find_passages
from .pipeline import DedupItem, DedupStats, check_records, dedup_records
from .reflow import Reflowed, is_hard_wrapped, reflow
from .segment import Block, segment
from .verify import exact_jaccard, fuzzy_scores, jaccard_scores

__version__ = "0.1.0"

__all__ = [
    "BinaryInputError",
    "Block",
    "CandidatePairs",
    "CleanConfig",
    "CleanResult",
    "CleanStats",
    "CleanedRecord",
    "Contamination",
    "DecodeError",
    "DedupConfig",
    "DedupItem",
    "DedupStats",
    "DocumentPassage",
    "IncompatibleSettingsError",
    "Index",
    "InputError",
    "KeyConfig",
    "LSHParams",
    "Location",
    "MinHashConfig",
    "MinHasher",
    "MissingDependencyError",
    "NormalizeConfig",
    "OutputError",
    "Passage",
    "Reflowed",
    "Removal",
    "SignatureArray",
    "SourceSpan",
    "TextdedupError",
    "__version__",
    "align",
    "band_keys",
    "candidate_pairs",
    "check_records",
    "choose_keepers",
    "clean",
    "clean_files",
    "clean_records",
    "connected_components",
    "contamination",
    "dedup_records",
    "exact_jaccard",
    "find_passages",
    "fuzzy_scores",
    "is_hard_wrapped",
    "jaccard_estimate",
    "jaccard_scores",
    "lsh_params",
    "normalize",
    "normalize_key",
    "reflow",
    "segment",
]
