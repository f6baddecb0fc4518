"""Reception's online bookings page: bookings and call-back requests of the clinic only, the
possible matches with "same person" and "new patient", the answers shown to clinicians only."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client

from scleropath.booking import services
from scleropath.booking.models import CallbackRequest, OnlineBooking, Resolution
from scleropath.diary.models import Appointment
from scleropath.patients.models import Patient
from tests.booking.conftest import at, person
from tests.pathway import PASSWORD, Clinics


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def confirmed_booking(clinics: Clinics, yes: set[str] | None = None, **who) -> OnlineBooking:
    services.request_booking(
        clinics.a, concern="varicose_veins", starts_at=at(10), yes=yes or set(), person=person(**who)
    )
    return services.confirm(mail.outbox[-1].body.split("/book/confirm/")[1].split("/")[0])


def test_reception_sees_bookings_and_call_backs_with_the_possible_matches(online: Clinics):
    known = Patient.objects.create(
        clinic=online.a, given_name="Ann", family_name="Walker", date_of_birth=date(1975, 4, 12)
    )
    confirmed_booking(online, {"pregnancy"})
    services.request_booking(
        online.a, concern="review", starts_at=at(12), yes={"acute_vte"}, person=person(given_name="Cara")
    )
    page = signed_in("rita").get("/online-bookings/").content.decode()
    assert "Ann Walker" in page and "Cara Walker" in page
    assert f"/patients/{known.pk}/" in page and "Same person" in page and "New patient" in page
    assert "Flagged for the consultation" in page
    assert "pregnant" not in page  # the answers themselves are for clinicians
    assert "pregnant" in signed_in("alice").get("/online-bookings/").content.decode()


def test_another_clinics_staff_see_none_of_it_and_cannot_settle_it(online: Clinics):
    booking = confirmed_booking(online)
    CallbackRequest.objects.create(
        clinic=online.a,
        concern="review",
        verdict="absolute",
        **{**person(given_name="Cara"), "nhs_number": ""},
    )
    bob = signed_in("bob")
    page = bob.get("/online-bookings/").content.decode()
    assert "Walker" not in page and "Cara" not in page
    assert bob.post(f"/online-bookings/{booking.pk}/new-patient/").status_code == 404
    booking.refresh_from_db()
    assert booking.resolution == Resolution.UNRESOLVED


def test_same_person_moves_the_appointment_through_the_page(online: Clinics):
    known = Patient.objects.create(
        clinic=online.a, given_name="Ann", family_name="Walker", date_of_birth=date(1975, 4, 12)
    )
    booking = confirmed_booking(online)
    response = signed_in("rita").post(f"/online-bookings/{booking.pk}/same-person/", {"patient": known.pk})
    assert response.status_code == 302
    assert Appointment.objects.get(pk=booking.appointment_id).patient == known


def test_same_person_with_a_patient_who_is_not_a_match_is_refused_with_a_message(online: Clinics):
    stranger = Patient.objects.create(
        clinic=online.a, given_name="Zoe", family_name="Stone", date_of_birth=date(1960, 1, 1)
    )
    booking = confirmed_booking(online)
    client = signed_in("rita")
    response = client.post(
        f"/online-bookings/{booking.pk}/same-person/", {"patient": stranger.pk}, follow=True
    )
    assert b"Choose one of the patients" in response.content
    assert Appointment.objects.get(pk=booking.appointment_id).patient == booking.patient


def test_a_clinician_confirms_the_screening_from_the_page(online: Clinics):
    booking = confirmed_booking(online, {"pregnancy"})
    services.new_patient(online.rita, booking)
    assert signed_in("rita").post(f"/online-bookings/{booking.pk}/screening/").status_code == 403
    response = signed_in("alice").post(f"/online-bookings/{booking.pk}/screening/")
    assert response.status_code == 302 and response["Location"] == f"/patients/{booking.patient_id}/"
    booking.refresh_from_db()
    assert booking.screening is not None and booking.screening.pregnant


def test_reception_marks_a_call_back_done(online: Clinics):
    services.request_booking(online.a, concern="review", starts_at=at(12), yes={"acute_vte"}, person=person())
    callback = CallbackRequest.objects.get()
    assert signed_in("rita").post(f"/call-backs/{callback.pk}/called/").status_code == 302
    callback.refresh_from_db()
    assert callback.called_by == online.rita


@pytest.mark.parametrize(
    ("persona", "sees"), [("alice", True), ("nora", True), ("rita", True), ("mark", False)]
)
def test_the_online_bookings_link_shows_to_the_roles_that_book(online: Clinics, persona: str, sees: bool):
    page = signed_in(persona).get("/").content.decode()
    assert ('href="/online-bookings/"' in page) is sees


def test_a_signed_out_visitor_is_sent_to_sign_in_and_a_manager_is_refused(online: Clinics):
    assert Client().get("/online-bookings/")["Location"].startswith("/accounts/login/")
    assert signed_in("mark").get("/online-bookings/").status_code == 403
