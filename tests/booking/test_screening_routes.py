"""The engine screens a booking's answers: an absolute contraindication books nothing and asks the
clinic to call; a relative one books and is flagged for the consultation; the answers wait as a
draft until a clinician records them as the patient's screening."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from scleropath.booking import services
from scleropath.booking.models import CallbackRequest, OnlineBooking
from scleropath.booking.questions import QUESTIONS, screening_answers
from scleropath.core.engine import engine_for
from scleropath.diary.models import Appointment, AppointmentStatus
from tests.booking.conftest import NO, at, person
from tests.pathway import Clinics


def ask(clinics: Clinics, yes: frozenset[str] | set[str] = NO, **who):
    return services.request_booking(
        clinics.a, concern="varicose_veins", starts_at=at(10), yes=set(yes), person=person(**who)
    )


def test_every_question_asks_about_a_screening_item_of_the_engine_and_every_item_is_asked(clinics: Clinics):
    protocol = engine_for(clinics.a).protocol
    items = {item.code for item in protocol.screening.items}
    asked = {q.item for q in QUESTIONS}
    assert asked <= items
    assert items <= asked
    assert len({q.name for q in QUESTIONS}) == len(QUESTIONS)


def test_yes_answers_become_the_engines_screening_fields():
    answers = screening_answers({"acute_vte", "allergy_sts", "pregnancy", "reduced_mobility", "immobility"})
    assert answers == {
        "conditions": ["acute_vte"],
        "allergies": ["sodium_tetradecyl_sulfate"],
        "pregnant": True,
        "breastfeeding": False,
        "mobility": "bedridden",
    }


def test_an_absolute_contraindication_books_nothing_and_becomes_a_call_back_request(online: Clinics):
    outcome = ask(online, {"acute_vte"})
    assert isinstance(outcome, CallbackRequest)
    assert outcome.verdict == "absolute"
    assert outcome.answers["conditions"] == ["acute_vte"]
    assert not Appointment.objects.exists()
    assert not OnlineBooking.objects.exists()
    assert len(mail.outbox) == 1
    assert "call you" in mail.outbox[0].body
    assert "booked a consultation" not in mail.outbox[0].body


def test_a_relative_contraindication_holds_the_slot_and_is_flagged_for_the_consultation(online: Clinics):
    outcome = ask(online, {"pregnancy"})
    assert isinstance(outcome, OnlineBooking)
    assert outcome.flagged
    assert outcome.appointment.status == AppointmentStatus.HELD
    assert outcome.appointment.starts_at == at(10)
    assert outcome.appointment.practitioner == online.alice
    assert outcome.appointment.patient is None
    assert len(mail.outbox) == 1
    assert "/book/confirm/" in mail.outbox[0].body


def test_answers_without_a_contraindication_book_unflagged(online: Clinics):
    outcome = ask(online)
    assert isinstance(outcome, OnlineBooking)
    assert outcome.verdict == "none"
    assert not outcome.flagged


def test_the_clinician_records_the_booked_answers_as_the_patients_screening_after_reception(online: Clinics):
    booking = ask(online, {"pregnancy"})
    token = mail.outbox[0].body.split("/book/confirm/")[1].split("/")[0]
    booking = services.confirm(token)
    with pytest.raises(Exception, match="Reception must first"):
        services.confirm_screening(online.alice, booking)
    services.new_patient(online.rita, booking)
    with pytest.raises(PermissionDenied):
        services.confirm_screening(online.rita, booking)
    booking = services.confirm_screening(online.alice, booking)
    record = booking.screening
    assert record is not None and record.patient == booking.patient
    assert record.pregnant and record.verdict == "relative"
    assert record.created_by == online.alice
    with pytest.raises(Exception, match="already recorded"):
        services.confirm_screening(online.alice, booking)
