"""Session charting: each injection placed on the leg map with its lot, volume and strength; a live
tally against every limit that refuses an injection past one without an override reason.

Charting one injection takes two actions in the common case: choose a finding (its marker or the
select; the form is filled from the plan's option for it) or, after the first injection, a site
on the map (the form starts as the last injection, "same again"); then Record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action, can
from scleropath.assessments.models import TreatmentPlan, VeinFinding
from scleropath.core.engine import engine_for
from scleropath.core.models import RecordError
from scleropath.core.numbers import plain_decimal
from scleropath.core.validators import parse_version
from scleropath.diary import services as diary
from scleropath.followup.services import complete_session
from scleropath.protocol import InputError
from scleropath.protocol.wording import words
from scleropath.treatment import charting
from scleropath.treatment.charting import Prefill
from scleropath.treatment.models import SessionStatus, StockLot, TreatmentSession
from scleropath.treatment.services import (
    LimitRefused,
    OffPlanRefused,
    display_product,
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


def _session_context(
    session: TreatmentSession, form: InjectionForm, can_inject: bool = False, **extra: Any
) -> dict[str, Any]:
    engine = engine_for(session.patient.clinic)
    injections = list(session.injections.active().select_related("lot", "finding", "given_by"))
    for inj in injections:
        inj.product_name = display_product(engine, inj.product)
    findings = list(VeinFinding.objects.active().filter(assessment_id=session.plan.assessment_id))
    here = reverse("web:session", args=[session.pk])
    # A finding's marker fills the form from the plan: a link without JavaScript, the select with it.
    markers = [
        marker(
            f.label,
            f"m-{f.vessel_class}",
            f.view,
            f.x,
            f.y,
            f"Finding {charting.finding_title(f)}{f', {words(f.region)}' if f.region else ''}, {f.side} leg",
            url=f"{here}?finding={f.pk}#finding-form" if can_inject else "",
            finding=str(f.pk) if can_inject else "",
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
            f"Injection {i + 1}: {plain_decimal(inj.volume_ml)} mL {words(inj.form)}"
            f"{f', finding {inj.finding.label}' if inj.finding else ''}",
            side=inj.side or (inj.finding.side if inj.finding else ""),
            region=inj.finding.region if inj.finding else "",
        )
        for i, inj in enumerate(injections)
        if inj.x is not None or inj.finding is not None
    ]
    check = extra.pop("check", None) or session_check(session).model_dump(mode="json")
    return {
        "session": session,
        "patient": session.patient,
        "form": form,
        "injections": injections,
        "map": svg_context(markers),
        "check": check,
        "sources": _sources(engine, check),
        "findings": findings,
        "can_inject": can_inject,
        **extra,
    }


def _sources(engine: Any, check: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Each tally row's sources, by the id of the limit it shows: citation ids with their titles."""
    refs = engine.protocol.refs
    return {
        row["limit_id"]: [{"id": c, "citation": refs[c].citation} for c in row["citations"] if c in refs]
        for row in check.get("rows", [])
    }


def _pending(form: InjectionForm) -> dict[str, Any] | None:
    if not form.is_valid():
        return None
    d = form.cleaned_data
    return planned_injection(d["lot"], d["form"], d["volume_ml"], d.get("foam_gas_parts"))


def _prefilled_pending(session: TreatmentSession, prefill: Prefill) -> dict[str, Any] | None:
    """The filled-in injection as the tally counts it, once it has a lot and a volume."""
    initial = prefill.initial
    if not initial.get("lot") or not initial.get("volume_ml"):
        return None
    lot = StockLot.objects.get(pk=initial["lot"])
    return planned_injection(lot, initial["form"], initial["volume_ml"], initial.get("foam_gas_parts"))


def _finding(session: TreatmentSession, value: str | None) -> VeinFinding | None:
    """The finding of the session's plan a request names by id, if it names one."""
    if not value or not value.isdigit():
        return None
    found: VeinFinding | None = (
        VeinFinding.objects.active().filter(assessment_id=session.plan.assessment_id, pk=int(value)).first()
    )
    return found


