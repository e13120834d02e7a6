"""Reads for cases and defendants, always through the user's unit scope.

A record outside the user's units is simply not found (the route answers 404, never revealing
that it exists). Admins see every unit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, selectinload

from casework.audit.models import AuditEvent
from casework.auth.models import Role, User, user_units
from casework.cases.models import Case, Charge, Defendant, Hearing
from casework.cases.rules import URN_PATTERN, normalise_urn
from casework.core.pagination import Page, SortKey, paginate_prepared, prepared_page
from casework.extensions import db
from casework.units.models import CrimeType, Unit


def unit_scope(user: User) -> list[int] | None:
    """Unit ids the user may see, or None for every unit (administrators)."""
    if user.sees_all_units:
        return None
    return list(user.unit_ids)


def _scoped(stmt: sa.Select[Any], user: User) -> sa.Select[Any]:
    scope = unit_scope(user)
    if scope is None:
        return stmt
    return stmt.where(Case.unit_id.in_(scope))


def visible_cases(user: User) -> sa.Select[Any]:
    """``select(Case)`` limited to the user's units (compose further filters onto it)."""
    return _scoped(sa.select(Case), user)


def visible_defendants(user: User) -> sa.Select[Any]:
    """``select(Defendant)`` joined to its case and limited to the user's units."""
    return _scoped(sa.select(Defendant).join(Defendant.case), user)


def get_case_for(user: User, case_id: int) -> Case | None:
    return db.session.execute(  # type: ignore[no-any-return]
        visible_cases(user).where(Case.id == case_id)).scalar_one_or_none()


def get_defendant_for(user: User, defendant_id: int) -> Defendant | None:
    return db.session.execute(  # type: ignore[no-any-return]
        visible_defendants(user).where(Defendant.id == defendant_id)).scalar_one_or_none()


def get_defendant_with_case(user: User, defendant_id: int) -> Defendant | None:
    """``get_defendant_for`` with the case (and its unit, crime type and lawyer) in the same
    statement, for the defendant pages that show them (one statement fewer than a lazy load)."""
    return _DEFENDANT_WITH_CASE.result(  # type: ignore[no-any-return]
        user, defendant_id=defendant_id).scalar_one_or_none()


def get_hearing_for(user: User, hearing_id: int) -> Hearing | None:
    return db.session.execute(  # type: ignore[no-any-return]
        _scoped(sa.select(Hearing).join(Hearing.case), user).where(Hearing.id == hearing_id)
    ).scalar_one_or_none()


def case_with_everything(user: User, case_id: int) -> Case | None:
    """The case page: defendants with charges and aliases, and hearings, in a few queries."""
    stmt = visible_cases(user).where(Case.id == case_id).options(
        selectinload(Case.defendants).selectinload(Defendant.charges),
        selectinload(Case.defendants).selectinload(Defendant.aliases),
        selectinload(Case.hearings).joinedload(Hearing.defendant),
    )
    return db.session.execute(stmt).scalar_one_or_none()  # type: ignore[no-any-return]


def case_by_urn(user: User, urn: str) -> Case | None:
    return db.session.execute(  # type: ignore[no-any-return]
        visible_cases(user).where(Case.urn == normalise_urn(urn))).scalar_one_or_none()


def charges_for(defendant: Defendant) -> list[Charge]:
    return list(db.session.execute(
        sa.select(Charge).where(Charge.defendant_id == defendant.id)
        .order_by(Charge.charged_on, Charge.id)).scalars())


# --- the case list -------------------------------------------------------------------------

#: ?sort= values -> (column, cursor kind, Case attribute)
SORTS: dict[str, tuple[Any, str, str]] = {
    "received": (Case.received_on, "date", "received_on"),
    "urn": (Case.urn, "str", "urn"),
    "name": (Case.name, "str", "name"),
    "opened": (Case.created_at, "datetime", "created_at"),
}
DEFAULT_SORT = ("received", "desc")


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    unit: str = ""
    crime_type: str = ""
    stage: str = ""
    lawyer: int | None = None
    sort: str = DEFAULT_SORT[0]
    dir: str = DEFAULT_SORT[1]

    def sort_keys(self) -> list[SortKey]:
        column, kind, _ = SORTS[self.sort]
        descending = self.dir == "desc"
        return [SortKey(column, descending, kind), SortKey(Case.id, descending, "int")]

    def key_of(self, row: Any) -> list[Any]:
        case = row[0]
        return [getattr(case, SORTS[self.sort][2]), case.id]

    def row_key_of(self, row: Any) -> list[Any]:
        """``key_of`` for ``case_list_rows``."""
        return [getattr(row, SORTS[self.sort][2]), row.id]


def defendant_count() -> Any:
    return (sa.select(sa.func.count(Defendant.id)).where(Defendant.case_id == Case.id)
            .correlate(Case).scalar_subquery().label("defendant_count"))


