"""Load a phasegraph NetworkX graph into Neo4j, and run read-only Cypher against it.

The caller owns the driver: ``open_driver`` creates one (checking the server, the user and the
password), the caller closes it. ``load_graph`` writes a ``nx.MultiDiGraph`` that follows
``schema.py`` with the batched ``MERGE`` statements of ``cypher.py``, in managed write
transactions (the driver retries transient failures), so loading the same graph twice, or two
overlapping graphs, leaves every node and relationship once. ``run_query`` runs one read-only
query and returns plain Python rows.

Every failure of the server, the login or the database surfaces as one ``Neo4jError`` line
that names the server and the fix (see ``connect_errors``).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import neo4j
import neo4j.exceptions as neo4j_exc
import neo4j.graph
import neo4j.spatial
import neo4j.time

from phasegraph.errors import GraphError, Neo4jError, QueryError
from phasegraph.graph import cypher
from phasegraph.graph.schema import (
    EDGE_PROPERTIES,
    ENDPOINTS,
    ID_PROPERTY,
    LABEL_ATTR,
    NODE_PROPERTIES,
    TYPE_ATTR,
    Label,
    RelType,
)

DATABASE_NOT_FOUND = "Neo.ClientError.Database.DatabaseNotFound"
AUTH_RATE_LIMIT = "Neo.ClientError.Security.AuthenticationRateLimit"
SERVER_FIX = "start it (scripts/neo4j-test-server start, or docker compose up -d) or pass the right --neo4j / NEO4J_URI"
AUTH_FIX = "pass the right --user/--password or set NEO4J_USER/NEO4J_PASSWORD"
#: The URI schemes ``open_driver`` accepts (the driver's Bolt schemes).
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: Seconds ``ensure_schema`` lets the server take to bring the constraints' indexes online.
INDEX_WAIT_SECONDS = 300

_Row = dict[str, Any]


@dataclass(frozen=True)
class LoadSummary:
    """What ``load_graph`` wrote.

    ``nodes`` and ``relationships`` count the rows merged per label and per relationship type
    (existing nodes and relationships included); ``nodes_created`` and
    ``relationships_created`` count what the server actually created, so a second load of the
    same graph reports zero for both.
    """

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    transactions: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        """One line: rows merged per label and type, what was created, how long it took."""
        nodes = ", ".join(f"{label} {count}" for label, count in self.nodes.items())
        rels = ", ".join(f"{rel_type} {count}" for rel_type, count in self.relationships.items())
        return (f"merged {sum(self.nodes.values())} nodes ({nodes or 'none'}) and "
                f"{sum(self.relationships.values())} relationships ({rels or 'none'}); created "
                f"{self.nodes_created} nodes, {self.relationships_created} relationships in "
                f"{self.transactions} transactions, {self.seconds:.1f} s")


# ---------------------------------------------------------------------------------------------
# Connecting and error mapping
# ---------------------------------------------------------------------------------------------

def server_name(driver: neo4j.Driver) -> str:
    """The server a driver talks to, for messages (``"bolt://127.0.0.1:7687"``)."""
    address = getattr(driver, "address", None) or next(iter(getattr(driver, "initial_addresses", [])), None)
    if address is None:
        return "the Neo4j server"
    scheme = "neo4j" if isinstance(driver, neo4j.Neo4jDriver) else "bolt"
    return f"{scheme}://{address}"


def _unreachable_reason(exc: BaseException) -> str:
    """Why the driver could not connect, short (``"Connection refused"``), else its whole message."""
    message = _first_line(exc)
    found = re.search(r"reason (?:\[Errno -?\d+\] )?([^)]+)\)", message)
    return found.group(1) if found else message


def _first_line(exc: BaseException) -> str:
    """The server's own message for ``exc`` on one line."""
    message = getattr(exc, "message", None) or str(exc)
    return " ".join(str(message).split())


def _code(exc: BaseException) -> str:
    """The server's status code for ``exc`` (``Neo.ClientError...``), else the error's class name."""
    return getattr(exc, "code", None) or type(exc).__name__


