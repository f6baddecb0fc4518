"""The admin site for managers: staff, stock and clinic settings of their own clinic, and read-only
views of clinical records. Access follows the same role rules as the rest of the app
(``scleropath.accounts.permissions.can``), not Django's per-model permissions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scleropath.accounts.access import record_access
from scleropath.accounts.admin_access import may, staff_user
from scleropath.accounts.models import User
from scleropath.accounts.permissions import Action, can
from scleropath.core.models import RecordError
from scleropath.core.services import void_record
from scleropath.patients.access import record_listing


class VoidForm(forms.Form):
    reason = forms.CharField(
        label="Reason for voiding",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with each record; voided records stay in the history and are never deleted.",
    )


@admin.action(description="Void selected records")
def void_selected(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> HttpResponse | None:
    """Ask for a reason on a page of its own, then void each record through the service."""
    user = staff_user(request)
    assert user is not None  # the admin lets no one in unsigned
    form = VoidForm(request.POST if "confirm_void" in request.POST else None)
    if form.is_valid():
        done = 0
        for record in queryset:
            try:
                void_record(user, record, form.cleaned_data["reason"])
            except (RecordError, ValidationError, PermissionDenied) as exc:
                modeladmin.message_user(request, f"{record}: {exc}", messages.ERROR)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, f"Voided {done} record(s); they stay in the history.")
        return None
    return render(
        request,
        "admin/scleropath_void.html",
        {
            **modeladmin.admin_site.each_context(request),
            "form": form,
            "records": queryset,
            "action": "void_selected",
            "opts": modeladmin.model._meta,
            "title": "Void records",
        },
    )


class VoidedFilter(admin.SimpleListFilter):
    title = "voided"
    parameter_name = "voided"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "In use"), ("yes", "Voided")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "no":
            return queryset.filter(voided_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(voided_at__isnull=False)
        return queryset


class ClinicScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows of the signed-in user's clinic only; new rows join that clinic; nothing is deleted.

    ``view_action`` and ``change_action`` name the role permission each needs; a user with no clinic
    who is not a superuser sees nothing.
    """

    view_action: Action | None = Action.VIEW_CLINICAL
    change_action: Action | None = None
    actions = [void_selected]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        user = staff_user(request)
        if user is not None and user.is_superuser:
            return qs
        if user is None or user.clinic_id is None:
            return qs.none()
        return qs.filter(clinic_id=user.clinic_id)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may(request, self.view_action) or may(request, self.change_action)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may(request, self.change_action)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request, self.change_action)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # clinical records are voided with a reason, never deleted

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        user = staff_user(request)
        # The void service keeps each clinic's records to its own staff, so a platform admin
        # without a clinic is not offered the action.
        if user is None or user.clinic_id is None or not can(user, Action.VOID):
            actions.pop("void_selected", None)
        return actions

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        user = staff_user(request)
        queryset = getattr(field, "queryset", None)
        if field is None or queryset is None or (user is not None and user.is_superuser):
            return field
        clinic_id = user.clinic_id if user is not None else None
        if queryset.model is User or any(f.name == "clinic" for f in queryset.model._meta.fields):
            field.queryset = queryset.filter(clinic_id=clinic_id)
        return field

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user = staff_user(request)
        assert user is not None
        if not change:
            # A superuser chooses the clinic on the form; everyone else adds to their own.
            if not user.is_superuser or not getattr(obj, "clinic_id", None):
                obj.clinic_id = user.clinic_id
            if hasattr(obj, "created_by_id"):
                obj.created_by = user
        super().save_model(request, obj, form, change)


class ReadOnlyClinicalAdmin(ClinicScopedAdmin):
    """Clinical records are written through the clinic pages and their services; here they are read.

    Opening one is written to the audit log, as it is in the clinic pages, and so is each page of a
    list, with the patients it showed.
    """

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        user = staff_user(request)
        if user is not None:
            what = f"Admin: {self.model._meta.verbose_name_plural}, page {changelist.page_num}"
            if changelist.query:
                what += f", search '{changelist.query}'"
            record_listing(user, self.listed_patients(changelist.result_list), what)
        return changelist

    def listed_patients(self, rows: Iterable[Any]) -> Iterable[Any]:
        """The patients (or records naming their ``patient_id``) shown by a page of the list."""
        return rows

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [*super().get_list_filter(request), VoidedFilter]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            record_access(obj)
        return obj


admin.site.site_header = "ScleroPath administration"
admin.site.site_title = "ScleroPath admin"
admin.site.index_title = "Staff, stock and clinic settings"
