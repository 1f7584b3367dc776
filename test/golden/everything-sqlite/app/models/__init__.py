"""Table models. Every model module is imported here so ``metadata`` is complete.

Alembic's autogenerate compares the database with ``metadata``: a model module
that is not imported here is invisible to it.
"""

from app.models import ai as ai
from app.models import comms as comms
from app.models import payment as payment
from app.models import user as user
from app.models.base import metadata

__all__ = ["metadata"]
