"""Health endpoints: cheap liveness and a detailed report of every check."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, Request, Response, status
from pydantic import BaseModel

from app import __version__
from app.components.backend.api.deps import HealthRegistryDep, is_admin_request
from app.core.config import Settings
from app.services.system.health import PRIVATE_DETAILS, HealthReport

router = APIRouter(prefix="/health", tags=["health"])


class Liveness(BaseModel):
    """Liveness answer; it runs no checks."""

    status: Literal["ok"] = "ok"
    service: str
    version: str


async def liveness(request: Request) -> Response:
    """Return 200 while the process can serve requests.

    Load balancers call it often, so the answer never changes within a process:
    it is serialised once, from the app's settings, and kept in the app's state.
    A dependency or a model validated per request would cost a good part of it.
    """
    body: bytes | None = getattr(request.app.state, "liveness_body", None)
    if body is None:
        settings: Settings = request.app.state.settings
        answer = Liveness(service=settings.app_name, version=__version__)
        body = answer.model_dump_json().encode()
        request.app.state.liveness_body = body
    return Response(content=body, media_type="application/json")


def add_liveness_route(app: FastAPI) -> None:
    """``GET /health`` on the app itself, ahead of every included router.

    A route of the app is matched before the routers' (each a layer to go
    through), which is most of what ``/health`` costs beside FastAPI itself.
    """
    app.add_api_route(
        "/health",
        liveness,
        methods=["GET"],
        response_model=Liveness,
        summary="Liveness probe",
        tags=["health"],
    )


@router.get(
    "/detailed",
    summary="Run every registered health check",
    responses={
        status.HTTP_503_SERVICE_UNAVAILABLE: {
            "model": HealthReport,
            "description": "At least one component is unhealthy",
        }
    },
)
async def detailed(
    registry: HealthRegistryDep,
    response: Response,
    admin: Annotated[bool, Depends(is_admin_request)],
) -> HealthReport:
    """Run all checks concurrently; answer 503 when the overall status is unhealthy.

    Version, environment and Python version (``PRIVATE_DETAILS``) are left out
    unless ``is_admin_request`` lets the caller see them.
    """
    report = await registry.run_all()
    if not admin:
        report = report.without_details(PRIVATE_DETAILS)
    if report.is_unhealthy:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return report
