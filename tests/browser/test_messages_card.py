"""Reception stops a patient's text messages from the chart's Messages card with the keyboard, and
the card passes axe-core with a failed and a sent message on it."""

from __future__ import annotations

from typing import Any

import pytest

from scleropath.messaging import services as messaging
from scleropath.messaging.models import ChannelChoice
from scleropath.patients.models import Patient
from tests.pathway import PASSWORD, Clinics, Pathway

pytestmark = pytest.mark.django_db(transaction=True)


def test_reception_stops_texts_from_the_chart_and_the_card_is_accessible(
    browser: Any, live_server: Any, clinics: Clinics, pathway: Pathway, axe: Any, settings: Any
) -> None:
    Patient.objects.filter(pk=pathway.patient.pk).update(email="ann@example.com", phone="+447700900123")
    patient = Patient.objects.get(pk=pathway.patient.pk)
    messaging.send_once(
        "k1",
        clinic=patient.clinic_id,
        patient=patient,
        channel="email",
        to=patient.email,
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
        purpose="check_in",
        body="Hi",
    )
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", "rita")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Today')")
    page.goto(f"{live_server.url}/patients/{patient.pk}/#messages")
    card = page.locator("#messages")
    assert "07700 900123" in card.inner_text()
    axe(page)
    page.select_option("#id_channel", "sms")
    page.check("#id_allowed_1")
    page.fill("#id_reason", "The phone is shared")
    page.locator("#messages button[type=submit]").press("Enter")
    page.wait_for_selector("text=Text messages to JONES, Ann stopped.")
    assert "The phone is shared" in page.locator("#messages").inner_text()
    axe(page)
    assert ChannelChoice.objects.get(patient=patient, channel="sms").allowed is False
    context.close()
