"""Cross-cutting building blocks: configuration and logging."""
