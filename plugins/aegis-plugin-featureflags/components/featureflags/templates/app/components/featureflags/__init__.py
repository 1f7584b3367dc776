"""Feature flags: ``Depends(require_flag("beta"))`` on a route, ``is_enabled``."""
