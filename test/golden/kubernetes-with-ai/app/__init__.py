"""The application package: settings, components, services and the CLI."""

__version__ = "0.1.0"
