"""Web server entry point: ``python -m app.entrypoints.webserver [--reload]``."""

import argparse
from collections.abc import Sequence

import uvicorn

from app.core.config import get_settings
from app.core.log import configure_logging

APP_FACTORY = "app.components.backend.main:create_app"


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the app with uvicorn on ``HOST``:``PORT`` from the settings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--reload", action="store_true", help="restart when files under app/ change"
    )
    args = parser.parse_args(argv)

    settings = get_settings()
    configure_logging(settings)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=settings.host,
        port=settings.port,
        reload=args.reload,
        reload_dirs=["app"] if args.reload else None,
        log_config=None,
        access_log=settings.access_log,
    )


if __name__ == "__main__":
    main()
