"""Extraction speed: words per second of the raw English pipeline and of phasegraph's full extraction.

    .venv/bin/python bench/extract_speed.py [--repeat 10]

Both run on the same texts (the built-in sample corpus repeated ``--repeat``
times), with 1 and 2 worker processes. The raw pipeline is the trained
English pipeline without NER (``nlp.pipe``); the full extraction is what
``phasegraph extract`` runs: that pipeline plus phasegraph's components and
the conversion of each doc into its record. Target: full >= 0.8 x raw.
"""

from __future__ import annotations

import argparse
import time

import spacy

from phasegraph.extract.pipeline import extract_records, load_pipeline, resolve_model
from phasegraph.extract.readers import SAMPLE_CORPUS, read_corpus


def words_per_second(run, texts_words: int) -> float:
    """Words per second of one call of ``run`` (which consumes the whole corpus)."""
    start = time.perf_counter()
    run()
    return texts_words / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="copies of the sample corpus")
    args = parser.parse_args()

    papers = read_corpus([SAMPLE_CORPUS]).papers * args.repeat
    texts = [p.text for p in papers]
    words = sum(len(t.split()) for t in texts)
    raw = spacy.load(resolve_model(None), exclude=["ner"])
    full = load_pipeline()
    list(raw.pipe(texts[:20]))  # warm up both pipelines
    list(extract_records(papers[:20], full))
    print(f"corpus: {len(texts)} texts, {words} words (sample corpus x{args.repeat})")
    print(f"{'workers':>7}  {'raw words/s':>12}  {'full words/s':>12}  {'full/raw':>8}")
    for workers in (1, 2):
        raw_wps = words_per_second(lambda: sum(1 for _ in raw.pipe(texts, n_process=workers, batch_size=64)), words)
        full_wps = words_per_second(
            lambda: sum(1 for _ in extract_records(papers, full, workers=workers, batch_size=64)), words)
        print(f"{workers:>7}  {raw_wps:>12,.0f}  {full_wps:>12,.0f}  {full_wps / raw_wps:>8.2f}")


if __name__ == "__main__":
    main()
