"""schemathesis against /openapi.json: generated requests for every API operation, no failure allowed.

Bounded (a few examples per operation, no shrinking deadline) so that it runs in well under a minute.
"""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from frontierwatch.core import Observatory  # noqa: E402
from frontierwatch.settings import load_settings  # noqa: E402
from frontierwatch.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    from pathlib import Path

    path = tmp_path_factory.mktemp("fuzz") / "store"
    obs = Observatory(path, load_settings(store=path))
    obs.ingest([Path(__file__).resolve().parents[1] / "samples" / "arxiv" / "arxiv-sample.jsonl.gz"])
    app = create_app(obs, obs.settings, secret_key="fuzz-key", submit_per_minute=10_000, login_per_minute=10_000)
    yield app
    obs.close()


def test_every_api_operation_conforms(fuzz_app):
    """Each operation gets bounded generated cases; every schemathesis check (no 5xx, documented status codes,
    response schemas, content types) must pass. (Driven directly: schemathesis' own pytest plugin does not
    load under this pytest version.)"""
    from hypothesis import given

    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    failures, ran = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        def run(case):
            case.call_and_validate()

        try:
            run()
        except Exception as exc:  # collect all operations' failures, then report them together
            failures.append(f"{operation.label}: {str(exc)[:600]}")
        ran += 1
    assert ran >= 15
    assert not failures, "\n\n".join(failures)
