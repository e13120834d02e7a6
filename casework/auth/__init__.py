"""Users, roles, sign-in, server-side sessions, API tokens and unit scope."""
