"""Alert delivery against real servers: e-mail through a local SMTP server (aiosmtpd) and a signed webhook with a
retry against a local HTTP server — after a real update, each sent once, nothing again on a rerun."""
from __future__ import annotations

import email
import json
from email import policy

from typer.testing import CliRunner

from frontierwatch.cli.app import app
from frontierwatch.watch.delivery import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

runner = CliRunner()
SECRET = "test-webhook-secret"


def fw(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_update_mails_and_posts_each_alert_once(built_store, split_sample, smtp_server, webhook_server, monkeypatch):
    monkeypatch.setenv("FRONTIERWATCH_WEBHOOK_SECRET", SECRET)
    url, hooks = webhook_server
    fw("watch", "add", "--query", "neural networks", "--email", "analyst@example.org", "--webhook", url)
    fw("update", str(split_sample[1]))
    alert = json.loads(fw("alerts", "--json"))["alerts"][0]

    assert len(smtp_server) == 1
    envelope = smtp_server[0]
    assert envelope.rcpt_tos == ["analyst@example.org"] and envelope.mail_from == "alerts@frontierwatch.test"
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    text = message.get_content()
    assert "新提醒" in message["Subject"] and "new alert" in message["Subject"]
    assert alert["title"]["zh"] in text and alert["title"]["en"] in text
    assert alert["evidence"]["documents"][0]["title"][:60] in text

    # the first POST got a 500, the retry a 204; both carry a valid signature over timestamp + body
    assert len(hooks) == 2 and hooks[0]["body"] == hooks[1]["body"]
    for request in hooks:
        headers = {k.lower(): v for k, v in request["headers"].items()}
        assert headers[SIGNATURE_HEADER.lower()] == sign(SECRET, headers[TIMESTAMP_HEADER.lower()], request["body"])
    payload = json.loads(hooks[1]["body"])
    assert payload["alert"]["id"] == alert["id"] and payload["alert"]["evidence"] == alert["evidence"]
    assert payload["watch"]["email"] is None  # the address is not passed on to the webhook receiver

    fw("update", str(split_sample[1]))   # rerun: nothing raised, nothing sent
    assert len(smtp_server) == 1 and len(hooks) == 2


def test_a_relay_that_was_down_gets_the_alert_later_and_once(built_store, split_sample, smtp_server, monkeypatch):
    import frontierwatch.watch.delivery as delivery
    from frontierwatch.core import Observatory

    monkeypatch.setattr(delivery, "BACKOFF_S", 0.01)
    fw("watch", "add", "--query", "neural networks", "--email", "analyst@example.org")
    import os
    port = os.environ["FRONTIERWATCH_SMTP_PORT"]
    monkeypatch.setenv("FRONTIERWATCH_SMTP_PORT", "1")   # nothing listens there
    fw("update", str(split_sample[1]))
    assert smtp_server == []
    with Observatory(built_store) as obs:
        row = obs.store.users.execute("SELECT status, attempts FROM alert_deliveries").fetchall()
    assert row == [("failed", delivery.TRIES)]
    monkeypatch.setenv("FRONTIERWATCH_SMTP_PORT", port)   # the relay is back
    fw("update")
    assert len(smtp_server) == 1
    fw("update")
    assert len(smtp_server) == 1
