"""Worker component: taskiq background jobs on Redis, one worker process per queue."""
