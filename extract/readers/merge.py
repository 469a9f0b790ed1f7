"""Folding the same paper read twice (across all input files) into one.

Two records are the same paper when they share a normalised title, or share an id that names the
paper globally (``doi:...`` / ``arxiv:...``; a revised arXiv title keeps its id). The first one is
kept and its missing metadata is filled from the later one, with a warning naming both sources.

Two records with the same *given* id (a file's own id such as ``p001``) but different titles are
different papers: the later one is kept under a suffixed id (``p001-2``), with a warning, so that
two listings (both numbered ``p001``..) never swallow each other's papers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from phasegraph.extract.paper import Paper, normalise_title

GLOBAL_ID_PREFIXES = ("doi:", "arxiv:")


@dataclass
class Merger:
    """Collects papers in order, merging duplicates; ``papers``, ``merged`` and ``warnings`` are the result."""

    papers: list[Paper] = field(default_factory=list)
    merged: int = 0
    warnings: list[str] = field(default_factory=list)
    _by_id: dict[str, Paper] = field(default_factory=dict)
    _by_title: dict[str, Paper] = field(default_factory=dict)

    def add(self, paper: Paper) -> None:
        """Keep ``paper``, or fold it into the paper it duplicates."""
        title_key = normalise_title(paper.title)  # "" for a title of punctuation only: never a match
        same_title = self._by_title.get(title_key) if title_key else None
        same_id = self._by_id.get(paper.id)
        if same_title is not None:
            self._fold(same_title, paper, "same title")
            return
        if same_id is not None and paper.id.startswith(GLOBAL_ID_PREFIXES):
            self._fold(same_id, paper, f"same id {paper.id}")
            return
        if same_id is not None:
            new_id = self._free_id(paper.id)
            self.warnings.append(
                f"{paper.source}: id {paper.id!r} is already used by {same_id.source} ({same_id.title!r}) "
                f"for a different title; kept this paper as {new_id!r} (give it a unique id to silence this)"
            )
            paper.id = new_id
        self.papers.append(paper)
        self._by_id[paper.id] = paper
        if title_key:
            self._by_title[title_key] = paper

    def _free_id(self, taken: str) -> str:
        """The first of ``taken-2``, ``taken-3``, ... not yet used."""
        n = 2
        while f"{taken}-{n}" in self._by_id:
            n += 1
        return f"{taken}-{n}"

    def _fold(self, kept: Paper, later: Paper, why: str) -> None:
        """Fill ``kept``'s missing metadata from ``later`` and record the merge."""
        filled = [
            name for name in ("year", "url", "doi") if getattr(kept, name) is None and getattr(later, name) is not None
        ]
        for name in filled:
            setattr(kept, name, getattr(later, name))
        if not kept.authors and later.authors:
            kept.authors = list(later.authors)
            filled.append("authors")
        new_extra = [key for key in later.extra if key not in kept.extra]
        for key in new_extra:
            kept.extra[key] = later.extra[key]
        filled += [f"extra.{key}" for key in new_extra]
        note = f"; filled {', '.join(filled)} from the later one" if filled else ""
        self.merged += 1
        self.warnings.append(f"{later.source}: duplicate of {kept.source} ({why}, id {kept.id}); kept the first{note}")
