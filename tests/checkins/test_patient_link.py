"""The patient's link: emailed, unguessable, tamper-proof, expiring, revocable and rate limited."""

from __future__ import annotations

import datetime as dt
import re
from smtplib import SMTPException

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.test import Client, override_settings
from django.urls import reverse

from scleropath.checkins.models import CheckIn, PatientLink
from scleropath.checkins.services import (
    issue_link,
    link_for_token,
    link_message_status,
    revoke_link,
    send_reminders,
)
from scleropath.messaging.models import Channel
from scleropath.messaging.services import set_channel
from tests.pathway import Clinics, Pathway


def test_the_link_is_emailed_and_opens_the_patients_aftercare(client: Client, link):
    _sent, url, path = link
    assert len(mail.outbox) == 1
    assert url in mail.outbox[0].body
    assert mail.outbox[0].to == ["ann.jones@example.com"]
    page = client.get(path).content.decode()
    assert "Hello Ann" in page
    assert "Wear your compression stockings" in page
    assert "Day 1" in page and "Day 28" in page


def test_sending_the_link_schedules_the_protocols_check_ins_and_one_before_each_review(
    link, treated: Pathway
):
    days = sorted(CheckIn.objects.filter(session=treated.session).values_list("day", flat=True))
    reviews = sorted(
        (f.due_on - f.session.completed_at.date()).days for f in treated.session.follow_ups.all()
    )
    assert reviews == [21, 42, 84, 182]
    assert days == sorted([1, 7, 14, 28] + [d - 1 for d in reviews])


def test_an_altered_token_shows_the_not_valid_page_and_reveals_nothing(client: Client, link):
    _, _, path = link
    token = path.split("/")[2]
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "nonsense", token + "x"):
        response = client.get(f"/p/{bad}/")
        assert response.status_code == 404
        assert b"This link is not valid" in response.content
        assert b"Ann" not in response.content


def test_a_revoked_link_stops_working(client: Client, clinics: Clinics, link):
    sent, _, path = link
    revoke_link(clinics.nora, sent)
    assert client.get(path).status_code == 404


def test_a_new_link_replaces_the_old_one(client: Client, clinics: Clinics, treated: Pathway, link):
    _, _, old_path = link
    issue_link(clinics.nora, treated.session)
    assert client.get(old_path).status_code == 404


def test_the_link_expires_after_the_follow_up_window(client: Client, link):
    sent, _, path = link
    assert sent.expires_at.date() > dt.date.today() + dt.timedelta(days=28)
    with time_machine.travel(sent.expires_at + dt.timedelta(minutes=1)):
        assert client.get(path).status_code == 404
        assert link_for_token(path.split("/")[2]) is None


@override_settings(PATIENT_LINK_RATE=(3, 600))
def test_requests_to_patient_links_are_rate_limited(client: Client, link):
    cache.clear()
    _, _, path = link
    codes = [client.get(path).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    cache.clear()


@override_settings(PATIENT_LINK_RATE=(2, 600), ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_patient_is_limited_by_their_own_address(client: Client, link):
    cache.clear()
    _, _, path = link
    # Both come through the same proxy (one REMOTE_ADDR); the proxy names each one's own address.
    first = [client.get(path, headers={"X-Forwarded-For": "203.0.113.7"}).status_code for _ in range(3)]
    second = client.get(path, headers={"X-Forwarded-For": "198.51.100.23"}).status_code
    assert (first, second) == ([200, 200, 429], 200)
    cache.clear()


def test_a_link_needs_a_completed_session(clinics: Clinics, pathway: Pathway):
    from scleropath.core.models import RecordError

    with pytest.raises(RecordError, match="completed"):
        issue_link(clinics.nora, pathway.session)
    assert not PatientLink.objects.exists()


def test_staff_send_the_link_from_the_aftercare_page(client: Client, clinics: Clinics, treated: Pathway):
    client.force_login(clinics.nora)
    client.post(reverse("web:send_link", args=[treated.session.pk]), {"email": "ann@example.com"})
    assert mail.outbox[-1].to == ["ann@example.com"]
    assert PatientLink.objects.get().sent_to == "ann@example.com"


def test_the_aftercare_page_says_the_link_was_sent_without_showing_it(
    client: Client, clinics: Clinics, treated: Pathway
):
    client.force_login(clinics.nora)
    response = client.post(
        reverse("web:send_link", args=[treated.session.pk]), {"email": "ann@example.com"}, follow=True
    )
    page = response.content.decode()
    assert "Link sent to ann@example.com." in page
    secret = re.search(r"https?://\S+/p/[^/\s]+/", str(mail.outbox[-1].body))
    assert secret is not None
    assert secret.group(0) not in page and secret.group(0).split("/p/")[1] not in page


def test_no_link_is_made_without_an_email_address_to_send_it_to(
    client: Client, clinics: Clinics, treated: Pathway
):
    treated.patient.email = ""
    treated.patient.save()
    client.force_login(clinics.nora)
    response = client.post(reverse("web:send_link", args=[treated.session.pk]), {"email": ""}, follow=True)
    assert "Add the patient&#x27;s email address" in response.content.decode()
    assert not PatientLink.objects.exists()


def test_a_patient_who_stopped_email_is_not_sent_the_link_and_staff_are_told(
    client: Client, clinics: Clinics, treated: Pathway
):
    set_channel(clinics.nora, treated.patient, Channel.EMAIL, allowed=False, reason="Asked by phone")
    client.force_login(clinics.nora)
    response = client.post(
        reverse("web:send_link", args=[treated.session.pk]), {"email": "ann@example.com"}, follow=True
    )
    assert "stopped emails from the clinic, so the link was not sent" in response.content.decode()
    assert mail.outbox == []
    assert link_message_status(PatientLink.objects.get()) == "withheld"


def test_a_link_email_the_mail_server_refused_is_sent_by_the_next_reminders_run(
    client: Client, clinics: Clinics, treated: Pathway, monkeypatch: pytest.MonkeyPatch
):
    def refuse(self, fail_silently: bool = False) -> int:
        raise SMTPException("mail server down")

    client.force_login(clinics.nora)
    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        response = client.post(
            reverse("web:send_link", args=[treated.session.pk]), {"email": "ann@example.com"}, follow=True
        )
    assert "could not be sent; it is tried again with the next reminders" in response.content.decode()
    send_reminders()
    send_reminders()
    assert [m.subject for m in mail.outbox] == ["Your aftercare and check-ins"]
    assert link_message_status(PatientLink.objects.get()) == "sent"
