"""Case and defendant forms: messages beside fields, what was typed kept, audit history in plain
language, the consultation audit row, and stale edits shown as a conflict."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.cases import routes, service
from casework.cases.models import Case, Defendant
from casework.cases.rules import CaseStage, Outcome
from tests import factories


def _date(d: dt.date) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


def _events(session, **where):
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return session.execute(stmt).scalars().all()


def test_open_a_case(client, session, users, as_user, frozen_today):
    as_user(users.lawyer)
    form = client.get("/cases/new").get_data(as_text=True)
    assert "Organised Crime Division" in form and "CPS London North" not in form
    assert "Home Office Immigration Enforcement" in form
    response = client.form("/cases/new", {
        "urn": "01ye1234524", "name": "Operation Nightjar", "unit": str(factories.unit("ocd").id),
        "crime_type": str(factories.crime_type("firearms").id), "agency": "rocu",
        "received_on": ["5", "1", "2026"], "lead_lawyer": str(users.lawyer.id)})
    assert response.status_code == 302
    case = session.execute(sa.select(Case).where(Case.urn == "01YE1234524")).scalar_one()
    assert response.headers["Location"].endswith(f"/cases/{case.id}")
    assert case.lead_lawyer_id == users.lawyer.id and case.agency == "rocu"
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Regional Organised Crime Unit" in page and "Case 01YE1234524 opened" in page


def test_open_case_errors_keep_what_was_typed(client, session, users, as_user, frozen_today):
    factories.case(urn="01YE1234524")
    as_user(users.lawyer)
    response = client.form("/cases/new", {
        "urn": "01YE1234524", "name": "Operation <b>Nightjar</b>", "unit": str(factories.unit("ocd").id),
        "crime_type": str(factories.crime_type().id), "agency": "nca",
        "received_on": ["31", "2", "2026"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Open a case" in html
    assert 'href="#received_on-day"' in html and "Date received must be a real date" in html
    assert 'value="Operation &lt;b&gt;Nightjar&lt;/b&gt;"' in html
    response = client.form("/cases/new", {
        "urn": "01YE1234524", "name": "Operation Nightjar", "unit": str(factories.unit("ocd").id),
        "crime_type": str(factories.crime_type().id), "agency": "nca"})
    html = response.get_data(as_text=True)
    assert 'href="#urn"' in html and "A case with this URN already exists" in html
    assert session.execute(sa.select(sa.func.count(Case.id))).scalar_one() == 1


def test_add_defendant_and_charge(client, session, users, as_user, frozen_today):
    case = factories.case(actor=users.lawyer)
    as_user(users.lawyer)
    response = client.form(f"/cases/{case.id}/defendants/new", {
        "surname": "Brennan", "forenames": "Kieran", "pnc_id": "88/45678", "aliases": "Kev\nK B"})
    html = response.get_data(as_text=True)
    assert "PNC ID must be a 2 or 4 digit year" in html and 'href="#pnc_id"' in html
    assert 'value="Brennan"' in html and "Kev\nK B" in html
    response = client.form(f"/cases/{case.id}/defendants/new", {
        "surname": "Brennan", "forenames": "Kieran", "pnc_id": "88/45678Q",
        "date_of_birth": ["2", "4", "1988"], "aliases": "Kev\nK B"})
    assert response.status_code == 302
    defendant = session.execute(sa.select(Defendant).where(Defendant.case_id == case.id)).scalar_one()
    assert [a.name for a in defendant.aliases] == ["Kev", "K B"]
    response = client.form(f"/defendants/{defendant.id}/charges/new", {
        "offence": "Conspiracy to supply cocaine", "statute": "Criminal Law Act 1977",
        "section": "s.1", "charged_on": _date(frozen_today + dt.timedelta(days=1)),
        "category": "drugs_offences"})
    assert "The date charged must be today or in the past" in response.get_data(as_text=True)
    response = client.form(f"/defendants/{defendant.id}/charges/new", {
        "offence": "Conspiracy to supply cocaine", "statute": "Criminal Law Act 1977",
        "section": "s.1", "charged_on": ["1", "2", "2026"], "category": "drugs_offences"})
    assert response.status_code == 302
    session.refresh(case)
    assert case.stage == CaseStage.CHARGED
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Conspiracy to supply cocaine" in page and "Drugs offences" in page


def test_record_hearing(client, session, users, as_user, frozen_today):
    defendant = factories.defendant(charged_on=dt.date(2025, 5, 1))
    as_user(users.lawyer)
    url = f"/cases/{defendant.case_id}/hearings/new"
    response = client.form(url, {"court": "", "kind": "", "defendant": str(defendant.id)})
    html = response.get_data(as_text=True)
    assert "Enter the court" in html and "Select the type of hearing" in html
    assert "Enter the date of the hearing" in html
    response = client.form(url, {"court": "Southwark Crown Court", "kind": "trial",
                                 "hearing_on": ["1", "6", "2026"], "defendant": str(defendant.id)})
    assert response.status_code == 302
    page = client.get(f"/cases/{defendant.case_id}").get_data(as_text=True)
    assert "Listed: Trial hearing" in page and "Upcoming" in page
    assert defendant.case.stage == CaseStage.TRIAL


def test_record_outcome_messages_and_history(client, session, users, as_user, frozen_today):
    defendant = factories.defendant(charged_on=dt.date(2026, 2, 1))
    as_user(users.lawyer)
    url = f"/defendants/{defendant.id}/outcome"
    form = client.get(url).get_data(as_text=True)
    for outcome in Outcome:
        assert outcome.label in form and outcome.hint in form
    response = client.form(url, {"outcome": "guilty_plea", "finalised_on": ["31", "1", "2026"],
                                 "version": str(defendant.version)})
    html = response.get_data(as_text=True)
    assert "The date the case was finalised must be on or after the date charged" in html
    assert 'value="guilty_plea" checked' in html and 'value="31"' in html
    response = client.form(url, {"outcome": "guilty_plea", "finalised_on": ["11", "3", "2026"],
                                 "version": str(defendant.version)})
    assert "must be today or in the past" in response.get_data(as_text=True)
    response = client.form(url, {"outcome": "", "finalised_on": ["3", "3", "2026"],
                                 "version": str(defendant.version)})
    assert "Select the outcome" in response.get_data(as_text=True)
    response = client.form(url, {"outcome": "guilty_plea", "finalised_on": ["3", "3", "2026"],
                                 "version": str(defendant.version)})
    assert response.status_code == 302
    page = client.get(f"/cases/{defendant.case_id}").get_data(as_text=True)
    assert (f"Outcome for {defendant.full_name} recorded as Guilty plea on 3 March 2026 by "
            "Lee Lawyer") in page


def test_record_sentence(client, session, users, as_user, frozen_today):
    defendant = factories.convicted_defendant(sentenced_on=False, finalised_on=dt.date(2026, 1, 5))
    as_user(users.lawyer)
    url = f"/defendants/{defendant.id}/sentence"
    response = client.form(url, {"sentenced_on": ["5", "2", "2026"], "custody_months": "eight",
                                 "version": str(defendant.version)})
    assert "Custody length must be a whole number of months" in response.get_data(as_text=True)
    response = client.form(url, {"sentenced_on": ["5", "2", "2026"], "custody_months": "96",
                                 "release_on": ["5", "2", "2030"], "release_is_actual": "expected",
                                 "version": str(defendant.version)})
    assert response.status_code == 302
    session.refresh(defendant)
    assert defendant.custody_months == 96 and defendant.release_on == dt.date(2030, 2, 5)
    assert not defendant.release_is_actual
    page = client.get(f"/defendants/{defendant.id}").get_data(as_text=True)
    assert "96 months' custody" in page and "5 February 2030 (expected)" in page


def test_stale_outcome_edit_shows_what_changed(client, session, users, as_user, frozen_today):
    defendant = factories.defendant(charged_on=dt.date(2026, 1, 5))
    as_user(users.lawyer)
    url = f"/defendants/{defendant.id}/outcome"
    form = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    seen = re.search(r'name="seen_event" type="hidden" value="(\d+)"', form).group(1)
    colleague = factories.user("lawyer", ("ocd",), name="Cara Colleague")
    service.record_outcome(defendant, outcome="discontinued", finalised_on=dt.date(2026, 2, 1),
                           actor=colleague)
    session.commit()
    response = client.form(url, {"outcome": "guilty_plea", "finalised_on": ["3", "3", "2026"],
                                 "version": version, "seen_event": seen})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this record" in html
    assert "recorded as Prosecution dropped on 1 February 2026" in html and "Cara Colleague" in html
    assert 'value="guilty_plea" checked' in html  # what the user chose is kept
    session.expire_all()
    assert session.get(Defendant, defendant.id).outcome == Outcome.DISCONTINUED
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    assert new_version != version
    response = client.form(url, {"outcome": "guilty_plea", "finalised_on": ["3", "3", "2026"],
                                 "version": new_version})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Defendant, defendant.id).outcome == Outcome.GUILTY_PLEA


def test_stale_case_edit_is_a_conflict(client, session, users, as_user, frozen_today):
    case = factories.case(actor=users.lawyer)
    as_user(users.lawyer)
    stale = case.version
    service.update_case(case, name="Operation Renamed", crime_type=case.crime_type, agency="sfo",
                        received_on=case.received_on, lead_lawyer=None, actor=users.other_lawyer)
    session.commit()
    response = client.form(f"/cases/{case.id}/edit", {
        "name": "Operation Mine", "crime_type": str(case.crime_type_id), "agency": "nca",
        "version": str(stale), "seen_event": "0"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Operation name changed from" in html and 'value="Operation Mine"' in html


def test_viewing_a_defendant_writes_one_consult_row(client, session, users, as_user, frozen_today):
    defendant = factories.defendant()
    other = factories.defendant(defendant.case)
    as_user(users.offender_manager)
    before = len(_events(session, action="consult"))
    assert client.get(f"/cases/{defendant.case_id}").status_code == 200
    # The case page shows the defendants' names, history and timeline: one consult row for the
    # case, none for each defendant on it.
    assert len(_events(session, action="consult")) == before + 1
    assert len(_events(session, action="consult", object_type="case", object_id=defendant.case_id)) == 1
    assert _events(session, action="consult", object_type="defendant") == []
    assert client.get(f"/defendants/{defendant.id}").status_code == 200
    rows = _events(session, action="consult", object_type="defendant", object_id=defendant.id)
    assert len(rows) == 1
    assert rows[0].actor_id == users.offender_manager.id and rows[0].case_id == defendant.case_id
    assert _events(session, action="consult", object_type="defendant", object_id=other.id) == []
    client.get(f"/defendants/{defendant.id}")
    assert len(_events(session, action="consult", object_type="defendant", object_id=defendant.id)) == 2
    as_user(users.other_lawyer)
    assert client.get(f"/defendants/{defendant.id}").status_code == 404
    assert len(_events(session, action="consult", object_type="defendant", object_id=defendant.id)) == 2


def test_other_domains_can_add_defendant_panels(client, users, as_user, frozen_today, app, tmp_path):
    defendant = factories.defendant()
    calls = []

    def context(record, user):
        calls.append((record.id, user.id))
        return {"title": "Ancillary orders"}

    panel = ("cases/_hearings.html", context)  # any template proves the include works
    routes.DEFENDANT_PANELS.append(panel)
    try:
        as_user(users.lawyer)
        response = client.get(f"/defendants/{defendant.id}")
    finally:
        routes.DEFENDANT_PANELS.remove(panel)
    assert response.status_code == 200
    assert calls == [(defendant.id, users.lawyer.id)]
    assert 'aria-label="Ancillary orders"' in response.get_data(as_text=True)


def test_edit_defendant_and_defendant_history(client, session, users, as_user, frozen_today):
    defendant = factories.defendant(surname="Brennan", charged_on=dt.date(2026, 1, 5),
                                    actor=users.lawyer)
    as_user(users.lawyer)
    url = f"/defendants/{defendant.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'value="Brennan"' in form
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    response = client.form(url, {"surname": "Brennan", "forenames": "Kieran", "pnc_id": "",
                                 "aliases": "Kev", "version": version})
    assert response.status_code == 302
    page = client.get(f"/defendants/{defendant.id}").get_data(as_text=True)
    assert "Forenames changed from Sam to Kieran" in page and "by Lee Lawyer" in page
    assert "Kieran BRENNAN charged" in page  # timeline
    assert "viewed the record" not in page  # consultations stay in the audit log
    response = client.form(url, {"surname": "Other", "forenames": "Name", "version": version})
    assert response.status_code == 409


def test_change_a_hearing(client, session, users, as_user, frozen_today):
    case = factories.case(actor=users.lawyer)
    hearing = service.record_hearing(case, court="Leeds Crown Court", hearing_on=dt.date(2026, 5, 1),
                                     kind="mention", actor=users.lawyer)
    session.commit()
    as_user(users.lawyer)
    assert f"/hearings/{hearing.id}/edit" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    url = f"/hearings/{hearing.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'value="Leeds Crown Court"' in form
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    response = client.form(url, {"court": "", "kind": "mention", "hearing_on": ["1", "5", "2026"],
                                 "version": version})
    assert "Enter the court" in response.get_data(as_text=True)
    response = client.form(url, {"court": "Leeds Crown Court", "kind": "mention",
                                 "hearing_on": ["12", "5", "2026"], "version": version})
    assert response.status_code == 302
    assert "Date changed from 1 May 2026 to 12 May 2026" in client.get(
        f"/cases/{case.id}").get_data(as_text=True)
    response = client.form(url, {"court": "Elsewhere", "kind": "mention",
                                 "hearing_on": ["12", "5", "2026"], "version": version})
    assert response.status_code == 409
    as_user(users.other_lawyer)
    assert client.get(url).status_code == 404
    as_user(users.offender_manager)
    assert client.get(url).status_code == 403


def test_a_race_lost_at_save_time_is_shown_as_a_conflict(client, session, users, as_user,
                                                         frozen_today, monkeypatch):
    """Two saves pass the version check together; the second UPDATE matches no row at flush
    (StaleDataError) and the user sees the conflict page, not an error."""
    from casework.cases import service_common
    from casework.extensions import db

    defendant = factories.defendant(charged_on=dt.date(2026, 1, 5))
    session.commit()
    as_user(users.lawyer)
    checked = service_common.ensure_version

    def racing(record, version):
        checked(record, version)
        db.session.execute(sa.text("UPDATE defendants SET version = version + 1 WHERE id = :id"),
                           {"id": record.id})

    monkeypatch.setattr("casework.cases.service.ensure_version", racing)
    response = client.form(f"/defendants/{defendant.id}/outcome", {
        "outcome": "guilty_plea", "finalised_on": ["3", "3", "2026"],
        "version": str(defendant.version), "seen_event": "0"})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Defendant, defendant.id).outcome is None
