"""The pages where staff create and revoke their own API tokens. A new token is shown once, in the
answer to the form that created it, and never again."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from scleropath.accounts.models import User
from scleropath.api.models import ApiToken
from scleropath.api.tokens import create_token, revoke_token

from ..forms import TokenForm


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


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
