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
from scleropath.assessments.models import Assessment, VeinFinding
from scleropath.assessments.services import (
    add_finding,
    change_finding,
    create_assessment,
    engine_finding,
    finding_as_engine_input,
    finding_fields,
    plan_assessment,
    remove_finding,
    score_leg,
)
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.patients.access import get_patient_for_user
from scleropath.protocol import Engine, InputError, Protocol
from scleropath.protocol.answers import CeapSuggestion
from scleropath.protocol.wording import name_of, words

from ..forms import FindingForm, LegScoreForm
from ..legmap import marker, svg_context
from ..notes import notes_section
from ..shortcuts import add_service_errors, page, refusal_text, staff

START_CHOICES = ("last", "empty")


@login_required
@require_POST
def assessment_new(request: HttpRequest, patient_id: int) -> HttpResponse:
    """A new assessment; it starts from the last one's findings unless the clinician asks for an empty one."""
    user = staff(request)
    patient = get_patient_for_user(user, patient_id, Action.ASSESS)
    start = request.POST.get("start", "last")
    if start not in START_CHOICES:
        messages.error(request, "Start: choose the last assessment's findings or an empty assessment.")
        return redirect("web:chart", patient.pk)
    try:
        assessment = create_assessment(user, patient, carry_forward=start == "last")
    except (ValidationError, RecordError) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("web:chart", patient.pk)
    carried = assessment.findings.active().count() if start == "last" else 0
    if carried:
        messages.success(
            request,
            f"{carried} finding{'s' if carried != 1 else ''} carried over from the last assessment: "
            "check each against the leg today, and change or remove what has changed.",
        )
    return redirect("web:assessment", assessment.pk)


def _finding_title(f: VeinFinding, protocol: Protocol) -> str:
    """A finding's accessible name on the map: "Finding L1: varicose, 4.5 mm, inner thigh, left leg"."""
    parts = [name_of(protocol, "vessel_class", f.vessel_class, capital=False, short=True)]
    if f.diameter_mm:
        parts.append(f"{f.diameter_mm} mm")
    if f.region:
        parts.append(name_of(protocol, "region", f.region, capital=False))
    parts.append(f"{f.side} leg")
    return f"Finding {f.label}: " + ", ".join(parts)


def _markers(findings: list[VeinFinding], protocol: Protocol) -> list[Any]:
    return [
        marker(
            f.label,
            f"m-{f.vessel_class}",
            f.view,
            f.x,
            f.y,
            _finding_title(f, protocol),
            side=f.side,
            region=f.region,
        )
        for f in findings
    ]


def _suggestion(engine: Engine, findings: list[VeinFinding]) -> CeapSuggestion | None:
    """The CEAP signs the findings imply, or None if a finding no longer passes today's protocol."""
    try:
        return engine.suggest_ceap_signs([finding_as_engine_input(f) for f in findings])
    except InputError:
        return None


def _context(
    user: Any, assessment: Assessment, form: FindingForm, engine: Engine, **extra: Any
) -> dict[str, Any]:
    scores = {s.side: s for s in assessment.leg_scores.active()}
    findings = list(assessment.findings.active().select_related("carried_from__assessment"))
    suggestion = _suggestion(engine, findings)
    suggested = {side: suggestion.for_side(side) if suggestion else [] for side in ("left", "right")}
    return {
        "assessment": assessment,
        "patient": assessment.patient,
        "form": form,
        "findings": findings,
        "carried_count": sum(1 for f in findings if f.carried_from_id),
        "map": svg_context(_markers(findings, engine.protocol)),
        "score_forms": [
            (
                side,
                scores.get(side),
                LegScoreForm(
                    engine,
                    initial=_score_initial(side, scores.get(side), suggested[side]),
                    auto_id=f"id_{side}_%s",
                ),
                suggested[side],
            )
            for side in ("left", "right")
        ],
        "can_assess": can(user, Action.ASSESS),
        "editable": not assessment.plans.active().exclude(status="superseded").exists(),
        "can_plan": can(user, Action.PLAN),
        "plans": assessment.plans.active(),
        "notes": notes_section(user, assessment),
        **extra,
    }


def _score_initial(side: str, score: Any, suggested: list[Any]) -> dict[str, Any]:
    """A recorded score as it was; an unscored leg with the signs its findings suggest ticked, to confirm."""
    initial: dict[str, Any] = {"side": side}
    if score is not None:
        initial["signs"] = score.ceap_signs
        initial.update({f"vcss_{k}": v for k, v in score.vcss_items.items()})
    else:
        initial["signs"] = [s.sign for s in suggested]
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


def _finding_initial(finding: VeinFinding) -> dict[str, Any]:
    initial = finding_fields(finding)
    reflux = initial["reflux"]
    initial["reflux"] = "yes" if reflux is True else "no" if reflux is False else ""
    return initial


@login_required
def finding_edit(request: HttpRequest, finding_id: int) -> HttpResponse:
    """Correct a finding (a carried one, checked against the leg today); the engine classes it again."""
    user = staff(request)
    finding = get_for_user(user, VeinFinding, finding_id, Action.ASSESS)
    engine = engine_for(finding.assessment.patient.clinic)
    form = FindingForm(engine, request.POST or None, initial=_finding_initial(finding))
    if request.method == "POST" and form.is_valid():
        try:
            change_finding(user, finding, **form.finding_data())
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{finding.label} changed: {words(finding.vessel_class)}.")
            return redirect("web:assessment", finding.assessment_id)
    context = {"finding": finding, "assessment": finding.assessment, "form": form}
    return page(request, "web/finding_edit.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def finding_remove(request: HttpRequest, finding_id: int) -> HttpResponse:
    user = staff(request)
    finding = get_for_user(user, VeinFinding, finding_id, Action.ASSESS)
    try:
        remove_finding(user, finding, request.POST.get("reason", ""))
    except (ValidationError, RecordError) as exc:
        messages.error(request, f"{finding.label} not removed: {refusal_text(exc)}")
    else:
        messages.success(request, f"{finding.label} removed from this assessment.")
    return redirect(reverse("web:assessment", args=[finding.assessment_id]) + "#findings-h")
