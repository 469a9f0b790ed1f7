"""The methods extractor, one parametrised case per rule family (and per negative family)."""

from __future__ import annotations

import pytest
from phasegraph.extract.entities import entity_records
from phasegraph.extract.normalise import canonical_key
from spacy.language import Language


def methods(nlp: Language, title: str, abstract: str) -> dict[str, dict]:
    doc = nlp(f"{title}\n{abstract}")
    return {canonical_key(r["name"]): r for r in entity_records(doc, "methods")}


@pytest.mark.parametrize(
    ("family", "title", "abstract", "expected"),
    [
        ("gazetteer: named models and optimisers",
         "A study of optimisers", "We fine-tune BERT and GPT-2 with Adam and compare with Llama 3 8B on puzzles.",
         ["BERT", "GPT-2", "Adam", "Llama 3 8B"]),
        ("gazetteer: versioned names stay whole",
         "Model comparison", "We compare GPT-4o-mini, DeepSeek-V3 and o1-preview on puzzles.",
         ["GPT-4o-mini", "DeepSeek-V3", "o1-preview"]),
        ("head noun: technique phrases with modifiers",
         "Training tricks", ("We combine supervised contrastive learning with knowledge distillation and "
         "chain-of-thought prompting."),
         ["supervised contrastive learning", "knowledge distillation", "chain-of-thought prompting"]),
        ("head noun: hyphenated modifiers are kept",
         "Planning", "Dyna-style model-based reinforcement learning alternates two phases.",
         ["Dyna-style model-based reinforcement learning"]),
        ("acronym: long form named, short form as alias",
         "Agents", "We train the policy with proximal policy optimization (PPO). PPO is stable.",
         ["proximal policy optimization"]),
        ("title prefix: the proposed system",
         "COPlanner: Plan to Roll Out Conservatively", "In this paper, we propose COPlanner, a planning-driven framework.",
         ["COPlanner"]),
        ("coordinated modifiers share the head",
         "Agents", "We unify offline and online reinforcement learning in one agent.",
         ["offline reinforcement learning", "online reinforcement learning"]),
        ("mixed-case names after a comparison",
         "Segmentation", "Our model outperforms DeepLabV3+ and SETR on standard benchmarks.",
         ["DeepLabV3+", "SETR"]),
        ("appositive: our method, Name (SF)",
         "Grounding", "Our method, Grounded Contrastive Alignment (GCA), combines CLIP features with attention.",
         ["Grounded Contrastive Alignment", "CLIP"]),
        ("appositive: our agent, NAME,", "Exploration", "Our agent, ZORRO, combines episodic memory with curiosity.",
         ["ZORRO"]),
        ("training verbs: what is trained and what it is trained with", "Translation",
         "We train KORA with back-translation. The policy is optimised with ZetaOpt and trained with Quillprop.",
         ["KORA", "back-translation", "ZetaOpt", "Quillprop"]),
        ("trained with: the parser attaches 'with' to a noun", "Sampling",
         "We train a ResNet on Tiny ImageNet with Stochastic Gradient Langevin Dynamics.",
         ["Stochastic Gradient Langevin Dynamics"]),
        ("a sentence-final name keeps its full stop apart", "Optimisers",
         "The network is optimised with AdamW. It converges with LionV2.", ["AdamW", "LionV2"]),
        ("a capitalised word before a model name joins it", "Pose",
         "On CrowdPose, KeyDet outperforms Deformable DETR and Cascade KeyNet.",
         ["KeyDet", "Deformable DETR", "Cascade KeyNet"]),
        ("what a method is compared with", "Forecasting",
         "We compare with Informer (Zhou et al., 2021) and are compared to Pyraformer on ETTh1.",
         ["Informer", "Pyraformer"]),
        ("technique phrases with hyphenated or rare heads", "Tricks",
         "We use pseudo-labelling, gradient clipping, label smoothing and stochastic weight averaging.",
         ["pseudo-labelling", "gradient clipping", "label smoothing", "stochastic weight averaging"]),
    ],
)
def test_finds(nlp: Language, family: str, title: str, abstract: str, expected: list[str]) -> None:
    found = methods(nlp, title, abstract)
    for name in expected:
        assert canonical_key(name) in found, f"{family}: {name!r} not in {sorted(found)}"


