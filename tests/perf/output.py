"""The figures as a console table and as a markdown table for docs/performance.md."""

from __future__ import annotations

from typing import Any


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def rows(figures: dict[str, Any]) -> list[list[str]]:
    """measure, median, p95, p99, req/s, queries, raw median, ratio, target, met."""
    out = []
    http = figures.get("http", {})
    targets = {c["measure"]: c for c in figures.get("checks", [])}
    for name, p in figures.get("pages", {}).items():
        check = targets.get(f"{name}: page / raw", {})
        out.append([f"{name} (in-process)", _fmt(p["page"]["median_ms"]), _fmt(p["page"]["p95_ms"]),
                    _fmt(p["page"]["p99_ms"]), "-", _fmt(p["queries"]), _fmt(p["raw"]["median_ms"]),
                    _fmt(p["ratio"]), check.get("target", "-"), _met(check)])
    for name, s in http.items():
        out.append([f"{name} (HTTP)", _fmt(s["median_ms"]), _fmt(s["p95_ms"]), _fmt(s["p99_ms"]),
                    _fmt(s["rps"]), "-", "-", "-", "-", "-"])
    for name, a in figures.get("aggregates", {}).items():
        check = targets.get(f"aggregate {name}: ORM / raw", {})
        out.append([f"aggregate {name}", _fmt(a["orm"]["median_ms"]), _fmt(a["orm"]["p95_ms"]),
                    _fmt(a["orm"]["p99_ms"]), "-", _fmt(a["statements"]),
                    _fmt(a["raw"]["median_ms"]), _fmt(a["ratio"]), check.get("target", "-"),
                    _met(check)])
    if "flask_admin" in figures:
        fa = figures["flask_admin"]
        check = targets.get("order register vs Flask-Admin: times faster", {})
        out.append(["Flask-Admin list (peer)", _fmt(fa["flask_admin"]["median_ms"]),
                    _fmt(fa["flask_admin"]["p95_ms"]), _fmt(fa["flask_admin"]["p99_ms"]), "-", "-",
                    _fmt(fa["register"]["median_ms"]), f"{fa['factor']}x slower",
                    check.get("target", "-") + "x", _met(check)])
    for run_name, s in figures.get("sweep", {}).items():
        check = targets.get(f"sweep ({run_name}): ORM / raw", {})
        out.append([f"alert sweep, {run_name}", _fmt(s["orm_s"] * 1000), "-", "-", "-",
                    _fmt(s["statements"]), _fmt(s["raw_s"] * 1000), _fmt(s["ratio"]),
                    check.get("target", "-"), _met(check)])
    if "monthly" in figures:
        m = figures["monthly"]
        out.append([f"monthly report {m['month']} (PDF)", _fmt(m["total_median_ms"]), "-", "-", "-",
                    "-", "-", "-", "-", "-"])
    if "audit" in figures:
        a = figures["audit"]
        check = targets.get("audit row: median delta ms", {})
        out.append(["defendant page without audit row", _fmt(a["without"]["median_ms"]), "-", "-", "-",
                    "-", "-", f"+{a['delta_median_ms']} ms", check.get("target", "-") + " ms",
                    _met(check)])
    return out


def _met(check: dict[str, Any]) -> str:
    if not check:
        return "-"
    return "met" if check["met"] else "MISSED"


HEADER = ["measure", "median ms", "p95 ms", "p99 ms", "req/s", "queries", "raw ms", "ratio",
          "target", "met"]


def print_table(figures: dict[str, Any]) -> None:
    table = [HEADER, *rows(figures)]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADER))]
    print(f"\n{figures['database']}:")  # noqa: T201
    for r in table:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))  # noqa: T201
    http = figures.get("http", {}).get("dashboard")
    if http:
        print(f"dashboard over HTTP: median {http['median_ms']} ms, p99 {http['p99_ms']} ms, "  # noqa: T201
              f"{http['rps']} req/s")
    missed = [c for c in figures.get("checks", []) if not c["met"]]
    print(f"targets: {len(figures.get('checks', [])) - len(missed)} met, {len(missed)} missed"  # noqa: T201
          + "".join(f"\n  MISSED {c['measure']}: {c['figure']} (target {c['target']})" for c in missed))


def markdown(run: dict[str, Any]) -> str:
    m = run["machine"]
    lines = [f"Run {run['started']} on {m['cpus']} CPUs ({m['cpu']}), Python {m['python']}, "
             f"load average {m['load_average']} at start, {m.get('load_average_end')} at end; "
             f"scale {run['scale']}, seed {run['seed']}{', quick' if run['quick'] else ''}.", ""]
    for name, figures in run["databases"].items():
        counts = figures["dataset"]["counts"]
        lines += [f"### {name}", "", "Data: " + ", ".join(f"{v:,} {k}" for k, v in counts.items())
                  + f" ({figures['dataset']['loader']}).", ""]
        lines.append("| " + " | ".join(HEADER) + " |")
        lines.append("|" + "---|" * len(HEADER))
        lines += ["| " + " | ".join(r) + " |" for r in rows(figures)]
        lines.append("")
    return "\n".join(lines)
