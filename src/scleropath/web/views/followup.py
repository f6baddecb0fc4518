"""Follow-up visits, side effects and complications (triaged by the engine at once), outcomes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action, can
from scleropath.assessments.models import TreatmentPlan, VeinFinding
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.followup.models import AdverseEvent, FollowUp, Severity
from scleropath.followup.services import (
    log_adverse_event,
    record_follow_up_visit,
    record_outcome,
    resolve_adverse_event,
)
from scleropath.patients.access import get_patient_for_user
from scleropath.protocol import InputError
from scleropath.treatment.models import SessionStatus, TreatmentSession

from ..shortcuts import add_service_errors, page, staff


class VisitForm(forms.Form):
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)


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
        {"follow_up": obj, "patient": obj.patient, "form": form, "can_record": can(user, Action.AFTERCARE)},
        status=400 if form.errors else 200,
    )


class EventForm(forms.Form):
    symptom = forms.ChoiceField(label="What the patient reports")
    onset_on = forms.DateField(
        label="Started on", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    severity = forms.ChoiceField(choices=Severity.choices)
    session = forms.ModelChoiceField(
        queryset=TreatmentSession.objects.none(), required=False, label="After session (latest if blank)"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, engine: Any, patient: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        symptom = self.fields["symptom"]
        assert isinstance(symptom, forms.ChoiceField)
        symptom.choices = [
            (s.code, f"{s.display}: {s.patient_wording}") for s in engine.protocol.complications.symptoms
        ]
        self.fields["session"].queryset = TreatmentSession.objects.active().filter(  # type: ignore[attr-defined]
            patient=patient, status=SessionStatus.COMPLETED
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
            messages.success(request, f"Logged and triaged: {event.triage_level.replace('_', ' ')}.")
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


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(
        label="Resolved on", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


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


class OutcomeForm(forms.Form):
    finding = forms.ModelChoiceField(
        queryset=VeinFinding.objects.none(), required=False, label="Treated finding"
    )
    area = forms.CharField(label="Treated area", max_length=100)
    clearance_percent = forms.IntegerField(label="Clearance (%)", min_value=0, max_value=100)
    satisfaction = forms.TypedChoiceField(
        label="Patient satisfaction",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Not asked"), (1, "1 (poor)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (excellent)")],
    )
    recurrence = forms.BooleanField(label="Recurrence or new veins", required=False)
    retreatment_needed = forms.BooleanField(label="Retreatment needed", required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, plan: TreatmentPlan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = VeinFinding.objects.active().filter(  # type: ignore[attr-defined]
            assessment_id=plan.assessment_id
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
