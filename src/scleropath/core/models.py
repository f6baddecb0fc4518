"""What every clinical record shares: its clinic, who created it, voiding instead of deletion,
and a version number that refuses stale writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from scleropath.accounts.access import clinic_id_of
from scleropath.accounts.permissions import Action, require

if TYPE_CHECKING:
    from scleropath.accounts.models import User


class RecordError(Exception):
    """A refused write with a message fit to show the user."""


class StaleWrite(RecordError):
    """Someone else saved this record after it was read; the write is refused."""


class RecordsAreNeverDeleted(RecordError):
    """Clinical records are voided with a reason, never deleted."""


class ClinicalQuerySet(models.QuerySet[Any]):
    """Clinical rows, chainable: ``Model.objects.restrict(user)`` is "the live records of my clinic",
    the one way pages, the API, the analytics and the exports ask for them."""

    def active(self) -> Self:
        """The rows not voided (a voided record stays, with its reason, but is no longer counted)."""
        return self.filter(voided_at__isnull=True)

    def for_clinic(self, clinic_id: int) -> Self:
        return self.filter(clinic_id=clinic_id)

    def restrict(self, user: User, action: Action = Action.VIEW_CLINICAL) -> Self:
        """The live rows of ``user``'s clinic, after checking that the user may ``action`` them:
        a user without the right is refused (PermissionDenied), one without a clinic gets Http404."""
        require(user, action)
        return self.for_clinic(clinic_id_of(user)).active()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise RecordsAreNeverDeleted("Clinical records are voided with a reason, never deleted.")


class ClinicalRecord(models.Model):
    """Base of every clinical record: scoped to a clinic, audited, voided rather than deleted."""

    clinic = models.ForeignKey("accounts.Clinic", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.TextField(blank=True)

    objects = ClinicalQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RecordsAreNeverDeleted("Clinical records are voided with a reason, never deleted.")

    def void(self, by: Any, reason: str) -> None:
        """Mark the record void; the reason is required and kept with the record."""
        reason = reason.strip()
        if not reason:
            raise RecordError("A reason is required to void a record.")
        if self.voided_at is not None:
            raise RecordError("This record is already void.")
        self.voided_at = timezone.now()
        self.voided_by = by
        self.void_reason = reason
        self.save(update_fields=["voided_at", "voided_by", "void_reason"])


class Versioned(models.Model):
    """Optimistic locking: a write states the version it read and fails if that has moved on."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save_checked(self, expected_version: int, update_fields: list[str] | None = None) -> None:
        """Save only if the row still has ``expected_version``; otherwise raise :class:`StaleWrite`."""
        model = type(self)
        with transaction.atomic():
            current = (
                model._default_manager.select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
            )
            found = current.first()
            if found is None or found != expected_version:
                raise StaleWrite(
                    f"This {model._meta.verbose_name} was changed by someone else since you opened it "
                    "(version {0} is now {1}). Reload it and make your change again.".format(
                        expected_version, found
                    )
                )
            self.version = expected_version + 1
            fields = None if update_fields is None else [*update_fields, "version"]
            self.save(update_fields=fields)
