"""Flags raised by patients' check-ins, until a clinician acknowledges each with a note; and the
patient's link, sent from the aftercare page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from scleropath.accounts.access import get_for_user
from scleropath.accounts.models import User
from scleropath.accounts.permissions import Action, can
from scleropath.accounts.redirects import redirect_next
from scleropath.checkins.models import Flag, PatientLink
from scleropath.checkins.services import acknowledge_flag, issue_link, link_message_status, revoke_link
from scleropath.core.models import RecordError
from scleropath.patients.access import record_listing
from scleropath.treatment.models import TreatmentSession

from ..shortcuts import page, refusal_text, staff

LEVEL_ORDER = {"emergency": 0, "prompt_review": 1, "missed": 2}


def open_flags(user: User) -> list[Flag]:
    flags = list(
        Flag.objects.restrict(user).filter(acknowledged_at__isnull=True).select_related("patient", "check_in")
    )
    flags.sort(key=lambda f: (LEVEL_ORDER.get(f.level, 3), f.created_at))
    return flags


@login_required
def flags(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    shown = open_flags(user)
    record_listing(user, shown, "Check-in flags to acknowledge")
    return page(request, "web/flags.html", {"flags": shown, "can_ack": can(user, Action.AFTERCARE)})


@login_required
@require_POST
def flag_acknowledge(request: HttpRequest, flag_id: int) -> HttpResponse:
    user = staff(request)
    flag = get_for_user(user, Flag, flag_id, Action.AFTERCARE)
    try:
        acknowledge_flag(user, flag, request.POST.get("note", ""))
    except (ValidationError, RecordError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"Acknowledged: {flag.summary}.")
    return redirect_next(request, "web:flags")


@login_required
@require_POST
def send_link(request: HttpRequest, session_id: int) -> HttpResponse:
    user = staff(request)
    session = get_for_user(user, TreatmentSession, session_id, Action.AFTERCARE)
    email = request.POST.get("email", "").strip()
    address = email or session.patient.email
    if not address:
        # The link is a secret for the patient alone: it is only ever emailed, never shown to staff.
        messages.error(request, "Add the patient's email address to send the link.")
        return redirect("web:aftercare", session.pk)
    try:
        link, _ = issue_link(user, session, email=email or None, send=True)
    except (ValidationError, RecordError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        status = link_message_status(link)
        if status == "sent":
            messages.success(request, f"Link sent to {address}.")
        elif status == "withheld":
            messages.warning(
                request,
                "The patient has stopped emails from the clinic, so the link was not sent (see Messages on the chart).",
            )
        else:
            messages.error(
                request,
                f"The email to {address} could not be sent; it is tried again with the next reminders.",
            )
    return redirect("web:aftercare", session.pk)


@login_required
@require_POST
def revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    user = staff(request)
    link = get_for_user(user, PatientLink, link_id, Action.AFTERCARE)
    revoke_link(user, link)
    messages.success(request, "The link no longer works.")
    return redirect("web:aftercare", link.session_id)
