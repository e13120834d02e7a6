"""Adding, renaming and deactivating units (CPS Areas and central divisions).

A deactivated unit cannot be chosen for new cases or users but keeps every record it holds:
units are never deleted. Each change writes one audit row (through ``core.signals`` because
audit is a higher layer).
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from casework.core import signals
from casework.core.validation import Problems, ValidationError, has_control_chars
from casework.extensions import db
from casework.units.models import Unit, UnitKind

CODE_PATTERN = re.compile(r"[a-z0-9_]{1,40}")
KIND_LABELS = {UnitKind.AREA: "CPS Area", UnitKind.DIVISION: "Central division"}


def _audit(unit: Unit, summary: str, changes: dict[str, Any], actor: Any, action: str = "alter") -> None:
    signals.audit_event.send(None, action=action, object_type="unit", object_id=unit.id,
                             summary=summary, changes=changes, actor=actor)


def _clean_name(name: str, problems: Problems) -> str:
    name = " ".join(name.split())
    if not name:
        problems.add("name", "Enter the unit's name")
    elif has_control_chars(name):
        problems.add("name", "Remove the control characters (such as NUL) from the name")
    elif len(name) > 120:
        problems.add("name", "Unit name must be 120 characters or fewer")
    return name


def create_unit(*, code: str, name: str, kind: UnitKind | str, actor: Any) -> Unit:
    """Add a unit. The code is permanent: lowercase letters, digits and underscores, unique."""
    problems = Problems()
    code = code.strip()
    if not code:
        problems.add("code", "Enter a code for the unit")
    elif not CODE_PATTERN.fullmatch(code):
        problems.add("code", "Code must use only lowercase letters, digits and underscores, "
                             "like london_north")
    elif db.session.execute(sa.select(Unit.id).where(Unit.code == code)).first():
        problems.add("code", f"A unit with the code {code} already exists")
    name = _clean_name(name, problems)
    try:
        kind = UnitKind(kind)
    except ValueError:
        problems.add("kind", "Choose whether the unit is a CPS Area or a central division")
    problems.raise_if_any()
    unit = Unit(code=code, name=name, kind=UnitKind(kind), active=True)
    db.session.add(unit)
    db.session.flush()
    _audit(unit, f"Unit {name} ({code}) added as a {KIND_LABELS[unit.kind]}",
           {"code": [None, code], "name": [None, name], "kind": [None, unit.kind.value]}, actor,
           action="collect")
    return unit


def rename_unit(unit: Unit, *, name: str, actor: Any) -> Unit:
    problems = Problems()
    name = _clean_name(name, problems)
    problems.raise_if_any()
    if name != unit.name:
        old = unit.name
        unit.name = name
        _audit(unit, f"Unit {unit.code} renamed from {old} to {name}", {"name": [old, name]}, actor)
        db.session.flush()
    return unit


def set_unit_active(unit: Unit, *, active: bool, actor: Any) -> Unit:
    """Deactivate (or reactivate) a unit. Its cases, orders and users stay as they are."""
    if unit.active == active:
        raise ValidationError(active=f"{unit.name} is already {'active' if active else 'deactivated'}")
    unit.active = active
    state = ("reactivated: it can be chosen for new cases and users again" if active
             else "deactivated: it can no longer be chosen for new cases or users")
    _audit(unit, f"Unit {unit.name} {state}", {"active": [not active, active]}, actor)
    db.session.flush()
    return unit
