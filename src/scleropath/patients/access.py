"""The access helpers that know the patient: opening one patient's record, and auditing a list of
patients shown to a member of staff.

They build on the clinic scoping in ``scleropath.accounts.access``: a patient of another clinic is a
404, exactly like a missing one.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from auditlog import get_logentry_model
from auditlog.cid import get_cid
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, models, transaction

from scleropath.accounts.access import get_for_user
from scleropath.accounts.permissions import Action

from .models import Patient

if TYPE_CHECKING:
    from scleropath.accounts.models import User

logger = logging.getLogger(__name__)


def get_patient_for_user(user: User, pk: object, action: Action = Action.VIEW_PATIENT) -> Patient:
    """One patient of the user's clinic, or Http404. The read is written to the audit log."""
    return get_for_user(user, Patient, pk, action)


def patient_id_of(row: models.Model | int) -> int | None:
    """The patient a listed row shows: a Patient's own id, a record's ``patient_id``, or the id itself."""
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
