"""HTTP API routers."""
