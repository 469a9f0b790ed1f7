"""The Paper record every reader produces, and its stable id."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

_ARXIV_ID = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|arxiv:)\s*([0-9]{4}\.[0-9]{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/[0-9]{7})(?:v[0-9]+)?", re.I)
_SPACE = re.compile(r"\s+")
# Where the pipeline keeps a doc's text while phasegraph's components run (see ``doc_text``).
TEXT_KEY = "phasegraph.text"


def clean_text(value: str) -> str:
    """Collapse whitespace (newlines included) to single spaces and strip the ends."""
    return _SPACE.sub(" ", value).strip()


def normalise_title(title: str) -> str:
    """The form two titles are compared in when finding the same paper twice."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.findall(r"\w+", folded))


def arxiv_id(*values: str | None) -> str | None:
    """The arXiv identifier found in any of ``values`` (a URL or ``arXiv:`` reference), else None."""
    for value in values:
        if value:
            found = _ARXIV_ID.search(value)
            if found:
                return found.group(1)
    return None


@dataclass
class Paper:
    """One paper: the text the extractors read and the metadata the graph keeps.

    ``source`` says where the record came from (``file:line`` or ``file#record``),
    so every later message can point back to it.
    """

    id: str
    title: str
    abstract: str
    source: str
    year: int | None = None
    url: str | None = None
    doi: str | None = None
    authors: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The text the extractors read: the title, one newline, the abstract (offsets point into it)."""
        return f"{self.title}\n{self.abstract}"

    def to_dict(self) -> dict[str, Any]:
        """The paper as the ``paper`` object of an extraction record (None fields left out)."""
        out: dict[str, Any] = {"title": self.title, "abstract": self.abstract, "source": self.source}
        for key in ("year", "url", "doi"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.authors:
            out["authors"] = list(self.authors)
        if self.extra:
            out["extra"] = dict(self.extra)
        return out


def stable_id(title: str, given: str | None = None, doi: str | None = None, url: str | None = None) -> str:
    """A paper's id: the given id, else ``doi:<doi>``, else ``arxiv:<id>``, else a hash of the normalised title."""
    if given and given.strip():
        return given.strip()
    if doi and doi.strip():
        return "doi:" + doi.strip().lower()
    found = arxiv_id(url, given)
    if found:
        return "arxiv:" + found
    digest = hashlib.sha1(normalise_title(title).encode("utf-8")).hexdigest()[:12]
    return "t:" + digest


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc.

    spaCy's ``Doc.text`` joins every token on each call, which cost phasegraph's
    components more than their own rules; the pipeline stores the text in
    ``doc.user_data`` before they run and removes it after (``extract/pipeline.py``).
    A doc from elsewhere falls back to ``doc.text``.
    """
    text = doc.user_data.get(TEXT_KEY)
    return text if isinstance(text, str) else doc.text
