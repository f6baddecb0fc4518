"""Private calendar feeds: issuing a practitioner's secret feed address, revoking it, and finding
the feed a secret belongs to.

A practitioner has at most one live feed: issuing a new one revokes the old, so a leaked address is
stopped by issuing again. The secret is 32 random URL-safe bytes and only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from .models import CalendarFeed

if TYPE_CHECKING:
    from scleropath.accounts.models import User

SECRET_BYTES = 32


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def live_feed(practitioner: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(practitioner=practitioner, revoked_at__isnull=True).first()


@transaction.atomic
def issue_feed(practitioner: User) -> tuple[CalendarFeed, str]:
    """A new feed for ``practitioner`` (their earlier one revoked); returns it and its secret, which
    is shown once and never stored."""
    revoke_feed(practitioner)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return CalendarFeed.objects.create(practitioner=practitioner, secret_hash=hash_secret(secret)), secret


def revoke_feed(practitioner: User) -> int:
    """Revoke the practitioner's live feed, if any; its address answers 404 from now on."""
    return CalendarFeed.objects.filter(practitioner=practitioner, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def feed_for_secret(secret: str) -> CalendarFeed | None:
    """The live feed ``secret`` opens, whose practitioner can still sign in; None for anything else."""
    if not secret or len(secret) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("practitioner")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True, practitioner__is_active=True)
        .first()
    )
