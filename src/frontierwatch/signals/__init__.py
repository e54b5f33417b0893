"""The signals stage: emergence signals per topic and year, the two axes and the lifecycle stage.

Pure functions from a table of topic assignments to the ``topic_signals`` table (`compute_topic_signals`), and
from it to ``topic_axes`` (`compute_axes`); `build_signals` (`signals/runner.py`) is the runner that reads the
store's topic map and writes both tables (migration 0004); `read_signals` / `read_axes` (`signals/queries.py`)
are their one reader.
"""
from frontierwatch.signals.axes import BREAKTHROUGH, INDUSTRIALISATION, STAGES, axis_scores, compute_axes, lifecycle_stage
from frontierwatch.signals.compute import REQUIRED_COLUMNS, SIGNAL_COLUMNS, compute_topic_signals
from frontierwatch.signals.documents import load_signal_documents
from frontierwatch.signals.escore import TermIndex, term_emergence, topic_escore
from frontierwatch.signals.kleinberg import burst_as_of, burst_states
from frontierwatch.signals.queries import read_axes, read_signals
from frontierwatch.signals.runner import build_signals

__all__ = [
    "BREAKTHROUGH", "INDUSTRIALISATION", "REQUIRED_COLUMNS", "SIGNAL_COLUMNS", "STAGES", "TermIndex", "axis_scores",
    "build_signals", "burst_as_of", "burst_states", "compute_axes", "compute_topic_signals", "lifecycle_stage",
    "load_signal_documents", "read_axes", "read_signals", "term_emergence", "topic_escore",
]
