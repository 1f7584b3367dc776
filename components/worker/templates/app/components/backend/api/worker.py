"""Worker endpoints: enqueue jobs, follow them, and inspect the queues.

An admin API: every route here depends on ``require_admin`` (a superuser's
token with auth; without auth, served outside production only).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request, status
from pydantic import BaseModel, ConfigDict, Field

from app.components.backend.api.deps import require_admin
from app.components.worker.client import WorkerClient, WorkerUnavailableError
from app.components.worker.jobs import InvalidJobError, JobInfo
from app.components.worker.queues import UnknownQueueError
from app.components.worker.status import QueueStatus

router = APIRouter(
    prefix="/api/worker", tags=["worker"], dependencies=[Depends(require_admin)]
)

# Shown instead of the error, which may name internal hosts.
UNAVAILABLE = "job queue unavailable: Redis cannot be reached"


def get_worker_client(request: Request) -> WorkerClient:
    """Worker client created by the application's lifespan."""
    client: WorkerClient = request.app.state.worker_client
    return client


WorkerClientDep = Annotated[WorkerClient, Depends(get_worker_client)]


def unavailable() -> HTTPException:
    """The 503 answer for a Redis outage."""
    return HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=UNAVAILABLE)


class EnqueueRequest(BaseModel):
    """A call of a function registered on the queue."""

    model_config = ConfigDict(extra="forbid")

    function: str = Field(examples=["echo"])
    args: list[Any] = Field(default_factory=list, examples=[["hello"]])
    kwargs: dict[str, Any] = Field(default_factory=dict)


def _error(code: int, description: str) -> dict[int | str, dict[str, Any]]:
    return {code: {"description": description}}


@router.post(
    "/jobs/{queue}",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Enqueue a job",
    responses={
        **_error(status.HTTP_404_NOT_FOUND, "Unknown queue"),
        **_error(status.HTTP_422_UNPROCESSABLE_CONTENT, "Function not on the queue"),
        **_error(status.HTTP_503_SERVICE_UNAVAILABLE, "Redis unreachable"),
    },
)
async def enqueue_job(
    queue: str, body: EnqueueRequest, client: WorkerClientDep
) -> JobInfo:
    """Queue ``function(*args, **kwargs)``; poll ``GET /api/worker/jobs/{id}``."""
    try:
        return await client.enqueue(queue, body.function, body.args, body.kwargs)
    except UnknownQueueError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc
    except InvalidJobError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)
        ) from exc
    except WorkerUnavailableError as exc:
        raise unavailable() from exc


@router.get(
    "/jobs/{job_id}",
    summary="Get a job's state and result",
    responses={
        **_error(status.HTTP_404_NOT_FOUND, "Unknown job, or its result expired"),
        **_error(status.HTTP_503_SERVICE_UNAVAILABLE, "Redis unreachable"),
    },
)
async def get_job(
    job_id: Annotated[str, Path(max_length=128)], client: WorkerClientDep
) -> JobInfo:
    """Return the job's status, tries, times and, once finished, result or error."""
    try:
        job = await client.get_job(job_id)
    except WorkerUnavailableError as exc:
        raise unavailable() from exc
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="job not found")
    return job


@router.get(
    "/queues",
    summary="List the queues",
    responses=_error(status.HTTP_503_SERVICE_UNAVAILABLE, "Redis unreachable"),
)
async def list_queues(client: WorkerClientDep) -> list[QueueStatus]:
    """Each queue's functions, jobs waiting and worker heartbeat."""
    try:
        return await client.queues()
    except WorkerUnavailableError as exc:
        raise unavailable() from exc
