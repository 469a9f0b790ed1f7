"""Embedded Cypher engine at scale: load time and the time of each README query, plus the exports.

A corpus of ``--papers`` papers (10,000 by default) is made by replicating extraction
records with new paper ids: the first of these that exists is used,

  1. ``--records FILE`` (a ``phasegraph extract`` output, e.g. phasegraph-out/extractions.jsonl),
  2. phasegraph-out/extractions.jsonl,
  3. the hand-annotated dev set ../shared/eval/dev_gold.jsonl (with titles and abstracts from
     dev_input.jsonl), which has the shape of extraction records,

so methods, datasets and phases are shared across copies as in a real corpus. The graph goes
through the real ``build_graph``. Prints: graph size, build time, load time in memory and to a
file (plus reopening the file), each README query's first and median time (5 runs), and the time
of each export format. Speed is printed, never asserted.

Usage: .venv/bin/python bench/graph_bench.py [--papers 10000] [--records FILE] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


from phasegraph.graph.build import build_graph, count_by_label, count_by_type
from phasegraph.graph.embedded import DATABASE_FILE, EmbeddedGraph
from phasegraph.graph.export import FORMATS, export_graph, read_export
from phasegraph.graph.graphml import GRAPH_FILE, read_graph, write_graph
from phasegraph.graph.cypher import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RECORDS = ROOT / "phasegraph-out" / "extractions.jsonl"
GOLD = ROOT.parent / "shared" / "eval" / "dev_gold.jsonl"
GOLD_INPUT = ROOT.parent / "shared" / "eval" / "dev_input.jsonl"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sample_records(explicit: Path | None) -> tuple[str, list[dict[str, Any]]]:
    """Where the sample records come from, and the records (in the extraction record shape)."""
    for path in (explicit, DEFAULT_RECORDS):
        if path is not None and path.is_file():
            return str(path), read_jsonl(path)
    if GOLD.is_file():
        inputs = {row["id"]: row for row in read_jsonl(GOLD_INPUT)} if GOLD_INPUT.is_file() else {}
        records = []
        for gold in read_jsonl(GOLD):
            paper = inputs.get(gold["id"], {})
            records.append({"id": gold["id"],
                            "paper": {"title": paper.get("title", gold["id"]), "abstract": paper.get("abstract", ""),
                                      "source": "dev_gold"},
                            "methods": gold.get("methods", []), "datasets": gold.get("datasets", []),
                            "phase_structures": gold.get("phase_structures", [])})
        return f"{GOLD} (hand-annotated dev set)", records
    sys.exit("no sample records: pass --records FILE (a `phasegraph extract` output)")


def replicate(records: list[dict[str, Any]], papers: int) -> list[dict[str, Any]]:
    """``papers`` records cycling through ``records``, each copy with a new paper id."""
    out = []
    for number in range(papers):
        record = dict(records[number % len(records)])
        record["id"] = f"{record['id']}-copy{number // len(records)}"
        out.append(record)
    return out


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = action()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--records", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    source, sample = sample_records(args.records)
    records = replicate(sample, args.papers)
    seconds, graph = timed(lambda: build_graph(records))
    print(f"sample: {len(sample)} records from {source}")
    print(f"graph: {args.papers} papers, {graph.number_of_nodes()} nodes, {graph.number_of_edges()} relationships "
          f"(build_graph {seconds:.2f} s)")
    print("  nodes:", ", ".join(f"{k} {v}" for k, v in count_by_label(graph).items()))
    print("  relationships:", ", ".join(f"{k} {v}" for k, v in count_by_type(graph).items()))

    with tempfile.TemporaryDirectory(prefix="phasegraph-bench-") as folder:
        work = Path(folder)
        seconds, _ = timed(lambda: write_graph(graph, work / GRAPH_FILE))
        print(f"\nGraphML write {seconds:.2f} s ({(work / GRAPH_FILE).stat().st_size / 1e6:.1f} MB)", end="")
        seconds, from_file = timed(lambda: read_graph(work))
        print(f", read {seconds:.2f} s")

        seconds, engine = timed(lambda: EmbeddedGraph.from_graph(graph))
        print(f"embedded load, in memory: {seconds:.2f} s")
        seconds, on_disk = timed(lambda: EmbeddedGraph.from_graph(from_file, work / DATABASE_FILE))
        on_disk.close()
        size = (work / DATABASE_FILE).stat().st_size / 1e6
        print(f"embedded load, to {DATABASE_FILE}: {seconds:.2f} s ({size:.1f} MB)", end="")
        seconds, reopened = timed(lambda: EmbeddedGraph.open(work))
        print(f", reopen {seconds * 1000:.0f} ms")

        busiest = engine.query("MATCH (d:Dataset)<-[:USES|PROPOSES]-(p:Paper)-[:CLAIMS]->(:PhaseStructure) "
                               "RETURN d.key AS key, count(DISTINCT p) AS n ORDER BY n DESC, key LIMIT 1").rows
        dataset_key = busiest[0]["key"] if busiest else "imagenet"  # so that methods-with-dataset finds rows
        print(f"$dataset = {dataset_key!r}")
        print(f"\nREADME queries (first run, median of {args.runs}; in memory | reopened file), rows:")
        for example in EXAMPLES:
            params = {"dataset": dataset_key} if "$dataset" in example.cypher else example.params
            times: dict[str, list[float]] = {"memory": [], "file": []}
            rows = 0
            for name, target in (("memory", engine), ("file", reopened)):
                for _ in range(args.runs):
                    seconds, result = timed(lambda: target.query(example.cypher, params))
                    times[name].append(seconds)
                    rows = len(result.rows)
            print(f"  {example.name:22} {times['memory'][0] * 1000:7.1f} ms {statistics.median(times['memory']) * 1000:7.1f} ms"
                  f" | {times['file'][0] * 1000:7.1f} ms {statistics.median(times['file']) * 1000:7.1f} ms   {rows} rows")
        engine.close()
        reopened.close()

        print("\nexports (write, read back):")
        for fmt in FORMATS:
            target = work / ("neo4j-csv" if fmt == "neo4j-csv" else f"export.{fmt}")
            write_seconds, _ = timed(lambda: export_graph(graph, target, fmt))
            read_seconds, back = timed(lambda: read_export(target, fmt))
            same = back.number_of_nodes() == graph.number_of_nodes() and back.number_of_edges() == graph.number_of_edges()
            print(f"  {fmt:10} {write_seconds:6.2f} s {read_seconds:6.2f} s   {'same size' if same else 'SIZE DIFFERS'}")


if __name__ == "__main__":
    main()
