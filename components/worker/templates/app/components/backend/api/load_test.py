"""Load-test endpoint: run jobs on the load_test queue and report the timings.

An admin API, like the worker's: it depends on ``require_admin``.
"""

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field

from app.components.backend.api.deps import SettingsDep, require_admin
from app.components.backend.api.worker import WorkerClientDep, unavailable
from app.components.worker.client import WorkerUnavailableError
from app.components.worker.queues.load_test import LoadTestKind
from app.services.load_test import (
    MAX_COUNT,
    LoadTestReport,
    NoWorkerError,
    run_load_test,
)

router = APIRouter(
    prefix="/api/load-test", tags=["load test"], dependencies=[Depends(require_admin)]
)


class LoadTestRequest(BaseModel):
    """How many jobs of which kind; ``size`` defaults to the kind's default."""

    model_config = ConfigDict(extra="forbid")

    count: int = Field(default=100, ge=1, le=MAX_COUNT)
    kind: LoadTestKind = LoadTestKind.IO
    size: int | None = Field(default=None, ge=0)
    timeout_seconds: float = Field(default=60.0, gt=0, le=600)


@router.post(
    "",
    summary="Run a load test",
    responses={
        status.HTTP_503_SERVICE_UNAVAILABLE: {
            "description": "Redis unreachable, or no load_test worker running"
        }
    },
)
async def load_test(
    body: LoadTestRequest, client: WorkerClientDep, settings: SettingsDep
) -> LoadTestReport:
    """Enqueue the jobs, wait for them (up to the timeout) and return the report."""
    try:
        async with client.connection() as pool:
            return await run_load_test(
                pool,
                settings,
                count=body.count,
                kind=body.kind,
                size=body.size,
                timeout_seconds=body.timeout_seconds,
            )
    except NoWorkerError as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, detail=str(exc)
        ) from exc
    except WorkerUnavailableError as exc:
        raise unavailable() from exc
    except ValueError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)
        ) from exc
