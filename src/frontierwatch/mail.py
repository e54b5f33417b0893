"""Sending e-mail through the configured SMTP server — the one sender every feature uses (password resets,
hall decisions and contact requests today; alerts later).

Settings (``FRONTIERWATCH_*``): ``SMTP_HOST`` (unset = e-mail off), ``SMTP_PORT`` (default 587), ``SMTP_TLS``
(``starttls`` default, ``ssl`` for implicit TLS, ``none`` only for a local relay), ``SMTP_USER`` and
``SMTP_PASSWORD`` (environment only), ``SMTP_FROM`` (the sender address). Messages are plain text, UTF-8, and
carry both languages when the recipient's language is unknown. A failure is reported to the caller (who records
it), never raised into a web request: a decision or a reset request must not fail because the mail relay is down.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

log = logging.getLogger(__name__)
TLS_MODES = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class Delivery:
    """What happened to one message: ``status`` is sent, not-configured, no-address or failed."""

    status: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}" if self.detail else self.status


class Mailer:
    """An SMTP sender built from the settings; `send` opens one connection per message (volumes are tiny)."""

    def __init__(self, settings, timeout: float = 15.0):
        self.host = getattr(settings, "smtp_host", None)
        self.port = int(getattr(settings, "smtp_port", 587) or 587)
        self.tls = getattr(settings, "smtp_tls", "starttls") or "starttls"
        self.user = getattr(settings, "smtp_user", None)
        password = getattr(settings, "smtp_password", None)
        self._password = password.get_secret_value() if hasattr(password, "get_secret_value") else password
        self.sender = getattr(settings, "smtp_from", None) or (f"frontierwatch@{self.host}" if self.host else None)
        self.timeout = timeout

    @property
    def configured(self) -> bool:
        return bool(self.host)

    def send(self, to: str | None, subject: str, body: str) -> Delivery:
        """Send one plain-text message to `to`; returns the `Delivery` (never raises on SMTP trouble)."""
        if not self.configured:
            return Delivery("not-configured")
        if not to or "@" not in to or any(c in to for c in "\r\n"):
            return Delivery("no-address")
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.sender, to, subject.replace("\r", " ").replace("\n", " ")
        msg["Date"], msg["Message-ID"] = formatdate(localtime=True), make_msgid(domain="frontierwatch")
        msg.set_content(body, charset="utf-8")
        try:
            if self.tls == "ssl":
                server = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
            else:
                server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with server:
                if self.tls == "starttls":
                    server.starttls(context=ssl.create_default_context())
                if self.user:
                    server.login(self.user, self._password or "")
                server.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("mail to %s failed: %s", to.split("@")[-1], exc)
            return Delivery("failed", type(exc).__name__)
        log.info("mail sent to a recipient at %s: %s", to.split("@")[-1], subject)
        return Delivery("sent")
