"""Group the phase mentions of one doc into phase structures and turn them into records.

Mentions in one sentence form one claim. A claim joins an earlier structure
when it refers back to it (an anaphor such as "these two stages", an ordinal
such as "In the second stage", a phase already named, or a same-count claim in
the next sentence); otherwise a claim that asserts phases on its own starts a
new structure. Sentences that continue a numbered or ordinal sequence ("First,
... Second, ...") add items to the structure that announced them, and a stage
the next sentence places relative to a complete structure ("an intermediate X
stage") is inserted into it. Evidence is the contiguous run of sentences from
the first claim to the last adjacent one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from phasegraph.extract.normalise import phase_key
from phasegraph.extract.paper import doc_text
from phasegraph.extract.phase_lexicon import PhaseLexicon
from phasegraph.extract.phase_mentions import STRONG_KINDS, Mention, SentenceRules
from phasegraph.extract.phase_subject import SubjectFinder
from phasegraph.extract.phase_text import (
    TokenRange,
    is_marker_at,
    item_name,
    noun_phrase,
    range_lemmas,
    range_text,
)
from spacy.tokens import Doc, Span, Token


@dataclass
class Structure:
    """A phase structure being assembled: sentence range, count, named phases and subject.

    ``subject`` is the subject the mentions chose (used to group claims); ``anchor`` is the token of the
    claim that started the structure, from which extract/phase_subject.py reads the subject of the record.
    """

    first: int
    last: int
    count: int | None
    names: list[TokenRange] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    subject: TokenRange | None = None
    anchor: int | None = None
    ordered: bool = True
    ordinals: set[int] = field(default_factory=set)
    expecting: bool = False
    last_seen: int = -1
    nouns: set[str] = field(default_factory=set)

    def add_name(self, doc: Doc, rng: TokenRange) -> None:
        """Append a phase name unless one with the same key is already there."""
        key = phase_key(range_lemmas(doc, rng))
        if key and key not in self.keys:
            self.names.append(rng)
            self.keys.append(key)

    def open_slots(self) -> bool:
        """Whether the structure still lacks names for some of its phases."""
        return self.count is None or len(self.names) < self.count


@dataclass
class Claim:
    """The mentions of one sentence merged into one statement about phases."""

    sent: int
    mentions: list[Mention]

    @property
    def strong(self) -> bool:
        """Whether the sentence asserts phases on its own (not only by referring back to them)."""
        return any(m.kind in STRONG_KINDS and not m.anaphoric for m in self.mentions)

    @property
    def stated_count(self) -> int | None:
        """The number the text states ("two stages"), else None."""
        for m in self.mentions:
            if m.kind == "counted" and m.count:
                return m.count
        return None

    @property
    def count(self) -> int | None:
        """The stated number, else the length of a complete list ("alignment and interaction phases")."""
        stated = self.stated_count
        if stated is not None:
            return stated
        for m in self.mentions:
            if m.kind in {"coordinated", "cycle", "sequence"} and m.count:
                return m.count
        return None

    def names(self) -> list[TokenRange]:
        """The phase names in text order: an enumeration's items first, then other named phases."""
        enumerated = [m for m in self.mentions if m.enumerated and m.names]
        if enumerated:
            out = list(enumerated[0].names)
            for m in self.mentions:
                if m is not enumerated[0] and m.kind in {"named", "ordinal"}:
                    out.extend(n for n in m.names if not any(n[0] >= o[0] and n[1] <= o[1] for o in out))
            return out
        out = []
        for m in self.mentions:
            out.extend(m.names)
        return out

    @property
    def subject(self) -> TokenRange | None:
        """What has the phases, preferring the mention that asserts them."""
        for kinds in _SUBJECT_KINDS:
            for m in self.mentions:
                if m.kind in kinds and m.subject is not None:
                    return m.subject
        return None

    @property
    def anchor(self) -> int | None:
        """The token of the mention that asserts the phases (its phase noun or sequence word), else the first."""
        for kinds in _SUBJECT_KINDS:
            for m in self.mentions:
                if m.kind in kinds:
                    return m.anchor
        return self.mentions[0].anchor if self.mentions else None

    @property
    def ordered(self) -> bool:
        """False when a mention is of alternative regimes."""
        return all(m.ordered for m in self.mentions)


