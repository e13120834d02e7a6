"""``flask reports ...``: the monthly report by hand, and the scheduler's monthly job.

Exit status 0 on success; non-zero with a one-line reason on stderr otherwise (API.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import with_appcontext

from casework.alerts.scheduler import register_job
from casework.core import clock
from casework.core.cli_helpers import fail
from casework.extensions import db
from casework.reports import monthly, pdf
from casework.reports.periods import parse_month


@click.group("reports", help="Monthly performance reports.")
def reports() -> None:
    pass


@reports.command("monthly")
@click.option("--month", "month_text", required=True, help="The month, as YYYY-MM.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF.")
@with_appcontext
def monthly_command(month_text: str, out: Path) -> None:
    """Write the monthly performance report (every unit) for MONTH to a PDF file."""
    try:
        month = parse_month(month_text)
    except ValueError as exc:
        fail(str(exc))
        return
    if month.starts_on > clock.today():
        fail(f"{month.label} has not started yet")
    if out.suffix.lower() != ".pdf":
        fail(f"--out must name a .pdf file (got {out.name})")
    if not out.parent.is_dir():
        fail(f"the folder {out.parent} does not exist")
    document = monthly.monthly_document(month)
    body = pdf.render_pdf(document)
    try:
        out.write_bytes(body)
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    from casework.reports.service import record_disclosure

    record_disclosure(document, fmt="pdf", actor=None, recipient=f"file {out.name} (command line)")
    db.session.commit()
    click.echo(f"Wrote {out} ({len(body):,} bytes) for {monthly.month_label(month)}")


@reports.command("send-monthly")
@click.option("--today", "today_text", default=None, help="Act as if today were YYYY-MM-DD.")
@with_appcontext
def send_monthly_command(today_text: str | None) -> None:
    """Generate, store and email last month's report if it is due and not yet done (cron)."""
    try:
        today = dt.date.fromisoformat(today_text) if today_text else clock.today()
    except ValueError:
        fail(f"--today must be YYYY-MM-DD (got {today_text})")
        return
    counts = monthly.run_scheduled(today, trigger="cli")
    if counts.get("not_due"):
        first = monthly.first_working_day(monthly.period_of(today, monthly.Grouping.MONTH))
        click.echo(f"Not due: the first working day of the month is {first.isoformat()}")
    elif counts["generated"]:
        click.echo(f"Generated; {counts['emails_queued']} email(s) queued")
    else:
        click.echo("Already generated for that month; nothing sent")


def scheduled_monthly_report() -> dict[str, int]:
    """The scheduler job: runs every morning, acts once a month (see reports.monthly)."""
    return monthly.run_scheduled()


register_job("monthly-report", scheduled_monthly_report, cron={"hour": 7, "minute": 15},
             misfire_grace_hours=12)

commands = [reports]
