"""Whole-database backups and restores, checked against per-table digests."""
