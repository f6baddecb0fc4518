"""The public address of a practitioner's private calendar feed: no sign-in, the secret is the key.

An unknown or revoked secret gets a plain 404 that says nothing more. Requests are rate limited
per address, as the patients' links are, so secrets cannot be guessed at speed.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from scleropath.core.middleware import PRIVATE_NO_STORE
from scleropath.core.ratelimit import client_ip, hit

from .feeds import feed_for_secret
from .ical import feed_ics


def _rate_limited(request: HttpRequest) -> bool:
    limit, window = settings.CALENDAR_FEED_RATE
    return hit("calendar-feed", client_ip(request), limit=limit, window=window)


@require_GET
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    if _rate_limited(request):
        return HttpResponse("Too many requests.", status=429, content_type="text/plain")
    feed = feed_for_secret(secret)
    if feed is None:
        raise Http404("No such calendar")
    response = HttpResponse(feed_ics(feed.practitioner), content_type="text/calendar; charset=utf-8")
    # The feed is one person's: no shared cache may keep it, and nothing on the way may store it.
    response["Cache-Control"] = PRIVATE_NO_STORE
    response["Content-Disposition"] = 'inline; filename="scleropath.ics"'
    return response
