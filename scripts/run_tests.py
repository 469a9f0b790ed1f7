"""Run the whole test suite with the services it needs: the README's test command.

    .venv/bin/python scripts/run_tests.py [PYTEST ARGS...]

Installs Debian's chromium when it is missing (needs root and apt-get), starts
the Neo4j test server unless NEO4J_URI is already set or the server already
runs (and then stops only a server it started), then runs pytest with this
interpreter. Exits with pytest's status.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEO4J_SERVER = ROOT / "scripts" / "neo4j-test-server"
NEO4J_TEST_PASSWORD = "phasegraph-test"  # the test server's password (scripts/neo4j-test-server)


def ensure_chromium() -> None:
    """Install Debian's chromium for the browser tests when it is missing."""
    if Path("/usr/bin/chromium").exists():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit("the browser tests need Debian's chromium: run `sudo apt-get install chromium`, then try again")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium"], check=True, env=env)


def start_neo4j() -> bool:
    """Point NEO4J_URI at a test server, starting one if none runs; True when this script started it."""
    os.environ.setdefault("NEO4J_USER", "neo4j")
    os.environ.setdefault("NEO4J_PASSWORD", NEO4J_TEST_PASSWORD)
    if os.environ.get("NEO4J_URI"):
        return False
    running = subprocess.run([str(NEO4J_SERVER), "status"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    started = running.returncode != 0
    if started:
        running = subprocess.run([str(NEO4J_SERVER), "start"], check=True, stdout=subprocess.PIPE, text=True)
    os.environ["NEO4J_URI"] = running.stdout.strip().splitlines()[-1].strip()
    return started


def main() -> int:
    """Prepare the services, run pytest, stop what was started."""
    ensure_chromium()
    started = start_neo4j()
    try:
        return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], cwd=ROOT)
    finally:
        if started:
            subprocess.run([str(NEO4J_SERVER), "stop"], check=False)


if __name__ == "__main__":
    sys.exit(main())
