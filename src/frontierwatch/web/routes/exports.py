"""Bulk downloads of the exports: ``/api/v1/exports/{what}?format=parquet|csv|xlsx[&as_of=DATE]`` and each
export's data dictionary as JSON (``/api/v1/exports/{what}/dictionary``). The file is written by the core's
`Observatory.export` (streamed, under the gateway's lock) into a scratch folder and sent as an attachment."""
from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from frontierwatch.export import DICTIONARY
from frontierwatch.web.routes.api import ERRORS

router = APIRouter(prefix="/api/v1", tags=["exports"], responses=ERRORS)
What = Literal["topics", "signals", "forecasts", "documents", "assignments"]
MEDIA = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/exports/{what}/dictionary", summary="The data dictionary of an export: column, type, meaning zh/en")
def dictionary(what: What) -> dict:
    return {"export": what, "columns": [{"column": c, "type": t, "meaning": {"zh": zh, "en": en}}
                                        for c, t, zh, en in DICTIONARY[what]]}


@router.get("/exports/{what}", summary="Download an export of the topic map (parquet, csv or xlsx)",
            response_class=FileResponse,
            responses={200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()},
                             "description": "The export file"}})
def download(request: Request, what: What, format: Annotated[Literal["parquet", "csv", "xlsx"], Query()] = "csv",
             as_of: Annotated[date | None, Query(description="Map date (default: the latest)")] = None):
    folder = Path(tempfile.mkdtemp(prefix="fw-export-"))
    gateway = request.app.state.web.gateway
    try:
        with gateway.lock:
            done = gateway.obs.export(what, format, folder / f"{what}.{format}", as_of)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    name = f"frontierwatch-{what}-{done['as_of']}.{format}"
    return FileResponse(done["path"], media_type=MEDIA[format], filename=name,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))
