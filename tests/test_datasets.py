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
        ("trained or evaluated on a capitalised name", "Driving",
         "We first pre-train the encoder on Harbour Scenes, and then fine-tune it on the Riverbank dataset.",
         ["Harbour Scenes", "Riverbank"]),
        ("shared-task editions with apostrophe years and task numbers", "Translation",
         "We report results on IWSLT'17 German-English, DSTC'11 and SemEval-2016 Task 5.",
         ["IWSLT'17", "DSTC'11", "SemEval-2016 Task 5"]),
        ("a name with a year", "Medical", "We evaluate on BraTS 2020 and on the KiTS19 challenge.",
         ["BraTS 2020", "KiTS19"]),
        ("games and tasks of a named suite", "Games",
         ("We evaluate on Private Eye and Pitfall from the Arcade Learning Environment, and on Rocket Bay from the "
          "Kestrel suite."), ["Private Eye", "Pitfall", "Arcade Learning Environment", "Rocket Bay", "Kestrel"]),
        ("possessives inside a name", "Exploration",
         "We evaluate on Montezuma's Revenge from the Arcade Learning Environment.", ["Montezuma's Revenge"]),
        ("a name-like word before a task noun", "Offline RL",
         "On the D4RL locomotion and AntMaze tasks, CVR outperforms CQL.", ["D4RL", "AntMaze"]),
        ("a capitalised word after an unknown name joins it", "Tabular",
         "We use 45 datasets, including UCI Adult, Higgs and California Housing.",
         ["UCI Adult", "Higgs", "California Housing"]),
        ("a list after a colon", "Locomotion",
         "We evaluate on three benchmarks: Hopper, Walker2d and HalfCheetah.", ["Hopper", "Walker2d", "HalfCheetah"]),
        ("a lower-case identifier stays whole", "Compression",
         "We evaluate on the Hutter Prize enwik8 benchmark and report bits per character on text8.", ["enwik8", "text8"]),
        ("a cue word after a name: competition", "Forecasting", "We also report results on the M4 competition.", ["M4"]),
        ("a sentence-final name keeps its full stop apart", "Recommendation",
         "We report results on MovieLens-1M. Gains are large.", ["MovieLens-1M"]),
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
        ("idioms and tasks after 'on'", "Results",
         "On top of that, we report gains on average on tasks from Natural Language Inference, evaluated on Monday.",
         ["top", "average", "tasks", "Natural Language Inference", "Monday"]),
        ("language pairs", "Translation", "We report results on IWSLT'17 German-English and WMT 2014 English-French.",
         ["German-English", "English-French"]),
        ("a list ends at its conjunction", "Detection", "On MS COCO and LVIS, KeyDet outperforms YOLOv8.",
         ["KeyDet", "YOLOv8"]),
        ("a cue word used as a verb", "Tabular", "We benchmark TabFormer, GridNet and a tuned MLP on 45 datasets.",
         ["TabFormer", "GridNet"]),
        ("a name only modifying a noun after 'on'", "Language", "It is tested on Penn Tree bank text.",
         ["Penn Tree"]),
    ],
)
def test_excludes(nlp: Language, family: str, title: str, abstract: str, forbidden: list[str]) -> None:
    found = datasets(nlp, title, abstract)
    for name in forbidden:
        assert canonical_key(name) not in found, f"{family}: {name!r} was extracted"
