"""Neo4j load rate: batched UNWIND writers vs one row per transaction, in relationships/second.

Generates a synthetic graph that follows graph/schema.py (papers, each using ~5 of a pool of
methods and datasets, some claiming a 3-phase structure), loads it into an EMPTY database with
``load_graph`` at the given batch size, loads it again (everything merges onto what exists), and
loads a smaller slice with ``batch_size=1`` (one row per transaction). Rates count the whole
load (constraints, nodes and relationships) against the relationships written, per second of
wall-clock time and, when the server is scripts/neo4j-test-server's on this machine, per second
of CPU time of this process plus the server (what the load costs, whatever else shares the
cores; the machine's load average is printed too).

Needs a server: NEO4J_URI (NEO4J_USER, NEO4J_PASSWORD default to the test server's
neo4j/phasegraph-test). It deletes everything in the database first, so it refuses a database
that holds nodes unless ``--clear`` is given.

    scripts/neo4j-test-server start
    NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python bench/neo4j_load.py --clear
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sys
import time
from pathlib import Path

import networkx as nx
import neo4j

from phasegraph.errors import PhasegraphError
from phasegraph.graph import cypher
from phasegraph.graph.neo4j_store import load_graph, open_driver, run_query
from phasegraph.graph.schema import LABEL_ATTR, TYPE_ATTR, Label, RelType, node_id


SERVER_PID_FILE = Path(__file__).resolve().parents[1] / ".neo4j-test" / "server.pid"
#: Whether the driver packs messages with the Rust extension (several times faster than Python).
RUST_PACKSTREAM = importlib.util.find_spec("neo4j._rust") is not None


def synthetic_graph(papers: int, per_paper: int, pool: int, seed: int = 7) -> nx.MultiDiGraph:
    """``papers`` papers, each using ``per_paper`` distinct entities of a pool of ``pool`` methods and
    ``pool // 4`` datasets; every fourth paper claims a 3-phase training structure."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    entities = []
    for label, count in ((Label.METHOD, pool), (Label.DATASET, max(1, pool // 4))):
        for number in range(count):
            key = f"{label.value.lower()} {number}"
            node = node_id(label, key)
            graph.add_node(node, **{LABEL_ATTR: label.value, "key": key, "name": key.title(),
                                    "aliases": [f"M{number}"], "papers": 0})
            entities.append(node)
    phases = [node_id(Label.PHASE, name) for name in ("warm-up", "training", "annealing")]
    for node in phases:
        graph.add_node(node, **{LABEL_ATTR: Label.PHASE.value, "key": node.split(":", 1)[1],
                                "name": node.split(":", 1)[1], "aliases": [], "papers": 0})
    for number in range(papers):
        pid = f"synthetic:{number}"
        paper = node_id(Label.PAPER, pid)
        graph.add_node(paper, **{LABEL_ATTR: Label.PAPER.value, "id": pid, "title": f"Paper {number}",
                                 "abstract": "We study things. " * 20, "year": 2000 + number % 25})
        for index, target in enumerate(rng.sample(entities, per_paper)):
            rel = RelType.PROPOSES if index == 0 and number % 10 == 0 else RelType.USES
            graph.add_edge(paper, target, **{TYPE_ATTR: rel.value, "evidence": f"We use it ({number}).",
                                             "start": 0, "end": 20, "mentions": 1})
        if number % 4 == 0:
            skey = f"{pid}#1"
            structure = node_id(Label.PHASE_STRUCTURE, skey)
            graph.add_node(structure, **{LABEL_ATTR: Label.PHASE_STRUCTURE.value, "key": skey, "paper": pid,
                                         "subject": "training", "count": 3, "ordered": True,
                                         "evidence": "Training has three phases.",
                                         "phases": ["warm-up", "training", "annealing"]})
            graph.add_edge(paper, structure, **{TYPE_ATTR: RelType.CLAIMS.value, "start": 0, "end": 26})
            for order, phase in enumerate(phases, 1):
                graph.add_edge(structure, phase, **{TYPE_ATTR: RelType.HAS_PHASE.value, "order": order,
                                                    "name": phase.split(":", 1)[1]})
    return graph


def clear(driver: neo4j.Driver) -> None:
    """Delete every node and relationship."""
    with driver.session() as session:
        session.run(cypher.WRITE_DELETE_ALL, {"batch": 10_000}).consume()


def server_cpu_seconds() -> float | None:
    """CPU seconds used so far by the server scripts/neo4j-test-server started, if it runs here."""
    try:
        pid = int(SERVER_PID_FILE.read_text().strip())
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, ValueError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_load(name: str, driver: neo4j.Driver, graph: nx.MultiDiGraph, batch_size: int) -> None:
    """Load ``graph`` and print wall-clock and CPU-time rates.

    The CPU rate divides by this process's CPU time plus the test server's (when it runs on this
    machine): what the load would take alone on the machine, whatever else shares the cores.
    """
    server_before, client_before = server_cpu_seconds(), time.process_time()
    summary = load_graph(driver, graph, batch_size=batch_size)
    client = time.process_time() - client_before
    server_after = server_cpu_seconds()
    rels = graph.number_of_edges()
    line = (f"{name:<34} {graph.number_of_nodes():>7,} nodes {rels:>7,} rels  {summary.seconds:6.2f} s wall "
            f"{rels / summary.seconds:>8,.0f} rels/s")
    if server_before is not None and server_after is not None:
        cpu = client + server_after - server_before
        line += f"  | {cpu:6.2f} s cpu {rels / cpu:>8,.0f} rels/cpu-s"
    print(f"{line}  ({summary.transactions:,} tx, {summary.relationships_created:,} rels created)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--per-paper", type=int, default=5, help="entities each paper uses")
    parser.add_argument("--pool", type=int, default=2_000, help="number of methods (datasets: a quarter)")
    parser.add_argument("--batch-sizes", default="1000,5000", help="comma-separated batch sizes to time")
    parser.add_argument("--single-papers", type=int, default=500,
                        help="papers in the slice loaded one row per transaction")
    parser.add_argument("--clear", action="store_true", help="delete what the database holds first")
    args = parser.parse_args()

    uri = os.environ.get("NEO4J_URI")
    if not uri:
        print("NEO4J_URI is not set; run scripts/neo4j-test-server start and export its URI", file=sys.stderr)
        return 2
    try:
        driver = open_driver(uri, os.environ.get("NEO4J_USER", "neo4j"),
                             os.environ.get("NEO4J_PASSWORD", "phasegraph-test"))
    except PhasegraphError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        held = run_query(driver, "MATCH (n) RETURN count(n) AS count")[0]["count"]
        if held and not args.clear:
            print(f"{uri} holds {held:,} nodes; this benchmark deletes them: pass --clear", file=sys.stderr)
            return 2
        started = time.perf_counter()
        graph = synthetic_graph(args.papers, args.per_paper, args.pool)
        print(f"generated the graph in {time.perf_counter() - started:.1f} s; packstream: "
              f"{'Rust (neo4j-rust-ext)' if RUST_PACKSTREAM else 'pure Python (pip install neo4j-rust-ext)'}; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

        sizes = [int(size) for size in args.batch_sizes.split(",")]
        for size in sizes:
            clear(driver)
            timed_load(f"batched ({size}/tx), empty db", driver, graph, size)
            timed_load(f"batched ({size}/tx), reload", driver, graph, size)

        small = synthetic_graph(args.single_papers, args.per_paper, args.pool)
        clear(driver)
        timed_load("one row per transaction, empty db", driver, small, 1)
        clear(driver)
        timed_load(f"batched ({sizes[0]}/tx), same slice", driver, small, sizes[0])
        clear(driver)
    finally:
        driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
