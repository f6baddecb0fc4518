"""Analytics at chain scale: the dashboard, a drill-down and the CSV exports on a generated chain.

Builds (or reuses) a database filled by ``generate_chain``, then for the busiest generated clinic:
- ``dashboard()`` itself, for the last full quarter and for the last year of the history;
- the dashboard page, two drill-down pages and two CSV exports through Django's test client,
  signed in as the clinic's manager;
each several times (median and 95th percentile), with the number of queries and the peak Python
memory of one more, separate run (counting and tracing are kept out of the timed runs).

Run with ``python benchmarks/bench_analytics.py --db sqlite:var/bench/scleropath.sqlite3`` or
``--db postgres://postgres@127.0.0.1:5432/sp_scale``. The results are written down in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import secrets
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

UNTIL = date(2026, 11, 30)
SEED = 20261130


def configure(db: str) -> None:
    """Point the settings at ``db`` before Django starts: ``sqlite:PATH`` or a PostgreSQL URL."""
    if db.startswith("sqlite:"):
        path = Path(db.removeprefix("sqlite:")).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ.pop("DATABASE_URL", None)
        os.environ["SCLEROPATH_VAR_DIR"] = str(path.parent)
    else:
        os.environ["DATABASE_URL"] = db
        path = None
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scleropath.settings")
    # The test client signs its session cookie; a throwaway key for this process only.
    os.environ.setdefault("SECRET_KEY", f"bench-{secrets.token_hex(16)}")
    import django
    from django.conf import settings

    if path is not None:
        settings.DATABASES["default"]["NAME"] = str(path)
    django.setup()


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(label: str, fn: Callable[[], Any], runs: int) -> dict[str, Any]:
    """Time ``fn`` ``runs`` times after one warm-up; then count its queries and trace its memory."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up: caches, prepared plans, the page cache of the database
    samples = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as ctx:
        fn()
    query_count = len(ctx.captured_queries)  # read before the log is cleared
    reset_queries()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result: dict[str, Any] = {
        "label": label,
        "runs": runs,
        "median_s": statistics.median(samples),
        "p95_s": percentile(samples, 0.95),
        "min_s": min(samples),
        "queries": query_count,
        "peak_python_mb": peak / 1e6,
    }
    print(
        f"  {label:<44} median {result['median_s'] * 1000:9.1f} ms  p95 {result['p95_s'] * 1000:9.1f} ms  "
        f"{result['queries']:3d} queries  peak {result['peak_python_mb']:7.1f} MB",
        flush=True,
    )
    return result


def ensure_chain(args: argparse.Namespace) -> float:
    """Migrate, and generate the chain unless the database holds one; the seconds it took."""
    from django.core.management import call_command

    from scleropath.accounts.models import Clinic
    from scleropath.synthetic.chain import ChainSize, generate_chain, is_generated

    if args.migrate:
        # On a reused chain this is where new indexes are built: the time says what they cost.
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        print(f"Migrated in {time.monotonic() - started:.1f} s")
    if any(is_generated(c) for c in Clinic.objects.all()):
        print("Reusing the generated chain already in the database")
        return 0.0
    size = ChainSize().scaled(args.scale)
    print(f"Generating a chain at scale {args.scale:g}: {size}")
    started = time.monotonic()
    generate_chain(size, seed=SEED, until=UNTIL)
    return time.monotonic() - started


