"""The ``phasegraph_methods`` component: methods (techniques, algorithms, models, systems) -> ``doc.spans["methods"]``.

The rules live in ``extract/entities.py`` (shared with the datasets component); this
module wires them into spaCy. The word lists are data files under ``patterns/``, loaded
from the ``patterns_dir`` config (empty: the packaged directory) when the component is
built, and again by ``initialize``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from phasegraph.extract.entities import (
    DATASET,
    METHOD,
    PENDING_KEY,
    EntityFinder,
    Lexicon,
    split_glued_periods,
    write_group,
)
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

GROUP = "methods"


class MethodsComponent:
    """Finds methods and datasets in one pass; writes the methods group and leaves the datasets for ``phasegraph_datasets``."""

    def __init__(self, nlp: Language, name: str, patterns_dir: str = "", group: str = GROUP) -> None:
        self.name = name
        self.nlp = nlp
        self.group = group
        self.patterns_dir = patterns_dir
        self.finder = EntityFinder(nlp, Lexicon.load(patterns_dir))

    def initialize(self, get_examples: Callable[[], Iterable[Example]] | None = None, *,
                   nlp: Language | None = None, patterns_dir: str | None = None) -> None:
        """Reload the word lists (from ``patterns_dir`` if given, else the configured directory)."""
        if patterns_dir is not None:
            self.patterns_dir = patterns_dir
        self.finder = EntityFinder(nlp or self.nlp, Lexicon.load(self.patterns_dir))

    def __call__(self, doc: Doc) -> Doc:
        split_glued_periods(doc)  # a no-op after phasegraph_acronyms, which does it first
        found = self.finder.find(doc)
        write_group(doc, self.group, found[METHOD])
        doc.user_data[PENDING_KEY] = {DATASET: found[DATASET], "tokens": len(doc)}
        return doc


@Language.factory("phasegraph_methods", default_config={"patterns_dir": "", "group": GROUP})
def make_methods(nlp: Language, name: str, patterns_dir: str, group: str) -> MethodsComponent:
    """Build the methods component; ``patterns_dir`` overrides the packaged word lists."""
    return MethodsComponent(nlp, name, patterns_dir, group)
