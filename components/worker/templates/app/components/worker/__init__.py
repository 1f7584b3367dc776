"""Worker component: arq background jobs on Redis, one worker process per queue."""