@pytest.mark.parametrize(
    ("family", "title", "abstract", "forbidden"),
    [
        ("bare generic heads", "A note", "We propose a new framework and a simple approach, and the method works.",
         ["framework", "approach", "method"]),
        ("tasks and fields", "Tasks", ("Question answering and semantic segmentation are studied in machine learning "
         "and natural language processing (NLP)."),
         ["question answering", "semantic segmentation", "machine learning", "natural language processing"]),
        ("phenomena", "Grokking", "Networks show grokking and catastrophic forgetting during training.",
         ["grokking", "catastrophic forgetting"]),
        ("generic model classes and training words",
         "LLMs", "Large language models (LLMs) improve with fine-tuning and pre-training of deep neural networks.",
         ["large language models", "LLMs", "fine-tuning", "pre-training", "deep neural networks"]),
        ("metrics and hardware", "Results", "We report BLEU and mIoU on an A100 GPU.", ["BLEU", "mIoU", "A100", "GPU"]),
        ("organisations and URLs", "Release", "Code from OpenAI is at https://github.com/org/RepoName.",
         ["OpenAI", "RepoName"]),
        ("evaluative modifiers are trimmed", "Study", "We use a novel knowledge distillation.",
         ["novel knowledge distillation"]),
        ("settings with modifiers", "Continual", "We study supervised continual learning of tasks.",
         ["supervised continual learning"]),
        ("a task before a generic head", "Segmentation", "We propose a panoptic segmentation network.",
         ["panoptic segmentation network", "panoptic segmentation"]),
        ("metrics of other areas", "Results", "We report PQ, mAP, WER, Dice score, ROC-AUC and NDCG@10 at 45 FPS.",
         ["PQ", "mAP", "WER", "Dice score", "ROC-AUC", "NDCG@10", "FPS"]),
        ("venues with a year", "Tutorial", "This COLING 2025 tutorial revisits ICML'19 papers on GPT-2.",
         ["COLING 2025", "COLING", "ICML'19"]),
        ("quoted title words", "Notes", "We summarise the talk ``Towards Building and Surpassing Multimodal GPT-4''.",
         ["Building", "Surpassing Multimodal GPT-4"]),
        ("single letters after a training verb", "Sparsity", "We learn N:M masks and train M with SGD.", ["N", "M"]),
        ("cited authors", "Forecasting", "We compare with Informer (Zhou et al., 2021) following Smith and Jones.",
         ["Zhou", "Smith", "Jones", "Smith and Jones"]),
        ("the paper itself in an appositive", "Study", "Our study, Project Aria, uses glasses.", ["Project Aria"]),
    ],
)
def test_excludes(nlp: Language, family: str, title: str, abstract: str, forbidden: list[str]) -> None:
    found = methods(nlp, title, abstract)
    for name in forbidden:
        assert canonical_key(name) not in found, f"{family}: {name!r} was extracted"


def test_acronym_and_long_form_are_one_entity(nlp: Language) -> None:
    found = methods(nlp, "RL", "We use proximal policy optimization (PPO). PPO converges and PPO is simple.")
    record = found["proximal policy optimization"]
    assert record["aliases"] == ["PPO"]
    assert "ppo" not in found
    assert len(record["mentions"]) == 4


@pytest.mark.parametrize(
    ("title", "abstract", "name", "proposed"),
    [
        ("COPlanner: Plan to Roll Out", "We propose COPlanner, a framework. It uses SAC.", "COPlanner", True),
        ("COPlanner: Plan to Roll Out", "We propose COPlanner, a framework. It uses SAC.", "SAC", False),
        ("A study", "We introduce Stepwise Rationale Distillation (SRD), which fine-tunes T5.",
         "Stepwise Rationale Distillation", True),
        ("A study", "We introduce Stepwise Rationale Distillation (SRD), which fine-tunes T5.", "T5", False),
        ("A study", "We present DocRAG, a retrieval-augmented generation system.", "DocRAG", True),
        ("A study", "We present DocRAG, a retrieval-augmented generation system.", "retrieval-augmented generation", False),
        ("A study", "Our agent, ZORRO, combines episodic memory with curiosity.", "ZORRO", True),
        ("A study", "In our experiments, GPT-4 fails on long documents.", "GPT-4", False),
    ],
)
def test_proposed(nlp: Language, title: str, abstract: str, name: str, proposed: bool) -> None:
    assert methods(nlp, title, abstract)[canonical_key(name)]["proposed"] is proposed


def test_transformers_and_transformer_share_a_key(nlp: Language) -> None:
    found = methods(nlp, "Attention", "Transformers are strong. A transformer with attention is used.")
    assert [k for k in found if k.startswith("transformer")] == ["transformer"]
