"""Patients: search, register, and the chart with its timeline."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from scleropath.accounts.permissions import Action, can
from scleropath.analytics.patient import chart_context as patient_charts
from scleropath.core.models import RecordError
from scleropath.patients.access import get_patient_for_user, record_listing
from scleropath.patients.models import Patient
from scleropath.patients.nhs import normalise_nhs_number
from scleropath.patients.services import create_patient, record_weight

from ..forms import PatientForm, PatientSearchForm, WeightForm
from ..shortcuts import add_service_errors, page, staff
from ..timeline import chart_context
from ..visit_map import visit_map
from .messaging import messages_card
from .photos import photos_card


def search_patients(queryset: QuerySet[Patient], q: str) -> QuerySet[Patient]:
    """Match a name, a date of birth (dd/mm/yyyy or yyyy-mm-dd) or an NHS number."""
    q = q.strip()
    if not q:
        return queryset.none()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return queryset.filter(date_of_birth=datetime.strptime(q, fmt).date())
        except ValueError:
            pass
    digits = normalise_nhs_number(q)
    if re.fullmatch(r"\d{6,10}", digits):
        return queryset.filter(nhs_number__startswith=digits)
    condition = Q()
    for word in q.split():
        condition &= Q(family_name__icontains=word) | Q(given_name__icontains=word)
    return queryset.filter(condition)


@login_required
def patients(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    base = Patient.objects.restrict(user, Action.VIEW_PATIENT)
    form = PatientSearchForm(request.GET or None)
    q = form.data.get("q", "") if form.is_bound else ""
    results = list(search_patients(base, q)[:50]) if q else list(base.order_by("-created_at")[:20])
    record_listing(user, results, f"Patient search '{q}'" if q else "Patients, newest registered")
    context: dict[str, Any] = {
        "form": form,
        "results": results,
        "q": q,
        "can_create": can(user, Action.EDIT_PATIENT),
    }
    return page(request, "web/patients.html", context, fragment="results")


@login_required
def patient_new(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient = create_patient(user, **form.cleaned_data)
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{patient} registered.")
            return redirect("web:chart", patient.pk)
    return page(request, "web/patient_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def chart(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = staff(request)
    patient = get_patient_for_user(user, patient_id)
    weight_form = WeightForm(request.POST or None)
    if request.method == "POST" and weight_form.is_valid():
        try:
            record_weight(
                user,
                patient,
                weight_form.cleaned_data["weight_kg"],
                confirmed=weight_form.cleaned_data["confirmed"],
            )
        except (ValidationError, RecordError) as exc:
            add_service_errors(weight_form, exc)
        else:
            messages.success(request, "Weight recorded.")
            return redirect("web:chart", patient.pk)
    context = chart_context(user, patient)
    context.update(patient_charts(context))
    if context["clinical"]:
        context.update(visit_map(request.GET, patient, context["assessments"], context["sessions"]))
    context["weight_form"] = weight_form
    context.update(appointments_of(user, patient))
    context.update(messages_card(user, patient))
    context.update(photos_card(user, patient))
    return page(request, "web/chart.html", context, status=400 if weight_form.errors else 200)


def appointments_of(user: Any, patient: Patient) -> dict[str, Any]:
    """The chart's Appointments card: what is to come (soonest first), then the last ten."""
    from django.utils import timezone

    from scleropath.diary.models import Appointment

    now = timezone.now()
    live = Appointment.objects.filter(patient=patient, voided_at__isnull=True).select_related(
        "practitioner", "room"
    )
    upcoming = list(live.taking_time().filter(ends_at__gt=now).order_by("starts_at")[:10])
    return {
        "upcoming_appointments": upcoming,
        "past_appointments": list(
            live.exclude(pk__in=[a.pk for a in upcoming])
            .filter(starts_at__lte=now)
            .order_by("-starts_at")[:10]
        ),
        "next_appointment": next(
            (a for a in upcoming if a.starts_at > now), upcoming[0] if upcoming else None
        ),
        "may_book": can(user, Action.BOOK),
        "booked_reviews": {a.follow_up_id: a for a in upcoming if a.follow_up_id},
    }
