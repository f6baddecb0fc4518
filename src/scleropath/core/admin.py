"""The admin site for managers: staff, stock and clinic settings of their own clinic, and read-only
views of clinical records. Access follows the same role rules as the rest of the app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from scleropath.accounts.models import User
from scleropath.accounts.permissions import Action, can

from .models import RecordError
from .services import void_record


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class VoidForm(forms.Form):
    reason = forms.CharField(label="Reason for voiding", widget=forms.Textarea(attrs={"rows": 3}))


@admin.action(description="Void selected records (with a reason)")
def void_selected(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> HttpResponse | None:
    form = VoidForm(request.POST if "reason" in request.POST else None)
    if form.is_valid():
        done = 0
        for record in queryset:
            try:
                void_record(_user(request), record, form.cleaned_data["reason"])
                done += 1
            except (RecordError, ValidationError) as exc:
                modeladmin.message_user(request, f"{record}: {exc}", messages.ERROR)
        modeladmin.message_user(request, f"Voided {done} record(s).")
        return None
    return render(
        request,
        "admin/scleropath_void.html",
        {
            "form": form,
            "records": queryset,
            "action": "void_selected",
            "opts": modeladmin.model._meta,
            "title": "Void records",
        },
    )


class ClinicScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows of the signed-in user's clinic only; new rows join that clinic; nothing is deleted."""

    view_action: Action = Action.VIEW_CLINICAL
    change_action: Action | None = None
    actions = [void_selected]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        user = _user(request)
        if user.is_superuser:
            return qs
        return qs.filter(clinic_id=user.clinic_id) if user.clinic_id else qs.none()

    def _allowed(self, request: HttpRequest, action: Action | None) -> bool:
        user = _user(request)
        return action is not None and (user.is_superuser or can(user, action))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, self.view_action)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, self.view_action)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, self.change_action)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, self.change_action)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # clinical records are voided with a reason, never deleted

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not self._allowed(request, Action.VOID):
            actions.pop("void_selected", None)
        return actions

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        user = _user(request)
        queryset = getattr(field, "queryset", None)
        if (
            field is not None
            and queryset is not None
            and not user.is_superuser
            and hasattr(queryset.model, "clinic_id")
        ):
            field.queryset = queryset.filter(clinic_id=user.clinic_id)
        return field

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        user = _user(request)
        if not change:
            if not user.is_superuser or not getattr(obj, "clinic_id", None):
                obj.clinic_id = user.clinic_id
            if hasattr(obj, "created_by_id"):
                obj.created_by = user
        super().save_model(request, obj, form, change)


class ReadOnlyClinicalAdmin(ClinicScopedAdmin):
    """Clinical records are written through the clinic pages and their services; here they are read."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]
