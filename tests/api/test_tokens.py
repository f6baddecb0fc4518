"""Personal API tokens: created and revoked by their owner on the web, shown once, stored as a hash,
acting as their owner; a wrong, revoked or expired token, or an inactive owner, gets 401."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from scleropath.api.models import ApiToken
from scleropath.api.tokens import create_token, user_for_request
from tests.api.conftest import ApiClient
from tests.pathway import Clinics

TOKENS = "/api-tokens/"


def test_the_token_page_needs_a_signed_in_user(client: Client, db):
    assert client.get(TOKENS).status_code == 302


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(client: Client, clinics: Clinics):
    client.force_login(clinics.alice)
    response = client.post(TOKENS, {"name": "practice reports"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = response.context["new_token"]
    assert token.startswith("sp_") and token in response.content.decode()
    stored = ApiToken.objects.get(owner=clinics.alice)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {stored.prefix, stored.token_hash, stored.name}
    assert token.startswith(stored.prefix)
    later = client.get(TOKENS).content.decode()
    assert token not in later
    assert stored.prefix in later and "practice reports" in later


def test_a_token_needs_a_name_and_a_future_expiry(client: Client, clinics: Clinics):
    client.force_login(clinics.alice)
    assert client.post(TOKENS, {"name": " "}).status_code == 400
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(TOKENS, {"name": "old", "expires_on": yesterday})
    assert response.status_code == 400
    assert "future" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_acts_as_its_owner_and_records_its_last_use(clinics: Clinics, pathway):
    record, token = create_token(clinics.nora, "ward tablet")
    response = ApiClient(token).get(f"patients/{pathway.patient.pk}")
    assert response.status_code == 200
    assert response.json()["family_name"] == "Jones"
    record.refresh_from_db()
    assert record.last_used_at is not None


def test_a_wrong_token_gets_401_with_the_error_body(clinics: Clinics):
    create_token(clinics.alice, "real")
    response = ApiClient("sp_not-a-real-token").get("patients")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["errors"][0]["field"] == ""


def test_no_credentials_get_401(client: Client, db):
    response = client.get("/api/v1/patients")
    assert response.status_code == 401
    assert "errors" in response.json()


def test_a_revoked_token_gets_401(client: Client, clinics: Clinics):
    record, token = create_token(clinics.alice, "laptop")
    assert ApiClient(token).get("patients").status_code == 200
    client.force_login(clinics.alice)
    response = client.post(reverse("api_tokens:revoke", args=[record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert ApiClient(token).get("patients").status_code == 401
    assert "revoked" in client.get(TOKENS).content.decode()


def test_an_expired_token_gets_401(clinics: Clinics):
    record, token = create_token(clinics.alice, "short", expires_at=timezone.now() + timedelta(days=1))
    assert ApiClient(token).get("patients").status_code == 200
    ApiToken.objects.filter(pk=record.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(token).get("patients").status_code == 401


def test_the_token_of_an_inactive_user_gets_401(clinics: Clinics):
    _, token = create_token(clinics.nora, "tablet")
    clinics.nora.is_active = False
    clinics.nora.save()
    assert ApiClient(token).get("patients").status_code == 401


def test_a_token_is_refused_while_the_clinic_requires_two_factor_its_owner_has_not_set_up(
    clinics: Clinics,
):
    _, token = create_token(clinics.nora, "tablet")
    clinics.a.require_mfa = True
    clinics.a.save()
    assert ApiClient(token).get("patients").status_code == 401
    Authenticator.objects.create(user=clinics.nora, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert ApiClient(token).get("patients").status_code == 200


def test_a_wrong_token_is_refused_even_alongside_a_signed_in_session(client: Client, clinics: Clinics):
    client.force_login(clinics.alice)
    response = client.get("/api/v1/patients", headers={"Authorization": "Bearer sp_wrong"})
    assert response.status_code == 401


def test_nobody_can_revoke_another_users_token(client: Client, clinics: Clinics):
    record, _ = create_token(clinics.alice, "mine")
    client.force_login(clinics.nora)
    assert client.post(reverse("api_tokens:revoke", args=[record.pk])).status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None
    assert f"{record.prefix}" not in client.get(TOKENS).content.decode()


def test_the_engine_accepts_the_signed_in_session_only_with_its_csrf_token(clinics: Clinics):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clinics.alice)
    body = json.dumps({"symptom": "bruising", "days_since_treatment": 2})
    without = browser.post("/api/v1/engine/triage", body, content_type="application/json")
    assert without.status_code == 403
    browser.get(TOKENS)  # a page sets the CSRF cookie, as in the browser
    csrf = browser.cookies["csrftoken"].value
    with_token = browser.post(
        "/api/v1/engine/triage", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert with_token.status_code == 200


def test_user_for_request_gives_the_tokens_user_or_none(clinics: Clinics):
    _, token = create_token(clinics.mark, "reports")
    factory = RequestFactory()
    good = factory.get("/fhir/Patient", headers={"Authorization": f"Bearer {token}"})
    assert user_for_request(good) == clinics.mark
    assert good.user == clinics.mark
    assert user_for_request(factory.get("/fhir/Patient")) is None
    assert user_for_request(factory.get("/", headers={"Authorization": "Bearer sp_nope"})) is None
    assert user_for_request(factory.get("/", headers={"Authorization": f"Basic {token}"})) is None
