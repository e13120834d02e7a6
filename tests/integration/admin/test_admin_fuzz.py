"""Hypothesis sends junk to every administration form and filter: never a 5xx, and a refused
form writes nothing (no user, no unit, no audit row).

CASEWORK_FUZZ_EXAMPLES sets the examples per form (default 25; CI sets 200).
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.audit.models import AuditEvent
from casework.auth.models import User
from casework.extensions import db
from casework.units.models import Unit

EXAMPLES = int(os.environ.get("CASEWORK_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])
NASTY = st.sampled_from(["", " ", "\x00", "a\x00b", "\x1b[31m", "=cmd|' /C calc'!A0", "x" * 300,
                         "y" * 5000, "9" * 5000, "-1", "admin", "lawyer", "ocd", "OCD", "a@b",
                         "<script>alert(1)</script>", "' OR 1=1 --", "\u202e", "new_unit"])
VALUE = st.one_of(NASTY, st.text(max_size=30))
FIELD = st.one_of(VALUE, st.lists(VALUE, max_size=3))


def _form(fields: list[str]) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries({}, optional=dict.fromkeys(fields + ["extra"], FIELD))


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m))
                 for m in (User, Unit, AuditEvent))


def _post(client, url, data):
    before = _counts()
    response = client.form(url, data)
    assert response.status_code < 500, (url, data)
    if response.status_code == 200 and "Error:" in response.get_data(as_text=True):
        assert _counts() == before, (url, data)
    db.session.rollback()


@FUZZ
@given(data=_form(["email", "name", "role", "units", "password"]))
def test_fuzz_create_user(client, users, as_user, data):
    as_user(users.admin)
    _post(client, "/admin/users/new", data)


@FUZZ
@given(data=_form(["name", "role", "units", "version"]))
def test_fuzz_edit_user(client, users, as_user, data):
    as_user(users.admin)
    _post(client, f"/admin/users/{users.lawyer.id}/edit", data)


@FUZZ
@given(data=_form(["code", "name", "kind"]))
def test_fuzz_add_unit(client, users, as_user, data):
    as_user(users.admin)
    _post(client, "/admin/units/new", data)


@FUZZ
@given(data=_form(["name"]))
def test_fuzz_rename_unit(client, users, as_user, data):
    as_user(users.admin)
    _post(client, "/admin/units/1/rename", data)


@FUZZ
@given(data=_form(["current_password", "new_password", "confirm_password"]))
def test_fuzz_change_password(client, users, as_user, data):
    as_user(users.analyst)
    _post(client, "/account/password", data)


@FUZZ
@given(params=_form(["q", "role", "unit", "status", "after"]))
def test_fuzz_user_list_filters(client, users, as_user, params):
    as_user(users.admin)
    flat = {k: (v[0] if isinstance(v, list) and v else v if not isinstance(v, list) else "")
            for k, v in params.items()}
    response = client.get("/admin/users", query_string=flat)
    assert response.status_code in (200, 400), flat
