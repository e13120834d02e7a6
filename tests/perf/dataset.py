"""The benchmark databases: create, migrate and load the profile once, then reuse it.

SQLite lives in ``bench-results/bench.sqlite3``; PostgreSQL in the ``casework_bench`` database
(``CASEWORK_BENCH_PG_URL`` overrides the server). A small JSON file beside the results records
what was loaded (profile, seed, scale, loader, migration head and row counts); a later run
reuses the database when all of that still matches, unless ``--fresh``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

PROFILE = "national-10y"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/casework_bench"
COUNTED = ("users", "cases", "defendants", "charges", "ancillary_orders", "confiscation_orders",
           "confiscation_payments", "alerts")


@dataclass
class Target:
    name: str
    url: str
    results: Path

    @property
    def marker(self) -> Path:
        return self.results / f"dataset-{self.name}.json"


def target(name: str, results: Path) -> Target:
    if name == "sqlite":
        return Target(name, f"sqlite:///{(results / 'bench.sqlite3').resolve()}", results)
    return Target(name, os.environ.get("CASEWORK_BENCH_PG_URL", DEFAULT_PG), results)


def postgres_problem(url: str) -> str | None:
    """None when the server answers and the benchmark database exists (created if missing)."""
    import psycopg

    base, _, dbname = url.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{dbname}"')
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]
    return None


def counts(engine: sa.Engine) -> dict[str, int]:
    out = {}
    with engine.connect() as conn:
        for table in COUNTED:
            out[table] = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
    return out


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from casework import ROOT

    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    return str(ScriptDirectory.from_config(cfg).get_current_head())


def _profile_loader() -> tuple[str, bool]:
    """('profile', takes --scale) when national-10y can be built, else ('standin', True)."""
    from casework.demo.cli import load
    from casework.demo.profiles import PROFILES

    profile = PROFILES.get(PROFILE)
    if profile is None or not profile.available:
        return "standin", True
    return "profile", any(p.name == "scale" for p in load.params)


def wanted(seed: int, scale: float) -> dict[str, Any]:
    loader, _ = _profile_loader()
    return {"profile": PROFILE, "seed": seed, "scale": scale, "loader": loader, "head": _head()}


def prepare(t: Target, *, seed: int, scale: float, fresh: bool, secret: str) -> dict[str, Any]:
    """Make sure ``t`` holds the profile; returns the marker (with counts and load seconds)."""
    from tests.conftest import make_app, migrate, reset_database

    want = wanted(seed, scale)
    if not fresh and t.marker.exists():
        marker = json.loads(t.marker.read_text())
        if all(marker.get(k) == v for k, v in want.items()):
            try:
                engine = sa.create_engine(_sa_url(t.url))
                same = counts(engine) == marker["counts"]
                engine.dispose()
            except sa.exc.SQLAlchemyError:
                same = False
            if same:
                marker["reused"] = True
                return marker  # type: ignore[no-any-return]
    t.marker.unlink(missing_ok=True)
    reset_database(t.url)
    app = make_app(t.url, TESTING=False, SECRET_KEY=secret)
    migrate(app)
    started = time.perf_counter()
    if want["loader"] == "profile":
        _load_profile(t.url, seed, scale, secret)
    else:
        _load_standin(app, seed, scale)
    seconds = time.perf_counter() - started
    engine = sa.create_engine(_sa_url(t.url))
    marker = {**want, "counts": counts(engine), "load_seconds": round(seconds, 1)}
    engine.dispose()
    t.marker.write_text(json.dumps(marker, indent=1))
    marker["reused"] = False
    return marker


def _sa_url(url: str) -> str:
    from casework.config import normalise_db_url

    return normalise_db_url(url)


def app_env(url: str, secret: str) -> dict[str, str]:
    return {**os.environ, "CASEWORK_DATABASE_URL": url, "CASEWORK_SECRET_KEY": secret}


def _load_profile(url: str, seed: int, scale: float, secret: str) -> None:
    _, takes_scale = _profile_loader()
    cmd = [str(Path(sys.executable).with_name("flask")), "--app", "casework", "demo", "load",
           "--profile", PROFILE, "--seed", str(seed)]
    if takes_scale:
        cmd += ["--scale", str(scale)]
    elif scale != 1.0:
        raise SystemExit(f"the {PROFILE} loader has no --scale option; run with --scale 1")
    print(f"  loading: {' '.join(cmd[1:])}", flush=True)  # noqa: T201
    subprocess.run(cmd, env=app_env(url, secret), check=True)  # noqa: S603


def _load_standin(app: Any, seed: int, scale: float) -> None:
    from casework.alerts.sweep import send_due_alerts
    from tests.perf import standin

    print(f"  {PROFILE} is not available yet: bulk stand-in at scale {scale}", flush=True)  # noqa: T201
    with app.app_context():
        standin.fill(scale, seed)
        send_due_alerts(trigger="demo", send_email=False)
