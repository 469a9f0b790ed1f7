"""Canonical keys: the one place that decides when two names are the same thing.

A key is lower case, NFKC-normalised, with hyphens, slashes and underscores as
spaces, other punctuation removed, a leading article dropped and a plural
``s`` taken off the last word ("Transformers" and "transformer" share a key,
as do "Fine-Tuning" and "fine-tuning"). It follows the matching rules of the
annotation guide, so keys agree with how the evaluation compares names.
"""

from __future__ import annotations

import re
import unicodedata

_ARTICLE = re.compile(r"^(the|a|an) ")
_PHASE_WORD = re.compile(r" (phases?|stages?|periods?|steps?|regimes?)$")
# Words whose final "s" is not a plural marker.
_KEEP_S = frozenset({"bias", "process", "analysis", "basis", "gaussian", "lens", "locus", "corpus", "status",
                     "consensus", "class", "less", "news", "chaos", "mathematics", "physics", "dynamics",
                     "ethics", "genesis", "thesis", "synthesis", "axis", "is", "was", "this", "bus", "plus"})


def canonical_key(name: str) -> str:
    """The canonical key of a method, dataset or other entity name ("" when nothing is left)."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[-/_]", " ", text)
    text = re.sub(r"[^\w\s]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _ARTICLE.sub("", text)
    words = text.split(" ")
    last = words[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss") and last not in _KEEP_S:
        words[-1] = last[:-1]
    return " ".join(words)


def phase_key(lemmas: str) -> str:
    """The key of a phase name given its lemmatised text: the canonical key without a trailing "phase"/"stage"/... word."""
    key = canonical_key(lemmas)
    if " " in key:
        key = _PHASE_WORD.sub("", key)
    return key
