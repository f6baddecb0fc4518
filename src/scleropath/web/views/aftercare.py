"""Aftercare: the tailored instructions for what was done, as a printable page and a PDF leaflet."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action
from scleropath.followup.leaflet import leaflet_context
from scleropath.followup.models import AftercarePlan
from scleropath.treatment.models import TreatmentSession

from ..pdf import render_pdf
from ..shortcuts import page, staff


def _plan_for(request: HttpRequest, session_id: int) -> AftercarePlan:
    user = staff(request)
    session = get_for_user(user, TreatmentSession, session_id, Action.VIEW_CLINICAL)
    try:
        return session.aftercare
    except AftercarePlan.DoesNotExist:
        raise Http404("This session has no aftercare yet: complete the session first.") from None


@login_required
def aftercare(request: HttpRequest, session_id: int) -> HttpResponse:
    plan = _plan_for(request, session_id)
    context = leaflet_context(plan)
    context["links"] = plan.session.links.active().filter(revoked_at__isnull=True)
    return page(request, "web/aftercare.html", context)


@login_required
def aftercare_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    plan = _plan_for(request, session_id)
    html = render_to_string("web/aftercare_leaflet.html", leaflet_context(plan), request=request)
    pdf = render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="aftercare-session-{plan.session_id}.pdf"'
    return response
