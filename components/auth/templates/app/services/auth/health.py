"""Health check of the auth service: its tables and how many users exist."""

from sqlalchemy import Connection, func, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col

from app.core.config import get_settings
from app.core.db import describe_error, probe_connection, sqlite_path
from app.models.user import User
from app.services.system.health import ComponentHealth, HealthStatus

MIGRATE_HINT = "run `make migrate`"


def _has_users_table(connection: Connection) -> bool:
    return inspect(connection).has_table(str(User.__tablename__))


async def check_auth() -> ComponentHealth:
    """Report the number of active and total users."""
    settings = get_settings()
    path = sqlite_path(settings.database_url)
    if path is not None and not path.exists():
        return ComponentHealth(
            status=HealthStatus.WARNING,
            message=f"users table missing (no database yet); {MIGRATE_HINT}",
        )
    statement = select(func.count(), func.count().filter(col(User.is_active)))
    try:
        async with probe_connection(settings) as connection:
            if not await connection.run_sync(_has_users_table):
                return ComponentHealth(
                    status=HealthStatus.WARNING,
                    message=f"users table missing; {MIGRATE_HINT}",
                )
            total, active = (await connection.execute(statement)).one()
    except (SQLAlchemyError, OSError) as exc:
        reason = describe_error(exc, settings.database_url)
        return ComponentHealth(
            status=HealthStatus.UNHEALTHY, message=f"database unavailable: {reason}"
        )
    return ComponentHealth(
        status=HealthStatus.HEALTHY,
        message=f"{active} active of {total} users",
        details={"users": total, "active_users": active},
    )
