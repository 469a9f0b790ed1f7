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
from phasegraph.extract.entities import (
    PATTERNS_DIR,
    Lexicon,
    entity_records,
    split_glued_periods,
)
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
    # held-out abstracts from other areas (object detection, speech, cross-lingual NLP, offline RL, graphs,
    # recommendation, medical imaging, tabular data), written for these tests
    ("Scaling Panoptic Segmentation with Hierarchical Queries",
     ("We propose a panoptic segmentation network optimised with AdamW. We first pre-train the backbone on Mapillary "
      "Vistas, and then fine-tune the whole network on the Cityscapes dataset, where it reaches 65.3 PQ and "
      "outperforms Panoptic-DeepLab."),
     ["AdamW", "Panoptic-DeepLab"], ["Mapillary Vistas", "Cityscapes"],
     ["PQ", "panoptic segmentation network", "panoptic segmentation", "backbone"]),
    ("Low-Resource Translation with Latent Reordering",
     ("We train LRE with back-translation and knowledge distillation. Experiments on FLORES-200 and the WMT'19 "
      "English-Gujarati task show gains of 3 BLEU over mBART."),
     ["LRE", "back-translation", "knowledge distillation", "mBART"], ["FLORES-200", "WMT'19"],
     ["BLEU", "English-Gujarati", "Gujarati"]),
    ("Episodic Curiosity for Hard-Exploration Games",
     ("Our agent, EMC, combines episodic memory with curiosity. We evaluate on Montezuma's Revenge from the Arcade "
      "Learning Environment and on the MiniGrid suite, where EMC outperforms RND and Go-Explore."),
     ["EMC", "RND", "Go-Explore"], ["Montezuma's Revenge", "Arcade Learning Environment", "MiniGrid"],
     ["curiosity", "suite"]),
    ("SparseDet: Query-Efficient Object Detection with Deformable Attention",
     ("Detection transformers such as DETR converge slowly. We present SparseDet, a detector that replaces dense "
      "queries with learned sparse proposals and deformable attention. SparseDet uses a Swin Transformer backbone "
      "with a feature pyramid network (FPN) and is trained with the AdamW optimizer. On MS COCO and LVIS, SparseDet "
      "outperforms YOLOv8 and Deformable DETR by 2.1 mAP while running at 45 FPS. We further pre-train the backbone "
      "on Objects365 before fine-tuning on COCO."),
     ["SparseDet", "DETR", "Swin Transformer", "feature pyramid network", "AdamW", "YOLOv8", "Deformable DETR"],
     ["MS COCO", "LVIS", "Objects365", "COCO"], ["mAP", "FPS", "object detection", "detector", "Deformable"]),
    ("Streaming Speech Recognition with Conformer Transducers",
     ("We study streaming automatic speech recognition (ASR) with the Conformer architecture. Our model, "
      "StreamConformer, combines a Conformer encoder with a recurrent neural network transducer (RNN-T) loss and is "
      "initialised from wav2vec 2.0. We train on the 960 hours of LibriSpeech with SpecAugment and evaluate on the "
      "test-clean and test-other sets and on TED-LIUM 3. StreamConformer reduces WER by 12% relative to a "
      "Transformer transducer, and knowledge distillation from a non-streaming teacher closes the gap."),
     ["Conformer", "StreamConformer", "recurrent neural network transducer", "wav2vec 2.0", "SpecAugment",
      "knowledge distillation"],
     ["LibriSpeech", "TED-LIUM 3"], ["ASR", "automatic speech recognition", "WER", "test-clean", "speech recognition"]),
    ("Cross-Lingual Transfer with Adapter Fusion",
     ("Multilingual encoders such as mBERT and XLM-R transfer poorly to distant languages. We propose LangFuse, which "
      "trains language-specific adapters with masked language modelling on Wikipedia and fuses them at inference "
      "time. We fine-tune RoBERTa-large and XLM-R on English data and evaluate zero-shot transfer on XNLI, PAWS-X and "
      "the SuperGLUE benchmark. LangFuse improves average accuracy by 3.4 points over full fine-tuning and MAD-X."),
     ["mBERT", "XLM-R", "LangFuse", "masked language modelling", "RoBERTa-large", "MAD-X"],
     ["Wikipedia", "XNLI", "PAWS-X", "SuperGLUE"], ["accuracy", "English", "zero-shot transfer", "fine-tuning"]),
    ("Conservative Value Regularisation for Offline Reinforcement Learning",
     ("Offline reinforcement learning suffers from overestimation of out-of-distribution actions. We introduce "
      "Conservative Value Regularisation (CVR), which adds a penalty to the critic of Soft Actor-Critic (SAC). On "
      "the D4RL locomotion and AntMaze tasks, CVR outperforms CQL, IQL and TD3+BC. We also train CVR from pixels on "
      "the DeepMind Control Suite and on Procgen, where it improves sample efficiency with data augmentation."),
     ["Conservative Value Regularisation", "Soft Actor-Critic", "CQL", "IQL", "TD3+BC", "data augmentation"],
     ["D4RL", "AntMaze", "DeepMind Control Suite", "Procgen"], ["overestimation", "sample efficiency", "pixels"]),
    ("Scalable Graph Transformers via Neighbourhood Sampling",
     ("Message-passing networks such as GCN, GAT and GraphSAGE struggle with long-range dependencies. We propose "
      "NodeFormer-S, a graph transformer that samples neighbourhoods with personalised PageRank and applies linear "
      "attention. We evaluate node classification on Cora, Citeseer and PubMed, and on ogbn-arxiv and ogbn-products "
      "from the Open Graph Benchmark (OGB). NodeFormer-S matches GraphSAGE on the small citation graphs and "
      "outperforms it by 2.3% on OGB while using 40% less memory."),
     ["GCN", "GAT", "GraphSAGE", "NodeFormer-S", "PageRank", "linear attention"],
     ["Cora", "Citeseer", "PubMed", "ogbn-arxiv", "ogbn-products", "Open Graph Benchmark"],
     ["node classification", "citation graphs", "memory", "2.3%"]),
    ("Contrastive Sequential Recommendation with Item Augmentations",
     ("Sequential recommenders such as SASRec and BERT4Rec are trained on sparse interaction histories. We propose "
      "CoSeRec+, which adds contrastive learning over augmented item sequences to a self-attentive encoder. "
      "Experiments on MovieLens-1M, Amazon Beauty and Yelp show that CoSeRec+ improves NDCG@10 by 8% over GRU4Rec "
      "and matrix factorization baselines."),
     ["SASRec", "BERT4Rec", "CoSeRec+", "contrastive learning", "GRU4Rec", "matrix factorization"],
     ["MovieLens-1M", "Amazon Beauty", "Yelp"], ["NDCG@10", "interaction histories", "sequential recommendation"]),
    ("Self-Configuring Segmentation of Brain Tumours",
     ("We present BrainSeg, a 3D U-Net variant with residual blocks and deep supervision for brain tumour "
      "segmentation. BrainSeg is trained with test-time augmentation on the BraTS 2021 training set and evaluated "
      "on the BraTS validation set and on the Medical Segmentation Decathlon. It outperforms nnU-Net and TransUNet "
      "in Dice score and Hausdorff distance."),
     ["BrainSeg", "U-Net", "deep supervision", "test-time augmentation", "nnU-Net", "TransUNet"],
     ["BraTS 2021", "BraTS", "Medical Segmentation Decathlon"], ["Dice score", "Hausdorff distance", "3D"]),
    ("Are Deep Networks Competitive on Tabular Data?",
     ("Gradient-boosted decision trees such as XGBoost and LightGBM remain strong on tabular data. We benchmark "
      "TabTransformer, FT-Transformer and a tuned multilayer perceptron against XGBoost and random forests on 45 "
      "datasets, including UCI Adult, Higgs and California Housing. With Bayesian optimization of hyperparameters "
      "and early stopping, XGBoost still wins on 30 of the 45 datasets, measured by ROC-AUC."),
     ["XGBoost", "LightGBM", "TabTransformer", "FT-Transformer", "multilayer perceptron", "random forests",
      "Bayesian optimization", "early stopping"],
     ["UCI Adult", "Higgs", "California Housing"],
     ["ROC-AUC", "tabular data", "hyperparameters", "tuned multilayer perceptron"]),
    ("Long-Horizon Forecasting with Patch Transformers",
     ("We propose PatchCast, a channel-independent Transformer for multivariate time-series forecasting. PatchCast is "
      "trained with the Adam optimizer. On the ETTh1, ETTm2, Weather and Electricity benchmarks, PatchCast reduces "
      "MSE by 12% relative to Informer, Autoformer and DLinear. We also report results on the M4 competition."),
     ["PatchCast", "Adam", "Informer", "Autoformer", "DLinear"], ["ETTh1", "ETTm2", "Weather", "Electricity", "M4"],
     ["MSE", "time-series forecasting", "multivariate time-series forecasting"]),
    ("Grasping Novel Objects with Diffusion Policies",
     ("We present GraspDiff, a diffusion policy for robotic grasping trained by behaviour cloning on 2,000 "
      "teleoperated demonstrations. In simulation on the RLBench suite and on a real Franka Panda arm, GraspDiff "
      "outperforms BC-Z, RT-1 and Diffusion Policy."),
     ["GraspDiff", "behaviour cloning", "BC-Z", "RT-1", "Diffusion Policy"], ["RLBench"],
     ["robotic grasping", "teleoperated demonstrations", "Franka Panda"]),
    ("Text-to-Audio Generation with Latent Diffusion",
     ("We introduce AudioLDM-X, a latent diffusion model for text-to-audio generation. AudioLDM-X is pre-trained on "
      "AudioSet and WavCaps and evaluated on AudioCaps and Clotho, where it improves FAD over AudioGen. A HiFi-GAN "
      "vocoder converts mel-spectrograms to waveforms."),
     ["AudioLDM-X", "latent diffusion model", "AudioGen", "HiFi-GAN"], ["AudioSet", "WavCaps", "AudioCaps", "Clotho"],
     ["FAD", "text-to-audio generation", "mel-spectrograms", "waveforms"]),
    ("Visual Instruction Tuning at Scale",
     ("We train VILA-Next, a vision-language model that connects a SigLIP encoder to Vicuna-13B via a two-layer MLP "
      "projector. VILA-Next is instruction-tuned on ShareGPT4V and LLaVA-Instruct-150K and evaluated on VQAv2, GQA, "
      "TextVQA, MMBench and POPE. It outperforms InstructBLIP and Qwen-VL on 9 of 12 benchmarks."),
     ["VILA-Next", "SigLIP", "Vicuna-13B", "InstructBLIP", "Qwen-VL"],
     ["ShareGPT4V", "LLaVA-Instruct-150K", "VQAv2", "GQA", "TextVQA", "MMBench", "POPE"],
     ["vision-language model", "benchmarks"]),
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


