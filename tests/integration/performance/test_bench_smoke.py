"""``make bench`` keeps working: the benchmark suite, run end to end at a tiny scale.

Not a timing test (no figure is compared with a target here): it proves that the profile
loads, that every page, aggregate, the sweep, the monthly report and the audit measure run,
and that every statement a measure captured replays through the bare driver without error (a
replay error would make a published ratio meaningless). Flask-Admin and the HTTP load are left
out: they need the benchmark-only extra and wrk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.reliability.dbs import kind, own_database

ROOT = Path(__file__).resolve().parents[3]
SECTIONS = ("pages", "aggregates", "sweep", "monthly", "audit")

pytestmark = pytest.mark.slow


def test_the_benchmark_suite_runs_end_to_end_at_a_tiny_scale(tmp_path: Path) -> None:
    env = dict(os.environ)
    db = kind()
    if db == "postgresql":
        env["CASEWORK_BENCH_PG_URL"] = own_database(tmp_path, "bench")
    command = [sys.executable, "-m", "tests.perf", "--db", db, "--quick", "--scale", "0.005",
               "--results", str(tmp_path / "results")]
    for section in SECTIONS:
        command += ["--only", section]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads((tmp_path / "results" / "latest.json").read_text())["databases"][db]

    assert figures["dataset"]["counts"]["cases"] > 0
    measured = {**{f"page {k}": v for k, v in figures["pages"].items()},
                **{f"aggregate {k}": v for k, v in figures["aggregates"].items()},
                **{f"sweep {k}": v for k, v in figures["sweep"].items()}}
    assert len(figures["pages"]) >= 8 and len(figures["aggregates"]) == 4
    errors = {name: m["replay_errors"] for name, m in measured.items() if m["replay_errors"]}
    assert errors == {}, f"statements that did not replay through the driver: {errors}"
    assert all(m["ratio"] > 0 for m in measured.values())
    assert figures["sweep"]["first"]["created"] == figures["dataset"]["counts"]["alerts"]
    assert figures["monthly"]["pdf_bytes"] > 1000
    assert "delta_median_ms" in figures["audit"]
    print(f"\n[bench] {db}: tiny-scale run of {', '.join(SECTIONS)}: {len(measured)} measures, "
          f"0 replay errors, sweep rebuilt {figures['sweep']['first']['created']} alerts")
