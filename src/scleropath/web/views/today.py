"""Today: the signed-in user's clinic day, most urgent first."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from scleropath.accounts.permissions import Action, can
from scleropath.assessments.models import PlanStatus, TreatmentPlan
from scleropath.diary.models import Appointment, AppointmentStatus
from scleropath.diary.services import local_datetime
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
    schedule = own_schedule(user, day)
    context: dict[str, object] = {
        "day": day,
        "clinical": can(user, Action.VIEW_CLINICAL),
        "schedule": schedule,
        "may_book": can(user, Action.BOOK),
    }
    shown: list[Any] = list(schedule)
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
        shown += [row for rows in lists.values() for row in rows]
    record_listing(user, shown, f"Today, {day.isoformat()}")
    return page(request, "web/today.html", context)


def own_schedule(user: Any, day: Any) -> list[Appointment]:
    """The user's own appointments of ``day`` in time order, cancelled ones left out."""
    return list(
        Appointment.objects.filter(clinic_id=user.clinic_id, practitioner=user, voided_at__isnull=True)
        .exclude(status=AppointmentStatus.CANCELLED)
        .overlapping(local_datetime(day, time(0)), local_datetime(day + timedelta(days=1), time(0)))
        .select_related("patient", "room")
        .order_by("starts_at")
    )
