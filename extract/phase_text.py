"""Token-span helpers for phase names: prenominal modifiers, list splitting and item trimming.

These work on a parsed ``Doc`` and return token index ranges ``(start, end)``
(end exclusive). They lean on part-of-speech tags more than on the dependency
parse, because the small English model often misparses lists after a colon.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from phasegraph.extract.phase_lexicon import PhaseLexicon

TokenRange = tuple[int, int]

QUOTES = frozenset({'"', "'", "“", "”", "``", "''", "‘", "’"})
_HYPHENS = frozenset({"-", "–", "—", "/"})
_LIST_WORDS = frozenset({"and", "or", "&"})
_NOMINAL_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "JJ", "JJR", "JJS", "VBG", "FW", "AFX", "XX", "ADD", "NFP"})
_RELATIVE = frozenset({"that", "which", "who", "whom", "whose", "where", "whereby", "wherein", "when", "while",
                       "whereas", "such", "e.g.", "i.e.", "e.g", "i.e", "as", "so", "thus", "thereby", "because",
                       "since", "if", "although", "though", "until", "before", "after", "during", "within",
                       "across", "throughout", "using", "via", "leveraging", "utilizing", "utilising",
                       "exploiting", "employing", "relying", "enabling", "allowing", "resulting", "leading",
                       "by"})
_ITEM_PREFIX = frozenset({"a", "an", "the", "and", "or", "then", "finally", "lastly", "first", "firstly", "second",
                          "secondly", "third", "thirdly", "fourth", "next", "subsequently", "also", "both", "either",
                          "namely", "i.e.", "e.g.", "i.e", "e.g", "including", "like", "its", "their", "our", "his",
                          "her", "further", "initially", "on", "in", "at", "during", "for", "with", "by",
                          "through", "via", "from", "followed", "we", "they", "it", "i", "ii", "iii", "iv"})
MARKER_WORDS = frozenset({"i", "ii", "iii", "iv", "v", "vi", "a", "b", "c", "d", "e", "1", "2", "3", "4", "5", "6",
                          "7", "8", "9"})


def is_marker_at(doc: Doc, i: int, end: int) -> int:
    """Length in tokens of a list marker starting at ``i`` ("(1)", "1)", "(i)", "i)", "1."), else 0."""
    tok = doc[i]
    if tok.text == "(" and i + 2 < end and doc[i + 1].lower_ in MARKER_WORDS and doc[i + 2].text == ")":
        return 3
    if tok.lower_ in MARKER_WORDS and i + 1 < end and doc[i + 1].text == ")":
        if tok.lower_ in {"a", "i"} and (i == 0 or doc[i - 1].text not in {",", ";", ":", "and", "."}):
            return 0
        return 2
    # "1)" is sometimes one token
    if len(tok.text) == 2 and tok.text[1] == ")" and tok.text[0].lower() in MARKER_WORDS:
        return 1
    if len(tok.text) == 3 and tok.text[0] == "(" and tok.text[2] == ")" and tok.text[1].lower() in MARKER_WORDS:
        return 1
    return 0


def prenominal_modifiers(doc: Doc, head: int, lower_bound: int) -> tuple[TokenRange, int | None]:
    """The modifier tokens before the phase noun at ``head`` and the index of the token that stopped the walk.

    Walks left over nouns, adjectives, gerunds, hyphens, quotes and list words
    ("alignment and interaction phases", '"Accuracy" phase'); commas are taken
    only inside a list that already showed "and"/"or". Returns ``((start, head),
    stop)`` where ``stop`` is the index of the first token not taken (None at
    the sentence start).
    """
    j = head - 1
    seen_list_word = False
    start = head
    end = head
    if j >= lower_bound and (doc[j].lower_ in _LIST_WORDS or doc[j].text == ","):
        return (head, head), j  # "magnitudes and phases": the phase noun is itself a conjunct
    while j >= lower_bound:
        tok = doc[j]
        low = tok.lower_
        if tok.text == ")":
            # skip a parenthesis inside the phrase: "fine-tuning (sometimes 'alignment') stage"
            k = j - 1
            while k >= lower_bound and doc[k].text != "(":
                k -= 1
            if k < lower_bound or j - k > 8:
                break
            if j == head - 1:
                end = k  # "supervised finetuning (SFT) phase": the name ends before the parenthesis
            j = k - 1
            continue
        if tok.tag_ == "POS" or low in {"'s", "’s"}:
            break
        if tok.text in QUOTES or low in _HYPHENS or tok.tag_ == "HYPH":
            start = j
        elif j + 1 <= head and j + 1 < len(doc) and doc[j + 1].tag_ == "HYPH" and not tok.is_punct:
            start = j  # left part of a hyphenated word, whatever its tag ("fine-tuning")
        elif low in _LIST_WORDS:
            seen_list_word = True
            start = j
        elif tok.text == "," and seen_list_word:
            start = j
        elif tok.tag_ == "RB" and j + 1 < head and doc[j + 1].tag_ in {"JJ", "VBN"} and low.endswith("ly"):
            start = j  # "three carefully structured phases"
        elif tok.tag_ in _NOMINAL_TAGS or tok.pos_ in {"NOUN", "PROPN", "ADJ"}:
            if tok.tag_ == "VBG" and j > lower_bound and doc[j - 1].lower_ in {"by", "for", "of", "in", "while", "when"}:
                break  # "by first learning phases", a verb, not a name
            if tok.tag_ in {"VBG", "VBN"} and tok.dep_ in {"acl", "advcl", "relcl", "ROOT", "xcomp", "ccomp", "pcomp"}:
                break  # "a framework comprising ... phases": the verb ends the name
            start = j
        else:
            break
        j -= 1
    stop = j if j >= lower_bound else None
    if end < head and start >= end:
        start = end
    return (start, end), stop


def strip_range(doc: Doc, rng: TokenRange, drop: frozenset[str] = frozenset()) -> TokenRange:
    """Trim punctuation, list words, quotes and words in ``drop`` from both ends of a range."""
    start, end = rng
    skip = _LIST_WORDS | _HYPHENS | {",", ";", ":", ".", "(", ")", "[", "]"} | QUOTES
    while start < end and (doc[start].lower_ in skip or doc[start].text in skip or doc[start].lower_ in drop
                           or doc[start].tag_ == "HYPH"):
        start += 1
    while end > start and (doc[end - 1].lower_ in skip or doc[end - 1].text in skip or doc[end - 1].tag_ == "HYPH"):
        end -= 1
    return start, end


def split_coordination(doc: Doc, rng: TokenRange) -> list[TokenRange]:
    """Split a modifier range at top-level commas and list words: "A, B and C" -> [A, B, C]."""
    parts: list[TokenRange] = []
    start = rng[0]
    for i in range(rng[0], rng[1]):
        tok = doc[i]
        if tok.text == "," or tok.lower_ in _LIST_WORDS:
            if start < i:
                parts.append((start, i))
            start = i + 1
    if start < rng[1]:
        parts.append((start, rng[1]))
    return [p for p in (strip_range(doc, part) for part in parts) if p[0] < p[1]]


def trim_item(doc: Doc, rng: TokenRange, lex: PhaseLexicon) -> TokenRange:
    """Shorten one list item to its naming phrase.

    Drops list markers, leading articles and sequence words, and cuts the item
    before a clause that only describes it: a parenthesis, a comma, a relative
    pronoun, a purpose "to" + verb, or a participle after the head noun
    ("model rollouts to generate samples" -> "model rollouts").
    """
    return _trim(doc, rng, lex)[0]


def item_name(doc: Doc, rng: TokenRange, lex: PhaseLexicon) -> TokenRange | None:
    """The name of a list item, or None when the item is a clause rather than a name.

    "model rollouts to generate samples" and "extract the core question" name a phase;
    "the teacher LLM crafts the rubrics" and "performs supervised fine-tuning" describe
    one in a finite clause, which no short name can quote, so they give None.
    """
    trimmed, clause = _trim(doc, rng, lex)
    if trimmed[0] >= trimmed[1]:
        return None
    if clause:
        # "the first boosting prompt is crafted ...": the ordinal's noun phrase names the phase;
        # "supervised fine-tuning performs ...": an activity noun as subject names it too
        k = trimmed[0] - 1
        ordinal_np = k >= rng[0] and doc[k].lower_ in lex.ordinals
        if not ordinal_np and not doc[trimmed[1] - 1].lower_.endswith(_ACTIVITY_SUFFIXES):
            return None
    if doc[trimmed[0]].tag_ in {"VBZ", "MD", "PRP"}:
        return None
    if trimmed[1] - trimmed[0] == 1 and doc[trimmed[0]].lower_ in lex.ordinals | lex.phase_nouns.keys() | {"one"}:
        return None
    return trimmed


def _trim(doc: Doc, rng: TokenRange, lex: PhaseLexicon) -> tuple[TokenRange, bool]:
    """(trimmed range, whether the item was cut at the finite verb of its own clause)."""
    start, end = rng
    clause = False
    while start < end:
        n = is_marker_at(doc, start, end)
        if n:
            start += n
            continue
        tok = doc[start]
        if start + 1 < end and doc[start + 1].text in {"-", "–"} and tok.lower_ in _ITEM_PREFIX:
            break  # "in-context", "on-policy"
        if tok.lower_ in _ITEM_PREFIX or tok.text in QUOTES or tok.text in {",", ";", ":", "-", "—", "–"}:
            start += 1
            continue
        break
    seen_noun = False
    cut = end
    for i in range(start, end):
        tok = doc[i]
        low = tok.lower_
        if i > start and (tok.text in {"(", "[", ",", ";", ":", "--", "—", "–"} or low in {"e.g.", "i.e."}):
            cut = i
            break
        if seen_noun and low in _RELATIVE and doc[i - 1].text not in {"-", "–"} and doc[i - 1].tag_ != "HYPH":
            cut = i
            break
        if seen_noun and low == "to" and i + 1 < end and doc[i + 1].tag_ in {"VB", "RB"}:
            cut = i
            break
        if seen_noun and tok.tag_ in {"VBZ", "VBP", "VBD", "MD"}:
            cut = i
            clause = True
            break
        if seen_noun and tok.tag_ in {"VBG", "VBN"} and tok.dep_ in {"acl", "advcl", "relcl"} and doc[i - 1].tag_ not in {"HYPH"}:
            cut = i
            break
        if tok.pos_ in {"NOUN", "PROPN"} or tok.tag_ in {"NN", "NNS", "NNP", "NNPS", "VBG"}:
            seen_noun = True
    start, end = strip_range(doc, (start, cut))
    # leading determiners and numbers ("the two", "its")
    while start < end - 1 and (doc[start].lower_ in lex.number_words or doc[start].tag_ in {"DT", "PRP$"}):
        start += 1
    return (start, end), clause


def range_text(doc: Doc, rng: TokenRange) -> str:
    """The verbatim text of a token range (no trailing whitespace); quotes at the ends removed."""
    start, end = rng
    while start < end and doc[start].text in QUOTES:
        start += 1
    while end > start and doc[end - 1].text in QUOTES:
        end -= 1
    if start >= end:
        return ""
    return doc[start:end].text


_ACTIVITY_SUFFIXES = ("ing", "tion", "sion", "ment", "ance", "ence", "sis")
_LEMMA_TAGS = frozenset({"NNS", "NNPS", "VBZ"})
_KEEP_FORM = frozenset({"data", "media", "criteria", "phenomena", "its", "has", "does", "is", "was"})


def range_lemmas(doc: Doc, rng: TokenRange) -> str:
    """The lemmatised text of a range, spaced as in the text ("memorization phases" -> "memorization phase").

    Only inflected forms are replaced by their lemmas (plural nouns, third-person verbs), and only when the
    lemma keeps the word's stem: the small model's lemmas of other words ("pretraining" -> "pretraine",
    "data" -> "datum") would split one phase into two keys.
    """
    parts: list[str] = []
    for i in range(*rng):
        tok = doc[i]
        if tok.text in QUOTES:
            continue
        word = tok.lower_
        lemma = tok.lemma_.lower() if tok.lemma_ else word
        if tok.tag_ in _LEMMA_TAGS and word not in _KEEP_FORM and lemma[:3] == word[:3] and len(lemma) >= len(word) - 2:
            word = lemma
        parts.append(word + tok.whitespace_)
    return "".join(parts).strip()


def noun_phrase(token: Token, sent: Span, with_of: bool = True) -> TokenRange:
    """A short noun phrase around ``token``: its left modifiers (no determiners) and an "of" complement."""
    doc = token.doc
    start = token.i
    for child in token.lefts:
        if child.dep_ in {"compound", "amod", "nmod", "poss", "nummod", "npadvmod", "advmod", "case", "punct"} \
                and child.i >= sent.start:
            start = min(start, child.left_edge.i)
    end = token.i + 1
    if with_of:
        for child in token.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    obj = objs[0]
                    obj_start, obj_end = noun_phrase(obj, sent, with_of=False)
                    if obj_start > child.i:
                        end = max(end, obj_end)
                break
    start = max(start, sent.start)
    end = min(end, sent.end)
    while start < end and (doc[start].tag_ in {"DT", "PRP$", "PDT", "CD"} or doc[start].text in {",", "(", "-"}
                           or doc[start].dep_ == "punct"):
        start += 1
    while end > start and (doc[end - 1].dep_ == "punct" or doc[end - 1].text in {",", ")", "("}):
        end -= 1
    return start, end
