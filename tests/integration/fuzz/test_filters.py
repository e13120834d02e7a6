"""Hypothesis sends junk query strings to every list, filter, export and report page: never a
5xx or a traceback, a refusal is a 400 with a message, and a GET writes nothing but its audit
row (a consultation or a disclosure).

CASEWORK_FUZZ_EXAMPLES sets the examples per page (default 25; CI 200; ``make fuzz`` 3000).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.extensions import db
from casework.reports import service as reports
from tests.conftest import sign_in_as
from tests.integration.fuzz import checks
from tests.integration.fuzz.junk import FUZZ, NUMBER_TEXT, TEXT, mixed
from tests.integration.fuzz.records import World

pytestmark = pytest.mark.fuzz

DATES = st.sampled_from(["2026-01-31", "2026-02-30", "31/01/2026", "99999-01-01", "0000-00-00", ""])
CODES = st.sampled_from(["ocd", "london_north", "drugs", "fraud", "scpo", "tro", "active", "live",
                         "month", "quarter", "financial_year", "asc", "desc", "1", "0", "unit",
                         "outstanding", "ends", "made", "open", "closed", "all"])
VALUE = mixed(st.one_of(CODES, DATES), st.one_of(TEXT, NUMBER_TEXT))

#: path -> (the user who reads it, the query parameters it understands).
PAGES: dict[str, tuple[str, list[str]]] = {
    "/orders": ("lawyer", ["type", "status", "ending_before", "unit", "manager", "sort", "after", "mine"]),
    "/orders/export.csv": ("lawyer", ["type", "status", "ending_before", "unit", "manager", "sort"]),
    "/orders/this-week": ("offender_manager", ["mine"]),
    "/cases": ("lawyer", ["q", "unit", "crime_type", "stage", "lawyer", "sort", "dir", "after"]),
    "/cases/mine": ("lawyer", ["q", "sort", "dir", "after"]),
    "/confiscation": ("lawyer", ["status", "sort", "order", "after", "unit"]),
    "/confiscation/export.csv": ("lawyer", ["status", "sort", "order", "unit"]),
    "/confiscation-orders/{confiscation}": ("lawyer", ["as_of"]),
    "/alerts": ("lawyer", ["view", "scope", "kind", "after"]),
    "/admin/users": ("admin", ["q", "role", "unit", "status", "after"]),
    "/admin/audit": ("admin", ["action", "object_type", "after", "actor", "from", "to"]),
    **{f"/reports/{slug}": ("analyst", ["from", "to", "group", "unit", "crime_type", "year", "quarter"])
       for slug in sorted(reports.REPORTS)},
}


def _params(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={**dict.fromkeys(names, VALUE), "junk": TEXT})


@pytest.mark.parametrize("page", sorted(PAGES))
def test_fuzz_query_strings(page, app, client, users):
    role, names = PAGES[page]
    world = World(users)
    url = page.format(confiscation=world.confiscation.id if "{" in page else 0)
    db.session.commit()
    sign_in_as(client, getattr(users, role))
    query = checks.fingerprint_query()
    tally = checks.Tally(f"web GET {url}?...")

    @FUZZ
    @given(params=_params(names))
    def run(params: dict[str, Any]) -> None:
        db.session.rollback()
        before = checks.fingerprint(query)
        response = client.get(url, query_string=params)
        db.session.rollback()
        changed = checks.changed_tables(before, checks.fingerprint(query)) - {"audit_events"}
        status = response.status_code
        tally.seen(status)
        context = (url, status, params)
        assert status < 500, context
        body = response.get_data(as_text=True)
        checks.assert_no_traceback(body, context)
        assert status in (200, 400), context
        assert not changed, ("a GET wrote", changed, context)
        if status == 400:
            message = checks.summary_messages(body) or checks.error_page_message(body)
            assert message, context
            tally.rejected += 1
        else:
            tally.accepted += 1

    run()
    tally.report()
