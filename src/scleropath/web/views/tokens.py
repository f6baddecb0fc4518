"""The pages where staff create and revoke their own API tokens, and where practitioners issue and
revoke their private calendar feed. A new token, or a new feed's address, is shown once, in the
answer to the form that created it, and never again."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from scleropath.accounts.models import User
from scleropath.api.models import ApiToken
from scleropath.api.tokens import create_token, revoke_token
from scleropath.diary.feeds import issue_feed, live_feed, revoke_feed
from scleropath.diary.services import PRACTITIONER_ROLES

from ..forms import TokenForm


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _feed_context(user: User, new_feed_url: str = "") -> dict[str, object]:
    """The calendar section: shown to those who have appointments (clinicians and nurses)."""
    has_diary = user.role in PRACTITIONER_ROLES
    return {
        "has_diary": has_diary,
        "calendar_feed": live_feed(user) if has_diary else None,
        "new_feed_url": new_feed_url,
    }


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenForm(request.POST or None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        expires_at = None
        if expires_on is not None:
            expires_at = timezone.make_aware(datetime.combine(expires_on, time.max))
        try:
            _, new_token = create_token(user, form.cleaned_data["name"], expires_at)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("expires_on" if field == "expires_at" else field, errors)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(owner=user),
        **_feed_context(user),
    }
    response = render(request, "web/tokens.html", context, status=400 if form.errors else 200)
    if new_token:
        add_never_cache_headers(response)  # the only time the token is shown: keep it out of caches
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _user(request)
    token = get_object_or_404(ApiToken, pk=token_id, owner=user)  # another user's token is a 404
    revoke_token(user, token)
    messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect("api_tokens:tokens")


@login_required
@require_POST
def issue_calendar(request: HttpRequest) -> HttpResponse:
    """A new feed address (any earlier one stops working), shown in this answer only."""
    user = _user(request)
    if user.role not in PRACTITIONER_ROLES:
        return redirect("api_tokens:tokens")
    _, secret = issue_feed(user)
    url = request.build_absolute_uri(reverse("calendar:feed", args=[secret]))
    context = {
        "form": TokenForm(),
        "tokens": ApiToken.objects.filter(owner=user),
        **_feed_context(user, url),
    }
    response = render(request, "web/tokens.html", context)
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def revoke_calendar(request: HttpRequest) -> HttpResponse:
    if revoke_feed(_user(request)):
        messages.success(request, "Calendar feed revoked; its address no longer works.")
    return redirect("api_tokens:tokens")
