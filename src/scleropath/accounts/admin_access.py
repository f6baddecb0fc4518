"""Who may do what in the admin site. Access there follows the same role rules as the rest of the
app (``scleropath.accounts.permissions.can``), not Django's per-model permissions; every app's admin
asks these two helpers."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User
from .permissions import Action, can


def staff_user(request: HttpRequest) -> User | None:
    """The signed-in member of staff, or None (the admin's login page asks before anyone signs in)."""
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def may(request: HttpRequest, action: Action | None) -> bool:
    """Whether the request's user may ``action`` in the admin: a superuser may do anything there;
    anyone else needs a clinic and a role that allows it."""
    user = staff_user(request)
    if user is None or action is None:
        return False
    return user.is_superuser or (user.clinic_id is not None and can(user, action))
