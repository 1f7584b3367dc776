"""The worker of one queue: taskiq's receiver, job records, retries, heartbeat, cron.

Each job function of the queue is registered with a ``ListQueueBroker``
reading the queue's Redis list, under the function's name. The registered task
(``register``) takes the job id, arguments and keyword arguments that
``jobs.enqueue`` put in the message, keeps the job's record (status, tries,
times, result or error) and runs the function with its ``JobContext``: up to
``max_tries`` tries when the function raises ``RetryJob``, each within
``job_timeout`` seconds.

While it runs, the worker rewrites ``<queue>:health-check`` every
``health_check_interval`` seconds (expiring one interval and a second later),
with its counters as arq writes them (``j_complete=3 j_failed=0 j_retried=1
j_ongoing=0 queued=0``), and enqueues the queue's cron jobs once per scheduled
minute, even with several workers (a ``SET NX`` claim per run).

``drain`` (the entry point's first SIGTERM) stops the receiver taking messages
(taskiq's ``finish_event``) and lets the running jobs finish, waiting at most
``job_timeout`` (the receiver's ``wait_tasks_timeout``); ``run`` then returns. A
job still running when the worker is closed or cancelled is put back on its
queue and runs again later.
"""

import asyncio
import json
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
from pydantic_core import to_jsonable_python
from redis.asyncio import Redis
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT
from taskiq.receiver import Receiver
from taskiq_redis import ListQueueBroker

from app.components.redis.client import create_redis
from app.components.worker import jobs
from app.components.worker.jobs import JobStatus
from app.components.worker.pool import cron_key, health_check_key, job_key
from app.components.worker.queues import QUEUES, WorkerOptions, worker_options
from app.components.worker.queues.base import JobCoroutine
from app.components.worker.retry import RetryJob
from app.core.config import Settings
from app.core.log import get_logger

logger = get_logger(__name__)

JobTask = Callable[[str, list[Any], dict[str, Any]], Awaitable[Any]]


@dataclass
class Counters:
    """What the worker did since it started, as its heartbeat reports it."""

    complete: int = 0
    failed: int = 0
    retried: int = 0
    ongoing: int = 0

    def line(self, queued: int) -> str:
        """The heartbeat's text, in arq's format."""
        stamp = datetime.now(UTC).strftime("%b-%d %H:%M:%S")
        return (
            f"{stamp} j_complete={self.complete} j_failed={self.failed} "
            f"j_retried={self.retried} j_ongoing={self.ongoing} queued={queued}"
        )


def _queue_of(options: WorkerOptions) -> str:
    return next(
        queue for queue in QUEUES if options["queue_name"].endswith(f":queue:{queue}")
    )