@contextmanager
def connect_errors(uri: str, database: str | None = None) -> Iterator[None]:
    """Turn the driver's connection, login and database errors into one-line ``Neo4jError``\\ s.

    ``uri`` names the server in the message. Other driver errors pass through unchanged.
    """
    try:
        yield
    except neo4j_exc.AuthError as exc:
        raise Neo4jError(f"Neo4j at {uri} rejected the user name or password; {AUTH_FIX}") from exc
    except neo4j_exc.ServiceUnavailable as exc:
        raise Neo4jError(f"cannot reach Neo4j at {uri} ({_unreachable_reason(exc)}); {SERVER_FIX}") from exc
    except neo4j_exc.ClientError as exc:
        if exc.code == DATABASE_NOT_FOUND:
            raise Neo4jError(
                f"Neo4j at {uri} has no database {database!r}; pass an existing one with --database "
                f"(community edition has only 'neo4j'), or omit it for the server's default"
            ) from exc
        if exc.code == AUTH_RATE_LIMIT:
            raise Neo4jError(f"Neo4j at {uri} locked the user after failed logins; wait 5 s, then "
                             f"{AUTH_FIX}") from exc
        raise


def open_driver(uri: str, user: str, password: str | None) -> neo4j.Driver:
    """A driver for ``uri`` whose server answered and accepted ``user``/``password``.

    ``password`` None sends no credentials (for a server with authentication off). The caller
    closes the driver. Raises ``Neo4jError`` when the URI is malformed, the server cannot be
    reached, or the login is refused.
    """
    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise Neo4jError(f"{uri!r} is not a Neo4j Bolt URI; use e.g. bolt://127.0.0.1:7687 "
                         f"(schemes: {', '.join(BOLT_SCHEMES)})")
    try:
        driver = neo4j.GraphDatabase.driver(uri, auth=None if password is None else (user, password))
    except (ValueError, neo4j_exc.ConfigurationError) as exc:
        raise Neo4jError(f"{uri!r} is not a Neo4j URI ({_first_line(exc)}); use e.g. bolt://127.0.0.1:7687") from exc
    try:
        with connect_errors(uri):
            driver.verify_connectivity()
    except Neo4jError as exc:
        driver.close()
        if password is None and isinstance(exc.__cause__, neo4j_exc.AuthError):
            raise Neo4jError(f"Neo4j at {uri} wants a password and none was given; {AUTH_FIX}") from exc.__cause__
        raise
    except ValueError as exc:  # the driver resolves host and port only now
        driver.close()
        raise Neo4jError(f"{uri!r} is not a Neo4j URI ({_first_line(exc)}); use e.g. bolt://127.0.0.1:7687") from exc
    except BaseException:
        driver.close()
        raise
    return driver


# ---------------------------------------------------------------------------------------------
# Graph -> rows
# ---------------------------------------------------------------------------------------------

def _property_value(value: Any, expected: type, where: str, name: str) -> Any:
    """``value`` as Neo4j stores it, checked against the schema's type for the property.

    Scalars pass as they are (an int where a float is expected too); ``list`` properties accept
    lists, tuples and sets (sorted) of strings and become lists.
    """
    if expected is list:
        if isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
            if all(isinstance(item, str) for item in items):
                return items
    elif expected is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif expected is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
    elif isinstance(value, expected):
        return value
    raise GraphError(f"{where} has property {name!r} = {value!r}, but graph/schema.py makes it "
                     f"{'a list of strings' if expected is list else expected.__name__}; fix the graph file")


