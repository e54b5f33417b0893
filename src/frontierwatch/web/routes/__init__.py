"""Routers by area: ``pages`` (read-only pages), ``hall`` (release hall pages), ``auth`` (accounts), ``api`` (JSON)."""
