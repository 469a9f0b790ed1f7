"""Methods and datasets: the shared finder behind both components, and the record converter.

How a name is found and typed (each step is a rule family, not a list of papers):

1. **Gazetteers** (``patterns/gazetteer_*.txt``): well-known models, algorithms, technique
   phrases and benchmarks. Names are matched case-sensitively; mixed-case or digit-bearing
   names ("ImageNet", "GSM8K") and technique phrases also match in any case. A model size
   after a name joins it ("Llama 2 7B"); modifiers before a technique phrase extend it
   ("video diffusion models").
2. **Technique phrases** (``patterns/methods_heads.txt``): a head noun such as "learning",
   "distillation" or "prompting" with the modifiers the parser attaches before it
   ("supervised contrastive learning"); evaluative words ("novel", "standard") are trimmed,
   and fields or settings with modifiers ("supervised continual learning") are dropped.
3. **Name-like words**: words with inner capitals or digits ("CoT", "GPT-4o", "bAbI",
   "Recipe1M"), hyphen-joined ("SR-STE"), and runs of capitalised words, which only cues type
   (a possessive may sit inside a run: "Montezuma's Revenge"; a language pair is cut out:
   "German-English"). A capitalised run glued to a name joins it ("Deformable DETR", "UCI
   Adult"). Editions of a benchmark or shared task keep their year and task number ("WMT'19",
   "BraTS 2021", "SemEval-2017 Task 4"). Full stops the tokenizer leaves on sentence-final names
   ("AdamW.") are split off first (``split_glued_periods``).
4. **Acronym definitions** (``doc.spans["acronyms"]``): the long form is the entity's name,
   the short form an alias; every later use of the short form is a mention of it.
5. **The title**: its prefix before a colon ("COPlanner: ...") names the proposed system, and
   a technique phrase opening it or its part after the colon ("Center Loss Regularization
   for ...") names a method. **Proposal cues** ("we introduce X, a ...", "our X") mark
   ``proposed``.
6. **Typing by context**: a following cue word ("the GAIA benchmark", "the SCHEMA model"),
   an appositive ("X, a benchmark for ..."), a cue introducing a list ("datasets such as A,
   B and C"), coordination with a typed name ("Minesweeper, Frozen Lake, and Sokoban"),
   comparison ("outperforms X"), benchmark-shaped names ("ProcBench", "TimeQA"), an appositive
   before a name ("our agent, EMC, ..."), a shared-task name with a year ("CoNLL-2012"), a task
   noun after a name-like word ("the AntMaze tasks"), a part of a dataset ("Montezuma's Revenge
   from the Arcade Learning Environment"). Guesses are weaker than any cue: a name after "on"
   in an evaluation sentence, or after an "on" attached to a training or evaluation word
   ("pre-train the backbone on Mapillary Vistas"), is a dataset; what is trained, or what it is
   trained with, is a method ("we train LRE with ...", "optimised with Sophia"); and an untyped
   mixed-case or versioned name ("AttnGAN", "PaLM-2L") is a model.
7. **Stoplist** (``patterns/entities_stoplist.txt``): fields, tasks, phenomena, metrics,
   generic model classes, organisations, venues, languages, days and months are never emitted.

The methods component runs the finder once per doc and leaves the dataset findings in
``doc.user_data`` for the datasets component, so the work is not done twice. Each
component writes a span group whose spans are the mentions (``kb_id_`` = entity key,
``label_`` = "PROPOSED" or "USED") and whose ``attrs["entities"]`` maps each key to
``{"name", "aliases", "proposed"}`` -- all of which survives ``Doc.to_bytes`` and
``nlp.pipe(n_process=...)``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phasegraph.extract.normalise import canonical_key
from phasegraph.extract.paper import doc_text
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans

from phasegraph.errors import InputError

PATTERNS_DIR = Path(__file__).resolve().parent / "patterns"
METHOD = "method"
DATASET = "dataset"
PROPOSED_LABEL = "PROPOSED"
USED_LABEL = "USED"
# Key in doc.user_data where the methods component leaves the dataset findings for the datasets component.
PENDING_KEY = "phasegraph_pending_entities"

# A word with inner capitals, or letters mixed with digits; hyphen/dot/slash-joined parts stay together.
_NAME_WORD = re.compile(
    r"(?<![\w\-/.~@#&\\])[A-Za-z0-9][A-Za-z0-9+]*(?:(?:-|(?<=\d)\.(?=\d)|(?<=\d)/(?=\d))[A-Za-z0-9+]+)*(?![\w/@])"
)
_NOT_NAME = re.compile(
    r"^(?:\d+(?:\.\d+)?[A-Za-z]{0,3}|[IVX]+|[A-Za-z]\d?|[A-Z]\d|\d+[A-Za-z]?-\w+|[A-Z][a-z]+|x[0-9a-fA-F]{4}"
    r"|[A-Za-z]+\d{4}[a-z]+)$"
)
# Lower-case last parts of a hyphenated word that are not part of the name ("LSTM-based", "BERT-style").
_NAME_SUFFIXES = frozenset({"based", "style", "like", "trained", "related", "generated", "aware", "free", "only", "specific",
                            "guided", "driven", "augmented", "level", "powered", "enhanced", "assisted", "centric",
                            "inspired", "type", "scale", "sized", "size", "compatible", "native", "tuned", "finetuned"})
# Lower-case parts that belong to a model name ("o1-preview", "GPT-4o-mini", "Qwen2.5-7B-instruct").
_VARIANT_WORDS = frozenset({"preview", "mini", "base", "large", "small", "medium", "tiny", "xl", "xxl", "instruct", "chat",
                            "turbo", "pro", "flash", "ultra", "max", "plus", "lite", "nano", "distill", "coder", "math",
                            "vision", "omni", "it", "hf", "v1", "v2", "v3"})
# Lower-case first parts that make a hyphenated word not a name ("pre-LLM", "non-transformer").
_NAME_PREFIXES = frozenset({"pre", "post", "non", "no", "anti", "sub", "semi", "multi", "over", "under", "mid", "re"})
_DATASET_SHAPE = re.compile(r"(?:Bench|bench|QA|Eval|Corpus|World|Arena|Gym|Net-\d+|\d+[KkM])$")
# Generic training words that a modifier turns into a technique ("continual pre-training", "supervised fine-tuning").
_TRAINING_WORDS = frozenset({"pre training", "pretraining", "fine tuning", "finetuning", "training", "post training",
                             "mid training", "learning"})
_MODEL_SIZE = re.compile(r"^\d+(?:\.\d+)?[BMbm]$")
# A year after a benchmark or shared-task name ("BraTS 2021", "WMT 2014"), and a name with an
# apostrophe year ("WMT'19", "IWSLT’14"), or ending in a year ("CoNLL-2003", "VOC2012").
_YEAR = re.compile(r"^(?:199\d|20[0-2]\d)$")
_EDITION = re.compile(r"(?<![\w\-'’])([A-Za-z][A-Za-z\-]*[A-Za-z])['’](\d{2})(?![\w'’])")
_ENDS_WITH_YEAR = re.compile(r"(?:^|[^\d])(?:199\d|20[0-2]\d)$")
# Words after a shared-task name and year that belong to it ("SemEval-2017 Task 4").
_TASK_WORDS = frozenset({"Task", "Track", "Subtask", "Shared Task"})
_POSSESSIVE = frozenset({"'s", "’s"})
# Generic nouns that name the paper or its subject, not a system, before "noun, Name,".
_NOT_APPOSITIVE_NOUNS = frozenset({"study", "work", "paper", "analysis", "setting", "task", "tasks", "problem"})
_SEPARATORS = frozenset({",", "and", "or", "/", "&", "as", "well"})


# A sentence-final name whose last letter is a capital after a lower-case letter or digit ("AdamW.",
# "MovieLens-1M."): the English tokenizer leaves the full stop attached, as in "U.S." ...
_GLUED_PERIOD = re.compile(r"^[A-Za-z][A-Za-z0-9+\-]*[a-z0-9][A-Z]\.$")
# ... or the last part of a hyphenated name ("MAD-X.", "Phi-3V.").
_GLUED_PART = re.compile(r"^[A-Za-z0-9]{0,3}[A-Z]\.$")
# Either shape anywhere in a text, followed by whitespace or the end: a cheap test before the token scan.
_GLUED_ANYWHERE = re.compile(r"(?:[a-z0-9][A-Z]|(?:^|[\s-])[A-Za-z0-9]{0,3}[A-Z])\.(?:\s|$)")


def split_glued_periods(doc: Doc) -> Doc:
    """Split the full stop off sentence-final names the tokenizer leaves it on ("AdamW." -> "AdamW" "."),
    in place; span groups already on the doc are moved to the new tokens. The name keeps its parse,
    the full stop attaches to it as punctuation. Returns ``doc``."""
    if not _GLUED_ANYWHERE.search(doc_text(doc)):  # the common case, without visiting every token
        return doc
    targets = [t for t in doc if (t.whitespace_ or t.i == len(doc) - 1) and (
        _GLUED_PERIOD.match(t.text)
        or (_GLUED_PART.match(t.text) and t.i >= 2 and doc[t.i - 1].text == "-" and not doc[t.i - 2].whitespace_))]
    if not targets:
        return doc
    saved = {name: ([(s.start_char, s.end_char, s.label_, s.kb_id_) for s in group], dict(group.attrs))
             for name, group in doc.spans.items()}
    with doc.retokenize() as retokenizer:
        for token in targets:
            head = token.head if token.head.i != token.i else (token, 0)
            retokenizer.split(token, [token.text[:-1], "."], heads=[head, (token, 0)],
                              attrs={"POS": [token.pos_, "PUNCT"], "TAG": [token.tag_, "."],
                                     "DEP": [token.dep_, "punct"], "LEMMA": [token.text[:-1], "."]})
    for name, (spans, attrs) in saved.items():
        group = SpanGroup(doc, name=name, spans=[
            span for start, end, label, kb_id in spans
            if (span := doc.char_span(start, end, label=label, kb_id=kb_id, alignment_mode="expand")) is not None])
        group.attrs.update(attrs)
        doc.spans[name] = group
    return doc


def _read_lines(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a word-list file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot read the pattern file {path}: {err}; pass an existing patterns_dir") from err
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True)
class Lexicon:
    """Every word list the finder uses, loaded from one patterns directory."""

    method_names: tuple[str, ...]
    technique_phrases: tuple[str, ...]
    dataset_names: tuple[str, ...]
    strong_heads: frozenset[str]
    weak_heads: frozenset[str]
    stop_keys: frozenset[str]
    dataset_cues: frozenset[str]
    method_cues: frozenset[str]
    generic_heads: frozenset[str]
    bad_modifiers: frozenset[str]
    proposal_verbs: frozenset[str]
    proposal_subjects: frozenset[str]
    task_heads: frozenset[str]
    eval_words: frozenset[str]
    appositive_dataset_nouns: frozenset[str]
    model_nouns: frozenset[str]
    comparison_words: frozenset[str]
    training_verbs: frozenset[str]
    shared_task_series: frozenset[str]
    weak_dataset_cues: frozenset[str]

    @classmethod
    def load(cls, patterns_dir: str | Path | None = None) -> Lexicon:
        """Load the lists from ``patterns_dir`` (the packaged ``patterns/`` when empty or None)."""
        root = Path(patterns_dir) if patterns_dir else PATTERNS_DIR
        heads = [line.split() for line in _read_lines(root / "methods_heads.txt")]
        lex_path = root / "entities_lexicon.json"
        try:
            lex = json.loads(lex_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise InputError(f"cannot load {lex_path}: {err}; it must be a JSON object of word lists") from err

        def words(name: str) -> frozenset[str]:
            if name not in lex:
                raise InputError(f"{lex_path} has no list {name!r}; add it (a JSON list of words)")
            return frozenset(w.lower() for w in lex[name])

        return cls(
            method_names=tuple(_read_lines(root / "gazetteer_methods.txt")),
            technique_phrases=tuple(_read_lines(root / "gazetteer_techniques.txt")),
            dataset_names=tuple(_read_lines(root / "gazetteer_datasets.txt")),
            strong_heads=frozenset(h[0].lower() for h in heads if len(h) < 2 or h[1] == "strong"),
            weak_heads=frozenset(h[0].lower() for h in heads if len(h) > 1 and h[1] == "weak"),
            stop_keys=frozenset(canonical_key(w) for w in _read_lines(root / "entities_stoplist.txt")),
            dataset_cues=words("dataset_cues"),
            method_cues=words("method_cues"),
            generic_heads=words("generic_heads"),
            bad_modifiers=words("bad_modifiers"),
            proposal_verbs=words("proposal_verbs"),
            proposal_subjects=words("proposal_subjects"),
            task_heads=words("task_heads"),
            eval_words=words("eval_words"),
            appositive_dataset_nouns=words("appositive_dataset_nouns"),
            model_nouns=words("model_nouns"),
            comparison_words=words("comparison_words"),
            training_verbs=words("training_verbs"),
            shared_task_series=words("shared_task_series"),
            weak_dataset_cues=words("weak_dataset_cues"),
        )


@dataclass
class _Entity:
    """An entity being assembled: its preferred name, other forms, type votes and mentions."""

    name: str
    kind: str | None = None
    aliases: list[str] = field(default_factory=list)
    proposed: bool = False
    mentions: list[tuple[int, int]] = field(default_factory=list)  # token offsets
    long_form: bool = False
    sources: set[str] = field(default_factory=set)  # how the mentions were found ("technique", "name", ...)
    in_abstract: bool = False
    default_kind: str | None = None  # the type when no cue decides (title-prefix names: methods)


def _is_name_like(word: str) -> bool:
    """Whether a word looks like a model or dataset name: inner capitals or digits, not a number or unit.

    Each hyphen-joined part is judged alone, so title-case compounds ("Multi-Task") are not names.
    """
    if "-" in word:
        parts = [part for part in word.split("-") if part]
        if any(_is_name_like(part) for part in parts):
            return True
        # "Uni-O4", "Llama-3": a capitalised word joined to a versioned part
        return word[0].isupper() and any(c.isdigit() for c in word) and any(p[0].isalpha() and len(p) > 2 for p in parts)
    if _NOT_NAME.match(word):
        return False
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 1:
        return False
    uppers = sum(c.isupper() for c in letters)
    has_digit = any(c.isdigit() for c in word)
    inner_upper = any(c.isupper() for c in word[1:])
    if uppers >= 2 or (inner_upper and uppers >= 1):
        return True
    return has_digit and len(word) >= 3 and word[0].isalpha()


class EntityFinder:
    """Finds method and dataset entities in a parsed doc (see the module docstring for the rules)."""

    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.known_keys: dict[str, str] = {}
        for kind, names in ((METHOD, lexicon.method_names), (DATASET, lexicon.dataset_names)):
            exact = [nlp.make_doc(n) for n in names]
            self.exact.add(kind, exact)
            # mixed-case or digit-bearing names ("ImageNet", "GSM8K") also match in any case; all-caps
            # words ("MATH", "REINFORCE") and plain words only as written
            loose = [nlp.make_doc(n) for n in names
                     if any(c.isdigit() for c in n) or (any(c.isupper() for c in n[1:]) and any(c.islower() for c in n))]
            self.lower.add(kind, [d for d in loose if len(d.text) > 4])
            for n in names:
                self.known_keys.setdefault(canonical_key(n), kind)
        phrases = list(lexicon.technique_phrases)
        phrases += [p + "s" for p in lexicon.technique_phrases if not p.endswith("s") and p[-1].isalpha()]
        self.lower.add("technique", [nlp.make_doc(p) for p in phrases])
        for p in lexicon.technique_phrases:
            self.known_keys.setdefault(canonical_key(p), METHOD)
        self.proposal_forms = frozenset(
            form for v in lexicon.proposal_verbs
            for form in (v, v + "s", v + "d", v + "ed", v[:-1] + "ed" if v.endswith("e") else v + "ed"))
        self.head_ids = {nlp.vocab.strings.add(h) for h in lexicon.strong_heads | lexicon.weak_heads}

    # ------------------------------------------------------------------ entry point
    def find(self, doc: Doc) -> dict[str, list[dict[str, Any]]]:
        """The entities of ``doc`` by kind: ``{"method": [...], "dataset": [...]}``, each entry JSON-able:
        ``{"key", "name", "aliases", "proposed", "mentions": [[start_token, end_token], ...]}``."""
        self._index_sentences(doc)
        text = self._text = doc_text(doc)
        title_end = text.find("\n")
        title_end = len(text) if title_end < 0 else title_end
        spans: list[tuple[Span, str | None, str]] = []  # (span, kind or None, source)
        spans.extend(self._gazetteer(doc))
        spans.extend(self._techniques(doc))
        spans.extend(self._names(doc))
        spans.extend(self._short_forms(doc))
        spans.extend(self._capital_runs(doc, title_end))
        if "acronyms" in doc.spans:
            spans.extend((s, None, "acronym") for s in doc.spans["acronyms"])
        spans.extend(self._editions(doc, spans))
        chosen = filter_spans([s for s, _, _ in spans])
        info: dict[tuple[int, int], tuple[str | None, str]] = {}
        for s, k, src in spans:
            info.setdefault((s.start, s.end), (k, src))
        units: list[tuple[Span, str | None, str]] = [(s, *info[(s.start, s.end)]) for s in chosen]
        units.sort(key=lambda u: u[0].start)
        units = self._merge_adjacent(doc, units)
        units.extend(self._nested_known(spans, units))
        units.sort(key=lambda u: u[0].start)

        entities: dict[str, _Entity] = {}
        short_to_key: dict[str, str] = {}  # short forms and long-form texts -> entity key
        self._acronyms(doc, entities, short_to_key)
        self._title(doc, title_end, entities)
        self._title_technique(doc, 0, title_end, entities)
        colon = self._text.find(":", 0, title_end)
        if colon > 0:
            after_colon = doc.char_span(colon + 1, title_end, alignment_mode="expand")
            if after_colon is not None and len(after_colon) and after_colon[0].text == ":":
                after_colon = after_colon[1:]
            if after_colon is not None and len(after_colon):
                self._title_technique(doc, after_colon.start, title_end, entities)

        # Type each unit by context, then collect.
        kinds, weak = self._type_units(doc, units, entities, short_to_key)
        for idx, ((span, _, source), kind) in enumerate(zip(units, kinds)):
            proposed = self._is_proposed(doc, span)
            for text in _expand_slashes(span.text):
                key = short_to_key.get(text) or short_to_key.get(text.rstrip("s")) or canonical_key(text)
                entity = entities.get(key)
                if entity is None:
                    if kind is None or kind == "stop":
                        continue
                    entity = entities[key] = _Entity(name=text, kind=kind)
                elif entity.kind is None and kind is not None:
                    if idx not in weak:
                        entity.kind = kind
                    elif not entity.long_form and entity.default_kind is None:
                        # a shape guess never types an acronym whose long form is untyped ("Theory of Mind (ToM)")
                        entity.default_kind = kind
                entity.mentions.append((span.start, span.end))
                entity.sources.add(source)
                if span.start_char > title_end:
                    if not entity.in_abstract and not entity.long_form and not entity.proposed:
                        entity.name = text  # the abstract's form, not the title's capitalisation
                    entity.in_abstract = True
                if proposed:
                    entity.proposed = True

        self._coordinated(doc, units, kinds, entities)

        out: dict[str, list[dict[str, Any]]] = {METHOD: [], DATASET: []}
        for key, entity in entities.items():
            if entity.kind is None:
                entity.kind = entity.default_kind
            if entity.kind not in out or not entity.mentions or self._stopped(key, entity):
                continue
            if not entity.in_abstract and not entity.long_form \
                    and entity.sources <= {"technique", "technique_extended", "gazetteer_technique"} \
                    and not entity.proposed:
                continue  # title-only technique phrases: titles are parsed poorly and name topics
            mentions = sorted(set(entity.mentions))
            if any(s < 0 for s, _ in mentions):
                continue
            out[entity.kind].append({"key": key, "name": entity.name, "aliases": entity.aliases,
                                     "proposed": entity.proposed, "mentions": [list(m) for m in mentions]})
        return out

    _text: str = ""
    _sent_starts: list[int]
    _sent_ends: list[int]

    def _coordinated(self, doc: Doc, units: list[tuple[Span, str | None, str]], kinds: list[str | None],
                     entities: dict[str, _Entity]) -> None:
        """Shared heads of coordinated modifiers: "offline and online reinforcement learning" also names
        "offline reinforcement learning"; "split and permuted MNIST" also names "split MNIST"."""
        lex = self.lexicon
        for (span, _, source), kind in zip(units, kinds):
            if kind not in (METHOD, DATASET) or len(span) < 3 or span.start < 2:
                continue
            conj, other = doc[span.start - 1], doc[span.start - 2]
            if conj.lower_ not in {"and", "or"} or other.lower_ in lex.bad_modifiers or not other.is_alpha \
                    or other.lower_.endswith("ing"):
                continue
            if other.pos_ not in {"ADJ", "VERB"} or (other.pos_ == "VERB" and other.tag_ != "VBN"):
                continue
            if span[0].pos_ not in {"ADJ", "VERB"}:
                continue  # the first word of the phrase must be the coordinated modifier
            rest = span.start + 1
            while rest + 1 < span.end and doc[rest].text == "-" and not doc[rest - 1].whitespace_:
                rest += 2  # skip the whole first modifier: "semi-supervised"
            name = f"{other.text} {doc[rest:span.end].text}"
            key = canonical_key(name)
            if key in lex.stop_keys or key in entities:
                continue
            entity = entities[key] = _Entity(name=name, kind=kind)
            entity.mentions.append((span.start - 2, span.end))
            entity.sources.add(source)
            entity.in_abstract = True

    def _index_sentences(self, doc: Doc) -> None:
        """Record each token's sentence bounds once per doc (``Span.sent`` rescans the doc on every call)."""
        starts = [0] * len(doc)
        ends = [len(doc)] * len(doc)
        if not doc.has_annotation("SENT_START"):
            self._sent_starts, self._sent_ends = starts, ends  # no parser: the doc is one sentence
            return
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                starts[i] = sent.start
                ends[i] = sent.end
        self._sent_starts, self._sent_ends = starts, ends

    def _sent(self, doc: Doc, i: int) -> Span:
        """The sentence of token ``i`` (from the index built by ``_index_sentences``)."""
        return doc[self._sent_starts[i]:self._sent_ends[i]]

    # ------------------------------------------------------------------ candidates
    def _gazetteer(self, doc: Doc) -> Iterable[tuple[Span, str | None, str]]:
        for matcher in (self.exact, self.lower):
            for match_id, start, end in matcher(doc):
                label = doc.vocab.strings[match_id]
                kind = DATASET if label == DATASET else METHOD
                span = doc[start:end]
                # Do not take part of a longer hyphen-joined word ("GPT-4" inside "GPT-4o-mini").
                if end < len(doc) and not doc[end - 1].whitespace_ and doc[end].text in {"-", "/"}:
                    continue
                if kind == METHOD and label != "technique" and end < len(doc) and doc[end - 1].whitespace_ \
                        and _MODEL_SIZE.match(doc[end].text):
                    end += 1  # "Llama 2 7B", "Mistral 7B"
                    span = doc[start:end]
                if label == "technique":
                    if end < len(doc) and doc[end].lower_ in self.lexicon.model_nouns and doc[end - 1].head.i == end:
                        end += 1  # "decision tree regressor"
                        span = doc[start:end]
                    first = self._modifier_start(doc, start, end - 1)
                    if first < start and not self._is_setting(doc[first:end]):
                        yield doc[first:end], kind, "technique_extended"
                yield span, kind, "gazetteer_technique" if label == "technique" else "gazetteer"

    def _techniques(self, doc: Doc) -> Iterable[tuple[Span, str | None, str]]:
        lex = self.lexicon
        for token in doc:
            if token.lower not in self.head_ids or token.pos_ not in {"NOUN", "PROPN"}:
                continue
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if nxt is not None and nxt.pos_ in {"NOUN", "PROPN"} and token.head.i == nxt.i \
                    and nxt.lower_ not in lex.generic_heads:
                continue  # "learning rate", "search space": the head word is itself a modifier
            first = token.i
            while first - 2 >= 0 and doc[first - 1].text == "-" and not doc[first - 1].whitespace_ \
                    and not doc[first - 2].whitespace_ and doc[first - 2].is_alpha:
                first -= 2  # the head is a hyphenated compound: "fine-tuning", "meta-learning"
            start = self._modifier_start(doc, first, token.i)
            if start >= token.i:
                continue
            span = doc[start:token.i + 1]
            if token.lower_ in lex.weak_heads and not any(
                (t.pos_ in {"ADJ", "PROPN"} and t.tag_ not in {"JJR", "JJS"}) or t.text == "-" or t.tag_ in {"VBN", "VBG"}
                for t in span[:-1]
            ):
                continue
            if self._is_setting(span):
                continue
            yield span, METHOD, "technique"

    def _is_setting(self, span: Span) -> bool:
        """Whether a technique phrase is a field, setting or generic model class with modifiers
        ("supervised continual learning", "artificial deep neural network") or a training word after a
        generic model class ("LLM training", "language model pre-training")."""
        lex = self.lexicon
        if _is_setting_key(canonical_key(span.text), lex.stop_keys):
            return True
        head_start = span.end - 1
        while head_start - 2 >= span.start and span.doc[head_start - 1].text == "-":
            head_start -= 2
        modifiers = span.doc[span.start:head_start]
        if len(modifiers) and canonical_key(modifiers.text) in lex.stop_keys:
            return True
        head_key = canonical_key(span.doc[head_start:span.end].text)
        if len(modifiers) and head_key in _TRAINING_WORDS | {"optimization", "optimisation", "tuning"} \
                and self.known_keys.get(canonical_key(modifiers.text)) == METHOD \
                and modifiers[-1].text.isupper() | modifiers[-1].text.istitle():
            return True  # "GRPO training", "Adam optimisation": the method itself
        return bool(len(modifiers)) and all(canonical_key(t.text) in lex.stop_keys for t in modifiers if t.text != "-")

    def _modifier_start(self, doc: Doc, first: int, last: int) -> int:
        """Start of the modifiers the parser attaches before ``doc[first:last + 1]``: ``first`` when there are none.

        The walk goes left over hyphen-joined groups ("model-based", "Dyna-style") and stops at a
        determiner, punctuation, an adverb-led or evaluative group ("novel", "cognitively-motivated").
        """
        lex = self.lexicon
        sent_start = self._sent_starts[first]
        start = first
        i = first - 1
        while i >= sent_start:
            # the hyphen group ending at token i
            g_start = i
            while g_start - 2 >= sent_start and doc[g_start - 1].text == "-" and not doc[g_start - 1].whitespace_ \
                    and not doc[g_start - 2].whitespace_:
                g_start -= 2
            group = doc[g_start:i + 1]
            if not doc[i].whitespace_ and doc[i + 1].text != "-":
                break  # glued to what follows without a hyphen: "(", "/", a quote
            text = group.text.lower()
            if text in lex.bad_modifiers or group[0].lower_ in lex.bad_modifiers or group[0].pos_ in {"ADV", "NUM"}:
                break
            if canonical_key(group.text) in lex.stop_keys:
                break
            if len(group) == 1:
                t = group[0]
                if t.pos_ not in {"ADJ", "NOUN", "PROPN", "VERB", "X"} or (t.pos_ == "VERB" and t.tag_ not in {"VBN", "VBG"}):
                    break
                if not (i < t.head.i <= last) or t.like_num or not t.is_alpha:
                    break
            elif any(t.pos_ in {"DET", "PRON", "CCONJ", "AUX", "SCONJ"} or (t.is_punct and t.text != "-") for t in group):
                break
            start = g_start
            i = g_start - 1
        return start

    def _nested_known(self, spans: list[tuple[Span, str | None, str]],
                      units: list[tuple[Span, str | None, str]]) -> list[tuple[Span, str | None, str]]:
        """Known technique phrases inside a longer technique phrase ("model-based reinforcement learning"
        inside "Dyna-style model-based reinforcement learning"): the longest one is a unit too."""
        out: list[tuple[Span, str | None, str]] = []
        known = [(s, k) for s, k, src in spans if src == "gazetteer_technique"]
        for unit, _, source in units:
            if source != "technique":
                continue
            inside = [s for s, _ in known if unit.start <= s.start and s.end <= unit.end and len(s) < len(unit)]
            if inside:
                best = max(inside, key=len)
                out.append((best, METHOD, "gazetteer_technique"))
        return out

    def _editions(self, doc: Doc, spans: list[tuple[Span, str | None, str]]) -> list[tuple[Span, str | None, str]]:
        """Names of one edition of a benchmark or shared task: an apostrophe year ("WMT'19"), or a year and
        task number after a dataset name or name-like word ("BraTS 2021", "SemEval-2017 Task 4")."""
        out: list[tuple[Span, str | None, str]] = []
        lex = self.lexicon
        for m in _EDITION.finditer(self._text):
            base = m.group(1)
            if canonical_key(base) in lex.stop_keys or not (_is_name_like(base) or base.lower() in lex.shared_task_series):
                continue
            span = doc.char_span(m.start(), m.end())
            if span is not None and len(span):
                out.append((span, DATASET if base.lower() in lex.shared_task_series else None, "name"))
        for span, kind, source in spans:
            if source not in {"name", "gazetteer"} or (source == "gazetteer" and kind != DATASET) \
                    or canonical_key(span.text) in lex.stop_keys:
                continue
            end = span.end
            if end < len(doc) and doc[end - 1].whitespace_ and _YEAR.match(doc[end].text) and not (
                    end + 1 < len(doc) and doc[end + 1].pos_ == "NOUN" and doc[end + 1].tag_ == "NNS"):
                end += 1  # "BraTS 2021", not "MNIST 2000 images"
            if end + 1 < len(doc) and doc[end - 1].whitespace_ and doc[end].text in _TASK_WORDS \
                    and (doc[end + 1].like_num or re.fullmatch(r"[A-Z\d]{1,2}", doc[end + 1].text)) \
                    and (_ENDS_WITH_YEAR.search(doc[span.start:end].text) or span.text.lower() in lex.shared_task_series):
                end += 2  # "SemEval-2017 Task 4"
            if end > span.end:
                out.append((doc[span.start:end], DATASET if kind == DATASET else None, source))
        return out

    def _merge_adjacent(self, doc: Doc, units: list[tuple[Span, str | None, str]]) -> list[tuple[Span, str | None, str]]:
        """A run of capitalised words glued by one space before a name makes one name ("Deformable DETR",
        "Vision Transformer"), as does one capitalised word after a name no list knows ("UCI Adult"; a
        known name keeps its form: "MMLU Physics" is MMLU). The run may not hold a stoplisted word (an
        organisation or language: "Google BERT"), a cue word ("MNIST Dataset") or a verb form, and the
        name may not be a lower-case identifier ("Hutter Prize enwik8"); a known name last gives the
        whole its type."""
        out: list[tuple[Span, str | None, str]] = []
        for unit in units:
            if out:
                prev = out[-1]
                pair = (prev, unit)
                capital = [u for u in pair if u[2] == "capital"]
                named = [u for u in pair if u[2] in {"name", "gazetteer"}]
                # a capitalised run before a name ("Deformable DETR"), or one capitalised word after an unknown
                # name ("UCI Adult"); a known name keeps its form ("MMLU Physics" is MMLU)
                order_ok = (prev[2] == "capital" and unit[2] in {"name", "gazetteer"} and not unit[0].text[0].islower()) \
                    or (prev[2] == "name" and unit[2] == "capital" and len(unit[0]) == 1)
                # (a name written in lower case is an identifier of its own: "Hutter Prize enwik8" is enwik8)
                bracketed = prev[0].start > 0 and doc[prev[0].start - 1].text == "(" \
                    and unit[0].end < len(doc) and doc[unit[0].end].text == ")"  # "X (Temporal Flow GRPO)": a gloss
                if order_ok and not bracketed and prev[0].end == unit[0].start \
                        and doc[prev[0].end - 1].whitespace_ == " " and self._mergeable_capitals(capital[0][0]):
                    kind = unit[1] if unit is named[0] and unit[2] == "gazetteer" else None
                    out[-1] = (doc[prev[0].start:unit[0].end], kind, "name")
                    continue
            out.append(unit)
        return out

    def _mergeable_capitals(self, span: Span) -> bool:
        """Whether a capitalised run may join a name next to it (no stoplisted, cue or generic word in it)."""
        lex = self.lexicon
        for token in span:
            if token.text == "-":
                continue
            if token.tag_ == "VBG" or token.lower_.endswith("ing") or token.pos_ not in {"PROPN", "NOUN", "ADJ"}:
                return False  # "Towards Building and Surpassing Multimodal GPT-4": a quoted title, not a name
            low = token.lower_
            if canonical_key(token.text) in lex.stop_keys or low in lex.dataset_cues or low in lex.method_cues \
                    or low in lex.generic_heads or low in lex.weak_dataset_cues or low in lex.bad_modifiers:
                return False
        return canonical_key(span.text) not in lex.stop_keys

    def _short_forms(self, doc: Doc) -> Iterable[tuple[Span, str | None, str]]:
        """Every use of a short form defined in ``doc.spans["acronyms"]`` (also its plural)."""
        if "acronyms" not in doc.spans:
            return
        shorts = {span.label_ for span in doc.spans["acronyms"]}
        if not shorts:
            return
        pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(s) for s in sorted(shorts, key=len, reverse=True))
                             + r")(?=s?(?![\w]))")
        for m in pattern.finditer(self._text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None and len(span) and span.text == m.group(0):
                yield span, None, "short"

    def _capital_runs(self, doc: Doc, title_end: int) -> Iterable[tuple[Span, str | None, str]]:
        """Runs of capitalised words inside abstract sentences ("Google Commands", "Frozen Lake", "Cyclic-Cosine").

        They are typed only by cues and coordination, never by default.
        """
        start: int | None = None
        i = 0
        n = len(doc)
        while i <= n:
            token = doc[i] if i < n else None
            capital = (token is not None and token.idx > title_end and token.is_title and token.text[0].isalpha()
                       and not token.is_sent_start
                       and token.pos_ in {"PROPN", "NOUN", "ADJ"}
                       and (doc[i - 1].text not in {":", ".", "\u2022"}
                            # after a colon only as the first member of a list: "three benchmarks: Hopper, ..."
                            or (doc[i - 1].text == ":" and token.pos_ == "PROPN" and i + 1 < n and doc[i + 1].text == ",")))
            if capital:
                if start is None:
                    start = i
                # swallow "-Word" continuations of a hyphenated compound
                while i + 2 < n and not doc[i].whitespace_ and doc[i + 1].text == "-" and not doc[i + 1].whitespace_ \
                        and doc[i + 2].is_alpha and not (doc[i + 2].is_lower and doc[i + 2].lower_ in _NAME_SUFFIXES):
                    i += 2
                # a possessive inside a name: "Montezuma's Revenge" (not "Google's Gemini": organisations are stoplisted)
                if i + 2 < n and doc[i + 1].text in _POSSESSIVE and not doc[i].whitespace_ and doc[i + 2].is_title \
                        and doc[i + 2].pos_ in {"PROPN", "NOUN"} \
                        and canonical_key(doc[start:i + 1].text) not in self.lexicon.stop_keys \
                        and canonical_key(doc[i + 2].text) not in self.known_keys:
                    i += 2
                    continue
                i += 1
                continue
            if start is not None:
                yield from self._unstopped_parts(doc[start:i])
                start = None
            i += 1

    def _unstopped_parts(self, run: Span) -> Iterable[tuple[Span, str | None, str]]:
        """The parts of a capitalised run between hyphen groups with a stoplisted part: "IWSLT German-English"
        loses the language pair. Single stoplisted words stay ("Google Speech Commands" is a dataset's name)."""
        doc = run.doc
        stop = self.lexicon.stop_keys
        start: int | None = None
        i = run.start
        while i < run.end:
            j = i + 1
            while j + 1 < run.end and doc[j].text == "-" and not doc[j - 1].whitespace_:
                j += 2  # the hyphen group doc[i:j]
            if j - i > 1 and any(canonical_key(t.text) in stop for t in doc[i:j] if t.text != "-"):
                if start is not None:
                    yield doc[start:i], None, "capital"
                start = None
            elif start is None:
                start = i
            i = j
        if start is not None:
            yield doc[start:run.end], None, "capital"

    def _names(self, doc: Doc) -> Iterable[tuple[Span, str | None, str]]:
        text = self._text
        long_words: set[str] = set()
        if "acronyms" in doc.spans:
            for span in doc.spans["acronyms"]:
                if " " in span.text:
                    long_words.update(span.text.split())
        for m in _NAME_WORD.finditer(text):
            word = m.group(0)
            if word.isalpha() and (word.islower() or word.istitle()):
                continue  # fast path: plain words are never names
            parts = word.split("-")
            if len(parts) > 1 and parts[0].lower() in _NAME_PREFIXES:
                continue
            # a lower-case last part is a word after the name ("LSTM-based", "mmWave-available"),
            # unless it names a variant ("o1-preview", "GPT-4o-mini")
            while len(parts) > 1 and parts[-1].islower() and parts[-1] not in _VARIANT_WORDS:
                parts = parts[:-1]
            word = "-".join(parts)
            if not _is_name_like(word) or canonical_key(word) in self.lexicon.stop_keys or word in long_words:
                continue
            if len(parts) > 1 and not any(
                    _is_name_like(p) and canonical_key(p) not in self.lexicon.stop_keys for p in parts) \
                    and not any(c.isdigit() for c in word):
                continue  # only a generic part looks like a name: "AI-Complete", "LLM-Powered"
            span = doc.char_span(m.start(), m.start() + len(word))
            if span is None or not len(span):
                continue  # the name is part of a longer token ("LLM)-based", "Infi-MMR-3B."): not a clean mention
            # "Llama 3", "Bridge V2": a capitalised word before a version-like word joins it
            start = span.start
            if start > 0 and doc[start - 1].is_title and doc[start - 1].whitespace_ and span[0].like_num is False \
                    and re.fullmatch(r"[Vv]?\d+(\.\d+)?[A-Za-z]?", span.text) and not doc[start - 1].is_sent_start:
                span = doc[start - 1:span.end]
            yield span, None, "name"

    # ------------------------------------------------------------------ acronyms and title
    def _acronyms(self, doc: Doc, entities: dict[str, _Entity], short_to_key: dict[str, str]) -> None:
        lex = self.lexicon
        if "acronyms" not in doc.spans:
            return
        for span in doc.spans["acronyms"]:
            short = span.label_
            long = span.text.strip()
            kind = self._type_long_form(doc, span, short)
            head = self._head_after_definition(doc, span)
            if head is not None:
                # "chain-of-thought (CoT) prompting", "Tracking Machine Learning (TrackML) challenge"
                long = f"{long} {head}"
            key = canonical_key(long)
            if key in lex.stop_keys or canonical_key(short) in lex.stop_keys or _is_setting_key(key, lex.stop_keys):
                kind = "stop"
            entity = entities.get(key)
            if entity is None:
                entity = entities[key] = _Entity(name=long, kind=kind, long_form=True)
            if short not in entity.aliases:
                entity.aliases.append(short)
            entity.mentions.append((span.start, span.end))
            if self._is_proposed(doc, span):
                entity.proposed = True
            short_to_key.setdefault(short, key)
            short_to_key.setdefault(span.text, key)

    def _head_after_definition(self, doc: Doc, span: Span) -> str | None:
        """The head noun after "long form (SF)" that belongs to the name, when the long form lacks one."""
        lex = self.lexicon
        i = span.end
        if i + 3 >= len(doc) or doc[i].text != "(":
            return None
        j = i + 1
        while j < len(doc) and doc[j].text != ")" and j - i < 5:
            j += 1
        if j + 1 >= len(doc) or doc[j].text != ")" or not doc[j].whitespace_:
            return None
        nxt = doc[j + 1]
        last = span[-1].lower_
        if nxt.lower_ == "challenge":
            return nxt.text
        heads = lex.strong_heads | lex.weak_heads | lex.method_cues
        if nxt.pos_ in {"NOUN", "VERB", "PROPN"} and nxt.lower_ in lex.strong_heads | lex.weak_heads and last not in heads and last.rstrip("s") not in heads \
                and nxt.lower_ not in lex.generic_heads:
            return nxt.text
        return None

    def _type_long_form(self, doc: Doc, span: Span, short: str) -> str | None:
        """The type of an acronym's long form from its head word, the gazetteers and the words after the definition."""
        lex = self.lexicon
        words = [w for w in re.split(r"[\s\-]+", span.text.lower()) if w]
        last = words[-1] if words else ""
        for form in (span.text, short):
            known = self.known_keys.get(canonical_key(form))
            if known:
                return known
        if _DATASET_SHAPE.search(short):
            return DATASET
        if last in lex.task_heads or last.rstrip("s") in lex.task_heads:
            return None
        after = self._next_word(doc, span.end)
        if after in lex.dataset_cues:
            return DATASET
        before = self._appositive_before(doc, span)
        if before is not None:
            return before
        if last in lex.dataset_cues or last.rstrip("s") in lex.dataset_cues:
            return DATASET
        if last in lex.task_heads or last.rstrip("s") in lex.task_heads:
            return None
        if last in lex.strong_heads or last in lex.weak_heads or last.rstrip("s") in lex.strong_heads | lex.weak_heads:
            return METHOD
        if last in lex.method_cues or last.rstrip("s") in lex.method_cues:
            return METHOD
        if after in lex.method_cues:
            return METHOD
        end = span.end
        if end + 2 < len(doc) and doc[end].text == "(":
            while end < len(doc) and doc[end].text != ")" and end - span.end < 6:
                end += 1
            end += 1
        appositive = self._appositive_kind(doc, doc[span.start:min(end, len(doc))])
        if appositive is not None:
            return appositive
        if span.text[:1].isupper() and (len(words) >= 2 or _is_name_like(span.text)) and self._is_proposed(doc, span):
            return METHOD
        return None

    def _title(self, doc: Doc, title_end: int, entities: dict[str, _Entity]) -> None:
        """The title prefix before a colon ("COPlanner: ...") names what the paper proposes."""
        title = self._text[:title_end]
        colon = title.find(":")
        if colon <= 0:
            return
        prefix = title[:colon].strip()
        words = prefix.split()
        if not words or len(words) > 5:
            return
        abstract = self._text[title_end:]
        if doc[0].pos_ in {"VERB", "ADP", "ADV", "SCONJ", "AUX", "PRON", "PART", "DET"} and not _is_name_like(doc[0].text):
            return
        name_like = any(_is_name_like(w.strip(",")) and canonical_key(w) not in self.lexicon.stop_keys for w in words)
        if len(words) == 1 and not name_like:
            # a single capitalised word counts when the abstract uses it capitalised mid-sentence
            if not words[0][:1].isupper() or not re.search(r"[a-z,;] " + re.escape(words[0]) + r"\b", abstract):
                return
        elif len(words) > 1:
            # a phrase counts when the abstract defines an acronym for it or uses it
            defined = "acronyms" in doc.spans and any(s.text.lower() == prefix.lower() for s in doc.spans["acronyms"])
            used = re.search(r"[a-z,;(] " + re.escape(prefix) + r"\b", abstract) or (name_like and prefix in abstract)
            if not defined and not used:
                if not name_like:
                    return
                # "Panoptic-DeepLab Revisited": keep the name, drop the words around it
                names = [w for w in words if _is_name_like(w.strip(",")) and w in abstract]
                if len(names) != 1 or not title.startswith(names[0]):
                    return
                prefix = names[0]
        span = doc.char_span(0, len(prefix), alignment_mode="expand")
        if span is None:
            return
        key = canonical_key(prefix)
        if key in self.lexicon.stop_keys:
            return
        rest = title[colon + 1:].lower()
        method_words = ("framework", "method", "approach", "model", "agent")
        kind: str | None = None
        if _DATASET_SHAPE.search(prefix) or any(
            re.search(r"\b" + re.escape(c) + r"\b", rest) for c in self.lexicon.dataset_cues if c != "challenge"
        ) and not any(re.search(r"\b" + re.escape(c) + r"\b", rest) for c in method_words):
            kind = DATASET
        known = self.known_keys.get(key)
        # an acronym entity already defined for this prefix ("SCHEMA" -> "State CHangEs MAtter")
        for entity in entities.values():
            if prefix in entity.aliases:
                entity.proposed = True
                if entity.kind in (None, "stop"):
                    entity.kind = kind
                    entity.default_kind = METHOD
                entity.mentions.append((span.start, span.end))
                return
        entity = entities.setdefault(key, _Entity(name=prefix, kind=known or kind))
        entity.default_kind = METHOD  # a title-prefix name no cue types is a proposed system
        entity.proposed = True
        entity.mentions.append((span.start, span.end))

    def _title_technique(self, doc: Doc, i: int, title_end: int, entities: dict[str, _Entity]) -> None:
        """A title (or the part after its colon) that starts with a technique phrase names what the paper
        proposes or builds on ("Center Loss Regularization for ...", "X: A Transfer Learning Framework for ...")."""
        lex = self.lexicon
        heads = lex.strong_heads | lex.weak_heads
        while i < len(doc) and doc[i].lower_ in {"a", "an", "the"}:
            i += 1
        start = i
        if start < len(doc) and (doc[start].lower_.endswith("ing") or doc[start].tag_ == "VBG") \
                and doc[start].lower_ not in heads:
            return  # "Understanding ...", "Revisiting ..."
        while i < len(doc) and doc[i].idx < title_end:
            t = doc[i]
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            continues = nxt is not None and nxt.idx < title_end and nxt.lower_ not in lex.generic_heads and (
                (nxt.text == "-" and not t.whitespace_) or nxt.lower_ in heads
                or (nxt.is_title and nxt.pos_ in {"NOUN", "PROPN", "ADJ"} and nxt.tag_ not in {"VBZ", "NNS", "NNPS"}))
            if t.lower_ in heads and i > start and not continues:
                span = doc[start:i + 1]
                key = canonical_key(span.text)
                if key in lex.stop_keys or self._is_setting(span) or key in entities or self._title_phrase_noise(span):
                    return
                entity = entities.setdefault(key, _Entity(name=span.text, kind=METHOD))
                entity.proposed = not span.text[0].islower() and key not in self.known_keys
                entity.mentions.append((span.start, span.end))
                entity.in_abstract = True
                return
            attached = i > 0 and (doc[i - 1].text == "-" or t.text == "-") and not doc[i - 1].whitespace_
            if not (t.is_title or t.is_upper or attached) or t.pos_ in {"ADP", "CCONJ", "DET", "PUNCT"} and t.text != "-":
                return
            i += 1

    def _title_phrase_noise(self, span: Span) -> bool:
        """Whether a title phrase is a clause or carries a generic model class ("What Makes ...",
        "Efficient Language Model Pretraining", "Large Language Models Create Curriculum")."""
        lex = self.lexicon
        if span[0].lower_ in lex.bad_modifiers or span[0].lower_ in {"what", "how", "why", "when", "which", "who"}:
            return True
        if any(t.tag_ in {"VBZ", "VBP", "VBD", "MD"} for t in span):
            return True
        words = [t.text for t in span]
        return any(canonical_key(" ".join(words[a:b])) in lex.stop_keys
                   for a in range(len(words)) for b in range(a + 2, len(words)))

    # ------------------------------------------------------------------ typing
    def _next_word(self, doc: Doc, i: int) -> str:
        """The lower-cased word after token ``i``, skipping a closing bracket, quote or acronym in brackets."""
        while i < len(doc) and (doc[i].text in {")", "'", '"', "\u201d", "’s", "'s"}):
            i += 1
        if i < len(doc) and doc[i].text == "(":
            j = i
            while j < len(doc) and doc[j].text != ")" and j - i < 6:
                j += 1
            i = j + 1
        if i < len(doc) and doc[i].text == "-" and i + 1 < len(doc):
            return "-" + doc[i + 1].lower_
        if i + 1 < len(doc) and doc[i].lower_ in {"validation", "test", "training", "dev", "evaluation"} \
                and doc[i + 1].lower_ in {"set", "sets", "split", "splits"}:
            return "dataset"  # "the Mapillary Vistas validation set"
        return doc[i].lower_ if i < len(doc) else ""

    def _type_units(self, doc: Doc, units: list[tuple[Span, str | None, str]], entities: dict[str, _Entity],
                    short_to_key: dict[str, str]) -> tuple[list[str | None], set[int]]:
        """The type of each unit, and the indices whose type is only a guess from the name's shape."""
        lex = self.lexicon
        kinds: list[str | None] = []
        weak: set[int] = set()
        for span, kind, source in units:
            key = short_to_key.get(span.text)
            if key is not None and key in entities:
                ent_kind = entities[key].kind
                kinds.append(ent_kind)
                continue
            if kind is None:
                kind = self.known_keys.get(canonical_key(span.text))
            if kind is None and source in {"name", "capital"}:
                after = self._next_word(doc, span.end)
                if after in lex.dataset_cues or after.rstrip("s") in lex.dataset_cues or _DATASET_SHAPE.search(span.text) and source == "name":
                    kind = DATASET
                elif source == "name" and (after in lex.method_cues or after in {"-based", "-style", "-trained", "-like", "-generated"}):
                    kind = METHOD
                elif source == "name" and after in lex.weak_dataset_cues and not any(c.isdigit() for c in span.text[-3:]):
                    kind = DATASET  # "the AntMaze tasks", "the MNIST task"
                else:
                    kind = self._appositive_kind(doc, span) or self._edition_kind(span) \
                        or self._appositive_before_name(doc, span)
            kinds.append(kind)
        # lists: "A, B, and C" share a type; cues before/after a list type it
        for members in self._lists(doc, units):
            first, last = units[members[0]][0], units[members[-1]][0]
            after = self._next_word(doc, last.end)
            # a cue word used as a verb does not introduce a list ("We benchmark A, B and C")
            window = doc[max(self._sent_starts[first.start], first.start - 4):first.start]
            before = ["" if t.pos_ == "VERB" or (t.i > 0 and doc[t.i - 1].lower_ in {"we", "they", "i"}) else t.lower_
                      for t in window]
            typed = [kinds[i] for i in members if kinds[i] in (METHOD, DATASET)]
            list_kind: str | None = None
            if after in lex.dataset_cues or _introduces(before, lex.dataset_cues):
                list_kind = DATASET
            elif typed and all(k == typed[0] for k in typed):
                list_kind = typed[0]
            elif _introduces(before, lex.method_cues) or (before and before[-1] in lex.comparison_words) \
                    or after in lex.method_cues:
                list_kind = METHOD
            elif before and before[-1] in {"on", "across", "over"} and any(
                t.lower_ in lex.eval_words for t in self._sent(doc, first.start)
            ) and not typed:
                list_kind = DATASET
            elif not typed and self._part_of_dataset(doc, units, kinds, members[-1]):
                list_kind = DATASET  # "Pong, Breakout and Seaquest from the Arcade Learning Environment"
            elif any(self._shape_guess(units[i][0], units[i][2]) == METHOD for i in members):
                list_kind = METHOD  # "AttnGAN, DM-GAN, SSA-GAN and GALIP": a model-shaped member types the list
                weak.update(members)
            if list_kind is not None:
                for i in members:
                    if kinds[i] is None and units[i][2] in {"name", "capital"}:
                        kinds[i] = list_kind
        # remaining single names: "on X" in an evaluation sentence is a dataset; mixed-case or versioned names are methods
        for idx, (span, kind, source) in enumerate(units):
            if kinds[idx] is not None or source not in {"name", "capital"}:
                continue
            prev = doc[span.start - 1].lower_ if span.start > 0 else ""
            if prev in {"on", "across"} and source == "name" \
                    and any(t.lower_ in lex.eval_words for t in self._sent(doc, span.start)):
                kinds[idx] = DATASET
                weak.add(idx)
            elif self._evaluated_on(doc, span):
                kinds[idx] = DATASET  # "we first pre-train the backbone on Mapillary Vistas"
                weak.add(idx)
            elif self._part_of_dataset(doc, units, kinds, idx):
                kinds[idx] = DATASET  # "Montezuma's Revenge from the Arcade Learning Environment"
            elif prev in lex.comparison_words and source == "name":
                kinds[idx] = METHOD
            elif self._trained(doc, span) or self._compared(doc, span):
                kinds[idx] = METHOD  # "we train LRE with ...", "optimised with Sophia", "compare with Informer"
            else:
                kinds[idx] = self._shape_guess(span, source)
                weak.add(idx)
        return kinds, weak

    def _edition_kind(self, span: Span) -> str | None:
        """A shared-task name with a year ("CoNLL-2012", "SemEval-2017 Task 4", "BraTS 2021") is a benchmark."""
        m = re.match(r"[A-Za-z][A-Za-z ]*[A-Za-z]", span.text)
        if m is not None and m.group(0).lower() in self.lexicon.shared_task_series and re.search(r"\d", span.text):
            return DATASET
        return None

    def _appositive_before_name(self, doc: Doc, span: Span) -> str | None:
        """"Our agent, EMC, combines ..." / "the benchmark, X, ...": a noun and comma before a name, closed
        after it by a comma, bracket or verb, type it."""
        if span.end >= len(doc):
            return None
        closing = doc[span.end]
        if closing.text not in {",", "(", ")"} and closing.pos_ not in {"VERB", "AUX"}:
            return None
        if span.start >= 2 and doc[span.start - 2].lower_ in _NOT_APPOSITIVE_NOUNS:
            return None  # "Our study, Project Aria, ...": the paper itself, not a system
        return self._appositive_before(doc, span)

    def _evaluated_on(self, doc: Doc, span: Span) -> bool:
        """Whether a name is what something is trained or evaluated on: "pre-train the backbone on Mapillary
        Vistas", "evaluated on the Medical Segmentation Decathlon", "results on Cora". The "on" must attach
        to a training or evaluation word; task-like names ("on Machine Translation") are left alone."""
        lex = self.lexicon
        i = span.start - 1
        if i >= 0 and doc[i].lower_ == "the":
            i -= 1
        if i < self._sent_starts[span.start] or doc[i].lower_ not in {"on", "across"}:
            return False
        last = span[-1].lower_
        if last in lex.task_heads or last.rstrip("s") in lex.task_heads or last in lex.generic_heads:
            return False
        if span.root.dep_ in {"compound", "amod", "nmod"} and span.root.head.i >= span.end:
            return False  # the name only modifies the noun after it ("on Penn Tree bank")
        if len(span) == 1 and span[0].pos_ != "PROPN":
            return False
        if span.end < len(doc) and doc[span.end].like_num:
            return False  # "on Level 3", "results on Table 2": a reference, not a name
        heads = [doc[i].head]
        if heads[0].pos_ in {"NOUN", "PROPN"} and heads[0].dep_ in {"dobj", "nsubjpass", "appos"}:
            heads.append(heads[0].head)  # "pre-train the backbone on X": the parser attaches "on" to the object
        words: set[str] = set()
        for head in heads:
            words.update((head.lower_, head.lemma_.lower()))
            if head.i > 1 and doc[head.i - 1].text == "-":
                words.add(doc[head.i - 2].lower_ + "-" + head.lower_)  # "pre-train", "fine-tune"
        return bool(words & (lex.eval_words | lex.training_verbs))

    def _part_of_dataset(self, doc: Doc, units: list[tuple[Span, str | None, str]], kinds: list[str | None],
                         idx: int) -> bool:
        """Whether unit ``idx`` is followed by "from (the) D" or "of the D" where D is a dataset:
        a game, level or task of a suite ("Montezuma's Revenge from the Arcade Learning Environment")."""
        span = units[idx][0]
        j = span.end
        if j >= len(doc) or doc[j].lower_ not in {"from", "of"}:
            return False
        j += 1
        if j < len(doc) and doc[j].lower_ == "the":
            j += 1
        for k in range(idx + 1, min(idx + 3, len(units))):
            if units[k][0].start == j:
                return kinds[k] == DATASET
        return False

    def _trained(self, doc: Doc, span: Span) -> bool:
        """Whether a name is what is trained or what it is trained with: "we train LRE with ...", "LRE is
        fine-tuned on ...", "optimised with Sophia"."""
        lex = self.lexicon
        if len(span.text) < 2:
            return False
        root = span.root
        head = root.head
        if root.dep_ in {"dobj", "nsubjpass"} and head.lemma_.lower() in lex.training_verbs | {"train", "optimize", "optimise"}:
            return True
        if span.start > 0 and doc[span.start - 1].lower_ in {"with", "using", "via", "by"} and root.head.i == span.start - 1:
            verb = doc[span.start - 1].head
            for _ in range(3):  # "train a ResNet on Tiny ImageNet with X": the parser may attach "with" to a noun
                if verb.lower_ in lex.training_verbs or verb.lemma_.lower() in lex.training_verbs:
                    return True
                if verb.pos_ not in {"NOUN", "PROPN"} or verb.head.i == verb.i:
                    break
                verb = verb.head if verb.dep_ != "pobj" else verb.head.head
        return False

    @staticmethod
    def _compared(doc: Doc, span: Span) -> bool:
        """Whether a name is what something is compared with: "we compare with Informer", "compared to X",
        "benchmarked against X"."""
        if span.start == 0 or doc[span.start - 1].lower_ not in {"with", "to", "against"}:
            return False
        verb = doc[span.start - 1].head
        return verb.lemma_.lower() in {"compare", "benchmark", "contrast"} or verb.lower_ in {"compared", "benchmarked"}

    @staticmethod
    def _shape_guess(span: Span, source: str) -> str | None:
        """The default type of an untyped name: mixed-case or versioned names ("AttnGAN", "PaLM-2L") are models."""
        if source != "name":
            return None
        text = span.text
        if _ENDS_WITH_YEAR.search(text):
            return None  # a year names an edition (of a benchmark, a venue), not a model version
        return METHOD if any(c.isdigit() for c in text) or any(c.islower() for c in text) else None

    def _appositive_kind(self, doc: Doc, span: Span) -> str | None:
        """"X, a (new) benchmark ..." / "the task, X": the type an appositive noun gives a name."""
        lex = self.lexicon
        sent = self._sent(doc, span.start)
        if span.end < sent.end - 2 and doc[span.end].text == "," and doc[span.end + 1].lower_ in {"a", "an", "the"}:
            for t in doc[span.end + 2:min(sent.end, span.end + 7)]:
                if t.pos_ in {"NOUN", "PROPN"} and t.lower_ in lex.dataset_cues:
                    return DATASET
                if t.pos_ in {"NOUN", "PROPN"} and (t.lower_ in lex.method_cues or t.lower_ in lex.generic_heads):
                    return METHOD
                if t.pos_ in {"ADP", "VERB", "PUNCT"}:
                    break
        if span.start - 2 >= sent.start and doc[span.start - 1].text == "," \
                and doc[span.start - 2].lower_ in lex.appositive_dataset_nouns:
            return DATASET
        return None

    def _appositive_before(self, doc: Doc, span: Span) -> str | None:
        """"our method, X" / "the benchmark, X": the type a noun and comma before a name give it."""
        lex = self.lexicon
        if span.start - 2 < self._sent_starts[span.start] or doc[span.start - 1].text != ",":
            return None
        noun = doc[span.start - 2].lower_
        if noun in lex.appositive_dataset_nouns or noun in lex.dataset_cues:
            return DATASET
        if noun in lex.method_cues or noun in lex.generic_heads:
            return METHOD
        return None

    def _lists(self, doc: Doc, units: list[tuple[Span, str | None, str]]) -> list[list[int]]:
        """Runs of units separated only by commas, "and", "or", slashes. A conjunction closes a run, and a
        subject after a comma is no member: in "On MS COCO and LVIS, SparseDet outperforms ..." and "On
        CrowdPose, KeyDet outperforms ...", the name after the comma is not a member."""
        runs: list[list[int]] = []
        current: list[int] = []
        closed = False
        for idx, (span, _, _) in enumerate(units):
            if current:
                prev = units[current[-1]][0]
                between = doc[prev.end:span.start]
                words = {t.lower_ for t in between}
                if len(between) <= 3 and len(between) > 0 and all(t.lower_ in _SEPARATORS for t in between) \
                        and self._sent_starts[prev.start] == self._sent_starts[span.start] \
                        and not ((closed or span.root.dep_ in {"nsubj", "nsubjpass"}) and words <= {","}):
                    current.append(idx)
                    closed = closed or bool(words & {"and", "or", "well"})
                    continue
                if len(current) > 1:
                    runs.append(current)
            current = [idx]
            closed = False
        if len(current) > 1:
            runs.append(current)
        return runs

    # ------------------------------------------------------------------ proposal and filtering
    def _is_proposed(self, doc: Doc, span: Span) -> bool:
        """Whether this mention is introduced by the paper: in the title, after "we propose", or "our (proposed) X"."""
        lex = self.lexicon
        sent = self._sent(doc, span.start)
        prev = doc[span.start - 1] if span.start > sent.start else None
        if prev is not None and prev.lower_ == "our":
            return True
        if prev is not None and prev.lower_ == "proposed" and span.start - 2 >= sent.start and doc[span.start - 2].lower_ == "our":
            return True
        # "Our method, X, ..." / "our approach, X" (not "In our experiments, GPT-4 ...")
        if prev is not None and prev.text == "," and span.start - 3 >= sent.start and doc[span.start - 3].lower_ == "our":
            noun = doc[span.start - 2].lower_
            if noun in lex.method_cues or noun in lex.generic_heads or noun in lex.appositive_dataset_nouns \
                    or noun in lex.dataset_cues or noun in lex.model_nouns:
                return True
        i = span.start - 1
        steps = 0
        while i >= sent.start and steps < 8:
            t = doc[i]
            if t.lemma_.lower() in lex.proposal_verbs or t.lower_ in self.proposal_forms:
                if t.lower_ in {"called", "named", "termed", "dubbed"}:
                    return True
                subjects = [c for c in t.children if c.dep_ in {"nsubj", "nsubjpass"}]
                if t.dep_ in {"conj", "xcomp"}:
                    subjects += [c for c in t.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
                before = [x.lower_ for x in doc[max(sent.start, i - 3):i]]
                return any(s.lower_ in lex.proposal_subjects for s in subjects) or any(
                    w in lex.proposal_subjects for w in before)
            if (t.pos_ in {"ADP", "VERB", "AUX", "SCONJ"} and t.lower_ not in {"of"}) or t.text in {",", ";", ":"}:
                return False
            i -= 1
            steps += 1
        return False

    def _stopped(self, key: str, entity: _Entity) -> bool:
        lex = self.lexicon
        if key in lex.stop_keys or not key:
            return True
        if any(canonical_key(a) in lex.stop_keys for a in entity.aliases) and not entity.proposed:
            return True
        words = key.split()
        return bool(words) and words[-1] in lex.generic_heads and len(words) == 1


# ---------------------------------------------------------------------- span groups and records
def write_group(doc: Doc, group: str, found: list[dict[str, Any]]) -> None:
    """Store ``found`` entities as the span group ``group`` (mentions as spans, entity data in ``attrs``)."""
    spans: list[Span] = []
    table: dict[str, dict[str, Any]] = {}
    for entity in found:
        label = PROPOSED_LABEL if entity["proposed"] else USED_LABEL
        for start, end in entity["mentions"]:
            spans.append(Span(doc, start, end, label=label, kb_id=entity["key"]))
        table[entity["key"]] = {"name": entity["name"], "aliases": list(entity["aliases"]),
                                "proposed": bool(entity["proposed"])}
    spans.sort(key=lambda s: (s.start, s.end))
    span_group = SpanGroup(doc, name=group, spans=spans)
    span_group.attrs["entities"] = table
    doc.spans[group] = span_group


def _evidence(sentences: list[Span], span: Span) -> tuple[str, int, int]:
    """The sentence holding ``span``, verbatim, with its character offsets."""
    sent = next((s for s in sentences if s.start <= span.start < s.end), span)
    text = sent.text.rstrip()
    return text, sent.start_char, sent.start_char + len(text)


def entity_records(doc: Doc, group: str) -> list[dict[str, Any]]:
    """One record per distinct entity of ``doc.spans[group]`` (see the extraction contract), in order of first mention."""
    if group not in doc.spans:
        return []
    span_group = doc.spans[group]
    table: dict[str, dict[str, Any]] = span_group.attrs.get("entities", {})
    records: dict[str, dict[str, Any]] = {}
    sentences = list(doc.sents) if len(span_group) and doc.has_annotation("SENT_START") else [doc[:]]
    for span in span_group:
        key = span.kb_id_ or canonical_key(span.text)
        record = records.get(key)
        if record is None:
            data = table.get(key, {"name": span.text, "aliases": [], "proposed": span.label_ == PROPOSED_LABEL})
            record = records[key] = {"name": data["name"], "key": key, "aliases": list(data["aliases"]),
                                     "proposed": bool(data["proposed"]), "mentions": []}
        evidence, ev_start, ev_end = _evidence(sentences, span)
        record["mentions"].append({"text": span.text, "start": span.start_char, "end": span.end_char,
                                   "evidence": evidence, "evidence_start": ev_start, "evidence_end": ev_end})
    for record in records.values():
        seen = {canonical_key(record["name"])} | {canonical_key(a) for a in record["aliases"]}
        for mention in record["mentions"]:
            k = canonical_key(mention["text"])
            if k not in seen:
                seen.add(k)
                record["aliases"].append(mention["text"])
    return list(records.values())


def _expand_slashes(name: str) -> list[str]:
    """"CIFAR-10/100" -> ["CIFAR-10", "CIFAR-100"]; other names unchanged."""
    m = re.fullmatch(r"(.*?)(\d+)((?:/\d+)+)", name)
    if not m or not m.group(1) or not (m.group(1)[-1].isalpha() or m.group(1)[-1] == "-"):
        return [name]
    return [m.group(1) + m.group(2)] + [m.group(1) + n for n in m.group(3).split("/")[1:]]


def _is_setting_key(key: str, stop_keys: frozenset[str]) -> bool:
    """Whether a key ends with a stoplisted multi-word field, setting or model class ("few shot continual learning")."""
    words = key.split()
    for k in range(1, len(words) - 1):
        suffix = " ".join(words[k:])
        if suffix in stop_keys and suffix not in _TRAINING_WORDS:
            return True
    return False


def _introduces(before: list[str], cues: frozenset[str]) -> bool:
    """Whether the words before a list introduce it with a cue: "datasets: A, B", "benchmarks such as A, B"."""
    if not before:
        return False
    if before[-1] in cues:
        return True
    return before[-1] in {"as", "including", "like", ":", "(", "e.g.", "namely"} and any(w in cues for w in before[:-1])
