"""Host resource check: CPU, memory and disk usage of the machine."""

import asyncio
from pathlib import Path
from typing import NamedTuple

import psutil

from app.services.system.health import ComponentHealth, HealthStatus


class Thresholds(NamedTuple):
    """Usage percentages from which a resource is a warning or unhealthy."""

    warning: float
    unhealthy: float | None


# A busy CPU is a warning only: load alone never makes the service unhealthy.
CPU_THRESHOLDS = Thresholds(warning=90.0, unhealthy=None)
MEMORY_THRESHOLDS = Thresholds(warning=85.0, unhealthy=95.0)
DISK_THRESHOLDS = Thresholds(warning=85.0, unhealthy=95.0)


def usage_status(percent: float, thresholds: Thresholds) -> HealthStatus:
    """Map a usage percentage to a status."""
    if thresholds.unhealthy is not None and percent >= thresholds.unhealthy:
        return HealthStatus.UNHEALTHY
    if percent >= thresholds.warning:
        return HealthStatus.WARNING
    return HealthStatus.HEALTHY


def _usage(label: str, percent: float, thresholds: Thresholds) -> ComponentHealth:
    return ComponentHealth(
        status=usage_status(percent, thresholds),
        message=f"{label} {percent:.1f}% used",
        details={"percent": round(percent, 1)},
    )


def _sample() -> ComponentHealth:
    # cpu_percent(interval=None) measures since the previous call (0.0 the first time).
    cpu = psutil.cpu_percent(interval=None)
    memory = psutil.virtual_memory()
    disk = psutil.disk_usage(Path.cwd().anchor or "/")
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"{psutil.cpu_count() or 0} CPUs",
        components={
            "cpu": _usage("CPU", cpu, CPU_THRESHOLDS),
            "memory": _usage("memory", memory.percent, MEMORY_THRESHOLDS),
            "disk": _usage("disk", disk.percent, DISK_THRESHOLDS),
        },
    )


async def check_system_resources() -> ComponentHealth:
    """Report CPU, memory and disk usage as sub-components."""
    return await asyncio.to_thread(_sample)
