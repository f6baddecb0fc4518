"""The patient's pages, reached by their personal link only: aftercare, check-ins, satisfaction.

A wrong, altered, revoked or expired link gets the same plain page and reveals nothing. Requests
are rate limited per address.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect

from scleropath.core.models import RecordError
from scleropath.core.ratelimit import client_ip, hit
from scleropath.followup.leaflet import leaflet_context

from .forms import CheckInForm, SatisfactionForm
from .models import CheckIn, CheckInStatus, PatientLink
from .services import answer_check_in, link_for_token, record_patient_satisfaction, reportable_symptoms


def _rate_limited(request: HttpRequest) -> bool:
    limit, window = settings.PATIENT_LINK_RATE
    return hit("patient-link", client_ip(request), limit=limit, window=window)


def patient_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the token to a usable link, or answer with the same 'not valid' page for any failure."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if _rate_limited(request):
            return render(request, "checkins/too_many.html", status=429)
        link = link_for_token(token)
        if link is None:
            return render(request, "checkins/invalid.html", status=404)
        PatientLink.objects.filter(pk=link.pk).update(last_opened_at=timezone.now())
        return view(request, link, token, *args, **kwargs)

    return wrapper


@patient_page
def home(request: HttpRequest, link: PatientLink, token: str) -> HttpResponse:
    context = leaflet_context(link.session.aftercare)
    today = timezone.localdate()
    check_ins = list(link.session.check_ins.active())
    open_now = [c for c in check_ins if c.status == CheckInStatus.SCHEDULED and c.due_on <= today]
    upcoming = [c for c in check_ins if c.status == CheckInStatus.SCHEDULED]
    context.update(
        link=link,
        token=token,
        check_ins=check_ins,
        today=today,
        report=(open_now or upcoming or [None])[-1 if open_now else 0],
    )
    return render(request, "checkins/home.html", context)


@csrf_protect
@patient_page
def check_in(request: HttpRequest, link: PatientLink, token: str, check_in_id: int) -> HttpResponse:
    item = CheckIn.objects.filter(pk=check_in_id, session_id=link.session_id).first()
    if item is None:
        return render(request, "checkins/invalid.html", status=404)
    if item.status == CheckInStatus.ANSWERED:
        return render(
            request,
            "checkins/answered.html",
            {"link": link, "token": token, "check_in": item, "clinic": link.clinic, "answers": item.answers},
        )
    form = CheckInForm(reportable_symptoms(link), request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            answers = answer_check_in(
                link,
                item,
                form.cleaned_data["symptoms"],
                form.cleaned_data["comment"],
                form.cleaned_data.get("photo"),
            )
        except (ValidationError, RecordError) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            return render(
                request,
                "checkins/answered.html",
                {
                    "link": link,
                    "token": token,
                    "check_in": item,
                    "clinic": link.clinic,
                    "answers": [a.__dict__ for a in answers],
                },
            )
    return render(
        request,
        "checkins/check_in.html",
        {"link": link, "token": token, "check_in": item, "form": form},
        status=400 if form.errors else 200,
    )


@csrf_protect
@patient_page
def satisfaction(request: HttpRequest, link: PatientLink, token: str) -> HttpResponse:
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record_patient_satisfaction(
            link,
            form.cleaned_data["satisfaction"],
            form.cleaned_data["recurrence"],
            form.cleaned_data["comment"],
        )
        return redirect("checkins:home", token=token)
    return render(
        request,
        "checkins/satisfaction.html",
        {"link": link, "token": token, "form": form},
        status=400 if form.errors else 200,
    )
