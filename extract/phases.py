"""STUB (to be replaced by the extraction helper): phase structures -> doc.spans["phase_structures"]."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc


class Stub:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["phase_structures"] = []
        return doc


@Language.factory("phasegraph_phases")
def make(nlp: Language, name: str) -> Stub:
    return Stub(nlp, name)


def phase_records(doc: Doc) -> list[dict[str, Any]]:
    return []
