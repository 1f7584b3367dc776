"""Storage component: objects in a local folder or an S3-compatible service."""
