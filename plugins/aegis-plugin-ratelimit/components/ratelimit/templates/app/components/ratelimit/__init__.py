"""Per-route rate limiting: ``Depends(rate_limit(...))`` on a route."""