def _site(query: Any) -> dict[str, Any]:
    """A site already picked on the map, carried over when the form is filled again."""
    try:
        x, y = float(query.get("x", "")), float(query.get("y", ""))
    except ValueError:
        return {}
    view = query.get("view", "")
    if view not in ("front", "back") or not (0 <= x <= 1 and 0 <= y <= 1):
        return {}
    return {"view": view, "x": x, "y": y}


def _prefill(session: TreatmentSession, query: Any) -> tuple[Prefill, bool, list[str]]:
    """What the form starts with on a GET: the plan's option for ``?finding=`` (``&option=`` picks
    another), or the last injection again; whether that was asked for; and any error in the query."""
    if "finding" in query:
        finding = _finding(session, query.get("finding"))
        if finding is None:
            return charting.same_again(session), False, ["Finding: choose a finding of this session's plan."]
        option = query.get("option", "")
        prefill = charting.from_plan(session, finding, int(option) if option.isdigit() else None)
        explicit = True
    else:
        prefill, explicit = charting.same_again(session), "again" in query
    prefill.initial.update(_site(query))
    return prefill, explicit, []


@login_required
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    user = staff(request)
    obj = get_for_user(user, TreatmentSession, session_id)
    engine = engine_for(obj.patient.clinic)
    if request.method != "POST":
        prefill, explicit, errors = _prefill(obj, request.GET)
        form = InjectionForm(obj, engine=engine, prefill=prefill)
        pending = _prefilled_pending(obj, prefill) if explicit else None
        check = session_check(obj, [pending]) if pending else None
        return _session_page(
            request,
            obj,
            form,
            prefill=prefill,
            pending=pending,
            check=check.model_dump(mode="json") if check else None,
            errors=errors,
            fragment="chart",
            oob=bool(getattr(request, "htmx", False)),
        )
    posted = Prefill(lots=charting.lots_for_finding(obj, _finding(obj, request.POST.get("finding"))))
    form = InjectionForm(obj, request.POST, engine=engine, prefill=posted)
    refused: LimitRefused | None = None
    if form.is_valid():
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
    dumped = refused.check.model_dump(mode="json") if refused is not None else None
    return _session_page(request, obj, form, refused=refused, check=dumped)


def _session_page(
    request: HttpRequest,
    obj: TreatmentSession,
    form: InjectionForm,
    fragment: str | None = None,
    **extra: Any,
) -> HttpResponse:
    """The whole session page (for htmx, ``fragment`` of it); 400 when the form, or an ``errors``
    list, says what was wrong."""
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
    return page(request, "web/session.html", context, fragment=fragment, status=400 if failed else 200)


@transaction.non_atomic_requests  # a POST that saves nothing: it need not hold the write lock
@login_required
@require_POST
def tally(request: HttpRequest, session_id: int) -> HttpResponse:
    """The tally as it would be with the injection being typed (nothing is saved)."""
    user = staff(request)
    obj = get_for_user(user, TreatmentSession, session_id, Action.INJECT)
    posted = Prefill(lots=charting.lots_for_finding(obj, _finding(obj, request.POST.get("finding"))))
    form = InjectionForm(obj, request.POST, engine=engine_for(obj.patient.clinic), prefill=posted)
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
        {
            "check": (dumped := check.model_dump(mode="json")),
            "sources": _sources(engine_for(obj.patient.clinic), dumped),
            "pending": pending,
            "session": obj,
        },
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
        return _session_page(
            request, obj, InjectionForm(obj, engine=engine_for(obj.patient.clinic)), errors=exc.messages
        )
    try:
        complete_session(user, obj, version)
        diary.session_completed(user, obj)
    except (ValidationError, RecordError) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("web:session", obj.pk)
    messages.success(request, "Session completed; aftercare and follow-ups are ready.")
    return redirect("web:aftercare", obj.pk)
