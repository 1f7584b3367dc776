"""The worker of one queue: dramatiq's consumers, job records, retries, heartbeat, cron.

The worker takes messages from the queue with ``max_jobs`` consumers of
dramatiq's ``RedisBroker`` (one message each at a time, read in a thread, as
the broker is synchronous). A message names the job function (its actor
name) and carries the job id, arguments and keyword arguments that
``jobs.enqueue`` put in it; the worker keeps the job's record (status, tries,
times, result or error) and runs the function with its ``JobContext``: up to
``max_tries`` tries when the function raises ``RetryJob``, each within
``job_timeout`` seconds, then acknowledges the message.

While it runs, the worker rewrites ``<queue>:health-check`` every
``health_check_interval`` seconds (expiring one interval and a second later),
with its counters as arq writes them (``j_complete=3 j_failed=0 j_retried=1
j_ongoing=0 queued=0``), and enqueues the queue's cron jobs once per scheduled
minute, even with several workers (a ``SET NX`` claim per run).

``drain`` (the entry point's first SIGTERM) stops the consumers taking messages
(a message one takes meanwhile goes back untouched) and lets the running jobs
finish, waiting at most ``job_timeout``; ``run`` then returns. A job still
running when the worker is closed or cancelled is put back on its queue
(dramatiq's requeue) and runs again later; if a worker dies without that,
dramatiq's broker puts its unacknowledged messages back once its heartbeat is a
minute old.
"""

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from dramatiq import BrokerConnectionError
from dramatiq.broker import Consumer, MessageProxy
from pydantic_core import to_jsonable_python
from redis.asyncio import Redis
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT

from app.components.redis.client import create_redis
from app.components.worker import jobs
from app.components.worker.jobs import JobStatus
from app.components.worker.pool import (
    create_broker,
    cron_key,
    health_check_key,
    job_key,
)
from app.components.worker.queues import QUEUES, WorkerOptions, worker_options
from app.components.worker.queues.base import JobCoroutine
from app.components.worker.retry import RetryJob
from app.core.config import Settings
from app.core.log import get_logger

logger = get_logger(__name__)

T = TypeVar("T")