# Mention kinds in the order their subject (and anchor) speaks for a claim: asserting kinds first.
_SUBJECT_KINDS = ({"counted", "plural", "coordinated", "sequence", "cycle"}, {"named", "ordinal", "temporal", "anaphor"})


class Assembler:
    """Builds the structures of one doc from its sentences."""

    def __init__(self, doc: Doc, sents: list[Span], first_abstract: int, lex: PhaseLexicon) -> None:
        self.doc = doc
        self.sents = sents
        self.first_abstract = first_abstract
        self.lex = lex
        self.rules = SentenceRules(doc, lex)
        self.structures: list[Structure] = []
        self._pending_temporal: list[tuple[int, Mention]] = []
        self._pending_ordinal: list[tuple[int, Mention]] = []

    # -- sentence markers ------------------------------------------------------------------------------
    def marker(self, si: int) -> tuple[int | None, int, str]:
        """(value, token index after the marker, form) of a sequence marker in sentence ``si``.

        Values: an ordinal (1, 2, ...), 0 for "then/next/subsequently", -1 for "finally/lastly"; None
        when the sentence has no marker. Forms: "adverb" ("First, ..."), "list" ("(1) ..."), "noun"
        ("The second prompt ..."), "inner" ("We then ...").
        """
        doc, sent = self.doc, self.sents[si]
        i = sent.start
        while i < sent.end and (doc[i].lower_ in {"and", "(", '"'} or doc[i].is_space):
            i += 1
        if i >= sent.end:
            return None, sent.start, ""
        n = is_marker_at(doc, i, sent.end)
        if n:
            text = "".join(doc[k].text for k in range(i, i + n)).strip("()")
            value = int(text) if text.isdigit() else {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(text.lower(), 0)
            return value, i + n, "list"
        low = doc[i].lower_
        if low in self.lex.sequence_markers and low not in {"last", "next"} or (
                low == "next" and i + 1 < sent.end and doc[i + 1].text == ","):
            after = i + 1
            if after < sent.end and doc[after].text == ",":
                after += 1
            elif low in {"first", "second", "third", "then", "finally"} and not (
                    after < sent.end and doc[after].tag_ in {"DT", "PRP", "NNP", "NN", "JJ", "IN"}):
                return None, sent.start, ""
            return self.lex.sequence_markers[low], after, "adverb"
        if low == "the" and i + 1 < sent.end and doc[i + 1].lower_ in self.lex.ordinals:
            head = self._ordinal_head(i + 2, sent)
            if head is not None and head.lower_ not in self.lex.non_process_nouns:
                return self.lex.ordinals[doc[i + 1].lower_], i + 2, "noun"
            return None, sent.start, ""
        # "We then fine-tune ...": an adverb on the root verb
        root = sent.root
        for child in root.children:
            if child.dep_ == "advmod" and child.lower_ in {"then", "finally", "subsequently", "next", "first"} \
                    and child.i < root.i + 2:
                return self.lex.sequence_markers[child.lower_], sent.start, "inner"
        return None, sent.start, ""

    def _ordinal_head(self, i: int, sent: Span) -> Token | None:
        """The head noun of the phrase starting at ``i`` ("boosting prompt" -> "prompt"), or None."""
        head = None
        while i < sent.end and (self.doc[i].tag_ in {"NN", "NNS", "NNP", "NNPS", "JJ", "VBG", "HYPH"}
                                or self.doc[i].text in {'"', "-"}):
            if self.doc[i].tag_.startswith("NN") or self.doc[i].tag_ == "VBG":
                head = self.doc[i]
            i += 1
        return head

    def clause_item(self, si: int, after: int, form: str = "adverb") -> TokenRange | None:
        """A short name for the step a marked sentence describes: its verb phrase, or its subject phrase."""
        doc, sent = self.doc, self.sents[si]
        if form == "noun":
            head = self._ordinal_head(after, sent)
            if head is not None and not (head.i == after and head.lower_ in self.lex.phase_nouns):
                rng = (after, head.i + 1)
                if head.lower_ in self.lex.phase_nouns:
                    rng = (after, head.i)
                return rng if rng[0] < rng[1] else None
            return None
        root = sent.root
        if root.i < after:
            return None
        subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if subjects and subjects[0].i >= after and subjects[0].lower_ not in {"we", "it", "they", "this", "i"} \
                and root.lemma_.lower() in {"be"}:
            rng = noun_phrase(subjects[0], sent, with_of=False)
            return rng if rng[0] < rng[1] else None
        item = item_name(doc, (root.i, sent.end), self.lex)
        if item is None or doc[item[0]].tag_ in {"VB", "VBP", "VBZ", "VBD"}:
            return None  # a finite clause describes the step; it does not name it
        return item

    # -- main pass -------------------------------------------------------------------------------------
    def run(self, matched: set[int]) -> list[Structure]:
        """Assemble the structures of the doc; ``matched`` holds the sentences the Matcher flagged.

        Per sentence: continue an announced list, else join the structure the claim refers back to,
        else start a structure when the claim asserts phases on its own (or lists every phase of a
        definite count: "the three stages of X: A, B and C"), else keep a lone time
        reference or ordinal pending until a contrasting one arrives in the next sentence. Finally
        look for First/Then/Finally runs that no counted claim announced.
        """
        self._pending_temporal = []
        self._pending_ordinal = []
        for si in range(self.first_abstract, len(self.sents)):
            if si not in matched:
                continue
            mentions = self.rules.mentions(self.sents[si], si)
            if self._continue_sequence(si, mentions) or not mentions:
                continue
            mentions = self._extend_recent(si, mentions)
            if not mentions:
                continue
            claim = Claim(si, mentions)
            target = self._target(claim)
            if target is not None:
                self._merge(target, claim)
            elif claim.strong or self._listed_in_full(claim):
                self._new(claim)
            elif not self._temporal_claim(claim):
                self._ordinal_claim(claim)
        self._unanchored_sequences()
        return self.structures

    def _listed_in_full(self, claim: Claim) -> bool:
        """ "the three training stages of X: A, B and C": a definite count that refers back to nothing
        (no structure took it) but lists every phase asserts the phases itself."""
        return any(m.kind == "counted" and m.enumerated and m.count is not None and len(m.names) == m.count
                   for m in claim.mentions)

    def _extend_recent(self, si: int, mentions: list[Mention]) -> list[Mention]:
        """Add a positioned stage named in the next sentence to the complete structure before it.

        "developed through pre-training followed by fine-tuning. ... an intermediate mid-training stage":
        a named phase marked as lying between ("intermediate", "mid-"), before ("preliminary") or after
        ("additional", "subsequent") the phases of a complete ordered structure in the previous sentence
        is one more phase of that process; it is inserted at its position and the count grows by one.
        Returns the sentence's other mentions, which are assembled as usual.
        """
        if not self.structures:
            return mentions
        st = self.structures[-1]
        if si - st.last != 1 or not st.ordered or st.count is None or st.count < 2 or len(st.names) != st.count:
            return mentions
        for m in mentions:
            if m.kind != "named" or len(m.names) != 1 or m.weak or m.anaphoric:
                continue
            found = self._position(m.names[0])
            if found is None:
                continue
            position, name = found
            key = phase_key(range_lemmas(self.doc, name))
            if not key or key in st.keys:
                continue
            at = {"early": 0, "middle": len(st.names) - 1}.get(position, len(st.names))
            st.names.insert(at, name)
            st.keys.insert(at, key)
            st.count += 1
            st.last = st.last_seen = si
            return [other for other in mentions if other is not m]
        return mentions

    def _position(self, name: TokenRange) -> tuple[str, TokenRange] | None:
        """(position, name without the position word) when a phase name says where it lies, else None.

        The position word is the word before the name ("an *intermediate* X stage", "an *additional* X
        stage"), the name's first word ("*preliminary* X stage") or a prefix joined by a hyphen ("*mid*-X").
        """
        doc, positions = self.doc, self.lex.extension_positions
        start, end = name
        before = doc[start - 1] if start - 1 >= self.sents[0].start else None
        if before is not None and before.lower_ in positions:
            return positions[before.lower_], name
        first = doc[start].lower_
        if first in positions:
            if start + 1 < end and (doc[start + 1].tag_ == "HYPH" or doc[start + 1].text in {"-", "–"}):
                return positions[first], name  # "mid-training": the prefix is part of the name
            if end - start > 1:
                return positions[first], (start + 1, end)
        return None

    def _temporal_claim(self, claim: Claim) -> bool:
        """ "in early phases ... in the later phases": contrasted positions in time make a structure."""
        temporal = [m for m in claim.mentions if m.kind == "temporal"]
        if not temporal:
            return False
        si = claim.sent
        positions = {m.temporal for m in temporal}
        if len(positions) >= 2 or "multi" in positions:
            self._new(claim, count=sum(len(m.names) for m in temporal))
            return True
        prev = [(s, m) for s, m in self._pending_temporal if s >= si - 1 and m.temporal not in positions]
        if prev:
            s0, m0 = prev[0]
            st = self._new(Claim(s0, [m0]))
            self._merge(st, claim)
            st.count = len(st.names)
            self._pending_temporal = [(s, m) for s, m in self._pending_temporal if s != s0]
            return True
        self._pending_temporal.append((si, temporal[0]))
        return False

    def _ordinal_claim(self, claim: Claim) -> bool:
        """ "In the first stage ... In the second stage ...": two ordinals, or a named one, make a structure."""
        ordinals = [m for m in claim.mentions if m.kind == "ordinal"]
        if not ordinals:
            return False
        si = claim.sent
        values = {o.ordinal for o in ordinals}
        prev = [(s, m) for s, m in self._pending_ordinal if s >= si - 1 and m.ordinal not in values]
        if prev or len(values) >= 2 or any(o.names for o in ordinals):
            if prev:
                st = self._new(Claim(prev[0][0], [prev[0][1]]))
                self._merge(st, claim)
            else:
                self._new(claim)
            self._pending_ordinal = []
            return True
        self._pending_ordinal.append((si, ordinals[0]))
        return False

    def _target(self, claim: Claim) -> Structure | None:
        """The earlier structure this claim refers back to, if any."""
        if not self.structures:
            return None
        doc = self.doc
        recent = self.structures[-1]
        nouns = {m.noun for m in claim.mentions}
        if nouns <= _SEPARATE_NOUNS and not nouns & recent.nouns:
            return None  # "low and high data regimes" next to "two training stages": another kind of phase
        keys = {phase_key(range_lemmas(doc, n)) for n in claim.names()}
        labels = {k.split()[0] for k in keys if _is_label_key(k, self.lex)}
        heads = {k.rsplit(" ", 1)[-1] for k in keys}
        recent = self.structures[-1]
        gap = claim.sent - max(recent.last, recent.last_seen)
        stated = claim.stated_count
        for st in reversed(self.structures):
            if stated and st.count and stated != st.count:
                continue
            if keys & set(st.keys) or heads & {k for k in st.keys if " " not in k}:
                return st
            # "the supervised phase" after "a supervised learning and a reinforcement learning phase"
            if not stated and any(set(k.split()) < set(sk.split()) for k in keys for sk in st.keys):
                return st
            # "Phase B" after "Phase A": labels of one series
            if not stated and labels and labels & {k.split()[0] for k in st.keys if _is_label_key(k, self.lex)}:
                return st
        # an acronym the structure already spelled out: "the RL phase" after "... reinforcement learning (RL)"
        acronyms = {doc[i].text for n in claim.names() for i in range(*n) if doc[i].is_upper and len(doc[i].text) >= 2}
        if acronyms and not stated:
            for st in reversed(self.structures):
                text = {t.text for s in range(st.first, st.last + 1) for t in self.sents[s]}
                if acronyms <= text:
                    return st
        anaphoric_count = any(m.kind == "counted" and m.anaphoric for m in claim.mentions)
        if stated is not None:
            if anaphoric_count:
                for st in reversed(self.structures):
                    if st.count in {None, stated}:
                        return st
                return None
            if gap <= 1 and recent.count in {None, stated}:
                return recent
            subject = claim.subject
            if subject is not None:
                words = {doc[i].lower_ for i in range(*subject) if doc[i].pos_ == "PROPN" or doc[i].is_upper}
                for st in reversed(self.structures):
                    first = self.sents[st.first]
                    if st.count == stated and words & {t.lower_ for t in first}:
                        return st
            return None
        subject = claim.subject
        if subject is not None and {m.kind for m in claim.mentions} <= {"named", "plural", "anaphor"}:
            text = range_text(doc, subject).lower()
            for st in reversed(self.structures):
                if st.subject is not None and range_text(doc, st.subject).lower() == text:
                    return st
        if not claim.strong:
            kinds = {m.kind for m in claim.mentions}
            if kinds & {"anaphor", "ordinal"}:
                if "ordinal" in kinds and gap > 3:
                    return None
                return recent
            if gap <= 1 or (gap <= 2 and recent.count is not None and recent.open_slots()):
                return recent
            return None
        kinds = {m.kind for m in claim.mentions if not m.anaphoric}
        if kinds == {"named"} and len(claim.names()) == 1 and len(recent.names) == 1 and (
                recent.count is None or (recent.count == 2 and recent.ordered)):
            # a second named phase of the process whose first phase was named earlier (and whose second
            # phase, if announced, was left unnamed: "an X phase, before eventually doing Y")
            return recent
        if kinds <= {"named", "coordinated", "plural", "sequence"} and gap <= 1 and recent.open_slots() \
                and (recent.expecting or recent.count is None or len(recent.names) < (recent.count or 0)):
            if "coordinated" in kinds and recent.count and claim.count and recent.count != claim.count:
                return None
            return recent
        return None

    def _new(self, claim: Claim, count: int | None = None) -> Structure:
        st = Structure(first=claim.sent, last=claim.sent, count=count if count is not None else claim.count,
                       subject=claim.subject, anchor=claim.anchor, ordered=claim.ordered)
        for n in claim.names():
            st.add_name(self.doc, n)
        st.ordinals.update(m.ordinal for m in claim.mentions if m.ordinal is not None)
        stated = claim.stated_count
        own_marker = self.marker(claim.sent)[0] is not None
        st.expecting = not own_marker and any(m.kind == "counted" or m.announces for m in claim.mentions) and (
            stated is None or len(st.names) < stated)
        st.last_seen = claim.sent
        st.nouns = {m.noun for m in claim.mentions}
        self.structures.append(st)
        return st

    def _merge(self, st: Structure, claim: Claim) -> None:
        ordinal = any(m.kind == "ordinal" for m in claim.mentions)
        full = (st.count is not None and len(st.names) >= st.count) or (
            st.count is None and len(st.names) >= 2 and not ordinal)
        weak = all(m.weak for m in claim.mentions)
        names = claim.names()
        if weak:
            # "a long period": a duration, not a name
            names = [n for n in names if self.doc[n[1] - 1].lower_ not in self.lex.duration_words]
        for n in names:
            if full:
                break
            st.add_name(self.doc, n)
            if st.count is not None and len(st.names) >= st.count:
                break
        if st.count is None and claim.stated_count is not None:
            st.count = claim.stated_count
        if st.subject is None:
            st.subject = claim.subject
        if st.anchor is None:
            st.anchor = claim.anchor
        st.ordinals.update(m.ordinal for m in claim.mentions if m.ordinal is not None)
        if claim.sent <= st.last + 1:
            st.last = max(st.last, claim.sent)
        st.last_seen = max(st.last_seen, claim.sent)
        st.nouns |= {m.noun for m in claim.mentions}
        st.ordered = st.ordered and claim.ordered

    def _continue_sequence(self, si: int, mentions: list[Mention]) -> bool:
        """Add sentence ``si`` as the next item of a structure that announced a list ("in two steps. First, ...")."""
        if not self.structures:
            return False
        st = self.structures[-1]
        if not st.expecting or si - st.last > 2 or not st.open_slots():
            return False
        value, after, form = self.marker(si)
        if value is None or form == "inner":
            return False
        have = len(st.names)
        if not (value == have + 1 or (have >= 1 and value in {0, -1})):
            return False
        if si - st.last == 2 and value in {0}:
            return False
        names = [n for m in mentions for n in m.names if m.kind in {"named", "ordinal", "coordinated"}]
        if names:
            for n in names:
                st.add_name(self.doc, n)
        else:
            item = self.clause_item(si, after, form)
            if item is not None:
                st.add_name(self.doc, item)
        if value and value > 0:
            st.ordinals.add(value)
        st.last = si
        return True

    def _unanchored_sequences(self) -> None:
        """ "First, A does X. Then, B does Y. Finally, C does Z." describing one process, with no counted claim."""
        used = {s for st in self.structures for s in range(st.first, st.last + 1)}
        si = self.first_abstract
        n = len(self.sents)
        while si < n:
            value, after, form = self.marker(si)
            if value != 1 or si in used or form != "adverb":
                si += 1
                continue
            run = [(si, after)]
            k = si + 1
            while k < n and k not in used:
                v, a, f = self.marker(k)
                if v is None or v == 1 or f not in {"adverb"}:
                    break
                run.append((k, a))
                k += 1
                if v == -1:
                    break
            if len(run) >= 3 and self._process_run(run):
                items = [self.clause_item(s, a) for s, a in run]
                st = Structure(first=run[0][0], last=run[-1][0], count=len(run), ordered=True)
                for item in items:
                    if item is not None:
                        st.add_name(self.doc, item)
                self.structures.append(st)
                used.update(range(st.first, st.last + 1))
            si = k
        self.structures.sort(key=lambda s: s.first)

    def _process_run(self, run: list[tuple[int, int]]) -> bool:
        """Whether a First/Then/Finally run describes steps of a process rather than findings or contributions."""
        for s, _ in run:
            root = self.sents[s].root
            if root.lemma_.lower() in self.lex.reporting_verbs:
                return False
            subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subjects and subjects[0].lower_ in {"we", "i"} and root.lemma_.lower() not in {"use", "train", "apply",
                                                                                               "feed", "employ"}:
                return False
        first = run[0][0]
        if first - 1 >= self.first_abstract:
            prev = self.sents[first - 1]
            words = {t.lower_ for t in prev}
            if words & self.lex.non_process_nouns and any(t.text == ":" for t in prev):
                return False
            if not ({t.lemma_.lower() for t in prev} & self.lex.process_nouns):
                return False
        return True


# Phase nouns whose mentions join only structures that use the same noun (regimes are not stages).
_SEPARATE_NOUNS = frozenset({"regime", "period"})


def _is_label_key(key: str, lex: PhaseLexicon) -> bool:
    """A key such as "phase 1", "stage ii" or "phase b": a phase noun and a short label."""
    words = key.split()
    return len(words) == 2 and words[0] in lex.phase_nouns and len(words[1]) <= 3


def structure_record(doc: Doc, sents: list[Span], st: Structure, unordered_doc: bool,
                     subjects: SubjectFinder) -> dict[str, Any]:
    """The JSON record of one structure (the form phase_records returns).

    ``unordered_doc`` is true when the abstract describes coexisting phases (a phase diagram), which makes
    every structure unordered; ``subjects`` names what has the phases (see extract/phase_subject.py).
    """
    start = sents[st.first].start_char
    end = sents[st.last].end_char
    text = doc_text(doc)[start:end]
    end = start + len(text.rstrip())
    start += len(text) - len(text.lstrip())
    names = [range_text(doc, n) for n in st.names]
    keys = [phase_key(range_lemmas(doc, n)) for n in st.names]
    pairs = [(n, k) for n, k in zip(names, keys) if n and k]
    count = st.count
    if count is None and st.ordinals and min(st.ordinals) == 1 and len(st.ordinals) >= 2 \
            and max(st.ordinals) == len(st.ordinals):
        count = max(st.ordinals)
    return {
        "subject": subjects.subject(st.anchor, st.first, st.subject),
        "count": count,
        "phases": [n for n, _ in pairs],
        "phase_keys": [k for _, k in pairs],
        "ordered": bool(st.ordered and not unordered_doc),
        "evidence": doc_text(doc)[start:end],
        "start": start,
        "end": end,
    }
