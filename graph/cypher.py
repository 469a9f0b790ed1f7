"""All of phasegraph's Cypher, as parameterised constants generated from ``schema.py``.

Four groups:

- ``SCHEMA_*``: schema statements (constraints, index waits). Run each in its own
  transaction, never together with writes.
- ``WRITE_*``: batched writers. Each takes one parameter ``$rows`` (a list of maps) and
  ``UNWIND``\\ s it, so one transaction writes a whole batch. They ``MERGE`` on the node's id
  property, so loading the same rows twice changes nothing.
- ``READ_*``: read-only queries shared by the Neo4j store and the embedded engine. They use
  only plain ``MATCH``/``RETURN`` Cypher that both engines understand.
- ``EXAMPLES``: the README's example queries, one text each that runs unchanged on the embedded
  engine and on Neo4j 5 (tests check both give the same rows). Every RETURN column is named
  with ``AS`` so that both engines call it the same.

Labels, relationship types and property names are spliced into the text only from the
``Label``/``RelType`` enums and ``ID_PROPERTY`` (checked to be plain identifiers); every value
travels as a parameter. Nothing here comes from extracted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from phasegraph.errors import GraphError
from phasegraph.graph.schema import ENDPOINTS, ID_PROPERTY, Label, RelType

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _ident(name: str) -> str:
    """``name`` if it is a plain Cypher identifier; refuses anything else."""
    if not _IDENTIFIER.fullmatch(name):
        raise GraphError(f"{name!r} is not a plain Cypher identifier; fix graph/schema.py")
    return name


# ---------------------------------------------------------------------------------------------
# Schema statements
# ---------------------------------------------------------------------------------------------

def constraint_name(label: Label) -> str:
    """The name of the uniqueness constraint on ``label``'s id property."""
    return f"phasegraph_{_ident(label.value).lower()}_{_ident(ID_PROPERTY[label])}_unique"


#: Label -> ``CREATE CONSTRAINT ... IF NOT EXISTS`` making the label's id property unique.
SCHEMA_CONSTRAINTS: Final[dict[Label, str]] = {
    label: (
        f"CREATE CONSTRAINT {constraint_name(label)} IF NOT EXISTS "
        f"FOR (n:{_ident(label.value)}) REQUIRE n.{_ident(ID_PROPERTY[label])} IS UNIQUE"
    )
    for label in Label
}

#: Waits until every index (including the constraints' backing indexes) is online.
#: Parameter ``$seconds``: how long to wait before the server raises an error.
SCHEMA_AWAIT_INDEXES: Final = "CALL db.awaitIndexes($seconds)"

#: The names of the constraints that exist (Neo4j 5).
SCHEMA_SHOW_CONSTRAINTS: Final = "SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name"


# ---------------------------------------------------------------------------------------------
# Batched writers
# ---------------------------------------------------------------------------------------------

#: Label -> node writer. ``$rows``: ``[{key: <id property value>, props: {name: value}}]``.
WRITE_NODES: Final[dict[Label, str]] = {
    label: (
        f"UNWIND $rows AS row "
        f"MERGE (n:{_ident(label.value)} {{{_ident(ID_PROPERTY[label])}: row.key}}) "
        f"SET n += row.props"
    )
    for label in Label
}

#: The relationship property that, with both endpoints, identifies a relationship of that type.
#: Other types are unique per (type, source, target).
RELATIONSHIP_KEY: Final[dict[RelType, str]] = {RelType.HAS_PHASE: "order"}


def _write_relationship(rel_type: RelType, source: Label, target: Label) -> str:
    """The batched writer for ``(source)-[rel_type]->(target)``."""
    key = RELATIONSHIP_KEY.get(rel_type)
    merge_key = f" {{{_ident(key)}: row.{_ident(key)}}}" if key else ""
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{_ident(source.value)} {{{_ident(ID_PROPERTY[source])}: row.src}}) "
        f"MATCH (b:{_ident(target.value)} {{{_ident(ID_PROPERTY[target])}: row.dst}}) "
        f"MERGE (a)-[r:{_ident(rel_type.value)}{merge_key}]->(b) "
        f"SET r += row.props"
    )


#: (type, source label, target label) -> relationship writer, for every pair ``ENDPOINTS`` allows.
#: ``$rows``: ``[{src: <source id>, dst: <target id>, props: {name: value}}]``; rows of a type in
#: ``RELATIONSHIP_KEY`` also carry that key (``order`` for HAS_PHASE) at the top level.
WRITE_RELATIONSHIPS: Final[dict[tuple[RelType, Label, Label], str]] = {
    (rel_type, source, target): _write_relationship(rel_type, source, target)
    for rel_type, (sources, targets) in ENDPOINTS.items()
    for source in sources
    for target in targets
}

#: Deletes every node and relationship. For tests and benchmarks on a throw-away database;
#: ``$batch`` nodes per inner transaction (``CALL { } IN TRANSACTIONS`` needs an implicit
#: transaction: run it with ``session.run``, not in a managed transaction).
WRITE_DELETE_ALL: Final = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS"


# ---------------------------------------------------------------------------------------------
# Read-only queries
# ---------------------------------------------------------------------------------------------

#: Label -> number of nodes with that label, as ``count``.
READ_COUNT_NODES: Final[dict[Label, str]] = {
    label: f"MATCH (n:{_ident(label.value)}) RETURN count(n) AS count" for label in Label
}

#: Relationship type -> number of relationships of that type, as ``count``.
READ_COUNT_RELATIONSHIPS: Final[dict[RelType, str]] = {
    rel_type: f"MATCH ()-[r:{_ident(rel_type.value)}]->() RETURN count(r) AS count" for rel_type in RelType
}

#: Methods by the number of papers that use or propose them. ``$limit``.
READ_TOP_METHODS: Final = (
    "MATCH (p:Paper)-[r:USES|PROPOSES]->(m:Method) "
    "RETURN m.key AS key, m.name AS name, count(DISTINCT p) AS papers "
    "ORDER BY papers DESC, key ASC LIMIT $limit"
)

#: Datasets by the number of papers that use or propose them. ``$limit``.
READ_TOP_DATASETS: Final = (
    "MATCH (p:Paper)-[r:USES|PROPOSES]->(d:Dataset) "
    "RETURN d.key AS key, d.name AS name, count(DISTINCT p) AS papers "
    "ORDER BY papers DESC, key ASC LIMIT $limit"
)

#: Papers that use or propose the method with key ``$key``.
READ_PAPERS_FOR_METHOD: Final = (
    "MATCH (p:Paper)-[r:USES|PROPOSES]->(m:Method {key: $key}) "
    "RETURN DISTINCT p.id AS id, p.title AS title "
    "ORDER BY id ASC"
)

#: Every phase structure with its paper and its phases in order, one row per phase.
READ_PHASE_STRUCTURES: Final = (
    "MATCH (p:Paper)-[:CLAIMS]->(s:PhaseStructure)-[h:HAS_PHASE]->(ph:Phase) "
    "RETURN p.id AS paper, s.key AS structure, s.subject AS subject, h.order AS order, ph.name AS phase "
    "ORDER BY paper ASC, structure ASC, order ASC"
)


# ---------------------------------------------------------------------------------------------
# The README's example queries
# ---------------------------------------------------------------------------------------------

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
