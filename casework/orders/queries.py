"""Reads for the orders register, always through the user's unit scope (a record outside it is
simply not found: the route answers 404). Status filters are SQL expressions of the same rule as
``rules.status_of``, so lists never load rows into Python to decide status."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload

from casework.auth.models import Role, User
from casework.cases.models import Case, Defendant, full_name_of
from casework.cases.queries import SCOPE, ScopedRows, unit_scope, users_in_scope
from casework.core.pagination import Page, SortKey, paginate_prepared, prepared_page
from casework.extensions import db
from casework.orders import rules
from casework.orders.models import AncillaryOrder, OrderCondition, status_label
from casework.orders.rules import OrderStatus, OrderType
from casework.units.models import Unit

AO = AncillaryOrder

#: The register's order: soonest end first (open-ended last), then id for a total order.
BY_END_DATE = (SortKey(AO.ends_on, kind="date"), SortKey(AO.id, kind="int"))
BY_END_DATE_DESC = (SortKey(AO.ends_on, descending=True, kind="date"), SortKey(AO.id, descending=True,
                                                                             kind="int"))
LIVE = "live"  # active or pending release: the register's default


def status_clause(status: OrderStatus | str, today: dt.date) -> Any:
    """SQL for ``rules.status_of``: discharged, pending release, expired, active."""
    discharged = sa.and_(AO.discharged_on.is_not(None), AO.discharged_on <= today)
    not_discharged = sa.or_(AO.discharged_on.is_(None), AO.discharged_on > today)
    pending = sa.or_(AO.starts_on.is_(None), AO.starts_on > today)
    started = sa.and_(AO.starts_on.is_not(None), AO.starts_on <= today)
    ended = sa.and_(AO.indefinite.is_(False), AO.ends_on.is_not(None), AO.ends_on <= today)
    if status == LIVE:
        return sa.and_(not_discharged, sa.or_(pending, sa.not_(ended)))
    return {
        OrderStatus.DISCHARGED: discharged,
        OrderStatus.PENDING_RELEASE: sa.and_(not_discharged, pending),
        OrderStatus.EXPIRED: sa.and_(not_discharged, started, ended),
        OrderStatus.ACTIVE: sa.and_(not_discharged, started, sa.not_(ended)),
    }[OrderStatus(status)]


def _scoped(stmt: sa.Select[Any], user: User) -> sa.Select[Any]:
    scope = unit_scope(user)
    return stmt if scope is None else stmt.where(AO.unit_id.in_(scope))


def visible_orders(user: User) -> sa.Select[Any]:
    """``select(AncillaryOrder)`` limited to the user's units, with the defendant and case loaded
    in the same query (no N+1 on lists)."""
    case = joinedload(AO.defendant).joinedload(Defendant.case)
    return _scoped(sa.select(AO), user).options(
        case.load_only(Case.id, Case.urn, Case.name, Case.unit_id), case.lazyload("*"))


def get_order_for(user: User, order_id: int) -> AncillaryOrder | None:
    return db.session.execute(  # type: ignore[no-any-return]
        visible_orders(user).where(AO.id == order_id)).unique().scalar_one_or_none()


def order_with_everything(user: User, order_id: int) -> AncillaryOrder | None:
    stmt = visible_orders(user).where(AO.id == order_id).options(
        selectinload(AO.conditions), selectinload(AO.variations), selectinload(AO.breaches),
        selectinload(AO.checks), selectinload(AO.suspensions))
    return db.session.execute(stmt).unique().scalar_one_or_none()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class RegisterFilter:
    """The register's filters as parsed from the query string (unknown values are ignored)."""

    type: OrderType | None = None
    status: str = LIVE
    ending_before: dt.date | None = None
    unit_id: int | None = None
    manager_id: int | None = None  # 0 = unassigned
    descending: bool = False

    def args(self) -> dict[str, str]:
        out = {"type": self.type.value if self.type else "", "status": self.status,
               "ending_before": self.ending_before.isoformat() if self.ending_before else "",
               "unit": str(self.unit_id or ""),
               "manager": "" if self.manager_id is None else str(self.manager_id),
               "sort": "end_desc" if self.descending else ""}
        return {k: v for k, v in out.items() if v}


def parse_filter(args: Any) -> RegisterFilter:
    def _int(name: str) -> int | None:
        value = (args.get(name) or "").strip()
        return int(value) if value.isdecimal() and len(value) < 10 else None

    type_ = args.get("type") or ""
    status = args.get("status") or LIVE
    valid_status = {LIVE, "all", *(s.value for s in OrderStatus)}
    try:
        ending = dt.date.fromisoformat(args.get("ending_before") or "")
    except ValueError:
        ending = None
    return RegisterFilter(
        type=OrderType(type_) if type_ in {t.value for t in OrderType} else None,
        status=status if status in valid_status else LIVE, ending_before=ending,
        unit_id=_int("unit"), manager_id=_int("manager"), descending=args.get("sort") == "end_desc")


