"""Issuing, checking and revoking API tokens.

A token is ``sp_`` followed by 40 random URL-safe characters; its first characters are kept as a
public prefix, and only its SHA-256 is stored. Other parts of ScleroPath (the FHIR endpoint) call
:func:`user_for_request` to authenticate a request the same way the JSON API does.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import ApiToken

if TYPE_CHECKING:
    from scleropath.accounts.models import User

TOKEN_START = "sp_"
PREFIX_LENGTH = 8  # random characters of the token shown as its public prefix
# last_used_at is refreshed at most this often, so a busy client does not write on every call.
LAST_USED_RESOLUTION_SECONDS = 60


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(user: User, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the record and the token itself (shown once, never stored)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the token a name."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    while True:
        token = TOKEN_START + secrets.token_urlsafe(30)
        prefix = token[: len(TOKEN_START) + PREFIX_LENGTH]
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    record = ApiToken.objects.create(
        owner=user, name=name[:100], prefix=prefix, token_hash=hash_token(token), expires_at=expires_at
    )
    return record, token


@transaction.atomic
def revoke_token(user: User, token: ApiToken) -> None:
    """Revoke one of the user's own tokens (a token already revoked stays as it was)."""
    if token.owner_id != user.pk:
        raise ValidationError("That token is not yours.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def user_for_token(token: str) -> User | None:
    """The active user a token acts as, or None for a wrong, revoked or expired token or an inactive
    user. A successful use is stamped on the token."""
    if not token.startswith(TOKEN_START):
        return None
    record = (
        ApiToken.objects.select_related("owner", "owner__clinic").filter(token_hash=hash_token(token)).first()
    )
    if record is None or not record.is_usable() or not record.owner.is_active:
        return None
    if _needs_two_factor(record.owner):
        return None
    now = timezone.now()
    if (
        record.last_used_at is None
        or (now - record.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    ):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.owner


def _needs_two_factor(user: User) -> bool:
    """Whether the user's clinic requires two-factor sign-in that the user has not set up; the web
    pages then admit them nowhere but the set-up page, and their tokens are refused alike."""
    if user.clinic is None or not user.clinic.require_mfa:
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_for_request(request: HttpRequest) -> User | None:
    """The user a request's bearer token acts as, or None (no token, or a wrong, revoked or expired one,
    or an inactive user).

    On success ``request.user`` becomes that user and the audit log's actor for the rest of the
    request is set to them, so reads and writes are attributed exactly as on the web pages.
    """
    token = bearer_token(request)
    if token is None:
        return None
    user = user_for_token(token)
    if user is not None:
        request.user = user
        set_audit_actor(user)
    return user


def set_audit_actor(user: User) -> None:
    """Attribute the audit entries of the current request to ``user``.

    The audit middleware reads the actor from the session before the API knows the token's user;
    it keeps its request context in a context variable, which is updated here.
    """
    from auditlog.context import auditlog_value

    try:
        context = auditlog_value.get()
    except LookupError:
        return
    context["actor"] = user
