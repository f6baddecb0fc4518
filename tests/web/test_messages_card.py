"""The chart's Messages card: the patient's last messages with their status, and their channels,
which staff who edit patients allow or stop with a reason."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from scleropath.messaging import services as messaging
from scleropath.messaging.models import ChannelChoice
from scleropath.patients.models import Patient
from tests.pathway import Clinics, Pathway


def card(client: Client, patient: Patient) -> str:
    response = client.get(reverse("web:chart", args=[patient.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('id="messages"') :]


def with_contacts(pathway: Pathway) -> Patient:
    Patient.objects.filter(pk=pathway.patient.pk).update(email="ann@example.com", phone="+447700900123")
    pathway.patient.refresh_from_db()
    return pathway.patient


def test_the_card_lists_messages_with_their_status_and_the_numbers_as_people_write_them(
    client: Client, clinics: Clinics, pathway: Pathway, settings: Any
):
    patient = with_contacts(pathway)
    messaging.send_once(
        "k1",
        clinic=patient.clinic_id,
        patient=patient,
        channel="sms",
        to=patient.phone,
        purpose="check_in",
        body="Hi",
    )
    settings.SMS_BACKEND = "tests.messaging.conftest.BrokenBackend"
    messaging.send_once(
        "k2",
        clinic=patient.clinic_id,
        patient=patient,
        channel="sms",
        to=patient.phone,
        purpose="appointment_reminder",
        body="Hi",
    )
    client.force_login(clinics.rita)
    html = card(client, patient)
    assert "07700 900123" in html and "+447700900123" not in html
    assert "Check in" in html and "Appointment reminder" in html
    assert "status-sent" in html and "status-failed" in html
    assert "provider unavailable (503)" in html


def test_reception_stops_texts_with_a_reason_and_the_card_shows_who_and_why(
    client: Client, clinics: Clinics, pathway: Pathway
):
    patient = with_contacts(pathway)
    client.force_login(clinics.rita)
    response = client.post(
        reverse("web:channel_change", args=[patient.pk]),
        {"channel": "sms", "allowed": "no", "reason": "Phone is shared with her son"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#messages")
    choice = ChannelChoice.objects.get(patient=patient, channel="sms")
    assert (choice.allowed, choice.changed_by, choice.reason) == (
        False,
        clinics.rita,
        "Phone is shared with her son",
    )
    html = card(client, patient)
    assert "stopped" in html and "Phone is shared with her son" in html
    assert messaging.channels_for(patient) == ["email"]


def test_a_change_without_a_reason_is_refused_keeping_what_was_typed(
    client: Client, clinics: Clinics, pathway: Pathway
):
    patient = with_contacts(pathway)
    client.force_login(clinics.rita)
    response = client.post(
        reverse("web:channel_change", args=[patient.pk]), {"channel": "email", "allowed": "no", "reason": " "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required" in html
    assert '<option value="email" selected>' in html
    assert re.search(r'<input type="radio" name="allowed" value="no"[^>]*checked', html)
    assert not ChannelChoice.objects.exists()


def test_a_bad_channel_is_a_clear_error_not_a_crash(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.rita)
    response = client.post(
        reverse("web:channel_change", args=[pathway.patient.pk]),
        {"channel": "pigeon", "allowed": "maybe", "reason": "x" * 400},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ChannelChoice.objects.exists()


def test_a_manager_sees_the_card_but_cannot_change_channels(
    client: Client, clinics: Clinics, pathway: Pathway
):
    client.force_login(clinics.mark)
    html = card(client, pathway.patient)
    assert "Messages" in html
    assert reverse("web:channel_change", args=[pathway.patient.pk]) not in html
    response = client.post(
        reverse("web:channel_change", args=[pathway.patient.pk]),
        {"channel": "sms", "allowed": "no", "reason": "no"},
    )
    assert response.status_code == 403
    assert not ChannelChoice.objects.exists()


def test_another_clinics_clinician_gets_404(client: Client, clinics: Clinics, pathway: Pathway):
    client.force_login(clinics.bob)
    response = client.post(
        reverse("web:channel_change", args=[pathway.patient.pk]),
        {"channel": "sms", "allowed": "no", "reason": "no"},
    )
    assert response.status_code == 404
    assert not ChannelChoice.objects.exists()
