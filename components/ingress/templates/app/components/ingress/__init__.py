"""Ingress component: Traefik in front of the web server, and its health check."""