def case_list(user: User, filters: CaseFilters) -> sa.Select[Any]:
    """Rows of (Case, defendant count) for the list, with unit, crime type and lead lawyer
    joined in the same query (one query per page whatever the number of rows)."""
    stmt = _scoped(sa.select(Case, defendant_count()), user)
    return _filtered(stmt, filters, search_terms(user, filters.q))


_UNIT, _CRIME_TYPE, _LAWYER = aliased(Unit), aliased(CrimeType), aliased(User)
#: What the case list page shows of each case, as plain columns: building the case, unit, crime
#: type and lawyer as mapped objects for 50 rows cost more than the statement itself.
_ROWS = (sa.select(Case.id, Case.urn, Case.name, Case.stage, Case.received_on, Case.created_at,
                   _UNIT.name.label("unit_name"), _CRIME_TYPE.name.label("crime_type_name"),
                   _LAWYER.name.label("lawyer_name"), defendant_count())
         .select_from(Case).join(_UNIT, _UNIT.id == Case.unit_id)
         .join(_CRIME_TYPE, _CRIME_TYPE.id == Case.crime_type_id)
         .outerjoin(_LAWYER, _LAWYER.id == Case.lead_lawyer_id))


def case_list_page(user: User, filters: CaseFilters, *, after: str | None, limit: int) -> Page[Any]:
    """A page of ``case_list`` as rows of the columns the list page shows (``defendant_count``
    included), from a statement built once per shape of filter (``_rows_statement``)."""
    scope = unit_scope(user)
    terms = search_terms(user, filters.q)
    # The filter's shape: which conditions apply and the sort, not their values (parameters).
    shape = CaseFilters(q=terms[0], unit="x" if filters.unit else "",
                        crime_type="x" if filters.crime_type else "",
                        stage="x" if filters.stage else "", lawyer=1 if filters.lawyer else None,
                        sort=filters.sort, dir=filters.dir)
    params = {"scope": scope, "unit": filters.unit, "crime_type": filters.crime_type,
              "stage": filters.stage, "lawyer": filters.lawyer, **terms[1]}
    return paginate_prepared(
        lambda nulls: _rows_statement(shape, scope is not None, nulls), params,
        filters.sort_keys(), after=after, limit=limit, key_of=filters.row_key_of)


@functools.lru_cache(maxsize=256)
def _rows_statement(shape: CaseFilters, scoped: bool, nulls: tuple[bool, ...] | None
                    ) -> sa.Select[Any]:
    stmt = _ROWS.where(Case.unit_id.in_(SCOPE)) if scoped else _ROWS
    stmt = _filtered(stmt, shape, (shape.q, {}), lambda name, v: sa.bindparam(name))
    return prepared_page(stmt, shape.sort_keys(), nulls)


def _filtered(stmt: sa.Select[Any], filters: CaseFilters, terms: tuple[str, dict[str, str]],
              value: Callable[[str, Any], Any] = lambda name, v: v) -> sa.Select[Any]:
    """``stmt`` with the filter's conditions; ``value(name, v)`` is how each value is written
    (as itself, or as the parameter ``name`` of a statement built once)."""
    if filters.unit:
        stmt = stmt.where(Case.unit.has(Unit.code == value("unit", filters.unit)))
    if filters.crime_type:
        stmt = stmt.where(Case.crime_type.has(CrimeType.code == value("crime_type", filters.crime_type)))
    if filters.stage:
        stmt = stmt.where(Case.stage == value("stage", filters.stage))
    if filters.lawyer:
        stmt = stmt.where(Case.lead_lawyer_id == value("lawyer", filters.lawyer))
    kind, found = terms
    if kind == "urn":
        stmt = stmt.where(Case.urn == value("urn", found.get("urn")))
    elif kind == "text":
        surname = sa.exists().where(Defendant.case_id == Case.id, sa.func.lower(Defendant.surname)
                                    .like(value("surname_like", found.get("surname_like")), escape="\\"))
        stmt = stmt.where(sa.or_(sa.func.lower(Case.name).like(
            value("name_like", found.get("name_like")), escape="\\"), surname))
    return stmt


def search_terms(user: User, q: str) -> tuple[str, dict[str, str]]:
    """What ``?q=`` searches for: a URN typed in full is matched exactly (the unique index),
    anything else matches the operation name anywhere or a defendant's surname from its start,
    ignoring case. ("", {}) for no search; ("urn", {"urn": ...}); ("text", {patterns})."""
    if not q:
        return "", {}
    urn = normalise_urn(q)
    if URN_PATTERN.match(urn) and case_by_urn(user, urn) is not None:
        return "urn", {"urn": urn}
    text = q.strip().lower()
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "text", {"name_like": f"%{escaped}%", "surname_like": f"{escaped}%"}


