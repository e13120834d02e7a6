"""Who may use the case pages: lawyers edit their units' cases, offender managers and admins read,
analysts are refused (403), and a case in another unit is not found (404)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from casework.cases.models import Case
from tests import factories


@pytest.fixture
def records(users, frozen_today):
    case = factories.case("ocd", lead_lawyer=users.lawyer, actor=users.lawyer)
    defendant = factories.convicted_defendant(case, actor=users.lawyer)
    return case, defendant


READ_PAGES = ["/cases", "/cases/{case}", "/defendants/{defendant}"]
EDIT_PAGES = ["/cases/new", "/cases/{case}/edit", "/cases/{case}/hearings/new",
              "/cases/{case}/defendants/new", "/defendants/{defendant}/charges/new",
              "/defendants/{defendant}/outcome", "/defendants/{defendant}/sentence"]


def _urls(pages, records):
    case, defendant = records
    return [p.format(case=case.id, defendant=defendant.id) for p in pages]


def test_lawyer_reads_and_edits_own_unit(client, users, as_user, records):
    as_user(users.lawyer)
    for url in _urls(READ_PAGES + EDIT_PAGES + ["/cases/mine"], records):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["offender_manager", "admin"])
def test_readers_read_but_cannot_edit(client, users, as_user, records, who):
    as_user(getattr(users, who))
    for url in _urls(READ_PAGES, records):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "/outcome" not in response.get_data(as_text=True)  # no change links
    for url in _urls(EDIT_PAGES + ["/cases/mine"], records):
        assert client.get(url).status_code == 403, url
    case, defendant = records
    response = client.form(f"/defendants/{defendant.id}/outcome",
                           {"outcome": "discontinued", "finalised_on": ["1", "9", "2025"]})
    assert response.status_code == 403


def test_admin_reads_every_unit(client, users, as_user, frozen_today):
    case = factories.case("london_north")
    as_user(users.admin)
    assert client.get(f"/cases/{case.id}").status_code == 200
    assert case.urn in client.get("/cases").get_data(as_text=True)


def test_analyst_has_no_case_pages(client, users, as_user, records):
    as_user(users.analyst)
    for url in _urls(READ_PAGES + EDIT_PAGES + ["/cases/mine"], records):
        assert client.get(url).status_code == 403, url
    assert 'href="/cases"' not in client.get("/home").get_data(as_text=True)


def test_other_unit_is_not_found(client, users, as_user, records):
    as_user(users.other_lawyer)
    for url in _urls(READ_PAGES[1:] + EDIT_PAGES[1:], records):
        assert client.get(url).status_code == 404, url
    case, defendant = records
    response = client.form(f"/cases/{case.id}/defendants/new", {"surname": "X", "forenames": "Y"})
    assert response.status_code == 404
    assert case.urn not in client.get("/cases").get_data(as_text=True)
    assert f"/cases/{case.id}\"" not in client.get(f"/cases?q={case.urn}").get_data(as_text=True)


def test_signed_out_user_is_sent_to_sign_in(client, records):
    case, _ = records
    response = client.get(f"/cases/{case.id}")
    assert response.status_code in (302, 401)


def test_navigation_and_home_links(client, users, as_user):
    as_user(users.lawyer)
    home = client.get("/home").get_data(as_text=True)
    assert 'href="/cases"' in home and 'href="/cases/mine"' in home and "My cases" in home
    as_user(users.offender_manager)
    home = client.get("/home").get_data(as_text=True)
    assert 'href="/cases"' in home and 'href="/cases/mine"' not in home


def test_lawyer_cannot_open_a_case_in_another_unit(client, session, users, as_user, frozen_today):
    as_user(users.lawyer)
    other = factories.unit("london_north")
    response = client.form("/cases/new", {
        "urn": "01LN0000126", "name": "Operation Sly", "unit": str(other.id),
        "crime_type": str(factories.crime_type().id), "agency": "nca"})
    assert response.status_code == 200
    assert "Unit: choose one of the options shown" in response.get_data(as_text=True)
    assert session.execute(sa.select(Case).where(Case.urn == "01LN0000126")).first() is None
