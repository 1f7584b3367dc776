"""The choices of the email settings (imported by ``app.core.config``)."""

from typing import Literal

EmailProviderName = Literal["smtp", "resend", "postmark"]
SmtpSecurity = Literal["none", "starttls", "tls"]
