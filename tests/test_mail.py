"""The one SMTP sender, against a real local SMTP server (aiosmtpd): settings from FRONTIERWATCH_SMTP_*, AUTH,
UTF-8 bodies, header injection refused, and failures reported instead of raised."""
from __future__ import annotations

from frontierwatch.mail import Mailer
from frontierwatch.settings import load_settings


def test_settings_come_from_the_environment_and_the_password_stays_secret(monkeypatch, smtp_server):
    for key, value in {"HOST": smtp_server["host"], "PORT": str(smtp_server["port"]), "TLS": "none",
                       "USER": smtp_server["user"], "PASSWORD": smtp_server["password"],
                       "FROM": "watch@frontierwatch.example"}.items():
        monkeypatch.setenv(f"FRONTIERWATCH_SMTP_{key}", value)
    settings = load_settings()
    assert settings.smtp_port == smtp_server["port"] and settings.smtp_tls == "none"
    assert smtp_server["password"] not in repr(settings)
    mailer = Mailer(settings)
    assert mailer.configured
    delivery = mailer.send("alice@example.org", "未来产业瞭望站 · 测试 / test", "中文正文\nEnglish body")
    assert delivery.status == "sent"
    msg = smtp_server["messages"][0]
    assert msg["To"] == "alice@example.org" and msg["From"] == "watch@frontierwatch.example"
    assert "未来产业瞭望站" in msg["Subject"] and "中文正文" in msg.get_content()


def test_wrong_credentials_and_unreachable_servers_are_reported(smtp_server, smtp_settings):
    bad = Mailer(smtp_settings.model_copy(update={"smtp_user": "someone-else"}))
    assert bad.send("a@example.org", "s", "b").status == "failed"
    gone = Mailer(load_settings(smtp_host="127.0.0.1", smtp_port=1, smtp_tls="none"))
    assert str(gone.send("a@example.org", "s", "b")).startswith("failed")
    assert smtp_server["messages"] == []


def test_not_configured_and_bad_addresses_send_nothing(smtp_server, smtp_settings):
    assert Mailer(load_settings()).send("a@example.org", "s", "b").status == "not-configured"
    mailer = Mailer(smtp_settings)
    assert mailer.send(None, "s", "b").status == "no-address"
    assert mailer.send("a@example.org\r\nBcc: victim@example.org", "s", "b").status == "no-address"
    assert mailer.send("a@example.org", "line one\r\nBcc: victim@example.org", "b").status == "sent"
    msg = smtp_server["messages"][0]
    assert msg["Bcc"] is None and msg["Subject"] == "line one  Bcc: victim@example.org"
