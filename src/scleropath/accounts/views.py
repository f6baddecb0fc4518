"""The admin site's sign-in address, sent to the one sign-in page every member of staff uses, so the
admin is behind the same failed-attempt limit and the same two-factor step as the clinic pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from .redirects import same_site_path


def admin_sign_in(request: HttpRequest) -> HttpResponseRedirect:
    """Whatever is posted here signs nobody in: visitors go to the sign-in page with their ``next``."""
    target = same_site_path(request.GET.get("next")) or reverse("admin:index")
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
    if admin.site.has_permission(request):
        return HttpResponseRedirect(target)
    # Signed in without admin access: the sign-in page would send them straight back here.
    raise PermissionDenied("This account has no access to the admin site.")