def describe_database() -> dict[str, Any]:
    from django.db import connection

    from scleropath.followup.models import AdverseEvent, FollowUp, Outcome
    from scleropath.patients.models import Patient
    from scleropath.treatment.models import Injection, TreatmentSession

    counts = {
        m._meta.label: m.objects.count()
        for m in (Patient, TreatmentSession, Injection, FollowUp, AdverseEvent, Outcome)
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT version(), pg_database_size(current_database())")
            version, size = cursor.fetchone()
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
            size = Path(connection.settings_dict["NAME"]).stat().st_size
    return {"vendor": connection.vendor, "version": version, "size_gb": size / 1e9, "counts": counts}


def explain(label: str, fn: Callable[[], Any], top: int) -> list[dict[str, Any]]:
    """Run ``fn`` once capturing its SQL, then time each statement alone and print the plans of the
    ``top`` slowest (SQLite ``EXPLAIN QUERY PLAN``, PostgreSQL ``EXPLAIN ANALYZE``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    statements = [q["sql"] for q in ctx.captured_queries]
    timed: list[tuple[float, str]] = []
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            timed.append((time.perf_counter() - start, sql))
        timed.sort(reverse=True)
        print(f"\n{label}: {len(timed)} SELECTs, {sum(t for t, _ in timed) * 1000:.0f} ms in all")
        out = []
        for seconds, sql in timed[:top]:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
            print(f"--- {seconds * 1000:.0f} ms: {sql[:600]}\n{plan}\n")
            out.append({"ms": seconds * 1000, "sql": sql, "plan": plan})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", default="sqlite:var/bench/scleropath.sqlite3")
    parser.add_argument("--scale", type=float, default=1.0, help="chain size if one must be generated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-migrate", dest="migrate", action="store_false", help="use the database's schema as it is"
    )
    parser.add_argument("--out", default=None, help="write the results as JSON to this file")
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="print the plans of the N slowest dashboard queries",
    )
    parser.add_argument("--only-explain", action="store_true", help="explain, and time nothing")
    args = parser.parse_args()
    configure(args.db)

    from django.db import connection
    from django.test import Client

    from scleropath.accounts.models import Clinic, Role, User
    from scleropath.analytics import queries

    generated_s = ensure_chain(args)
    db = describe_database()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; {db['version']}"
    )
    print(f"Database {db['size_gb']:.2f} GB: " + ", ".join(f"{k} {v:,}" for k, v in db["counts"].items()))

    clinic = max(
        Clinic.objects.filter(slug__startswith="chain-"),
        key=lambda c: queries.sessions_in(c, UNTIL - timedelta(days=364), UNTIL).count(),
    )
    manager = User.objects.get(clinic=clinic, role=Role.MANAGER)
    client = Client()
    client.force_login(manager)
    quarter = (date(2026, 7, 1), date(2026, 9, 30))
    year = (UNTIL - timedelta(days=364), UNTIL)
    q = f"start={year[0]}&end={year[1]}"
    year_sessions = queries.sessions_in(clinic, *year).count()
    practitioner = queries.dashboard(clinic, *year).by_practitioner[0].key
    print(f"Clinic {clinic.name}: {year_sessions:,} sessions in the year to {UNTIL}")

    def page(url: str) -> Callable[[], Any]:
        def get() -> Any:
            response = client.get(url, secure=True)  # production settings redirect plain HTTP
            assert response.status_code == 200, (url, response.status_code)
            if response.streaming:
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
            return response

        return get

    plans = []
    if args.explain or args.only_explain:
        plans = explain("dashboard(), last year", lambda: queries.dashboard(clinic, *year), args.explain or 5)
        plans += explain(
            "drill-down: clearance by practitioner",
            lambda: client.get(f"/analytics/figures/practitioner/?{q}&key={practitioner}"),
            2,
        )
        if args.only_explain:
            return
    results = [
        measure("dashboard(), last quarter", lambda: queries.dashboard(clinic, *quarter), args.runs),
        measure("dashboard(), last year", lambda: queries.dashboard(clinic, *year), args.runs),
        measure("dashboard page, last year", page(f"/analytics/?{q}"), args.runs),
        measure(
            "drill-down: clearance by practitioner",
            page(f"/analytics/figures/practitioner/?{q}&key={practitioner}"),
            args.runs,
        ),
        measure(
            "drill-down: left-leg VCSS change", page(f"/analytics/figures/vcss/?{q}&key=left"), args.runs
        ),
        measure("CSV: events table", page(f"/analytics/tables/events.csv?{q}"), args.runs),
        measure(
            "CSV: every session of the year", page(f"/analytics/figures/sessions/?{q}&format=csv"), args.runs
        ),
    ]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak resident memory of the process: {rss_mb:.0f} MB")
    if args.out:
        Path(args.out).write_text(
            json.dumps(
                {
                    "database": db,
                    "generated_s": generated_s,
                    "clinic": clinic.name,
                    "year_sessions": year_sessions,
                    "python": platform.python_version(),
                    "cores": os.cpu_count(),
                    "rss_mb": rss_mb,
                    "results": results,
                    "plans": plans,
                },
                indent=2,
                default=str,
            )
        )
    connection.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
