"""Scheduler entry point, run as a real process."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.components.scheduler_health import SchedulerStatus
from app.core.config import SchedulerPersistence
from tests.test_scheduler import PERSISTENCES, registered_job_ids


def _wait_for_status(
    path: Path, process: subprocess.Popen[str], newer_than: datetime | None = None
) -> SchedulerStatus:
    """Poll until the process writes a status newer than ``newer_than``."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, "the scheduler exited early"
        if path.exists():
            status = SchedulerStatus.model_validate_json(path.read_text())
            if newer_than is None or status.updated_at > newer_than:
                return status
        time.sleep(0.05)
    raise AssertionError(f"no new status in {path} within 20s")


@pytest.mark.parametrize("persistence", PERSISTENCES)
def test_runs_until_sigterm_and_cleans_up(
    persistence: SchedulerPersistence,
    tmp_path: Path,
) -> None:
    status_path = tmp_path / "run" / "status.json"
    env = {
        **os.environ,
        "SCHEDULER_PERSISTENCE": persistence,
        "SCHEDULER_DATA_DIR": str(tmp_path / "data"),
        "SCHEDULER_STATUS_PATH": str(status_path),
        "SCHEDULER_HEARTBEAT_SECONDS": "0.1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app.entrypoints.scheduler"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = _wait_for_status(status_path, process)
        heartbeat = _wait_for_status(status_path, process, newer_than=status.updated_at)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            raise

    assert process.returncode == 0, stderr
    assert status.pid == process.pid
    assert status.persistence == persistence
    assert status.store.startswith(f"{persistence}: ")
    assert sorted(job.id for job in status.jobs) == registered_job_ids()
    assert all(job.next_run_time is not None for job in status.jobs)
    assert heartbeat.started_at == status.started_at
    assert not status_path.exists()
    assert "scheduler_stopped" in stderr
    assert "Traceback" not in stderr


def _check(status_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.entrypoints.scheduler", "--check"],
        env={**os.environ, "SCHEDULER_STATUS_PATH": str(status_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_reads_only_the_status_file(tmp_path: Path) -> None:
    status_path = tmp_path / "status.json"
    missing = _check(status_path)
    assert missing.returncode == 1, missing.stderr
    assert "scheduler: warning, scheduler not running" in missing.stderr

    now = datetime.now(UTC)
    status = SchedulerStatus(
        pid=1,
        started_at=now,
        updated_at=now,
        heartbeat_seconds=30,
        persistence="memory",
        store="memory: jobs are added again at each start",
        jobs=[],
    )
    status_path.write_text(status.model_dump_json(), encoding="utf-8")
    fresh = _check(status_path)
    assert fresh.returncode == 0, fresh.stderr
    assert "scheduler: healthy, 0 jobs scheduled (memory store)" in fresh.stderr

    stale = status.model_copy(update={"updated_at": now - timedelta(seconds=91)})
    status_path.write_text(stale.model_dump_json(), encoding="utf-8")
    old = _check(status_path)
    assert old.returncode == 1, old.stderr
    assert "scheduler: unhealthy, no heartbeat for" in old.stderr
