"""Screening: the questionnaire built from the engine's vocabulary, with the verdict shown as it is
answered (an htmx preview that saves nothing) and recorded as a new screening version."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from scleropath.accounts.permissions import Action, require
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.patients.access import get_patient_for_user
from scleropath.patients.services import engine_patient, record_screening
from scleropath.protocol import InputError

from ..forms import ScreeningForm
from ..shortcuts import add_service_errors, page, staff


@login_required
def screening(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = staff(request)
    require(user, Action.SCREEN)
    patient = get_patient_for_user(user, patient_id, Action.SCREEN)
    engine = engine_for(patient.clinic)
    current = patient.current_screening()
    initial: dict[str, Any] = {"mobility": "ambulant"}
    if current is not None:
        initial = {
            "conditions": current.conditions,
            "allergies": ", ".join(current.allergies),
            "pregnant": current.pregnant,
            "breastfeeding": current.breastfeeding,
            "mobility": current.mobility,
        }
    form = ScreeningForm(engine, request.POST or None, initial=initial)
    result = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("preview"):
            person = engine_patient(patient)
            person.update(form.answers())
            try:
                result = engine.screen({"patient": person})
            except InputError as exc:
                form.add_error(None, str(exc))
            return page(
                request, "web/screening.html", _context(patient, form, result, current), fragment="verdict"
            )
        try:
            record_screening(user, patient, **form.answers())
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Screening recorded.")
            return redirect("web:chart", patient.pk)
    elif current is not None:
        result = current.result
    return page(
        request,
        "web/screening.html",
        _context(patient, form, result, current),
        status=400 if form.errors else 200,
    )


def _context(patient: Any, form: ScreeningForm, result: Any, current: Any) -> dict[str, Any]:
    if result is not None and not isinstance(result, dict):
        result = result.model_dump(mode="json")
    return {"patient": patient, "form": form, "result": result, "current": current}
