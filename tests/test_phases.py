"""Tests of the phase-structure extractor (extract/phases.py and its phase_* helpers), one block per rule family.

The abstracts are written for these tests in the style of several fields (vision, speech, RL, NLP, physics);
none is copied from the evaluation corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from phasegraph.errors import InputError
from phasegraph.extract.phase_lexicon import DEFAULT_LEXICON_PATH, REQUIRED_KEYS, load_lexicon
from phasegraph.extract.phase_mentions import _in_idiom, in_proper_name
from phasegraph.extract.phase_text import is_marker_at
from phasegraph.extract.phases import SPAN_GROUP, phase_records
from phasegraph.extract.pipeline import load_pipeline

RECORD_KEYS = {"subject", "count", "phases", "phase_keys", "ordered", "evidence", "start", "end"}


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def extract(nlp: Language, abstract: str, title: str = "A Paper") -> list[dict]:
    return phase_records(nlp(f"{title}\n{abstract}"))


# -- positive families: (abstract, count, phase keys, ordered) --------------------------------------------
POSITIVE = {
    "counted claim with colon list": (
        "Our detector is trained in three stages: region proposal pretraining, box refinement, and joint "
        "fine-tuning. Experiments show gains of 2.1 AP.",
        3, ["region proposal pretraining", "box refinement", "joint fine tuning"], True),
    "hyphenated count on a noun with colon list": (
        "Most speech systems use a two-stage decoding pipeline: a fast lattice search and a slow neural rescoring.",
        2, ["fast lattice search", "slow neural rescoring"], True),
    "digit count": (
        "The planner works in 2 phases: exploration and exploitation.",
        2, ["exploration", "exploitation"], True),
    "dual-phase": (
        "The recognizer uses a dual-phase decoding scheme: a fast first pass and a slower rescoring pass.",
        2, ["fast first pass", "slower rescoring pass"], True),
    "coordinated named phases": (
        "Our pipeline comprises data collection, annotation and model training phases, and is applied to X-rays.",
        3, ["data collection", "annotation", "model training"], True),
    "conjoined named phases": (
        "Few-shot learning consists of a meta-training phase on base classes and an adaptation phase on novel ones.",
        2, ["meta training", "adaptation"], True),
    "numbered list after colon": (
        "The method consists of three steps: (1) mining hard negatives; (2) clustering them; (3) relabelling the "
        "clusters.",
        3, ["mining hard negative", "clustering them", "relabelling the cluster"], True),
    "numbered list of clauses (counted, not named)": (
        "It encompasses two main steps: (1) the teacher model writes rubrics, and (2) the student model follows "
        "them.",
        2, [], True),
    "counted claim then First/Then sentences": (
        "The method works in two phases. First, a coarse network localizes the organ. Then, a refinement network "
        "sharpens the boundary.",
        2, [], True),
    "First/Second sentences naming their phases": (
        "Reasoning is decomposed into three phases. First, a retrieval phase finds related objects. Second, an "
        "alignment phase matches them. And third, a replay phase executes the motion.",
        3, ["retrieval", "alignment", "replay"], True),
    "first ... then in one sentence (finite verbs: counted, not named)": (
        "We first pretrain a teacher network on unlabeled video and then distill it into a compact student.",
        2, [], True),
    "first ... then with gerunds": (
        "We obtain the model by first learning a compact latent space, then training a diffusion model in it.",
        2, ["learning a compact latent space", "training a diffusion model in it"], True),
    "ordinal noun phrases after a colon": (
        "The prompt learner has two phases: the first boosting prompt distills a teacher. The second adapting prompt "
        "is then tuned on the task.",
        2, ["boosting prompt", "adapting prompt"], True),
    "ordinal appositive names": (
        "Our curriculum has three phases. The first phase, Warm Start, uses short clips. The second phase, "
        "Long Context, uses full movies. The third phase, Preference Tuning, uses human ratings.",
        3, ["warm start", "long context", "preference tuning"], True),
    "Stage 1 / Stage 2 labels": (
        "Our system follows a retrieve-then-rerank design. Stage 1 retrieves candidates with BM25. Stage 2 "
        "reranks them with a cross-encoder.",
        2, ["stage 1", "stage 2"], True),
    "Phase I / Phase II in one sentence": (
        "In Phase I, annotators label images; in Phase II, experts verify the labels.",
        2, ["phase i", "phase ii"], True),
    "Step 1 / Step 2 sentences": (
        "Step 1: we collect data. Step 2: we train the model.",
        2, ["step 1", "step 2"], True),
    "two named stages joined by and": (
        "Our network consists of an encoder stage and a decoder stage.",
        2, ["encoder", "decoder"], True),
    "A followed by B (activities)": (
        "Language models are developed through large-scale pre-training followed by task-specific fine-tuning.",
        2, ["large scale pre training", "task specific fine tuning"], True),
    "cycle of A and B": (
        "The agent operates on a cycle of exploration and consolidation.",
        2, ["exploration", "consolidation"], True),
    "regimes are alternatives": (
        "We show that network training falls into two regimes: a lazy regime where features barely move and a "
        "rich regime where features are learned.",
        2, ["lazy", "rich"], False),
    "categories a population falls into": (
        "We find that trained networks fall into three phases: underfit, critical, and overfit.",
        3, ["underfit", "critical", "overfit"], False),
    "early and later phases contrasted": (
        "The auxiliary loss helps in the early stages of training but hurts in later phases.",
        2, ["early", "later"], True),
}


@pytest.mark.parametrize("abstract,count,keys,ordered", list(POSITIVE.values()), ids=list(POSITIVE))
def test_positive_families(nlp: Language, abstract: str, count: int, keys: list[str], ordered: bool) -> None:
    records = extract(nlp, abstract)
    assert len(records) == 1, records
    rec = records[0]
    assert rec["count"] == count
    assert rec["phase_keys"] == keys
    assert rec["ordered"] is ordered


# -- a named phase ordered against one more activity or a boundary event: two phases ------------------------
# (abstract, count, phase keys); the second phase stays unnamed unless a later sentence names it
RELATIVE_ORDER = {
    "RL: phase before a gerund": (
        "We find that the policy stays in a long exploration phase before suddenly converging to a deterministic "
        "gait. Ablations confirm this on four robots.",
        2, ["exploration"]),
    "speech: phase, before a gerund; later sentence names the second phase": (
        "With noisy labels, a speaker classifier first fits the clean utterances during a clean-fitting phase, "
        "before eventually memorizing the mislabelled ones. We propose an early-stopping rule. It stops training "
        "at the start of the memorization phase.",
        2, ["clean fitting", "memorization"]),
    "pruning: gerund after-clause before the phase": (
        "After pruning half of the weights, the network enters a recovery phase in which accuracy returns.",
        2, ["recovery"]),
    "soft matter: phase following a transition": (
        "Above a critical density, the colloids form a crystalline phase following a first-order transition. "
        "Simulations agree with theory.",
        2, ["crystalline"]),
    "no connective next to the transition: one phase": (
        "Magnetization vanishes in the paramagnetic phase above the transition temperature.",
        None, ["paramagnetic"]),
    "the paper's narrative is no second phase": (
        "After reviewing prior sensor models, we propose a calibration phase for low-cost lidar.",
        None, ["calibration"]),
    "an auxiliary gerund is no second phase": (
        "The model is evaluated in a zero-shot phase after being trained on synthetic data.",
        None, ["zero shot"]),
}


@pytest.mark.parametrize("abstract,count,keys", list(RELATIVE_ORDER.values()), ids=list(RELATIVE_ORDER))
def test_named_phase_ordered_against_another(nlp: Language, abstract: str, count: int | None, keys: list[str]) -> None:
    records = extract(nlp, abstract)
    assert len(records) == 1, records
    assert records[0]["count"] == count
    assert records[0]["phase_keys"] == keys
    assert records[0]["ordered"] is True


# -- a complete structure extended by the next sentence's positioned stage -------------------------------
# (abstract, counts of the records, phase keys of the first record)
EXTENSION = {
    "speech: intermediate stage goes between": (
        "Speech systems are built through acoustic pretraining followed by supervised fine-tuning. We insert an "
        "intermediate adaptation stage on in-domain audio.",
        [3], ["acoustic pretraining", "adaptation", "supervised fine tuning"]),
    "vision: additional stage goes last": (
        "Detectors are built through backbone pretraining followed by detection fine-tuning. We show that an "
        "additional self-training stage on unlabeled images improves AP by 2 points.",
        [3], ["backbone pretraining", "detection fine tuning", "self training"]),
    "robotics: preliminary stage goes first": (
        "In robotics, policies are commonly learned with imitation learning followed by reinforcement learning. "
        "A preliminary calibration stage aligns the sensors.",
        [3], ["calibration", "imitation learning", "reinforcement learning"]),
    "not the next sentence: a separate claim": (
        "Speech systems are built through acoustic pretraining followed by supervised fine-tuning. We report "
        "results on LibriSpeech. An intermediate adaptation stage is left for future work.",
        [2, None], ["acoustic pretraining", "supervised fine tuning"]),
    "no position word: a phase already in the structure": (
        "Translation models are trained with multilingual pretraining followed by supervised fine-tuning. The "
        "supervised fine-tuning stage uses parallel data.",
        [2], ["multilingual pretraining", "supervised fine tuning"]),
}


@pytest.mark.parametrize("abstract,counts,keys", list(EXTENSION.values()), ids=list(EXTENSION))
def test_structure_extended_by_positioned_stage(nlp: Language, abstract: str, counts: list[int | None],
                                                keys: list[str]) -> None:
    records = extract(nlp, abstract)
    assert [r["count"] for r in records] == counts, records
    assert records[0]["phase_keys"] == keys


# -- claims with no (or one) named phase ----------------------------------------------------------------
UNNAMED = {
    "bare plural in stages": ("We find that training proceeds in stages, each dominated by one skill.", None),
    "multi-stage pipeline": ("We build a multi-stage training pipeline for small detectors.", None),
    "single named phase": ("The agent starts with a bootstrapping phase in which it imitates demonstrations.", None),
    "critical periods": ("We identify critical learning periods in deep networks.", None),
    "ordinal stages": ("There are two stages. In the first stage, the agent learns to walk. In the second stage, "
                       "it learns to climb.", 2),
}


@pytest.mark.parametrize("abstract,count", list(UNNAMED.values()), ids=list(UNNAMED))
def test_claims_without_a_full_list(nlp: Language, abstract: str, count: int | None) -> None:
    records = extract(nlp, abstract)
    assert len(records) == 1, records
    assert records[0]["count"] == count


# -- incidental uses (the guide's negative cases) -------------------------------------------------------
NEGATIVE = {
    "inference phase as a time reference": "We propose a pruning method that reduces latency during the inference phase.",
    "training and inference phases": "Energy is spent during both the training and inference phases of large models.",
    "early phase of deployment": "In the early phase of deployment, errors were frequent.",
    "multi-step reasoning as a task": "Large language models struggle with multi-step reasoning on math problems.",
    "step-by-step as a manner": "We prompt the model to think step-by-step and step by step.",
    "a step towards": "This work is a step towards robust translation and takes one step further.",
    "training steps as iterations": "We report accuracy after 100K training steps and at each step of decoding.",
    "phase transition and diagram": "We observe a phase transition and draw a phase diagram of the model.",
    "single-stage detector": "Our single-stage detector is faster than one-step methods.",
    "contribution list": "Our contributions are threefold. First, we propose a new loss. Second, we introduce a "
                         "benchmark. Finally, we show state-of-the-art results.",
    "findings list": "We report three findings: First, larger models help. Second, data quality matters.",
    "alternative approaches": "The first approach uses prompts. The second approach uses demonstrations. The third "
                              "approach uses retrieval.",
    "signal phases": "The network predicts spectrogram magnitudes and phases.",
    "set the stage": "These results set the stage for future work.",
    "ranking with followed by": "The largest category is MLOps, followed by Model and Data, and Support Vector "
                                "followed by Random forest.",
    "backbone stages in vision": "We fuse stage 4 features with multi-stage feature fusion in the backbone.",
    "pre-training stage as a time reference": "Knowledge is acquired during the pre-training stage of the model.",
    "a long period": "The loss stays flat for a long period before it drops.",
    "two-phase flow (physics)": "The two-phase flow in the pipe is simulated before running the experiments.",
    "time-reference phase before a gerund": "We measure latency during the inference phase before deploying the "
                                            "model on phones.",
    "pre-training phase before fine-tuning (time reference)": "Knowledge is acquired during the pre-training phase "
                                                              "before fine-tuning on the target task.",
}


@pytest.mark.parametrize("abstract", list(NEGATIVE.values()), ids=list(NEGATIVE))
def test_incidental_uses_are_not_structures(nlp: Language, abstract: str) -> None:
    assert extract(nlp, abstract) == []


# -- held-out style abstracts: the whole structure ---------------------------------------------------------
# (abstract, subject, count, phase keys)
HELD_OUT = {
    "vision: passive 'is trained in' keeps 'our model'": (
        "Our model is trained in two stages: we first pre-train the backbone on Mapillary Vistas, and then "
        "fine-tune the full network on the Cityscapes dataset.",
        "our model", 2, ["pre train the backbone on mapillary vista",
                         "fine tune the full network on the cityscapes dataset"]),
    "translation: a mistagged 'proceeds' still has 'Training' as subject": (
        "Training proceeds in three phases: warm-up on high-resource pairs, expert specialisation, and joint "
        "fine-tuning.",
        "training", 3, ["warm up on high resource pair", "expert specialisation", "joint fine tuning"]),
    "RL: 'during learning', not the reporting subject 'Analysis'": (
        "Analysis reveals distinct exploration and exploitation phases during learning.",
        "learning", 2, ["exploration", "exploitation"]),
    "NLP: a definite count listed in full asserts the phases; owner 'training of X'": (
        "We describe the three training stages of GlowLM: corpus pretraining, instruction tuning, and preference "
        "alignment.",
        "training of GlowLM", 3, ["corpus pretraining", "instruction tuning", "preference alignment"]),
}


def test_definite_count_refers_back_when_it_can(nlp: Language) -> None:
    abstract = ("Our detector is trained in two stages. We report results on COCO and LVIS. We also study the two "
                "stages: proposal and refinement.")
    records = extract(nlp, abstract)
    assert [(r["count"], r["phase_keys"]) for r in records] == [(2, ["proposal", "refinement"])]


@pytest.mark.parametrize("abstract,subject,count,keys", list(HELD_OUT.values()), ids=list(HELD_OUT))
def test_held_out_style_structures(nlp: Language, abstract: str, subject: str, count: int, keys: list[str]) -> None:
    records = extract(nlp, abstract)
    assert len(records) == 1, records
    assert records[0]["subject"] == subject
    assert records[0]["count"] == count
    assert records[0]["phase_keys"] == keys
    assert records[0]["ordered"] is True


# -- subjects: what has the phases (extract/phase_subject.py, one case per rule) ------------------------------
# (title, abstract, subject)
SUBJECTS = {
    "owner head of the phase word": (
        "A Paper", "Speech recognisers usually adopt a two-stage training process: acoustic pretraining and "
        "supervised fine-tuning.", "training process"),
    "owner modifier of a plural phase noun": (
        "A Paper", "We identify four learning phases: imitation, exploration, consolidation, and refinement.",
        "learning"),
    "gerund 'of' object": (
        "A Paper", "We summarise three stages of learning speech encoders: pretraining, adaptation and "
        "distillation.", "learning speech encoders"),
    "split object, not the relative pronoun or the verb": (
        "A Paper", "We study a robot controller that decomposes grasping into three phases: approach, closure, "
        "and lift.", "grasping"),
    "pronoun resolved to the proposed system": (
        "GlowNet: Fast Depth Completion", "We propose GlowNet, a depth completion network for drones. It consists "
        "of three stages: coarse filling, edge refinement, and confidence fusion.", "GlowNet"),
    "'this problem' resolved to the earlier problem": (
        "A Paper", "We consider the open-vocabulary video retrieval problem. This problem is often solved in two "
        "steps: candidate recall and reranking.", "open-vocabulary video retrieval problem"),
    "leading adverb dropped": (
        "A Paper", "Typically RLHF pipelines operate in two phases: reward modelling and policy optimisation.",
        "RLHF pipelines"),
    "generic framework of our own work, no name: the phrase with its count": (
        "A Paper", "We adopt a two-stage framework: retrieval and reranking.", "two-stage framework"),
    "pronoun object resolved to the name defined before": (
        "A Paper", "This paper revisits Sparse Mixture Routing (SMR), a routing method for experts. We explore it "
        "in two steps. First, we measure load balance. Second, we prune experts.", "SMR"),
}


@pytest.mark.parametrize("title,abstract,subject", list(SUBJECTS.values()), ids=list(SUBJECTS))
def test_subjects(nlp: Language, title: str, abstract: str, subject: str) -> None:
    records = extract(nlp, abstract, title=title)
    assert records, abstract
    assert records[0]["subject"] == subject


# -- phase words inside proper names make no claim ------------------------------------------------------
NAMES = {
    "vision: dataset name with -STEP": "On Cityscapes and KITTI-STEP it improves PQ by 2 points.",
    "tracking: two -STEP benchmarks": "Our tracker sets a new state of the art on KITTI-STEP and MOTChallenge-STEP, "
                                      "improving STQ by 3 points.",
    "NLP: STEP-Bench and STAGE-Net": "We release STEP-Bench, a benchmark of 5,000 planning problems, and evaluate "
                                     "twelve language models and two STAGE-Net variants on it.",
    "RL: methods named in capitals": "We propose STAGE, an offline RL method. Across locomotion and maze tasks, "
                                     "STAGE and PHASE outperform CQL on D4RL.",
}


@pytest.mark.parametrize("abstract", list(NAMES.values()), ids=list(NAMES))
def test_phase_words_inside_names_are_not_structures(nlp: Language, abstract: str) -> None:
    assert extract(nlp, abstract) == []


def test_named_method_with_real_phases(nlp: Language) -> None:
    records = extract(nlp, "We propose STEP, a recipe that learns N:M masks in two phases: a precondition phase and "
                           "a mask-learning phase.")
    assert [(r["subject"], r["count"], r["phase_keys"]) for r in records] == [
        ("STEP", 2, ["precondition", "mask learning"])]


@pytest.mark.parametrize("text,word,expected", [
    ("On KITTI-STEP it improves.", "STEP", True),
    ("We release STEP-Bench today.", "STEP", True),
    ("Our Stage-Net detector is fast.", "Stage", True),
    ("We propose STEP, a recipe.", "STEP", True),
    ("The Phase-II trial enrolled patients.", "Phase", False),
    ("Our Two-Stage detector is fast.", "Stage", False),
    ("STEP 1 collects data.", "STEP", False),
    ("TRAINING PROCEEDS IN TWO STAGES.", "STAGES", False),
    ("Training proceeds in two stages.", "stages", False),
])
def test_phase_word_in_proper_name(text: str, word: str, expected: bool) -> None:
    doc = spacy.blank("en")(text)
    index = [t.text for t in doc].index(word)
    assert in_proper_name(doc[index], load_lexicon()) is expected


# -- grouping across sentences --------------------------------------------------------------------------
def test_follow_up_sentences_join_the_structure(nlp: Language) -> None:
    abstract = ("We propose a two-stage framework for captioning. Specifically, the framework splits decoding into "
                "two distinct stages: planning and realization. In the planning stage, a planner writes an outline.")
    records = extract(nlp, abstract)
    assert len(records) == 1
    assert records[0]["phase_keys"] == ["planning", "realization"]
    assert records[0]["evidence"].startswith("We propose a two-stage framework")
    assert records[0]["evidence"].endswith("writes an outline.")


def test_distant_unrelated_claims_stay_apart(nlp: Language) -> None:
    abstract = ("Language models are trained in two stages: pretraining and alignment. We study many tasks. "
                "We report results on ten benchmarks. During a critical phase in training, gradients explode.")
    records = extract(nlp, abstract)
    assert [r["count"] for r in records] == [2, None]
    assert records[1]["phase_keys"] == ["critical"]


def test_labelled_phases_join_across_the_abstract(nlp: Language) -> None:
    abstract = ("In Shared Task Phase B, systems generate answers. We describe our retriever in detail. It uses dense "
                "embeddings. It is fast. In Shared Task Phase A, systems retrieve documents.")
    records = extract(nlp, abstract)
    assert len(records) == 1
    assert records[0]["phase_keys"] == ["phase b", "phase a"]


def test_title_is_not_evidence(nlp: Language) -> None:
    assert extract(nlp, "We evaluate our model on images.", title="A Three-Stage Pipeline for Images") == []


# -- record form ----------------------------------------------------------------------------------------
def test_record_form_and_offsets(nlp: Language) -> None:
    doc = nlp("T\nOur detector is trained in three stages: proposal, refinement, and tuning. It is fast.")
    records = phase_records(doc)
    assert len(records) == 1
    rec = records[0]
    assert set(rec) == RECORD_KEYS
    assert doc.text[rec["start"] : rec["end"]] == rec["evidence"]
    assert len(rec["phases"]) == len(rec["phase_keys"])
    spans = doc.spans[SPAN_GROUP]
    assert [(s.start_char, s.end_char) for s in spans] == [(rec["start"], rec["end"])]
    json.dumps(records)


def test_records_are_copies(nlp: Language) -> None:
    doc = nlp("T\nThe planner works in 2 phases: exploration and exploitation.")
    phase_records(doc)[0]["phases"].append("x")
    assert phase_records(doc)[0]["phases"] == ["exploration", "exploitation"]


def test_no_component_no_records() -> None:
    assert phase_records(spacy.blank("en")("T\nTwo stages.")) == []


SENTENCES = [
    "Our detector is trained in three stages: proposal, refinement, and tuning.",
    "We report results on ImageNet.",
    "In the first stage, the agent explores.",
    "The method works in two phases.",
    "First, a network localizes the organ.",
    "Then, a second network refines it.",
    "Training falls into two regimes: lazy and rich.",
    "Multi-step reasoning remains hard.",
    "We first pretrain the encoder and then fine-tune the decoder.",
]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6))
def test_evidence_is_always_verbatim(nlp: Language, sentences: list[str]) -> None:
    doc = nlp("Title\n" + " ".join(sentences))
    for rec in phase_records(doc):
        assert doc.text[rec["start"] : rec["end"]] == rec["evidence"]
        assert rec["start"] > doc.text.index("\n")
        assert len(rec["phases"]) == len(rec["phase_keys"])
        assert rec["count"] is None or rec["count"] >= 2
        assert rec["subject"].strip()


def test_same_records_with_two_processes(nlp: Language) -> None:
    texts = [f"T{i}\n{s} {t}" for i, (s, t) in enumerate(zip(SENTENCES, SENTENCES[3:] + SENTENCES[:3]))]
    one = [phase_records(d) for d in nlp.pipe(texts)]
    two = [phase_records(d) for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert one == two
    assert any(one)


# -- word lists and configuration -----------------------------------------------------------------------
def test_packaged_lexicon_loads() -> None:
    lex = load_lexicon()
    assert lex.phase_nouns["stages"] == "stage"
    assert lex.number_words["two"] == 2
    assert lex.extension_positions["intermediate"] == "middle"
    assert "before" in lex.order_connectives and "transition" in lex.boundary_nouns


def test_lexicon_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.json"):
        load_lexicon(tmp_path / "nope.json")


def test_lexicon_missing_keys(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"phase_nouns": {}}), encoding="utf-8")
    with pytest.raises(InputError, match="lacks the keys"):
        load_lexicon(path)


def test_lexicon_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_lexicon(path)


def test_component_reads_configured_lexicon(tmp_path: Path) -> None:
    data = json.loads(DEFAULT_LEXICON_PATH.read_text(encoding="utf-8"))
    assert set(REQUIRED_KEYS) <= set(data)
    data["phase_nouns"]["epoch"] = "phase"
    data["phase_nouns"]["epochs"] = "phase"
    path = tmp_path / "phases.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    nlp = load_pipeline()
    nlp.remove_pipe("phasegraph_phases")
    comp = nlp.add_pipe("phasegraph_phases", config={"lexicon_path": str(path)})
    assert comp.lexicon.phase_nouns["epochs"] == "phase"
    records = phase_records(nlp("T\nTraining runs in two epochs: warmup and annealing."))
    assert records and records[0]["phase_keys"] == ["warmup", "annealing"]
    comp.initialize(lexicon_path=str(DEFAULT_LEXICON_PATH))
    assert "epochs" not in comp.lexicon.phase_nouns


def test_factory_rejects_missing_lexicon_path() -> None:
    nlp = spacy.blank("en")
    with pytest.raises(InputError, match="lexicon_path"):
        nlp.add_pipe("phasegraph_phases", config={"lexicon_path": "/no/such/file.json"})


def test_component_needs_sentences() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("phasegraph_phases")
    with pytest.raises(InputError, match="sentence boundaries"):
        nlp("T\nTraining has two stages.")
    doc = nlp("T\nNo such words here.")
    assert phase_records(doc) == [] and len(doc.spans[SPAN_GROUP]) == 0


# -- token-level rules that need no parse ---------------------------------------------------------------
@pytest.mark.parametrize("text,index,length", [
    ("(1) mining", 0, 3), ("1) mining", 0, 2), ("(ii) clustering", 0, 3), ("mining data", 0, 0)])
def test_list_markers(text: str, index: int, length: int) -> None:
    doc = spacy.blank("en")(text)
    assert is_marker_at(doc, index, len(doc)) == length


@pytest.mark.parametrize("text,word,expected", [
    ("a step towards robustness", "step", True),
    ("think step by step", "step", True),
    ("set the stage for", "stage", True),
    ("the second step of the pipeline", "step", False),
    ("two stages of training", "stages", False),
])
def test_idioms(text: str, word: str, expected: bool) -> None:
    doc = spacy.blank("en")(text)
    index = [t.text for t in doc].index(word)
    assert _in_idiom(doc, index, load_lexicon()) is expected
