"""Extraction quality on the development set: a regression test, not a timing.

Runs the extraction over ``../shared/eval/dev_input.jsonl`` and scores it with
the project's scorer (``../shared/eval/score.py --json``). Each figure may not
fall more than ``TOLERANCE`` below the level reached when the rules were last
tuned (``REACHED``); raise ``REACHED`` when the rules improve.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.language import Language

from phasegraph.extract.pipeline import extract_records
from phasegraph.extract.readers import read_corpus

TOLERANCE = 0.02
REACHED = {
    "methods F1": 0.769,
    "datasets F1": 0.971,
    "phase structures F1": 0.932,
    "phase names F1": 0.701,
    "phase count accuracy": 0.979,
}


@pytest.fixture(scope="module")
def figures(nlp: Language, dev_set: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """The dev-set figures of the current extractors."""
    pred = tmp_path_factory.mktemp("dev") / "pred.jsonl"
    report = read_corpus([dev_set / "dev_input.jsonl"])
    with open(pred, "w", encoding="utf-8") as f:
        for record in extract_records(report.papers, nlp):
            f.write(json.dumps(record) + "\n")
    scored = subprocess.run([sys.executable, str(dev_set / "score.py"), str(dev_set / "dev_gold.jsonl"), str(pred), "--json"],
                            check=True, capture_output=True, text=True)
    result = json.loads(scored.stdout)
    return {
        "methods F1": result["methods"]["f1"],
        "datasets F1": result["datasets"]["f1"],
        "phase structures F1": result["phases"]["structures"]["f1"],
        "phase names F1": result["phases"]["phase_names"]["f1"],
        "phase count accuracy": result["phases"]["count_accuracy"],
    }


@pytest.mark.slow
@pytest.mark.parametrize("figure", list(REACHED))
def test_dev_figure_holds(figures: dict[str, float], figure: str) -> None:
    assert figures[figure] >= REACHED[figure] - TOLERANCE, f"{figure} fell to {figures[figure]:.3f}"
