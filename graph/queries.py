"""The README's example queries: one Cypher text each that runs unchanged on the embedded engine and on Neo4j 5.

``tests/test_embedded.py`` checks each against NetworkX on a fixture graph;
the Neo4j tests run the same texts on a real server and expect the same rows.
Every RETURN column is named with ``AS`` so that both engines call it the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final


@dataclass(frozen=True)
class ExampleQuery:
    """A named query: its Cypher, what it answers, and example values of its parameters."""

    name: str
    cypher: str
    answers: str
    params: dict[str, Any] = field(default_factory=dict)


PAPER_COUNT: Final = ExampleQuery(
    name="paper-count",
    cypher="MATCH (p:Paper) RETURN count(p) AS n",
    answers="How many papers are in the graph?",
)

MEMORIZATION_PAPERS: Final = ExampleQuery(
    name="memorization-papers",
    cypher=("MATCH (p:Paper)-[:CLAIMS]->(s:PhaseStructure)-[:HAS_PHASE]->(f:Phase) "
            "WHERE f.key = 'memorization' RETURN DISTINCT p.id AS id"),
    answers="Which papers claim a phase structure with a memorization phase?",
)

TOP_DATASETS: Final = ExampleQuery(
    name="top-datasets",
    cypher=("MATCH (p:Paper)-[:USES|PROPOSES]->(d:Dataset) "
            "RETURN d.name AS name, count(p) AS papers ORDER BY papers DESC, name LIMIT 5"),
    answers="Which five datasets do the most papers use or propose?",
)

MANY_PHASES: Final = ExampleQuery(
    name="many-phases",
    cypher=("MATCH (s:PhaseStructure)-[h:HAS_PHASE]->(f:Phase) WITH s, count(f) AS n WHERE n >= 3 "
            "RETURN s.subject AS subject, n ORDER BY n DESC, subject"),
    answers="Which claimed phase structures have three phases or more, and how many?",
)

METHODS_WITH_DATASET: Final = ExampleQuery(
    name="methods-with-dataset",
    cypher=("MATCH (d:Dataset {key: $dataset})<-[:USES|PROPOSES]-(p:Paper)-[:CLAIMS]->(:PhaseStructure), "
            "(p)-[:USES|PROPOSES]->(m:Method) RETURN DISTINCT m.name AS method ORDER BY method"),
    answers=("Which methods appear in papers that use or propose the dataset $dataset (its key) "
             "and claim a phase structure?"),
    params={"dataset": "imagenet"},
)

EXAMPLES: Final[tuple[ExampleQuery, ...]] = (PAPER_COUNT, MEMORIZATION_PAPERS, TOP_DATASETS, MANY_PHASES,
                                              METHODS_WITH_DATASET)
