from __future__ import annotations

import re

import sqlalchemy as sa

from casework.auth.models import Role, User, UserSession
from casework.auth.passwords import verify_password
from casework.extensions import db
from tests import factories
from tests.integration.admin.helpers import audit_count, last_audit


def _by_email(email):
    return db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()


def _new_user(client, **overrides):
    data = {"email": "new.person@cps.example.gov.uk", "name": "New Person", "role": "lawyer",
            "units": ["ocd", "sfd"], "password": "a long enough passphrase"}
    data.update(overrides)
    return client.form("/admin/users/new", data)


def test_create_user_saves_and_audits_once(client, users, as_user):
    as_user(users.admin)
    before = audit_count(object_type="user")
    response = _new_user(client)
    assert response.status_code == 302
    user = _by_email("new.person@cps.example.gov.uk")
    assert user is not None and user.role == Role.LAWYER
    assert sorted(u.code for u in user.units) == ["ocd", "sfd"]
    assert verify_password(user.password_hash, "a long enough passphrase")
    assert user.password_hash.startswith("$argon2id$")
    assert audit_count(object_type="user") == before + 1
    event = last_audit()
    assert event.actor_id == users.admin.id and event.object_id == user.id
    assert "New Person" in event.summary and "Lawyer" in event.summary


def _errors_and_kept(response):
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<title>Error:") == 1
    return html


def test_duplicate_email_is_refused_and_typed_values_kept(client, users, as_user):
    as_user(users.admin)
    before = audit_count()
    html = _errors_and_kept(_new_user(client, email=users.lawyer.email.upper(), name="Kept Name"))
    assert f"A user with the email address {users.lawyer.email} already exists" in html
    assert 'value="Kept Name"' in html
    assert f'value="{users.lawyer.email.upper()}"' in html
    assert re.search(r'value="sfd"\s+checked', html)
    assert audit_count() == before


def test_missing_unit_is_refused_for_non_admins(client, users, as_user):
    as_user(users.admin)
    html = _errors_and_kept(_new_user(client, units=[], role="analyst"))
    assert "Choose at least one unit for this user" in html
    assert 'href="#units"' in html  # the error summary links to the field
    assert 'value="new.person@cps.example.gov.uk"' in html
    assert re.search(r'value="analyst"\s+checked', html)
    assert _by_email("new.person@cps.example.gov.uk") is None
    # an administrator needs no unit
    assert _new_user(client, units=[], role="admin").status_code == 302


def test_short_password_is_refused(client, users, as_user):
    as_user(users.admin)
    html = _errors_and_kept(_new_user(client, password="short", role=""))
    assert "Password must be at least 12 characters" in html
    assert "Choose a role" in html  # shown in the same round as the other problems
    assert 'value="New Person"' in html
    assert "short" not in re.findall(r'name="password"[^>]*', html)[0]  # never echoed
    assert _by_email("new.person@cps.example.gov.uk") is None


def test_deactivated_unit_cannot_be_chosen_for_a_new_user(client, users, as_user):
    as_user(users.admin)
    factories.unit("intl").active = False
    db.session.commit()
    assert 'value="intl"' not in client.get("/admin/users/new").get_data(as_text=True)
    html = _errors_and_kept(_new_user(client, units=["intl"]))
    assert "International Division is no longer in use" in html


def test_edit_user_changes_and_audits_old_to_new(client, users, as_user):
    as_user(users.admin)
    lawyer = users.lawyer
    before = audit_count(object_type="user", object_id=lawyer.id)
    response = client.form(f"/admin/users/{lawyer.id}/edit", {
        "name": "Lee Q Lawyer", "role": "offender_manager", "units": ["ocd", "london_north"],
        "version": str(lawyer.version)})
    assert response.status_code == 302
    db.session.refresh(lawyer)
    assert lawyer.name == "Lee Q Lawyer" and lawyer.role == Role.OFFENDER_MANAGER
    assert audit_count(object_type="user", object_id=lawyer.id) == before + 1
    event = last_audit()
    assert "Name changed from Lee Lawyer to Lee Q Lawyer" in event.summary
    assert "Role changed from Lawyer to Offender manager" in event.summary
    assert ("Units changed from Organised Crime Division to CPS London North, Organised Crime "
            "Division") in event.summary
    assert event.changes["role"] == ["Lawyer", "Offender manager"]


def test_saving_unchanged_values_writes_no_audit_row(client, users, as_user):
    as_user(users.admin)
    before = audit_count()
    client.form(f"/admin/users/{users.analyst.id}/edit", {
        "name": users.analyst.name, "role": "analyst", "units": ["ocd"],
        "version": str(users.analyst.version)})
    assert audit_count() == before


def test_stale_edit_is_reshown_with_a_clear_message(client, users, as_user):
    as_user(users.admin)
    lawyer = users.lawyer
    opened = lawyer.version
    lawyer.name = "Changed Elsewhere"  # another administrator saves first
    db.session.commit()
    response = client.form(f"/admin/users/{lawyer.id}/edit", {
        "name": "My Edit", "role": "lawyer", "units": ["ocd"], "version": str(opened)})
    html = _errors_and_kept(response)
    assert "Someone else changed this user after you opened the page" in html
    assert 'value="My Edit"' in html  # what was typed is kept
    assert "Changed Elsewhere" in html  # and what is saved now is shown
    db.session.refresh(lawyer)
    assert lawyer.name == "Changed Elsewhere"
    # saving again from the re-shown form (it carries the new version) goes through
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    response = client.form(f"/admin/users/{lawyer.id}/edit", {
        "name": "My Edit", "role": "lawyer", "units": ["ocd"], "version": version})
    assert response.status_code == 302
    db.session.refresh(lawyer)
    assert lawyer.name == "My Edit"


