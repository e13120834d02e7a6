"""Report figures over the API: the same query dataclasses as the web pages and downloads.

``?from=YYYY-MM-DD&to=YYYY-MM-DD&group=month|quarter|financial_year&unit=&crime_type=``
(API.md, Reports). A unit-scoped user only ever gets their own units' figures; asking for
another unit is a 422 naming the ``unit`` parameter. Each call is audited as a disclosure
(DPA 2018 s.62), like a download.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from casework.api import schemas as s
from casework.api.framework import api
from casework.audit import service as audit
from casework.auth.models import User
from casework.cases.queries import unit_scope
from casework.core import clock
from casework.reports import confiscation_queries, order_queries, queries
from casework.reports.filters import ReportFilters, parse_filters
from casework.reports.queries import OutcomeRow
from casework.units import queries as unit_queries

READERS = ("admin", "lawyer", "offender_manager", "analyst")


class ReportQuery(s.RequestModel):
    from_: s.OptionalText = Field(default=None, alias="from", title="the first day (YYYY-MM-DD)")
    to: s.OptionalText = Field(default=None, title="the last day (YYYY-MM-DD)")
    group: s.OptionalText = Field(default=None, title="month, quarter or financial_year")
    unit: s.OptionalText = Field(default=None, title="the unit code")
    crime_type: s.OptionalText = Field(default=None, title="the organised-crime type code")


class ReportOutcomeRowOut(s.ResponseModel):
    period: str
    guilty_plea: int
    convicted_after_trial: int
    proved_in_absence: int
    acquitted_after_trial: int
    directed_acquittal: int
    discontinued: int
    administratively_finalised: int
    convictions: int
    finalised: int
    conviction_rate: str | None


class ReportOffenceRowOut(ReportOutcomeRowOut):
    principal_offence: str | None


class ReportTrialRowOut(s.ResponseModel):
    period: str
    convicted_after_trial: int
    trials: int
    trial_conviction_rate: str | None


class ReportConvictionRateOut(s.ResponseModel):
    rows: list[ReportOutcomeRowOut]
    total: ReportOutcomeRowOut
    trial_conviction_rate: list[ReportTrialRowOut] = Field(
        description="Convictions after trial / (convictions after trial + acquittals after trial + "
                    "directed acquittals), per period then the total; shown separately from the "
                    "CPS rate")
    by_principal_offence: list[ReportOffenceRowOut]


def _filters(query: ReportQuery, user: User) -> ReportFilters:
    args = {"from": query.from_ or "", "to": query.to or "", "group": query.group or "",
            "unit": query.unit or "", "crime_type": query.crime_type or ""}
    return parse_filters(args, today=clock.today(), unit_scope=unit_scope(user),
                         units=unit_queries.all_units(), crime_types=unit_queries.all_crime_types())


def _disclosed(title: str, filters: ReportFilters, user: User) -> None:
    audit.record("disclose", object_type="report", object_id=None, actor=user,
                 summary=f"{title} report ({filters.describe()}) sent through the API")


def _trial(row: OutcomeRow) -> dict[str, Any]:
    return {"period": row.period, "convicted_after_trial": row.count("convicted_after_trial"),
            "trials": row.trials, "trial_conviction_rate": row.trial_conviction_rate}


@api.endpoint("GET", "/reports/conviction-rate", roles=READERS, query=ReportQuery,
              response=ReportConvictionRateOut, tags=["reports"],
              summary="Defendants finalised by outcome and the CPS conviction rate")
def conviction_rate(query: ReportQuery, user: User) -> dict[str, Any]:
    """Per defendant finalised in the period (DOMAIN.md 3.1, 3.2): convictions = guilty pleas +
    convictions after trial + proved in absence; finalised = all seven outcomes (dropped cases,
    directed acquittals and administrative finalisations included); rate to one decimal place,
    rounded half-up, or null when nothing was finalised."""
    filters = _filters(query, user)
    report = queries.conviction_report(filters)
    _disclosed("Conviction rate", filters, user)
    return {
        "rows": [r.as_api() for r in report.rows], "total": report.total.as_api(),
        "trial_conviction_rate": [_trial(r) for r in [*report.rows, report.total]],
        "by_principal_offence": [{**r.as_api(), "principal_offence": None if r.key == "none" else r.key}
                                 for r in report.by_offence],
    }


class ReportConfiscationRowOut(s.ResponseModel):
    period: str
    orders_made: int
    value_made: s.Money
    collected: s.Money
    restraint_orders: int


class ReportAgeRowOut(s.ResponseModel):
    band: str
    orders: int
    principal: s.Money
    interest: s.Money
    outstanding: s.Money


class ReportCompensationOut(s.ResponseModel):
    orders: int
    directed: s.Money
    paid: s.Money


class ReportConfiscationOut(s.ResponseModel):
    rows: list[ReportConfiscationRowOut]
    total: ReportConfiscationRowOut
    as_of: str
    outstanding: list[ReportAgeRowOut]
    outstanding_total: ReportAgeRowOut
    compensation: ReportCompensationOut


@api.endpoint("GET", "/reports/confiscation", roles=READERS, query=ReportQuery,
              response=ReportConfiscationOut, tags=["reports"],
              summary="Confiscation orders made, collection, outstanding balances and restraint")
def confiscation(query: ReportQuery, user: User) -> dict[str, Any]:
    """Orders made (count and value when made) and amounts collected by period; restraint orders
    obtained; balances outstanding on ``to`` by age with POCA s.12 interest; compensation paid
    to victims (s.13)."""
    filters = _filters(query, user)
    report = confiscation_queries.confiscation_report(filters)
    _disclosed("Confiscation", filters, user)
    return {"rows": report.rows, "total": report.total, "as_of": report.as_of.isoformat(),
            "outstanding": report.ageing, "outstanding_total": report.ageing_total,
            "compensation": report.compensation}


class ReportObtainedOut(s.ResponseModel):
    period: str
    by_type: dict[str, int]
    total: int


class ReportTypeOut(s.ResponseModel):
    type: str
    label: str
    obtained: int
    active: int
    pending_release: int
    expiring_next_quarter: int
    breaches: int


class ReportBreachOut(s.ResponseModel):
    outcome: str
    label: str
    count: int


class ReportAncillaryOut(s.ResponseModel):
    rows: list[ReportObtainedOut]
    total: ReportObtainedOut
    as_of: str
    next_quarter: str
    by_type: list[ReportTypeOut]
    breaches: list[ReportBreachOut]


@api.endpoint("GET", "/reports/ancillary-orders", roles=READERS, query=ReportQuery,
              response=ReportAncillaryOut, tags=["reports"],
              summary="Ancillary orders obtained by type, active orders, breaches and expiries")
def ancillary_orders(query: ReportQuery, user: User) -> dict[str, Any]:
    """Orders obtained by period and type; per type on ``to``: active, pending release and
    ending in the next financial quarter; breaches in the range by prosecution outcome."""
    filters = _filters(query, user)
    report = order_queries.ancillary_report(filters)
    _disclosed("Ancillary orders", filters, user)
    return {"rows": report.obtained, "total": report.obtained_total, "as_of": report.as_of.isoformat(),
            "next_quarter": report.next_quarter.label, "by_type": report.by_type,
            "breaches": report.breaches}
