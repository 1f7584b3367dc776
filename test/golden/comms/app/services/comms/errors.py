"""Errors of sending email: transient ones are retried, permanent ones not."""


class EmailError(Exception):
    """Sending an email failed."""


class TransientEmailError(EmailError):
    """A failure that may pass: a network error, a timeout, a 5xx or 429, SMTP 4xx."""


class PermanentEmailError(EmailError):
    """A failure that a retry repeats: refused credentials, a rejected message."""
