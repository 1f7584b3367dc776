"""AI API: chat (JSON or server-sent events) and the stored conversations."""
