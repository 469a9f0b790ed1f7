"""phasegraph: a knowledge graph of methods, datasets and phase structures from paper abstracts.

The work is split across three sub-packages, which live at the top of the
repository as ``extract/``, ``graph/`` and ``viz/`` and are installed as
``phasegraph.extract``, ``phasegraph.graph`` and ``phasegraph.viz``.
"""

from phasegraph.errors import PhasegraphError

__all__ = ["PhasegraphError", "__version__"]
__version__ = "0.1.0"
