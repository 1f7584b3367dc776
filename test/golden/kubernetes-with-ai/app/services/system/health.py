"""Health registry: components register async checks that run concurrently.

Statuses are ordered by severity (healthy < info < warning < unhealthy) and a
parent's status is the worst of its own and its children's.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field

from app.core.log import get_logger

logger = get_logger(__name__)

DetailValue = str | int | float | bool | None

# Details naming the deployment: /health/detailed shows them only to callers
# that ``is_admin_request`` lets in (everyone outside production).
PRIVATE_DETAILS = frozenset({"version", "environment", "python"})


class HealthStatus(StrEnum):
    """Health status; members are declared from least to most severe."""

    HEALTHY = "healthy"
    INFO = "info"
    WARNING = "warning"
    UNHEALTHY = "unhealthy"

    @property
    def severity(self) -> int:
        """Rank of the status: 0 for healthy up to 3 for unhealthy."""
        return list(HealthStatus).index(self)

    @classmethod
    def worst(cls, statuses: Iterable["HealthStatus"]) -> "HealthStatus":
        """Return the most severe status, or healthy when there is none."""
        return max(statuses, key=lambda status: status.severity, default=cls.HEALTHY)


class ComponentHealth(BaseModel):
    """Result of one health check, optionally with sub-components."""

    status: HealthStatus
    message: str = ""
    details: dict[str, DetailValue] = Field(default_factory=dict)
    components: dict[str, "ComponentHealth"] = Field(default_factory=dict)
    duration_ms: float | None = None

    def rolled_up(self) -> "ComponentHealth":
        """Return a copy whose status is the worst of itself and its children."""
        children = {name: child.rolled_up() for name, child in self.components.items()}
        statuses = [self.status, *(child.status for child in children.values())]
        return self.model_copy(
            update={"status": HealthStatus.worst(statuses), "components": children}
        )

    def without_details(self, names: frozenset[str]) -> "ComponentHealth":
        """Return a copy without the details ``names``, here and in the children."""
        details = {
            key: value for key, value in self.details.items() if key not in names
        }
        children = {
            name: child.without_details(names)
            for name, child in self.components.items()
        }
        return self.model_copy(update={"details": details, "components": children})


class HealthReport(BaseModel):
    """Aggregated result of every registered check."""

    status: HealthStatus
    duration_ms: float
    components: dict[str, ComponentHealth]

    @property
    def is_unhealthy(self) -> bool:
        """Whether the overall status is unhealthy."""
        return self.status is HealthStatus.UNHEALTHY

    def without_details(self, names: frozenset[str]) -> "HealthReport":
        """Return a copy without the details ``names`` in any component."""
        components = {
            name: component.without_details(names)
            for name, component in self.components.items()
        }
        return self.model_copy(update={"components": components})


HealthCheck = Callable[[], Awaitable[ComponentHealth]]


@dataclass(frozen=True, slots=True)
class _Registration:
    check: HealthCheck
    timeout: float | None


class HealthRegistry:
    """Named health checks, run concurrently with a timeout each."""

    def __init__(self, default_timeout: float = 5.0) -> None:
        self.default_timeout = default_timeout
        self._checks: dict[str, _Registration] = {}

    @property
    def names(self) -> tuple[str, ...]:
        """Registered check names, in registration order."""
        return tuple(self._checks)

    def register(
        self, name: str, check: HealthCheck, *, timeout: float | None = None
    ) -> None:
        """Register ``check`` under ``name``; ``timeout`` overrides the default."""
        if name in self._checks:
            raise ValueError(f"health check {name!r} is already registered")
        self._checks[name] = _Registration(check=check, timeout=timeout)

    def unregister(self, name: str) -> None:
        """Remove the check registered under ``name``."""
        del self._checks[name]

    async def run(self, name: str) -> ComponentHealth:
        """Run one check; errors and timeouts become an unhealthy result."""
        registration = self._checks[name]
        timeout = registration.timeout
        if timeout is None:
            timeout = self.default_timeout
        deadline = asyncio.timeout(timeout)
        started = time.perf_counter()
        try:
            async with deadline:
                result = await registration.check()
        except Exception as exc:
            if isinstance(exc, TimeoutError) and deadline.expired():
                message = f"check timed out after {timeout:g}s"
            else:
                message = f"{type(exc).__name__}: {exc}"
            logger.warning("health_check_failed", check=name, error=message)
            result = ComponentHealth(status=HealthStatus.UNHEALTHY, message=message)
        elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
        return result.rolled_up().model_copy(update={"duration_ms": elapsed_ms})

    async def run_all(self) -> HealthReport:
        """Run every check concurrently and aggregate the results."""
        started = time.perf_counter()
        names = self.names
        results = await asyncio.gather(*(self.run(name) for name in names))
        components = dict(zip(names, results, strict=True))
        return HealthReport(
            status=HealthStatus.worst(result.status for result in results),
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
            components=components,
        )
