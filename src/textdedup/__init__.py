"""textdedup: find and remove exact and near-duplicate text, and explain every removal.

>>> import textdedup
>>> line = "The same line, long enough to count as a block.\\n"
>>> textdedup.clean(line + line).text
'The same line, long enough to count as a block.\\n'
"""

from __future__ import annotations

from .clean import CleanConfig, CleanResult, Location, Removal, clean
from .cluster import choose_keepers, connected_components
from .engine import DedupConfig
from .errors import BinaryInputError, DecodeError, InputError, TextdedupError
from .index import Index
from .lsh import CandidatePairs, LSHParams, band_keys, candidate_pairs, lsh_params
from .minhash import MinHasher, SignatureArray, jaccard_estimate
from .normalize import KeyConfig, NormalizeConfig, normalize, normalize_key
from .pipeline import DedupItem, DedupStats, check_records, dedup_records
from .segment import Block, segment
from .verify import exact_jaccard, fuzzy_scores, jaccard_scores

__version__ = "0.1.0"

__all__ = [
    "BinaryInputError",
    "Block",
    "CandidatePairs",
    "CleanConfig",
    "CleanResult",
    "DecodeError",
    "DedupConfig",
    "DedupItem",
    "DedupStats",
    "Index",
    "InputError",
    "KeyConfig",
    "LSHParams",
    "Location",
    "MinHasher",
    "NormalizeConfig",
    "Removal",
    "SignatureArray",
    "TextdedupError",
    "__version__",
    "band_keys",
    "candidate_pairs",
    "check_records",
    "choose_keepers",
    "clean",
    "connected_components",
    "dedup_records",
    "exact_jaccard",
    "fuzzy_scores",
    "jaccard_estimate",
    "jaccard_scores",
    "lsh_params",
    "normalize",
    "normalize_key",
    "segment",
]
