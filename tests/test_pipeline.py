"""The extraction pipeline: model loading, the title boundary, records, and several processes."""

from __future__ import annotations

import json

import pytest
from spacy.language import Language

from phasegraph.errors import ModelError
from phasegraph.extract.paper import Paper
from phasegraph.extract.pipeline import COMPONENTS, RELEASE, doc_to_record, extract_records, load_pipeline, resolve_model

PAPERS = [
    Paper(id="a", title="COPlanner: Planning with Conservative Rollouts",
          abstract="Dyna-style model-based reinforcement learning contains two phases: model rollouts and "
                   "real environment exploration. We evaluate COPlanner on MuJoCo tasks.", source="t:1"),
    Paper(id="b", title="Grokking as a phase transition",
          abstract="We observe four learning phases: comprehension, grokking, memorization, and confusion. "
                   "We train transformers on CIFAR-100 with the Adam optimizer.", source="t:2"),
]


def test_components_run_after_the_trained_pipeline(nlp: Language) -> None:
    assert "ner" not in nlp.pipe_names
    assert nlp.pipe_names[-len(COMPONENTS) - 1:] == [*COMPONENTS, RELEASE]


def test_the_title_is_its_own_sentence(nlp: Language) -> None:
    doc = nlp(PAPERS[0].text)
    first = next(iter(doc.sents))
    assert first.text.strip() == PAPERS[0].title


def test_record_has_the_guide_form_and_offsets(nlp: Language) -> None:
    paper = PAPERS[1]
    record = doc_to_record(nlp(paper.text), paper)
    assert record["id"] == "b" and record["paper"]["title"] == paper.title
    for group in ("methods", "datasets"):
        for entity in record[group]:
            assert entity["name"] and isinstance(entity["aliases"], list)
            for mention in entity["mentions"]:
                assert paper.text[mention["start"]:mention["end"]] == mention["text"]
                assert mention["text"] in mention["evidence"]
    for structure in record["phase_structures"]:
        assert paper.text[structure["start"]:structure["end"]] == structure["evidence"]
    json.dumps(record)  # the record is plain JSON


def test_two_processes_give_the_same_records(nlp: Language) -> None:
    one = list(extract_records(PAPERS, nlp, workers=1))
    two = list(extract_records(PAPERS, nlp, workers=2))
    assert one == two


def test_a_named_model_is_used_as_given() -> None:
    assert resolve_model("my_pipeline") == "my_pipeline"


def test_a_missing_model_names_the_package_to_install() -> None:
    with pytest.raises(ModelError, match="pip install"):
        load_pipeline("no_such_spacy_pipeline_xyz")


@pytest.mark.parametrize("title, abstract", [
    ("Learning to Use Tools via Self-Driven Interactions", "Tool learning enables large language models to act."),
    ("Traffic Signal Control with Reinforcement Learning", "Traffic light control is a hard problem. We study it."),
])
def test_the_abstract_does_not_start_with_a_one_word_sentence(nlp: Language, title: str, abstract: str) -> None:
    doc = nlp(f"{title}\n{abstract}")
    sentences = [s for s in doc.sents if s.text.strip()]
    assert sentences[0].text.strip() == title
    assert sentences[1].text.startswith(abstract.split(".")[0])
