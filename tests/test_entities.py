"""Entity records, component configuration, multiprocessing, and generalisation to other areas of ML.

The generalisation abstracts below were written for these tests in the style of vision, NLP,
speech and RL papers (they are not from the dev corpus): the extractor must find the named
benchmarks and systems without rules fitted to any one paper.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy
from phasegraph.extract.entities import PATTERNS_DIR, Lexicon, entity_records
from phasegraph.extract.normalise import canonical_key
from spacy.language import Language

from phasegraph.errors import InputError

TEXT = ("RandAugment: Practical automated data augmentation\n"
        "We propose RandAugment, a data augmentation method. We train ResNet-50 with stochastic gradient descent (SGD) "
        "on the ImageNet dataset and on CIFAR-10. SGD is run for 90 epochs.")


def keys(records: list[dict]) -> set[str]:
    return {canonical_key(r["name"]) for r in records}


def test_record_form_and_offsets(nlp: Language) -> None:
    doc = nlp(TEXT)
    methods = entity_records(doc, "methods")
    assert methods, "no methods found"
    for record in methods + entity_records(doc, "datasets"):
        assert set(record) == {"name", "key", "aliases", "proposed", "mentions"}
        assert record["key"] == canonical_key(record["name"])
        for m in record["mentions"]:
            assert TEXT[m["start"]:m["end"]] == m["text"]
            assert TEXT[m["evidence_start"]:m["evidence_end"]] == m["evidence"]
            assert m["evidence_start"] <= m["start"] < m["end"] <= m["evidence_end"]
    sgd = next(r for r in methods if r["key"] == "stochastic gradient descent")
    assert sgd["aliases"] == ["SGD"] and len(sgd["mentions"]) == 3
    rand = next(r for r in methods if r["key"] == "randaugment")
    assert rand["proposed"] is True


def test_missing_group_gives_no_records() -> None:
    doc = spacy.blank("en")("nothing here")
    assert entity_records(doc, "methods") == []


def test_two_processes_give_identical_records(nlp: Language) -> None:
    texts = [TEXT, "GSM8K: a title\nWe evaluate GPT-4 with chain-of-thought prompting on GSM8K and MATH."] * 2
    one = [(entity_records(d, "methods"), entity_records(d, "datasets")) for d in nlp.pipe(texts)]
    two = [(entity_records(d, "methods"), entity_records(d, "datasets")) for d in nlp.pipe(texts, n_process=2)]
    assert one == two


def test_spans_survive_serialisation(nlp: Language) -> None:
    doc = nlp(TEXT)
    restored = spacy.tokens.Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert entity_records(restored, "methods") == entity_records(doc, "methods")
    assert entity_records(restored, "datasets") == entity_records(doc, "datasets")


def test_patterns_dir_is_configurable(tmp_path: Path) -> None:
    shutil.copytree(PATTERNS_DIR, tmp_path / "p")
    (tmp_path / "p" / "gazetteer_datasets.txt").write_text("ZetaBench\n", encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("phasegraph_methods", config={"patterns_dir": str(tmp_path / "p")})
    nlp.add_pipe("phasegraph_datasets", config={"patterns_dir": str(tmp_path / "p")})
    doc = nlp("T\nResults on ZetaBench improve.")
    assert keys(entity_records(doc, "datasets")) == {"zetabench"}
    # initialize reloads the lists (here: back to the packaged ones)
    nlp.get_pipe("phasegraph_methods").initialize(nlp=nlp, patterns_dir="")
    assert "ImageNet" in nlp.get_pipe("phasegraph_methods").finder.lexicon.dataset_names


def test_a_missing_patterns_dir_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the pattern file"):
        Lexicon.load(tmp_path / "nowhere")


def test_datasets_component_runs_alone() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("phasegraph_datasets")
    doc = nlp("T\nWe train on MNIST and CIFAR-100.")
    assert keys(entity_records(doc, "datasets")) == {"mnist", "cifar 100"}


# (title, abstract, methods that must be found, datasets that must be found, names that must not be found)
GENERALISATION = [
    ("SegFormer-X: Efficient Semantic Segmentation with Hierarchical Transformers",
     ("We present SegFormer-X, a simple and efficient semantic segmentation framework that unifies Transformers with "
     "lightweight multilayer perceptron (MLP) decoders. We evaluate it on the Cityscapes dataset and on ADE20K, where "
     "it outperforms DeepLabV3+ and SETR while using fewer parameters. With knowledge distillation from a larger "
     "teacher, our smallest model reaches 78.1% mIoU on Cityscapes."),
     ["SegFormer-X", "Transformers", "multilayer perceptron", "DeepLabV3+", "SETR", "knowledge distillation"],
     ["Cityscapes", "ADE20K"], ["semantic segmentation", "mIoU", "framework"]),
    ("Learning to Ground Instructions with Contrastive Pre-training",
     ("We introduce RefPlan, a new benchmark of 12,000 annotated household scenes for evaluating grounded planning. "
     "Our method, Grounded Contrastive Alignment (GCA), combines CLIP features with a lightweight cross-attention "
     "module trained with contrastive learning. Experiments on RefCOCO and RefPlan show that GCA improves accuracy "
     "by 4.2 points. We further show that curriculum learning over scene complexity stabilises training."),
     ["Grounded Contrastive Alignment", "CLIP", "contrastive learning", "curriculum learning"],
     ["RefPlan", "RefCOCO"], ["accuracy", "household scenes"]),
    ("Sample-Efficient Exploration with Latent World Models",
     ("Deep reinforcement learning agents require millions of interactions. We propose LatentExplorer (LEX), a "
     "model-based agent that plans with model predictive control. LEX is trained with proximal policy optimization "
     "(PPO) on imagined rollouts. On the Atari 100k benchmark and the DeepMind Control Suite, LEX outperforms "
     "DreamerV3 and SAC. We also evaluate on MuJoCo locomotion tasks and on Procgen."),
     ["LatentExplorer", "model predictive control", "proximal policy optimization", "DreamerV3", "SAC"],
     ["Atari", "DeepMind Control Suite", "MuJoCo", "Procgen"], ["rollouts"]),
    ("Distilling Reasoning into Small Language Models",
     ("Large language models (LLMs) such as GPT-4 solve math problems with chain-of-thought prompting. We propose "
     "Stepwise Rationale Distillation (SRD), which fine-tunes T5 and Llama 2 7B on rationales. SRD uses low-rank "
     "adaptation (LoRA) to keep training cheap. On GSM8K, SVAMP and MATH, SRD improves the accuracy of Flan-T5."),
     ["GPT-4", "chain-of-thought prompting", "Stepwise Rationale Distillation", "T5", "Llama 2 7B",
      "low-rank adaptation"],
     ["GSM8K", "SVAMP", "MATH"], ["large language models", "LLMs", "math problems"]),
    ("MultiNER: A Benchmark for Nested Named Entity Recognition in 40 Languages",
     ("Named entity recognition (NER) datasets are mostly English. We introduce MultiNER, a multilingual corpus of 2.1 "
     "million annotated sentences built from Wikipedia. We benchmark XLM-RoBERTa and mBERT, and find that transfer "
     "learning from CoNLL-2003 helps low-resource languages."),
     ["XLM-RoBERTa", "mBERT"], ["MultiNER", "Wikipedia", "CoNLL-2003"], ["named entity recognition", "NER"]),
    ("Robust Policy Optimization under Observation Noise",
     ("Reinforcement learning policies are brittle under sensor noise. We propose Noise-Aware Policy Optimization "
     "(NAPO), an actor-critic algorithm that adds adversarial training to the critic. We compare NAPO with PPO, "
     "TRPO and soft actor-critic on the Meta-World benchmark."),
     ["Noise-Aware Policy Optimization", "adversarial training", "PPO", "TRPO", "soft actor-critic"],
     ["Meta-World"], ["sensor noise"]),
    ("Scaling Vision Transformers with Mixture-of-Experts",
     ("We study sparse Mixture-of-Experts (MoE) layers in Vision Transformers (ViT). Our model, V-MoE-L, is pretrained "
     "on JFT-300M and fine-tuned on ImageNet-1k, reaching 90.3% top-1 accuracy. Transfer results on CIFAR-100, "
     "Oxford Flowers and Stanford Cars confirm the gains."),
     ["Mixture-of-Experts", "Vision Transformers", "V-MoE-L"],
     ["JFT-300M", "ImageNet-1k", "CIFAR-100", "Oxford Flowers", "Stanford Cars"], ["top-1", "90.3%"]),
    ("Retrieval-Augmented Question Answering over Long Documents",
     ("We present DocRAG, a retrieval-augmented generation system that combines BM25 with a dense retriever. DocRAG "
     "is evaluated on Natural Questions, TriviaQA and HotpotQA, and on a new long-document test set, LongDocQA. "
     "DocRAG uses a reader based on BART."),
     ["DocRAG", "retrieval-augmented generation", "BM25", "BART"],
     ["Natural Questions", "TriviaQA", "HotpotQA", "LongDocQA"], ["question answering"]),
    ("Self-Supervised Speech Representations for Low-Resource ASR",
     ("We pre-train a wav2vec 2.0 model on 5,000 hours of unlabelled speech and fine-tune it for speech recognition. "
     "On LibriSpeech and Common Voice, our model reduces word error rate by 18% relative to a HuBERT baseline. "
     "Data augmentation with SpecAugment further improves robustness."),
     ["wav2vec 2.0", "HuBERT", "data augmentation", "SpecAugment"], ["LibriSpeech", "Common Voice"],
     ["speech recognition", "unlabelled speech"]),
    ("Offline RL from Human Demonstrations in Minecraft",
     ("Our approach, Video PreTraining with Inverse Dynamics (VPT-ID), learns an inverse dynamics model, pseudo-labels "
     "70,000 hours of online videos and trains a policy by behavioural cloning. On the MineRL benchmark, VPT-ID "
     "crafts diamond tools, compared with 0% for prior offline methods such as CQL and IQL."),
     ["Video PreTraining with Inverse Dynamics", "behavioural cloning", "CQL", "IQL"], ["MineRL"],
     ["online videos"]),
    ("Panoptic-DeepLab Revisited: A Simple Baseline for Bottom-Up Panoptic Segmentation",
     ("We revisit Panoptic-DeepLab and show that a simple bottom-up baseline with a ResNet-50 backbone achieves 63.0% "
     "PQ on the Mapillary Vistas validation set and 41.2% PQ on COCO. Unlike Mask R-CNN, our approach needs no "
     "proposals. Code is available at https://github.com/example/PanopticBaseline."),
     ["Panoptic-DeepLab", "ResNet-50", "Mask R-CNN"], ["Mapillary Vistas", "COCO"],
     ["Panoptic-DeepLab Revisited", "PQ", "PanopticBaseline", "panoptic segmentation"]),
    ("HumanEval-X: Evaluating Multilingual Code Generation",
     ("Code generation models such as Codex and StarCoder are evaluated mostly on Python. We introduce HumanEval-X, a "
     "benchmark of 820 hand-written problems in five programming languages. We evaluate CodeGeeX, InCoder and GPT-3.5 "
     "and find that pass@1 drops sharply outside Python."),
     ["Codex", "StarCoder", "CodeGeeX", "InCoder", "GPT-3.5"], ["HumanEval-X"], ["Python", "code generation"]),
    ("Emergent Abilities of Large Language Models",
     ("Scaling up language models improves performance on downstream tasks. We discuss an unpredictable phenomenon "
     "that we refer to as emergent abilities of large language models. We survey results from BIG-Bench, MMLU and "
     "TruthfulQA for GPT-3, LaMDA, Gopher, Chinchilla and PaLM."),
     ["GPT-3", "LaMDA", "Gopher", "Chinchilla", "PaLM"], ["BIG-Bench", "MMLU", "TruthfulQA"],
     ["emergent abilities", "language models", "large language models"]),
    ("A Survey on Federated Learning for Healthcare",
     ("Federated learning (FL) enables hospitals to train models without sharing patient data. We review FL algorithms "
     "such as FedAvg and FedProx and benchmarks such as the MIMIC-III and CheXpert datasets."),
     ["federated learning", "FedAvg", "FedProx"], ["MIMIC-III", "CheXpert"], ["patient data"]),
]


@pytest.mark.parametrize(("title", "abstract", "methods", "datasets", "absent"), GENERALISATION,
                         ids=[g[0][:40] for g in GENERALISATION])
def test_generalises_to_other_areas(nlp: Language, title: str, abstract: str, methods: list[str],
                                    datasets: list[str], absent: list[str]) -> None:
    doc = nlp(f"{title}\n{abstract}")
    found_m, found_d = keys(entity_records(doc, "methods")), keys(entity_records(doc, "datasets"))
    assert {canonical_key(m) for m in methods} <= found_m, f"methods missing: {sorted(found_m)}"
    assert {canonical_key(d) for d in datasets} <= found_d, f"datasets missing: {sorted(found_d)}"
    assert not {canonical_key(a) for a in absent} & (found_m | found_d)
