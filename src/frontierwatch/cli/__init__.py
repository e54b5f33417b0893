"""Command-line face of frontierwatch (`frontierwatch`, alias `fw`): a thin client of `Observatory`."""
from frontierwatch.cli.app import app, main

__all__ = ["app", "main"]