@dataclass(frozen=True)
class ScopedRows:
    """A statement built once, in two forms: every unit (administrators) and the user's units
    (the expanding ``scope`` parameter). Building and keying a small statement on every request
    cost more than running it."""

    every_unit: sa.Select[*tuple[Any, ...]]
    in_scope: sa.Select[*tuple[Any, ...]]

    @classmethod
    def of(cls, stmt: sa.Select[*tuple[Any, ...]], scoped: Any) -> ScopedRows:
        """``scoped``: the clause limiting ``stmt`` to the unit ids in ``SCOPE``."""
        return cls(stmt, stmt.where(scoped))

    def rows(self, user: User) -> list[Any]:
        return list(self.result(user))

    def result(self, user: User, **params: Any) -> sa.Result[Any]:
        scope = unit_scope(user)
        if scope is None:
            return db.session.execute(self.every_unit, params)
        return db.session.execute(self.in_scope, {"scope": scope, **params})


SCOPE: sa.BindParameter[list[int]] = sa.bindparam("scope", expanding=True)


def users_in_scope() -> Any:
    """``User.id`` is a member of a unit in ``SCOPE``."""
    return User.id.in_(sa.select(user_units.c.user_id).where(user_units.c.unit_id.in_(SCOPE)))


_LAWYER_CHOICES = ScopedRows.of(
    sa.select(User.id, User.name).where(User.role == Role.LAWYER, User.active.is_(True))
    .order_by(User.name), users_in_scope())
_UNIT_CHOICES = ScopedRows.of(
    sa.select(Unit.id, Unit.code, Unit.name).order_by(Unit.kind.desc(), Unit.name),
    Unit.id.in_(SCOPE))
_CRIME_TYPE_CHOICES = sa.select(CrimeType.id, CrimeType.code, CrimeType.name).order_by(
    CrimeType.position, CrimeType.name)


_DEFENDANT_WITH_CASE = ScopedRows.of(
    sa.select(Defendant).join(Defendant.case).options(contains_eager(Defendant.case))
    .where(Defendant.id == sa.bindparam("defendant_id")), Case.unit_id.in_(SCOPE))


def lawyer_choices(user: User) -> list[Any]:
    """``lawyers_for`` as (id, name) rows, for a list to choose from."""
    return _LAWYER_CHOICES.rows(user)


def unit_choices(user: User) -> list[Any]:
    """``units_for`` as (id, code, name) rows."""
    return _UNIT_CHOICES.rows(user)


def crime_type_choices() -> list[Any]:
    """``crime_types`` as (id, code, name) rows."""
    return list(db.session.execute(_CRIME_TYPE_CHOICES))


def lawyers_for(user: User) -> list[User]:
    """Lawyers in the units the user can see (lead-lawyer choices and the list filter)."""
    stmt = sa.select(User).where(User.role == Role.LAWYER, User.active.is_(True))
    scope = unit_scope(user)
    if scope is not None:
        stmt = stmt.where(User.id.in_(
            sa.select(user_units.c.user_id).where(user_units.c.unit_id.in_(scope))))
    return list(db.session.execute(stmt.order_by(User.name)).scalars())


def units_for(user: User) -> list[Unit]:
    scope = unit_scope(user)
    stmt = sa.select(Unit).order_by(Unit.kind.desc(), Unit.name)
    if scope is not None:
        stmt = stmt.where(Unit.id.in_(scope))
    return list(db.session.execute(stmt).scalars())


def crime_types() -> list[CrimeType]:
    return list(db.session.execute(
        sa.select(CrimeType).order_by(CrimeType.position, CrimeType.name)).scalars())


def lawyer_in_scope(user: User, user_id: str | int | None) -> User | None:
    """The chosen lead lawyer, only if they are a lawyer the user can see (else None)."""
    if user_id in (None, "") or not str(user_id).isdigit():
        return None
    return next((u for u in lawyers_for(user) if u.id == int(user_id)), None)


def defendant_history(defendant: Defendant, limit: int = 200) -> list[Any]:
    """Changes to the defendant and their charges, newest first (consultations excluded: they
    are in the audit log), as rows of what the history shows (summary, actor, time, reason)."""
    return list(db.session.execute(_DEFENDANT_HISTORY, {
        "case_id": defendant.case_id, "defendant_id": defendant.id, "limit": limit}))


_DEFENDANT_HISTORY = (
    sa.select(AuditEvent.summary, AuditEvent.actor_name, AuditEvent.at, AuditEvent.reason)
    .where(AuditEvent.case_id == sa.bindparam("case_id"), AuditEvent.action != "consult",
           sa.or_(sa.and_(AuditEvent.object_type == "defendant",
                          AuditEvent.object_id == sa.bindparam("defendant_id")),
                  sa.and_(AuditEvent.object_type == "charge", AuditEvent.object_id.in_(
                      sa.select(Charge.id).where(Charge.defendant_id == sa.bindparam("defendant_id"))))))
    .order_by(AuditEvent.id.desc()).limit(sa.bindparam("limit")))
