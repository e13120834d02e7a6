"""``flask alerts send-due`` (cron users, tests) and ``flask alerts scheduler`` (its own process)."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import with_appcontext

from casework.core.cli_helpers import fail


def _parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--today must be a date written YYYY-MM-DD, not {value!r}")
    return None


@click.group("alerts", help="Alerts: the daily sweep and the scheduler.")
def alerts() -> None:
    pass


@alerts.command("send-due")
@click.option("--today", "today_text", metavar="YYYY-MM-DD",
              help="Run as if it were this day (default: today in Europe/London).")
@click.option("--dry-run", is_flag=True, help="Count what would happen; change nothing.")
@with_appcontext
def send_due(today_text: str | None, dry_run: bool) -> None:
    """Create every alert due on or before the day and send each pending one once."""
    from casework.alerts.service import send_due_alerts

    today = _parse_day(today_text)
    try:
        result = send_due_alerts(today, dry_run=dry_run, trigger="cli")
    except Exception as exc:  # one line on stderr, the run is recorded as failed
        fail(f"alerts sweep failed: {exc}".replace("\n", " ")[:300])
        return
    prefix = "Dry run for" if dry_run else "Alerts sweep for"
    click.echo(f"{prefix} {result.as_of.isoformat()}:")
    click.echo(f"  expected {result.expected}, created {result.created}, cancelled {result.cancelled}, "
               f"updated {result.updated}, superseded {result.superseded}, "
               f"{'would send' if dry_run else 'sent'} {result.sent}")
    if not dry_run:
        emails = result.emails
        click.echo(f"  emails queued {result.emails_queued}, digests {result.digests_queued}, "
                   f"sent {emails.get('emails_sent', 0)}, recorded {emails.get('emails_recorded', 0)}, "
                   f"retrying {emails.get('emails_retrying', 0)}, failed {emails.get('emails_failed', 0)}")


@alerts.command("scheduler")
@click.option("--no-startup-sweep", is_flag=True, help="Do not sweep when the scheduler starts.")
@with_appcontext
def scheduler(no_startup_sweep: bool) -> None:
    """Run the scheduler in the foreground: the daily alerts sweep (Europe/London), email
    retries, and jobs other domains register (the monthly report)."""
    from casework.alerts import scheduler as sched

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        sched.run(app, startup_sweep=not no_startup_sweep)
    except sched.SchedulerLocked as exc:
        fail(str(exc))


commands = [alerts]
