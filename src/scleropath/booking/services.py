"""Online booking: the slots offered, the answers screened by the engine, the slot held and
confirmed by email, call-back requests, and reception's decision about who booked.

No one is signed in on the public side, so these functions take the clinic instead of a user; the
staff side (:func:`same_person`, :func:`new_patient`, :func:`confirm_screening`,
:func:`mark_called`) checks the user's permissions like every other service.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from scleropath.accounts.access import clinic_id_of
from scleropath.accounts.models import Clinic, User
from scleropath.accounts.permissions import Action, require
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.core.validators import display_phone, normalise_phone
from scleropath.diary import services as diary
from scleropath.diary.models import AppointmentKind
from scleropath.patients.models import Patient
from scleropath.patients.nhs import normalise_nhs_number
from scleropath.patients.services import create_patient_from_online_booking, record_screening
from scleropath.protocol.answers import Screening

from . import emails
from .models import BookingStatus, CallbackRequest, Concern, OnlineBooking, Resolution
from .questions import screening_answers


class UnknownLink(RecordError):
    """A confirmation link that matches no booking (mistyped, altered or made up)."""


def clinic_taking_bookings(slug: str) -> Clinic | None:
    """The clinic with this slug if it takes bookings online, else None (the same for both cases)."""
    clinic = Clinic.objects.filter(slug=slug).first()
    if clinic is None or not diary.diary_settings(clinic).online_booking:
        return None
    return clinic


def offered_times(clinic: Clinic, *, now: datetime | None = None) -> list[datetime]:
    """The start times of a free consultation, soonest first, from now to the clinic's
    ``booking_days_ahead``. Only times: whose they are, and anything about other bookings, stays
    in the diary."""
    now = now or timezone.now()
    policy = diary.diary_settings(clinic)
    today = timezone.localdate(now)
    slots = diary.free_slots(
        clinic,
        first_day=today,
        last_day=today + timedelta(days=policy.booking_days_ahead),
        minutes=policy.consultation_minutes,
        now=now,
    )
    return sorted({slot.starts_at for slot in slots})


def screen_answers(clinic: Clinic, answers: dict[str, Any], date_of_birth: date) -> Screening:
    """The engine's screening of the questionnaire's answers for a person born on ``date_of_birth``."""
    today = timezone.localdate()
    age = (
        today.year
        - date_of_birth.year
        - int((today.month, today.day) < (date_of_birth.month, date_of_birth.day))
    )
    return engine_for(clinic).screen({"patient": {"age_years": max(age, 0), **answers}})


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _person_fields(
    person: dict[str, Any], concern: str, answers: dict[str, Any], result: Screening
) -> dict[str, Any]:
    return {
        "given_name": person["given_name"].strip(),
        "family_name": person["family_name"].strip(),
        "date_of_birth": person["date_of_birth"],
        "email": person["email"].strip(),
        "phone": normalise_phone(person["phone"]),
        "nhs_number": normalise_nhs_number(person.get("nhs_number") or ""),
        "concern": Concern(concern),
        "answers": answers,
        "verdict": result.verdict,
        "result": result.model_dump(mode="json"),
    }


@transaction.atomic
def request_booking(
    clinic: Clinic,
    *,
    concern: str,
    starts_at: datetime,
    yes: set[str],
    person: dict[str, Any],
    now: datetime | None = None,
    send: bool = True,
) -> OnlineBooking | CallbackRequest:
    """A person's request for a consultation at ``starts_at``, with the questions they answered "yes".

    The engine screens the answers first. An absolute contraindication books nothing: it becomes a
    call-back request. Otherwise a consultation is held with a practitioner free at that time for the
    clinic's ``hold_minutes``, and an email asks the person to confirm it; a relative
    contraindication is kept on the booking for the consultation. A time taken meanwhile is
    refused with :class:`diary.SlotTaken`. ``send=False`` sends no email (the demo)."""
    now = now or timezone.now()
    answers = screening_answers(yes)
    result = screen_answers(clinic, answers, person["date_of_birth"])
    fields = _person_fields(person, concern, answers, result)
    if result.verdict == "absolute":
        callback = CallbackRequest(clinic=clinic, **fields)
        callback.full_clean()
        callback.save()
        if send:
            emails.send(
                callback.email,
                f"{clinic.name}: we will call you",
                "booking/email_callback.txt",
                {"request": callback, "clinic": clinic, "phone": display_phone(callback.phone)},
            )
        return callback
    policy = diary.diary_settings(clinic)
    day = timezone.localdate(starts_at)
    free = [
        slot
        for slot in diary.free_slots(
            clinic, first_day=day, last_day=day, minutes=policy.consultation_minutes, now=now
        )
        if slot.starts_at == starts_at
    ]
    if not free or day > timezone.localdate(now) + timedelta(days=policy.booking_days_ahead):
        raise diary.SlotTaken("Sorry, that time has just been taken. Please choose another.")
    slot = free[0]
    appointment = diary.hold(
        clinic=clinic,
        practitioner=User.objects.get(pk=slot.practitioner_id),
        room=clinic.rooms.filter(pk=slot.room_id).first() if slot.room_id else None,
        kind=AppointmentKind.CONSULTATION,
        starts_at=starts_at,
        reason=f"Booked online: {Concern(concern).label.lower()}",
        now=now,
    )
    token = secrets.token_urlsafe(32)
    booking = OnlineBooking(clinic=clinic, appointment=appointment, token_hash=_token_hash(token), **fields)
    booking.full_clean(exclude=["appointment"])
    booking.save()
    if send:
        emails.send(
            booking.email,
            f"{clinic.name}: please confirm your consultation",
            "booking/email_confirm.txt",
            {
                "booking": booking,
                "clinic": clinic,
                "starts_at": timezone.localtime(starts_at),
                "hold_minutes": policy.hold_minutes,
                "url": settings.SCLEROPATH_BASE_URL.rstrip("/") + reverse("booking:confirm", args=[token]),
            },
        )
    return booking


def booking_for_token(token: str) -> OnlineBooking | None:
    return (
        OnlineBooking.objects.select_related("clinic", "appointment")
        .filter(token_hash=_token_hash(token))
        .first()
    )


def confirm(token: str, *, now: datetime | None = None) -> OnlineBooking:
    """Confirm the booking the emailed link names: the person becomes a provisional patient and the
    hold a booking. A second use of the link changes nothing. A hold that ran out and whose time has
    been taken since is refused with :class:`diary.HoldLapsed` and the booking marked lapsed."""
    booking = booking_for_token(token)
    if booking is None or booking.is_voided:
        raise UnknownLink("This link is not valid. Please check you copied all of it.")
    return confirm_booking(booking, now=now)


def confirm_booking(booking: OnlineBooking, *, now: datetime | None = None) -> OnlineBooking:
    """Confirm ``booking`` (see :func:`confirm`)."""
    now = now or timezone.now()
    if booking.status == BookingStatus.CONFIRMED:
        return booking
    try:
        with transaction.atomic():
            patient = create_patient_from_online_booking(
                booking.clinic_id,
                given_name=booking.given_name,
                family_name=booking.family_name,
                date_of_birth=booking.date_of_birth,
                email=booking.email,
                phone=booking.phone,
            )
            booking.appointment = diary.confirm_hold(booking.appointment, patient, now=now)
            booking.patient = patient
            booking.status = BookingStatus.CONFIRMED
            booking.confirmed_at = now
            booking.save(update_fields=["patient", "status", "confirmed_at"])
    except diary.HoldLapsed:
        booking.patient = None
        booking.status = BookingStatus.LAPSED
        booking.save(update_fields=["status"])
        raise
    return booking


# --- reception and the clinician --------------------------------------------------------------


def bookings_for(user: User) -> QuerySet[OnlineBooking]:
    """The online bookings of the user's clinic, those reception still has to check first."""
    require(user, Action.BOOK)
    return (
        OnlineBooking.objects.active()
        .filter(clinic_id=clinic_id_of(user))
        .select_related("appointment", "appointment__practitioner", "patient", "screening")
        .order_by("-created_at")
    )


