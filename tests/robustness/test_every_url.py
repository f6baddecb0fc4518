"""Every URL the resolver knows, tried by everyone: signed out, as each role of the other clinic and
as each role of the clinic whose records the URL names. Nobody gets a 5xx, and nobody outside clinic
A sees its patient's name or NHS number.

The URLs are generated from ``get_resolver()``, so a new page or endpoint is tried without being
listed here; its keywords are filled with ids of clinic A's real records (``records``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from scleropath.accounts.models import User
from scleropath.patients.models import Patient
from tests.pathway import Clinics
from tests.robustness.conftest import Records

# Pages anyone may open signed out: signing in and up, the patient's own link pages (the token is
# the credential), and the API's description.
PUBLIC = ("account_", "mfa_authenticate", "checkins:", "api:openapi-", "api:api-root", "admin:login")
# Only the patient's own link pages show the patient, to whoever holds the link's token.
SHOWS_THE_PATIENT_BY_TOKEN = ("checkins:",)
# A POST to these signs the persona out, which would leave the rest of the walk signed out.
SIGN_OUT = ("account_logout", "admin:logout")
OUTSIDER_STATUSES = {301, 302, 303, 307, 308, 400, 401, 403, 404, 405, 409, 422}


@dataclass(frozen=True)
class Route:
    path: str  # the pattern, keywords still in place
    name: str  # namespaced, e.g. "web:chart"; "" for an unnamed pattern


def routes(resolver: URLResolver | None = None, prefix: str = "", ns: str = "") -> Iterator[Route]:
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from routes(p, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield Route(prefix + str(p.pattern), ns + (p.name or ""))


def _admin_object_id(name: str, clinic_id: int) -> str:
    """Clinic A's record of the model an admin URL name (``admin:patients_patient_change``) is about."""
    for model in apps.get_models():
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(label):
            fields = {f.name for f in model._meta.get_fields()}
            qs = model._default_manager.all()
            if "clinic" in fields or model is User:
                qs = qs.filter(clinic_id=clinic_id)
            obj = qs.order_by("pk").first()
            return str(obj.pk) if obj is not None else "1"
    return "1"


def fill(route: Route, records: Records, clinic_id: int) -> str:
    """The route as a path, each keyword replaced by the id of clinic A's record it names."""

    def value(key: str) -> str:
        if key in records.ids:
            return str(records.ids[key])
        if key == "token":
            return records.token
        if key == "object_id":
            return _admin_object_id(route.name, clinic_id)
        if key == "content_type_id":
            return str(ContentType.objects.get_for_model(Patient).pk)
        if key == "name":
            return "procedure"  # an analytics table
        if key == "figure":
            return "sessions"
        return "x1-y2"  # allauth's keys and uids: not valid, but well formed

    path = route.path.removeprefix("^")
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: value(m.group(1)), path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    return "/" + path.replace("$", "").replace("\\", "")


def _secrets(records: Records) -> list[bytes]:
    """Clinic A's patient as a page may show them, in lower case (the name is often upper case)."""
    patient = records.pathway.patient
    return [patient.family_name.lower().encode(), patient.nhs_number.encode()]


def walk(client: Client, records: Records, clinic_id: int, methods: tuple[str, ...]) -> Iterator[Any]:
    """Each route requested with each method: (method, route, path, response or the exception)."""
    for route in routes():
        path = fill(route, records, clinic_id)
        for method in methods:
            if method == "post" and route.name in SIGN_OUT:
                continue
            try:
                response = getattr(client, method)(path)
            except Exception as exc:  # the test client re-raises a view's exception
                response = exc
            yield method, route, path, response


def names_a_record(route: Route, records: Records) -> bool:
    keys = set(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route.path)) - {("", "")}
    names = {a or b for a, b in keys}
    return bool(names & {*records.ids, "object_id", "content_type_id"})


def failures_of(
    client: Client, records: Records, clinic_id: int, methods: tuple[str, ...], outsider: bool
) -> list[str]:
    """What went wrong. An outsider must be refused every record of clinic A, and someone signed out
    every page but the public ones; another clinic's staff may open their own clinic's lists."""
    signed_out = "_auth_user_id" not in client.session
    out = []
    for method, route, path, response in walk(client, records, clinic_id, methods):
        where = f"{method.upper()} {path} ({route.name or 'unnamed'})"
        if isinstance(response, Exception):
            out.append(f"{where}: raised {response!r}")
            continue
        if response.status_code >= 500:
            out.append(f"{where}: {response.status_code}")
            continue
        if not outsider or route.name.startswith(SHOWS_THE_PATIENT_BY_TOKEN):
            continue
        body = (b"".join(response) if response.streaming else response.content).lower()
        if any(s in body for s in _secrets(records)):
            out.append(f"{where}: {response.status_code} shows clinic A's patient")
        must_refuse = signed_out or names_a_record(route, records)
        if (
            must_refuse
            and not route.name.startswith(PUBLIC)
            and response.status_code not in OUTSIDER_STATUSES
        ):
            out.append(f"{where}: {response.status_code}, expected a refusal")
    return out


def test_no_url_answers_5xx_or_clinic_as_data_to_someone_signed_out(records: Records, clinics: Clinics):
    failures = failures_of(Client(), records, clinics.a.pk, ("get", "post"), outsider=True)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", ["bob", "nina", "ray", "max"])
def test_no_url_answers_5xx_or_clinic_as_data_to_another_clinics_staff(
    records: Records, clinics: Clinics, clinic_b_staff: dict[str, User], persona: str
):
    client = Client()
    client.force_login(clinic_b_staff[persona])
    failures = failures_of(client, records, clinics.a.pk, ("get", "post"), outsider=True)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", ["alice", "nora", "rita", "mark"])
def test_no_url_answers_5xx_to_the_clinics_own_staff(records: Records, clinics: Clinics, persona: str):
    client = Client()
    client.force_login(getattr(clinics, persona))
    failures = failures_of(client, records, clinics.a.pk, ("get",), outsider=False)
    assert not failures, "\n".join(failures)


def test_the_walk_reaches_every_app_and_fills_every_keyword(records: Records, clinics: Clinics):
    paths = [fill(r, records, clinics.a.pk) for r in routes()]
    assert not [p for p in paths if "<" in p or "(?P" in p]
    for prefix in ("/patients/", "/api/v1/", "/admin/", "/analytics/", "/fhir/", "/p/", "/accounts/"):
        assert any(p.startswith(prefix) for p in paths), prefix
    # The check for clinic A's data would see it: the clinic's own clinician is shown it.
    client = Client()
    client.force_login(clinics.alice)
    chart = client.get(f"/patients/{records.ids['patient_id']}/").content.lower()
    assert all(s in chart for s in _secrets(records))
