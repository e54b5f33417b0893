"""The web face of frontierwatch: FastAPI + Jinja2 pages, the JSON API and the release hall (成果发布大厅).

`create_app(observatory, settings)` builds the app; `frontierwatch serve` runs it with uvicorn.
"""
from frontierwatch.web.app import create_app
from frontierwatch.web.gateway import NOT_BUILT, ObservatoryGateway

__all__ = ["create_app", "ObservatoryGateway", "NOT_BUILT"]
