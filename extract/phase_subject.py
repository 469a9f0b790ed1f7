"""The subject of a phase structure: a short noun phrase for what has the phases.

The subject labels the PhaseStructure node in the graph and answers the README
query "what has phases?", so it must name the process, system or behaviour
("training", "our model", "learning LLMs", "multi-concept generation
process"), never a verb, a reporting noun ("Analysis reveals ... phases") or
nothing. It is read from the dependency parse around the structure's *anchor*:
the phase noun (or sequence word) of the claim that started the structure.
Rules, in order; the first that gives a specific phrase wins. A bare generic
phrase ("framework", "the problem", "our approach") found by any rule is
resolved by rule 8 on the spot, and kept as a fallback when that fails:

1. **Owner head**: the noun the phase word modifies or belongs to ("a
   two-stage *training process*" -> "training process"; "a two-phase paradigm
   *of X*" -> "X"; "a two-phase phenomenon *in the learning of MLPs*" ->
   "learning of MLPs"; "an *approach* with two phases").
2. **Owner modifier**: a process word before a plural phase noun, joined to the
   noun's "of" object when there is one ("four *learning* phases" ->
   "learning"; "the training stages *of PLATO-2*" -> "training of PLATO-2";
   "Machine Learning Life Cycle (MLLC) phases").
3. **Complement of the phase noun**: its "of" object or a "for"/"of" gerund
   ("three stages of *learning LLMs*", "each phase of *RLHF*", "four stages for
   *teaching algorithmic reasoning*"); a lifecycle is its own subject ("the
   lifecycle of the PF"), a cycle "of A and B" is not (A and B are its phases).
4. **Process modifier**: "during/throughout/in/across X" on the phase noun, on
   a participle after it ("stages *involved in* X") or on the verb that governs
   it, X a process word ("phases *during learning*" -> "learning").
5. **Split object**: "decompose/split/divide *X* into phases" -> X; "we train
   *a bug detector* in two phases" -> the object of a process verb whose
   subject is "we".
6. **Verb subject**: the subject of the verb that governs the phase noun ("*X*
   consists of / proceeds in / is trained in / undergoes ... phases"),
   climbing clauses and relative clauses ("a paradigm *which* ...", "an
   approach, *consisting of* ..."); a root the tagger took for a noun
   ("Training *proceeds* in ...") still counts as the verb. "We" and pronouns
   refer to the paper's own system (rule 8). A reporting verb's subject is
   never the owner, but its "of" object or gerund object is ("Analysis *of
   training dynamics* reveals ...", "Tracking *embeddings* reveals ...").
7. **The assembler's subject**, chosen per mention while grouping.
8. **Generic phrases and self-reference resolved**: a bare generic noun with a
   definite or possessive determiner ("this problem", "the framework", "our
   approach") becomes the nearest earlier phrase with the same head and real
   modifiers ("the large-scale query-document retrieval problem"); a system
   noun ("our approach", "the framework"), a pronoun ("It consists of ...") or
   a sentence of the paper's own work ("we adopt a two-stage framework")
   becomes the paper's proposed system: the nearest name-like method the paper
   proposes (the methods span group, label PROPOSED), else the name a "we
   propose X" sentence just before gives, else for a pronoun the previous
   sentence's subject.
9. **Fallbacks**, never empty: the generic phrase held from the rules above
   ("two-stage framework", "our model"), the proposed name in the title, the
   phase noun's own phrase.

Leading determiners, adverbs and generic adjectives are dropped ("Typically
RLHF algorithms" -> "RLHF algorithms", "novel framework" -> "framework"); a
first word capitalised only because it starts the sentence is lower-cased
("Training proceeds" -> "training"). All subjects are verbatim text except rule
2's "X of Y".
"""

from __future__ import annotations

from typing import NamedTuple

from phasegraph.extract.paper import doc_text
from phasegraph.extract.phase_lexicon import PhaseLexicon
from phasegraph.extract.phase_text import noun_phrase, range_text
from spacy.tokens import Doc, Span, Token

METHODS_GROUP = "methods"
PROPOSED_LABEL = "PROPOSED"

