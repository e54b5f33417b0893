"""Shared fixtures: paths to the committed real samples and scratch stores."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "samples"
SHARED = Path(os.environ.get("FRONTIERWATCH_SHARED", ROOT.parent / "shared"))


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def arxiv_sample() -> Path:
    return SAMPLES / "arxiv" / "arxiv-sample.jsonl.gz"


@pytest.fixture
def store(tmp_path):
    from frontierwatch.store import Store

    s = Store(tmp_path / "store")
    yield s
    s.close()


@pytest.fixture
def store_copy(tmp_path):
    """Factory ``store_copy(session_store_dir, open=False)``: a private, writable copy of a store built once per
    session (tests that write must not change what other tests read). Returns the copy's directory, or with
    `open` the opened `Store` (closed after the test)."""
    import shutil

    from frontierwatch.store import Store

    opened = []

    def copy(source: Path, open: bool = False):
        dest = tmp_path / f"store-copy-{len(list(tmp_path.glob('store-copy-*')))}"
        shutil.copytree(source, dest)
        if not open:
            return dest
        opened.append(Store(dest))
        return opened[-1]

    yield copy
    for s in opened:
        s.close()


@pytest.fixture(scope="session")
def embedded_store(tmp_path_factory):
    """Factory ``embedded_store(paths) -> store directory``: the files ingested with the real connectors and
    embedded with the real static model, once per session for the same paths (tests copy it before writing)."""
    from frontierwatch.embed import embed_documents
    from frontierwatch.sources.ingest import ingest
    from frontierwatch.store import Store

    made: dict[tuple[Path, ...], Path] = {}

    def make(paths) -> Path:
        key = tuple(Path(p) for p in paths)
        if key not in made:
            path = tmp_path_factory.mktemp("embedded") / "store"
            with Store(path) as store:
                ingest(store, list(key))
                embed_documents(store)
            made[key] = path
        return made[key]

    return make


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port that keeps what it receives, with AUTH (plain
    text allowed on loopback): yields ``{"host", "port", "user", "password", "messages": [EmailMessage]}``."""
    import socket
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    got: list = []
    creds = {"user": "relay-user", "password": "relay-secret"}

    class Keep:
        async def handle_DATA(self, server, session, envelope):
            got.append(message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == creds["user"] and \
            auth_data.password.decode() == creds["password"]
        return AuthResult(success=ok)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False)
    controller.start()
    yield {"host": "127.0.0.1", "port": port, "messages": got, **creds}
    controller.stop()


@pytest.fixture
def smtp_settings(smtp_server):
    """Settings whose FRONTIERWATCH_SMTP_* point at `smtp_server`."""
    from frontierwatch.settings import load_settings

    return load_settings(smtp_host=smtp_server["host"], smtp_port=smtp_server["port"], smtp_tls="none",
                         smtp_user=smtp_server["user"], smtp_password=smtp_server["password"],
                         smtp_from="watch@frontierwatch.example")
