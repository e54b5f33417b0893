"""Delivering alerts: an e-mail digest per address through the one SMTP sender (`frontierwatch.mail.Mailer`) and
a signed webhook POST per alert, each with retries, each alert sent at most once per channel.

What was sent is recorded in ``alert_deliveries`` (user database, migration 0028) right after the server
accepted it: an alert with a ``sent`` row for a channel is never sent on it again, whatever reruns, restarts or
later evaluations happen. A failure is recorded with its attempts; the next evaluation tries again, up to
`MAX_ATTEMPTS` in all. Within one evaluation each send is tried `TRIES` times with a short back-off.

Webhook requests carry the alert as JSON and ``X-Frontierwatch-Signature: sha256=<hex>``, the HMAC-SHA256 of
``<timestamp>.<body>`` under ``FRONTIERWATCH_WEBHOOK_SECRET``, with the timestamp in
``X-Frontierwatch-Timestamp`` (a receiver checks both, so a captured request cannot be replayed later).
Without a secret, webhooks are not sent (``not-configured``): an unsigned alert could be forged.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections import defaultdict
from datetime import datetime

from frontierwatch.watch.alerts import Alert, get_alert
from frontierwatch.watch.watchlists import Watch, get_watch

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
TRIES = 3
BACKOFF_S = 0.5
SIGNATURE_HEADER = "X-Frontierwatch-Signature"
TIMESTAMP_HEADER = "X-Frontierwatch-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of ``<timestamp>.<body>`` under `secret` (what receivers recompute)."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class WebhookSender:
    """POSTs signed JSON to a watch's webhook URL (`sign`); `post` returns ``(status, detail)``."""

    def __init__(self, secret: str | None, timeout: float = 10.0):
        self.secret = secret
        self.timeout = timeout

    def post(self, url: str, payload: dict) -> tuple[str, str]:
        if not self.secret:
            return "not-configured", "FRONTIERWATCH_WEBHOOK_SECRET is not set"
        body = json.dumps(payload, ensure_ascii=False, default=str).encode()
        stamp = str(int(time.time()))
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": "frontierwatch-alerts",
            TIMESTAMP_HEADER: stamp, SIGNATURE_HEADER: sign(self.secret, stamp, body)})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                return ("sent", str(answer.status)) if 200 <= answer.status < 300 else ("failed", str(answer.status))
        except urllib.error.HTTPError as exc:
            return "failed", f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:
            return "failed", type(exc).__name__


def _pending(con, channel: str) -> list[tuple[int, int]]:
    """(alert_id, attempts so far) of alerts whose watch has this channel and that were not sent on it yet."""
    column = "email" if channel == "email" else "webhook"
    return con.sql(
        f"""SELECT a.alert_id, coalesce(d.attempts, 0) FROM alerts a JOIN watches w USING (watch_id)
            LEFT JOIN alert_deliveries d ON d.alert_id = a.alert_id AND d.channel = ?
            WHERE w.{column} IS NOT NULL AND coalesce(d.status, '') <> 'sent' AND coalesce(d.attempts, 0) < ?
            ORDER BY a.alert_id""", [channel, MAX_ATTEMPTS]).rows()


def _record(con, alert_id: int, channel: str, status: str, attempts: int, detail: str) -> None:
    con.sql("DELETE FROM alert_deliveries WHERE alert_id = ? AND channel = ?", [alert_id, channel])
    con.sql("INSERT INTO alert_deliveries VALUES (?, ?, ?, ?, ?, ?)",
                [alert_id, channel, status, attempts, datetime.now().replace(microsecond=0), detail[:500]])


def _retrying(send) -> tuple[str, str, int]:
    status, detail, tries = "failed", "", 0
    for tries in range(1, TRIES + 1):
        status, detail = send()
        if status != "failed":
            break
        time.sleep(BACKOFF_S * tries)
    return status, detail, tries


def digest(alerts: list[Alert], watches: dict[int, Watch], public_url: str | None = None) -> tuple[str, str]:
    """Subject and plain-text body of a bilingual e-mail digest of `alerts` (Chinese first)."""
    n = len(alerts)
    subject = f"未来产业瞭望站 · {n} 条新提醒 / {n} new alert{'s' if n != 1 else ''}"
    lines = []
    for lang, head in (("zh", "新提醒"), ("en", "New alerts")):
        lines.append(f"{head}:")
        for a in alerts:
            w = watches[a.watch_id]
            lines.append(f"  #{a.alert_id} [{w.title}] {a.title[lang]}")
            for doc in a.evidence.get("documents", [])[:5]:
                lines.append(f"      {doc['published']}  {doc['title'][:120]}")
        lines.append("")
    if public_url:
        lines.append(f"{public_url.rstrip('/')}/inbox")
    lines.append("— 未来产业瞭望站 frontierwatch (frontierwatch alerts --json)")
    return subject, "\n".join(lines)


def deliver_alerts(con, mailer, webhooks: WebhookSender, public_url: str | None = None) -> dict:
    """Send what is pending (new alerts and earlier failures under `MAX_ATTEMPTS`): one digest per e-mail
    address, one signed POST per alert and webhook. Returns ``{"email": {status: n}, "webhook": {status: n}}``."""
    counts: dict[str, dict[str, int]] = {"email": defaultdict(int), "webhook": defaultdict(int)}
    by_address: dict[str, list[tuple[Alert, int]]] = defaultdict(list)
    watches: dict[int, Watch] = {}
    for alert_id, attempts in _pending(con, "email"):
        alert = get_alert(con, None, alert_id)
        watches.setdefault(alert.watch_id, get_watch(con, None, alert.watch_id))
        by_address[watches[alert.watch_id].email].append((alert, attempts))
    for address, items in by_address.items():
        subject, body = digest([a for a, _ in items], watches, public_url)
        status, detail, tries = _retrying(lambda: _mail(mailer, address, subject, body))
        for alert, attempts in items:
            _record(con, alert.alert_id, "email", status, attempts + _counted(status, tries), detail)
            counts["email"][status] += 1
    for alert_id, attempts in _pending(con, "webhook"):
        alert = get_alert(con, None, alert_id)
        watch = watches.setdefault(alert.watch_id, get_watch(con, None, alert.watch_id))
        payload = {"alert": alert.to_json(watch), "watch": watch.to_json() | {"email": None}}
        status, detail, tries = _retrying(lambda: webhooks.post(watch.webhook, payload))
        _record(con, alert_id, "webhook", status, attempts + _counted(status, tries), detail)
        counts["webhook"][status] += 1
    return {k: dict(v) for k, v in counts.items()}


def _counted(status: str, tries: int) -> int:
    """Attempts that count towards `MAX_ATTEMPTS`: not when the channel is not configured yet (it is tried
    again once it is)."""
    return tries if status in ("sent", "failed") else 0


def _mail(mailer, address: str, subject: str, body: str) -> tuple[str, str]:
    delivery = mailer.send(address, subject, body)
    return delivery.status, delivery.detail
