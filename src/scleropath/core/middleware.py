"""Answers that may hold patient data are never kept by a browser's cache or a proxy."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class NoStoreMiddleware:
    """Mark every response but a static file ``Cache-Control: no-store`` (and ``Pragma: no-cache``
    for old HTTP/1.0 caches), so a shared computer's browser or a proxy on the way keeps no copy
    of a patient's page, an API or FHIR answer, or the patient's own link page.

    Pages, API answers and the patient's pages all carry patient data or may, so no path is left
    out but the static files. WhiteNoise, placed before this middleware, answers those itself with
    its own caching headers; the path check keeps them cacheable when something else serves them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = urlsplit(settings.STATIC_URL or "/static/").path

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