def _properties(attrs: Mapping[str, Any], schema: Mapping[str, type], where: str,
                skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The schema properties of ``attrs`` that are set (not None), checked and ready to send.

    Attributes that the schema does not name (``label``, ``type``, anything else) are left out.
    """
    return {
        name: _property_value(attrs[name], expected, where, name)
        for name, expected in schema.items()
        if name not in skip and attrs.get(name) is not None
    }


def _node_label(graph: nx.MultiDiGraph, node: Any) -> Label:
    """The schema label of ``node``; raises ``GraphError`` for a missing or unknown one."""
    value = graph.nodes[node].get(LABEL_ATTR)
    try:
        return Label(value)
    except ValueError:
        known = ", ".join(label.value for label in Label)
        raise GraphError(f"node {node!r} has label {value!r}, not one of {known}; "
                         f"build the graph with phasegraph.graph.build") from None


def _node_key(graph: nx.MultiDiGraph, node: Any, label: Label) -> Any:
    """The id-property value of ``node``: its attribute, else the part of its id after ``<Label>:``."""
    key = graph.nodes[node].get(ID_PROPERTY[label])
    if key is None:
        prefix = f"{label.value}:"
        if isinstance(node, str) and node.startswith(prefix) and len(node) > len(prefix):
            key = node[len(prefix):]
        else:
            raise GraphError(f"node {node!r} has no {ID_PROPERTY[label]!r} and its id is not "
                             f"'{prefix}<key>'; give it a {ID_PROPERTY[label]!r} attribute")
    return key


def node_rows(graph: nx.MultiDiGraph) -> dict[Label, list[_Row]]:
    """``WRITE_NODES`` rows per label, in schema order: ``{key, props}`` (props without the id property)."""
    rows: dict[Label, list[_Row]] = defaultdict(list)
    for node, attrs in graph.nodes(data=True):
        label = _node_label(graph, node)
        props = _properties(attrs, NODE_PROPERTIES[label], f"node {node!r}", skip=(ID_PROPERTY[label],))
        rows[label].append({"key": _node_key(graph, node, label), "props": props})
    return {label: rows[label] for label in Label if label in rows}


def relationship_rows(graph: nx.MultiDiGraph) -> dict[tuple[RelType, Label, Label], list[_Row]]:
    """``WRITE_RELATIONSHIPS`` rows per (type, source label, target label), in schema order: ``{src, dst, props}``.

    Rows of a type with a ``RELATIONSHIP_KEY`` carry that key (HAS_PHASE's ``order``) at the top
    level too. Raises ``GraphError`` for an unknown type, endpoints the schema does not allow, or
    a missing key.
    """
    rows: dict[tuple[RelType, Label, Label], list[_Row]] = defaultdict(list)
    for source, target, attrs in graph.edges(data=True):
        where = f"edge {source!r} -> {target!r}"
        try:
            rel_type = RelType(attrs.get(TYPE_ATTR))
        except ValueError:
            known = ", ".join(t.value for t in RelType)
            raise GraphError(f"{where} has type {attrs.get(TYPE_ATTR)!r}, not one of {known}") from None
        source_label, target_label = _node_label(graph, source), _node_label(graph, target)
        sources, targets = ENDPOINTS[rel_type]
        if source_label not in sources or target_label not in targets:
            raise GraphError(f"{where} is {source_label.value}-[{rel_type.value}]->{target_label.value}, "
                             f"which graph/schema.py ENDPOINTS does not allow")
        row: _Row = {
            "src": _node_key(graph, source, source_label),
            "dst": _node_key(graph, target, target_label),
            "props": _properties(attrs, EDGE_PROPERTIES[rel_type], where),
        }
        key = cypher.RELATIONSHIP_KEY.get(rel_type)
        if key is not None:
            if attrs.get(key) is None:
                raise GraphError(f"{where} of type {rel_type.value} has no {key!r}; every "
                                 f"{rel_type.value} edge needs one")
            row[key] = row["props"][key]
        rows[(rel_type, source_label, target_label)].append(row)
    return {key: rows[key] for key in cypher.WRITE_RELATIONSHIPS if key in rows}


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def _run_write(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> neo4j.SummaryCounters:
    """Run one write statement in a managed transaction and return its counters."""
    return tx.run(query, params).consume().counters


def _batches(rows: Sequence[_Row], size: int) -> Iterator[Sequence[_Row]]:
    """``rows`` in consecutive slices of at most ``size``."""
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def ensure_schema(driver: neo4j.Driver, database: str | None = None) -> None:
    """Create the uniqueness constraints of ``cypher.SCHEMA_CONSTRAINTS`` unless they exist.

    Waits until their indexes are online, so the writers' ``MERGE`` uses them.
    """
    uri = server_name(driver)
    with connect_errors(uri, database), driver.session(database=database) as session:
        for statement in cypher.SCHEMA_CONSTRAINTS.values():
            session.execute_write(_run_write, statement, {})
        session.run(cypher.SCHEMA_AWAIT_INDEXES, {"seconds": INDEX_WAIT_SECONDS}).consume()


def load_graph(driver: neo4j.Driver, graph: nx.MultiDiGraph, database: str | None = None,
               batch_size: int = 1000) -> LoadSummary:
    """Merge every node and edge of ``graph`` into Neo4j; return what was written.

    Creates the schema's constraints first (``ensure_schema``). Nodes go before relationships,
    ``batch_size`` rows per managed write transaction. ``database`` None means the server's
    default database. ``graph`` is only read. Raises ``GraphError`` when the graph does not
    follow ``schema.py`` (before anything is written) and ``Neo4jError`` when the server,
    login or database fails.
    """
    if batch_size < 1:
        raise GraphError(f"batch size {batch_size} is not positive; pass --batch-size 1 or more")
    nodes = node_rows(graph)
    relationships = relationship_rows(graph)
    started = time.perf_counter()

    work: list[tuple[str, list[_Row]]] = [(cypher.WRITE_NODES[label], rows) for label, rows in nodes.items()]
    work += [(cypher.WRITE_RELATIONSHIPS[key], rows) for key, rows in relationships.items()]
    created_nodes = created_relationships = properties = transactions = 0
    uri = server_name(driver)
    try:
        ensure_schema(driver, database)
        with connect_errors(uri, database), driver.session(database=database) as session:
            for query, rows in work:
                for batch in _batches(rows, batch_size):
                    counters = session.execute_write(_run_write, query, {"rows": list(batch)})
                    created_nodes += counters.nodes_created
                    created_relationships += counters.relationships_created
                    properties += counters.properties_set
                    transactions += 1
    except (neo4j_exc.Neo4jError, neo4j_exc.DriverError) as exc:
        raise Neo4jError(f"Neo4j at {uri} refused a write ({_code(exc)}: {_first_line(exc)}); "
                         f"check the database and the graph file") from exc

    node_counts = {label.value: len(nodes[label]) for label in nodes}
    rel_counts: dict[str, int] = defaultdict(int)
    for (rel_type, _, _), rows in relationships.items():
        rel_counts[rel_type.value] += len(rows)
    return LoadSummary(
        nodes=node_counts,
        relationships=dict(rel_counts),
        nodes_created=created_nodes,
        relationships_created=created_relationships,
        properties_set=properties,
        transactions=transactions,
        seconds=time.perf_counter() - started,
    )


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------

def plain(value: Any) -> Any:
    """A Neo4j result value as plain Python.

    Nodes become their property dicts plus ``label``; relationships their property dicts plus
    ``type``; paths the list of their nodes and relationships in order; dates, times and
    durations their ISO 8601 text; points lists of coordinates. The embedded engine's
    ``QueryResult`` gives the same shapes.
    """
    if isinstance(value, neo4j.graph.Node):
        labels = sorted(value.labels)
        return {LABEL_ATTR: labels[0] if len(labels) == 1 else labels,
                **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {TYPE_ATTR: value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        items: list[Any] = [plain(value.start_node)]
        for rel in value.relationships:
            items += [plain(rel), plain(rel.end_node)]
        return items
    if isinstance(value, (neo4j.time.Duration, neo4j.time.DateTime, neo4j.time.Date, neo4j.time.Time)):
        return value.iso_format()
    if isinstance(value, neo4j.spatial.Point):
        return list(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _run_read(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Run one query in a managed read transaction; its rows as plain dicts."""
    result = tx.run(query, params)
    return [{key: plain(value) for key, value in record.items()} for record in result]


def run_query(driver: neo4j.Driver, query: str, params: Mapping[str, Any] | None = None,
              database: str | None = None) -> list[dict[str, Any]]:
    """Run one read-only Cypher query and return its rows as plain Python dicts.

    Raises ``QueryError`` for a query the server rejects (syntax, types, or an attempt to
    write), ``Neo4jError`` when the server, login or database fails.
    """
    uri = server_name(driver)
    try:
        with connect_errors(uri, database), driver.session(database=database) as session:
            return session.execute_read(_run_read, query, dict(params or {}))
    except neo4j_exc.ClientError as exc:
        if exc.code is not None and exc.code.startswith("Neo.ClientError.Statement.AccessMode"):
            raise QueryError(f"the query writes, but queries are read-only; load graphs with "
                             f"'phasegraph load' instead ({_first_line(exc)})") from exc
        raise QueryError(f"Neo4j at {uri} rejected the query ({_code(exc)}: {_first_line(exc)}); "
                         f"fix the Cypher") from exc
    except (neo4j_exc.Neo4jError, neo4j_exc.DriverError) as exc:
        raise Neo4jError(f"Neo4j at {uri} failed the query ({_code(exc)}: {_first_line(exc)})") from exc
