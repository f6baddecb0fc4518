"""Nothing that may hold patient data is kept by a browser's cache or a proxy: every answer but a
static file says ``Cache-Control: no-store``."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from scleropath.api.tokens import create_token
from tests.pathway import Clinics, Pathway


def assert_not_stored(response: Any) -> None:
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"


def test_a_patients_chart_is_not_stored(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.alice)
    response = client.get(reverse("web:chart", args=[pathway.patient.pk]))
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_patient_list_and_its_htmx_fragment_are_not_stored(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.nora)
    assert_not_stored(client.get(reverse("web:patients"), {"q": "jones"}))
    assert_not_stored(client.get(reverse("web:patients"), {"q": "jones"}, HTTP_HX_REQUEST="true"))


def test_api_and_fhir_answers_are_not_stored(clinics: Clinics, pathway: Pathway):
    _, token = create_token(clinics.alice, "script")
    headers = {"Authorization": f"Bearer {token}"}
    api = Client().get(f"/api/v1/patients/{pathway.patient.pk}", headers=headers)
    assert api.status_code == 200
    assert_not_stored(api)
    fhir = Client().get(f"/fhir/Patient/{pathway.patient.pk}/$everything", headers=headers)
    assert fhir.status_code == 200
    assert_not_stored(fhir)
    assert_not_stored(Client().get("/api/v1/patients"))  # refusals too


def test_the_patients_own_link_page_is_not_stored(client: Client, link: Any):
    _, _, path = link
    response = client.get(path)
    assert response.status_code == 200
    assert_not_stored(response)


def test_the_sign_in_page_is_not_stored_but_a_static_file_keeps_its_caching(client: Client, db: Any):
    assert_not_stored(client.get(reverse("account_login")))
    response = client.get("/static/scleropath/css/scleropath.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert not response.has_header("Pragma")
