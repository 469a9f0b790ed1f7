"""STUB (to be replaced by the extraction helper): datasets -> doc.spans["datasets"]."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class Stub:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["datasets"] = []
        return doc


@Language.factory("phasegraph_datasets")
def make(nlp: Language, name: str) -> Stub:
    return Stub(nlp, name)
