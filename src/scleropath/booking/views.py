"""The clinic's public booking page, in four steps on a phone: what bothers you, a time, the
questionnaire, and who you are. What is chosen is kept in the visitor's session until the last
step sends it. Nothing on these pages shows anything of another person, and every page is rate
limited per address; the last step also per email address.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect

from scleropath.accounts.models import Clinic
from scleropath.core.models import RecordError
from scleropath.core.ratelimit import client_ip, hit
from scleropath.core.validators import display_phone
from scleropath.diary import services as diary

from . import services
from .forms import ConcernForm, DetailsForm, QuestionsForm, TimeForm
from .models import CallbackRequest, Concern
from .questions import QUESTIONS


def _state_key(clinic: Clinic) -> str:
    return f"online-booking:{clinic.pk}"


def _state(request: HttpRequest, clinic: Clinic) -> dict[str, Any]:
    return dict(request.session.get(_state_key(clinic), {}))


def _keep(request: HttpRequest, clinic: Clinic, **changes: Any) -> None:
    state = _state(request, clinic)
    state.update(changes)
    request.session[_state_key(clinic)] = state


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Rate limit per address, and answer the same 'not available' page for an unknown clinic and
    for one that does not book online."""

    @csrf_protect
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        limit, window = settings.ONLINE_BOOKING_PAGE_RATE
        if hit("booking-page", client_ip(request), limit=limit, window=window):
            return render(request, "booking/too_many.html", status=429)
        clinic = services.clinic_taking_bookings(slug)
        if clinic is None:
            return render(request, "booking/unavailable.html", status=404)
        return view(request, clinic, *args, **kwargs)

    return wrapper


def _step(
    request: HttpRequest, clinic: Clinic, template: str, status: int = 200, **context: Any
) -> HttpResponse:
    return render(request, template, {"clinic": clinic, **context}, status=status)


@public_page
def concern(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    form = ConcernForm(request.POST or None, initial={"concern": _state(request, clinic).get("concern")})
    if request.method == "POST" and form.is_valid():
        _keep(request, clinic, concern=form.cleaned_data["concern"])
        return redirect("booking:time", clinic.slug)
    return _step(request, clinic, "booking/concern.html", 400 if form.errors else 200, form=form, step=1)


@public_page
def time(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    state = _state(request, clinic)
    if "concern" not in state:
        return redirect("booking:concern", clinic.slug)
    times = services.offered_times(clinic)
    days = sorted({timezone.localtime(t).date() for t in times})
    form = TimeForm(times, request.POST or None, initial={"starts_at": state.get("starts_at")})
    if request.method == "POST" and form.is_valid():
        _keep(request, clinic, starts_at=form.cleaned_data["starts_at"])
        return redirect("booking:questions", clinic.slug)
    day = _day(request.POST.get("day") or request.GET.get("day") or _chosen_day(state), days)
    shown = [(t.isoformat(), timezone.localtime(t)) for t in times if timezone.localtime(t).date() == day]
    return _step(
        request,
        clinic,
        "booking/time.html",
        400 if form.errors else 200,
        form=form,
        days=days,
        day=day,
        shown=shown,
        chosen=state.get("starts_at"),
        step=2,
    )


def _chosen_day(state: dict[str, Any]) -> str | None:
    chosen = state.get("starts_at")
    return f"{timezone.localtime(datetime.fromisoformat(chosen)).date()}" if chosen else None


def _day(text: str | None, days: list[date]) -> date | None:
    """The day asked for if times are offered on it, else the first day with a free time."""
    try:
        wanted = date.fromisoformat(text or "")
    except ValueError:
        wanted = None
    if wanted in days:
        return wanted
    return days[0] if days else None


@public_page
def questions(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    state = _state(request, clinic)
    if "starts_at" not in state:
        return redirect("booking:time", clinic.slug)
    initial = (
        {q.name: ("yes" if q.name in state.get("yes", []) else "no") for q in QUESTIONS}
        if "yes" in state
        else {}
    )
    form = QuestionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _keep(request, clinic, yes=sorted(form.yes()))
        return redirect("booking:details", clinic.slug)
    return _step(request, clinic, "booking/questions.html", 400 if form.errors else 200, form=form, step=3)


@public_page
def details(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    state = _state(request, clinic)
    if "yes" not in state or "starts_at" not in state:
        return redirect("booking:questions", clinic.slug)
    starts_at = datetime.fromisoformat(state["starts_at"])
    form = DetailsForm(request.POST or None, initial=state.get("person", {}))
    context = {"step": 4, "starts_at": starts_at, "concern": Concern(state["concern"]).label}
    if request.method == "POST":
        if form.is_trap():
            # Answer a program as if it had worked, and do nothing.
            request.session.pop(_state_key(clinic), None)
            return _step(
                request, clinic, "booking/sent.html", hold_minutes=diary.diary_settings(clinic).hold_minutes
            )
        if form.is_valid():
            person = form.person()
            _keep(request, clinic, person={**person, "date_of_birth": person["date_of_birth"].isoformat()})
            limit, window = settings.ONLINE_BOOKING_REQUEST_RATE
            by_address = hit("booking-request", client_ip(request), limit=limit, window=window)
            limit, window = settings.ONLINE_BOOKING_EMAIL_RATE
            by_email = hit("booking-email", person["email"], limit=limit, window=window)
            if by_address or by_email:
                return render(request, "booking/too_many.html", {"clinic": clinic}, status=429)
            try:
                outcome = services.request_booking(
                    clinic,
                    concern=state["concern"],
                    starts_at=starts_at,
                    yes=set(state["yes"]),
                    person=person,
                )
            except (diary.SlotTaken, diary.OutsideHours):
                state = _state(request, clinic)
                state.pop("starts_at", None)
                request.session[_state_key(clinic)] = state
                form.add_error(
                    None, "Sorry, the time you chose has just been taken. Please choose another time."
                )
                context["taken"] = True
            except RecordError as exc:
                form.add_error(None, str(exc))
            else:
                request.session.pop(_state_key(clinic), None)
                if isinstance(outcome, CallbackRequest):
                    return _step(
                        request,
                        clinic,
                        "booking/call_back.html",
                        callback=outcome,
                        callback_phone=display_phone(outcome.phone),
                    )
                return _step(
                    request,
                    clinic,
                    "booking/sent.html",
                    hold_minutes=diary.diary_settings(clinic).hold_minutes,
                    email=outcome.email,
                )
    return _step(request, clinic, "booking/details.html", 400 if form.errors else 200, form=form, **context)


@csrf_protect
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a page with one button, so that a mail scanner opening the link confirms nothing."""
    limit, window = settings.ONLINE_BOOKING_PAGE_RATE
    if hit("booking-page", client_ip(request), limit=limit, window=window):
        return render(request, "booking/too_many.html", status=429)
    booking = services.booking_for_token(token)
    if booking is None or booking.is_voided:
        return render(request, "booking/invalid.html", status=404)
    context: dict[str, Any] = {
        "clinic": booking.clinic,
        "booking": booking,
        "starts_at": timezone.localtime(booking.appointment.starts_at),
    }
    if request.method == "POST":
        try:
            booking = services.confirm(token)
        except diary.HoldLapsed as exc:
            return render(request, "booking/lapsed.html", {**context, "message": str(exc)}, status=409)
        except RecordError as exc:
            return render(request, "booking/lapsed.html", {**context, "message": str(exc)}, status=409)
        return render(request, "booking/confirmed.html", {**context, "booking": booking})
    return render(request, "booking/confirm.html", context)
