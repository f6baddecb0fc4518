"""Aftercare: the tailored instructions for what was done, as a printable page and a PDF leaflet."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action
from scleropath.core.engine import engine_for
from scleropath.followup.models import AftercarePlan
from scleropath.treatment.models import TreatmentSession

from ..shortcuts import page, staff

STATIC_PREFIX = "/static/"


def leaflet_context(plan: AftercarePlan) -> dict[str, Any]:
    engine = engine_for(plan.patient.clinic)
    content = plan.content
    follow_ups = plan.session.follow_ups.filter(voided_at__isnull=True).order_by("due_on")
    products = sorted({i.product for i in plan.session.injections.filter(voided_at__isnull=True)})
    return {
        "plan": plan,
        "session": plan.session,
        "patient": plan.patient,
        "clinic": plan.clinic,
        "care": content,
        "follow_ups": follow_ups,
        "products": [engine.protocol.products[p].display for p in products if p in engine.protocol.products],
        "procedures": [p.replace("_", " ") for p in content.get("procedures", [])],
        "today": timezone.localdate(),
    }


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
    context["links"] = plan.session.links.filter(revoked_at__isnull=True, voided_at__isnull=True)
    return page(request, "web/aftercare.html", context)


LEAFLET_BASE = "http://scleropath.invalid/"


def static_file_for(url: str) -> Path:
    """The static file behind ``url``; anything that is not one of our static files is refused."""
    prefix = LEAFLET_BASE.rstrip("/") + STATIC_PREFIX
    if not url.startswith(prefix):
        raise ValueError(f"Refusing to fetch {url!r}: the leaflet uses only ScleroPath's own static files.")
    relative = url.removeprefix(prefix)
    if ".." in relative.split("/") or relative.startswith("/"):
        raise ValueError(f"Refusing to fetch {url!r}: not a plain static file path.")
    found = finders.find(relative)
    if not found:
        raise ValueError(f"No static file {url!r}")
    return Path(found if isinstance(found, str) else found[0])


@login_required
def aftercare_pdf(request: HttpRequest, session_id: int) -> HttpResponse:
    plan = _plan_for(request, session_id)
    html = render_to_string("web/aftercare_leaflet.html", leaflet_context(plan), request=request)
    pdf = render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="aftercare-session-{plan.session_id}.pdf"'
    return response


def render_pdf(html: str) -> bytes:
    """The leaflet HTML as PDF bytes, with fonts and styles from our static files only."""
    # Imported here: only the PDF views need WeasyPrint and its system libraries.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = static_file_for(url)
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    result: bytes = HTML(string=html, base_url=LEAFLET_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf()
    return result
