"""Fixtures for the hall tests: a fresh real store (migrations applied) and its Hall."""
from __future__ import annotations

import pytest

from frontierwatch.hall import Hall


@pytest.fixture
def hall(store):
    return Hall(store)