def callbacks_for(user: User) -> QuerySet[CallbackRequest]:
    require(user, Action.BOOK)
    return (
        CallbackRequest.objects.active()
        .filter(clinic_id=clinic_id_of(user))
        .order_by("called_at", "-created_at")
    )


def possible_matches(booking: OnlineBooking) -> list[Patient]:
    """Patients of the booking's clinic who may be the person who booked: the same name and date of
    birth, or the NHS number they gave. Never decided here; reception chooses."""
    same = Q(
        given_name__iexact=booking.given_name,
        family_name__iexact=booking.family_name,
        date_of_birth=booking.date_of_birth,
    )
    if booking.nhs_number:
        same |= Q(nhs_number=booking.nhs_number)
    found = Patient.objects.active().filter(clinic_id=booking.clinic_id).filter(same)
    if booking.patient_id is not None:
        found = found.exclude(pk=booking.patient_id)
    return list(found.order_by("family_name", "given_name", "pk"))


def _unresolved(user: User, booking: OnlineBooking) -> Patient:
    require(user, Action.BOOK)
    require(user, Action.EDIT_PATIENT)
    if booking.clinic_id != clinic_id_of(user):
        raise RecordError("That booking is not in your clinic.")
    if booking.status != BookingStatus.CONFIRMED or booking.patient is None:
        raise RecordError("This booking has not been confirmed by the patient yet.")
    if booking.resolution:
        raise RecordError(f"This booking was already settled as {booking.get_resolution_display().lower()}.")
    return booking.patient


