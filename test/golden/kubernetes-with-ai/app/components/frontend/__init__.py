"""Frontend component: the Flet health dashboard."""
