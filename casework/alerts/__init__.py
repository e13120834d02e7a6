"""Alerts as rows: due-date computation, the daily sweep, delivery and the scheduler."""
