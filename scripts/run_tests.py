"""Run the whole test suite with the services it needs: the README's test command.

    .venv/bin/python scripts/run_tests.py [PYTEST ARGS...]

Installs Debian's chromium, a JDK and Maven when they are missing (needs root
and apt-get), starts the Neo4j test server unless NEO4J_URI is already set or
the server already runs (and then stops only a server it started), then runs
pytest with this interpreter. Exits with pytest's status.
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


# Debian packages the tests need, each with a file that shows it is there.
SYSTEM_PACKAGES = {
    "chromium": "/usr/bin/chromium",  # the browser tests
    "openjdk-17-jdk-headless": "javac",  # the Neo4j test server's launcher
    "maven": "mvn",  # fetches Neo4j's jars from Maven Central
}


def ensure_system_packages() -> None:
    """Install the Debian packages the tests need when they are missing (needs root and apt-get)."""
    missing = [name for name, probe in SYSTEM_PACKAGES.items() if not (Path(probe).exists() or shutil.which(probe))]
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(f"the tests need these Debian packages: run `sudo apt-get install {' '.join(missing)}`, then try again")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=True, env=env)


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
    ensure_system_packages()
    started = start_neo4j()
    try:
        return subprocess.call([sys.executable, "-m", "pytest", *sys.argv[1:]], cwd=ROOT)
    finally:
        if started:
            subprocess.run([str(NEO4J_SERVER), "stop"], check=False)


if __name__ == "__main__":
    sys.exit(main())