def test_admin_cannot_change_own_role_or_disable_themselves(client, users, as_user):
    as_user(users.admin)
    admin = users.admin
    html = _errors_and_kept(client.form(f"/admin/users/{admin.id}/edit", {
        "name": admin.name, "role": "analyst", "units": ["ocd"], "version": str(admin.version)}))
    assert "You cannot change your own role" in html
    before = audit_count()
    response = client.form(f"/admin/users/{admin.id}/disable")
    assert response.status_code == 302
    assert "You cannot disable your own account" in client.get(response.headers["Location"]).get_data(
        as_text=True)
    db.session.refresh(admin)
    assert admin.active and audit_count() == before


def test_user_list_filters_search_and_keyset_pages(app, client, users, as_user):
    as_user(users.admin)
    for n in range(7):
        factories.user("analyst", ("sfd",), name=f"Zed Pager {n}")
    factories.user("analyst", ("sfd",), name="Zed Pager disabled", active=False)
    db.session.commit()
    app.config["PAGE_SIZE"] = 3
    try:
        seen, url = [], "/admin/users?q=zed+pager&status=active&role=analyst&unit=sfd"
        while url:
            html = client.get(url).get_data(as_text=True)
            seen += re.findall(r">(Zed Pager \d)</a>", html)
            more = re.search(r'href="([^"]+)" rel="next"', html)
            url = more.group(1).replace("&amp;", "&") if more else None
        assert seen == [f"Zed Pager {n}" for n in range(7)]
    finally:
        app.config["PAGE_SIZE"] = 50
    html = client.get("/admin/users?status=disabled&q=zed").get_data(as_text=True)
    assert "Zed Pager disabled" in html and "Zed Pager 1" not in html
    html = client.get("/admin/users?unit=london_north").get_data(as_text=True)
    assert users.other_lawyer.name in html and users.lawyer.name not in html
    html = client.get(f"/admin/users?q={users.analyst.email}").get_data(as_text=True)
    assert users.analyst.name in html and users.lawyer.name not in html
    assert client.get("/admin/users?after=garbage").status_code == 400


def test_change_own_password_ends_other_sessions(client, users, as_user, app):
    lawyer = users.lawyer
    other = app.test_client()
    from tests.conftest import sign_in_as

    sign_in_as(other, lawyer)
    as_user(lawyer)
    before = audit_count(object_type="user", object_id=lawyer.id)
    bad = client.form("/account/password", {"current_password": "wrong one entirely",
                                            "new_password": "x", "confirm_password": "y"})
    html = _errors_and_kept(bad)
    assert "Your current password is not correct" in html
    assert "Password must be at least 12 characters" in html
    response = client.form("/account/password", {
        "current_password": factories.PASSWORD, "new_password": "a brand new passphrase",
        "confirm_password": "a brand new passphrase"})
    assert response.status_code == 302
    db.session.refresh(lawyer)
    assert verify_password(lawyer.password_hash, "a brand new passphrase")
    assert lawyer.password_hash.startswith("$argon2id$")
    assert client.get("/home").status_code == 200  # this session continues
    assert other.get("/home").status_code == 302  # the other one has ended
    open_sessions = db.session.execute(sa.select(sa.func.count()).select_from(UserSession).where(
        UserSession.user_id == lawyer.id, UserSession.ended_at.is_(None))).scalar_one()
    assert open_sessions == 1
    assert audit_count(object_type="user", object_id=lawyer.id) == before + 1


def test_user_list_query_count_does_not_grow_with_rows(client, users, as_user):
    """No N+1: units load in one extra query and lock states in one, whatever the page size."""
    as_user(users.admin)
    client.get("/admin/users")  # warm up (session touch, template compile)

    def statements(url):
        seen: list[str] = []

        def count(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                seen.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(seen)

    few = statements("/admin/users")
    for n in range(25):
        factories.user("lawyer", ("ocd", "sfd"), name=f"Many {n}")
    db.session.commit()
    many = statements("/admin/users")
    assert many == few


def test_a_units_only_change_also_makes_an_older_form_stale(client, users, as_user):
    """Units live in a link table; the user's version must still move on when only they change."""
    from casework.auth.admin import service

    as_user(users.admin)
    lawyer = users.lawyer
    opened = lawyer.version
    service.update_user(lawyer, name=lawyer.name, role="lawyer", unit_codes=["ocd", "sfd"],
                        expected_version=opened, actor=users.admin)
    db.session.commit()
    assert lawyer.version == opened + 1
    response = client.form(f"/admin/users/{lawyer.id}/edit", {
        "name": "Stale Name", "role": "lawyer", "units": ["ocd"], "version": str(opened)})
    assert "Someone else changed this user" in response.get_data(as_text=True)
    db.session.refresh(lawyer)
    assert sorted(u.code for u in lawyer.units) == ["ocd", "sfd"] and lawyer.name == "Lee Lawyer"
