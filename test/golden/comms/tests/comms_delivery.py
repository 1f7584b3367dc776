"""How sent emails reach the SMTP server in tests (a pytest plugin).

Without the worker, the application sends them itself in the background: the
``mail_delivery`` fixture has nothing to start.
"""

import pytest

from app.core.config import get_settings
from tests.comms_support import SmtpServer


@pytest.fixture
def mail_delivery(smtp_server: SmtpServer) -> SmtpServer:
    """The SMTP server the application's emails reach."""
    get_settings.cache_clear()
    return smtp_server
