"""Hearings: recorded when held or listed, changed when relisted. A trial listing moves the case
to the trial stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from casework.audit import service as audit
from casework.auth.models import User
from casework.cases.models import Case, Defendant, Hearing
from casework.cases.rules import HearingKind
from casework.cases.service_common import (
    audit_alter,
    clean_text,
    ensure_version,
    iso,
    parse_enum,
    refresh_stage,
)
from casework.core.templating import display_value
from casework.core.validation import Problems
from casework.extensions import db


def record_hearing(case: Case, *, court: str, hearing_on: dt.date | None, kind: HearingKind | str,
                   defendant: Defendant | None = None, notes: str | None = None,
                   actor: User | None) -> Hearing:
    """Record a past or listed hearing; a trial listing moves the case to the trial stage."""
    court, kind_, notes = _check(case, court=court, hearing_on=hearing_on, kind=kind,
                                 defendant=defendant, notes=notes)
    hearing = Hearing(case=case, defendant=defendant, court=court, hearing_on=hearing_on,
                      kind=kind_, notes=notes)
    db.session.add(hearing)
    db.session.flush()
    who = f" for {defendant.full_name}" if defendant else ""
    audit.record("collect", object_type="hearing", object_id=hearing.id, case_id=case.id,
                 actor=actor,
                 summary=f"{kind_.label} hearing{who} at {court} on {display_value(hearing_on)} recorded",
                 changes={"court": court, "hearing_on": iso(hearing_on), "kind": kind_.value,
                          "defendant_id": defendant.id if defendant else None, "notes": notes})
    refresh_stage(case, actor=actor)
    return hearing


HEARING_LABELS = {"court": "Court", "hearing_on": "Date", "kind": "Type", "defendant": "Defendant",
                  "notes": "Notes"}


def update_hearing(hearing: Hearing, *, court: str, hearing_on: dt.date | None,
                   kind: HearingKind | str, defendant: Defendant | None = None,
                   notes: str | None = None, actor: User | None,
                   version: int | None = None) -> Hearing:
    """Change a hearing (relisted, moved court, notes added)."""
    ensure_version(hearing, version)
    case = hearing.case
    court, kind_, notes = _check(case, court=court, hearing_on=hearing_on, kind=kind,
                                 defendant=defendant, notes=notes)
    old = _hearing_values(hearing)
    hearing.court, hearing.hearing_on, hearing.kind = court, hearing_on, kind_  # type: ignore[assignment]
    hearing.defendant, hearing.notes = defendant, notes
    db.session.flush()
    audit_alter(hearing, "hearing", case.id, HEARING_LABELS, old, _hearing_values(hearing), actor,
                f"{hearing.kind.label} hearing changed")
    refresh_stage(case, actor=actor)
    return hearing


def _hearing_values(h: Hearing) -> dict[str, Any]:
    return {"court": h.court, "hearing_on": h.hearing_on, "kind": h.kind,
            "defendant": h.defendant.full_name if h.defendant else "All defendants",
            "notes": h.notes}


def _check(case: Case, *, court: str, hearing_on: dt.date | None, kind: HearingKind | str,
           defendant: Defendant | None, notes: str | None) -> tuple[str, HearingKind, str | None]:
    problems = Problems()
    court = clean_text(problems, "court", court, label="the court", max_len=150)
    if hearing_on is None:
        problems.add("hearing_on", "Enter the date of the hearing")
    kind_: HearingKind = parse_enum(problems, "kind", HearingKind, kind, "Select the type of hearing")
    if defendant is not None and defendant.case_id != case.id:
        problems.add("defendant", "Select a defendant in this case")
    notes = (notes or "").strip() or None
    if notes and len(notes) > 2000:
        problems.add("notes", "Notes must be 2000 characters or fewer")
    problems.raise_if_any()
    return court, kind_, notes
