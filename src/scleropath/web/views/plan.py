"""Plan: what the engine recommends for each finding and why, approval with recorded overrides,
and consent to the approved plan."""

from __future__ import annotations

from typing import Any, get_args

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action, can
from scleropath.assessments.consent import consent_text
from scleropath.assessments.models import PlanStatus, TreatmentPlan
from scleropath.assessments.services import approve_plan, record_consent
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.core.validators import parse_version
from scleropath.protocol.vocabulary import TREATING_PROCEDURES, Procedure
from scleropath.protocol.wording import name_of

from ..forms import ConsentForm
from ..shortcuts import add_service_errors, page, staff


def _procedure_choices(engine: Any) -> list[tuple[str, str]]:
    """The clinician's choices for a finding: as recommended, or any procedure by its name."""
    return [("", "As recommended")] + [
        (p, name_of(engine.protocol, "procedure", p)) for p in get_args(Procedure)
    ]


def _sources(engine: Any, ids: list[str]) -> list[dict[str, str]]:
    refs = engine.protocol.refs
    return [{"id": i, "citation": refs[i].citation, "weak": refs[i].weak} for i in ids if i in refs]


def plan_context(plan: TreatmentPlan) -> dict[str, Any]:
    engine = engine_for(plan.patient.clinic)
    answer = plan.engine_answer
    by_id = {f["id"]: f for f in answer["findings"]}
    ordered = [by_id[i] for i in answer.get("treatment_order", []) if i in by_id]
    ordered += [f for f in answer["findings"] if f["id"] not in answer.get("treatment_order", [])]
    for f in ordered:
        f["sources"] = _sources(engine, f["citations"])
        f["override"] = plan.overrides.get(f["id"])
    return {
        "plan": plan,
        "patient": plan.patient,
        "answer": answer,
        "findings": ordered,
        "plan_sources": _sources(engine, answer.get("citations", [])),
    }


@login_required
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = staff(request)
    obj = get_for_user(user, TreatmentPlan, plan_id)
    context = plan_context(obj)
    if request.method == "POST":
        overrides: dict[str, dict[str, str]] = {}
        for f in context["findings"]:
            # What was typed is shown again if the approval is refused.
            f["typed_procedure"] = request.POST.get(f"override_{f['id']}", "")
            f["typed_reason"] = request.POST.get(f"reason_{f['id']}", "")
            if f["typed_procedure"]:
                overrides[f["id"]] = {"procedure": f["typed_procedure"], "reason": f["typed_reason"]}
        try:
            approve_plan(user, obj, parse_version(request.POST.get("version")), overrides)
        except (ValidationError, RecordError) as exc:
            context["errors"] = getattr(exc, "messages", [str(exc)])
        else:
            messages.success(request, "Plan approved.")
            return redirect("web:plan", obj.pk)
    context.update(
        procedures=_procedure_choices(engine_for(obj.patient.clinic)),
        can_approve=can(user, Action.PLAN) and obj.status == PlanStatus.DRAFT,
        can_consent=can(user, Action.CONSENT) and obj.status == PlanStatus.APPROVED,
        can_start=can(user, Action.INJECT) and obj.status == PlanStatus.APPROVED,
        can_override=can(user, Action.OVERRIDE_LIMIT),
        consent=obj.consents.active().first(),
        sessions=obj.sessions.active().order_by("number"),
    )
    return page(request, "web/plan.html", context, status=400 if context.get("errors") else 200)


@login_required
def consent(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = staff(request)
    obj = get_for_user(user, TreatmentPlan, plan_id)
    existing = obj.consents.active().select_related("taken_by").first()
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_consent(user, obj, patient_confirmed=True)
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Consent recorded.")
            return redirect("web:plan", obj.pk)
    procedures = [p for p in obj.procedures() if p in TREATING_PROCEDURES]
    text = (
        existing.text
        if existing
        else (consent_text(engine_for(obj.patient.clinic), procedures) if procedures else "")
    )
    return page(
        request,
        "web/consent.html",
        {
            "plan": obj,
            "patient": obj.patient,
            "form": form,
            "existing": existing,
            "text": text,
            "can_consent": can(user, Action.CONSENT)
            and obj.status == PlanStatus.APPROVED
            and existing is None,
        },
        status=400 if form.errors else 200,
    )
