"""The access-control policy table: who may use every endpoint in ``app.url_map``.

Each endpoint names the roles allowed and whether its URL names a record that belongs to a unit
(``unit=True``). From that the expected answer of every cell follows:

* a signed-out visitor: sent to the sign-in page (web) or 401 (``/api/``); public routes answer;
* a role outside ``roles``: 403, whichever unit the record belongs to;
* an allowed role on another unit's record: 404 (never reveal that it exists), except
  administrators, who see every unit;
* an allowed role on its own unit's record: anything but 401/403/404/405/5xx (a form that
  re-shows with errors is "allowed").

A new route must be added here, or tests/integration/security/test_access_matrix.py fails.
"""

from __future__ import annotations

from typing import Any, NamedTuple

A, L, M, N = "admin", "lawyer", "offender_manager", "analyst"  # M: offender manager
ROLES = (A, L, M, N)
ALL = frozenset(ROLES)
STAFF = frozenset({A, L, M})  # everyone who works cases and orders (not analysts)
WORKERS = frozenset({L, M})  # those who change ancillary orders
LAWYERS = frozenset({L})
ADMIN = frozenset({A})
PUBLIC = frozenset({"public"})


class Rule(NamedTuple):
    roles: frozenset[str]
    unit: bool = False  # the URL names a record in a unit


POLICY: dict[str, Rule] = {
    # public
    "static": Rule(PUBLIC),
    "core.assets": Rule(PUBLIC),
    "core.index": Rule(PUBLIC),
    "core.health": Rule(PUBLIC),
    "core.accessibility": Rule(PUBLIC),
    "auth.sign_in": Rule(PUBLIC),
    "api.openapi": Rule(PUBLIC),
    # every signed-in user
    "core.home": Rule(ALL),
    "auth.sign_out": Rule(ALL),
    "auth.extend_session": Rule(ALL),
    "auth.session_status": Rule(ALL),
    "admin.change_password": Rule(ALL),
    "orders.types": Rule(ALL),
    # administration
    "admin.home": Rule(ADMIN),
    "admin.users": Rule(ADMIN),
    "admin.new_user": Rule(ADMIN),
    "admin.user": Rule(ADMIN),
    "admin.edit_user": Rule(ADMIN),
    "admin.disable_user": Rule(ADMIN),
    "admin.enable_user": Rule(ADMIN),
    "admin.unlock_user": Rule(ADMIN),
    "admin.end_sessions": Rule(ADMIN),
    "admin.issue_token": Rule(ADMIN),
    "admin.revoke_token": Rule(ADMIN),
    "units.index": Rule(ADMIN),
    "units.new": Rule(ADMIN),
    "units.rename": Rule(ADMIN),
    "units.deactivate": Rule(ADMIN),
    "units.reactivate": Rule(ADMIN),
    "audit.log": Rule(ADMIN),
    "alerts.admin": Rule(ADMIN),
    # alerts
    "alerts.inbox": Rule(STAFF),
    "alerts.email_settings": Rule(STAFF),
    "alerts.acknowledge": Rule(STAFF, unit=True),
    "alerts.resolve": Rule(STAFF, unit=True),
    # cases (search is cases.index ?q=)
    "cases.index": Rule(STAFF),
    "cases.mine": Rule(LAWYERS),
    "cases.open_case": Rule(LAWYERS),
    "cases.show": Rule(STAFF, unit=True),
    "cases.defendant": Rule(STAFF, unit=True),
    "cases.edit": Rule(LAWYERS, unit=True),
    "cases.add_defendant": Rule(LAWYERS, unit=True),
    "cases.record_hearing": Rule(LAWYERS, unit=True),
    "cases.edit_hearing": Rule(LAWYERS, unit=True),
    "cases.edit_defendant": Rule(LAWYERS, unit=True),
    "cases.add_charge": Rule(LAWYERS, unit=True),
    "cases.record_outcome": Rule(LAWYERS, unit=True),
    "cases.record_sentence": Rule(LAWYERS, unit=True),
    # ancillary orders
    "orders.register": Rule(STAFF),
    "orders.this_week": Rule(STAFF),
    "orders.export": Rule(STAFF),
    "orders.assign": Rule(WORKERS),
    "orders.show": Rule(STAFF, unit=True),
    "orders.record": Rule(WORKERS, unit=True),
    "orders.vary": Rule(WORKERS, unit=True),
    "orders.discharge": Rule(WORKERS, unit=True),
    "orders.replace": Rule(WORKERS, unit=True),
    "orders.add_condition": Rule(WORKERS, unit=True),
    "orders.record_service": Rule(WORKERS, unit=True),
    "orders.record_breach": Rule(WORKERS, unit=True),
    "orders.edit_breach": Rule(WORKERS, unit=True),
    "orders.record_check": Rule(WORKERS, unit=True),
    "orders.schedule": Rule(WORKERS, unit=True),
    "orders.suspend": Rule(WORKERS, unit=True),
    # confiscation and restraint
    "confiscation.index": Rule(STAFF),
    "confiscation.export": Rule(STAFF),
    "confiscation.defendant_tab": Rule(STAFF, unit=True),
    "confiscation.order": Rule(STAFF, unit=True),
    "confiscation.timetable": Rule(LAWYERS, unit=True),
    "confiscation.new_order": Rule(LAWYERS, unit=True),
    "confiscation.new_restraint": Rule(LAWYERS, unit=True),
    "confiscation.restraint_event": Rule(LAWYERS, unit=True),
    "confiscation.new_payment": Rule(LAWYERS, unit=True),
    "confiscation.reverse_payment": Rule(LAWYERS, unit=True),
    "confiscation.extension": Rule(LAWYERS, unit=True),
    "confiscation.new_enforcement": Rule(LAWYERS, unit=True),
    "confiscation.new_reconsideration": Rule(LAWYERS, unit=True),
    "confiscation.write_off": Rule(LAWYERS, unit=True),
    # reports and their exports (figures are unit-scoped: test_report_scope.py)
    "reports.index": Rule(ALL),
    "reports.show": Rule(ALL),
    "reports.download": Rule(ALL),
    "reports.monthly_index": Rule(ALL),
    "reports.monthly_pdf": Rule(ALL),
    "reports.subscription": Rule(ALL),
    # JSON API (bearer tokens only)
    "api.list_units": Rule(ALL),
    "api.reference": Rule(ALL),
    "api.conviction_rate": Rule(ALL),
    "api.confiscation": Rule(ALL),
    "api.ancillary_orders": Rule(ALL),
    "api.list_cases": Rule(STAFF),
    "api.create_case": Rule(LAWYERS),
    "api.get_case": Rule(STAFF, unit=True),
    "api.create_defendant": Rule(LAWYERS, unit=True),
    "api.get_defendant": Rule(STAFF, unit=True),
    "api.create_charge": Rule(LAWYERS, unit=True),
    "api.put_outcome": Rule(LAWYERS, unit=True),
    "api.put_sentence": Rule(LAWYERS, unit=True),
    "api.list_alerts": Rule(STAFF),
    "api.acknowledge_alert": Rule(STAFF, unit=True),
    "api.list_ancillary_orders": Rule(STAFF),
    "api.get_ancillary_order": Rule(STAFF, unit=True),
    "api.create_ancillary_order": Rule(WORKERS, unit=True),
    "api.vary_ancillary_order": Rule(WORKERS, unit=True),
    "api.discharge_ancillary_order": Rule(WORKERS, unit=True),
    "api.record_ancillary_order_breach": Rule(WORKERS, unit=True),
    "api.list_confiscation_orders": Rule(STAFF),
    "api.get_confiscation_order": Rule(STAFF, unit=True),
    "api.create_confiscation_order": Rule(LAWYERS, unit=True),
    "api.list_confiscation_payments": Rule(STAFF, unit=True),
    "api.create_confiscation_payment": Rule(LAWYERS, unit=True),
    "api.reverse_confiscation_payment": Rule(LAWYERS, unit=True),
    "api.put_confiscation_extension": Rule(LAWYERS, unit=True),
    "api.create_enforcement_step": Rule(LAWYERS, unit=True),
    "api.create_reconsideration": Rule(LAWYERS, unit=True),
    "api.write_off_confiscation_order": Rule(LAWYERS, unit=True),
    "api.get_confiscation_timetable": Rule(STAFF, unit=True),
    "api.put_confiscation_timetable": Rule(LAWYERS, unit=True),
    "api.get_restraint_order": Rule(STAFF, unit=True),
    "api.create_restraint_order": Rule(LAWYERS, unit=True),
    "api.create_restraint_event": Rule(LAWYERS, unit=True),
}

