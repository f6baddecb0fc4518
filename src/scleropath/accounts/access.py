"""Every query for clinical data goes through these helpers, which scope it to the user's clinic.

A record of another clinic is indistinguishable from a missing one: both raise Http404. The helpers
that know the patient model (``get_patient_for_user``, ``record_listing``) are in
``scleropath.patients.access``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, TypeVar

from auditlog.signals import accessed
from django.db import DatabaseError, models, transaction
from django.http import Http404

from .permissions import Action, require

if TYPE_CHECKING:
    from .models import User

M = TypeVar("M", bound=models.Model)
logger = logging.getLogger(__name__)


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


def record_access(*objs: models.Model) -> None:
    """Log a read of each record (with the actor from the request, via auditlog's middleware).

    The entries are written in one savepoint. If they cannot be written (the database stayed locked
    past its busy timeout, say), the failure is logged as a warning and the read goes on: a clinician
    is never refused a record, or left without the page they were charting on, for want of its audit
    entry. The savepoint keeps a failed write from spoiling a transaction the read runs in, which
    PostgreSQL would otherwise refuse to continue.
    """
    if not objs:
        return
    try:
        with transaction.atomic():
            for obj in objs:
                accessed.send(sender=type(obj), instance=obj)
    except DatabaseError:
        logger.warning(
            "The audit log entry for a read of %s could not be written",
            ", ".join(f"{obj._meta.label} {obj.pk}" for obj in objs),
            exc_info=True,
        )
