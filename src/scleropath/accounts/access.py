"""Every query for clinical data goes through these helpers, which scope it to the user's clinic.

A record of another clinic is indistinguishable from a missing one: both raise Http404.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from auditlog import get_logentry_model
from auditlog.cid import get_cid
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


def get_patient_for_user(user: User, pk: Any, action: Action = Action.VIEW_PATIENT) -> Any:
    from scleropath.patients.models import Patient

    return get_for_user(user, Patient, pk, action)


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


def patient_id_of(row: models.Model | int) -> int | None:
    """The patient a listed row shows: a Patient's own id, a record's ``patient_id``, or the id itself."""
    from scleropath.patients.models import Patient

    if isinstance(row, int):
        return row
    if isinstance(row, Patient):
        return row.pk
    patient_id = getattr(row, "patient_id", None)
    return patient_id if isinstance(patient_id, int) else None


def record_listing(user: User, rows: Iterable[models.Model | int], what: str) -> None:
    """Log that ``user`` was shown a list of patients: one audit entry (an access of the patient
    model) naming the list (``what``) with the ids of the patients it showed, in the order shown.

    ``rows`` are patients, records with a ``patient_id``, or patient ids; rows of no patient are
    left out, and a list that showed no patient is not logged. A failed write is logged as an error
    and never fails the page or answer that showed the list: it runs in its own savepoint, so the
    request's transaction carries on.
    """
    from django.contrib.contenttypes.models import ContentType

    from scleropath.patients.models import Patient

    ids = [i for i in dict.fromkeys(patient_id_of(row) for row in rows) if i is not None]
    if not ids:
        return
    log_entry = get_logentry_model()
    try:
        with transaction.atomic():
            log_entry.objects.create(
                content_type=ContentType.objects.get_for_model(Patient),
                object_pk="",
                object_repr=what,
                action=log_entry.Action.ACCESS,
                actor=user if user.is_authenticated else None,
                actor_email=getattr(user, "email", None) or None,
                additional_data={"listing": what, "patient_ids": ids},
                cid=get_cid(),
            )
    except DatabaseError:
        # Lost audit entries must be found: the ids go to the error log (no names, no search terms).
        logger.exception(
            "The audit entry of a list of %d patients shown to user %s was not written: %s",
            len(ids),
            user.pk,
            ids,
        )
