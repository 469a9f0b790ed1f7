"""Acronym definitions: the pure Schwartz–Hearst function and the spaCy component."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from phasegraph.extract.acronyms import Abbreviation, find_abbreviations, is_short_form


def pairs(text: str) -> list[tuple[str, str]]:
    return [(a.long, a.short) for a in find_abbreviations(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # long form (SF)
        ("We use reinforcement learning (RL) to train agents.", [("reinforcement learning", "RL")]),
        ("Large Language Models (LLMs) are used.", [("Large Language Models", "LLMs")]),
        # the whole long form, not its last words ("cyclical curriculum learning", not "curriculum learning")
        ("We propose cyclical curriculum learning (CCL) for training.", [("cyclical curriculum learning", "CCL")]),
        # hyphens inside the long form and the short form
        ("with model-based reinforcement learning (MBRL).", [("model-based reinforcement learning", "MBRL")]),
        ("uncertainty-aware policy-guided model predictive control (UP-MPC)",
         [("uncertainty-aware policy-guided model predictive control", "UP-MPC")]),
        # digits in the short form: a count ("A3C", "MT3") or a digit of the long form
        ("the asynchronous advantage actor-critic (A3C) algorithm", [("asynchronous advantage actor-critic", "A3C")]),
        ("we call it Multi-Task Trajectory Transfer (MT3).", [("Multi-Task Trajectory Transfer", "MT3")]),
        # lower-case letters inside the short form
        ("Quantized Low-Rank Adaptation (QLoRA) reduces memory.", [("Quantized Low-Rank Adaptation", "QLoRA")]),
        ("the incremental Classifier and Representation Learning (iCaRL) method",
         [("incremental Classifier and Representation Learning", "iCaRL")]),
        ("chain-of-thought (CoT) prompting", [("chain-of-thought", "CoT")]),
        ("Passage Ranking using Demonstrations (PaRaDe)", [("Passage Ranking using Demonstrations", "PaRaDe")]),
        # minor words skipped, letters inside words
        ("Reinforcement learning with human feedback (RLHF) aligns models.",
         [("Reinforcement learning with human feedback", "RLHF")]),
        ("a Large Language Model (LLM)-based agent", [("Large Language Model", "LLM")]),
        # a second item after a semicolon or comma in the brackets
        ("stochastic gradient descent (SGD; Robbins 1951)", [("stochastic gradient descent", "SGD")]),
        # reverse form: SF (long form)
        ("we present ROPES (Reasoning Over Paragraph Effects in Situations), a benchmark",
         [("Reasoning Over Paragraph Effects in Situations", "ROPES")]),
        # a trailing quote is not part of the long form
        ('the "Prompting Framework" (PF) idea', [("Prompting Framework", "PF")]),
    ],
)
def test_definitions(text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "as shown in the results (see Fig. 2).",
        "as shown by Smith et al. (2019).",
        "several tasks (e.g., translation and summarisation) benefit.",
        "the model (i.e., the student) learns.",
        "three steps (i) encode, (ii) decode.",
        "accuracy improves (from 70% to 80%).",
        "the first language (L1) and second language (L2).",
        "a claim (Table 3) about the method.",
        "this approach (ours) is faster.",
        "the training data (BERT) is small.",
    ],
)
def test_not_definitions(text: str) -> None:
    assert find_abbreviations(text) == []


@pytest.mark.parametrize(
    ("candidate", "ok"),
    [("RL", True), ("bAbI", True), ("QLoRA", True), ("A3C", True), ("GPT-4", True),
     ("2019", False), ("e.g.", False), ("see Fig. 2", False), ("ours", False), ("a", False),
     ("a very long parenthetical", False)],
)
def test_is_short_form(candidate: str, ok: bool) -> None:
    assert is_short_form(candidate) is ok


def test_offsets_point_into_the_text() -> None:
    text = "Title\nWe use knowledge distillation (KD) and retrieval-augmented generation (RAG) here."
    found = find_abbreviations(text)
    assert [a.short for a in found] == ["KD", "RAG"]
    for a in found:
        assert text[a.long_start:a.long_end] == a.long
        assert text[a.short_start:a.short_end] == a.short
        assert a.long_end < a.short_start


_WORDS = st.sampled_from(["learning", "deep", "Model", "the", "of", "(", ")", "Neural", "network", "RL", "(RL)",
                          "(NN)", "(see", "Fig.", "2)", "-", "(2019)", "graph", "Graph", "(GNN)", ",", "a", "b"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=30))
def test_offsets_round_trip_on_any_text(words: list[str]) -> None:
    text = " ".join(words)
    for a in find_abbreviations(text):
        assert isinstance(a, Abbreviation)
        assert text[a.long_start:a.long_end] == a.long
        assert text[a.short_start:a.short_end] == a.short
        assert is_short_form(a.short)


def test_component_writes_long_form_spans_labelled_with_the_short_form() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("phasegraph_acronyms")
    doc = nlp("A title\nWe train with proximal policy optimization (PPO) and Adam.")
    spans = list(doc.spans["acronyms"])
    assert [(s.text, s.label_) for s in spans] == [("proximal policy optimization", "PPO")]


def test_component_survives_serialisation() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("phasegraph_acronyms")
    doc = nlp("A title\nWe use curriculum learning (CL).")
    restored = spacy.tokens.Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert [(s.text, s.label_) for s in restored.spans["acronyms"]] == [("curriculum learning", "CL")]
