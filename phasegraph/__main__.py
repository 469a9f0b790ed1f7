"""``python -m phasegraph`` runs the command line."""

from phasegraph.cli import app

app()
