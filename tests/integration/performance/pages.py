"""Every page and API read, with a URL into the performance world and who asks for it.

``PROBES`` guards each GET endpoint: its statement count must not change when the world grows.
``EXEMPT`` names the GET endpoints that read no rows, each with the reason. A GET endpoint in
neither fails ``test_every_get_endpoint_is_guarded_or_exempt``: a new page gets a guard when it
is added.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.integration.performance.world import MONTH


@dataclass(frozen=True)
class Probe:
    endpoint: str
    role: str  # an attribute of the standard ``users``
    path: str  # formatted with ``w`` (the World)
    api: bool = False
    shows: str = ""  # text of the newest grown row (``{n}``: its number), to prove rows are shown

    def url(self, w: object) -> str:
        return self.path.format(w=w)

    @property
    def label(self) -> str:
        return f"{self.role:16} {self.path}"


def _pages(endpoint: str, path: str, *roles: str, shows: str = "") -> list[Probe]:
    return [Probe(endpoint, role, path, shows=shows) for role in roles or ("lawyer",)]


def _api(endpoint: str, path: str, role: str = "lawyer", shows: str = "") -> Probe:
    return Probe(endpoint, role, path, api=True, shows=shows)


CASE, DEFENDANT, ORDER = "/cases/{w.case.id}", "/defendants/{w.defendant.id}", "/orders/{w.order.id}"
CONFISCATION = "/confiscation-orders/{w.confiscation.id}"
REPORT = "?from=2025-04-01&to=2026-03-31&group=month"
GROWN, GROWN_CASE = "Growperson{n}", "Operation Grow{n}"  # the newest grown row
SLUGS = ("conviction-rate", "confiscation", "ancillary-orders", "quarterly-review")

PROBES: list[Probe] = [
    *_pages("core.home", "/home", "lawyer", "offender_manager", "analyst", "admin"),
    *_pages("core.accessibility", "/accessibility"),
    *_pages("admin.change_password", "/account/password"),
    # cases
    *_pages("cases.index", "/cases", "lawyer", "offender_manager", "admin", shows=GROWN_CASE),
    *_pages("cases.index", "/cases?q=grow&sort=name&dir=asc", shows=GROWN_CASE),
    *_pages("cases.index", "/cases?stage=sentenced&crime_type=firearms&lawyer={w.lawyer.id}",
            shows=GROWN_CASE),
    *_pages("cases.index", "/cases?q=growperson", shows=GROWN_CASE),
    *_pages("cases.mine", "/cases/mine", shows=GROWN_CASE),
    *_pages("cases.open_case", "/cases/new"),
    *_pages("cases.show", CASE, "lawyer", "admin", shows="Codefendant{n}"),
    *_pages("cases.edit", CASE + "/edit"),
    *_pages("cases.add_defendant", CASE + "/defendants/new"),
    *_pages("cases.record_hearing", CASE + "/hearings/new"),
    *_pages("cases.edit_hearing", "/hearings/{w.hearing.id}/edit"),
    *_pages("cases.defendant", DEFENDANT, "lawyer", "offender_manager", "admin", shows="(count {n})"),
    *_pages("cases.edit_defendant", DEFENDANT + "/edit"),
    *_pages("cases.add_charge", DEFENDANT + "/charges/new"),
    *_pages("cases.record_outcome", DEFENDANT + "/outcome"),
    *_pages("cases.record_sentence", DEFENDANT + "/sentence"),
    # ancillary orders
    *_pages("orders.register", "/orders", "lawyer", "offender_manager", "admin", shows=GROWN),
    *_pages("orders.register", "/orders?status=all&type=scpo&sort=end_desc"),
    *_pages("orders.register", "/orders?manager={w.users.offender_manager.id}&unit={w.unit.id}"),
    *_pages("orders.register", "/orders?status=pending_release&ending_before=2031-01-01"),
    *_pages("orders.export", "/orders/export.csv", "lawyer", "admin", shows=GROWN),
    *_pages("orders.this_week", "/orders/this-week", "offender_manager", shows=GROWN),
    *_pages("orders.this_week", "/orders/this-week?mine=0", "lawyer", "admin", shows=GROWN),
    *_pages("orders.types", "/orders/types"),
    *_pages("orders.record", DEFENDANT + "/orders/new"),
    *_pages("orders.show", ORDER, "lawyer", "offender_manager", "admin", shows="Breach {n}"),
    *_pages("orders.vary", ORDER + "/vary"),
    *_pages("orders.discharge", ORDER + "/discharge"),
    *_pages("orders.replace", ORDER + "/replace"),
    *_pages("orders.schedule", ORDER + "/schedule"),
    *_pages("orders.record_service", ORDER + "/service"),
    *_pages("orders.suspend", ORDER + "/suspensions/new"),
    *_pages("orders.add_condition", ORDER + "/conditions/new"),
    *_pages("orders.record_check", ORDER + "/checks/new"),
    *_pages("orders.record_breach", ORDER + "/breaches/new"),
    *_pages("orders.edit_breach", ORDER + "/breaches/{w.breach.id}"),
    # confiscation
    *_pages("confiscation.index", "/confiscation", "lawyer", "admin", shows=GROWN),
    *_pages("confiscation.index", "/confiscation?sort=defendant&order=asc"),
    *_pages("confiscation.index", "/confiscation?sort=due_on"),
    *_pages("confiscation.export", "/confiscation/export.csv", shows=GROWN),
    *_pages("confiscation.defendant_tab", DEFENDANT + "/confiscation", "lawyer", "admin", shows="Step {n}"),
    *_pages("confiscation.timetable", DEFENDANT + "/confiscation/timetable"),
    *_pages("confiscation.new_order", DEFENDANT + "/confiscation-orders/new"),
    *_pages("confiscation.new_restraint", DEFENDANT + "/restraint/new"),
    *_pages("confiscation.restraint_event", "/restraint-orders/{w.restraint.id}/events/new"),
    *_pages("confiscation.order", CONFISCATION, "lawyer", "admin", shows="Step {n}"),
    *_pages("confiscation.order", CONFISCATION + "?as_of=2026-01-31"),
    *_pages("confiscation.new_payment", CONFISCATION + "/payments/new"),
    *_pages("confiscation.reverse_payment", CONFISCATION + "/payments/{w.payment.id}/reverse"),
    *_pages("confiscation.extension", CONFISCATION + "/extension"),
    *_pages("confiscation.new_enforcement", CONFISCATION + "/enforcement/new"),
    *_pages("confiscation.new_reconsideration", CONFISCATION + "/reconsiderations/new"),
    *_pages("confiscation.write_off", CONFISCATION + "/write-off"),
    # alerts
    *_pages("alerts.inbox", "/alerts", "lawyer", "offender_manager", "admin", shows=GROWN),
    *_pages("alerts.inbox", "/alerts?scope=unit", "lawyer", "offender_manager", shows=GROWN),
    *_pages("alerts.inbox", "/alerts?view=upcoming&scope=unit", "offender_manager"),
    *_pages("alerts.inbox", "/alerts?view=cancelled&kind=order_expiry", "offender_manager"),
    *_pages("alerts.email_settings", "/alerts/email-settings"),
    *_pages("alerts.admin", "/admin/alerts", "admin"),
    # administration and audit
    *_pages("admin.home", "/admin", "admin"),
    *_pages("admin.users", "/admin/users", "admin", shows="Grow Lawyer"),
    *_pages("admin.users", "/admin/users?role=offender_manager&unit=ocd&status=active&q=test", "admin"),
    *_pages("admin.user", "/admin/users/{w.user.id}", "admin"),
    *_pages("admin.edit_user", "/admin/users/{w.user.id}/edit", "admin"),
    *_pages("admin.new_user", "/admin/users/new", "admin"),
    *_pages("units.index", "/admin/units", "admin", shows="Performance Unit"),
    *_pages("units.new", "/admin/units/new", "admin"),
    *_pages("units.rename", "/admin/units/{w.unit.id}/rename", "admin"),
    *_pages("audit.log", "/admin/audit", "admin"),
    *_pages("audit.log", "/admin/audit?action=collect&object_type=confiscation_payment", "admin"),
    # reports and their downloads
    *_pages("reports.index", "/reports", "analyst"),
    *[p for slug in SLUGS for p in _pages("reports.show", f"/reports/{slug}{REPORT}", "analyst", "lawyer")],
    *[p for slug in SLUGS for fmt in ("csv", "xlsx", "pdf")
      for p in _pages("reports.download", f"/reports/{slug}/download.{fmt}{REPORT}", "analyst")],
    *_pages("reports.monthly_index", "/reports/monthly", "analyst"),
    *_pages("reports.monthly_pdf", f"/reports/monthly/{MONTH}", "analyst", "admin"),
    # the JSON API
    _api("api.list_cases", "/api/v1/cases", shows=GROWN_CASE),
    _api("api.list_cases", "/api/v1/cases?q=grow"),
    _api("api.get_case", "/api/v1" + CASE, shows="Codefendant{n}"),
    _api("api.get_defendant", "/api/v1" + DEFENDANT, shows="(count {n})"),
    _api("api.get_confiscation_timetable", "/api/v1" + DEFENDANT + "/confiscation-timetable"),
    _api("api.list_ancillary_orders", "/api/v1/orders"),
    _api("api.list_ancillary_orders", "/api/v1/orders?status=active&type=scpo", "admin"),
    _api("api.get_ancillary_order", "/api/v1" + ORDER),
    _api("api.list_confiscation_orders", "/api/v1/confiscation-orders"),
    _api("api.get_confiscation_order", "/api/v1" + CONFISCATION),
    _api("api.list_confiscation_payments", "/api/v1" + CONFISCATION + "/payments"),
    _api("api.get_restraint_order", "/api/v1/restraint-orders/{w.restraint.id}"),
    _api("api.list_alerts", "/api/v1/alerts", "offender_manager"),
    _api("api.list_alerts", "/api/v1/alerts?status=pending", "admin"),
    _api("api.list_units", "/api/v1/units"),
    _api("api.reference", "/api/v1/reference"),
    _api("api.conviction_rate", "/api/v1/reports/conviction-rate" + REPORT, "analyst"),
    _api("api.confiscation", "/api/v1/reports/confiscation" + REPORT, "analyst"),
    _api("api.ancillary_orders", "/api/v1/reports/ancillary-orders" + REPORT, "analyst"),
]

#: GET endpoints that read no rows that grow: each with the reason.
EXEMPT: dict[str, str] = {
    "static": "static files from disk",
    "core.assets": "vendored GOV.UK and MOJ assets from disk",
    "core.health": "liveness answer, no database",
    "core.index": "redirects to the home page or sign-in",
    "auth.sign_in": "signed-out form; the sign-in itself is a POST",
    "auth.session_status": "the signed-in user's own session record only (one row by key)",
    "api.openapi": "the API description, built from the code",
}
