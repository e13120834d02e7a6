"""Every state-changing web route and how to fuzz it: the URL (with real records), the WTForms
class whose fields get junk, and fields the form class does not declare. test_inventory.py fails
when a POST route appears that is neither here nor in EXEMPT."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from casework.alerts import forms as alert_forms
from casework.auth import forms as auth_forms
from casework.auth.admin import forms as admin_forms
from casework.cases import forms as case_forms
from casework.confiscation import forms as conf_forms
from casework.orders import forms as order_forms
from casework.units import forms as unit_forms
from tests import factories
from tests.integration.fuzz.forms import Pair
from tests.integration.fuzz.junk import FORM_VALUE, TEXT
from tests.integration.fuzz.records import World


@dataclass(frozen=True)
class WebTarget:
    url: Callable[[World], str]
    form: type | None = None
    #: Fields the form class does not declare (read from request.form), or better strategies.
    fields: Callable[[World], dict[str, Pair]] = lambda w: {}
    #: Which standard user posts (default: the first of lawyer, offender manager, admin, analyst
    #: that the route allows).
    user: str | None = None
    #: Tables a refused submission may still write, and why.
    writes_on_reject: frozenset[str] = frozenset()


def _pair(good: st.SearchStrategy[Any], junk: st.SearchStrategy[Any] = FORM_VALUE) -> Pair:
    return good, junk


def _ids(*values: Any) -> st.SearchStrategy[str]:
    return st.sampled_from([str(v) for v in values])


def _managers(w: World) -> dict[str, Pair]:
    return {"offender_manager": _pair(_ids(w.users.offender_manager.id, w.users.lawyer.id, ""),
                                      FORM_VALUE)}


def _people(w: World) -> dict[str, Pair]:
    return {"lead_lawyer": _pair(_ids(w.users.lawyer.id, w.users.other_lawyer.id, ""), FORM_VALUE),
            "unit": _pair(_ids(factories.unit("ocd").id, w.unit.id, "ocd"), FORM_VALUE),
            "crime_type": _pair(st.sampled_from(["1", "2", "drugs", ""]), FORM_VALUE)}


def _user_fields(w: World) -> dict[str, Pair]:
    roles = st.sampled_from(["admin", "lawyer", "offender_manager", "analyst", "root"])
    units = st.sampled_from(["ocd", "london_north", "sfd", "nope"])
    return {"role": _pair(roles, FORM_VALUE),
            "units": _pair(st.lists(units, min_size=1, max_size=2),
                           st.lists(st.one_of(units, FORM_VALUE), max_size=4))}


def _hearing_fields(w: World) -> dict[str, Pair]:
    return {"defendant": _pair(_ids(w.defendant.id, w.convicted.id, ""), FORM_VALUE)}


def _check_fields(w: World) -> dict[str, Pair]:
    return {"condition": _pair(_ids(""), FORM_VALUE)}


def _assign_fields(w: World) -> dict[str, Pair]:
    order = _ids(w.order.id)
    return {"order": _pair(st.lists(order, min_size=1, max_size=2),
                           st.lists(st.one_of(order, FORM_VALUE), max_size=4)), **_managers(w),
            **dict.fromkeys(("type", "status", "ending_before", "unit", "manager", "sort"),
                            (st.just(""), FORM_VALUE))}


ORDER = "/orders/{}"


WEB_TARGETS: dict[str, WebTarget] = {
    # sign-in and account
    "auth.sign_in": WebTarget(lambda w: "/sign-in", auth_forms.SignInForm, user="",
                              fields=lambda w: {"email": _pair(st.sampled_from(
                                  [w.users.lawyer.email, "nobody@cps.example.gov.uk"]), TEXT)},
                              writes_on_reject=frozenset({"audit_events", "login_throttles"})),
    "auth.extend_session": WebTarget(lambda w: "/session/extend"),
    "admin.change_password": WebTarget(lambda w: "/account/password", admin_forms.ChangePasswordForm,
                                       user="analyst"),
    # administration
    "admin.new_user": WebTarget(lambda w: "/admin/users/new", admin_forms.CreateUserForm,
                                fields=_user_fields),
    "admin.edit_user": WebTarget(lambda w: f"/admin/users/{w.target_user.id}/edit",
                                 admin_forms.EditUserForm, fields=_user_fields),
    "admin.disable_user": WebTarget(lambda w: f"/admin/users/{w.target_user.id}/disable"),
    "admin.enable_user": WebTarget(lambda w: f"/admin/users/{w.target_user.id}/enable"),
    "admin.unlock_user": WebTarget(lambda w: f"/admin/users/{w.target_user.id}/unlock"),
    "admin.end_sessions": WebTarget(lambda w: f"/admin/users/{w.target_user.id}/sessions/end"),
    "admin.issue_token": WebTarget(lambda w: f"/admin/users/{w.target_user.id}/tokens"),
    "admin.revoke_token": WebTarget(
        lambda w: f"/admin/users/{w.target_user.id}/tokens/{w.token_id}/revoke"),
    "units.new": WebTarget(lambda w: "/admin/units/new", unit_forms.UnitForm),
    "units.rename": WebTarget(lambda w: f"/admin/units/{w.unit.id}/rename", unit_forms.RenameUnitForm),
    "units.deactivate": WebTarget(lambda w: f"/admin/units/{w.unit.id}/deactivate"),
    "units.reactivate": WebTarget(lambda w: f"/admin/units/{w.unit.id}/reactivate"),
    # alerts and reports
    "alerts.acknowledge": WebTarget(lambda w: f"/alerts/{w.alert.id}/acknowledge", alert_forms.ActionForm),
    "alerts.resolve": WebTarget(lambda w: f"/alerts/{w.alert.id}/resolve", alert_forms.ActionForm),
    "alerts.email_settings": WebTarget(lambda w: "/alerts/email-settings", alert_forms.EmailSettingsForm),
    "reports.subscription": WebTarget(lambda w: "/reports/monthly/subscription", user="analyst",
                                      fields=lambda w: {"subscribe": _pair(st.sampled_from(["yes", "no"]),
                                                                           FORM_VALUE)}),
    # cases
    "cases.open_case": WebTarget(lambda w: "/cases/new", case_forms.OpenCaseForm, fields=_people),
    "cases.edit": WebTarget(lambda w: f"/cases/{w.case.id}/edit", case_forms.CaseDetailsForm,
                            fields=_people),
    "cases.record_hearing": WebTarget(lambda w: f"/cases/{w.case.id}/hearings/new", case_forms.HearingForm,
                                      fields=_hearing_fields),
    "cases.edit_hearing": WebTarget(lambda w: f"/hearings/{w.hearing.id}/edit", case_forms.EditHearingForm,
                                    fields=_hearing_fields),
    "cases.add_defendant": WebTarget(lambda w: f"/cases/{w.case.id}/defendants/new",
                                     case_forms.DefendantForm),
    "cases.edit_defendant": WebTarget(lambda w: f"/defendants/{w.defendant.id}/edit",
                                      case_forms.EditDefendantForm),
    "cases.add_charge": WebTarget(lambda w: f"/defendants/{w.defendant.id}/charges/new",
                                  case_forms.ChargeForm),
    "cases.record_outcome": WebTarget(lambda w: f"/defendants/{w.defendant.id}/outcome",
                                      case_forms.OutcomeForm),
    "cases.record_sentence": WebTarget(lambda w: f"/defendants/{w.convicted.id}/sentence",
                                       case_forms.SentenceForm),
    # ancillary orders
    "orders.record": WebTarget(lambda w: f"/defendants/{w.convicted.id}/orders/new", order_forms.OrderForm,
                               fields=_managers),
    "orders.replace": WebTarget(lambda w: f"/orders/{w.order.id}/replace", order_forms.OrderForm,
                                fields=_managers),
    "orders.vary": WebTarget(lambda w: f"/orders/{w.order.id}/vary", order_forms.VaryForm),
    "orders.discharge": WebTarget(lambda w: f"/orders/{w.order.id}/discharge", order_forms.DischargeForm),
    "orders.record_service": WebTarget(lambda w: f"/orders/{w.order.id}/service", order_forms.ServiceForm),
    "orders.record_breach": WebTarget(lambda w: f"/orders/{w.order.id}/breaches/new", order_forms.BreachForm),
    "orders.edit_breach": WebTarget(lambda w: f"/orders/{w.order.id}/breaches/{w.breach.id}",
                                    order_forms.BreachForm),
    "orders.record_check": WebTarget(lambda w: f"/orders/{w.order.id}/checks/new", order_forms.CheckForm,
                                     fields=_check_fields),
    "orders.add_condition": WebTarget(lambda w: f"/orders/{w.order.id}/conditions/new",
                                      order_forms.ConditionForm),
    "orders.schedule": WebTarget(lambda w: f"/orders/{w.order.id}/schedule", order_forms.ScheduleForm),
    "orders.suspend": WebTarget(lambda w: f"/orders/{w.tro.id}/suspensions/new", order_forms.SuspensionForm),
    "orders.assign": WebTarget(lambda w: "/orders/assign", fields=_assign_fields),
    # confiscation and restraint
    "confiscation.timetable": WebTarget(lambda w: f"/defendants/{w.convicted.id}/confiscation/timetable",
                                        conf_forms.TimetableForm),
    "confiscation.new_order": WebTarget(lambda w: f"/defendants/{w.convicted.id}/confiscation-orders/new",
                                        conf_forms.OrderForm),
    "confiscation.new_payment": WebTarget(lambda w: f"/confiscation-orders/{w.confiscation.id}/payments/new",
                                          conf_forms.PaymentForm),
    "confiscation.reverse_payment": WebTarget(
        lambda w: f"/confiscation-orders/{w.confiscation.id}/payments/{w.payment.id}/reverse",
        conf_forms.ReversalForm),
    "confiscation.extension": WebTarget(lambda w: f"/confiscation-orders/{w.confiscation.id}/extension",
                                        conf_forms.ExtensionForm),
    "confiscation.new_enforcement": WebTarget(
        lambda w: f"/confiscation-orders/{w.confiscation.id}/enforcement/new", conf_forms.EnforcementForm),
    "confiscation.new_reconsideration": WebTarget(
        lambda w: f"/confiscation-orders/{w.confiscation.id}/reconsiderations/new",
        conf_forms.ReconsiderationForm),
    "confiscation.write_off": WebTarget(lambda w: f"/confiscation-orders/{w.confiscation.id}/write-off",
                                        conf_forms.WriteOffForm),
    "confiscation.new_restraint": WebTarget(lambda w: f"/defendants/{w.convicted.id}/restraint/new",
                                            conf_forms.RestraintForm),
    "confiscation.restraint_event": WebTarget(lambda w: f"/restraint-orders/{w.restraint.id}/events/new",
                                              conf_forms.RestraintEventForm),
}

#: State-changing routes not fuzzed, with the reason.
EXEMPT: dict[str, str] = {
    "auth.sign_out": "takes no input and ends the session the fuzzer posts with; CSRF and session "
                     "tests (tests/integration/core/test_security.py) cover it",
}
