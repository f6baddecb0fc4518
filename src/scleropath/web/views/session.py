"""Session charting: each injection placed on the leg map with its lot, volume and strength; a live
tally against every limit that refuses an injection past one without an override reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action, can
from scleropath.assessments.models import TreatmentPlan, VeinFinding
from scleropath.core.models import RecordError
from scleropath.core.validators import parse_version
from scleropath.followup.services import complete_session
from scleropath.protocol import InputError
from scleropath.protocol.wording import words
from scleropath.treatment.models import SessionStatus, TreatmentSession
from scleropath.treatment.services import (
    LimitRefused,
    OffPlanRefused,
    planned_injection,
    record_injection,
    session_check,
    start_session,
)

from ..forms import InjectionForm
from ..legmap import marker, svg_context
from ..notes import notes_section
from ..shortcuts import add_service_errors, page, refusal_text, staff


@login_required
@require_POST
def session_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    user = staff(request)
    plan = get_for_user(user, TreatmentPlan, plan_id, Action.INJECT)
    try:
        session = start_session(user, plan, off_plan_reason=request.POST.get("off_plan_reason", ""))
    except (ValidationError, RecordError) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("web:plan", plan.pk)
    return redirect("web:session", session.pk)


def _session_context(session: TreatmentSession, form: InjectionForm, **extra: Any) -> dict[str, Any]:
    injections = list(session.injections.active().select_related("lot", "finding", "given_by"))
    findings = list(VeinFinding.objects.active().filter(assessment_id=session.plan.assessment_id))
    markers = [
        marker(
            f.label,
            f"m-{f.vessel_class}",
            f.view,
            f.x,
            f.y,
            f"Finding {f.label}: {words(f.vessel_class)}{f', {words(f.region)}' if f.region else ''}, "
            f"{f.side} leg",
            side=f.side,
            region=f.region,
        )
        for f in findings
    ]
    # An injection charted without a point is drawn at its finding's place.
    markers += [
        marker(
            str(i + 1),
            "m-injection",
            inj.view if inj.x is not None else inj.finding.view,
            inj.x if inj.x is not None else inj.finding.x,
            inj.y if inj.x is not None else inj.finding.y,
            f"Injection {i + 1}: {inj.volume_ml} mL {inj.form}"
            f"{f', finding {inj.finding.label}' if inj.finding else ''}",
            side=inj.side or (inj.finding.side if inj.finding else ""),
            region=inj.finding.region if inj.finding else "",
        )
        for i, inj in enumerate(injections)
        if inj.x is not None or inj.finding is not None
    ]
    return {
        "session": session,
        "patient": session.patient,
        "form": form,
        "injections": injections,
        "map": svg_context(markers),
        "check": extra.pop("check", None) or session_check(session).model_dump(mode="json"),
        **extra,
    }


def _pending(form: InjectionForm) -> dict[str, Any] | None:
    if not form.is_valid():
        return None
    d = form.cleaned_data
    return planned_injection(d["lot"], d["form"], d["volume_ml"], d.get("foam_gas_parts"))


@login_required
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = staff(request)
    obj = get_for_user(user, TreatmentSession, session_id)
    form = InjectionForm(obj, request.POST or None)
    refused: LimitRefused | None = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record_injection(
                user,
                obj,
                lot=d["lot"],
                volume_ml=d["volume_ml"],
                form=d["form"],
                finding=d["finding"],
                foam_gas_parts=d["foam_gas_parts"],
                needle_gauge=d["needle_gauge"],
                view=d["view"] or "",
                x=d["x"],
                y=d["y"],
                override_reason=d["override_reason"] or "",
                off_plan_reason=d["off_plan_reason"] or "",
            )
        except LimitRefused as exc:
            refused = exc
            form.add_error("override_reason", "This injection would pass a limit: give a reason to proceed.")
        except OffPlanRefused as exc:
            form.add_error("off_plan_reason", str(exc))
        except (ValidationError, RecordError) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Injection recorded.")
            return redirect("web:session", obj.pk)
    check = refused.check.model_dump(mode="json") if refused is not None else None
    return _session_page(request, obj, form, refused=refused, check=check)


def _session_page(
    request: HttpRequest, obj: TreatmentSession, form: InjectionForm, **extra: Any
) -> HttpResponse:
    """The whole session page; 400 when the form, or an ``errors`` list, says what was wrong."""
    user = staff(request)
    context = _session_context(
        obj,
        form,
        can_inject=can(user, Action.INJECT) and obj.status == SessionStatus.OPEN,
        can_override=can(user, Action.OVERRIDE_LIMIT),
        notes=notes_section(user, obj),
        **extra,
    )
    failed = (form.is_bound and bool(form.errors)) or bool(extra.get("errors"))
    return page(request, "web/session.html", context, status=400 if failed else 200)


@transaction.non_atomic_requests  # a POST that saves nothing: it need not hold the write lock
@login_required
@require_POST
def tally(request: HttpRequest, session_id: int) -> HttpResponse:
    """The tally as it would be with the injection being typed (nothing is saved)."""
    user = staff(request)
    obj = get_for_user(user, TreatmentSession, session_id, Action.INJECT)
    form = InjectionForm(obj, request.POST)
    pending = _pending(form)
    try:
        check = session_check(obj, [pending] if pending else [])
    except InputError:
        check = session_check(obj)
        pending = None
    if not getattr(request, "htmx", False):
        # Without htmx (scripts off, or the form sent by hand) the whole page, with what was typed.
        return _session_page(request, obj, form, check=check.model_dump(mode="json"), pending=pending)
    return page(
        request,
        "web/session.html",
        {"check": check.model_dump(mode="json"), "pending": pending, "session": obj},
        fragment="tally",
    )


@login_required
@require_POST
def session_complete(request: HttpRequest, session_id: int) -> HttpResponse:
    user = staff(request)
    obj = get_for_user(user, TreatmentSession, session_id, Action.INJECT)
    try:
        version = parse_version(request.POST.get("version"))
    except ValidationError as exc:
        return _session_page(request, obj, InjectionForm(obj), errors=exc.messages)
    try:
        complete_session(user, obj, version)
    except (ValidationError, RecordError) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("web:session", obj.pk)
    messages.success(request, "Session completed; aftercare and follow-ups are ready.")
    return redirect("web:aftercare", obj.pk)
