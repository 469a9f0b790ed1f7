"""The command line, run in-process: build, extract, query, viz, export and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from phasegraph.cli import app
from phasegraph.graph.build import count_by_label
from phasegraph.graph.graphml import read_graph

SMALL = Path(__file__).parent / "data" / "cli" / "small.jsonl"
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder made from the small fixture corpus (one bad record in it)."""
    out = tmp_path_factory.mktemp("build")
    result = runner.invoke(app, ["build", str(SMALL), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_build_writes_its_files_and_reports_the_bad_record(built: Path) -> None:
    for name in ("extractions.jsonl", "graph.graphml", "graph.html", "rejected.jsonl"):
        assert (built / name).is_file(), name
    rejected = [json.loads(line) for line in (built / "rejected.jsonl").read_text().splitlines()]
    assert len(rejected) == 1 and "abstract" in rejected[0]["reason"]
    assert count_by_label(read_graph(built))["Paper"] == 3


def test_build_prints_the_summary(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SMALL), "-o", str(tmp_path)])
    assert "papers: read 4, used 3, merged 0, rejected 1" in result.stderr
    assert "small.jsonl" in result.stderr and "(:Paper)" in result.stderr


def test_strict_stops_at_the_first_bad_record(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SMALL), "--strict", "-o", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.startswith("error:") and "small.jsonl" in result.stderr and "line 3" in result.stderr


def test_extract_writes_guide_records(tmp_path: Path) -> None:
    out = tmp_path / "x.jsonl"
    result = runner.invoke(app, ["extract", str(SMALL), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["s1", "s2", "s4"]
    for r in records:
        assert {"methods", "datasets", "phase_structures"} <= r.keys()


def test_query_prints_json_rows(built: Path) -> None:
    result = runner.invoke(app, ["query", "MATCH (p:Paper) RETURN count(p) AS n", "--graph", str(built), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"n": 3}]


def test_a_write_query_is_refused(built: Path) -> None:
    result = runner.invoke(app, ["query", "CREATE (p:Paper {id: 'x'})", "--graph", str(built)])
    assert result.exit_code == 1 and result.stderr.startswith("error:")


def test_viz_writes_a_page(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = runner.invoke(app, ["viz", str(built), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "<html" in out.read_text().lower()


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_formats(built: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(app, ["export", str(built), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_a_missing_model_is_one_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SMALL), "--model", "no_such_pipeline_xyz", "-o", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 1
    assert "pip install" in result.stderr and "Traceback" not in result.output


def test_a_missing_graph_is_one_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["viz", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "phasegraph build" in result.stderr


@pytest.mark.parametrize("command", [[], ["build"], ["extract"], ["query"], ["load"], ["export"], ["viz"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


@pytest.mark.slow
def test_build_on_the_sample_corpus(tmp_path: Path) -> None:
    """The README's first command: 267 papers read and used, none rejected; a graph of real size."""
    result = runner.invoke(app, ["build", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "papers: read 267, used 267, merged 0, rejected 0" in result.stderr
    counts = count_by_label(read_graph(tmp_path))
    assert counts["Paper"] == 267 and counts["Method"] > 100 and counts["Phase"] > 20
    assert not (tmp_path / "rejected.jsonl").exists()
