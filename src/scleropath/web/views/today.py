"""Today: the signed-in user's clinic day, most urgent first."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from scleropath.accounts.permissions import Action, can
from scleropath.assessments.models import PlanStatus, TreatmentPlan
from scleropath.followup.models import AdverseEvent, FollowUp, FollowUpStatus
from scleropath.patients.access import record_listing
from scleropath.treatment.models import SessionStatus, TreatmentSession

from ..shortcuts import page, staff
from .flags import open_flags

URGENCY = {"emergency": 0, "prompt_review": 1}


@login_required
def today(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    day = timezone.localdate()
    context: dict[str, object] = {"day": day, "clinical": can(user, Action.VIEW_CLINICAL)}
    if context["clinical"]:
        events = list(
            AdverseEvent.objects.restrict(user)
            .filter(resolved_on__isnull=True, triage_level__in=list(URGENCY))
            .select_related("patient")
        )
        events.sort(key=lambda e: (URGENCY[e.triage_level], e.onset_on))
        lists: dict[str, list[Any]] = {
            "events": events,
            "flags": open_flags(user),
            "open_sessions": list(
                TreatmentSession.objects.restrict(user)
                .filter(status=SessionStatus.OPEN)
                .select_related("patient", "practitioner")
            ),
            "follow_ups": list(
                FollowUp.objects.restrict(user)
                .filter(status=FollowUpStatus.SCHEDULED, due_on__lte=day)
                .select_related("patient")
                .order_by("due_on")
            ),
            "plans_to_approve": list(
                TreatmentPlan.objects.restrict(user).filter(status=PlanStatus.DRAFT).select_related("patient")
            ),
        }
        context.update(lists)
        record_listing(user, [row for rows in lists.values() for row in rows], f"Today, {day.isoformat()}")
    return page(request, "web/today.html", context)
