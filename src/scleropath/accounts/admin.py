from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Clinic, User
from .permissions import Action, can


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A manager sees and edits only their own clinic's settings."""

    list_display = [
        "name",
        "nurses_may_inject",
        "require_mfa",
        "screening_valid_days",
        "phone",
        "emergency_number",
    ]
    fields = [
        "name",
        "slug",
        "nurses_may_inject",
        "require_mfa",
        "screening_valid_days",
        "phone",
        "emergency_number",
        "clinic_protocol",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Clinic]:
        user = _user(request)
        qs = super().get_queryset(request)
        return qs if user.is_superuser else qs.filter(pk=user.clinic_id)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if _user(request).is_superuser else ["slug"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        user = _user(request)
        return user.is_superuser or can(user, Action.MANAGE_CLINIC)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _user(request).is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class StaffAdmin(UserAdmin):  # type: ignore[type-arg]
    """Managers keep the staff of their own clinic; they cannot make superusers or move staff."""

    list_display = ["username", "first_name", "last_name", "role", "clinic", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "professional_registration")}),
        ("Clinic and role", {"fields": ("clinic", "role", "is_active", "is_staff")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "role", "first_name", "last_name")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        user = _user(request)
        qs = super().get_queryset(request)
        return qs if user.is_superuser else qs.filter(clinic_id=user.clinic_id, is_superuser=False)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if _user(request).is_superuser else ["clinic"]

    def _manages(self, request: HttpRequest) -> bool:
        user = _user(request)
        return user.is_superuser or can(user, Action.MANAGE_CLINIC)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._manages(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._manages(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._manages(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._manages(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # staff who leave are made inactive, so their records keep their author

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user = _user(request)
        if not user.is_superuser:
            obj.clinic_id = user.clinic_id
            obj.is_superuser = False
        super().save_model(request, obj, form, change)
