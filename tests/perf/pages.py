"""In-process page measures: each page through the Flask test client (signed in) against the same
SQL through the raw driver plus the same template's rendering; query counts; audit overhead.

The raw equivalent of a page is (its captured statements replayed through the DB-API
connection) + (the time its template took to render in the same request, minus any SQL the
template triggered). Page and raw runs take turns, so machine noise hits both alike.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import Flask, before_render_template, template_rendered
from sqlalchemy import event

from tests.perf.measure import Replayer, Stats, capture, count_statements


@dataclass
class Page:
    name: str
    path: str
    user: str  # a demo user's email
    kind: str = "page"  # page | report (the target differs)


@dataclass
class PageResult:
    name: str
    path: str
    queries: int
    page: Stats
    raw: Stats
    render_ms: float
    replay_errors: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return round(self.page.median / self.raw.median, 2)


def choose_pages(app: Flask) -> list[Page]:
    """The benchmark's pages, with ids picked from the loaded data (same seed: same picks)."""
    from casework.auth.models import User
    from casework.cases.models import Case, Defendant
    from casework.extensions import db
    from casework.orders.models import AncillaryOrder
    from casework.reports.service import REPORTS

    with app.app_context():
        lawyer = db.session.execute(sa.select(User).where(
            User.email == "lawyer@casework.example")).scalar_one()
        # A defendant in the lawyer's unit with an ancillary order: the fullest defendant page.
        defendant_id = db.session.execute(
            sa.select(Defendant.id).join(Case).join(AncillaryOrder,
                                                   AncillaryOrder.defendant_id == Defendant.id)
            .where(Case.unit_id.in_(lawyer.unit_ids)).order_by(Defendant.id).limit(1)).scalar_one()
    today = _today()
    first = dt.date(today.year - 10, today.month, 1)
    last = dt.date(today.year, today.month, 1) - dt.timedelta(days=1)
    span = f"from={first.isoformat()}&to={last.isoformat()}&group=month"
    pages = [
        Page("dashboard", "/home", "lawyer@casework.example"),
        Page("case list", "/cases?stage=charged", "lawyer@casework.example"),
        Page("order register", "/orders?type=scpo", "offender.manager@casework.example"),
        Page("defendant page", f"/defendants/{defendant_id}", "lawyer@casework.example"),
    ]
    for slug in REPORTS:
        path = f"/reports/{slug}" + ("" if slug == "quarterly-review" else f"?{span}")
        pages.append(Page(f"report {slug}", path, "admin@casework.example", kind="report"))
    return pages


def _today() -> dt.date:
    from casework.core import clock

    return clock.today()


class Signed:
    """One signed-in test client per demo user."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.clients: dict[str, Any] = {}

    def client(self, email: str) -> Any:
        if email not in self.clients:
            from casework.auth.models import User
            from casework.extensions import db
            from tests.conftest import sign_in_as

            client = self.app.test_client()
            with self.app.app_context():
                user = db.session.execute(sa.select(User).where(User.email == email)).scalar_one()
                sign_in_as(client, user)
            self.clients[email] = client
        return self.clients[email]


class RenderClock:
    """Time spent rendering templates in a request, minus SQL run while rendering."""

    def __init__(self, app: Flask, engine: sa.Engine) -> None:
        self.app, self.engine = app, engine
        self.depth, self.started, self.sql, self.total = 0, 0.0, 0.0, 0.0
        self._sql_start = 0.0

    def __enter__(self) -> RenderClock:
        before_render_template.connect(self._before, self.app)
        template_rendered.connect(self._after, self.app)
        event.listen(self.engine, "before_cursor_execute", self._sql_before)
        event.listen(self.engine, "after_cursor_execute", self._sql_after)
        return self

    def __exit__(self, *exc: object) -> None:
        before_render_template.disconnect(self._before, self.app)
        template_rendered.disconnect(self._after, self.app)
        event.remove(self.engine, "before_cursor_execute", self._sql_before)
        event.remove(self.engine, "after_cursor_execute", self._sql_after)

    def reset(self) -> None:
        self.total = 0.0

    def _before(self, sender: Any, **kw: Any) -> None:
        if self.depth == 0:
            self.started, self.sql = time.perf_counter(), 0.0
        self.depth += 1

    def _after(self, sender: Any, **kw: Any) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.total += time.perf_counter() - self.started - self.sql

    def _sql_before(self, *args: Any) -> None:
        self._sql_start = time.perf_counter()

    def _sql_after(self, *args: Any) -> None:
        if self.depth:
            self.sql += time.perf_counter() - self._sql_start


def measure_page(app: Flask, signed: Signed, page: Page, runs: int) -> PageResult:
    from casework.extensions import db

    client = signed.client(page.user)
    with app.app_context():
        engine = db.engine
    _get(client, page.path)  # warm caches and compiled statements
    with capture(engine) as cap:
        _get(client, page.path)
    replay = Replayer(engine, cap)
    page_s, raw_s, render_s = [], [], []
    with RenderClock(app, engine) as render:
        for i in range(runs + 2):
            render.reset()
            start = time.perf_counter()
            _get(client, page.path)
            page_t = time.perf_counter() - start
            start = time.perf_counter()
            replay()
            raw_t = time.perf_counter() - start + render.total
            if i >= 2:
                page_s.append(page_t)
                raw_s.append(raw_t)
                render_s.append(render.total)
    return PageResult(page.name, page.path, cap.statements, Stats.of(page_s), Stats.of(raw_s),
                      round(Stats.of(render_s).median, 3), replay.errors)


def _get(client: Any, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")


def audit_overhead(app: Flask, signed: Signed, page: Page, runs: int) -> dict[str, Any]:
    """The defendant page with its consultation audit row against the same page without it."""
    from casework.cases import views_defendant

    client = signed.client(page.user)
    real = views_defendant.audit

    class NoAudit:
        @staticmethod
        def record(*args: Any, **kwargs: Any) -> None:
            return None

    def without() -> None:
        views_defendant.audit = NoAudit  # type: ignore[assignment]
        try:
            _get(client, page.path)
        finally:
            views_defendant.audit = real

    def with_audit() -> None:
        _get(client, page.path)

    from tests.perf.measure import interleaved

    stats = interleaved({"with": with_audit, "without": without}, runs)
    return {"with": stats["with"].as_dict(), "without": stats["without"].as_dict(),
            "delta_median_ms": round(stats["with"].median - stats["without"].median, 3)}


def query_count(app: Flask, signed: Signed, page: Page) -> int:
    from casework.extensions import db

    client = signed.client(page.user)
    with app.app_context():
        engine = db.engine
    with count_statements(engine) as box:
        _get(client, page.path)
    return box[0]


def timed_calls(fns: dict[str, Callable[[], Any]], runs: int) -> dict[str, Stats]:
    from tests.perf.measure import interleaved

    return interleaved(fns, runs)
