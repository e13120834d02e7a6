from __future__ import annotations

import sqlalchemy as sa

from casework.auth import service as auth_service
from casework.extensions import db
from casework.units.models import Unit, UnitKind
from tests import factories
from tests.integration.admin.helpers import audit_count, last_audit


def _unit(code):
    return db.session.execute(sa.select(Unit).where(Unit.code == code)).scalar_one_or_none()


def test_add_a_unit_is_saved_and_audited_once(client, users, as_user):
    as_user(users.admin)
    before = audit_count(object_type="unit")
    response = client.form("/admin/units/new", {"code": "north_2", "name": "CPS North Two",
                                                "kind": "area"})
    assert response.status_code == 302
    unit = _unit("north_2")
    assert unit.name == "CPS North Two" and unit.kind == UnitKind.AREA and unit.active
    assert audit_count(object_type="unit") == before + 1
    assert last_audit().summary == "Unit CPS North Two (north_2) added as a CPS Area"
    assert "CPS North Two" in client.get("/admin/units").get_data(as_text=True)


def test_unit_code_rules_and_typed_values_kept(client, users, as_user):
    as_user(users.admin)
    before = audit_count()
    for code, message in [("London-North", "Code must use only lowercase letters, digits and "
                                           "underscores"),
                          ("ocd", "A unit with the code ocd already exists"),
                          ("", "Enter a code for the unit")]:
        response = client.form("/admin/units/new", {"code": code, "name": "Typed Name",
                                                    "kind": "division"})
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and message in html, code
        assert 'value="Typed Name"' in html
    response = client.form("/admin/units/new", {"code": "fine_code", "name": "Typed"})
    assert "Choose whether the unit is a CPS Area or a central division" in response.get_data(
        as_text=True)
    assert audit_count() == before and _unit("fine_code") is None


def test_rename_a_unit(client, users, as_user):
    as_user(users.admin)
    unit = _unit("sfd")
    before = audit_count(object_type="unit", object_id=unit.id)
    response = client.form(f"/admin/units/{unit.id}/rename", {"name": "Specialist Fraud Div"})
    assert response.status_code == 302
    db.session.refresh(unit)
    assert unit.name == "Specialist Fraud Div" and unit.code == "sfd"
    assert audit_count(object_type="unit", object_id=unit.id) == before + 1
    assert last_audit().summary == ("Unit sfd renamed from Specialist Fraud Division to "
                                    "Specialist Fraud Div")
    html = client.form(f"/admin/units/{unit.id}/rename", {"name": "   "}).get_data(as_text=True)
    assert "Enter the unit&#39;s name" in html or "Enter the unit's name" in html


def test_deactivated_unit_keeps_its_users_but_takes_no_new_ones(client, users, as_user):
    as_user(users.admin)
    unit = _unit("ocd")
    before = audit_count(object_type="unit", object_id=unit.id)
    assert client.form(f"/admin/units/{unit.id}/deactivate").status_code == 302
    db.session.refresh(unit)
    assert unit.active is False
    assert audit_count(object_type="unit", object_id=unit.id) == before + 1
    assert "can no longer be chosen" in last_audit().summary
    db.session.refresh(users.lawyer)
    assert [u.code for u in users.lawyer.units] == ["ocd"]  # records kept
    try:
        auth_service.create_user(email="x@cps.example.gov.uk", name="X", role="lawyer",
                                 unit_codes=["ocd"], password="long enough password")
        raise AssertionError("a deactivated unit was accepted")
    except auth_service.UserError as exc:
        assert "no longer in use" in exc.message
    # an existing member can still be edited without losing the unit
    response = client.form(f"/admin/users/{users.lawyer.id}/edit", {
        "name": "Lee Lawyer", "role": "lawyer", "units": ["ocd"], "version": str(users.lawyer.version)})
    assert response.status_code == 302
    # but it cannot be newly given to someone else
    response = client.form(f"/admin/users/{users.other_lawyer.id}/edit", {
        "name": users.other_lawyer.name, "role": "lawyer", "units": ["london_north", "ocd"],
        "version": str(users.other_lawyer.version)})
    assert "Organised Crime Division is no longer in use" in response.get_data(as_text=True)
    assert client.form(f"/admin/units/{unit.id}/reactivate").status_code == 302
    db.session.refresh(unit)
    assert unit.active and audit_count(object_type="unit", object_id=unit.id) == before + 2


def test_unknown_unit_is_404(client, users, as_user):
    as_user(users.admin)
    assert client.get("/admin/units/999999/rename").status_code == 404
    assert client.form("/admin/units/999999/deactivate").status_code == 404
    assert factories.unit("ocd").active