DAY = "2026-03-01"
# Schema-valid API bodies: the API validates the body before it looks the record up, so another
# unit's record must be asked for with a body that passes validation to prove the 404.
API_BODIES: dict[str, dict[str, Any]] = {
    "api.create_defendant": {"surname": "Probe", "forenames": "Access"},
    "api.create_charge": {"offence": "Probe", "statute": "Probe Act", "section": "s.1",
                          "charged_on": DAY, "category": "drugs_offences"},
    "api.put_outcome": {"outcome": "guilty_plea", "finalised_on": DAY},
    "api.put_sentence": {"sentenced_on": DAY},
    "api.create_ancillary_order": {"type": "scpo", "made_on": DAY, "term_months": 60},
    "api.vary_ancillary_order": {"varied_on": DAY, "reason": "probe"},
    "api.discharge_ancillary_order": {"discharged_on": DAY, "reason": "probe"},
    "api.record_ancillary_order_breach": {"occurred_on": DAY, "description": "probe"},
    "api.create_confiscation_order": {"made_on": DAY, "benefit": "10.00",
                                      "available_amount": "10.00", "amount": "10.00"},
    "api.create_confiscation_payment": {"received_on": DAY, "amount": "1.00"},
    "api.reverse_confiscation_payment": {"reversed_on": DAY, "reason": "probe"},
    "api.put_confiscation_extension": {"applied_on": DAY},
    "api.create_enforcement_step": {"kind": "receiver_applied", "taken_on": DAY},
    "api.create_reconsideration": {"section": "s19", "applied_on": DAY},
    "api.write_off_confiscation_order": {"written_off_on": DAY, "reason": "probe"},
    "api.put_confiscation_timetable": {"convicted_on": "2025-09-01"},
    "api.create_restraint_order": {"condition": "proceedings", "applied_on": DAY},
    "api.create_restraint_event": {"kind": "reported", "occurred_on": DAY},
}

ANONYMOUS = "anonymous"
OK = "allowed"


def expected(endpoint: str, role: str, other_unit: bool) -> str:
    """The answer the table promises: "allowed", "403", "404", "401" or "sign-in"."""
    rule = POLICY[endpoint]
    if rule.roles == PUBLIC:
        return OK
    if role == ANONYMOUS:
        return "401" if endpoint.startswith("api.") else "sign-in"
    if role not in rule.roles:
        return "403"
    if other_unit and rule.unit and role != A:
        return "404"
    return OK


def outcome(status: int, location: str | None) -> str:
    """Classify a response in the same words as ``expected``."""
    if status in (401, 403, 404):
        return str(status)
    if status == 302 and (location or "").startswith("/sign-in"):
        return "sign-in"
    if status == 405 or status >= 500:
        return str(status)
    return OK
