"""Demo data profiles: how much data ``flask demo load --profile NAME`` builds."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    cases: int
    available: bool = True
    #: unit code -> relative weight; the demo users' units get most of the work.
    unit_weights: tuple[tuple[str, int], ...] = ()
    #: Bulk profiles (casework.demo.bulk): the national volumes times this factor.
    bulk_scale: float | None = None
    postgresql_only: bool = False


SMALL = Profile(
    name="small",
    description="About 40 cases across units and crime types, for trying the app out",
    cases=40,
    unit_weights=(
        ("ocd", 14), ("sfd", 4), ("intl", 2), ("london_north", 4), ("london_south", 2),
        ("north_west", 4), ("mersey_cheshire", 2), ("west_midlands", 2), ("yorkshire_humberside", 1),
    ),
)

#: The performance workload of QUALITY.md, built in bulk (casework.demo.bulk).
NATIONAL_10Y = Profile(
    name="national-10y",
    description=(
        "Ten years of national data for the performance benchmarks: 50 units, 2,000 users, "
        "40,000 cases, 150,000 defendants, 400,000 charges, 30,000 ancillary orders, 65,000 "
        "confiscation orders with 1,000,000 payments, and the alerts the alert engine expects from "
        "them (about 520,000, more than QUALITY.md's 300,000). People are defendant rows "
        "sharing name, date of birth and PNC id across cases (about 100,000 people); organised "
        "crime groups are cases sharing an operation name (about 10,000 groups)"),
    cases=40_000,
    bulk_scale=1.0,
)

#: Ten times national-10y, for PostgreSQL only (SQLite is for single-site use).
STRESS_10X = Profile(
    name="stress-10x",
    description="national-10y ten times over, for PostgreSQL stress tests",
    cases=400_000,
    bulk_scale=10.0,
    postgresql_only=True,
)

PROFILES = {p.name: p for p in (SMALL, NATIONAL_10Y, STRESS_10X)}
