"""Follow-up visits, side effects and complications (triaged by the engine at once), outcomes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action, can
from scleropath.assessments.models import TreatmentPlan
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.followup.models import AdverseEvent, FollowUp
from scleropath.followup.services import (
    log_adverse_event,
    record_follow_up_visit,
    record_outcome,
    resolve_adverse_event,
)
from scleropath.patients.access import get_patient_for_user
from scleropath.protocol import InputError
from scleropath.protocol.wording import name_of
from scleropath.treatment.models import SessionStatus

from ..forms import EventForm, OutcomeForm, ResolveForm, VisitForm
from ..notes import notes_section
from ..shortcuts import add_service_errors, page, staff


@login_required
def follow_up(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    user = staff(request)
    obj = get_for_user(user, FollowUp, follow_up_id)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_follow_up_visit(user, obj, form.cleaned_data["notes"])
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Follow-up visit recorded.")
            return redirect("web:chart", obj.patient_id)
    return page(
        request,
        "web/follow_up.html",
        {
            "follow_up": obj,
            "patient": obj.patient,
            "form": form,
            "can_record": can(user, Action.AFTERCARE),
            "notes": notes_section(user, obj),
            "booked_review": obj.appointments.taking_time().select_related("practitioner").first(),
            "may_book": can(user, Action.BOOK),
        },
        status=400 if form.errors else 200,
    )


@login_required
def event_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = staff(request)
    patient = get_patient_for_user(user, patient_id, Action.AFTERCARE)
    engine = engine_for(patient.clinic)
    form = EventForm(engine, patient, request.POST or None, initial={"onset_on": timezone.localdate()})
    preview = None
    if request.method == "POST" and request.POST.get("preview"):
        preview = _triage_preview(engine, patient, form.cleaned_data) if form.is_valid() else None
        if getattr(request, "htmx", False):
            return page(request, "web/event_new.html", {"preview": preview}, fragment="triage")
        # Without htmx (scripts off, or the form sent by hand) the whole page, with what was typed.
        return page(
            request,
            "web/event_new.html",
            {"patient": patient, "form": form, "preview": preview},
            status=400 if form.errors else 200,
        )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            event = log_adverse_event(
                user,
                patient,
                symptom=d["symptom"],
                onset_on=d["onset_on"],
                severity=d["severity"],
                session=d["session"],
                notes=d["notes"],
            )
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Logged and triaged: {name_of(None, 'triage_level', event.triage_level, capital=False)}.",
            )
            return redirect("web:event", event.pk)
    return page(
        request,
        "web/event_new.html",
        {"patient": patient, "form": form, "preview": preview},
        status=400 if form.errors else 200,
    )


def _triage_preview(engine: Any, patient: Any, d: dict[str, Any]) -> dict[str, Any] | None:
    """The engine's triage of the side effect being typed, by the days since its session."""
    session = (
        d["session"]
        or patient.sessions.filter(status=SessionStatus.COMPLETED).order_by("-completed_at").first()
    )
    days = (
        (d["onset_on"] - timezone.localdate(session.completed_at)).days
        if session and session.completed_at
        else 0
    )
    try:
        answer: dict[str, Any] = engine.triage(
            {"symptom": d["symptom"], "days_since_treatment": max(days, 0)}
        ).model_dump(mode="json")
    except InputError:
        return None
    return answer


@login_required
def event(request: HttpRequest, event_id: int) -> HttpResponse:
    user = staff(request)
    obj = get_for_user(user, AdverseEvent, event_id)
    form = ResolveForm(request.POST or None, initial={"resolved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            resolve_adverse_event(user, obj, form.cleaned_data["resolved_on"], form.cleaned_data["notes"])
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Resolution recorded.")
            return redirect("web:event", obj.pk)
    return page(
        request,
        "web/event.html",
        {"event": obj, "patient": obj.patient, "form": form, "can_record": can(user, Action.AFTERCARE)},
        status=400 if form.errors else 200,
    )


@login_required
def outcome(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = staff(request)
    plan = get_for_user(user, TreatmentPlan, plan_id)
    form = OutcomeForm(plan, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_outcome(user, plan, **form.cleaned_data)
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Outcome recorded.")
            return redirect("web:chart", plan.patient_id)
    return page(
        request,
        "web/outcome.html",
        {
            "plan": plan,
            "patient": plan.patient,
            "form": form,
            "outcomes": plan.outcomes.active(),
        },
        status=400 if form.errors else 200,
    )
