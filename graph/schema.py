"""The graph schema, defined once: node labels, relationship types and their property keys.

Every backend (NetworkX, the embedded Cypher engine, Neo4j) and every exporter
reads labels, types and property types from here; nothing else spells them.

In NetworkX a node's label is its ``label`` attribute and its id is
``"<Label>:<key>"`` (``"Paper:<id>"`` for papers); an edge's relationship type
is its ``type`` attribute.
"""

from __future__ import annotations

from enum import Enum
from typing import Final


class Label(str, Enum):
    """Node labels. Labels never come from extracted text."""

    PAPER = "Paper"
    METHOD = "Method"
    DATASET = "Dataset"
    PHASE_STRUCTURE = "PhaseStructure"
    PHASE = "Phase"


class RelType(str, Enum):
    """Relationship types."""

    PROPOSES = "PROPOSES"  # (Paper)->(Method|Dataset), when the paper introduces it
    USES = "USES"  # (Paper)->(Method|Dataset), otherwise
    CLAIMS = "CLAIMS"  # (Paper)->(PhaseStructure)
    HAS_PHASE = "HAS_PHASE"  # (PhaseStructure)->(Phase), with its position `order`


# Attribute names that carry the schema itself in NetworkX and GraphML.
LABEL_ATTR: Final = "label"
TYPE_ATTR: Final = "type"

# The property that identifies a node of each label (unique per label).
ID_PROPERTY: Final[dict[Label, str]] = {
    Label.PAPER: "id",
    Label.METHOD: "key",
    Label.DATASET: "key",
    Label.PHASE_STRUCTURE: "key",
    Label.PHASE: "key",
}

# Property name -> Python type, per label. ``list`` means a list of strings.
# Optional properties may be absent from a node (never stored as None).
NODE_PROPERTIES: Final[dict[Label, dict[str, type]]] = {
    Label.PAPER: {"id": str, "title": str, "abstract": str, "year": int, "url": str, "doi": str, "source": str},
    Label.METHOD: {"key": str, "name": str, "aliases": list, "papers": int},
    Label.DATASET: {"key": str, "name": str, "aliases": list, "papers": int},
    Label.PHASE_STRUCTURE: {"key": str, "subject": str, "count": int, "ordered": bool, "evidence": str,
                            "phases": list, "paper": str},
    Label.PHASE: {"key": str, "name": str, "aliases": list, "papers": int},
}

# Relationship type -> property name -> Python type.
EDGE_PROPERTIES: Final[dict[RelType, dict[str, type]]] = {
    RelType.PROPOSES: {"evidence": str, "start": int, "end": int, "mentions": int},
    RelType.USES: {"evidence": str, "start": int, "end": int, "mentions": int},
    RelType.CLAIMS: {"evidence": str, "start": int, "end": int},
    RelType.HAS_PHASE: {"order": int, "name": str},
}

# Which labels each relationship type connects: type -> (source labels, target labels).
ENDPOINTS: Final[dict[RelType, tuple[tuple[Label, ...], tuple[Label, ...]]]] = {
    RelType.PROPOSES: ((Label.PAPER,), (Label.METHOD, Label.DATASET)),
    RelType.USES: ((Label.PAPER,), (Label.METHOD, Label.DATASET)),
    RelType.CLAIMS: ((Label.PAPER,), (Label.PHASE_STRUCTURE,)),
    RelType.HAS_PHASE: ((Label.PHASE_STRUCTURE,), (Label.PHASE,)),
}


def node_id(label: Label, key: str) -> str:
    """The NetworkX node id of the node with this label and key (or paper id)."""
    return f"{label.value}:{key}"


def all_property_types() -> dict[str, type]:
    """Every node and edge property name with its one type (a GraphML key has one type).

    Raises ``GraphError`` if the schema gives one name two types.
    """
    from phasegraph.errors import GraphError

    merged: dict[str, type] = {LABEL_ATTR: str, TYPE_ATTR: str}
    for props in [*NODE_PROPERTIES.values(), *EDGE_PROPERTIES.values()]:
        for name, typ in props.items():
            if merged.setdefault(name, typ) is not typ:
                raise GraphError(f"schema gives property {name!r} two types; rename one of them in graph/schema.py")
    return merged
