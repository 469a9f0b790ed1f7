"""The datasets extractor, one parametrised case per cue family (and per negative family)."""

from __future__ import annotations

import pytest
from phasegraph.extract.entities import entity_records
from phasegraph.extract.normalise import canonical_key
from spacy.language import Language


def datasets(nlp: Language, title: str, abstract: str) -> dict[str, dict]:
    doc = nlp(f"{title}\n{abstract}")
    return {canonical_key(r["name"]): r for r in entity_records(doc, "datasets")}


@pytest.mark.parametrize(
    ("family", "title", "abstract", "expected"),
    [
        ("gazetteer", "Vision", "We train on ImageNet and COCO.", ["ImageNet", "COCO"]),
        ("cue word after a name", "Driving", "We evaluate on the Cityscapes dataset and the GAIA benchmark.",
         ["Cityscapes", "GAIA"]),
        ("list ending in a cue word", "Video", "Experiments on CrossTask, COIN, and NIV benchmark datasets show gains.",
         ["CrossTask", "COIN", "NIV"]),
        ("capitalised names coordinated with a known one", "Games",
         "We evaluate the agent on grid-world tasks (i.e., Minesweeper, Frozen Lake, and Sokoban).",
         ["Minesweeper", "Frozen Lake", "Sokoban"]),
        ("names after 'on' in an evaluation sentence", "Speech",
         "Experiments on Google Commands and FACC show that our method outperforms the baseline.",
         ["Google Commands", "FACC"]),
        ("slash-joined versions", "Augment", "Results on CIFAR-10/100 and SVHN improve.",
         ["CIFAR-10", "CIFAR-100", "SVHN"]),
        ("benchmark-shaped names", "Reasoning", "We report accuracy on TimeQA and ProcBench.", ["TimeQA", "ProcBench"]),
        ("a challenge with an acronym", "Physics",
         "This paper reports on the Tracking Machine Learning (TrackML) challenge on the Codalab platform.",
         ["Tracking Machine Learning challenge"]),
    ],
)
def test_finds(nlp: Language, family: str, title: str, abstract: str, expected: list[str]) -> None:
    found = datasets(nlp, title, abstract)
    for name in expected:
        assert canonical_key(name) in found, f"{family}: {name!r} not in {sorted(found)}"


@pytest.mark.parametrize(
    ("title", "abstract", "name"),
    [
        ("ProcBench: Benchmark for Multi-Step Reasoning", "We propose ProcBench, which tests procedures.", "ProcBench"),
        ("Reading", "We present ROPES, a challenging benchmark for reading comprehension.", "ROPES"),
        ("MultiNER: A Benchmark for Nested NER", "We introduce MultiNER, a multilingual corpus.", "MultiNER"),
    ],
)
def test_introduced_datasets_are_proposed(nlp: Language, title: str, abstract: str, name: str) -> None:
    found = datasets(nlp, title, abstract)
    assert found[canonical_key(name)]["proposed"] is True


@pytest.mark.parametrize(
    ("family", "title", "abstract", "forbidden"),
    [
        ("unnamed data", "Data", "We collect synthetic data and 3,450 real-world rollouts of Chinese and English data.",
         ["synthetic data", "real-world rollouts", "Chinese"]),
        ("models are not datasets", "Models", "We evaluate GPT-4 and BERT on MMLU.", ["GPT-4", "BERT"]),
        ("tasks are not datasets", "NER",
         "Named entity recognition (NER) datasets are mostly English.", ["named entity recognition", "NER"]),
        ("title-case words in the title", "Real-World Multi-Hop Reasoning: A Study", "We study reasoning on MMLU.",
         ["Real-World", "Multi-Hop"]),
        ("model sizes and token counts", "Scale", "A 7B model is trained on 1T tokens from MMLU.", ["1T", "7B"]),
    ],
)
def test_excludes(nlp: Language, family: str, title: str, abstract: str, forbidden: list[str]) -> None:
    found = datasets(nlp, title, abstract)
    for name in forbidden:
        assert canonical_key(name) not in found, f"{family}: {name!r} was extracted"