def register(user: User, f: RegisterFilter, today: dt.date) -> sa.Select[Any]:
    """The register of orders in the user's units, filtered (not yet ordered or paginated)."""
    return _filtered(visible_orders(user), f, today)


def _filtered(stmt: sa.Select[Any], f: RegisterFilter, today: Any,
              value: Callable[[str, Any], Any] = lambda name, v: v) -> sa.Select[Any]:
    """``stmt`` with the filter's conditions; ``value(name, v)`` is how each value is written
    (as itself, or as the parameter ``name`` of a statement built once)."""
    if f.type:
        stmt = stmt.where(AO.type == value("type", f.type))
    if f.status != "all":
        stmt = stmt.where(status_clause(f.status, value("today", today)))
    if f.ending_before:
        stmt = stmt.where(AO.indefinite.is_(False), AO.ends_on < value("ending_before", f.ending_before))
    if f.unit_id:
        stmt = stmt.where(AO.unit_id == value("unit_id", f.unit_id))
    if f.manager_id == 0:
        stmt = stmt.where(AO.offender_manager_id.is_(None))
    elif f.manager_id:
        stmt = stmt.where(AO.offender_manager_id == value("manager_id", f.manager_id))
    return stmt


def sort_keys(f: RegisterFilter) -> tuple[SortKey, ...]:
    return BY_END_DATE_DESC if f.descending else BY_END_DATE


class RegisterEntry(NamedTuple):
    """One line of the register page: only the columns it shows, read as plain values.

    Building the order, its defendant, case, unit and manager as mapped objects for 50 lines
    cost more than the statement itself; status and type rule are the order's own functions.
    """

    id: int
    type: OrderType
    starts_on: dt.date | None
    ends_on: dt.date | None
    term_months: int | None
    indefinite: bool
    runs_from_release: bool
    discharged_on: dt.date | None
    defendant_name: str
    urn: str
    unit_name: str
    manager_name: str | None

    @property
    def rule(self) -> rules.OrderRule:
        return rules.rule_for(self.type)

    def status(self, today: dt.date) -> OrderStatus:
        return rules.status_of(starts_on=self.starts_on, ends_on=self.ends_on,
                               indefinite=self.indefinite, discharged_on=self.discharged_on,
                               today=today)

    def status_label(self, today: dt.date) -> str:
        return status_label(self.status(today), runs_from_release=self.runs_from_release)


_ENTRY_COLUMNS: tuple[Any, ...] = (
    AO.id, AO.type, AO.starts_on, AO.ends_on, AO.term_months, AO.indefinite, AO.runs_from_release,
    AO.discharged_on, Defendant.forenames, Defendant.surname, Case.urn,
    Unit.name.label("unit_name"), User.name.label("manager_name"))


_ENTRIES = (sa.select(*_ENTRY_COLUMNS).select_from(AO)
            .join(Defendant, Defendant.id == AO.defendant_id).join(Case, Case.id == Defendant.case_id)
            .join(Unit, Unit.id == AO.unit_id).outerjoin(User, User.id == AO.offender_manager_id))


def register_entries(user: User, f: RegisterFilter, today: dt.date, *, after: str | None,
                     limit: int) -> Page[Any]:
    """A page of ``register`` as rows of the columns the page shows (see ``RegisterEntry``),
    from a statement built once per shape of filter (``_entries_statement``)."""
    scope = unit_scope(user)
    # The filter's shape: which conditions apply, not their values (those are parameters).
    shape = RegisterFilter(
        type=OrderType.SCPO if f.type else None, status=f.status,
        ending_before=dt.date.min if f.ending_before else None, unit_id=1 if f.unit_id else None,
        manager_id=None if f.manager_id is None else min(f.manager_id, 1), descending=f.descending)
    params = {"scope": scope, "type": f.type, "today": today, "ending_before": f.ending_before,
              "unit_id": f.unit_id, "manager_id": f.manager_id}
    return paginate_prepared(
        lambda nulls: _entries_statement(shape, scope is not None, nulls), params, sort_keys(f),
        after=after, limit=limit, key_of=lambda row: [row.ends_on, row.id])


@functools.lru_cache(maxsize=256)
def _entries_statement(shape: RegisterFilter, scoped: bool, nulls: tuple[bool, ...] | None
                       ) -> sa.Select[Any]:
    stmt = _ENTRIES.where(AO.unit_id.in_(SCOPE)) if scoped else _ENTRIES
    stmt = _filtered(stmt, shape, None, lambda name, v: sa.bindparam(name))
    return prepared_page(stmt, sort_keys(shape), nulls)


def entry_of(row: Any) -> RegisterEntry:
    """A row of ``register_entries`` (its columns in ``RegisterEntry``'s order, the defendant's
    name in two)."""
    return RegisterEntry._make((*row[:8], full_name_of(row[8], row[9]), *row[10:]))


def managers_for(user: User) -> list[User]:
    """Offender managers who share a unit with the user (everyone's, for admins)."""
    from casework.auth.models import user_units

    stmt = sa.select(User).where(User.role == Role.OFFENDER_MANAGER, User.active.is_(True))
    scope = unit_scope(user)
    if scope is not None:
        stmt = stmt.where(User.id.in_(sa.select(user_units.c.user_id)
                                      .where(user_units.c.unit_id.in_(scope))))
    return list(db.session.execute(stmt.order_by(User.name)).scalars())


