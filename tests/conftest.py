"""Fixtures shared across test modules.

Tests that need a service (a Neo4j server, Debian's chromium) skip when it is
missing on a developer's machine, but fail under CI (``CI=true``), where
``.ci/run`` always provides both.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = Path("/usr/bin/chromium")


def need(reason: str) -> None:
    """Skip the test for a missing service, or fail it under CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must provide it: see .ci/run)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The trained English pipeline with phasegraph's components, loaded once per test session."""
    from phasegraph.extract.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def neo4j_uri() -> str:
    """The Bolt URI of the test server (NEO4J_URI)."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        need("NEO4J_URI is not set; start a server with scripts/neo4j-test-server start")
    return uri


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's chromium, for browser tests."""
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        need("Debian's chromium is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def dev_set() -> Path:
    """The folder of the development set and its scorer (``../shared/eval`` beside the repository)."""
    folder = Path(__file__).resolve().parents[2] / "shared" / "eval"
    if not (folder / "dev_input.jsonl").exists():
        need(f"the development set is not at {folder}")
    return folder
