"""How many rows of each kind a bulk profile builds, and the unit mix.

There is no table for people or organised crime groups, so both are represented through the
records that exist:

- a *person* is a set of defendant rows in different cases with the same surname, forenames,
  date of birth and PNC id (people are prosecuted again, often with the same associates), so
  150,000 defendant rows belong to about 100,000 people;
- an *organised crime group* (OCG) is a set of cases sharing one operation name ("Kestrel
  Granite", "Kestrel Granite (phase 2)", ...), about 4 cases per group, whose defendants are
  mostly drawn from the group's own members.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Units: the reference units of the first migration plus synthetic ones up to this many.
UNITS = 50


@dataclass(frozen=True)
class Plan:
    """Target volumes (the generator lands close to them; counts that follow from the
    distributions, such as charges per defendant, are approximate).

    ``alerts`` only sizes the progress bar: the rows are whatever the alert engine's sources
    expect from the generated records (about 520,000 at full scale, a third of them reminders
    still to come), so a later sweep finds nothing to add."""

    scale: float
    users: int
    ocgs: int
    people: int
    cases: int
    defendants: int
    charges: int
    confiscation_orders: int
    payments: int
    ancillary_orders: int
    alerts: int

    @classmethod
    def national(cls, scale: float = 1.0) -> Plan:
        """QUALITY.md's performance workload, times ``scale``."""
        def n(value: int, minimum: int = 1) -> int:
            return max(minimum, round(value * scale))

        return cls(scale=scale, users=n(2_000, 40), ocgs=n(10_000, 5), people=n(100_000, 30),
                   cases=n(40_000, 20), defendants=n(150_000, 40), charges=n(400_000, 100),
                   confiscation_orders=n(65_000, 5), payments=n(1_000_000, 50),
                   ancillary_orders=n(30_000, 5), alerts=n(300_000, 50))


#: Relative share of the cases per unit kind; the demo users' units get a larger share so the
#: signed-in demo lawyer (Organised Crime Division) sees a busy list.
UNIT_WEIGHTS = {"ocd": 40, "sfd": 40, "intl": 10, "pocd": 12, "scctd": 4}
AREA_WEIGHT = 12
SYNTHETIC_WEIGHT = 4

#: Synthetic units added to the reference ones: a complex casework unit and a proceeds of crime
#: unit in each Area, and regional organised crime teams. Codes are distinct from the reference.
SYNTHETIC_SUFFIXES = (("ccu", "Complex Casework Unit"), ("pocu", "Proceeds of Crime Unit"))
REGIONAL_TEAMS = (("ocd_north", "Organised Crime Division (North)"),
                  ("ocd_midlands", "Organised Crime Division (Midlands)"),
                  ("ocd_south", "Organised Crime Division (South)"))

#: What the proceeds of crime units (synthetic, one per Area, and the Proceeds of Crime
#: Division) prosecute: money laundering and fraud behind most confiscation work.
PROCEEDS_MIX = (("money_laundering", 5), ("fraud", 4), ("drugs", 3), ("bribery_corruption", 1))

#: Defendants per case: multi-handed conspiracies are common (mean about 3.75).
DEFENDANTS_PER_CASE = ((1, 12), (2, 18), (3, 20), (4, 18), (5, 12), (6, 10), (8, 6), (10, 4))
#: Charges (counts on the indictment) per defendant (mean about 2.7).
CHARGES_PER_DEFENDANT = ((1, 2), (2, 3), (3, 3), (4, 2), (5, 1))
#: Users per role (admins are a handful nationally).
ROLE_MIX = (("lawyer", 60), ("offender_manager", 25), ("analyst", 15))
ADMINS = 5