_SELF = frozenset({"we", "i", "us"})
_PRONOUNS = frozenset({"it", "this", "they", "these", "those", "which", "that", "its", "them", "who"})
_REFERRING = frozenset({"our", "this", "these", "the", "its", "their", "such", "that", "those"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass"})
_PROCESS_PREPS = frozenset({"during", "throughout", "in", "across", "over", "within"})
_OWNER_VERBS = frozenset({"comprise", "consist", "include", "involve", "contain", "have", "feature", "follow",
                          "proceed", "operate", "work", "undergo", "go", "pass", "run"})
_PROPOSE_VERBS = frozenset({"propose", "introduce", "present", "develop", "design", "build", "call", "name"})
_CLIMB_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp", "prep"})
_INTRO_WORDS = frozenset({"proposed", "novel", "new", "simple", "innovative", "alternative", "unified"})
_MAX_WORDS = 8


class Phrase(NamedTuple):
    """A token range ``[start, end)`` of the doc and the index of its head token."""

    start: int
    end: int
    head: int


class SubjectFinder:
    """Finds the subjects of the structures of one doc (see the module docstring for the rule order)."""

    def __init__(self, doc: Doc, sents: list[Span], first_abstract: int, lex: PhaseLexicon) -> None:
        self.doc = doc
        self.sents = sents
        self.first_abstract = first_abstract
        self.lex = lex
        self._names: list[Span] | None = None

    # -- entry point -----------------------------------------------------------------------------------
    def subject(self, anchor: int | None, first_sent: int, held: tuple[int, int] | None) -> str:
        """The subject of a structure anchored at token ``anchor`` (None for a First/Then run) in sentence
        ``first_sent``; ``held`` is the range the assembler chose for the structure's mentions (rule 7)."""
        sent = self.sents[first_sent]
        tok = self.doc[anchor] if anchor is not None else None
        fallback: Phrase | None = None
        keep_det = False
        refers = False
        if tok is not None:
            for rule in (self._owner_head, self._owner_modifier, self._complement, self._process_modifier,
                         self._split_object):
                found = rule(tok, sent)
                if isinstance(found, str):
                    return found
                if found is None:
                    continue
                if not self._generic(found):
                    return self._text(found)
                resolved = self._resolve_generic(found, first_sent)
                if resolved:
                    return resolved
                fallback = fallback or found
        verb = self._governor(tok) if tok is not None else sent.root
        kind, phrase = self._verb_subject(verb, sent) if verb is not None else ("none", None)
        if kind == "ok" and phrase is not None:
            if not self._generic(phrase):
                return self._text(phrase)
            resolved = self._resolve_generic(phrase, first_sent)
            if resolved:
                return resolved
            if fallback is None:
                fallback, keep_det = phrase, self._determiner(phrase) in {"our", "this", "these"}
        elif kind in {"self", "pronoun"}:
            refers = True
            name = self._paper_system(first_sent, pronoun=kind == "pronoun")
            if name:
                return name
        if held is not None:
            phrase = self._phrase_of_range(held)
            if phrase is not None and self._usable(phrase):
                if not self._generic(phrase):
                    return self._text(phrase)
                fallback = fallback or phrase
        if refers or self._speaks_of_own_work(sent):
            name = self._paper_system(first_sent, pronoun=False)
            if name:
                return name
        if fallback is not None:
            return self._text(fallback, keep_determiner=keep_det)
        name = self._title_name()
        if name:
            return name
        if tok is not None:
            return self._own_phrase(tok, sent)
        return self._text(Phrase(sent.root.i, sent.root.i + 1, sent.root.i))

    # -- rules 1-5 -------------------------------------------------------------------------------------
    def _owner_head(self, tok: Token, sent: Span) -> Phrase | str | None:
        """Rule 1: the noun the phase word modifies ("two-stage training process") or belongs to ("an
        approach with two phases"); that noun's "of"/"in"/"during" object when it has one."""
        doc = self.doc
        head = None
        if tok.dep_ in {"compound", "amod", "nmod"} and tok.head.i > tok.i and tok.head.pos_ in {"NOUN", "PROPN"} \
                and sent.start <= tok.head.i < sent.end:
            head = tok.head
        elif tok.i + 2 < sent.end and doc[tok.i + 1].tag_ == "HYPH" and doc[tok.i + 2].pos_ in {"NOUN", "PROPN"}:
            head = doc[tok.i + 2]  # "two-phase memorize-then-generalize framework", parsed loosely
            while head.dep_ in {"compound", "amod"} and head.i < head.head.i < sent.end \
                    and head.head.pos_ in {"NOUN", "PROPN"}:
                head = head.head
        elif tok.dep_ == "pobj" and tok.head.lower_ == "with" and tok.head.head.pos_ in {"NOUN", "PROPN"}:
            owner = tok.head.head  # "a continual learning approach with two distinct phases"
            lex = self.lex
            owners = lex.subject_generic_nouns | lex.process_nouns | lex.process_words
            if sent.start <= owner.i < tok.i and (owner.lower_ in owners or owner.lemma_.lower() in owners):
                return self._np(owner, sent, with_of=False)
        if head is None or head.lower_ in self.lex.phase_nouns:
            return None
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in {"of", "in", "during"}:
                obj = self._prep_object(child, sent)
                if obj is not None and self._usable(obj):
                    return obj
        start = tok.i + 1
        while start < head.i and (doc[start].tag_ == "HYPH" or doc[start].is_punct):
            start += 1
        phrase = Phrase(start, head.i + 1, head.i)
        if not self._usable(phrase):
            return None
        if self._generic(phrase):  # "a two-stage framework": keep the count, the phrase's only content
            first = tok.i
            while first - 1 >= sent.start and (doc[first - 1].tag_ == "HYPH" or doc[first - 1].lower_ in
                                               self.lex.number_words or doc[first - 1].lower_ in {"multi", "dual"}):
                first -= 1
            return Phrase(first, head.i + 1, head.i)
        return phrase

    def _owner_modifier(self, tok: Token, sent: Span) -> Phrase | str | None:
        """Rule 2: a process word before a plural phase noun ("learning phases", "ML lifecycle phases")."""
        doc, lex = self.doc, self.lex
        if tok.tag_ not in {"NNS", "NNPS"}:
            return None
        j = tok.i - 1
        if j > sent.start and doc[j].text == ")":  # "Life Cycle (MLLC) phases"
            while j > sent.start and doc[j].text != "(" and tok.i - j <= 5:
                j -= 1
            j -= 1
        if j < sent.start or not doc[j].tag_.startswith("NN") or doc[j].lower_ in lex.phase_nouns:
            return None
        start = j
        while start - 1 >= sent.start and doc[start - 1].tag_ in {"NN", "NNP", "NNPS"} and start > j - 4:
            start -= 1
        before = doc[start - 1] if start - 1 >= sent.start else None
        if before is not None and (before.tag_ in {"HYPH", "CC"} or before.text in {",", "-", "/"}):
            return None  # "alignment and interaction phases", "mid-training phases": names, not the owner
        words = lex.process_nouns | lex.process_words
        last = doc[j].lower_
        last_two = f"{doc[j - 1].lower_} {last}" if j - 1 >= start else ""
        if last not in words and doc[j].lemma_.lower() not in words and last_two not in words:
            return None
        owner = Phrase(start, j + 1, j)
        of = self._of_object(tok, sent)
        if of is not None and self._usable(of) and not self._generic(of):
            return f"{self._text(owner)} of {self._text(of)}"
        return self._text(owner)

    def _complement(self, tok: Token, sent: Span) -> Phrase | str | None:
        """Rule 3: the phase noun's "of" object or "for" gerund ("stages of learning LLMs", "phases of RLHF")."""
        lex = self.lex
        if tok.lower_ in lex.cycle_nouns:
            objs = [c for p in tok.rights if p.dep_ == "prep" and p.lower_ == "of" for c in p.children
                    if c.dep_ == "pobj"]
            if objs and not objs[0].conjuncts and "life" in tok.lower_:
                return self._np(tok, sent)  # "the lifecycle of the PF": the lifecycle has the phases
            return None  # "a cycle of interaction and reflection": those are the phases
        found = self._of_object(tok, sent)
        if found is not None and self._usable(found):
            return found
        verb = self._governor(tok)
        for owner in [tok] + ([verb] if verb is not None else []):
            for child in owner.rights:
                if child.dep_ == "prep" and child.lower_ == "for" and child.i > tok.i:
                    gerunds = [c for c in child.children if c.dep_ == "pcomp" and c.tag_ == "VBG"]
                    if gerunds:  # "four stages for successfully teaching algorithmic reasoning"
                        return self._np(gerunds[0], sent)
        return None

    def _of_object(self, tok: Token, sent: Span) -> Phrase | None:
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                return self._prep_object(child, sent)
        return None

    def _process_modifier(self, tok: Token, sent: Span) -> Phrase | str | None:
        """Rule 4: "during/throughout/in X" on the phase noun, a participle after it, or its governing verb."""
        owners = [tok] + [c for c in tok.children if c.dep_ == "acl" and c.i > tok.i]
        verb = self._governor(tok)
        if verb is not None:
            owners.append(verb)
        words = self.lex.process_words | self.lex.process_nouns
        for owner in owners:
            for child in owner.children:
                if child.dep_ != "prep" or child.lower_ not in _PROCESS_PREPS:
                    continue
                obj = self._prep_object(child, sent)
                if obj is None or obj.start <= tok.i < obj.end:
                    continue
                head = self.doc[obj.head]
                if head.lower_ in words or head.lemma_.lower() in words:
                    return obj
        return None

    def _split_object(self, tok: Token, sent: Span) -> Phrase | str | None:
        """Rule 5: "decompose X into phases" -> X; "we train a bug detector in two phases" -> the detector."""
        lex = self.lex
        prep = tok.head if tok.dep_ == "pobj" else None
        if prep is None or prep.lower_ not in {"into", "in"}:
            return None
        verb = prep.head
        obj: Token | None = None
        if verb.lemma_.lower() not in lex.split_verbs and verb.head.lemma_.lower() in lex.split_verbs \
                and verb.dep_ in {"acl", "dobj", "xcomp", "ccomp"} and verb.i > verb.head.i:
            obj, verb = verb, verb.head  # "decomposes reasoning into": the object parsed as a participle
        if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_.lower() not in lex.split_verbs:
            return None
        if obj is None:
            objs = [c for c in verb.children if c.dep_ in {"dobj", "obj"} and c.i != tok.i]
            if not objs or objs[0].pos_ not in {"NOUN", "PROPN"}:
                return None
            obj = objs[0]
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
        by_us = (not subjects and verb.dep_ in {"xcomp", "advcl", "conj", "relcl", "acl"}) or (
            bool(subjects) and subjects[0].lower_ in _SELF)
        if prep.lower_ == "in" and not by_us:
            return None
        phrase = self._np(obj, sent)
        return phrase if self._usable(phrase) else None

    # -- rule 6 ------------------------------------------------------------------------------------------
    def _governor(self, tok: Token) -> Token | None:
        """The verb that governs the anchor: through its preposition, as its object, or up a few heads."""
        cur = tok
        for _ in range(8):
            nxt = cur.head
            if nxt is cur:
                return cur if cur is not tok else None
            if nxt.pos_ in {"VERB", "AUX"} or self._mistagged_verb(nxt):
                return nxt
            cur = nxt
        return None

    def _mistagged_verb(self, tok: Token) -> bool:
        """A root the small model tags as a noun although it is a verb ("Training *proceeds* in three phases")."""
        if tok.dep_ != "ROOT" or tok.pos_ not in {"NOUN", "PROPN"}:
            return False
        low = tok.lower_
        stems = {low, low[:-1], low[:-2]} if low.endswith("s") else {low}
        return bool(stems & self.lex.split_verbs)

    def _verb_subject(self, verb: Token, sent: Span) -> tuple[str, Phrase | None]:
        """(kind, phrase) for the subject of ``verb``: kind "ok" (a phrase), "self" ("we"), "pronoun" or "none"."""
        lex = self.lex
        subjects: list[Token] = []
        for _ in range(5):
            subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
            if subjects:
                break
            if self._mistagged_verb(verb):
                lefts = [c for c in verb.lefts if c.dep_ in {"compound", "nmod", "amod"}]
                if lefts:
                    return "ok", self._trim(Phrase(lefts[0].left_edge.i, verb.i, lefts[-1].i))
            if verb.dep_ in {"relcl", "acl"} and verb.head.pos_ in {"NOUN", "PROPN"} \
                    and (verb.dep_ == "relcl" or verb.lemma_.lower() in _OWNER_VERBS):
                return "ok", self._np(verb.head, sent)  # "a paradigm which ...", "an approach, consisting of"
            if verb.dep_ in _CLIMB_DEPS and verb.head is not verb:
                verb = verb.head
                continue
            return "none", None
        if not subjects:
            return "none", None
        subj = subjects[0]
        if verb.lemma_.lower() in lex.reporting_verbs and (
                subj.lower_ in _SELF or subj.tag_ == "VBG" or subj.lemma_.lower() in lex.subject_stop_nouns):
            return self._reported(subj, verb, sent)
        low = subj.lower_
        if low in _SELF:
            return self._self_kind(verb), None
        if low in {"which", "that", "who"} and verb.dep_ == "relcl":
            owner = verb.head
            if owner.dep_ == "appos" and _name_like(owner.head.text):
                return "ok", Phrase(owner.head.i, owner.head.i + 1, owner.head.i)  # "STEP, a recipe that ..."
            return "ok", self._np(owner, sent)
        if low in _PRONOUNS or subj.pos_ in {"PRON", "DET", "NUM"}:
            return "pronoun", None
        phrase = self._np(subj, sent)
        if not self._usable(phrase):
            return "none", None
        return "ok", phrase

    def _self_kind(self, verb: Token) -> str:
        """ "pronoun" when "we" act on a pronoun ("We explore it in two steps"), else "self"."""
        objs = [c for c in verb.children if c.dep_ in {"dobj", "obj"}]
        return "pronoun" if objs and objs[0].lower_ in {"it", "this", "them"} else "self"

    def _reported(self, subj: Token, verb: Token, sent: Span) -> tuple[str, Phrase | None]:
        """The subject of a reporting verb: "we", or what an analysis or a gerund looks at, else nothing."""
        if subj.lower_ in _SELF:
            return self._self_kind(verb), None
        if subj.tag_ == "VBG":  # "Tracking intermediate embeddings ... reveals three phases"
            objs = [c for c in subj.children if c.dep_ in {"dobj", "obj"}]
            if objs:
                phrase = self._np(objs[0], sent, with_of=False)
                if self._usable(phrase):
                    return "ok", phrase
        obj = self._of_object(subj, sent)  # "Analysis of training dynamics reveals ..."
        if obj is not None and self._usable(obj):
            return "ok", obj
        return "none", None

    # -- rule 8: generic phrases and the paper's own system ---------------------------------------------
    def _resolve_generic(self, phrase: Phrase, si: int) -> str | None:
        """A bare generic phrase with a referring determiner made specific: the nearest earlier phrase with
        the same head and real modifiers, else (for a system noun) the paper's proposed system."""
        det = self._determiner(phrase)
        if det not in _REFERRING:
            return None
        head = self.doc[phrase.head]
        lemma = head.lemma_.lower()
        if lemma in self.lex.subject_generic_nouns or head.lower_ in self.lex.subject_generic_nouns:
            name = self._paper_system(si, pronoun=False)  # "our approach", "the framework"
            if name:
                return name
        lower_bound = self.sents[max(self.first_abstract, si - 2)].start
        for k in range(phrase.start - 1, lower_bound - 1, -1):
            other = self.doc[k]
            if other.lemma_.lower() != lemma or not other.pos_ in {"NOUN", "PROPN"}:
                continue
            candidate = self._np(other, other.sent, with_of=False)
            if self._usable(candidate) and not self._generic(candidate):
                return self._text(candidate)  # "this problem" -> "the large-scale retrieval problem"
        return None

    def _determiner(self, phrase: Phrase) -> str | None:
        head = self.doc[phrase.head]
        dets = [c.lower_ for c in head.lefts if c.dep_ in {"det", "poss"}]
        return dets[0] if dets else None

    def _speaks_of_own_work(self, sent: Span) -> bool:
        """Whether the sentence speaks of the paper's own work ("we", "our", "it" as a subject)."""
        return any(t.lower_ in {"we", "our"} or (t.lower_ == "it" and t.dep_ in _SUBJECT_DEPS) for t in sent)

    def _proposed_names(self) -> list[Span]:
        """Name-like methods the paper proposes ("Neuro2Semantic", "CoMD"; no spaces), in text order."""
        if self._names is None:
            group = self.doc.spans.get(METHODS_GROUP, [])
            newline = doc_text(self.doc).find("\n")
            self._names = sorted((s for s in group if s.label_ == PROPOSED_LABEL and (
                _name_like(s.text) or (s.start_char > newline and _title_case(s.text)))), key=lambda s: s.start)
        return self._names

    def _paper_system(self, si: int, pronoun: bool) -> str | None:
        """The paper's system sentence ``si`` refers to: the nearest proposed name up to its end, else the
        name a "we propose X" sentence of the two before gives, else the title's name, else (for a pronoun)
        the previous sentence's subject."""
        sent = self.sents[si]
        abstract_start = self.sents[self.first_abstract].start if self.first_abstract < len(self.sents) else 0
        before = [s for s in self._proposed_names() if s.end <= sent.end]
        in_abstract = [s for s in before if s.start >= abstract_start]
        if in_abstract:
            return in_abstract[-1].text
        proposals = [self._proposal_object(self.sents[k]) for k in (si, si - 1, si - 2) if k >= self.first_abstract]
        found = [p for p in proposals if p]
        named = [p for p in found if _name_like(p)]
        if named:
            return named[0]
        if before:
            return before[-1].text
        if found:
            return found[0]
        if pronoun and si - 1 >= self.first_abstract:
            return self._previous_referent(self.sents[si - 1])
        return None

    def _previous_referent(self, prev: Span) -> str | None:
        """What a pronoun refers to in the sentence before: its subject, its object, or a name it defines."""
        kind, phrase = self._verb_subject(prev.root, prev)
        if kind == "ok" and phrase is not None and self.doc[phrase.head].pos_ in {"NOUN", "PROPN"} \
                and not self._generic(phrase):
            return self._text(phrase)
        objs = [c for c in prev.root.children if c.dep_ in {"dobj", "obj"} and c.pos_ in {"NOUN", "PROPN"}]
        if objs:
            phrase = self._np(objs[0], prev, with_of=False)
            if self._usable(phrase) and not self._generic(phrase):
                return self._name_text(phrase)
        return self._name_text(Phrase(prev.start, prev.end, prev.root.i)) if self._defined_name(prev) else None

    def _defined_name(self, sent: Span) -> bool:
        """Whether the sentence defines a short name in parentheses ("Who's Harry Potter (WHP)")."""
        doc = self.doc
        return any(doc[k].text == "(" and doc[k + 2].text == ")" and _name_like(doc[k + 1].text)
                   for k in range(sent.start, sent.end - 2))

    def _proposal_object(self, sent: Span) -> str | None:
        """The name a "we propose/introduce X" sentence gives: an appositive name, "called X", or X itself."""
        for tok in sent:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in _PROPOSE_VERBS:
                continue
            subjects = [c.lower_ for c in tok.children if c.dep_ in _SUBJECT_DEPS]
            if subjects and subjects[0] not in _SELF:
                continue
            objs = [c for c in tok.children if c.dep_ in {"dobj", "obj"}]
            if not objs:
                continue
            obj = objs[0]
            for child in obj.rights:
                if child.dep_ == "appos" and child.text[:1].isupper():
                    return self._name_text(self._np(child, sent, with_of=False))
                if child.dep_ == "acl" and child.lower_ in {"called", "named", "dubbed", "termed"}:
                    named = [c for c in child.children if c.dep_ in {"oprd", "dobj", "attr", "npadvmod"}]
                    if named:
                        return self._name_text(self._np(named[0], sent, with_of=False))
            phrase = self._np(obj, sent, with_of=False)
            if self._usable(phrase) and not self._generic(phrase):
                return self._name_text(phrase)
        return None

    def _name_text(self, phrase: Phrase) -> str:
        """A name's short form when the phrase defines one ("Deeply Understanding the Problems (DUP)" -> "DUP")."""
        doc = self.doc
        for k in range(phrase.start, phrase.end - 2):
            if doc[k].text == "(" and doc[k + 2].text == ")" and _name_like(doc[k + 1].text):
                return doc[k + 1].text
        return self._text(phrase)

    def _title_name(self) -> str | None:
        """The name of the paper's system in the title (a name-like proposed method there)."""
        newline = doc_text(self.doc).find("\n")
        for span in self._proposed_names():
            if span.start_char < newline:
                return span.text
        return None

    # -- phrases -----------------------------------------------------------------------------------------
    def _own_phrase(self, tok: Token, sent: Span) -> str:
        """The phase noun's own phrase ("two-stage framework", "three phases"), the last fallback."""
        phrase = noun_phrase(tok, sent, with_of=False)
        start, end, head = phrase[0], phrase[1], tok.i
        if tok.dep_ in {"compound", "amod", "nmod"} and tok.i < tok.head.i < sent.end:
            end, head = tok.head.i + 1, tok.head.i
        for k in range(tok.i - 1, max(sent.start, tok.i - 3) - 1, -1):
            if self.doc[k].lower_ in self.lex.number_words:
                start = min(start, k)
        return self._text(Phrase(min(start, tok.i), max(end, head + 1), head), trim=False)

    def _np(self, tok: Token, sent: Span, with_of: bool = True) -> Phrase:
        """A noun phrase for ``tok``: a gerund with its object ("learning LLMs"), else ``noun_phrase``."""
        if tok.tag_ == "VBG" and tok.pos_ == "VERB":  # the gerund and its object ("teaching arithmetic to LLMs")
            objs = [c for c in tok.children if c.dep_ in {"dobj", "obj", "acomp", "attr"} and c.i > tok.i]
            end = objs[0].right_edge.i + 1 if objs else tok.i + 1
            return self._trim(Phrase(tok.i, min(end, sent.end), tok.i))
        start, end = noun_phrase(tok, sent, with_of=with_of)
        return self._trim(Phrase(min(start, tok.i), max(end, tok.i + 1), tok.i))

    def _phrase_of_range(self, rng: tuple[int, int]) -> Phrase | None:
        """A phrase for a bare token range: its head is the token whose head lies outside the range."""
        if rng[0] >= rng[1]:
            return None
        heads = [k for k in range(*rng) if not rng[0] <= self.doc[k].head.i < rng[1] or self.doc[k].head.i == k]
        return self._trim(Phrase(rng[0], rng[1], heads[0] if heads else rng[1] - 1))

    def _prep_object(self, prep: Token, sent: Span) -> Phrase | None:
        objs = [c for c in prep.children if c.dep_ in {"pobj", "pcomp"}]
        if not objs or not (objs[0].pos_ in {"NOUN", "PROPN"} or objs[0].tag_ == "VBG"):
            return None
        return self._np(objs[0], sent)

    def _trim(self, phrase: Phrase) -> Phrase:
        """Drop leading determiners, numbers, lower-case adverbs and generic adjectives; cut long phrases."""
        doc, lex = self.doc, self.lex
        start, end, head = phrase
        while start < head:
            tok = doc[start]
            low = tok.lower_
            if tok.is_punct or tok.tag_ in {"DT", "PDT", "PRP$"} or (
                    tok.tag_ == "CD" and (low in lex.number_words or tok.text.isdigit())
                    and doc[start + 1].tag_ != "HYPH") or tok.tag_ == "RB" and (tok.text.islower() or tok.is_sent_start) and doc[start + 1].tag_ != "HYPH" or (low in lex.generic_name_modifiers or low in _INTRO_WORDS) and doc[start + 1].tag_ != "HYPH":
                start += 1
            else:
                break
        while end - 1 > head and doc[end - 1].is_punct and doc[end - 1].text != ")":
            end -= 1
        if end - start > _MAX_WORDS:
            of = next((k for k in range(head + 1, end) if doc[k].lower_ == "of"), None)
            if of is not None:
                end = of
            if end - start > _MAX_WORDS:
                start = max(start, head + 1 - _MAX_WORDS)
                end = min(end, start + _MAX_WORDS)
        return Phrase(start, end, head)

    def _usable(self, phrase: Phrase) -> bool:
        """A phrase that can name what has phases: a noun-like head that is no pronoun, phase word,
        reporting noun or stray letter."""
        if phrase.start >= phrase.end:
            return False
        head = self.doc[phrase.head]
        low, lemma = head.lower_, head.lemma_.lower()
        if head.pos_ in {"PRON", "DET", "NUM", "ADP"} or low in _PRONOUNS | _SELF or len(head.text) < 2:
            return False
        if not (head.pos_ in {"NOUN", "PROPN"} or head.tag_ == "VBG" or head.dep_ in _SUBJECT_DEPS):
            return False
        if low in self.lex.phase_nouns or low in self.lex.subject_stop_nouns:
            return False
        return head.pos_ not in {"NOUN", "PROPN"} or lemma not in self.lex.subject_stop_nouns

    def _generic(self, phrase: Phrase) -> bool:
        """A phrase that is only a generic noun ("framework", "our approach", "this problem")."""
        lex = self.lex
        head = self.doc[phrase.head]
        nouns = lex.subject_generic_nouns | lex.subject_vague_nouns
        if head.lemma_.lower() not in nouns and head.lower_ not in nouns:
            return False
        for k in range(phrase.start, phrase.end):
            tok = self.doc[k]
            low = tok.lower_
            if k == phrase.head or tok.is_punct or tok.tag_ in {"DT", "PRP$", "CD"}:
                continue
            if low in lex.generic_name_modifiers or low in lex.number_words or low in lex.phase_nouns \
                    or low in _INTRO_WORDS or low.startswith("multi"):
                continue
            return False
        return True

    def _text(self, phrase: Phrase, keep_determiner: bool = False, trim: bool = True) -> str:
        """The verbatim text of a phrase, its first word lower-cased when only its position capitalises it."""
        start = phrase.start
        if keep_determiner:
            dets = [c.i for c in self.doc[phrase.head].lefts if c.dep_ in {"det", "poss"}]
            start = min([start] + dets)
        elif trim:
            start = self._trim(phrase).start
        text = range_text(self.doc, (start, phrase.end))
        if text and self._capitalised_by_position(start, phrase.end):
            text = text[:1].lower() + text[1:]
        return text

    def _capitalised_by_position(self, start: int, end: int) -> bool:
        """Whether the first word is capitalised only because it starts the sentence ("Training proceeds",
        "Search engines"), not because it is a name ("Zamba", "Dyna-style", "Adaptive RR")."""
        doc = self.doc
        first = doc[start]
        word = first.text
        if not (word[:1].isupper() and word[1:].islower() and word.isalpha()):
            return False
        if not (first.is_sent_start or (start > 0 and doc[start - 1].text in {":", ";", ")"})):
            return False
        rest = []
        for k in range(start + 1, end):
            if doc[k].text == "(":
                break
            rest.append(doc[k])
        if any(any(c.isupper() for c in t.text) for t in rest):
            return False
        if first.tag_ in {"NNP", "NNPS"}:
            return bool(rest) and rest[0].text.isalpha() and rest[0].text.islower()
        return True


def _title_case(text: str) -> bool:
    """A multi-word name written in title case ("Iterative Forward Tuning"), at most five words."""
    words = text.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words if len(w) > 3)


def _name_like(text: str) -> bool:
    """A system name: one word with a capital letter ("Neuro2Semantic", "CoMD", "Uni-O4"), no spaces."""
    return " " not in text and len(text) >= 2 and any(c.isupper() for c in text) and text[:1].isalnum()
