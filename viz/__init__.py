"""Interactive HTML concept maps of a phasegraph graph."""
