"""The word lists the phase-structure extractor reads: loaded from a JSON data file, validated, frozen.

The packaged file is ``extract/patterns/phases.json``; every key it must hold is
listed in ``REQUIRED_KEYS``. The component (extract/phases.py) loads it in its
factory from a configurable path, so a user can point the pipeline at their own
word lists without touching code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phasegraph.errors import InputError

DEFAULT_LEXICON_PATH = Path(__file__).resolve().parent / "patterns" / "phases.json"

_LIST_KEYS = (
    "weak_phase_nouns", "unordered_phase_nouns", "cycle_nouns", "single_words", "plural_quantifiers",
    "anaphoric_determiners", "incidental_names", "generic_name_modifiers", "modifier_head_exclusions",
    "step_iteration_modifiers", "reporting_verbs", "non_process_nouns", "process_nouns", "split_verbs",
    "unordered_verbs", "unordered_cues", "time_reference_positions", "enumeration_cues", "duration_words",
    "boundary_nouns", "order_connectives", "process_words", "subject_generic_nouns", "subject_vague_nouns",
    "subject_stop_nouns",
)
_DICT_KEYS = ("phase_nouns", "number_words", "ordinals", "temporal_positions", "sequence_markers",
              "extension_positions")
REQUIRED_KEYS: tuple[str, ...] = _LIST_KEYS + _DICT_KEYS + ("idioms", "sequence_phrases")


@dataclass(frozen=True)
class PhaseLexicon:
    """Word lists for phase claims; all entries lower case. See phases.json for what each list means."""

    phase_nouns: dict[str, str]
    number_words: dict[str, int]
    ordinals: dict[str, int]
    temporal_positions: dict[str, str]
    sequence_markers: dict[str, int]
    extension_positions: dict[str, str]
    weak_phase_nouns: frozenset[str]
    unordered_phase_nouns: frozenset[str]
    cycle_nouns: frozenset[str]
    single_words: frozenset[str]
    plural_quantifiers: frozenset[str]
    anaphoric_determiners: frozenset[str]
    incidental_names: frozenset[str]
    generic_name_modifiers: frozenset[str]
    modifier_head_exclusions: frozenset[str]
    step_iteration_modifiers: frozenset[str]
    reporting_verbs: frozenset[str]
    non_process_nouns: frozenset[str]
    process_nouns: frozenset[str]
    split_verbs: frozenset[str]
    unordered_verbs: frozenset[str]
    unordered_cues: frozenset[str]
    time_reference_positions: frozenset[str]
    enumeration_cues: frozenset[str]
    duration_words: frozenset[str]
    boundary_nouns: frozenset[str]
    order_connectives: frozenset[str]
    process_words: frozenset[str]
    subject_generic_nouns: frozenset[str]
    subject_vague_nouns: frozenset[str]
    subject_stop_nouns: frozenset[str]
    idioms: tuple[tuple[str, ...], ...]
    sequence_phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<dict>") -> PhaseLexicon:
        """Build a lexicon from the parsed JSON object; ``source`` names it in error messages."""
        missing = [key for key in REQUIRED_KEYS if key not in data]
        if missing:
            raise InputError(f"phase word list {source} lacks the keys {missing}; copy them from {DEFAULT_LEXICON_PATH}")
        fields: dict[str, Any] = {}
        for key in _LIST_KEYS:
            value = data[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(f"phase word list {source}: {key!r} must be a list of strings, got {value!r:.80}")
            fields[key] = frozenset(v.lower() for v in value)
        for key in _DICT_KEYS:
            value = data[key]
            if not isinstance(value, dict):
                raise InputError(f"phase word list {source}: {key!r} must be an object, got {value!r:.80}")
            fields[key] = {str(k).lower(): v for k, v in value.items()}
        for key in ("idioms", "sequence_phrases"):
            phrases = data[key]
            if not isinstance(phrases, list) or not all(isinstance(i, list) and i for i in phrases):
                raise InputError(f"phase word list {source}: {key!r} must be a list of non-empty word lists")
            fields[key] = tuple(tuple(str(w).lower() for w in phrase) for phrase in phrases)
        return cls(**fields)


def load_lexicon(path: str | Path | None = None) -> PhaseLexicon:
    """Read the phase word lists from ``path`` (default: the packaged patterns/phases.json)."""
    source = Path(path) if path else DEFAULT_LEXICON_PATH
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except OSError as err:
        raise InputError(f"cannot read the phase word list {source}: {err}; pass an existing JSON file") from err
    except json.JSONDecodeError as err:
        raise InputError(f"phase word list {source} is not valid JSON: {err}") from err
    if not isinstance(data, dict):
        raise InputError(f"phase word list {source} must hold a JSON object, got {type(data).__name__}")
    return PhaseLexicon.from_dict(data, str(source))
