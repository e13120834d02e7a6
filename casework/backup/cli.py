"""``flask backup create|verify|restore``: whole-database backups checked against a manifest."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from casework.backup import service
from casework.core.cli_helpers import one_line_errors

PATH = click.Path(dir_okay=False, path_type=Path)


@click.group("backup", help="Back up and restore the whole database.")
def backup() -> None:
    pass


@backup.command("create")
@click.option("--out", type=PATH, default=None,
              help="Backup file to write (default: instance/backups/casework-<UTC time>)")
@with_appcontext
@one_line_errors(service.BackupError)
def create(out: Path | None) -> None:
    """Copy the database while the app runs; write a manifest of per-table digests beside it."""
    path, manifest = service.create(out)
    click.echo(f"Backup written: {path}")
    click.echo(f"Manifest: {service.manifest_path(path)}")
    click.echo(f"{manifest.backend}: {manifest.summary()}")


@backup.command("verify")
@click.argument("path", type=PATH)
@with_appcontext
@one_line_errors(service.BackupError)
def verify(path: Path) -> None:
    """Check a backup file against its manifest (the database is not touched)."""
    manifest = service.verify(path)
    click.echo(f"backup matches its manifest: {manifest.backend}, {manifest.summary()}, "
               f"created {manifest.created_at}")


@backup.command("restore")
@click.argument("path", type=PATH)
@click.option("--yes", is_flag=True, help="Do not ask: replace the database with the backup")
@with_appcontext
@one_line_errors(service.BackupError)
def restore(path: Path, yes: bool) -> None:
    """Replace the whole database with a backup, then check every table against the manifest.

    Stop the web app and the scheduler first: the restore replaces every table.
    """
    if not yes:
        click.confirm(f"This replaces the whole database with {path.name}. Continue?", abort=True)
    result = service.restore(path)
    click.echo(f"restored: {result.tables} tables, {result.rows:,} rows, digests equal, "
               f"migration head {result.migration_head}")


commands = [backup]
