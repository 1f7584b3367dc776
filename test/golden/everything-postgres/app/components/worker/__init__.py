"""Worker component: Dramatiq background jobs on Redis, one worker process per queue."""
