"""Backend component: the FastAPI application."""
