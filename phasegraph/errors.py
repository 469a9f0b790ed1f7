"""The project's one error root and its few families.

Every message says what failed, the offending value, and the fix.
"""

from __future__ import annotations


class PhasegraphError(Exception):
    """Root of every error phasegraph raises on purpose."""


class InputError(PhasegraphError):
    """A corpus file or record cannot be read; the message names file and line or record."""


class ModelError(PhasegraphError):
    """The spaCy pipeline cannot be loaded; the message names the package to install."""


class GraphError(PhasegraphError):
    """A graph file cannot be read or written, or does not follow the schema."""


class QueryError(PhasegraphError):
    """A Cypher query cannot be run; the message names the problem."""


class Neo4jError(PhasegraphError):
    """The Neo4j server cannot be reached or refused us; the message names the URI and the fix."""
