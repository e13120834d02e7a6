"""Case services: validation, audit rows with old -> new values, stage and signals."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from casework.audit.models import AuditEvent
from casework.cases import queries, service
from casework.cases.models import Case
from casework.cases.rules import CaseStage, Outcome
from casework.core import clock, signals
from casework.core.validation import ValidationError
from tests import factories

TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(TODAY):
        yield


def _history(session, case_id):
    return session.execute(sa.select(AuditEvent).where(AuditEvent.case_id == case_id)
                           .order_by(AuditEvent.id)).scalars().all()


def test_open_case_audits_and_starts_pre_charge(session, users):
    case = service.open_case(urn="01 ye 12345 24", name="Operation Nightjar",
                             unit=factories.unit("ocd"), crime_type=factories.crime_type("firearms"),
                             agency="nca", received_on=dt.date(2026, 1, 5),
                             lead_lawyer=users.lawyer, actor=users.lawyer)
    assert case.urn == "01YE1234524" and case.stage == CaseStage.PRE_CHARGE and case.version == 1
    [event] = _history(session, case.id)
    assert event.action == "collect" and event.actor_id == users.lawyer.id
    assert event.summary == ("Case 01YE1234524 (Operation Operation Nightjar) opened in "
                             "Organised Crime Division") or "01YE1234524" in event.summary


def test_open_case_validation(session, users):
    factories.case(urn="01YE0000126")
    with pytest.raises(ValidationError) as err:
        service.open_case(urn="01ye0000126", name=" ", unit=factories.unit("london_north"),
                          crime_type=factories.crime_type(), agency="mi5",
                          received_on=TODAY + dt.timedelta(days=1), lead_lawyer=users.other_lawyer,
                          actor=users.lawyer)
    errors = err.value.errors
    assert errors["urn"] == ["A case with this URN already exists"]
    assert errors["name"] == ["Enter the operation name"]
    assert errors["unit"] == ["You can only open cases in your own units"]
    assert errors["agency"] == ["Select the investigating agency"]
    assert errors["received_on"] == ["The date received must be today or in the past"]
    assert session.execute(sa.select(sa.func.count(Case.id))).scalar_one() == 1


def test_lead_lawyer_must_be_a_lawyer_in_the_unit(session, users):
    with pytest.raises(ValidationError) as err:
        factories.case(lead_lawyer=users.offender_manager)
    assert "lead_lawyer" in err.value.errors
    assert factories.case(lead_lawyer=users.lawyer).lead_lawyer is users.lawyer


def test_add_defendant_with_aliases_and_pnc(session, users):
    case = factories.case()
    defendant = service.add_defendant(case, surname="Brennan", forenames="Kieran Patrick",
                                      date_of_birth=dt.date(1988, 4, 2), pnc_id="88/0045678q",
                                      aliases=["Kev", " ", "Kev", "K. B."], actor=users.lawyer)
    assert defendant.full_name == "Kieran Patrick BRENNAN"
    assert defendant.pnc_id == "88/45678Q"
    assert [a.name for a in defendant.aliases] == ["Kev", "K. B."]
    event = _history(session, case.id)[-1]
    assert event.summary.startswith("Defendant Kieran Patrick BRENNAN added")
    assert event.changes["aliases"] == ["Kev", "Kev", "K. B."] or event.changes["aliases"]


def test_add_defendant_validation(session, users):
    case = factories.case()
    with pytest.raises(ValidationError) as err:
        service.add_defendant(case, surname="", forenames="x" * 151, pnc_id="12345",
                              date_of_birth=TODAY + dt.timedelta(days=1), actor=users.lawyer)
    assert set(err.value.errors) == {"surname", "forenames", "pnc_id", "date_of_birth"}


def test_charge_moves_case_to_charged_and_emits_signal(session, users):
    defendant = factories.defendant(actor=users.lawyer)
    received = []

    def listener(sender, **kw):
        received.append((sender, kw["charge"], kw["actor"]))

    signals.defendant_charged.connect(listener)
    try:
        charge = service.add_charge(defendant, offence="Money laundering", statute="POCA 2002",
                                    section="s.327", charged_on=dt.date(2025, 6, 1),
                                    category="fraud_and_forgery", actor=users.lawyer)
    finally:
        signals.defendant_charged.disconnect(listener)
    assert received == [(defendant, charge, users.lawyer)]
    assert defendant.case.stage == CaseStage.CHARGED
    summaries = [e.summary for e in _history(session, defendant.case_id)]
    assert "Case stage changed from Pre-charge to Charged" in summaries


def test_charge_validation(session, users):
    defendant = factories.defendant()
    with pytest.raises(ValidationError) as err:
        service.add_charge(defendant, offence="", statute="", section="", charged_on=None,
                           category="arson", actor=users.lawyer)
    assert set(err.value.errors) == {"offence", "statute", "section", "charged_on", "category"}


def test_trial_hearing_moves_case_to_trial(session, users):
    defendant = factories.defendant(charged_on=dt.date(2025, 2, 1))
    hearing = service.record_hearing(defendant.case, court="Southwark Crown Court",
                                     hearing_on=dt.date(2026, 6, 1), kind="trial",
                                     defendant=defendant, actor=users.lawyer)
    assert hearing.kind.label == "Trial"
    assert defendant.case.stage == CaseStage.TRIAL
    other = factories.defendant()
    with pytest.raises(ValidationError) as err:
        service.record_hearing(defendant.case, court="", hearing_on=None, kind="party",
                               defendant=other, actor=users.lawyer)
    assert set(err.value.errors) == {"court", "hearing_on", "kind", "defendant"}


def test_record_outcome_rules_and_audit(session, users):
    defendant = factories.defendant(charged_on=dt.date(2025, 5, 1), category="drugs_offences")
    with pytest.raises(ValidationError) as err:
        service.record_outcome(defendant, outcome="guilty_plea", finalised_on=dt.date(2025, 4, 30),
                               actor=users.lawyer)
    assert err.value.errors == {"finalised_on": [
        "The date the case was finalised must be on or after the date charged"]}
    with pytest.raises(ValidationError):
        service.record_outcome(defendant, outcome="guilty_plea", finalised_on=TODAY + dt.timedelta(1),
                               actor=users.lawyer)
    service.record_outcome(defendant, outcome="guilty_plea", finalised_on=dt.date(2026, 3, 3),
                           actor=users.lawyer)
    assert defendant.outcome == Outcome.GUILTY_PLEA
    assert defendant.principal_offence == "drugs_offences"
    assert defendant.case.stage == CaseStage.AWAITING_SENTENCE
    event = [e for e in _history(session, defendant.case_id) if e.object_type == "defendant"][-1]
    assert event.summary == (f"Outcome for {defendant.full_name} recorded as Guilty plea on "
                             "3 March 2026")
    assert event.changes["outcome"] == [None, "guilty_plea"]
    service.record_outcome(defendant, outcome="convicted_after_trial",
                           finalised_on=dt.date(2026, 3, 3), actor=users.lawyer)
    event = [e for e in _history(session, defendant.case_id) if e.object_type == "defendant"][-1]
    assert "Outcome changed from Guilty plea to Convicted after trial" in event.summary


def test_outcome_without_a_charge_is_recorded_with_no_principal_offence(session, users):
    """API.md lets another system record an outcome for a defendant whose charges live elsewhere."""
    defendant = factories.defendant()
    service.record_outcome(defendant, outcome="discontinued", finalised_on=TODAY,
                           actor=users.lawyer)
    assert defendant.outcome == "discontinued" and defendant.principal_offence is None
    with pytest.raises(ValidationError) as err:
        service.record_outcome(defendant, outcome="discontinued",
                               finalised_on=TODAY + dt.timedelta(days=1), actor=users.lawyer)
    assert list(err.value.errors) == ["finalised_on"]


def test_admin_finalisation_has_no_principal_offence(session, users):
    defendant = factories.defendant(charged_on=dt.date(2025, 5, 1))
    service.record_outcome(defendant, outcome="administratively_finalised",
                           finalised_on=dt.date(2025, 8, 1), principal_offence="homicide",
                           actor=users.lawyer)
    assert defendant.principal_offence is None
    assert defendant.case.stage == CaseStage.FINALISED


def test_sentence_emits_release_signal_only_when_release_changes(session, users):
    defendant = factories.convicted_defendant(sentenced_on=False, finalised_on=dt.date(2025, 9, 1))
    received = []

    def listener(sender, **kw):
        received.append((kw["old"], kw["new"]))

    signals.release_date_changed.connect(listener)
    try:
        service.record_sentence(defendant, sentenced_on=dt.date(2025, 10, 1), custody_months=72,
                                release_on=dt.date(2028, 10, 1), actor=users.lawyer)
        service.record_sentence(defendant, sentenced_on=dt.date(2025, 10, 1), custody_months=80,
                                release_on=dt.date(2028, 10, 1), actor=users.lawyer)
        service.record_sentence(defendant, sentenced_on=dt.date(2025, 10, 1), custody_months=80,
                                release_on=dt.date(2028, 12, 1), actor=users.lawyer)
    finally:
        signals.release_date_changed.disconnect(listener)
    assert received == [(None, dt.date(2028, 10, 1)), (dt.date(2028, 10, 1), dt.date(2028, 12, 1))]
    assert defendant.case.stage == CaseStage.SENTENCED
    last = _history(session, defendant.case_id)[-1]
    assert last.summary.endswith("Release date changed from 1 October 2028 to 1 December 2028")


def test_sentence_needs_a_conviction(session, users):
    defendant = factories.defendant(charged_on=dt.date(2025, 5, 1))
    service.record_outcome(defendant, outcome="acquitted_after_trial",
                           finalised_on=dt.date(2025, 8, 1), actor=users.lawyer)
    with pytest.raises(ValidationError) as err:
        service.record_sentence(defendant, sentenced_on=dt.date(2025, 8, 2), actor=users.lawyer)
    assert err.value.errors == {"sentenced_on": [
        "Record a conviction outcome before recording a sentence"]}


def test_stale_version_is_refused(session, users):
    defendant = factories.defendant(charged_on=dt.date(2025, 5, 1))
    seen = defendant.version
    service.record_outcome(defendant, outcome="guilty_plea", finalised_on=dt.date(2025, 8, 1),
                           actor=users.lawyer, version=seen)
    with pytest.raises(StaleDataError):
        service.record_outcome(defendant, outcome="discontinued", finalised_on=dt.date(2025, 8, 1),
                               actor=users.lawyer, version=seen)
    assert defendant.outcome == Outcome.GUILTY_PLEA


def test_update_case_audits_changes(session, users):
    case = factories.case()
    service.update_case(case, name="Operation Kestrel", crime_type=factories.crime_type("fraud"),
                        agency="hmrc", received_on=case.received_on, lead_lawyer=users.lawyer,
                        actor=users.lawyer, version=case.version)
    event = _history(session, case.id)[-1]
    assert "Operation name changed from" in event.summary
    assert "Investigating agency changed from National Crime Agency to HM Revenue and Customs" \
        in event.summary


def test_queries_scope_by_unit(session, users):
    mine = factories.case("ocd")
    theirs = factories.case("london_north")
    defendant = factories.defendant(theirs)
    assert queries.get_case_for(users.lawyer, mine.id) is mine
    assert queries.get_case_for(users.lawyer, theirs.id) is None
    assert queries.get_defendant_for(users.lawyer, defendant.id) is None
    assert queries.get_defendant_for(users.other_lawyer, defendant.id) is defendant
    assert queries.get_case_for(users.admin, theirs.id) is theirs
    assert queries.unit_scope(users.admin) is None
    assert queries.unit_scope(users.lawyer) == [factories.unit("ocd").id]


def test_update_defendant_replaces_aliases_and_audits(session, users):
    defendant = factories.defendant(surname="Brennan", aliases=("Kev",))
    service.update_defendant(defendant, surname="Brennan", forenames="Kieran",
                             date_of_birth=dt.date(1988, 4, 2), pnc_id="88/45678q",
                             aliases=["K B", "K B", ""], actor=users.lawyer, version=defendant.version)
    assert [a.name for a in defendant.aliases] == ["K B"] and defendant.pnc_id == "88/45678Q"
    event = _history(session, defendant.case_id)[-1]
    assert event.action == "alter"
    assert "Other names changed from Kev to K B" in event.summary
    assert "Forenames changed from Sam to Kieran" in event.summary
    with pytest.raises(ValidationError) as err:
        service.update_defendant(defendant, surname="", forenames="Kieran", pnc_id="bad",
                                 actor=users.lawyer)
    assert set(err.value.errors) == {"surname", "pnc_id"}
    with pytest.raises(StaleDataError):
        service.update_defendant(defendant, surname="X", forenames="Y", actor=users.lawyer,
                                 version=1)


def test_update_hearing_relists_and_audits(session, users):
    defendant = factories.defendant(charged_on=dt.date(2025, 2, 1))
    hearing = service.record_hearing(defendant.case, court="Leeds Crown Court",
                                     hearing_on=dt.date(2026, 5, 1), kind="mention", actor=users.lawyer)
    assert defendant.case.stage == CaseStage.CHARGED
    service.update_hearing(hearing, court="Leeds Crown Court", hearing_on=dt.date(2026, 6, 8),
                           kind="trial", defendant=defendant, actor=users.lawyer,
                           version=hearing.version)
    assert defendant.case.stage == CaseStage.TRIAL
    event = [e for e in _history(session, defendant.case_id) if e.object_type == "hearing"][-1]
    assert event.action == "alter"
    assert "Date changed from 1 May 2026 to 8 June 2026" in event.summary
    assert "Type changed from Mention to Trial" in event.summary
    with pytest.raises(ValidationError) as err:
        service.update_hearing(hearing, court="", hearing_on=None, kind="trial", actor=users.lawyer)
    assert set(err.value.errors) == {"court", "hearing_on"}
    with pytest.raises(StaleDataError):
        service.update_hearing(hearing, court="X", hearing_on=dt.date(2026, 6, 8), kind="trial",
                               actor=users.lawyer, version=1)
