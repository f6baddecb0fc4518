"""Clinic settings and staff in the admin: a manager keeps their own clinic's, a superuser all."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from scleropath.protocol import Engine, ProtocolError

from .admin_access import may, staff_user
from .models import Clinic, Role, User
from .permissions import Action


class ClinicForm(forms.ModelForm):  # type: ignore[type-arg]
    def clean_clinic_protocol(self) -> str:
        """A clinic's protocol file must load on top of the protocol in use: a file that does not
        would stop every engine answer for the clinic."""
        path: str = self.cleaned_data["clinic_protocol"].strip()
        if path:
            try:
                Engine.from_files(settings.SCLEROPATH_PROTOCOL_DIR, path)
            except ProtocolError as exc:
                # Only the first line: a YAML error goes on to quote the file, which need not be ours.
                first = exc.message.splitlines()[0] if exc.message else ""
                where = f"{exc.file}: {exc.path}: " if exc.path else f"{exc.file}: "
                raise forms.ValidationError(f"This protocol file does not load ({where}{first}).") from None
            except OSError:
                raise forms.ValidationError("This protocol file cannot be read.") from None
        return path


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A manager sees and edits only their own clinic's settings; only a superuser adds clinics."""

    form = ClinicForm
    list_display = ["name", "nurses_may_inject", "require_mfa", "screening_valid_days", "phone"]
    fields = [
        "name",
        "slug",
        "nurses_may_inject",
        "require_mfa",
        "screening_valid_days",
        "weight_check_percent",
        "phone",
        "emergency_number",
        "clinic_protocol",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Clinic]:
        user = staff_user(request)
        qs = super().get_queryset(request)
        if user is not None and user.is_superuser:
            return qs
        return qs.filter(pk=user.clinic_id) if user is not None and user.clinic_id else qs.none()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        user = staff_user(request)
        return [] if user is not None and user.is_superuser else ["slug"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may(request, Action.MANAGE_CLINIC)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request, Action.MANAGE_CLINIC)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request, Action.MANAGE_CLINIC)

    def has_add_permission(self, request: HttpRequest) -> bool:
        user = staff_user(request)
        return user is not None and user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # every clinical record points at its clinic


@admin.register(User)
class StaffAdmin(UserAdmin):  # type: ignore[type-arg]
    """Managers keep the staff of their own clinic: they cannot see or make superusers or platform
    administrators, nor move anyone to another clinic. Passwords go through Django's own forms."""

    list_display = ["username", "first_name", "last_name", "role", "clinic", "is_active", "is_staff"]
    list_filter = ["role", "is_active"]
    list_select_related = ["clinic"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "professional_registration")}),
        ("Clinic and role", {"fields": ("clinic", "role", "is_active", "is_staff")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        ("Person", {"fields": ("first_name", "last_name", "email", "professional_registration")}),
        ("Clinic and role", {"fields": ("clinic", "role", "is_staff")}),
    )

    def _is_superuser(self, request: HttpRequest) -> bool:
        user = staff_user(request)
        return user is not None and user.is_superuser

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        user = staff_user(request)
        qs = super().get_queryset(request)
        if user is not None and user.is_superuser:
            return qs
        if user is None or user.clinic_id is None:
            return qs.none()
        return qs.filter(clinic_id=user.clinic_id, is_superuser=False).exclude(role=Role.ADMIN)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if self._is_superuser(request) else ["clinic"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None or self._is_superuser(request):
            return fieldsets
        # A manager's new colleague joins the manager's clinic; there is nothing to choose.
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f != "clinic"]})
            for name, opts in fieldsets
        ]

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "role" and not self._is_superuser(request):
            kwargs["choices"] = [(value, label) for value, label in Role.choices if value != Role.ADMIN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may(request, Action.MANAGE_CLINIC)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request, Action.MANAGE_CLINIC)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may(request, Action.MANAGE_CLINIC)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may(request, Action.MANAGE_CLINIC)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # staff who leave are made inactive, so their records keep their author

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user = staff_user(request)
        assert user is not None
        if not user.is_superuser:
            # The form offers neither, but a crafted request must not get round it.
            obj.clinic_id = user.clinic_id
            obj.is_superuser = False
            if obj.role == Role.ADMIN:
                raise PermissionDenied("Only a platform administrator may make another.")
        super().save_model(request, obj, form, change)
