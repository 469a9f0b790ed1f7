"""STUB (to be replaced by the extraction helper): acronym definitions -> doc.spans["acronyms"]."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class AcronymDetector:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["acronyms"] = []
        return doc


@Language.factory("phasegraph_acronyms")
def make_acronyms(nlp: Language, name: str) -> AcronymDetector:
    return AcronymDetector(nlp, name)
