"""Health registry: status ordering, propagation, concurrency, errors, timeouts."""

import asyncio
import time

import pytest

from app.services.system.health import (
    ComponentHealth,
    HealthCheck,
    HealthRegistry,
    HealthStatus,
)
from tests.helpers import failing_check, fixed_check

HEALTHY = HealthStatus.HEALTHY
INFO = HealthStatus.INFO
WARNING = HealthStatus.WARNING
UNHEALTHY = HealthStatus.UNHEALTHY


def test_statuses_are_ordered_by_severity() -> None:
    assert [status.severity for status in (HEALTHY, INFO, WARNING, UNHEALTHY)] == [
        0,
        1,
        2,
        3,
    ]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], HEALTHY),
        ([HEALTHY, HEALTHY], HEALTHY),
        ([HEALTHY, INFO], INFO),
        ([INFO, WARNING, HEALTHY], WARNING),
        ([WARNING, UNHEALTHY, INFO], UNHEALTHY),
    ],
)
def test_worst_status(statuses: list[HealthStatus], expected: HealthStatus) -> None:
    assert HealthStatus.worst(statuses) is expected


def test_parent_takes_worst_status_of_nested_children() -> None:
    leaf = ComponentHealth(status=WARNING)
    child = ComponentHealth(status=HEALTHY, components={"leaf": leaf})
    sibling = ComponentHealth(status=INFO)
    parent = ComponentHealth(
        status=HEALTHY, components={"child": child, "sibling": sibling}
    )

    rolled = parent.rolled_up()

    assert rolled.status is WARNING
    assert rolled.components["child"].status is WARNING
    assert rolled.components["sibling"].status is INFO
    assert parent.status is HEALTHY  # the original is left unchanged


def test_parent_keeps_its_own_status_when_worse_than_children() -> None:
    parent = ComponentHealth(
        status=UNHEALTHY, components={"ok": ComponentHealth(status=HEALTHY)}
    )
    assert parent.rolled_up().status is UNHEALTHY


async def test_empty_registry_is_healthy() -> None:
    report = await HealthRegistry().run_all()
    assert report.status is HEALTHY
    assert report.components == {}


async def test_report_status_is_worst_component() -> None:
    registry = HealthRegistry()
    registry.register("a", fixed_check(HEALTHY))
    registry.register("b", fixed_check(WARNING, "degraded"))
    registry.register("c", fixed_check(INFO))

    report = await registry.run_all()

    assert report.status is WARNING
    assert list(report.components) == ["a", "b", "c"]
    assert report.components["b"].message == "degraded"
    assert not report.is_unhealthy


async def test_sub_component_status_propagates_to_report() -> None:
    registry = HealthRegistry()
    children = {"disk": ComponentHealth(status=UNHEALTHY, message="full")}
    registry.register("system", fixed_check(HEALTHY, components=children))

    report = await registry.run_all()

    assert report.components["system"].status is UNHEALTHY
    assert report.status is UNHEALTHY
    assert report.is_unhealthy


async def test_checks_run_concurrently() -> None:
    # Each check waits for the other to start: run in turn, the first would time out.
    started = {"first": asyncio.Event(), "second": asyncio.Event()}

    def meets(me: str, other: str) -> HealthCheck:
        async def check() -> ComponentHealth:
            started[me].set()
            await started[other].wait()
            return ComponentHealth(status=HEALTHY)

        return check

    registry = HealthRegistry(default_timeout=5)
    registry.register("first", meets("first", "second"))
    registry.register("second", meets("second", "first"))

    report = await registry.run_all()

    assert report.status is HEALTHY, report.components
    assert all(c.duration_ms is not None for c in report.components.values())


async def test_raising_check_becomes_unhealthy_with_error_message() -> None:
    registry = HealthRegistry()
    registry.register("broken", failing_check(RuntimeError("connection refused")))
    registry.register("fine", fixed_check(HEALTHY))

    report = await registry.run_all()

    broken = report.components["broken"]
    assert broken.status is UNHEALTHY
    assert broken.message == "RuntimeError: connection refused"
    assert report.components["fine"].status is HEALTHY
    assert report.status is UNHEALTHY


async def test_check_exceeding_timeout_is_unhealthy() -> None:
    registry = HealthRegistry(default_timeout=0.05)
    registry.register("hangs", fixed_check(HEALTHY, delay=5))

    started = time.perf_counter()
    result = await registry.run("hangs")

    # Well under the check's 5 s: the timeout cut it short (margin for a busy machine).
    assert time.perf_counter() - started < 4
    assert result.status is UNHEALTHY
    assert result.message == "check timed out after 0.05s"


async def test_timeout_raised_by_check_is_not_reported_as_registry_timeout() -> None:
    registry = HealthRegistry(default_timeout=5)
    registry.register("client", failing_check(TimeoutError("read timeout")))

    result = await registry.run("client")

    assert result.status is UNHEALTHY
    assert result.message == "TimeoutError: read timeout"


async def test_per_check_timeout_overrides_default() -> None:
    registry = HealthRegistry(default_timeout=0.05)
    registry.register("patient", fixed_check(HEALTHY, delay=0.1), timeout=1.0)

    result = await registry.run("patient")

    assert result.status is HEALTHY
    assert result.duration_ms is not None
    assert result.duration_ms >= 90


async def test_cancellation_is_not_swallowed() -> None:
    registry = HealthRegistry()
    registry.register("slow", fixed_check(HEALTHY, delay=5))
    task = asyncio.create_task(registry.run_all())
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_duplicate_registration_is_rejected() -> None:
    registry = HealthRegistry()
    registry.register("db", fixed_check(HEALTHY))
    with pytest.raises(ValueError, match="already registered"):
        registry.register("db", fixed_check(HEALTHY))


def test_unregister_removes_check() -> None:
    registry = HealthRegistry()
    registry.register("a", fixed_check(HEALTHY))
    registry.register("b", fixed_check(HEALTHY))
    registry.unregister("a")
    assert registry.names == ("b",)