@transaction.atomic
def same_person(user: User, booking: OnlineBooking, patient: Patient) -> OnlineBooking:
    """Reception says the person who booked is ``patient``, one of the booking's possible matches:
    the appointment moves to them and the provisional record made from the booking is voided."""
    provisional = _unresolved(user, booking)
    if patient.pk not in {p.pk for p in possible_matches(booking)}:
        raise RecordError("Choose one of the patients this booking may be.")
    others = provisional.appointments.exclude(pk=booking.appointment_id).exists()
    if others or provisional.screenings.exists():
        raise RecordError("Records have been added to the new patient since; join them by hand.")
    diary.change_patient(user, booking.appointment, patient, expected_version=booking.appointment.version)
    provisional.void(user, f"The same person as patient {patient.pk}; their online booking moved to them.")
    booking.patient = patient
    booking.resolution = Resolution.SAME_PERSON
    booking.resolved_at = timezone.now()
    booking.resolved_by = user
    booking.save(update_fields=["patient", "resolution", "resolved_at", "resolved_by"])
    return booking


@transaction.atomic
def new_patient(user: User, booking: OnlineBooking) -> OnlineBooking:
    """Reception says the person who booked is new to the clinic: the patient made from the booking
    stays, with the NHS number they gave."""
    patient = _unresolved(user, booking)
    if booking.nhs_number:
        if Patient.objects.filter(clinic_id=booking.clinic_id, nhs_number=booking.nhs_number).exists():
            raise RecordError(
                "Another patient of the clinic has the NHS number this person gave: "
                "check whether it is the same person."
            )
        patient.nhs_number = booking.nhs_number
        patient.full_clean()
        patient.save(update_fields=["nhs_number"])
    booking.resolution = Resolution.NEW_PATIENT
    booking.resolved_at = timezone.now()
    booking.resolved_by = user
    booking.save(update_fields=["resolution", "resolved_at", "resolved_by"])
    return booking


@transaction.atomic
def confirm_screening(user: User, booking: OnlineBooking) -> OnlineBooking:
    """The clinician goes through the answers with the patient and records them as the patient's
    screening (the engine screens them again, as of now)."""
    require(user, Action.SCREEN)
    if booking.clinic_id != clinic_id_of(user):
        raise RecordError("That booking is not in your clinic.")
    if booking.patient is None or not booking.resolution:
        raise RecordError("Reception must first say who this patient is.")
    if booking.screening_id is not None:
        raise RecordError("The screening of this booking was already recorded.")
    answers = booking.answers
    booking.screening = record_screening(
        user,
        booking.patient,
        conditions=list(answers.get("conditions", [])),
        allergies=list(answers.get("allergies", [])),
        pregnant=bool(answers.get("pregnant")),
        breastfeeding=bool(answers.get("breastfeeding")),
        mobility=answers.get("mobility", "ambulant"),
    )
    booking.save(update_fields=["screening"])
    return booking


def mark_called(user: User, callback: CallbackRequest) -> CallbackRequest:
    """Record that someone of the clinic has called the person back."""
    require(user, Action.BOOK)
    if callback.clinic_id != clinic_id_of(user):
        raise RecordError("That request is not in your clinic.")
    if callback.called_at is None:
        callback.called_at = timezone.now()
        callback.called_by = user
        callback.save(update_fields=["called_at", "called_by"])
    return callback
