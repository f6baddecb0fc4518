"""Reception's page of online bookings and call-back requests: for each booking the patients it
may be, and the choice between "same person" and "new patient"; for clinicians, the answers given
online and a button that records them as the patient's screening."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action, can
from scleropath.booking import services
from scleropath.booking.models import CallbackRequest, OnlineBooking
from scleropath.booking.questions import questions_answered_yes
from scleropath.core.models import RecordError
from scleropath.patients.access import record_listing
from scleropath.patients.models import Patient

from ..shortcuts import page, refusal_text, staff

SHOWN = 50


@login_required
def online_bookings(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    bookings = list(services.bookings_for(user)[:SHOWN])
    rows: list[dict[str, Any]] = []
    for booking in bookings:
        matches = services.possible_matches(booking) if booking.provisional else []
        rows.append({"booking": booking, "matches": matches, "yes": questions_answered_yes(booking.answers)})
    record_listing(user, [p for row in rows for p in (row["booking"], *row["matches"])], "Online bookings")
    callbacks = list(services.callbacks_for(user)[:SHOWN])
    return page(
        request,
        "web/online_bookings.html",
        {
            "rows": rows,
            "callbacks": callbacks,
            "may_screen": can(user, Action.SCREEN),
            "may_settle": can(user, Action.EDIT_PATIENT),
        },
    )


def _settle(request: HttpRequest, booking_id: int, action: Any) -> HttpResponse:
    user = staff(request)
    booking = get_for_user(user, OnlineBooking, booking_id, Action.BOOK)
    try:
        message = action(user, booking)
    except (ValidationError, RecordError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, message)
    return redirect("web:online_bookings")


@login_required
@require_POST
def same_person(request: HttpRequest, booking_id: int) -> HttpResponse:
    def act(user: Any, booking: OnlineBooking) -> str:
        patient = (
            Patient.objects.restrict(user, Action.VIEW_PATIENT).filter(pk=request.POST.get("patient")).first()
        )
        if patient is None:
            raise RecordError("Choose one of the patients this booking may be.")
        services.same_person(user, booking, patient)
        return f"The booking of {booking.full_name} is now with {patient}."

    return _settle(request, booking_id, act)


@login_required
@require_POST
def new_patient(request: HttpRequest, booking_id: int) -> HttpResponse:
    def act(user: Any, booking: OnlineBooking) -> str:
        services.new_patient(user, booking)
        return f"{booking.full_name} is kept as a new patient."

    return _settle(request, booking_id, act)


@login_required
@require_POST
def confirm_screening(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = staff(request)
    booking = get_for_user(user, OnlineBooking, booking_id, Action.SCREEN)
    try:
        services.confirm_screening(user, booking)
    except (ValidationError, RecordError) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("web:online_bookings")
    messages.success(request, "The answers given online are recorded as the patient's screening.")
    return redirect("web:chart", booking.patient_id)


@login_required
@require_POST
def callback_called(request: HttpRequest, callback_id: int) -> HttpResponse:
    user = staff(request)
    callback = get_for_user(user, CallbackRequest, callback_id, Action.BOOK)
    services.mark_called(user, callback)
    messages.success(request, f"{callback.full_name} was called back.")
    return redirect("web:online_bookings")
