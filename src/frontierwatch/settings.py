"""One typed settings object for the whole product (file + ``FRONTIERWATCH_*`` environment).

Precedence: explicit arguments > environment > ``frontierwatch.toml`` in the working directory (or the file
named by ``FRONTIERWATCH_CONFIG``) > defaults. Secrets (the web session key, the SMTP password) come only from the environment.
"""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every tunable the product has, in one place."""

    model_config = SettingsConfigDict(env_prefix="FRONTIERWATCH_", extra="ignore")

    store: Path = Field(Path("fw-data"), description="Store directory (DuckDB database plus caches).")
    shared: Path = Field(Path("../shared"), description="Folder with the large shared corpora (bench, backtest).")
    profile: str = Field("default", pattern=r"^[A-Za-z0-9_.-]{1,40}$", description="Command-line profile whose watchlist and alerts `watch` and `alerts` use.")
    ingest_batch: int = Field(20000, ge=1, description="Records per ingest transaction (the resume granularity).")
    ingest_bulk: bool = Field(True, description="Parse JSON-lines formats that have an SQL parser (arXiv) in bulk "
                              "with DuckDB; false reads them record by record, as every other format (same result).")
    max_field_bytes: int = Field(1_000_000, ge=1000, description="Longest accepted text field; longer ones reject the record.")
    engine: str = Field("embedded", pattern="^(embedded|spark)$",
                        description="Engine of ingest, build and update: embedded (DuckDB + numpy, default) or spark "
                                    "(document-level jobs on Apache Spark over Parquet; pip install 'frontierwatch[spark]').")
    spark_master: str = Field("local[*]", description="Spark master URL of the spark engine (local[*], local[2], spark://host:7077, yarn, k8s://…).")
    spark_data: str | None = Field(None, description="Parquet data directory of the spark engine: a local path or a Hadoop URI "
                                   "(s3a://bucket/fw, hdfs://nn/fw); default <store>/parquet.")
    embed_model: str = Field("static-bilingual", description="Embedding model used by build, match and search (static-bilingual: Chinese + English in one space).")
    topic_seed: int = Field(0, description="Random seed of the topic model (builds are deterministic).")
    workers: int = Field(0, ge=0, le=256, description="Worker processes for work that splits by document (term "
                         "hashing, tokenising): 0 = one per available core, 1 = none (all in the command's process).")
    taxonomy: Path | None = Field(None, description="A taxonomy YAML of your own instead of the packaged six directions.")
    labeller: str = Field("offline", pattern="^(offline|openai)$",
                          description="Who names topics: offline (glossary + documents) or an OpenAI-compatible endpoint.")
    labeller_base_url: str | None = Field(None, description="Base URL of the OpenAI-compatible endpoint, e.g. http://host/v1.")
    labeller_model: str | None = Field(None, description="Model name sent to the labeller endpoint.")
    labeller_api_key: str | None = Field(None, description="Key of the labeller endpoint (environment only).")
    lang: str = Field("en", pattern="^(en|zh)$", description="Language of command-line messages (en or zh).")
    mailto: str | None = Field(None, description="E-mail sent to the OpenAlex polite pool.")
    secret_key: str | None = Field(None, description="Web session signing key (environment only).")
    risk_taxonomy: Path | None = Field(None, description="Risk taxonomy YAML replacing the packaged one (risk stage).")
    public_url: str | None = Field(None, description="The site's public address, used in e-mailed links (e.g. https://fw.example.org).")
    smtp_host: str | None = Field(None, description="SMTP server for e-mail (password resets, notifications); unset = no e-mail.")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port.")
    smtp_tls: str = Field("starttls", pattern="^(starttls|ssl|none)$", description="starttls, ssl (implicit TLS) or none (local relay only).")
    smtp_user: str | None = Field(None, description="SMTP user name.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password (environment only).")
    smtp_from: str | None = Field(None, description="Sender address of the e-mails.")
    webhook_secret: SecretStr | None = Field(None, description="Key of the HMAC-SHA256 signature on alert webhooks (environment only).")


_BUILT: dict[tuple, Settings] = {}


def load_settings(**overrides) -> Settings:
    """Build settings from the config file, then the environment, then `overrides` (None values ignored).

    Remembered by everything they are built from (the ``FRONTIERWATCH_*`` variables, the config file's path and
    modification time, the overrides), so a reader asking per request (the taxonomy's path during a match) gets a
    copy instead of a new parse of the environment (≈ 20–40 ms on a loaded machine)."""
    cfg = Path(os.environ.get("FRONTIERWATCH_CONFIG", "frontierwatch.toml"))
    try:
        stamp = cfg.stat().st_mtime_ns if cfg.is_file() else None
        key = (tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith("FRONTIERWATCH_"))),
               str(cfg.resolve()), stamp, tuple(sorted((k, v) for k, v in overrides.items() if v is not None)))
        hash(key)
    except (OSError, TypeError):  # an unhashable override: build afresh
        return _build(cfg, overrides)
    got = _BUILT.get(key)
    if got is None:
        got = _build(cfg, overrides)
        if len(_BUILT) > 64:
            _BUILT.clear()
        _BUILT[key] = got
    return got.model_copy()


def _build(cfg: Path, overrides: dict) -> Settings:
    file_values: dict = {}
    if cfg.is_file():
        with cfg.open("rb") as fh:
            file_values = tomllib.load(fh).get("frontierwatch", {})
        for secret in ("secret_key", "smtp_password", "labeller_api_key", "webhook_secret"):
            file_values.pop(secret, None)
    env_set = {name for name in Settings.model_fields if f"FRONTIERWATCH_{name.upper()}" in os.environ}
    base = {k: v for k, v in file_values.items() if k not in env_set}
    base.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**base)