# How long (ms) an idle consumer waits at most between two looks at the queue.
POLL_MILLISECONDS = 500


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
        self.broker = create_broker(settings)
        self.functions: dict[str, JobCoroutine] = {
            function.__name__: function for function in options["functions"]
        }
        # One thread per consumer: its look at the queue, ack or requeue.
        self._threads = ThreadPoolExecutor(
            max_workers=options["max_jobs"], thread_name_prefix=f"worker-{self.queue}"
        )
        self._tasks: list[asyncio.Task[None]] = []
        # The consumers, so that ``close`` waits until their jobs are put back.
        self._running: set[asyncio.Task[None]] = set()
        # Set by ``drain``: the consumers take no more messages.
        self._draining = asyncio.Event()

    @classmethod
    def for_queue(cls, queue: str, settings: Settings) -> "QueueWorker":
        """The worker of ``queue`` with the options its definition gives."""
        return cls(settings, worker_options(queue, settings))

    async def _in_thread(self, call: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, call, *args)

    async def _consume(self) -> None:
        """Take messages one at a time and run their jobs, until stopped or drained."""
        consumer = self.broker.consume(
            self.queue, prefetch=1, timeout=POLL_MILLISECONDS
        )
        while not self._draining.is_set():
            taking = asyncio.ensure_future(self._in_thread(next, consumer))
            try:
                proxy = await asyncio.shield(taking)
            except asyncio.CancelledError:
                # Stopping: a message taken meanwhile goes back on the queue.
                with suppress(Exception):
                    taken = await taking
                    if taken is not None:
                        await self._in_thread(consumer.requeue, [taken])
                raise
            except (BrokerConnectionError, RedisError) as exc:
                # Redis is away: the heartbeat lapses (health reports it); retry.
                logger.warning("worker_receive_failed", error=repr(exc))
                await asyncio.sleep(1)
                continue
            if proxy is None:
                continue
            if self._draining.is_set():
                # Taken after ``drain``: back on the queue for another worker.
                await self._in_thread(consumer.requeue, [proxy])
                return
            await self.handle(consumer, proxy)

    async def handle(self, consumer: Consumer, proxy: MessageProxy) -> None:
        """Run the job of one message, then acknowledge it."""
        function = self.functions.get(proxy.actor_name)
        if function is None:
            logger.warning("job_unknown_function", function=proxy.actor_name)
            await self._in_thread(consumer.ack, proxy)
            return
        job_id, args, kwargs = proxy.args
        try:
            finished = await self.run_job(function, job_id, args, kwargs)
        except asyncio.CancelledError:
            finished = False
        if finished:
            await self._in_thread(consumer.ack, proxy)
            return
        # The worker is stopping: put the message back, so a worker runs it again.
        await self._requeue(consumer, proxy)
        raise asyncio.CancelledError

    async def _record(self, job_id: str, **fields: str | int) -> None:
        mapping: dict[FieldT, EncodableT] = dict(fields.items())
        await self.redis.hset(job_key(self.settings, job_id), mapping=mapping)

    async def run_job(
        self,
        function: JobCoroutine,
        job_id: str,
        args: list[Any],
        kwargs: dict[str, Any],
    ) -> bool:
        """Run one job to its end, retrying it as it asks; record every step.

        Returns ``False`` if the worker stopped it (cancelled) before its end.
        """
        key = job_key(self.settings, job_id)
        record = jobs.decoded(await self.redis.hgetall(key))
        if not record:  # taken off the queue (a load test's timeout) or expired
            logger.info("job_skipped", job_id=job_id, function=function.__name__)
            return True
        enqueued_at = datetime.fromisoformat(record["enqueued_at"])
        started_at = datetime.now(UTC)
        self.counters.ongoing += 1
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
                    return True
                except Exception as exc:  # the job's failure is its outcome
                    await self._finish(job_id, error=exc)
                    return True
                await self._finish(job_id, result=result)
                return True
            return True  # max_tries is at least 1: not reached
        except asyncio.CancelledError:
            return False
        finally:
            self.counters.ongoing -= 1

    async def _requeue(self, consumer: Consumer, proxy: MessageProxy) -> None:
        job_id = proxy.args[0]
        await self.redis.hset(
            job_key(self.settings, job_id), "status", JobStatus.QUEUED.value
        )
        await self._in_thread(consumer.requeue, [proxy])
        logger.info("job_requeued", job_id=job_id, function=proxy.actor_name)

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
        await self.heartbeat()  # fails fast when Redis is down
        self._tasks.append(asyncio.create_task(self._heartbeats()))
        if self.options["cron_jobs"]:
            self._tasks.append(asyncio.create_task(self._cron()))
        consumers = [
            asyncio.create_task(self._consume())
            for _ in range(self.options["max_jobs"])
        ]
        self._running.update(consumers)
        draining = asyncio.create_task(self._draining.wait())
        try:
            done, _ = await asyncio.wait(
                {*consumers, draining}, return_when=asyncio.FIRST_COMPLETED
            )
            if draining in done:
                # The running jobs finish, each consumer then ends: at most one
                # job timeout (``_stop`` puts back what still runs after it).
                await asyncio.wait(consumers, timeout=self.options["job_timeout"])
            else:
                await asyncio.gather(*consumers)
        finally:
            draining.cancel()
            # The first consumer to end (or this task's cancellation) stops the
            # others: they must still put their jobs back, undisturbed (a second
            # cancellation would stop that).
            await self._stop(consumers)
            for consumer in consumers:
                if not consumer.cancelled():
                    consumer.exception()  # retrieved; raised above if it ended run

    @property
    def draining(self) -> bool:
        """Whether ``drain`` was called."""
        return self._draining.is_set()

    async def drain(self) -> None:
        """Take no new job (a message taken meanwhile goes back on the queue).

        The running jobs go on; ``run`` returns when they have ended, or after
        ``job_timeout`` seconds (the rest are then put back on the queue).
        """
        self._draining.set()

    @staticmethod
    async def _stop(tasks: set[asyncio.Task[None]] | list[asyncio.Task[None]]) -> None:
        """Cancel the tasks not yet cancelled, and wait until all have ended."""
        for task in tasks:
            if not task.done() and not task.cancelling():
                task.cancel()
        if tasks:
            await asyncio.wait(tasks)

    async def close(self) -> None:
        """Stop the jobs (back on the queue), the loops, the heartbeat; disconnect."""
        await self._stop(self._running)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        with suppress(RedisError):
            await self.redis.delete(health_check_key(self.settings, self.queue))
        self._threads.shutdown(wait=False)
        self.broker.close()
        self.broker.client.close()
        await self.redis.aclose()
