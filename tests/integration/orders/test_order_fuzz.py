"""Hypothesis sends junk to the order forms and the register's filters: never a 5xx, and a
refused form writes nothing (no order, no variation, no breach, no check, no audit row).

CASEWORK_FUZZ_EXAMPLES sets the examples per form (default 25; CI sets 200).
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.audit.models import AuditEvent
from casework.extensions import db
from casework.orders.models import AncillaryOrder, ComplianceCheck, OrderBreach, OrderVariation
from tests import factories

EXAMPLES = int(os.environ.get("CASEWORK_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])
NASTY = st.sampled_from(["", " ", "\x00", "a\x00b", "=cmd|' /C calc'!A0", "x" * 5000, "9" * 400,
                         "-1", "0", "13", "29", "2", "2031", "99999", "scpo", "tro", "shpo",
                         "magistrates", "crown_court", "on_release", "on_date_specified", "y",
                         "<script>alert(1)</script>", "\u202e", "compliant", "convicted"])
VALUE = st.one_of(NASTY, st.text(max_size=20))
DATE = st.lists(VALUE, min_size=0, max_size=4)
FIELD = st.one_of(VALUE, st.lists(VALUE, max_size=3))

DATE_FIELDS = {"made_on", "starts_on", "ends_on", "served_on", "varied_on", "discharged_on",
               "occurred_on", "outcome_on", "checked_on", "next_due_on"}


def _form(fields: list[str]) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries({}, optional={f: DATE if f in DATE_FIELDS else FIELD
                                               for f in [*fields, "extra"]})


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m))
                 for m in (AncillaryOrder, OrderVariation, OrderBreach, ComplianceCheck, AuditEvent))


@pytest.fixture
def target(session, users):
    d = factories.convicted_defendant(actor=users.lawyer)
    return d, factories.order(d, actor=users.lawyer)


FORMS = {
    "record": ("/defendants/{d}/orders/new", ["type", "court_level", "court", "made_on", "start_trigger",
                                              "starts_on", "ends_on", "term_years", "term_extra_months",
                                              "indefinite", "life_sentence", "served_on",
                                              "service_method", "offender_manager",
                                              "check_interval_months"]),
    "vary": ("/orders/{o}/vary", ["version", "varied_on", "ends_on", "term_years", "indefinite",
                                  "extended_pending_charge", "reason"]),
    "breach": ("/orders/{o}/breaches/new", ["occurred_on", "description", "prosecution", "outcome",
                                            "outcome_on"]),
    "check": ("/orders/{o}/checks/new", ["checked_on", "result", "condition", "notes"]),
    "discharge": ("/orders/{o}/discharge", ["version", "discharged_on", "reason", "consents"]),
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_fuzz_order_forms(client, users, as_user, target, name):
    d, order = target
    url, fields = FORMS[name]
    url = url.format(d=d.id, o=order.id)
    as_user(users.offender_manager)

    @FUZZ
    @given(data=_form(fields))
    def run(data):
        before = _counts()
        response = client.form(url, data)
        assert response.status_code < 500, (url, data)
        if response.status_code in (200, 409):
            assert _counts() == before, (url, data)
        db.session.rollback()

    run()


@FUZZ
@given(args=st.fixed_dictionaries({}, optional=dict.fromkeys(
    ["type", "status", "ending_before", "unit", "manager", "sort", "after"], VALUE)))
def test_fuzz_register_filters(client, users, as_user, args):
    as_user(users.lawyer)
    for path in ("/orders", "/orders/export.csv"):
        response = client.get(path, query_string=args)
        assert response.status_code in (200, 400), args
