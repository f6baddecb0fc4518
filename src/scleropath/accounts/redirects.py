"""Where to send the browser after a form: a ``next`` taken from the request is followed only when it
is a path on this site. Another host, a scheme (``javascript:``), a protocol-relative ``//host`` or
a URL name such as ``web:chart`` falls back to the page the view names instead."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def same_site_path(candidate: str | None) -> str | None:
    """``candidate`` if it is a path on this site (``/patients/3/``), else None."""
    if not candidate or not candidate.startswith("/"):
        return None
    # No host is allowed, so anything Django reads as naming a host (//evil, /\evil, ///evil) fails.
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts=None):
        return None
    return candidate


def redirect_next(request: HttpRequest, fallback: str, *args: Any) -> HttpResponseRedirect:
    """Redirect to the request's ``next`` when it is a same-site path, else to ``fallback`` (a URL
    name with its arguments, resolved like ``redirect``)."""
    target = same_site_path(request.POST.get("next") or request.GET.get("next"))
    return HttpResponseRedirect(target or resolve_url(fallback, *args))
