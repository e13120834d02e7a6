"""Helpers shared by the case services: version checks, field checks, alteration audit rows
and the case stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from casework.audit import service as audit
from casework.auth.models import User
from casework.cases import rules
from casework.cases.models import Case, Charge, Defendant, Hearing
from casework.cases.rules import CaseStage, HearingKind
from casework.core import clock
from casework.core.validation import Problems
from casework.extensions import db


def ensure_version(record: Any, version: int | None) -> None:
    """Refuse an edit made from a stale copy (the 409 path); None means "not checked"."""
    if version is not None and int(version) != record.version:
        raise StaleDataError(
            f"{type(record).__name__} {record.id} is at version {record.version}, not {version}")


def clean_text(problems: Problems, field: str, value: str | None, *, label: str, max_len: int,
          required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        problems.add(field, f"Enter {label}")
    elif len(text) > max_len:
        problems.add(field, f"{label[0].upper()}{label[1:]} must be {max_len} characters or fewer")
    return text


def check_not_future(problems: Problems, field: str, value: dt.date | None, what: str) -> None:
    if value is not None and value > clock.today():
        problems.add(field, f"{what} must be today or in the past")


def parse_enum(problems: Problems, field: str, cls: Any, value: Any, message: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        problems.add(field, message)
        return None


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def values_of(record: Any, labels: dict[str, str]) -> dict[str, Any]:
    return {field: getattr(record, field) for field in labels}


def audit_alter(record: Any, object_type: str, case_id: int, labels: dict[str, str],
                 old: dict[str, Any], new: dict[str, Any], actor: User | None, summary: str,
                 *, detail: bool = True) -> None:
    changes, sentences = audit.describe_changes(labels, old, new)
    if not changes:
        return
    if detail and sentences:
        summary = f"{summary}: {'; '.join(sentences)}"
    audit.record("alter", object_type=object_type, object_id=record.id, case_id=case_id,
                 actor=actor, summary=summary, changes=changes)


# --- stage ---------------------------------------------------------------------------------

def refresh_stage(case: Case, *, actor: User | None = None) -> CaseStage:
    """Recompute ``Case.stage`` from its defendants and hearings (rules.derive_stage) in SQL."""
    charged = sa.exists().where(Charge.defendant_id == Defendant.id)
    rows = db.session.execute(
        sa.select(charged, Defendant.outcome, Defendant.sentenced_on)
        .where(Defendant.case_id == case.id)).all()
    trial = db.session.execute(
        sa.select(sa.exists().where(Hearing.case_id == case.id, Hearing.kind == HearingKind.TRIAL))
    ).scalar_one()
    stage = rules.derive_stage(
        (rules.DefendantState(bool(c), o, s is not None) for c, o, s in rows), trial_listed=trial)
    if stage != case.stage:
        old = case.stage
        case.stage = stage
        db.session.flush()
        audit.record("alter", object_type="case", object_id=case.id, case_id=case.id, actor=actor,
                     summary=f"Case stage changed from {old.label} to {stage.label}",
                     changes={"stage": [old.value, stage.value]})
    return stage
