"""Assessment: vein findings placed on the leg map and classified by the engine as they are typed,
CEAP and VCSS per leg, and the step to a plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action, can
from scleropath.assessments.models import Assessment
from scleropath.assessments.services import (
    add_finding,
    create_assessment,
    engine_finding,
    plan_assessment,
    score_leg,
)
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.patients.access import get_patient_for_user
from scleropath.protocol import Engine, InputError
from scleropath.protocol.wording import name_of, words

from ..forms import FindingForm, LegScoreForm
from ..legmap import marker, svg_context
from ..shortcuts import add_service_errors, page, refusal_text, staff


@login_required
@require_POST
def assessment_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    user = staff(request)
    patient = get_patient_for_user(user, patient_id, Action.ASSESS)
    assessment = create_assessment(user, patient)
    return redirect("web:assessment", assessment.pk)


def _markers(assessment: Assessment) -> list[Any]:
    protocol = engine_for(assessment.patient.clinic).protocol
    return [
        marker(
            f.label,
            f"m-{f.vessel_class}",
            f.view,
            f.x,
            f.y,
            f"{f.label}: {name_of(protocol, 'vessel_class', f.vessel_class, capital=False, short=True)}"
            f"{f', {f.diameter_mm} mm' if f.diameter_mm else ''}",
        )
        for f in assessment.findings.active()
    ]


def _context(
    user: Any, assessment: Assessment, form: FindingForm, engine: Engine, **extra: Any
) -> dict[str, Any]:
    scores = {s.side: s for s in assessment.leg_scores.active()}
    return {
        "assessment": assessment,
        "patient": assessment.patient,
        "form": form,
        "findings": assessment.findings.active(),
        "map": svg_context(_markers(assessment)),
        "score_forms": [
            (
                side,
                scores.get(side),
                LegScoreForm(engine, initial=_score_initial(side, scores.get(side)), auto_id=f"id_{side}_%s"),
            )
            for side in ("left", "right")
        ],
        "can_plan": can(user, Action.PLAN),
        "plans": assessment.plans.active(),
        **extra,
    }


def _score_initial(side: str, score: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {"side": side}
    if score is not None:
        initial["signs"] = score.ceap_signs
        initial.update({f"vcss_{k}": v for k, v in score.vcss_items.items()})
    return initial


@login_required
def assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = staff(request)
    obj = get_for_user(user, Assessment, assessment_id)
    engine = engine_for(obj.patient.clinic)
    form = FindingForm(engine, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            finding = add_finding(user, obj, **form.finding_data())
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{finding.label} added: "
                f"{name_of(engine.protocol, 'vessel_class', finding.vessel_class, capital=False, short=True)}.",
            )
            return redirect("web:assessment", obj.pk)
    return page(
        request, "web/assessment.html", _context(user, obj, form, engine), status=400 if form.errors else 200
    )


@login_required
@require_POST
def classify_preview(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The engine's class for the finding being typed, shown before it is saved."""
    user = staff(request)
    obj = get_for_user(user, Assessment, assessment_id, Action.ASSESS)
    engine = engine_for(obj.patient.clinic)
    form = FindingForm(engine, request.POST)
    result, error = None, ""
    if form.is_valid():
        try:
            result = engine.classify(engine_finding("new", form.finding_data()))
        except InputError as exc:
            error = "; ".join(e["message"] for e in exc.errors)
    else:
        error = "Enter a diameter, a named vein or a class."
    if not getattr(request, "htmx", False):
        # Without htmx (scripts off, or the form sent by hand) the whole page, with what was typed.
        context = _context(user, obj, form, engine, result=result, error=error)
        return page(request, "web/assessment.html", context, status=400 if form.errors else 200)
    return page(request, "web/assessment.html", {"result": result, "error": error}, fragment="preview")


@login_required
@require_POST
def leg_score(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = staff(request)
    obj = get_for_user(user, Assessment, assessment_id, Action.ASSESS)
    engine = engine_for(obj.patient.clinic)
    form = LegScoreForm(engine, request.POST)
    if form.is_valid():
        try:
            score = score_leg(
                user, obj, form.cleaned_data["side"], form.cleaned_data["signs"], form.vcss_items()
            )
        except (ValidationError, RecordError) as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(
                request,
                f"{words(score.side, capital=True)} leg: {score.ceap_highest}, VCSS {score.vcss_total}.",
            )
    else:
        messages.error(
            request, "Check the scores: " + "; ".join(f"{k}: {v[0]}" for k, v in form.errors.items())
        )
    return redirect(reverse("web:assessment", args=[obj.pk]) + "#scores")


@login_required
@require_POST
def plan_new(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = staff(request)
    obj = get_for_user(user, Assessment, assessment_id, Action.PLAN)
    try:
        plan = plan_assessment(user, obj)
    except (ValidationError, RecordError) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("web:assessment", obj.pk)
    return redirect("web:plan", plan.pk)
