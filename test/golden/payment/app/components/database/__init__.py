"""Database component: engine health and schema migration state."""
