"""Every field of the forms that write clinical records, fuzzed: the session's injection form, plan
approval, patient registration, the side-effect form and the weight form, on the pages and on their
API endpoints. Whatever is typed, the answer is never a 5xx, and a refused submission saves nothing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scleropath.api.tokens import create_token
from scleropath.assessments import services as assessments
from scleropath.assessments.models import TreatmentPlan
from scleropath.followup.models import AdverseEvent
from scleropath.patients.models import Patient, WeightMeasurement
from scleropath.treatment.models import Injection
from tests.pathway import Clinics, Pathway

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What people and scripts really send: empty, words, signs, exponents, huge and tiny numbers,
# impossible dates, NUL, and the edges of each field's range.
AWKWARD = [
    "",
    " ",
    "abc",
    "0",
    "-1",
    "0.01",
    "0.009",
    "0.015",
    "1e309",
    "-0",
    "NaN",
    "inf",
    "9" * 25,
    "1850-06-01",
    "2200-01-01",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "31/12/1999",
    "\x00",
    "a\x00b",
    "<script>",
    "😀",
    "1.5",
    "100",
    "100.01",
    "defer",
    "liquid",
    "foam",
]
typed = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(max_size=20),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
)
json_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    typed,
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def form_data(fields: list[str]) -> st.SearchStrategy[dict[str, str]]:
    """Some of ``fields`` (a form may leave any out), each with something awkward typed in."""
    return st.fixed_dictionaries({}, optional=dict.fromkeys(fields, typed))


def json_body(fields: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional=dict.fromkeys(fields, json_value))


def submit(client: Client, url: str, data: dict[str, Any], model: type[Model], api: bool = False) -> None:
    """Send ``data``; never a 5xx, and a refusal (4xx) adds no ``model`` record."""
    before = model._default_manager.count()
    if api:
        response = client.post(url, json.dumps(data), content_type="application/json")
    else:
        response = client.post(url, data)
    assert response.status_code < 500, (data, response.status_code)
    if response.status_code >= 400:
        assert model._default_manager.count() == before, data


@pytest.fixture
def alice_web(client: Client, clinics: Clinics) -> Client:
    client.force_login(clinics.alice)
    return client


@pytest.fixture
def alice_api(clinics: Clinics) -> Client:
    _, token = create_token(clinics.alice, "fuzz")
    return Client(headers={"Authorization": f"Bearer {token}"})


INJECTION = [
    "finding",
    "lot",
    "form",
    "volume_ml",
    "foam_gas_parts",
    "needle_gauge",
    "override_reason",
    "off_plan_reason",
    "view",
    "x",
    "y",
]


def _with_real_ids(data: dict[str, Any], pathway: Pathway, draw_real: bool) -> dict[str, Any]:
    # Half the time the lot and finding are real, so the fuzz gets past them to the numbers.
    if draw_real:
        data = {"lot": pathway.lot.pk, "finding": pathway.spider.pk, "form": "liquid", **data}
    return data


@FUZZ
@given(data=form_data(INJECTION), real=st.booleans())
def test_the_injection_form_never_fails_whatever_is_typed(alice_web: Client, pathway: Pathway, data, real):
    url = reverse("web:session", args=[pathway.session.pk])
    submit(alice_web, url, _with_real_ids(data, pathway, real), Injection)


@FUZZ
@given(data=json_body(INJECTION), real=st.booleans())
def test_the_injection_endpoint_never_fails_whatever_is_sent(alice_api: Client, pathway: Pathway, data, real):
    url = f"/api/v1/sessions/{pathway.session.pk}/injections"
    submit(alice_api, url, _with_real_ids(data, pathway, real), Injection, api=True)


@FUZZ
@given(data=form_data(["version", "override_L1", "reason_L1", "override_R1", "reason_R1"]))
def test_plan_approval_never_fails_whatever_is_typed(
    alice_web: Client, clinics: Clinics, pathway: Pathway, data
):
    draft = assessments.plan_assessment(clinics.alice, pathway.assessment)
    response = alice_web.post(reverse("web:plan", args=[draft.pk]), data)
    assert response.status_code < 500, data
    if response.status_code >= 400:
        assert TreatmentPlan.objects.get(pk=draft.pk).status == "draft", data


@FUZZ
@given(version=json_value, overrides=json_value)
def test_the_approval_endpoint_never_fails_whatever_is_sent(
    alice_api: Client, clinics: Clinics, pathway: Pathway, version, overrides
):
    draft = assessments.plan_assessment(clinics.alice, pathway.assessment)
    body = json.dumps({"version": version, "overrides": overrides})
    response = alice_api.post(f"/api/v1/plans/{draft.pk}/approve", body, content_type="application/json")
    assert response.status_code < 500, body
    if response.status_code >= 400:
        assert TreatmentPlan.objects.get(pk=draft.pk).status == "draft", body


PATIENT = ["given_name", "family_name", "date_of_birth", "sex", "nhs_number", "email", "phone", "address"]


@FUZZ
@given(data=form_data(PATIENT))
def test_registration_never_fails_whatever_is_typed(client: Client, clinics: Clinics, data):
    client.force_login(clinics.rita)
    submit(client, reverse("web:patient_new"), data, Patient)


@FUZZ
@given(data=json_body(PATIENT))
def test_the_registration_endpoint_never_fails_whatever_is_sent(alice_api: Client, data):
    submit(alice_api, "/api/v1/patients", data, Patient, api=True)


EVENT = ["symptom", "onset_on", "severity", "session", "notes"]


@FUZZ
@given(data=form_data(EVENT))
def test_the_side_effect_form_never_fails_whatever_is_typed(alice_web: Client, treated: Pathway, data):
    submit(alice_web, reverse("web:event_new", args=[treated.patient.pk]), data, AdverseEvent)


@FUZZ
@given(data=json_body(EVENT))
def test_the_side_effect_endpoint_never_fails_whatever_is_sent(alice_api: Client, treated: Pathway, data):
    submit(alice_api, f"/api/v1/patients/{treated.patient.pk}/adverse-events", data, AdverseEvent, api=True)


@FUZZ
@given(data=form_data(["weight_kg", "confirmed"]))
def test_the_weight_form_never_fails_whatever_is_typed(alice_web: Client, pathway: Pathway, data):
    submit(alice_web, reverse("web:chart", args=[pathway.patient.pk]), data, WeightMeasurement)


@FUZZ
@given(data=json_body(["weight_kg", "measured_on", "confirmed"]))
def test_the_weight_endpoint_never_fails_whatever_is_sent(alice_api: Client, pathway: Pathway, data):
    submit(alice_api, f"/api/v1/patients/{pathway.patient.pk}/weights", data, WeightMeasurement, api=True)
