"""Load test: the clinic app under concurrent staff, on SQLite or PostgreSQL.

Builds a fresh database with the demo clinics, starts the app the way ``scleropath serve`` does (the
threaded development server, on 127.0.0.1 only), signs every client in, then runs a mixed workload
for a bounded time and number of requests:

- reads: Today, the patient list and a search, a patient's chart, a session page, the session's live
  tally fragment (htmx), and API reads (patients, a patient, a session's injections);
- writes: injections recorded through the session page's form and through the API, patients
  registered through the web form, weights on the chart, and sessions started through the API.

Each client is one member of staff with the demo password (clinicians chart and inject, nurses
weigh and read, reception registers); web clients send the session cookie and the CSRF token, API
clients a personal token. The figures: requests per second, p50/p95/p99 latency per kind of request,
and answers counted by status. A 4xx answer to a write is the app refusing it (an expected outcome
under load, such as a second open session for a patient); 5xx answers, failed connections and any
read not answered with its page are errors. The run exits with status 1 if there was any error.

    python benchmarks/load_test.py                      # SQLite in var/load/, 20 clients, 60 s
    python benchmarks/load_test.py --db postgres://postgres@127.0.0.1:5432/sp_load --clients 20

The database is emptied first: a SQLite file is deleted, a PostgreSQL database is dropped and
created again (only on 127.0.0.1 or localhost). Results are printed and written as JSON (--out).
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PASSWORD = "vein-demo-2026"  # the demo's shared password (scleropath.synthetic.demo.DEMO_PASSWORD)

# kind of request -> weight in the mix; reads first, then writes (about three reads to one write)
MIX: dict[str, int] = {
    "today": 10,
    "patient_list": 6,
    "patient_search": 4,
    "chart": 12,
    "session_page": 12,
    "tally": 12,
    "api_patients": 6,
    "api_patient": 5,
    "api_injections": 6,
    "inject_web": 8,
    "inject_api": 6,
    "register_patient": 4,
    "weight": 5,
    "start_session": 2,
}
WRITES = {"inject_web", "inject_api", "register_patient", "weight", "start_session"}
# What each role does: clinicians everything, nurses everything but injections, reception the front desk.
ROLE_KINDS = {
    "clinician": set(MIX),
    "nurse": set(MIX) - {"inject_web", "inject_api", "start_session"},
    "reception": {
        "today",
        "patient_list",
        "patient_search",
        "register_patient",
        "api_patients",
        "api_patient",
    },
}
STAFF = {  # clinic slug -> role -> username (the demo's staff)
    "riverside": {"clinician": "alice", "nurse": "nora", "reception": "rita"},
    "hillview": {"clinician": "bob", "nurse": "nina", "reception": "ravi"},
}
ROLE_CYCLE = ["clinician", "clinician", "nurse", "nurse", "reception"]


# --- the database ---------------------------------------------------------------------------------


def database_url(db: str) -> str:
    """``sqlite`` (var/load/scleropath.sqlite3), ``sqlite:PATH`` or a PostgreSQL URL, as a DATABASE_URL."""
    if db == "sqlite":
        db = "sqlite:var/load/scleropath.sqlite3"
    if db.startswith("sqlite:") and not db.startswith("sqlite://"):
        return f"sqlite:///{Path(db.removeprefix('sqlite:')).resolve()}"
    return db


def fresh_database(url: str) -> None:
    """Delete the SQLite file, or drop and create the PostgreSQL database (loopback only)."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "sqlite":
        path = Path(parsed.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if parsed.hostname not in LOOPBACK:
        raise SystemExit(
            f"refusing to drop a database on {parsed.hostname}: the load test runs on loopback only"
        )
    import psycopg

    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Clinic:
    """What the clients of one clinic work on: ids read from the demo once it is loaded."""

    patients: list[int]
    sessions: list[int]
    plans: list[int]
    lots: list[int]
    findings: dict[int, list[int]]  # session -> findings of its plan
    tokens: dict[str, str] = field(default_factory=dict)  # username -> API token


def prepare(url: str) -> dict[str, Clinic]:
    """Migrate, load the demo, open a session for every consented plan, issue a token per user."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scleropath.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from scleropath.accounts.models import Clinic as ClinicRecord
    from scleropath.accounts.models import User
    from scleropath.api.tokens import create_token
    from scleropath.assessments.models import TreatmentPlan, VeinFinding
    from scleropath.patients.models import Patient
    from scleropath.treatment.models import SessionStatus, StockLot, TreatmentSession
    from scleropath.treatment.services import start_session

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    clinics: dict[str, Clinic] = {}
    for record in ClinicRecord.objects.order_by("pk"):
        clinician = User.objects.get(username=STAFF[record.slug]["clinician"])
        ready = TreatmentPlan.objects.filter(clinic=record, consents__isnull=False).distinct()
        for plan in ready.exclude(sessions__status=SessionStatus.OPEN):
            try:
                start_session(clinician, plan)
            except Exception as exc:  # a plan the demo left unable to start is simply not used
                print(f"  (plan {plan.pk} not started: {exc})")
        sessions = TreatmentSession.objects.filter(clinic=record, status=SessionStatus.OPEN)
        clinic = Clinic(
            patients=list(Patient.objects.filter(clinic=record).values_list("pk", flat=True)),
            sessions=list(sessions.values_list("pk", flat=True)),
            plans=list(ready.values_list("pk", flat=True)),
            lots=list(
                StockLot.objects.filter(clinic=record, expiry_date__gte=timezone.localdate()).values_list(
                    "pk", flat=True
                )
            ),
            findings={
                s.pk: list(
                    VeinFinding.objects.filter(assessment_id=s.plan.assessment_id).values_list(
                        "pk", flat=True
                    )
                )
                for s in sessions.select_related("plan")
            },
        )
        for username in STAFF[record.slug].values():
            clinic.tokens[username] = create_token(User.objects.get(username=username), "load test")[1]
        clinics[record.slug] = clinic
    connections.close_all()
    return clinics


# --- the server -----------------------------------------------------------------------------------

# ``scleropath serve`` without its migrate and demo steps (done above). Only warnings and errors are
# logged, each 5xx with its traceback, so an error under load can be traced to its cause.
SERVER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scleropath.settings")
from django.conf import settings
settings.LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        name: {"handlers": ["stderr"], "level": "WARNING", "propagate": False}
        for name in ("django.request", "django.server", "scleropath")
    },
}
from scleropath.cli import server
server._setup()
from django.core.management import call_command
call_command("runserver", f"127.0.0.1:{sys.argv[1]}", use_reloader=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=url, SCLEROPATH_DEV="1")
    env.pop("DEBUG", None)
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped at start:\n{log.read_text()}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the server did not answer within 60 s")


# --- the clients ----------------------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    status: int  # 0 for a failed connection
    seconds: float
    error: str = ""


class Client:
    """One member of staff: a browser session (cookies, CSRF token) and a personal API token."""

    def __init__(self, port: int, username: str, token: str, role: str, clinic: Clinic, seed: int) -> None:
        self.port, self.username, self.token, self.role, self.clinic = port, username, token, role, clinic
        self.rng = random.Random(seed)
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        kinds = sorted(ROLE_KINDS[role])
        self.kinds, self.weights = kinds, [MIX[k] for k in kinds]

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, Any] | None = None,
        body: Any = None,
        api: bool = False,
        htmx: bool = False,
    ) -> tuple[int, bytes]:
        headers = {"Host": f"{HOST}:{self.port}"}
        if htmx:
            headers["HX-Request"] = "true"
        data: bytes | None = None
        if api:
            headers["Authorization"] = f"Bearer {self.token}"
            if body is not None:
                data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        else:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if method == "POST":
                headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
                data = urllib.parse.urlencode(form or {}).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # the next request opens a new connection
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, content

    def sign_in(self) -> None:
        self.request("GET", "/accounts/login/")
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            {"login": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies["csrftoken"]},
        )
        if status != 302:
            raise SystemExit(f"{self.username} could not sign in (status {status})")

    def injection(self, session: int) -> dict[str, Any]:
        findings = self.clinic.findings.get(session) or []
        return {
            "lot": self.rng.choice(self.clinic.lots),
            "form": "liquid",
            "volume_ml": self.rng.choice(["0.1", "0.2", "0.25", "0.5"]),
            "finding": self.rng.choice(findings) if findings and self.rng.random() < 0.5 else None,
            "override_reason": "Load test: charting under concurrent use.",
        }

    def one(self, kind: str) -> tuple[int, bytes]:
        """One request of ``kind``; returns its status and body."""
        c, rng = self.clinic, self.rng
        patient, session = rng.choice(c.patients), rng.choice(c.sessions)
        if kind == "today":
            return self.request("GET", "/")
        if kind == "patient_list":
            return self.request("GET", "/patients/")
        if kind == "patient_search":
            return self.request("GET", "/patients/?q=" + rng.choice(["sh", "ann", "e", "ro", "li"]))
        if kind == "chart":
            return self.request("GET", f"/patients/{patient}/")
        if kind == "session_page":
            return self.request("GET", f"/sessions/{session}/")
        if kind == "tally":
            form = {k: v or "" for k, v in self.injection(session).items()}
            return self.request("POST", f"/sessions/{session}/tally/", form, htmx=True)
        if kind == "api_patients":
            return self.request("GET", "/api/v1/patients?limit=20", api=True)
        if kind == "api_patient":
            return self.request("GET", f"/api/v1/patients/{patient}", api=True)
        if kind == "api_injections":
            return self.request("GET", f"/api/v1/sessions/{session}/injections?limit=50", api=True)
        if kind == "inject_web":
            form = {k: v or "" for k, v in self.injection(session).items()}
            return self.request("POST", f"/sessions/{session}/", form)
        if kind == "inject_api":
            return self.request(
                "POST", f"/api/v1/sessions/{session}/injections", body=self.injection(session), api=True
            )
        if kind == "register_patient":
            form = {
                "given_name": rng.choice(["Ada", "Bea", "Cleo", "Dora", "Edie"]),
                "family_name": f"Load{secrets.token_hex(3)}",
                "date_of_birth": f"{rng.randint(1940, 2000)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "sex": rng.choice(["female", "male"]),
            }
            return self.request("POST", "/patients/new/", form)
        if kind == "weight":
            return self.request("POST", f"/patients/{patient}/", {"weight_kg": f"{rng.uniform(50, 95):.1f}"})
        if kind == "start_session":
            return self.request("POST", f"/api/v1/plans/{rng.choice(c.plans)}/sessions", body={}, api=True)
        raise ValueError(kind)

    def run(self, until: float, budget: Budget, results: list[Result]) -> None:
        while time.monotonic() < until and budget.take():
            kind = self.rng.choices(self.kinds, self.weights)[0]
            started = time.perf_counter()
            try:
                status, _ = self.one(kind)
                results.append(Result(kind, status, time.perf_counter() - started))
            except (OSError, http.client.HTTPException) as exc:
                results.append(Result(kind, 0, time.perf_counter() - started, type(exc).__name__))


class Budget:
    """The run's bound on the number of requests, shared by every client."""

    def __init__(self, requests: int) -> None:
        self.left, self.lock = requests, threading.Lock()

    def take(self) -> bool:
        with self.lock:
            self.left -= 1
            return self.left >= 0


# --- figures --------------------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figures(results: list[Result], seconds: float) -> dict[str, Any]:
    by_kind: dict[str, Any] = {}
    for kind in MIX:
        rows = [r for r in results if r.kind == kind]
        if not rows:
            continue
        times = [r.seconds * 1000 for r in rows]
        statuses: dict[str, int] = {}
        for r in rows:
            key = str(r.status) if r.status else f"connection:{r.error}"
            statuses[key] = statuses.get(key, 0) + 1
        by_kind[kind] = {
            "requests": len(rows),
            "p50_ms": round(percentile(times, 0.50), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "p99_ms": round(percentile(times, 0.99), 1),
            "statuses": dict(sorted(statuses.items())),
        }
    ok = sum(1 for r in results if 200 <= r.status < 400)
    # Only a write may be refused; a read that is not answered (a 400 when the sign-in session could
    # not be saved, say) is an error like a 5xx.
    refused = sum(1 for r in results if 400 <= r.status < 500 and r.kind in WRITES)
    errors = len(results) - ok - refused
    return {
        "requests": len(results),
        "seconds": round(seconds, 1),
        "requests_per_second": round(len(results) / seconds, 1),
        "writes_per_second": round(sum(1 for r in results if r.kind in WRITES) / seconds, 1),
        "ok": ok,
        "refused_4xx": refused,
        "errors": errors,
        "kinds": by_kind,
    }


def print_figures(fig: dict[str, Any]) -> None:
    print(
        f"\n{fig['requests']} requests in {fig['seconds']} s: {fig['requests_per_second']} requests/s "
        f"({fig['writes_per_second']} writes/s); ok {fig['ok']}, writes refused (4xx) {fig['refused_4xx']}, "
        f"errors {fig['errors']}"
    )
    print(f"{'kind':<17}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    for kind, k in fig["kinds"].items():
        statuses = ", ".join(f"{s}: {n}" for s, n in k["statuses"].items())
        print(f"{kind:<17}{k['requests']:>6}{k['p50_ms']:>9}{k['p95_ms']:>9}{k['p99_ms']:>9}  {statuses}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--db", default="sqlite", help="sqlite, sqlite:PATH or a PostgreSQL URL on loopback")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)

    url = database_url(args.db)
    work = Path("var/load")
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SECRET_KEY", f"load-{secrets.token_hex(16)}")  # signs this run's cookies only
    print(f"Preparing a fresh database ({urllib.parse.urlparse(url).scheme})...")
    fresh_database(url)
    started = time.monotonic()
    clinics = prepare(url)
    print(f"  demo loaded, sessions opened and tokens issued in {time.monotonic() - started:.1f} s")
    port = free_port()
    log = work / f"server-{urllib.parse.urlparse(url).scheme}.log"
    server = start_server(url, port, log)
    try:
        clients = []
        slugs = sorted(clinics)
        for i in range(args.clients):
            slug, role = slugs[i % len(slugs)], ROLE_CYCLE[(i // len(slugs)) % len(ROLE_CYCLE)]
            username = STAFF[slug][role]
            client = Client(
                port, username, clinics[slug].tokens[username], role, clinics[slug], args.seed + i
            )
            client.sign_in()
            clients.append(client)
        print(f"{args.clients} clients signed in; running for {args.seconds:g} s on 127.0.0.1:{port}...")
        results: list[Result] = []
        budget = Budget(args.max_requests)
        began = time.monotonic()
        until = began + args.seconds
        threads = [threading.Thread(target=c.run, args=(until, budget, results)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    fig = figures(results, elapsed)
    fig["setup"] = {
        "database": urllib.parse.urlparse(url).scheme,
        "clients": args.clients,
        "server": "threaded development server (scleropath serve)",
        "python": platform.python_version(),
        "cores": os.cpu_count(),
    }
    print_figures(fig)
    if fig["errors"]:
        print(f"\nErrors: see the server's log, {log}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(fig, indent=2) + "\n")
    return 1 if fig["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
