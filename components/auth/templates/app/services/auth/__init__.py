"""Auth service: accounts, password sign-in with lockout and rotating JWTs."""