class QueueWorker:
    """Runs the jobs of one queue until ``close`` (or cancellation)."""

    def __init__(self, settings: Settings, options: WorkerOptions) -> None:
        self.settings = settings
        self.options = options
        self.queue = _queue_of(options)
        self.counters = Counters()
        self.redis: Redis = create_redis(settings)
        self.broker = ListQueueBroker(
            str(settings.redis_url), queue_name=options["queue_name"]
        )
        for function in options["functions"]:
            self.broker.register_task(
                self.register(function), task_name=function.__name__
            )
        self._tasks: list[asyncio.Task[None]] = []
        # The jobs running now, so that ``close`` waits until they are put back.
        self._running: set[asyncio.Task[Any]] = set()
        # Set by ``drain``: the receiver takes no more messages.
        self._draining = asyncio.Event()
        # Set once the receiver has stopped taking messages (or never started).
        self._taking_stopped = asyncio.Event()

    @classmethod
    def for_queue(cls, queue: str, settings: Settings) -> "QueueWorker":
        """The worker of ``queue`` with the options its definition gives."""
        return cls(settings, worker_options(queue, settings))

    def register(self, function: JobCoroutine) -> JobTask:
        """The task taskiq runs for ``function``'s messages."""

        async def task(job_id: str, args: list[Any], kwargs: dict[str, Any]) -> None:
            await self.run_job(function, job_id, args, kwargs)

        task.__name__ = function.__name__
        return task

    async def _record(self, job_id: str, **fields: str | int) -> None:
        mapping: dict[FieldT, EncodableT] = dict(fields.items())
        await self.redis.hset(job_key(self.settings, job_id), mapping=mapping)

    async def run_job(
        self,
        function: JobCoroutine,
        job_id: str,
        args: list[Any],
        kwargs: dict[str, Any],
    ) -> None:
        """Run one job to its end, retrying it as it asks; record every step."""
        key = job_key(self.settings, job_id)
        record = jobs.decoded(await self.redis.hgetall(key))
        if not record:  # taken off the queue (a load test's timeout) or expired
            logger.info("job_skipped", job_id=job_id, function=function.__name__)
            return
        enqueued_at = datetime.fromisoformat(record["enqueued_at"])
        started_at = datetime.now(UTC)
        self.counters.ongoing += 1
        current = asyncio.current_task()
        if current is not None:
            self._running.add(current)
        try:
            for job_try in range(1, self.options["max_tries"] + 1):
                await self._record(
                    job_id,
                    status=JobStatus.IN_PROGRESS.value,
                    tries=job_try,
                    started_at=started_at.isoformat(),
                )
                ctx = {
                    **self.options["ctx"],
                    "job_id": job_id,
                    "job_try": job_try,
                    "enqueue_time": enqueued_at,
                    "redis": self.redis,
                }
                try:
                    async with asyncio.timeout(self.options["job_timeout"]):
                        result = await function(ctx, *args, **kwargs)
                except RetryJob as retry:
                    if job_try < self.options["max_tries"]:
                        self.counters.retried += 1
                        await self._record(job_id, status=JobStatus.DEFERRED.value)
                        await asyncio.sleep(retry.defer)
                        continue
                    await self._finish(job_id, error=retry.__cause__ or retry)
                    return
                except Exception as exc:  # the job's failure is its outcome
                    await self._finish(job_id, error=exc)
                    return
                await self._finish(job_id, result=result)
                return
        except asyncio.CancelledError:
            # The worker is stopping: put the job back, so a worker runs it again.
            # Shielded: taskiq's task group (anyio) cancels every further await.
            with anyio.CancelScope(shield=True):
                await self._requeue(function, job_id, args, kwargs)
            raise
        finally:
            self.counters.ongoing -= 1
            if current is not None:
                self._running.discard(current)

    async def _requeue(
        self,
        function: JobCoroutine,
        job_id: str,
        args: list[Any],
        kwargs: dict[str, Any],
    ) -> None:
        payload = jobs.message(job_id, function.__name__, args, kwargs)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(job_key(self.settings, job_id), "status", JobStatus.QUEUED.value)
            # The end workers take from: it runs next.
            pipe.rpush(self.options["queue_name"], payload)
            await pipe.execute()
        logger.info("job_requeued", job_id=job_id, function=function.__name__)

    async def _finish(
        self, job_id: str, *, result: Any = None, error: BaseException | None = None
    ) -> None:
        fields: dict[FieldT, EncodableT] = {
            "finished_at": datetime.now(UTC).isoformat()
        }
        if error is None:
            self.counters.complete += 1
            fields["status"] = JobStatus.COMPLETE.value
            fields["result"] = json.dumps(to_jsonable_python(result, fallback=repr))
        else:
            self.counters.failed += 1
            logger.warning(
                "job_failed", job_id=job_id, error=f"{type(error).__name__}: {error}"
            )
            fields["status"] = JobStatus.FAILED.value
            fields["error_type"] = type(error).__name__
            fields["error_message"] = str(error)
        key = job_key(self.settings, job_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=fields)
            pipe.expire(key, timedelta(seconds=self.options["keep_result"]))
            await pipe.execute()

    async def heartbeat(self) -> None:
        """Write the heartbeat once: the counters and the queue's length."""
        interval = self.options["health_check_interval"]
        queued = await self.redis.llen(self.options["queue_name"])
        await self.redis.set(
            health_check_key(self.settings, self.queue),
            self.counters.line(queued),
            px=int((interval + 1) * 1000),
        )

    async def _heartbeats(self) -> None:
        while True:
            try:
                await self.heartbeat()
            except RedisError as exc:  # reported by the health check; retry
                logger.warning("worker_heartbeat_failed", error=repr(exc))
            await asyncio.sleep(self.options["health_check_interval"])

    async def enqueue_due(self, now: datetime) -> list[str]:
        """Enqueue the cron jobs due in ``now``'s minute that no worker claimed yet."""
        minute = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
        enqueued = []
        for job in self.options["cron_jobs"]:
            if not job.is_due(now):
                continue
            claimed = await self.redis.set(
                cron_key(self.settings, job.name, minute), "1", nx=True, ex=3600
            )
            if claimed:
                info = await jobs.enqueue(
                    self.redis, self.settings, self.queue, job.coroutine.__name__
                )
                enqueued.append(info.job_id)
        return enqueued

    async def _cron(self) -> None:
        # From the next minute on, as arq does: a worker started at 9:30:20 does
        # not run the jobs of minute 30 at once.
        while True:
            now = datetime.now(UTC)
            # Wake just after the next minute starts.
            await asyncio.sleep(60 - now.second - now.microsecond / 1e6 + 0.05)
            try:
                await self.enqueue_due(datetime.now(UTC))
            except RedisError as exc:
                logger.warning("cron_enqueue_failed", error=repr(exc))

    async def run(self) -> None:
        """Take jobs from the queue until cancelled, or until ``drain`` ends."""
        try:
            await self.heartbeat()  # fails fast when Redis is down
            self._tasks.append(asyncio.create_task(self._heartbeats()))
            if self.options["cron_jobs"]:
                self._tasks.append(asyncio.create_task(self._cron()))
            await self.broker.startup()
            await self._receive()
        finally:
            self._taking_stopped.set()

    async def _receive(self) -> None:
        """taskiq's receiver loop (as ``taskiq.api.run_receiver_task``), drainable."""
        with ThreadPoolExecutor() as executor:
            self.broker.is_worker_process = True
            while not self._draining.is_set():
                receiver = _DrainingReceiver(
                    self._taking_stopped,
                    broker=self.broker,
                    executor=executor,
                    run_startup=False,
                    max_async_tasks=self.options["max_jobs"],
                    # How long a drain waits for the running jobs.
                    wait_tasks_timeout=self.options["job_timeout"],
                )
                try:
                    await receiver.listen(self._draining)
                except Exception as exc:  # as taskiq does: listen again
                    logger.warning("worker_receive_failed", error=repr(exc))

    @property
    def draining(self) -> bool:
        """Whether ``drain`` was called."""
        return self._draining.is_set()

    async def drain(self) -> None:
        """Take no new job; return once none is taken any more.

        The running jobs go on; ``run`` returns when they have ended, or after
        ``job_timeout`` seconds (``close`` then puts the rest back on the queue).
        """
        self._draining.set()
        await self._taking_stopped.wait()

    async def close(self) -> None:
        """Stop the jobs (back on the queue), the loops, the heartbeat; disconnect."""
        for task in self._running:
            task.cancel()
        await asyncio.gather(*self._running, return_exceptions=True)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        with suppress(RedisError):
            await self.redis.delete(health_check_key(self.settings, self.queue))
        await self.broker.shutdown()
        await self.redis.aclose()


class _DrainingReceiver(Receiver):
    """taskiq's receiver that tells when it stopped taking messages."""

    def __init__(self, taking_stopped: asyncio.Event, **options: Any) -> None:
        super().__init__(**options)
        self._taking_stopped = taking_stopped

    async def prefetcher(
        self, queue: "asyncio.Queue[Any]", finish_event: asyncio.Event
    ) -> None:
        """Take messages until ``finish_event``; then signal ``taking_stopped``."""
        try:
            await super().prefetcher(queue, finish_event)
        finally:
            if finish_event.is_set():
                self._taking_stopped.set()
