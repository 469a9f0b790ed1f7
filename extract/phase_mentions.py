"""Rule families that find phase mentions in one sentence.

A *mention* is one piece of evidence that phases exist: a counted claim ("two
stages"), a list of named phases ("alignment and interaction phases"), a named
phase ("the bootstrapping phase"), an ordinal one ("In the second stage"), a
position in time ("in later phases"), a plural claim ("proceeds in several
stages"), an anaphor ("these two phases"), a cycle ("a cycle of interaction and
reflection"), an in-sentence sequence ("first does A, then does B", "A followed
by B") or a named phase ordered against one more activity or event ("an X
phase, before eventually doing Y", "the X phase following the transition").
``phase_assemble`` groups the mentions of a doc into structures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from spacy.tokens import Doc, Span, Token

from phasegraph.extract.phase_lexicon import PhaseLexicon
from phasegraph.extract.phase_text import (
    QUOTES,
    TokenRange,
    is_marker_at,
    item_name,
    noun_phrase,
    prenominal_modifiers,
    range_lemmas,
    split_coordination,
    strip_range,
)

# Kinds that may start a structure on their own.
STRONG_KINDS = frozenset({"counted", "plural", "coordinated", "named", "cycle", "sequence"})
_TEMPORAL_PREPS = frozenset({"during", "in", "at", "throughout", "across", "for", "over", "within", "from", "to",
                             "between", "before", "after", "on"})
_ENUM_CUES = frozenset({"namely", "i.e.", "i.e", "viz", "viz."})
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "a": 1, "b": 2, "c": 3, "d": 4}


@dataclass
class Mention:
    """One phase mention in sentence ``sent`` (index into the doc's sentences)."""

    sent: int
    kind: str
    anchor: int
    noun: str = "phase"
    count: int | None = None
    names: list[TokenRange] = field(default_factory=list)
    ordinal: int | None = None
    temporal: str | None = None
    subject: TokenRange | None = None
    anaphoric: bool = False
    ordered: bool = True
    enumerated: bool = False
    weak: bool = False
    announces: bool = False


def is_phase_noun(tok: Token, lex: PhaseLexicon) -> bool:
    """A noun that names a phase ("phase", "stages", "sub-stage", "Phase" in "Phase 1"), not part of a name."""
    if tok.lower_ not in lex.phase_nouns or in_proper_name(tok, lex):
        return False
    if tok.tag_.startswith("NN") or tok.pos_ in {"NOUN", "PROPN"}:
        return True
    doc = tok.doc
    if tok.i > 0 and doc[tok.i - 1].text in {"-", "–"}:
        return True  # "multi-phase", "two-stage" tagged as adjectives
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and (nxt.like_num or nxt.text in {":", ")", ","})


_LABELS = frozenset({"I", "II", "III", "IV", "V", "VI", "A", "B", "C", "D"})


def in_proper_name(tok: Token, lex: PhaseLexicon) -> bool:
    """Whether a phase word is written as part of a proper name rather than as the common noun.

    Three shapes: an acronym in capitals ("STEP", "STAGE" as a method's name; "STEP 1" with a
    label stays a phase), a word joined by a hyphen with no spaces to a capitalised word that is
    not a count ("KITTI-STEP", "STEP-Bench", "Stage-Net"; "Two-Stage" and "Phase-1" stay phases),
    and a word inside a camel-case token is never matched at all ("PhaseNet" is one token).
    """
    doc = tok.doc
    text = tok.text
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    labelled = nxt is not None and (nxt.text.isdigit() or nxt.text in _LABELS)
    if len(text) >= 4 and text.isupper() and not labelled:
        sent = tok.sent if doc.has_annotation("SENT_START") else doc[:]
        letters = [c for c in sent.text if c.isalpha()]
        if sum(c.isupper() for c in letters) < 0.8 * len(letters):  # not a sentence in capitals
            return True
    counts = lex.number_words.keys() | lex.single_words | lex.plural_quantifiers | lex.ordinals.keys()
    if tok.i >= 2 and doc[tok.i - 1].text in {"-", "–"} and not doc[tok.i - 1].whitespace_ \
            and not doc[tok.i - 2].whitespace_:
        left = doc[tok.i - 2]
        if left.text[:1].isupper() and left.lower_ not in counts and not left.lower_.startswith("multi"):
            return True
    if nxt is not None and nxt.text in {"-", "–"} and not tok.whitespace_ and not nxt.whitespace_ \
            and tok.i + 2 < len(doc):
        right = doc[tok.i + 2]
        if right.text[:1].isupper() and right.text.isalpha() and right.text not in _LABELS:
            return True
    return False


def _number(tok: Token, lex: PhaseLexicon) -> int | None:
    return lex.number_words.get(tok.lower_)


def _in_idiom(doc: Doc, i: int, lex: PhaseLexicon) -> bool:
    """Whether the token at ``i`` is part of an idiom such as "a step towards" or "set the stage"."""
    low = doc[i].lower_
    for idiom in lex.idioms:
        for k, word in enumerate(idiom):
            if word != low:
                continue
            start = i - k
            if start < 0 or start + len(idiom) > len(doc):
                continue
            if all(doc[start + m].lower_ == idiom[m] for m in range(len(idiom))):
                return True
    return False


def _count_before(doc: Doc, stop: int | None, lower: int, lex: PhaseLexicon) -> tuple[int | None, int | None]:
    """(count, index) of a number word at ``stop`` or just before a hyphen there ("two-stage", "2 phases")."""
    if stop is None:
        return None, None
    tok = doc[stop]
    value = _number(tok, lex)
    if value is not None:
        return value, stop
    if tok.lower_ in lex.single_words:
        return 1, stop
    return None, None


def _enumeration_region(doc: Doc, noun: Token, sent: Span) -> TokenRange | None:
    """The tokens listing the phases after ``noun``: after a colon, "namely" or "i.e.", up to the sentence end."""
    for k in range(noun.i + 1, min(sent.end, noun.i + 18)):
        tok = doc[k]
        if tok.tag_ in {"VBZ", "VBP", "VBD", "MD"} or tok.text in {";", "."}:
            break
        if tok.lower_ in {"namely"}:
            start = k + 1
            while start < sent.end and doc[start].text in {",", ":"}:
                start += 1
            end = sent.end
            while end > start and doc[end - 1].is_punct and doc[end - 1].text != ")":
                end -= 1
            if end > start:
                return start, end
            break
    j = noun.i + 1
    steps = 0
    while j < sent.end and steps < 14:
        tok = doc[j]
        if tok.text in {":", "--", "—", "–"} or tok.lower_ in _ENUM_CUES:
            start = j + 1
            while start < sent.end and doc[start].text in {",", ":"}:
                start += 1
            end = sent.end
            while end > start and doc[end - 1].is_punct and doc[end - 1].text not in {")"}:
                end -= 1
            return (start, end) if end - start >= 1 else None
        if tok.text == "," and any(doc[k].lower_ in _ENUM_CUES for k in range(j + 1, min(j + 9, sent.end))):
            j += 1
            steps += 1
            continue
        if tok.tag_ in {"DT", "JJ", "JJR", "NN", "NNS", "NNP", "NNPS", "CD", "HYPH", "VBG", "VBN", "IN", "POS", "PRP$",
                        "RB"} \
                and tok.lower_ not in {"that", "which", "where", "with", "by", "to", "as"} or tok.text in QUOTES:
            j += 1
            steps += 1
            continue
        return None
    return None


def _marker_list_region(doc: Doc, noun: Token, sent: Span, lex: PhaseLexicon) -> TokenRange | None:
    """A colon later in the sentence that opens a numbered list: "A two-phase process is developed ...: (1) ..."."""
    for j in range(noun.i + 1, sent.end - 1):
        if doc[j].text == ":" and is_marker_at(doc, j + 1, sent.end):
            before = doc[j - 1]
            if before.lower_ in lex.non_process_nouns or before.lemma_.lower() in lex.non_process_nouns:
                return None  # "offers several benefits: (i) ...": a list of something else
            end = sent.end
            while end > j + 1 and doc[end - 1].is_punct and doc[end - 1].text != ")":
                end -= 1
            return j + 1, end
    return None


def _example_region(doc: Doc, noun: Token, sent: Span, lex: PhaseLexicon) -> TokenRange | None:
    """Examples right after the noun ("phases, such as encoding and contrasting"): an incomplete list."""
    j = noun.i + 1
    if j < sent.end and doc[j].text == ",":
        j += 1
    for cue in lex.enumeration_cues:
        words = cue.split()
        if all(j + k < sent.end and doc[j + k].lower_ == w for k, w in enumerate(words)):
            start = j + len(words)
            end = start
            while end < sent.end and doc[end].text not in {";", ".", ")"} and not (
                    doc[end].text == "," and end + 1 < sent.end and doc[end + 1].tag_ in {"VBG", "WDT", "WRB"}):
                end += 1
            return (start, end) if end > start else None
    return None


def _item_markers(doc: Doc, region: TokenRange, lex: PhaseLexicon) -> list[int]:
    """Token indexes where list items start inside ``region`` ("(1)", "1)", "(i)", "first,", "the second X")."""
    starts: list[int] = []
    start, end = region
    i = start
    while i < end:
        n = is_marker_at(doc, i, end)
        if n:
            starts.append(i)
            i += n
            continue
        tok = doc[i]
        prev = doc[i - 1].text if i > start else ":"
        if prev in {":", ";", ",", "and"} or (i > start and doc[i - 1].lower_ in {"and", "while", "whereas"}):
            if tok.lower_ in {"first", "firstly", "second", "secondly", "third", "thirdly", "finally", "lastly",
                              "fourth"}:
                starts.append(i)
            elif tok.lower_ == "the" and i + 1 < end and doc[i + 1].lower_ in lex.ordinals:
                starts.append(i)
            elif tok.lower_ == "and" and i + 1 < end and doc[i + 1].lower_ in {"finally", "lastly", "then", "third",
                                                                                 "second"}:
                starts.append(i)
        i += 1
    return starts


Item: TypeAlias = TokenRange | None  # a list item's name, or None for an item that is a clause (counted, not named)


def names_of(items: list[Item]) -> list[TokenRange]:
    """The names of a list's items; none at all when some item is a clause (a half-named list misleads)."""
    if any(item is None for item in items):
        return []
    return [item for item in items if item is not None]


def _split_items(doc: Doc, region: TokenRange, lex: PhaseLexicon, count: int | None) -> list[Item]:
    """Split an enumeration region into its items (marker-delimited, phase nouns, ";" or comma lists)."""
    start, end = region
    markers = _item_markers(doc, region, lex)
    if len(markers) >= 2 or (len(markers) == 1 and markers[0] > start and count == 1):
        bounds = markers + [end]
        return [item_name(doc, (bounds[k], bounds[k + 1]), lex) for k in range(len(markers))
                if bounds[k] < bounds[k + 1]]
    nouns = [i for i in range(start, end) if is_phase_noun(doc[i], lex)]
    if len(nouns) >= 2:
        items = []
        for i in nouns:
            (mstart, _), _stop = prenominal_modifiers(doc, i, start)
            rng = strip_range(doc, (mstart, i + 1))
            if rng[1] - rng[0] >= 2:
                items.append(rng)
        if len(items) >= 2:
            return items
    semis = [i for i in range(start, end) if doc[i].text == ";"]
    if semis:
        bounds = [start] + [s + 1 for s in semis] + [end]
        items = [(bounds[k], (semis[k] if k < len(semis) else end)) for k in range(len(bounds) - 1)]
        return [item_name(doc, item, lex) for item in items if item[0] < item[1]]
    return _comma_list(doc, region, lex, count)


def _comma_list(doc: Doc, region: TokenRange, lex: PhaseLexicon, count: int | None) -> list[Item]:
    """Items of "A, B, and C" (stopping after the conjunct that follows "and"), at most ``count`` of them."""
    start, end = region
    depth = 0
    parts: list[TokenRange] = []
    cur = start
    last = False
    for i in range(start, end):
        tok = doc[i]
        if tok.text in {"(", "["}:
            depth += 1
        elif tok.text in {")", "]"}:
            depth = max(0, depth - 1)
        elif depth == 0 and tok.text == ",":
            parts.append((cur, i))
            cur = i + 1
            if last:
                break
        elif depth == 0 and tok.lower_ in {"and", "or"} and i > cur:
            # "and" splits only when what precedes is a complete item (not "proximate and ultimate analysis")
            nxt = doc[i + 1] if i + 1 < end else None
            if nxt is not None and nxt.tag_ in {"JJ"} and i + 2 < end and doc[i + 2].tag_.startswith("NN") \
                    and doc[i - 1].tag_ == "JJ":
                continue
            parts.append((cur, i))
            cur = i + 1
            last = True
    else:
        parts.append((cur, end))
    items: list[Item] = []
    for part in parts:
        first = doc[part[0]] if part[0] < part[1] else None
        if first is None:
            continue
        if (first.lower_ in {"to", "which", "where", "while", "thereby", "so", "that", "in", "enabling", "allowing",
                             "leading", "resulting", "whereby"} or first.tag_ in {"VBZ", "VBP", "MD"}) and items:
            break
        items.append(item_name(doc, part, lex))
    if count is not None and len(items) > count:
        items = items[:count]
    return items


def _right_label(doc: Doc, noun: Token, sent: Span) -> TokenRange | None:
    """ "Phase 1", "Stage II", "Phase A": the noun and its label as one name."""
    if noun.i + 1 >= sent.end:
        return None
    nxt = doc[noun.i + 1]
    if (nxt.like_num and nxt.text.isdigit() and len(nxt.text) <= 2) or nxt.text in {"I", "II", "III", "IV", "A", "B", "C"}:
        if noun.text[:1].isupper() or nxt.text.isdigit():
            return noun.i, noun.i + 2
    return None


def _label_ordinal(doc: Doc, rng: TokenRange) -> int | None:
    text = doc[rng[1] - 1].text.lower()
    if text.isdigit():
        return int(text)
    return _ROMAN.get(text)


def _appositive_name(doc: Doc, noun: Token, sent: Span) -> TokenRange | None:
    """ "The first phase, Foundational Reasoning Activation, leverages": the name between commas."""
    i = noun.i + 1
    if i >= sent.end or doc[i].text != ",":
        return None
    j = i + 1
    while j < sent.end and j - i <= 7 and doc[j].text != ",":
        if doc[j].tag_.startswith("VB") and doc[j].tag_ != "VBG":
            return None
        j += 1
    if j < sent.end and doc[j].text == "," and j - i >= 2:
        words = [doc[k] for k in range(i + 1, j)]
        if words and words[0].text[:1].isupper() and all(w.tag_ in {"NNP", "NNPS", "NN", "NNS", "JJ", "HYPH", "VBG"} for w in words):
            return i + 1, j
    return None


def _governing_prep(noun: Token) -> Token | None:
    """The preposition whose object is the phrase headed by ``noun`` (following conj links)."""
    tok = noun
    for _ in range(3):
        if tok.dep_ == "pobj":
            return tok.head
        if tok.dep_ == "conj":
            tok = tok.head
            continue
        return None
    return None


def _governing_verb(noun: Token) -> Token | None:
    """The verb a phase noun hangs on: through its preposition ("stays *in* a phase") or as its object."""
    prep = _governing_prep(noun)
    if prep is not None and prep.head.pos_ in {"VERB", "AUX"}:
        return prep.head
    if noun.dep_ in {"dobj", "obj", "attr", "nsubj", "nsubjpass"} and noun.head.pos_ in {"VERB", "AUX"}:
        return noun.head
    return None


def _subject_for(noun: Token, sent: Span, lex: PhaseLexicon) -> TokenRange | None:
    """What has the phases: the noun the phase word modifies, the "of" object, the split object, or the subject."""
    if noun.dep_ in {"compound", "amod", "nmod"} and noun.head.i > noun.i and noun.head.pos_ in {"NOUN", "PROPN"}:
        rng = noun_phrase(noun.head, sent)
        return (max(rng[0], noun.i + 1), rng[1]) if rng[1] > noun.i + 1 else None
    for child in noun.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs and objs[0].pos_ in {"NOUN", "PROPN"}:
                return noun_phrase(objs[0], sent)
    head = noun
    prep = _governing_prep(noun)
    verb = None
    if prep is not None and prep.head.pos_ in {"VERB", "AUX"}:
        verb = prep.head
        if prep.lower_ in {"into"}:
            objs = [c for c in verb.children if c.dep_ in {"dobj", "obj"}]
            if objs:
                return noun_phrase(objs[0], sent)
    elif prep is not None and prep.lower_ == "of" and prep.head.pos_ in {"VERB", "AUX"}:
        verb = prep.head
    elif head.dep_ in {"dobj", "attr", "obj"} and head.head.pos_ in {"VERB", "AUX"}:
        verb = head.head
    if verb is not None:
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects and verb.dep_ in {"relcl", "acl"}:
            return noun_phrase(verb.head, sent)
        if subjects and subjects[0].pos_ in {"NOUN", "PROPN"}:
            return noun_phrase(subjects[0], sent)
    return None


class SentenceRules:
    """Finds the mentions of one sentence; holds the lexicon and the doc."""

    def __init__(self, doc: Doc, lex: PhaseLexicon) -> None:
        self.doc = doc
        self.lex = lex

    # -- phase nouns ---------------------------------------------------------------------------------
    def mentions(self, sent: Span, si: int) -> list[Mention]:
        """All mentions in ``sent`` (the ``si``-th sentence), in text order."""
        out: list[Mention] = []
        consumed: set[int] = set()
        for tok in sent:
            if tok.i in consumed or not is_phase_noun(tok, self.lex):
                continue
            mention, region = self._phase_noun(tok, sent, si)
            if region is not None:
                consumed.update(range(*region))
            if mention is not None:
                out.append(mention)
        for tok in sent:
            if tok.lower_ in self.lex.cycle_nouns and tok.i not in consumed:
                mention = self._cycle(tok, sent, si)
                if mention is not None:
                    out.append(mention)
        seq = self._in_sentence_sequence(sent, si) or self._followed_by(sent, si) \
            or self._relative_order(sent, si, out)
        if seq is not None:
            out.append(seq)
        out.sort(key=lambda m: m.anchor)
        return self._join_conjoined(out)

    def _join_conjoined(self, mentions: list[Mention]) -> list[Mention]:
        """ "a training phase ... and an adaptation phase": conjoined named phases form one complete list."""
        doc = self.doc
        out: list[Mention] = []
        for m in mentions:
            prev = out[-1] if out else None
            if prev is not None and m.kind == "named" and m.names and prev.kind in {"named", "coordinated"} \
                    and not prev.enumerated and prev.names and not m.weak:
                k = m.names[0][0] - 1
                while k > prev.anchor and doc[k].tag_ in {"DT", "PRP$"}:
                    k -= 1
                if k > prev.anchor and doc[k].lower_ in {"and", "or", ","}:
                    prev.kind = "coordinated"
                    prev.names = prev.names + m.names
                    prev.count = len(prev.names)
                    prev.anaphoric = prev.weak = False
                    continue
            out.append(m)
        return out

    def _phase_noun(self, noun: Token, sent: Span, si: int) -> tuple[Mention | None, TokenRange | None]:
        """The mention a phase noun makes, and the enumeration region it owns (tokens no other noun may use)."""
        doc, lex = self.doc, self.lex
        kind = lex.phase_nouns[noun.lower_]
        if _in_idiom(doc, noun.i, lex):
            return None, None
        ctx = self._left_context(noun, sent)
        if ctx is None:
            return None, None
        count, det, quantifier, ordinal, names_rng = ctx
        plural = noun.tag_ in {"NNS", "NNPS"} or noun.lower_.endswith("s")
        prep = _governing_prep(noun)
        # regimes are alternatives; so are phases a population "falls into" or is "classified into"
        ordered = kind not in lex.unordered_phase_nouns and not (
            prep is not None and prep.lower_ == "into" and prep.head.lemma_.lower() in lex.unordered_verbs)
        label = _right_label(doc, noun, sent)
        after = doc[label[1]] if label is not None and label[1] < sent.end else None
        if after is not None and after.tag_ in {"NN", "NNS"} and after.lower_ in lex.modifier_head_exclusions:
            return None, None  # "stage 4 features": a backbone stage, not a phase
        if label is not None and count is None:
            return Mention(si, "ordinal", noun.i, kind, names=[label], ordinal=_label_ordinal(doc, label),
                           ordered=ordered), None
        # the phase word modifies another noun: "two-stage framework", "phase transition"
        head = self._modified_head(noun, sent)
        if head is not None:
            if head.lower_ in lex.modifier_head_exclusions:
                return None, None
            subject = _subject_for(noun, sent, lex)
            if count is not None and count >= 2:
                m = Mention(si, "counted", noun.i, kind, count=count, subject=subject, ordered=ordered)
            elif quantifier is not None and kind != "step":
                m = Mention(si, "plural", noun.i, kind, subject=subject, ordered=ordered)
            else:
                return None, None
            region = _enumeration_region(doc, head, sent) or _marker_list_region(doc, noun, sent, lex)
            if region is not None:
                items = _split_items(doc, region, lex, m.count)
                if items:
                    m.names = names_of(items)
                    m.enumerated = True
                    if m.count is None:
                        m.kind, m.count = "counted", len(items)
                    return m, region
            return m, None
        # "step" in its iteration sense: "2M pre-training steps", "at each step"
        mod_words = [doc[k].lower_ for k in range(*names_rng)]
        if kind == "step" and (any(w in lex.step_iteration_modifiers for w in mod_words)
                               or det in {"each", "every", "this", "that"}):
            if count is None or count > 12:
                return None, None
        names = split_coordination(doc, names_rng) if names_rng[0] < names_rng[1] else []
        names = [n for n in (self._strip_generic(n) for n in names) if n[0] < n[1]]
        partner = self._conj_partner(noun, sent)
        if partner is not None and len(names) == 1 and partner[1] <= names[0][0]:
            names = [partner] + names  # "both a supervised learning and a reinforcement learning phase"
        keys = [range_lemmas(doc, n) for n in names]
        subject = _subject_for(noun, sent, lex)
        # "during both the training and inference phases": a time reference, even before a colon
        if names and all(k in lex.incidental_names for k in keys) and len(names) >= 2:
            prep = _governing_prep(noun)
            if prep is None or prep.lower_ in _TEMPORAL_PREPS:
                return None, None
        region = _enumeration_region(doc, noun, sent)
        if count is not None and count >= 2:
            m = Mention(si, "counted", noun.i, kind, count=count, subject=subject, ordered=ordered)
            m.anaphoric = det in {"these", "those", "both", "the", "its", "their"}
            if region is not None:
                items = _split_items(doc, region, lex, count)
                m.names = names_of(items)
                m.enumerated = bool(items)
                return m, region
            if len(names) >= 2:
                m.names = names
                return m, None
            region = _marker_list_region(doc, noun, sent, lex)
            if region is not None:
                items = _split_items(doc, region, lex, count)
                m.names = names_of(items)
                m.enumerated = bool(items)
                return m, region
            return m, None
        examples = _example_region(doc, noun, sent, lex) if plural and len(names) <= 1 \
            and kind not in lex.weak_phase_nouns else None
        if examples is not None:
            items = _comma_list(doc, examples, lex, None)
            if len(items) >= 2:
                return Mention(si, "plural", noun.i, kind, names=names_of(items), subject=subject or (names[0] if names else None),
                               ordered=ordered, enumerated=True), examples
        if region is not None and plural:
            items = _split_items(doc, region, lex, None)
            if len(items) >= 2:
                return Mention(si, "counted", noun.i, kind, count=len(items), names=names_of(items), subject=subject,
                               ordered=ordered, enumerated=True), region
        if len(names) >= 2:
            if any(self._is_temporal(n) for n in names):
                return Mention(si, "temporal", noun.i, kind, names=names, temporal="multi", subject=subject), None
            if kind == "step" and any(k in lex.step_iteration_modifiers for k in keys):
                return None, None
            m = Mention(si, "coordinated", noun.i, kind, count=len(names), names=names, subject=subject,
                        ordered=ordered)
            m.anaphoric = det in {"both", "these", "those"} or kind in lex.weak_phase_nouns - {"step"}
            m.weak = kind in lex.weak_phase_nouns - {"step"}
            return m, None
        if len(names) == 1 and plural and count is None and ordinal is None and not self._is_temporal(names[0]) and (
                quantifier is not None or self._is_owner(names[0])):
            # "various MLLC phases", "different learning stages": the modifier says whose phases they are
            if kind in lex.weak_phase_nouns:
                return None, None
            if quantifier is None or self._is_owner(names[0]):
                prep = _governing_prep(noun)
                if quantifier is None or (prep is not None and prep.lower_ in _TEMPORAL_PREPS | {"under"}):
                    return Mention(si, "anaphor", noun.i, kind, subject=subject or names[0], ordered=ordered,
                                   anaphoric=True), None
            return Mention(si, "plural", noun.i, kind, subject=subject or names[0], ordered=ordered), None
        if len(names) == 1:
            return self._single_name(noun, names[0], kind, det, ordinal, subject, ordered, si), None
        # no names on the left
        right = _appositive_name(doc, noun, sent) or self._paren_name(noun, sent)
        if right is not None and (ordinal is not None or det in {"a", "an", "the"}):
            return Mention(si, "ordinal" if ordinal else "named", noun.i, kind, names=[right], ordinal=ordinal,
                           subject=subject, ordered=ordered), None
        if ordinal is not None:
            return Mention(si, "ordinal", noun.i, kind, ordinal=ordinal, subject=subject, ordered=ordered), None
        if quantifier is not None and plural and kind != "step":
            prep = _governing_prep(noun)
            if subject is None and prep is not None and prep.lower_ in _TEMPORAL_PREPS | {"under"}:
                return None, None  # "under different phases": a condition, not a claim
            return Mention(si, "plural", noun.i, kind, subject=subject, ordered=ordered), None
        has_of = any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.rights)
        if det in {"each", "every", "all"} and has_of and subject is not None and kind not in lex.weak_phase_nouns:
            return Mention(si, "plural", noun.i, kind, subject=subject, ordered=ordered), None
        if det in {"these", "those", "both", "this", "that", "each", "every", "all", "its", "their"}:
            return Mention(si, "anaphor", noun.i, kind, subject=subject, ordered=ordered, anaphoric=True), None
        if plural and kind not in lex.weak_phase_nouns and det is None:
            prep = _governing_prep(noun)
            if prep is not None and prep.lower_ in {"in", "into"} and prep.head.lemma_.lower() in lex.split_verbs:
                return Mention(si, "plural", noun.i, kind, subject=subject, ordered=ordered, announces=True), None
        return None, None

    def _left_context(self, noun: Token, sent: Span
                      ) -> tuple[int | None, str | None, str | None, int | None, TokenRange] | None:
        """(count, determiner, quantifier, ordinal, name range) from the words before a phase noun.

        None when the words say there is only one phase ("single-stage", "one step").
        """
        doc, lex = self.doc, self.lex
        (mstart, mend), stop = prenominal_modifiers(doc, noun.i, sent.start)
        count, count_at = _count_before(doc, stop, sent.start, lex)
        if count == 1:
            return None
        mod = strip_range(doc, (mstart, mend))
        if mod[1] - mod[0] == 1 and doc[mod[0]].lower_ in {"sub", "mini", "micro", "macro"}:
            mod = (mod[1], mod[1])
        det = quantifier = None
        ordinal = None
        if count_at is not None:
            if count_at - 1 >= sent.start and doc[count_at - 1].lower_ in lex.anaphoric_determiners | {"the"}:
                det = doc[count_at - 1].lower_
        elif stop is not None:
            low = doc[stop].lower_
            if low in lex.plural_quantifiers or low.startswith("multi"):
                quantifier = low
            elif low in lex.ordinals:
                ordinal = lex.ordinals[low]
                if stop - 1 >= sent.start and doc[stop - 1].lower_ in lex.anaphoric_determiners | {"the"}:
                    det = doc[stop - 1].lower_
            elif low in lex.anaphoric_determiners or low in {"the", "a", "an"}:
                det = low
        # quantifiers, ordinals and generic words inside the walk ("multi-stage", "first-stage", "two distinct")
        while mod[0] < mod[1]:
            low = doc[mod[0]].lower_
            if low in lex.single_words:
                return None
            if low in lex.number_words and count is None:
                count = lex.number_words[low]
            elif low in lex.plural_quantifiers or (low.startswith("multi") and mod[0] + 2 >= noun.i):
                quantifier = quantifier or low
            elif low in lex.ordinals and ordinal is None:
                ordinal = lex.ordinals[low]
            elif low not in lex.generic_name_modifiers:
                break
            mod = strip_range(doc, (mod[0] + 1, mod[1]))
        return count, det, quantifier, ordinal, mod

    def _modified_head(self, noun: Token, sent: Span) -> Token | None:
        """The noun a phase word modifies ("two-stage *framework*", "phase *transition*"), else None."""
        doc, lex = self.doc, self.lex
        nxt = doc[noun.i + 1] if noun.i + 1 < sent.end else None
        if nxt is None:
            return None
        if nxt.tag_ == "HYPH" or nxt.text == "-":
            return doc[noun.i + 2] if noun.i + 2 < sent.end else None  # "stage-wise", "phase-aware"
        if noun.i - 1 >= sent.start and doc[noun.i - 1].text in {"-", "–"} and nxt.tag_ in {"NN", "NNS", "NNP"} \
                and not is_phase_noun(nxt, lex):
            return nxt  # "training-stage perspective", "two-phase memorize... framework"
        if noun.dep_ in {"compound", "amod", "nmod"} and sent.start <= noun.head.i < sent.end \
                and noun.head.i > noun.i and noun.head.pos_ in {"NOUN", "PROPN", "ADJ"} \
                and not is_phase_noun(noun.head, lex):
            return noun.head
        if nxt.tag_ in {"NN", "NNS"} and not is_phase_noun(nxt, lex) and nxt.lower_ in lex.modifier_head_exclusions:
            return nxt
        return None

    def _is_temporal(self, rng: TokenRange) -> bool:
        """A name that only places a phase in time ("early", "later training"), not one that names it."""
        doc, lex = self.doc, self.lex
        first = doc[rng[0]]
        if first.lower_ not in lex.temporal_positions:
            return False
        if rng[0] > 0 and doc[rng[0] - 1].text in QUOTES:
            return False  # '"early-learning" phase' is a name
        if rng[0] + 1 < len(doc) and doc[rng[0] + 1].tag_ == "HYPH" and rng[1] - rng[0] > 1:
            return False  # "mid-training stage", "early-learning phase": one hyphenated name
        rest = strip_range(doc, (rng[0] + 1, rng[1]))
        if rest[0] >= rest[1]:
            return True
        rest_text = range_lemmas(doc, rest)
        return rest_text in lex.incidental_names or rest_text in lex.process_nouns

    def _single_name(self, noun: Token, name: TokenRange, kind: str, det: str | None, ordinal: int | None,
                     subject: TokenRange | None, ordered: bool, si: int) -> Mention | None:
        """The mention of one named phase: temporal, ordinal, incidental (weak) or a proper named phase."""
        doc, lex = self.doc, self.lex
        if self._is_temporal(name):
            position = lex.temporal_positions[doc[name[0]].lower_]
            return Mention(si, "temporal", noun.i, kind, names=[(name[0], noun.i + 1)], temporal=position,
                           subject=subject)
        if doc[name[0]].lower_ in lex.temporal_positions and name[1] - name[0] > 1 \
                and doc[name[0] + 1].tag_ != "HYPH":
            if doc[name[0]].lower_ in lex.time_reference_positions and not (
                    name[0] > 0 and doc[name[0] - 1].text in QUOTES):
                # "in the early diffusion phase of ...": a time reference unless paired with a later phase
                return Mention(si, "temporal", noun.i, kind, names=[(name[0], noun.i + 1)],
                               temporal=lex.temporal_positions[doc[name[0]].lower_], subject=subject)
            name = strip_range(doc, (name[0] + 1, name[1]))
        key = range_lemmas(doc, name)
        if ordinal is not None:
            return Mention(si, "ordinal", noun.i, kind, names=[name], ordinal=ordinal, subject=subject,
                           ordered=ordered)
        weak = key in lex.incidental_names or (kind in lex.weak_phase_nouns
                                               and not (kind == "period" and key.startswith("critical")))
        m = Mention(si, "named", noun.i, kind, names=[name], subject=subject, ordered=ordered)
        m.anaphoric = weak or det in {"this", "that", "these", "those", "each", "both"}
        m.weak = weak
        return m

    def _is_owner(self, rng: TokenRange) -> bool:
        """Whether a plural phase noun's modifier names the process that has the phases, not a phase.

        "learning phases", "ML lifecycle phases": the last word is a process word and nothing before it
        is an adjective naming a kind of phase ("critical learning phases" keeps its name).
        """
        doc, lex = self.doc, self.lex
        last = range_lemmas(doc, (rng[1] - 1, rng[1]))
        if last not in lex.incidental_names and last not in lex.process_nouns and range_lemmas(doc, rng) not in (
                lex.incidental_names | lex.process_nouns):
            return False
        return not any(doc[k].tag_ in {"JJ", "JJR", "JJS"} for k in range(rng[0], rng[1] - 1))

    def _strip_generic(self, rng: TokenRange) -> TokenRange:
        """Drop leading generic and duration adjectives ("distinct", "main", "long") from a name.

        Keeps at least one word, and keeps a word joined to the next by a hyphen ("long-context").
        """
        start, end = rng
        doc, lex = self.doc, self.lex
        while start < end - 1 and (doc[start].lower_ in lex.generic_name_modifiers or (
                doc[start].lower_ in lex.duration_words and doc[start + 1].text not in {"-", "–"}
                and doc[start + 1].tag_ != "HYPH")):
            start += 1
        if end - start == 1 and self.doc[start].lower_ in self.lex.generic_name_modifiers:
            return start, start
        return strip_range(self.doc, (start, end))

    def _conj_partner(self, noun: Token, sent: Span) -> TokenRange | None:
        """A conjunct noun phrase before the phase noun that shares it ("a supervised learning and a RL phase")."""
        doc = self.doc
        for other in noun.conjuncts:
            if other.i < noun.i and sent.start <= other.i and other.pos_ in {"NOUN", "PROPN"} \
                    and not is_phase_noun(other, self.lex) and noun.i - other.i <= 8:
                between = [doc[k].lower_ for k in range(other.i + 1, noun.i)]
                if "and" not in between and "or" not in between:
                    continue
                rng = noun_phrase(other, sent, with_of=False)
                left = other.left_edge.i
                before = doc[left - 1] if left - 1 >= sent.start else None
                if before is not None and before.tag_ == "IN" and before.lower_ not in {"of"}:
                    continue  # "data with fixed schedules and an online stage": inside a PP
                if any(is_phase_noun(doc[k], self.lex) for k in range(other.i + 1, noun.i)):
                    continue
                if rng[0] < rng[1] and rng[1] <= noun.i:
                    return self._strip_generic(rng)
        return None

    def _paren_name(self, noun: Token, sent: Span) -> TokenRange | None:
        """ "a second phase of pretraining (domain-adaptive pretraining)": a short name in parentheses."""
        doc = self.doc
        j = noun.i + 1
        limit = min(sent.end, noun.i + 6)
        while j < limit and doc[j].text != "(":
            if doc[j].tag_.startswith("VB") and doc[j].tag_ != "VBG" or doc[j].text in {",", ";", ":"}:
                return None
            j += 1
        if j >= limit:
            return None
        k = j + 1
        while k < sent.end and doc[k].text != ")" and k - j <= 6:
            k += 1
        if k >= sent.end or doc[k].text != ")":
            return None
        inner = strip_range(self.doc, (j + 1, k), frozenset({"i.e.", "e.g.", "the", "a", "an", "i.e", "e.g"}))
        if inner[0] >= inner[1] or any(doc[t].like_num or doc[t].tag_.startswith("VB") and doc[t].tag_ != "VBG"
                                       for t in range(*inner)):
            return None
        if any(is_phase_noun(doc[t], self.lex) for t in range(*inner)):
            return None  # its own mention
        return inner

    # -- cycles ----------------------------------------------------------------------------------------
    def _cycle(self, noun: Token, sent: Span, si: int) -> Mention | None:
        """ "a cycle of interaction and reflection": the "of" object and its conjuncts are the phases."""
        doc = self.doc
        for child in noun.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if not objs:
                    break
                heads = [objs[0]] + [c for c in objs[0].conjuncts if c.i > objs[0].i]
                if len(heads) < 2:
                    break
                names = []
                for h in heads:
                    rng = noun_phrase(h, sent, with_of=False)
                    names.append(strip_range(doc, rng))
                return Mention(si, "cycle", noun.i, "phase", count=len(names), names=names,
                               subject=None, ordered=True)
        region = _enumeration_region(doc, noun, sent)
        if region is not None:
            items = _split_items(doc, region, self.lex, None)
            if len(items) >= 2:
                return Mention(si, "cycle", noun.i, "phase", count=len(items), names=names_of(items), ordered=True,
                               enumerated=True)
        return None

    # -- "A followed by B" ---------------------------------------------------------------------------------
    def _followed_by(self, sent: Span, si: int) -> Mention | None:
        """ "large-scale pre-training followed by task-specific fine-tuning": two activities in sequence.

        Both sides must name activities (nouns ending in -ing/-tion/-ment/..., or acronyms such as SFT),
        so rankings ("the largest, followed by Model") and lists of things are left alone.
        """
        doc = self.doc
        for tok in sent:
            if not any(tok.i + len(p) < sent.end and all(doc[tok.i + k].lower_ == w for k, w in enumerate(p))
                       for p in self.lex.sequence_phrases):
                continue
            left = tok.i - 1
            if left >= sent.start and doc[left].text == ",":
                left -= 1
            if left < sent.start or doc[left].tag_ not in {"NN", "NNS", "NNP", "NNPS", "VBG"}:
                continue
            (a_start, _), _stop = prenominal_modifiers(doc, left, sent.start)
            first = strip_range(doc, (a_start, left + 1), frozenset({"the", "a", "an"}))
            j = tok.i + 2
            while j < sent.end and (doc[j].tag_ in {"DT", "JJ", "JJR", "NN", "NNS", "NNP", "NNPS", "HYPH", "VBG"}
                                    or doc[j].tag_ == "VBN" and j + 1 < sent.end and doc[j + 1].tag_ in {"NN", "VBG", "JJ"}):
                j += 1  # "supervised fine-tuning": a participle only before the activity noun
            second = strip_range(doc, (tok.i + 2, j), frozenset({"the", "a", "an"}))
            if first[0] >= first[1] or second[0] >= second[1]:
                continue
            if not (self._is_activity(doc[first[1] - 1]) and self._is_activity(doc[second[1] - 1])):
                continue
            return Mention(si, "sequence", tok.i, "stage", count=2, names=[first, second], enumerated=True)
        return None

    def _is_activity(self, tok: Token) -> bool:
        """A noun naming an activity ("fine-tuning", "distillation", "alignment") or an acronym ("SFT", "RL")."""
        if tok.is_upper and len(tok.text) >= 2 and tok.text.isalpha():
            return True
        return tok.lower_.endswith(("ing", "tion", "sion", "ment", "ance", "ence", "sis")) and len(tok.text) > 4

    # -- "an X phase, before eventually doing Y" -----------------------------------------------------------
    def _relative_order(self, sent: Span, si: int, mentions: list[Mention]) -> Mention | None:
        """One named phase ordered against one more activity or a boundary event: two phases in sequence.

        "fit the labels during an early-learning phase, before eventually memorizing the noise" and "after
        pruning the network, it enters a recovery phase" (a gerund clause on the verb that governs the
        phase), or "the ordered phase following the transition" (a boundary event right after the phase
        noun) claim a second phase on the other side. The second phase stays unnamed (the gerund
        describes it, it does not name it) until a later sentence names it. Only a sentence whose single
        mention is a proper named phase qualifies; time references ("the inference phase") do not.
        """
        doc, lex = self.doc, self.lex
        if len(mentions) != 1:
            return None
        m = mentions[0]
        if m.kind != "named" or not m.names or m.weak or m.anaphoric:
            return None
        noun = doc[m.anchor]
        governor = _governing_verb(noun)
        for tok in sent:
            if tok.lower_ not in lex.order_connectives or tok.i == noun.i:
                continue
            if 0 < tok.i - noun.i <= 2 and self._boundary_after(tok, sent):
                return Mention(si, "sequence", tok.i, m.noun, count=2, subject=m.subject)
            if governor is None or tok.head.i != governor.i or governor.lemma_.lower() in lex.reporting_verbs:
                continue  # "after reviewing X, we propose a Y phase": the paper's narrative, not the process
            gerund = next((c for c in tok.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None)
            if gerund is None or gerund.lemma_.lower() in lex.reporting_verbs | {"be", "have", "do"}:
                continue
            return Mention(si, "sequence", tok.i, m.noun, count=2, subject=m.subject)
        return None

    def _boundary_after(self, tok: Token, sent: Span) -> bool:
        """Whether a short noun phrase headed by a boundary noun ("a first-order phase transition") follows ``tok``."""
        doc = self.doc
        head = None
        j = tok.i + 1
        while j < sent.end and j - tok.i <= 7 and (doc[j].tag_ in {"DT", "JJ", "NN", "NNS", "HYPH", "CD", "VBN"}):
            if doc[j].tag_.startswith("NN"):
                head = doc[j]
            j += 1
        return head is not None and head.lower_ in self.lex.boundary_nouns

    # -- first ... then ... within a sentence -----------------------------------------------------------
    def _in_sentence_sequence(self, sent: Span, si: int) -> Mention | None:
        """ "X first does A and then does B": two or more steps of one process in one sentence."""
        doc, lex = self.doc, self.lex
        first = None
        for tok in sent:
            if tok.lower_ in {"first", "firstly"} and tok.dep_ in {"advmod", "npadvmod"} and tok.i > sent.start \
                    and doc[tok.i - 1].text not in {"."}:
                nxt = doc[tok.i + 1] if tok.i + 1 < sent.end else None
                if nxt is not None and nxt.text == ",":
                    continue  # "First, ..." is a sentence-level marker, handled across sentences
                first = tok
                break
        if first is None:
            return None
        thens = [t for t in sent if t.i > first.i and t.lower_ in {"then", "subsequently", "afterwards", "finally",
                                                                    "later", "next"}
                 and t.dep_ in {"advmod", "npadvmod", "amod"}]
        if not thens:
            return None
        bounds = [first.i + 1] + [t.i for t in thens] + [sent.end]
        items: list[TokenRange] = []
        for k in range(len(bounds) - 1):
            start, end = bounds[k], bounds[k + 1]
            if k + 1 < len(bounds) - 1:
                # drop the connector before "then": ", and then"
                while end > start and doc[end - 1].lower_ in {"and", ",", "or"}:
                    end -= 1
            if k > 0:
                start += 1
            items.append((start, end))
        items = [r for r in items if r[0] < r[1]]
        if len(items) < 2:
            return None
        verb = first.head if first.head.pos_ in {"VERB", "AUX"} else next(
            (doc[i] for i in range(*items[0]) if doc[i].pos_ == "VERB"), None)
        if verb is not None and verb.lemma_.lower() in lex.reporting_verbs:
            subj = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if not subj or subj[0].lower_ in {"we", "i", "paper", "work", "study", "they", "authors"}:
                return None
        subject = None
        head = first.head
        subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subjects and subjects[0].pos_ in {"NOUN", "PROPN"}:
            subject = noun_phrase(subjects[0], sent)
        elif head.dep_ in {"relcl", "acl"}:
            subject = noun_phrase(head.head, sent)
        # the steps share the sentence's subject, so only gerunds ("by first learning ..., then training ...") name them
        named = [item_name(doc, item, lex) for item in items]
        names = names_of([n if n is not None and doc[n[0]].tag_ not in {"VB", "VBP", "VBZ", "VBD"} else None
                          for n in named])
        return Mention(si, "sequence", first.i, "step", count=len(items), names=names, subject=subject,
                       enumerated=True)
