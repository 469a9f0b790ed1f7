"""Build the NetworkX graph from extraction records.

One node per paper, method, dataset, phase structure and phase, following
``graph/schema.py``. The same method or dataset in two papers is one node:
names are joined on their canonical key, and a short form that any paper
defines as an acronym ("A3C") is joined to the long form's node
("asynchronous advantage actor critic") in every paper.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from phasegraph.errors import GraphError
from phasegraph.extract.normalise import canonical_key
from phasegraph.graph.schema import LABEL_ATTR, TYPE_ATTR, Label, RelType, node_id

Record = Mapping[str, Any]
_ENTITY_GROUPS: tuple[tuple[str, Label], ...] = (("methods", Label.METHOD), ("datasets", Label.DATASET))


def _alias_map(records: list[Record], group: str) -> dict[str, str]:
    """Short-form key -> long-form key, from every definition in the corpus (the most frequent wins)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        for entity in record.get(group) or []:
            key = entity.get("key") or canonical_key(entity["name"])
            for alias in entity.get("aliases") or []:
                alias_key = canonical_key(alias)
                if alias_key and alias_key != key:
                    votes[alias_key][key] += 1
    return {alias: counts.most_common(1)[0][0] for alias, counts in votes.items()}


def _first_mention(entity: Mapping[str, Any]) -> dict[str, Any]:
    """Edge properties from an entity's first mention: evidence sentence, offsets and mention count."""
    mentions = entity.get("mentions") or []
    props: dict[str, Any] = {"mentions": len(mentions)}
    if mentions:
        first = mentions[0]
        props.update(evidence=first.get("evidence"), start=first.get("start"), end=first.get("end"))
    return props


def _check(record: Record, index: int) -> str:
    """The record's paper id; raises GraphError when the record is not an extraction record."""
    if not isinstance(record, Mapping) or not record.get("id"):
        raise GraphError(f"extraction record {index} has no 'id'; records must come from `phasegraph extract`")
    return str(record["id"])


def build_graph(records: Iterable[Record]) -> nx.MultiDiGraph:
    """A new graph of the papers in ``records`` (extraction records, as ``phasegraph extract`` writes them)."""
    records = list(records)
    ids = [_check(record, index) for index, record in enumerate(records, 1)]
    graph = nx.MultiDiGraph()
    names: dict[str, Counter[str]] = defaultdict(Counter)  # node id -> surface names seen
    aliases: dict[str, set[str]] = defaultdict(set)
    papers: dict[str, set[str]] = defaultdict(set)  # node id -> ids of papers mentioning it
    alias_maps = {group: _alias_map(records, group) for group, _ in _ENTITY_GROUPS}

    for pid, record in zip(ids, records):
        paper = dict(record.get("paper") or {})
        paper_node = node_id(Label.PAPER, pid)
        graph.add_node(paper_node, **{LABEL_ATTR: Label.PAPER.value, "id": pid},
                       **{k: paper.get(k) for k in ("title", "abstract", "year", "url", "doi", "source") if paper.get(k) is not None})

        for group, label in _ENTITY_GROUPS:
            for entity in record.get(group) or []:
                key = entity.get("key") or canonical_key(entity["name"])
                key = alias_maps[group].get(key, key)
                if not key:
                    continue
                target = node_id(label, key)
                if target not in graph:
                    graph.add_node(target, **{LABEL_ATTR: label.value, "key": key})
                names[target][entity["name"]] += 1
                aliases[target].update(entity.get("aliases") or [])
                papers[target].add(pid)
                rel = RelType.PROPOSES if entity.get("proposed") else RelType.USES
                if graph.has_edge(paper_node, target):  # a paper lists one entity once; keep the first
                    continue
                graph.add_edge(paper_node, target, key=rel.value, **{TYPE_ATTR: rel.value}, **_first_mention(entity))

        for number, structure in enumerate(record.get("phase_structures") or [], 1):
            skey = f"{pid}#{number}"
            snode = node_id(Label.PHASE_STRUCTURE, skey)
            phases = list(structure.get("phases") or [])
            graph.add_node(snode, **{LABEL_ATTR: Label.PHASE_STRUCTURE.value, "key": skey, "paper": pid,
                                     "subject": structure.get("subject") or "", "count": structure.get("count"),
                                     "ordered": bool(structure.get("ordered", True)),
                                     "evidence": structure.get("evidence") or "", "phases": phases})
            graph.add_edge(paper_node, snode, key=RelType.CLAIMS.value,
                           **{TYPE_ATTR: RelType.CLAIMS.value, "evidence": structure.get("evidence"),
                              "start": structure.get("start"), "end": structure.get("end")})
            keys = structure.get("phase_keys") or [canonical_key(p) for p in phases]
            for order, (name, key) in enumerate(zip(phases, keys), 1):
                if not key:
                    continue
                pnode = node_id(Label.PHASE, key)
                if pnode not in graph:
                    graph.add_node(pnode, **{LABEL_ATTR: Label.PHASE.value, "key": key})
                names[pnode][name] += 1
                papers[pnode].add(pid)
                graph.add_edge(snode, pnode, key=f"{RelType.HAS_PHASE.value}:{order}",
                               **{TYPE_ATTR: RelType.HAS_PHASE.value, "order": order, "name": name})

    for node, counted in names.items():
        name = counted.most_common(1)[0][0]
        others = sorted((aliases[node] | set(counted)) - {name}, key=str.lower)
        graph.nodes[node].update(name=name, aliases=others, papers=len(papers[node]))
    _drop_none(graph)
    return graph


def _drop_none(graph: nx.MultiDiGraph) -> None:
    """Remove None-valued attributes (an absent property is never stored as None)."""
    for _, data in graph.nodes(data=True):
        for k in [k for k, v in data.items() if v is None]:
            del data[k]
    for _, _, data in graph.edges(data=True):
        for k in [k for k, v in data.items() if v is None]:
            del data[k]


def count_by_label(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Number of nodes per label, in schema order."""
    counts = Counter(data.get(LABEL_ATTR) for _, data in graph.nodes(data=True))
    return {label.value: counts.get(label.value, 0) for label in Label}


def count_by_type(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Number of edges per relationship type, in schema order."""
    counts = Counter(data.get(TYPE_ATTR) for _, _, data in graph.edges(data=True))
    return {rel.value: counts.get(rel.value, 0) for rel in RelType}
