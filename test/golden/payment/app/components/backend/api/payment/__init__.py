"""Payment API routes."""
