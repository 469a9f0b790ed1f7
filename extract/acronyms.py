"""Acronym definitions ("long form (SF)" and "SF (long form)") -> ``doc.spans["acronyms"]``.

The detector follows Schwartz & Hearst (2003), "A simple algorithm for identifying
abbreviation definitions in biomedical text": a parenthesised short form is paired
with the words just before it (or, in the reverse form, a short form before a
parenthesised long form) when the short form's letters can be found, in order, in
the long form, the first one starting a word. Plain Schwartz–Hearst matches letters
anywhere in a word, which often makes the long form too short ("cyclical curriculum
learning (CCL)" -> "curriculum learning"); here every candidate start word is tried
and the alignment that uses the most word initials wins, with S&H's letter matching
as the fallback.

``find_abbreviations`` is a pure function over a string. The spaCy component
``phasegraph_acronyms`` runs it over ``doc.text`` and stores one span per
definition in ``doc.spans["acronyms"]``: the long-form span, whose ``label_`` is the
short form, so the pair survives ``Doc.to_bytes`` and ``nlp.pipe(n_process=...)``.
Being the first of phasegraph's components, it also splits the full stop off
sentence-final names the tokenizer leaves it on ("AdamW." -> "AdamW" ".", see
``entities.split_glued_periods``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from phasegraph.extract.entities import split_glued_periods
from phasegraph.extract.paper import doc_text
from spacy.language import Language
from spacy.tokens import Doc, Span

GROUP = "acronyms"

# Characters that end the window the long form is looked for in.
_BOUNDARY = re.compile(r"[.;:!?]\s|[()\[\]\n;:]")
_PAREN = re.compile(r"\(([^()\n]{1,120})\)")
_WORD = re.compile(r"[^\s\-/]+")
# Words a long form may skip without a letter of the short form.
_MINOR = frozenset({"of", "for", "and", "the", "a", "an", "in", "on", "to", "with", "from", "by", "via", "at", "or",
                    "using", "based", "&"})
# Parenthesised text that is never a short form.
_NOT_SHORT = re.compile(r"^(?:e\.g|i\.e|cf|see|fig|figs|figure|table|eq|eqs|sec|section|ref|refs|et al|vs|approx|resp)\b",
                        re.IGNORECASE)
_TRAILING = "\"'\u201d\u2019,- "
_SKIP_COST = 2  # skipping a content word between the first and last matched word
_INNER_COST = 1  # matching a short-form letter inside a word rather than at its start
_MAX_COST_PER_LETTER = 1.5


@dataclass(frozen=True)
class Abbreviation:
    """One definition: ``text[long_start:long_end] == long`` and ``text[short_start:short_end] == short``."""

    short: str
    long: str
    short_start: int
    short_end: int
    long_start: int
    long_end: int


def is_short_form(candidate: str) -> bool:
    """Whether ``candidate`` can be a short form: 2-12 characters, at most two words, an upper-case letter, a letter first or second."""
    text = candidate.strip()
    if not 2 <= len(text) <= 12 or len(text.split()) > 2:
        return False
    if not text[0].isalnum() or _NOT_SHORT.match(text):
        return False
    if not any(c.isupper() for c in text):
        return False
    letters = sum(c.isalpha() for c in text)
    return letters >= 2 or (letters >= 1 and any(c.isdigit() for c in text))


def _letters(short: str) -> str:
    """The characters of a short form that must be found in the long form (a trailing plural "s" is optional)."""
    chars = "".join(c for c in short if c.isalnum())
    if len(chars) > 2 and chars.endswith("s") and chars[-2].isupper():
        chars = chars[:-1]
    return chars


def _word_spans(window: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(window)]


def _align(letters: str, words: list[str]) -> float | None:
    """The cheapest way to spell ``letters`` from ``words`` in order (None if impossible).

    Every word must contribute at least one letter, its first letter matching its
    first character, or be skipped (free for minor words, ``_SKIP_COST`` otherwise).
    The first word must contribute the first letter and the last word must contribute.
    Letters matched inside a word cost ``_INNER_COST`` unless upper case there.
    Digits in the short form that the words lack are skipped at ``_INNER_COST``.
    """
    n, m = len(letters), len(words)

    @cache
    def best(i: int, j: int) -> float | None:
        # letters[i:] from words[j:]
        if j == m:
            left = letters[i:]
            return _INNER_COST * len(left) if left and left.isdigit() else (0.0 if not left else None)
        if i == n:
            return None
        word = words[j]
        options: list[float] = []
        if j > 0 and j < m - 1:
            rest = best(i, j + 1)
            if rest is not None:
                options.append(rest + (0 if word.lower() in _MINOR else _SKIP_COST))
        if letters[i].isdigit() and i > 0:
            rest = best(i + 1, j)
            if rest is not None:
                options.append(rest + _INNER_COST)
        if word[0].lower() == letters[i].lower():
            # consume letters[i] at the word start, then any number of later letters inside the word
            cost, k, pos = 0.0, i + 1, 1
            rest = best(k, j + 1)
            if rest is not None:
                options.append(cost + rest)
            while k < n:
                found = word.lower().find(letters[k].lower(), pos)
                if found < 0:
                    break
                cost += 0 if word[found].isupper() or word[found].isdigit() else _INNER_COST
                pos, k = found + 1, k + 1
                rest = best(k, j + 1)
                if rest is not None:
                    options.append(cost + rest)
        return min(options) if options else None

    return best(0, 0)


def _schwartz_hearst_start(letters: str, window: str) -> int | None:
    """Plain Schwartz–Hearst: where the long form starts in ``window`` (None if the letters are not found)."""
    s_index, l_index = len(letters) - 1, len(window) - 1
    low = window.lower()
    while s_index >= 0:
        c = letters[s_index].lower()
        while l_index >= 0 and (low[l_index] != c or (s_index == 0 and l_index > 0 and window[l_index - 1].isalnum())):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    return l_index + 1


def _letter_variants(letters: str) -> list[str]:
    """``letters`` and, when a letter is followed by a small count ("A3C", "MT3"), the spelled-out form ("AAAC", "MTTT")."""
    expanded = re.sub(r"([A-Za-z])([2-4])(?![0-9])", lambda m: m.group(1) * int(m.group(2)), letters)
    return [letters] if expanded == letters else [expanded, letters]


def _best_long_form(short: str, window: str) -> tuple[int, int] | None:
    """Offsets in ``window`` of the long form for ``short`` (it must end the window), or None."""
    letters = _letters(short)
    if sum(c.isalpha() for c in letters) < 2:
        return None
    window = window.rstrip(_TRAILING)
    spans = _word_spans(window)
    if not spans:
        return None
    max_words = min(len(letters) + 5, 2 * len(letters))
    spans = spans[-max_words:]
    end = spans[-1][1]
    best_cost: float | None = None
    best_start: int | None = None
    for s in range(len(spans) - 1, -1, -1):
        words = [window[a:b] for a, b in spans[s:]]
        if words[0].lower() in _MINOR:
            continue
        for variant in _letter_variants(letters):
            cost = _align(variant, words)
            if cost is None:
                continue
            if cost <= _MAX_COST_PER_LETTER * len(variant) and (best_cost is None or cost < best_cost):
                best_cost, best_start = cost, spans[s][0]
    if best_start is None:
        start = _schwartz_hearst_start(letters, window[spans[0][0]:])
        if start is None:
            return None
        best_start = spans[0][0] + start
    long = window[best_start:end]
    if len(long) <= len(short) or short.lower() in long.lower().split():
        return None
    return best_start, end


def _window_before(text: str, end: int, limit: int = 160) -> int:
    """Start of the text before ``end`` that a long form may come from (stops at sentence punctuation)."""
    start = max(0, end - limit)
    last = start
    for m in _BOUNDARY.finditer(text, start, end):
        last = m.end()
    return last


def find_abbreviations(text: str) -> list[Abbreviation]:
    """All acronym definitions in ``text``, in text order.

    Handles "long form (SF)", "long form (SF; other)", "long form (SF, other)" and the
    reverse "SF (long form)". Parenthesised citations, years, figure references and
    "e.g."/"i.e." asides are not definitions.
    """
    found: list[Abbreviation] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        inner_start = m.start(1)
        first = re.split(r"[;,]\s", inner, maxsplit=1)[0].strip()
        lead = len(inner) - len(inner.lstrip())
        if is_short_form(first):
            window_start = _window_before(text, m.start())
            window = text[window_start:m.start()].rstrip()
            if first.lower().endswith("-based") and window.lower().endswith("-based"):
                first, window = first[:-6], window[:-6]
            offsets = _best_long_form(first, window)
            if offsets is not None:
                s_start = inner_start + lead
                found.append(Abbreviation(first, window[offsets[0]:offsets[1]], s_start, s_start + len(first),
                                          window_start + offsets[0], window_start + offsets[1]))
                continue
        # reverse form: "SF (long form)"
        before = re.search(r"([A-Za-z0-9][\w\-./]*)\s*$", text[:m.start()])
        if before is None or len(inner.split()) < 2 and "-" not in inner:
            continue
        short = before.group(1)
        if not is_short_form(short) or _NOT_SHORT.match(inner):
            continue
        long = inner.strip()
        offsets = _best_long_form(short, long)
        if offsets is not None and offsets[0] == 0:
            l_start = inner_start + lead
            found.append(Abbreviation(short, long, before.start(1), before.end(1), l_start, l_start + len(long)))
    return found


class AcronymDetector:
    """spaCy component: writes every definition's long-form span, labelled with its short form, to ``doc.spans["acronyms"]``."""

    def __init__(self, nlp: Language, name: str, group: str = GROUP) -> None:
        self.name = name
        self.group = group

    def __call__(self, doc: Doc) -> Doc:
        split_glued_periods(doc)  # first of phasegraph's components: fix "AdamW." before any span is written
        spans: list[Span] = []
        for abbr in find_abbreviations(doc_text(doc)):
            span = doc.char_span(abbr.long_start, abbr.long_end, label=abbr.short, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        doc.spans[self.group] = spans
        return doc


@Language.factory("phasegraph_acronyms", default_config={"group": GROUP})
def make_acronyms(nlp: Language, name: str, group: str) -> AcronymDetector:
    """Build the acronym detector; ``group`` names the span group it writes."""
    return AcronymDetector(nlp, name, group)
