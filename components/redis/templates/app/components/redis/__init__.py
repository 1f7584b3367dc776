"""Redis component: a client factory and its health check."""
