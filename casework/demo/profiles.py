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


SMALL = Profile(
    name="small",
    description="About 40 cases across units and crime types, for trying the app out",
    cases=40,
    unit_weights=(
        ("ocd", 14), ("sfd", 4), ("intl", 2), ("london_north", 4), ("london_south", 2),
        ("north_west", 4), ("mersey_cheshire", 2), ("west_midlands", 2), ("yorkshire_humberside", 1),
    ),
)

#: The performance workload of QUALITY.md; not built yet (a later issue).
NATIONAL_10Y = Profile(
    name="national-10y",
    description="Ten years of national data for the performance benchmarks",
    cases=40_000,
    available=False,
)

PROFILES = {p.name: p for p in (SMALL, NATIONAL_10Y)}
