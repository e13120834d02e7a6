"""``make bench``: the performance benchmarks of QUALITY.md on the national-10y profile.

    .venv/bin/python -m tests.perf [--db sqlite|postgresql|both] [--scale F] [--quick]
                                   [--only NAME] [--fresh] [--seed N]

Loads the profile once per database (reused while it matches), then measures side by side:
pages in-process and over HTTP, each against its raw-driver equivalent; the order register
against Flask-Admin; report aggregates; the alert sweep; the monthly report; the audit row's
cost; query counts. Prints a table and a markdown table, and writes the figures as JSON to
bench-results/<db>-<timestamp>.json and bench-results/latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import secrets
import sys
from pathlib import Path
from typing import Any

from tests.perf import dataset, output

SECTIONS = ("pages", "http", "flask-admin", "aggregates", "sweep", "monthly", "audit")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.perf", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--scale", type=float, default=1.0, help="profile size (1 = national-10y)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="fewer runs and shorter HTTP loads")
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="run only this section (repeatable)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the databases")
    parser.add_argument("--results", type=Path, default=Path("bench-results"))
    return parser.parse_args(argv)


def machine() -> dict[str, Any]:
    import os

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "system": platform.platform(), "load_average": [round(x, 2) for x in load or ()]}


def run_database(name: str, args: argparse.Namespace, secret: str) -> dict[str, Any] | None:
    from tests.perf import runner

    t = dataset.target(name, args.results)
    if name == "postgresql":
        problem = dataset.postgres_problem(t.url)
        if problem:
            print(f"\n== postgresql: skipped, server not reachable ({problem})")  # noqa: T201
            return None
    print(f"\n== {name}: preparing the {dataset.PROFILE} profile (scale {args.scale})", flush=True)  # noqa: T201
    marker = dataset.prepare(t, seed=args.seed, scale=args.scale, fresh=args.fresh, secret=secret)
    print(f"   {'reused' if marker['reused'] else 'loaded in ' + str(marker['load_seconds']) + ' s'}: "  # noqa: T201
          + ", ".join(f"{v:,} {k}" for k, v in marker["counts"].items()), flush=True)
    sections = set(args.only or SECTIONS)
    figures = runner.run(t, sections, quick=args.quick, secret=secret)
    return {"database": name, "dataset": marker, **figures}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    args.results.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    names = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    run: dict[str, Any] = {"started": stamp, "machine": machine(), "quick": args.quick,
                           "scale": args.scale, "seed": args.seed, "databases": {}}
    for name in names:
        figures = run_database(name, args, secret)
        if figures is None:
            continue
        run["databases"][name] = figures
        (args.results / f"{name}-{stamp}.json").write_text(json.dumps(figures, indent=1))
        output.print_table(figures)
    run["machine"]["load_average_end"] = machine()["load_average"]
    (args.results / "latest.json").write_text(json.dumps(run, indent=1))
    print("\n" + output.markdown(run))  # noqa: T201
    print(f"\nFigures written to {args.results}/latest.json")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
