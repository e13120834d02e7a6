"""The case list: search, filters in the URL, sorting with aria-sort, keyset pages, My cases,
and a fixed number of queries however many rows are shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from casework.cases import service
from tests import factories


def _urns(response) -> list[str]:
    html = response.get_data(as_text=True)
    body = html.split('id="case-list"', 1)[1]
    return re.findall(r'href="/cases/\d+">([A-Z0-9/\-]+)</a>', body)


def _next_link(response) -> str | None:
    match = re.search(r'href="([^"]+)" rel="next"', response.get_data(as_text=True))
    return match.group(1).replace("&amp;", "&") if match else None


@pytest.fixture
def many(users, frozen_today):
    cases = []
    for n in range(7):
        cases.append(factories.case("ocd", urn=f"01AB{n:05d}26", name=f"Operation Alpha{n}",
                                    received_on=dt.date(2025, 1, 1 + n), lead_lawyer=users.lawyer,
                                    actor=users.lawyer))
    return cases


def test_keyset_pages_cover_every_case_once_in_order(client, users, as_user, many, monkeypatch, app):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    as_user(users.lawyer)
    seen: list[str] = []
    url: str | None = "/cases?sort=received&dir=desc"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += _urns(response)
        url = _next_link(response)
        if url:
            assert "sort=received" in url and "dir=desc" in url and "after=" in url
        pages += 1
    assert pages == 3
    assert seen == [c.urn for c in reversed(many)]


def test_page_links_keep_the_filters(client, users, as_user, many, monkeypatch, app):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    factories.case("ocd", urn="01ZZ0000126", crime="fraud", actor=users.lawyer)
    as_user(users.lawyer)
    response = client.get("/cases?crime_type=drugs&unit=ocd&sort=urn&dir=asc")
    link = _next_link(response)
    assert "crime_type=drugs" in link and "unit=ocd" in link and "sort=urn" in link
    seen = _urns(response)
    while link:
        response = client.get(link)
        seen += _urns(response)
        link = _next_link(response)
    assert seen == sorted(c.urn for c in many)


def test_bad_cursor_is_a_400(client, users, as_user, many):
    as_user(users.lawyer)
    assert client.get("/cases?after=not-a-cursor").status_code == 400


def test_filters(client, users, as_user, frozen_today):
    drugs = factories.case("ocd", urn="01DR0000126", crime="drugs", lead_lawyer=users.lawyer)
    fraud = factories.case("sfd", urn="01FR0000126", crime="fraud")
    users.lawyer.units.append(factories.unit("sfd"))
    charged = factories.defendant(drugs, charged_on=dt.date(2025, 3, 1))
    as_user(users.lawyer)
    assert _urns(client.get("/cases?crime_type=fraud")) == [fraud.urn]
    assert _urns(client.get("/cases?unit=ocd")) == [drugs.urn]
    assert _urns(client.get("/cases?stage=charged")) == [drugs.urn]
    assert _urns(client.get("/cases?stage=pre_charge")) == [fraud.urn]
    assert _urns(client.get(f"/cases?lawyer={users.lawyer.id}")) == [drugs.urn]
    assert _urns(client.get("/cases?stage=nonsense")) != []  # unknown values are ignored
    html = client.get("/cases?crime_type=fraud").get_data(as_text=True)
    assert '<option value="fraud" selected>' in html
    assert charged.case is drugs


def test_search_by_urn_name_and_surname(client, users, as_user, frozen_today):
    nightjar = factories.case("ocd", urn="01YE1234524", name="Operation Nightjar")
    kestrel = factories.case("ocd", urn="01YE1234525", name="Operation Kestrel")
    factories.defendant(kestrel, surname="Brennan")
    as_user(users.lawyer)
    assert _urns(client.get("/cases?q=01ye 12345 24")) == [nightjar.urn]
    assert _urns(client.get("/cases?q=nightj")) == [nightjar.urn]
    assert _urns(client.get("/cases?q=BREN")) == [kestrel.urn]
    assert _urns(client.get("/cases?q=%25")) == []  # a wildcard is a literal character
    assert "No cases match" in client.get("/cases?q=zzzz").get_data(as_text=True)


def test_sort_headers_carry_aria_sort(client, users, as_user, many):
    as_user(users.lawyer)
    html = client.get("/cases?sort=urn&dir=asc").get_data(as_text=True)
    assert re.search(r'aria-sort="ascending">\s*<a[^>]+sort=urn&amp;dir=desc', html)
    assert html.count('aria-sort="none"') == 2
    assert _urns(client.get("/cases?sort=urn&dir=desc")) == sorted((c.urn for c in many), reverse=True)
    html = client.get("/cases?sort=bogus").get_data(as_text=True)
    assert re.search(r'aria-sort="descending">\s*<a[^>]+sort=received', html)


def test_my_cases_shows_only_cases_i_lead(client, users, as_user, frozen_today):
    mine = factories.case("ocd", lead_lawyer=users.lawyer)
    factories.case("ocd")
    colleague = factories.user("lawyer", ("ocd",))
    theirs = factories.case("ocd", lead_lawyer=colleague)
    as_user(users.lawyer)
    assert _urns(client.get("/cases/mine")) == [mine.urn]
    assert theirs.urn in _urns(client.get("/cases"))


def test_case_list_runs_a_fixed_number_of_queries(client, session, users, as_user, frozen_today,
                                                  count_queries):
    """Each row's unit, crime type, lead lawyer and defendant count come from the one list query
    (the identity map is emptied first so nothing is served from memory)."""
    as_user(users.lawyer)
    crimes = ["drugs", "firearms", "fraud", "cyber", "other"]

    def add(n):
        for i in range(n):
            lead = factories.user("lawyer", ("ocd",))
            case = factories.case("ocd", lead_lawyer=lead, crime=crimes[i % len(crimes)])
            factories.defendant(case)

    def count_list_page(expected_rows):
        session.commit()
        session.expunge_all()
        with count_queries() as counter:
            assert len(_urns(client.get("/cases"))) == expected_rows
        return counter

    add(2)
    few = count_list_page(2)
    add(20)
    lots = count_list_page(22)
    assert lots.count == few.count, lots.statements
    assert few.count <= 12, few.statements


def test_case_page_runs_a_fixed_number_of_queries(client, session, users, as_user, frozen_today,
                                                  count_queries):
    """Defendants, their charges and aliases, and hearings load in a fixed number of queries."""
    as_user(users.lawyer)

    def case_with(n):
        case = factories.case("ocd", lead_lawyer=users.lawyer)
        for _ in range(n):
            defendant = factories.defendant(case, charged_on=dt.date(2025, 3, 1), aliases=("A",))
            service.record_hearing(case, court="Leeds Crown Court", hearing_on=dt.date(2025, 4, 1),
                                   kind="mention", defendant=defendant, actor=None)
        session.commit()
        return case

    ids = [case_with(1).id, case_with(6).id]
    counts = []
    for case_id in ids:
        session.expunge_all()
        with count_queries() as counter:
            assert client.get(f"/cases/{case_id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
