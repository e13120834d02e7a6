"""User administration: the admin home, users, their sessions, lockouts and API tokens, and each
user's own password change. Routes live in this sub-package so the auth layer owns them; audit
rows are written through ``core.signals.audit_event`` (audit is a higher layer)."""
