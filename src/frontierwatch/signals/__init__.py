"""The signals stage: emergence signals per topic and year, the two axes and the lifecycle stage.

Pure functions from a table of topic assignments to the ``topic_signals`` table (`compute_topic_signals`), and
from it to ``topic_axes`` (`compute_axes`); `build_signals` is the runner that reads the store's topic map and
writes both tables (migration 0004).
"""
from frontierwatch.signals.axes import BREAKTHROUGH, INDUSTRIALISATION, STAGES, axis_scores, compute_axes, lifecycle_stage
from frontierwatch.signals.compute import REQUIRED_COLUMNS, SIGNAL_COLUMNS, compute_topic_signals
from frontierwatch.signals.documents import load_signal_documents
from frontierwatch.signals.escore import TermIndex, term_emergence, topic_escore
from frontierwatch.signals.kleinberg import burst_as_of, burst_states

__all__ = [
    "BREAKTHROUGH", "INDUSTRIALISATION", "REQUIRED_COLUMNS", "SIGNAL_COLUMNS", "STAGES", "TermIndex", "axis_scores",
    "burst_as_of", "burst_states", "compute_axes", "compute_topic_signals", "lifecycle_stage",
    "load_signal_documents", "term_emergence", "topic_escore",
]
