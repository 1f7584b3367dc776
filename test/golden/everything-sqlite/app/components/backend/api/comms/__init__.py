"""Password reset and email verification routes (the comms service, with auth)."""