@pytest.mark.parametrize(
    ("text", "group", "name"),
    [
        ("Exploration\nOur agent, EMC, combines episodic memory with curiosity.", "methods", "EMC"),
        ("SparseDet: Fast Detection\nWe present SparseDet, a detector. On MS COCO and LVIS, SparseDet wins.",
         "methods", "SparseDet"),
        ("LatentMix: A Benchmark\nWe introduce LatentMix, a dataset of 10,000 scenes.", "datasets", "LatentMix"),
    ],
)
def test_held_out_proposals(nlp: Language, text: str, group: str, name: str) -> None:
    found = {r["key"]: r for r in entity_records(nlp(text), group)}
    assert found[canonical_key(name)]["proposed"] is True


def test_sentence_final_names_are_split_from_their_full_stop(nlp: Language) -> None:
    text = "T\nWe optimise with AdamW. Then proximal policy optimization (PPO) trains MovieLens-1M."
    doc = nlp(text)
    assert doc.text == text
    assert [t.text for t in doc if t.text.startswith(("AdamW", "MovieLens"))] == ["AdamW", "MovieLens-1M"]
    # the acronym span written after the split covers the right words
    assert [s.text for s in doc.spans["acronyms"]] == ["proximal policy optimization"]
    # splitting again is a no-op, and existing span groups move with the tokens
    before = [(s.start_char, s.end_char) for s in doc.spans["acronyms"]]
    split_glued_periods(doc)
    assert [(s.start_char, s.end_char) for s in doc.spans["acronyms"]] == before


def test_split_moves_existing_span_groups() -> None:
    nlp = spacy.blank("en")
    doc = nlp("We use AdamW. Then proximal policy optimization runs.")
    assert "AdamW." in [t.text for t in doc]
    doc.spans["g"] = [doc.char_span(19, 47)]
    doc.spans["g"].attrs["k"] = 1
    split_glued_periods(doc)
    assert [t.text for t in doc][2:4] == ["AdamW", "."]
    assert [s.text for s in doc.spans["g"]] == ["proximal policy optimization"]
    assert doc.spans["g"].attrs["k"] == 1
