"""System service: health registry, component checks and host resources."""
