"""Builds a bulk profile into an empty database: plan, generate, write, audit, analyse.

One transaction (the caller commits). Stages report progress on stderr. Bulk-written rows have
no audit row each (they were never "collected" by anyone); the load itself is audited as one
``collect`` event, appended to the hash chain like any other, so ``flask audit verify`` holds.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field

from casework.audit import service as audit
from casework.core import clock
from casework.demo.bulk import alerts, cases, confiscation, orders, people
from casework.demo.bulk.plan import Plan
from casework.demo.bulk.writer import Progress, Writer

#: Tables reported in the summary, in the order they are built.
REPORTED = ("units", "users", "cases", "defendants", "charges", "hearings", "defendant_aliases",
            "ancillary_orders", "order_conditions", "compliance_checks", "confiscation_proceedings",
            "confiscation_orders", "confiscation_payments", "confiscation_enforcement_steps",
            "restraint_orders", "restraint_events", "alerts")

#: Written in bulk after the units and users (PostgreSQL checks them in one pass at the end).
BULK_TABLES = ("cases", "defendants", "defendant_aliases", "charges", "hearings", "ancillary_orders",
               "order_conditions", "compliance_checks", "confiscation_proceedings", "confiscation_orders",
               "confiscation_payments", "confiscation_enforcement_steps", "restraint_orders",
               "restraint_events")


@dataclass
class BulkSummary:
    profile: str
    seed: int
    scale: float
    counts: dict[str, int]
    people: int
    ocgs: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        rows = ", ".join(f"{self.counts.get(t, 0):,} {t}" for t in REPORTED)
        stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings.items())
        return [f"Loaded demo data: {rows}",
                f"({self.people:,} people, {self.ocgs:,} organised crime groups; profile {self.profile}, "
                f"seed {self.seed}, scale {self.scale:g}) in {self.seconds:.1f} s: {stages}"]


def load(profile: str, plan: Plan, *, seed: int, progress: Progress | None = None) -> BulkSummary:
    started = time.monotonic()
    progress = progress or Progress(enabled=False)
    writer = Writer(progress=progress)
    today = clock.today()
    now = clock.now().astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    rng_seed = f"{seed}:{profile}:{plan.scale}"

    progress.stage("units, users", plan.users)
    staff = people.build_units(writer)
    people.build_users(writer, staff, plan, random.Random(f"{rng_seed}:users"), now)
    progress.end(f"{len(staff.unit_ids)} units, {staff.users:,} users")

    writer.suspend_checks(BULK_TABLES)
    progress.stage("cases", plan.cases)
    book = cases.build_cases(writer, staff, plan, rng_seed, today)
    progress.end(f"{book.cases:,} cases, {len(book.accused):,} defendants, {len(book.people):,} people")

    progress.stage("orders", plan.ancillary_orders)
    made = orders.build_orders(writer, staff, plan, book, rng_seed, today)
    progress.end(f"{made:,} ancillary orders")

    progress.stage("confiscation", plan.confiscation_orders)
    conf = confiscation.build_confiscation(writer, staff, plan, book, rng_seed, today)
    progress.end(f"{conf['orders']:,} orders, {writer.counts.get('confiscation_payments', 0):,} payments")

    progress.stage("checks", 1)
    writer.restore_checks()  # the alert sources query these tables
    writer.analyse()  # ... with plans made from the rows just written, not from empty tables
    progress.end("indexes built" + (", foreign keys validated" if writer.dialect == "postgresql" else ""))

    progress.stage("alerts", plan.alerts)
    writer.suspend_checks(("alerts",))
    statuses = alerts.build_alerts(writer, rng_seed, today, now)
    progress.end(", ".join(f"{n:,} {s}" for s, n in sorted(statuses.items())))

    progress.stage("finish", 1)
    counts = {**writer.counts, "users": staff.users, "units": len(staff.unit_ids)}
    audit.record("collect", object_type="demo_data", object_id=None,
                 summary=f"Demo data loaded in bulk: profile {profile}, seed {seed}, scale {plan.scale:g}",
                 changes={t: counts.get(t, 0) for t in REPORTED})
    writer.finish()
    progress.end("sequences set, statistics analysed")
    return BulkSummary(profile=profile, seed=seed, scale=plan.scale, counts=counts,
                       people=len(book.people), ocgs=plan.ocgs, seconds=time.monotonic() - started,
                       timings=progress.timings)
