"""Every query for clinical data goes through these helpers, which scope it to the user's clinic.

A record of another clinic is indistinguishable from a missing one: both raise Http404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from auditlog.signals import accessed
from django.db import models
from django.http import Http404

from .permissions import Action, require

if TYPE_CHECKING:
    from .models import User

M = TypeVar("M", bound=models.Model)


def clinic_id_of(user: User) -> int:
    if not user.is_authenticated or user.clinic_id is None:
        raise Http404("No clinic")
    return user.clinic_id


def scoped(user: User, model: type[M], action: Action = Action.VIEW_CLINICAL) -> models.QuerySet[M]:
    """``model``'s rows in the user's clinic, after checking the user may ``action`` them."""
    require(user, action)
    return model._default_manager.filter(clinic_id=clinic_id_of(user))


def get_for_user(user: User, model: type[M], pk: Any, action: Action = Action.VIEW_CLINICAL) -> M:
    """One row of ``model`` in the user's clinic, or Http404. The read is written to the audit log."""
    try:
        obj = scoped(user, model, action).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404(f"No {model._meta.verbose_name} {pk}") from None
    record_access(obj)
    return obj


def get_patient_for_user(user: User, pk: Any, action: Action = Action.VIEW_PATIENT) -> Any:
    from scleropath.patients.models import Patient

    return get_for_user(user, Patient, pk, action)


def record_access(obj: models.Model) -> None:
    """Log a read of a patient's record (with the actor from the request, via auditlog's middleware)."""
    accessed.send(sender=type(obj), instance=obj)
