"""The ``phasegraph_datasets`` component: named datasets, benchmarks, corpora, environments -> ``doc.spans["datasets"]``.

It reuses the findings the methods component left in ``doc.user_data`` (the finder types
every name once); run without it, it runs the shared finder itself. Word lists come from
the ``patterns_dir`` config (empty: the packaged ``patterns/``), reloaded by ``initialize``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from phasegraph.extract.entities import (
    DATASET,
    PENDING_KEY,
    EntityFinder,
    Lexicon,
    split_glued_periods,
    write_group,
)
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

GROUP = "datasets"


class DatasetsComponent:
    """Writes the datasets group from the shared finder's dataset findings."""

    def __init__(self, nlp: Language, name: str, patterns_dir: str = "", group: str = GROUP) -> None:
        self.name = name
        self.nlp = nlp
        self.group = group
        self.patterns_dir = patterns_dir
        self._finder: EntityFinder | None = None

    def initialize(self, get_examples: Callable[[], Iterable[Example]] | None = None, *,
                   nlp: Language | None = None, patterns_dir: str | None = None) -> None:
        """Reload the word lists used when the methods component has not run (lazy otherwise)."""
        if patterns_dir is not None:
            self.patterns_dir = patterns_dir
        self._finder = EntityFinder(nlp or self.nlp, Lexicon.load(self.patterns_dir))

    def __call__(self, doc: Doc) -> Doc:
        pending = doc.user_data.pop(PENDING_KEY, None)
        if pending is None or pending.get("tokens") != len(doc):
            if self._finder is None:
                self._finder = EntityFinder(self.nlp, Lexicon.load(self.patterns_dir))
            found = self._finder.find(split_glued_periods(doc))[DATASET]
        else:
            found = pending[DATASET]
        write_group(doc, self.group, found)
        return doc


@Language.factory("phasegraph_datasets", default_config={"patterns_dir": "", "group": GROUP})
def make_datasets(nlp: Language, name: str, patterns_dir: str, group: str) -> DatasetsComponent:
    """Build the datasets component; ``patterns_dir`` overrides the packaged word lists."""
    return DatasetsComponent(nlp, name, patterns_dir, group)
