"""Auth API: registration, sign-in, token refresh and the current user."""
