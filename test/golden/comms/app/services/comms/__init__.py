"""Comms service: transactional email through SMTP or an HTTP provider."""
