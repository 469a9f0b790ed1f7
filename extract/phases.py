"""The ``phasegraph_phases`` spaCy component: claimed phase structures -> ``doc.spans["phase_structures"]``.

A phase structure is a claim that a process passes through, or falls into,
distinct phases ("training proceeds in two stages: ..."); see
../shared/eval/GUIDE.md. A token Matcher finds the sentences that hold a phase
word ("phase", "stage", "step", "period", "regime", "cycle") or a sequence
marker ("first", "then", "finally"); the rule families of
``phase_mentions`` read only those sentences, and ``phase_assemble`` groups
their mentions into structures.

Results survive ``nlp.pipe(n_process=...)``: each structure is one span of the
``phase_structures`` group (covering its evidence sentences) and its record is
JSON data in ``doc.user_data[USER_DATA_KEY]``; ``phase_records(doc)`` reads
them back.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable, Iterable

from phasegraph.extract.paper import doc_text
from phasegraph.extract.phase_assemble import Assembler, structure_record
from phasegraph.extract.phase_lexicon import PhaseLexicon, load_lexicon
from phasegraph.extract.phase_subject import SubjectFinder
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from phasegraph.errors import InputError

SPAN_GROUP = "phase_structures"
SPAN_LABEL = "PHASE_STRUCTURE"
USER_DATA_KEY = "phasegraph.phase_structures"


class PhaseStructureExtractor:
    """Finds phase structures in a parsed doc (needs sentences, tags, lemmas and the dependency parse)."""

    def __init__(self, nlp: Language, name: str, lexicon_path: str | None = None) -> None:
        self.name = name
        self.lexicon_path = lexicon_path
        self.vocab = nlp.vocab
        self.lexicon: PhaseLexicon = load_lexicon(lexicon_path)
        self.matcher = self._build_matcher()

    def _build_matcher(self) -> Matcher:
        lex = self.lexicon
        matcher = Matcher(self.vocab)
        matcher.add("PHASE_WORD", [[{"LOWER": {"IN": sorted(lex.phase_nouns)}}]])
        matcher.add("CYCLE_WORD", [[{"LOWER": {"IN": sorted(lex.cycle_nouns)}}]])
        matcher.add("SEQUENCE", [[{"LOWER": {"IN": sorted(lex.sequence_markers)}}]])
        matcher.add("SEQUENCE_PHRASE", [[{"LOWER": word} for word in phrase] for phrase in lex.sequence_phrases])
        return matcher

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, nlp: Language | None = None,
                   lexicon_path: str | None = None) -> None:
        """Reload the word lists (from ``lexicon_path`` if given, else the configured path) and rebuild the Matcher."""
        if lexicon_path is not None:
            self.lexicon_path = lexicon_path
        self.lexicon = load_lexicon(self.lexicon_path)
        self.matcher = self._build_matcher()

    def __call__(self, doc: Doc) -> Doc:
        records: list[dict[str, Any]] = []
        spans: list[Span] = []
        matches = self.matcher(doc)
        if matches:
            if not doc.has_annotation("SENT_START"):
                raise InputError("phasegraph_phases needs sentence boundaries: add it after the parser "
                                 "(or a senter) in the pipeline")
            sents = list(doc.sents)
            starts = [s.start for s in sents]
            matched = set()
            for _, start, _ in matches:
                matched.add(_sentence_of(starts, start))
            first_abstract = _first_abstract_sentence(doc, sents)
            assembler = Assembler(doc, sents, first_abstract, self.lexicon)
            structures = assembler.run(matched)
            lowered = doc_text(doc).lower()
            unordered_doc = any(cue in lowered for cue in self.lexicon.unordered_cues if " " in cue)
            subjects = SubjectFinder(doc, sents, first_abstract, self.lexicon)
            for st in structures:
                rec = structure_record(doc, sents, st, unordered_doc, subjects)
                span = doc.char_span(rec["start"], rec["end"], label=SPAN_LABEL, alignment_mode="expand")
                if span is None:
                    continue
                records.append(rec)
                spans.append(span)
        doc.spans[SPAN_GROUP] = spans
        doc.user_data[USER_DATA_KEY] = records
        return doc


def _sentence_of(starts: list[int], token: int) -> int:
    """Index of the sentence holding ``token`` given the sentences' first token indexes."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= token:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _first_abstract_sentence(doc: Doc, sents: list[Span]) -> int:
    """Index of the first sentence after the title (the title ends at the first newline); 0 if there is none."""
    newline = doc_text(doc).find("\n")
    if newline < 0:
        return 0
    for i, sent in enumerate(sents):
        if sent.start_char > newline:
            return i
    return len(sents)


@Language.factory(
    "phasegraph_phases",
    default_config={"lexicon_path": None},
    requires=["token.dep", "token.lemma", "token.tag", "token.is_sent_start"],
    assigns=["doc.spans"],
)
def make_phase_extractor(nlp: Language, name: str, lexicon_path: str | None) -> PhaseStructureExtractor:
    """Create the component; ``lexicon_path`` names a phases.json word list (default: the packaged one)."""
    if lexicon_path is not None and not Path(lexicon_path).is_file():
        raise InputError(f"phasegraph_phases: lexicon_path {lexicon_path!r} is not a file; "
                         "give a JSON word list like extract/patterns/phases.json or leave it null")
    return PhaseStructureExtractor(nlp, name, lexicon_path)


def phase_records(doc: Doc) -> list[dict[str, Any]]:
    """The phase structures of a processed doc, one dict each (see the extraction contract).

    Keys: subject, count, phases, phase_keys, ordered, evidence, start, end.
    Returns copies; an empty list when the component did not run.
    """
    records = doc.user_data.get(USER_DATA_KEY)
    if not records:
        return []
    return copy.deepcopy(list(records))