_MANAGER_CHOICES = ScopedRows.of(
    sa.select(User.id, User.name).where(User.role == Role.OFFENDER_MANAGER, User.active.is_(True))
    .order_by(User.name), users_in_scope())


def manager_choices(user: User) -> list[Any]:
    """``managers_for`` as (id, name) rows, for a list to choose from."""
    return _MANAGER_CHOICES.rows(user)


def orders_by_ids(user: User, ids: list[int]) -> list[AncillaryOrder]:
    if not ids:
        return []
    return list(db.session.execute(visible_orders(user).where(AO.id.in_(ids))).unique().scalars())


def orders_for_defendant(user: User, defendant_id: int, *,
                         options: Sequence[Any] = ()) -> list[AncillaryOrder]:
    """The defendant's orders; ``options`` adds loader options (e.g. the children a caller reads)."""
    return list(db.session.execute(
        visible_orders(user).where(AO.defendant_id == defendant_id).order_by(AO.made_on, AO.id)
        .options(*options)).unique().scalars())


def panel_orders(user: User, defendant_id: int) -> list[AncillaryOrder]:
    """The defendant page's panel: the orders alone (the page has the defendant and the panel
    shows no unit or manager, so they are not joined in)."""
    return list(_PANEL_ORDERS.result(user, defendant_id=defendant_id).scalars())


_PANEL_ORDERS = ScopedRows.of(
    sa.select(AO).where(AO.defendant_id == sa.bindparam("defendant_id"))
    .order_by(AO.made_on, AO.id).options(lazyload("*")), AO.unit_id.in_(SCOPE))


def orders_for_case(case_id: int) -> list[AncillaryOrder]:
    """Every order against the case's defendants (the caller has already checked access)."""
    return list(db.session.execute(
        sa.select(AO).join(AO.defendant).where(Defendant.case_id == case_id).order_by(AO.made_on, AO.id)
    ).unique().scalars())


# ---------------------------------------------------------------- "this week"

@dataclass
class Dashboard:
    checks_due: list[AncillaryOrder]
    reports_due: list[OrderCondition]
    ending_soon: list[AncillaryOrder]
    unserved: list[AncillaryOrder]
    release_near: list[AncillaryOrder]

    @property
    def total(self) -> int:
        return sum(len(x) for x in (self.checks_due, self.reports_due, self.ending_soon, self.unserved,
                                    self.release_near))


def dashboard(user: User, today: dt.date, *, mine: bool = False, limit: int = 50) -> Dashboard:
    """What needs action this week: breach checks and condition reports due or overdue, orders
    ending soon (renewal decision, DOMAIN.md 5 A1), orders unserved 7 days after making (A4), and
    orders waiting on a release that is near (A3/A6)."""
    horizon = today + dt.timedelta(days=rules.DASHBOARD_HORIZON_DAYS)
    base = register(user, RegisterFilter(status=LIVE), today)
    if mine:
        base = base.where(AO.offender_manager_id == user.id)

    def run(stmt: sa.Select[Any]) -> list[AncillaryOrder]:
        return list(db.session.execute(stmt.limit(limit)).unique().scalars())

    checks = run(base.where(AO.next_check_due_on <= horizon).order_by(AO.next_check_due_on, AO.id))
    ending = run(base.where(AO.indefinite.is_(False), AO.ends_on > today,
                            AO.ends_on <= today + dt.timedelta(days=rules.ENDING_SOON_DAYS))
                 .order_by(AO.ends_on, AO.id))
    unserved = run(base.where(AO.served_on.is_(None), AO.made_on <= today - dt.timedelta(
        days=rules.SERVICE_CHASE_DAYS)).order_by(AO.made_on, AO.id))
    release = run(base.where(AO.runs_from_release.is_(True), AO.starts_on > today,
                             AO.starts_on <= today + dt.timedelta(days=rules.RELEASE_NEAR_DAYS))
                  .order_by(AO.starts_on, AO.id))
    live_ids = base.with_only_columns(AO.id).order_by(None)
    # innerjoin (every condition has its order): as an outer join the order's own inner joins
    # (unit, defendant) nest as LEFT JOIN (orders JOIN units JOIN defendants), which SQLite builds
    # for every order in the service before it looks at the conditions (278 ms at 30,000 orders).
    reports = list(db.session.execute(
        sa.select(OrderCondition)
        .options(joinedload(OrderCondition.order, innerjoin=True).joinedload(AO.defendant))
        .where(OrderCondition.order_id.in_(live_ids), OrderCondition.next_report_due_on <= horizon,
               sa.or_(OrderCondition.ends_on.is_(None), OrderCondition.ends_on > today))
        .order_by(OrderCondition.next_report_due_on, OrderCondition.id).limit(limit)).unique().scalars())
    return Dashboard(checks, reports, ending, unserved, release)

