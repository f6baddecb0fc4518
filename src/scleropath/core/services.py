"""Services every app shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from scleropath.accounts.permissions import Action, require
from scleropath.protocol import InputError

from .models import ClinicalRecord, RecordError

if TYPE_CHECKING:
    from scleropath.accounts.models import User


def void_record(user: User, record: ClinicalRecord, reason: str) -> None:
    """Void a clinical record of the user's clinic with a reason (records are never deleted)."""
    require(user, Action.VOID)
    if record.clinic_id != user.clinic_id:
        raise RecordError("That record is not in your clinic.")
    with transaction.atomic():
        record.void(user, reason)


def validation_error_from(exc: InputError, strip: str = "") -> ValidationError:
    """An engine input error as a Django ValidationError keyed by field (``strip`` removed from the front)."""
    errors: dict[str, list[str]] = {}
    for e in exc.errors:
        field = e["field"].removeprefix(strip) if e["field"] else "__all__"
        errors.setdefault(field, []).append(e["message"])
    return ValidationError(errors)
