"""Interactive HTML concept maps of a phasegraph graph.

``render_html(graph, ...) -> str`` is the one entry point (``write_html`` writes it to a file); the filters
that choose what a map shows are in ``phasegraph.viz.filters`` and usable alone.
"""

from phasegraph.viz.filters import FilterReport, apply_filters, find_nodes
from phasegraph.viz.render import render_html, write_html

__all__ = ["FilterReport", "apply_filters", "find_nodes", "render_html", "write_html"]
