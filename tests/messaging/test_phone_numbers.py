"""Phone numbers are stored in E.164 and shown as people write them, the same rule at every door."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from scleropath.core.validators import display_phone, is_mobile, normalise_phone
from scleropath.patients import services as patients
from scleropath.patients.models import Patient
from scleropath.web.templatetags.scleropath_tags import phone
from tests.pathway import Clinics


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("(020) 7946 0000", "+442079460000"),
        ("+1 202-555-0143", "+12025550143"),
        ("  ", ""),
    ],
)
def test_a_number_is_normalised_to_e164(typed: str, stored: str):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12", "not a number", "07700 9001234567", "+44 1"])
def test_a_number_that_is_not_one_is_refused_with_a_clear_message(typed: str):
    with pytest.raises(ValidationError, match="phone number"):
        normalise_phone(typed)


def test_a_number_without_country_code_is_read_in_the_configured_region(settings: Any):
    settings.PHONE_REGION = "US"
    assert normalise_phone("202-555-0143") == "+12025550143"


def test_mobiles_are_told_apart_from_landlines():
    assert is_mobile("+447700900123")
    assert not is_mobile("+442079460000")
    assert not is_mobile("01632 960123")
    assert is_mobile("07400 123456")
    assert not is_mobile("nonsense")


def test_a_stored_number_shows_in_national_form_at_home_and_international_abroad():
    assert display_phone("+447700900123") == "07700 900123"
    assert display_phone("+12025550143") == "+1 202-555-0143"
    assert display_phone("call reception") == "call reception"
    assert phone("+442079460000") == "020 7946 0000"
    assert phone(None) == ""


def test_registering_a_patient_stores_the_phone_in_e164(clinics: Clinics):
    patient = patients.create_patient(
        clinics.rita, given_name="Ann", family_name="Jones", date_of_birth="1970-01-01", phone="07700 900 456"
    )
    patient.refresh_from_db()
    assert patient.phone == "+447700900456"


def test_registering_a_patient_with_a_bad_phone_names_the_field_and_saves_nothing(clinics: Clinics):
    with pytest.raises(ValidationError) as caught:
        patients.create_patient(
            clinics.rita, given_name="Ann", family_name="Jones", date_of_birth="1970-01-01", phone="123"
        )
    assert "phone" in caught.value.message_dict
    assert not Patient.objects.exists()


def test_the_migration_rewrites_parsable_numbers_and_leaves_the_rest(clinics: Clinics):
    def make(number: str) -> Patient:
        return Patient.objects.create(
            clinic=clinics.a, given_name="P", family_name=number, date_of_birth="1970-01-01", phone=number
        )

    good, odd, done, blank = make("07700 900789"), make("ring her sister"), make("+447700900111"), make("")
    migration = importlib.import_module("scleropath.patients.migrations.0003_phone_in_e164")
    migration.to_e164(django_apps, None)
    for patient, expected in [
        (good, "+447700900789"),
        (odd, "ring her sister"),
        (done, "+447700900111"),
        (blank, ""),
    ]:
        patient.refresh_from_db()
        assert patient.phone == expected


def test_the_registration_page_refuses_a_bad_phone_and_keeps_what_was_typed(client: Client, clinics: Clinics):
    client.force_login(clinics.rita)
    typed = {"given_name": "Ann", "family_name": "Jones", "date_of_birth": "1970-01-01", "sex": "female"}
    response = client.post(reverse("web:patient_new"), {**typed, "phone": "0770 09"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not a valid phone number" in html or "is not a phone number" in html
    assert 'value="0770 09"' in html and 'value="Jones"' in html
    assert not Patient.objects.exists()
    response = client.post(reverse("web:patient_new"), {**typed, "phone": "07700 900 654"})
    assert response.status_code == 302
    assert Patient.objects.get().phone == "+447700900654"
