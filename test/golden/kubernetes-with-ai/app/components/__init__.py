"""Deployable components of the service."""
